import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { breachLevel, checkEscalation, type EscalationOptions } from "./escalation.js";
import type { SlaTicket } from "./sla.js";
import { buildTenantMapping, type SemanticPriority, type SemanticStatus, type TenantMapping } from "./states.js";
import { DEFAULT_TENANT, LIVE_TENANT } from "./test-fixtures.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time.js";

const tenants: Array<[string, TenantMapping]> = [
  ["default tenant", buildTenantMapping(DEFAULT_TENANT)],
  ["live tenant", buildTenantMapping(LIVE_TENANT)],
];

function ticketFor(mapping: TenantMapping, status: SemanticStatus, priority: SemanticPriority, fields: Partial<SlaTicket> = {}): SlaTicket {
  return { status: mapping.statusIdsFor(status)[0], priority: mapping.primaryPriorityId(priority), assignedResourceID: 29682885, ...fields };
}

// HIGH, created Monday 08:00 UTC and answered at 08:30: the resolution target (8 h) is due Monday 16:00.
const MON_0800 = "2025-03-10T08:00:00.000Z";
const answered = { createDate: MON_0800, firstResponseDateTime: "2025-03-10T08:30:00Z" };

describe.each(tenants)("checkEscalation (%s)", (_name, mapping) => {
  const options: EscalationOptions = { mapping };

  it.each([
    ["not yet due", "2025-03-10T15:00:00Z", 0, []],
    ["30 min overdue", "2025-03-10T16:30:00Z", 1, ["SLA resolution target breached by 30 business min"]],
    ["exactly 4 h overdue", "2025-03-11T11:00:00Z", 1, ["SLA resolution target breached by 4 business h"]],
    ["4 h and 1 min overdue", "2025-03-11T11:01:00Z", 2, ["SLA resolution target breached by 4 business h 1 min"]],
    ["5 h 20 min overdue", "2025-03-11T12:20:00Z", 2, ["SLA resolution target breached by 5 business h 20 min"]],
    ["exactly 8 h overdue", "2025-03-11T15:00:00Z", 2, ["SLA resolution target breached by 8 business h"]],
    ["8 h and 1 min overdue", "2025-03-11T15:01:00Z", 3, ["SLA resolution target breached by 8 business h 1 min"]],
    ["a month overdue (level stays 3)", "2025-04-10T12:00:00Z", 3, ["SLA resolution target breached by 203 business h"]],
  ])("resolution breach %s", (_case, now, level, reasons) => {
    const result = checkEscalation(ticketFor(mapping, "IN_PROGRESS", "HIGH", answered), new Date(now), options);
    expect(result).toMatchObject({ level, reasons, requiresEscalation: level > 0 });
  });

  it.each([
    [1, ["Notify the assigned resource"]],
    [2, ["Notify the assigned resource", "Notify the team lead"]],
    [3, ["Notify the assigned resource", "Notify the team lead", "Notify management"]],
  ])("level %i actions", (level, actions) => {
    const now = { 1: "2025-03-10T17:00:00Z", 2: "2025-03-11T14:00:00Z", 3: "2025-03-12T09:00:00Z" }[level]!;
    const result = checkEscalation(ticketFor(mapping, "IN_PROGRESS", "HIGH", answered), new Date(now), options);
    expect(result.level).toBe(level);
    expect(result.actions).toEqual(actions);
  });

  it("escalates an unanswered ticket on its first-response breach", () => {
    const result = checkEscalation(ticketFor(mapping, "NEW", "HIGH", { createDate: MON_0800 }), new Date("2025-03-10T14:30:00Z"), options);
    expect(result).toMatchObject({ level: 2, reasons: ["SLA first response target breached by 4 business h 30 min"] });
    expect(result.notices).toEqual(["SLA resolution target at risk: 1 business h 30 min left"]);
  });

  it("does not escalate on a first response that was late but has been given", () => {
    const ticket = ticketFor(mapping, "IN_PROGRESS", "HIGH", { createDate: MON_0800, firstResponseDateTime: "2025-03-10T12:00:00Z" });
    const result = checkEscalation(ticket, new Date("2025-03-10T13:00:00Z"), options);
    expect(result.sla?.response.state).toBe("breached");
    expect(result).toMatchObject({ requiresEscalation: false, level: 0, reasons: [] });
  });

  it("never escalates a completed ticket, however late", () => {
    const ticket = ticketFor(mapping, "COMPLETE", "CRITICAL", { createDate: MON_0800, completedDate: "2025-03-20T08:00:00Z", assignedResourceID: null });
    expect(checkEscalation(ticket, new Date("2025-04-01T08:00:00Z"), options)).toEqual({
      requiresEscalation: false,
      level: 0,
      reasons: [],
      actions: [],
      notices: [],
    });
  });

  it.each([
    ["exactly 7 days", 7 * DAY_MS, undefined, 0],
    ["7 days and 1 min", 7 * DAY_MS + MINUTE_MS, undefined, 1],
    ["4 days with a 3-day limit", 4 * DAY_MS, 3, 1],
    ["2 days with a 3-day limit", 2 * DAY_MS, 3, 0],
  ])("waiting for the customer with no activity for %s", (_case, idle, staleDays, level) => {
    const lastActivity = Date.parse("2025-03-10T10:00:00Z");
    const ticket = ticketFor(mapping, "WAITING_CUSTOMER", "LOW", { ...answered, lastActivityDate: new Date(lastActivity).toISOString() });
    const result = checkEscalation(ticket, new Date(lastActivity + idle), { ...options, waitingCustomerStaleDays: staleDays });
    expect(result.level).toBe(level);
    if (level > 0) {
      expect(result.reasons[0]).toMatch(/^Waiting for the customer with no activity for \d+ d/);
      expect(result.actions).toContain("Follow up with the customer, or close the ticket if the policy allows");
    }
  });

  it("escalates a CRITICAL ticket nobody is assigned to, to the team lead", () => {
    const ticket = ticketFor(mapping, "NEW", "CRITICAL", { createDate: MON_0800, assignedResourceID: null });
    const result = checkEscalation(ticket, new Date("2025-03-10T08:10:00Z"), options);
    expect(result).toMatchObject({
      requiresEscalation: true,
      level: 2,
      reasons: ["CRITICAL ticket has no assigned resource"],
      actions: ["Assign a resource now", "Notify the team lead"],
    });
    const assigned = checkEscalation({ ...ticket, assignedResourceID: 5 }, new Date("2025-03-10T08:10:00Z"), options);
    expect(assigned.requiresEscalation).toBe(false);
  });

  it("takes the highest level when several reasons apply", () => {
    const ticket = ticketFor(mapping, "ESCALATED", "CRITICAL", { createDate: MON_0800, assignedResourceID: null });
    const result = checkEscalation(ticket, new Date("2025-03-11T16:00:00Z"), options);
    expect(result.level).toBe(3);
    expect(result.reasons).toEqual([
      "SLA first response target breached by 16 business h",
      "SLA resolution target breached by 13 business h",
      "CRITICAL ticket has no assigned resource",
    ]);
    expect(result.actions).toEqual(["Assign a resource now", "Notify the team lead", "Notify management"]);
  });
});

