import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALWAYS_OPEN_CALENDAR, businessTimeBetween, DEFAULT_CALENDAR, parseCalendar } from "./calendar.js";
import {
  computeSla,
  DEFAULT_SLA_TARGETS,
  formatBusinessDuration, formatDuration,
  resolutionDueDate,
  rowSla,
  responseDueDate,
  type SlaOptions,
  type SlaTicket,
  type StatusChange,
} from "./sla.js";
import { buildTenantMapping, type SemanticPriority, type SemanticStatus, type TenantMapping } from "./states.js";
import { DEFAULT_TENANT, LIVE_TENANT } from "./test-fixtures.js";
import { HOUR_MS, MINUTE_MS } from "./time.js";

const tenants: Array<[string, TenantMapping]> = [
  ["default tenant", buildTenantMapping(DEFAULT_TENANT)],
  ["live tenant", buildTenantMapping(LIVE_TENANT)],
];

/** Ticket fields in semantic terms, turned into the tenant's ids: the rules must not care which tenant. */
function ticketFor(mapping: TenantMapping, status: SemanticStatus, priority: SemanticPriority, fields: Partial<SlaTicket> = {}): SlaTicket {
  // statusIdsFor, not primaryStatusId: a ticket may sit in a status the tenant has since deactivated.
  return { status: mapping.statusIdsFor(status)[0], priority: mapping.primaryPriorityId(priority), ...fields };
}

const MON_0900 = "2025-03-10T09:00:00.000Z";
const at = (iso: string) => new Date(iso);

