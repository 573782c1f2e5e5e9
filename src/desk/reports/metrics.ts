/**
 * Service-desk metrics over every ticket a filter matches, streamed page by page into aggregates.
 *
 * Definitions follow `domain/metrics.ts` (resolution: createDate → resolvedDateTime, or completedDate
 * for a COMPLETE ticket; compliance over decided tickets only, `slaOutcome`: resolved ones plus open
 * ones already breached, open tickets not yet breached counted apart; open = not COMPLETE), with one
 * difference in where SLA figures come from:
 * - a resolved ticket with an Autotask SLA (`serviceLevelAgreementID`) takes its compliance and its business
 *   hours from Autotask's own record: `ServiceLevelAgreementResults` (`isResolutionMet`,
 *   `resolutionElapsedHours`, `firstResponseElapsedHours`, on Autotask's business-hours, pause-aware
 *   SLA clock), then the ticket's `serviceLevelAgreementHasBeenMet`;
 * - every other figure is the server's: business hours on the configured calendar, compliance from
 *   the due date. The report counts the figures taken from each source.
 *
 * Memory: a page (≤ 500 tickets) and at most two pending SLA-result batches are held at a time; the
 * aggregates keep counters plus one number per resolved ticket per duration (for exact medians), about
 * 32 bytes per ticket, never the tickets themselves.
 *
 * Requests: ⌈n/500⌉ ticket pages (one after the other, as `nextPageUrl` paging requires), one count
 * when progress is reported, and one `ServiceLevelAgreementResults` query per 500 tickets that have an
 * SLA, running beside the ticket pages (the client's per-endpoint limit of 3 applies).
 */
import type { RequestOptions } from "../../autotask/api.js";
import { AutotaskNotFoundError } from "../../autotask/errors.js";
import { type Condition, eq, exist, gte, inList, lt } from "../../autotask/query.js";
import type { ServiceLevelAgreementResult, Ticket, TicketField } from "../../autotask/schemas.js";
import { type BusinessCalendar, businessTimeBetween } from "../../domain/calendar.js";
import { percentile, slaOutcome } from "../../domain/metrics.js";
import type { TenantMapping } from "../../domain/states.js";
import { HOUR_MS, toEpochMs } from "../../domain/time.js";
import { rangeBounds } from "../dates.js";
import { resourceNames, whoConditions } from "./open-tickets.js";
import { streamTickets } from "./paging.js";
import type { ReportCallOptions, ReportDependencies } from "./types.js";

/** The only ticket fields the metrics read (sent as `IncludeFields`). */
export const METRIC_FIELDS = [
  "id",
  "status",
  "priority",
  "queueID",
  "assignedResourceID",
  "serviceLevelAgreementID",
  "serviceLevelAgreementHasBeenMet",
  "createDate",
  "firstResponseDateTime",
  "resolvedDateTime",
  "completedDate",
  "dueDateTime",
  "resolvedDueDateTime",
] as const;

export const SLA_RESULT_FIELDS = ["id", "ticketID", "isResolutionMet", "resolutionElapsedHours", "firstResponseElapsedHours"] as const;

/** Tickets with an SLA per `ServiceLevelAgreementResults` query (one `in` list, one page). */
export const SLA_BATCH = 500;

export type MetricsBreakdown = "queue" | "resource";

export interface MetricsFilters {
  /** Id, or a name resolved to one active company (`Directory.resolveFilterPeople`). */
  companyID?: number | string;
  /** Queue id or label. */
  queueID?: number | string;
  /** Id, or a technician's name or e-mail resolved to one active resource. */
  assignedResourceID?: number | string;
  /** ISO dates or instants (without an offset: in the desk's zone); `…After` inclusive, `…Before` exclusive, as in the ticket search. */
  createdAfter?: string;
  createdBefore?: string;
  completedAfter?: string;
  completedBefore?: string;
}

export type Durations = {
  count: number;
  averageHours: number | null;
  medianHours: number | null;
  averageBusinessHours: number | null;
  medianBusinessHours: number | null;
};

