/**
 * The ticket service: search, describe, create and update tickets in the service desk's terms.
 *
 * Inputs are semantic (picklists as the tenant's id, label or a semantic name, dates as ISO 8601);
 * results are typed records (`DescribedTicket`: the ticket as Autotask holds it, its labels, the
 * names behind its ids and its SLA status). Rendering them is the formatting module's job. Every
 * picklist value goes through `TenantService.resolveTicketValue`, the one resolver.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { AutotaskApi, RequestOptions } from "../autotask/api.js";
import type { Condition } from "../autotask/query.js";
import type { PicklistValue, Ticket, TicketCreate, TicketField, TicketPatch } from "../autotask/schemas.js";
import { checkEscalation, type EscalationResult } from "../domain/escalation.js";
import { addBusinessTime } from "../domain/calendar.js";
import { computeSla, DEFAULT_SLA_TARGETS, rowSla, type SlaRow, type SlaStatus } from "../domain/sla.js";
import { HOUR_MS } from "../domain/time.js";
import type { SlaTargetHours } from "../config.js";
import type { SemanticStatus, TenantMapping } from "../domain/states.js";
import { allowedNextStatuses, validateStatusTransition } from "../domain/workflow.js";
import { UserInputError } from "../errors.js";
import { inDeskZone, rangeBounds, toUtcIso } from "./dates.js";
import { type Directory, filterRefOf } from "./directory.js";
import { type WriteAttempt, WriteLedger, WriteOutcomeUnknownError } from "./ledger.js";
import { checkId } from "./ids.js";
import { requireTicket, type TicketRef } from "./lookup.js";
import { AfterWriteError, afterWrite, CLOCK_SKEW_MS, createdSince, isOutcomeUnknown, lostAnswer, sameStoredValue } from "./outcome.js";
import type { NoteEntry, NoteService } from "./notes.js";
import type { DeskSettings } from "./settings.js";
import type { TenantService, TicketLabels, TicketPicklistField } from "./tenant.js";
import { resolveUserDefinedFields, type UdfValue } from "./udf.js";

/** A picklist argument: the tenant's numeric id, its label, or (status, priority) a semantic name. */
export type PicklistInput = string | number;

/** Display names for the ids on a ticket; absent when the id is unset or unknown. */
export interface TicketNames {
  company?: string;
  contact?: string;
  assignedResource?: string;
  /** Name of `assignedResourceRoleID` (a role from `/Roles`). */
  assignedResourceRole?: string;
}

/** A ticket with everything needed to show it: labels, names and its SLA status at `now`. */
export interface DescribedTicket {
  ticket: Ticket;
  labels: TicketLabels;
  names: TicketNames;
  sla: SlaStatus;
  /** The desk's time zone (IANA): every instant shown for this ticket is written in it, with its offset. */
  timeZone: string;
}

/**
 * A search row's data: only what a row shows (status and priority labels, company and assignee
 * names, the resolution SLA state), so that a row costs what it renders (bench "row cost").
 */
export interface TicketSearchRow {
  ticket: Ticket;
  labels: Pick<TicketLabels, "status" | "priority">;
  names: Pick<TicketNames, "company" | "assignedResource">;
  /** The SLA as a row shows it (`rowSla`: the same figures as the details' SLA, computed alone). */
  sla: SlaRow;
  /** The desk's time zone (IANA), in which the row's instants are written. */
  timeZone: string;
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
  /**
   * A company: its id, or (part of) its name, which must name one active company (an exact name wins).
   * A string of digits is an id.
   */
  companyID?: number | string;
  /** Tickets raised by this contact. */
  contactID?: number;
  /** One value or a list; `open` (alone) = every status not mapped to complete. */
  status?: PicklistInput | PicklistInput[];
  priority?: PicklistInput | PicklistInput[];
  queueID?: PicklistInput;
  /** A technician: id, or name or e-mail (the person rule), which must name one active resource. A string of digits is an id. */
  assignedResourceID?: number | string;
  /** true: nobody assigned; false: somebody assigned. */
  unassigned?: boolean;
  /** A ticket number (or prefix, `T2026…`), or words that must each appear in the title or the description. */
  searchTerm?: string;
  /** Bounds: ISO 8601 date or date-time; without an offset, in the desk's time zone (a date alone: midnight there). `…After` is inclusive, `…Before` exclusive. */
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
  /** Sent unchanged (50 characters); default: this call's write key (`mcp:…`), used to find the ticket if the answer is lost. */
  externalID?: string;
  /** Same key = same ticket within the duplicate window; without one, identical arguments are the key. */
  idempotencyKey?: string;
}

export interface TicketCreated {
  ticket: DescribedTicket;
  alreadyExisted: boolean;
  /** When the server chose the due date: when, and from which target ("due …: 8 business hours from now, AUTOTASK_SLA_TARGETS["High"]"). */
  dueDateRule?: string;
  warnings: string[];
}

export interface TicketUpdateRequest {
  /** Id or ticket number. */
  ticketID: TicketRef;
  /** Moves the ticket to another company; its contact (of the old company) is cleared unless contactID is given. */
  companyID?: number;
  status?: PicklistInput;
  priority?: PicklistInput;
  queueID?: PicklistInput;
  title?: string;
  description?: string;
  dueDateTime?: string;
  /** null clears the contact. */
  contactID?: number | null;
  /** null unassigns the ticket (resource and role cleared together, as Autotask requires). */
  assignedResourceID?: number | null;
  assignedResourceRoleID?: number;
  issueType?: PicklistInput;
  subIssueType?: PicklistInput;
  resolution?: string;
  /** Required to escalate; saved as an internal note (Autotask has no such field). */
  escalationReason?: string;
  userDefinedFields?: Record<string, UdfValue>;
  /** Allow a status change the workflow forbids. */
  force?: boolean;
  /** Same key = same update: reused with other content it is refused; it also keys the escalation note. */
  idempotencyKey?: string;
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
  "serviceLevelAgreementID",
  "serviceLevelAgreementHasBeenMet",
];

/** A ticket number or a prefix of one (`T2026`, `T20261130.`, `T20261130.0001`). */
const TICKET_NUMBER_PREFIX = /^T\d{4,}(\.\d*)?$/i;
/** A ticket number typed without its T (`20260902.0014`, `20260902.`): the date and the dot make it one. */
const TICKET_NUMBER_WITHOUT_T = /^\d{8}\.\d*$/;
/** Words a caller uses for "nobody" where a technician is asked for; `unassigned: true` is the filter meant. */
const NOBODY = /^(unassigned|not assigned|nobody|no one|noone|none|null|nil|n\/a|-)$/i;
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
  if (TICKET_NUMBER_WITHOUT_T.test(text)) return [{ op: "beginsWith", field: "ticketNumber", value: `T${text}` }];
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

/**
 * The largest `estimatedHours` a ticket takes. Autotask's metadata gives the field as `decimal` with no
 * range (live metadata, reference §6), so this is the server's own bound: 10,000 hours is about five
 * working years, far beyond any ticket's estimate, and keeps typos such as 1e300 from reaching Autotask.
 */
export const MAX_ESTIMATED_HOURS = 10_000;

