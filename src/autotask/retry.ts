/**
 * Retry policy as pure functions, so every rule is tested without a network.
 *
 * - HTTP 429 and Autotask's "Thread Threshold Exceeded" (whatever its status) are retried for reads AND
 *   writes: Autotask certainly refused the request, so repeating it cannot duplicate anything.
 * - Network failures, timeouts and 502/503/504 are retried only for reads (queries are reads even though
 *   they are POSTs). A write is retried after a network failure only when the connection was never
 *   established (nothing can have reached Autotask).
 * - 401 is never retried (repeated bad logins can lock the API user), nor other 4xx or 500 validation errors.
 * - Delay: `Retry-After` when given (seconds or HTTP date, clamped), else capped exponential backoff with
 *   full jitter.
 */
import { isThreadThresholdMessage } from "./errors.js";

export interface RetryOptions {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Backoff for the first retry (before jitter). */
  baseDelayMs: number;
  /** Cap on a backoff delay. */
  maxDelayMs: number;
  /** Cap on a server-requested `Retry-After` wait. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** What one attempt ended with. */
export type AttemptOutcome =
  | { kind: "response"; status: number; autotaskErrors: readonly string[]; retryAfterMs?: number }
  /** No HTTP answer. `connectionEstablished: false` means the request cannot have reached Autotask. */
  | { kind: "network"; connectionEstablished: boolean }
  | { kind: "timeout" };

export interface RetryDecisionInput {
  outcome: AttemptOutcome;
  /** Reads may be repeated freely; writes only when Autotask certainly refused them. */
  isRead: boolean;
  /** Attempts made so far (1 after the first). */
  attempt: number;
}

const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/** True when the outcome says "Autotask refused this, try again later" for any method. */
export function isRateLimited(outcome: AttemptOutcome): boolean {
  return outcome.kind === "response" && (outcome.status === 429 || isThreadThresholdMessage(outcome.autotaskErrors));
}

export function shouldRetry(input: RetryDecisionInput, options: RetryOptions = DEFAULT_RETRY_OPTIONS): boolean {
  if (input.attempt >= options.maxAttempts) return false;
  const { outcome } = input;
  if (isRateLimited(outcome)) return true;
  switch (outcome.kind) {
    case "response":
      return input.isRead && TRANSIENT_STATUSES.has(outcome.status);
    case "network":
      return input.isRead || !outcome.connectionEstablished;
    case "timeout":
      return input.isRead;
  }
}

/**
 * Milliseconds to wait before the next attempt: Retry-After when given (clamped), otherwise capped
 * exponential backoff with jitter floored at a tenth of the ceiling (at least 1 ms), so that a
 * retry never goes out at once and several clients never retry in lockstep.
 * @param random returns [0, 1); injectable so tests are deterministic.
 */
export function retryDelay(
  input: RetryDecisionInput,
  options: RetryOptions = DEFAULT_RETRY_OPTIONS,
  random: () => number = Math.random,
): number {
  const { outcome } = input;
  if (outcome.kind === "response" && outcome.retryAfterMs !== undefined) {
    return Math.min(Math.max(1, outcome.retryAfterMs), options.maxRetryAfterMs);
  }
  const exponent = Math.max(0, input.attempt - 1);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  const floor = Math.max(1, Math.floor(ceiling / 10));
  return Math.max(floor, Math.floor(random() * ceiling));
}

/**
 * Parses a `Retry-After` header: delta seconds ("2") or an HTTP date. Returns milliseconds from `now`,
 * never negative, or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date always names the weekday and month; this keeps "-5" or "12" from parsing as a year.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Last-known hourly usage, from `GET /ThresholdInformation`. */
export interface ThresholdUsage {
  externalRequestThreshold?: number | null;
  currentTimeframeRequestCount?: number | null;
}

/**
 * Extra pause before each request when the tenant nears its hourly request threshold. Autotask itself
 * adds latency from 50% usage and refuses every integration at 100%, so slowing down early keeps the
 * tenant usable for everyone. 0 below 75%, 500 ms from 75%, 2 s from 90%.
 */
export function thresholdPacingDelay(usage: ThresholdUsage | undefined): number {
  const limit = usage?.externalRequestThreshold;
  const used = usage?.currentTimeframeRequestCount;
  if (!limit || limit <= 0 || used === null || used === undefined) return 0;
  const share = used / limit;
  if (share >= 0.9) return 2_000;
  if (share >= 0.75) return 500;
  return 0;
}
