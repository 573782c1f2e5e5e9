/**
 * The service-desk status workflow: which semantic status may follow which, and what a transition needs
 * (a resolution to complete, a reason to escalate, a role with an assigned resource).
 *
 * Autotask itself accepts almost any status change through the API, so these rules are what keeps an
 * assistant from closing a ticket without a resolution or escalating it without saying why. Disallowed
 * transitions are refused unless forced; forcing overrides only the transition graph, never the
 * required fields (a resource without a role is rejected by Autotask anyway).
 */
import { SEMANTIC_STATUSES, type SemanticStatus } from "./states.js";

export interface TransitionChanges {
  resolution?: string | null;
  escalationReason?: string | null;
  assignedResourceID?: number | null;
  assignedResourceRoleID?: number | null;
}

export interface TransitionTicket {
  resolution?: string | null;
  assignedResourceID?: number | null;
  assignedResourceRoleID?: number | null;
}

export interface TransitionResult {
  canTransition: boolean;
  requiredFields: string[];
  warnings: string[];
  allowedNext: SemanticStatus[];
}

/** Which semantic status may follow which: one row per current status. */
export type TransitionTable = Readonly<Record<SemanticStatus, readonly SemanticStatus[]>>;

/**
 * The default table (AUTOTASK_WORKFLOW replaces rows of it per tenant). Asking the customer for
 * details straight from triage (New → Waiting Customer) and parking a new ticket for parts are
 * ordinary desk moves, so they are allowed; so is waiting after an escalation.
 */
export const DEFAULT_TRANSITIONS: TransitionTable = Object.freeze({
  NEW: ["IN_PROGRESS", "WAITING_CUSTOMER", "WAITING_MATERIALS", "ESCALATED", "COMPLETE", "OTHER"],
  IN_PROGRESS: ["WAITING_CUSTOMER", "WAITING_MATERIALS", "ESCALATED", "COMPLETE", "OTHER"],
  WAITING_CUSTOMER: ["IN_PROGRESS", "WAITING_MATERIALS", "ESCALATED", "COMPLETE", "OTHER"],
  WAITING_MATERIALS: ["IN_PROGRESS", "WAITING_CUSTOMER", "ESCALATED", "COMPLETE", "OTHER"],
  ESCALATED: ["IN_PROGRESS", "WAITING_CUSTOMER", "WAITING_MATERIALS", "COMPLETE", "OTHER"],
  // A completed ticket reopens only to IN_PROGRESS (with a warning), not even to a tenant-specific status.
  COMPLETE: ["IN_PROGRESS"],
  OTHER: SEMANTIC_STATUSES.filter((status) => status !== "OTHER"),
});

/** The default table with the given rows replaced (a row lists every status allowed next). */
export function transitionTable(overrides: Partial<Record<SemanticStatus, readonly SemanticStatus[]>> = {}): TransitionTable {
  return Object.freeze({ ...DEFAULT_TRANSITIONS, ...overrides });
}

/** The statuses that may follow `current`. OTHER (tenant-specific) targets are allowed, with a warning. */
export function allowedNextStatuses(current: SemanticStatus, table: TransitionTable = DEFAULT_TRANSITIONS): SemanticStatus[] {
  return [...table[current]];
}

/** How statuses are named in warnings: the tenant's labels (default: the semantic names). */
export interface TransitionLabels {
  current: string;
  next: string;
  /** The allowed next statuses as one readable list. */
  allowed: string;
}

const isBlank = (value: string | null | undefined) => value === null || value === undefined || value.trim() === "";

/** A field the change sets wins over the ticket's current value (null clears it). */
function effective<T>(changed: T | undefined, current: T | undefined): T | undefined {
  return changed !== undefined ? changed : current;
}

/**
 * Whether `current → next` may happen with these changes, what is missing and what to watch out for.
 * The same status is a no-op and always allowed (only field rules apply).
 */
export function validateStatusTransition(
  current: SemanticStatus,
  next: SemanticStatus,
  ticket: TransitionTicket,
  changes: TransitionChanges,
  options: { force?: boolean; table?: TransitionTable; labels?: TransitionLabels } = {},
): TransitionResult {
  const requiredFields: string[] = [];
  const warnings: string[] = [];
  const allowedNext = allowedNextStatuses(current, options.table);
  const names = options.labels ?? { current, next, allowed: allowedNext.join(", ") };
  const isSame = current === next;
  const isAllowed = isSame || allowedNext.includes(next);

  if (!isSame) {
    if (next === "COMPLETE" && isBlank(effective(changes.resolution, ticket.resolution))) {
      requiredFields.push("resolution");
    }
    if (next === "ESCALATED" && isBlank(changes.escalationReason)) {
      requiredFields.push("escalationReason");
    }
  }

  const newResource = changes.assignedResourceID;
  if (newResource !== undefined && newResource !== null) {
    // A role carried over from the ticket only fits if the resource stays the same.
    const keepsRole = newResource === ticket.assignedResourceID ? ticket.assignedResourceRoleID : undefined;
    const role = effective(changes.assignedResourceRoleID, keepsRole ?? undefined);
    if (role === undefined || role === null) requiredFields.push("assignedResourceRoleID");
  }

  if (!isAllowed) {
    warnings.push(
      options.force
        ? `Forced the change from ${names.current} to ${names.next}, which the workflow does not allow (allowed from ${names.current}: ${names.allowed}).`
        : `The workflow does not allow ${names.current} → ${names.next}; allowed from ${names.current}: ${names.allowed}. Pass force to override.`,
    );
  }
  if (!isSame && (current === "OTHER" || next === "OTHER")) {
    warnings.push(
      `${current === "OTHER" ? `The current status ${names.current}` : `The new status ${names.next}`} is specific to this tenant: check that it means what you intend.`,
    );
  }
  if (current === "NEW" && next === "COMPLETE") {
    warnings.push(`Completing straight from ${names.current}: no work was recorded as in progress.`);
  }
  if (current === "COMPLETE" && next === "IN_PROGRESS") {
    warnings.push("Reopening a completed ticket: the SLA clock runs again and the completion date is cleared.");
  }
  if (next === "IN_PROGRESS") {
    const assignee = effective(changes.assignedResourceID, ticket.assignedResourceID);
    if (assignee === undefined || assignee === null) warnings.push(`${names.next} with nobody assigned: assign a resource.`);
  }

  return {
    canTransition: (isAllowed || options.force === true) && requiredFields.length === 0,
    requiredFields,
    warnings,
    allowedNext,
  };
}