/** Semantic statuses whose workflow requirement a create cannot meet, with the field an update must give. */
const CREATE_NEEDS_UPDATE: Partial<Record<SemanticStatus, "resolution" | "escalationReason">> = {
  COMPLETE: "resolution",
  ESCALATED: "escalationReason",
};

export class TicketService {
  constructor(
    private readonly api: AutotaskApi,
    private readonly tenant: TenantService,
    private readonly directory: Directory,
    private readonly notes: NoteService,
    private readonly ledger: WriteLedger,
    private readonly settings: DeskSettings,
    private readonly clock: () => Date,
  ) {
    this.#cursorKey = searchCursorKey(settings);
  }

  /** Signs search cursors (`searchCursorKey`). */
  readonly #cursorKey: string;

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
          roles: tickets.map((t) => t.assignedResourceRoleID),
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
        assignedResourceRole: names.role(ticket.assignedResourceRoleID),
      },
      sla: this.#sla(ticket, now, mapping),
      timeZone: this.settings.calendar.timeZone,
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
    const timeZone = this.settings.calendar.timeZone;
    return tickets.map((ticket) => {
      // The same SLA options as the details (#sla), so a row and the details show the same due times.
      const own = this.#configuredTargets(ticket.priority, mapping);
      return {
        ticket,
        labels: { status: statuses.labelOrId(ticket.status), priority: priorities.labelOrId(ticket.priority) },
        names: { company: names.company(ticket.companyID), assignedResource: names.resource(ticket.assignedResourceID) },
        sla: rowSla(ticket, now, { mapping, calendar: this.settings.calendar, ...(own ? { ticketTargets: own.targets } : {}) }),
        timeZone,
      };
    });
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
    const own = this.#configuredTargets(ticket.priority, mapping);
    // The same SLA options as the ticket's own SLA view, so the escalation check judges the due times shown.
    const escalation = checkEscalation(ticket, this.clock(), { mapping, calendar: this.settings.calendar, ...(own ? { ticketTargets: own.targets } : {}) });
    const next = this.#allowedNext(mapping, ticket.status);
    return { ...described, escalation, allowedNextStatuses: next, notes: notes.notes, notesTotal: notes.total, notesRequested: count };
  }

  /**
   * One page of tickets matching the query, with the total count on the first page.
   *
   * Order: `oldest` (default) is Autotask's own (ascending id), so a page costs one request (plus
   * `query/count` on the first). `newest` and `dueSoonest` (earliest `dueDateTime` first, tickets
   * without one last, ties by id) need an order Autotask cannot give: the ids and due dates of every
   * remaining match are read (id-only pages of 500, at most `SORT_SCAN_LIMIT`), ordered here, and the
   * page's rows fetched with one `id in […]`.
   *
   * Paging is by keyset, never by position: the cursor holds the last row's sort key and the next
   * page asks Autotask only for what sorts after it (`oldest`: `id > last`; `newest`: `id < last`;
   * `dueSoonest`: due at or after the last due, ties after the last id, plus the tickets without a due
   * date, and `id <= ` the highest id the first page saw). So a ticket created or deleted between two
   * pages never repeats or skips a row. Tickets created after the first page: with `oldest` they sort
   * last and come at the end of the same pass; with `newest` and `dueSoonest` they are not shown in
   * that pass (a fresh search finds them). The total is the first page's count.
   * Every filter is resolved and validated before anything is sent.
   * @throws UserInputError for unknown picklist values, names that match no or several records,
   *   contradictory filters, a sorted search over more than SORT_SCAN_LIMIT tickets, or a cursor this
   *   server did not issue (or issued for other filters).
   */
  async search(query: TicketSearchQuery, options?: RequestOptions): Promise<TicketSearchPage> {
    const { cursor, pageSize, ...filterArgs } = query;
    const sort = filterArgs.sort ?? "oldest";
    const filters = fingerprint(filterArgs);
    const position = cursor !== undefined ? decodeCursor(cursor, filters, sort, this.#cursorKey) : undefined;
    const size = Math.min(pageSize ?? position?.size ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const page = position?.page ?? 1;
    const shown = position?.shown ?? 0;

    const notes: string[] = [];
    const filter = await this.#filter(filterArgs, notes, options);
    let rows: Ticket[];
    let counting: Promise<number>;
    let hasMore: boolean;
    let last: SortKey | undefined;
    let ceiling = position?.ceiling ?? 0;
    if (sort === "oldest") {
      const pageFilter = position ? [...filter, { op: "gt" as const, field: "id" as const, value: position.after }] : filter;
      // One row more than the page tells whether another page exists; the count comes with the first page
      // only, sent beside the query and awaited after the rows are described, so that the rows' name
      // look-ups do not wait for it (issue 13). Its failure is reported below, or the query's first.
      counting = position ? Promise.resolve(position.total) : this.api.countTickets({ filter }, options);
      counting.catch(() => undefined);
      const found = await this.api.queryTicketsPage({ filter: pageFilter, includeFields: SEARCH_ROW_FIELDS, maxRecords: size + 1 }, undefined, options);
      rows = found.items.slice(0, size);
      hasMore = found.items.length > size;
      const lastId = rows.at(-1)?.id;
      last = lastId !== undefined ? { id: lastId, due: Number.POSITIVE_INFINITY } : undefined;
    } else {
      const keys = await this.#sortedKeys(filter, sort, position, options);
      if (!position && sort === "dueSoonest") ceiling = keys.reduce((max, key) => Math.max(max, key.id), 0);
      counting = Promise.resolve(position?.total ?? keys.length);
      const pageKeys = keys.slice(0, size);
      hasMore = keys.length > size;
      // The key is the one the order was computed from, so a row deleted meanwhile still moves the cursor on.
      last = pageKeys.at(-1);
      rows = pageKeys.length === 0 ? [] : await this.#rowsById(pageKeys.map((key) => key.id), options);
    }
    const [tickets, total] = await Promise.all([this.describeRows(rows, options), counting]);
    if (tickets.length === 0 && page === 1) notes.push(...(await this.#unknownIds(filterArgs, options)));
    const nextCursor =
      hasMore && last !== undefined
        ? encodeCursor(
            {
              after: last.id,
              due: Number.isFinite(last.due) ? last.due : null,
              ceiling,
              page: page + 1,
              shown: shown + tickets.length,
              size,
              filters,
              total,
            },
            this.#cursorKey,
          )
        : undefined;
    return { tickets, hasMore, ...(nextCursor ? { nextCursor } : {}), total, pageNumber: page, offset: shown, sort, notes };
  }

  /**
   * The sort keys of every match after the cursor's row, in `sort` order, from id-only pages. The
   * keyset condition goes to Autotask; for `dueSoonest` it asks for due dates at or after the last
   * one (an exact datetime `eq` is not relied on) and the ties at or before the last id are dropped here.
   */
  async #sortedKeys(
    filter: Condition<TicketField>[],
    sort: Exclude<TicketSearchSort, "oldest">,
    position: CursorState | undefined,
    options?: RequestOptions,
  ): Promise<SortKey[]> {
    const keyset: Condition<TicketField>[] = [];
    let after: (key: SortKey) => boolean = () => true;
    if (position && sort === "newest") {
      keyset.push({ op: "lt", field: "id", value: position.after });
    } else if (position && sort === "dueSoonest") {
      const { after: lastId, due: lastDue, ceiling } = position;
      if (lastDue === null) {
        keyset.push({ op: "notExist", field: "dueDateTime" }, { op: "gt", field: "id", value: lastId });
      } else {
        keyset.push({
          op: "or",
          items: [
            { op: "gte", field: "dueDateTime", value: new Date(lastDue).toISOString() },
            { op: "notExist", field: "dueDateTime" },
          ],
        });
        after = (key) => key.due > lastDue || (key.due === lastDue && key.id > lastId);
      }
      keyset.push({ op: "lte", field: "id", value: ceiling });
    }
    const keys: SortKey[] = [];
    for await (const items of this.api.queryTickets(
      { filter: [...filter, ...keyset], includeFields: sort === "dueSoonest" ? ["id", "dueDateTime"] : ["id"], maxRecords: 500 },
      { ...options, maxTotal: SORT_SCAN_LIMIT + 1 },
    )) {
      for (const item of items) {
        const due = item.dueDateTime ? Date.parse(item.dueDateTime) : Number.NaN;
        const key = { id: item.id, due: Number.isNaN(due) ? Number.POSITIVE_INFINITY : due };
        if (after(key)) keys.push(key);
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
    return keys;
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

  /**
   * For an empty first page: says which of the given ids do not exist, so "no tickets" is not mistaken
   * for an answer, and where a ticket id given as `searchTerm` belongs.
   */
  async #unknownIds(args: Omit<TicketSearchQuery, "cursor" | "pageSize">, options?: RequestOptions): Promise<string[]> {
    const results = await this.directory.missingIds(args, options);
    // Digits alone are neither a ticket number (T20261130.0001) nor words of a title: most likely a ticket id.
    const term = args.searchTerm?.trim();
    if (term !== undefined && /^\d+$/.test(term)) {
      results.push(
        `searchTerm "${term}" is digits only, and no title, description or ticket number contains it. A ticket id goes to autotask_get_ticket_details (ticketID: ${term}); ticket numbers look like T20261130.0001.`,
      );
    }
    return results;
  }

  async #filter(args: Omit<TicketSearchQuery, "cursor" | "pageSize">, notes: string[], options?: RequestOptions): Promise<Condition<TicketField>[]> {
    const filter: Condition<TicketField>[] = [];
    // The ids are checked (int32, `ids.ts`) and names resolved below; a word for "nobody" is not a name.
    const assigneeRef = args.assignedResourceID === undefined ? undefined : filterRefOf(args.assignedResourceID, "assignedResourceID");
    if (args.contactID !== undefined) checkId(args.contactID, "contactID");
    if (assigneeRef !== undefined && args.unassigned) {
      throw new UserInputError("An assignee and unassigned: true contradict each other; send one.", "unassigned");
    }
    if (typeof assigneeRef === "string" && NOBODY.test(assigneeRef)) {
      throw new UserInputError(
        `assignedResourceID "${assigneeRef}" names no technician. For tickets nobody is assigned to, pass unassigned: true and leave assignedResourceID out.`,
        "assignedResourceID",
      );
    }
    const { companyID, assignedResourceID } = await this.directory.resolveFilterPeople(args, notes, options);

    if (companyID !== undefined) filter.push({ op: "eq", field: "companyID", value: companyID });
    if (args.contactID !== undefined) filter.push({ op: "eq", field: "contactID", value: args.contactID });
    if (args.status !== undefined) {
      const { exclude, ids } = await this.tenant.resolveStatusFilter(Array.isArray(args.status) ? args.status : [args.status], options);
      if (exclude) filter.push({ op: "notIn", field: "status", value: ids });
      else filter.push(ids.length === 1 ? { op: "eq", field: "status", value: ids[0] as number } : { op: "in", field: "status", value: ids });
    }
    if (args.priority !== undefined) {
      const inputs = Array.isArray(args.priority) ? args.priority : [args.priority];
      const ids = await Promise.all(inputs.map(async (input) => (await this.tenant.resolveTicketValue("priority", input, { ...options, forRead: true })).value));
      filter.push(ids.length === 1 ? { op: "eq", field: "priority", value: ids[0] as number } : { op: "in", field: "priority", value: ids });
    }
    if (args.queueID !== undefined) {
      filter.push({ op: "eq", field: "queueID", value: (await this.tenant.resolveTicketValue("queueID", args.queueID, { ...options, forRead: true })).value });
    }
    if (assignedResourceID !== undefined) filter.push({ op: "eq", field: "assignedResourceID", value: assignedResourceID });
    if (args.unassigned === true) filter.push({ op: "notExist", field: "assignedResourceID" });
    if (args.unassigned === false) filter.push({ op: "exist", field: "assignedResourceID" });
    if (args.searchTerm !== undefined) filter.push(...searchTermFilter(args.searchTerm));
    // Date bounds are read in the desk's zone (a date alone = midnight there); a reversed range is refused.
    const zone = this.settings.calendar.timeZone;
    const ranges: Array<[TicketField, string | undefined, string | undefined, string, string]> = [
      ["createDate", args.createdAfter, args.createdBefore, "createdAfter", "createdBefore"],
      ["completedDate", args.completedAfter, args.completedBefore, "completedAfter", "completedBefore"],
      ["lastActivityDate", args.lastActivityAfter, args.lastActivityBefore, "lastActivityAfter", "lastActivityBefore"],
      ["dueDateTime", undefined, args.dueBefore, "", "dueBefore"],
    ];
    for (const [field, from, to, fromName, toName] of ranges) {
      const bounds = rangeBounds({ name: fromName, value: from }, { name: toName, value: to }, zone);
      if (bounds.after !== undefined) filter.push({ op: "gte", field, value: bounds.after });
      if (bounds.before !== undefined) filter.push({ op: "lt", field, value: bounds.before });
    }
    if (filter.length === 0) filter.push({ op: "exist", field: "id" });
    return filter;
  }

  /**
   * Opens a ticket: picklists resolved, status and priority defaulted, the role completed for an
   * assignee, and a due date from the priority's SLA target when none is given. If Autotask says a
   * picklist value no longer exists, the picklists are reloaded and the create runs once more.
   *
   * Exactly once (see `WriteLedger`): the same idempotency key, or without one an identical call
   * within the duplicate window, returns the first ticket (`alreadyExisted`). The ticket carries
   * the call's key in `externalID` (`mcp:` + 40 hex), so a lost answer is recovered by one exact
   * query. A caller's own `externalID` is sent unchanged and is then the key Autotask is searched
   * for, together with everything else this call sent and a createDate after the call began.
   * @throws WriteOutcomeUnknownError when the create was sent and reading back cannot tell whether it was saved
   * @throws IdempotencyConflictError when the idempotency key was used for other content
   */
  async create(request: TicketCreateRequest, options?: RequestOptions): Promise<TicketCreated> {
    const warnings: string[] = [];
    const dueDateRule: { text?: string } = {};
    const { idempotencyKey } = request;
    // The same ticket asked for in other words ("High", "high" or its id; a due date with or without its
    // offset) is the same create: identity is what would be sent, less the due date the server derives
    // from the clock. Building it also refuses bad input before anything is recorded.
    const resolvedWarnings: string[] = [];
    const resolvedRule: { text?: string } = {};
    const resolved = await this.#createBody(request, resolvedWarnings, resolvedRule, options);
    // The first write sends this body; only a retry after the picklists were reloaded builds it again.
    let prepared: TicketCreate | undefined = resolved;
    const identity = createIdentity({ ...resolved, dueDateTime: request.dueDateTime === undefined ? undefined : resolved.dueDateTime, externalID: request.externalID });
    const key = WriteLedger.keyOf("create_ticket", identity, idempotencyKey);
    const ownRef = `mcp:${createHash("sha256").update(key).digest("hex").slice(0, 40)}`;
    const refOf = (attempt: number) => request.externalID ?? (attempt === 1 ? ownRef : `${ownRef}.${attempt}`);
    let sent: TicketCreate | undefined;
    const outcome = await this.ledger.run(key, {
      fingerprint: WriteLedger.fingerprintOf(identity),
      keyed: idempotencyKey !== undefined,
      // A caller's key makes attempt 1's externalID the same in every process: look before the first write.
      probeFirst: idempotencyKey !== undefined && request.externalID === undefined,
      refOf,
      isUnknown: isOutcomeUnknown,
      explain: lostAnswer,
      write: (attempt) =>
        this.tenant.withFreshPicklists(async () => {
          warnings.length = 0; // a second attempt re-resolves everything, and re-warns
          let body: TicketCreate;
          if (prepared) {
            body = prepared;
            prepared = undefined;
            warnings.push(...resolvedWarnings);
            if (resolvedRule.text) dueDateRule.text = resolvedRule.text;
          } else {
            body = await this.#createBody(request, warnings, dueDateRule, options);
          }
          body.externalID = attempt.ref ?? refOf(attempt.attempt);
          sent = body;
          return this.api.createTicket(body, options);
        }),
      recover: async (attempts) => this.#findCreated(request, sent ?? resolved, attempts, options),
      describe: (attempts) =>
        `a ticket for company ${request.companyID} titled "${request.title}" with externalID ${attempts.map((a) => `"${a.ref ?? refOf(a.attempt)}"`).join(" or ")}, created after ${new Date((attempts[0]?.startedAt ?? 0) - CLOCK_SKEW_MS).toISOString()}`,
      nameOf: async (id) => {
        const ticket = await this.api.getTicket(id, options).catch(() => null);
        return `ticket ${ticket?.ticketNumber ?? id}`;
      },
    });
    // The ticket exists from here on: a failure to read it back must not read as a failed create.
    const saved = outcome.replayed ? `Ticket ${outcome.id} exists (an earlier identical call created it).` : `Autotask created ticket ${outcome.id}.`;
    const { created, ticket } = await afterWrite(
      saved,
      "reading it back",
      `Do not create it again: autotask_get_ticket_details with ticketID ${outcome.id} shows it once Autotask answers (or check the API user's ticket view permission).`,
      async () => {
        const record = await this.api.getTicket(outcome.id, options);
        if (!record) throw new Error(`Autotask did not return ticket ${outcome.id}`);
        return { created: record, ticket: await this.describeOne(record, options) };
      },
      options?.signal,
    );
    const name = created.ticketNumber ?? String(created.id);
    if (outcome.recovered) {
      warnings.push(
        `Autotask's answer to ${outcome.replayed ? "an earlier identical call" : "this create"} was lost after it was sent; reading Autotask back found the ticket it saved (externalID ${created.externalID ?? "?"}), so this is that ticket, not a new one.`,
      );
    }
    if (outcome.replayed) {
      warnings.push(
        idempotencyKey !== undefined
          ? `This idempotencyKey was already used, so no second ticket was created: this is ticket ${name}.`
          : `An identical create call within ${Math.round(this.settings.duplicateWindowMs / 60_000)} min was taken as a retry, so no second ticket was created: this is ticket ${name}. To create another identical ticket on purpose, pass a new idempotencyKey.`,
      );
    }
    return { ticket, alreadyExisted: outcome.replayed, warnings, ...(dueDateRule.text && !outcome.replayed ? { dueDateRule: dueDateRule.text } : {}) };
  }

  /**
   * Looks for the ticket one of `attempts` saved: an exact query for its externalID, created after the
   * attempt began. When the caller chose the externalID (it may not be unique), every field this call
   * sent must match too, so a look-alike is never taken for this call's ticket.
   */
  async #findCreated(request: TicketCreateRequest, body: TicketCreate, attempts: WriteAttempt[], options?: RequestOptions): Promise<number | undefined> {
    const refs = attempts.map((a) => a.ref).filter((ref): ref is string => ref !== undefined);
    const startedAt = Math.min(...attempts.map((a) => a.startedAt));
    const page = await this.api.queryTicketsPage(
      {
        filter: [
          refs.length === 1 ? { op: "eq", field: "externalID", value: refs[0] as string } : { op: "in", field: "externalID", value: refs },
          { op: "eq", field: "companyID", value: body.companyID },
          { op: "gte", field: "createDate", value: new Date(startedAt - CLOCK_SKEW_MS).toISOString() },
        ],
        maxRecords: 50,
      },
      undefined,
      options,
    );
    const callerChoseRef = request.externalID !== undefined;
    const matches = page.items
      .filter((ticket) => createdSince(ticket.createDate, startedAt))
      .filter((ticket) => !callerChoseRef || this.#matchesSent(request, body, ticket))
      .sort((a, b) => a.id - b.id);
    return matches[0]?.id;
  }

  /** Every field sent is what the ticket holds (the default due date only within the call that computed it). */
  #matchesSent(request: TicketCreateRequest, body: TicketCreate, ticket: Ticket): boolean {
    const stored = ticket as Record<string, unknown>;
    return Object.entries(body).every(([field, value]) => {
      if (field === "userDefinedFields") return true; // read back in another shape; the other fields decide
      if (field === "dueDateTime" && request.dueDateTime === undefined) return true;
      return sameStoredValue(value, stored[field]);
    });
  }

  async #createBody(request: TicketCreateRequest, warnings: string[], dueDateRule: { text?: string }, options?: RequestOptions): Promise<TicketCreate> {
    checkRecordIds(request);
    const status = request.status !== undefined ? await this.tenant.resolveTicketValue("status", request.status, options) : await this.tenant.defaultStatus(options);
    if (request.status !== undefined) {
      // The status workflow's requirements (domain/workflow.ts) hold for a new ticket too: a create has
      // no resolution or escalation reason to give, so those statuses are reached by an update.
      const needs = CREATE_NEEDS_UPDATE[(await this.tenant.mapping(options)).statusOf(status.value)];
      if (needs) {
        throw new UserInputError(
          `A ticket cannot be created as ${status.label}: that status requires ${needs}, which a create cannot record. Required: ${needs}. Create the ticket with another status (or none, for the default), then move it to ${status.label} with autotask_update_ticket giving ${needs}.`,
          "status",
        );
      }
    }
    let priority: PicklistValue;
    if (request.priority !== undefined) {
      priority = await this.tenant.resolveTicketValue("priority", request.priority, options);
    } else {
      const chosen = await this.tenant.defaultPriority(options);
      priority = chosen.value;
      if (chosen.fallback) warnings.push(`This tenant has no default priority, so ${priority.label} was used; pass priority to choose another.`);
    }
    const body: TicketCreate = { companyID: request.companyID, title: request.title, status: status.value, priority: priority.value };
    // No source says whether Autotask refuses a ticket for an inactive company, so it is sent; but an
    // inactive company is almost always a mistake (a merged or former customer), so the answer says so.
    const company = await this.directory.company(request.companyID, options);
    if (company && !company.isActive) {
      warnings.push(
        `Company ${company.name ?? request.companyID} (${request.companyID}) is inactive in Autotask. If the customer moved to another company record, find it with autotask_search_companies and move the ticket with autotask_update_ticket (companyID).`,
      );
    }
    if (request.description !== undefined) body.description = request.description;
    await this.#resolvePicklists(
      request,
      ["queueID", "issueType", "subIssueType", "ticketType", "ticketCategory", "source"],
      body as unknown as Record<string, unknown>,
      {},
      warnings,
      options,
    );
    if (request.contactID !== undefined) body.contactID = request.contactID;
    if (request.contractID !== undefined) body.contractID = request.contractID;
    if (request.estimatedHours !== undefined) {
      const hours = request.estimatedHours;
      if (!Number.isFinite(hours) || hours < 0 || hours > MAX_ESTIMATED_HOURS) {
        throw new UserInputError(
          `estimatedHours ${Number.isFinite(hours) && Math.abs(hours) < 1e21 ? hours : hours.toExponential()} is out of range: pass the estimate in hours, from 0 to ${MAX_ESTIMATED_HOURS.toLocaleString("en-US")} (e.g. 1.5).`,
          "estimatedHours",
        );
      }
      body.estimatedHours = hours;
    }
    if (request.assignedResourceID !== undefined) {
      const assignment = await this.directory.completeAssignment(request.assignedResourceID, request.assignedResourceRoleID, options);
      body.assignedResourceID = assignment.assignedResourceID;
      body.assignedResourceRoleID = assignment.assignedResourceRoleID;
      if (assignment.note) warnings.push(assignment.note);
    } else if (request.assignedResourceRoleID !== undefined) {
      throw new UserInputError("assignedResourceRoleID was given without assignedResourceID; pass both or neither.", "assignedResourceID");
    }
    if (request.dueDateTime !== undefined) {
      body.dueDateTime = toUtcIso(request.dueDateTime, this.settings.calendar.timeZone, "dueDateTime");
      this.#warnIfPast(body.dueDateTime, warnings);
    } else {
      // Real tenants refuse a create without dueDateTime unless the category supplies one (reference §12,
      // WYRE-AI/autotask-mcp#288), so one is always sent, from a target that can be named.
      const target = this.#resolutionTarget(priority, await this.tenant.mapping(options));
      const due = addBusinessTime(this.clock(), target.hours * HOUR_MS, this.settings.calendar);
      body.dueDateTime = due.toISOString();
      dueDateRule.text = `due ${inDeskZone(body.dueDateTime, this.settings.calendar.timeZone)}: ${target.hours} business hours from now, ${target.why}`;
      if (target.fallback) warnings.push(`Priority ${priority.label} has no SLA target, so the due date comes from ${target.why}; set AUTOTASK_SLA_TARGETS to choose one.`);
    }
    if (request.userDefinedFields !== undefined) body.userDefinedFields = await resolveUserDefinedFields(this.api, request.userDefinedFields, this.settings.calendar.timeZone, options);
    return body;
  }

  /**
   * Resolves picklist arguments into `out` (field -> id). Dependent picklists (metadata
   * `picklistParentValueField`, e.g. subIssueType under issueType) resolve under the parent given in
   * the same call, else the record's current parent (`current`, on update); a child given alone sets
   * its parent. When only the parent changes and the record's child no longer fits under it, the child
   * is cleared (Autotask refuses the pair, captured metadata + sandbox §dependent picklists) and a
   * warning says so.
   */
  async #resolvePicklists(
    args: Partial<Record<TicketPicklistField, PicklistInput | undefined>>,
    fields: readonly TicketPicklistField[],
    out: Record<string, unknown>,
    current: Record<string, unknown>,
    warnings: string[],
    options?: RequestOptions,
  ): Promise<void> {
    const parentOf = new Map<TicketPicklistField, TicketPicklistField>();
    for (const field of fields) {
      const parent = await this.tenant.parentFieldOf(field, options);
      if (parent) parentOf.set(field, parent);
    }
    // Parents first, so that a child resolves under the parent given in the same call.
    const ordered = [...fields.filter((f) => !parentOf.has(f)), ...fields.filter((f) => parentOf.has(f))];
    for (const field of ordered) {
      const input = args[field];
      const parentField = parentOf.get(field);
      if (input === undefined) {
        if (!parentField || args[parentField] === undefined) continue;
        const currentChild = current[field];
        const newParent = out[parentField] as number | undefined;
        if (typeof currentChild === "number" && !(await this.tenant.childFits(field, currentChild, newParent, options))) {
          out[field] = null;
          const labels = await this.tenant.ticketLabels({ [field]: currentChild, [parentField]: newParent } as Partial<Record<TicketPicklistField, unknown>>, options);
          warnings.push(
            `${field} ${labels[field] ?? currentChild} does not belong under ${parentField} ${labels[parentField] ?? String(newParent)}, so it was cleared (Autotask refuses the pair); pass ${field} to set one of ${labels[parentField] ?? "its"} values.`,
          );
        }
        continue;
      }
      if (!parentField) {
        out[field] = (await this.tenant.resolveTicketValue(field, input, options)).value;
        continue;
      }
      const parent = (out[parentField] ?? current[parentField]) as number | null | undefined;
      const value = await this.tenant.resolveTicketValue(field, input, options, { parent: typeof parent === "number" ? parent : undefined });
      out[field] = value.value;
      if (value.parentValue !== null && typeof out[parentField] !== "number" && current[parentField] !== value.parentValue) out[parentField] = value.parentValue;
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
    const { ticketID: ref, force: _force, idempotencyKey, ...changes } = request;
    if (Object.values(changes).every((value) => value === undefined)) {
      throw new UserInputError(`No change given for ticket ${ref}: pass at least one field to update (status, priority, queueID, …).`);
    }
    checkRecordIds(changes);
    const current = await this.get(ref, options);
    const ticketID = current.id;
    if (request.escalationReason !== undefined) await this.#checkEscalationReason(request, current, options);
    if (idempotencyKey !== undefined) {
      await this.ledger.claimKey(
        WriteLedger.keyOf("update_ticket", {}, idempotencyKey),
        WriteLedger.fingerprintOf({ ticketID, ...changes }),
        () =>
          `This idempotencyKey was already used for a different update (another ticket or other values; this call was for ticket ${ticketID}). Nothing was changed. Use a new idempotencyKey, or repeat the first call exactly.`,
      );
    }
    const body = await this.tenant.withFreshPicklists(async () => {
      warnings.length = 0; // a second attempt re-resolves everything, and re-warns
      const patch = await this.#patch(request, current, warnings, options);
      if (Object.keys(patch).length > 1) await this.#patchOrProve(patch, request, options);
      return patch;
    });
    const record = body as unknown as Record<string, unknown>;
    const changed = Object.keys(body).filter((field) => field !== "id");

    let escalationNoteId: number | undefined;
    if (request.escalationReason !== undefined) {
      let note: { id: number; replayed: boolean; recovered: boolean };
      try {
        note = await this.notes.addInternal(ticketID, "Escalation reason", request.escalationReason, "escalation_note", options, idempotencyKey);
      } catch (error) {
        const applied = changed.length ? `Applied to ticket ${ticketID}: ${changed.join(", ")}.` : `Ticket ${ticketID}'s fields already had the given values.`;
        if (!(error instanceof WriteOutcomeUnknownError)) {
          if (options?.signal?.aborted) throw error;
          throw new AfterWriteError(
            applied,
            "saving the escalation reason as an internal note",
            error,
            "Calling this update again with the same escalationReason adds only the note: fields already applied are not sent again.",
          );
        }
        throw new WriteOutcomeUnknownError(
          `${applied} Not confirmed: the escalation-reason note. ${error.message} Calling this update again is safe: fields already applied are not sent again, and the note is added only if it is not there.`,
        );
      }
      escalationNoteId = note.id;
      if (note.replayed) {
        warnings.push(`The escalation reason was already saved as internal note ${note.id} by an earlier identical call; it was not added again.`);
      } else if (request.status !== undefined && !changed.includes("status")) {
        const label = (await this.tenant.mapping(options)).statusLabel(current.status) ?? `#${current.status}`;
        warnings.push(`The ticket was already ${label}, so its status is unchanged; the new escalation reason was saved as internal note ${note.id}.`);
      } else {
        warnings.push(`Autotask has no escalation-reason field, so the reason was saved as internal note ${note.id}.`);
      }
    }

    const savedText = [
      changed.length ? `Ticket ${ticketID} was updated: ${changed.join(", ")}.` : `Ticket ${ticketID}'s fields already had the given values.`,
      ...(escalationNoteId !== undefined ? [`The escalation reason is internal note ${escalationNoteId}.`] : []),
    ].join(" ");
    // From here the update is saved: a failure says so (see `afterWrite`).
    const thenSaved = <T>(step: string, run: () => Promise<T>) =>
      afterWrite(savedText, step, `Do not repeat the update: autotask_get_ticket_details with ticketID ${ticketID} shows the ticket once Autotask answers.`, run, options?.signal);
    const after = await thenSaved("reading the ticket back", () => this.get(ticketID, options));
    const afterRecord = after as Record<string, unknown>;
    const changedByAutotask = changed
      .filter((field) => field !== "userDefinedFields" && !sameValue(record[field], afterRecord[field]))
      .map((field) => ({ field, from: record[field], to: afterRecord[field] ?? undefined }));
    const shown = (value: unknown) =>
      typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? inDeskZone(value, this.settings.calendar.timeZone) : String(value ?? "empty");
    for (const change of changedByAutotask) {
      warnings.push(`Autotask's workflow rules changed ${change.field} after the update (sent ${shown(change.from)}, now ${shown(change.to)}).`);
    }
    const ticket = await thenSaved("describing the ticket (labels and names)", () => this.describeOne(after, options));
    return { ticket, changed, changedByAutotask, ...(escalationNoteId !== undefined ? { escalationNoteId } : {}), warnings };
  }

  /**
   * `escalationReason` belongs to an escalation: the status given must be an escalated one, or, with
   * no status, the ticket must already be escalated (the reason is then added as a further note).
   * Anything else (a reason sent with status Complete) would file an "Escalation reason" note on a
   * ticket that is not escalated, so it is refused before anything is written.
   * @throws UserInputError (argument `escalationReason`) naming the status and what to do instead.
   */
  async #checkEscalationReason(request: TicketUpdateRequest, current: Ticket, options?: RequestOptions): Promise<void> {
    const mapping = await this.tenant.mapping(options);
    const escalated = mapping.primaryStatusId("ESCALATED");
    const escalatedLabel = (escalated !== undefined ? mapping.statusLabel(escalated) : undefined) ?? "escalated";
    const elsewhere = "To record why, add a note with autotask_create_ticket_note instead.";
    if (request.status !== undefined) {
      const target = await this.tenant.resolveTicketValue("status", request.status, options);
      if (mapping.statusOf(target.value) === "ESCALATED") return;
      throw new UserInputError(
        `escalationReason is only for escalating (status ${escalatedLabel}), but the status given is ${target.label}. Leave escalationReason out, or set status to ${escalatedLabel}. ${elsewhere}`,
        "escalationReason",
      );
    }
    if (mapping.statusOf(current.status) === "ESCALATED") return;
    const currentLabel = mapping.statusLabel(current.status) ?? `#${current.status}`;
    throw new UserInputError(
      `escalationReason was given without a status, and ticket ${current.ticketNumber ?? current.id} is ${currentLabel}, not escalated. To escalate, pass status "${escalatedLabel}" with the reason. ${elsewhere}`,
      "escalationReason",
    );
  }

  /**
   * Sets a ticket's status to `status` (a status id the caller already resolved and checked against
   * the workflow) through the same exactly-once PATCH as `update`: not sent when the ticket already
   * has it; a lost answer is proved by reading the ticket back. For the escalation write
   * (`reports/escalations.ts`), which writes its own note first.
   * @returns whether a PATCH was sent (false: the ticket already had the status)
   * @throws WriteOutcomeUnknownError when the read-back cannot prove the PATCH; Autotask's refusals as thrown by the client
   */
  async setStatusOnce(ticketID: number, status: number, options?: RequestOptions): Promise<{ sent: boolean }> {
    const current = await this.api.getTicket(ticketID, options);
    if (current && current.status === status) return { sent: false };
    await this.tenant.withFreshPicklists(() => this.#patchOrProve({ id: ticketID, status }, { ticketID }, options));
    return { sent: true };
  }

  /**
   * Sends the PATCH. If the answer is lost after sending, reads the ticket back (now and after each
   * recovery delay): when every field sent now holds the sent value the update is proved applied;
   * otherwise the outcome is reported unknown. An update sets absolute values, so calling it again is
   * harmless: only fields that still differ are sent.
   * @throws WriteOutcomeUnknownError when the read-back cannot prove the update
   */
  async #patchOrProve(patch: TicketPatch, request: TicketUpdateRequest, options?: RequestOptions): Promise<void> {
    try {
      await this.api.updateTicket(patch, options);
      return;
    } catch (error) {
      if (!isOutcomeUnknown(error)) throw error;
      const fields = Object.keys(patch).filter((field) => field !== "id" && field !== "userDefinedFields");
      for (const delay of [0, ...this.ledger.timing.recoveryDelaysMs]) {
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        const now = await this.api.getTicket(patch.id, options).catch(() => null);
        const stored = now as Record<string, unknown> | null;
        if (stored && fields.every((field) => sameStoredValue((patch as Record<string, unknown>)[field], stored[field]))) return;
      }
      const reason = lostAnswer(error);
      const note = request.escalationReason !== undefined ? " The escalation-reason note was not written." : "";
      throw new WriteOutcomeUnknownError(
        `Outcome unknown: ${reason} Ticket ${patch.id} does not show ${fields.join(", ")} with the sent values yet; Autotask may still apply it.${note} Check the ticket; calling this update again is safe (only fields that still differ are sent).`,
      );
    }
  }

  /** Builds `{ id, ...changed fields }`: fields equal to the current value are left out. */
  async #patch(args: TicketUpdateRequest, current: Ticket, warnings: string[], options?: RequestOptions): Promise<TicketPatch> {
    const patch: TicketPatch = { id: current.id };
    const target = patch as Record<string, unknown>;
    const currentRecord = current as Record<string, unknown>;
    const setIfChanged = (field: keyof TicketPatch, value: unknown) => {
      if (!sameValue(value, currentRecord[field])) target[field] = value;
    };

    {
      const resolved: Record<string, unknown> = {};
      await this.#resolvePicklists(args, ["priority", "queueID", "issueType", "subIssueType"], resolved, currentRecord, warnings, options);
      for (const [field, value] of Object.entries(resolved)) setIfChanged(field as keyof TicketPatch, value);
    }
    if (args.title !== undefined) setIfChanged("title", args.title);
    if (args.description !== undefined) setIfChanged("description", args.description);
    if (args.dueDateTime !== undefined) {
      const due = toUtcIso(args.dueDateTime, this.settings.calendar.timeZone, "dueDateTime");
      if (!current.dueDateTime || Date.parse(current.dueDateTime) !== Date.parse(due)) {
        patch.dueDateTime = due;
        this.#warnIfPast(due, warnings);
      }
    }
    if (args.companyID !== undefined && args.companyID !== current.companyID) {
      // Autotask refuses a contact of another company, and checks the pair in the same PATCH
      // (reference §12: the old company's contact must be cleared or replaced together with the move).
      patch.companyID = args.companyID;
      const company = await this.directory.company(args.companyID, options);
      if (company && !company.isActive) warnings.push(`Company ${company.name ?? args.companyID} (${args.companyID}) is inactive in Autotask; check that this is the company meant.`);
      if (args.contactID === undefined && typeof current.contactID === "number") {
        patch.contactID = null;
        warnings.push(
          `The ticket's contact (${current.contactID}) belongs to the old company, so it was cleared with the move; pass contactID to set a contact of the new company.`,
        );
      }
    }
    if (args.contactID !== undefined) setIfChanged("contactID", args.contactID);
    if (args.resolution !== undefined) setIfChanged("resolution", args.resolution);

    if (args.assignedResourceID === null) {
      if (args.assignedResourceRoleID !== undefined) {
        throw new UserInputError("assignedResourceRoleID was given with assignedResourceID null: unassigning clears the role too; pass one or the other.", "assignedResourceRoleID");
      }
      // Autotask wants the resource and the role cleared together.
      if (!sameValue(null, current.assignedResourceID) || !sameValue(null, current.assignedResourceRoleID)) {
        patch.assignedResourceID = null;
        patch.assignedResourceRoleID = null;
      }
    } else if (args.assignedResourceID !== undefined) {
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
        const currentLabel = mapping.statusLabel(current.status) ?? `#${current.status}`;
        const allowedList = this.#allowedNext(mapping, current.status);
        const allowed = allowedList.map((s) => s.label).join(", ") || "none";
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
          { force: args.force, table: this.settings.workflow, labels: { current: currentLabel, next: next.label, allowed } },
        );
        if (!check.canTransition) {
          const needs = check.requiredFields.length ? ` Required: ${check.requiredFields.join(", ")}.` : "";
          const why = check.warnings.length ? check.warnings.join(" ") : `Allowed next statuses from ${currentLabel}: ${allowed}.`;
          throw new UserInputError(`Cannot change ticket ${current.id} from ${currentLabel} to ${next.label}.${needs} ${why}`.replace(/\s+/g, " ").trim(), "status");
        }
        warnings.push(...check.warnings);
        patch.status = next.value;
      }
    }
    if (args.userDefinedFields !== undefined) patch.userDefinedFields = await resolveUserDefinedFields(this.api, args.userDefinedFields, this.settings.calendar.timeZone, options);
    return patch;
  }

  /**
   * The tenant's statuses the workflow allows after `statusId`, as ids and labels: every active
   * status mapped to an allowed semantic status, the tenant's own ones (OTHER: "Dispatched",
   * "Waiting 3rd Party"…) included, so details and refusals list the same statuses. Inactive
   * statuses are left out: Autotask refuses them.
   */
  #allowedNext(mapping: TenantMapping, statusId: number | null | undefined): Array<{ id: number; label: string }> {
    const seen = new Set<number>();
    const current = mapping.statusOf(statusId);
    // A move between two statuses of the same meaning is always allowed (validateStatusTransition), so those are listed too.
    const semantics = [...new Set([...allowedNextStatuses(current, this.settings.workflow), current])];
    return semantics.flatMap((semantic) =>
      mapping.statusIdsFor(semantic).flatMap((id) => {
        const label = mapping.statusLabel(id);
        if (id === statusId || seen.has(id) || !mapping.isStatusActive(id) || !label) return [];
        seen.add(id);
        return [{ id, label }];
      }),
    );
  }

  #sla(ticket: Ticket, now: Date, mapping: TenantMapping): SlaStatus {
    const own = this.#configuredTargets(ticket.priority, mapping);
    return computeSla(ticket, now, { mapping, calendar: this.settings.calendar, ...(own ? { ticketTargets: own.targets } : {}) });
  }

  /** Autotask accepts a due date in the past; it is almost always a typo, so say so. */
  #warnIfPast(dueIso: string, warnings: string[]): void {
    if (Date.parse(dueIso) < this.clock().getTime()) {
      warnings.push(`dueDateTime ${inDeskZone(dueIso, this.settings.calendar.timeZone)} is in the past, so the ticket is overdue at once; pass a later date if that was not intended.`);
    }
  }

  /**
   * AUTOTASK_SLA_TARGETS for a priority: by id, then label (any casing), then its semantic name.
   * Undefined when nothing is configured for it.
   */
  #configuredTargets(priorityId: number | null | undefined, mapping: TenantMapping): { targets: SlaTargetHours; key: string } | undefined {
    const configured = this.settings.slaTargets ?? {};
    if (typeof priorityId !== "number") return undefined;
    const label = mapping.priorityLabel(priorityId)?.trim().toLowerCase();
    const semantic = mapping.priorityOf(priorityId);
    for (const [key, targets] of Object.entries(configured)) {
      const k = key.toLowerCase();
      if (k === String(priorityId) || (label !== undefined && k === label)) return { targets, key };
    }
    for (const [key, targets] of Object.entries(configured)) {
      if (semantic !== undefined && key.toUpperCase() === semantic) return { targets, key };
    }
    return undefined;
  }

  /**
   * The resolution target a new ticket's due date is computed from, and why that one: the configured
   * target of its priority (id, label or semantic name), else the built-in target of its semantic
   * priority, else the configured "default", else the built-in medium target (`fallback`).
   */
  #resolutionTarget(priority: PicklistValue, mapping: TenantMapping): { hours: number; why: string; fallback: boolean } {
    const own = this.#configuredTargets(priority.value, mapping);
    if (own?.targets.resolutionHours) return { hours: own.targets.resolutionHours, why: `the resolution target AUTOTASK_SLA_TARGETS["${own.key}"]`, fallback: false };
    const semantic = mapping.priorityOf(priority.value);
    if (semantic) {
      return { hours: DEFAULT_SLA_TARGETS[semantic].resolutionHours, why: `the built-in resolution target for ${semantic.toLowerCase()} priority (${priority.label})`, fallback: false };
    }
    const fallback = Object.entries(this.settings.slaTargets ?? {}).find(([key]) => key.toLowerCase() === "default");
    if (fallback?.[1].resolutionHours) return { hours: fallback[1].resolutionHours, why: `the fallback resolution target AUTOTASK_SLA_TARGETS["${fallback[0]}"]`, fallback: true };
    return { hours: DEFAULT_SLA_TARGETS.MEDIUM.resolutionHours, why: "the fallback: the built-in medium resolution target", fallback: true };
  }
}

