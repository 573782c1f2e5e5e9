/**
 * What the write tools send to Autotask, asserted at the network edge with msw: the exact create,
 * PATCH and note bodies, the one reload of stale picklists, and the report of fields that
 * Autotask's workflow rules changed after an update.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BASE, connectWithMsw, NOTE_FIELDS, TICKET_FIELDS } from "../../test/support/fake-autotask.js";

type Json = Record<string, any>;
const sent: Array<{ method: string; path: string; body?: Json }> = [];
const EMPTY_PAGE = { items: [], pageDetails: { count: 0, requestCount: 500, prevPageUrl: null, nextPageUrl: null } };

/** A ticket as Autotask would hold it; PATCH bodies are merged into it. */
let ticket: Json;
let fieldsLoads = 0;

const mswServer = setupServer(
  http.get(`${BASE}/Tickets/entityInformation/fields`, () => {
    fieldsLoads += 1;
    return HttpResponse.json(TICKET_FIELDS);
  }),
  http.get(`${BASE}/TicketNotes/entityInformation/fields`, () => HttpResponse.json(NOTE_FIELDS)),
  http.get(`${BASE}/Tickets/:id`, ({ params }) => HttpResponse.json({ item: Number(params.id) === ticket.id ? ticket : null })),
  http.post(`${BASE}/Tickets`, () => HttpResponse.json({ itemId: ticket.id })),
  http.patch(`${BASE}/Tickets`, async ({ request }) => {
    Object.assign(ticket, (await request.clone().json()) as Json);
    return HttpResponse.json({ itemId: ticket.id });
  }),
  http.post(`${BASE}/Tickets/:id/Notes`, () => HttpResponse.json({ itemId: 9001 })),
  http.post(`${BASE}/Companies/query`, () => HttpResponse.json({ ...EMPTY_PAGE, items: [{ id: 7, companyName: "Contoso" }] })),
  http.post(`${BASE}/Contacts/query`, () => HttpResponse.json(EMPTY_PAGE)),
  http.post(`${BASE}/Resources/query`, () => HttpResponse.json({ ...EMPTY_PAGE, items: [{ id: 30, firstName: "Ada", lastName: "Lovelace" }] })),
  http.post(`${BASE}/Roles/query`, () => HttpResponse.json({ ...EMPTY_PAGE, items: [{ id: 29683400, name: "Level 1 Support" }] })),
  http.post(`${BASE}/ResourceServiceDeskRoles/query`, () =>
    HttpResponse.json({ ...EMPTY_PAGE, items: [{ id: 1, resourceID: 30, roleID: 29683400, isDefault: true, isActive: true }] }),
  ),
);

beforeAll(() => {
  mswServer.listen({ onUnhandledRequest: "error" });
  mswServer.events.on("request:start", async ({ request }) => {
    const text = request.method === "GET" ? "" : await request.clone().text();
    sent.push({ method: request.method, path: new URL(request.url).pathname.split("/V1.0")[1] ?? "", body: text ? JSON.parse(text) : undefined });
  });
});
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());
beforeEach(() => {
  sent.length = 0;
  fieldsLoads = 0;
  ticket = {
    id: 555,
    ticketNumber: "T20261127.0042",
    title: "Printer jams",
    companyID: 7,
    status: 1,
    priority: 2,
    createDate: "2026-11-27T10:00:00Z",
  };
});

const writes = () => sent.filter((r) => r.method !== "GET" && !r.path.endsWith("/query"));

async function call(name: string, args: Json) {
  const conn = await connectWithMsw();
  try {
    return await conn.client.callTool({ name, arguments: args });
  } finally {
    await conn.close();
  }
}

