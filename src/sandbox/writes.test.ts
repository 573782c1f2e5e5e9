import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "./index.js";
import { type SandboxClient, sandboxClient } from "./test-client.js";

let clock = new Date("2026-11-27T09:30:00Z");
const advance = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};

function setup(profile: string) {
  const context = {} as { sandbox: SandboxHandle; api: SandboxClient; companyId: number; contactId: number; otherContactId: number };
  beforeAll(async () => {
    context.sandbox = await startSandbox({ profile, tickets: 60, seed: 3, now: () => clock });
    context.api = sandboxClient(context.sandbox);
    const contacts = context.sandbox.store.contacts();
    const contact = contacts[0] as Record<string, unknown>;
    context.companyId = contact.companyID as number;
    context.contactId = contact.id as number;
    context.otherContactId = contacts.find((other) => other.companyID !== contact.companyID)?.id as number;
  });
  afterAll(() => context.sandbox.close());
  return context;
}

/**
 * `status` and `priority` are isRequired in the live metadata (autotask-api.md §6) and every documented
 * successful create sends both (official Postman sample; S32 #31), so tests send them.
 */
const REQUIRED = { status: 1, priority: 2 } as const;

describe("ticket writes (default profile)", () => {
  const t = setup("default");
  const pair = () => t.sandbox.store.resourceServiceDeskRoles().find((p) => p.isActive === true) as Record<string, number>;

  it("creates a ticket, fills defaults and system fields, and answers {itemId}", async () => {
    const created = await t.api.post("Tickets", {
      companyID: t.companyId,
      contactID: t.contactId,
      Status: 1,
      priority: 2,
      Title: "Printer jammed",
      QueueID: 29682833,
      createDate: "2001-01-01T00:00:00Z",
      id: 5,
      favouriteColour: "blue",
    });
    expect(created.status).toBe(200);
    const ticket = t.sandbox.store.getTicket(created.json.itemId) as Record<string, unknown>;
    expect(ticket).toMatchObject({
      title: "Printer jammed",
      queueID: 29682833,
      status: 1,
      priority: 2,
      ticketCategory: 3,
      createDate: clock.toISOString(),
      lastActivityDate: clock.toISOString(),
      creatorResourceID: t.sandbox.store.apiUserResourceId,
      completedDate: null,
      firstResponseDateTime: null,
    });
    expect(ticket.ticketNumber).toMatch(/^T20261127\.\d{4}$/);
    expect(ticket).not.toHaveProperty("favouriteColour");
    expect(created.json.itemId).toBeGreaterThan(100000);

    const second = await t.api.post("Tickets", { companyID: t.companyId, title: "Second", ...REQUIRED });
    const number = (id: number) => Number(String(t.sandbox.store.getTicket(id)?.ticketNumber).split(".")[1]);
    expect(number(second.json.itemId)).toBe(number(created.json.itemId) + 1);
  });

  it("reports required fields, lengths, picklists and references in Autotask's words", async () => {
    const empty = await t.api.post("Tickets", {});
    expect(empty.status).toBe(500);
    expect(empty.json.errors).toEqual([
      "Value does not exist for the required field companyID",
      "Value does not exist for the required field priority",
      "Value does not exist for the required field status",
      "Value does not exist for the required field title",
    ]);
    const bad = await t.api.post("Tickets", {
      companyID: 42,
      title: "x".repeat(256),
      priority: 5,
      status: 1,
      queueID: 29683484,
      description: "d".repeat(8001),
    });
    expect(bad.json.errors).toEqual([
      "Value for title exceeds the maximum length of 255 characters (256).",
      "Value for description exceeds the maximum length of 8000 characters (8001).",
      "Picklist value [5] does not exist for priority",
      "Picklist value [29683484] does not exist for queueID",
      "Value does not reference an existing entity for companyID.",
    ]);
    const wrongContact = await t.api.post("Tickets", { companyID: t.companyId, contactID: t.otherContactId, title: "x", ...REQUIRED });
    expect(wrongContact.json.errors).toEqual([
      `The contactID [${t.otherContactId}] does not belong to the companyID [${t.companyId}].`,
    ]);
    const wrongSubIssue = await t.api.post("Tickets", { companyID: t.companyId, title: "x", issueType: 1, subIssueType: 111, ...REQUIRED });
    expect(wrongSubIssue.json.errors).toEqual(["Picklist value [111] does not exist for subIssueType under issueType [1]."]);
    const rightSubIssue = await t.api.post("Tickets", { companyID: t.companyId, title: "x", issueType: 1, subIssueType: 101, ...REQUIRED });
    expect(rightSubIssue.status).toBe(200);
  });

  it("refuses UDF values their definition cannot hold with a 500 naming the field, and stores UDF values as strings", async () => {
    const base = { companyID: t.companyId, title: "UDF values", ...REQUIRED };
    const notADate = await t.api.post("Tickets", { ...base, userDefinedFields: [{ name: "Agreed Start Date", value: "not a date" }] });
    expect(notADate.status).toBe(500);
    expect(notADate.json.errors).toEqual(["Invalid value [not a date] for field Agreed Start Date."]);
    // A date that does not exist is not rolled over into the next month.
    const february30 = await t.api.post("Tickets", { ...base, userDefinedFields: [{ name: "Agreed Start Date", value: "2026-02-30" }] });
    expect(february30.status).toBe(500);
    expect(february30.json.errors).toEqual(["Invalid value [2026-02-30] for field Agreed Start Date."]);
    const dueFebruary30 = await t.api.post("Tickets", { ...base, dueDateTime: "2026-02-30T10:00:00Z" });
    expect(dueFebruary30.status).toBe(500);
    const object = await t.api.post("Tickets", { ...base, userDefinedFields: [{ name: "Customer Reference", value: { a: 1 } }] });
    expect(object.status).toBe(500);
    expect(object.json.errors).toEqual(['Invalid value [{"a":1}] for field Customer Reference.']);

    const good = await t.api.post("Tickets", {
      ...base,
      userDefinedFields: [
        { name: "Customer Reference", value: 123 },
        { name: "Agreed Start Date", value: "2026-12-01T09:00:00+01:00" },
      ],
    });
    expect(good.status).toBe(200);
    const udfs = t.sandbox.store.getTicket(good.json.itemId)?.userDefinedFields as { name: string; value: unknown }[];
    expect(udfs.find((udf) => udf.name === "Customer Reference")?.value).toBe("123");
    expect(udfs.find((udf) => udf.name === "Agreed Start Date")?.value).toBe("2026-12-01T08:00:00.000Z");
  });

  it("refuses out-of-range decimals and integers beyond int32", async () => {
    const base = { companyID: t.companyId, title: "Ranges", ...REQUIRED };
    const hours = await t.api.post("Tickets", { ...base, estimatedHours: 1e300 });
    expect(hours.status).toBe(500);
    expect(hours.json.errors).toEqual(["Invalid value [1e+300] for field estimatedHours."]);
    const company = await t.api.post("Tickets", { ...base, companyID: 99_999_999_999 });
    expect(company.status).toBe(500);
    expect(company.json.errors).toContain("Invalid value [99999999999] for field companyID.");
    const fine = await t.api.post("Tickets", { ...base, estimatedHours: 12.5 });
    expect(fine.status).toBe(200);
    expect(t.sandbox.store.getTicket(fine.json.itemId)?.estimatedHours).toBe(12.5);
  });

  it("requires resource and role together, as a defined service-desk pair", async () => {
    const { resourceID, roleID } = pair();
    const base = { companyID: t.companyId, title: "Assign me", ...REQUIRED };
    expect((await t.api.post("Tickets", { ...base, assignedResourceID: resourceID })).json.errors).toEqual([
      "When assigning a Resource, you must assign both a assignedResourceID and assignedResourceRoleID.",
    ]);
    const undefinedRole = t.sandbox.store.roles().find(
      (role) => !t.sandbox.store.resourceServiceDeskRoles().some((p) => p.resourceID === resourceID && p.roleID === role.id),
    )?.id;
    expect((await t.api.post("Tickets", { ...base, assignedResourceID: resourceID, assignedResourceRoleID: undefinedRole })).json.errors).toEqual([
      "The specified AssignedResourceID and AssignedRoleID combination is not currently defined",
    ]);
    const inactivePair = t.sandbox.store.resourceServiceDeskRoles().find((p) => p.isActive === false) as Record<string, number>;
    expect(
      (await t.api.post("Tickets", { ...base, assignedResourceID: inactivePair.resourceID, assignedResourceRoleID: inactivePair.roleID })).status,
    ).toBe(500);
    const ok = await t.api.post("Tickets", { ...base, assignedResourceID: resourceID, assignedResourceRoleID: roleID });
    expect(ok.status).toBe(200);
    expect(t.sandbox.store.getTicket(ok.json.itemId)?.assignedResourceID).toBe(resourceID);
  });

  it("patches only the given fields; completion and first response are maintained", async () => {
    const id = (await t.api.post("Tickets", { companyID: t.companyId, title: "Lifecycle", description: "keep me", ...REQUIRED })).json.itemId;
    advance(30);
    expect((await t.api.patch("Tickets", { id, status: 8 })).json).toEqual({ itemId: id });
    let ticket = t.sandbox.store.getTicket(id) as Record<string, unknown>;
    expect(ticket).toMatchObject({ status: 8, description: "keep me", firstResponseDateTime: clock.toISOString() });
    const firstResponse = ticket.firstResponseDateTime;
    advance(60);
    await t.api.patch("Tickets", { id, status: 5, resolution: "Fixed" });
    ticket = t.sandbox.store.getTicket(id) as Record<string, unknown>;
    expect(ticket).toMatchObject({
      status: 5,
      completedDate: clock.toISOString(),
      completedByResourceID: t.sandbox.store.apiUserResourceId,
      lastActivityDate: clock.toISOString(),
      firstResponseDateTime: firstResponse,
    });
    await t.api.patch("Tickets", { id, status: 8 });
    expect(t.sandbox.store.getTicket(id)).toMatchObject({ completedDate: null, completedByResourceID: null });

    expect((await t.api.patch("Tickets", { status: 8 })).json.errors).toEqual(["Value does not exist for the required field id"]);
    expect((await t.api.patch("Tickets", { id: 1, status: 8 })).status).toBe(500);
    const put = await t.api.put("Tickets", { id, companyID: t.companyId, title: "Replaced" });
    expect(put.json.errors).toEqual([
      "Value does not exist for the required field priority",
      "Value does not exist for the required field status",
    ]);
  });

  it("creates and updates notes through the ticket; notes bump activity and may be the first response", async () => {
    const id = (await t.api.post("Tickets", { companyID: t.companyId, title: "Notes", ...REQUIRED })).json.itemId;
    advance(5);
    const internal = await t.api.post(`Tickets/${id}/Notes`, { Description: "internal", NoteType: 3, Publish: 2 });
    expect(internal.status).toBe(200);
    expect(t.sandbox.store.getTicket(id)).toMatchObject({ lastActivityDate: clock.toISOString(), firstResponseDateTime: null });
    advance(5);
    const visible = await t.api.post(`Tickets/${id}/Notes`, { ticketID: id, title: "Hello", description: "to all", noteType: 1, publish: 1 });
    expect(t.sandbox.store.getTicket(id)?.firstResponseDateTime).toBe(clock.toISOString());
    expect(t.sandbox.store.getNote(visible.json.itemId)).toMatchObject({
      ticketID: id,
      createDateTime: clock.toISOString(),
      creatorResourceID: t.sandbox.store.apiUserResourceId,
    });
    const invalid = await t.api.post(`Tickets/${id}/Notes`, { title: "t".repeat(251), noteType: 4 });
    expect(invalid.json.errors).toEqual([
      "Value for title exceeds the maximum length of 250 characters (251).",
      "Value does not exist for the required field description",
      "Value does not exist for the required field publish",
      "Picklist value [4] does not exist for noteType",
    ]);
    const patched = await t.api.patch(`Tickets/${id}/Notes`, { id: internal.json.itemId, description: "edited" });
    expect(patched.json).toEqual({ itemId: internal.json.itemId });
    expect(t.sandbox.store.getNote(internal.json.itemId)?.description).toBe("edited");
    expect((await t.api.post("Tickets/1/Notes", { description: "x", noteType: 1, publish: 1 })).status).toBe(500);
  });

  it("attributes writes to an impersonated resource", async () => {
    const resource = t.sandbox.store.resources().find((r) => r.isActive === true) as Record<string, unknown>;
    const created = await t.api.post(
      "Tickets",
      { companyID: t.companyId, title: "On behalf", ...REQUIRED },
      { headers: { ImpersonationResourceId: String(resource.id) } },
    );
    expect(t.sandbox.store.getTicket(created.json.itemId)).toMatchObject({
      creatorResourceID: resource.id,
      impersonatorCreatorResourceID: t.sandbox.store.apiUserResourceId,
    });
  });
});

