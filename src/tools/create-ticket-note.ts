/**
 * autotask_create_ticket_note: adds a note to a ticket, internal unless the caller explicitly
 * makes it visible to the client.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { renderNoteCreated, renderWarnings } from "./format/index.js";
import { picklistParam, ticketIdParam } from "./params.js";

const inputSchema = {
  ticketID: ticketIdParam,
  description: z.string().trim().min(1).max(32000).describe("Note text."),
  title: z.string().trim().min(1).max(250).optional().describe("Default: first line."),
  noteType: picklistParam("Default: the tenant's.").optional(),
  publish: z
    .union([z.string().trim().min(1), z.number().int()])
    .optional()
    .describe('"internal" (default) or "all" (CLIENT CAN SEE IT); also label/id, 0 internal, 1 visible.'),
  idempotencyKey: z.string().trim().min(1).max(200).optional().describe("Same key, same note."),
};

const outputSchema = {
  noteID: z.number(),
  ticketID: z.number(),
  ticketNumber: z.string().optional(),
  noteType: z.object({ id: z.number(), label: z.string() }),
  publish: z.object({ id: z.number(), label: z.string() }),
  clientVisible: z.boolean(),
  alreadyExisted: z.boolean(),
  warnings: z.array(z.string()).optional(),
};

export default defineTool({
  name: "autotask_create_ticket_note",
  title: "Add ticket note",
  description: [
    "Add a note to a ticket: work done, findings, a message.",
    'Internal by default. publish "all" (All Autotask Users) makes it VISIBLE TO THE CLIENT: only when the user wants the client to read it.',
    "Not for status, assignee or resolution (autotask_update_ticket).",
    "The same note within 10 min counts as a retry (not added twice); a new idempotencyKey adds it anyway.",
  ].join("\n"),
  inputSchema,
  outputSchema,
  // Other tools' and skills' name for the same ticket; ticketID takes the T… number too.
  aliases: { ticketNumber: "ticketID" },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, ctx) {
    const created = await ctx.desk.notes.create(args, { signal: ctx.signal });
    return {
      structured: {
        noteID: created.noteId,
        ticketID: created.ticket.id,
        ticketNumber: created.ticket.ticketNumber ?? undefined,
        noteType: { id: created.noteType.value, label: created.noteType.label },
        publish: { id: created.publish.value, label: created.publish.label },
        clientVisible: created.clientVisible,
        alreadyExisted: created.alreadyExisted,
        warnings: created.warnings.length ? created.warnings : undefined,
      },
      text: [renderNoteCreated(created), ...renderWarnings(created.warnings)].join("\n"),
    };
  },
});
