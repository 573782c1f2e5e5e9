/**
 * Dates at the desk's edge. Autotask stores and compares instants in UTC; people speak in the service
 * desk's own zone (the business calendar's `timeZone`, AUTOTASK_TIME_ZONE). So a date or date-time
 * without an offset is read in that zone (`createdAfter: "2026-07-10"` is midnight there, not in UTC),
 * and every instant shown is written in that zone with its offset, one zone per answer.
 */
import { TZDate } from "@date-fns/tz";
import { fixedOffsetMinutes, zoneOffsetMinutes } from "../domain/zones.js";
import { UserInputError } from "../errors.js";

/** ISO 8601 as this server takes it: a date, or a date-time to the minute or finer, with an optional offset. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An ISO 8601 date or date-time as a UTC instant (ISO string). With an offset (`Z`, `+02:00`) it is
 * that instant; without one it is wall-clock time in `timeZone` (a date alone: midnight there).
 * Strict: every field in its range (no 2026-02-30, no 25:00, no leap second), no other format (no
 * `+002026-…`, no "Dec 31 2026"), because `Date` would silently roll such values over or guess.
 * @throws UserInputError (argument `field`) when the value is not a valid date.
 */
export function toUtcIso(value: string, timeZone: string, field = "date"): string {
  const ms = instantOrNaN(value, timeZone);
  if (Number.isNaN(ms)) throw new UserInputError(`${field} "${value}" is not a valid ISO 8601 date or date-time.`, field);
  return new Date(ms).toISOString();
}

/**
 * Whether `value` is an ISO 8601 date or date-time `toUtcIso` takes (the same strict rule), for
 * argument schemas that refuse a bad date before any work is done.
 */
export function isIsoDateTime(value: string): boolean {
  return !Number.isNaN(instantOrNaN(value, "UTC"));
}

function instantOrNaN(value: string, timeZone: string): number {
  const match = ISO.exec(value.trim());
  return match ? instantOf(match, timeZone) : Number.NaN;
}

function instantOf(match: RegExpExecArray, timeZone: string): number {
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0", offset] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  // A day the month does not have (2026-02-30) would roll over in Date arithmetic.
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return Number.NaN;
  const fields = [year, month - 1, day, hour, minute, second, Math.floor(Number(`0.${frac}`) * 1000)] as const;
  if (offset !== undefined) {
    if (offset.toUpperCase() === "Z") return Date.UTC(...fields);
    const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})$/.exec(offset) ?? [];
    if (Number(oh) > 18 || Number(om) > 59) return Number.NaN;
    return Date.UTC(...fields) - (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  }
  const fixed = fixedOffsetMinutes(timeZone);
  // A zone whose offset never changes (UTC, Etc/GMT±N) needs no zone database: wall time minus the offset.
  return fixed !== undefined ? Date.UTC(...fields) - fixed * 60_000 : new TZDate(...fields, timeZone).getTime();
}

/**
 * An instant written in the desk's zone with its offset: "2026-07-10T09:00:00+02:00" ("Z" in UTC).
 * Undefined in, undefined out; an unparsable value is returned unchanged.
 */
export function inDeskZone(iso: string | null | undefined, timeZone: string): string | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const offset = cachedZoneOffset(ms, timeZone);
  // The wall-clock time in the zone is the UTC rendering of the instant shifted by the zone's offset.
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

const QUARTER_HOUR_MS = 15 * 60_000;
/** Zone offsets by quarter hour: search rows write hundreds of instants, and asking the zone database each time costs more than the rest of a row. */
const offsetCache = new Map<string, number>();

/**
 * The zone's UTC offset at `ms`, in minutes east of UTC (+60 for CET): `zoneOffsetMinutes` (domain/zones.ts,
 * no zone database for fixed zones), cached. Offsets change only at transitions, which fall on quarter hours
 * in UTC for every zone (offsets are whole quarter hours), so one look-up per zone and quarter hour is exact.
 */
function cachedZoneOffset(ms: number, timeZone: string): number {
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== undefined) return fixed;
  const key = `${timeZone}|${Math.floor(ms / QUARTER_HOUR_MS)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    // Whole minutes, like TZDate's offset: historic offsets carry seconds, which an ISO offset cannot show.
    offset = Math.trunc(zoneOffsetMinutes(timeZone, ms)) || 0;
    if (offsetCache.size >= 10_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * Two bounds of one range, as UTC instants, checked: a lower bound later than the upper one is the
 * caller's mistake (it would silently match nothing), so it is refused.
 * @throws UserInputError naming both arguments.
 */
export function rangeBounds(
  after: { name: string; value: string | undefined },
  before: { name: string; value: string | undefined },
  timeZone: string,
): { after?: string; before?: string } {
  const from = after.value !== undefined ? toUtcIso(after.value, timeZone, after.name) : undefined;
  const to = before.value !== undefined ? toUtcIso(before.value, timeZone, before.name) : undefined;
  if (from !== undefined && to !== undefined && Date.parse(from) >= Date.parse(to)) {
    throw new UserInputError(
      `${after.name} (${after.value}) is not before ${before.name} (${before.value}), so no ticket could match; swap them or widen the range.`,
      after.name,
    );
  }
  return { ...(from !== undefined ? { after: from } : {}), ...(to !== undefined ? { before: to } : {}) };
}
