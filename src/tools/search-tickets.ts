/**
 * autotask_search_tickets: filtered ticket search answered as text rows (labels and names beside
 * ids, the details' vocabulary), with the total count, the order and the cursor in the text. No
 * output schema: the rows cross the wire once (bench/README.md, "Which part of a tool result hosts
 * read"; CONTRIBUTING.md's response contract).
 */
import { z } from "zod";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../desk/index.js";
import { defineTool } from "./define.js";
import { renderTicketRows } from "./format/index.js";
import { dateTimeParam, idOrNameValue, picklistParam, picklistValue } from "./params.js";

const manyPicklist = z.union([picklistValue, z.array(picklistValue).min(1).max(50)]);

const inputSchema = {
  companyID: idOrNameValue.optional().describe("Id or name."),
  contactID: z.number().int().positive().optional().describe("Contact id."),
  status: manyPicklist.optional().describe('Id/label/list; "open"=not complete.'),
  priority: manyPicklist.optional().describe("Id/label/list."),
  queueID: picklistParam("Queue.").optional(),
  assignedResourceID: idOrNameValue.optional().describe("Id, name or e-mail."),
  unassigned: z.boolean().optional().describe("true: nobody."),
  searchTerm: z.string().trim().min(2).max(200).optional().describe("T… number, or words."),
  createdAfter: dateTimeParam.optional().describe("ISO 8601."),
  createdBefore: dateTimeParam.optional().describe("ISO 8601."),
  completedAfter: dateTimeParam.optional().describe("ISO 8601."),
  completedBefore: dateTimeParam.optional().describe("ISO 8601."),
  lastActivityAfter: dateTimeParam.optional().describe("ISO 8601."),
  lastActivityBefore: dateTimeParam.optional().describe("ISO 8601."),
  dueBefore: dateTimeParam.optional().describe("ISO 8601."),
  sort: z.enum(["oldest", "newest", "dueSoonest"]).optional().describe("Default oldest."),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional().describe(`≤${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}.`),
  cursor: z.string().min(1).optional().describe("From the text."),
};

export default defineTool({
  name: "autotask_search_tickets",
  title: "Search tickets",
  description: [
    "Find tickets. Picklists: ids or labels; searchTerm: all words in title or description; …After inclusive, …Before exclusive.",
    "Text rows, total, cursor for more. One ticket: autotask_get_ticket_details.",
  ].join("\n"),
  inputSchema,
  aliases: { query: "searchTerm", assigneeID: "assignedResourceID", assignee: "assignedResourceID", assignedResourceName: "assignedResourceID", company: "companyID", companyName: "companyID", limit: "pageSize" },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const page = await ctx.desk.tickets.search(args, { signal: ctx.signal });
    return {
      text: renderTicketRows(page.tickets, {
        total: page.total,
        pageNumber: page.pageNumber,
        offset: page.offset,
        sort: page.sort,
        nextCursor: page.nextCursor,
        notes: page.notes,
      }),
    };
  },
});
