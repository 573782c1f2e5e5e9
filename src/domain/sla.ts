/**
 * The SLA clock: first-response and resolution targets per priority, measured in business time, paused
 * while the ticket waits on the customer or on materials and stopped at completion.
 *
 * ONE due time per SLA event, and where it came from, because tenants differ. Autotask's own SLA fields
 * are the truth when the ticket has them (`firstResponseDueDateTime`, `resolvedDueDateTime`, set by
 * the ticket's `serviceLevelAgreementID`; reference "SLA fields on Tickets"): source "autotask_sla".
 * Without them the resolution is due at the ticket's own `dueDateTime` ("ticket_due_date"), the date
 * Autotask shows and people set. Only when neither exists is a due time computed: target hours from
 * the contract, then the ticket's configured target (AUTOTASK_SLA_TARGETS), then configuration per
 * semantic priority, then the defaults (CRITICAL 1/4 h, HIGH 2/8 h, MEDIUM 4/24 h, LOW 8/72 h), added
 * in business time on the priority's calendar.
 *
 * What is known about the past matters. With a status timeline the clock replays it (before the first
 * change the ticket is taken to be NEW). Without one, the ticket is assumed to have been in its current
 * status since `lastActivityDate` (for COMPLETE: since `completedDate`), or since `createDate` when
 * that is missing, and to have had a running clock before that. A note added while waiting therefore
 * shortens the known pause: the clock errs towards reporting too much elapsed time, never too little.
 */
import { addBusinessTime, type BusinessCalendar, businessTimeBetween, DEFAULT_CALENDAR, formatWithOffset } from "./calendar.js";
import type { SemanticPriority, SemanticStatus, TenantMapping } from "./states.js";
import { HOUR_MS, MINUTE_MS, toEpochMs } from "./time.js";

export interface SlaTargets {
  responseHours: number;
  resolutionHours: number;
}

export const DEFAULT_SLA_TARGETS: Readonly<Record<SemanticPriority, Readonly<SlaTargets>>> = Object.freeze({
  CRITICAL: Object.freeze({ responseHours: 1, resolutionHours: 4 }),
  HIGH: Object.freeze({ responseHours: 2, resolutionHours: 8 }),
  MEDIUM: Object.freeze({ responseHours: 4, resolutionHours: 24 }),
  LOW: Object.freeze({ responseHours: 8, resolutionHours: 72 }),
});

/** The ticket fields the rules read; Autotask's own names, dates as ISO strings in UTC. */
export interface SlaTicket {
  id?: number;
  status?: number | null;
  priority?: number | null;
  createDate?: string | null;
  dueDateTime?: string | null;
  serviceLevelAgreementID?: number | null;
  serviceLevelAgreementHasBeenMet?: boolean | null;
  firstResponseDateTime?: string | null;
  firstResponseDueDateTime?: string | null;
  resolvedDateTime?: string | null;
  resolvedDueDateTime?: string | null;
  completedDate?: string | null;
  lastActivityDate?: string | null;
  assignedResourceID?: number | null;
}

/** One entry of a ticket's status history: from `at` on, the ticket had `status` (picklist id). */
export interface StatusChange {
  at: Date | string;
  status: number;
}

export interface SlaOptions {
  mapping: TenantMapping;
  /** Default for every priority; DEFAULT_CALENDAR (Mon-Fri 08:00-17:00 UTC) when absent. */
  calendar?: BusinessCalendar;
  /** E.g. { CRITICAL: ALWAYS_OPEN_CALENDAR } for 24x7 critical support. */
  calendarsByPriority?: Partial<Record<SemanticPriority, BusinessCalendar>>;
  /** Configuration targets per priority; override the defaults. */
  targets?: Partial<Record<SemanticPriority, Partial<SlaTargets>>>;
  /** The ticket's contract/SLA targets; override configuration and defaults. */
  contractTargets?: Partial<SlaTargets>;
  /** Targets configured for this ticket's own priority (id or label, AUTOTASK_SLA_TARGETS); after the contract. */
  ticketTargets?: Partial<SlaTargets>;
  /** Statuses in which the clock pauses; default WAITING_CUSTOMER and WAITING_MATERIALS. */
  pausedStatuses?: SemanticStatus[];
  /** Share of the target after which an open clock is "at_risk" (strictly more than); default 0.75. */
  atRiskRatio?: number;
  timeline?: StatusChange[];
}