/** The ids a create or update sends, checked against Autotask's int32 ids before anything is sent. */
function checkRecordIds(fields: Partial<Record<"companyID" | "contactID" | "assignedResourceID" | "assignedResourceRoleID" | "contractID", number | null>>): void {
  for (const name of ["companyID", "contactID", "assignedResourceID", "assignedResourceRoleID", "contractID"] as const) {
    const value = fields[name];
    if (typeof value === "number") checkId(value, name);
  }
}

/**
 * What makes two creates the same ticket: the body as sent, with what Autotask stores as nothing
 * (empty text, null, a user-defined field without a value) left out and text compared trimmed, so an
 * empty description or a trailing space does not make a second ticket.
 */
function createIdentity(body: Record<string, unknown>): unknown {
  const canonical = (value: unknown): unknown => {
    if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
    if (value === null) return undefined;
    if (Array.isArray(value)) {
      const items = value.map(canonical).filter((item) => item !== undefined);
      return items.length === 0 ? undefined : items;
    }
    if (typeof value === "object" && value !== undefined) {
      // A user-defined field entry ({ name, value }) without a value sets nothing.
      if ("name" in value && "value" in value && canonical((value as { value: unknown }).value) === undefined) return undefined;
      const entries = Object.entries(value).map(([key, item]) => [key, canonical(item)] as const).filter(([, item]) => item !== undefined);
      return entries.length === 0 ? undefined : Object.fromEntries(entries);
    }
    return value;
  };
  return canonical(body) ?? {};
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

/** Where a row sits in a search's order: its id, and for `dueSoonest` its due time (ms; +Infinity when none). */
interface SortKey {
  id: number;
  due: number;
}

interface CursorState {
  /** Id of the last row shown; the next page continues after it in the search's order. */
  after: number;
  /** `dueSoonest`: the last row's `dueDateTime` in ms, null when it had none. Null for the other orders. */
  due: number | null;
  /** `dueSoonest`: the highest id the first page saw, so tickets created later stay out of this pass. 0 otherwise. */
  ceiling: number;
  /** The page this cursor asks for (2 or more). */
  page: number;
  /** Rows shown on earlier pages (for "rows 26-50"). */
  shown: number;
  size: number;
  /** Hash of the filter arguments (sort included), to catch a cursor sent with other filters. */
  filters: string;
  /** The first page's count, carried so later pages need no count request. */
  total: number;
}

/**
 * The key cursors are signed with: `DeskSettings.cursorKey` (derived from the API credentials, so every
 * replica of the team server and a restarted server accept each other's cursors), else a random key
 * per process (a cursor from before a restart is then refused, with the same message as a forged one).
 */
export function searchCursorKey(settings: Pick<DeskSettings, "cursorKey">): string {
  return settings.cursorKey ?? randomBytes(32).toString("base64url");
}

const BAD_CURSOR = "cursor is not one this server issued; start again without cursor.";
/** Length of the signature: 96 bits of HMAC-SHA256, base64url. */
const MAC_CHARS = 16;

function fingerprint(args: object): string {
  const entries = Object.entries(args)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256").update(JSON.stringify(entries)).digest("base64url").slice(0, 10);
}

function cursorMac(payload: string, key: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url").slice(0, MAC_CHARS);
}

/** `base64url(JSON [after, due, ceiling, page, shown, size, filters, total]) "." mac`. */
function encodeCursor(state: CursorState, key: string): string {
  const payload = Buffer.from(
    JSON.stringify([state.after, state.due, state.ceiling, state.page, state.shown, state.size, state.filters, state.total]),
    "utf8",
  ).toString("base64url");
  return `${payload}.${cursorMac(payload, key)}`;
}

/**
 * Checks the signature, then every field (a signed cursor is always valid; the checks keep a bug or a
 * leaked key from turning into "-1 tickets match"), then that it belongs to these filters.
 * @throws UserInputError naming `cursor`
 */
function decodeCursor(cursor: string, filters: string, sort: TicketSearchSort, key: string): CursorState {
  const state = readCursor(cursor, sort, key);
  if (state === undefined) throw new UserInputError(BAD_CURSOR, "cursor");
  if (state.filters !== filters) {
    throw new UserInputError("This cursor belongs to a search with other filters: send the cursor from the last answer with exactly the filters of the first page, or start again without cursor.", "cursor");
  }
  return state;
}

function readCursor(cursor: string, sort: TicketSearchSort, key: string): CursorState | undefined {
  const dot = cursor.lastIndexOf(".");
  if (dot < 1) return undefined;
  const payload = cursor.slice(0, dot);
  const mac = Buffer.from(cursor.slice(dot + 1), "utf8");
  const expected = Buffer.from(cursorMac(payload, key), "utf8");
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 8) return undefined;
  const [after, due, ceiling, page, shown, size, hash, total] = fields as unknown[];
  const whole = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;
  if (!whole(after, 1) || !whole(page, 2) || !whole(shown, page - 1) || !whole(total, 0) || !whole(ceiling, 0)) return undefined;
  if (!whole(size, 1) || size > MAX_PAGE_SIZE) return undefined;
  if (typeof hash !== "string" || !/^[A-Za-z0-9_-]{10}$/.test(hash)) return undefined;
  if (due !== null && !Number.isSafeInteger(due)) return undefined;
  // What each order carries: only dueSoonest has a due time and a ceiling (at or above the last id).
  if (sort === "dueSoonest" ? ceiling < after : due !== null || ceiling !== 0) return undefined;
  return { after, due: due as number | null, ceiling, page, shown, size, filters: hash, total };
}
