/**
 * autotask_search_tickets: filtered ticket search with compact rows (the same vocabulary as the
 * details: labels and names beside ids, no nulls), a small cursor, and every filter validated
 * before it is sent.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { renderTicketRows, ticketRow, ticketRowSchema } from "./format/index.js";
import { dateTimeParam, picklistParam, picklistValue } from "./params.js";

const manyPicklist = z.union([picklistValue, z.array(picklistValue).min(1).max(50)]);

const inputSchema = {
  companyID: z.number().int().min(0).optional().describe("Company id."),
  status: manyPicklist.optional().describe('Id, label or list; "open" = all but complete.'),
  priority: manyPicklist.optional().describe("Id, label or list."),
  queueID: picklistParam("Queue").optional(),
  assignedResourceID: z.number().int().positive().optional().describe("Assigned resource id."),
  unassigned: z.boolean().optional().describe("true: nobody assigned."),
  searchTerm: z
    .string()
    .trim()
    .min(2)
    .max(200)
    .optional()
    .describe("Ticket number (or prefix), or words in title/description."),
  createdAfter: dateTimeParam.optional().describe("ISO 8601, UTC unless offset."),
  createdBefore: dateTimeParam.optional().describe("ISO 8601."),
  dueBefore: dateTimeParam.optional().describe('ISO 8601; with status "open" and now: overdue tickets.'),
  pageSize: z.number().int().min(1).max(500).optional().describe("Default 25."),
  cursor: z.string().min(1).optional().describe("nextCursor of the previous page, with the same filters."),
};

const outputSchema = {
  tickets: z.array(ticketRowSchema),
  hasMore: z.boolean(),
  nextCursor: z.string().optional(),
  total: z.number().optional(),
};

export default defineTool({
  name: "autotask_search_tickets",
  title: "Search tickets",
  description: [
    "Find tickets by company, status, priority, queue, assignee, ticket number or words, creation and due dates. Picklist filters take ids or labels.",
    "Use to list or find tickets; for one ticket's text, notes and SLA use autotask_get_ticket_details. Rows: id, ticketNumber, title, status, priority, company, assignedResource, dueDateTime, sla; oldest first.",
    "If hasMore, call again with the same filters and nextCursor.",
  ].join("\n"),
  inputSchema,
  outputSchema,
  aliases: { query: "searchTerm", assigneeID: "assignedResourceID", limit: "pageSize" },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const page = await ctx.desk.tickets.search(args, { signal: ctx.signal });
    const rows = page.tickets.map(ticketRow);
    return {
      // Not compact(): an empty page must still say `tickets: []`, which the output schema requires.
      structured: {
        tickets: rows,
        hasMore: page.hasMore,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        ...(page.total !== undefined ? { total: page.total } : {}),
      },
      text: renderTicketRows(rows, { total: page.total, pageNumber: page.pageNumber }),
    };
  },
});
