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
  queueID: picklistParam("Queue.").optional(),
  assignedResourceID: z.number().int().positive().optional().describe("Resource id."),
  unassigned: z.boolean().optional().describe("true: nobody."),
  searchTerm: z
    .string()
    .trim()
    .min(2)
    .max(200)
    .optional()
    .describe("Number (prefix) or words."),
  createdAfter: dateTimeParam.optional().describe("ISO 8601."),
  createdBefore: dateTimeParam.optional().describe("ISO 8601."),
  dueBefore: dateTimeParam.optional().describe("ISO 8601."),
  pageSize: z.number().int().min(1).max(500).optional().describe("≤500, default 25."),
  cursor: z.string().min(1).optional().describe("nextCursor of the last page."),
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
    "Find tickets by company, status, priority, queue, assignee, number, words, dates; picklists take ids or labels. One ticket in full: autotask_get_ticket_details.",
    "Rows use the details' field names. If hasMore, pass nextCursor.",
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