describe.each(tenants)("computeSla (%s)", (_name, mapping) => {
  const options: SlaOptions = { mapping };

  it("reports a fresh HIGH ticket on track, with both due dates from the defaults", () => {
    const sla = computeSla(ticketFor(mapping, "IN_PROGRESS", "HIGH", { createDate: MON_0900 }), at("2025-03-10T10:00:00Z"), options);
    expect(sla.priority).toBe("HIGH");
    expect(sla.clock).toBe("running");
    expect(sla.response).toMatchObject({
      dueAt: "2025-03-10T11:00:00.000Z",
      source: "default",
      state: "on_track",
      elapsedBusinessMs: HOUR_MS,
      remainingBusinessMs: HOUR_MS,
      overdueBusinessMs: 0,
      completedAt: null,
    });
    expect(sla.resolution).toMatchObject({ dueAt: "2025-03-10T17:00:00.000Z", state: "on_track", remainingBusinessMs: 7 * HOUR_MS });
  });

  it.each([
    ["exactly 75% elapsed is still on track", "2025-03-10T10:30:00Z", "on_track"],
    ["more than 75% elapsed is at risk", "2025-03-10T10:30:01Z", "at_risk"],
    ["exactly at the due time is at risk, not breached", "2025-03-10T11:00:00Z", "at_risk"],
    ["one ms after the due time is breached", "2025-03-10T11:00:00.001Z", "breached"],
  ])("response clock: %s", (_case, now, state) => {
    const sla = computeSla(ticketFor(mapping, "NEW", "HIGH", { createDate: MON_0900 }), at(now), options);
    expect(sla.response.state).toBe(state);
  });

  it("says by how much a breached clock is overdue, in business time", () => {
    const sla = computeSla(ticketFor(mapping, "IN_PROGRESS", "MEDIUM", { createDate: MON_0900 }), at("2025-03-10T15:20:00Z"), options);
    expect(sla.response).toMatchObject({ state: "breached", dueAt: "2025-03-10T13:00:00.000Z", overdueBusinessMs: 2 * HOUR_MS + 20 * MINUTE_MS, remainingBusinessMs: 0 });
    expect(sla.summary).toContain("first response target breached by 2 business h 20 min");
  });

  it("says a target missed by under a business minute in words, never as 0 business min", () => {
    // Due 15:00 (the ticket's own due date), completed 20 s later: the business clock counts no whole minute.
    const ticket = ticketFor(mapping, "COMPLETE", "HIGH", {
      createDate: MON_0900,
      dueDateTime: "2025-03-10T15:00:00Z",
      completedDate: "2025-03-10T15:00:20Z",
      firstResponseDateTime: "2025-03-10T09:30:00Z",
    });
    const sla = computeSla(ticket, at("2025-03-11T10:00:00Z"), options);
    expect(sla.resolution.state).toBe("breached");
    expect(sla.summary).toContain("resolution target missed by less than a business minute");
    expect(sla.summary).not.toMatch(/\b0 business min/);
  });

  it("marks a first response given in time as met", () => {
    const ticket = ticketFor(mapping, "IN_PROGRESS", "HIGH", { createDate: MON_0900, firstResponseDateTime: "2025-03-10T10:00:00Z" });
    const sla = computeSla(ticket, at("2025-03-11T10:00:00Z"), options);
    expect(sla.response).toMatchObject({ state: "met", completedAt: "2025-03-10T10:00:00.000Z", elapsedBusinessMs: HOUR_MS, remainingBusinessMs: HOUR_MS });
    expect(sla.resolution.state).toBe("breached");
  });

  it.each([
    ["met", "2025-03-10T16:00:00Z", "met", 0],
    ["missed", "2025-03-11T10:00:00Z", "breached", 2 * HOUR_MS],
  ])("stops the clock at completion (%s)", (_case, completedDate, state, overdue) => {
    const ticket = ticketFor(mapping, "COMPLETE", "HIGH", { createDate: MON_0900, completedDate, lastActivityDate: "2025-03-12T09:00:00Z" });
    const sla = computeSla(ticket, at("2025-03-20T10:00:00Z"), options);
    expect(sla.clock).toBe("stopped");
    expect(sla.resolution).toMatchObject({ state, overdueBusinessMs: overdue, completedAt: new Date(completedDate).toISOString() });
    // Completion counts as the first response when none was recorded.
    expect(sla.response.completedAt).toBe(new Date(completedDate).toISOString());
  });

  it("lets the due dates Autotask set on the ticket win", () => {
    const ticket = ticketFor(mapping, "IN_PROGRESS", "LOW", {
      createDate: MON_0900,
      firstResponseDueDateTime: "2025-03-10T10:00:00Z",
      resolvedDueDateTime: "2025-03-12T12:00:00Z",
    });
    const sla = computeSla(ticket, at("2025-03-10T12:00:00Z"), { ...options, contractTargets: { resolutionHours: 1 } });
    expect(sla.response).toMatchObject({ source: "autotask_sla", state: "breached", overdueBusinessMs: 2 * HOUR_MS, targetBusinessMs: null });
    expect(sla.resolution).toMatchObject({ source: "autotask_sla", dueAt: "2025-03-12T12:00:00.000Z", remainingBusinessMs: 5 * HOUR_MS + 9 * HOUR_MS + 4 * HOUR_MS });
  });

  it("takes the ticket's dueDateTime as the resolution due time when it has no Autotask SLA (one due date, not two)", () => {
    // A due date six weeks past: the business-hours target would still be running, but Autotask's due date is the truth.
    const ticket = ticketFor(mapping, "IN_PROGRESS", "LOW", { createDate: MON_0900, dueDateTime: "2025-03-10T10:00:00Z" });
    const sla = computeSla(ticket, at("2025-04-21T12:00:00Z"), options);
    expect(sla.resolution).toMatchObject({ source: "ticket_due_date", dueAt: "2025-03-10T10:00:00.000Z", state: "breached" });
    expect(sla.response.source).toBe("default");
  });

  it("prefers the Autotask SLA's resolution due time over dueDateTime, and its met flag once resolved", () => {
    const ticket = ticketFor(mapping, "COMPLETE", "LOW", {
      createDate: MON_0900,
      serviceLevelAgreementID: 1,
      dueDateTime: "2025-03-10T10:00:00Z",
      resolvedDueDateTime: "2025-03-20T12:00:00Z",
      resolvedDateTime: "2025-03-11T12:00:00Z",
      completedDate: "2025-03-11T12:00:00Z",
      serviceLevelAgreementHasBeenMet: false,
    });
    const sla = computeSla(ticket, at("2025-03-12T12:00:00Z"), options);
    expect(sla.resolution).toMatchObject({ source: "autotask_sla", dueAt: "2025-03-20T12:00:00.000Z" });
    // Resolved before its due time by our clock, but Autotask (which knows its own pauses and first-response verdict) says not met.
    expect(sla.resolution.state).toBe("breached");
  });

  it("uses a ticket's own configured targets (AUTOTASK_SLA_TARGETS by priority id or label) when nothing else applies", () => {
    const ticket = ticketFor(mapping, "IN_PROGRESS", "HIGH", { createDate: MON_0900 });
    const sla = computeSla(ticket, at("2025-03-10T09:30:00Z"), { ...options, ticketTargets: { resolutionHours: 3 } });
    expect(sla.resolution).toMatchObject({ source: "configuration", dueAt: "2025-03-10T12:00:00.000Z" });
  });

  it("takes contract hours over configuration over defaults, per clock", () => {
    const ticket = ticketFor(mapping, "IN_PROGRESS", "HIGH", { createDate: MON_0900 });
    const sla = computeSla(ticket, at("2025-03-10T09:30:00Z"), {
      ...options,
      targets: { HIGH: { responseHours: 3, resolutionHours: 10 } },
      contractTargets: { resolutionHours: 5 },
    });
    expect(sla.response).toMatchObject({ source: "configuration", targetBusinessMs: 3 * HOUR_MS });
    expect(sla.resolution).toMatchObject({ source: "contract", targetBusinessMs: 5 * HOUR_MS, dueAt: "2025-03-10T14:00:00.000Z" });
    const defaults = computeSla(ticket, at("2025-03-10T09:30:00Z"), { ...options, targets: { HIGH: { responseHours: 0 } } });
    expect(defaults.response).toMatchObject({ source: "default", targetBusinessMs: DEFAULT_SLA_TARGETS.HIGH.responseHours * HOUR_MS });
  });

  it("pauses for two days waiting on the customer, then resumes with the due date pushed back", () => {
    const timeline: StatusChange[] = [
      { at: MON_0900, status: mapping.primaryStatusId("NEW")! },
      { at: "2025-03-10T10:00:00Z", status: mapping.primaryStatusId("WAITING_CUSTOMER")! },
      { at: at("2025-03-12T10:00:00Z"), status: mapping.primaryStatusId("IN_PROGRESS")! },
    ];
    const ticket = ticketFor(mapping, "IN_PROGRESS", "MEDIUM", { createDate: MON_0900, firstResponseDateTime: "2025-03-10T09:30:00Z" });
    const sla = computeSla(ticket, at("2025-03-12T12:00:00Z"), { ...options, timeline });
    expect(sla.clock).toBe("running");
    expect(sla.pausedBusinessMs).toBe(18 * HOUR_MS);
    expect(sla.resolution).toMatchObject({
      elapsedBusinessMs: 3 * HOUR_MS,
      remainingBusinessMs: 21 * HOUR_MS,
      // Without the pause it would have been Wednesday 15:00; 18 paused business hours push it to Friday.
      dueAt: "2025-03-14T15:00:00.000Z",
      state: "on_track",
    });
  });

  it("does not move while paused, and says so", () => {
    const timeline: StatusChange[] = [{ at: "2025-03-10T10:00:00Z", status: mapping.primaryStatusId("WAITING_CUSTOMER")! }];
    const ticket = ticketFor(mapping, "WAITING_CUSTOMER", "HIGH", { createDate: MON_0900 });
    const tuesday = computeSla(ticket, at("2025-03-11T12:00:00Z"), { ...options, timeline });
    const friday = computeSla(ticket, at("2025-03-14T16:00:00Z"), { ...options, timeline });
    expect(tuesday.clock).toBe("paused");
    expect(tuesday.resolution).toMatchObject({ elapsedBusinessMs: HOUR_MS, remainingBusinessMs: 7 * HOUR_MS, state: "on_track" });
    expect(friday.resolution.elapsedBusinessMs).toBe(tuesday.resolution.elapsedBusinessMs);
    expect(friday.resolution.state).toBe("on_track");
    // While paused, the due date is where it would fall if the clock resumed now.
    expect(friday.resolution.dueAt).toBe("2025-03-17T14:00:00.000Z");
    expect(friday.summary).toContain("clock paused (waiting for the customer)");
  });

  it("without a timeline assumes the current status since the last activity", () => {
    const ticket = ticketFor(mapping, "WAITING_CUSTOMER", "HIGH", { createDate: MON_0900, lastActivityDate: "2025-03-10T11:00:00Z" });
    const sla = computeSla(ticket, at("2025-03-13T11:00:00Z"), options);
    expect(sla.resolution.elapsedBusinessMs).toBe(2 * HOUR_MS);
    expect(sla.assumptions.join(" ")).toMatch(/No status history: assumed WAITING_CUSTOMER since the last activity/);
  });

  it("can leave tenant-specific waiting statuses running or pause them by configuration", () => {
    const ticket = ticketFor(mapping, "WAITING_MATERIALS", "HIGH", { createDate: MON_0900, lastActivityDate: "2025-03-10T10:00:00Z" });
    const now = at("2025-03-10T12:00:00Z");
    expect(computeSla(ticket, now, options).clock).toBe("paused");
    expect(computeSla(ticket, now, { ...options, pausedStatuses: ["WAITING_CUSTOMER"] }).clock).toBe("running");
  });

  it("has nothing to measure for an unknown priority without contract or ticket due dates", () => {
    const sla = computeSla({ status: mapping.primaryStatusId("NEW"), priority: 99, createDate: MON_0900 }, at("2025-03-10T12:00:00Z"), options);
    expect(sla.priority).toBeUndefined();
    expect(sla.response.state).toBe("not_applicable");
    expect(sla.resolution.state).toBe("not_applicable");
    expect(sla.summary).toContain("resolution: no SLA target");
    expect(sla.assumptions).toContain("Priority id 99 is not mapped to a semantic priority.");
  });

  it("runs CRITICAL on a 24x7 calendar when configured", () => {
    const ticket = ticketFor(mapping, "NEW", "CRITICAL", { createDate: "2025-03-14T16:00:00Z" });
    const sla = computeSla(ticket, at("2025-03-14T21:00:00Z"), { ...options, calendarsByPriority: { CRITICAL: ALWAYS_OPEN_CALENDAR } });
    expect(sla.resolution).toMatchObject({ dueAt: "2025-03-14T20:00:00.000Z", state: "breached", overdueBusinessMs: HOUR_MS });
  });

  it("counts correctly over the London DST weekend", () => {
    const london = parseCalendar({ timeZone: "Europe/London" });
    const ticket = ticketFor(mapping, "IN_PROGRESS", "HIGH", { createDate: "2025-03-28T15:00:00Z" });
    const sla = computeSla(ticket, at("2025-03-31T12:00:00Z"), { ...options, calendar: london });
    // Friday 15:00-17:00 GMT (2 h) + Monday 08:00-13:00 BST (5 h) = 7 h of 8.
    expect(sla.resolution).toMatchObject({ elapsedBusinessMs: 7 * HOUR_MS, dueAt: "2025-03-31T13:00:00.000Z", state: "at_risk" });
    expect(sla.summary).toContain("Mon 31 Mar 2025 14:00 +01:00");
  });
});

