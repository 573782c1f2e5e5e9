/**
 * The Redis-backed shared state against a real redis-server (see support/redis.ts for how one is found;
 * without one these tests are skipped, and say so, except under CI).
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HourlyBudget } from "../src/state/budget.js";
import { WriteLedger } from "../src/desk/index.js";
import { KeyValueLedgerStore } from "../src/state/ledger.js";
import { connectRedis, RedisEndpointSlots, RedisStore } from "../src/state/redis.js";
import { findTestRedis, reportSkipped, type TestRedis } from "./support/redis.js";

const found = await findTestRedis();
const redisAvailable = "url" in found;
if (!redisAvailable) reportSkipped("test/redis.state.test.ts", "RedisStore, RedisEndpointSlots (distributed semaphore), HourlyBudget and the desk ledger on Redis", found.missing);

describe.skipIf(!redisAvailable)("shared state on a real Redis", () => {
  const testRedis = found as TestRedis;
  const connections: Redis[] = [];
  let prefix: string;
  const connect = async () => {
    const redis = await connectRedis({ url: testRedis.url });
    connections.push(redis);
    return redis;
  };

  beforeAll(() => {
    prefix = `test-${randomUUID()}:`;
  });
  afterAll(async () => {
    for (const redis of connections) redis.disconnect();
    await testRedis.stop();
  });

  it("stores with set-if-absent and TTL, and counts", async () => {
    const store = new RedisStore(await connect(), prefix);
    expect(await store.setIfAbsent("k", "first", 300)).toBe(true);
    expect(await store.setIfAbsent("k", "second", 300)).toBe(false);
    expect(await store.get("k")).toBe("first");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await store.get("k")).toBeUndefined();
    expect(await store.setIfAbsent("k", "third", 300)).toBe(true);
    expect(await store.increment("c", 10_000)).toBe(1);
    expect(await store.increment("c", 10_000)).toBe(2);
  });

  it("never lets more than 3 holders of one endpoint run at once across two processes' connections", async () => {
    const a = new RedisEndpointSlots(await connect(), { prefix: `${prefix}slots:`, pollMs: 5 });
    const b = new RedisEndpointSlots(await connect(), { prefix: `${prefix}slots:`, pollMs: 5 });
    let running = 0;
    let peak = 0;
    const task = async (slots: RedisEndpointSlots, endpoint: string) => {
      const release = await slots.acquire(endpoint);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      release();
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => task(i % 2 ? a : b, "Tickets")));
    expect(peak).toBe(3);
  });

  it("takes back the slots of a holder that vanished once its lease runs out", async () => {
    const doomedConnection = await connect();
    const doomed = new RedisEndpointSlots(doomedConnection, { prefix: `${prefix}slots:`, leaseMs: 1_500 });
    for (let i = 0; i < 3; i++) await doomed.acquire("Companies");
    // The holder disappears without releasing (its refreshes stop with its connection).
    doomedConnection.disconnect();
    const survivor = new RedisEndpointSlots(await connect(), { prefix: `${prefix}slots:`, leaseMs: 1_500, pollMs: 20 });
    const started = Date.now();
    const release = await survivor.acquire("Companies");
    const waited = Date.now() - started;
    release();
    expect(waited).toBeGreaterThan(1_000);
    expect(waited).toBeLessThan(3_000);
  });

  it("shares the hourly budget between processes and splits it per caller", async () => {
    const one = new HourlyBudget(new RedisStore(await connect(), prefix), { serverShare: 0.001 });
    const two = new HourlyBudget(new RedisStore(await connect(), prefix), { serverShare: 0.001 });
    // 0.001 of 10,000 = 10 requests for the server, 0.5 of that = 5 for Ann.
    const ann = { id: "ann", technician: "Ann", hourlyShare: 0.5 };
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await (i % 2 ? one : two).take(ann));
    expect(decisions.map((d) => d.ok)).toEqual([true, true, true, true, true, false]);
    for (let i = 0; i < 5; i++) expect((await one.take(undefined)).ok).toBe(true);
    // The server's 10 are used (5 by Ann, 5 unattributed): the other process refuses too.
    const refused = await two.take(undefined);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterMs).toBeGreaterThan(0);
  });

  it("recognises a retried create on another process and waits for one still running", async () => {
    const one = new WriteLedger(new KeyValueLedgerStore(new RedisStore(await connect(), prefix)), 60_000, { scope: () => "ann", pollMs: 10 });
    const two = new WriteLedger(new KeyValueLedgerStore(new RedisStore(await connect(), prefix)), 60_000, { scope: () => "ann", pollMs: 10 });
    let creates = 0;
    const slowCreate = async () => {
      creates += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return 4711;
    };
    const [first, second] = await Promise.all([one.run("key-1", slowCreate), two.run("key-1", slowCreate)]);
    expect(creates).toBe(1);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    expect(second.id).toBe(4711);
    const other = new WriteLedger(new KeyValueLedgerStore(new RedisStore(await connect(), prefix)), 60_000, { scope: () => "bob" });
    expect((await other.run("key-1", async () => 4712)).id).toBe(4712);
  });
});
