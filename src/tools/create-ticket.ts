/**
 * autotask_create_ticket: opens a ticket with the tenant's picklist values, an SLA-based due date
 * when none is given, and protection against creating the same ticket twice.
 */
import { z } from "zod";
import { AutotaskNetworkError } from "../autotask/errors.js";
import type { Ticket } from "../autotask/schemas.js";
import { resolutionDueDate } from "../domain/sla.js";
import { UserInputError } from "../errors.js";
import { defineTool, type ToolContext } from "./define.js";
import { WriteDeduplicator } from "./support/dedupe.js";
import { assignmentParams, dateTimeParam, picklistParam, toUtcIso, userDefinedFieldsParam } from "./support/params.js";
import { completeAssignment, describeTicket } from "./support/tickets.js";
import { slaViewSchema, renderTicket, ticketViewSchema } from "./support/ticket-view.js";
import { resolveUserDefinedFields } from "./support/udf.js";

const inputSchema = {
  companyID: z.number().int().min(0).describe("Company id (autotask_search_companies)."),
  title: z.string().trim().min(1).max(255).describe("Short summary."),
  description: z.string().max(8000).optional().describe("Full description."),
  status: picklistParam("Default: New.").optional(),
  priority: picklistParam("Or critical/high/medium/low. Default: the tenant's.").optional(),
  queueID: picklistParam("Queue.").optional(),
  contactID: z.number().int().positive().optional().describe("Contact of that company."),
  issueType: picklistParam("Issue type.").optional(),
  subIssueType: picklistParam("Sub-issue type of the issue type.").optional(),
  ticketType: picklistParam("Ticket type.").optional(),
  ticketCategory: picklistParam("Ticket category.").optional(),
  source: picklistParam("Source, e.g. Email.").optional(),
  dueDateTime: dateTimeParam.optional().describe("ISO 8601 (UTC unless offset). Default: SLA resolution target."),
  ...assignmentParams,
  contractID: z.number().int().positive().optional().describe("Contract id."),
  estimatedHours: z.number().min(0).optional().describe("Hours."),
  userDefinedFields: userDefinedFieldsParam.optional(),
  idempotencyKey: z.string().trim().min(1).max(200).optional().describe("Same key = same ticket, never a second one."),
};

const outputSchema = {
  ticket: ticketViewSchema,
  sla: slaViewSchema,
  alreadyExisted: z.boolean(),
  warnings: z.array(z.string()).optional(),
};

type CreateArgs = z.output<z.ZodObject<typeof inputSchema>>;

export default defineTool({
  name: "autotask_create_ticket",
  title: "Create ticket",
  description: [
    "Open a ticket for a company when a customer reports a new problem or request. Not for changing a ticket (autotask_update_ticket) or commenting (autotask_create_ticket_note).",
    "Picklist arguments take ids or labels. Due date defaults to the priority's SLA target. The same call repeated within 10 minutes returns the first ticket instead of a duplicate.",
  ].join("\n"),
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, ctx) {
    const warnings: string[] = [];
    const { idempotencyKey, ...fields } = args;
    const key = WriteDeduplicator.keyOf("create_ticket", fields, idempotencyKey);
    const startedAt = ctx.now();
    const outcome = await ctx.dedupe.run(key, () =>
      ctx.tenant.withFreshPicklists(async () => {
        warnings.length = 0; // a second attempt re-resolves everything, and re-warns
        const body = await buildCreateBody(args, ctx, warnings);
        return createOrRecover(ctx, body, startedAt, warnings);
      }),
    );
    const created = await ctx.api.getTicket(outcome.id, { signal: ctx.signal });
    if (!created) {
      throw new UserInputError(`Autotask created ticket ${outcome.id} but it cannot be read back; check the API user's ticket view permission.`);
    }
    const { view, sla } = await describeTicket(ctx, created);
    if (outcome.replayed) {
      warnings.push(`An identical create call was already made, so no second ticket was created: this is ticket ${view.ticketNumber ?? view.id}.`);
    }
    const heading = outcome.replayed ? "Ticket already existed (not created again)" : "Created ticket";
    return {
      structured: { ticket: view, sla, alreadyExisted: outcome.replayed, warnings: warnings.length ? warnings : undefined },
      text: [`${heading}:`, renderTicket(view, { withText: false, sla }), ...warnings.map((w) => `Note: ${w}`)].join("\n"),
    };
  },
});

