import { describe, expect, it } from "vitest";
import { HourlyBudget } from "./budget.js";
import { WriteLedger } from "../desk/index.js";
import { KeyValueLedgerStore } from "./ledger.js";
import { MemoryStore } from "./store.js";

describe("MemoryStore", () => {
  it("expires entries after their TTL and sets only when absent", async () => {
    let now = 1_000;
    const store = new MemoryStore(() => now);
    expect(await store.setIfAbsent("k", "a", 100)).toBe(true);
    expect(await store.setIfAbsent("k", "b", 100)).toBe(false);
    now += 100;
    expect(await store.get("k")).toBeUndefined();
    expect(await store.setIfAbsent("k", "c", 100)).toBe(true);
    expect(await store.increment("n", 50)).toBe(1);
    expect(await store.increment("n", 50)).toBe(2);
    now += 50;
    expect(await store.increment("n", 50)).toBe(1);
  });
});

describe("HourlyBudget", () => {
  it("follows the tenant's threshold from ThresholdInformation and resets with the clock hour", async () => {
    let now = Date.UTC(2026, 0, 5, 9, 59, 0);
    const budget = new HourlyBudget(new MemoryStore(() => now), { serverShare: 0.5, now: () => now });
    await budget.observe({ externalRequestThreshold: 4, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 1 });
    // Half of 4 = 2 requests this hour.
    expect((await budget.take(undefined)).ok).toBe(true);
    expect((await budget.take(undefined)).ok).toBe(true);
    const refused = await budget.take(undefined);
    expect(refused).toMatchObject({ ok: false, retryAfterMs: 60_000 });
    now += 60_000;
    expect((await budget.take(undefined)).ok).toBe(true);
  });
});

describe("HourlyBudget reading ThresholdInformation", () => {
  it("asks Autotask once per interval across processes sharing the store", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    const one = new HourlyBudget(store, { now: () => now });
    const two = new HourlyBudget(store, { now: () => now });
    let reads = 0;
    const read = async () => {
      reads += 1;
      await one.observe({ externalRequestThreshold: 20_000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 10 });
    };
    one.readThresholdWith(read, 300_000);
    two.readThresholdWith(read, 300_000);
    for (let i = 0; i < 5; i++) {
      await one.take(undefined);
      await two.take(undefined);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(reads).toBe(1);
    // The other process uses the tenant's threshold once it next looks at the store.
    now += 61_000;
    await two.take(undefined);
    expect(two.limits(undefined).server).toBe(10_000);
    now += 300_000;
    await two.take(undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(2);
  });
});

describe("KeyValueLedgerStore under the desk's WriteLedger", () => {
  it("frees the key when the create fails, so the retry runs", async () => {
    const ledger = new WriteLedger(new KeyValueLedgerStore(new MemoryStore()), 60_000, { scope: () => "ann" });
    await expect(ledger.run("k", async () => Promise.reject(new Error("Autotask said no")))).rejects.toThrow("Autotask said no");
    expect(await ledger.run("k", async () => 7)).toEqual({ id: 7, replayed: false });
    expect(await ledger.run("k", async () => 8)).toEqual({ id: 7, replayed: true });
  });
});