describe("due dates for new tickets", () => {
  it("adds the resolution and response targets in business time", () => {
    expect(resolutionDueDate("MEDIUM", at("2025-03-14T16:00:00Z"), {}).toISOString()).toBe("2025-03-19T13:00:00.000Z");
    expect(responseDueDate("LOW", at("2025-03-14T16:00:00Z"), { calendar: DEFAULT_CALENDAR }).toISOString()).toBe("2025-03-17T15:00:00.000Z");
    expect(resolutionDueDate("CRITICAL", at("2025-03-14T16:00:00Z"), { calendarsByPriority: { CRITICAL: ALWAYS_OPEN_CALENDAR } }).toISOString()).toBe(
      "2025-03-14T20:00:00.000Z",
    );
    expect(resolutionDueDate("HIGH", at(MON_0900), { contractTargets: { resolutionHours: 2 } }).toISOString()).toBe("2025-03-10T11:00:00.000Z");
  });
});

describe("formatBusinessDuration", () => {
  // Business time is counted in working hours, so it never reads as 24-hour days.
  it.each([
    [0, "less than a business minute"],
    [40_000, "less than a business minute"],
    [-40_000, "less than a business minute"],
    [60_000, "1 business min"],
    [45 * MINUTE_MS, "45 business min"],
    [232 * HOUR_MS, "232 business h"],
    [5 * HOUR_MS + 20 * MINUTE_MS, "5 business h 20 min"],
  ])("%d ms reads %j", (ms, text) => {
    expect(formatBusinessDuration(ms)).toBe(text);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "less than a minute"],
    [10_000, "less than a minute"],
    [59_999, "less than a minute"],
    [45 * MINUTE_MS, "45 min"],
    [5 * HOUR_MS + 20 * MINUTE_MS, "5 h 20 min"],
    [4 * HOUR_MS, "4 h"],
    [51 * HOUR_MS + 10 * MINUTE_MS, "2 d 3 h"],
    [48 * HOUR_MS, "2 d"],
    [-90 * MINUTE_MS, "-1 h 30 min"],
    [Number.NaN, "unknown"],
  ])("%d ms reads %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

const mapping = buildTenantMapping(LIVE_TENANT);
const priorityArb = fc.constantFrom<SemanticPriority>("CRITICAL", "HIGH", "MEDIUM", "LOW");
const createdArb = fc.date({ min: at("2025-01-01T00:00:00Z"), max: at("2025-12-31T00:00:00Z"), noInvalidDate: true });
const spanArb = fc.integer({ min: 0, max: 30 * 24 * HOUR_MS });
const calendarArb = fc.constantFrom(DEFAULT_CALENDAR, ALWAYS_OPEN_CALENDAR, parseCalendar({ timeZone: "America/New_York", hours: { start: "07:30", end: "18:00" } }));

describe("SLA properties", () => {
  it("elapsed + remaining = target while the clock runs and is not breached", () => {
    fc.assert(
      fc.property(priorityArb, fc.constantFrom<SemanticStatus>("NEW", "IN_PROGRESS", "ESCALATED"), createdArb, spanArb, calendarArb, (priority, status, created, span, calendar) => {
        const now = new Date(created.getTime() + span);
        const sla = computeSla(ticketFor(mapping, status, priority, { createDate: created.toISOString() }), now, { mapping, calendar });
        for (const clock of [sla.response, sla.resolution]) {
          const target = clock.targetBusinessMs!;
          if (clock.state === "breached") {
            expect(clock.remainingBusinessMs).toBe(0);
            expect(clock.elapsedBusinessMs - clock.overdueBusinessMs).toBe(target);
          } else {
            expect(clock.elapsedBusinessMs + clock.remainingBusinessMs).toBe(target);
            expect(businessTimeBetween(now, new Date(clock.dueAt!), calendar)).toBe(clock.remainingBusinessMs);
          }
        }
      }),
    );
  });

  it("rowSla (search rows) always equals the same fields of computeSla", () => {
    const maybeDate = fc.option(createdArb.map((d) => d.toISOString()), { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          status: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
          priority: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null }),
          createDate: maybeDate,
          completedDate: maybeDate,
          resolvedDateTime: maybeDate,
          resolvedDueDateTime: maybeDate,
          dueDateTime: maybeDate,
          firstResponseDateTime: maybeDate,
          firstResponseDueDateTime: maybeDate,
          serviceLevelAgreementHasBeenMet: fc.option(fc.boolean(), { nil: null }),
        }),
        createdArb,
        calendarArb,
        (ticket, now, calendar) => {
          const full = computeSla(ticket as SlaTicket, now, { mapping, calendar });
          const responseOwed = !full.response.completedAt && full.response.state !== "not_applicable" && full.response.dueAt !== null;
          expect(rowSla(ticket as SlaTicket, now, { mapping, calendar })).toEqual({
            state: full.resolution.state,
            dueAt: full.resolution.dueAt,
            source: full.resolution.source,
            paused: full.clock === "paused",
            ...(responseOwed ? { responseDueAt: full.response.dueAt, responseState: full.response.state } : {}),
          });
        },
      ),
    );
  });

  it("a paused clock does not move", () => {
    fc.assert(
      fc.property(priorityArb, createdArb, spanArb, spanArb, spanArb, calendarArb, (priority, created, running, waitA, waitB, calendar) => {
        const pausedAt = new Date(created.getTime() + running);
        const timeline: StatusChange[] = [{ at: pausedAt, status: mapping.primaryStatusId("WAITING_CUSTOMER")! }];
        const ticket = ticketFor(mapping, "WAITING_CUSTOMER", priority, { createDate: created.toISOString() });
        const first = computeSla(ticket, new Date(pausedAt.getTime() + waitA), { mapping, calendar, timeline });
        const later = computeSla(ticket, new Date(pausedAt.getTime() + waitA + waitB), { mapping, calendar, timeline });
        for (const key of ["response", "resolution"] as const) {
          const { dueAt: _a, ...frozen } = first[key];
          const { dueAt: _b, ...stillFrozen } = later[key];
          expect(stillFrozen).toEqual(frozen);
        }
        expect(later.clock).toBe("paused");
      }),
    );
  });

  it("never reports NaN, whatever the dates", () => {
    const maybeDate = fc.option(fc.oneof(createdArb.map((d) => d.toISOString()), fc.constantFrom("", "not a date", "2025-02-30T00:00:00Z")), { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          status: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
          priority: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null }),
          createDate: maybeDate,
          firstResponseDateTime: maybeDate,
          firstResponseDueDateTime: maybeDate,
          resolvedDateTime: maybeDate,
          resolvedDueDateTime: maybeDate,
          completedDate: maybeDate,
          lastActivityDate: maybeDate,
        }),
        createdArb,
        (ticket, now) => {
          const sla = computeSla(ticket, now, { mapping });
          for (const clock of [sla.response, sla.resolution]) {
            for (const value of [clock.elapsedBusinessMs, clock.remainingBusinessMs, clock.overdueBusinessMs]) {
              expect(Number.isFinite(value) && value >= 0).toBe(true);
            }
            if (clock.dueAt !== null) expect(Number.isNaN(Date.parse(clock.dueAt))).toBe(false);
          }
          expect(sla.summary).not.toMatch(/NaN|undefined|Invalid/);
        },
      ),
    );
  });
});
