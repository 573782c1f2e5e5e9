/**
 * The small shared-state contract the server keeps outside a tool call: a key-value store with TTLs
 * (write ledger: dedupe and idempotency keys; picklist metadata cache) and counters per time window
 * (hourly request budget). `MemoryStore` is the default for one process; `RedisStore` (`./redis.ts`,
 * loaded only when AUTOTASK_REDIS_URL is set) shares the same state between processes.
 *
 * Values are strings (callers JSON-encode). TTLs are wall-clock milliseconds.
 */

export interface KeyValueStore {
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` only if `key` is absent; true when this call stored it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Stores `value` for `ttlMs`, replacing any earlier value. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface WindowCounter {
  /** Adds one to `key` and returns the new count; the key expires `ttlMs` after it was created. */
  increment(key: string, ttlMs: number): Promise<number>;
}

export type SharedStore = KeyValueStore & WindowCounter;

/** In-process store: a Map with lazy expiry (checked on read, swept every 1,000 writes). */
export class MemoryStore implements SharedStore {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();
  #writes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | undefined> {
    return this.#live(key)?.value;
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key)) return false;
    this.#put(key, value, ttlMs);
    return true;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#put(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = this.#live(key);
    const count = (entry ? Number(entry.value) : 0) + 1;
    if (entry) entry.value = String(count);
    else this.#put(key, String(count), ttlMs);
    return count;
  }

  #live(key: string) {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #put(key: string, value: string, ttlMs: number) {
    this.#entries.set(key, { value, expiresAt: this.now() + Math.max(1, ttlMs) });
    if (++this.#writes % 1000 === 0) {
      const now = this.now();
      for (const [k, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(k);
    }
  }
}
