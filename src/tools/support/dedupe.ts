/**
 * Keeps a create from happening twice.
 *
 * Models retry tool calls (after a timeout, a lost answer, or simply by repeating themselves). A
 * create is keyed by the caller's `idempotencyKey` or, without one, by its canonical arguments; for
 * a few minutes the same key returns the record already made, and a second call that arrives while
 * the first is still running waits for it instead of creating another.
 */
import { createHash } from "node:crypto";

interface Entry {
  promise: Promise<number>;
  settledAt?: number;
}

export interface DedupeOutcome {
  id: number;
  /** True when this call did not create anything but returned an earlier call's record. */
  replayed: boolean;
}

export class WriteDeduplicator {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A stable key for arguments: key order does not matter. */
  static keyOf(scope: string, args: unknown, idempotencyKey?: string): string {
    const material = idempotencyKey !== undefined ? `key:${idempotencyKey}` : `args:${canonicalJson(args)}`;
    return `${scope}:${createHash("sha256").update(material).digest("hex")}`;
  }

  async run(key: string, create: () => Promise<number>): Promise<DedupeOutcome> {
    this.evictExpired();
    const existing = this.entries.get(key);
    if (existing) return { id: await existing.promise, replayed: true };
    const entry: Entry = { promise: create() };
    this.entries.set(key, entry);
    try {
      const id = await entry.promise;
      entry.settledAt = this.now();
      return { id, replayed: false };
    } catch (error) {
      // A failed create made nothing (or was recovered by the caller), so the next try must run.
      this.entries.delete(key);
      throw error;
    }
  }

  private evictExpired() {
    const cutoff = this.now() - this.windowMs;
    for (const [key, entry] of this.entries) {
      if (entry.settledAt !== undefined && entry.settledAt < cutoff) this.entries.delete(key);
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
