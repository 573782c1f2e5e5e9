/**
 * The escalation sweep and the escalation write.
 *
 * Check: every open ticket matching the filters goes through the domain's escalation rules
 * (`domain/escalation.ts`: open SLA breach levels 1-3 by business hours overdue, waiting-customer with
 * no activity for more than N days, CRITICAL without an assignee). The breach-level thresholds are
 * configurable here (defaults 4 and 8 business hours, the domain's). Results: most urgent first.
 *
 * Escalate: status → the tenant's Escalated status plus ONE internal note with the reasons, exactly
 * once per ticket however often it is called. Idempotency is deterministic, read from Autotask itself
 * (no state kept by the server): a ticket already in an Escalated status is skipped; an escalation
 * note that is the ticket's newest note means an earlier call wrote the note and did not get to the
 * status change, so only the status is set. In-process, calls for the same ticket are serialised.
 * Both writes go through the desk's exactly-once paths (issue 10): the note through the write ledger
 * (`NoteService.addInternal`), the status through `TicketService.setStatusOnce` (the PATCH of
 * `update`, proved by reading back); when neither the answer nor a read-back proves a write, the
 * ticket's outcome is `unknown` and says what was applied and what not.
 * Autotask's REST API sends no notifications; a tenant workflow rule on "status is Escalated" does.
 */
import type { RequestOptions } from "../../autotask/api.js";
import { AutotaskValidationError } from "../../autotask/errors.js";
import type { Ticket } from "../../autotask/schemas.js";
import { checkEscalation, type EscalationLevel } from "../../domain/escalation.js";
import type { SlaTicket } from "../../domain/sla.js";
import type { TenantMapping } from "../../domain/states.js";
import { allowedNextStatuses, type TransitionTable, validateStatusTransition } from "../../domain/workflow.js";
import { HOUR_MS } from "../../domain/time.js";
import { ServerConfigurationError } from "../../errors.js";
import { WriteOutcomeUnknownError } from "../ledger.js";
import { parseTicketRef, requireTicket, type TicketRef } from "../lookup.js";
import { openTicketFilter, resourceNames, SWEEP_FIELDS, type SweepFilters } from "./open-tickets.js";
import { streamTickets } from "./paging.js";
import type { ReportCallOptions, ReportDependencies } from "./types.js";

/** Title of the note an escalation writes; also how a half-finished earlier escalation is recognised. */
export const ESCALATION_NOTE_TITLE = "Escalated by the service desk";

export interface EscalationThresholds {
  /** Days without activity after which a waiting-customer ticket escalates; default 7. */
  waitingCustomerDays?: number;
  /** Business hours overdue above which a breach is level 2; default 4. */
  level2AfterHours?: number;
  /** Business hours overdue above which a breach is level 3; default 8. */
  level3AfterHours?: number;
}

export type EscalationCandidate = {
  id: number;
  ticketNumber?: string;
  title?: string;
  level: 1 | 2 | 3;
  reasons: string[];
  actions: string[];
  priority?: string;
  status?: string;
  queue?: string;
  assignedResourceID?: number;
  assignedResource?: string;
  /** Set when the ticket already has an Escalated status (autotask_escalate_tickets would skip it). */
  alreadyEscalated?: true;
  /** Why the status workflow does not allow Escalated from the current status (domain/workflow.ts). */
  cannotEscalate?: string;
  /** Business hours past the earliest breached SLA due date (0 when the reason is not a breach). */
  overdueBusinessHours: number;
};

export type EscalationSweep = {
  checked: number;
  needAction: number;
  tickets: EscalationCandidate[];
  byLevel: { "1": number; "2": number; "3": number };
  /** What a name in the filter resolved to; when nothing was checked, which filter ids do not exist. */
  notes: string[];
};

/**
 * `unknown`: a write was sent and neither Autotask's answer nor reading back proves what happened;
 * the detail says what was applied, what not, and what to check. Calling again is safe.
 */
export type EscalationOutcome = "escalated" | "already_escalated" | "completed" | "not_allowed" | "no_reason" | "not_found" | "failed" | "unknown";

export type EscalationWrite = {
  id: number;
  ticketNumber?: string;
  outcome: EscalationOutcome;
  /** What happened, in one sentence (Autotask's words for a refusal). */
  detail: string;
  noteId?: number;
  reasons?: string[];
};

const LEVEL_ACTIONS = ["Notify the assigned resource", "Notify the team lead", "Notify management"] as const;

