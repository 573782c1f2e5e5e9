import { describe, expect, it } from "vitest";
import { EndpointLimiter, endpointKey, endpointKeys, Semaphore } from "./limiter.js";
import { acquireEach } from "./shared-limits.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("Semaphore", () => {
  it("runs at most `limit` tasks and starts waiters in FIFO order", async () => {
    const semaphore = new Semaphore(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      semaphore.run(async () => {
        started.push(index);
        await gate.promise;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(semaphore.active).toBe(2);
    expect(semaphore.waiting).toBe(3);

    gates[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    await runs[0];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(semaphore.active).toBe(0);
  });

  it("frees the slot when a task fails", async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(semaphore.run(async () => "ok")).resolves.toBe("ok");
  });

  it("takes an aborted waiter out of the queue with the caller's reason", async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
    expect(semaphore.waiting).toBe(0);
    release();
    expect(semaphore.active).toBe(0);
  });
});

describe("EndpointLimiter", () => {
  it("limits each endpoint separately", async () => {
    const limiter = new EndpointLimiter(1);
    const gate = deferred();
    const tickets = limiter.run("Tickets", () => gate.promise);
    let companiesRan = false;
    await limiter.run("Companies", async () => {
      companiesRan = true;
    });
    expect(companiesRan).toBe(true);
    expect(limiter.inFlight("Tickets")).toBe(1);
    gate.resolve();
    await tickets;
    expect(limiter.inFlight("Tickets")).toBe(0);
  });
});

describe("endpointKey", () => {
  it.each([
    ["/Tickets/query", "Tickets"],
    ["/Tickets/42", "Tickets"],
    ["/Tickets/42/Notes", "TicketNotes"],
    ["/TicketNotes/query", "TicketNotes"],
    ["/Companies/query?x=1", "Companies"],
  ])("%s → %s", (path, key) => {
    expect(endpointKey(path)).toBe(key);
  });
});

describe("endpointKeys (thread-limit rule: a child route counts against its parent and itself)", () => {
  it.each([
    ["/Tickets/query", ["Tickets"]],
    ["/Tickets/query/next", ["Tickets"]],
    ["/Tickets/42", ["Tickets"]],
    ["/Tickets/entityInformation/fields", ["Tickets"]],
    ["/Tickets/42/Notes", ["TicketNotes", "Tickets"]],
    ["/Tickets/42/Notes/next", ["TicketNotes", "Tickets"]],
    ["/Companies/7/Notes", ["Companies", "CompanyNotes"]],
    ["/TicketNotes/query", ["TicketNotes"]],
  ])("%s → %j", (path, keys) => {
    expect(endpointKeys(path)).toEqual(keys);
  });
});

describe("acquireEach over the in-process limiter", () => {
  it("holds a slot of every key until released", async () => {
    const limiter = new EndpointLimiter(3);
    const release = await acquireEach(limiter, ["Tickets", "TicketNotes"]);
    expect(limiter.inFlight("Tickets")).toBe(1);
    expect(limiter.inFlight("TicketNotes")).toBe(1);
    release();
    release();
    expect(limiter.inFlight("Tickets")).toBe(0);
    expect(limiter.inFlight("TicketNotes")).toBe(0);
  });

  it("never deadlocks when requests need overlapping keys in any order, and never exceeds the limit", async () => {
    const limiter = new EndpointLimiter(1);
    let maxTickets = 0;
    const work = async (keys: string[]) => {
      const release = await acquireEach(limiter, keys);
      maxTickets = Math.max(maxTickets, limiter.inFlight("Tickets"));
      await new Promise((resolve) => setTimeout(resolve, 1));
      release();
    };
    // Opposite orders would deadlock with naive sequential acquisition (A holds X waits Y, B holds Y waits X).
    const jobs = Array.from({ length: 40 }, (_, i) => work(i % 2 === 0 ? ["Tickets", "TicketNotes"] : ["TicketNotes", "Tickets"]));
    await Promise.race([
      Promise.all(jobs),
      new Promise((_, reject) => setTimeout(() => reject(new Error("deadlock: jobs did not finish in 5 s")), 5000)),
    ]);
    expect(maxTickets).toBe(1);
  });

  it("gives back the slots it took when the caller aborts while waiting", async () => {
    const limiter = new EndpointLimiter(1);
    // Keys are taken in sorted order: TicketNotes is granted, then the request waits for Tickets.
    const holdTickets = await limiter.acquire("Tickets");
    const controller = new AbortController();
    const waiting = acquireEach(limiter, ["Tickets", "TicketNotes"], controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(limiter.inFlight("TicketNotes")).toBe(1);
    controller.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
    expect(limiter.inFlight("TicketNotes")).toBe(0);
    holdTickets();
  });
});