describe("autotask_create_ticket", () => {
  it("sends the tenant's ids for labels, the default status and an SLA due date", async () => {
    // 2026-11-27 is a Friday: High is 8 business hours, 7 of them on Friday (10:00-17:00 UTC), 1 on Monday.
    const result = await call("autotask_create_ticket", {
      companyID: 7,
      title: "Printer jams",
      priority: "high",
      queueID: "Helpdesk Queue",
      subIssueType: "Printer",
      assignedResourceID: 30,
    });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(writes()).toEqual([
      {
        method: "POST",
        path: "/Tickets",
        body: {
          companyID: 7,
          title: "Printer jams",
          status: 1,
          priority: 5,
          queueID: 29683325,
          subIssueType: 136,
          issueType: 10,
          assignedResourceID: 30,
          assignedResourceRoleID: 29683400,
          dueDateTime: "2026-11-30T09:00:00.000Z",
          // This call's write key, for an exact read-back if the answer is lost (see WriteLedger).
          externalID: expect.stringMatching(/^mcp:[0-9a-f]{40}$/),
        },
      },
    ]);
  });

  it("reloads the picklists once when Autotask says a value no longer exists, then succeeds", async () => {
    let posts = 0;
    mswServer.use(
      http.post(`${BASE}/Tickets`, () => {
        posts += 1;
        return posts === 1
          ? HttpResponse.json({ errors: ["Picklist value [5] does not exist for priority"] }, { status: 500 })
          : HttpResponse.json({ itemId: ticket.id });
      }),
    );
    const result = await call("autotask_create_ticket", { companyID: 7, title: "Printer jams", priority: "High" });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(posts).toBe(2);
    expect(fieldsLoads).toBe(2);
  });

  it("passes Autotask's validation message through and does not retry it", async () => {
    mswServer.use(
      http.post(`${BASE}/Tickets`, () =>
        HttpResponse.json({ errors: ["queueID is required"] }, { status: 500 }),
      ),
    );
    const result = await call("autotask_create_ticket", { companyID: 7, title: "Printer jams" });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/queueID is required/);
    expect(writes()).toHaveLength(1);
  });
  it("refuses a status whose workflow requirement a create cannot meet, before anything is written", async () => {
    // The same requirements autotask_update_ticket enforces (domain/workflow.ts): Complete needs a
    // resolution, Escalated an escalation reason; the create has neither argument.
    for (const [status, required] of [["Complete", "resolution"], ["escalated", "escalationReason"]] as const) {
      sent.length = 0;
      const result = await call("autotask_create_ticket", { companyID: 7, title: "Printer jams", status });
      expect(result.isError, status).toBe(true);
      const text = JSON.stringify(result.content);
      expect(text).toContain(`Required: ${required}`);
      expect(text).toContain("autotask_update_ticket");
      expect(writes()).toEqual([]);
    }
    // A status without such a requirement still creates.
    const ok = await call("autotask_create_ticket", { companyID: 7, title: "Printer jams", status: "In Progress" });
    expect(ok.isError, JSON.stringify(ok.content)).toBeFalsy();
  });
});

