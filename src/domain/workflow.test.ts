import { describe, expect, it } from "vitest";
import { SEMANTIC_STATUSES, type SemanticStatus } from "./states.js";
import { allowedNextStatuses, transitionTable, validateStatusTransition } from "./workflow.js";

const assigned = { assignedResourceID: 29682885, assignedResourceRoleID: 29683461, resolution: null };
const ALLOWED: Array<[SemanticStatus, SemanticStatus]> = [
  ["NEW", "IN_PROGRESS"],
  ["NEW", "COMPLETE"],
  ["NEW", "ESCALATED"],
  ["NEW", "WAITING_CUSTOMER"],
  ["NEW", "WAITING_MATERIALS"],
  ["IN_PROGRESS", "WAITING_CUSTOMER"],
  ["IN_PROGRESS", "WAITING_MATERIALS"],
  ["IN_PROGRESS", "ESCALATED"],
  ["IN_PROGRESS", "COMPLETE"],
  ["WAITING_CUSTOMER", "IN_PROGRESS"],
  ["WAITING_CUSTOMER", "WAITING_MATERIALS"],
  ["WAITING_CUSTOMER", "COMPLETE"],
  ["WAITING_CUSTOMER", "ESCALATED"],
  ["WAITING_MATERIALS", "WAITING_CUSTOMER"],
  ["WAITING_MATERIALS", "ESCALATED"],
  ["ESCALATED", "WAITING_CUSTOMER"],
  ["ESCALATED", "WAITING_MATERIALS"],
  ["WAITING_MATERIALS", "IN_PROGRESS"],
  ["WAITING_MATERIALS", "COMPLETE"],
  ["ESCALATED", "IN_PROGRESS"],
  ["ESCALATED", "COMPLETE"],
  ["COMPLETE", "IN_PROGRESS"],
];
const fullChanges = { resolution: "Replaced the toner.", escalationReason: "Needs a network engineer." };

describe("the transition graph", () => {
  it.each(ALLOWED)("%s → %s is allowed", (from, to) => {
    const result = validateStatusTransition(from, to, assigned, fullChanges);
    expect(result.canTransition).toBe(true);
    expect(result.allowedNext).toContain(to);
  });

  const allowedPairs = new Set(ALLOWED.map(([from, to]) => `${from}>${to}`));
  const refused = SEMANTIC_STATUSES.flatMap((from) =>
    SEMANTIC_STATUSES.filter((to) => from !== to && from !== "OTHER" && to !== "OTHER" && !allowedPairs.has(`${from}>${to}`)).map(
      (to) => [from, to] as [SemanticStatus, SemanticStatus],
    ),
  );

  it.each(refused)("%s → %s is refused unless forced, listing the allowed states", (from, to) => {
    const result = validateStatusTransition(from, to, assigned, fullChanges);
    expect(result.canTransition).toBe(false);
    expect(result.warnings.join(" ")).toContain(`allowed from ${from}: ${allowedNextStatuses(from).join(", ")}`);
    const forced = validateStatusTransition(from, to, assigned, fullChanges, { force: true });
    expect(forced.canTransition).toBe(true);
    expect(forced.warnings.join(" ")).toMatch(/^Forced the change/);
  });

  it("uses the tenant's labels in its warnings when given, and a configured table", () => {
    const table = transitionTable({ NEW: ["IN_PROGRESS"] });
    const result = validateStatusTransition("NEW", "WAITING_CUSTOMER", assigned, {}, { table, labels: { current: "New", next: "Waiting Customer", allowed: "In Progress" } });
    expect(result.canTransition).toBe(false);
    expect(result.warnings).toEqual(["The workflow does not allow New → Waiting Customer; allowed from New: In Progress. Pass force to override."]);
    expect(allowedNextStatuses("IN_PROGRESS", table)).toEqual(allowedNextStatuses("IN_PROGRESS"));
  });

  it("has exactly the expected refusals (the graph is not accidentally open)", () => {
    expect(refused).toHaveLength(6 * 5 - ALLOWED.length);
  });

  it.each(SEMANTIC_STATUSES.filter((s) => s !== "COMPLETE" && s !== "OTHER"))("%s → OTHER is allowed with a warning", (from) => {
    const result = validateStatusTransition(from, "OTHER", assigned, {});
    expect(result.canTransition).toBe(true);
    expect(result.warnings).toContain("The new status OTHER is specific to this tenant: check that it means what you intend.");
  });

  it("OTHER → any semantic status is allowed with a warning", () => {
    expect(allowedNextStatuses("OTHER")).toEqual(["NEW", "IN_PROGRESS", "WAITING_CUSTOMER", "WAITING_MATERIALS", "ESCALATED", "COMPLETE"]);
    const result = validateStatusTransition("OTHER", "WAITING_CUSTOMER", assigned, {});
    expect(result.canTransition).toBe(true);
    expect(result.warnings[0]).toMatch(/current status OTHER is specific to this tenant/);
  });

  it("COMPLETE reopens only to IN_PROGRESS, with a warning", () => {
    expect(allowedNextStatuses("COMPLETE")).toEqual(["IN_PROGRESS"]);
    expect(validateStatusTransition("COMPLETE", "OTHER", assigned, {}).canTransition).toBe(false);
    expect(validateStatusTransition("COMPLETE", "IN_PROGRESS", assigned, {}).warnings).toContain(
      "Reopening a completed ticket: the SLA clock runs again and the completion date is cleared.",
    );
  });

  it.each(SEMANTIC_STATUSES)("%s → the same status is a no-op and allowed", (status) => {
    const result = validateStatusTransition(status, status, { resolution: null, assignedResourceID: 1, assignedResourceRoleID: 2 }, {});
    expect(result).toMatchObject({ canTransition: true, requiredFields: [] });
  });
});

