/**
 * The desk's write ledger on a shared store: a create retried on another replica (or by another
 * session of the same technician) returns the record the first call made instead of making a second.
 *
 * This is only the storage: `WriteLedger` (src/desk/ledger.ts) runs the protocol. The first call
 * claims a "pending" mark (set-if-absent with `pendingTtlMs`), creates, records the new id for the
 * duplicate window and drops the mark; an identical call elsewhere sees the mark and waits for the id.
 * Keys arrive already scoped per caller (the desk's `ledgerScope`: the token id).
 *
 * Failure modes, on purpose the same as in one process: a create that fails drops the mark (the next
 * try runs); a process that dies mid-create leaves the mark until `pendingTtlMs` passes, after which a
 * retry runs the create again.
 */
import type { LedgerRecord, LedgerStore } from "../desk/index.js";
import type { KeyValueStore } from "./store.js";

export class KeyValueLedgerStore implements LedgerStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix = "ledger:",
  ) {}

  async get(key: string): Promise<LedgerRecord | undefined> {
    const text = await this.store.get(`${this.prefix}${key}`);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as Partial<LedgerRecord>;
      return typeof value.id === "number" ? { id: value.id } : undefined;
    } catch {
      return undefined;
    }
  }

  setIfAbsent(key: string, record: LedgerRecord, ttlMs: number): Promise<boolean> {
    return this.store.setIfAbsent(`${this.prefix}${key}`, JSON.stringify({ id: record.id }), ttlMs);
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.store.setIfAbsent(`${this.prefix}pending:${key}`, "pending", ttlMs);
  }

  release(key: string): Promise<void> {
    return this.store.delete(`${this.prefix}pending:${key}`);
  }
}