describe("breachLevel", () => {
  it.each([
    [0, 0],
    [1, 1],
    [4 * HOUR_MS, 1],
    [4 * HOUR_MS + 1, 2],
    [8 * HOUR_MS, 2],
    [8 * HOUR_MS + 1, 3],
    [1000 * HOUR_MS, 3],
  ])("%d ms overdue is level %i", (ms, level) => {
    expect(breachLevel(ms)).toBe(level);
  });
});

describe("escalation properties", () => {
  const mapping = buildTenantMapping(LIVE_TENANT);
  it("the level is 0 to 3, and there are reasons exactly when escalation is required", () => {
    const date = fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2025-06-30T00:00:00Z"), noInvalidDate: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 35 }),
        fc.integer({ min: 0, max: 7 }),
        date,
        fc.option(date, { nil: null }),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
        date,
        (status, priority, created, lastActivity, assignee, now) => {
          const ticket: SlaTicket = {
            status,
            priority,
            createDate: created.toISOString(),
            lastActivityDate: lastActivity?.toISOString() ?? null,
            assignedResourceID: assignee,
          };
          const result = checkEscalation(ticket, now, { mapping });
          expect([0, 1, 2, 3]).toContain(result.level);
          expect(result.requiresEscalation).toBe(result.level > 0);
          expect(result.reasons.length > 0).toBe(result.level > 0);
          expect(result.actions.length > 0).toBe(result.level > 0);
        },
      ),
    );
  });
});
