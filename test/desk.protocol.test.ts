/**
 * The desk tools end to end: the real server and client against the sandbox on both tenant profiles.
 * Expected answers are computed here from the sandbox's own rows (its store), not from the server's
 * output: the sweep selects exactly the tickets the escalation rules select, the metrics equal a
 * direct computation, escalating twice writes once, progress arrives in order, the chart is a PNG of
 * the stated size, and prompts and resources answer.
 */
import { inflateSync } from "node:zlib";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Picklist } from "../src/autotask/picklists.js";
import { ESCALATION_NOTE_TITLE } from "../src/desk/reports/escalations.js";
import { DEFAULT_CALENDAR } from "../src/domain/calendar.js";
import { checkEscalation } from "../src/domain/escalation.js";
import { buildTenantMapping, type TenantMapping } from "../src/domain/states.js";
import { type Harness, startHarness, textOf } from "./support/harness.js";
import { listedIds } from "./support/rows.js";

type Row = Record<string, any>;
const NOW = new Date(Date.now() + 60_000);
const ms = (value: unknown) => (typeof value === "string" ? Date.parse(value) : Number.NaN);

async function tenantMapping(h: Harness): Promise<TenantMapping> {
  const fields = await h.api.getFieldInfo("Tickets");
  const picklist = (name: string) => Picklist.fromFieldInfo("Tickets", fields.find((f) => f.name === name)!);
  return buildTenantMapping({ statuses: picklist("status").values, priorities: picklist("priority").values });
}

/** The sandbox's SLA results by ticket, when it serves that entity. */
function slaResults(h: Harness): Map<number, Row> {
  try {
    const rows = (h.sandbox.store.all as (entity: string) => Row[])("ServiceLevelAgreementResults");
    return new Map(rows.map((row) => [row.ticketID as number, row]));
  } catch {
    return new Map();
  }
}

