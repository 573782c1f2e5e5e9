/**
 * The ticket service: search, describe, create and update tickets in the service desk's terms.
 *
 * Inputs are semantic (picklists as the tenant's id, label or a semantic name, dates as ISO 8601);
 * results are typed records (`DescribedTicket`: the ticket as Autotask holds it, its labels, the
 * names behind its ids and its SLA status). Rendering them is the formatting module's job. Every
 * picklist value goes through `TenantService.resolveTicketValue`, the one resolver.
 */
import { createHash } from "node:crypto";
import type { AutotaskApi, RequestOptions } from "../autotask/api.js";
import { AutotaskNetworkError } from "../autotask/errors.js";
import type { Condition } from "../autotask/query.js";
import type { PicklistValue, Ticket, TicketCreate, TicketField, TicketPatch } from "../autotask/schemas.js";
import { checkEscalation, type EscalationResult } from "../domain/escalation.js";
import { computeSla, resolutionDueDate, resolutionSlaState, type SlaState, type SlaStatus } from "../domain/sla.js";
import type { TenantMapping } from "../domain/states.js";
import { allowedNextStatuses, validateStatusTransition } from "../domain/workflow.js";
import { UserInputError } from "../errors.js";
import { searchBoundToUtc, toUtcIso } from "./dates.js";
import type { Directory } from "./directory.js";
import { WriteLedger } from "./ledger.js";
import { requireTicket, type TicketRef } from "./lookup.js";
import type { NoteEntry, NoteService } from "./notes.js";
import type { DeskSettings } from "./settings.js";
import type { TenantService, TicketLabels } from "./tenant.js";
import { resolveUserDefinedFields, type UdfValue } from "./udf.js";

/** A picklist argument: the tenant's numeric id, its label, or (status, priority) a semantic name. */
export type PicklistInput = string | number;

/** Display names for the ids on a ticket; absent when the id is unset or unknown. */
export interface TicketNames {
  company?: string;
  contact?: string;
  assignedResource?: string;
}

/** A ticket with everything needed to show it: labels, names and its SLA status at `now`. */
export interface DescribedTicket {
  ticket: Ticket;
  labels: TicketLabels;
  names: TicketNames;
  sla: SlaStatus;
}

/**
 * A search row's data: only what a row shows (status and priority labels, company and assignee
 * names, the resolution SLA state), so that a row costs what it renders (bench "row cost").
 */
export interface TicketSearchRow {
  ticket: Ticket;
  labels: Pick<TicketLabels, "status" | "priority">;
  names: Pick<TicketNames, "company" | "assignedResource">;
  /** `computeSla(…).resolution.state`, computed alone. */
  slaState: SlaState;
}

export interface TicketDetails extends DescribedTicket {
  escalation: EscalationResult;
  /** The statuses the workflow allows next, as the tenant's ids and labels. */
  allowedNextStatuses: Array<{ id: number; label: string }>;
  /** Latest notes, newest first. */
  notes: NoteEntry[];
  notesTotal: number;
  notesRequested: number;
}

/** Result order. Autotask returns query results by ascending id and has no sort parameter (reference §2). */
export type TicketSearchSort = "oldest" | "newest" | "dueSoonest";

export interface TicketSearchQuery {
  companyID?: number;
  /** A company by (part of) its name; must name one active company. Not with `companyID`. */
  companyName?: string;
  /** Tickets raised by this contact. */
  contactID?: number;
  /** One value or a list; `open` (alone) = every status not mapped to complete. */
  status?: PicklistInput | PicklistInput[];
  priority?: PicklistInput | PicklistInput[];
  queueID?: PicklistInput;
  assignedResourceID?: number;
  /** A technician by name or e-mail (the person rule); must name one active resource. Not with `assignedResourceID`. */
  assignedResourceName?: string;
  /** true: nobody assigned; false: somebody assigned. */
  unassigned?: boolean;
  /** A ticket number (or prefix, `T2026…`), or words that must each appear in the title or the description. */
  searchTerm?: string;
  /** Bounds: ISO 8601 date or date-time, parsed by `searchBoundToUtc`. `…After` is inclusive, `…Before` exclusive. */
  createdAfter?: string;
  createdBefore?: string;
  dueBefore?: string;
  completedAfter?: string;
  completedBefore?: string;
  lastActivityAfter?: string;
  lastActivityBefore?: string;
  /** Default `oldest` (Autotask's own order, the queue's working order, and the cheapest). */
  sort?: TicketSearchSort;
  /** 1..MAX_PAGE_SIZE (100), default 25. */
  pageSize?: number;
  /** `nextCursor` of the previous page, sent with the same filters. */
  cursor?: string;
}

