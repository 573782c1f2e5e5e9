/**
 * autotask_search_tickets: filtered ticket search with compact rows (labels and names, no nulls),
 * a small cursor (keyset paging on id), and every filter validated before it is sent.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Condition } from "../autotask/query.js";
import type { Ticket } from "../autotask/schemas.js";
import { computeSla } from "../domain/sla.js";
import type { TenantMapping } from "../domain/states.js";
import { UserInputError } from "../errors.js";
import { defineTool, type ToolContext } from "./define.js";
import { dateTimeParam, picklistParam, picklistValue, toUtcIso } from "./support/params.js";
import { compact, oneLine, quoted, shortDateTime } from "./support/render.js";

const manyPicklist = z.union([picklistValue, z.array(picklistValue).min(1).max(50)]);

const inputSchema = {
  companyId: z.number().int().min(0).optional().describe("Company id."),
  status: manyPicklist.optional().describe('Id, label or list; "open" = all but complete.'),
  priority: manyPicklist.optional().describe("Id, label or list."),
  queueId: picklistParam("Queue").optional(),
  assignedResourceId: z.number().int().positive().optional().describe("Assigned resource id."),
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

const rowSchema = z.object({
  id: z.number(),
  number: z.string().optional(),
  title: z.string().optional(),
  status: z.string().optional(),
  priority: z.string().optional(),
  company: z.string().optional(),
  assignee: z.string().optional(),
  due: z.string().optional(),
  sla: z.string().optional(),
});

const outputSchema = {
  tickets: z.array(rowSchema),
  hasMore: z.boolean(),
  nextCursor: z.string().optional(),
  total: z.number().optional(),
};

type SearchArgs = z.output<z.ZodObject<typeof inputSchema>>;
type FilterArgs = Omit<SearchArgs, "cursor" | "pageSize">;

/** Fields a row needs: identity, labels, names, and what the SLA state is computed from. */
const ROW_FIELDS = [
  "id",
  "ticketNumber",
  "title",
  "status",
  "priority",
  "companyID",
  "assignedResourceID",
  "createDate",
  "dueDateTime",
  "lastActivityDate",
  "completedDate",
  "firstResponseDateTime",
  "firstResponseDueDateTime",
  "resolvedDateTime",
  "resolvedDueDateTime",
];

const TICKET_NUMBER = /^T\d{4,}(\.\d*)?$/i;

export default defineTool({
  name: "autotask_search_tickets",
  title: "Search tickets",
  description: [
    "Find tickets by company, status, priority, queue, assignee, ticket number or words, creation and due dates. Picklist filters take ids or labels.",
    "Use to list or find tickets; for one ticket's text, notes and SLA use autotask_get_ticket_details. Rows: id, number, title, status, priority, company, assignee, due, SLA state; oldest first.",
    "If hasMore, call again with the same filters and nextCursor.",
  ].join("\n"),
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const { cursor, pageSize, ...filterArgs } = args;
    const options = { signal: ctx.signal };
    const filters = fingerprint(filterArgs);
    const position = cursor !== undefined ? decodeCursor(cursor, filters) : { after: undefined, page: 1, shown: 0, size: undefined };
    const size = pageSize ?? position.size ?? 25;

    const mapping = await ctx.tenant.mapping(options);
    const filter = await buildFilter(filterArgs, ctx, mapping);
    // Keyset paging on id (Autotask returns records ordered by id): the cursor stays small and
    // survives a server restart, unlike a saved nextPageUrl.
    if (position.after !== undefined) filter.push({ op: "gt", field: "id", value: position.after });
    // One row more than the page tells whether another page exists, without a count request.
    const probe = size < 500;
    const page = await ctx.api.queryTicketsPage(
      { filter, includeFields: ROW_FIELDS, maxRecords: probe ? size + 1 : size },
      undefined,
      options,
    );
    const hasMore = probe ? page.items.length > size : Boolean(page.pageDetails.nextPageUrl);
    const tickets = page.items.slice(0, size);

    const [statusList, priorityList, names] = await Promise.all([
      ctx.tenant.ticketPicklist("status", options),
      ctx.tenant.ticketPicklist("priority", options),
      ctx.names.resolve(
        { companies: tickets.map((t) => t.companyID), resources: tickets.map((t) => t.assignedResourceID) },
        options,
      ),
    ]);
    const now = ctx.now();
    const rows = tickets.map((ticket) =>
      compact({
        id: ticket.id,
        number: ticket.ticketNumber ?? undefined,
        title: oneLine(ticket.title, 120),
        status: statusList.labelOf(ticket.status),
        priority: priorityList.labelOf(ticket.priority),
        company: names.company(ticket.companyID) ?? (ticket.companyID != null ? `#${ticket.companyID}` : undefined),
        assignee: names.resource(ticket.assignedResourceID) ?? (ticket.assignedResourceID != null ? `#${ticket.assignedResourceID}` : undefined),
        due: shortDateTime(ticket.dueDateTime),
        sla: slaState(ticket, now, mapping, ctx),
      }),
    );

    const last = tickets.at(-1);
    const nextCursor =
      hasMore && last
        ? encodeCursor({ after: last.id, page: position.page + 1, shown: position.shown + rows.length, size, filters })
        : undefined;
    const total = hasMore ? undefined : position.shown + rows.length;

    return {
      // Not compact(): an empty page must still say `tickets: []`, which the output schema requires.
      structured: { tickets: rows, hasMore, ...(nextCursor ? { nextCursor } : {}), ...(total !== undefined ? { total } : {}) },
      text: renderRows(rows, { total, pageNumber: position.page }),
    };
  },
});

