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
