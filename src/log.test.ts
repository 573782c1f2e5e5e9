import { afterEach, describe, expect, it, vi } from "vitest";
import { captureLines } from "../test/support/log-lines.js";
import { createDeferredLogger, silentLogger } from "./log.js";
import { REDACTED } from "./log-redaction.js";
import { createLogger } from "./logger.js";

const SECRET = "s3cr3t-VALUE-never-shown";

/** The real loader, counted. */
function countingLoad() {
  const load = vi.fn(() => import("./logger.js"));
  return load;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createDeferredLogger", () => {
  it("holds lines until ready, then writes them in order with the time each was logged", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    const { lines, parsed, stream } = captureLines();
    const load = countingLoad();
    const { logger, ready } = createDeferredLogger({ level: "info", destination: stream, maxHoldMs: 0 }, load);

    logger.info({ step: 1 }, "first");
    vi.setSystemTime(1_000_250);
    logger.info("second %s", "formatted");
    expect(lines).toHaveLength(0);
    expect(load).not.toHaveBeenCalled();

    vi.setSystemTime(1_005_000);
    await ready();
    expect(parsed()).toEqual([
      { level: "info", time: 1_000_000, step: 1, msg: "first" },
      { level: "info", time: 1_000_250, msg: "second formatted" },
    ]);

    // From then on it writes at once, with the current time.
    logger.info("third");
    expect(parsed()[2]).toEqual({ level: "info", time: 1_005_000, msg: "third" });
    await ready();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("writes the same line createLogger writes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(42_000);
    const direct = captureLines();
    const deferred = captureLines();
    createLogger({ level: "debug", destination: direct.stream, secrets: [SECRET] }).child({ technician: "Jo" }).warn({ err: new Error("boom"), n: 2 }, "careful");
    const { logger, ready } = createDeferredLogger({ level: "debug", destination: deferred.stream, secrets: [SECRET], maxHoldMs: 0 });
    logger.child({ technician: "Jo" }).warn({ err: new Error("boom"), n: 2 }, "careful");
    await ready();
    const strip = (line: { err: { stack: string } }) => ({ ...line, err: { ...line.err, stack: "" } });
    expect(deferred.parsed().map(strip)).toEqual(direct.parsed().map(strip));
    expect(deferred.parsed()[0]).toMatchObject({ level: "warn", technician: "Jo", n: 2, err: { message: "boom" }, msg: "careful" });
  });

  it("drops lines below its level without loading pino for them", async () => {
    const { lines, stream } = captureLines();
    const load = countingLoad();
    const { logger, ready } = createDeferredLogger({ level: "info", destination: stream, maxHoldMs: 0 }, load);
    logger.debug("hidden");
    logger.trace("hidden too");
    expect(load).not.toHaveBeenCalled();
    await ready();
    expect(lines).toHaveLength(0);
  });

  it("logs nothing at level silent, even a fatal line", async () => {
    const { lines, stream } = captureLines();
    const load = countingLoad();
    const { logger, ready } = createDeferredLogger({ level: "silent", destination: stream, maxHoldMs: 0 }, load);
    logger.fatal("nothing");
    expect(load).not.toHaveBeenCalled();
    await ready();
    expect(lines).toHaveLength(0);
  });

  it("loads pino at once for a warning, without waiting for ready", async () => {
    const { parsed, stream } = captureLines();
    const load = countingLoad();
    const { logger } = createDeferredLogger({ level: "info", destination: stream, maxHoldMs: 0 }, load);
    logger.info("before");
    logger.warn({ code: "EPIPE" }, "stdout failed");
    expect(load).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(parsed()).toHaveLength(2));
    expect(parsed().map((line) => line.msg)).toEqual(["before", "stdout failed"]);
  });

  it("loads pino by itself maxHoldMs after creation, for a host that never lists tools", async () => {
    vi.useFakeTimers();
    const { parsed, stream } = captureLines();
    const load = countingLoad();
    const { logger } = createDeferredLogger({ level: "info", destination: stream, maxHoldMs: 500 }, load);
    logger.info("held");
    vi.advanceTimersByTime(499);
    expect(load).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(load).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
    await vi.waitFor(() => expect(parsed()).toHaveLength(1));
    expect(parsed()[0]).toMatchObject({ msg: "held" });
  });

  it("redacts held lines like direct ones: credential fields, bindings and secret values", async () => {
    const { lines, stream } = captureLines();
    const { logger, ready } = createDeferredLogger({ level: "trace", destination: stream, secrets: [SECRET], maxHoldMs: 0 });
    logger.trace({ headers: { Secret: SECRET, UserName: "api@example.com" } }, "request");
    logger.info(`text with ${SECRET} in it`);
    logger.child({ apiSecret: SECRET }).debug("child");
    await ready();
    const output = lines.join("");
    expect(lines).toHaveLength(3);
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain("api@example.com");
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ headers: { Secret: REDACTED, UserName: REDACTED } });
    expect(JSON.parse(lines[2] ?? "{}")).toMatchObject({ apiSecret: REDACTED, msg: "child" });
  });

  it("writes what an object held when it was logged, not what it became", async () => {
    const { parsed, stream } = captureLines();
    const { logger, ready } = createDeferredLogger({ level: "info", destination: stream, maxHoldMs: 0 });
    const fields = { inFlight: 1, nested: { state: "running" } };
    logger.info(fields, "finishing calls in flight");
    fields.inFlight = 0;
    fields.nested.state = "done";
    await ready();
    expect(parsed()[0]).toMatchObject({ inFlight: 1, nested: { state: "running" } });
  });

  it("keeps the lines when pino cannot be loaded, and writes them on the next ready", async () => {
    const { parsed, stream } = captureLines();
    const load = vi.fn<() => Promise<typeof import("./logger.js")>>().mockRejectedValueOnce(new Error("chunk missing"));
    load.mockImplementation(() => import("./logger.js"));
    const { logger, ready } = createDeferredLogger({ level: "info", destination: stream, maxHoldMs: 0 }, load);
    logger.info("kept");
    await expect(ready()).rejects.toThrow("chunk missing");
    expect(parsed()).toHaveLength(0);
    await ready();
    expect(parsed().map((line) => line.msg)).toEqual(["kept"]);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("refuses a level pino does not know", () => {
    expect(() => createDeferredLogger({ level: "verbose", maxHoldMs: 0 })).toThrow('unknown log level "verbose"');
  });
});

describe("silentLogger", () => {
  it("is silent, and so are its children", () => {
    expect(silentLogger.level).toBe("silent");
    expect(silentLogger.child({ a: 1 })).toBe(silentLogger);
    expect(silentLogger.error("nothing")).toBeUndefined();
  });
});
