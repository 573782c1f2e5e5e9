/**
 * The SLA report: open tickets whose first-response or resolution clock is at risk (more than a
 * configurable share of the target used, default 0.75) or breached, grouped by queue, resource or
 * priority, with business time remaining or overdue. A clock paused (waiting on the customer or on
 * materials) is shown as paused. The clock is the domain's (`domain/sla.ts`): Autotask's due dates
 * on the ticket where it has them, the tenant calendar's business hours otherwise.
 */
import type { RequestOptions } from "../../autotask/api.js";
import type { Ticket } from "../../autotask/schemas.js";
import { computeSla, type SlaClockReport } from "../../domain/sla.js";
import { HOUR_MS } from "../../domain/time.js";
import { inDeskZone } from "../dates.js";
import { openTicketFilter, resourceNames, SWEEP_FIELDS, type SweepFilters } from "./open-tickets.js";
import { streamTickets } from "./paging.js";
import type { ReportCallOptions, ReportDependencies } from "./types.js";

export type SlaGrouping = "queue" | "resource" | "priority";

export type SlaRow = {
  id: number;
  ticketNumber?: string;
  title?: string;
  state: "breached" | "at_risk";
  /** Which clock decides the row: the worse of the two open clocks. */
  target: "first response" | "resolution";
  clock: "running" | "paused";
  /** Business hours left before the due date (at risk) or past it (breached, as a positive number). */
  businessHours: number;
  /** The decisive clock's due time, in the desk's zone with its offset. */
  dueAt?: string;
  priority?: string;
};

export type SlaGroup = {
  key: string;
  breached: number;
  atRisk: number;
  tickets: SlaRow[];
};

export type SlaReport = {
  checked: number;
  breached: number;
  atRisk: number;
  paused: number;
  groupBy: SlaGrouping;
  groups: SlaGroup[];
  /** Rows left out of `groups` because of `limit` (counts above include them). */
  omitted: number;
};

const rank = (row: SlaRow) => (row.state === "breached" ? 1e9 + row.businessHours : -row.businessHours);

export class SlaReportService {
  constructor(private readonly deps: ReportDependencies) {}

  /** At-risk and breached open tickets, worst first within each group; at most `limit` rows (default 50). */
  async report(
    args: SweepFilters & { groupBy?: SlaGrouping; atRiskRatio?: number; limit?: number },
    options: ReportCallOptions,
  ): Promise<SlaReport> {
    const request: RequestOptions = { signal: options.signal };
    const mapping = await this.deps.tenant.mapping(request);
    // The tool filters by queue only; names in a company or technician filter would be resolved too.
    const filter = await openTicketFilter(this.deps, mapping, args, [], request);
    const groupBy = args.groupBy ?? "queue";
    const rows: Array<{ row: SlaRow; queueID?: number | null; resourceID?: number | null }> = [];
    let paused = 0;
    const summary = await streamTickets(this.deps.api, { filter, includeFields: SWEEP_FIELDS }, { ...options, label: "SLA report" }, (page) => {
      for (const ticket of page) {
        const row = this.#rowOf(ticket, mapping, options.now, args.atRiskRatio);
        if (!row) continue;
        if (row.clock === "paused") paused += 1;
        rows.push({ row, queueID: ticket.queueID, resourceID: ticket.assignedResourceID });
      }
    });
    const limit = args.limit ?? 50;
    rows.sort((a, b) => rank(b.row) - rank(a.row));
    const [queues, names] = await Promise.all([
      this.deps.tenant.ticketPicklist("queueID", request),
      groupBy === "resource" ? resourceNames(this.deps.directory, rows.flatMap((r) => (typeof r.resourceID === "number" ? [r.resourceID] : [])), request) : Promise.resolve(new Map<number, string>()),
    ]);
    const keyOf = (entry: (typeof rows)[number]): string => {
      if (groupBy === "priority") return entry.row.priority ?? "(no priority)";
      if (groupBy === "resource") return typeof entry.resourceID === "number" ? (names.get(entry.resourceID) ?? `Resource ${entry.resourceID}`) : "(unassigned)";
      return typeof entry.queueID === "number" ? (queues.labelOf(entry.queueID) ?? `Queue ${entry.queueID}`) : "(no queue)";
    };
    const groups = new Map<string, SlaGroup>();
    rows.forEach((entry, index) => {
      const key = keyOf(entry);
      let group = groups.get(key);
      if (!group) {
        group = { key, breached: 0, atRisk: 0, tickets: [] };
        groups.set(key, group);
      }
      if (entry.row.state === "breached") group.breached += 1;
      else group.atRisk += 1;
      if (index < limit) group.tickets.push(entry.row);
    });
    const breached = rows.filter((r) => r.row.state === "breached").length;
    return {
      checked: summary.tickets,
      breached,
      atRisk: rows.length - breached,
      paused,
      groupBy,
      groups: [...groups.values()].sort((a, b) => b.breached - a.breached || b.atRisk - a.atRisk || a.key.localeCompare(b.key)),
      omitted: Math.max(0, rows.length - limit),
    };
  }

  #rowOf(ticket: Ticket, mapping: Parameters<typeof computeSla>[2]["mapping"], now: Date, atRiskRatio: number | undefined): SlaRow | undefined {
    const sla = computeSla(ticket, now, { mapping, calendar: this.deps.settings.calendar, atRiskRatio });
    const open = (clock: SlaClockReport) => !clock.completedAt && (clock.state === "breached" || clock.state === "at_risk");
    const candidates = ([["first response", sla.response], ["resolution", sla.resolution]] as const).filter(([, clock]) => open(clock));
    if (candidates.length === 0) return undefined;
    // The worse clock: a breach over a risk, then the larger overdue / the smaller remaining time.
    const [target, clock] = candidates.reduce((worst, next) => {
      const score = (c: SlaClockReport) => (c.state === "breached" ? 1e15 + c.overdueBusinessMs : -c.remainingBusinessMs);
      return score(next[1]) > score(worst[1]) ? next : worst;
    });
    const ms = clock.state === "breached" ? clock.overdueBusinessMs : clock.remainingBusinessMs;
    const row: SlaRow = {
      id: ticket.id,
      state: clock.state === "breached" ? "breached" : "at_risk",
      target,
      clock: sla.clock === "paused" ? "paused" : "running",
      businessHours: Math.round((ms / HOUR_MS) * 100) / 100,
    };
    if (ticket.ticketNumber) row.ticketNumber = ticket.ticketNumber;
    if (ticket.title) row.title = ticket.title;
    const dueAt = inDeskZone(clock.dueAt, this.deps.settings.calendar.timeZone);
    if (dueAt) row.dueAt = dueAt;
    const priority = mapping.priorityLabel(ticket.priority);
    if (priority) row.priority = priority;
    return row;
  }
}