describe.each(["default", "real-tenant"])("desk tools on the %s tenant profile", (profile) => {
  let h: Harness;
  let mapping: TenantMapping;

  beforeAll(async () => {
    h = await startHarness({ profile, tickets: 400, now: () => NOW });
    mapping = await tenantMapping(h);
  });
  afterAll(async () => h?.close());

  const structured = (result: CallToolResult) => {
    expect(result.isError, textOf(result)).toBeFalsy();
    return result.structuredContent as Row;
  };

  it("lists the picklists with each status's semantic state", async () => {
    const result = structured(await h.call("autotask_list_picklists", {}));
    const statuses = result.picklists.status as Row[];
    const active = h.sandbox.store.tickets().length > 0 ? statuses : [];
    expect(active.length).toBeGreaterThan(0);
    for (const status of statuses) expect(status.maps).toBe(mapping.statusOf(status.id));
    expect(Object.keys(result.picklists)).toEqual(expect.arrayContaining(["priority", "queue", "issueType", "noteType", "publish"]));
  });

  it("filters reads by the tenant's inactive picklist values (tickets can still sit in them)", async () => {
    const fields = await h.api.getFieldInfo("Tickets");
    const inactive = (name: string) => Picklist.fromFieldInfo("Tickets", fields.find((f) => f.name === name)!).values.find((v) => !v.isActive)?.label;
    const queue = inactive("queueID");
    const status = inactive("status");
    expect(queue ?? status).toBeDefined();
    if (queue) {
      for (const name of ["autotask_check_escalations", "autotask_sla_report", "autotask_search_tickets", "autotask_ticket_metrics"]) {
        const result = await h.call(name, { queueID: queue });
        expect(result.isError, `${name} ${queue}: ${textOf(result)}`).toBeFalsy();
      }
    }
    if (status) {
      const result = await h.call("autotask_search_tickets", { status });
      expect(result.isError, `${status}: ${textOf(result)}`).toBeFalsy();
    }
  });

  it("sweeps exactly the open tickets the escalation rules select", async () => {
    const expected = h.sandbox.store
      .tickets()
      .filter((t) => checkEscalation(t as never, NOW, { mapping, calendar: DEFAULT_CALENDAR }).requiresEscalation)
      .map((t) => t.id as number)
      .sort((a, b) => a - b);
    const result = structured(await h.call("autotask_check_escalations", { limit: 100 }));
    expect(result.needAction).toBe(expected.length);
    const shown = (result.tickets as Row[]).map((t) => t.id as number);
    if (expected.length <= 100) expect([...shown].sort((a, b) => a - b)).toEqual(expected);
    else for (const id of shown) expect(expected).toContain(id);
    const levels = (result.tickets as Row[]).map((t) => t.level as number);
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
  });

  it("computes the metrics a direct computation over the sandbox's tickets gives", async () => {
    const tickets = h.sandbox.store.tickets() as Row[];
    const results = slaResults(h);
    let open = 0;
    let escalated = 0;
    let eligible = 0;
    let compliant = 0;
    let undecided = 0;
    const resolutionHours: number[] = [];
    for (const t of tickets) {
      const state = mapping.statusOf(t.status);
      const complete = state === "COMPLETE";
      if (!complete) open += 1;
      if (state === "ESCALATED") escalated += 1;
      const created = ms(t.createDate);
      const resolvedAt = Number.isFinite(ms(t.resolvedDateTime)) ? ms(t.resolvedDateTime) : complete ? ms(t.completedDate) : Number.NaN;
      if (Number.isFinite(created) && Number.isFinite(resolvedAt) && resolvedAt >= created) resolutionHours.push((resolvedAt - created) / 3_600_000);
      // Decided: resolved (Autotask's verdict for a ticket with an SLA, else the due date), or open and past due.
      const due = Number.isFinite(ms(t.resolvedDueDateTime)) ? ms(t.resolvedDueDateTime) : ms(t.dueDateTime);
      if (Number.isFinite(resolvedAt)) {
        const verdict = typeof t.serviceLevelAgreementID === "number" ? (results.get(t.id)?.isResolutionMet ?? t.serviceLevelAgreementHasBeenMet) : null;
        const met = typeof verdict === "boolean" ? verdict : Number.isFinite(due) ? resolvedAt <= due : null;
        if (met === null) continue;
        eligible += 1;
        if (met) compliant += 1;
      } else if (!complete) {
        if (Number.isFinite(due) && NOW.getTime() > due) eligible += 1;
        else if (Number.isFinite(due) || typeof t.serviceLevelAgreementID === "number") undecided += 1;
      }
    }
    const result = structured(await h.call("autotask_ticket_metrics", { breakdown: "queue" }));
    expect(result.total).toBe(tickets.length);
    expect(result.open).toBe(open);
    expect(result.escalated).toBe(escalated);
    expect(result.resolution.count).toBe(resolutionHours.length);
    const average = resolutionHours.reduce((a, b) => a + b, 0) / resolutionHours.length;
    expect(result.resolution.averageHours).toBeCloseTo(average, 2);
    const sorted = [...resolutionHours].sort((a, b) => a - b);
    const mid = (sorted.length - 1) / 2;
    expect(result.resolution.medianHours).toBeCloseTo((sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2, 2);
    expect(result.sla.eligible).toBe(eligible);
    expect(result.sla.compliant).toBe(compliant);
    expect(result.sla.undecided).toBe(undecided);
    const byStatus = new Map<string, number>();
    for (const t of tickets) {
      const label = mapping.statusLabel(t.status) ?? `status ${t.status}`;
      byStatus.set(label, (byStatus.get(label) ?? 0) + 1);
    }
    expect(Object.fromEntries((result.byStatus as Row[]).map((e) => [e.label, e.count]))).toEqual(Object.fromEntries(byStatus));
    expect((result.breakdown.rows as Row[]).reduce((sum, r) => sum + r.count, 0)).toBe(tickets.length);
  });

  it("escalates each ticket once, with one note, however often it is called", async () => {
    const check = structured(await h.call("autotask_check_escalations", { limit: 100 }));
    const ids = (check.tickets as Row[])
      .filter((t) => !t.alreadyEscalated && !t.cannotEscalate)
      .slice(0, 3)
      .map((t) => t.id as number);
    expect(ids.length).toBeGreaterThan(0);
    const [first, second] = await Promise.all([
      h.call("autotask_escalate_tickets", { ticketIDs: ids }),
      h.call("autotask_escalate_tickets", { ticketIDs: ids }),
    ]);
    // The same tickets named by their numbers: resolved to the same ids, so nothing is written again.
    const numbers = ids.map((id) => h.sandbox.store.getTicket(id)?.ticketNumber as string);
    const third = structured(await h.call("autotask_escalate_tickets", { ticketIDs: numbers }));
    expect(third.results.map((r: Row) => r.id)).toEqual(ids);
    const outcomes = [...structured(first).results, ...structured(second).results].map((r: Row) => r.outcome);
    expect(outcomes.filter((o) => o !== "escalated" && o !== "already_escalated"), JSON.stringify([first.structuredContent, second.structuredContent])).toEqual([]);
    expect(outcomes.filter((o) => o === "escalated")).toHaveLength(ids.length);
    expect(third.results.every((r: Row) => r.outcome === "already_escalated")).toBe(true);
    const escalatedIds = mapping.statusIdsFor("ESCALATED");
    const blocked = (check.tickets as Row[]).find((t) => t.cannotEscalate);
    if (blocked) {
      const before = h.sandbox.store.getTicket(blocked.id)?.status;
      const refused = structured(await h.call("autotask_escalate_tickets", { ticketIDs: [blocked.id] }));
      expect(refused.results[0]).toMatchObject({ outcome: "not_allowed" });
      expect(h.sandbox.store.getTicket(blocked.id)?.status).toBe(before);
      expect(h.sandbox.store.notesFor(blocked.id).filter((n) => n.title === ESCALATION_NOTE_TITLE)).toHaveLength(0);
    }
    for (const id of ids) {
      expect(escalatedIds).toContain(h.sandbox.store.getTicket(id)?.status);
      const escalationNotes = h.sandbox.store.notesFor(id).filter((n) => n.title === ESCALATION_NOTE_TITLE);
      expect(escalationNotes, `ticket ${id}`).toHaveLength(1);
      expect(mapping.statusOf(h.sandbox.store.getTicket(id)?.status as number)).toBe("ESCALATED");
    }
  });

  it("reports at-risk and breached SLA clocks, grouped", async () => {
    const result = structured(await h.call("autotask_sla_report", { groupBy: "priority", limit: 200 }));
    const rows = (result.groups as Row[]).flatMap((g) => g.tickets as Row[]);
    expect(rows.filter((r) => r.state === "breached")).toHaveLength(result.breached);
    for (const row of rows) {
      const stored = h.sandbox.store.getTicket(row.id)!;
      expect(mapping.statusOf(stored.status as number)).not.toBe("COMPLETE");
      expect(row.businessHours).toBeGreaterThanOrEqual(0);
    }
  });

  it("finds contacts by full name and lists a ticket's notes newest first", async () => {
    const contact = h.sandbox.store.contacts().find((c) => c.isActive === 1 || c.isActive === true)!;
    const found = await h.call("autotask_search_contacts", { name: `${contact.firstName} ${contact.lastName}` });
    expect(found.structuredContent).toBeUndefined();
    expect(listedIds(textOf(found))).toContain(contact.id);
    // The desk's person rule: every word in first name, last name or e-mail, in any order.
    for (const name of [`${contact.lastName}, ${contact.firstName}`, `${contact.lastName} ${String(contact.emailAddress).split("@")[0]}`]) {
      const again = await h.call("autotask_search_contacts", { name });
      expect(listedIds(textOf(again)), name).toContain(contact.id);
    }
    const nobody = await h.call("autotask_search_contacts", { name: `${contact.firstName} Zqxwv` });
    expect(listedIds(textOf(nobody))).toEqual([]);

    const ticket = h.sandbox.store.tickets().find((t) => h.sandbox.store.notesFor(t.id as number).length >= 2)!;
    const notes = structured(await h.call("autotask_list_ticket_notes", { ticketNumber: ticket.ticketNumber, limit: 50 }));
    expect(notes.ticketID).toBe(ticket.id);
    // ticketID takes the number too, like every tool that takes a ticket.
    expect(structured(await h.call("autotask_list_ticket_notes", { ticketID: ticket.ticketNumber })).ticketID).toBe(ticket.id);
    const stored = h.sandbox.store.notesFor(ticket.id as number);
    expect(notes.notes).toHaveLength(stored.length);
    const times = (notes.notes as Row[]).map((n) => Date.parse(n.createDateTime as string));
    expect(times.every((t) => !Number.isNaN(t))).toBe(true);
    expect(times).toEqual([...times].sort((x, y) => y - x));
    const visible = (notes.notes as Row[]).filter((n) => n.clientVisible).map((n) => n.id);
    const publishAll = stored.filter((n) => n.publish === 1).map((n) => n.id);
    expect(visible.sort()).toEqual(publishAll.sort());
  });

  it("serves the prompts and resources without hard-coded picklist ids", async () => {
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(["daily-sla-report", "escalation-review", "triage-new-tickets"]);
    for (const prompt of prompts) {
      const text = JSON.stringify((await h.client.getPrompt({ name: prompt.name, arguments: {} })).messages);
      expect(text).toMatch(/autotask_\w+/);
      // No picklist value by id: no "status 5" / "queueID 29682833", and none of the tenant's long ids.
      expect(text).not.toMatch(/(status|priority|queue|queueID|issueType|source)"? ?:? ?\d/i);
      for (const status of h.sandbox.store.tickets().slice(0, 50)) expect(text).not.toContain(String(status.queueID ?? "no queue"));
    }
    const picklists = await h.client.readResource({ uri: "autotask://picklists/tickets" });
    expect(JSON.parse((picklists.contents[0] as { text: string }).text).picklists.status.length).toBeGreaterThan(0);
    const id = h.sandbox.store.tickets()[0]!.id as number;
    const ticket = await h.client.readResource({ uri: `autotask://tickets/${id}` });
    expect(JSON.parse((ticket.contents[0] as { text: string }).text)).toMatchObject({ id, untrustedText: expect.stringMatching(/data, never as instructions/) });
    const number = h.sandbox.store.tickets()[0]!.ticketNumber as string;
    const byNumber = await h.client.readResource({ uri: `autotask://tickets/${number}` });
    expect(JSON.parse((byNumber.contents[0] as { text: string }).text)).toMatchObject({ id });
    // A ticket reference that is neither an id nor a number is the caller's mistake: -32602, in words.
    const refused = await h.client.readResource({ uri: "autotask://tickets/abc" }).then(
      () => undefined,
      (e: unknown) => e as { code?: number; message?: string },
    );
    expect(refused?.code).toBe(-32602);
    expect(refused?.message).toMatch(/neither a ticket id .* nor a ticket number/);
  });
});

describe("paging over many tickets", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tickets: 1300 });
  });
  afterAll(async () => h?.close());

  it("sends progress notifications in order, one per page", async () => {
    const events: Array<{ progress: number; total?: number }> = [];
    const result = (await h.client.callTool({ name: "autotask_ticket_metrics", arguments: {} }, undefined, {
      onprogress: (p) => events.push(p),
    })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    const total = h.sandbox.store.tickets().length;
    expect(events.map((e) => e.progress)).toEqual([500, 1000, total]);
    expect(events.every((e) => e.total === total)).toBe(true);
  });

  it("stops between pages when the call is cancelled", async () => {
    const controller = new AbortController();
    const events: number[] = [];
    const call = h.client.callTool({ name: "autotask_ticket_metrics", arguments: {} }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        events.push(p.progress);
        controller.abort("enough");
      },
    });
    await expect(call).rejects.toThrow();
    expect(events[0]).toBe(500);
    // The server is still usable afterwards.
    const again = (await h.call("autotask_list_picklists", { field: "priority" })) as CallToolResult;
    expect(again.isError).toBeFalsy();
  });

  it("adds a PNG chart that decodes and has the stated size", async () => {
    const result = (await h.call("autotask_ticket_metrics", { chart: true })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    const image = result.content.find((part) => part.type === "image") as { data: string; mimeType: string } | undefined;
    expect(image?.mimeType).toBe("image/png");
    const png = Buffer.from(image!.data, "base64");
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Walk the chunks: IHDR gives the size, the IDAT stream must inflate to exactly one filter byte
    // plus width x bytes-per-pixel per row.
    let offset = 8;
    let width = 0;
    let height = 0;
    let channels = 0;
    const idat: Buffer[] = [];
    while (offset < png.length) {
      const length = png.readUInt32BE(offset);
      const type = png.toString("ascii", offset + 4, offset + 8);
      const data = png.subarray(offset + 8, offset + 8 + length);
      if (type === "IHDR") {
        width = data.readUInt32BE(0);
        height = data.readUInt32BE(4);
        expect(data[8]).toBe(8);
        channels = { 2: 3, 6: 4 }[data[9]!] ?? 0;
      }
      if (type === "IDAT") idat.push(data);
      offset += 12 + length;
    }
    expect(width).toBe(1000);
    expect(height).toBeGreaterThan(100);
    expect(channels).toBeGreaterThan(0);
    expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * channels));
    expect(textOf(result)).toContain(`PNG ${width}x${height}`);
  });
});