describe("autotask_create_ticket values", () => {
  it("sends user-defined field values as strings, checked against the tenant's definitions", async () => {
    mswServer.use(
      http.get(`${BASE}/Tickets/entityInformation/userDefinedFields`, () =>
        HttpResponse.json({
          fields: [
            { name: "Customer Reference", type: "string", length: 100, isPickList: false, isReadOnly: false },
            { name: "Agreed Start Date", type: "datetime", length: 0, isPickList: false, isReadOnly: false },
          ],
        }),
      ),
    );
    const bad = await call("autotask_create_ticket", { companyID: 7, title: "UDF", userDefinedFields: { "Agreed Start Date": "not a date" } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/User-defined field \\"Agreed Start Date\\" was the text \\"not a date\\"; pass an ISO 8601 date/);
    const flag = await call("autotask_create_ticket", { companyID: 7, title: "UDF", userDefinedFields: { "Customer Reference": true } });
    expect(flag.isError).toBe(true);
    expect(JSON.stringify(flag.content)).toMatch(/Customer Reference.*pass text/);
    expect(writes()).toEqual([]);

    const good = await call("autotask_create_ticket", { companyID: 7, title: "UDF", userDefinedFields: { "Customer Reference": 123 } });
    expect(good.isError, JSON.stringify(good.content)).toBeFalsy();
    expect(writes()[0]?.body?.userDefinedFields).toEqual([{ name: "Customer Reference", value: "123" }]);
  });

  it("refuses an estimate beyond MAX_ESTIMATED_HOURS and ids beyond int32, sending nothing", async () => {
    const hours = await call("autotask_create_ticket", { companyID: 7, title: "Huge", estimatedHours: 1e300 });
    expect(hours.isError).toBe(true);
    expect(JSON.stringify(hours.content)).toMatch(/estimatedHours 1e\+300 is out of range: pass the estimate in hours, from 0 to 10,000/);
    const company = await call("autotask_create_ticket", { companyID: 3_000_000_000, title: "Big id" });
    expect(company.isError).toBe(true);
    expect(JSON.stringify(company.content)).toMatch(/companyID 3000000000 is not an Autotask id: ids are whole numbers from 0 to 2,147,483,647/);
    expect(writes()).toEqual([]);
  });

  it("warns when the company is inactive (no source says Autotask refuses it)", async () => {
    mswServer.use(http.post(`${BASE}/Companies/query`, () => HttpResponse.json({ ...EMPTY_PAGE, items: [{ id: 7, companyName: "Contoso", isActive: false }] })));
    const result = await call("autotask_create_ticket", { companyID: 7, title: "For an old customer" });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(JSON.stringify(result.content)).toMatch(/Company Contoso \(7\) is inactive in Autotask/);
  });
});

describe("autotask_update_ticket", () => {
  it("PATCHes only the changed fields and reports what Autotask's workflow rules changed", async () => {
    mswServer.use(
      http.patch(`${BASE}/Tickets`, async ({ request }) => {
        Object.assign(ticket, (await request.clone().json()) as Json);
        ticket.queueID = 5; // a workflow rule moves the ticket to another queue
        return HttpResponse.json({ itemId: ticket.id });
      }),
    );
    const result = await call("autotask_update_ticket", { ticketId: 555, title: "Printer jams", queueID: "Helpdesk Queue", priority: "Low" });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(writes()).toEqual([{ method: "PATCH", path: "/Tickets", body: { id: 555, priority: 3, queueID: 29683325 } }]);
    const structured = result.structuredContent as Json;
    expect(structured.changedByAutotask).toEqual([{ field: "queueID", from: 29683325, to: 5 }]);
    expect(JSON.stringify(result.content)).toMatch(/workflow rules changed queueID/);
  });

  it("refuses an inactive status or queue, saying the value is inactive", async () => {
    for (const args of [{ status: "Waiting Materials" }, { queueID: "Recurring Tickets" }]) {
      const result = await call("autotask_update_ticket", { ticketId: 555, ...args });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toMatch(/is inactive in this tenant/);
    }
    expect(writes()).toEqual([]);
  });

  it("answers a repeated update as unchanged without sending anything, and refuses a call with no change", async () => {
    ticket.priority = 3;
    const repeated = await call("autotask_update_ticket", { ticketId: 555, priority: "Low" });
    expect(repeated.isError, JSON.stringify(repeated.content)).toBeFalsy();
    expect((repeated.structuredContent as Json).changed).toEqual([]);
    expect(JSON.stringify(repeated.content)).toMatch(/unchanged/);
    const empty = await call("autotask_update_ticket", { ticketId: 555 });
    expect(empty.isError).toBe(true);
    expect(JSON.stringify(empty.content)).toMatch(/No change given/);
    expect(writes()).toEqual([]);
  });

  it("records an escalation reason as an internal note after the status change", async () => {
    ticket.status = 8;
    ticket.assignedResourceID = 30;
    ticket.assignedResourceRoleID = 29683400;
    const result = await call("autotask_update_ticket", { ticketId: 555, status: "escalated", escalationReason: "Needs the vendor." });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(writes()).toEqual([
      { method: "PATCH", path: "/Tickets", body: { id: 555, status: 11 } },
      {
        method: "POST",
        path: "/Tickets/555/Notes",
        body: { ticketID: 555, title: "Escalation reason", description: "Needs the vendor.", noteType: 2, publish: 2 },
      },
    ]);
  });

  it("unassigns with assignedResourceID null: resource and role cleared in one PATCH; create still refuses null", async () => {
    ticket.assignedResourceID = 30;
    ticket.assignedResourceRoleID = 29683400;
    const result = await call("autotask_update_ticket", { ticketId: 555, assignedResourceID: null });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(writes()).toEqual([{ method: "PATCH", path: "/Tickets", body: { id: 555, assignedResourceID: null, assignedResourceRoleID: null } }]);
    const structured = result.structuredContent as Json;
    expect(structured.changed).toEqual(["assignedResourceID", "assignedResourceRoleID"]);
    expect(structured.ticket.assignedResource).toBeUndefined();
    expect(structured.changedByAutotask).toBeUndefined();

    // Already unassigned: nothing to send.
    sent.length = 0;
    const again = await call("autotask_update_ticket", { ticketId: 555, assignedResourceID: null });
    expect(again.isError, JSON.stringify(again.content)).toBeFalsy();
    expect((again.structuredContent as Json).changed).toEqual([]);
    // A role with null contradicts; a create cannot be "unassigned" by null (it is simply left out).
    const withRole = await call("autotask_update_ticket", { ticketId: 555, assignedResourceID: null, assignedResourceRoleID: 29683400 });
    expect(withRole.isError).toBe(true);
    expect(JSON.stringify(withRole.content)).toMatch(/unassigning clears the role too/);
    const create = await call("autotask_create_ticket", { companyID: 7, title: "Null assignee", assignedResourceID: null });
    expect(create.isError).toBe(true);
    expect(JSON.stringify(create.content)).toMatch(/assignedResourceID/);
    expect(writes()).toEqual([]);
  });

  it("refuses to complete without a resolution and sends nothing", async () => {
    ticket.status = 8;
    const result = await call("autotask_update_ticket", { ticketId: 555, status: "Complete" });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/resolution/);
    expect(writes()).toEqual([]);
  });

  it("refuses escalationReason unless the ticket is being (or already is) escalated, writing nothing", async () => {
    ticket.status = 8;
    const complete = await call("autotask_update_ticket", { ticketId: 555, status: "Complete", resolution: "Fixed.", escalationReason: "Vendor." });
    expect(complete.isError).toBe(true);
    expect(JSON.stringify(complete.content)).toMatch(/escalationReason is only for escalating \(status Escalated\), but the status given is Complete/);
    const noStatus = await call("autotask_update_ticket", { ticketId: 555, escalationReason: "Vendor." });
    expect(noStatus.isError).toBe(true);
    expect(JSON.stringify(noStatus.content)).toMatch(/is In Progress, not escalated. To escalate, pass status \\"Escalated\\"/);
    expect(writes()).toEqual([]);

    // Already escalated: a further reason is one more internal note, no PATCH.
    ticket.status = 11;
    const more = await call("autotask_update_ticket", { ticketId: 555, escalationReason: "Still waiting on the vendor." });
    expect(more.isError, JSON.stringify(more.content)).toBeFalsy();
    expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual(["POST /Tickets/555/Notes"]);
  });

  it("warns when the ticket moves to an inactive company", async () => {
    mswServer.use(http.post(`${BASE}/Companies/query`, () => HttpResponse.json({ ...EMPTY_PAGE, items: [{ id: 8, companyName: "Old Co", isActive: false }] })));
    const result = await call("autotask_update_ticket", { ticketId: 555, companyID: 8 });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(JSON.stringify(result.content)).toMatch(/Company Old Co \(8\) is inactive in Autotask/);
  });
});

