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
  status: picklistParam("Or in_progress, waiting_customer, escalated, complete…").optional(),
  priority: picklistParam("Or critical/high/medium/low.").optional(),
  queueID: picklistParam("Queue.").optional(),
  title: z.string().trim().min(1).max(255).optional().describe("New title."),
  description: z.string().max(8000).optional().describe("Replaces it."),
  dueDateTime: dateTimeParam.optional().describe("ISO 8601."),
  companyID: z.number().int().min(0).optional().describe("Move to this company; clears the old contact unless contactID."),
  contactID: z.number().int().positive().nullable().optional().describe("Contact id; null clears."),
  ...assignmentParams,
  issueType: picklistParam("Issue type.").optional(),
  subIssueType: picklistParam("Sub-issue type.").optional(),
  resolution: z.string().trim().min(1).max(32000).optional().describe("Needed to complete."),
  escalationReason: z.string().trim().min(1).max(32000).optional().describe("Needed to escalate; kept as internal note."),
  userDefinedFields: userDefinedFieldsParam.optional(),
  force: z.boolean().optional().describe("Override the workflow check."),
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
    "Change only the given fields: assign, move through the workflow, escalate (needs escalationReason), complete (needs resolution). Not for comments (autotask_create_ticket_note).",
    "Picklists take ids or labels. A forbidden status change is refused with the allowed ones unless force.",
  ].join("\n"),
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const updated = await ctx.desk.tickets.update(args, { signal: ctx.signal });
    const view = ticketView(updated.ticket);
    const sla = slaView(updated.ticket);
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
