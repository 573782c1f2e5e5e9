/**
 * The write ledger: a write happens at most once, and its outcome is never guessed.
 *
 * Models retry tool calls (after a timeout, a lost answer, or simply by repeating themselves). A
 * write is keyed by the caller's idempotency key or, without one, by its canonical arguments; for
 * the duplicate window the same key returns the record already made.
 *
 * Each key has a short chain of ATTEMPTS. An attempt is claimed before anything is sent and ends as
 * `saved` (with the record's id), `failed` (certainly made nothing: Autotask refused it, or it never
 * left) or `unknown` (sent, but no answer: it may be saved now or later). An unknown attempt is
 * recovered by reading Autotask back (`recover`); only when it is still absent after `settleMs` and
 * at least two reads does the next call make a new attempt. So a retry after "outcome unknown"
 * converges on the one record.
 *
 * Store entries are plain JSON (claim, end, found), written only with set-if-absent and a TTL, so a
 * shared store (Redis `SET key value NX PX ttl`) makes all of this hold across processes. Calls in
 * flight are joined within this process; an identical call on another process sees the claim and
 * waits for its end (`pendingWaitMs`) before it reads Autotask. Keys can be scoped per caller (the
 * team server's token), so technician B's identical create is not technician A's ticket.
 */
import { createHash } from "node:crypto";

/** One attempt's claim, stored before the write is sent. */
export interface LedgerClaim {
  kind: "claim";
  attempt: number;
  /** Hash of what the call asked for: a key reused with other content is refused. */
  fingerprint: string;
  /** Epoch ms when the attempt started (records created earlier are not this call's). */
  startedAt: number;
  /** The reference the write carries (a ticket's externalID), when it carries one. */
  ref?: string;
}

/** How an attempt ended; `found` is an unknown attempt later proved saved by reading Autotask. */
export type LedgerEnd =
  | { kind: "saved"; id: number }
  | { kind: "failed" }
  | { kind: "unknown"; at: number }
  | { kind: "found"; id: number };

export type LedgerEntry = LedgerClaim | LedgerEnd;

/**
 * Storage for the ledger. `InMemoryLedgerStore` serves one process; a Redis store maps `setIfAbsent`
 * to `SET key value NX PX ttlMs`. Entries are JSON-serialisable and never overwritten.
 */
export interface LedgerStore {
  get(key: string): Promise<LedgerEntry | undefined>;
  /** Stores `entry` under `key` for `ttlMs` unless the key is already there. Resolves true when stored. */
  setIfAbsent(key: string, entry: LedgerEntry, ttlMs: number): Promise<boolean>;
}

/** @deprecated the old name of a stored entry. */
export type LedgerRecord = LedgerEntry;

export class InMemoryLedgerStore implements LedgerStore {
  readonly #entries = new Map<string, { entry: LedgerEntry; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<LedgerEntry | undefined> {
    this.#evictExpired();
    return this.#entries.get(key)?.entry;
  }

  async setIfAbsent(key: string, entry: LedgerEntry, ttlMs: number): Promise<boolean> {
    this.#evictExpired();
    if (this.#entries.has(key)) return false;
    // A copy, so that nothing kept here can be changed by a caller (a real store holds serialised text).
    this.#entries.set(key, { entry: JSON.parse(JSON.stringify(entry)) as LedgerEntry, expiresAt: this.now() + ttlMs });
    return true;
  }

  #evictExpired() {
    const now = this.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}

/** Thrown when the outcome of a write cannot be known; the message says what to check and what a retry does. */
export class WriteOutcomeUnknownError extends Error {
  override readonly name = "WriteOutcomeUnknownError";
}

/** Thrown when an idempotency key comes back with other content. */
export class IdempotencyConflictError extends Error {
  override readonly name = "IdempotencyConflictError";
}

export interface LedgerOutcome {
  id: number;
  /** True when this call did not write anything but returned an earlier call's record. */
  replayed: boolean;
  /** True when the answer was lost and the record was found by reading Autotask back. */
  recovered: boolean;
}

/** An attempt as the write and recovery functions see it. */
export interface WriteAttempt {
  attempt: number;
  startedAt: number;
  ref?: string;
}