describe("autotask_create_ticket_note", () => {
  it("publishes internally by default and to all users only when asked", async () => {
    await call("autotask_create_ticket_note", { ticketID: 555, description: "Replaced toner.\nWorks now." });
    await call("autotask_create_ticket_note", { ticketId: 555, description: "Fixed, thanks for waiting.", publish: "all", noteType: "Task Summary" });
    expect(writes()).toEqual([
      { method: "POST", path: "/Tickets/555/Notes", body: { ticketID: 555, title: "Replaced toner.", description: "Replaced toner.\nWorks now.", noteType: 2, publish: 2 } },
      {
        method: "POST",
        path: "/Tickets/555/Notes",
        body: { ticketID: 555, title: "Fixed, thanks for waiting.", description: "Fixed, thanks for waiting.", noteType: 1, publish: 1 },
      },
    ]);
  });
  it("makes a note client-visible only for publish \"all\" or the tenant's own label, refusing synonyms by naming \"all\"", async () => {
    for (const publish of ["everyone", "public", "client"]) {
      const result = await call("autotask_create_ticket_note", { ticketID: 555, description: "Shared?", publish });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toMatch(/publish: \\"all\\"/);
    }
    expect(writes()).toEqual([]);
    const byLabel = await call("autotask_create_ticket_note", { ticketID: 555, description: "Shared.", publish: "All Autotask Users" });
    expect(byLabel.isError, JSON.stringify(byLabel.content)).toBeFalsy();
    expect(writes().map((w) => w.body?.publish)).toEqual([1]);
  });
});
