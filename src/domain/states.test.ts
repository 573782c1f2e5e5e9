import { describe, expect, it } from "vitest";
import { buildTenantMapping, normalizeLabel, type SemanticPriority, type SemanticStatus } from "./states.js";
import { DEFAULT_TENANT, GERMAN_TENANT, LIVE_TENANT } from "./test-fixtures.js";

const defaults = buildTenantMapping(DEFAULT_TENANT);
const live = buildTenantMapping(LIVE_TENANT);
const german = buildTenantMapping(GERMAN_TENANT);

describe("status mapping by label", () => {
  it.each<[string, ReturnType<typeof buildTenantMapping>, number, SemanticStatus]>([
    ["default", defaults, 1, "NEW"],
    ["default", defaults, 5, "COMPLETE"],
    ["default", defaults, 7, "WAITING_CUSTOMER"],
    ["default", defaults, 8, "IN_PROGRESS"],
    ["default", defaults, 9, "WAITING_MATERIALS"],
    ["default", defaults, 10, "OTHER"],
    ["default", defaults, 11, "ESCALATED"],
    ["default", defaults, 12, "OTHER"],
    ["live", live, 11, "ESCALATED"],
    ["live", live, 9, "WAITING_MATERIALS"],
    ["live", live, 12, "OTHER"],
    ["live", live, 28, "OTHER"],
    ["live", live, 31, "OTHER"],
    ["german", german, 7, "WAITING_CUSTOMER"],
    ["german", german, 9, "WAITING_MATERIALS"],
    ["german", german, 11, "ESCALATED"],
  ])("%s tenant: status %i is %s", (_tenant, mapping, id, expected) => {
    expect(mapping.statusOf(id)).toBe(expected);
  });

  it("maps unknown and missing ids to OTHER", () => {
    expect(defaults.statusOf(999)).toBe("OTHER");
    expect(defaults.statusOf(null)).toBe("OTHER");
    expect(defaults.statusOf(undefined)).toBe("OTHER");
  });

  it.each<[string, SemanticStatus]>([
    ["Waiting on Customer", "WAITING_CUSTOMER"],
    ["waiting - customer", "WAITING_CUSTOMER"],
    ["WAITING PARTS", "WAITING_MATERIALS"],
    ["Work in Progress", "IN_PROGRESS"],
    ["Escalate", "ESCALATED"],
    ["Completed", "COMPLETE"],
    ["Closed", "COMPLETE"],
    ["Resolved", "OTHER"],
    ["Customer to Test", "OTHER"],
  ])("label %j means %s", (label, expected) => {
    const mapping = buildTenantMapping({ statuses: [{ value: 40, label, isActive: true }], priorities: [] });
    expect(mapping.statusOf(40)).toBe(expected);
  });
});

describe("priority mapping", () => {
  it.each<[string, ReturnType<typeof buildTenantMapping>, number, SemanticPriority | undefined]>([
    ["default", defaults, 1, "HIGH"],
    ["default", defaults, 2, "MEDIUM"],
    ["default", defaults, 3, "LOW"],
    ["default", defaults, 4, "CRITICAL"],
    ["live", live, 1, "CRITICAL"],
    ["live", live, 5, "HIGH"],
    ["live", live, 6, "CRITICAL"],
    ["live", live, 4, undefined],
    ["german", german, 4, "CRITICAL"],
  ])("%s tenant: priority %i is %s", (_tenant, mapping, id, expected) => {
    expect(mapping.priorityOf(id)).toBe(expected);
  });

  it("treats Urgent as HIGH when configured so", () => {
    const mapping = buildTenantMapping({ ...LIVE_TENANT, urgentIsCritical: false });
    expect(mapping.priorityOf(6)).toBe("HIGH");
    expect(mapping.primaryPriorityId("HIGH")).toBe(5);
    expect(mapping.priorityIdsFor("HIGH")).toEqual([5, 6]);
  });

  it("understands Normal as MEDIUM", () => {
    const mapping = buildTenantMapping({ statuses: [], priorities: [{ value: "7", label: "Normal", isActive: true }] });
    expect(mapping.priorityOf(7)).toBe("MEDIUM");
  });

  it("prefers the exact label Critical over Urgent as the id to set", () => {
    expect(live.primaryPriorityId("CRITICAL")).toBe(1);
    expect(live.priorityIdsFor("CRITICAL")).toEqual([1, 6]);
    expect(defaults.primaryPriorityId("CRITICAL")).toBe(4);
  });
});

