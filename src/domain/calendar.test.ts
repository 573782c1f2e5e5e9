import { TZDate } from "@date-fns/tz";
import { format } from "date-fns/format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALWAYS_OPEN_CALENDAR,
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  CalendarError,
  DEFAULT_CALENDAR,
  formatInCalendarZone,
  formatWithOffset,
  isBusinessTime,
  parseCalendar,
} from "./calendar.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time.js";

const at = (iso: string) => new Date(iso);
const london = parseCalendar({ timeZone: "Europe/London", holidays: ["2025-05-05", "2025-12-25", "2025-12-26"] });
const newYork = parseCalendar({ timeZone: "America/New_York" });

describe("addBusinessTime", () => {
  it.each([
    ["within the same day", DEFAULT_CALENDAR, "2025-03-10T09:00:00Z", 1 * HOUR_MS, "2025-03-10T10:00:00.000Z"],
    ["ending exactly at closing time stays on that day", DEFAULT_CALENDAR, "2025-03-14T08:00:00Z", 9 * HOUR_MS, "2025-03-14T17:00:00.000Z"],
    ["one ms past closing moves to the next opening", DEFAULT_CALENDAR, "2025-03-14T17:00:00Z", 1, "2025-03-17T08:00:00.001Z"],
    ["across a weekend", DEFAULT_CALENDAR, "2025-03-14T16:00:00Z", 2 * HOUR_MS, "2025-03-17T09:00:00.000Z"],
    ["starting before opening", DEFAULT_CALENDAR, "2025-03-10T05:00:00Z", 30 * MINUTE_MS, "2025-03-10T08:30:00.000Z"],
    ["starting on a Saturday", DEFAULT_CALENDAR, "2025-03-15T12:00:00Z", 30 * MINUTE_MS, "2025-03-17T08:30:00.000Z"],
    ["72 business hours (8 working days) over two weekends", DEFAULT_CALENDAR, "2025-03-10T08:00:00Z", 72 * HOUR_MS, "2025-03-19T17:00:00.000Z"],
    // Friday 2 May 2025 16:59 BST; Monday 5 May is a bank holiday in the calendar, so the hour ends on Tuesday.
    ["16:59 on a Friday before a holiday", london, "2025-05-02T15:59:00Z", 1 * HOUR_MS, "2025-05-06T07:59:00.000Z"],
    // Clocks go forward on Sunday 30 March 2025 in London: Monday 09:00 BST is 08:00 UTC.
    ["over the London spring-forward weekend", london, "2025-03-28T16:00:00Z", 2 * HOUR_MS, "2025-03-31T08:00:00.000Z"],
    // Clocks go back on Sunday 2 November 2025 in New York: Friday 16:00 EDT → Monday 09:00 EST.
    ["over the New York fall-back weekend", newYork, "2025-10-31T20:00:00Z", 2 * HOUR_MS, "2025-11-03T14:00:00.000Z"],
    ["24x7 counts wall-clock time", ALWAYS_OPEN_CALENDAR, "2025-03-15T23:30:00Z", 2 * HOUR_MS, "2025-03-16T01:30:00.000Z"],
    ["zero adds nothing, even outside hours", DEFAULT_CALENDAR, "2025-03-15T12:00:00Z", 0, "2025-03-15T12:00:00.000Z"],
    ["negative adds nothing", DEFAULT_CALENDAR, "2025-03-10T12:00:00Z", -HOUR_MS, "2025-03-10T12:00:00.000Z"],
  ])("%s", (_name, cal, start, ms, expected) => {
    expect(addBusinessTime(at(start), ms, cal).toISOString()).toBe(expected);
  });

  it("lands at 16:59 on the Friday before a holiday and measures 2 min to Tuesday 08:01", () => {
    const due = addBusinessTime(at("2025-05-02T07:00:00Z"), 8 * HOUR_MS + 59 * MINUTE_MS, london);
    expect(formatInCalendarZone(due, london)).toBe("Fri 2 May 2025 16:59 Europe/London");
    expect(businessTimeBetween(due, at("2025-05-06T07:01:00Z"), london)).toBe(2 * MINUTE_MS);
  });

  it("jumps far ahead without walking day by day (a year of weekdays)", () => {
    const due = addBusinessTime(at("2025-01-01T00:00:00Z"), 261 * 9 * HOUR_MS, DEFAULT_CALENDAR);
    // 2025 has 261 weekdays; the last one is Wednesday 31 December.
    expect(due.toISOString()).toBe("2025-12-31T17:00:00.000Z");
  });

  it("rejects invalid dates and amounts", () => {
    expect(() => addBusinessTime(new Date(Number.NaN), HOUR_MS, DEFAULT_CALENDAR)).toThrow(RangeError);
    expect(() => addBusinessTime(at("2025-03-10T09:00:00Z"), Number.NaN, DEFAULT_CALENDAR)).toThrow(RangeError);
    expect(() => addBusinessTime(at("1800-01-01T00:00:00Z"), HOUR_MS, DEFAULT_CALENDAR)).toThrow(/supported range/);
  });
});