export type BreakdownRow = {
  key: string;
  count: number;
  open: number;
  resolved: number;
  averageResolutionHours: number | null;
  slaCompliancePercent: number | null;
};

export type MetricsReport = {
  total: number;
  open: number;
  escalated: number;
  resolution: Durations;
  firstResponse: Durations;
  /**
   * Compliance over decided tickets (`eligible`: resolved ones, met or breached, plus `openBreached`,
   * open tickets already past due); `undecided`: open tickets not yet breached, outside the share.
   */
  sla: { eligible: number; compliant: number; compliancePercent: number | null; openBreached: number; undecided: number };
  byStatus: Array<{ label: string; count: number }>;
  byPriority: Array<{ label: string; count: number }>;
  breakdown?: { by: MetricsBreakdown; rows: BreakdownRow[] };
  /** How many figures came from Autotask's SLA record and how many from the server's computation. */
  sources: { ticketsWithSla: number; autotaskFigures: number; serverFigures: number; slaResultsRead: number; slaResultsUnavailable?: true };
};

type MetricTicket = Pick<Ticket, (typeof METRIC_FIELDS)[number]>;
type SlaFigures = Pick<ServiceLevelAgreementResult, "isResolutionMet" | "resolutionElapsedHours" | "firstResponseElapsedHours">;

const round2 = (value: number) => Math.round(value * 100) / 100;
const hoursOf = (ms: number | null) => (ms === null ? null : round2(ms / HOUR_MS));

/** Growable Float64 storage: 8 bytes per value, no per-element boxing. */
class NumberList {
  #data = new Float64Array(1024);
  length = 0;
  #sum = 0;
  push(value: number): void {
    if (this.length === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.length++] = value;
    this.#sum += value;
  }
  average(): number | null {
    return this.length === 0 ? null : this.#sum / this.length;
  }
  median(): number | null {
    return percentile(this.#data.subarray(0, this.length).sort(), 50);
  }
}

interface GroupCounters {
  count: number;
  open: number;
  resolved: number;
  resolutionMs: number;
  eligible: number;
  compliant: number;
}

/**
 * The streaming aggregate. `add` each ticket once (with Autotask's SLA record when it has one), then
 * `result()`. Pure: `now`, the mapping and the calendar are given.
 */
export class MetricsAggregator {
  #total = 0;
  #open = 0;
  #escalated = 0;
  #eligible = 0;
  #compliant = 0;
  #undecided = 0;
  #openBreached = 0;
  #withSla = 0;
  #autotask = 0;
  #server = 0;
  #slaResults = 0;
  readonly #status = new Map<number | null, number>();
  readonly #priority = new Map<number | null, number>();
  readonly #groups = new Map<number | null, GroupCounters>();
  readonly #resolution = new NumberList();
  readonly #resolutionBusiness = new NumberList();
  readonly #response = new NumberList();
  readonly #responseBusiness = new NumberList();
  readonly #nowMs: number;

  constructor(
    private readonly mapping: TenantMapping,
    private readonly calendar: BusinessCalendar,
    now: Date,
    private readonly breakdown?: MetricsBreakdown,
  ) {
    this.#nowMs = now.getTime();
  }

