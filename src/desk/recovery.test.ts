/**
 * Recovery after a write whose answer is lost, asserted at the network edge with msw: what the desk
 * sends to read Autotask back (the exact externalID query, the notes listing), what it accepts as
 * this call's record, and that it never writes a second time on its own.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BASE, NOTE_FIELDS, TICKET_FIELDS } from "../../test/support/fake-autotask.js";
import { AutotaskClient } from "../autotask/client.js";
import { DEFAULT_CALENDAR } from "../domain/calendar.js";
import { createDesk, type Desk } from "./index.js";
import { WriteOutcomeUnknownError } from "./ledger.js";
import { AfterWriteError } from "./outcome.js";

type Json = Record<string, any>;
const NOW = new Date("2026-11-27T10:00:00Z");
const EMPTY = { items: [], pageDetails: { count: 0, requestCount: 500, prevPageUrl: null, nextPageUrl: null } };
const page = (items: Json[]) => ({ items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null } });
/** What a gateway answers when Autotask is unavailable: it says nothing about the write behind it. */
const gateway503 = () => new HttpResponse("<html>503</html>", { status: 503, headers: { "Content-Type": "text/html" } });

const sent: Array<{ method: string; path: string; body?: Json }> = [];
const posts = () => sent.filter((r) => r.method === "POST" && !r.path.endsWith("/query"));

const mswServer = setupServer(
  http.get(`${BASE}/Tickets/entityInformation/fields`, () => HttpResponse.json(TICKET_FIELDS)),
  http.get(`${BASE}/TicketNotes/entityInformation/fields`, () => HttpResponse.json(NOTE_FIELDS)),
  http.get(`${BASE}/Tickets/:id`, ({ params }) => HttpResponse.json({ item: { id: Number(params.id), ticketNumber: "T20261127.0099", companyID: 7, title: "Printer jams", status: 1, priority: 2 } })),
  http.post(`${BASE}/Companies/query`, () => HttpResponse.json(page([{ id: 7, companyName: "Contoso" }]))),
  http.post(`${BASE}/Contacts/query`, () => HttpResponse.json(EMPTY)),
  http.post(`${BASE}/Resources/query`, () => HttpResponse.json(EMPTY)),
);

