/**
 * autotask_list_ticket_notes: one ticket's notes, newest first, paged.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { quoted } from "./support/render.js";

const inputSchema = {
  ticketId: z.number().int().positive().optional(),
  ticketNumber: z.string().trim().min(1).max(30).optional().describe("E.g. T20261130.0042, instead of ticketId."),
  limit: z.number().int().min(1).max(50).optional().describe("Default 10."),
  offset: z.number().int().min(0).optional(),
};

const outputSchema = {
  ticketId: z.number(),
  ticketNumber: z.string().optional(),
  notes: z.array(z.object({ id: z.number(), clientVisible: z.boolean() }).loose()),
  total: z.number(),
  offset: z.number(),
  hasMore: z.boolean(),
};

export default defineTool({
  name: "autotask_list_ticket_notes",
  title: "List ticket notes",
  description:
    "A ticket's notes, newest first, paged (limit/offset), with note type and publish labels; client-visible notes are marked. Use for a ticket's history beyond what autotask_get_ticket_details shows.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const listing = await ctx.reports.directory.listTicketNotes(args, { signal: ctx.signal });
    const head = `Ticket ${listing.ticketNumber ?? listing.ticketId}: notes ${listing.total === 0 ? "none" : `${listing.offset + 1}-${listing.offset + listing.notes.length} of ${listing.total}, newest first`}.`;
    const lines = [head];
    for (const note of listing.notes) {
      lines.push(
        `#${note.id} ${note.createdAt ?? ""} ${note.noteType ?? ""} ${note.clientVisible ? "[CLIENT-VISIBLE]" : `[${note.publish ?? "internal"}]`}`,
        `  ${quoted([note.title, note.text].filter(Boolean).join(": "))}`,
      );
    }
    if (listing.hasMore) lines.push(`More: offset ${listing.offset + listing.notes.length}.`);
    return { structured: listing, text: lines.join("\n") };
  },
});
