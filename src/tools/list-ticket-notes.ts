/**
 * autotask_list_ticket_notes: one ticket's notes, newest first, paged, in the details' note
 * vocabulary (`noteView`, `renderNote`).
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { noteView, noteViewSchema, renderNote, UNTRUSTED_TEXT_NOTICE } from "./format/index.js";
import { ticketIdParam } from "./params.js";

const inputSchema = {
  ticketID: ticketIdParam,
  limit: z.number().int().min(1).max(50).optional().describe("Default 10."),
  offset: z.number().int().min(0).optional().describe("Skip."),
};

const outputSchema = {
  ticketID: z.number(),
  ticketNumber: z.string().optional(),
  notes: z.array(noteViewSchema),
  total: z.number(),
  offset: z.number(),
  hasMore: z.boolean(),
};

export default defineTool({
  name: "autotask_list_ticket_notes",
  title: "List ticket notes",
  description:
    "A ticket's notes, newest first, paged, with type and publish labels and authors; client-visible ones marked. autotask_get_ticket_details shows the latest few.",
  inputSchema,
  outputSchema,
  aliases: { ticketNumber: "ticketID" },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const listing = await ctx.desk.notes.list(args.ticketID, { offset: args.offset ?? 0, limit: args.limit ?? 10 }, { signal: ctx.signal });
    const notes = listing.notes.map((note) => noteView(note, ctx.desk.settings.calendar.timeZone));
    const shown = listing.total === 0 ? "none" : `${listing.offset + 1}-${listing.offset + notes.length} of ${listing.total}, newest first`;
    const lines = [`Ticket ${listing.ticketNumber ?? listing.ticketID}: notes ${notes.length === 0 && listing.total > 0 ? `none from offset ${listing.offset} (${listing.total} in all)` : shown}.`];
    lines.push(...notes.map(renderNote));
    if (listing.hasMore) lines.push(`More: offset ${listing.offset + notes.length}.`);
    if (notes.length > 0) lines.push(UNTRUSTED_TEXT_NOTICE);
    return { structured: { ...listing, notes }, text: lines.join("\n") };
  },
});