let desk: Desk;
let api: AutotaskClient;
beforeAll(() => {
  mswServer.listen({ onUnhandledRequest: "error" });
  mswServer.events.on("request:start", async ({ request }) => {
    const text = request.method === "GET" ? "" : await request.clone().text();
    sent.push({ method: request.method, path: new URL(request.url).pathname.split("/V1.0")[1] ?? "", body: text ? JSON.parse(text) : undefined });
  });
});
beforeEach(() => {
  sent.length = 0;
  api = new AutotaskClient({
    credentials: { username: "api@example.com", secret: "s3cret-value", integrationCode: "CODE" },
    apiUrl: `${BASE}/`,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  desk = createDesk(
    api,
    {
      readOnly: false,
      calendar: DEFAULT_CALENDAR,
      mappingOverrides: {},
      defaultNotesInDetails: 5,
      duplicateWindowMs: 60_000,
      writeSettleMs: 60_000,
      writeRecoveryDelaysMs: [1, 1],
    },
    () => NOW,
    pino({ level: "silent" }),
  );
});
afterEach(async () => {
  mswServer.resetHandlers();
  await api.close();
});
afterAll(() => mswServer.close());

describe("creating a ticket when the answer is lost", () => {
  it("queries Autotask for exactly the externalID the create carried, and returns that ticket without creating another", async () => {
    const queries: Json[] = [];
    mswServer.use(
      http.post(`${BASE}/Tickets`, gateway503),
      http.post(`${BASE}/Tickets/query`, async ({ request }) => {
        const body = (await request.clone().json()) as Json;
        queries.push(body);
        const externalID = posts()[0]?.body?.externalID;
        return HttpResponse.json(page([{ id: 4242, companyID: 7, title: "Printer jams", externalID, createDate: "2026-11-27T10:00:02Z" }]));
      }),
    );
    const created = await desk.tickets.create({ companyID: 7, title: "Printer jams", priority: 2 });
    expect(created.ticket.ticket.id).toBe(4242);
    expect(created.warnings.join(" ")).toMatch(/answer to this create was lost after it was sent/);
    expect(posts()).toHaveLength(1);
    const externalID = posts()[0]?.body?.externalID as string;
    expect(externalID).toMatch(/^mcp:[0-9a-f]{40}$/);
    expect(queries[0]?.Filter).toEqual([
      { op: "eq", field: "externalID", value: externalID },
      { op: "eq", field: "companyID", value: 7 },
      { op: "gte", field: "createDate", value: "2026-11-27T09:59:55.000Z" },
    ]);
  });

  it("a 2xx whose body cannot be read is a saved ticket with an unknown id: found by its externalID", async () => {
    mswServer.use(
      http.post(`${BASE}/Tickets`, () => HttpResponse.json({ unexpected: true })),
      http.post(`${BASE}/Tickets/query`, () =>
        HttpResponse.json(page([{ id: 77, companyID: 7, title: "Printer jams", externalID: posts()[0]?.body?.externalID, createDate: "2026-11-27T10:00:00Z" }])),
      ),
    );
    const created = await desk.tickets.create({ companyID: 7, title: "Printer jams", priority: 2 });
    expect(created.ticket.ticket.id).toBe(77);
    expect(posts()).toHaveLength(1);
  });

  it("a read that fails before the create (the tenant's metadata, a 502) is a plain failure: nothing sent, the retry creates at once", async () => {
    let fieldsDown = true;
    mswServer.use(
      http.get(`${BASE}/Tickets/entityInformation/fields`, () => (fieldsDown ? new HttpResponse("<html>502</html>", { status: 502 }) : HttpResponse.json(TICKET_FIELDS))),
      http.post(`${BASE}/Tickets`, () => HttpResponse.json({ itemId: 78 })),
      http.post(`${BASE}/Tickets/query`, () => HttpResponse.json(EMPTY)),
    );
    const error = await desk.tickets.create({ companyID: 7, title: "Printer jams", priority: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as Error).message).not.toMatch(/outcome unknown/i);
    expect((error as Error).message).toMatch(/GET \/Tickets\/entityInformation\/fields/);
    expect(posts()).toHaveLength(0);
    fieldsDown = false;
    const created = await desk.tickets.create({ companyID: 7, title: "Printer jams", priority: 2 });
    expect(created.ticket.ticket.id).toBe(78);
    expect(created.alreadyExisted).toBe(false);
    expect(posts()).toHaveLength(1);
  });

  it("answers 'outcome unknown' (never 'not saved') when reading back finds nothing, after more than one read", async () => {
    let reads = 0;
    mswServer.use(
      http.post(`${BASE}/Tickets`, gateway503),
      http.post(`${BASE}/Tickets/query`, () => {
        reads += 1;
        return HttpResponse.json(EMPTY);
      }),
    );
    const error = await desk.tickets.create({ companyID: 7, title: "Printer jams", priority: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as Error).message).toMatch(/^Outcome unknown/);
    expect((error as Error).message).toMatch(/externalID "mcp:[0-9a-f]{40}"/);
    expect((error as Error).message).not.toMatch(/not saved|safe to call again/i);
    expect(reads).toBe(3);
    // The identical retry within the settle time reads again and does not create.
    await expect(desk.tickets.create({ companyID: 7, title: "Printer jams", priority: 2 })).rejects.toThrow(/Outcome still unknown/);
    expect(posts()).toHaveLength(1);
  });

  it("with the caller's own externalID, a look-alike that differs in anything sent is not this call's ticket", async () => {
    mswServer.use(
      http.post(`${BASE}/Tickets`, gateway503),
      http.post(`${BASE}/Tickets/query`, () =>
        HttpResponse.json(
          page([
            // Same key, company and title, but another description: somebody else's ticket.
            { id: 1, companyID: 7, title: "Printer jams", description: "Other words", status: 1, priority: 2, externalID: "MAIL-1", createDate: "2026-11-27T10:00:01Z" },
          ]),
        ),
      ),
    );
    const request = { companyID: 7, title: "Printer jams", description: "Tray 2", status: 1, priority: 2, dueDateTime: "2026-11-30T09:00:00Z", externalID: "MAIL-1" };
    await expect(desk.tickets.create(request)).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
    expect(posts()[0]?.body?.externalID).toBe("MAIL-1");
  });

  it("with the caller's own externalID, the ticket matching everything sent is found", async () => {
    mswServer.use(
      http.post(`${BASE}/Tickets`, gateway503),
      http.post(`${BASE}/Tickets/query`, () =>
        HttpResponse.json(
          page([
            { id: 2, companyID: 7, title: "Printer jams", description: "Tray 2", status: 1, priority: 2, dueDateTime: "2026-11-30T09:00:00Z", externalID: "MAIL-1", createDate: "2026-11-27T10:00:01Z" },
          ]),
        ),
      ),
    );
    const created = await desk.tickets.create({ companyID: 7, title: "Printer jams", description: "Tray 2", status: 1, priority: 2, dueDateTime: "2026-11-30T09:00:00Z", externalID: "MAIL-1" });
    expect(created.ticket.ticket.id).toBe(2);
  });
});

describe("adding a note when the answer is lost", () => {
  it("reads the ticket's notes back and takes only an identical note created after the call began", async () => {
    let listed = 0;
    mswServer.use(
      http.post(`${BASE}/Tickets/:id/Notes`, gateway503),
      http.get(`${BASE}/Tickets/:id/Notes`, () => {
        listed += 1;
        const post = posts()[0]?.body as Json;
        const same = { title: post.title, description: post.description, noteType: post.noteType, publish: post.publish, ticketID: 555 };
        return HttpResponse.json(
          page([
            { id: 70, ...same, createDateTime: "2026-11-27T09:30:00Z" }, // identical but older: not this call's
            { id: 71, ...same, createDateTime: "2026-11-27T10:00:01Z" },
          ]),
        );
      }),
    );
    const created = await desk.notes.create({ ticketID: 555, description: "Replaced the fuser." });
    expect(created.noteId).toBe(71);
    expect(created.warnings.join(" ")).toMatch(/found note 71/);
    expect(listed).toBe(1);
    expect(posts()).toHaveLength(1);
  });
});

describe("a write Autotask saved, then a failed step", () => {
  it("a create whose read-back fails says the ticket was created and not to create it again", async () => {
    mswServer.use(
      http.post(`${BASE}/Tickets`, () => HttpResponse.json({ itemId: 79 })),
      http.get(`${BASE}/Tickets/:id`, () => gateway503()),
    );
    const error = await desk.tickets.create({ companyID: 7, title: "Printer jams", priority: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AfterWriteError);
    expect((error as Error).message).toMatch(/^Autotask created ticket 79\. Then reading it back failed: .*503.*Do not create it again: autotask_get_ticket_details with ticketID 79/s);
    expect(posts()).toHaveLength(1);
  });

  it("an update whose read-back fails says which fields were saved", async () => {
    let reads = 0;
    mswServer.use(
      http.get(`${BASE}/Tickets/:id`, ({ params }) => {
        reads += 1;
        if (reads > 1) return new HttpResponse(JSON.stringify({ errors: ["boom"] }), { status: 500, headers: { "Content-Type": "application/json" } });
        return HttpResponse.json({ item: { id: Number(params.id), ticketNumber: "T20261127.0099", companyID: 7, title: "Printer jams", status: 1, priority: 2 } });
      }),
      http.patch(`${BASE}/Tickets`, () => HttpResponse.json({ itemId: 99 })),
    );
    const error = await desk.tickets.update({ ticketID: 99, priority: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AfterWriteError);
    expect((error as Error).message).toMatch(/^Ticket 99 was updated: priority\. Then reading the ticket back failed: .*boom.*Do not repeat the update/s);
    expect(sent.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  it("an escalation whose note fails after the status was saved says the status is applied and how to add only the note", async () => {
    mswServer.use(
      http.get(`${BASE}/Tickets/:id`, ({ params }) => HttpResponse.json({ item: { id: Number(params.id), ticketNumber: "T20261127.0099", companyID: 7, title: "Printer jams", status: 8, priority: 2 } })),
      http.patch(`${BASE}/Tickets`, () => HttpResponse.json({ itemId: 99 })),
      http.get(`${BASE}/Tickets/:id/Notes`, () => HttpResponse.json(EMPTY)),
      http.post(`${BASE}/Tickets/:id/Notes`, () =>
        HttpResponse.json({ errors: ["Value for field Description is invalid."] }, { status: 500 }),
      ),
    );
    const error = await desk.tickets.update({ ticketID: 99, status: "escalated", escalationReason: "Customer is down" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AfterWriteError);
    expect((error as Error).message).toMatch(/^Applied to ticket 99: status\. Then saving the escalation reason as an internal note failed: .*Description is invalid.*adds only the note/s);
  });
});
