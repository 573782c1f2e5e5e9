import { TZDate } from "@date-fns/tz";
import { format } from "date-fns/format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../errors.js";
import { inDeskZone, rangeBounds, toUtcIso } from "./dates.js";

describe("dates in the desk's time zone", () => {
  it("reads a date alone as midnight in the desk's zone, not UTC", () => {
    // Europe/Berlin is UTC+2 in July (CEST): local midnight is 22:00 UTC the day before.
    expect(toUtcIso("2026-07-10", "Europe/Berlin")).toBe("2026-07-09T22:00:00.000Z");
    expect(toUtcIso("2026-01-10", "America/New_York")).toBe("2026-01-10T05:00:00.000Z");
    expect(toUtcIso("2026-07-10", "UTC")).toBe("2026-07-10T00:00:00.000Z");
  });

  it("reads a date-time without offset in the desk's zone and keeps an explicit offset", () => {
    expect(toUtcIso("2026-07-10T09:30", "Europe/Berlin")).toBe("2026-07-10T07:30:00.000Z");
    expect(toUtcIso("2026-07-10T09:30:00Z", "Europe/Berlin")).toBe("2026-07-10T09:30:00.000Z");
    expect(toUtcIso("2026-07-10T09:30:00-04:00", "Europe/Berlin")).toBe("2026-07-10T13:30:00.000Z");
  });

  it("refuses a date that does not exist", () => {
    expect(() => toUtcIso("2026-02-30", "UTC", "createdAfter")).toThrow(UserInputError);
  });

  it("writes an instant in the desk's zone with its offset", () => {
    expect(inDeskZone("2026-07-09T22:00:00.000Z", "Europe/Berlin")).toBe("2026-07-10T00:00:00+02:00");
    expect(inDeskZone("2026-01-10T05:00:00Z", "America/New_York")).toBe("2026-01-10T00:00:00-05:00");
    expect(inDeskZone("2026-01-10T05:00:00Z", "UTC")).toBe("2026-01-10T05:00:00Z");
  });

  it("writes every instant exactly as the zone database does, across DST changes and odd offsets", () => {
    // The fast path caches offsets per quarter hour; the zone database (via date-fns) is the reference.
    const zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "UTC", "Etc/GMT+5", "Etc/GMT-14", "GMT"];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("2000-01-01T00:00:00Z"), max: Date.parse("2040-01-01T00:00:00Z") }), fc.constantFrom(...zones), (ms, zone) => {
        const iso = new Date(ms).toISOString();
        expect(inDeskZone(iso, zone)).toBe(format(new TZDate(ms, zone), "yyyy-MM-dd'T'HH:mm:ssXXX"));
      }),
      { numRuns: 3000 },
    );
    // The instants either side of a DST change in Berlin (2026-03-29 01:00 UTC).
    expect(inDeskZone("2026-03-29T00:59:59.000Z", "Europe/Berlin")).toBe("2026-03-29T01:59:59+01:00");
    expect(inDeskZone("2026-03-29T01:00:00.000Z", "Europe/Berlin")).toBe("2026-03-29T03:00:00+02:00");
  });

  it("reads every wall-clock time exactly as the zone database does, fixed-offset zones included", () => {
    // UTC and Etc/GMT±N skip the zone database (src/domain/zones.ts); TZDate is the reference for all.
    const zones = ["UTC", "Etc/UTC", "Etc/GMT+5", "Etc/GMT-14", "GMT", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu"];
    const wall = fc.record({
      y: fc.integer({ min: 1990, max: 2060 }),
      mo: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 28 }),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      ms: fc.integer({ min: 0, max: 999 }),
    });
    const pad = (n: number, width = 2) => String(n).padStart(width, "0");
    fc.assert(
      fc.property(wall, fc.constantFrom(...zones), ({ y, mo, d, h, mi, s, ms }, zone) => {
        const text = `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}`;
        expect(toUtcIso(text, zone)).toBe(new Date(new TZDate(y, mo - 1, d, h, mi, s, ms, zone).getTime()).toISOString());
        expect(toUtcIso(text.slice(0, 10), zone)).toBe(new Date(new TZDate(y, mo - 1, d, zone).getTime()).toISOString());
      }),
      { numRuns: 2000 },
    );
    expect(toUtcIso("2026-07-10T09:00", "Etc/GMT+5")).toBe("2026-07-10T14:00:00.000Z");
    expect(inDeskZone("2026-07-10T14:00:00.000Z", "Etc/GMT+5")).toBe("2026-07-10T09:00:00-05:00");
  });

  it("refuses a lower bound later than its partner instead of matching nothing", () => {
    expect(() => rangeBounds({ name: "createdAfter", value: "2026-07-11" }, { name: "createdBefore", value: "2026-07-10" }, "UTC")).toThrow(
      /createdAfter \(2026-07-11\) is not before createdBefore \(2026-07-10\)/,
    );
    expect(rangeBounds({ name: "a", value: "2026-07-10" }, { name: "b", value: undefined }, "Europe/Berlin")).toEqual({ after: "2026-07-09T22:00:00.000Z" });
  });
});

describe("toUtcIso is strict", () => {
  it("refuses what Date would roll over or guess: hour 25, a leap second, a 31st of November, six-digit years, prose, a space for T", () => {
    for (const value of ["2026-12-31T25:00", "2026-12-31T23:59:60", "2026-11-31", "2026-13-01", "+002026-12-31", "Dec 31 2026", "2026-11-30 09:00", "2026-11-30T09:00+19:00", "2026-11-30Z"]) {
      expect(() => toUtcIso(value, "UTC", "createdAfter"), value).toThrow(`createdAfter "${value}" is not a valid ISO 8601 date or date-time.`);
    }
  });

  it("takes every valid form: a date, minutes, seconds, fractions, Z, offsets with and without a colon", () => {
    expect(toUtcIso("2026-11-30", "UTC")).toBe("2026-11-30T00:00:00.000Z");
    expect(toUtcIso("2026-11-30T09:05", "UTC")).toBe("2026-11-30T09:05:00.000Z");
    expect(toUtcIso("2026-12-31T23:59:59.9999z", "UTC")).toBe("2026-12-31T23:59:59.999Z");
    expect(toUtcIso("2026-11-30T09:00:00+14:00", "UTC")).toBe("2026-11-29T19:00:00.000Z");
    expect(toUtcIso("2026-11-30T09:00-0330", "UTC")).toBe("2026-11-30T12:30:00.000Z");
    expect(toUtcIso("2028-02-29T12:00", "Europe/Berlin")).toBe("2028-02-29T11:00:00.000Z");
  });
});
