/**
 * The streaming aggregate against the domain's one-pass `calculateTicketMetrics` (tested on its own
 * in domain/metrics.test.ts): for tickets without an Autotask SLA both must give the same figures,
 * whatever the tickets; with an SLA, Autotask's verdict and hours replace the server's.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR } from "../../domain/calendar.js";
import { calculateTicketMetrics } from "../../domain/metrics.js";
import { buildTenantMapping } from "../../domain/states.js";
import { LIVE_TENANT } from "../../domain/test-fixtures.js";
import { MetricsAggregator } from "./metrics.js";

const NOW = new Date("2026-11-20T12:00:00Z");
const mapping = buildTenantMapping(LIVE_TENANT);
const statusIds = LIVE_TENANT.statuses.map((s) => Number(s.value));
const priorityIds = LIVE_TENANT.priorities.map((p) => Number(p.value));
const START = Date.parse("2026-09-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

const ticketArb = fc
  .record({
    id: fc.integer({ min: 1, max: 1e6 }),
    status: fc.constantFrom(...statusIds),
    priority: fc.constantFrom(...priorityIds),
    created: fc.integer({ min: 0, max: 70 * 86_400_000 }),
    resolveAfter: fc.option(fc.integer({ min: -3_600_000, max: 20 * 86_400_000 })),
    respondAfter: fc.option(fc.integer({ min: 0, max: 86_400_000 })),
    dueAfter: fc.option(fc.integer({ min: 3_600_000, max: 10 * 86_400_000 })),
  })
  .map((t) => ({
    id: t.id,
    status: t.status,
    priority: t.priority,
    createDate: iso(START + t.created),
    resolvedDateTime: t.resolveAfter === null ? null : iso(START + t.created + t.resolveAfter),
    firstResponseDateTime: t.respondAfter === null ? null : iso(START + t.created + t.respondAfter),
    dueDateTime: t.dueAfter === null ? null : iso(START + t.created + t.dueAfter),
  }));

describe("MetricsAggregator", () => {
  it("agrees with the domain's calculateTicketMetrics for tickets without an SLA", () => {
    fc.assert(
      fc.property(fc.array(ticketArb, { maxLength: 60 }), (tickets) => {
        const aggregator = new MetricsAggregator(mapping, DEFAULT_CALENDAR, NOW);
        for (const ticket of tickets) aggregator.add(ticket);
        const ours = aggregator.result();
        const domain = calculateTicketMetrics(tickets, NOW, mapping, { calendar: DEFAULT_CALENDAR });
        expect(ours.total).toBe(domain.total);
        expect(ours.open).toBe(domain.open);
        expect(ours.escalated).toBe(domain.escalated);
        expect(ours.resolution).toEqual({
          count: domain.resolution.count,
          averageHours: domain.resolution.averageHours,
          medianHours: domain.resolution.medianHours,
          averageBusinessHours: domain.resolution.averageBusinessHours,
          medianBusinessHours: domain.resolution.medianBusinessHours,
        });
        expect(ours.firstResponse.count).toBe(domain.firstResponse.count);
        expect(ours.firstResponse.medianHours).toBe(domain.firstResponse.medianHours);
        expect(ours.sla.eligible).toBe(domain.slaCompliance.eligible);
        expect(ours.sla.compliant).toBe(domain.slaCompliance.compliant);
        expect(ours.sla.undecided).toBe(domain.slaCompliance.undecided);
        expect(Object.fromEntries(ours.byStatus.map((e) => [e.label, e.count]))).toEqual(domain.byStatus);
        expect(ours.sources.autotaskFigures).toBe(0);
        expect(JSON.stringify(ours)).not.toContain("NaN");
      }),
      { numRuns: 150 },
    );
  });

  it("takes compliance and business hours from Autotask's SLA record where the ticket has an SLA", () => {
    const aggregator = new MetricsAggregator(mapping, DEFAULT_CALENDAR, NOW);
    const base = { status: 5, priority: 2, createDate: "2026-11-02T08:00:00Z", resolvedDateTime: "2026-11-02T18:00:00Z", dueDateTime: "2026-11-03T08:00:00Z" };
    aggregator.add({ ...base, id: 1, serviceLevelAgreementID: 1 }, { isResolutionMet: false, resolutionElapsedHours: 2.5 });
    aggregator.add({ ...base, id: 2, serviceLevelAgreementID: 1, serviceLevelAgreementHasBeenMet: true }, null);
    aggregator.add({ ...base, id: 3 });
    const report = aggregator.result();
    // 1: Autotask says missed (the due-date rule would say met); 2: the ticket's flag; 3: the due-date rule.
    expect(report.sla).toEqual({ eligible: 3, compliant: 2, compliancePercent: 66.67, openBreached: 0, undecided: 0 });
    // Business hours: 2.5 from Autotask for ticket 1, the calendar's 9 h (08:00-17:00) for 2 and 3.
    expect(report.resolution.averageBusinessHours).toBeCloseTo((2.5 + 9 + 9) / 3, 2);
    expect(report.sources).toMatchObject({ ticketsWithSla: 2, slaResultsRead: 1, autotaskFigures: 3, serverFigures: 3 });
  });

  it("leaves open tickets not yet breached out of compliance, whatever the source, and counts open breaches as missed", () => {
    const aggregator = new MetricsAggregator(mapping, DEFAULT_CALENDAR, NOW);
    const inProgress = statusIds.find((id) => mapping.statusOf(id) === "IN_PROGRESS")!;
    const open = { status: inProgress, priority: 2, createDate: "2026-11-19T08:00:00Z" };
    // NOW is 2026-11-20T12:00Z. Not yet due: undecided, even where Autotask's flag already says "met".
    aggregator.add({ ...open, id: 1, dueDateTime: "2026-11-21T08:00:00Z" });
    aggregator.add({ ...open, id: 2, serviceLevelAgreementID: 1, serviceLevelAgreementHasBeenMet: true, resolvedDueDateTime: "2026-11-22T08:00:00Z" }, null);
    // Past due and still open: breached, on both sources.
    aggregator.add({ ...open, id: 3, dueDateTime: "2026-11-20T09:00:00Z" });
    aggregator.add({ ...open, id: 4, serviceLevelAgreementID: 1, resolvedDueDateTime: "2026-11-20T10:00:00Z" }, null);
    // Resolved on time: met.
    aggregator.add({ status: 5, priority: 2, id: 5, createDate: "2026-11-19T08:00:00Z", resolvedDateTime: "2026-11-19T10:00:00Z", dueDateTime: "2026-11-19T16:00:00Z" });
    expect(aggregator.result().sla).toEqual({ eligible: 3, compliant: 1, compliancePercent: 33.33, openBreached: 2, undecided: 2 });
  });

  it("gives zeros and nulls for no tickets", () => {
    const report = new MetricsAggregator(mapping, DEFAULT_CALENDAR, NOW, "queue").result();
    expect(report).toMatchObject({ total: 0, open: 0, escalated: 0, sla: { eligible: 0, compliant: 0, compliancePercent: null, openBreached: 0, undecided: 0 } });
    expect(report.resolution.averageHours).toBeNull();
    expect(report.breakdown).toEqual({ by: "queue", rows: [] });
  });
});
