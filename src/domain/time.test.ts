import { describe, expect, it } from "vitest";
import { parseInstant, toEpochMs } from "./time.js";

describe("toEpochMs", () => {
  it.each([
    ["Autotask's usual shape", "2025-03-14T09:30:00.000Z", Date.UTC(2025, 2, 14, 9, 30)],
    ["no fraction", "2025-03-14T09:30:05Z", Date.UTC(2025, 2, 14, 9, 30, 5)],
    ["one fraction digit", "2025-03-14T09:30:05.5Z", Date.UTC(2025, 2, 14, 9, 30, 5, 500)],
    ["two fraction digits", "2025-03-14T09:30:05.12Z", Date.UTC(2025, 2, 14, 9, 30, 5, 120)],
    ["seven fraction digits (.NET)", "2025-03-14T09:30:05.1234567Z", Date.UTC(2025, 2, 14, 9, 30, 5, 123)],
    ["no zone is read as UTC, not server time", "2025-03-14T09:30:00", Date.UTC(2025, 2, 14, 9, 30)],
    ["an explicit offset", "2025-03-14T10:30:00+01:00", Date.UTC(2025, 2, 14, 9, 30)],
    ["a date alone is UTC midnight", "2025-03-14", Date.UTC(2025, 2, 14)],
    ["29 February in a leap year", "2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
    ["surrounding spaces", " 2025-03-14T09:30:00Z ", Date.UTC(2025, 2, 14, 9, 30)],
    ["a Date", new Date(Date.UTC(2025, 2, 14)), Date.UTC(2025, 2, 14)],
    ["epoch ms", Date.UTC(2025, 2, 14), Date.UTC(2025, 2, 14)],
  ])("reads %s", (_case, input, expected) => {
    expect(toEpochMs(input)).toBe(expected);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["empty", ""],
    ["text", "soon"],
    ["30 February", "2025-02-30T00:00:00Z"],
    ["29 February in a common year", "2025-02-29"],
    ["month 13", "2025-13-01T00:00:00Z"],
    ["an invalid Date", new Date(Number.NaN)],
    ["before 1900", "1899-12-31T23:59:59Z"],
    ["after 2200", "2200-01-02T00:00:00Z"],
  ])("rejects %s", (_case, input) => {
    expect(toEpochMs(input)).toBeNull();
  });

  it("parseInstant returns a Date or null", () => {
    expect(parseInstant("2025-03-14T09:30:00Z")?.toISOString()).toBe("2025-03-14T09:30:00.000Z");
    expect(parseInstant("nope")).toBeNull();
  });
});
