/**
 * What the desk tools send to Autotask, asserted at the network edge with msw: the metrics query's
 * IncludeFields and filter re-sent unchanged to every nextPageUrl, the ServiceLevelAgreementResults
 * batches (one `in` list of ticket ids per 500 tickets that have an SLA), and the escalation write
 * (one internal note, one status PATCH, nothing on a repeat).
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BASE, connectWithMsw, NOTE_FIELDS, TICKET_FIELDS } from "../../test/support/fake-autotask.js";
import { ESCALATION_NOTE_TITLE } from "../desk/reports/escalations.js";
import { METRIC_FIELDS, SLA_RESULT_FIELDS } from "../desk/reports/metrics.js";

type Json = Record<string, any>;
const sent: Array<{ method: string; path: string; url: string; body?: Json }> = [];
const page = (items: unknown[], nextPageUrl: string | null = null) => ({
  items,
  pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl },
});

/** 1,020 tickets: every other one has an SLA; resolved 10 h after creation (a Monday 08:00 UTC). */
const TICKETS = Array.from({ length: 1020 }, (_, index) => {
  const id = 1000 + index;
  const base: Json = { id, status: index % 3 === 0 ? 8 : 5, priority: 2, queueID: 29682833, createDate: "2026-11-02T08:00:00Z" };
  if (base.status === 5) base.completedDate = "2026-11-02T18:00:00Z";
  if (index % 2 === 0) base.serviceLevelAgreementID = 1;
  return base;
});

let ticket: Json;
let notes: Json[];

const mswServer = setupServer(
  http.get(`${BASE}/Tickets/entityInformation/fields`, () => HttpResponse.json(TICKET_FIELDS)),
  http.get(`${BASE}/TicketNotes/entityInformation/fields`, () => HttpResponse.json(NOTE_FIELDS)),
  http.post(`${BASE}/Tickets/query`, () => HttpResponse.json(page(TICKETS.slice(0, 500), `${BASE}/Tickets/query/next?paging=p2`))),
  http.post(`${BASE}/Tickets/query/next`, ({ request }) => {
    const second = new URL(request.url).searchParams.get("paging") === "p2";
    return HttpResponse.json(second ? page(TICKETS.slice(500, 1000), `${BASE}/Tickets/query/next?paging=p3`) : page(TICKETS.slice(1000)));
  }),
  http.post(`${BASE}/ServiceLevelAgreementResults/query`, async ({ request }) => {
    const body = (await request.clone().json()) as Json;
    const ids: number[] = body.Filter[0].value;
    // Autotask's clock says 3 business hours, and the resolution target was missed.
    return HttpResponse.json(page(ids.map((id) => ({ id: id + 50_000, ticketID: id, isResolutionMet: false, resolutionElapsedHours: 3 }))));
  }),
  http.get(`${BASE}/Tickets/:id`, ({ params }) => HttpResponse.json({ item: Number(params.id) === ticket.id ? ticket : null })),
  http.get(`${BASE}/Tickets/:id/Notes`, () => HttpResponse.json(page(notes))),
  http.post(`${BASE}/Tickets/:id/Notes`, async ({ request }) => {
    const body = (await request.clone().json()) as Json;
    notes.push({ ...body, id: 9000 + notes.length, createDateTime: "2026-11-27T10:00:00Z" });
    return HttpResponse.json({ itemId: 9000 + notes.length - 1 });
  }),
  http.patch(`${BASE}/Tickets`, async ({ request }) => {
    Object.assign(ticket, (await request.clone().json()) as Json);
    return HttpResponse.json({ itemId: ticket.id });
  }),
);

beforeAll(() => {
  mswServer.listen({ onUnhandledRequest: "error" });
  mswServer.events.on("request:start", async ({ request }) => {
    const text = request.method === "GET" ? "" : await request.clone().text();
    sent.push({
      method: request.method,
      url: request.url,
      path: new URL(request.url).pathname.split("/V1.0")[1] ?? "",
      body: text ? JSON.parse(text) : undefined,
    });
  });
});
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());
beforeEach(() => {
  sent.length = 0;
  notes = [];
  // Critical (1 on this tenant), New, nobody assigned: the rules select it at level 2.
  ticket = { id: 555, ticketNumber: "T20261127.0042", status: 1, priority: 1, createDate: "2026-11-27T09:00:00Z" };
});

async function call(name: string, args: Json) {
  const conn = await connectWithMsw();
  try {
    return await conn.client.callTool({ name, arguments: args });
  } finally {
    await conn.close();
  }
}

