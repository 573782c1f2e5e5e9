/**
 * Values checked before they reach Autotask, and answers that tell a model what to do next: the real
 * server through an MCP Client against the sandbox (default profile: UDFs "Customer Reference" text 100,
 * "Affected Users" picklist, "Agreed Start Date" datetime, as in the captured tenant).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, textOf } from "./support/harness.js";
import { listedIds } from "./support/rows.js";

type Structured = Record<string, any>;

describe("values reaching Autotask, and hints", () => {
  let h: Harness;
  let companyId: number;

  beforeAll(async () => {
    h = await startHarness({ profile: "default", tickets: 60 });
    const companies = await h.call("autotask_search_companies", { name: "a", limit: 5 });
    companyId = listedIds(textOf(companies)).find((id) => id !== 0) as number;
  });
  afterAll(async () => h?.close());

  async function createTicket(extra: Record<string, unknown> = {}): Promise<Structured> {
    const result = await h.call("autotask_create_ticket", { companyID: companyId, title: `Values ${Math.random().toString(36).slice(2)}`, ...extra });
    expect(result.isError, textOf(result)).toBeFalsy();
    return (result.structuredContent as Structured).ticket;
  }

  it("refuses a UDF value that is not a date before sending, and stores numbers for text UDFs as strings", async () => {
    const before = h.api.requestCount;
    const bad = await h.call("autotask_create_ticket", { companyID: companyId, title: "UDF", userDefinedFields: { "Agreed Start Date": "not a date" } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/User-defined field "Agreed Start Date" was the text "not a date"; pass an ISO 8601 date/);
    const ticket = await createTicket({ userDefinedFields: { "Customer Reference": 123, "Agreed Start Date": "2026-12-01T09:00:00Z" } });
    const stored = h.sandbox.store.getTicket(ticket.id)?.userDefinedFields as Array<{ name: string; value: unknown }>;
    expect(stored.find((u) => u.name === "Customer Reference")?.value).toBe("123");
    expect(stored.find((u) => u.name === "Agreed Start Date")?.value).toBe("2026-12-01T09:00:00.000Z");
    expect(h.api.requestCount).toBeGreaterThan(before);
  });

  it("refuses a twenty-digit company id instead of searching for 1e+23", async () => {
    const result = await h.call("autotask_search_tickets", { companyID: "99999999999999999999999" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/companyID "99999999999999999999999" is not an Autotask id: ids are whole numbers from 0 to 2,147,483,647/);
    const ticket = await h.call("autotask_get_ticket_details", { ticketID: "99999999999999999999" });
    expect(ticket.isError).toBe(true);
    expect(textOf(ticket)).toMatch(/ticketID "99999999999999999999" is not an Autotask id/);
  });

  it("says which ticket a reused note idempotencyKey belongs to", async () => {
    const first = await createTicket();
    const second = await createTicket();
    const key = `note-key-${Math.random().toString(36).slice(2)}`;
    const note = await h.call("autotask_create_ticket_note", { ticketID: first.id, description: "First.", idempotencyKey: key });
    expect(note.isError, textOf(note)).toBeFalsy();
    const noteId = h.sandbox.store.notesFor(first.id).find((n: Structured) => n.description === "First.")?.id;
    expect(noteId).toBeDefined();
    const reused = await h.call("autotask_create_ticket_note", { ticketID: second.id, description: "Second.", idempotencyKey: key });
    expect(reused.isError).toBe(true);
    expect(textOf(reused)).toContain(`note ${noteId} on ticket ${first.id}`);
    expect(textOf(reused)).not.toContain(`on ticket ${second.id}`);
  });

  it("points 'unassigned' as a technician to unassigned: true", async () => {
    for (const word of ["unassigned", "nobody", "none"]) {
      const result = await h.call("autotask_search_tickets", { assignedResourceID: word });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/names no technician\. For tickets nobody is assigned to, pass unassigned: true/);
    }
  });

  it("points a ticket id given as searchTerm to autotask_get_ticket_details", async () => {
    const result = await h.call("autotask_search_tickets", { searchTerm: "101488" });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toMatch(/A ticket id goes to autotask_get_ticket_details \(ticketID: 101488\); ticket numbers look like T20261130\.0001/);
  });

  it("takes 'closed' for the complete state, and explains 'other' with the valid names", async () => {
    const ticket = await createTicket();
    const closed = await h.call("autotask_update_ticket", { ticketID: ticket.id, status: "closed", resolution: "Fixed." });
    expect(closed.isError, textOf(closed)).toBeFalsy();
    expect(h.sandbox.store.getTicket(ticket.id)?.status).toBe(5);
    const other = await h.call("autotask_update_ticket", { ticketID: ticket.id, status: "other" });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toMatch(/names no single status/);
    expect(textOf(other)).toMatch(/new, in_progress, waiting_customer, waiting_materials, escalated, complete/);
    const search = await h.call("autotask_search_tickets", { status: "closed", pageSize: 5 });
    expect(search.isError, textOf(search)).toBeFalsy();
    const unknown = await h.call("autotask_update_ticket", { ticketID: ticket.id, status: "shelved" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/Semantic names also work: new, in_progress/);
  });

  it("says what was wrong in words: a blank text, an id past 2^53 as given (not rounded), an hour 25 in every date argument", async () => {
    const ticket = await createTicket();
    const blank = await h.call("autotask_update_ticket", { ticketID: ticket.id, status: "escalated", escalationReason: "   " });
    expect(textOf(blank)).toMatch(/escalationReason must not be empty or blank/);
    const huge = await h.call("autotask_get_ticket_details", { ticketID: "9007199254740993" });
    expect(huge.isError).toBe(true);
    expect(textOf(huge)).toContain('"9007199254740993"');
    expect(textOf(huge)).not.toContain("9007199254740992");
    for (const [tool, args] of [
      ["autotask_ticket_metrics", { createdAfter: "2026-11-30T25:00" }],
      ["autotask_search_tickets", { createdAfter: "2026-11-30T25:00" }],
      ["autotask_update_ticket", { ticketID: ticket.id, userDefinedFields: { "Agreed Start Date": "2026-12-31T25:00" } }],
    ] as const) {
      const result = await h.call(tool, args);
      expect(result.isError, `${tool} ${textOf(result)}`).toBe(true);
      expect(textOf(result), tool).toMatch(/ISO 8601/);
    }
  });
});
