/**
 * The write ledger on a shared store: a create retried on another replica (or by another session of
 * the same technician) returns the record the first call made instead of making a second one.
 *
 * Same contract as the in-process `WriteDeduplicator.run` (tools call `ctx.dedupe.run(key, create)`):
 * the first caller claims the key with set-if-absent and a "pending" marker, creates, then records
 * the new id for the duplicate window; a caller that finds "pending" waits for the id. Keys are scoped
 * per caller (token), so technician B's identical create is not technician A's ticket.
 *
 * Failure modes, on purpose the same as in one process: a create that fails frees the key (the next
 * try runs); a process that dies mid-create leaves "pending" until `pendingTtlMs` passes, after which
 * a retry runs the create again.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { DedupeOutcome } from "../tools/support/dedupe.js";
import type { KeyValueStore } from "./store.js";

export interface SharedWriteLedgerOptions {
  /** How long a finished create answers for its key (ms). The tools' duplicate window. */
  windowMs: number;
  /** Scope of the keys: the caller's token id; "local" for a process without callers. */
  scope: string;
  /** How long a "pending" claim lives without an answer (ms). Longer than a create's deadline (120 s). */
  pendingTtlMs?: number;
  /** How often a waiting duplicate looks for the first call's answer (ms). */
  pollMs?: number;
}

type LedgerEntry = { state: "pending" } | { state: "done"; id: number };

export class SharedWriteLedger {
  readonly #store: KeyValueStore;
  readonly #options: Required<SharedWriteLedgerOptions>;

  constructor(store: KeyValueStore, options: SharedWriteLedgerOptions) {
    this.#store = store;
    this.#options = { pendingTtlMs: 150_000, pollMs: 100, ...options };
  }

  async run(key: string, create: () => Promise<number>): Promise<DedupeOutcome> {
    const storeKey = `ledger:${this.#options.scope}:${key}`;
    const { pendingTtlMs, pollMs, windowMs } = this.#options;
    const giveUpAt = Date.now() + pendingTtlMs + pollMs;
    for (;;) {
      if (await this.#store.setIfAbsent(storeKey, JSON.stringify({ state: "pending" } satisfies LedgerEntry), pendingTtlMs)) {
        let id: number;
        try {
          id = await create();
        } catch (error) {
          await this.#store.delete(storeKey).catch(() => undefined);
          throw error;
        }
        await this.#store.set(storeKey, JSON.stringify({ state: "done", id } satisfies LedgerEntry), windowMs);
        return { id, replayed: false };
      }
      const entry = parseEntry(await this.#store.get(storeKey));
      if (entry?.state === "done") return { id: entry.id, replayed: true };
      if (Date.now() > giveUpAt) throw new Error("An identical write is still pending on another server; try again in a minute.");
      // Pending elsewhere (or just expired): look again shortly.
      if (entry?.state === "pending") await delay(pollMs);
    }
  }
}

function parseEntry(text: string | undefined): LedgerEntry | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as LedgerEntry;
    return value.state === "done" || value.state === "pending" ? value : undefined;
  } catch {
    return undefined;
  }
}
