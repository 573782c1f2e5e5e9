import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { callGate, warmUpAfterHandshake } from "./warm-up.js";

const silent = pino({ level: "silent" });
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe("warmUpAfterHandshake", () => {
  it("starts once, after the tools/list answer, not inside the handler", async () => {
    const load = vi.fn(async () => "loaded");
    const warm = warmUpAfterHandshake([load], silent, 10_000);
    warm.initialized();
    warm.listed();
    expect(load).not.toHaveBeenCalled(); // deferred with setImmediate: the answer is written first
    warm.listed();
    await tick();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("runs every load once, in order, each in its own turn", async () => {
    const order: string[] = [];
    const warm = warmUpAfterHandshake(
      [
        () => {
          order.push("metadata");
          return Promise.resolve();
        },
        () => order.push("time zone"),
      ],
      silent,
    );
    warm.listed();
    warm.initialized();
    await tick(10);
    expect(order).toEqual(["metadata", "time zone"]);
  });

  it("starts after the delay when the host never lists tools", async () => {
    const load = vi.fn(async () => undefined);
    warmUpAfterHandshake([load], silent, 5).initialized();
    await tick(1);
    expect(load).not.toHaveBeenCalled();
    await tick(30);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("swallows a failure, synchronous or not, and only logs it at debug level", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(line) });
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      warmUpAfterHandshake([() => Promise.reject(new Error("zone lookup refused"))], logger).listed();
      warmUpAfterHandshake(
        [
          () => {
            throw new Error("metadata unreachable");
          },
        ],
        logger,
      ).listed();
      await tick(10);
    } finally {
      process.off("unhandledRejection", unhandled);
    }
    expect(unhandled).not.toHaveBeenCalled();
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 20, err: "zone lookup refused" }),
      expect.objectContaining({ level: 20, err: "metadata unreachable" }),
    ]);
  });
});

describe("callGate", () => {
  it("lets background work through only while no call is in progress", async () => {
    const gate = callGate();
    const order: string[] = [];
    let finish!: () => void;
    const call = gate.during(
      () =>
        new Promise<string>((resolve) => {
          finish = () => resolve("answer");
        }),
    );
    const background = gate.idle().then(() => order.push("background"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    order.push("call ends");
    finish();
    expect(await call).toBe("answer");
    await background;
    expect(order).toEqual(["call ends", "background"]);
  });

  it("is idle at once (in a later turn) when nothing runs, and counts failed calls as ended", async () => {
    const gate = callGate();
    await expect(gate.during(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    let idle = false;
    const waiting = gate.idle().then(() => {
      idle = true;
    });
    expect(idle).toBe(false);
    await waiting;
    expect(idle).toBe(true);
  });
});
