/**
 * Service-desk metrics over any number of tickets: counts by status and priority, resolution and
 * first-response times (wall-clock and business hours), SLA compliance, escalations and backlog age.
 *
 * One pass over the tickets collects plain numbers; only the duration lists are sorted for medians
 * and percentiles, so 100,000 tickets cost O(n log n) with small constants. Business hours use the
 * calendar's day table, which is O(1) per ticket. Tickets with missing or impossible dates (resolved
 * before created) are left out of the figure they would distort, so no input produces NaN; empty
 * inputs give zeros and nulls. Hours are rounded to two decimals, rates to four.
 *
 * Definitions:
 * - resolution time: from `createDate` to `resolvedDateTime`, or to `completedDate` for a COMPLETE ticket;
 * - SLA compliance: over tickets whose resolution outcome is decided (`slaOutcome`): resolved tickets
 *   (met when resolved by the due date, `resolvedDueDateTime` else `dueDateTime`) and open tickets
 *   already past their due date (breached: they can no longer be met). Open tickets not yet due are
 *   undecided, left out of the share and counted apart (`undecided`);
 * - open: every ticket whose status is not COMPLETE (tenant-specific statuses count as open);
 * - percentiles interpolate linearly between the nearest ranks.
 */
import { type BusinessCalendar, businessTimeBetween, DEFAULT_CALENDAR } from "./calendar.js";
import type { SlaTicket } from "./sla.js";
import type { TenantMapping } from "./states.js";
import { HOUR_MS, toEpochMs } from "./time.js";

export interface DurationStats {
  count: number;
  averageHours: number | null;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface TicketMetrics {
  total: number;
  /** Count per status label (unknown ids as "Status 42", missing as "(no status)"). */
  byStatus: Record<string, number>;
  byPriority: Record<string, number>;
  resolution: DurationStats & {
    averageBusinessHours: number | null;
    medianBusinessHours: number | null;
    p90BusinessHours: number | null;
  };
  firstResponse: DurationStats;
  /** `eligible`: decided tickets; `compliant`: met; `undecided`: open, due date not yet passed. */
  slaCompliance: { eligible: number; compliant: number; rate: number | null; undecided: number };
  escalated: number;
  open: number;
  backlogAgeHours: { average: number | null; median: number | null; oldest: number | null };
}

const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};
const hours = (ms: number | null) => (ms === null ? null : round(ms / HOUR_MS, 2));

/** Linear interpolation between closest ranks on a sorted array; null when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = (Math.min(Math.max(p, 0), 100) / 100) * (n - 1);
  const lower = Math.floor(rank);
  const upper = Math.min(lower + 1, n - 1);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (rank - lower);
}

/** Average, median and 90th percentile of ms values, in hours. */
function summarize(values: number[]): { count: number; average: number | null; median: number | null; p90: number | null } {
  if (values.length === 0) return { count: 0, average: null, median: null, p90: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    average: hours(sum / sorted.length),
    median: hours(percentile(sorted, 50)),
    p90: hours(percentile(sorted, 90)),
  };
}

function countsToLabels(counts: Map<number | null, number>, labelOf: (id: number) => string | undefined, kind: string) {
  // Labels are the tenant's text ("constructor", "__proto__" included): counted in a Map, then made own keys.
  const result = new Map<string, number>();
  for (const [id, count] of counts) {
    const label = id === null ? `(no ${kind})` : (labelOf(id) ?? `${kind[0]!.toUpperCase()}${kind.slice(1)} ${id}`);
    result.set(label, (result.get(label) ?? 0) + count);
  }
  return Object.fromEntries(result) as Record<string, number>;
}

