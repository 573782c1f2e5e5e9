import { describe, expect, it } from "vitest";
import { InMemoryLedgerStore, type LedgerStore, WriteLedger } from "./ledger.js";

describe("WriteLedger", () => {
  it("returns the first record for the same key within the window, and runs again after it", async () => {
    let now = 0;
    const ledger = new WriteLedger(new InMemoryLedgerStore(() => now), 60_000);
    let made = 0;
    const create = async () => ++made;
    const key = WriteLedger.keyOf("create_ticket", { title: "x", companyID: 1 });
    expect(await ledger.run(key, create)).toEqual({ id: 1, replayed: false });
    // Key order does not matter.
    expect(await ledger.run(WriteLedger.keyOf("create_ticket", { companyID: 1, title: "x" }), create)).toEqual({ id: 1, replayed: true });
    now = 60_001;
    expect(await ledger.run(key, create)).toEqual({ id: 2, replayed: false });
  });

  it("joins a call still in flight instead of creating twice, and forgets a failed write", async () => {
    const ledger = new WriteLedger(new InMemoryLedgerStore(), 60_000);
    let release: (id: number) => void = () => undefined;
    const pending = new Promise<number>((resolve) => {
      release = resolve;
    });
    const first = ledger.run("k", () => pending);
    const second = ledger.run("k", async () => 99);
    await new Promise((resolve) => setTimeout(resolve, 5));
    release(7);
    expect(await first).toEqual({ id: 7, replayed: false });
    expect(await second).toEqual({ id: 7, replayed: true });
    await expect(ledger.run("f", async () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    expect(await ledger.run("f", async () => 8)).toEqual({ id: 8, replayed: false });
  });

  it("keeps settled writes in whatever store it is given (a shared store sees other processes' writes)", async () => {
    const shared = new Map<string, number>();
    const store: LedgerStore = {
      async get(key) {
        const id = shared.get(key);
        return id === undefined ? undefined : { id };
      },
      async setIfAbsent(key, record) {
        if (shared.has(key)) return false;
        shared.set(key, record.id);
        return true;
      },
    };
    const processA = new WriteLedger(store, 60_000);
    const processB = new WriteLedger(store, 60_000);
    expect(await processA.run("idem:1", async () => 5)).toEqual({ id: 5, replayed: false });
    expect(await processB.run("idem:1", async () => 6)).toEqual({ id: 5, replayed: true });
  });

  it("scopes keys per caller: the same create for another scope is a new write", async () => {
    let scope = "ann";
    const ledger = new WriteLedger(new InMemoryLedgerStore(), 60_000, { scope: () => scope });
    expect(await ledger.run("k", async () => 1)).toEqual({ id: 1, replayed: false });
    scope = "bob";
    expect(await ledger.run("k", async () => 2)).toEqual({ id: 2, replayed: false });
    scope = "ann";
    expect(await ledger.run("k", async () => 3)).toEqual({ id: 1, replayed: true });
  });

  it("with a claiming store, waits for a write pending in another process instead of writing again", async () => {
    // Two ledgers (two processes) over one store that offers claim/release, as the team server's does.
    const records = new Map<string, number>();
    const claims = new Set<string>();
    const shared: LedgerStore = {
      get: async (key) => (records.has(key) ? { id: records.get(key)! } : undefined),
      setIfAbsent: async (key, record) => {
        if (records.has(key)) return false;
        records.set(key, record.id);
        return true;
      },
      claim: async (key) => {
        if (claims.has(key)) return false;
        claims.add(key);
        return true;
      },
      release: async (key) => {
        claims.delete(key);
      },
    };
    const one = new WriteLedger(shared, 60_000, { pollMs: 2 });
    const two = new WriteLedger(shared, 60_000, { pollMs: 2 });
    let creates = 0;
    const slow = async () => {
      creates += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 42;
    };
    const [a, b] = await Promise.all([one.run("k", slow), two.run("k", slow)]);
    expect(creates).toBe(1);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(b.id).toBe(42);
    // A failed write releases its claim: the retry elsewhere runs at once.
    await expect(one.run("f", async () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    expect(claims.has("f")).toBe(false);
    expect(await two.run("f", async () => 7)).toEqual({ id: 7, replayed: false });
  });
});
