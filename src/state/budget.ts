/**
 * The hourly request budget, shared by every process that uses the same store.
 *
 * Autotask allows 10,000 requests per rolling hour per database, for all integrations of the tenant
 * together (reference §7, ThresholdInformation.externalRequestThreshold); at 100% every integration is
 * refused. This server therefore claims only a share of the threshold for itself (`serverShare`), and
 * each caller (an HTTP token) may use only its own share of that (`Caller.hourlyShare`), so one
 * technician's metrics sweep cannot starve the others. Windows are fixed clock hours: a conservative
 * stand-in for Autotask's rolling hour, because a fixed window never admits more than its limit.
 */
import type { BudgetDecision, Caller, RequestBudget } from "../autotask/shared-limits.js";
import type { ThresholdInformation } from "../autotask/schemas.js";
import type { SharedStore } from "./store.js";

const HOUR_MS = 3_600_000;
/** Autotask's documented default threshold, used until ThresholdInformation has been read. */
export const DEFAULT_HOURLY_THRESHOLD = 10_000;

export interface BudgetOptions {
  /** Fraction (0..1] of the tenant's hourly threshold this server may use across all replicas. Default 0.5. */
  serverShare?: number;
  now?: () => number;
  /** Key prefix in the store. */
  prefix?: string;
}

export class HourlyBudget implements RequestBudget {
  readonly #store: SharedStore;
  readonly #serverShare: number;
  readonly #now: () => number;
  readonly #prefix: string;
  #threshold = DEFAULT_HOURLY_THRESHOLD;
  #thresholdReadAt = 0;
  #reader: (() => Promise<unknown>) | undefined;
  #readEveryMs = 5 * 60_000;
  #readAttemptAt = Number.NEGATIVE_INFINITY;
  #reading = false;

  constructor(store: SharedStore, options: BudgetOptions = {}) {
    this.#store = store;
    this.#serverShare = options.serverShare ?? 0.5;
    this.#now = options.now ?? Date.now;
    this.#prefix = options.prefix ?? "budget";
  }

  /** Requests per hour this server may send in total, and `caller` in particular. */
  limits(caller: Caller | undefined): { server: number; caller?: number } {
    const server = Math.max(1, Math.floor(this.#threshold * this.#serverShare));
    if (caller?.hourlyShare === undefined) return { server };
    return { server, caller: Math.max(1, Math.floor(server * caller.hourlyShare)) };
  }

  /**
   * Asks Autotask for its figures (GET /ThresholdInformation, through `read`) now and then: at most
   * once per `everyMs` (wall-clock ms, default 5 minutes) across all replicas sharing the store. The
   * answer reaches `observe` through the client.
   */
  readThresholdWith(read: () => Promise<unknown>, everyMs = 5 * 60_000): void {
    this.#reader = read;
    this.#readEveryMs = everyMs;
  }

  async take(caller: Caller | undefined): Promise<BudgetDecision> {
    this.#maybeReadThreshold();
    await this.#refreshThreshold();
    const now = this.#now();
    const window = Math.floor(now / HOUR_MS);
    const retryAfterMs = (window + 1) * HOUR_MS - now;
    const limits = this.limits(caller);
    if (limits.caller !== undefined && caller) {
      const used = await this.#store.increment(`${this.#prefix}:${window}:caller:${caller.id}`, HOUR_MS + 60_000);
      if (used > limits.caller) {
        return { ok: false, retryAfterMs, reason: `${caller.technician} has used their share of this server's hourly Autotask budget (${limits.caller} requests).` };
      }
    }
    const used = await this.#store.increment(`${this.#prefix}:${window}:server`, HOUR_MS + 60_000);
    if (used > limits.server) {
      return {
        ok: false,
        retryAfterMs,
        reason: `this server has used its share of the tenant's hourly Autotask budget (${limits.server} of ${this.#threshold} requests), leaving the rest to the tenant's other integrations.`,
      };
    }
    return { ok: true };
  }

  async observe(info: ThresholdInformation): Promise<void> {
    const threshold = info.externalRequestThreshold;
    if (typeof threshold !== "number" || !Number.isFinite(threshold) || threshold <= 0) return;
    this.#threshold = threshold;
    this.#thresholdReadAt = this.#now();
    // Other replicas pick the tenant's threshold up from the store.
    await this.#store.set(`${this.#prefix}:threshold`, String(threshold), 24 * HOUR_MS);
  }

  #maybeReadThreshold(): void {
    const now = this.#now();
    if (!this.#reader || this.#reading || now - this.#readAttemptAt < 10_000) return;
    this.#readAttemptAt = now;
    this.#reading = true;
    const reader = this.#reader;
    // Whichever replica claims the key reads; the others pick the threshold up from the store.
    void this.#store
      .setIfAbsent(`${this.#prefix}:threshold-read`, String(now), this.#readEveryMs)
      .then((claimed) => (claimed ? reader() : undefined))
      .catch(() => undefined)
      .finally(() => {
        this.#reading = false;
      });
  }

  async #refreshThreshold(): Promise<void> {
    if (this.#now() - this.#thresholdReadAt < 60_000) return;
    this.#thresholdReadAt = this.#now();
    const stored = Number(await this.#store.get(`${this.#prefix}:threshold`));
    if (Number.isFinite(stored) && stored > 0) this.#threshold = stored;
  }
}