/** Default rows per page. */
export const DEFAULT_PAGE_SIZE = 25;
/**
 * Most rows one search call returns. A row costs a model about 40 tokens (≈160 B of text, bench
 * `search`), so 100 rows are ≈4,000 tokens; 500 (Autotask's page) would be ≈20,000, a large share of a
 * context window for one call. Beyond 100 rows a question is a report, not a list.
 */
export const MAX_PAGE_SIZE = 100;
/** `newest` and `dueSoonest` order every match on the server: at most this many (10 id-only pages). */
export const SORT_SCAN_LIMIT = 5_000;

export interface TicketSearchPage {
  tickets: TicketSearchRow[];
  hasMore: boolean;
  nextCursor?: string;
  /** Tickets matching the filters over all pages (Autotask's `query/count` on the first page). */
  total: number;
  pageNumber: number;
  /** Rows shown on earlier pages. */
  offset: number;
  sort: TicketSearchSort;
  /** What was resolved for the caller (a company or technician named), and ids that do not exist. */
  notes: string[];
}

export interface TicketCreateRequest {
  companyID: number;
  title: string;
  description?: string;
  status?: PicklistInput;
  priority?: PicklistInput;
  queueID?: PicklistInput;
  contactID?: number;
  issueType?: PicklistInput;
  subIssueType?: PicklistInput;
  ticketType?: PicklistInput;
  ticketCategory?: PicklistInput;
  source?: PicklistInput;
  /** ISO 8601; default: the priority's SLA resolution target (business hours). */
  dueDateTime?: string;
  assignedResourceID?: number;
  assignedResourceRoleID?: number;
  contractID?: number;
  estimatedHours?: number;
  userDefinedFields?: Record<string, UdfValue>;
  /** Same key = same ticket within the duplicate window; without one, identical arguments are the key. */
  idempotencyKey?: string;
}

export interface TicketCreated {
  ticket: DescribedTicket;
  alreadyExisted: boolean;
  warnings: string[];
}

export interface TicketUpdateRequest {
  /** Id or ticket number. */
  ticketID: TicketRef;
  status?: PicklistInput;
  priority?: PicklistInput;
  queueID?: PicklistInput;
  title?: string;
  description?: string;
  dueDateTime?: string;
  contactID?: number;
  assignedResourceID?: number;
  assignedResourceRoleID?: number;
  issueType?: PicklistInput;
  subIssueType?: PicklistInput;
  resolution?: string;
  /** Required to escalate; saved as an internal note (Autotask has no such field). */
  escalationReason?: string;
  userDefinedFields?: Record<string, UdfValue>;
  /** Allow a status change the workflow forbids. */
  force?: boolean;
}

export interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
}

export interface TicketUpdated {
  ticket: DescribedTicket;
  /** Fields sent in the PATCH (empty: everything already had the given values). */
  changed: string[];
  /** Fields Autotask's own workflow rules changed after the PATCH. */
  changedByAutotask: FieldChange[];
  escalationNoteId?: number;
  warnings: string[];
}