export class EscalationService {
  readonly #locks = new Map<number, Promise<unknown>>();
  /** Note text per ticket whose escalation has not ended (outcome unknown), reused by the retry. */
  readonly #pendingNotes = new Map<number, string>();

  constructor(private readonly deps: ReportDependencies) {}

  /**
   * Sweeps open tickets and returns those that need action now, most urgent first (level, then
   * business hours overdue), at most `limit` (default 25) rows; counts cover all of them.
   */
  async check(
    args: SweepFilters & EscalationThresholds & { limit?: number },
    options: ReportCallOptions,
  ): Promise<EscalationSweep> {
    const request: RequestOptions = { signal: options.signal };
    const mapping = await this.deps.tenant.mapping(request);
    const notes: string[] = [];
    const filter = await openTicketFilter(this.deps, mapping, args, notes, request);
    const found: Array<{ ticket: Ticket; candidate: EscalationCandidate }> = [];
    const summary = await streamTickets(
      this.deps.api,
      { filter, includeFields: SWEEP_FIELDS },
      { ...options, label: "Escalation check" },
      (page) => {
        for (const ticket of page) {
          const candidate = this.evaluate(ticket, mapping, options.now, args);
          // Only the selected tickets are kept, slimmed to what is shown.
          if (candidate) found.push({ ticket: slim(ticket), candidate });
        }
      },
    );
    found.sort((a, b) => b.candidate.level - a.candidate.level || b.candidate.overdueBusinessHours - a.candidate.overdueBusinessHours || a.candidate.id - b.candidate.id);
    const limit = args.limit ?? 25;
    const shown = found.slice(0, limit);
    const [queues, names] = await Promise.all([
      this.deps.tenant.ticketPicklist("queueID", request),
      resourceNames(this.deps.directory, shown.flatMap((f) => (typeof f.ticket.assignedResourceID === "number" ? [f.ticket.assignedResourceID] : [])), request),
    ]);
    const tickets = shown.map(({ ticket, candidate }) => {
      const row = { ...candidate };
      const queue = queues.labelOf(ticket.queueID);
      if (queue) row.queue = queue;
      const name = row.assignedResourceID === undefined ? undefined : names.get(row.assignedResourceID);
      if (name) row.assignedResource = name;
      return row;
    });
    const byLevel = { "1": 0, "2": 0, "3": 0 };
    for (const { candidate } of found) byLevel[String(candidate.level) as "1" | "2" | "3"] += 1;
    if (summary.tickets === 0) notes.push(...(await this.deps.directory.missingIds(args, request)));
    return { checked: summary.tickets, needAction: found.length, tickets, byLevel, notes };
  }

  /** The rules applied to one ticket; undefined when it needs no action. Pure apart from `mapping`. */
  evaluate(ticket: SlaTicket & { ticketNumber?: string | null; title?: string | null }, mapping: TenantMapping, now: Date, thresholds: EscalationThresholds = {}): EscalationCandidate | undefined {
    const result = checkEscalation(ticket, now, {
      mapping,
      calendar: this.deps.settings.calendar,
      waitingCustomerStaleDays: thresholds.waitingCustomerDays,
    });
    if (!result.requiresEscalation) return undefined;
    const level2 = (thresholds.level2AfterHours ?? 4) * HOUR_MS;
    const level3 = (thresholds.level3AfterHours ?? 8) * HOUR_MS;
    let overdue = 0;
    for (const clock of [result.sla?.response, result.sla?.resolution]) {
      if (clock && clock.state === "breached" && !clock.completedAt) overdue = Math.max(overdue, clock.overdueBusinessMs);
    }
    // The breach level with this desk's thresholds; the other rules keep the domain's levels.
    let level: EscalationLevel = overdue <= 0 ? 0 : overdue <= level2 ? 1 : overdue <= level3 ? 2 : 3;
    if (result.reasons.some((r) => r.startsWith("CRITICAL"))) level = Math.max(level, 2) as EscalationLevel;
    if (result.reasons.some((r) => r.startsWith("Waiting for the customer"))) level = Math.max(level, 1) as EscalationLevel;
    if (level === 0) return undefined;
    const hasAssignee = typeof ticket.assignedResourceID === "number";
    const actions: string[] = [hasAssignee ? LEVEL_ACTIONS[0] : "Assign a resource now"];
    if (level >= 2) actions.push(LEVEL_ACTIONS[1]);
    if (level >= 3) actions.push(LEVEL_ACTIONS[2]);
    for (const action of result.actions) if (!actions.includes(action) && !(LEVEL_ACTIONS as readonly string[]).includes(action)) actions.push(action);
    const candidate: EscalationCandidate = {
      id: ticket.id!,
      level,
      reasons: result.reasons,
      actions,
      overdueBusinessHours: Math.round((overdue / HOUR_MS) * 100) / 100,
    };
    if (ticket.ticketNumber) candidate.ticketNumber = ticket.ticketNumber;
    if (ticket.title) candidate.title = ticket.title;
    const priority = mapping.priorityLabel(ticket.priority);
    if (priority) candidate.priority = priority;
    const status = mapping.statusLabel(ticket.status);
    if (status) candidate.status = status;
    if (hasAssignee) candidate.assignedResourceID = ticket.assignedResourceID!;
    const state = mapping.statusOf(ticket.status);
    if (state === "ESCALATED") candidate.alreadyEscalated = true;
    // The configured workflow (AUTOTASK_WORKFLOW), the same table autotask_update_ticket enforces.
    else if (!allowedNextStatuses(state, this.deps.settings.workflow).includes("ESCALATED")) {
      candidate.cannotEscalate = workflowRefusal(mapping.statusLabel(ticket.status) ?? state, state, this.deps.settings.workflow);
    }
    return candidate;
  }

