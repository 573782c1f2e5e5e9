/**
 * Time zones: which names this runtime accepts, and the UTC offset of a zone at an instant.
 *
 * The zone database behind `Intl` costs about 40 ms of CPU the first time a formatter with a time zone
 * is built (the ICU data is loaded then), and the first search of a session pays it. Zones whose offset
 * never changes (UTC and its aliases, `Etc/GMT±N`, and offsets written as `±HH:MM`, which @date-fns/tz
 * accepts too) are answered here without `Intl`; every other zone goes to @date-fns/tz's `tzOffset`.
 * The test compares both paths for every fixed zone.
 */
import { tzOffset } from "@date-fns/tz";

/** Names of UTC in the zone database (all links to `Etc/UTC` or `Etc/GMT`: offset 0 at every instant). */
const UTC_NAMES = new Set([
  "UTC",
  "Etc/UTC",
  "Etc/UCT",
  "UCT",
  "Etc/Universal",
  "Universal",
  "Etc/Zulu",
  "Zulu",
  "Etc/GMT",
  "GMT",
  "Etc/GMT0",
  "GMT0",
  "Etc/GMT+0",
  "GMT+0",
  "Etc/GMT-0",
  "GMT-0",
  "Etc/Greenwich",
  "Greenwich",
]);

/** `Etc/GMT+5` is five hours *behind* UTC (POSIX sign); the database has GMT-14 to GMT+12. */
const ETC_GMT = /^Etc\/GMT([+-])([1-9]|1[0-4])$/;
/** An offset as @date-fns/tz reads one: `+02:00`, `-0530`, `+05`. */
const OFFSET = /^([+-])(\d{2}):?(\d{2})?$/;

const fixedOffsets = new Map<string, number | null>();

/**
 * The offset in minutes east of UTC of a zone whose offset never changes, or undefined for a zone
 * with rules (DST, historic changes), whose offset depends on the instant.
 */
export function fixedOffsetMinutes(timeZone: string): number | undefined {
  let offset = fixedOffsets.get(timeZone);
  if (offset === undefined) {
    offset = computeFixedOffset(timeZone);
    fixedOffsets.set(timeZone, offset);
  }
  return offset ?? undefined;
}

function computeFixedOffset(timeZone: string): number | null {
  if (UTC_NAMES.has(timeZone)) return 0;
  const etc = ETC_GMT.exec(timeZone);
  if (etc) {
    const hours = Number(etc[2]);
    const valid = etc[1] === "+" ? hours <= 12 : hours <= 14;
    return valid ? (etc[1] === "+" ? -hours * 60 : hours * 60) : null;
  }
  const offset = OFFSET.exec(timeZone);
  if (offset) {
    const [hours, mins] = [Number(offset[2]), Number(offset[3] ?? 0)];
    if (hours > 23 || mins > 59) return null;
    const minutes = hours * 60 + mins;
    return offset[1] === "-" ? -minutes : minutes;
  }
  return null;
}

/**
 * The zone's UTC offset at `ms`, in minutes east of UTC (+60 for CET); historic offsets that carry
 * seconds come back fractional, as @date-fns/tz gives them.
 */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  return fixedOffsetMinutes(timeZone) ?? tzOffset(timeZone, new Date(ms));
}

/**
 * Whether `timeZone` is an IANA zone this runtime knows. UTC and canonical names are answered from
 * the zone list; only aliases (e.g. "Europe/Kiev") pay for a formatter, which loads the zone data
 * (several MiB) at start-up.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone === "UTC" || (typeof Intl.supportedValuesOf === "function" && Intl.supportedValuesOf("timeZone").includes(timeZone))) {
    return true;
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}