async function buildCreateBody(args: CreateArgs, ctx: ToolContext, warnings: string[]): Promise<Record<string, unknown>> {
  const options = { signal: ctx.signal };
  const [statusList, priorityList] = await Promise.all([
    ctx.tenant.ticketPicklist("status", options),
    ctx.tenant.ticketPicklist("priority", options),
  ]);
  const mapping = await ctx.tenant.mapping(options);

  const status =
    args.status !== undefined
      ? await ctx.tenant.resolveTicketValue("status", args.status, options)
      : (statusList.defaultValue() ?? statusList.active().find((v) => v.value === mapping.primaryStatusId("NEW")));
  if (!status) throw new UserInputError("This tenant has no default ticket status; pass status.", "status");

  const priority =
    args.priority !== undefined
      ? await ctx.tenant.resolveTicketValue("priority", args.priority, options)
      : (priorityList.defaultValue() ??
        priorityList.active().find((v) => v.value === mapping.primaryPriorityId("MEDIUM")));
  if (args.priority === undefined && priority && !priorityList.defaultValue()) {
    warnings.push(`This tenant has no default priority, so ${priority.label} was used; pass priority to choose another.`);
  }
  if (!priority) {
    throw new UserInputError(
      `This tenant has no default priority; pass priority, one of: ${priorityList.active().map((v) => v.label).join(", ")}.`,
      "priority",
    );
  }

  const body: Record<string, unknown> = {
    companyID: args.companyID,
    title: args.title,
    status: status.value,
    priority: priority.value,
  };
  if (args.description !== undefined) body.description = args.description;
  for (const field of ["queueID", "issueType", "subIssueType", "ticketType", "ticketCategory", "source"] as const) {
    const input = args[field];
    if (input !== undefined) body[field] = (await ctx.tenant.resolveTicketValue(field, input, options)).value;
  }
  if (body.subIssueType !== undefined) {
    const subIssues = await ctx.tenant.ticketPicklist("subIssueType", options);
    const parent = subIssues.values.find((v) => v.value === body.subIssueType)?.parentValue;
    if (body.issueType === undefined && parent !== undefined && parent !== null && `${parent}` !== "") {
      body.issueType = Number(parent);
    } else if (parent !== undefined && parent !== null && `${parent}` !== "" && Number(parent) !== body.issueType) {
      throw new UserInputError("subIssueType does not belong to the given issueType; pick a sub-issue type of that issue type.", "subIssueType");
    }
  }
  if (args.contactID !== undefined) body.contactID = args.contactID;
  if (args.contractID !== undefined) body.contractID = args.contractID;
  if (args.estimatedHours !== undefined) body.estimatedHours = args.estimatedHours;
  if (args.assignedResourceID !== undefined) {
    const assignment = await completeAssignment(ctx, args.assignedResourceID, args.assignedResourceRoleID);
    body.assignedResourceID = assignment.assignedResourceID;
    body.assignedResourceRoleID = assignment.assignedResourceRoleID;
    if (assignment.note) warnings.push(assignment.note);
  } else if (args.assignedResourceRoleID !== undefined) {
    throw new UserInputError("assignedResourceRoleID was given without assignedResourceID; pass both or neither.", "assignedResourceID");
  }
  if (args.dueDateTime !== undefined) {
    body.dueDateTime = toUtcIso(args.dueDateTime);
  } else {
    const semantic = mapping.priorityOf(priority.value);
    if (semantic) {
      body.dueDateTime = resolutionDueDate(semantic, ctx.now(), { calendar: ctx.settings.calendar }).toISOString();
    } else {
      warnings.push(`Priority "${priority.label}" has no SLA target, so no due date was set.`);
    }
  }
  if (args.userDefinedFields !== undefined) {
    body.userDefinedFields = await resolveUserDefinedFields(ctx, args.userDefinedFields);
  }
  return body;
}

/**
 * Creates the ticket. If the connection drops after the request was sent, Autotask may have saved
 * it: look for it (same company and title, created since this call started) before reporting
 * failure, so that neither a phantom failure nor a retry-made duplicate reaches the user.
 */
async function createOrRecover(
  ctx: ToolContext,
  body: Record<string, unknown>,
  startedAt: Date,
  warnings: string[],
): Promise<number> {
  try {
    return await ctx.api.createTicket(body, { signal: ctx.signal });
  } catch (error) {
    if (!(error instanceof AutotaskNetworkError) || !error.maybeCommitted) throw error;
    const found = await findRecentlyCreated(ctx, body, startedAt);
    if (found) {
      warnings.push("The connection to Autotask dropped after the ticket was sent; the saved ticket was found and is returned.");
      return found.id;
    }
    throw new AutotaskNetworkError({
      method: error.method,
      path: error.path,
      maybeCommitted: false,
      reason: `the connection dropped after the ticket was sent, and no ticket with this title was found for company ${String(body.companyID)} since the call started, so it was not saved: it is safe to call again`,
    });
  }
}

async function findRecentlyCreated(ctx: ToolContext, body: Record<string, unknown>, startedAt: Date): Promise<Ticket | undefined> {
  // Clocks differ; look a little before the call started.
  const since = new Date(startedAt.getTime() - 2 * 60_000).toISOString();
  const page = await ctx.api.queryTicketsPage(
    {
      filter: [
        { op: "eq", field: "companyID", value: body.companyID as number },
        { op: "eq", field: "title", value: body.title as string },
        { op: "gte", field: "createDate", value: since },
      ],
      maxRecords: 10,
    },
    undefined,
    { signal: ctx.signal },
  );
  return page.items.at(-1);
}
