/**
 * Business-hours calendars: adding business time to an instant and measuring business time between two
 * instants, in the calendar's IANA time zone, across nights, weekends, holidays and DST changes.
 *
 * SLA clocks run on business hours, and metrics measure business-hours resolution time for up to
 * 100,000 tickets, so both operations must be exact and cheap. Each calendar is compiled once (cached
 * per calendar object) into a lazily grown table of local days: for each day the UTC instants of local
 * midnight, opening and closing, plus a running total of business time. Measuring an interval is then
 * O(1) (two table look-ups and a subtraction of running totals) and adding time is a galloping search
 * over the same table, O(log days). Opening and closing instants are real UTC instants computed from
 * local wall-clock times with `tzOffset` from @date-fns/tz, so a day on which the clocks change counts
 * the business time it really had.
 *
 * Calendars are treated as immutable values: build a new object to change one (the compiled table is
 * cached against the object). Wall times that do not exist (inside a spring-forward gap) move forward
 * to the first valid instant; this only matters if working hours start or end inside such a gap.
 */
import { tzOffset } from "@date-fns/tz";
import { DAY_MS, EARLIEST_SUPPORTED_MS, LATEST_SUPPORTED_MS, MINUTE_MS } from "./time.js";
import { fixedOffsetMinutes, isValidTimeZone, zoneOffsetMinutes } from "./zones.js";

export { isValidTimeZone };

export interface BusinessCalendar {
  /** IANA time zone, e.g. "Europe/London"; all hours and holidays are local to it. */
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday. */
  workingDays: number[];
  /** Local "HH:MM" (24-hour); end may be "24:00". Overnight shifts are not supported. */
  hours: { start: string; end: string };
  /** Local dates "YYYY-MM-DD" with no business hours. */
  holidays: string[];
  /** 24x7: every instant is business time; workingDays, hours and holidays are ignored. */
  alwaysOpen?: boolean;
}

/** What configuration may supply: everything optional, days also as names ("mon", "Monday"). */
export interface CalendarInput {
  timeZone?: string;
  workingDays?: Array<number | string>;
  hours?: { start?: string; end?: string };
  holidays?: string[];
  alwaysOpen?: boolean;
}

export class CalendarError extends Error {
  override readonly name = "CalendarError";
}

function deepFreeze(cal: BusinessCalendar): BusinessCalendar {
  Object.freeze(cal.workingDays);
  Object.freeze(cal.hours);
  Object.freeze(cal.holidays);
  return Object.freeze(cal);
}

/** Monday to Friday, 08:00-17:00 UTC, no holidays. */
export const DEFAULT_CALENDAR: BusinessCalendar = deepFreeze({
  timeZone: "UTC",
  workingDays: [1, 2, 3, 4, 5],
  hours: { start: "08:00", end: "17:00" },
  holidays: [],
});

/** 24x7, e.g. for CRITICAL tickets under a round-the-clock contract. */
export const ALWAYS_OPEN_CALENDAR: BusinessCalendar = deepFreeze({
  timeZone: "UTC",
  workingDays: [0, 1, 2, 3, 4, 5, 6],
  hours: { start: "00:00", end: "24:00" },
  holidays: [],
  alwaysOpen: true,
});

const DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseTimeOfDay(value: string | undefined, which: "start" | "end", fallback: string): number {
  const text = (value ?? fallback).trim();
  const match = TIME_OF_DAY.exec(text);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  if (!match || Number(match[2]) > 59 || minutes > 24 * 60) {
    throw new CalendarError(`Working hours ${which} "${text}" must be a 24-hour time HH:MM between 00:00 and 24:00, e.g. "08:00".`);
  }
  return minutes;
}

function formatTimeOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function parseWorkingDay(value: number | string): number {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0 && value <= 6) return value;
  } else {
    const name = value.trim().toLowerCase();
    const index = name.length >= 3 ? DAY_NAMES.findIndex((day) => day.startsWith(name)) : -1;
    if (index >= 0) return index;
    if (/^[0-6]$/.test(name)) return Number(name);
  }
  throw new CalendarError(`Working day "${String(value)}" must be 0 (Sunday) to 6 (Saturday) or a day name such as "Mon".`);
}

