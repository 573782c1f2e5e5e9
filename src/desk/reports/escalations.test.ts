/**
 * The escalation check follows the configured status workflow (AUTOTASK_WORKFLOW), the same table
 * autotask_update_ticket enforces: `cannotEscalate` appears exactly when that table has no
 * Waiting Customer → Escalated move.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR } from "../../domain/calendar.js";
import { buildTenantMapping } from "../../domain/states.js";
import { LIVE_TENANT } from "../../domain/test-fixtures.js";
import { DEFAULT_TRANSITIONS, transitionTable } from "../../domain/workflow.js";
import { EscalationService } from "./escalations.js";
import type { ReportDependencies } from "./types.js";

const mapping = buildTenantMapping(LIVE_TENANT);
const NOW = new Date("2026-11-20T12:00:00Z");
const waiting = LIVE_TENANT.statuses.map((s) => Number(s.value)).find((id) => mapping.statusOf(id) === "WAITING_CUSTOMER")!;
// Waiting on the customer with no activity for 30 days: the stale-waiting rule selects it.
const ticket = { id: 1, status: waiting, priority: 2, createDate: "2026-10-01T08:00:00Z", lastActivityDate: "2026-10-21T08:00:00Z" };
const service = (workflow: ReturnType<typeof transitionTable>) =>
  new EscalationService({ settings: { calendar: DEFAULT_CALENDAR, workflow } } as unknown as ReportDependencies);

describe("EscalationService.evaluate", () => {
  it("marks cannotEscalate only when the configured workflow forbids Waiting Customer → Escalated", () => {
    expect(DEFAULT_TRANSITIONS.WAITING_CUSTOMER).toContain("ESCALATED");
    const allowed = service(DEFAULT_TRANSITIONS).evaluate(ticket, mapping, NOW);
    expect(allowed).toBeDefined();
    expect(allowed?.cannotEscalate).toBeUndefined();
    const strict = service(transitionTable({ WAITING_CUSTOMER: ["IN_PROGRESS", "COMPLETE"] })).evaluate(ticket, mapping, NOW);
    expect(strict?.cannotEscalate).toMatch(/does not allow .* → Escalated \(allowed: IN_PROGRESS, COMPLETE\)/);
  });
});
