/**
 * Picklists of two real kinds of tenant, for the domain tests: Autotask's default ids, and the live
 * tenant in ../shared/reference/autotask/tickets-entityInformation-fields.live.json (priority 1 is
 * "Critical" there, "Urgent" is 6, "Waiting Materials" is inactive, many tenant-specific statuses).
 * Rules are tested against both so that no rule can silently depend on an id.
 */
import type { PicklistEntry } from "./states.js";

const entries = (rows: Array<[number, string, boolean?]>): PicklistEntry[] =>
  rows.map(([value, label, isActive = true]) => ({ value, label, isActive, isDefaultValue: value === 1 && label === "New" }));

export const DEFAULT_TENANT = {
  statuses: entries([
    [1, "New"],
    [5, "Complete"],
    [7, "Waiting Customer"],
    [8, "In Progress"],
    [9, "Waiting Materials"],
    [10, "Dispatched"],
    [11, "Escalate"],
    [12, "Waiting Vendor"],
    [13, "Waiting Approval"],
  ]),
  priorities: entries([
    [1, "High"],
    [2, "Medium"],
    [3, "Low"],
    [4, "Critical"],
  ]),
};

export const LIVE_TENANT = {
  statuses: entries([
    [1, "New"],
    [5, "Complete"],
    [7, "Waiting Customer"],
    [8, "In Progress"],
    [9, "Waiting Materials", false],
    [10, "Dispatched", false],
    [11, "Escalated"],
    [12, "Waiting 3rd Party"],
    [13, "Waiting Approval"],
    [14, "Ticket Updated"],
    [15, "N-central Update"],
    [16, "Implementing Fix", false],
    [17, "Follow up time"],
    [18, "Allocated"],
    [19, "Acknowledged", false],
    [20, "Idle"],
    [21, "Sales & Ordering"],
    [22, "Agreed Resolution Plan"],
    [23, "Problem", false],
    [24, "RTN"],
    [25, "Waiting Internal"],
    [26, "Sales Pending", false],
    [27, "Ready to Allocate"],
    [28, "Customer to Test"],
    [29, "Call Scheduled"],
    [30, "Call Requested"],
    [31, "Waiting Order"],
    [33, "Waiting to Invoice"],
  ]),
  priorities: entries([
    [1, "Critical"],
    [2, "Medium"],
    [3, "Low"],
    [5, "High"],
    [6, "Urgent"],
  ]),
};

/** A German tenant: same ids as the default, labels only understood through overrides. */
export const GERMAN_TENANT = {
  statuses: entries([
    [1, "Neu"],
    [5, "Abgeschlossen"],
    [7, "Warten auf Kundenreaktion"],
    [8, "In Bearbeitung"],
    [9, "Warten auf Materialien"],
    [11, "Eskaliert"],
  ]),
  priorities: entries([
    [1, "Hoch"],
    [2, "Mittel"],
    [3, "Niedrig"],
    [4, "Kritisch"],
  ]),
  overrides: {
    status: {
      neu: "NEW",
      abgeschlossen: "COMPLETE",
      "warten auf kundenreaktion": "WAITING_CUSTOMER",
      "In Bearbeitung": "IN_PROGRESS",
      "9": "WAITING_MATERIALS",
      Eskaliert: "ESCALATED",
    },
    priority: { Hoch: "HIGH", Mittel: "MEDIUM", Niedrig: "LOW", Kritisch: "CRITICAL" },
  } as const,
};