describe("ticket writes (real-tenant profile)", () => {
  const t = setup("real-tenant");

  it("has no default priority, no priority 4 and refuses inactive statuses", async () => {
    const base = { companyID: t.companyId, title: "Real tenant", status: 1, dueDateTime: "2026-12-01T17:00:00Z" };
    expect((await t.api.post("Tickets", base)).json.errors).toEqual(["Value does not exist for the required field priority"]);
    expect((await t.api.post("Tickets", { ...base, priority: 4 })).json.errors).toEqual([
      "Picklist value [4] does not exist for priority",
    ]);
    expect((await t.api.post("Tickets", { ...base, priority: 5, status: 9 })).json.errors).toEqual([
      "Picklist value [9] does not exist for status",
    ]);
    const created = await t.api.post("Tickets", { ...base, priority: 5, status: 5 });
    expect(created.status).toBe(200);
    expect(t.sandbox.store.getTicket(created.json.itemId)).toMatchObject({ priority: 5, status: 5, completedDate: clock.toISOString() });
  });

  it("validates user-defined field picklists", async () => {
    const base = { companyID: t.companyId, title: "UDF", priority: 2, status: 1, dueDateTime: "2026-12-01T17:00:00Z" };
    const bad = await t.api.post("Tickets", { ...base, userDefinedFields: [{ name: "FR Result", value: "Maybe" }] });
    expect(bad.json.errors).toEqual(["Picklist value [Maybe] does not exist for FR Result"]);
    const good = await t.api.post("Tickets", { ...base, userDefinedFields: [{ name: "fr result", value: "Escalated" }] });
    const udfs = t.sandbox.store.getTicket(good.json.itemId)?.userDefinedFields as { name: string; value: unknown }[];
    expect(udfs.find((udf) => udf.name === "FR Result")?.value).toBe("Escalated");
  });
});
