import { describe, expect, it } from "vitest";
import { type AttemptOutcome, DEFAULT_RETRY_OPTIONS, parseRetryAfter, retryDelay, shouldRetry, thresholdPacingDelay } from "./retry.js";

const response = (status: number, autotaskErrors: string[] = [], retryAfterMs?: number): AttemptOutcome =>
  retryAfterMs === undefined ? { kind: "response", status, autotaskErrors } : { kind: "response", status, autotaskErrors, retryAfterMs };
const THREAD = ["Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded."];

describe("shouldRetry", () => {
  it.each([
    ["429 on a read", response(429), true, true],
    ["429 on a write", response(429), false, true],
    ["thread threshold as 500 on a write", response(500, THREAD), false, true],
    ["thread threshold as 200-series-less 400 on a read", response(400, THREAD), true, true],
    ["503 on a read", response(503), true, true],
    ["502 on a read", response(502), true, true],
    ["504 on a read", response(504), true, true],
    ["503 on a write", response(503), false, false],
    ["401 on a read", response(401), true, false],
    ["403 on a read", response(403), true, false],
    ["404 on a read", response(404), true, false],
    ["500 validation on a read", response(500, ["queueID is required"]), true, false],
    ["500 validation on a write", response(500, ["Picklist value [3] does not exist for priority"]), false, false],
    ["network error on a read", { kind: "network", connectionEstablished: true }, true, true],
    ["dropped connection on a write", { kind: "network", connectionEstablished: true }, false, false],
    ["refused connection on a write", { kind: "network", connectionEstablished: false }, false, true],
    ["timeout on a read", { kind: "timeout" }, true, true],
    ["timeout on a write", { kind: "timeout" }, false, false],
  ] as const)("%s → %s", (_name, outcome, isRead, expected) => {
    expect(shouldRetry({ outcome, isRead, attempt: 1 })).toBe(expected);
  });

  it("stops after maxAttempts", () => {
    const outcome = response(429);
    expect(shouldRetry({ outcome, isRead: true, attempt: 3 }, { ...DEFAULT_RETRY_OPTIONS, maxAttempts: 4 })).toBe(true);
    expect(shouldRetry({ outcome, isRead: true, attempt: 4 }, { ...DEFAULT_RETRY_OPTIONS, maxAttempts: 4 })).toBe(false);
  });
});

describe("retryDelay", () => {
  const options = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

  it("honours Retry-After, clamped to maxRetryAfterMs", () => {
    expect(retryDelay({ outcome: response(429, [], 2_000), isRead: true, attempt: 1 }, options, () => 0.9)).toBe(2_000);
    expect(retryDelay({ outcome: response(429, [], 3_600_000), isRead: true, attempt: 1 }, options)).toBe(60_000);
  });

  it("uses capped exponential backoff with full jitter otherwise", () => {
    const at = (attempt: number, random: number) => retryDelay({ outcome: response(503), isRead: true, attempt }, options, () => random);
    expect(at(1, 0.999)).toBe(499);
    expect(at(2, 0.999)).toBe(999);
    expect(at(3, 0.5)).toBe(1_000);
    expect(at(10, 0.999)).toBe(7_992); // capped at maxDelayMs
    // Never 0 ms: the jitter is floored at a tenth of the ceiling (2,000 ms on the 3rd attempt).
    expect(at(3, 0)).toBe(200);
    expect(retryDelay({ outcome: response(503), isRead: true, attempt: 1 }, { ...options, baseDelayMs: 1 }, () => 0)).toBe(1);
    expect(retryDelay({ outcome: response(429, [], 0), isRead: true, attempt: 1 }, options)).toBe(1);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-05T10:00:00Z");
  it("reads delta seconds", () => {
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });
  it("reads an HTTP date relative to now, never negative", () => {
    expect(parseRetryAfter("Mon, 05 Jan 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Mon, 05 Jan 2026 09:59:00 GMT", now)).toBe(0);
  });
  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});

describe("thresholdPacingDelay", () => {
  it.each([
    [undefined, 0],
    [{ externalRequestThreshold: 10_000, currentTimeframeRequestCount: 7_499 }, 0],
    [{ externalRequestThreshold: 10_000, currentTimeframeRequestCount: 7_500 }, 500],
    [{ externalRequestThreshold: 10_000, currentTimeframeRequestCount: 9_000 }, 2_000],
    [{ externalRequestThreshold: 0, currentTimeframeRequestCount: 10 }, 0],
    [{ externalRequestThreshold: 10_000, currentTimeframeRequestCount: null }, 0],
  ])("%o → %d ms", (usage, expected) => {
    expect(thresholdPacingDelay(usage)).toBe(expected);
  });
});