describe("required fields", () => {
  it.each([
    ["no resolution anywhere", { resolution: null }, {}, ["resolution"]],
    ["a blank resolution in the change", { resolution: "Fixed." }, { resolution: "   " }, ["resolution"]],
    ["the change clears the resolution", { resolution: "Fixed." }, { resolution: null }, ["resolution"]],
    ["the ticket already has one", { resolution: "Fixed." }, {}, []],
    ["the change brings one", { resolution: "" }, { resolution: "Rebooted the switch." }, []],
  ])("COMPLETE with %s", (_case, ticket, changes, required) => {
    const result = validateStatusTransition("IN_PROGRESS", "COMPLETE", { ...assigned, ...ticket }, changes);
    expect(result.requiredFields).toEqual(required);
    expect(result.canTransition).toBe(required.length === 0);
  });

  it("ESCALATED needs a reason in the change", () => {
    expect(validateStatusTransition("IN_PROGRESS", "ESCALATED", assigned, {}).requiredFields).toEqual(["escalationReason"]);
    expect(validateStatusTransition("IN_PROGRESS", "ESCALATED", assigned, { escalationReason: "Outage at HQ." }).canTransition).toBe(true);
  });

  it.each([
    ["a new resource without a role", { assignedResourceID: 7 }, ["assignedResourceRoleID"]],
    ["a new resource with a null role", { assignedResourceID: 7, assignedResourceRoleID: null }, ["assignedResourceRoleID"]],
    ["a new resource with its role", { assignedResourceID: 7, assignedResourceRoleID: 8 }, []],
    ["the same resource again (keeps its role)", { assignedResourceID: 29682885 }, []],
    ["unassigning", { assignedResourceID: null }, []],
  ])("assigning %s", (_case, changes, required) => {
    const result = validateStatusTransition("IN_PROGRESS", "IN_PROGRESS", assigned, changes);
    expect(result.requiredFields).toEqual(required);
  });

  it("force does not waive required fields", () => {
    const result = validateStatusTransition("WAITING_MATERIALS", "ESCALATED", assigned, {}, { force: true });
    expect(result).toMatchObject({ canTransition: false, requiredFields: ["escalationReason"] });
  });
});

describe("warnings", () => {
  it("warns when completing straight from NEW", () => {
    const result = validateStatusTransition("NEW", "COMPLETE", assigned, { resolution: "Duplicate of T20250310.0001." });
    expect(result.canTransition).toBe(true);
    expect(result.warnings).toEqual(["Completing straight from NEW: no work was recorded as in progress."]);
  });

  it.each([
    ["nobody on the ticket", { assignedResourceID: null }, {}, true],
    ["the change unassigns", assigned, { assignedResourceID: null }, true],
    ["the change assigns someone", { assignedResourceID: null }, { assignedResourceID: 3, assignedResourceRoleID: 4 }, false],
    ["someone on the ticket", assigned, {}, false],
  ])("IN_PROGRESS with %s", (_case, ticket, changes, warns) => {
    const result = validateStatusTransition("NEW", "IN_PROGRESS", ticket, changes);
    expect(result.warnings.includes("IN_PROGRESS with nobody assigned: assign a resource.")).toBe(warns);
    expect(result.canTransition).toBe(true);
  });
});