describe("ids to set and lists of ids", () => {
  it("never proposes an inactive status", () => {
    expect(live.primaryStatusId("WAITING_MATERIALS")).toBeUndefined();
    expect(live.statusIdsFor("WAITING_MATERIALS")).toEqual([9]);
    expect(live.isStatusActive(9)).toBe(false);
  });

  it("lists active ids first, then the preferred label", () => {
    const mapping = buildTenantMapping({
      statuses: [
        { value: 30, label: "Closed", isActive: true },
        { value: 5, label: "Complete", isActive: true },
        { value: 31, label: "Completed", isActive: false },
      ],
      priorities: [],
    });
    expect(mapping.statusIdsFor("COMPLETE")).toEqual([5, 30, 31]);
    expect(mapping.primaryStatusId("COMPLETE")).toBe(5);
  });

  it("gives no id to set for OTHER but lists the OTHER ids", () => {
    expect(defaults.primaryStatusId("OTHER")).toBeUndefined();
    expect(defaults.statusIdsFor("OTHER")).toEqual([10, 12, 13]);
  });

  it("returns labels as the tenant wrote them", () => {
    expect(live.statusLabel(12)).toBe("Waiting 3rd Party");
    expect(live.priorityLabel(6)).toBe("Urgent");
    expect(live.statusLabel(999)).toBeUndefined();
    expect(live.priorityLabel(null)).toBeUndefined();
  });
});

describe("overrides", () => {
  it("lets a German tenant say which id means what", () => {
    expect(german.primaryStatusId("IN_PROGRESS")).toBe(8);
    expect(german.primaryStatusId("COMPLETE")).toBe(5);
    expect(german.primaryPriorityId("HIGH")).toBe(1);
    expect(german.warnings).toEqual([]);
  });

  it("can remap a label-matched id, and an id key wins over a label key", () => {
    const mapping = buildTenantMapping({
      ...DEFAULT_TENANT,
      overrides: { status: { "12": "WAITING_MATERIALS", "waiting vendor": "WAITING_CUSTOMER", Closed: "COMPLETE" } },
    });
    expect(mapping.statusOf(12)).toBe("WAITING_MATERIALS");
    expect(mapping.statusIdsFor("WAITING_MATERIALS")).toEqual([9, 12]);
  });

  it("promotes an overridden active id when the canonical one is inactive", () => {
    const mapping = buildTenantMapping({ ...LIVE_TENANT, overrides: { status: { "Waiting Order": "WAITING_MATERIALS" } } });
    expect(mapping.primaryStatusId("WAITING_MATERIALS")).toBe(31);
  });

  it("reports override keys that match nothing and values that are not semantic", () => {
    const mapping = buildTenantMapping({
      ...DEFAULT_TENANT,
      overrides: { status: { Storniert: "COMPLETE", "5": "DONE" as SemanticStatus } },
    });
    expect(mapping.warnings).toHaveLength(2);
    expect(mapping.warnings[0]).toMatch(/"Storniert" matches no status label/);
    expect(mapping.warnings[1]).toMatch(/"DONE" is not one of/);
    expect(mapping.statusOf(5)).toBe("COMPLETE");
  });

  it("maps ids known only from configuration as usable", () => {
    const mapping = buildTenantMapping({ statuses: [], priorities: [], overrides: { priority: { "4": "CRITICAL" } } });
    expect(mapping.priorityOf(4)).toBe("CRITICAL");
    expect(mapping.primaryPriorityId("CRITICAL")).toBe(4);
  });
});

describe("normalizeLabel", () => {
  it("folds case, punctuation and spacing", () => {
    expect(normalizeLabel("  Waiting -- on   CUSTOMER! ")).toBe("waiting on customer");
    expect(normalizeLabel("Warten auf Kundenreaktion")).toBe("warten auf kundenreaktion");
  });
});
