/**
 * autotask_create_ticket_note: adds a note to a ticket, internal unless the caller explicitly
 * makes it visible to the client.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { WriteDeduplicator } from "./support/dedupe.js";
import { resolveNoteType, resolvePublish } from "./support/notes.js";
import { picklistParam, ticketIdParam } from "./support/params.js";
import { quoted } from "./support/render.js";
import { requireTicket } from "./support/tickets.js";

const inputSchema = {
  ticketId: ticketIdParam,
  description: z.string().trim().min(1).max(32000).describe("Note text."),
  title: z.string().trim().min(1).max(250).optional().describe("Default: first line."),
  noteType: picklistParam("Default: the tenant's.").optional(),
  publish: z
    .union([z.string().trim().min(1), z.number().int()])
    .optional()
    .describe('"internal" (default) or "all" (CLIENT CAN SEE IT); also label/id, 0 internal, 1 visible.'),
};

const outputSchema = {
  noteId: z.number(),
  ticketId: z.number(),
  ticketNumber: z.string().optional(),
  noteType: z.object({ id: z.number(), label: z.string() }),
  publish: z.object({ id: z.number(), label: z.string() }),
  clientVisible: z.boolean(),
  alreadyExisted: z.boolean(),
};

export default defineTool({
  name: "autotask_create_ticket_note",
  title: "Add ticket note",
  description: [
    "Add a note to a ticket: work done, findings, a message.",
    'Internal by default. publish "all" (All Autotask Users) makes it VISIBLE TO THE CLIENT: only when the user wants the client to read it.',
    "Not for status, assignee or resolution (autotask_update_ticket).",
  ].join("\n"),
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, ctx) {
    const ticket = await requireTicket(ctx, args.ticketId);
    const [noteType, publish] = await Promise.all([resolveNoteType(ctx, args.noteType), resolvePublish(ctx, args.publish)]);
    const body = {
      ticketID: ticket.id,
      title: args.title ?? defaultTitle(args.description),
      description: args.description,
      noteType: noteType.value,
      publish: publish.value.value,
    };
    const key = WriteDeduplicator.keyOf("create_ticket_note", body);
    const outcome = await ctx.dedupe.run(key, () => ctx.api.createTicketNote(ticket.id, body, { signal: ctx.signal }));
    const visibility = publish.clientVisible
      ? `VISIBLE TO THE CLIENT (${publish.value.label})`
      : `internal (${publish.value.label})`;
    const number = ticket.ticketNumber ?? `${ticket.id}`;
    return {
      structured: {
        noteId: outcome.id,
        ticketId: ticket.id,
        ticketNumber: ticket.ticketNumber ?? undefined,
        noteType: { id: noteType.value, label: noteType.label },
        publish: { id: publish.value.value, label: publish.value.label },
        clientVisible: publish.clientVisible,
        alreadyExisted: outcome.replayed,
      },
      text: outcome.replayed
        ? `The same note was already added to ticket ${number} as note ${outcome.id}; not added again.`
        : `Added note ${outcome.id} to ticket ${number}: ${noteType.label}, ${visibility}. Title: ${quoted(body.title)}`,
    };
  },
});

/** Autotask tenants can require note titles; a title from the first words is better than none. */
function defaultTitle(description: string): string {
  const firstLine = description.split(/\r?\n/, 1)[0]?.trim() ?? "";
  return firstLine.length <= 60 ? firstLine : `${firstLine.slice(0, 59)}…`;
}