export type SlaState = "met" | "on_track" | "at_risk" | "breached" | "not_applicable";
/**
 * Where a due time came from: Autotask's SLA fields, the ticket's `dueDateTime`, or computed from
 * target hours (contract, configuration, built-in default).
 */
export type SlaSource = "autotask_sla" | "ticket_due_date" | "contract" | "configuration" | "default";
type TargetSource = Exclude<SlaSource, "autotask_sla" | "ticket_due_date">;

/** Readable names of the sources, for summaries. */
export const SLA_SOURCE_LABELS: Readonly<Record<SlaSource, string>> = Object.freeze({
  autotask_sla: "Autotask SLA",
  ticket_due_date: "ticket due date",
  contract: "contract target",
  configuration: "configured target",
  default: "default target",
});

export interface SlaClockReport {
  /** ISO instant. For a paused clock computed from targets: where it would fall if the clock resumed now. */
  dueAt: string | null;
  source: SlaSource;
  state: SlaState;
  /** Business time the clock has run (pauses excluded), up to completion or now. */
  elapsedBusinessMs: number;
  /** Business time left before the due date (at completion, for a completed clock). */
  remainingBusinessMs: number;
  /** Business time past the due date (0 unless breached). */
  overdueBusinessMs: number;
  /** When the response was given / the ticket resolved; null while open. */
  completedAt?: string | null;
  /** The target in business ms when it came from hours (null for due dates taken from the ticket). */
  targetBusinessMs?: number | null;
}

export interface SlaStatus {
  priority: SemanticPriority | undefined;
  status: SemanticStatus;
  clock: "running" | "paused" | "stopped";
  response: SlaClockReport;
  resolution: SlaClockReport;
  /** Business time spent paused so far. */
  pausedBusinessMs: number;
  /** The calendar's time zone, used for readable times in the summary. */
  timeZone: string;
  /** What had to be assumed because the data did not say (readable sentences). */
  assumptions: string[];
  /** One readable sentence. */
  summary: string;
}

const DEFAULT_PAUSED: readonly SemanticStatus[] = ["WAITING_CUSTOMER", "WAITING_MATERIALS"];
const DEFAULT_AT_RISK_RATIO = 0.75;

type ClockMode = "running" | "paused" | "stopped";

interface Segment {
  from: number;
  to: number;
  mode: ClockMode;
}

/** The calendar for a priority: per-priority calendar, then the general one, then the default. */
export function calendarFor(priority: SemanticPriority | undefined, options: Pick<SlaOptions, "calendar" | "calendarsByPriority">): BusinessCalendar {
  return (priority && options.calendarsByPriority?.[priority]) || options.calendar || DEFAULT_CALENDAR;
}

const isUsableHours = (hours: number | undefined): hours is number =>
  typeof hours === "number" && Number.isFinite(hours) && hours > 0;

/** Target hours for one clock and where they came from; undefined when nothing applies. */
export function targetFor(
  kind: keyof SlaTargets,
  priority: SemanticPriority | undefined,
  options: Pick<SlaOptions, "targets" | "contractTargets" | "ticketTargets">,
): { hours: number; source: TargetSource } | undefined {
  const contract = options.contractTargets?.[kind];
  if (isUsableHours(contract)) return { hours: contract, source: "contract" };
  const own = options.ticketTargets?.[kind];
  if (isUsableHours(own)) return { hours: own, source: "configuration" };
  if (!priority) return undefined;
  const configured = options.targets?.[priority]?.[kind];
  if (isUsableHours(configured)) return { hours: configured, source: "configuration" };
  return { hours: DEFAULT_SLA_TARGETS[priority][kind], source: "default" };
}

/** The resolution due date for a new ticket (create_ticket sets `dueDateTime` from it). */
export function resolutionDueDate(
  priority: SemanticPriority,
  createdAt: Date,
  options: Omit<SlaOptions, "mapping" | "timeline">,
): Date {
  const target = targetFor("resolutionHours", priority, options)!;
  return addBusinessTime(createdAt, target.hours * HOUR_MS, calendarFor(priority, options));
}

