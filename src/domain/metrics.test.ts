import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCalendar } from "./calendar.js";
import { calculateTicketMetrics, percentile } from "./metrics.js";
import type { SlaTicket } from "./sla.js";
import { buildTenantMapping, type SemanticPriority, type SemanticStatus, type TenantMapping } from "./states.js";
import { DEFAULT_TENANT, LIVE_TENANT } from "./test-fixtures.js";

const NOW = new Date("2025-03-20T12:00:00Z");
const tenants: Array<[string, TenantMapping]> = [
  ["default tenant", buildTenantMapping(DEFAULT_TENANT)],
  ["live tenant", buildTenantMapping(LIVE_TENANT)],
];

describe("calculateTicketMetrics on empty input", () => {
  it("gives zeros and nulls, never NaN", () => {
    expect(calculateTicketMetrics([], NOW, buildTenantMapping(DEFAULT_TENANT))).toEqual({
      total: 0,
      byStatus: {},
      byPriority: {},
      resolution: {
        count: 0,
        averageHours: null,
        medianHours: null,
        p90Hours: null,
        averageBusinessHours: null,
        medianBusinessHours: null,
        p90BusinessHours: null,
      },
      firstResponse: { count: 0, averageHours: null, medianHours: null, p90Hours: null },
      slaCompliance: { eligible: 0, compliant: 0, rate: null, undecided: 0 },
      escalated: 0,
      open: 0,
      backlogAgeHours: { average: null, median: null, oldest: null },
    });
  });
});

describe.each(tenants)("calculateTicketMetrics (%s)", (_name, mapping) => {
  const t = (status: SemanticStatus, priority: SemanticPriority, fields: Partial<SlaTicket>): SlaTicket => ({
    status: mapping.statusIdsFor(status)[0],
    priority: mapping.primaryPriorityId(priority),
    ...fields,
  });
  // Created on weekdays at 08:00 UTC; resolved after 2, 4 and 10 business hours (10 h crosses a night).
  const tickets: SlaTicket[] = [
    t("COMPLETE", "HIGH", {
      createDate: "2025-03-10T08:00:00Z",
      firstResponseDateTime: "2025-03-10T08:30:00Z",
      completedDate: "2025-03-10T10:00:00Z",
      dueDateTime: "2025-03-10T16:00:00Z",
    }),
    t("COMPLETE", "MEDIUM", {
      createDate: "2025-03-11T08:00:00Z",
      firstResponseDateTime: "2025-03-11T09:00:00Z",
      resolvedDateTime: "2025-03-11T12:00:00Z",
      completedDate: "2025-03-11T13:00:00Z",
      resolvedDueDateTime: "2025-03-11T11:00:00Z",
    }),
    t("COMPLETE", "LOW", {
      createDate: "2025-03-12T08:00:00Z",
      firstResponseDateTime: "2025-03-12T10:00:00Z",
      completedDate: "2025-03-13T09:00:00Z",
    }),
    t("ESCALATED", "CRITICAL", { createDate: "2025-03-19T12:00:00Z", dueDateTime: "2025-03-19T16:00:00Z" }),
    t("IN_PROGRESS", "HIGH", { createDate: "2025-03-18T12:00:00Z", dueDateTime: "2025-03-21T12:00:00Z" }),
    t("WAITING_CUSTOMER", "LOW", { createDate: "2025-03-20T00:00:00Z" }),
    // Bad data must not distort anything: resolved before it was created, unparsable dates.
    t("COMPLETE", "LOW", { createDate: "2025-03-15T00:00:00Z", completedDate: "2025-03-14T00:00:00Z", firstResponseDateTime: "garbage" }),
  ];

  const metrics = calculateTicketMetrics(tickets, NOW, mapping);

  it("counts by status and priority label", () => {
    expect(metrics.total).toBe(7);
    expect(metrics.byStatus).toEqual({
      Complete: 4,
      [mapping.statusLabel(mapping.statusIdsFor("ESCALATED")[0])!]: 1,
      "In Progress": 1,
      "Waiting Customer": 1,
    });
    expect(metrics.byPriority).toEqual({ High: 2, Medium: 1, Low: 3, Critical: 1 });
  });

  it("measures resolution in wall-clock and business hours", () => {
    // Wall-clock: 2 h, 4 h, 25 h. Business (Mon-Fri 08-17 UTC): 2 h, 4 h, 10 h.
    expect(metrics.resolution).toEqual({
      count: 3,
      averageHours: 10.33,
      medianHours: 4,
      p90Hours: 20.8,
      averageBusinessHours: 5.33,
      medianBusinessHours: 4,
      p90BusinessHours: 8.8,
    });
  });

  it("measures first response", () => {
    expect(metrics.firstResponse).toEqual({ count: 3, averageHours: 1.17, medianHours: 1, p90Hours: 1.8 });
  });

  it("counts SLA compliance over decided tickets only; an open ticket not yet due is undecided, not met", () => {
    // Decided: #1 met (resolved 10:00, due 16:00), #2 late (resolved 12:00, due 11:00), #4 open and overdue (breached).
    // Undecided: #5 (open, due 2025-03-21, after NOW). #3 and #6 have no due date.
    expect(metrics.slaCompliance).toEqual({ eligible: 3, compliant: 1, rate: 0.3333, undecided: 1 });
  });

  it("counts escalated and open tickets and the backlog age", () => {
    expect(metrics.escalated).toBe(1);
    expect(metrics.open).toBe(3);
    // Ages 24 h, 48 h and 12 h.
    expect(metrics.backlogAgeHours).toEqual({ average: 28, median: 24, oldest: 48 });
  });

  it("uses the given calendar for business hours", () => {
    const longDays = parseCalendar({ hours: { start: "00:00", end: "24:00" }, workingDays: [1, 2, 3, 4, 5] });
    const withCalendar = calculateTicketMetrics(tickets, NOW, mapping, { calendar: longDays });
    expect(withCalendar.resolution.medianBusinessHours).toBe(4);
    expect(withCalendar.resolution.p90BusinessHours).toBe(20.8);
  });
});