export interface WritePlan {
  fingerprint: string;
  /** The reference attempt `n` carries (e.g. a ticket's externalID), or undefined. */
  refOf?: (attempt: number) => string | undefined;
  /** Sends the write; resolves to the new record's id. */
  write: (attempt: WriteAttempt) => Promise<number>;
  /** True when `error` leaves the outcome unknown (sent, no answer). */
  isUnknown: (error: unknown) => boolean;
  /** Why the outcome is unknown, in one sentence (default: the error's message). */
  explain?: (error: unknown) => string;
  /**
   * Reads Autotask for a record made by any of `attempts`: resolves to its id, or undefined. Throws
   * when the read itself fails (the outcome then stays unknown).
   */
  recover: (attempts: WriteAttempt[]) => Promise<number | undefined>;
  /** Text for the errors: what to look for in Autotask (e.g. `a ticket with externalID "mcp:…"`). */
  describe: (attempts: WriteAttempt[]) => string;
  /** Names an earlier record for the key-reuse refusal (e.g. "ticket T2026….0004"). */
  nameOf: (id: number) => Promise<string>;
  /** True when a key was given by the caller (the refusal then names the key). */
  keyed: boolean;
  /**
   * When the ledger knows nothing of the key (a restarted process with an in-memory store), read
   * Autotask for attempt 1's ref (created within the window) before writing. Only for writes whose
   * ref is derived from the caller's key alone, so that the record found is that key's.
   */
  probeFirst?: boolean;
}

export interface WriteLedgerOptions extends Partial<LedgerTiming> {
  /** The scope of the current call's keys (the team server's token id); undefined = the process's own. */
  scope?: () => string | undefined;
  /** How long (ms) a claim without an end (written by another process now) is waited for. Default 150 s: longer than a write's deadline. */
  pendingWaitMs?: number;
  /** How often (ms) a waiting call looks for that end. Default 100. */
  pollMs?: number;
}

export interface LedgerTiming {
  /** How long (ms) a key is remembered. */
  windowMs: number;
  /** An unknown attempt still absent this long (ms) after it was sent, over two reads or more, counts as not saved. */
  settleMs: number;
  /** Waits (ms) between the reads right after an unknown outcome. */
  recoveryDelaysMs: readonly number[];
}

const MAX_ATTEMPTS = 10;

export class WriteLedger {
  readonly #inFlight = new Map<string, Promise<LedgerOutcome>>();
  readonly timing: LedgerTiming;
  readonly #scope: (() => string | undefined) | undefined;
  readonly #pendingWaitMs: number;
  readonly #pollMs: number;

  /**
   * @param timing the window (ms) alone, or the options
   * @param now epoch ms (the desk's clock)
   * @param sleep waits between read-backs (injectable for tests)
   */
  constructor(
    private readonly store: LedgerStore,
    timing: number | WriteLedgerOptions,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    const { scope, pendingWaitMs = 150_000, pollMs = 100, ...given } = typeof timing === "number" ? { windowMs: timing } : timing;
    this.timing = { windowMs: 10 * 60_000, settleMs: 2 * 60_000, recoveryDelaysMs: [1_000, 3_000], ...given };
    this.#scope = scope;
    this.#pendingWaitMs = pendingWaitMs;
    this.#pollMs = pollMs;
  }

  /**
   * A stable key for a write: `scope` names the kind of write, then either the caller's idempotency
   * key or the canonical JSON of the arguments (key order and undefined values do not matter).
   */
  static keyOf(scope: string, args: unknown, idempotencyKey?: string): string {
    const material = idempotencyKey !== undefined ? `key:${idempotencyKey}` : `args:${canonicalJson(args)}`;
    return `${scope}:${sha256(material)}`;
  }

  /** Hash of a value's canonical JSON (key order and undefined values do not matter). */
  static fingerprintOf(value: unknown): string {
    return sha256(canonicalJson(value)).slice(0, 32);
  }

