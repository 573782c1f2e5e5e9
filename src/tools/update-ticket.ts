/**
 * autotask_update_ticket: changes only the fields given (PATCH), checked against the status
 * workflow first, and reports what Autotask's own workflow rules changed afterwards.
 */
import { z } from "zod";
import type { Ticket } from "../autotask/schemas.js";
import { validateStatusTransition } from "../domain/workflow.js";
import { UserInputError } from "../errors.js";
import { defineTool, type ToolContext } from "./define.js";
import { WriteDeduplicator } from "./support/dedupe.js";
import { internalPublishValue, resolveNoteType } from "./support/notes.js";
import { assignmentParams, dateTimeParam, picklistParam, ticketIdParam, toUtcIso, userDefinedFieldsParam } from "./support/params.js";
import { completeAssignment, describeTicket, requireTicket } from "./support/tickets.js";
import { renderTicket, slaViewSchema, ticketViewSchema } from "./support/ticket-view.js";
import { resolveUserDefinedFields } from "./support/udf.js";

const inputSchema = {
  ticketId: ticketIdParam,
  status: picklistParam("Or in_progress, waiting_customer, escalated, complete…").optional(),
  priority: picklistParam("Or critical/high/medium/low.").optional(),
  queueID: picklistParam("Queue.").optional(),
  title: z.string().trim().min(1).max(255).optional().describe("New title."),
  description: z.string().max(8000).optional().describe("Replaces the description."),
  dueDateTime: dateTimeParam.optional().describe("ISO 8601 (UTC unless offset)."),
  contactID: z.number().int().positive().optional().describe("Contact of the company."),
  ...assignmentParams,
  issueType: picklistParam("Issue type.").optional(),
  subIssueType: picklistParam("Sub-issue type.").optional(),
  resolution: z.string().trim().min(1).max(32000).optional().describe("Needed to complete."),
  escalationReason: z.string().trim().min(1).max(32000).optional().describe("Needed to escalate; saved as internal note."),
  userDefinedFields: userDefinedFieldsParam.optional(),
  force: z.boolean().optional().describe("Allow a status change the workflow forbids."),
};

const changeSchema = z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() });

const outputSchema = {
  ticket: ticketViewSchema,
  sla: slaViewSchema,
  changed: z.array(z.string()),
  changedByAutotask: z.array(changeSchema).optional(),
  escalationNoteId: z.number().optional(),
  warnings: z.array(z.string()).optional(),
};

type UpdateArgs = z.output<z.ZodObject<typeof inputSchema>>;

export default defineTool({
  name: "autotask_update_ticket",
  title: "Update ticket",
  description: [
    "Change a ticket; only the fields given change. Use to assign, move through the workflow, escalate (needs escalationReason) or complete (needs resolution). Not for comments (autotask_create_ticket_note).",
    "A status change the workflow forbids is refused with the allowed next statuses unless force. Reports fields Autotask's workflow rules changed.",
  ].join("\n"),
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const warnings: string[] = [];
    const { ticketId, force, ...changes } = args;
    if (Object.keys(changes).length === 0) {
      throw new UserInputError(`No change given for ticket ${ticketId}: pass at least one field to update (status, priority, queueID, …).`);
    }
    const current = await requireTicket(ctx, ticketId);
    const body = await ctx.tenant.withFreshPicklists(async () => {
      warnings.length = 0; // a second attempt re-resolves everything, and re-warns
      const patch = await buildPatch(args, current, ctx, warnings);
      if (Object.keys(patch).length > 1) await ctx.api.updateTicket(patch as { id: number }, { signal: ctx.signal });
      return patch;
    });
    // Fields that already had the given values are not sent; repeating an update is therefore harmless.
    const sentFields = Object.keys(body).filter((field) => field !== "id");

    let escalationNoteId: number | undefined;
    if (args.escalationReason !== undefined) {
      escalationNoteId = await recordEscalationReason(ctx, ticketId, args.escalationReason);
      warnings.push(`Autotask has no escalation-reason field, so the reason was saved as internal note ${escalationNoteId}.`);
    }

    const after = await requireTicket(ctx, ticketId);
    const changedByAutotask = sentFields
      .filter((field) => field !== "userDefinedFields" && !sameValue(body[field], (after as Record<string, unknown>)[field]))
      .map((field) => ({ field, from: body[field], to: (after as Record<string, unknown>)[field] ?? undefined }));
    for (const change of changedByAutotask) {
      warnings.push(`Autotask's workflow rules changed ${change.field} after the update (sent ${String(change.from)}, now ${String(change.to ?? "empty")}).`);
    }

    const { view, sla } = await describeTicket(ctx, after);
    const text = [
      sentFields.length
        ? `Updated ${sentFields.join(", ")} on ticket ${view.ticketNumber ?? view.id}.`
        : `Ticket ${view.ticketNumber ?? view.id} unchanged: every field given already had that value.`,
      renderTicket(view, { withText: false, sla }),
      ...warnings.map((w) => `Note: ${w}`),
    ].join("\n");
    return {
      structured: {
        ticket: view,
        sla,
        changed: sentFields,
        changedByAutotask: changedByAutotask.length ? changedByAutotask : undefined,
        escalationNoteId,
        warnings: warnings.length ? warnings : undefined,
      },
      text,
    };
  },
});

