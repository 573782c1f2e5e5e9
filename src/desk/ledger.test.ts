import { describe, expect, it } from "vitest";
import {
  IdempotencyConflictError,
  InMemoryLedgerStore,
  type LedgerEntry,
  type LedgerStore,
  type WriteAttempt,
  WriteLedger,
  type WritePlan,
  WriteOutcomeUnknownError,
} from "./ledger.js";

class Unknown extends Error {}

/** A fake remote system: `saved` is what Autotask holds, keyed by attempt ref. */
type TestPlan = WritePlan & { writes: WriteAttempt[]; reads: number };

function plan(overrides: Partial<WritePlan> & { saved?: Map<string, number> } = {}): TestPlan {
  const saved = overrides.saved ?? new Map<string, number>();
  const result: TestPlan = {
    writes: [] as WriteAttempt[],
    reads: 0,
    fingerprint: "f1",
    keyed: false,
    refOf: (attempt: number) => `ref.${attempt}`,
    isUnknown: (error: unknown) => error instanceof Unknown,
    write: async (attempt: WriteAttempt): Promise<number> => {
      result.writes.push(attempt);
      const id: number = 100 + result.writes.length;
      saved.set(attempt.ref ?? "", id);
      return id;
    },
    recover: async (attempts: WriteAttempt[]) => {
      result.reads += 1;
      for (const a of attempts) if (saved.has(a.ref ?? "")) return saved.get(a.ref ?? "");
      return undefined;
    },
    describe: (attempts: WriteAttempt[]) => attempts.map((a) => a.ref).join(","),
    nameOf: async (id: number) => `record ${id}`,
    ...overrides,
  };
  return result;
}

function ledgerAt(clock: { now: number }, store: LedgerStore = new InMemoryLedgerStore(() => clock.now)) {
  return new WriteLedger(store, { windowMs: 60_000, settleMs: 10_000, recoveryDelaysMs: [5, 5] }, () => clock.now, async () => undefined);
}