function parseHoliday(value: string): string {
  const text = value.trim();
  const match = ISO_DATE.exec(text);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d) return text;
  }
  throw new CalendarError(`Holiday "${text}" is not a valid local date in the form YYYY-MM-DD.`);
}

/**
 * Validates a calendar from configuration and fills in defaults (Monday to Friday 08:00-17:00 UTC).
 * Throws {@link CalendarError} with a message that says what to fix.
 */
export function parseCalendar(input: CalendarInput = {}): BusinessCalendar {
  const timeZone = (input.timeZone ?? "UTC").trim();
  if (!isValidTimeZone(timeZone)) {
    throw new CalendarError(`Unknown time zone "${timeZone}": use an IANA name such as "Europe/London" or "UTC".`);
  }
  if (input.alwaysOpen) return deepFreeze({ ...ALWAYS_OPEN_CALENDAR, timeZone, holidays: [] });

  const start = parseTimeOfDay(input.hours?.start, "start", "08:00");
  const end = parseTimeOfDay(input.hours?.end, "end", "17:00");
  if (end <= start) {
    throw new CalendarError(
      `Working hours end (${formatTimeOfDay(end)}) must be after start (${formatTimeOfDay(start)}); overnight shifts are not supported.`,
    );
  }
  const workingDays = [...new Set((input.workingDays ?? [1, 2, 3, 4, 5]).map(parseWorkingDay))].sort((a, b) => a - b);
  if (workingDays.length === 0) {
    throw new CalendarError("A calendar needs at least one working day (or alwaysOpen for 24x7).");
  }
  const holidays = [...new Set((input.holidays ?? []).map(parseHoliday))].sort();
  return deepFreeze({
    timeZone,
    workingDays,
    hours: { start: formatTimeOfDay(start), end: formatTimeOfDay(end) },
    holidays,
    alwaysOpen: false,
  });
}

/** One local calendar day, as UTC epoch milliseconds. */
interface LocalDay {
  midnight: number;
  /** Next local midnight. */
  end: number;
  /** Opening and closing instants; both equal `midnight` on days without business hours. */
  open: number;
  close: number;
  /** Business time from the table's anchor day up to this day's midnight (negative before the anchor). */
  cumBefore: number;
}

const MIN_DAY_INDEX = Math.floor(EARLIEST_SUPPORTED_MS / DAY_MS) - 2;
const MAX_DAY_INDEX = Math.floor(LATEST_SUPPORTED_MS / DAY_MS) + 2;

class CompiledCalendar {
  private readonly days = new Map<number, LocalDay>();
  private lo = 0;
  private hi = -1;
  private readonly offsetDate = new Date(0);
  private readonly workingDays: boolean[];
  private readonly holidays: ReadonlySet<string>;
  private readonly startMinutes: number;
  private readonly endMinutes: number;
  /** The zone's offset in ms when it never changes (UTC, Etc/GMT±N): no zone database needed. */
  private readonly fixedOffset: number | undefined;

  constructor(private readonly cal: BusinessCalendar) {
    const fixed = fixedOffsetMinutes(cal.timeZone);
    this.fixedOffset = fixed === undefined ? undefined : fixed * MINUTE_MS;
    this.workingDays = Array.from({ length: 7 }, (_, day) => cal.workingDays.includes(day));
    this.holidays = new Set(cal.holidays);
    this.startMinutes = parseTimeOfDay(cal.hours.start, "start", "08:00");
    this.endMinutes = parseTimeOfDay(cal.hours.end, "end", "17:00");
  }

  /** Offset of the zone at an instant, in ms (rounded: historic offsets carry seconds). */
  private offsetMs(instant: number): number {
    if (this.fixedOffset !== undefined) return this.fixedOffset;
    this.offsetDate.setTime(instant);
    return Math.round(tzOffset(this.cal.timeZone, this.offsetDate) * MINUTE_MS);
  }

