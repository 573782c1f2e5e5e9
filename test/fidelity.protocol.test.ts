/**
 * Tenant fidelity (issue 11), server side: dependent picklists, one due date per SLA event, the
 * desk's time zone, moving a ticket to another company, and errors that say what to pass instead.
 * Expected values come from Autotask's behaviour as recorded in /work/shared/reference (cited per test)
 * and the captured real-tenant metadata the `real-tenant` sandbox profile is built from.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCalendar } from "../src/domain/calendar.js";
import { transitionTable } from "../src/domain/workflow.js";
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

// Autotask's SLA fields are read-only and set by the ticket's SLA (reference "SLA fields on Tickets"); the
// sandbox puts them on about half of its tickets, always agreeing with each other.
describe.each(["default", "real-tenant"])("one due time per SLA event on the %s profile", (profile) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ profile, settings: { calendar: parseCalendar({ timeZone: "Europe/Berlin" }) } });
  });
  afterAll(async () => h?.close());

  it("takes Autotask's SLA due times as the truth when the ticket has them, and its dueDateTime otherwise", async () => {
    const tickets = h.sandbox.store.tickets() as Structured[];
    const withSla = tickets.find((t) => t.serviceLevelAgreementID && t.resolvedDueDateTime && t.firstResponseDueDateTime && !t.completedDate) as Structured;
    const withoutSla = tickets.find((t) => !t.serviceLevelAgreementID && t.dueDateTime && !t.completedDate) as Structured;
    const a = (await h.call("autotask_get_ticket_details", { ticketID: withSla.id })).structuredContent as Structured;
    // Shown to the second, in the desk's zone.
    const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    expect(sec(a.sla.resolutionDue)).toBe(sec(withSla.resolvedDueDateTime));
    expect(sec(a.sla.responseDue)).toBe(sec(withSla.firstResponseDueDateTime));
    expect(a.sla).toMatchObject({ resolutionSource: "autotask_sla", responseSource: "autotask_sla" });
    const b = (await h.call("autotask_get_ticket_details", { ticketID: withoutSla.id })).structuredContent as Structured;
    expect(sec(b.sla.resolutionDue)).toBe(sec(withoutSla.dueDateTime));
    expect(b.sla.resolutionSource).toBe("ticket_due_date");
    // A due date in the past is breached, whatever a business-hours computation would say.
    if (Date.parse(withoutSla.dueDateTime) < Date.now()) expect(b.sla.state).toBe("breached");
  });

  it("shows every timestamp of an answer in the desk's zone with its offset, and one due per event in the text", async () => {
    const ticket = (h.sandbox.store.tickets() as Structured[]).find((t) => t.serviceLevelAgreementID && !t.completedDate) as Structured;
    const result = await h.call("autotask_get_ticket_details", { ticketID: ticket.id });
    const structured = result.structuredContent as Structured;
    const offset = /[+-]0[12]:00$/; // Europe/Berlin: +01:00 in winter, +02:00 in summer
    for (const value of [structured.ticket.createDate, structured.ticket.lastActivityDate, structured.sla.resolutionDue, structured.sla.responseDue]) {
      if (value !== undefined) expect(value).toMatch(offset);
    }
    for (const note of structured.notes ?? []) expect(note.createDateTime).toMatch(offset);
    const text = textOf(result);
    expect(text).not.toMatch(/\d{2}:\d{2}Z\b/);
    expect(text).toMatch(/Due: first response .* \(Autotask SLA, .*\) · resolution .* \(Autotask SLA, /);
  });

  it("shows a waiting ticket's clock as paused, in search rows too (paused = a status mapped to waiting)", async () => {
    const waiting = (h.sandbox.store.tickets() as Structured[]).find((t) => t.status === 7) as Structured;
    const details = (await h.call("autotask_get_ticket_details", { ticketID: waiting.id })).structuredContent as Structured;
    expect(details.sla.clock).toBe("paused");
    const search = await h.call("autotask_search_tickets", { status: "Waiting Customer", pageSize: 5 });
    // Rows are text (one line per ticket); every row with an SLA state shows its clock as paused.
    const rows = textOf(search)
      .split("\n")
      .filter((line) => /^\d+ T/.test(line));
    expect(rows.length).toBeGreaterThan(0);
    const withState = rows.filter((row) => /\| (on_track|at_risk|breached|met)\b/.test(row));
    expect(withState.length).toBeGreaterThan(0);
    for (const row of withState) expect(row).toMatch(/\| (on_track|at_risk|breached|met), paused \|/);
  });

  it("reads date-only bounds as midnight in the desk's zone and refuses a reversed range", async () => {
    const seen: unknown[] = [];
    const original = h.api.queryTicketsPage.bind(h.api);
    h.api.queryTicketsPage = (spec, next, options) => {
      seen.push(spec.filter);
      return original(spec, next, options);
    };
    try {
      const ok = await h.call("autotask_search_tickets", { createdAfter: "2026-07-10", createdBefore: "2026-07-11" });
      expect(ok.isError, textOf(ok)).toBeFalsy();
      // 2026-07-10 00:00 in Berlin (CEST, UTC+2) is 2026-07-09 22:00 UTC.
      expect(JSON.stringify(seen)).toContain('"field":"createDate","value":"2026-07-09T22:00:00.000Z"');
      const reversed = await h.call("autotask_search_tickets", { createdAfter: "2026-07-11", createdBefore: "2026-07-10" });
      expect(reversed.isError).toBe(true);
      expect(textOf(reversed)).toMatch(/createdAfter \(2026-07-11\) is not before createdBefore \(2026-07-10\)/);
    } finally {
      h.api.queryTicketsPage = original;
    }
  });

  it("accepts a due date in the past with a warning", async () => {
    const company = (h.sandbox.store.companies() as Structured[]).find((c) => c.id !== 0) as Structured;
    const result = await h.call("autotask_create_ticket", { companyID: company.id, title: "Backdated", priority: "Low", dueDateTime: "2020-01-01" });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toMatch(/dueDateTime 2020-01-01T00:00:00\+01:00 is in the past/);
    expect(h.sandbox.store.getTicket((result.structuredContent as Structured).ticket.id)?.dueDateTime).toBe("2019-12-31T23:00:00.000Z");
  });
});

describe("a due date on every create (real tenants refuse a create without dueDateTime: reference §12, WYRE-AI/autotask-mcp#288)", () => {
  it("uses AUTOTASK_SLA_TARGETS by priority label and says which target it used", async () => {
    const h = await startHarness({ profile: "real-tenant", settings: { slaTargets: { Urgent: { resolutionHours: 2 } } }, now: () => new Date("2026-11-30T09:00:00Z") });
    try {
      const company = (h.sandbox.store.companies() as Structured[]).find((c) => c.id !== 0) as Structured;
      const result = await h.call("autotask_create_ticket", { companyID: company.id, title: "Core switch down", priority: "Urgent" });
      expect(result.isError, textOf(result)).toBeFalsy();
      const structured = result.structuredContent as Structured;
      // Monday 09:00 UTC + 2 business hours (08:00-17:00 UTC calendar) = 11:00 UTC.
      expect(h.sandbox.store.getTicket(structured.ticket.id)?.dueDateTime).toBe("2026-11-30T11:00:00.000Z");
      expect(structured.dueDateRule).toMatch(/2 business hours from now, the resolution target AUTOTASK_SLA_TARGETS\["Urgent"\]/);
    } finally {
      await h.close();
    }
  });

  it("still sends a due date for a tenant's own priority label, from the stated fallback", async () => {
    const profile = JSON.parse(readFileSync(new URL("../fixtures/profiles/real-tenant.json", import.meta.url), "utf8"));
    profile.picklists.Tickets.priority.push({ value: "7", label: "P1 - Site Down", isDefaultValue: false, sortOrder: 6, parentValue: "", isActive: true, isSystem: false });
    const dir = mkdtempSync(join(tmpdir(), "fidelity-"));
    const file = join(dir, "custom-priority.json");
    writeFileSync(file, JSON.stringify(profile));
    const h = await startHarness({ profile: file });
    try {
      const company = (h.sandbox.store.companies() as Structured[]).find((c) => c.id !== 0) as Structured;
      const result = await h.call("autotask_create_ticket", { companyID: company.id, title: "Site down", priority: "P1 - Site Down" });
      expect(result.isError, textOf(result)).toBeFalsy();
      const structured = result.structuredContent as Structured;
      expect(h.sandbox.store.getTicket(structured.ticket.id)?.dueDateTime).toBeTruthy();
      expect(structured.warnings.join(" ")).toMatch(/Priority P1 - Site Down has no SLA target, so the due date comes from the fallback: the built-in medium resolution target/);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("resources and roles", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ profile: "real-tenant" });
  });
  afterAll(async () => h?.close());

  it("says an unknown resource id does not exist", async () => {
    const company = (h.sandbox.store.companies() as Structured[]).find((c) => c.id !== 0) as Structured;
    const result = await h.call("autotask_create_ticket", { companyID: company.id, title: "Assign to ghost", priority: "Low", assignedResourceID: 42 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Resource 42 does not exist/);
    expect(textOf(result)).not.toMatch(/service-desk roles/);
  });

  it("names service-desk roles instead of showing their ids", async () => {
    const pair = (h.sandbox.store.resourceServiceDeskRoles() as Structured[]).find((r) => r.isDefault) as Structured;
    const role = (h.sandbox.store as any).all("Roles").find((r: Structured) => r.id === pair.roleID) as Structured;
    const company = (h.sandbox.store.companies() as Structured[]).find((c) => c.id !== 0) as Structured;
    const result = await h.call("autotask_create_ticket", { companyID: company.id, title: "Assigned", priority: "Low", assignedResourceID: pair.resourceID });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toContain(`as ${role.name} (${role.id})`);
    expect(textOf(result)).not.toMatch(/role \d{6,}/);
  });
});

describe("escalation and a configured workflow", () => {
  it("says exactly what happened when an escalated ticket is escalated again with a new reason", async () => {
    const h = await startHarness({ profile: "real-tenant" });
    try {
      const company = (h.sandbox.store.companies() as Structured[]).find((c) => c.id !== 0) as Structured;
      const created = (await h.call("autotask_create_ticket", { companyID: company.id, title: "Outage", priority: "High" })).structuredContent as Structured;
      const first = await h.call("autotask_update_ticket", { ticketID: created.ticket.id, status: "Escalated", escalationReason: "Needs network team." });
      expect(first.isError, textOf(first)).toBeFalsy();
      const again = await h.call("autotask_update_ticket", { ticketID: created.ticket.id, status: "Escalated", escalationReason: "Now affects every site." });
      expect(again.isError, textOf(again)).toBeFalsy();
      const text = textOf(again);
      expect(text).toMatch(/The ticket was already Escalated, so its status is unchanged; the new escalation reason was saved as internal note \d+/);
      expect(text).not.toMatch(/every field given already had that value/);
      expect(h.sandbox.store.notesFor(created.ticket.id).some((n: Structured) => n.description === "Now affects every site.")).toBe(true);
    } finally {
      await h.close();
    }
  });

  it("follows a per-tenant transition table (AUTOTASK_WORKFLOW) in refusals and allowed next statuses", async () => {
    const h = await startHarness({ settings: { workflow: transitionTable({ NEW: ["IN_PROGRESS"] }) } });
    try {
      const company = (h.sandbox.store.companies() as Structured[]).find((c) => c.id !== 0) as Structured;
      const created = (await h.call("autotask_create_ticket", { companyID: company.id, title: "Strict desk", priority: "Low" })).structuredContent as Structured;
      const refused = await h.call("autotask_update_ticket", { ticketID: created.ticket.id, status: "Waiting Customer" });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/The workflow does not allow New → Waiting Customer; allowed from New: In Progress\./);
      const details = (await h.call("autotask_get_ticket_details", { ticketID: created.ticket.id })).structuredContent as Structured;
      expect((details.allowedNextStatuses as Structured[]).map((s) => s.label)).toEqual(["In Progress"]);
    } finally {
      await h.close();
    }
  });
});
