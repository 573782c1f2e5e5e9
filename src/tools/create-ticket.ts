/**
 * autotask_create_ticket: opens a ticket with the tenant's picklist values, an SLA-based due date
 * when none is given, and protection against creating the same ticket twice.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { renderTicket, renderWarnings, slaView, slaViewSchema, ticketView, ticketViewSchema } from "./format/index.js";
import { assignmentParams, dateTimeParam, picklistParam, userDefinedFieldsParam } from "./params.js";

const inputSchema = {
  companyID: z.number().int().min(0).describe("From autotask_search_companies."),
  title: z.string().trim().min(1).max(255).describe("Summary."),
  description: z.string().max(8000).optional().describe("Details."),
  status: picklistParam("Default: New.").optional(),
  priority: picklistParam("Or critical/high/medium/low.").optional(),
  queueID: picklistParam("Queue.").optional(),
  contactID: z.number().int().positive().optional().describe("Contact id."),
  issueType: picklistParam("Issue type.").optional(),
  subIssueType: picklistParam("Of issueType.").optional(),
  ticketType: picklistParam("E.g. Incident.").optional(),
  ticketCategory: picklistParam("Category.").optional(),
  source: picklistParam("E.g. Email.").optional(),
  dueDateTime: dateTimeParam.optional().describe("ISO 8601. Default: SLA target."),
  ...assignmentParams,
  contractID: z.number().int().positive().optional().describe("Contract id."),
  estimatedHours: z.number().min(0).optional().describe("Hours."),
  userDefinedFields: userDefinedFieldsParam.optional(),
  idempotencyKey: z.string().trim().min(1).max(200).optional().describe("Same key, same ticket."),
};

const outputSchema = {
  ticket: ticketViewSchema,
  sla: slaViewSchema,
  alreadyExisted: z.boolean(),
  dueDateRule: z.string().optional(),
  warnings: z.array(z.string()).optional(),
};

export default defineTool({
  name: "autotask_create_ticket",
  title: "Create ticket",
  description: [
    "Open a ticket for a new problem or request; not for changes (autotask_update_ticket) or notes (autotask_create_ticket_note).",
    "Picklists: id or label. Repeat in 10 min = same ticket (new idempotencyKey: new).",
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
      structured: { ticket: view, sla, alreadyExisted: created.alreadyExisted, dueDateRule: created.dueDateRule, warnings: warnings.length ? warnings : undefined },
      text: [
        `${heading}:`,
        renderTicket(view, { withText: false, sla }),
        ...(created.dueDateRule ? [`Due date set by the server: ${created.dueDateRule}.`] : []),
        ...renderWarnings(warnings),
      ].join("\n"),
    };
  },
});
