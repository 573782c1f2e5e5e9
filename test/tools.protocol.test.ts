/**
 * Protocol tests: the real MCP server driven by the SDK `Client`, over the real Autotask client, against
 * the sandbox on loopback. What the sandbox holds after each call is checked directly.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "../src/server.js";
import { emptyPaths, type Harness, startHarness, textOf } from "./support/harness.js";
import { listedIds, parseTicketPage } from "./support/rows.js";

type Structured = Record<string, any>;

describe.each([
  ["default", "memory"],
  ["real-tenant", "memory"],
  ["default", "http"],
] as const)("ticket tools on the %s tenant profile over the %s transport", (profile, transport) => {
  let h: Harness;
  let companyId: number;
  let resourceId: number;

  beforeAll(async () => {
    h = await startHarness({ profile, transport });
    const companies = await h.call("autotask_search_companies", { name: "a", limit: 5 });
    expect(companies.structuredContent).toBeUndefined();
    companyId = listedIds(textOf(companies)).find((id) => id !== 0) as number;
    const resources = await h.call("autotask_search_resources", { name: "a", limit: 10 });
    expect(resources.structuredContent).toBeUndefined();
    const withDefault = textOf(resources)
      .split("\n")
      .find((line) => /, default\)/.test(line)) as string;
    resourceId = Number(/^(\d+) /.exec(withDefault)?.[1]);
  });
  afterAll(async () => h?.close());

  async function createTicket(extra: Record<string, unknown> = {}) {
    const result = await h.call("autotask_create_ticket", {
      companyID: companyId,
      title: `Mailbox full ${Math.random().toString(36).slice(2)}`,
      priority: "Medium",
      ...extra,
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    return (result.structuredContent as Structured).ticket;
  }

  it("creates a ticket from labels, stores the tenant's ids and sets an SLA due date", async () => {
    const result = await h.call("autotask_create_ticket", {
      companyID: companyId,
      title: "VPN drops every 10 minutes",
      description: "Since Monday the VPN disconnects.",
      priority: "high",
      source: "email",
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    const ticket = (result.structuredContent as Structured).ticket;
    const stored = h.sandbox.store.getTicket(ticket.id);
    const priorities = profile === "default" ? { high: 1 } : { high: 5 };
    expect(stored?.priority).toBe(priorities.high);
    expect(ticket.priority).toEqual({ id: priorities.high, label: "High" });
    expect(stored?.dueDateTime).toBeTruthy();
    expect(ticket.ticketNumber).toMatch(/^T\d{8}\.\d{4}$/);
    expect(textOf(result)).toContain("Status: New");
  });

  it("falls back to the medium priority, and says so, only when the tenant has no default", async () => {
    const result = await h.call("autotask_create_ticket", { companyID: companyId, title: "No priority given" });
    expect(result.isError, textOf(result)).toBeFalsy();
    const structured = result.structuredContent as Structured;
    expect(structured.ticket.priority.label).toBe("Medium");
    const warned = (structured.warnings ?? []).some((w: string) => /no default priority/.test(w));
    expect(warned).toBe(profile === "real-tenant");
  });

  it("does not create a second ticket for an identical call", async () => {
    const args = { companyID: companyId, title: "Duplicate guard check", priority: "Low" };
    const first = (await h.call("autotask_create_ticket", args)).structuredContent as Structured;
    const second = (await h.call("autotask_create_ticket", { ...args })).structuredContent as Structured;
    expect(second.ticket.id).toBe(first.ticket.id);
    expect(second.alreadyExisted).toBe(true);
    const matching = h.sandbox.store.tickets().filter((t: Structured) => t.title === "Duplicate guard check");
    expect(matching).toHaveLength(1);
  });

  it("takes the same ticket asked for in other words (a label's case, its id, a trailing space) as the same create", async () => {
    const listing = await h.client.readResource({ uri: "autotask://picklists/tickets" });
    const priorities = JSON.parse((listing.contents[0] as { text: string }).text).picklists.priority as Structured[];
    const lowId = priorities.find((v) => /^low$/i.test(v.label))?.id;
    expect(typeof lowId).toBe("number");
    const variants = [
      { companyID: companyId, title: "Same ticket, other words", priority: "Low", status: "New" },
      { companyID: companyId, title: "Same ticket, other words ", priority: "low", status: "new" },
      { companyID: companyId, title: "Same ticket, other words", priority: lowId },
    ];
    const ids: number[] = [];
    for (const args of variants) {
      const result = await h.call("autotask_create_ticket", args);
      expect(result.isError, textOf(result)).toBeFalsy();
      ids.push((result.structuredContent as Structured).ticket.id);
    }
    expect(new Set(ids).size).toBe(1);
    expect(h.sandbox.store.tickets().filter((t: Structured) => t.title === "Same ticket, other words")).toHaveLength(1);
    // Nothing written in other words: an empty description is no description.
    const plain = await h.call("autotask_create_ticket", { companyID: companyId, title: "Same ticket, nothing added", priority: "Low" });
    const withEmpty = await h.call("autotask_create_ticket", { companyID: companyId, title: "Same ticket, nothing added", priority: "Low", description: "" });
    expect((withEmpty.structuredContent as Structured).ticket.id).toBe((plain.structuredContent as Structured).ticket.id);
    // Different content is never merged.
    const other = await h.call("autotask_create_ticket", { companyID: companyId, title: "Same ticket, nothing added", priority: "Low", description: "More" });
    expect((other.structuredContent as Structured).ticket.id).not.toBe((plain.structuredContent as Structured).ticket.id);
  });

  it("refuses an unknown picklist label and lists the valid ones", async () => {
    const result = await h.call("autotask_create_ticket", { companyID: companyId, title: "x", priority: "Urgentish" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Urgentish/);
    expect(textOf(result)).toMatch(/Medium/);
  });

  it("names the field and the rule for invalid input, and accepts ticketId and ticket_id for ticketID", async () => {
    const bad = await h.call("autotask_get_ticket_details", { ticketId: "abc" });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/ticketID/);
    const ticket = await createTicket();
    const good = await h.call("autotask_get_ticket_details", { ticketID: ticket.id });
    expect(good.isError, textOf(good)).toBeFalsy();
    const snake = await h.call("autotask_get_ticket_details", { ticket_id: ticket.id });
    expect(snake.isError, textOf(snake)).toBeFalsy();
    // ticketNumber (as list_ticket_notes and skills spell it) is the same argument in every tool that takes a ticket.
    for (const tool of ["autotask_get_ticket_details", "autotask_list_ticket_notes"]) {
      const byNumber = await h.call(tool, { ticketNumber: ticket.ticketNumber });
      expect(byNumber.isError, textOf(byNumber)).toBeFalsy();
    }
    const noted = await h.call("autotask_create_ticket_note", { ticketNumber: ticket.ticketNumber, description: "Called the user back." });
    expect(noted.isError, textOf(noted)).toBeFalsy();
    // The same argument under two spellings is refused whichever comes first.
    for (const args of [{ ticketID: ticket.id, ticketId: ticket.id }, { ticketId: ticket.id, ticketID: ticket.id }]) {
      const twice = await h.call("autotask_get_ticket_details", args);
      expect(twice.isError).toBe(true);
      expect(textOf(twice)).toMatch(/given twice/);
    }
    const unknown = await h.call("autotask_get_ticket_details", { ticketId: ticket.id, colour: "red" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/Unknown argument "colour"/);
  });

  it("walks the workflow: assign, escalate with a reason, complete with a resolution", async () => {
    const ticket = await createTicket();
    const assigned = await h.call("autotask_update_ticket", { ticketId: ticket.id, assignedResourceID: resourceId, status: "in_progress" });
    expect(assigned.isError, textOf(assigned)).toBeFalsy();
    const afterAssign = h.sandbox.store.getTicket(ticket.id);
    expect(afterAssign?.assignedResourceID).toBe(resourceId);
    expect(afterAssign?.assignedResourceRoleID).toBeTypeOf("number");

    const noReason = await h.call("autotask_update_ticket", { ticketId: ticket.id, status: "Escalated" });
    expect(noReason.isError).toBe(true);
    expect(textOf(noReason)).toMatch(/escalationReason/);

    const escalated = await h.call("autotask_update_ticket", {
      ticketId: ticket.id,
      status: "Escalated",
      escalationReason: "Needs a network engineer on site.",
    });
    expect(escalated.isError, textOf(escalated)).toBeFalsy();
    const noteId = (escalated.structuredContent as Structured).escalationNoteID;
    const note = h.sandbox.store.notesFor(ticket.id).find((n: Structured) => n.id === noteId);
    expect(note?.description).toBe("Needs a network engineer on site.");
    expect(note?.publish).not.toBe(1);

    const noResolution = await h.call("autotask_update_ticket", { ticketId: ticket.id, status: "Complete" });
    expect(noResolution.isError).toBe(true);
    expect(textOf(noResolution)).toMatch(/resolution/);

    const completed = await h.call("autotask_update_ticket", { ticketId: ticket.id, status: "Complete", resolution: "Replaced the switch." });
    expect(completed.isError, textOf(completed)).toBeFalsy();
    const stored = h.sandbox.store.getTicket(ticket.id);
    expect(stored?.status).toBe(5);
    expect(stored?.resolution).toBe("Replaced the switch.");
    expect(stored?.completedDate).toBeTruthy();
  });

  it("unassigns a ticket with assignedResourceID null: Autotask (the sandbox) clears resource and role", async () => {
    const ticket = await createTicket({ assignedResourceID: resourceId });
    expect(h.sandbox.store.getTicket(ticket.id)?.assignedResourceID).toBe(resourceId);
    const result = await h.call("autotask_update_ticket", { ticketID: ticket.id, assignedResourceID: null });
    expect(result.isError, textOf(result)).toBeFalsy();
    const stored = h.sandbox.store.getTicket(ticket.id);
    expect(stored?.assignedResourceID ?? null).toBeNull();
    expect(stored?.assignedResourceRoleID ?? null).toBeNull();
    expect((result.structuredContent as Structured).ticket.assignedResource).toBeUndefined();
    expect(textOf(result)).toMatch(/Updated assignedResourceID, assignedResourceRoleID/);
  });

  it("refuses a transition the workflow does not allow unless forced, listing the allowed statuses", async () => {
    // New → Waiting Customer is allowed by default (asking for details at triage); a completed ticket reopens only to In Progress.
    const ticket = await createTicket();
    const completed = await h.call("autotask_update_ticket", { ticketId: ticket.id, status: "Complete", resolution: "Cleared the mailbox." });
    expect(completed.isError, textOf(completed)).toBeFalsy();
    const refused = await h.call("autotask_update_ticket", { ticketId: ticket.id, status: "Waiting Customer" });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/allowed from Complete: In Progress/);
    expect(h.sandbox.store.getTicket(ticket.id)?.status).toBe(5);
    const forced = await h.call("autotask_update_ticket", { ticketId: ticket.id, status: "Waiting Customer", force: true });
    expect(forced.isError, textOf(forced)).toBeFalsy();
    expect(h.sandbox.store.getTicket(ticket.id)?.status).toBe(7);
  });

  it("adds notes internal by default and client-visible only when asked", async () => {
    const ticket = await createTicket();
    const internal = await h.call("autotask_create_ticket_note", { ticketId: ticket.id, description: "Checked the logs." });
    expect(internal.isError, textOf(internal)).toBeFalsy();
    const visible = await h.call("autotask_create_ticket_note", { ticketId: ticket.id, description: "We are on it.", publish: "all" });
    expect(visible.isError, textOf(visible)).toBeFalsy();
    const legacy = await h.call("autotask_create_ticket_note", { ticketId: ticket.id, description: "Legacy internal.", publish: 0 });
    expect(legacy.isError, textOf(legacy)).toBeFalsy();
    const notes = h.sandbox.store.notesFor(ticket.id);
    const byText = (text: string) => notes.find((n: Structured) => n.description === text);
    expect(byText("Checked the logs.")?.publish).toBe(2);
    expect(byText("We are on it.")?.publish).toBe(1);
    expect(byText("Legacy internal.")?.publish).toBe(2);
    expect((visible.structuredContent as Structured).clientVisible).toBe(true);
    expect(textOf(visible)).toMatch(/VISIBLE TO THE CLIENT/);
  });

  it("searches open tickets with labels and names, and pages with a cursor", async () => {
    const first = await h.call("autotask_search_tickets", { status: "open", pageSize: 10 });
    expect(first.isError, textOf(first)).toBeFalsy();
    // Rows are sent once, as text (no structured copy, no output schema).
    expect(first.structuredContent).toBeUndefined();
    const page1 = parseTicketPage(textOf(first));
    expect(page1.rows).toHaveLength(10);
    expect(page1.nextCursor).toBeTruthy();
    const openInSandbox = h.sandbox.store.tickets().filter((t: Structured) => t.status !== 5);
    // The total comes with the first page (Autotask's query/count).
    expect(page1.total).toBe(openInSandbox.length);
    for (const row of page1.rows) {
      const stored = openInSandbox.find((t: Structured) => t.id === row.id) as Structured;
      expect(row.status).not.toBe("Complete");
      expect(row.ticketNumber).toBe(stored.ticketNumber);
      expect(row.companyID).toBe(stored.companyID);
      expect(row.company).not.toMatch(/^#/);
    }
    const second = parseTicketPage(textOf(await h.call("autotask_search_tickets", { status: "open", pageSize: 10, cursor: page1.nextCursor })));
    expect(second.rows).toHaveLength(10);
    expect(second.rows[0]?.id).toBeGreaterThan(page1.rows.at(-1)?.id as number);
    // Walking every page visits each open ticket once.
    let cursor: string | undefined = page1.nextCursor;
    const seen = new Set<number>(page1.rows.map((t) => t.id));
    while (cursor) {
      const next = parseTicketPage(textOf(await h.call("autotask_search_tickets", { status: "open", pageSize: 10, cursor })));
      for (const t of next.rows) seen.add(t.id);
      expect(next.total).toBe(openInSandbox.length);
      cursor = next.nextCursor;
    }
    expect(seen.size).toBe(openInSandbox.length);
    const wrong = await h.call("autotask_search_tickets", { cursor: page1.nextCursor, status: "New" });
    expect(wrong.isError).toBe(true);
  });

  it("answers a search with no matches with an empty list, not an error", async () => {
    const result = await h.call("autotask_search_tickets", { searchTerm: "no ticket has this phrase zqx" });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toBe("No tickets match these filters.");
  });

  it("finds a ticket by number prefix and by words in its title", async () => {
    const ticket = await createTicket({ title: "Scanner jams on tray two" });
    const byNumber = parseTicketPage(textOf(await h.call("autotask_search_tickets", { searchTerm: ticket.ticketNumber })));
    expect(byNumber.rows.map((t) => t.id)).toEqual([ticket.id]);
    const byWords = parseTicketPage(textOf(await h.call("autotask_search_tickets", { searchTerm: "jams on tray" })));
    expect(byWords.rows.map((t) => t.id)).toContain(ticket.id);
    // Each word must match, in any order and not as a phrase (Autotask's contains is per field and string).
    const outOfOrder = parseTicketPage(textOf(await h.call("autotask_search_tickets", { searchTerm: "scanner two" })));
    expect(outOfOrder.rows.map((t) => t.id)).toContain(ticket.id);
    const oneWordMissing = parseTicketPage(textOf(await h.call("autotask_search_tickets", { searchTerm: "scanner zqxw" })));
    expect(oneWordMissing.rows.map((t) => t.id)).not.toContain(ticket.id);
  });

  it("returns details without null or empty fields, with SLA, escalation and next statuses", async () => {
    const ticket = await createTicket({ description: "Disk almost full on FS01." });
    await h.call("autotask_create_ticket_note", { ticketId: ticket.id, description: "Cleaned temp files." });
    const result = await h.call("autotask_get_ticket_details", { ticketId: ticket.id });
    expect(result.isError, textOf(result)).toBeFalsy();
    const details = result.structuredContent as Structured;
    expect(emptyPaths(details)).toEqual([]);
    expect(details.ticket.description).toBe("Disk almost full on FS01.");
    expect(details.notes[0].description).toBe("Cleaned temp files.");
    expect(details.allowedNextStatuses.map((s: Structured) => s.label)).toContain("In Progress");
    expect(details.sla.resolutionDue).toBeTruthy();
    expect(textOf(result)).toContain("<<<Disk almost full on FS01.>>>");
  });

  it("passes Autotask's own validation message through, and says when a ticket does not exist", async () => {
    const refused = await h.call("autotask_create_ticket", { companyID: companyId, title: "Bad contact", contactID: 987_654_321 });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/contactID/);
    expect(textOf(refused)).not.toMatch(/^Unexpected/);
    const missing = await h.call("autotask_update_ticket", { ticketId: 999_999_999, title: "x" });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/999999999 was not found/);
  });

  it("takes a ticket number or a numeric string wherever a ticket id is taken", async () => {
    const ticket = await createTicket({ title: "VPN drops every hour" });
    // Autotask's ticket numbers look like T20261130.0001 (T + creation date + sequence).
    expect(ticket.ticketNumber).toMatch(/^T\d{8}\.\d{4}$/);
    const details = await h.call("autotask_get_ticket_details", { ticketID: ticket.ticketNumber.toLowerCase() });
    expect(details.isError, textOf(details)).toBeFalsy();
    expect((details.structuredContent as Structured).ticket.id).toBe(ticket.id);
    const updated = await h.call("autotask_update_ticket", { ticketID: ticket.ticketNumber, title: "VPN drops every hour (site B)" });
    expect(updated.isError, textOf(updated)).toBeFalsy();
    expect(h.sandbox.store.getTicket(ticket.id)?.title).toBe("VPN drops every hour (site B)");
    const note = await h.call("autotask_create_ticket_note", { ticketID: String(ticket.id), description: "Checked the tunnel logs." });
    expect(note.isError, textOf(note)).toBeFalsy();
    expect(h.sandbox.store.notesFor(ticket.id).some((n: Structured) => n.description === "Checked the tunnel logs.")).toBe(true);
    const unknown = await h.call("autotask_get_ticket_details", { ticketID: "T19990101.9999" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/No ticket has the number T19990101\.9999/);
    const junk = await h.call("autotask_get_ticket_details", { ticketID: "abc" });
    expect(junk.isError).toBe(true);
    expect(textOf(junk)).toMatch(/neither a ticket id .* nor a ticket number/);
  });

  it("finds a technician by full name, reversed name or e-mail, and says when a resource id does not exist", async () => {
    const person = h.sandbox.store.resources().find((r: Structured) => r.isActive !== false && r.firstName && r.lastName && r.email) as Structured;
    for (const name of [`${person.firstName} ${person.lastName}`, `${person.lastName}, ${person.firstName}`, person.email]) {
      const found = await h.call("autotask_search_resources", { name });
      expect(found.isError, textOf(found)).toBeFalsy();
      expect(listedIds(textOf(found)), name).toContain(person.id);
    }
    // All words must match: a real first name with a surname nobody has finds nobody.
    const nobody = await h.call("autotask_search_resources", { name: `${person.firstName} Zqxwv` });
    expect(listedIds(textOf(nobody))).toEqual([]);
    // Searching tickets by the technician's full name resolves to that one resource.
    const byName = await h.call("autotask_search_tickets", { assignedResourceID: `${person.firstName} ${person.lastName}`, pageSize: 5 });
    expect(byName.isError, textOf(byName)).toBeFalsy();
    const expected = h.sandbox.store.tickets().filter((t: Structured) => t.assignedResourceID === person.id).length;
    expect(parseTicketPage(textOf(byName)).total).toBe(expected);
    // A name that fits several technicians is refused with the candidates, never guessed.
    // (The older spelling assignedResourceName is the same argument.)
    const several = await h.call("autotask_search_tickets", { assignedResourceName: "ex" });
    expect(several.isError).toBe(true);
    expect(textOf(several)).toMatch(/"ex" matches .*resources: .+ \(\d+\), .+ \(\d+\)/);
    const ticket = await createTicket();
    const ghost = await h.call("autotask_update_ticket", { ticketID: ticket.id, assignedResourceID: 424_242 });
    expect(ghost.isError).toBe(true);
    expect(textOf(ghost)).toMatch(/Resource 424242 does not exist/);
  });

  it("filters by contact, by company name and by completed-date range, with Autotask's count", async () => {
    const tickets = h.sandbox.store.tickets();
    const withContact = tickets.find((t: Structured) => typeof t.contactID === "number") as Structured;
    const byContact = parseTicketPage(textOf(await h.call("autotask_search_tickets", { contactID: withContact.contactID, pageSize: 100 })));
    const expectedContact = tickets.filter((t: Structured) => t.contactID === withContact.contactID).map((t: Structured) => t.id);
    expect(byContact.total).toBe(expectedContact.length);
    expect(byContact.rows.map((r) => r.id).sort()).toEqual([...expectedContact].sort());

    // A company by its full name (the sandbox's names are unique), resolved to its id and said so.
    const company = h.sandbox.store.companies().find((c: Structured) => c.id !== 0 && c.isActive !== false) as Structured;
    const byName = await h.call("autotask_search_tickets", { companyID: company.companyName, pageSize: 5 });
    expect(byName.isError, textOf(byName)).toBeFalsy();
    expect(textOf(byName)).toContain(`is ${company.companyName} (${company.id})`);
    expect(parseTicketPage(textOf(byName)).total).toBe(tickets.filter((t: Structured) => t.companyID === company.id).length);

    // "What did we close last week": completedDate in [after, before).
    const completed = tickets.filter((t: Structured) => t.completedDate).map((t: Structured) => Date.parse(t.completedDate)).sort((a: number, b: number) => a - b);
    const from = new Date(completed[Math.floor(completed.length / 4)] as number).toISOString();
    const to = new Date(completed[Math.floor((completed.length * 3) / 4)] as number).toISOString();
    const closed = parseTicketPage(textOf(await h.call("autotask_search_tickets", { completedAfter: from, completedBefore: to, pageSize: 1 })));
    const expectedClosed = tickets.filter((t: Structured) => t.completedDate && Date.parse(t.completedDate) >= Date.parse(from) && Date.parse(t.completedDate) < Date.parse(to));
    expect(expectedClosed.length).toBeGreaterThan(0);
    expect(closed.total).toBe(expectedClosed.length);
  });

  it("sorts newest first and by due date, with the same total as the default order", async () => {
    const newest = parseTicketPage(textOf(await h.call("autotask_search_tickets", { status: "open", sort: "newest", pageSize: 5 })));
    const open = h.sandbox.store.tickets().filter((t: Structured) => t.status !== 5);
    const byIdDesc = open.map((t: Structured) => t.id as number).sort((a: number, b: number) => b - a);
    expect(newest.rows.map((r) => r.id)).toEqual(byIdDesc.slice(0, 5));
    expect(newest.total).toBe(open.length);
    const next = parseTicketPage(textOf(await h.call("autotask_search_tickets", { status: "open", sort: "newest", pageSize: 5, cursor: newest.nextCursor })));
    expect(next.rows.map((r) => r.id)).toEqual(byIdDesc.slice(5, 10));
    const due = parseTicketPage(textOf(await h.call("autotask_search_tickets", { status: "open", sort: "dueSoonest", pageSize: 5 })));
    const byDue = open
      .filter((t: Structured) => t.dueDateTime)
      .sort((a: Structured, b: Structured) => Date.parse(a.dueDateTime) - Date.parse(b.dueDateTime) || a.id - b.id)
      .map((t: Structured) => t.id);
    expect(due.rows.map((r) => r.id)).toEqual(byDue.slice(0, 5));
  });
});

describe("tenant-specific status names from AUTOTASK_STATUS_MAP", () => {
  it("maps a semantic name to the tenant's own status through the configured override", async () => {
    // The real tenant's "Waiting Materials" (9) is inactive; it waits on suppliers with "Waiting 3rd Party" (12).
    const h = await startHarness({
      profile: "real-tenant",
      settings: { mappingOverrides: { status: { "Waiting 3rd Party": "WAITING_MATERIALS" } } },
    });
    try {
      const company = h.sandbox.store.companies().find((c: Structured) => c.id !== 0) as Structured;
      const created = (await h.call("autotask_create_ticket", { companyID: company.id, title: "Switch on order", priority: "Low" }))
        .structuredContent as Structured;
      const inProgress = await h.call("autotask_update_ticket", { ticketId: created.ticket.id, status: "in_progress" });
      expect(inProgress.isError, textOf(inProgress)).toBeFalsy();
      const waiting = await h.call("autotask_update_ticket", { ticketId: created.ticket.id, status: "waiting_materials" });
      expect(waiting.isError, textOf(waiting)).toBeFalsy();
      expect(h.sandbox.store.getTicket(created.ticket.id)?.status).toBe(12);
    } finally {
      await h.close();
    }
  });
});

describe("one desk shared by several MCP sessions", () => {
  it("catches a create retried through another session", async () => {
    const h = await startHarness();
    const second = new Client({ name: "second-session", version: "1.0.0" });
    const server = createServer(h.desk);
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([second.connect(a), server.connect(b)]);
    try {
      const company = h.sandbox.store.companies().find((c: Structured) => c.id !== 0) as Structured;
      const args = { companyID: company.id, title: "Shared ledger check", priority: "Low" };
      const first = (await h.call("autotask_create_ticket", args)).structuredContent as Structured;
      const again = (await second.callTool({ name: "autotask_create_ticket", arguments: args })).structuredContent as Structured;
      expect(again.ticket.id).toBe(first.ticket.id);
      expect(again.alreadyExisted).toBe(true);
      expect(h.sandbox.store.tickets().filter((t: Structured) => t.title === "Shared ledger check")).toHaveLength(1);
    } finally {
      await second.close();
      await server.close();
      await h.close();
    }
  });
});