/** Builds `{ id, ...changed fields }`: fields equal to the current value are left out. */
async function buildPatch(args: UpdateArgs, current: Ticket, ctx: ToolContext, warnings: string[]) {
  const options = { signal: ctx.signal };
  const patch: Record<string, unknown> = { id: current.id };
  const setIfChanged = (field: string, value: unknown) => {
    if (!sameValue(value, (current as Record<string, unknown>)[field])) patch[field] = value;
  };

  for (const field of ["priority", "queueID", "issueType", "subIssueType"] as const) {
    const input = args[field];
    if (input !== undefined) setIfChanged(field, (await ctx.tenant.resolveTicketValue(field, input, options)).value);
  }
  if (args.title !== undefined) setIfChanged("title", args.title);
  if (args.description !== undefined) setIfChanged("description", args.description);
  if (args.dueDateTime !== undefined) {
    const due = toUtcIso(args.dueDateTime);
    if (!current.dueDateTime || Date.parse(current.dueDateTime) !== Date.parse(due)) patch.dueDateTime = due;
  }
  if (args.contactID !== undefined) setIfChanged("contactID", args.contactID);
  if (args.resolution !== undefined) setIfChanged("resolution", args.resolution);

  if (args.assignedResourceID !== undefined) {
    const keepRole =
      args.assignedResourceRoleID === undefined && args.assignedResourceID === current.assignedResourceID
        ? (current.assignedResourceRoleID ?? undefined)
        : args.assignedResourceRoleID;
    const assignment = await completeAssignment(ctx, args.assignedResourceID, keepRole);
    if (assignment.note && args.assignedResourceID !== current.assignedResourceID) warnings.push(assignment.note);
    setIfChanged("assignedResourceID", assignment.assignedResourceID);
    setIfChanged("assignedResourceRoleID", assignment.assignedResourceRoleID);
    // Autotask wants both together whenever either changes.
    if ("assignedResourceID" in patch || "assignedResourceRoleID" in patch) {
      patch.assignedResourceID = assignment.assignedResourceID;
      patch.assignedResourceRoleID = assignment.assignedResourceRoleID;
    }
  } else if (args.assignedResourceRoleID !== undefined) {
    if (typeof current.assignedResourceID !== "number") {
      throw new UserInputError("assignedResourceRoleID was given, but the ticket has no assigned resource; pass assignedResourceID too.", "assignedResourceID");
    }
    const assignment = await completeAssignment(ctx, current.assignedResourceID, args.assignedResourceRoleID);
    setIfChanged("assignedResourceRoleID", assignment.assignedResourceRoleID);
    if ("assignedResourceRoleID" in patch) patch.assignedResourceID = assignment.assignedResourceID;
  }

  if (args.status !== undefined) {
    const next = await ctx.tenant.resolveTicketValue("status", args.status, options);
    if (next.value !== current.status) {
      const mapping = await ctx.tenant.mapping(options);
      const from = mapping.statusOf(current.status);
      const to = mapping.statusOf(next.value);
      const check = validateStatusTransition(
        from,
        to,
        current,
        {
          resolution: args.resolution,
          escalationReason: args.escalationReason,
          assignedResourceID: (patch.assignedResourceID as number | undefined) ?? args.assignedResourceID,
          assignedResourceRoleID: (patch.assignedResourceRoleID as number | undefined) ?? args.assignedResourceRoleID,
        },
        { force: args.force },
      );
      if (!check.canTransition) {
        const currentLabel = mapping.statusLabel(current.status) ?? `#${current.status}`;
        const allowed = check.allowedNext.map((s) => mapping.statusLabel(mapping.primaryStatusId(s)) ?? s).join(", ");
        const needs = check.requiredFields.length ? ` Required: ${check.requiredFields.join(", ")}.` : "";
        throw new UserInputError(
          `Cannot change ticket ${current.id} from ${currentLabel} to ${next.label}.${needs} ${check.warnings.join(" ")} Allowed next statuses from ${currentLabel}: ${allowed || "none"}.`.replace(/\s+/g, " ").trim(),
          "status",
        );
      }
      warnings.push(...check.warnings);
      patch.status = next.value;
    }
  }
  if (args.escalationReason !== undefined && args.status === undefined) {
    warnings.push("escalationReason was given without a status change; it is recorded as a note only.");
  }

  if (args.userDefinedFields !== undefined) patch.userDefinedFields = await resolveUserDefinedFields(ctx, args.userDefinedFields);
  return patch;
}

async function recordEscalationReason(ctx: ToolContext, ticketId: number, reason: string): Promise<number> {
  const [publish, noteType] = await Promise.all([internalPublishValue(ctx), resolveNoteType(ctx, undefined)]);
  const key = WriteDeduplicator.keyOf("escalation_note", { ticketId, reason });
  const outcome = await ctx.dedupe.run(key, () =>
    ctx.api.createTicketNote(
      ticketId,
      { ticketID: ticketId, title: "Escalation reason", description: reason, noteType: noteType.value, publish: publish.value },
      { signal: ctx.signal },
    ),
  );
  ctx.logger.debug({ ticketId, noteId: outcome.id }, "escalation reason recorded as an internal note");
  return outcome.id;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined || a === "") && (b === null || b === undefined || b === "")) return true;
  if (typeof a === "string" && typeof b === "string") {
    const da = Date.parse(a);
    const db = Date.parse(b);
    if (/^\d{4}-\d{2}-\d{2}T/.test(a) && /^\d{4}-\d{2}-\d{2}T/.test(b) && !Number.isNaN(da) && da === db) return true;
  }
  return false;
}