  add(ticket: MetricTicket, sla?: SlaFigures | null): void {
    this.#total += 1;
    const statusId = ticket.status ?? null;
    this.#status.set(statusId, (this.#status.get(statusId) ?? 0) + 1);
    const priorityId = ticket.priority ?? null;
    this.#priority.set(priorityId, (this.#priority.get(priorityId) ?? 0) + 1);
    const state = this.mapping.statusOf(statusId);
    const complete = state === "COMPLETE";
    if (state === "ESCALATED") this.#escalated += 1;
    if (!complete) this.#open += 1;
    const hasSla = typeof ticket.serviceLevelAgreementID === "number";
    if (hasSla) this.#withSla += 1;
    if (sla) this.#slaResults += 1;

    const created = toEpochMs(ticket.createDate);
    const resolved = toEpochMs(ticket.resolvedDateTime) ?? (complete ? toEpochMs(ticket.completedDate) : null);
    const resolutionMs = this.#elapsed(created, resolved, hasSla ? sla?.resolutionElapsedHours : undefined, this.#resolution, this.#resolutionBusiness);
    const responded = toEpochMs(ticket.firstResponseDateTime);
    this.#elapsed(created, responded, hasSla ? sla?.firstResponseElapsedHours : undefined, this.#response, this.#responseBusiness);

    // Compliance (domain/metrics.ts `slaOutcome`): Autotask's verdict decides a resolved ticket that has
    // an SLA, the due date every other; an open ticket counts only once breached, else it is undecided.
    const verdict = hasSla && resolved !== null ? (sla?.isResolutionMet ?? ticket.serviceLevelAgreementHasBeenMet) : undefined;
    const due = toEpochMs(ticket.resolvedDueDateTime) ?? toEpochMs(ticket.dueDateTime);
    const outcome = slaOutcome({ resolvedMs: resolved, complete, dueMs: due, nowMs: this.#nowMs, verdict: typeof verdict === "boolean" ? verdict : undefined, hasTarget: hasSla });
    if (outcome !== undefined) {
      if (typeof verdict === "boolean") this.#autotask += 1;
      else this.#server += 1;
    }
    const judged = outcome === "met" ? true : outcome === "breached" ? false : undefined;
    if (outcome === "undecided") this.#undecided += 1;
    if (outcome === "breached" && resolved === null) this.#openBreached += 1;
    if (judged !== undefined) {
      this.#eligible += 1;
      if (judged) this.#compliant += 1;
    }

    if (this.breakdown) {
      const key = (this.breakdown === "queue" ? ticket.queueID : ticket.assignedResourceID) ?? null;
      let group = this.#groups.get(key);
      if (!group) {
        group = { count: 0, open: 0, resolved: 0, resolutionMs: 0, eligible: 0, compliant: 0 };
        this.#groups.set(key, group);
      }
      group.count += 1;
      if (!complete) group.open += 1;
      if (resolutionMs !== null) {
        group.resolved += 1;
        group.resolutionMs += resolutionMs;
      }
      if (judged !== undefined) {
        group.eligible += 1;
        if (judged) group.compliant += 1;
      }
    }
  }

  /**
   * One elapsed time (response or resolution) from `from` to `to` (epoch ms), added to its wall-clock
   * and business-time lists: business time from Autotask's SLA record when it has one (`slaHours`,
   * its pause-aware clock), else from the desk's calendar. Returns the wall-clock ms, or null when
   * either end is missing or the order is impossible.
   */
  #elapsed(from: number | null, to: number | null, slaHours: number | null | undefined, wall: NumberList, business: NumberList): number | null {
    if (from === null || to === null || to < from) return null;
    wall.push(to - from);
    if (typeof slaHours === "number") {
      business.push(slaHours * HOUR_MS);
      this.#autotask += 1;
    } else {
      business.push(businessTimeBetween(new Date(from), new Date(to), this.calendar));
      this.#server += 1;
    }
    return to - from;
  }

  /**
   * The report. `groupLabel` names breakdown keys (queue labels, resource names); at most `maxGroups`
   * breakdown rows, largest first.
   */
  result(groupLabel: (id: number) => string | undefined = () => undefined, maxGroups = 25): MetricsReport {
    const labelled = (counts: Map<number | null, number>, labelOf: (id: number) => string | undefined, kind: string) => {
      const merged = new Map<string, number>();
      for (const [id, count] of counts) {
        const label = id === null ? `(no ${kind})` : (labelOf(id) ?? `${kind} ${id}`);
        merged.set(label, (merged.get(label) ?? 0) + count);
      }
      return [...merged].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
    };
    const durations = (wall: NumberList, business: NumberList): Durations => ({
      count: wall.length,
      averageHours: hoursOf(wall.average()),
      medianHours: hoursOf(wall.median()),
      averageBusinessHours: hoursOf(business.average()),
      medianBusinessHours: hoursOf(business.median()),
    });
    const percent = (part: number, whole: number) => (whole === 0 ? null : round2((part / whole) * 100));
    const report: MetricsReport = {
      total: this.#total,
      open: this.#open,
      escalated: this.#escalated,
      resolution: durations(this.#resolution, this.#resolutionBusiness),
      firstResponse: durations(this.#response, this.#responseBusiness),
      sla: {
        eligible: this.#eligible,
        compliant: this.#compliant,
        compliancePercent: percent(this.#compliant, this.#eligible),
        openBreached: this.#openBreached,
        undecided: this.#undecided,
      },
      byStatus: labelled(this.#status, (id) => this.mapping.statusLabel(id), "status"),
      byPriority: labelled(this.#priority, (id) => this.mapping.priorityLabel(id), "priority"),
      sources: { ticketsWithSla: this.#withSla, autotaskFigures: this.#autotask, serverFigures: this.#server, slaResultsRead: this.#slaResults },
    };
    if (this.breakdown) {
      const fallback = this.breakdown === "queue" ? "(no queue)" : "(unassigned)";
      const rows = [...this.#groups]
        .sort((a, b) => b[1].count - a[1].count || String(a[0]).localeCompare(String(b[0])))
        .slice(0, maxGroups)
        .map(([id, g]): BreakdownRow => ({
          key: id === null ? fallback : (groupLabel(id) ?? `${this.breakdown === "queue" ? "Queue" : "Resource"} ${id}`),
          count: g.count,
          open: g.open,
          resolved: g.resolved,
          averageResolutionHours: g.resolved === 0 ? null : hoursOf(g.resolutionMs / g.resolved),
          slaCompliancePercent: percent(g.compliant, g.eligible),
        }));
      report.breakdown = { by: this.breakdown, rows };
    }
    return report;
  }

  /** Ids of the breakdown keys, for naming them. */
  groupIds(): number[] {
    return [...this.#groups.keys()].filter((id): id is number => id !== null);
  }
}

export class MetricsService {
  constructor(private readonly deps: ReportDependencies) {}

  /**
   * Metrics over every ticket matching `filters`. Empty sets give zeros and nulls, never NaN.
   * @throws UserInputError for unreadable dates or labels; the client's errors for refusals.
   */
  async metrics(
    args: MetricsFilters & { breakdown?: MetricsBreakdown },
    options: ReportCallOptions,
  ): Promise<{ report: MetricsReport; pages: number; notes: string[] }> {
    const request: RequestOptions = { signal: options.signal };
    const mapping = await this.deps.tenant.mapping(request);
    const notes: string[] = [];
    const filter = await this.#filter(args, notes, request);
    const aggregator = new MetricsAggregator(mapping, this.deps.settings.calendar, options.now, args.breakdown);
    const sla = new SlaResultBatcher(this.deps, request, aggregator);
    // A page is aggregated while the next one is on the wire: the callback hands it over and returns, so
    // the paging asks for the next page at once (at most one page waits; its tickets are not copied).
    let aggregating: Promise<void> = Promise.resolve();
    const aggregate = async (page: readonly MetricTicket[]) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (const ticket of page) {
        if (typeof ticket.serviceLevelAgreementID === "number") await sla.push(ticket);
        else aggregator.add(ticket);
      }
    };
    const summary = await streamTickets(
      this.deps.api,
      { filter, includeFields: METRIC_FIELDS },
      { ...options, label: "Ticket metrics" },
      async (page) => {
        await aggregating;
        aggregating = aggregate(page);
        // Failures surface when awaited (next page or below); not reported as unhandled meanwhile.
        aggregating.catch(() => undefined);
      },
    ).catch(async (error: unknown) => {
      await aggregating.catch(() => undefined);
      throw error;
    });
    await aggregating;
    await sla.flush();
    let labelOf: (id: number) => string | undefined = () => undefined;
    if (args.breakdown === "queue") {
      const queues = await this.deps.tenant.ticketPicklist("queueID", request);
      labelOf = (id) => queues.labelOf(id);
    } else if (args.breakdown === "resource") {
      const names = await resourceNames(this.deps.directory, aggregator.groupIds(), request);
      labelOf = (id) => names.get(id);
    }
    const report = aggregator.result(labelOf);
    if (sla.unavailable) report.sources.slaResultsUnavailable = true;
    if (report.total === 0) notes.push(...(await this.deps.directory.missingIds(args, request)));
    return { report, pages: summary.pages, notes };
  }

  async #filter(args: MetricsFilters, notes: string[], options: RequestOptions): Promise<Condition<TicketField>[]> {
    const filter: Condition<TicketField>[] = await whoConditions(this.deps.directory, args, notes, options);
    if (args.queueID !== undefined) filter.push(eq("queueID", (await this.deps.tenant.resolveTicketValue("queueID", args.queueID, { ...options, forRead: true })).value));
    // The desk's one bound parser: dates in the desk's zone, impossible dates and reversed ranges refused.
    const zone = this.deps.settings.calendar.timeZone;
    const range = (field: TicketField, from: string | undefined, to: string | undefined, name: string) => {
      const bounds = rangeBounds({ name: `${name}After`, value: from }, { name: `${name}Before`, value: to }, zone);
      if (bounds.after !== undefined) filter.push(gte(field, bounds.after));
      if (bounds.before !== undefined) filter.push(lt(field, bounds.before));
    };
    range("createDate", args.createdAfter, args.createdBefore, "created");
    range("completedDate", args.completedAfter, args.completedBefore, "completed");
    if (filter.length === 0) filter.push(exist("id"));
    return filter;
  }
}

/**
 * Holds tickets that have an SLA until 500 are gathered, reads their `ServiceLevelAgreementResults`
 * in one query, then adds them to the aggregate. At most two batches are in flight; the ticket
 * paging continues meanwhile. When the tenant or API has no such entity (404), the tickets' own
 * `serviceLevelAgreementHasBeenMet` is used and the report says so.
 */
class SlaResultBatcher {
  #buffer: MetricTicket[] = [];
  readonly #inFlight: Promise<void>[] = [];
  unavailable = false;

  constructor(
    private readonly deps: ReportDependencies,
    private readonly options: RequestOptions,
    private readonly aggregator: MetricsAggregator,
  ) {}

  async push(ticket: MetricTicket): Promise<void> {
    this.#buffer.push(ticket);
    if (this.#buffer.length >= SLA_BATCH) await this.#send();
  }

  async flush(): Promise<void> {
    if (this.#buffer.length > 0) await this.#send();
    await Promise.all(this.#inFlight);
  }

  async #send(): Promise<void> {
    const batch = this.#buffer;
    this.#buffer = [];
    if (this.#inFlight.length >= 2) await this.#inFlight.shift();
    const task = this.#resolve(batch);
    // Errors surface when awaited (flush or the next send); keep Node from reporting them as unhandled meanwhile.
    task.catch(() => undefined);
    this.#inFlight.push(task);
  }

  async #resolve(batch: MetricTicket[]): Promise<void> {
    const byTicket = new Map<number, SlaFigures>();
    if (!this.unavailable) {
      try {
        const ids = batch.map((t) => t.id);
        for await (const page of this.deps.api.queryServiceLevelAgreementResults(
          { filter: [inList("ticketID", ids)], includeFields: SLA_RESULT_FIELDS, maxRecords: 500 },
          { signal: this.options.signal, maxTotal: ids.length },
        )) {
          for (const result of page) if (typeof result.ticketID === "number") byTicket.set(result.ticketID, result);
        }
      } catch (error) {
        if (!(error instanceof AutotaskNotFoundError)) throw error;
        this.unavailable = true;
      }
    }
    for (const ticket of batch) this.aggregator.add(ticket, byTicket.get(ticket.id) ?? null);
  }
}