async function buildFilter(args: FilterArgs, ctx: ToolContext, mapping: TenantMapping): Promise<Condition[]> {
  const options = { signal: ctx.signal };
  const filter: Condition[] = [];
  if (args.companyId !== undefined) filter.push({ op: "eq", field: "companyID", value: args.companyId });

  if (args.status !== undefined) {
    const inputs = Array.isArray(args.status) ? args.status : [args.status];
    if (inputs.some((input) => typeof input === "string" && input.trim().toLowerCase() === "open")) {
      if (inputs.length > 1) throw new UserInputError('status "open" already means every status except complete; send it alone.', "status");
      const complete = mapping.statusIdsFor("COMPLETE");
      if (complete.length === 0) throw new UserInputError('This tenant has no status mapped to complete, so "open" cannot be worked out; list the statuses instead.', "status");
      filter.push({ op: "notIn", field: "status", value: complete });
    } else {
      const ids = await Promise.all(inputs.map(async (input) => (await ctx.tenant.resolveTicketValue("status", input, options)).value));
      filter.push(ids.length === 1 ? { op: "eq", field: "status", value: ids[0] as number } : { op: "in", field: "status", value: ids });
    }
  }
  if (args.priority !== undefined) {
    const inputs = Array.isArray(args.priority) ? args.priority : [args.priority];
    const ids = await Promise.all(inputs.map(async (input) => (await ctx.tenant.resolveTicketValue("priority", input, options)).value));
    filter.push(ids.length === 1 ? { op: "eq", field: "priority", value: ids[0] as number } : { op: "in", field: "priority", value: ids });
  }
  if (args.queueId !== undefined) {
    filter.push({ op: "eq", field: "queueID", value: (await ctx.tenant.resolveTicketValue("queueID", args.queueId, options)).value });
  }
  if (args.assignedResourceId !== undefined && args.unassigned) {
    throw new UserInputError("assignedResourceId and unassigned: true contradict each other; send one.", "unassigned");
  }
  if (args.assignedResourceId !== undefined) filter.push({ op: "eq", field: "assignedResourceID", value: args.assignedResourceId });
  if (args.unassigned === true) filter.push({ op: "notExist", field: "assignedResourceID" });
  if (args.unassigned === false) filter.push({ op: "exist", field: "assignedResourceID" });

  if (args.searchTerm !== undefined) {
    const term = args.searchTerm;
    if (TICKET_NUMBER.test(term)) {
      filter.push({ op: "beginsWith", field: "ticketNumber", value: term.toUpperCase() });
    } else {
      filter.push({
        op: "or",
        items: [
          { op: "contains", field: "title", value: term },
          { op: "contains", field: "description", value: term },
        ],
      });
    }
  }
  if (args.createdAfter !== undefined) filter.push({ op: "gte", field: "createDate", value: toUtcIso(args.createdAfter) });
  if (args.createdBefore !== undefined) filter.push({ op: "lt", field: "createDate", value: toUtcIso(args.createdBefore) });
  if (args.dueBefore !== undefined) filter.push({ op: "lt", field: "dueDateTime", value: toUtcIso(args.dueBefore) });
  if (filter.length === 0) filter.push({ op: "exist", field: "id" });
  return filter;
}

function slaState(ticket: Ticket, now: Date, mapping: TenantMapping, ctx: ToolContext): string | undefined {
  const sla = computeSla(ticket, now, { mapping, calendar: ctx.settings.calendar });
  const state = sla.resolution.state;
  return state === "not_applicable" ? undefined : state;
}

interface CursorState {
  /** Last ticket id shown; the next page starts after it. */
  after: number;
  page: number;
  /** Rows shown on earlier pages, for the total on the last page. */
  shown: number;
  size: number;
  /** Hash of the filter arguments, to catch a cursor sent with other filters. */
  filters: string;
}

function fingerprint(args: FilterArgs): string {
  const entries = Object.entries(compact(args)).sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256").update(JSON.stringify(entries)).digest("base64url").slice(0, 10);
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify([state.after, state.page, state.shown, state.size, state.filters]), "utf8").toString("base64url");
}

function decodeCursor(cursor: string, filters: string): CursorState {
  let state: CursorState;
  try {
    const [after, page, shown, size, hash] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (![after, page, shown, size].every((n) => Number.isSafeInteger(n)) || typeof hash !== "string") throw new Error("shape");
    state = { after, page, shown, size, filters: hash } as CursorState;
  } catch {
    throw new UserInputError("cursor is not one this server issued; use nextCursor from the previous page exactly as returned.", "cursor");
  }
  if (state.filters !== filters) {
    throw new UserInputError("This cursor belongs to a search with other filters: send nextCursor with the same filters as the first page.", "cursor");
  }
  return state;
}

function renderRows(
  rows: Array<z.infer<typeof rowSchema>>,
  meta: { total?: number; pageNumber: number },
): string {
  if (rows.length === 0) return meta.pageNumber > 1 ? "No more tickets." : "No tickets match these filters.";
  const heading =
    meta.total !== undefined
      ? `${meta.total} ticket${meta.total === 1 ? "" : "s"} found${meta.pageNumber > 1 ? ` (page ${meta.pageNumber})` : ""}.`
      : `Page ${meta.pageNumber}: ${rows.length} tickets; more match (call again with the same filters and nextCursor).`;
  const lines = rows.map((row) =>
    [
      `${row.id} ${row.number ?? ""}`.trim(),
      row.status,
      row.priority,
      row.company,
      row.assignee ?? "unassigned",
      row.due ? `due ${row.due}` : undefined,
      row.sla,
      quoted(row.title ?? ""),
    ]
      .filter(Boolean)
      .join(" | "),
  );
  return [heading, ...lines].join("\n");
}
