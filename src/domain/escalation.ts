/**
 * Escalation rules: whether an open ticket needs someone's attention now, how far up (level 1 to 3),
 * why (readable sentences) and what to do.
 *
 * - An SLA clock still open and breached: level 1 up to 4 business hours overdue, 2 up to 8, 3 beyond.
 *   A breach already closed (the response was given late) is history, not a reason to escalate now.
 * - Waiting for the customer with no activity for more than 7 days (configurable): level 1.
 * - CRITICAL with nobody assigned: level 2, because there is no assigned resource to notify, and the
 *   team lead is the one who can assign.
 * Completed tickets never escalate. Actions accumulate with the level: notify the assigned resource,
 * then the team lead, then management.
 */
import { computeSla, formatBusinessDuration, formatDuration, type SlaClockReport, type SlaOptions, type SlaStatus, type SlaTicket } from "./sla.js";
import { DAY_MS, HOUR_MS, toEpochMs } from "./time.js";

export interface EscalationOptions extends SlaOptions {
  /** Days without activity after which a ticket waiting for the customer escalates; default 7. */
  waitingCustomerStaleDays?: number;
}

export type EscalationLevel = 0 | 1 | 2 | 3;

export interface EscalationResult {
  requiresEscalation: boolean;
  level: EscalationLevel;
  reasons: string[];
  actions: string[];
  /** Things to watch that do not need escalation yet (an SLA clock at risk). */
  notices: string[];
  /** The SLA position the decision was based on (undefined for completed tickets). */
  sla?: SlaStatus;
}

const DEFAULT_STALE_DAYS = 7;

/** Level for a breach by this much business time: ≤ 4 h → 1, ≤ 8 h → 2, more → 3. */
export function breachLevel(overdueBusinessMs: number): EscalationLevel {
  if (overdueBusinessMs <= 0) return 0;
  if (overdueBusinessMs <= 4 * HOUR_MS) return 1;
  if (overdueBusinessMs <= 8 * HOUR_MS) return 2;
  return 3;
}

const LEVEL_ACTIONS: Record<Exclude<EscalationLevel, 0>, string> = {
  1: "Notify the assigned resource",
  2: "Notify the team lead",
  3: "Notify management",
};

function openBreach(report: SlaClockReport): boolean {
  return report.state === "breached" && !report.completedAt;
}

/** Decide whether and how far to escalate one ticket at `now`. */
export function checkEscalation(ticket: SlaTicket, now: Date, options: EscalationOptions): EscalationResult {
  const status = options.mapping.statusOf(ticket.status);
  if (status === "COMPLETE") {
    return { requiresEscalation: false, level: 0, reasons: [], actions: [], notices: [] };
  }
  const sla = computeSla(ticket, now, options);
  const reasons: string[] = [];
  const notices: string[] = [];
  const extraActions: string[] = [];
  let level: EscalationLevel = 0;
  const raise = (to: EscalationLevel) => {
    if (to > level) level = to;
  };

  for (const [name, report] of [
    ["first response", sla.response],
    ["resolution", sla.resolution],
  ] as const) {
    if (openBreach(report)) {
      raise(breachLevel(report.overdueBusinessMs));
      reasons.push(`SLA ${name} target breached by ${formatBusinessDuration(report.overdueBusinessMs)}`);
    } else if (report.state === "at_risk") {
      notices.push(`SLA ${name} target at risk: ${formatBusinessDuration(report.remainingBusinessMs)} left`);
    }
  }

  if (status === "WAITING_CUSTOMER") {
    const staleDays = options.waitingCustomerStaleDays ?? DEFAULT_STALE_DAYS;
    const lastActivity = toEpochMs(ticket.lastActivityDate) ?? toEpochMs(ticket.createDate);
    if (lastActivity !== null) {
      const idle = now.getTime() - lastActivity;
      if (idle > staleDays * DAY_MS) {
        raise(1);
        reasons.push(
          `Waiting for the customer with no activity for ${formatDuration(idle)} (more than ${staleDays} ${staleDays === 1 ? "day" : "days"})`,
        );
        extraActions.push("Follow up with the customer, or close the ticket if the policy allows");
      }
    }
  }

  const hasAssignee = ticket.assignedResourceID !== null && ticket.assignedResourceID !== undefined;
  if (sla.priority === "CRITICAL" && !hasAssignee) {
    raise(2);
    reasons.push("CRITICAL ticket has no assigned resource");
    extraActions.push("Assign a resource now");
  }

  const actions: string[] = [];
  if (level >= 1) actions.push(hasAssignee ? LEVEL_ACTIONS[1] : "Assign a resource now");
  if (level >= 2) actions.push(LEVEL_ACTIONS[2]);
  if (level >= 3) actions.push(LEVEL_ACTIONS[3]);
  for (const action of extraActions) if (!actions.includes(action)) actions.push(action);

  return { requiresEscalation: level > 0, level, reasons, actions, notices, sla };
}