describe("businessTimeBetween", () => {
  it.each([
    ["same day inside hours", DEFAULT_CALENDAR, "2025-03-10T09:00:00Z", "2025-03-10T11:30:00Z", 2.5 * HOUR_MS],
    ["night only", DEFAULT_CALENDAR, "2025-03-10T18:00:00Z", "2025-03-11T07:00:00Z", 0],
    ["whole weekend", DEFAULT_CALENDAR, "2025-03-14T17:00:00Z", "2025-03-17T08:00:00Z", 0],
    ["to before from", DEFAULT_CALENDAR, "2025-03-11T09:00:00Z", "2025-03-10T09:00:00Z", 0],
    ["a full working week", DEFAULT_CALENDAR, "2025-03-10T00:00:00Z", "2025-03-17T00:00:00Z", 45 * HOUR_MS],
    ["the whole of 2025", DEFAULT_CALENDAR, "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 261 * 9 * HOUR_MS],
    ["holiday counts nothing", london, "2025-12-24T23:00:00Z", "2025-12-27T00:00:00Z", 0],
    ["London spring-forward weekend", london, "2025-03-28T16:00:00Z", "2025-03-31T08:00:00Z", 2 * HOUR_MS],
    ["24x7", ALWAYS_OPEN_CALENDAR, "2025-03-14T17:00:00Z", "2025-03-17T08:00:00Z", 63 * HOUR_MS],
  ])("%s", (_name, cal, from, to, expected) => {
    expect(businessTimeBetween(at(from), at(to), cal)).toBe(expected);
  });

  it("counts the real length of a DST day when hours cover the whole day", () => {
    const allDay = parseCalendar({ timeZone: "Europe/London", workingDays: [0, 1, 2, 3, 4, 5, 6], hours: { start: "00:00", end: "24:00" } });
    // 30 March 2025 (spring forward) has 23 hours; 26 October 2025 (fall back) has 25.
    expect(businessTimeBetween(at("2025-03-30T00:00:00Z"), at("2025-03-30T23:00:00Z"), allDay)).toBe(23 * HOUR_MS);
    expect(businessTimeBetween(at("2025-10-25T23:00:00Z"), at("2025-10-27T00:00:00Z"), allDay)).toBe(25 * HOUR_MS);
  });

  it("moves an opening time that falls into the spring-forward gap to the first valid instant", () => {
    const night = parseCalendar({ timeZone: "America/New_York", workingDays: [0], hours: { start: "02:30", end: "04:00" } });
    // 9 March 2025: 02:30 does not exist, the day's hours run 03:30-04:00 EDT (07:30Z-08:00Z).
    expect(businessTimeBetween(at("2025-03-09T00:00:00Z"), at("2025-03-10T00:00:00Z"), night)).toBe(30 * MINUTE_MS);
    expect(isBusinessTime(at("2025-03-09T07:45:00Z"), night)).toBe(true);
  });

  it("reads holidays as local dates of the calendar zone", () => {
    const tokyo = parseCalendar({ timeZone: "Asia/Tokyo", holidays: ["2025-01-01"] });
    // 00:30 UTC on 1 January is 09:30 on the holiday in Tokyo; on 2 January it is a working morning.
    expect(isBusinessTime(at("2025-01-01T00:30:00Z"), tokyo)).toBe(false);
    expect(isBusinessTime(at("2025-01-02T00:30:00Z"), tokyo)).toBe(true);
  });
});

describe("parseCalendar", () => {
  it("fills defaults: Monday to Friday 08:00-17:00 UTC", () => {
    expect(parseCalendar()).toEqual({ ...DEFAULT_CALENDAR, alwaysOpen: false });
  });

  it("accepts day names, dedupes and sorts", () => {
    const cal = parseCalendar({ workingDays: ["Sat", "monday", 1, "0"], holidays: ["2025-12-26", "2025-12-25", "2025-12-25"] });
    expect(cal.workingDays).toEqual([0, 1, 6]);
    expect(cal.holidays).toEqual(["2025-12-25", "2025-12-26"]);
  });

  it("builds a 24x7 calendar", () => {
    expect(parseCalendar({ alwaysOpen: true, timeZone: "Europe/Berlin" })).toMatchObject({ alwaysOpen: true, timeZone: "Europe/Berlin" });
  });

  it.each([
    [{ timeZone: "Europe/Lodnon" }, /Unknown time zone "Europe\/Lodnon"/],
    [{ hours: { start: "8am" } }, /start "8am" must be a 24-hour time/],
    [{ hours: { start: "08:75" } }, /start "08:75"/],
    [{ hours: { end: "24:30" } }, /end "24:30"/],
    [{ hours: { start: "17:00", end: "08:00" } }, /end \(08:00\) must be after start \(17:00\)/],
    [{ workingDays: [] }, /at least one working day/],
    [{ workingDays: [7] }, /Working day "7"/],
    [{ workingDays: ["Funday"] }, /Working day "Funday"/],
    [{ holidays: ["2025-02-30"] }, /Holiday "2025-02-30"/],
    [{ holidays: ["25/12/2025"] }, /Holiday "25\/12\/2025"/],
  ])("rejects %j", (input, message) => {
    expect(() => parseCalendar(input)).toThrow(CalendarError);
    expect(() => parseCalendar(input)).toThrow(message);
  });

  it("validates calendars handed straight to the arithmetic", () => {
    const broken: BusinessCalendar = { timeZone: "Mars/Olympus", workingDays: [1], hours: { start: "08:00", end: "17:00" }, holidays: [] };
    expect(() => businessTimeBetween(at("2025-03-10T09:00:00Z"), at("2025-03-10T10:00:00Z"), broken)).toThrow(CalendarError);
  });
});

/** Straightforward day-by-day reference built on TZDate, to check the table-based implementation. */
function referenceBetween(from: Date, to: Date, cal: BusinessCalendar): number {
  if (to <= from) return 0;
  const [sh, sm] = cal.hours.start.split(":").map(Number) as [number, number];
  const [eh, em] = cal.hours.end.split(":").map(Number) as [number, number];
  const local = new TZDate(from.getTime() - DAY_MS, cal.timeZone);
  let y = local.getFullYear();
  let m = local.getMonth();
  let d = local.getDate();
  let total = 0;
  for (;;) {
    const midnight = new TZDate(y, m, d, 0, 0, 0, 0, cal.timeZone);
    if (midnight.getTime() > to.getTime()) break;
    const key = `${y}-${String(m + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    if (cal.workingDays.includes(midnight.getDay()) && !cal.holidays.includes(key)) {
      const open = new TZDate(y, m, d, sh, sm, 0, 0, cal.timeZone).getTime();
      const close = new TZDate(y, m, d, eh, em, 0, 0, cal.timeZone).getTime();
      total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, from.getTime()));
    }
    const next = new Date(Date.UTC(y, m, d + 1));
    y = next.getUTCFullYear();
    m = next.getUTCMonth();
    d = next.getUTCDate();
  }
  return total;
}

const instant = fc.date({ min: at("2024-01-01T00:00:00Z"), max: at("2026-12-31T00:00:00Z"), noInvalidDate: true });
const calendarArb = fc
  .record({
    timeZone: fc.constantFrom("UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Etc/GMT+10", "Etc/GMT-13"),
    workingDays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    start: fc.integer({ min: 5 * 60, max: 11 * 60 }),
    length: fc.integer({ min: 30, max: 12 * 60 }),
    holidays: fc.array(
      fc.date({ min: at("2024-01-01T00:00:00Z"), max: at("2026-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      { maxLength: 10 },
    ),
  })
  .map(({ timeZone, workingDays, start, length, holidays }) => {
    const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    return parseCalendar({ timeZone, workingDays, hours: { start: hhmm(start), end: hhmm(start + length) }, holidays });
  });
const anyCalendar = fc.oneof(calendarArb, fc.constant(DEFAULT_CALENDAR), fc.constant(ALWAYS_OPEN_CALENDAR));
const businessMs = fc.integer({ min: 0, max: 120 * HOUR_MS });

describe("properties", () => {
  it("adding business time is monotonic in the amount", () => {
    fc.assert(
      fc.property(anyCalendar, instant, businessMs, businessMs, (cal, start, a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(start, small, cal).getTime()).toBeLessThanOrEqual(addBusinessTime(start, large, cal).getTime());
      }),
    );
  });

  it("adding business time is monotonic in the start", () => {
    fc.assert(
      fc.property(anyCalendar, instant, instant, businessMs, (cal, a, b, ms) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(early, ms, cal).getTime()).toBeLessThanOrEqual(addBusinessTime(late, ms, cal).getTime());
      }),
    );
  });

  it("measuring what was added gives it back, and the result is the earliest such instant", () => {
    fc.assert(
      fc.property(anyCalendar, instant, fc.integer({ min: 1, max: 120 * HOUR_MS }), (cal, start, ms) => {
        const due = addBusinessTime(start, ms, cal);
        expect(businessTimeBetween(start, due, cal)).toBe(ms);
        expect(businessTimeBetween(start, new Date(due.getTime() - 1), cal)).toBe(ms - 1);
      }),
    );
  });

  it("business time is additive over adjacent intervals", () => {
    fc.assert(
      fc.property(anyCalendar, instant, instant, instant, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        expect(businessTimeBetween(a, c, cal)).toBe(businessTimeBetween(a, b, cal) + businessTimeBetween(b, c, cal));
      }),
    );
  });

  it("agrees with a day-by-day reference implementation", () => {
    fc.assert(
      fc.property(calendarArb, instant, fc.integer({ min: 0, max: 40 * DAY_MS }), (cal, from, span) => {
        const to = new Date(from.getTime() + span);
        expect(businessTimeBetween(from, to, cal)).toBe(referenceBetween(from, to, cal));
      }),
      { numRuns: 60 },
    );
  });
});

describe("formatInCalendarZone and formatWithOffset", () => {
  const zones = ["UTC", "Etc/UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham", "Etc/GMT+10", "Etc/GMT-13"];

  it("write what date-fns' format writes, in any zone, around clock changes too", () => {
    fc.assert(
      fc.property(fc.date({ min: at("1971-01-01T00:00:00Z"), max: at("2099-12-31T00:00:00Z"), noInvalidDate: true }), fc.constantFrom(...zones), (instant, timeZone) => {
        const cal = parseCalendar({ timeZone });
        const zoned = new TZDate(instant.getTime(), timeZone);
        expect(formatInCalendarZone(instant, cal)).toBe(`${format(zoned, "EEE d MMM yyyy HH:mm")} ${timeZone}`);
        expect(formatWithOffset(instant, cal)).toBe(format(zoned, "EEE d MMM yyyy HH:mm xxx"));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["2026-09-09T09:00:00Z", "Europe/London", "Wed 9 Sep 2026 10:00 +01:00"],
    ["2025-03-30T00:59:59Z", "Europe/London", "Sun 30 Mar 2025 00:59 +00:00"],
    ["2025-03-30T01:00:00Z", "Europe/London", "Sun 30 Mar 2025 02:00 +01:00"],
    ["2025-01-05T23:30:00Z", "America/New_York", "Sun 5 Jan 2025 18:30 -05:00"],
    ["2025-01-05T23:30:00Z", "Asia/Kathmandu", "Mon 6 Jan 2025 05:15 +05:45"],
    ["2025-01-05T23:30:00Z", "UTC", "Sun 5 Jan 2025 23:30 +00:00"],
  ])("%s in %s is %s", (iso, timeZone, expected) => {
    expect(formatWithOffset(at(iso), parseCalendar({ timeZone }))).toBe(expected);
  });
});
