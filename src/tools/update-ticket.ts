/**
 * autotask_update_ticket: changes only the fields given (PATCH), checked against the status
 * workflow first, and reports what Autotask's own workflow rules changed afterwards.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { renderTicket, renderWarnings, slaView, slaViewSchema, ticketView, ticketViewSchema } from "./format/index.js";
import { assignmentParams, dateTimeParam, picklistParam, ticketIdParam, userDefinedFieldsParam } from "./params.js";

const inputSchema = {
  ticketID: ticketIdParam,
  status: picklistParam("Or in_progress…").optional(),
  priority: picklistParam("Or high…").optional(),
  queueID: picklistParam("Queue").optional(),
  title: z.string().trim().min(1).max(255).optional().describe("Title"),
  description: z.string().max(8000).optional().describe("Replaces it"),
  dueDateTime: dateTimeParam.optional().describe("ISO 8601."),
  companyID: z.number().int().min(0).optional().describe("Moves it"),
  contactID: z.number().int().positive().nullable().optional().describe("null clears."),
  ...assignmentParams,
  // Create shares assignmentParams and keeps refusing null; only an update can unassign.
  assignedResourceID: assignmentParams.assignedResourceID.unwrap().nullable().optional().describe("Role defaults; null unassigns."),
  issueType: picklistParam("Issue type").optional(),
  subIssueType: picklistParam("Of issueType.").optional(),
  resolution: z.string().trim().min(1).max(32000).optional().describe("To complete."),
  escalationReason: z.string().trim().min(1).max(32000).optional().describe("To escalate."),
  userDefinedFields: userDefinedFieldsParam.optional(),
  force: z.boolean().optional().describe("Skip workflow"),
  idempotencyKey: z.string().trim().min(1).max(200).optional().describe("Same key, same update."),
};

const changeSchema = z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() });

const outputSchema = {
  ticket: ticketViewSchema,
  sla: slaViewSchema,
  changed: z.array(z.string()),
  changedByAutotask: z.array(changeSchema).optional(),
  escalationNoteID: z.number().optional(),
  warnings: z.array(z.string()).optional(),
};

export default defineTool({
  name: "autotask_update_ticket",
  title: "Update ticket",
  description: [
    "Change the given fields. Escalate: needs escalationReason (saved as note). Complete: needs resolution. A new company clears the contact unless contactID. Not for notes.",
    "Picklists: id or label.",
  ].join("\n"),
  inputSchema,
  outputSchema,
  // Other tools' and skills' name for the same ticket; ticketID takes the T… number too.
  aliases: { ticketNumber: "ticketID" },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const updated = await ctx.desk.tickets.update(args, { signal: ctx.signal });
    const view = ticketView(updated.ticket);
    const sla = slaView(updated.ticket.sla);
    const { changed, changedByAutotask, warnings } = updated;
    const text = [
      changed.length
        ? `Updated ${changed.join(", ")} on ticket ${view.ticketNumber ?? view.id}.`
        : updated.escalationNoteId !== undefined
          ? `No field of ticket ${view.ticketNumber ?? view.id} changed; the escalation reason was saved as internal note ${updated.escalationNoteId}.`
          : `Ticket ${view.ticketNumber ?? view.id} unchanged: every field given already had that value.`,
      renderTicket(view, { withText: false, sla }),
      ...renderWarnings(warnings),
    ].join("\n");
    return {
      structured: {
        ticket: view,
        sla,
        changed,
        changedByAutotask: changedByAutotask.length ? changedByAutotask : undefined,
        escalationNoteID: updated.escalationNoteId,
        warnings: warnings.length ? warnings : undefined,
      },
      text,
    };
  },
});