  /** The UTC instant of a local wall-clock time given as "epoch ms as if the zone were UTC". */
  private wallToInstant(wall: number): number {
    const first = this.offsetMs(wall);
    const guess = wall - first;
    const second = this.offsetMs(guess);
    if (second === first) return guess;
    const retry = wall - second;
    if (this.offsetMs(retry) === second) return retry;
    // The wall time falls into a gap (clocks jumped forward): take the later candidate, the first valid instant after it.
    return Math.max(guess, retry);
  }

  private build(index: number, midnight: number, end: number): LocalDay {
    const localDate = new Date(index * DAY_MS);
    const isWorking =
      this.workingDays[localDate.getUTCDay()] === true && !this.holidays.has(localDate.toISOString().slice(0, 10));
    if (!isWorking) return { midnight, end, open: midnight, close: midnight, cumBefore: 0 };
    let open: number;
    let close: number;
    if (end - midnight === DAY_MS) {
      // No offset change on this day: wall-clock minutes map straight onto elapsed time.
      open = midnight + this.startMinutes * MINUTE_MS;
      close = midnight + this.endMinutes * MINUTE_MS;
    } else {
      open = this.wallToInstant(index * DAY_MS + this.startMinutes * MINUTE_MS);
      close = this.endMinutes === 24 * 60 ? end : this.wallToInstant(index * DAY_MS + this.endMinutes * MINUTE_MS);
    }
    open = Math.min(Math.max(open, midnight), end);
    close = Math.min(Math.max(close, open), end);
    return { midnight, end, open, close, cumBefore: 0 };
  }

  private ensure(index: number): void {
    if (index < MIN_DAY_INDEX || index > MAX_DAY_INDEX) {
      throw new RangeError("Date outside the supported range (years 1900 to 2200).");
    }
    if (this.hi < this.lo) {
      const day = this.build(index, this.wallToInstant(index * DAY_MS), this.wallToInstant((index + 1) * DAY_MS));
      this.days.set(index, day);
      this.lo = index;
      this.hi = index;
    }
    while (this.hi < index) {
      const prev = this.days.get(this.hi)!;
      const day = this.build(this.hi + 1, prev.end, this.wallToInstant((this.hi + 2) * DAY_MS));
      day.cumBefore = prev.cumBefore + (prev.close - prev.open);
      this.hi += 1;
      this.days.set(this.hi, day);
    }
    while (this.lo > index) {
      const next = this.days.get(this.lo)!;
      const day = this.build(this.lo - 1, this.wallToInstant((this.lo - 1) * DAY_MS), next.midnight);
      day.cumBefore = next.cumBefore - (day.close - day.open);
      this.lo -= 1;
      this.days.set(this.lo, day);
    }
  }

  day(index: number): LocalDay {
    this.ensure(index);
    return this.days.get(index)!;
  }

  /** Index (days since 1970-01-01) of the local date containing the instant. */
  indexOf(instant: number): number {
    const utcDay = Math.floor(instant / DAY_MS);
    // A zone's offset is within ±14 h, so the local date is the UTC date or a neighbour.
    for (const candidate of [utcDay, utcDay - 1, utcDay + 1, utcDay - 2, utcDay + 2]) {
      const day = this.day(candidate);
      if (day.midnight <= instant && instant < day.end) return candidate;
    }
    throw new RangeError(`Cannot place ${new Date(instant).toISOString()} in time zone ${this.cal.timeZone}.`);
  }
}

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

function compile(cal: BusinessCalendar): CompiledCalendar {
  let result = compiled.get(cal);
  if (!result) {
    // Validate the caller's calendar (throws CalendarError) and compile the normalised copy.
    result = new CompiledCalendar(parseCalendar(cal));
    compiled.set(cal, result);
  }
  return result;
}

