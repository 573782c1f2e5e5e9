/**
 * Dates at the desk's edge. Autotask stores and compares instants in UTC; people speak in the service
 * desk's own zone (the business calendar's `timeZone`, AUTOTASK_TIME_ZONE). So a date or date-time
 * without an offset is read in that zone (`createdAfter: "2026-07-10"` is midnight there, not in UTC),
 * and every instant shown is written in that zone with its offset, one zone per answer.
 */
import { TZDate } from "@date-fns/tz";
import { fixedOffsetMinutes } from "../domain/zones.js";
import { UserInputError } from "../errors.js";

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/**
 * An ISO 8601 date or date-time as a UTC instant (ISO string). With an offset (`Z`, `+02:00`) it is
 * that instant; without one it is wall-clock time in `timeZone` (a date alone: midnight there).
 * @throws UserInputError (argument `field`) when the value is not a valid date.
 */
export function toUtcIso(value: string, timeZone: string, field = "date"): string {
  const text = value.trim();
  const local = LOCAL.exec(text);
  let ms: number;
  if (local) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0"] = local;
    const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.round(Number(`0.${frac}`) * 1000)] as const;
    const fixed = fixedOffsetMinutes(timeZone);
    // A zone whose offset never changes (UTC, Etc/GMT±N) needs no zone database: wall time minus the offset.
    ms = fixed !== undefined ? Date.UTC(...fields) - fixed * 60_000 : new TZDate(...fields, timeZone).getTime();
    // A date that does not exist (2026-02-30) rolls over in Date arithmetic; refuse it instead.
    if (new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) ms = Number.NaN;
  } else {
    ms = Date.parse(text);
  }
  if (Number.isNaN(ms)) throw new UserInputError(`${field} "${value}" is not a valid ISO 8601 date or date-time.`, field);
  return new Date(ms).toISOString();
}

/**
 * An instant written in the desk's zone with its offset: "2026-07-10T09:00:00+02:00" ("Z" in UTC).
 * Undefined in, undefined out; an unparsable value is returned unchanged.
 */
export function inDeskZone(iso: string | null | undefined, timeZone: string): string | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const offset = zoneOffsetMinutes(ms, timeZone);
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
 * The zone's UTC offset at `ms`, in minutes east of UTC (+60 for CET). Offsets change only at
 * transitions, which fall on quarter hours in UTC for every zone (offsets are whole quarter hours), so
 * one look-up per zone and quarter hour is exact.
 */
function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== undefined) return fixed;
  const key = `${timeZone}|${Math.floor(ms / QUARTER_HOUR_MS)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = -new TZDate(ms, timeZone).getTimezoneOffset() || 0;
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