  /**
   * Escalates each ticket at most once (see the module comment). Tickets are processed one after the
   * other; a refusal by Autotask for one ticket is reported and does not stop the others.
   * @throws ServerConfigurationError when the tenant has no status mapped to ESCALATED.
   */
  async escalate(
    args: { ticketIDs: TicketRef[]; reason?: string } & EscalationThresholds,
    options: ReportCallOptions,
  ): Promise<EscalationWrite[]> {
    const request: RequestOptions = { signal: options.signal };
    const mapping = await this.deps.tenant.mapping(request);
    const escalatedId = mapping.primaryStatusId("ESCALATED");
    if (escalatedId === undefined) {
      throw new ServerConfigurationError(
        'the tenant has no ticket status mapped to ESCALATED. Map one with AUTOTASK_STATUS_MAP, e.g. {"Escalated - Tier 2":"ESCALATED"} (see autotask_list_picklists field status).',
      );
    }
    const results: EscalationWrite[] = [];
    // Ticket numbers (T20261130.0001) resolve to ids before anything is written; ids need no request.
    const resolved = await Promise.all(
      args.ticketIDs.map(async (ref) => {
        const parsed = parseTicketRef(ref);
        return "id" in parsed ? parsed.id : (await requireTicket(this.deps.api, ref, request)).id;
      }),
    );
    const ids = [...new Set(resolved)];
    for (const [index, id] of ids.entries()) {
      options.signal?.throwIfAborted();
      results.push(await this.#serialised(id, () => this.#escalateOne(id, escalatedId, mapping, args, options)));
      await options.onProgress?.(index + 1, ids.length, `Escalation: ${index + 1} of ${ids.length} ticket${ids.length === 1 ? "" : "s"} handled`);
    }
    return results;
  }

  async #escalateOne(
    id: number,
    escalatedId: number,
    mapping: TenantMapping,
    args: { reason?: string } & EscalationThresholds,
    options: ReportCallOptions,
  ): Promise<EscalationWrite> {
    const request: RequestOptions = { signal: options.signal };
    const ticket = await this.deps.api.getTicket(id, request);
    if (!ticket) return { id, outcome: "not_found", detail: `Ticket ${id} was not found in Autotask.` };
    const base: EscalationWrite = { id, outcome: "failed", detail: "" };
    if (ticket.ticketNumber) base.ticketNumber = ticket.ticketNumber;
    const state = mapping.statusOf(ticket.status);
    if (state === "ESCALATED") {
      this.#pendingNotes.delete(id);
      return { ...base, outcome: "already_escalated", detail: `Already in status ${mapping.statusLabel(ticket.status) ?? ticket.status}; nothing written.` };
    }
    if (state === "COMPLETE") return { ...base, outcome: "completed", detail: "The ticket is complete; nothing written." };
    const candidate = this.evaluate(ticket, mapping, options.now, args);
    const reasons = [...(candidate?.reasons ?? [])];
    if (args.reason?.trim()) reasons.push(args.reason.trim());
    if (reasons.length === 0) {
      return { ...base, outcome: "no_reason", detail: "No escalation rule selects this ticket now and no reason was given; nothing written." };
    }
    // The same workflow autotask_update_ticket enforces: e.g. a ticket waiting on the customer is
    // followed up or moved back to work, not escalated.
    const workflow = this.deps.settings.workflow;
    const transition = validateStatusTransition(state, "ESCALATED", ticket, { escalationReason: reasons.join("; ") }, { table: workflow });
    if (!transition.canTransition) {
      return { ...base, outcome: "not_allowed", detail: `${workflowRefusal(mapping.statusLabel(ticket.status) ?? state, state, workflow)}; nothing written.`, reasons };
    }
    const statusLabel = mapping.statusLabel(escalatedId) ?? String(escalatedId);
    // Step 1, the note, through the desk's ledger (NoteService.addInternal: at most once per text,
    // a lost answer proved by reading the notes back). Its text is kept until the escalation ends,
    // so a retry after "outcome unknown" sends the same text (same ledger key) even though the
    // breach durations in the reasons have grown meanwhile.
    let noteId: number | undefined;
    try {
      const notes = await this.deps.api.listTicketNotes(id, request);
      const newest = notes.reduce<(typeof notes)[number] | undefined>(
        (best, note) => (!best || (note.createDateTime ?? "") > (best.createDateTime ?? "") || ((note.createDateTime ?? "") === (best.createDateTime ?? "") && note.id > best.id) ? note : best),
        undefined,
      );
      if (newest?.title === ESCALATION_NOTE_TITLE) {
        noteId = newest.id; // written by an earlier call that did not reach the status change
      } else {
        const level = candidate ? ` (level ${candidate.level})` : "";
        const actions = candidate?.actions.length ? `\nRecommended: ${candidate.actions.join("; ")}.` : "";
        const description = this.#pendingNotes.get(id) ?? `Escalated${level} because:\n- ${reasons.join("\n- ")}${actions}`;
        this.#pendingNotes.set(id, description);
        noteId = (await this.deps.notes.addInternal(id, ESCALATION_NOTE_TITLE, description, "escalation_sweep_note", request)).id;
      }
    } catch (error) {
      if (error instanceof WriteOutcomeUnknownError) {
        return {
          ...base,
          outcome: "unknown",
          detail: `Not applied: the status change (not sent, because the note is not confirmed). ${error.message} Calling autotask_escalate_tickets again for this ticket is safe: the note is written at most once and the status follows.`,
          reasons,
        };
      }
      if (error instanceof AutotaskValidationError) {
        this.#pendingNotes.delete(id);
        return { ...base, outcome: "failed", detail: `Autotask refused the escalation note: ${error.message}; nothing written.`, reasons };
      }
      throw error;
    }
    // Step 2, the status, through the desk's exactly-once PATCH (TicketService.setStatusOnce:
    // not sent when already set, a lost answer proved by reading the ticket back).
    try {
      await this.deps.tickets.setStatusOnce(id, escalatedId, request);
    } catch (error) {
      if (error instanceof WriteOutcomeUnknownError) {
        return {
          ...base,
          outcome: "unknown",
          detail: `Applied: internal note ${noteId} with the reasons. ${error.message} Calling autotask_escalate_tickets again for this ticket is safe: the note is not written again, the status is sent only if the ticket does not have it.`,
          noteId,
          reasons,
        };
      }
      if (error instanceof AutotaskValidationError) {
        this.#pendingNotes.delete(id);
        return { ...base, outcome: "failed", detail: `Applied: internal note ${noteId} with the reasons. Not applied: Autotask refused the status change: ${error.message}`, noteId, reasons };
      }
      throw error;
    }
    this.#pendingNotes.delete(id);
    return { ...base, outcome: "escalated", detail: `Status set to ${statusLabel}; internal note ${noteId} holds the reasons.`, noteId, reasons };
  }

  /** Runs `task` after any running escalation of the same ticket in this process. */
  async #serialised<T>(id: number, task: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(task);
    this.#locks.set(id, run);
    try {
      return await run;
    } finally {
      if (this.#locks.get(id) === run) this.#locks.delete(id);
    }
  }
}

function workflowRefusal(label: string, state: Parameters<typeof allowedNextStatuses>[0], table?: TransitionTable): string {
  return `The status workflow does not allow ${label} → Escalated (allowed: ${allowedNextStatuses(state, table).join(", ")})`;
}

function slim(ticket: Ticket): Ticket {
  return { id: ticket.id, queueID: ticket.queueID, assignedResourceID: ticket.assignedResourceID } as Ticket;
}

