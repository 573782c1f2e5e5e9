import { describe, expect, it } from "vitest";
import { EndpointLimiter, endpointKey, Semaphore } from "./limiter.js";

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