function instantMs(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date.`);
  if (ms < EARLIEST_SUPPORTED_MS || ms > LATEST_SUPPORTED_MS) {
    throw new RangeError(`${name} ${date.toISOString()} is outside the supported range (years 1900 to 2200).`);
  }
  return ms;
}

const clampToDay = (instant: number, day: LocalDay) => Math.min(Math.max(instant, day.open), day.close);

/**
 * Business time in ms from `from` to `to`; 0 when `to` is not after `from`. O(1) once the days between
 * are in the calendar's table.
 */
export function businessTimeBetween(from: Date, to: Date, cal: BusinessCalendar): number {
  const a = instantMs(from, "from");
  const b = instantMs(to, "to");
  if (b <= a) return 0;
  if (cal.alwaysOpen) return b - a;
  const table = compile(cal);
  const ia = table.indexOf(a);
  const ib = table.indexOf(b);
  const first = table.day(ia);
  if (ia === ib) return clampToDay(b, first) - clampToDay(a, first);
  const last = table.day(ib);
  const afterFirstDay = first.cumBefore + (first.close - first.open);
  return first.close - clampToDay(a, first) + (last.cumBefore - afterFirstDay) + (clampToDay(b, last) - last.open);
}

/**
 * The earliest instant at which `ms` of business time has passed since `start` (rounded to whole ms).
 * `ms <= 0` returns `start` unchanged; a target that ends exactly at closing time returns the closing
 * time rather than the next opening.
 */
export function addBusinessTime(start: Date, ms: number, cal: BusinessCalendar): Date {
  const s = instantMs(start, "start");
  if (!Number.isFinite(ms)) throw new RangeError("Business time to add must be a finite number of ms.");
  const amount = Math.round(ms);
  if (amount <= 0) return new Date(s);
  if (cal.alwaysOpen) return new Date(s + amount);

  const table = compile(cal);
  const startIndex = table.indexOf(s);
  const startDay = table.day(startIndex);
  const from = clampToDay(s, startDay);
  const available = startDay.close - from;
  if (amount <= available) return new Date(from + amount);

  // Running-total position to reach, then the first day whose end reaches it.
  const target = startDay.cumBefore + (startDay.close - startDay.open) + (amount - available);
  const reaches = (index: number) => {
    const day = table.day(index);
    return day.cumBefore + (day.close - day.open) >= target;
  };
  let low = startIndex + 1;
  let high = low;
  let step = 1;
  while (!reaches(high)) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (reaches(mid)) high = mid;
    else low = mid + 1;
  }
  const day = table.day(low);
  return new Date(day.open + (target - day.cumBefore));
}

/** Whether the instant is inside working hours (always true for a 24x7 calendar). */
export function isBusinessTime(at: Date, cal: BusinessCalendar): boolean {
  const ms = instantMs(at, "at");
  if (cal.alwaysOpen) return true;
  const table = compile(cal);
  const day = table.day(table.indexOf(ms));
  return day.open <= ms && ms < day.close;
}

/** "Fri 14 Mar 2025 16:00 Europe/London": an instant as people in the calendar's zone read it. */
export function formatInCalendarZone(at: Date, cal: BusinessCalendar): string {
  return `${wallClock(at, cal.timeZone).text} ${cal.timeZone}`;
}

/** "Wed 9 Sep 2026 10:00 +01:00": the calendar's zone, with its offset (the desk shows one zone per answer). */
export function formatWithOffset(at: Date, cal: BusinessCalendar): string {
  const { text, offsetMinutes } = wallClock(at, cal.timeZone);
  const minutes = Math.abs(offsetMinutes);
  return `${text} ${offsetMinutes < 0 ? "-" : "+"}${pad2(Math.trunc(minutes / 60))}:${pad2(minutes % 60)}`;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (value: number) => String(value).padStart(2, "0");

/**
 * date-fns' "EEE d MMM yyyy HH:mm" in the zone, written by hand: date-fns' `format` (its token parser,
 * formatters and English locale) stays off the first search's path (issue 13). The zone's offset comes
 * from `zoneOffsetMinutes` (no zone data for UTC and fixed offsets); calendar.test.ts compares both
 * spellings against date-fns for many zones and instants.
 */
function wallClock(at: Date, timeZone: string): { text: string; offsetMinutes: number } {
  const offsetMinutes = Math.round(zoneOffsetMinutes(timeZone, at.getTime()));
  const local = new Date(at.getTime() + offsetMinutes * MINUTE_MS);
  const year = String(local.getUTCFullYear()).padStart(4, "0");
  const text = `${WEEKDAYS[local.getUTCDay()]} ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${year} ${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}`;
  return { text, offsetMinutes };
}