function increment(map: Map<number | null, number>, key: number | null) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Metrics for a set of tickets at `now`. Accepts any iterable, so tickets can be streamed in pages. */
export function calculateTicketMetrics(
  tickets: Iterable<SlaTicket>,
  now: Date,
  mapping: TenantMapping,
  options: { calendar?: BusinessCalendar } = {},
): TicketMetrics {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError("now is not a valid date.");
  const calendar = options.calendar ?? DEFAULT_CALENDAR;

  const statusCounts = new Map<number | null, number>();
  const priorityCounts = new Map<number | null, number>();
  const resolutionMs: number[] = [];
  const resolutionBusinessMs: number[] = [];
  const firstResponseMs: number[] = [];
  const backlogMs: number[] = [];
  let total = 0;
  let eligible = 0;
  let compliant = 0;
  let undecided = 0;
  let escalated = 0;
  let open = 0;

  for (const ticket of tickets) {
    total += 1;
    const statusId = ticket.status ?? null;
    increment(statusCounts, statusId);
    increment(priorityCounts, ticket.priority ?? null);
    const status = mapping.statusOf(statusId);
    const isComplete = status === "COMPLETE";
    if (status === "ESCALATED") escalated += 1;

    const created = toEpochMs(ticket.createDate);
    const resolved = toEpochMs(ticket.resolvedDateTime) ?? (isComplete ? toEpochMs(ticket.completedDate) : null);

    if (created !== null && resolved !== null && resolved >= created) {
      resolutionMs.push(resolved - created);
      resolutionBusinessMs.push(businessTimeBetween(new Date(created), new Date(resolved), calendar));
    }
    const responded = toEpochMs(ticket.firstResponseDateTime);
    if (created !== null && responded !== null && responded >= created) firstResponseMs.push(responded - created);

    const due = toEpochMs(ticket.resolvedDueDateTime) ?? toEpochMs(ticket.dueDateTime);
    const outcome = slaOutcome({ resolvedMs: resolved, complete: isComplete, dueMs: due, nowMs });
    if (outcome === "undecided") undecided += 1;
    else if (outcome !== undefined) {
      eligible += 1;
      if (outcome === "met") compliant += 1;
    }

    if (!isComplete) {
      open += 1;
      if (created !== null) backlogMs.push(Math.max(0, nowMs - created));
    }
  }

  const resolution = summarize(resolutionMs);
  const resolutionBusiness = summarize(resolutionBusinessMs);
  const firstResponse = summarize(firstResponseMs);
  const backlog = summarize(backlogMs);
  let oldest: number | null = null;
  for (const age of backlogMs) if (oldest === null || age > oldest) oldest = age;

  return {
    total,
    byStatus: countsToLabels(statusCounts, (id) => mapping.statusLabel(id), "status"),
    byPriority: countsToLabels(priorityCounts, (id) => mapping.priorityLabel(id), "priority"),
    resolution: {
      count: resolution.count,
      averageHours: resolution.average,
      medianHours: resolution.median,
      p90Hours: resolution.p90,
      averageBusinessHours: resolutionBusiness.average,
      medianBusinessHours: resolutionBusiness.median,
      p90BusinessHours: resolutionBusiness.p90,
    },
    firstResponse: {
      count: firstResponse.count,
      averageHours: firstResponse.average,
      medianHours: firstResponse.median,
      p90Hours: firstResponse.p90,
    },
    slaCompliance: { eligible, compliant, rate: eligible === 0 ? null : round(compliant / eligible, 4), undecided },
    escalated,
    open,
    backlogAgeHours: { average: backlog.average, median: backlog.median, oldest: hours(oldest) },
  };
}

/** A ticket's resolution SLA outcome: decided (`met`, `breached`), not yet (`undecided`), or none to judge (undefined). */
export type SlaOutcome = "met" | "breached" | "undecided" | undefined;

/**
 * The one compliance rule, for the server's computation and Autotask's record alike. A resolved ticket
 * is decided: Autotask's `verdict` (`isResolutionMet`, `serviceLevelAgreementHasBeenMet`) when given,
 * else resolved by the due date. An open ticket is decided only once its due date has passed (breached:
 * it can no longer be met); before that it is undecided and must not count as met. A ticket without a
 * due date and verdict, or completed without any completion date, is not judged.
 * Times are epoch ms; `nowMs` is the report's instant.
 */
export function slaOutcome(input: { resolvedMs: number | null; complete: boolean; dueMs: number | null; nowMs: number; verdict?: boolean; hasTarget?: boolean }): SlaOutcome {
  const { resolvedMs, complete, dueMs, nowMs, verdict } = input;
  if (resolvedMs !== null) {
    if (typeof verdict === "boolean") return verdict ? "met" : "breached";
    if (dueMs === null) return undefined;
    return resolvedMs <= dueMs ? "met" : "breached";
  }
  if (complete) return undefined;
  if (dueMs !== null) return nowMs > dueMs ? "breached" : "undecided";
  return input.hasTarget ? "undecided" : undefined;
}