/** The first-response due date for a new ticket. */
export function responseDueDate(priority: SemanticPriority, createdAt: Date, options: Omit<SlaOptions, "mapping" | "timeline">): Date {
  const target = targetFor("responseHours", priority, options)!;
  return addBusinessTime(createdAt, target.hours * HOUR_MS, calendarFor(priority, options));
}

/**
 * Business time (ms counted only inside the calendar's working hours) in hours, never in days: a
 * "day" of business time would read as 24 business hours. "45 business min", "232 business h",
 * "5 business h 20 min"; under a minute (zero included: a target missed outside business hours
 * is late by no business time) "less than a business minute", never "0 business min".
 */
export function formatBusinessDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "unknown business time";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs < MINUTE_MS) return "less than a business minute";
  const totalMinutes = Math.round(abs / MINUTE_MS);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${sign}${minutes} business min`;
  return `${sign}${hours} business h${minutes > 0 ? ` ${minutes} min` : ""}`;
}

/** Wall-clock time: "less than a minute", "45 min", "5 h 20 min", "2 d 3 h" (24-hour days; minutes dropped once days show). For business time use `formatBusinessDuration`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "unknown";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs < MINUTE_MS) return "less than a minute";
  const totalMinutes = Math.round(abs / MINUTE_MS);
  const days = Math.floor(totalMinutes / (24 * 60));
  const hours = Math.floor((totalMinutes % (24 * 60)) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return `${sign}${days} d${hours > 0 ? ` ${hours} h` : ""}`;
  if (hours > 0) return `${sign}${hours} h${minutes > 0 ? ` ${minutes} min` : ""}`;
  return `${sign}${minutes} min`;
}

function modeOf(status: SemanticStatus, paused: readonly SemanticStatus[]): ClockMode {
  if (status === "COMPLETE") return "stopped";
  return paused.includes(status) ? "paused" : "running";
}

/** The clock's history from creation to now as segments of one mode each. */
function buildSegments(
  ticket: SlaTicket,
  created: number,
  now: number,
  options: SlaOptions,
  paused: readonly SemanticStatus[],
  assumptions: string[],
): Segment[] {
  const mapping = options.mapping;
  const changes: { at: number; status: SemanticStatus; id: number }[] = [];
  for (const change of options.timeline ?? []) {
    const at = toEpochMs(change.at);
    if (at === null || at > now) continue;
    changes.push({ at: Math.max(at, created), status: mapping.statusOf(change.status), id: change.status });
  }
  changes.sort((a, b) => a.at - b.at);
  const current = ticket.status ?? undefined;
  const currentSemantic = mapping.statusOf(current);

  if (changes.length === 0) {
    const sinceField = currentSemantic === "COMPLETE" ? (ticket.completedDate ?? ticket.lastActivityDate) : ticket.lastActivityDate;
    const since = toEpochMs(sinceField);
    const start = since === null ? created : Math.min(Math.max(since, created), now);
    const mode = modeOf(currentSemantic, paused);
    if (mode !== "running") {
      assumptions.push(
        since === null
          ? `No status history: assumed ${currentSemantic} since the ticket was created.`
          : `No status history: assumed ${currentSemantic} since ${currentSemantic === "COMPLETE" && ticket.completedDate ? "completion" : "the last activity"} (${new Date(start).toISOString()}) and a running clock before.`,
      );
    }
    const segments: Segment[] = [
      { from: created, to: start, mode: "running" },
      { from: start, to: now, mode },
    ];
    // Keep the last segment even when empty: it carries the current mode.
    return segments.filter((segment) => segment.to > segment.from || segment.to === now);
  }

  const last = changes[changes.length - 1]!;
  if (current !== undefined && last.id !== current) {
    const lastActivity = toEpochMs(ticket.lastActivityDate);
    const at = Math.min(Math.max(last.at, lastActivity ?? last.at), now);
    changes.push({ at, status: currentSemantic, id: current });
    assumptions.push(`The status history ends before the current status; assumed ${currentSemantic} since ${new Date(at).toISOString()}.`);
  }
  const segments: Segment[] = [];
  let from = created;
  let mode: ClockMode = "running";
  for (const change of changes) {
    if (change.at > from) segments.push({ from, to: change.at, mode });
    from = Math.max(from, change.at);
    mode = modeOf(change.status, paused);
  }
  segments.push({ from, to: now, mode });
  return segments;
}

interface ClockInput {
  kind: "response" | "resolution";
  created: number | null;
  now: number;
  completedAt: number | null;
  ticketDue: number | null;
  ticketDueSource: "autotask_sla" | "ticket_due_date";
  target: { hours: number; source: TargetSource } | undefined;
  segments: Segment[];
  currentMode: ClockMode;
  cal: BusinessCalendar;
  atRiskRatio: number;
}

function notApplicable(completedAt: number | null): SlaClockReport {
  return {
    dueAt: null,
    source: "default",
    state: "not_applicable",
    elapsedBusinessMs: 0,
    remainingBusinessMs: 0,
    overdueBusinessMs: 0,
    completedAt: completedAt === null ? null : new Date(completedAt).toISOString(),
    targetBusinessMs: null,
  };
}

function openState(elapsed: number, total: number, overdue: number, ratio: number): SlaState {
  if (overdue > 0) return "breached";
  if (total <= 0 || elapsed > ratio * total) return "at_risk";
  return "on_track";
}

function computeClock(input: ClockInput): SlaClockReport {
  const { created, now, completedAt, ticketDue, target, segments, cal } = input;
  // The clock runs until the event happened, or until now while it is still open.
  const end = completedAt === null ? now : Math.min(completedAt, now);
  let elapsed = 0;
  if (created !== null) {
    for (const segment of segments) {
      if (segment.mode !== "running") continue;
      const to = Math.min(segment.to, end);
      if (to > segment.from) elapsed += businessTimeBetween(new Date(segment.from), new Date(to), cal);
    }
  }
  const completedIso = completedAt === null ? null : new Date(completedAt).toISOString();

  if (ticketDue !== null) {
    // While paused, measure from the moment the clock stopped moving: a paused clock does not move.
    let measuredAt = end;
    if (completedAt === null && input.currentMode === "paused") {
      const pause = segments[segments.length - 1];
      if (pause && pause.mode === "paused") measuredAt = Math.min(pause.from, now);
    }
    const due = new Date(ticketDue);
    const remaining = businessTimeBetween(new Date(measuredAt), due, cal);
    const overdue = businessTimeBetween(due, new Date(measuredAt), cal);
    const state: SlaState =
      completedAt !== null
        ? completedAt <= ticketDue
          ? "met"
          : "breached"
        : openState(elapsed, elapsed + remaining, overdue, input.atRiskRatio);
    return {
      dueAt: due.toISOString(),
      source: input.ticketDueSource,
      state,
      elapsedBusinessMs: elapsed,
      remainingBusinessMs: remaining,
      overdueBusinessMs: overdue,
      completedAt: completedIso,
      targetBusinessMs: null,
    };
  }

  if (!target || created === null) return notApplicable(completedAt);
  const targetMs = Math.round(target.hours * HOUR_MS);

  // Find where the running time reaches the target; if it has not yet, project from the end.
  let dueAt: number | null = null;
  let accumulated = 0;
  for (const segment of segments) {
    if (segment.mode !== "running") continue;
    const to = Math.min(segment.to, end);
    if (to <= segment.from) continue;
    const span = businessTimeBetween(new Date(segment.from), new Date(to), cal);
    if (accumulated + span >= targetMs) {
      dueAt = addBusinessTime(new Date(segment.from), targetMs - accumulated, cal).getTime();
      break;
    }
    accumulated += span;
  }
  const remaining = Math.max(0, targetMs - elapsed);
  const overdue = Math.max(0, elapsed - targetMs);
  if (dueAt === null) dueAt = addBusinessTime(new Date(completedAt === null ? now : end), remaining, cal).getTime();

  const state: SlaState =
    completedAt !== null ? (overdue > 0 ? "breached" : "met") : openState(elapsed, targetMs, overdue, input.atRiskRatio);
  return {
    dueAt: new Date(dueAt).toISOString(),
    source: target.source,
    state,
    elapsedBusinessMs: elapsed,
    remainingBusinessMs: remaining,
    overdueBusinessMs: overdue,
    completedAt: completedIso,
    targetBusinessMs: targetMs,
  };
}

const PAUSE_REASONS: Partial<Record<SemanticStatus, string>> = {
  WAITING_CUSTOMER: "waiting for the customer",
  WAITING_MATERIALS: "waiting for materials",
};

function describeClock(name: string, report: SlaClockReport, cal: BusinessCalendar): string {
  const due = report.dueAt ? ` (due ${formatWithOffset(new Date(report.dueAt), cal)}, ${SLA_SOURCE_LABELS[report.source]})` : "";
  switch (report.state) {
    case "not_applicable":
      return `${name}: no SLA target`;
    case "met":
      return `${name} met${due}`;
    case "breached":
      return report.completedAt
        ? `${name} target missed by ${formatBusinessDuration(report.overdueBusinessMs)}${due}`
        : `${name} target breached by ${formatBusinessDuration(report.overdueBusinessMs)}${due}`;
    case "at_risk":
      return `${name} at risk, ${formatBusinessDuration(report.remainingBusinessMs)} left${due}`;
    case "on_track":
      return `${name} on track, ${formatBusinessDuration(report.remainingBusinessMs)} left${due}`;
  }
}

/** What both clocks are computed from: the ticket's semantic priority and status, its segments and calendar. */
function prepareClocks(ticket: SlaTicket, now: Date, options: SlaOptions) {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError("now is not a valid date.");
  const priority = options.mapping.priorityOf(ticket.priority);
  const status = options.mapping.statusOf(ticket.status);
  const paused = options.pausedStatuses ?? DEFAULT_PAUSED;
  const cal = calendarFor(priority, options);
  const atRiskRatio = options.atRiskRatio ?? DEFAULT_AT_RISK_RATIO;
  const assumptions: string[] = [];

  const created = toEpochMs(ticket.createDate);
  const createdOrNow = created === null ? nowMs : Math.min(created, nowMs);
  const segments = buildSegments(ticket, createdOrNow, nowMs, options, paused, assumptions);
  const currentMode = modeOf(status, paused);

  const lastSegment = segments[segments.length - 1];
  const stoppedSince = currentMode === "stopped" && lastSegment?.mode === "stopped" ? lastSegment.from : nowMs;
  const resolvedAt =
    toEpochMs(ticket.resolvedDateTime) ??
    (status === "COMPLETE" ? (toEpochMs(ticket.completedDate) ?? stoppedSince) : null);
  if (priority === undefined && ticket.priority !== null && ticket.priority !== undefined) {
    assumptions.push(`Priority id ${ticket.priority} is not mapped to a semantic priority.`);
  }
  const common = { created, now: nowMs, segments, currentMode, cal, atRiskRatio };
  return { priority, status, cal, assumptions, segments, currentMode, common, resolvedAt };
}

function resolutionClock(
  ticket: SlaTicket,
  priority: SemanticPriority | undefined,
  common: ReturnType<typeof prepareClocks>["common"],
  resolvedAt: number | null,
  options: SlaOptions,
): SlaClockReport {
  const slaResolutionDue = toEpochMs(ticket.resolvedDueDateTime);
  const resolution = computeClock({
    ...common,
    kind: "resolution",
    completedAt: resolvedAt,
    ticketDue: slaResolutionDue ?? toEpochMs(ticket.dueDateTime),
    ticketDueSource: slaResolutionDue !== null ? "autotask_sla" : "ticket_due_date",
    target: targetFor("resolutionHours", priority, options),
  });
  // Autotask's verdict on a resolved SLA ticket wins over ours (it knows its own pauses).
  if (resolvedAt !== null && typeof ticket.serviceLevelAgreementHasBeenMet === "boolean" && resolution.source === "autotask_sla") {
    resolution.state = ticket.serviceLevelAgreementHasBeenMet ? "met" : "breached";
  }
  return resolution;
}

function responseClock(
  ticket: SlaTicket,
  priority: SemanticPriority | undefined,
  common: ReturnType<typeof prepareClocks>["common"],
  respondedAt: number | null,
  options: SlaOptions,
): SlaClockReport {
  return computeClock({
    ...common,
    kind: "response",
    completedAt: respondedAt,
    ticketDue: toEpochMs(ticket.firstResponseDueDateTime),
    ticketDueSource: "autotask_sla",
    target: targetFor("responseHours", priority, options),
  });
}

/** What a search row shows of a ticket's SLA (see `rowSla`). */
export interface SlaRow {
  /** The resolution clock's state. */
  state: SlaState;
  /** The resolution's due instant (ISO, UTC) and where it came from. */
  dueAt: string | null;
  source: SlaSource;
  /** True while the ticket sits in a status the tenant's mapping treats as waiting. */
  paused: boolean;
  /** The first response's due instant and state, only while the response is still owed. */
  responseDueAt?: string;
  responseState?: SlaState;
}

/**
 * The SLA as one search row shows it: the resolution's state, due time and source, whether the clock
 * is paused, and the first-response due time and state while the response is owed (a breached first
 * response must show on the row, not only in the details). Always equal to the
 * corresponding fields of `computeSla(ticket, now, options)` (tested), without the paused total, the
 * clock's elapsed figures or any text, which a row does not show.
 */
export function rowSla(ticket: SlaTicket, now: Date, options: SlaOptions): SlaRow {
  const { priority, common, resolvedAt, currentMode } = prepareClocks(ticket, now, options);
  const resolution = resolutionClock(ticket, priority, common, resolvedAt, options);
  const row: SlaRow = { state: resolution.state, dueAt: resolution.dueAt, source: resolution.source, paused: currentMode === "paused" };
  const respondedAt = toEpochMs(ticket.firstResponseDateTime) ?? resolvedAt;
  if (respondedAt === null) {
    const response = responseClock(ticket, priority, common, respondedAt, options);
    if (response.state !== "not_applicable" && response.dueAt) {
      row.responseDueAt = response.dueAt;
      row.responseState = response.state;
    }
  }
  return row;
}

/**
 * The SLA position of one ticket at `now`: both clocks, their states and where each figure came from.
 * Pure: the same ticket, `now` and options always give the same answer.
 */
export function computeSla(ticket: SlaTicket, now: Date, options: SlaOptions): SlaStatus {
  const { priority, status, cal, assumptions, segments, currentMode, common, resolvedAt } = prepareClocks(ticket, now, options);
  // A ticket resolved without a recorded first response was answered by its resolution at the latest.
  const respondedAt = toEpochMs(ticket.firstResponseDateTime) ?? resolvedAt;
  const created = common.created;
  const response = responseClock(ticket, priority, common, respondedAt, options);
  const resolution = resolutionClock(ticket, priority, common, resolvedAt, options);

  let pausedBusinessMs = 0;
  if (created !== null) {
    for (const segment of segments) {
      if (segment.mode === "paused" && segment.to > segment.from) {
        pausedBusinessMs += businessTimeBetween(new Date(segment.from), new Date(segment.to), cal);
      }
    }
  }

  const clock: SlaStatus["clock"] = currentMode;
  const clockText =
    clock === "paused" ? `clock paused (${PAUSE_REASONS[status] ?? "paused status"})` : `clock ${clock}`;
  const result = {
    priority,
    status,
    clock,
    response,
    resolution,
    pausedBusinessMs,
    timeZone: cal.timeZone,
    assumptions,
  } as SlaStatus;
  // The summary's date formatting in the calendar's zone is about 80% of this function's cost, and a
  // search row never shows it: built on first read, then kept (bench "row cost": 100 -> 20 µs per row).
  let summary: string | undefined;
  Object.defineProperty(result, "summary", {
    enumerable: true,
    get: () =>
      (summary ??= `${priority ?? "Unknown"} priority ticket, ${clockText}: ${describeClock("first response", response, cal)}; ${describeClock("resolution", resolution, cal)}.`),
  });
  return result;
}