describe("WriteLedger", () => {
  it("returns the first record for the same key within the window, and writes again after it", async () => {
    const clock = { now: 0 };
    const ledger = ledgerAt(clock);
    const p = plan();
    const key = WriteLedger.keyOf("create_ticket", { title: "x", companyID: 1 });
    expect(await ledger.run(key, p)).toEqual({ id: 101, replayed: false, recovered: false });
    // Key order does not matter.
    expect(await ledger.run(WriteLedger.keyOf("create_ticket", { companyID: 1, title: "x" }), p)).toEqual({ id: 101, replayed: true, recovered: false });
    clock.now = 60_001;
    expect((await ledger.run(key, p)).id).toBe(102);
    expect(p.writes).toHaveLength(2);
  });

  it("joins a call still in flight instead of writing twice, and lets a certain failure be tried again", async () => {
    const ledger = ledgerAt({ now: 0 });
    let release: (id: number) => void = () => undefined;
    const slow = plan({ write: () => new Promise<number>((resolve) => (release = resolve)) });
    const first = ledger.run("k", slow);
    const second = ledger.run("k", plan({ write: async () => 99 }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    release(7);
    expect(await first).toMatchObject({ id: 7, replayed: false });
    expect(await second).toMatchObject({ id: 7, replayed: true });
    await expect(ledger.run("f", plan({ write: async () => Promise.reject(new Error("refused")) }))).rejects.toThrow("refused");
    expect(await ledger.run("f", plan({ write: async () => 8 }))).toMatchObject({ id: 8, replayed: false });
  });

  it("proves a lost answer by reading back, after more than one read when the commit is late", async () => {
    const saved = new Map<string, number>();
    const p = plan({ saved });
    let reads = 0;
    p.write = async () => {
      throw new Unknown("timed out");
    };
    p.recover = async () => {
      reads += 1;
      if (reads === 2) saved.set("ref.1", 55); // Autotask commits between the first and second read
      return saved.get("ref.1");
    };
    expect(await ledgerAt({ now: 0 }).run("late", p)).toEqual({ id: 55, replayed: false, recovered: true });
    expect(reads).toBe(2);
  });

  it("answers 'outcome unknown' (never 'not saved'), and the retry converges on the record the first attempt saved", async () => {
    const clock = { now: 0 };
    const ledger = ledgerAt(clock);
    const saved = new Map<string, number>();
    const p = plan({ saved });
    let writes = 0;
    p.write = async () => {
      writes += 1;
      throw new Unknown("timed out");
    };
    const error = await ledger.run("k", p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as Error).message).toMatch(/Outcome unknown/);
    expect((error as Error).message).toContain("ref.1");
    expect((error as Error).message).not.toMatch(/not saved|safe to call again/i);
    expect(p.reads).toBe(3); // one read and one after each recovery delay
    saved.set("ref.1", 77); // the late commit lands
    clock.now = 1_000;
    expect(await ledger.run("k", p)).toEqual({ id: 77, replayed: true, recovered: true });
    expect(await ledger.run("k", p)).toEqual({ id: 77, replayed: true, recovered: false });
    expect(writes).toBe(1);
  });

  it("does not write again while an unknown attempt may still commit, and writes once after the settle time", async () => {
    const clock = { now: 0 };
    const ledger = ledgerAt(clock);
    const saved = new Map<string, number>();
    const first = plan({ saved, write: async () => Promise.reject(new Unknown("dropped")) });
    await expect(ledger.run("k", first)).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
    clock.now = 5_000;
    const retry = plan({ saved });
    await expect(ledger.run("k", retry)).rejects.toThrow(/still unknown/);
    expect(retry.writes).toHaveLength(0);
    clock.now = 10_001;
    const outcome = await ledger.run("k", retry);
    expect(outcome).toMatchObject({ replayed: false });
    expect(retry.writes.map((w) => w.ref)).toEqual(["ref.2"]);
    // If the first attempt does land after all, recovery looks for every attempt's ref.
    expect(await ledger.run("k", retry)).toMatchObject({ id: outcome.id, replayed: true });
  });

  it("refuses a key reused with other content, naming the first record", async () => {
    const ledger = ledgerAt({ now: 0 });
    await ledger.run("idem", plan({ keyed: true }));
    const other = plan({ keyed: true, fingerprint: "f2" });
    const error = await ledger.run("idem", other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyConflictError);
    expect((error as Error).message).toContain("record 101");
    expect(other.writes).toHaveLength(0);
    // After a certain failure nothing exists, so the key may carry corrected content.
    await expect(ledger.run("fixme", plan({ keyed: true, write: async () => Promise.reject(new Error("400")) }))).rejects.toThrow("400");
    expect(await ledger.run("fixme", plan({ keyed: true, fingerprint: "f3" }))).toMatchObject({ replayed: false });
  });

  it("stores only JSON entries, with set-if-absent, so a shared store serves several processes", async () => {
    const shared = new Map<string, string>();
    const store: LedgerStore = {
      async get(key) {
        const text = shared.get(key);
        return text === undefined ? undefined : (JSON.parse(text) as LedgerEntry);
      },
      async setIfAbsent(key, entry) {
        if (shared.has(key)) return false;
        shared.set(key, JSON.stringify(entry));
        return true;
      },
    };
    const clock = { now: 0 };
    const saved = new Map<string, number>();
    // Process A loses the answer; process B gets the retry and finds the record by A's ref.
    await expect(ledgerAt(clock, store).run("idem:1", plan({ saved, write: async () => Promise.reject(new Unknown("reset")) }))).rejects.toBeInstanceOf(
      WriteOutcomeUnknownError,
    );
    saved.set("ref.1", 5);
    expect(await ledgerAt(clock, store).run("idem:1", plan({ saved }))).toMatchObject({ id: 5, replayed: true, recovered: true });
    expect([...shared.values()].every((text) => typeof JSON.parse(text) === "object")).toBe(true);
  });

  it("claimKey refuses an update key reused with other content", async () => {
    const ledger = ledgerAt({ now: 0 });
    await ledger.claimKey("u", "a", () => "used");
    await ledger.claimKey("u", "a", () => "used");
    await expect(ledger.claimKey("u", "b", () => "used for another update")).rejects.toThrow("another update");
  });
});

describe("WriteLedger across processes and restarts", () => {
  it("with probeFirst, a key the store has forgotten is looked up in Autotask before writing", async () => {
    const saved = new Map<string, number>([["ref.1", 31]]);
    const p = plan({ saved, keyed: true, probeFirst: true });
    expect(await ledgerAt({ now: 100_000 }).run("idem", p)).toEqual({ id: 31, replayed: true, recovered: true });
    expect(p.writes).toHaveLength(0);
    const fresh = plan({ keyed: true, probeFirst: true });
    expect(await ledgerAt({ now: 100_000 }).run("idem", fresh)).toMatchObject({ replayed: false });
    expect(fresh.writes).toHaveLength(1);
  });

  it("scopes keys per caller: the same create for another scope is a new write", async () => {
    let scope = "ann";
    const ledger = new WriteLedger(new InMemoryLedgerStore(), { windowMs: 60_000, scope: () => scope });
    const p = plan();
    expect(await ledger.run("k", p)).toMatchObject({ id: 101, replayed: false });
    scope = "bob";
    expect(await ledger.run("k", p)).toMatchObject({ id: 102, replayed: false });
    scope = "ann";
    expect(await ledger.run("k", p)).toMatchObject({ id: 101, replayed: true });
  });

  it("waits for a write another process is sending (its claim has no end yet) instead of writing again", async () => {
    const store = new InMemoryLedgerStore();
    const one = new WriteLedger(store, { windowMs: 60_000, pollMs: 2 });
    const two = new WriteLedger(store, { windowMs: 60_000, pollMs: 2 });
    const p = plan();
    const slowWrite = p.write;
    p.write = async (attempt) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return slowWrite(attempt);
    };
    const [a, b] = await Promise.all([one.run("k", p), new Promise((r) => setTimeout(r, 5)).then(() => two.run("k", p))]);
    expect(p.writes).toHaveLength(1);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(b.id).toBe(a.id);
  });
});
