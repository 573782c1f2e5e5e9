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
 *
 * Across processes (team server replicas on Redis), a store may also offer `claim`/`release`: the
 * first call marks the key "pending" for every process, and an identical call on another replica
 * waits for the first one's record instead of writing again. Keys can be scoped per caller (the team
 * server's token), so technician B's identical create is not technician A's ticket.
 */
import { createHash } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";

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
  /**
   * Optional (stores shared between processes): marks `key` as being written, for `ttlMs` unless
   * released first, if no one else has marked it. Resolves true when this call marked it.
   */
  claim?(key: string, ttlMs: number): Promise<boolean>;
  /** Drops the mark `claim` set (the write settled or failed). */
  release?(key: string): Promise<void>;
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

export interface WriteLedgerOptions {
  /** The scope of the current call's keys (the team server's token id); undefined = the process's own. */
  scope?: () => string | undefined;
  /** With a claiming store: how long a "pending" mark lives without an answer (ms); longer than a create's deadline (120 s). */
  pendingTtlMs?: number;
  /** With a claiming store: how often a waiting duplicate looks for the first call's record (ms). */
  pollMs?: number;
}

export class WriteLedger {
  readonly #inFlight = new Map<string, Promise<LedgerOutcome>>();
  readonly #options: Required<Omit<WriteLedgerOptions, "scope">> & Pick<WriteLedgerOptions, "scope">;

  constructor(
    private readonly store: LedgerStore,
    private readonly windowMs: number,
    options: WriteLedgerOptions = {},
  ) {
    this.#options = { pendingTtlMs: 150_000, pollMs: 100, ...options };
  }

  /**
   * A stable key for a write: `scope` names the kind of write, then either the caller's idempotency
   * key or the canonical JSON of the arguments (key order and undefined values do not matter).
   */
  static keyOf(scope: string, args: unknown, idempotencyKey?: string): string {
    const material = idempotencyKey !== undefined ? `key:${idempotencyKey}` : `args:${canonicalJson(args)}`;
    return `${scope}:${createHash("sha256").update(material).digest("hex")}`;
  }

  /**
   * Runs `create` unless the same key was written within the window (or is being written now, here
   * or, with a claiming store, in another process).
   * @throws whatever `create` throws (the key is then free again); Error when an identical write stays
   *   pending in another process beyond `pendingTtlMs`.
   */
  async run(key: string, create: () => Promise<number>): Promise<LedgerOutcome> {
    const scope = this.#options.scope?.();
    const scopedKey = scope === undefined ? key : `${scope}:${key}`;
    const running = this.#inFlight.get(scopedKey);
    if (running) return { id: (await running).id, replayed: true };
    const settled = await this.store.get(scopedKey);
    if (settled) return { id: settled.id, replayed: true };
    // Checked again: another call may have started while the store answered.
    const raced = this.#inFlight.get(scopedKey);
    if (raced) return { id: (await raced).id, replayed: true };
    const promise = this.#write(scopedKey, create);
    this.#inFlight.set(scopedKey, promise);
    try {
      return await promise;
    } finally {
      // A failed create made nothing (or was recovered by the caller), so the next try must run.
      this.#inFlight.delete(scopedKey);
    }
  }

  async #write(key: string, create: () => Promise<number>): Promise<LedgerOutcome> {
    if (!this.store.claim) {
      const id = await create();
      await this.store.setIfAbsent(key, { id }, this.windowMs);
      return { id, replayed: false };
    }
    const { pendingTtlMs, pollMs } = this.#options;
    const giveUpAt = Date.now() + pendingTtlMs + pollMs;
    while (!(await this.store.claim(key, pendingTtlMs))) {
      // Pending in another process: wait for its record (or for its mark to go, then claim it).
      const settled = await this.store.get(key);
      if (settled) return { id: settled.id, replayed: true };
      if (Date.now() > giveUpAt) throw new Error("An identical write is still pending on another server; try again in a minute.");
      await delay(pollMs);
    }
    try {
      // The other process may have settled between our look-up and our claim.
      const settled = await this.store.get(key);
      if (settled) return { id: settled.id, replayed: true };
      const id = await create();
      await this.store.setIfAbsent(key, { id }, this.windowMs);
      return { id, replayed: false };
    } finally {
      await this.store.release?.(key).catch(() => undefined);
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
