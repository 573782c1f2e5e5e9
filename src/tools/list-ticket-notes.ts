/**
 * autotask_list_ticket_notes: one ticket's notes, newest first, paged.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { quoted } from "./format/index.js";
import { ticketIdParam } from "./params.js";

const inputSchema = {
  ticketID: ticketIdParam.optional(),
  ticketNumber: z.string().trim().min(1).max(30).optional().describe("Or ticket number."),
  limit: z.number().int().min(1).max(50).optional().describe("Default 10."),
  offset: z.number().int().min(0).optional().describe("Skip."),
};

const outputSchema = {
  ticketID: z.number(),
  notes: z.array(z.unknown()),
  hasMore: z.boolean(),
};

export default defineTool({
  name: "autotask_list_ticket_notes",
  title: "List ticket notes",
  description:
    "A ticket's notes, newest first, paged, with type and publish labels; client-visible ones marked.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const listing = await ctx.desk.reports.lookups.listTicketNotes(args, { signal: ctx.signal });
    const head = `Ticket ${listing.ticketNumber ?? listing.ticketID}: notes ${listing.total === 0 ? "none" : `${listing.offset + 1}-${listing.offset + listing.notes.length} of ${listing.total}, newest first`}.`;
    const lines = [head];
    for (const note of listing.notes) {
      lines.push(
        `#${note.id} ${note.createdAt ?? ""} ${note.noteType ?? ""} ${note.clientVisible ? "[CLIENT-VISIBLE]" : `[${note.publish ?? "internal"}]`}`,
      );
      // Title and text once each, each delimited (a note's text often repeats its title).
      if (note.title) lines.push(`  title ${quoted(note.title)}`);
      if (note.text && note.text !== note.title) lines.push(`  ${quoted(note.text)}`);
    }
    if (listing.hasMore) lines.push(`More: offset ${listing.offset + listing.notes.length}.`);
    return { structured: listing, text: lines.join("\n") };
  },
});