describe("autotask_ticket_metrics", () => {
  it("asks only for the fields it needs, re-sends the same body to each page, and reads SLA results per 500 tickets", async () => {
    const result = await call("autotask_ticket_metrics", { companyID: 7, createdAfter: "2026-11-01" });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();

    const ticketQueries = sent.filter((r) => r.path.startsWith("/Tickets/query"));
    expect(ticketQueries.map((r) => r.path)).toEqual(["/Tickets/query", "/Tickets/query/next", "/Tickets/query/next"]);
    const expectedBody = {
      MaxRecords: 500,
      IncludeFields: [...METRIC_FIELDS],
      Filter: [
        { op: "eq", field: "companyID", value: 7 },
        { op: "gte", field: "createDate", value: "2026-11-01T00:00:00.000Z" },
      ],
    };
    for (const query of ticketQueries) expect(query.body).toEqual(expectedBody);
    // No count request without a progress token.
    expect(sent.some((r) => r.path.endsWith("/count"))).toBe(false);

    const slaQueries = sent.filter((r) => r.path === "/ServiceLevelAgreementResults/query");
    const withSla = TICKETS.filter((t) => t.serviceLevelAgreementID !== undefined).map((t) => t.id);
    expect(slaQueries).toHaveLength(Math.ceil(withSla.length / 500));
    expect(slaQueries.flatMap((q) => q.body?.Filter[0].value)).toEqual(withSla);
    for (const query of slaQueries) {
      expect(query.body?.IncludeFields).toEqual([...SLA_RESULT_FIELDS]);
      expect(query.body?.Filter[0]).toMatchObject({ op: "in", field: "ticketID" });
    }

    const structured = result.structuredContent as Json;
    expect(structured.total).toBe(1020);
    const completed = TICKETS.filter((t) => t.status === 5);
    const completedWithSla = completed.filter((t) => t.serviceLevelAgreementID !== undefined).length;
    expect(structured.resolution.count).toBe(completed.length);
    expect(structured.resolution.averageHours).toBe(10);
    // Autotask's 3 h for tickets with an SLA, the calendar's 9 h (08:00-17:00) for the others.
    const expectedBusiness = (completedWithSla * 3 + (completed.length - completedWithSla) * 9) / completed.length;
    expect(structured.resolution.averageBusinessHours).toBeCloseTo(expectedBusiness, 2);
    // Only resolved tickets with an SLA have a verdict (none has a due date): all missed, per Autotask.
    // Open tickets with an SLA and no due date yet are undecided, outside the share.
    const decided = completed.filter((t) => t.serviceLevelAgreementID !== undefined).length;
    expect(structured.sla).toEqual({ eligible: decided, compliant: 0, compliancePercent: 0, openBreached: 0, undecided: withSla.length - decided });
    expect(structured.sources).toMatchObject({ ticketsWithSla: withSla.length, slaResultsRead: withSla.length });
  });

  it("takes a company and a technician by name, as the search does, and says what each resolved to", async () => {
    const lookups: Json[] = [];
    mswServer.use(
      http.post(`${BASE}/Companies/query`, async ({ request }) => {
        const body = (await request.clone().json()) as Json;
        lookups.push(body);
        return HttpResponse.json(page([{ id: 7, companyName: "Contoso", isActive: true }]));
      }),
      http.post(`${BASE}/Resources/query`, async ({ request }) => {
        const body = (await request.clone().json()) as Json;
        lookups.push(body);
        return HttpResponse.json(page([{ id: 30, firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", isActive: true }]));
      }),
      http.post(`${BASE}/Tickets/query`, () => HttpResponse.json(page([]))),
    );
    const result = await call("autotask_ticket_metrics", { companyName: "contoso", assignedResourceID: "Ada Lovelace" });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(sent.find((r) => r.path === "/Tickets/query")?.body?.Filter).toEqual([
      { op: "eq", field: "companyID", value: 7 },
      { op: "eq", field: "assignedResourceID", value: 30 },
    ]);
    const text = String((result.content as Json[])[0]?.text);
    expect(text).toContain('companyID "contoso" is Contoso (7).');
    expect(text).toContain('assignedResourceID "Ada Lovelace" is Ada Lovelace (30).');
  });

  it("says which filter id does not exist when nothing matches, for the metrics and the escalation check", async () => {
    mswServer.use(
      http.post(`${BASE}/Tickets/query`, () => HttpResponse.json(page([]))),
      http.post(`${BASE}/Companies/query`, () => HttpResponse.json(page([]))),
    );
    for (const tool of ["autotask_ticket_metrics", "autotask_check_escalations"]) {
      const result = await call(tool, { companyID: 999_999 });
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      expect(String((result.content as Json[])[0]?.text), tool).toMatch(/^Company 999999 does not exist in Autotask\./);
      // Structured-first hosts see the same sentence.
      expect((result.structuredContent as Json).notes, tool).toEqual(["Company 999999 does not exist in Autotask."]);
    }
  });

  it("gives zeros and says so for an empty set", async () => {
    mswServer.use(http.post(`${BASE}/Tickets/query`, () => HttpResponse.json(page([]))));
    const result = await call("autotask_ticket_metrics", { queueID: "helpdesk queue" });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const structured = result.structuredContent as Json;
    expect(structured.total).toBe(0);
    expect(structured.resolution.averageHours).toBeNull();
    expect(structured.sla.compliancePercent).toBeNull();
    expect(JSON.stringify(structured)).not.toContain("NaN");
    expect((result.content as Json[])[0]?.text).toMatch(/No tickets match/);
    expect(sent.find((r) => r.path === "/Tickets/query")?.body?.Filter).toEqual([{ op: "eq", field: "queueID", value: 29683325 }]);
  });
  it("refuses impossible dates and reversed ranges like the search does, before any ticket query", async () => {
    const cases: Array<[Json, RegExp]> = [
      [{ createdAfter: "2026-11-20", createdBefore: "2026-11-01" }, /createdAfter \(2026-11-20\) is not before createdBefore/],
      [{ completedAfter: "2026-11-20", completedBefore: "2026-11-20" }, /completedAfter .* is not before completedBefore/],
      // The older spellings are the same arguments.
      [{ createdFrom: "2026-02-30" }, /createdAfter "2026-02-30" is not a valid/],
      [{ createdTo: "2026-11-31" }, /createdBefore "2026-11-31" is not a valid/],
    ];
    for (const [args, message] of cases) {
      sent.length = 0;
      const result = await call("autotask_ticket_metrics", args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect((result.content as Json[])[0]?.text).toMatch(message);
      expect(sent.some((r) => r.path.startsWith("/Tickets/query"))).toBe(false);
    }
  });
});

describe("read filters take inactive picklist values", () => {
  it.each(["autotask_ticket_metrics", "autotask_check_escalations", "autotask_sla_report"])("%s filters by an inactive queue", async (name) => {
    mswServer.use(http.post(`${BASE}/Tickets/query`, () => HttpResponse.json(page([]))));
    const result = await call(name, { queueID: "Recurring Tickets" });
    expect(JSON.stringify(result.content)).not.toMatch(/Unknown queueID/);
    expect(sent.find((r) => r.path === "/Tickets/query")?.body?.Filter).toContainEqual({ op: "eq", field: "queueID", value: 29683490 });
  });
});

describe("counts in report texts", () => {
  it("says 1 ticket, not 1 tickets", async () => {
    mswServer.use(
      http.post(`${BASE}/Tickets/query`, () => HttpResponse.json(page(TICKETS.slice(0, 1)))),
      http.post(`${BASE}/Resources/query`, () => HttpResponse.json(page([]))),
    );
    for (const name of ["autotask_check_escalations", "autotask_sla_report", "autotask_ticket_metrics"]) {
      const result = await call(name, {});
      const text = (result.content as Json[])[0]?.text as string;
      expect(text, name).toMatch(/\b1 (open )?ticket\b/);
      expect(text, name).not.toMatch(/\b1 (open )?tickets\b/);
    }
  });
});

describe("autotask_escalate_tickets", () => {
  it("writes one internal note and one status change, and nothing when repeated", async () => {
    const first = await call("autotask_escalate_tickets", { ticketIDs: [555] });
    expect(first.isError, JSON.stringify(first.content)).toBeFalsy();
    const writes = () => sent.filter((r) => r.method === "PATCH" || (r.method === "POST" && r.path.endsWith("/Notes")));
    expect(writes().map((r) => [r.method, r.path])).toEqual([
      ["POST", "/Tickets/555/Notes"],
      ["PATCH", "/Tickets"],
    ]);
    const [note, patch] = writes();
    // "Internal Project Team" (2), never "All Autotask Users" (1); the tenant's default note type (2).
    expect(note?.body).toMatchObject({ title: ESCALATION_NOTE_TITLE, publish: 2, noteType: 2, ticketID: 555 });
    expect(note?.body?.description).toMatch(/CRITICAL ticket has no assigned resource/);
    expect(patch?.body).toEqual({ id: 555, status: 11 });

    sent.length = 0;
    const second = await call("autotask_escalate_tickets", { ticketIDs: [555, 555] });
    expect(writes()).toEqual([]);
    expect((second.structuredContent as Json).results).toEqual([expect.objectContaining({ id: 555, outcome: "already_escalated" })]);
  });

  it("finishes an escalation whose note was written but whose status was not, without a second note", async () => {
    notes.push({ id: 8000, ticketID: 555, title: ESCALATION_NOTE_TITLE, createDateTime: "2026-11-27T09:30:00Z" });
    const result = await call("autotask_escalate_tickets", { ticketIDs: [555] });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(sent.filter((r) => r.method === "POST" && r.path.endsWith("/Notes"))).toEqual([]);
    expect(sent.filter((r) => r.method === "PATCH").map((r) => r.body)).toEqual([{ id: 555, status: 11 }]);
    expect((result.structuredContent as Json).results[0]).toMatchObject({ outcome: "escalated", noteId: 8000 });
  });
});