describe("labels for ids the tenant does not know", () => {
  it("names unknown ids and missing values", () => {
    const mapping = buildTenantMapping(DEFAULT_TENANT);
    const metrics = calculateTicketMetrics([{ status: 42, priority: null }, { status: null, priority: 9 }], NOW, mapping);
    expect(metrics.byStatus).toEqual({ "Status 42": 1, "(no status)": 1 });
    expect(metrics.byPriority).toEqual({ "(no priority)": 1, "Priority 9": 1 });
    expect(metrics.open).toBe(2);
  });

  it("counts tenant labels that are Object.prototype names as plain keys", () => {
    const mapping = buildTenantMapping({
      ...DEFAULT_TENANT,
      statuses: [
        ...DEFAULT_TENANT.statuses,
        { value: 70, label: "constructor", isActive: true },
        { value: 71, label: "__proto__", isActive: true },
      ],
    });
    const metrics = calculateTicketMetrics([{ status: 70 }, { status: 70 }, { status: 71 }], NOW, mapping);
    expect(Object.hasOwn(metrics.byStatus, "constructor")).toBe(true);
    expect(metrics.byStatus.constructor).toBe(2);
    expect(Object.hasOwn(metrics.byStatus, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(metrics.byStatus, "__proto__")?.value).toBe(1);
  });
});

describe("streaming input", () => {
  it("accepts any iterable, e.g. a generator over pages", () => {
    const mapping = buildTenantMapping(LIVE_TENANT);
    function* pages() {
      for (let i = 0; i < 1000; i++) yield { status: 1, priority: 2, createDate: "2025-03-20T00:00:00Z" };
    }
    const metrics = calculateTicketMetrics(pages(), NOW, mapping);
    expect(metrics).toMatchObject({ total: 1000, open: 1000, backlogAgeHours: { average: 12, median: 12, oldest: 12 } });
  });
});

describe("percentile", () => {
  it.each([
    [[], 50, null],
    [[5], 90, 5],
    [[1, 2, 3, 4], 50, 2.5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9.1],
    [[1, 2, 3], 0, 1],
    [[1, 2, 3], 100, 3],
  ])("of %j at %i is %s", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe("metrics properties", () => {
  const mapping = buildTenantMapping(LIVE_TENANT);
  const date = fc.option(
    fc.oneof(
      fc.date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2025-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom("", "n/a", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z", "2025-03-10T10:00:00"),
    ),
    { nil: null },
  );
  const ticket = fc.record({
    status: fc.option(fc.integer({ min: 0, max: 35 }), { nil: null }),
    priority: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null }),
    createDate: date,
    firstResponseDateTime: date,
    resolvedDateTime: date,
    completedDate: date,
    dueDateTime: date,
    resolvedDueDateTime: date,
  });

  it("never produces NaN, and the counts add up", () => {
    fc.assert(
      fc.property(fc.array(ticket, { maxLength: 40 }), (tickets) => {
        const metrics = calculateTicketMetrics(tickets, NOW, mapping);
        const numbers: unknown[] = [];
        JSON.stringify(metrics, (_key, value) => {
          if (typeof value === "number") numbers.push(value);
          return value;
        });
        for (const value of numbers) expect(Number.isFinite(value)).toBe(true);
        expect(Object.values(metrics.byStatus).reduce((a, b) => a + b, 0)).toBe(tickets.length);
        expect(Object.values(metrics.byPriority).reduce((a, b) => a + b, 0)).toBe(tickets.length);
        expect(metrics.slaCompliance.compliant).toBeLessThanOrEqual(metrics.slaCompliance.eligible);
        expect(metrics.open).toBeLessThanOrEqual(metrics.total);
        const { medianHours, p90Hours } = metrics.resolution;
        if (medianHours !== null && p90Hours !== null) expect(medianHours).toBeLessThanOrEqual(p90Hours);
      }),
    );
  });
});