  /**
   * Runs a write at most once per key. Returns the record this call (or an earlier call with the
   * same key) made.
   * @throws WriteOutcomeUnknownError when the write was sent and neither an answer nor a read proves its outcome
   * @throws IdempotencyConflictError when the key was used for other content
   * @throws whatever `write` throws when the write certainly made nothing
   */
  async run(unscopedKey: string, plan: WritePlan): Promise<LedgerOutcome> {
    const scope = this.#scope?.();
    const key = scope === undefined ? unscopedKey : `${scope}:${unscopedKey}`;
    const running = this.#inFlight.get(key);
    if (running) return { ...(await running), replayed: true };
    const promise = this.#run(key, plan);
    this.#inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      this.#inFlight.delete(key);
    }
  }

  /** Refuses a key already used for other content (for writes that need no attempt chain). */
  async claimKey(unscopedKey: string, fingerprint: string, describe: (fingerprint: string) => string): Promise<void> {
    const scope = this.#scope?.();
    const key = scope === undefined ? unscopedKey : `${scope}:${unscopedKey}`;
    const claim: LedgerClaim = { kind: "claim", attempt: 0, fingerprint, startedAt: this.now() };
    if (await this.store.setIfAbsent(`${key}@0`, claim, this.timing.windowMs)) return;
    const first = await this.store.get(`${key}@0`);
    if (first?.kind === "claim" && first.fingerprint !== fingerprint) throw new IdempotencyConflictError(describe(first.fingerprint));
  }

  async #run(key: string, plan: WritePlan): Promise<LedgerOutcome> {
    for (let guard = 0; guard < MAX_ATTEMPTS; guard++) {
      const chain = await this.#settledChain(key);
      const saved = chain.find((link) => link.found !== undefined);
      if (saved?.found !== undefined) {
        const id = saved.found;
        if (saved.claim.fingerprint !== plan.fingerprint) await this.#refuse(plan, await plan.nameOf(id));
        return { id, replayed: true, recovered: false };
      }
      const last = chain.at(-1);
      const unresolved = chain.filter((link) => link.end?.kind !== "failed");
      if (last && last.end?.kind !== "failed") {
        // The last attempt was sent and nothing proves what happened (or another process is sending it now).
        if (last.claim.fingerprint !== plan.fingerprint) {
          await this.#refuse(plan, `an earlier write whose outcome is unknown (look for ${plan.describe(unresolved.map((l) => attemptOf(l.claim)))})`);
        }
        const attempts = unresolved.map((link) => attemptOf(link.claim));
        const id = await this.#read(plan, attempts, "none");
        if (id !== undefined) {
          await this.store.setIfAbsent(foundKey(key, last.claim.attempt), { kind: "found", id }, this.timing.windowMs);
          return { id, replayed: true, recovered: true };
        }
        const since = this.now() - last.claim.startedAt;
        if (since < this.timing.settleMs) {
          const when = new Date(last.claim.startedAt + this.timing.settleMs).toISOString();
          throw new WriteOutcomeUnknownError(
            `Outcome still unknown: an earlier identical call sent this write ${Math.round(since / 1000)} s ago and Autotask has not shown it yet, so nothing was written now. Look for ${plan.describe(attempts)}. Calling again after ${when} is safe: it returns the record if it appeared, or writes it once if it is still absent.`,
          );
        }
        // Absent on two reads or more, the last one `settleMs` after sending: the earlier attempt made nothing.
        if (!last.end) await this.store.setIfAbsent(endKey(key, last.claim.attempt), { kind: "unknown", at: this.now() }, this.timing.windowMs);
      }
      if (!last && plan.probeFirst) {
        const probe: WriteAttempt = { attempt: 1, startedAt: this.now() - this.timing.windowMs };
        const ref = plan.refOf?.(1);
        if (ref !== undefined) probe.ref = ref;
        const id = await this.#read(plan, [probe], "none");
        if (id !== undefined) {
          const claim: LedgerClaim = { kind: "claim", attempt: 1, fingerprint: plan.fingerprint, startedAt: probe.startedAt, ...(ref !== undefined ? { ref } : {}) };
          if (!(await this.store.setIfAbsent(claimKey(key, 1), claim, this.timing.windowMs))) continue;
          await this.store.setIfAbsent(foundKey(key, 1), { kind: "found", id }, this.timing.windowMs);
          return { id, replayed: true, recovered: true };
        }
      }
      const attempt = (last?.claim.attempt ?? 0) + 1;
      const ref = plan.refOf?.(attempt);
      const claim: LedgerClaim = { kind: "claim", attempt, fingerprint: plan.fingerprint, startedAt: this.now(), ...(ref !== undefined ? { ref } : {}) };
      // Another process may have claimed this attempt meanwhile: read the chain again.
      if (!(await this.store.setIfAbsent(claimKey(key, attempt), claim, this.timing.windowMs))) continue;
      return this.#attempt(key, plan, claim);
    }
    throw new WriteOutcomeUnknownError(`This write was tried ${MAX_ATTEMPTS} times without a known outcome; check Autotask before trying again.`);
  }

  async #attempt(key: string, plan: WritePlan, claim: LedgerClaim): Promise<LedgerOutcome> {
    const attempt = attemptOf(claim);
    const end = (entry: LedgerEnd) => this.store.setIfAbsent(endKey(key, claim.attempt), entry, this.timing.windowMs);
    let id: number;
    try {
      id = await plan.write(attempt);
    } catch (error) {
      if (!plan.isUnknown(error)) {
        await end({ kind: "failed" });
        throw error;
      }
      const found = await this.#read(plan, [attempt], "spaced");
      if (found !== undefined) {
        await this.store.setIfAbsent(foundKey(key, claim.attempt), { kind: "found", id: found }, this.timing.windowMs);
        return { id: found, replayed: false, recovered: true };
      }
      await end({ kind: "unknown", at: this.now() });
      const reason = plan.explain?.(error) ?? (error instanceof Error ? error.message : String(error));
      throw new WriteOutcomeUnknownError(
        `Outcome unknown: ${reason} Autotask may have saved it (it can still commit minutes later); reading it back did not find it yet. Look for ${plan.describe([attempt])}. Do not make it again by hand: calling again with the same arguments${plan.keyed ? " and idempotencyKey" : ""} is safe, it returns the record once it appears, and writes it only if it is still absent ${Math.round(this.timing.settleMs / 1000)} s after this attempt.`,
      );
    }
    await end({ kind: "saved", id });
    return { id, replayed: false, recovered: false };
  }

  /** Reads Autotask back: once, or (right after an unknown outcome) once more after each recovery delay. */
  async #read(plan: WritePlan, attempts: WriteAttempt[], mode: "none" | "spaced"): Promise<number | undefined> {
    const delays = mode === "spaced" ? [0, ...this.timing.recoveryDelaysMs] : [0];
    for (const delay of delays) {
      if (delay > 0) await this.sleep(delay);
      let id: number | undefined;
      try {
        id = await plan.recover(attempts);
      } catch {
        continue; // a failed read proves nothing either way
      }
      if (id !== undefined) return id;
    }
    return undefined;
  }

  /**
   * The chain, once its last attempt has ended: a claim without an end is a write another process is
   * sending now, so wait for its end (up to `pendingWaitMs` after it started) instead of writing again.
   */
  async #settledChain(key: string): Promise<Array<{ claim: LedgerClaim; end?: LedgerEnd; found?: number }>> {
    for (let polls = 0; ; polls++) {
      const chain = await this.#chain(key);
      const last = chain.at(-1);
      if (!last || last.end || last.found !== undefined) return chain;
      if (this.now() - last.claim.startedAt > this.#pendingWaitMs || polls * this.#pollMs > this.#pendingWaitMs) return chain;
      await this.sleep(this.#pollMs);
    }
  }

  /** The key's attempts in order; `found` is the id an attempt is known to have made (answered or read back). */
  async #chain(key: string): Promise<Array<{ claim: LedgerClaim; end?: LedgerEnd; found?: number }>> {
    const chain: Array<{ claim: LedgerClaim; end?: LedgerEnd; found?: number }> = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const claim = await this.store.get(claimKey(key, attempt));
      if (claim?.kind !== "claim") break;
      const [end, found] = await Promise.all([this.store.get(endKey(key, attempt)), this.store.get(foundKey(key, attempt))]);
      const link: { claim: LedgerClaim; end?: LedgerEnd; found?: number } = { claim };
      if (end && end.kind !== "claim") link.end = end;
      if (end?.kind === "saved") link.found = end.id;
      else if (found?.kind === "found") link.found = found.id;
      chain.push(link);
    }
    return chain;
  }

  async #refuse(plan: WritePlan, what: string): Promise<never> {
    throw new IdempotencyConflictError(
      `${plan.keyed ? "This idempotencyKey was already used" : "This write was already made"} with different content, for ${what}. Nothing was written. Use a new idempotencyKey for a new record, or repeat the first call's content exactly.`,
    );
  }
}

function attemptOf(claim: LedgerClaim): WriteAttempt {
  return { attempt: claim.attempt, startedAt: claim.startedAt, ...(claim.ref !== undefined ? { ref: claim.ref } : {}) };
}

function claimKey(key: string, attempt: number): string {
  return `${key}@${attempt}`;
}

function endKey(key: string, attempt: number): string {
  return `${key}@${attempt}:end`;
}

/** Separate from the end: an attempt that ended `unknown` can still be found saved later. */
function foundKey(key: string, attempt: number): string {
  return `${key}@${attempt}:found`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
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
