/**
 * Seams through which the client's limits can live outside this process (Redis, see `src/state/`), and
 * who is calling (the HTTP transport's technician).
 *
 * - `EndpointSlots`: the per-endpoint thread limit. Autotask allows 3 concurrent requests per
 *   integration code and object endpoint; when several processes share one integration code they must
 *   share the 3 slots. Keyed by Autotask's endpoint name ("Tickets", "TicketNotes"), so a caller that
 *   needs slots of two endpoints for one request acquires both by name.
 * - `RequestBudget`: the hourly request threshold (10,000 per database per rolling hour), shared between
 *   processes and split between callers.
 * - `callerContext`: the technician a request is made for; writes carry their `ImpersonationResourceId`.
 *
 * A stdio server with no Redis uses none of this beyond the in-process `EndpointLimiter`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ThresholdInformation } from "./schemas.js";

/** Anything that hands out per-endpoint slots. `EndpointLimiter` is the in-process implementation. */
export interface EndpointSlots {
  /**
   * Resolves with a release function once a slot of `endpoint` is held; call it exactly once.
   * Rejects with the signal's reason if `signal` aborts while waiting.
   */
  acquire(endpoint: string, signal?: AbortSignal): Promise<() => void>;
}

/**
 * Takes one slot of every endpoint in `endpoints` from `slots`, one after another by name in sorted
 * order (the same order for every caller and every process, so two requests needing overlapping
 * endpoints never each hold a slot the other waits for), and resolves with one release for all of
 * them. A child route (`/Tickets/{id}/Notes`) needs `TicketNotes` and `Tickets` (`endpointKeys`).
 * If `signal` aborts while waiting, the slots already taken are given back and the abort reason is thrown.
 */
export async function acquireEach(slots: EndpointSlots, endpoints: readonly string[], signal?: AbortSignal): Promise<() => void> {
  const keys = [...new Set(endpoints)].sort();
  const releases: Array<() => void> = [];
  try {
    for (const key of keys) releases.push(await slots.acquire(key, signal));
  } catch (error) {
    for (const release of releases.reverse()) release();
    throw error;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const release of [...releases].reverse()) release();
  };
}

/** The caller a request is made for (set by the HTTP transport per authenticated request). */
export interface Caller {
  /** Stable, non-secret id of the caller's token (used for budget shares and write scoping). */
  id: string;
  /** Shown in logs and the audit trail. */
  technician: string;
  /** Autotask resource id the caller's writes impersonate (`ImpersonationResourceId`). */
  impersonationResourceId?: number;
  /** Fraction (0..1] of the hourly threshold this caller may use; absent = no own cap. */
  hourlyShare?: number;
}

/** Carries the `Caller` through a tool call into the client without threading it through every signature. */
export const callerContext = new AsyncLocalStorage<Caller>();

/** The caller of the current async context, if any. */
export function currentCaller(): Caller | undefined {
  return callerContext.getStore();
}

/** Budget decision for one HTTP attempt. */
export type BudgetDecision = { ok: true } | { ok: false; reason: string; retryAfterMs: number };

/** The hourly request budget, consulted before every HTTP attempt. */
export interface RequestBudget {
  /** Counts one request for `caller` (undefined = the process itself) if the budget allows it. */
  take(caller: Caller | undefined): Promise<BudgetDecision>;
  /** Autotask's own figures (GET /ThresholdInformation), so the limit follows the tenant's threshold. */
  observe(info: ThresholdInformation): Promise<void>;
}
