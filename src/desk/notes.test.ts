/**
 * Reading a ticket's notes (`NoteService.list`, `latest`), asserted at the network edge with msw:
 * the child route asked, Autotask's unsorted answer put newest first, paging, the tenant's labels
 * (an id the tenant no longer lists kept as `#id`), and authors by name, technician or contact.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BASE, NOTE_FIELDS, TICKET_FIELDS } from "../../test/support/fake-autotask.js";
import { AutotaskClient } from "../autotask/client.js";
import { DEFAULT_CALENDAR } from "../domain/calendar.js";
import { createDesk, type Desk } from "./index.js";

const page = (items: unknown[]) => ({ items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null } });

/** As Autotask answers: in no particular order; two notes share a second. */
const NOTES = [
  { id: 11, ticketID: 900, title: "Called user", description: "Rebooted the printer", noteType: 1, publish: 2, createDateTime: "2026-11-20T09:00:00Z", creatorResourceID: 30 },
  { id: 14, ticketID: 900, title: "Still broken", description: "Still broken", noteType: 3, publish: 1, createDateTime: "2026-11-22T08:00:00Z", createdByContactID: 55 },
  { id: 12, ticketID: 900, title: "Parts", description: "Ordered a fuser", noteType: 9, publish: 4, createDateTime: "2026-11-21T12:00:00Z", creatorResourceID: 30 },
  { id: 13, ticketID: 900, title: "Parts", description: "Fuser arrived", noteType: 2, publish: 2, createDateTime: "2026-11-21T12:00:00Z", creatorResourceID: 31 },
];

const paths: string[] = [];
const mswServer = setupServer(
  http.get(`${BASE}/Tickets/entityInformation/fields`, () => HttpResponse.json(TICKET_FIELDS)),
  http.get(`${BASE}/TicketNotes/entityInformation/fields`, () => HttpResponse.json(NOTE_FIELDS)),
  http.get(`${BASE}/Tickets/:id/Notes`, ({ params }) => HttpResponse.json(page(Number(params.id) === 900 ? NOTES : []))),
  http.get(`${BASE}/Tickets/:id`, ({ params }) =>
    Number(params.id) === 900 ? HttpResponse.json({ item: { id: 900, ticketNumber: "T20261120.0007", status: 1, priority: 2 } }) : HttpResponse.json({ item: null }),
  ),
  http.post(`${BASE}/Tickets/query`, () => HttpResponse.json(page([{ id: 900, ticketNumber: "T20261120.0007", status: 1, priority: 2 }]))),
  http.post(`${BASE}/Resources/query`, () =>
    HttpResponse.json(page([{ id: 30, firstName: "Ada", lastName: "Lovelace", isActive: true }, { id: 31, firstName: "Grace", lastName: "Hopper", isActive: true }])),
  ),
  http.post(`${BASE}/Contacts/query`, () => HttpResponse.json(page([{ id: 55, firstName: "Jane", lastName: "Doe" }]))),
);

let desk: Desk;
let api: AutotaskClient;
beforeAll(() => {
  mswServer.listen({ onUnhandledRequest: "error" });
  mswServer.events.on("request:start", ({ request }) => {
    paths.push(`${request.method} ${new URL(request.url).pathname.split("/V1.0")[1]}`);
  });
});
beforeEach(() => {
  paths.length = 0;
  api = new AutotaskClient({
    credentials: { username: "api@example.com", secret: "s3cret-value", integrationCode: "CODE" },
    apiUrl: `${BASE}/`,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  const settings = { readOnly: false, calendar: DEFAULT_CALENDAR, mappingOverrides: {}, defaultNotesInDetails: 5, duplicateWindowMs: 60_000 };
  desk = createDesk(api, settings, () => new Date("2026-11-30T10:00:00Z"), pino({ level: "silent" }));
});
afterEach(async () => {
  mswServer.resetHandlers();
  await api.close();
});
afterAll(() => mswServer.close());

describe("a ticket's notes", () => {
  it("lists them newest first (ties by id), with labels and authors, from the ticket's Notes child route", async () => {
    const listing = await desk.notes.list("T20261120.0007", { offset: 0, limit: 10 });
    expect(listing).toMatchObject({ ticketID: 900, ticketNumber: "T20261120.0007", total: 4, offset: 0, hasMore: false });
    expect(listing.notes.map((note) => note.id)).toEqual([14, 13, 12, 11]);
    expect(listing.notes[0]).toEqual({
      id: 14,
      title: "Still broken",
      noteType: "Task Notes",
      publish: "All Autotask Users",
      clientVisible: true,
      createDateTime: "2026-11-22T08:00:00Z",
      author: "Jane Doe (contact)",
      description: "Still broken",
    });
    expect(listing.notes[1]).toMatchObject({ author: "Grace Hopper", noteType: "Task Detail", publish: "Internal Project Team", clientVisible: false });
    // A note type the tenant no longer lists keeps its id rather than vanishing.
    expect(listing.notes[2]).toMatchObject({ noteType: "#9", publish: "Internal & Co-Managed", author: "Ada Lovelace" });
    expect(paths).toContain("GET /Tickets/900/Notes");
  });

  it("pages with offset and limit, and says whether more remain", async () => {
    const first = await desk.notes.list(900, { offset: 0, limit: 3 });
    expect(first.notes.map((note) => note.id)).toEqual([14, 13, 12]);
    expect(first.hasMore).toBe(true);
    const rest = await desk.notes.list(900, { offset: 3, limit: 3 });
    expect(rest.notes.map((note) => note.id)).toEqual([11]);
    expect(rest.hasMore).toBe(false);
    const past = await desk.notes.list(900, { offset: 10, limit: 3 });
    expect(past).toMatchObject({ notes: [], total: 4, hasMore: false });
  });

  it("gives the details the same entries as the first page", async () => {
    const latest = await desk.notes.latest(900, 2);
    const listing = await desk.notes.list(900, { offset: 0, limit: 2 });
    expect(latest).toEqual({ notes: listing.notes, total: 4 });
    expect(await desk.notes.latest(900, 0)).toEqual({ notes: [], total: 0 });
  });

  it("refuses a ticket that does not exist", async () => {
    await expect(desk.notes.list(901, { offset: 0, limit: 10 })).rejects.toThrow(/901/);
  });
});
