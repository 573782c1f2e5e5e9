/**
 * What autotask_search_tickets sends to Autotask: the exact filter for each argument (no invalid
 * operator ever reaches Autotask), and how many requests one search costs cold and warm.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BASE, connectWithMsw, TICKET_FIELDS } from "../../test/support/fake-autotask.js";

const requests: Array<{ method: string; url: string; body: unknown }> = [];
const queryBodies: unknown[] = [];

const ROWS = [
  { id: 101, ticketNumber: "T20261120.0001", title: "Printer offline", status: 8, priority: 5, companyID: 7, assignedResourceID: 30, dueDateTime: "2026-11-30T17:00:00Z", createDate: "2026-11-20T09:00:00Z" },
  { id: 102, ticketNumber: "T20261121.0002", title: "New starter laptop", status: 1, priority: 2, companyID: 8, assignedResourceID: null, dueDateTime: null, createDate: "2026-11-21T09:00:00Z" },
];

const mswServer = setupServer(
  http.get(`${BASE}/Tickets/entityInformation/fields`, () => HttpResponse.json(TICKET_FIELDS)),
  http.post(`${BASE}/Tickets/query`, async ({ request }) => {
    queryBodies.push(await request.clone().json());
    return HttpResponse.json({ items: ROWS, pageDetails: { count: 2, requestCount: 25, prevPageUrl: null, nextPageUrl: null } });
  }),
  http.post(`${BASE}/Companies/query`, () =>
    HttpResponse.json({ items: [{ id: 7, companyName: "Contoso" }, { id: 8, companyName: "Fabrikam" }], pageDetails: { count: 2, requestCount: 500, prevPageUrl: null, nextPageUrl: null } }),
  ),
  http.post(`${BASE}/Resources/query`, () =>
    HttpResponse.json({
      items: [
        { id: 30, firstName: "Ada", lastName: "Lovelace" },
        { id: 31, firstName: "Grace", lastName: "Hopper" },
      ],
      pageDetails: { count: 2, requestCount: 500, prevPageUrl: null, nextPageUrl: null },
    }),
  ),
);

beforeAll(() => {
  mswServer.listen({ onUnhandledRequest: "error" });
  mswServer.events.on("request:start", async ({ request }) => {
    const body = request.method === "GET" ? undefined : await request.clone().text();
    requests.push({ method: request.method, url: request.url, body });
  });
});
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());
beforeEach(() => {
  requests.length = 0;
  queryBodies.length = 0;
});

async function search(args: Record<string, unknown>) {
  const conn = await connectWithMsw();
  try {
    const result = await conn.client.callTool({ name: "autotask_search_tickets", arguments: args });
    return result;
  } finally {
    await conn.close();
  }
}

describe("autotask_search_tickets filters", () => {
  it("turns status open into notIn of the tenant's complete ids, labels into ids, unassigned into notExist", async () => {
    const result = await search({ status: "open", priority: ["high", "Critical"], unassigned: true, queueID: "helpdesk queue" });
    expect(result.isError).toBeFalsy();
    expect(queryBodies).toEqual([
      {
        MaxRecords: 26,
        IncludeFields: expect.arrayContaining(["id", "ticketNumber", "title", "status", "priority", "companyID"]),
        Filter: [
          { op: "notIn", field: "status", value: [5] },
          { op: "in", field: "priority", value: [5, 1] },
          { op: "eq", field: "queueID", value: 29683325 },
          { op: "notExist", field: "assignedResourceID" },
        ],
      },
    ]);
  });

  it("matches a ticket number by prefix and other words in title or description", async () => {
    await search({ searchTerm: "t20261120" });
    await search({ searchTerm: "printer offline", createdAfter: "2026-11-01", dueBefore: "2026-11-27T12:00:00+01:00" });
    expect((queryBodies[0] as { Filter: unknown }).Filter).toEqual([{ op: "beginsWith", field: "ticketNumber", value: "T20261120" }]);
    expect((queryBodies[1] as { Filter: unknown }).Filter).toEqual([
      { op: "or", items: [{ op: "contains", field: "title", value: "printer offline" }, { op: "contains", field: "description", value: "printer offline" }] },
      { op: "gte", field: "createDate", value: "2026-11-01T00:00:00.000Z" },
      { op: "lt", field: "dueDateTime", value: "2026-11-27T11:00:00.000Z" },
    ]);
  });

  it("refuses an unknown status before anything is queried", async () => {
    const result = await search({ status: "Pending" });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/Pending/);
    expect(queryBodies).toHaveLength(0);
  });

  it("costs at most 4 requests cold and 2 warm, even when a page names new companies and technicians", async () => {
    const conn = await connectWithMsw();
    try {
      const cold = await conn.client.callTool({ name: "autotask_search_tickets", arguments: { status: "open" } });
      expect(cold.isError).toBeFalsy();
      const coldCount = requests.length;
      requests.length = 0;
      mswServer.use(
        http.post(`${BASE}/Tickets/query`, () =>
          HttpResponse.json({
            items: [{ id: 205, ticketNumber: "T20261125.0009", title: "Backup failed", status: 1, priority: 2, companyID: 9, assignedResourceID: 31 }],
            pageDetails: { count: 1, requestCount: 26, prevPageUrl: null, nextPageUrl: null },
          }),
        ),
      );
      const warm = await conn.client.callTool({ name: "autotask_search_tickets", arguments: { status: "open", pageSize: 10 } });
      expect(warm.isError).toBeFalsy();
      expect(coldCount).toBeLessThanOrEqual(4);
      // The query, and the one new company; technicians were all loaded on the first search.
      expect(requests.map((r) => new URL(r.url).pathname.split("/V1.0/")[1])).toEqual(["Tickets/query", "Companies/query"]);
      const companyLookup = requests.find((r) => r.url.endsWith("/Companies/query"));
      expect(JSON.parse(String(companyLookup?.body)).Filter).toEqual([{ op: "in", field: "id", value: [9] }]);
    } finally {
      await conn.close();
    }
  });

  it("shows labels and names in compact rows without null fields", async () => {
    const result = await search({});
    const rows = (result.structuredContent as { tickets: Array<Record<string, unknown>> }).tickets;
    // The same vocabulary as the details: labels and names beside the ids.
    expect(rows[0]).toMatchObject({
      id: 101,
      ticketNumber: "T20261120.0001",
      status: { id: 8, label: "In Progress" },
      priority: { id: 5, label: "High" },
      company: { id: 7, name: "Contoso" },
      assignedResource: { id: 30, name: "Ada Lovelace" },
      dueDateTime: "2026-11-30T17:00:00Z",
    });
    expect(rows[1]).not.toHaveProperty("assignedResource");
    expect(rows[1]).not.toHaveProperty("dueDateTime");
    expect(JSON.stringify(result)).not.toContain("null");
  });
});
