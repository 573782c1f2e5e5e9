/**
 * The desk's write ledger on a shared store: a create retried on another replica (or by another
 * session of the same technician) returns the record the first call made instead of making a second.
 *
 * This is only the storage: `WriteLedger` (src/desk/ledger.ts) runs the protocol. Each entry (an
 * attempt's claim, how it ended, the id found) is JSON written once with set-if-absent and a TTL; an
 * identical call elsewhere sees a claim without an end and waits for it. Keys arrive already scoped
 * per caller (the desk's `ledgerScope`: the token id).
 */
import type { LedgerEntry, LedgerStore } from "../desk/index.js";
import type { KeyValueStore } from "./store.js";

export class KeyValueLedgerStore implements LedgerStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix = "ledger:",
  ) {}

  async get(key: string): Promise<LedgerEntry | undefined> {
    const text = await this.store.get(`${this.prefix}${key}`);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as Partial<LedgerEntry> | null;
      return value && typeof value === "object" && typeof value.kind === "string" ? (value as LedgerEntry) : undefined;
    } catch {
      return undefined;
    }
  }

  setIfAbsent(key: string, entry: LedgerEntry, ttlMs: number): Promise<boolean> {
    return this.store.setIfAbsent(`${this.prefix}${key}`, JSON.stringify(entry), ttlMs);
  }
}
