/**
 * Tenant fidelity (issue 11): dependent picklists judged on the record as written, required fields as the
 * live metadata and field reports say, informational endpoints, entities the sandbox does not simulate,
 * the SLA entity and the realism of the generated desk. Expected values cite the real behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "./index.js";
import { NULL_VALUE } from "./query.js";
import { type SandboxClient, sandboxClient } from "./test-client.js";
import { DUE_DATE_REQUIRED } from "./writes.js";

const NOW = new Date("2026-11-27T12:00:00Z");
const HOUR = 3_600_000;

function setup(profile: string, tickets = 400) {
  const context = {} as { sandbox: SandboxHandle; api: SandboxClient; companyId: number };
  beforeAll(async () => {
    context.sandbox = await startSandbox({ profile, tickets, seed: 21, now: () => NOW });
    context.api = sandboxClient(context.sandbox);
    context.companyId = context.sandbox.store.contacts()[0]?.companyID as number;
  });
  afterAll(() => context.sandbox.close());
  return context;
}

// Captured live metadata (fixtures/profiles/real-tenant.json = reference/autotask/tickets-entityInformation-fields.live.json):
// issue type 45 "Laptop" (active) has sub-issue 298 "Hardware"; the first "Hardware" in the list is 109,
// whose issue type 12 "Break/Fix: Incident" is inactive; 41 "Desktop" has its own "Hardware", 281.
const LAPTOP = 45;
const LAPTOP_HARDWARE = 298;
const DESKTOP = 41;
const DESKTOP_HARDWARE = 281;
const INACTIVE_BREAK_FIX = 12;
const BREAK_FIX_HARDWARE = 109;

describe("real-tenant profile: dependent picklists and due dates", () => {
  const t = setup("real-tenant");
  const base = () => ({ companyID: t.companyId, title: "Laptop fan noisy", status: 1, priority: 2, dueDateTime: "2026-12-02T17:00:00Z" });

  it("accepts a sub-issue type under its own issue type (parentValue = issueType)", async () => {
    const created = await t.api.post("Tickets", { ...base(), issueType: LAPTOP, subIssueType: LAPTOP_HARDWARE });
    expect(created.status).toBe(200);
    expect(t.sandbox.store.getTicket(created.json.itemId)).toMatchObject({ issueType: LAPTOP, subIssueType: LAPTOP_HARDWARE });
  });

  it("refuses a sub-issue type under another parent, under an inactive parent, or without a parent", async () => {
    const wrong = await t.api.post("Tickets", { ...base(), issueType: LAPTOP, subIssueType: DESKTOP_HARDWARE });
    expect(wrong.status).toBe(500);
    expect(wrong.json.errors).toEqual([`Picklist value [${DESKTOP_HARDWARE}] does not exist for subIssueType under issueType [${LAPTOP}].`]);
    // The inactive parent itself is refused with Autotask's invalid-picklist words (S31), once.
    const inactive = await t.api.post("Tickets", { ...base(), issueType: INACTIVE_BREAK_FIX, subIssueType: BREAK_FIX_HARDWARE });
    expect(inactive.json.errors).toEqual([`Picklist value [${INACTIVE_BREAK_FIX}] does not exist for issueType`]);
    const orphan = await t.api.post("Tickets", { ...base(), subIssueType: LAPTOP_HARDWARE });
    expect(orphan.json.errors).toEqual([`Picklist value [${LAPTOP_HARDWARE}] does not exist for subIssueType: no issueType is set.`]);
  });

  it("judges a PATCH on the ticket as it will be after the write", async () => {
    const id = (await t.api.post("Tickets", { ...base(), issueType: LAPTOP, subIssueType: LAPTOP_HARDWARE })).json.itemId;
    // Changing only the parent leaves a child that no longer fits: refused, nothing saved.
    const parentOnly = await t.api.patch("Tickets", { id, issueType: DESKTOP });
    expect(parentOnly.json.errors).toEqual([`Picklist value [${LAPTOP_HARDWARE}] does not exist for subIssueType under issueType [${DESKTOP}].`]);
    expect(t.sandbox.store.getTicket(id)?.issueType).toBe(LAPTOP);
    // A child alone is judged against the ticket's current parent.
    expect((await t.api.patch("Tickets", { id, subIssueType: DESKTOP_HARDWARE })).status).toBe(500);
    // Both together, or clearing the child with the parent, are accepted.
    expect((await t.api.patch("Tickets", { id, issueType: DESKTOP, subIssueType: DESKTOP_HARDWARE })).status).toBe(200);
    expect((await t.api.patch("Tickets", { id, issueType: null })).json.errors).toEqual([
      `Picklist value [${DESKTOP_HARDWARE}] does not exist for subIssueType: no issueType is set.`,
    ]);
    expect((await t.api.patch("Tickets", { id, issueType: null, subIssueType: null })).status).toBe(200);
  });

  it("refuses a create without dueDateTime unless the category supplies one (field report WYRE-AI/autotask-mcp#288)", async () => {
    const { dueDateTime: _omitted, ...withoutDue } = base();
    const refused = await t.api.post("Tickets", withoutDue);
    expect(refused.status).toBe(500);
    expect(refused.json.errors).toEqual(["dueDateTime is required.; on record number [0]"]);
    expect(DUE_DATE_REQUIRED).toBe("dueDateTime is required.; on record number [0]");
    // The profile's RMM category (113) supplies a due date 4 hours after creation.
    const byCategory = await t.api.post("Tickets", { ...withoutDue, ticketCategory: 113 });
    expect(byCategory.status).toBe(200);
    expect(t.sandbox.store.getTicket(byCategory.json.itemId)?.dueDateTime).toBe(new Date(NOW.getTime() + 4 * HOUR).toISOString());
  });

  it("requires status on create, as the live metadata marks it (isRequired: true)", async () => {
    const { status: _omitted, ...withoutStatus } = base();
    expect((await t.api.post("Tickets", withoutStatus)).json.errors).toEqual(["Value does not exist for the required field status"]);
    const fields = (await t.api.get("Tickets/entityInformation/fields")).json.fields as { name: string; isRequired: boolean }[];
    expect(fields.find((field) => field.name === "status")?.isRequired).toBe(true);
  });
});

describe("default profile: due dates, null filters, informational endpoints", () => {
  const t = setup("default", 300);

  it("accepts a create without dueDateTime and leaves it empty (a live create without it succeeded, S32 #31)", async () => {
    const created = await t.api.post("Tickets", { companyID: t.companyId, title: "No due date", status: 1, priority: 2 });
    expect(created.status).toBe(200);
    expect(t.sandbox.store.getTicket(created.json.itemId)?.dueDateTime).toBeNull();
  });

  it("moves a ticket to another company only with its contact cleared or replaced in the same PATCH (n8n-nodes-autotask#15)", async () => {
    const contacts = t.sandbox.store.contacts();
    const first = contacts.find((contact) => contact.isActive === 1) as Record<string, unknown>;
    const other = contacts.find((contact) => contact.isActive === 1 && contact.companyID !== first.companyID) as Record<string, unknown>;
    const id = (
      await t.api.post("Tickets", { companyID: first.companyID, contactID: first.id, title: "Moving", status: 1, priority: 2 })
    ).json.itemId as number;
    const moveOnly = await t.api.patch("Tickets", { id, companyID: other.companyID });
    expect(moveOnly.json.errors).toEqual([`The contactID [${first.id}] does not belong to the companyID [${other.companyID}].`]);
    expect((await t.api.patch("Tickets", { id, companyID: other.companyID, contactID: other.id })).status).toBe(200);
    expect((await t.api.patch("Tickets", { id, companyID: first.companyID, contactID: null })).status).toBe(200);
    expect(t.sandbox.store.getTicket(id)).toMatchObject({ companyID: first.companyID, contactID: null });
  });

  it("refuses a null comparison value (null booleans are an error in Autotask, S5) and keeps exist/notExist", async () => {
    const isNull = await t.api.post("Tickets/query", { filter: [{ op: "eq", field: "isVisibleToComanaged", value: null }] });
    expect(isNull.status).toBe(500);
    expect(isNull.json.errors).toEqual([NULL_VALUE("isVisibleToComanaged")]);
    expect((await t.api.post("Tickets/query", { filter: [{ op: "eq", field: "contactID", value: null }] })).status).toBe(500);
    const missing = await t.api.count("Tickets", [{ op: "notExist", field: "contactID" }]);
    expect(missing).toBe(t.sandbox.store.tickets().filter((ticket) => ticket.contactID === null).length);
  });

  it("serves Version and VersionInformation without credentials, as ApiVersionResultModel", async () => {
    const version = await t.api.get("Version", { anonymous: true });
    expect([version.status, version.json]).toEqual([200, { apiVersions: ["1.0"] }]);
    const information = await t.api.get(t.sandbox.url.replace(/\/$/, "/VersionInformation"), { anonymous: true });
    expect(information.json).toEqual({ apiVersions: ["1.0"] });
  });

  it("serves EntityInformation (GlobalEntityInformationResultModel), Modules, Authenticate and ThresholdInformation", async () => {
    const all = await t.api.get("EntityInformation");
    expect(all.status).toBe(200);
    const names = (all.json.entityDescriptions as { info: { name: string } }[]).map((entry) => entry.info.name);
    expect(names).toEqual(expect.arrayContaining(["Tickets", "TicketNotes", "Contacts", "ServiceLevelAgreementResults"]));
    expect((await t.api.get("Modules")).json).toEqual({ modules: [] });
    expect((await t.api.get("Authenticate")).status).toBe(200);
    expect((await t.api.get("Authenticate", { anonymous: true })).json.errors).toEqual(["Zone information could not be determined"]);
    const threshold = await t.api.get("ThresholdInformation");
    expect(Object.keys(threshold.json).sort()).toEqual(["currentTimeframeRequestCount", "externalRequestThreshold", "requestThresholdTimeframe"]);
  });

  it("says which Autotask entities it does not simulate, and keeps Autotask's 404 for what does not exist", async () => {
    for (const [path, entity] of [
      ["Projects/query", "Projects"],
      ["TimeEntries/12", "TimeEntries"],
      ["contracts/query/count", "Contracts"],
      ["Tickets/100001/ChecklistItems", "TicketChecklistItems"],
      ["Companies/0/Locations", "CompanyLocations"],
    ] as const) {
      const response = await t.api.post(path, { filter: [{ op: "exist", field: "id" }] });
      expect(response.status, path).toBe(501);
      expect(response.json.errors[0]).toContain(`does not simulate the ${entity} entity`);
      expect(response.json.errors[0]).not.toContain("No HTTP resource was found");
    }
    const unknown = await t.api.get("NoSuchThings/query");
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors[0]).toMatch(/^No HTTP resource was found that matches the request URI/);
    // SLA definitions have no REST root in Autotask (404, autotask-api.md §9, S31).
    expect((await t.api.get("ServiceLevelAgreements/query")).status).toBe(404);
    // Notes are still created only through the ticket (POST /TicketNotes is a 404, S30/S31).
    expect((await t.api.post("TicketNotes", { description: "x" })).status).toBe(404);
  });

  it("queries Contacts by firstName, lastName, emailAddress, companyID and isActive, and counts tickets", async () => {
    const contacts = t.sandbox.store.contacts();
    const someone = contacts.find((contact) => contact.isActive === 1) as Record<string, unknown>;
    const found = await t.api.query("Contacts", [
      { op: "eq", field: "firstName", value: String(someone.firstName).toUpperCase() },
      { op: "eq", field: "lastName", value: someone.lastName },
      { op: "eq", field: "companyID", value: someone.companyID },
      { op: "eq", field: "isActive", value: 1 },
    ]);
    expect(found.map((contact) => contact.id)).toContain(someone.id);
    const byEmail = await t.api.query("Contacts", [{ op: "beginsWith", field: "emailAddress", value: String(someone.emailAddress).split("@")[0] }]);
    expect(byEmail.map((contact) => contact.id)).toContain(someone.id);
    const inactive = await t.api.count("Contacts", [{ op: "eq", field: "isActive", value: 0 }]);
    expect(inactive).toBe(contacts.filter((contact) => contact.isActive === 0).length);
    const open = await t.api.count("Tickets", [{ op: "noteq", field: "status", value: 5 }]);
    expect(open).toBe(t.sandbox.store.tickets().filter((ticket) => ticket.status !== 5).length);
  });
});

describe("ServiceLevelAgreementResults (Swagger ServiceLevelAgreementResultsModel)", () => {
  const t = setup("default", 300);

  it("holds one row per ticket under an SLA, consistent with the ticket's own SLA fields", async () => {
    const tickets = t.sandbox.store.tickets();
    const withSla = tickets.filter((ticket) => ticket.serviceLevelAgreementID !== null);
    expect(withSla.length).toBeGreaterThan(0);
    expect(withSla.length).toBeLessThan(tickets.length);
    expect(await t.api.count("ServiceLevelAgreementResults", [{ op: "exist", field: "id" }])).toBe(withSla.length);
    const resolved = withSla.find((ticket) => ticket.resolvedDateTime !== null) as Record<string, unknown>;
    const [result] = await t.api.query("ServiceLevelAgreementResults", [{ op: "eq", field: "ticketID", value: resolved.id }]);
    const hours = (from: unknown, to: unknown) => Math.round(((Date.parse(String(to)) - Date.parse(String(from))) / HOUR) * 100) / 100;
    const met = (done: unknown, due: unknown) => Date.parse(String(done)) <= Date.parse(String(due));
    expect(result).toMatchObject({
      ticketID: resolved.id,
      resolutionElapsedHours: hours(resolved.createDate, resolved.resolvedDateTime),
      isResolutionMet: met(resolved.resolvedDateTime, resolved.resolvedDueDateTime),
      firstResponseElapsedHours: hours(resolved.createDate, resolved.firstResponseDateTime),
      isFirstResponseMet: met(resolved.firstResponseDateTime, resolved.firstResponseDueDateTime),
      resolutionResourceID: resolved.completedByResourceID,
    });
    expect(Object.keys(result as object).sort()).toEqual(
      [
        "firstResponseElapsedHours",
        "firstResponseInitiatingResourceID",
        "firstResponseResourceID",
        "id",
        "isFirstResponseMet",
        "isResolutionMet",
        "isResolutionPlanMet",
        "resolutionElapsedHours",
        "resolutionPlanElapsedHours",
        "resolutionPlanResourceID",
        "resolutionResourceID",
        "serviceLevelAgreementName",
        "ticketID",
        "userDefinedFields",
      ].sort(),
    );
    expect(resolved.serviceLevelAgreementHasBeenMet).toBe(result?.isResolutionMet === true && result?.isFirstResponseMet !== false);
    const agreement = await t.api.get(`ServiceLevelAgreements/${resolved.serviceLevelAgreementID}/Results`);
    expect((agreement.json.items as { ticketID: number }[]).map((item) => item.ticketID)).toContain(resolved.id);
  });

  it("sets SLA due dates on create and records met flags when the ticket is resolved", async () => {
    const created = await t.api.post("Tickets", {
      companyID: t.companyId,
      title: "Under SLA",
      status: 1,
      priority: 1, // High in the default profile: 2 h first response, 8 h resolution (the sandbox's SLA table)
      serviceLevelAgreementID: 1,
    });
    const id = created.json.itemId as number;
    expect(t.sandbox.store.getTicket(id)).toMatchObject({
      firstResponseDueDateTime: new Date(NOW.getTime() + 2 * HOUR).toISOString(),
      resolvedDueDateTime: new Date(NOW.getTime() + 8 * HOUR).toISOString(),
      serviceLevelAgreementHasBeenMet: null,
    });
    expect((await t.api.patch("Tickets", { id, status: 5, resolution: "Done" })).status).toBe(200);
    const [result] = await t.api.query("ServiceLevelAgreementResults", [{ op: "eq", field: "ticketID", value: id }]);
    expect(result).toMatchObject({ isResolutionMet: true, resolutionElapsedHours: 0, serviceLevelAgreementName: "Standard SLA" });
    expect(t.sandbox.store.getTicket(id)?.serviceLevelAgreementHasBeenMet).toBe(true);
  });
});

describe("the generated desk at its now", () => {
  for (const profile of ["default", "real-tenant"]) {
    it(`${profile}: 10-25% of open tickets past due, sub-issues under their active issue type, contacts per company`, async () => {
      const sandbox = await startSandbox({ profile, tickets: 2000, seed: 20261127, now: () => NOW });
      try {
        const { store } = sandbox;
        const complete = store.profile.completeStatus;
        const open = store.tickets().filter((ticket) => ticket.status !== complete);
        const breached = open.filter((ticket) => Date.parse(String(ticket.dueDateTime)) < NOW.getTime());
        const share = breached.length / open.length;
        expect(share).toBeGreaterThanOrEqual(0.1);
        expect(share).toBeLessThanOrEqual(0.25);
        // An SLA ticket's due date is its SLA resolution target.
        for (const ticket of open.filter((row) => row.serviceLevelAgreementID !== null)) {
          expect(ticket.dueDateTime).toBe(ticket.resolvedDueDateTime);
        }
        for (const ticket of store.tickets().filter((row) => row.subIssueType !== null)) {
          const sub = store.profile.find("Tickets", "subIssueType", ticket.subIssueType as number);
          expect(sub?.parentValue).toBe(String(ticket.issueType));
          expect(store.profile.find("Tickets", "issueType", ticket.issueType as number)?.isActive).toBe(true);
        }
        const customers = store.companies().filter((company) => company.companyType === 1 && company.id !== 0);
        for (const company of customers) {
          expect(store.contacts().some((contact) => contact.companyID === company.id && contact.isActive === 1)).toBe(true);
        }
      } finally {
        await sandbox.close();
      }
    });
  }

  it("gives printer tickets a printing sub-issue type on the default profile", async () => {
    const sandbox = await startSandbox({ tickets: 600, seed: 4, now: () => NOW });
    try {
      const printers = sandbox.store.tickets().filter((ticket) => /^Printer on .* floor offline$/.test(String(ticket.title)));
      expect(printers.length).toBeGreaterThan(0);
      const labels = new Set(printers.map((ticket) => sandbox.store.profile.find("Tickets", "subIssueType", ticket.subIssueType as number)?.label));
      expect([...labels]).toEqual(["Printer Offline"]);
    } finally {
      await sandbox.close();
    }
  });
});
