/**
 * autotask_create_ticket: opens a ticket with the tenant's picklist values, an SLA-based due date
 * when none is given, and protection against creating the same ticket twice.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { renderTicket, renderWarnings, slaView, slaViewSchema, ticketView, ticketViewSchema } from "./format/index.js";
import { assignmentParams, dateTimeParam, picklistParam, userDefinedFieldsParam } from "./params.js";

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
    const created = await ctx.desk.tickets.create(args, { signal: ctx.signal });
    const view = ticketView(created.ticket);
    const sla = slaView(created.ticket.sla);
    const { warnings } = created;
    const heading = created.alreadyExisted ? "Ticket already existed (not created again)" : "Created ticket";
    return {
      structured: { ticket: view, sla, alreadyExisted: created.alreadyExisted, warnings: warnings.length ? warnings : undefined },
      text: [`${heading}:`, renderTicket(view, { withText: false, sla }), ...renderWarnings(warnings)].join("\n"),
    };
  },
});