/** Fields a search row needs: identity, labels, names, and what the SLA state is computed from. */
export const SEARCH_ROW_FIELDS: TicketField[] = [
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

/** A ticket number or a prefix of one (`T2026`, `T20261130.`, `T20261130.0001`). */
const TICKET_NUMBER_PREFIX = /^T\d{4,}(\.\d*)?$/i;
/** Words sent per search term; Autotask allows 500 `or` conditions per query, 2 per word are used. */
const MAX_SEARCH_WORDS = 10;

/**
 * `searchTerm` as filter conditions: a ticket number (prefix) by `beginsWith`; otherwise EACH word
 * must appear in the title or the description, in any order ("printer offline" finds "Printer on the
 * third floor offline"). Autotask's `contains` matches one field and one string (reference §3), so a
 * word is an `or` over the two fields, and the words are top-level conditions, which Autotask ANDs.
 */
export function searchTermFilter(term: string): Condition<TicketField>[] {
  const text = term.trim();
  if (TICKET_NUMBER_PREFIX.test(text)) return [{ op: "beginsWith", field: "ticketNumber", value: text.toUpperCase() }];
  const words = [...new Set(text.split(/\s+/).filter((word) => word.length > 0))];
  if (words.length > MAX_SEARCH_WORDS) {
    throw new UserInputError(`searchTerm has ${words.length} words; at most ${MAX_SEARCH_WORDS} are matched. Keep the distinctive ones.`, "searchTerm");
  }
  return words.map((word) => ({
    op: "or" as const,
    items: [
      { op: "contains" as const, field: "title" as const, value: word },
      { op: "contains" as const, field: "description" as const, value: word },
    ],
  }));
}

export class TicketService {
  constructor(
    private readonly api: AutotaskApi,
    private readonly tenant: TenantService,
    private readonly directory: Directory,
    private readonly notes: NoteService,
    private readonly ledger: WriteLedger,
    private readonly settings: DeskSettings,
    private readonly clock: () => Date,
  ) {}

  /**
   * One ticket by id or ticket number (`TicketRef`: `12345`, `"12345"`, `"T20261130.0001"`); every
   * tool that takes a ticket comes through here or `requireTicket`.
   * @throws UserInputError when the ref is malformed or the ticket does not exist.
   */
  get(ticketRef: TicketRef, options?: RequestOptions): Promise<Ticket> {
    return requireTicket(this.api, ticketRef, options);
  }

  /** Labels, names and SLA for tickets: one metadata load (cached), one batch of name look-ups for all of them. */
  async describe(tickets: Ticket[], options?: RequestOptions): Promise<DescribedTicket[]> {
    const [mapping, names, labels] = await Promise.all([
      this.tenant.mapping(options),
      this.directory.names(
        {
          companies: tickets.map((t) => t.companyID),
          contacts: tickets.map((t) => t.contactID),
          resources: tickets.map((t) => t.assignedResourceID),
        },
        options,
      ),
      Promise.all(tickets.map((t) => this.tenant.ticketLabels(t, options))),
    ]);
    const now = this.clock();
    return tickets.map((ticket, index) => ({
      ticket,
      labels: labels[index] ?? {},
      names: {
        company: names.company(ticket.companyID),
        contact: names.contact(ticket.contactID),
        assignedResource: names.resource(ticket.assignedResourceID),
      },
      sla: this.#sla(ticket, now, mapping),
    }));
  }

  /**
   * Search rows: the two picklists and the names a row shows, loaded once for all rows (cached), and
   * each row's resolution SLA state. No other labels, no contact names, no SLA text.
   */
  async describeRows(tickets: Ticket[], options?: RequestOptions): Promise<TicketSearchRow[]> {
    const [mapping, names, statuses, priorities] = await Promise.all([
      this.tenant.mapping(options),
      this.directory.names(
        { companies: tickets.map((t) => t.companyID), resources: tickets.map((t) => t.assignedResourceID) },
        options,
      ),
      this.tenant.ticketPicklist("status", options),
      this.tenant.ticketPicklist("priority", options),
    ]);
    const now = this.clock();
    const slaOptions = { mapping, calendar: this.settings.calendar };
    const label = (list: typeof statuses, id: number | null | undefined) =>
      typeof id === "number" ? (list.labelOf(id) ?? `#${id}`) : undefined;
    return tickets.map((ticket) => ({
      ticket,
      labels: { status: label(statuses, ticket.status), priority: label(priorities, ticket.priority) },
      names: { company: names.company(ticket.companyID), assignedResource: names.resource(ticket.assignedResourceID) },
      slaState: resolutionSlaState(ticket, now, slaOptions),
    }));
  }

  async describeOne(ticket: Ticket, options?: RequestOptions): Promise<DescribedTicket> {
    const [described] = await this.describe([ticket], options);
    return described as DescribedTicket;
  }

  /** One ticket in full: described, escalation check, allowed next statuses and the latest `notesCount` notes (default from settings). */
  async details(ticketRef: TicketRef, notesCount: number | undefined, options?: RequestOptions): Promise<TicketDetails> {
    const count = notesCount ?? this.settings.defaultNotesInDetails;
    const ticket = await this.get(ticketRef, options);
    const [described, notes, mapping] = await Promise.all([
      this.describeOne(ticket, options),
      this.notes.latest(ticket.id, count, options),
      this.tenant.mapping(options),
    ]);
    const escalation = checkEscalation(ticket, this.clock(), { mapping, calendar: this.settings.calendar });
    const next = allowedNextStatuses(mapping.statusOf(ticket.status)).flatMap((semantic) => {
      const id = mapping.primaryStatusId(semantic);
      const label = mapping.statusLabel(id);
      return id !== undefined && label ? [{ id, label }] : [];
    });
    return { ...described, escalation, allowedNextStatuses: next, notes: notes.notes, notesTotal: notes.total, notesRequested: count };
  }

  /**
   * One page of tickets matching the query, with the total count on the first page.
   *
   * Order: `oldest` (default) is Autotask's own (ascending id), paged by keyset (`id > last shown`),
   * so a page costs one request (plus `query/count` on the first). `newest` and `dueSoonest`
   * (earliest `dueDateTime` first, tickets without one last) need an order Autotask cannot give: the
   * ids and due dates of every match are read (id-only pages of 500, at most `SORT_SCAN_LIMIT`),
   * ordered here, and the page's rows fetched with one `id in […]`; their cursor holds an offset.
   * Every filter is resolved and validated before anything is sent.
   * @throws UserInputError for unknown picklist values, names that match no or several records,
   *   contradictory filters, a sorted search over more than SORT_SCAN_LIMIT tickets, or a foreign cursor.
   */
  async search(query: TicketSearchQuery, options?: RequestOptions): Promise<TicketSearchPage> {
    const { cursor, pageSize, ...filterArgs } = query;
    const sort = filterArgs.sort ?? "oldest";
    const filters = fingerprint(filterArgs);
    const position = cursor !== undefined ? decodeCursor(cursor, filters) : undefined;
    const size = Math.min(pageSize ?? position?.size ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const page = position?.page ?? 1;
    const shown = position?.shown ?? 0;

    const notes: string[] = [];
    const filter = await this.#filter(filterArgs, notes, options);
    let rows: Ticket[];
    let total: number;
    let hasMore: boolean;
    let after: number | undefined;
    if (sort === "oldest") {
      const pageFilter = position ? [...filter, { op: "gt" as const, field: "id" as const, value: position.after }] : filter;
      // One row more than the page tells whether another page exists; the count comes with the first page only.
      const [found, counted] = await Promise.all([
        this.api.queryTicketsPage({ filter: pageFilter, includeFields: SEARCH_ROW_FIELDS, maxRecords: size + 1 }, undefined, options),
        position ? Promise.resolve(position.total) : this.api.countTickets({ filter }, options),
      ]);
      rows = found.items.slice(0, size);
      hasMore = found.items.length > size;
      total = counted;
      after = rows.at(-1)?.id;
    } else {
      const ordered = await this.#sortedIds(filter, sort, options);
      total = ordered.length;
      const ids = ordered.slice(shown, shown + size);
      hasMore = shown + ids.length < ordered.length;
      rows = ids.length === 0 ? [] : await this.#rowsById(ids, options);
      after = 0;
    }
    const tickets = await this.describeRows(rows, options);
    if (tickets.length === 0 && page === 1) notes.push(...(await this.#unknownIds(filterArgs, options)));
    const nextCursor =
      hasMore && after !== undefined
        ? encodeCursor({ after, page: page + 1, shown: shown + tickets.length, size, filters, total })
        : undefined;
    return { tickets, hasMore, ...(nextCursor ? { nextCursor } : {}), total, pageNumber: page, offset: shown, sort, notes };
  }

  /** Ids of every match in `sort` order, from id-only pages. */
  async #sortedIds(filter: Condition<TicketField>[], sort: Exclude<TicketSearchSort, "oldest">, options?: RequestOptions): Promise<number[]> {
    const keys: Array<{ id: number; due: number }> = [];
    for await (const items of this.api.queryTickets(
      { filter, includeFields: sort === "dueSoonest" ? ["id", "dueDateTime"] : ["id"], maxRecords: 500 },
      { ...options, maxTotal: SORT_SCAN_LIMIT + 1 },
    )) {
      for (const item of items) {
        const due = item.dueDateTime ? Date.parse(item.dueDateTime) : Number.NaN;
        keys.push({ id: item.id, due: Number.isNaN(due) ? Number.POSITIVE_INFINITY : due });
      }
    }
    if (keys.length > SORT_SCAN_LIMIT) {
      throw new UserInputError(
        `sort "${sort}" orders every matching ticket, and more than ${SORT_SCAN_LIMIT.toLocaleString("en-US")} match: narrow the filters (e.g. status "open", createdAfter, companyID) or leave sort out (oldest first).`,
        "sort",
      );
    }
    if (sort === "newest") keys.sort((a, b) => b.id - a.id);
    else keys.sort((a, b) => a.due - b.due || a.id - b.id);
    return keys.map((key) => key.id);
  }

  /** The rows with these ids, in the given order (one `in` query; ids are at most MAX_PAGE_SIZE). */
  async #rowsById(ids: number[], options?: RequestOptions): Promise<Ticket[]> {
    const found = await this.api.queryTicketsPage(
      { filter: [{ op: "in", field: "id", value: ids }], includeFields: SEARCH_ROW_FIELDS, maxRecords: Math.min(500, ids.length) },
      undefined,
      options,
    );
    const byId = new Map(found.items.map((ticket) => [ticket.id, ticket]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** For an empty first page: says which of the given ids do not exist, so "no tickets" is not mistaken for an answer. */
  async #unknownIds(args: Omit<TicketSearchQuery, "cursor" | "pageSize">, options?: RequestOptions): Promise<string[]> {
    const checks: Array<[string, "companies" | "contacts" | "resources", number | undefined]> = [
      ["Company", "companies", args.companyID],
      ["Contact", "contacts", args.contactID],
      ["Resource", "resources", args.assignedResourceID],
    ];
    const results = await Promise.all(
      checks.map(async ([what, kind, id]) =>
        id !== undefined && !(await this.directory.exists(kind, id, options)) ? `${what} ${id} does not exist in Autotask.` : undefined,
      ),
    );
    return results.filter((text): text is string => text !== undefined);
  }

  async #filter(args: Omit<TicketSearchQuery, "cursor" | "pageSize">, notes: string[], options?: RequestOptions): Promise<Condition<TicketField>[]> {
    const filter: Condition<TicketField>[] = [];
    if (args.companyID !== undefined && args.companyName !== undefined) {
      throw new UserInputError("companyID and companyName both name a company; send one.", "companyName");
    }
    if (args.assignedResourceID !== undefined && args.assignedResourceName !== undefined) {
      throw new UserInputError("assignedResourceID and assignedResourceName both name a technician; send one.", "assignedResourceName");
    }
    if ((args.assignedResourceID !== undefined || args.assignedResourceName !== undefined) && args.unassigned) {
      throw new UserInputError("An assignee and unassigned: true contradict each other; send one.", "unassigned");
    }
    const [company, assignee] = await Promise.all([
      args.companyName !== undefined ? this.directory.resolveCompanyName(args.companyName, "companyName", options) : undefined,
      args.assignedResourceName !== undefined
        ? this.directory.resolveResourceName(args.assignedResourceName, "assignedResourceName", options)
        : undefined,
    ]);
    if (company) notes.push(`companyName "${args.companyName}" is ${company.name ?? "company"} (${company.id}).`);
    if (assignee) notes.push(`assignedResourceName "${args.assignedResourceName}" is ${assignee.name ?? "resource"} (${assignee.id}).`);
    const companyID = args.companyID ?? company?.id;
    const assignedResourceID = args.assignedResourceID ?? assignee?.id;

    if (companyID !== undefined) filter.push({ op: "eq", field: "companyID", value: companyID });
    if (args.contactID !== undefined) filter.push({ op: "eq", field: "contactID", value: args.contactID });
    if (args.status !== undefined) {
      const { exclude, ids } = await this.tenant.resolveStatusFilter(Array.isArray(args.status) ? args.status : [args.status], options);
      if (exclude) filter.push({ op: "notIn", field: "status", value: ids });
      else filter.push(ids.length === 1 ? { op: "eq", field: "status", value: ids[0] as number } : { op: "in", field: "status", value: ids });
    }
    if (args.priority !== undefined) {
      const inputs = Array.isArray(args.priority) ? args.priority : [args.priority];
      const ids = await Promise.all(inputs.map(async (input) => (await this.tenant.resolveTicketValue("priority", input, options)).value));
      filter.push(ids.length === 1 ? { op: "eq", field: "priority", value: ids[0] as number } : { op: "in", field: "priority", value: ids });
    }
    if (args.queueID !== undefined) {
      filter.push({ op: "eq", field: "queueID", value: (await this.tenant.resolveTicketValue("queueID", args.queueID, options)).value });
    }
    if (assignedResourceID !== undefined) filter.push({ op: "eq", field: "assignedResourceID", value: assignedResourceID });
    if (args.unassigned === true) filter.push({ op: "notExist", field: "assignedResourceID" });
    if (args.unassigned === false) filter.push({ op: "exist", field: "assignedResourceID" });
    if (args.searchTerm !== undefined) filter.push(...searchTermFilter(args.searchTerm));
    const ranges: Array<[TicketField, string | undefined, string | undefined, string, string]> = [
      ["createDate", args.createdAfter, args.createdBefore, "createdAfter", "createdBefore"],
      ["completedDate", args.completedAfter, args.completedBefore, "completedAfter", "completedBefore"],
      ["lastActivityDate", args.lastActivityAfter, args.lastActivityBefore, "lastActivityAfter", "lastActivityBefore"],
      ["dueDateTime", undefined, args.dueBefore, "", "dueBefore"],
    ];
    for (const [field, from, to, fromName, toName] of ranges) {
      const lower = from !== undefined ? searchBoundToUtc(from) : undefined;
      const upper = to !== undefined ? searchBoundToUtc(to) : undefined;
      if (lower !== undefined && upper !== undefined && Date.parse(lower) >= Date.parse(upper)) {
        throw new UserInputError(`${fromName} (${from}) must be before ${toName} (${to}); as given, no ticket could match.`, fromName);
      }
      if (lower !== undefined) filter.push({ op: "gte", field, value: lower });
      if (upper !== undefined) filter.push({ op: "lt", field, value: upper });
    }
    if (filter.length === 0) filter.push({ op: "exist", field: "id" });
    return filter;
  }

  /**
   * Opens a ticket: picklists resolved, status and priority defaulted, the role completed for an
   * assignee, and a due date from the priority's SLA target when none is given. An identical call
   * (or the same idempotency key) within the duplicate window returns the first ticket. If
   * Autotask says a picklist value no longer exists, the picklists are reloaded and the create
   * runs once more.
   */
  async create(request: TicketCreateRequest, options?: RequestOptions): Promise<TicketCreated> {
    const warnings: string[] = [];
    const { idempotencyKey, ...fields } = request;
    const key = WriteLedger.keyOf("create_ticket", fields, idempotencyKey);
    const startedAt = this.clock();
    const outcome = await this.ledger.run(key, () =>
      this.tenant.withFreshPicklists(async () => {
        warnings.length = 0; // a second attempt re-resolves everything, and re-warns
        const body = await this.#createBody(request, warnings, options);
        return this.#createOrRecover(body, startedAt, warnings, options);
      }),
    );
    const created = await this.api.getTicket(outcome.id, options);
    if (!created) {
      throw new UserInputError(`Autotask created ticket ${outcome.id} but it cannot be read back; check the API user's ticket view permission.`);
    }
    const ticket = await this.describeOne(created, options);
    if (outcome.replayed) {
      warnings.push(`An identical create call was already made, so no second ticket was created: this is ticket ${created.ticketNumber ?? created.id}.`);
    }
    return { ticket, alreadyExisted: outcome.replayed, warnings };
  }

  async #createBody(request: TicketCreateRequest, warnings: string[], options?: RequestOptions): Promise<TicketCreate> {
    const status = request.status !== undefined ? await this.tenant.resolveTicketValue("status", request.status, options) : await this.tenant.defaultStatus(options);
    let priority: PicklistValue;
    if (request.priority !== undefined) {
      priority = await this.tenant.resolveTicketValue("priority", request.priority, options);
    } else {
      const chosen = await this.tenant.defaultPriority(options);
      priority = chosen.value;
      if (chosen.fallback) warnings.push(`This tenant has no default priority, so ${priority.label} was used; pass priority to choose another.`);
    }
    const body: TicketCreate = { companyID: request.companyID, title: request.title, status: status.value, priority: priority.value };
    if (request.description !== undefined) body.description = request.description;
    for (const field of ["queueID", "issueType", "subIssueType", "ticketType", "ticketCategory", "source"] as const) {
      const input = request[field];
      if (input !== undefined) body[field] = (await this.tenant.resolveTicketValue(field, input, options)).value;
    }
    if (body.subIssueType !== undefined) {
      const subIssues = await this.tenant.ticketPicklist("subIssueType", options);
      const parent = subIssues.values.find((v) => v.value === body.subIssueType)?.parentValue;
      if (body.issueType === undefined && parent !== undefined && parent !== null && `${parent}` !== "") {
        body.issueType = Number(parent);
      } else if (parent !== undefined && parent !== null && `${parent}` !== "" && Number(parent) !== body.issueType) {
        throw new UserInputError("subIssueType does not belong to the given issueType; pick a sub-issue type of that issue type.", "subIssueType");
      }
    }
    if (request.contactID !== undefined) body.contactID = request.contactID;
    if (request.contractID !== undefined) body.contractID = request.contractID;
    if (request.estimatedHours !== undefined) body.estimatedHours = request.estimatedHours;
    if (request.assignedResourceID !== undefined) {
      const assignment = await this.directory.completeAssignment(request.assignedResourceID, request.assignedResourceRoleID, options);
      body.assignedResourceID = assignment.assignedResourceID;
      body.assignedResourceRoleID = assignment.assignedResourceRoleID;
      if (assignment.note) warnings.push(assignment.note);
    } else if (request.assignedResourceRoleID !== undefined) {
      throw new UserInputError("assignedResourceRoleID was given without assignedResourceID; pass both or neither.", "assignedResourceID");
    }
    if (request.dueDateTime !== undefined) {
      body.dueDateTime = toUtcIso(request.dueDateTime);
    } else {
      const semantic = (await this.tenant.mapping(options)).priorityOf(priority.value);
      if (semantic) body.dueDateTime = resolutionDueDate(semantic, this.clock(), { calendar: this.settings.calendar }).toISOString();
      else warnings.push(`Priority "${priority.label}" has no SLA target, so no due date was set.`);
    }
    if (request.userDefinedFields !== undefined) body.userDefinedFields = await resolveUserDefinedFields(this.api, request.userDefinedFields, options);
    return body;
  }

  /**
   * Creates the ticket. If the connection drops after the request was sent, Autotask may have saved
   * it: look for it (same company and title, created since this call started) before reporting
   * failure, so that neither a phantom failure nor a retry-made duplicate reaches the user.
   */
  async #createOrRecover(body: TicketCreate, startedAt: Date, warnings: string[], options?: RequestOptions): Promise<number> {
    try {
      return await this.api.createTicket(body, options);
    } catch (error) {
      if (!(error instanceof AutotaskNetworkError) || !error.maybeCommitted) throw error;
      // Clocks differ; look a little before the call started.
      const since = new Date(startedAt.getTime() - 2 * 60_000).toISOString();
      const page = await this.api.queryTicketsPage(
        {
          filter: [
            { op: "eq", field: "companyID", value: body.companyID },
            { op: "eq", field: "title", value: body.title },
            { op: "gte", field: "createDate", value: since },
          ],
          maxRecords: 10,
        },
        undefined,
        options,
      );
      const found = page.items.at(-1);
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

  /**
   * Changes only the fields given (PATCH), checked against the status workflow first; fields that
   * already have the given value are not sent, so repeating an update is harmless. Reports what
   * Autotask's own workflow rules changed afterwards.
   * @throws UserInputError when nothing is given, or for a transition the workflow forbids (with the allowed next statuses).
   */
  async update(request: TicketUpdateRequest, options?: RequestOptions): Promise<TicketUpdated> {
    const warnings: string[] = [];
    const { ticketID: ref, force: _force, ...changes } = request;
    if (Object.values(changes).every((value) => value === undefined)) {
      throw new UserInputError(`No change given for ticket ${ref}: pass at least one field to update (status, priority, queueID, …).`);
    }
    const current = await this.get(ref, options);
    const ticketID = current.id;
    const body = await this.tenant.withFreshPicklists(async () => {
      warnings.length = 0; // a second attempt re-resolves everything, and re-warns
      const patch = await this.#patch(request, current, warnings, options);
      if (Object.keys(patch).length > 1) await this.api.updateTicket(patch, options);
      return patch;
    });
    const record = body as unknown as Record<string, unknown>;
    const changed = Object.keys(body).filter((field) => field !== "id");

    let escalationNoteId: number | undefined;
    if (request.escalationReason !== undefined) {
      escalationNoteId = await this.notes.addInternal(ticketID, "Escalation reason", request.escalationReason, "escalation_note", options);
      warnings.push(`Autotask has no escalation-reason field, so the reason was saved as internal note ${escalationNoteId}.`);
    }

    const after = await this.get(ticketID, options);
    const afterRecord = after as Record<string, unknown>;
    const changedByAutotask = changed
      .filter((field) => field !== "userDefinedFields" && !sameValue(record[field], afterRecord[field]))
      .map((field) => ({ field, from: record[field], to: afterRecord[field] ?? undefined }));
    for (const change of changedByAutotask) {
      warnings.push(`Autotask's workflow rules changed ${change.field} after the update (sent ${String(change.from)}, now ${String(change.to ?? "empty")}).`);
    }
    const ticket = await this.describeOne(after, options);
    return { ticket, changed, changedByAutotask, ...(escalationNoteId !== undefined ? { escalationNoteId } : {}), warnings };
  }

  /** Builds `{ id, ...changed fields }`: fields equal to the current value are left out. */
  async #patch(args: TicketUpdateRequest, current: Ticket, warnings: string[], options?: RequestOptions): Promise<TicketPatch> {
    const patch: TicketPatch = { id: current.id };
    const target = patch as Record<string, unknown>;
    const currentRecord = current as Record<string, unknown>;
    const setIfChanged = (field: keyof TicketPatch, value: unknown) => {
      if (!sameValue(value, currentRecord[field])) target[field] = value;
    };

    for (const field of ["priority", "queueID", "issueType", "subIssueType"] as const) {
      const input = args[field];
      if (input !== undefined) setIfChanged(field, (await this.tenant.resolveTicketValue(field, input, options)).value);
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
      const assignment = await this.directory.completeAssignment(args.assignedResourceID, keepRole, options);
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
      const assignment = await this.directory.completeAssignment(current.assignedResourceID, args.assignedResourceRoleID, options);
      setIfChanged("assignedResourceRoleID", assignment.assignedResourceRoleID);
      if ("assignedResourceRoleID" in patch) patch.assignedResourceID = assignment.assignedResourceID;
    }

    if (args.status !== undefined) {
      const next = await this.tenant.resolveTicketValue("status", args.status, options);
      if (next.value !== current.status) {
        const mapping = await this.tenant.mapping(options);
        const check = validateStatusTransition(
          mapping.statusOf(current.status),
          mapping.statusOf(next.value),
          current,
          {
            resolution: args.resolution,
            escalationReason: args.escalationReason,
            assignedResourceID: patch.assignedResourceID ?? args.assignedResourceID,
            assignedResourceRoleID: patch.assignedResourceRoleID ?? args.assignedResourceRoleID,
          },
          { force: args.force },
        );
        if (!check.canTransition) {
          const currentLabel = mapping.statusLabel(current.status) ?? `#${current.status}`;
          const allowed = check.allowedNext.map((s) => mapping.statusLabel(mapping.primaryStatusId(s)) ?? s).join(", ");
          const needs = check.requiredFields.length ? ` Required: ${check.requiredFields.join(", ")}.` : "";
          throw new UserInputError(
            `Cannot change ticket ${current.id} from ${currentLabel} to ${next.label}.${needs} ${check.warnings.join(" ")} Allowed next statuses from ${currentLabel}: ${allowed || "none"}.`
              .replace(/\s+/g, " ")
              .trim(),
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
    if (args.userDefinedFields !== undefined) patch.userDefinedFields = await resolveUserDefinedFields(this.api, args.userDefinedFields, options);
    return patch;
  }

  #sla(ticket: Ticket, now: Date, mapping: TenantMapping): SlaStatus {
    return computeSla(ticket, now, { mapping, calendar: this.settings.calendar });
  }
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

// ---- Search cursor --------------------------------------------------------------------------------

interface CursorState {
  /** Last ticket id shown (`oldest` order); the next page starts after it. 0 for the sorted orders. */
  after: number;
  page: number;
  /** Rows shown on earlier pages: the offset of the sorted orders. */
  shown: number;
  size: number;
  /** Hash of the filter arguments (sort included), to catch a cursor sent with other filters. */
  filters: string;
  /** The first page's count, carried so later pages need no count request. */
  total: number;
}

function fingerprint(args: object): string {
  const entries = Object.entries(args)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256").update(JSON.stringify(entries)).digest("base64url").slice(0, 10);
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify([state.after, state.page, state.shown, state.size, state.filters, state.total]), "utf8").toString("base64url");
}

function decodeCursor(cursor: string, filters: string): CursorState {
  let state: CursorState;
  try {
    const [after, page, shown, size, hash, total] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (![after, page, shown, size, total].every((n) => Number.isSafeInteger(n)) || typeof hash !== "string") throw new Error("shape");
    state = { after, page, shown, size, filters: hash, total } as CursorState;
  } catch {
    throw new UserInputError("cursor is not one this server issued; use nextCursor from the previous page exactly as returned.", "cursor");
  }
  if (state.filters !== filters) {
    throw new UserInputError("This cursor belongs to a search with other filters: send nextCursor with the same filters as the first page.", "cursor");
  }
  return state;
}
