/**
 * Tenant fidelity (issue 11), server side: dependent picklists, one due date per SLA event, the
 * desk's time zone, moving a ticket to another company, and errors that say what to pass instead.
 * Expected values come from Autotask's behaviour as recorded in /work/shared/reference (cited per test)
 * and the captured real-tenant metadata the `real-tenant` sandbox profile is built from.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, textOf } from "./support/harness.js";

type Structured = Record<string, any>;

describe("dependent picklists on the real-tenant profile (captured metadata: subIssueType.picklistParentValueField = IssueType)", () => {
  let h: Harness;
  let companyId: number;
  beforeAll(async () => {
    h = await startHarness({ profile: "real-tenant" });
    companyId = (h.sandbox.store.companies().find((c: Structured) => c.id !== 0) as Structured).id;
  });
  afterAll(async () => h?.close());

  it('resolves "Hardware" under the given issue type Laptop (metadata: Hardware 298 has parentValue 45 = Laptop)', async () => {
    const result = await h.call("autotask_create_ticket", {
      companyID: companyId,
      title: "Laptop hinge broken",
      priority: "High",
      issueType: "Laptop",
      subIssueType: "Hardware",
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    const stored = h.sandbox.store.getTicket((result.structuredContent as Structured).ticket.id);
    expect(stored?.issueType).toBe(45);
    expect(stored?.subIssueType).toBe(298);
  });

  it('refuses "Hardware" alone as ambiguous and lists the active issue types it could belong to (never the inactive "Break/Fix: Incident")', async () => {
    const result = await h.call("autotask_create_ticket", { companyID: companyId, title: "Broken thing", priority: "High", subIssueType: "Hardware" });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(/several issueType values/);
    for (const parent of ["Laptop", "Desktop", "Server", "Backup"]) expect(text).toContain(parent);
    expect(text).not.toContain("Break/Fix: Incident");
    expect(h.sandbox.store.tickets().some((t: Structured) => t.title === "Broken thing")).toBe(false);
  });

  it("clears a sub-issue type that no longer fits when only the issue type changes, and says so", async () => {
    const created = (await h.call("autotask_create_ticket", { companyID: companyId, title: "Desk PC", priority: "High", issueType: "Laptop", subIssueType: "Hardware" }))
      .structuredContent as Structured;
    const result = await h.call("autotask_update_ticket", { ticketID: created.ticket.id, issueType: "Printer/Scanner/Fax" });
    expect(result.isError, textOf(result)).toBeFalsy();
    const stored = h.sandbox.store.getTicket(created.ticket.id);
    expect(stored?.issueType).toBe(47);
    expect(stored?.subIssueType ?? null).toBeNull();
    expect(textOf(result)).toMatch(/subIssueType Hardware does not belong under issueType Printer\/Scanner\/Fax, so it was cleared/);
  });

  it("resolves a sub-issue label under the ticket's current issue type on update", async () => {
    const created = (await h.call("autotask_create_ticket", { companyID: companyId, title: "Server disk", priority: "High", issueType: "Server", subIssueType: "Hardware" }))
      .structuredContent as Structured;
    const result = await h.call("autotask_update_ticket", { ticketID: created.ticket.id, subIssueType: "Hardware" });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(h.sandbox.store.getTicket(created.ticket.id)?.subIssueType).toBe(316);
  });
});

describe.each(["default", "real-tenant"])("moving a ticket, workflow labels and argument errors on the %s profile", (profile) => {
  let h: Harness;
  let companies: Structured[];
  beforeAll(async () => {
    h = await startHarness({ profile });
    companies = h.sandbox.store.companies().filter((c: Structured) => c.id !== 0) as Structured[];
  });
  afterAll(async () => h?.close());

  const contactOf = (companyId: number) => (h.sandbox.store as any).contacts().find((c: Structured) => c.companyID === companyId) as Structured;

  async function ticketWithContact() {
    const [from] = companies as [Structured];
    const contact = contactOf(from.id);
    const created = await h.call("autotask_create_ticket", { companyID: from.id, contactID: contact.id, title: "Move me", priority: "Low" });
    expect(created.isError, textOf(created)).toBeFalsy();
    return (created.structuredContent as Structured).ticket.id as number;
  }

  // Reference §12 (msoukhomlinov/n8n-nodes-autotask#15): the old company's contact must be cleared or replaced in the same update.
  it("moves a ticket to another company and clears the old company's contact in the same PATCH", async () => {
    const id = await ticketWithContact();
    const to = companies[1] as Structured;
    const result = await h.call("autotask_update_ticket", { ticketID: id, companyID: to.id });
    expect(result.isError, textOf(result)).toBeFalsy();
    const stored = h.sandbox.store.getTicket(id) as Structured;
    expect(stored.companyID).toBe(to.id);
    expect(stored.contactID ?? null).toBeNull();
    expect(textOf(result)).toMatch(/belongs to the old company, so it was cleared/);
  });

  it("moves a ticket with a contact of the new company", async () => {
    const id = await ticketWithContact();
    const to = companies[2] as Structured;
    const contact = contactOf(to.id);
    const result = await h.call("autotask_update_ticket", { ticketID: id, companyID: to.id, contactID: contact.id });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(h.sandbox.store.getTicket(id)).toMatchObject({ companyID: to.id, contactID: contact.id });
  });

  it("clears a contact with contactID: null", async () => {
    const id = await ticketWithContact();
    const result = await h.call("autotask_update_ticket", { ticketID: id, contactID: null });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect((h.sandbox.store.getTicket(id) as Structured).contactID ?? null).toBeNull();
  });

  it("says what was wrong with a value of the wrong type and what to pass instead", async () => {
    const abc = textOf(await h.call("autotask_get_ticket_details", { ticketID: {} }));
    expect(abc).toMatch(/ticketID was an object; pass the ticket's numeric id: autotask_search_tickets/);
    const size = textOf(await h.call("autotask_search_tickets", { pageSize: "10" }));
    expect(size).toMatch(/pageSize was the text "10"; pass it as a JSON number \(10\)/);
    const nullContact = textOf(await h.call("autotask_create_ticket", { companyID: companies[0]!.id, title: "x", contactID: null }));
    expect(nullContact).toMatch(/contactID was null, which is not accepted here; leave contactID out/);
    const named = textOf(await h.call("autotask_update_ticket", { ticketID: 1, assignedResourceID: "Jane Smith" }));
    expect(named).toMatch(/assignedResourceID was the text "Jane Smith"; pass a numeric resource id: autotask_search_resources/);
    expect([abc, size, nullContact, named].join(" ")).not.toMatch(/is required/);
  });

  it("refuses a forbidden status change in the tenant's labels only, listing the tenant's own statuses too", async () => {
    const [company] = companies as [Structured];
    const created = (await h.call("autotask_create_ticket", { companyID: company.id, title: "Workflow labels", priority: "Low" })).structuredContent as Structured;
    await h.call("autotask_update_ticket", { ticketID: created.ticket.id, status: "Complete", resolution: "Done." });
    const refused = await h.call("autotask_update_ticket", { ticketID: created.ticket.id, status: "Waiting Customer" });
    expect(refused.isError).toBe(true);
    const text = textOf(refused);
    expect(text).toMatch(/from Complete to Waiting Customer/);
    expect(text).not.toMatch(/COMPLETE|WAITING_CUSTOMER|OTHER|→ [A-Z_]{4,}/);
    expect(text).toMatch(/allowed from Complete: In Progress/);
    // New → Waiting Customer is an ordinary desk move (ask the customer for details at triage).
    const fresh = (await h.call("autotask_create_ticket", { companyID: company.id, title: "Need a screenshot", priority: "Low" })).structuredContent as Structured;
    const waiting = await h.call("autotask_update_ticket", { ticketID: fresh.ticket.id, status: "Waiting Customer" });
    expect(waiting.isError, textOf(waiting)).toBeFalsy();
    const details = (await h.call("autotask_get_ticket_details", { ticketID: fresh.ticket.id })).structuredContent as Structured;
    const labels = (details.allowedNextStatuses as Structured[]).map((s) => s.label);
    if (profile === "real-tenant") expect(labels).toEqual(expect.arrayContaining(["In Progress", "Waiting 3rd Party", "Allocated"]));
    expect(labels).not.toContain("Waiting Customer");
  });
});
