/**
 * The write ledger: keeps a create from happening twice.
 *
 * Models retry tool calls (after a timeout, a lost answer, or simply by repeating themselves). A
 * create is keyed by the caller's idempotency key or, without one, by its canonical arguments; for
 * the duplicate window the same key returns the record already made, and a second call that arrives
 * while the first is still running waits for it instead of creating another.
 *
 * Settled outcomes live in a `LedgerStore` (get / set-if-absent with a TTL), so that a shared store
 * (Redis) can make the window hold across processes; calls still in flight are joined within this
 * process. The ledger is built once per process by `createDesk` and shared by every MCP session.
 */
import { createHash } from "node:crypto";

/** What the ledger remembers of a settled write. */
export interface LedgerRecord {
  /** The id of the record the write made (ticket id, note id). */
  id: number;
}

/**
 * Storage for settled writes. Implementations: `InMemoryLedgerStore` (one process); a Redis store
 * would map `setIfAbsent` to `SET key value NX PX ttlMs`.
 */
export interface LedgerStore {
  get(key: string): Promise<LedgerRecord | undefined>;
  /** Stores `record` under `key` for `ttlMs` unless the key is already there. Resolves true when stored. */
  setIfAbsent(key: string, record: LedgerRecord, ttlMs: number): Promise<boolean>;
}

export class InMemoryLedgerStore implements LedgerStore {
  readonly #entries = new Map<string, { record: LedgerRecord; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<LedgerRecord | undefined> {
    this.#evictExpired();
    return this.#entries.get(key)?.record;
  }

  async setIfAbsent(key: string, record: LedgerRecord, ttlMs: number): Promise<boolean> {
    this.#evictExpired();
    if (this.#entries.has(key)) return false;
    this.#entries.set(key, { record, expiresAt: this.now() + ttlMs });
    return true;
  }

  #evictExpired() {
    const now = this.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}

export interface LedgerOutcome {
  id: number;
  /** True when this call did not create anything but returned an earlier call's record. */
  replayed: boolean;
}

export class WriteLedger {
  readonly #inFlight = new Map<string, Promise<number>>();

  constructor(
    private readonly store: LedgerStore,
    private readonly windowMs: number,
  ) {}

  /**
   * A stable key for a write: `scope` names the kind of write, then either the caller's idempotency
   * key or the canonical JSON of the arguments (key order and undefined values do not matter).
   */
  static keyOf(scope: string, args: unknown, idempotencyKey?: string): string {
    const material = idempotencyKey !== undefined ? `key:${idempotencyKey}` : `args:${canonicalJson(args)}`;
    return `${scope}:${createHash("sha256").update(material).digest("hex")}`;
  }

  /** Runs `create` unless the same key was written within the window (or is being written now). */
  async run(key: string, create: () => Promise<number>): Promise<LedgerOutcome> {
    const running = this.#inFlight.get(key);
    if (running) return { id: await running, replayed: true };
    const settled = await this.store.get(key);
    if (settled) return { id: settled.id, replayed: true };
    // Checked again: another call may have started while the store answered.
    const raced = this.#inFlight.get(key);
    if (raced) return { id: await raced, replayed: true };
    const promise = create();
    this.#inFlight.set(key, promise);
    try {
      const id = await promise;
      await this.store.setIfAbsent(key, { id }, this.windowMs);
      return { id, replayed: false };
    } finally {
      // A failed create made nothing (or was recovered by the caller), so the next try must run.
      this.#inFlight.delete(key);
    }
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
