import { tzOffset } from "@date-fns/tz";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixedOffsetMinutes, isValidTimeZone, zoneOffsetMinutes } from "./zones.js";

// Fixed-offset zones are answered without the zone database; @date-fns/tz (Intl) is the reference.
const FIXED = [
  "UTC",
  "Etc/UTC",
  "Etc/UCT",
  "Etc/Universal",
  "Etc/Zulu",
  "Etc/GMT",
  "GMT",
  "Etc/GMT0",
  "Etc/GMT+0",
  "Etc/GMT-0",
  "Etc/Greenwich",
  "Etc/GMT+1",
  "Etc/GMT+5",
  "Etc/GMT+12",
  "Etc/GMT-1",
  "Etc/GMT-9",
  "Etc/GMT-14",
];
const WITH_RULES = ["Europe/London", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "Africa/Casablanca"];
const instant = fc.integer({ min: Date.parse("1971-01-01T00:00:00Z"), max: Date.parse("2100-01-01T00:00:00Z") });

describe("time zones", () => {
  it("knows every fixed zone it answers for", () => {
    for (const zone of FIXED) expect(isValidTimeZone(zone), zone).toBe(true);
    expect(isValidTimeZone("Mars/Base")).toBe(false);
  });

  it("answers fixed zones with the zone database's offset at every instant", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...FIXED), (ms, zone) => {
        expect(fixedOffsetMinutes(zone)).toBe(tzOffset(zone, new Date(ms)));
        expect(zoneOffsetMinutes(zone, ms)).toBe(tzOffset(zone, new Date(ms)));
      }),
      { numRuns: 2000 },
    );
    // POSIX sign: Etc/GMT+5 is five hours behind UTC.
    expect(fixedOffsetMinutes("Etc/GMT+5")).toBe(-300);
    expect(fixedOffsetMinutes("Etc/GMT-14")).toBe(840);
  });

  it("reads offsets written as ±HH:MM like @date-fns/tz does", () => {
    for (const [zone, minutes] of [
      ["+02:00", 120],
      ["-05:30", -330],
      ["+0545", 345],
      ["-03", -180],
    ] as const) {
      expect(fixedOffsetMinutes(zone), zone).toBe(minutes);
      expect(tzOffset(zone, new Date(0)), zone).toBe(minutes);
    }
  });

  it("leaves zones with rules to the zone database", () => {
    for (const zone of WITH_RULES) expect(fixedOffsetMinutes(zone), zone).toBeUndefined();
    for (const zone of ["Etc/GMT+13", "Etc/GMT-15", "Etc/GMT+05", "+24:00", "+01:60", "Europe/Nowhere"]) expect(fixedOffsetMinutes(zone), zone).toBeUndefined();
    fc.assert(
      fc.property(instant, fc.constantFrom(...WITH_RULES), (ms, zone) => {
        expect(zoneOffsetMinutes(zone, ms)).toBe(tzOffset(zone, new Date(ms)));
      }),
      { numRuns: 500 },
    );
  });
});
