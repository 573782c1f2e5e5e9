/**
 * Small time helpers shared by the domain modules: turning Autotask's date strings into instants
 * without depending on the machine's time zone, and the millisecond constants the rules use.
 *
 * Autotask sends dates as ISO 8601 strings in UTC ("2025-03-14T09:30:00.000Z"). Some samples omit the
 * zone designator; those are read as UTC too, because `Date.parse` would otherwise read them in the
 * server's local zone and make the rules depend on where the process runs.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Instants outside this window are treated as invalid data (they only occur as typos or sentinels). */
export const EARLIEST_SUPPORTED_MS = Date.UTC(1900, 0, 1);
export const LATEST_SUPPORTED_MS = Date.UTC(2200, 0, 1);

const HAS_ZONE = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a Date, an ISO string or epoch milliseconds as epoch milliseconds. Returns null for missing,
 * unparsable or out-of-range values, so callers can skip bad records instead of producing NaN.
 */
export function toEpochMs(value: Date | string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
  } else if (typeof value === "number") {
    ms = value;
  } else {
    const text = value.trim();
    if (text === "") return null;
    if (DATE_ONLY.test(text)) ms = Date.parse(`${text}T00:00:00Z`);
    else ms = Date.parse(HAS_ZONE.test(text) ? text : `${text}Z`);
  }
  if (!Number.isFinite(ms) || ms < EARLIEST_SUPPORTED_MS || ms > LATEST_SUPPORTED_MS) return null;
  return ms;
}

/** Like {@link toEpochMs} but returns a Date. */
export function parseInstant(value: Date | string | number | null | undefined): Date | null {
  const ms = toEpochMs(value);
  return ms === null ? null : new Date(ms);
}
