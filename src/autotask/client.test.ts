/**
 * AutotaskClient against msw: what goes on the wire for every operation, paging, retries, limits and
 * zone discovery. Every unhandled request fails the test, so nothing can reach a real host.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type AutotaskClientOptions, AutotaskClient } from "./client.js";
import {
  AutotaskAuthenticationError,
  AutotaskConfigurationError,
  AutotaskNetworkError,
  AutotaskRateLimitError,
  AutotaskServerError,
  AutotaskValidationError,
  QueryValidationError,
} from "./errors.js";
import { eq, exist, inList, or, type QuerySpec } from "./query.js";
import type { TicketCreate, TicketNoteCreate } from "./schemas.js";

const BASE = "https://webservices5.autotask.net/ATServicesRest/V1.0/";
const ZONE_LOOKUP = "https://webservices.autotask.net/ATServicesRest/V1.0/zoneInformation";
const CREDENTIALS = {
  username: "api-user@example.com",
  secret: "s3cr3t-VALUE-never-shown",
  integrationCode: "INTEGRATION-CODE-XYZ",
};

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

const server = setupServer();
let recorded: Recorded[] = [];

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  server.events.on("request:start", async ({ request }) => {
    const text = await request.clone().text();
    recorded.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers.entries()),
      body: text === "" ? undefined : JSON.parse(text),
    });
  });
});
afterEach(() => {
  server.resetHandlers();
  recorded = [];
  vi.useRealTimers();
});
afterAll(() => server.close());

const sleeps: number[] = [];
function makeClient(options: Partial<AutotaskClientOptions> = {}): AutotaskClient {
  sleeps.length = 0;
  return new AutotaskClient({
    credentials: CREDENTIALS,
    apiUrl: BASE,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    // The background usage refresh has its own test; elsewhere it would add requests to the recordings.
    thresholdRefreshEveryRequests: false,
    ...options,
  });
}

async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

const ticket = (id: number) => ({ id, title: `Ticket ${id}`, status: 1, priority: 2, userDefinedFields: [] });
const page = (items: unknown[], nextPageUrl: string | null = null) => ({
  items,
  pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl },
});
const expectedAuthHeaders = {
  apiintegrationcode: CREDENTIALS.integrationCode,
  username: CREDENTIALS.username,
  secret: CREDENTIALS.secret,
  accept: "application/json",
};

describe("requests sent for each operation", () => {
  const spec: QuerySpec = { filter: [eq("companyID", 174), or(eq("status", 1), inList("priority", [1, 4]))], includeFields: ["title"], maxRecords: 50 };
  const specBody = {
    MaxRecords: 50,
    IncludeFields: ["id", "title"],
    Filter: [
      { op: "eq", field: "companyID", value: 174 },
      { op: "or", items: [{ op: "eq", field: "status", value: 1 }, { op: "in", field: "priority", value: [1, 4] }] },
    ],
  };

  type Case = {
    name: string;
    method: string;
    path: string;
    reply: unknown;
    call: (client: AutotaskClient) => Promise<unknown>;
    body?: unknown;
    result: unknown;
  };
  const cases: Case[] = [
    { name: "getTicket", method: "GET", path: "Tickets/42", reply: { item: ticket(42) }, call: (c) => c.getTicket(42), result: ticket(42) },
    {
      name: "queryTicketsPage",
      method: "POST",
      path: "Tickets/query",
      reply: page([ticket(1)]),
      call: (c) => c.queryTicketsPage(spec).then((p) => p.items),
      body: specBody,
      result: [ticket(1)],
    },
    {
      name: "countTickets",
      method: "POST",
      path: "Tickets/query/count",
      reply: { queryCount: 17 },
      call: (c) => c.countTickets({ filter: [eq("status", 1)] }),
      body: { Filter: [{ op: "eq", field: "status", value: 1 }] },
      result: 17,
    },
    {
      name: "createTicket",
      method: "POST",
      path: "Tickets",
      reply: { itemId: 900 },
      call: (c) => c.createTicket({ companyID: 174, title: "Printer down", status: 1, priority: 2 }),
      body: { companyID: 174, title: "Printer down", status: 1, priority: 2 },
      result: 900,
    },
    {
      name: "updateTicket",
      method: "PATCH",
      path: "Tickets",
      reply: { itemId: 900 },
      call: (c) => c.updateTicket({ id: 900, status: 5, resolution: "Replaced toner" }),
      body: { id: 900, status: 5, resolution: "Replaced toner" },
      result: 900,
    },
    {
      name: "listTicketNotes",
      method: "GET",
      path: "Tickets/900/Notes",
      reply: page([{ id: 5, ticketID: 900, title: "n", description: "d", noteType: 1, publish: 2 }]),
      call: (c) => c.listTicketNotes(900),
      result: [{ id: 5, ticketID: 900, title: "n", description: "d", noteType: 1, publish: 2 }],
    },
    {
      name: "queryTicketNotes",
      method: "POST",
      path: "TicketNotes/query",
      reply: page([{ id: 6, ticketID: 1 }]),
      call: (c) => collect(c.queryTicketNotes({ filter: [inList("ticketID", [1, 2])] })),
      body: { MaxRecords: 500, Filter: [{ op: "in", field: "ticketID", value: [1, 2] }] },
      result: [[{ id: 6, ticketID: 1 }]],
    },
    {
      name: "createTicketNote",
      method: "POST",
      path: "Tickets/900/Notes",
      reply: { itemId: 31 },
      call: (c) => c.createTicketNote(900, { title: "Called", description: "Left a message", noteType: 1, publish: 2 } as TicketNoteCreate),
      body: { title: "Called", description: "Left a message", noteType: 1, publish: 2, ticketID: 900 },
      result: 31,
    },
    {
      name: "queryCompanies",
      method: "POST",
      path: "Companies/query",
      reply: page([{ id: 174, companyName: "Acme" }]),
      call: (c) => collect(c.queryCompanies({ filter: [inList("id", [174])], maxRecords: 10 })),
      body: { MaxRecords: 10, Filter: [{ op: "in", field: "id", value: [174] }] },
      result: [[{ id: 174, companyName: "Acme" }]],
    },
    {
      name: "queryContacts",
      method: "POST",
      path: "Contacts/query",
      reply: page([{ id: 3, firstName: "Ann", isActive: 1 }]),
      call: (c) => collect(c.queryContacts({ filter: [eq("companyID", 174)] }, { maxTotal: 25 })),
      body: { MaxRecords: 25, Filter: [{ op: "eq", field: "companyID", value: 174 }] },
      result: [[{ id: 3, firstName: "Ann", isActive: 1 }]],
    },
    {
      name: "queryResources",
      method: "POST",
      path: "Resources/query",
      reply: page([{ id: 29682885, firstName: "Sam", isActive: true }]),
      call: (c) => collect(c.queryResources({ filter: [eq("isActive", true)] })),
      body: { MaxRecords: 500, Filter: [{ op: "eq", field: "isActive", value: true }] },
      result: [[{ id: 29682885, firstName: "Sam", isActive: true }]],
    },
    {
      name: "queryResourceServiceDeskRoles",
      method: "POST",
      path: "ResourceServiceDeskRoles/query",
      reply: page([{ id: 1, resourceID: 29682885, roleID: 8, isActive: true, isDefault: true }]),
      call: (c) => collect(c.queryResourceServiceDeskRoles({ filter: [eq("resourceID", 29682885)] })),
      body: { MaxRecords: 500, Filter: [{ op: "eq", field: "resourceID", value: 29682885 }] },
      result: [[{ id: 1, resourceID: 29682885, roleID: 8, isActive: true, isDefault: true }]],
    },
    {
      name: "getFieldInfo",
      method: "GET",
      path: "Tickets/entityInformation/fields",
      reply: { fields: [{ name: "title", dataType: "string", length: 255, isPickList: false, picklistValues: null }] },
      call: (c) => c.getFieldInfo("Tickets"),
      result: [{ name: "title", dataType: "string", length: 255, isPickList: false, picklistValues: null }],
    },
    {
      name: "getUserDefinedFieldInfo",
      method: "GET",
      path: "Tickets/entityInformation/userDefinedFields",
      reply: { fields: [{ name: "Ext URL", type: "string", length: 8000, isPickList: false }] },
      call: (c) => c.getUserDefinedFieldInfo("Tickets"),
      result: [{ name: "Ext URL", type: "string", dataType: "string", length: 8000, isPickList: false }],
    },
    {
      name: "getThresholdInformation",
      method: "GET",
      path: "ThresholdInformation",
      reply: { externalRequestThreshold: 10000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 124 },
      call: (c) => c.getThresholdInformation(),
      result: { externalRequestThreshold: 10000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 124 },
    },
  ];

  it.each(cases)("$name sends $method $path with the auth headers and exact body", async (testCase) => {
    server.use(http.all(`${BASE}${testCase.path}`, () => HttpResponse.json(testCase.reply as Record<string, unknown>)));
    const client = makeClient({ credentials: { ...CREDENTIALS, impersonationResourceId: 29682885 } });

    await expect(testCase.call(client)).resolves.toEqual(testCase.result);

    expect(recorded).toHaveLength(1);
    const [request] = recorded;
    expect(request!.method).toBe(testCase.method);
    expect(request!.url).toBe(`${BASE}${testCase.path}`);
    expect(request!.headers).toMatchObject({ ...expectedAuthHeaders, impersonationresourceid: "29682885" });
    if (testCase.body === undefined) {
      expect(request!.body).toBeUndefined();
      expect(request!.headers["content-type"]).toBeUndefined();
    } else {
      expect(request!.body).toEqual(testCase.body);
      expect(request!.headers["content-type"]).toBe("application/json");
    }
  });

  it("omits ImpersonationResourceId when none is configured", async () => {
    server.use(http.get(`${BASE}Tickets/1`, () => HttpResponse.json({ item: ticket(1) })));
    await makeClient().getTicket(1);
    expect(recorded[0]!.headers).not.toHaveProperty("impersonationresourceid");
  });

  it("resolves getTicket to null on 404 and on {item: null}", async () => {
    server.use(
      http.get(`${BASE}Tickets/404`, () => HttpResponse.json({ errors: ["not found"] }, { status: 404 })),
      http.get(`${BASE}Tickets/5`, () => HttpResponse.json({ item: null })),
    );
    const client = makeClient();
    await expect(client.getTicket(404)).resolves.toBeNull();
    await expect(client.getTicket(5)).resolves.toBeNull();
  });

  it("refuses an invalid id and an unknown operator before sending anything", async () => {
    const client = makeClient();
    await expect(client.getTicket(-1)).rejects.toBeInstanceOf(QueryValidationError);
    const badSpec = { filter: [{ op: "noteExist", field: "dueDateTime" }] } as unknown as QuerySpec;
    await expect(client.queryTicketsPage(badSpec)).rejects.toThrow(/Unknown filter operator "noteExist"/);
    expect(() => client.queryTickets(badSpec)).toThrow(QueryValidationError);
    expect(recorded).toHaveLength(0);
  });

  it("reports an answer it cannot understand as a server error", async () => {
    server.use(http.get(`${BASE}Tickets/7`, () => HttpResponse.json({ item: { title: "no id" } })));
    await expect(makeClient().getTicket(7)).rejects.toBeInstanceOf(AutotaskServerError);
  });
});

describe("paging", () => {
  const spec: QuerySpec = { filter: [exist("id")], includeFields: ["id", "title"], maxRecords: 2 };
  const body = { MaxRecords: 2, IncludeFields: ["id", "title"], Filter: [{ op: "exist", field: "id" }] };
  const next = (n: number) => `${BASE}Tickets/query/next?paging=${encodeURIComponent(JSON.stringify({ pageSize: 2, nextIds: [n] }))}`;

  it("follows three pages, re-POSTing the same body to each nextPageUrl", async () => {
    server.use(
      http.post(`${BASE}Tickets/query`, () => HttpResponse.json(page([ticket(1), ticket(2)], next(3)))),
      http.post(`${BASE}Tickets/query/next`, ({ request }) => {
        const paging = new URL(request.url).searchParams.get("paging")!;
        const first = (JSON.parse(paging) as { nextIds: number[] }).nextIds[0]!;
        return first === 3
          ? HttpResponse.json(page([ticket(3), ticket(4)], next(5)))
          : HttpResponse.json(page([ticket(5)], null));
      }),
    );
    const pages = await collect(makeClient().queryTickets(spec));

    expect(pages.map((p) => p.map((t) => t.id))).toEqual([[1, 2], [3, 4], [5]]);
    expect(recorded.map((r) => [r.method, r.url])).toEqual([
      ["POST", `${BASE}Tickets/query`],
      ["POST", next(3)],
      ["POST", next(5)],
    ]);
    for (const request of recorded) {
      expect(request.body).toEqual(body);
      expect(request.headers).toMatchObject(expectedAuthHeaders);
    }
  });

  it("queryTicketsPage continues a query from a nextPageUrl with the same body", async () => {
    server.use(http.post(`${BASE}Tickets/query/next`, () => HttpResponse.json(page([ticket(3)]))));
    const result = await makeClient().queryTicketsPage(spec, next(3));
    expect(result.items.map((t) => t.id)).toEqual([3]);
    expect(result.pageDetails.nextPageUrl).toBeNull();
    expect(recorded[0]!.url).toBe(next(3));
    expect(recorded[0]!.body).toEqual(body);
  });

  it("stops at maxTotal records, asking only for the page size it needs", async () => {
    server.use(http.post(`${BASE}Tickets/query`, () => HttpResponse.json(page([ticket(1), ticket(2), ticket(3)], next(4)))));
    const pages = await collect(makeClient().queryTickets({ filter: [exist("id")] }, { maxTotal: 3 }));
    expect(pages).toEqual([[ticket(1), ticket(2), ticket(3)]]);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.body).toEqual({ MaxRecords: 3, Filter: [{ op: "exist", field: "id" }] });
  });

  it("clamps MaxRecords into 1..500 in the iterator", async () => {
    server.use(http.post(`${BASE}Tickets/query`, () => HttpResponse.json(page([]))));
    await collect(makeClient().queryTickets({ filter: [exist("id")], maxRecords: 5000 }));
    expect(recorded[0]!.body).toMatchObject({ MaxRecords: 500 });
  });

  it("refuses a nextPageUrl on another host and never sends credentials there", async () => {
    server.use(
      http.post(`${BASE}Tickets/query`, () => HttpResponse.json(page([ticket(1)], "https://evil.example.com/Tickets/query/next?x=1"))),
    );
    const pages: unknown[] = [];
    await expect(async () => {
      for await (const p of makeClient().queryTickets(spec)) pages.push(p);
    }).rejects.toThrow(/another host \(evil\.example\.com\)/);
    expect(pages).toHaveLength(1);
    expect(recorded).toHaveLength(1);
  });

  it("stops with an error when Autotask repeats a page URL", async () => {
    server.use(
      http.post(`${BASE}Tickets/query`, () => HttpResponse.json(page([ticket(1)], next(2)))),
      http.post(`${BASE}Tickets/query/next`, () => HttpResponse.json(page([ticket(2)], next(2)))),
    );
    await expect(collect(makeClient().queryTickets(spec))).rejects.toThrow(/same next-page URL twice/);
    expect(recorded).toHaveLength(2);
  });
});

describe("retries and errors", () => {
  it("waits for Retry-After: 2 after a 429, then succeeds with exactly two requests", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let calls = 0;
    server.use(
      http.get(`${BASE}Tickets/1`, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json({ errors: ["Rate limited"] }, { status: 429, headers: { "Retry-After": "2" } })
          : HttpResponse.json({ item: ticket(1) });
      }),
    );
    // The 429 also makes the client refresh its usage figures (pacing); answer that too.
    server.use(
      http.get(`${BASE}ThresholdInformation`, () =>
        HttpResponse.json({ externalRequestThreshold: 10_000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 10 }),
      ),
    );
    // Real sleep (setTimeout), driven by the fake clock.
    const client = new AutotaskClient({ credentials: CREDENTIALS, apiUrl: BASE });
    const result = client.getTicket(1);

    await vi.advanceTimersByTimeAsync(1_990);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(20);
    await expect(result).resolves.toEqual(ticket(1));
    expect(calls).toBe(2);
  });

  it("retries a write refused with Thread Threshold Exceeded (HTTP 500)", async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}Tickets`, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(
              { errors: ["Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded."] },
              { status: 500 },
            )
          : HttpResponse.json({ itemId: 77 });
      }),
    );
    const client = makeClient();
    await expect(client.createTicket({ title: "x" } as TicketCreate)).resolves.toBe(77);
    expect(recorded).toHaveLength(2);
    expect(recorded[1]!.body).toEqual({ title: "x" });
    expect(sleeps).toEqual([250]); // full jitter: 0.5 * 500 ms
  });

  it("does not retry a 500 validation error and passes Autotask's text on", async () => {
    server.use(
      http.post(`${BASE}Tickets`, () => HttpResponse.json({ errors: ["Picklist value [3] does not exist for priority"] }, { status: 500 })),
    );
    const error = await makeClient()
      .createTicket({ title: "x", priority: 3 } as TicketCreate)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskValidationError);
    const validation = error as AutotaskValidationError;
    expect(validation.status).toBe(500);
    expect(validation.method).toBe("POST");
    expect(validation.path).toBe("/Tickets");
    expect(validation.autotaskErrors).toEqual(["Picklist value [3] does not exist for priority"]);
    expect(validation.message).toMatch(/^Autotask rejected POST \/Tickets \(HTTP 500\): Picklist value \[3\] does not exist for priority\. Hint: /);
    expect(validation.message).not.toContain(CREDENTIALS.secret);
    expect(recorded).toHaveLength(1);
  });

  it("does not retry a create that gets a 503", async () => {
    server.use(http.post(`${BASE}Tickets`, () => new HttpResponse("Service Unavailable", { status: 503 })));
    await expect(makeClient().createTicket({ title: "x" } as TicketCreate)).rejects.toBeInstanceOf(AutotaskServerError);
    expect(recorded).toHaveLength(1);
  });

  it("retries a query that gets a 503", async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}Tickets/query/count`, () => {
        calls += 1;
        return calls === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ queryCount: 3 });
      }),
    );
    await expect(makeClient().countTickets({ filter: [exist("id")] })).resolves.toBe(3);
    expect(recorded).toHaveLength(2);
  });

  it("never retries a 401", async () => {
    server.use(http.get(`${BASE}Tickets/1`, () => new HttpResponse(null, { status: 401 })));
    const error = await makeClient()
      .getTicket(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskAuthenticationError);
    expect((error as Error).message).not.toContain(CREDENTIALS.secret);
    expect(recorded).toHaveLength(1);
  });

  it("marks a write whose connection dropped as maybe committed, and does not retry it", async () => {
    server.use(http.post(`${BASE}Tickets/900/Notes`, () => HttpResponse.error()));
    const error = await makeClient()
      .createTicketNote(900, { description: "x" } as TicketNoteCreate)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskNetworkError);
    expect((error as AutotaskNetworkError).maybeCommitted).toBe(true);
    expect(recorded).toHaveLength(1);
  });

  it("retries a read after a network error", async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}Tickets/1`, () => {
        calls += 1;
        return calls === 1 ? HttpResponse.error() : HttpResponse.json({ item: ticket(1) });
      }),
    );
    await expect(makeClient().getTicket(1)).resolves.toEqual(ticket(1));
    expect(recorded).toHaveLength(2);
  });

  it("gives up with a rate-limit error carrying Retry-After once attempts run out", async () => {
    server.use(http.get(`${BASE}Tickets/1`, () => new HttpResponse(null, { status: 429, headers: { "Retry-After": "3" } })));
    const error = await makeClient({ retry: { maxAttempts: 2 } })
      .getTicket(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskRateLimitError);
    expect((error as AutotaskRateLimitError).retryAfterMs).toBe(3000);
    expect(recorded).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
  });

  it("stops retrying when the next wait would pass the deadline", async () => {
    server.use(http.get(`${BASE}Tickets/1`, () => new HttpResponse(null, { status: 429, headers: { "Retry-After": "30" } })));
    await expect(makeClient({ deadlineMs: 10_000 }).getTicket(1)).rejects.toBeInstanceOf(AutotaskRateLimitError);
    expect(recorded).toHaveLength(1);
  });

  it("passes the caller's abort reason through instead of wrapping it", async () => {
    const controller = new AbortController();
    server.use(
      http.get(`${BASE}Tickets/1`, () => {
        controller.abort(new Error("tool call cancelled"));
        return HttpResponse.json({ item: ticket(1) });
      }),
    );
    await expect(makeClient().getTicket(1, { signal: controller.signal })).rejects.toThrow("tool call cancelled");
  });
});

describe("limits", () => {
  it("lets no more than 3 requests reach one endpoint when 20 are issued at once", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    server.use(
      http.get(`${BASE}Tickets/:id`, async ({ params }) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return HttpResponse.json({ item: ticket(Number(params.id)) });
      }),
    );
    const client = makeClient();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.getTicket(i + 1)));

    expect(results.map((t) => t?.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(maxInFlight).toBe(3);
    expect(client.requestCount).toBe(20);
  });

  it("slows down when the last known hourly usage is at 75% or more", async () => {
    server.use(
      http.get(`${BASE}ThresholdInformation`, () =>
        HttpResponse.json({ externalRequestThreshold: 10000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 8000 }),
      ),
      http.get(`${BASE}Tickets/1`, () => HttpResponse.json({ item: ticket(1) })),
    );
    const client = makeClient();
    await client.getTicket(1);
    expect(sleeps).toEqual([]);
    await client.getThresholdInformation();
    await client.getTicket(1);
    expect(sleeps).toEqual([500]);
  });

  it("feeds the pacing: refreshes ThresholdInformation after a 429 and every N requests while busy", async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}ThresholdInformation`, () =>
        HttpResponse.json({ externalRequestThreshold: 10000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 9500 }),
      ),
      http.get(`${BASE}Tickets/:id`, ({ params }) => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json({ errors: ["Rate limited"] }, { status: 429, headers: { "Retry-After": "1" } })
          : HttpResponse.json({ item: ticket(Number(params.id)) });
      }),
    );
    const client = makeClient({ thresholdRefreshEveryRequests: 3 });
    await client.getTicket(1);
    await vi.waitFor(() => expect(recorded.filter((r) => r.url.endsWith("/ThresholdInformation"))).toHaveLength(1));
    // 95% of the hourly threshold: every later request waits 2 s first (thresholdPacingDelay).
    sleeps.length = 0;
    await client.getTicket(2);
    expect(sleeps).toContain(2_000);
    await client.getTicket(3);
    await client.getTicket(4);
    await vi.waitFor(() => expect(recorded.filter((r) => r.url.endsWith("/ThresholdInformation"))).toHaveLength(2));
  });

  it("reports every attempt to onResponse without credentials", async () => {
    const events: unknown[] = [];
    server.use(http.get(`${BASE}Tickets/1`, () => HttpResponse.json({ item: ticket(1) })));
    await makeClient({ onResponse: (event) => events.push(event), now: () => 1000 }).getTicket(1);
    expect(events).toEqual([
      { method: "GET", path: "/Tickets/1", endpoint: "Tickets", attempt: 1, status: 200, outcome: "ok", durationMs: 0 },
    ]);
  });
});

describe("zone discovery", () => {
  it("looks the zone up once for many concurrent requests and uses its URL", async () => {
    let lookups = 0;
    server.use(
      http.get(ZONE_LOOKUP, ({ request }) => {
        lookups += 1;
        expect(new URL(request.url).searchParams.get("user")).toBe(CREDENTIALS.username);
        return HttpResponse.json({ zoneName: "Zone 5", url: "https://webservices5.autotask.net/ATServicesRest/", webUrl: "https://ww5.autotask.net/", ci: 1 });
      }),
      http.get(`${BASE}Tickets/:id`, ({ params }) => HttpResponse.json({ item: ticket(Number(params.id)) })),
    );
    const client = makeClient({ apiUrl: undefined });
    await Promise.all([1, 2, 3, 4, 5].map((id) => client.getTicket(id)));
    await client.getTicket(6);

    expect(lookups).toBe(1);
    const lookup = recorded.find((r) => r.url.startsWith(ZONE_LOOKUP))!;
    // The lookup is unauthenticated: the secret is not sent to it.
    expect(lookup.headers).not.toHaveProperty("secret");
    expect(recorded.filter((r) => r.url.startsWith(`${BASE}Tickets/`))).toHaveLength(6);
  });

  it("explains a failed lookup with AUTOTASK_API_URL, and tries again next time", async () => {
    let lookups = 0;
    server.use(
      http.get(ZONE_LOOKUP, () => {
        lookups += 1;
        return HttpResponse.json({ errors: ["Zone information could not be determined"] }, { status: 500 });
      }),
    );
    const client = makeClient({ apiUrl: undefined });
    const error = await client.getTicket(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskConfigurationError);
    expect((error as Error).message).toMatch(/Zone information could not be determined.*AUTOTASK_API_URL/);
    await expect(client.getTicket(1)).rejects.toBeInstanceOf(AutotaskConfigurationError);
    expect(lookups).toBe(2);
  });

  it("refuses a plain-http API URL that is not loopback", () => {
    expect(() => makeClient({ apiUrl: "http://webservices5.autotask.net/ATServicesRest/" })).toThrow(AutotaskConfigurationError);
    expect(() => makeClient({ apiUrl: "http://127.0.0.1:4700/ATServicesRest/" })).not.toThrow();
  });
});
