/**
 * Which failed writes leave their outcome unknown, and how records are matched when read back.
 */
import { AutotaskNetworkError, AutotaskServerError, isReadRequest } from "../autotask/errors.js";

/**
 * True when a write was (or may have been) sent and no answer says what happened: the client's
 * `maybeCommitted` network failures (timeout or dropped connection after sending), any 5xx that is
 * not one of Autotask's `{"errors":[…]}` refusals (a gateway's 503 says nothing about the write behind
 * it), and a 2xx whose body could not be read (saved, but the new id is unknown).
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (error instanceof AutotaskNetworkError) return error.maybeCommitted;
  if (!(error instanceof AutotaskServerError)) return false;
  // A read that failed on the way to a write (the tenant's metadata, a name, the current ticket) means
  // the write was never sent: a plain failure to retry, not an unknown outcome.
  if (isReadRequest(error)) return false;
  const status = error.status ?? 0;
  return status >= 500 || (status >= 200 && status < 300);
}

/**
 * Records created this long (ms) before a call started still count as created after it: Autotask's
 * clock and ours differ a little. Small, so that an earlier look-alike is not taken for this call's record.
 */
export const CLOCK_SKEW_MS = 5_000;

/** Equal as Autotask stores them: empty = null = absent, date-times compared as instants, numbers as numbers. */
export function sameStoredValue(sent: unknown, stored: unknown): boolean {
  if (sent === stored) return true;
  const empty = (v: unknown) => v === null || v === undefined || v === "";
  if (empty(sent) && empty(stored)) return true;
  if (typeof sent === "number" && typeof stored === "string") return String(sent) === stored.trim();
  if (typeof sent === "string" && typeof stored === "string") {
    if (/^\d{4}-\d{2}-\d{2}T/.test(sent) && /^\d{4}-\d{2}-\d{2}T/.test(stored)) {
      const a = Date.parse(sent);
      const b = Date.parse(stored.endsWith("Z") || /[+-]\d{2}:?\d{2}$/.test(stored) ? stored : `${stored}Z`);
      if (!Number.isNaN(a) && a === b) return true;
    }
    return sent.trim() === stored.trim();
  }
  return false;
}

/** True when `created` (a record's createDate text) is not before `startedAt` minus the clock skew. */
export function createdSince(created: string | null | undefined, startedAt: number): boolean {
  if (!created) return false;
  const at = Date.parse(created.endsWith("Z") || /[+-]\d{2}:?\d{2}$/.test(created) ? created : `${created}Z`);
  return !Number.isNaN(at) && at >= startedAt - CLOCK_SKEW_MS;
}

/** One sentence on why the outcome is unknown, without the client's generic hint. */
export function lostAnswer(error: unknown): string {
  if (error instanceof AutotaskServerError && (error.status ?? 0) < 300) {
    return `Autotask accepted ${error.method} ${error.path} (HTTP ${error.status}) but its answer could not be read, so the new record's id is not known.`;
  }
  if (error instanceof AutotaskServerError) {
    return `Autotask answered ${error.method} ${error.path} with HTTP ${error.status ?? "5xx"} and no usable message, which does not say whether the write behind it was saved.`;
  }
  return error instanceof Error ? error.message.replace(/\s*Hint:.*$/s, "") : String(error);
}

/**
 * A write Autotask saved, followed by a step that failed: reading the record back for the answer, or
 * the second write of a two-step change. The answer must say what was saved, or the caller repeats a
 * write that happened. `message`: what was saved, the step and its failure, and what to do instead.
 */
export class AfterWriteError extends Error {
  override readonly name = "AfterWriteError";
  constructor(saved: string, step: string, cause: unknown, advice: string) {
    super(`${saved} Then ${step} failed: ${summaryOf(cause)} ${advice}`, { cause });
  }
}

/**
 * Runs `step` after a write Autotask saved; any failure (except the caller's own cancellation) becomes
 * an `AfterWriteError` that names what was saved (`saved`, one or two sentences) and what to do.
 */
export async function afterWrite<T>(saved: string, step: string, advice: string, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (signal?.aborted || error instanceof AfterWriteError) throw error;
    throw new AfterWriteError(saved, step, error, advice);
  }
}

function summaryOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
