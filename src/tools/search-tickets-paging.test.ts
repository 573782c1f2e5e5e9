/**
 * autotask_search_tickets paging: the keyset each order sends to Autotask for the next page (the exact
 * filters), that a ticket created between pages neither repeats nor skips a row, and that a cursor is
 * signed and every decoded field checked. The msw handler answers the filters it gets from a small
 * ticket table, the way Autotask would (ascending id, the operators these searches use).
 */
import { createHmac } from "node:crypto";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BASE, connectWithMsw, TICKET_FIELDS } from "../../test/support/fake-autotask.js";
import { parseTicketPage } from "../../test/support/rows.js";
import { parseEnv } from "../config.js";
import { settingsFromConfig } from "../desk/index.js";

type Row = { id: number; dueDateTime: string | null; status: number };
type Filter = { op: string; field?: string; value?: unknown; items?: Filter[] };

let table: Row[] = [];
const scans: Filter[][] = [];

function matches(row: Row, filter: Filter): boolean {
  const { op, field, value } = filter;
  if (op === "or") return (filter.items ?? []).some((item) => matches(row, item));
  if (op === "and") return (filter.items ?? []).every((item) => matches(row, item));
  const raw = (row as Record<string, unknown>)[field ?? ""];
  if (op === "notExist") return raw === null || raw === undefined;
  if (op === "exist") return raw !== null && raw !== undefined;
  if (op === "in") return (value as unknown[]).includes(raw);
  if (op === "notIn") return !(value as unknown[]).includes(raw);
  if (raw === null || raw === undefined) return false;
  const [a, b] = field === "dueDateTime" ? [Date.parse(String(raw)), Date.parse(String(value))] : [Number(raw), Number(value)];
  if (op === "lt") return a < b;
  if (op === "lte") return a <= b;
  if (op === "gt") return a > b;
  if (op === "gte") return a >= b;
  if (op === "eq") return a === b;
  throw new Error(`operator ${op} not expected in a search`);
}

const mswServer = setupServer(
  http.get(`${BASE}/Tickets/entityInformation/fields`, () => HttpResponse.json(TICKET_FIELDS)),
  http.post(`${BASE}/Tickets/query`, async ({ request }) => {
    const body = (await request.clone().json()) as { Filter: Filter[]; IncludeFields: string[]; MaxRecords: number };
    const found = table.filter((row) => body.Filter.every((filter) => matches(row, filter))).sort((a, b) => a.id - b.id);
    const idOnly = !body.IncludeFields.includes("title");
    if (idOnly) scans.push(body.Filter);
    const items = found.slice(0, body.MaxRecords).map((row) =>
      idOnly
        ? { id: row.id, ...(body.IncludeFields.includes("dueDateTime") ? { dueDateTime: row.dueDateTime } : {}) }
        : { ...row, ticketNumber: `T20261120.0${row.id}`, title: `Ticket ${row.id}`, priority: 2, companyID: 7, assignedResourceID: null },
    );
    return HttpResponse.json({ items, pageDetails: { count: items.length, requestCount: body.MaxRecords, prevPageUrl: null, nextPageUrl: null } });
  }),
  http.post(`${BASE}/Tickets/query/count`, async ({ request }) => {
    const body = (await request.clone().json()) as { Filter: Filter[] };
    return HttpResponse.json({ queryCount: table.filter((row) => body.Filter.every((filter) => matches(row, filter))).length });
  }),
  http.post(`${BASE}/Companies/query`, () =>
    HttpResponse.json({ items: [{ id: 7, companyName: "Contoso" }], pageDetails: { count: 1, requestCount: 500, prevPageUrl: null, nextPageUrl: null } }),
  ),
  http.post(`${BASE}/Resources/query`, () => HttpResponse.json({ items: [], pageDetails: { count: 0, requestCount: 500, prevPageUrl: null, nextPageUrl: null } })),
);

beforeAll(() => mswServer.listen({ onUnhandledRequest: "error" }));
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());
beforeEach(() => {
  scans.length = 0;
});

const OPEN = { op: "notIn", field: "status", value: [5] };
const due = (hour: number) => `2026-11-30T${String(hour).padStart(2, "0")}:00:00.000Z`;

function textOf(result: object): string {
  return ((result as { content?: Array<{ text: string }> }).content ?? [])[0]?.text ?? "";
}

type Connection = Awaited<ReturnType<typeof connectWithMsw>>;

async function withConnection<T>(run: (search: (args: Record<string, unknown>) => Promise<{ text: string; isError: boolean }>) => Promise<T>, conn?: Connection): Promise<T> {
  const connection = conn ?? (await connectWithMsw());
  try {
    return await run(async (args) => {
      const result = await connection.client.callTool({ name: "autotask_search_tickets", arguments: args });
      return { text: textOf(result), isError: result.isError === true };
    });
  } finally {
    if (!conn) await connection.close();
  }
}

describe("autotask_search_tickets pages by keyset", () => {
  it("newest: the next page asks for id < the last id shown, so a ticket created meanwhile does not repeat a row", async () => {
    table = [201, 202, 203, 204, 205].map((id) => ({ id, dueDateTime: null, status: 1 }));
    await withConnection(async (search) => {
      const args = { sort: "newest", status: "open", pageSize: 2 };
      const page1 = parseTicketPage((await search(args)).text);
      expect(page1.rows.map((r) => r.id)).toEqual([205, 204]);
      table.push({ id: 206, dueDateTime: null, status: 1 }); // created between pages
      const page2 = parseTicketPage((await search({ ...args, cursor: page1.nextCursor })).text);
      expect(scans.at(-1)).toEqual([OPEN, { op: "lt", field: "id", value: 204 }]);
      expect(page2.rows.map((r) => r.id)).toEqual([203, 202]);
      const page3 = await search({ ...args, cursor: page2.nextCursor });
      expect(scans.at(-1)).toEqual([OPEN, { op: "lt", field: "id", value: 202 }]);
      expect(parseTicketPage(page3.text).rows.map((r) => r.id)).toEqual([201]);
      expect(page3.text).toMatch(/^5 tickets match, newest first; rows 5-5 \(page 3\)\./m);
      expect(parseTicketPage(page3.text).nextCursor).toBeUndefined();
    });
  });

  it("dueSoonest: continues after the last (due, id), with tickets without a due date last and no ticket created after the first page", async () => {
    table = [
      { id: 301, dueDateTime: due(10), status: 1 },
      { id: 302, dueDateTime: due(10), status: 1 },
      { id: 303, dueDateTime: due(11), status: 1 },
      { id: 304, dueDateTime: null, status: 1 },
      { id: 305, dueDateTime: due(9), status: 1 },
      { id: 306, dueDateTime: null, status: 1 },
      { id: 307, dueDateTime: null, status: 1 },
    ];
    await withConnection(async (search) => {
      const args = { sort: "dueSoonest", status: "open", pageSize: 3 };
      const page1 = parseTicketPage((await search(args)).text);
      expect(scans.at(-1)).toEqual([OPEN]);
      expect(page1.rows.map((r) => r.id)).toEqual([305, 301, 302]);
      // Created between pages: one due before the rows already shown, one due later; neither is in this pass.
      table.push({ id: 308, dueDateTime: due(8), status: 1 }, { id: 309, dueDateTime: due(10), status: 1 });
      const page2 = await search({ ...args, cursor: page1.nextCursor });
      // Due at or after the last due (datetime equality is not relied on: the tie 301 is dropped here), or none; ids up to the first page's highest.
      expect(scans.at(-1)).toEqual([
        OPEN,
        { op: "or", items: [{ op: "gte", field: "dueDateTime", value: due(10) }, { op: "notExist", field: "dueDateTime" }] },
        { op: "lte", field: "id", value: 307 },
      ]);
      expect(parseTicketPage(page2.text).rows.map((r) => r.id)).toEqual([303, 304, 306]);
      expect(page2.text).toMatch(/^7 tickets match, .*; rows 4-6 \(page 2\)\./m);
      // The last row had no due date: the rest are the tickets without one, after its id.
      const page3 = await search({ ...args, cursor: parseTicketPage(page2.text).nextCursor });
      expect(scans.at(-1)).toEqual([OPEN, { op: "notExist", field: "dueDateTime" }, { op: "gt", field: "id", value: 306 }, { op: "lte", field: "id", value: 307 }]);
      expect(parseTicketPage(page3.text).rows.map((r) => r.id)).toEqual([307]);
      expect(parseTicketPage(page3.text).nextCursor).toBeUndefined();
    });
  });

  it("oldest: the next page asks for id > the last id shown; a ticket created meanwhile comes last in the same pass", async () => {
    table = [401, 402, 403].map((id) => ({ id, dueDateTime: null, status: 1 }));
    const pageBodies: Filter[][] = [];
    mswServer.events.on("request:start", async ({ request }) => {
      if (request.url.endsWith("/Tickets/query")) pageBodies.push(((await request.clone().json()) as { Filter: Filter[] }).Filter);
    });
    try {
      await withConnection(async (search) => {
        const page1 = parseTicketPage((await search({ status: "open", pageSize: 2 })).text);
        expect(page1.rows.map((r) => r.id)).toEqual([401, 402]);
        table.push({ id: 404, dueDateTime: null, status: 1 });
        const page2 = parseTicketPage((await search({ status: "open", pageSize: 2, cursor: page1.nextCursor })).text);
        expect(pageBodies.at(-1)).toEqual([OPEN, { op: "gt", field: "id", value: 402 }]);
        expect(page2.rows.map((r) => r.id)).toEqual([403, 404]);
      });
    } finally {
      mswServer.events.removeAllListeners();
    }
  });
});

describe("search cursors", () => {
  const KEY = "test-cursor-key";
  const sign = (payload: string) => `${payload}.${createHmac("sha256", KEY).update(payload).digest("base64url").slice(0, 16)}`;
  const encode = (fields: unknown) => Buffer.from(JSON.stringify(fields), "utf8").toString("base64url");
  const decode = (cursor: string) => JSON.parse(Buffer.from(cursor.split(".")[0] as string, "base64url").toString("utf8")) as unknown[];
  const REFUSED = "cursor is not one this server issued; start again without cursor.";

  beforeEach(() => {
    table = [501, 502, 503, 504, 505].map((id) => ({ id, dueDateTime: null, status: 1 }));
  });

  it("refuses a forged or altered cursor, and a signed one with any field out of range, with one message", async () => {
    const conn = await connectWithMsw(undefined, undefined, { cursorKey: KEY });
    try {
      await withConnection(async (search) => {
        const args = { sort: "newest", status: "open", pageSize: 2 };
        const first = parseTicketPage((await search(args)).text);
        const issued = first.nextCursor as string;
        const fields = decode(issued);
        expect(fields).toEqual([504, null, 0, 2, 2, 2, expect.stringMatching(/^[\w-]{10}$/), 5]);
        const hash = fields[6];
        // Re-signing the issued fields is accepted: the refusals below are about the fields.
        expect(parseTicketPage((await search({ ...args, cursor: sign(encode(fields)) })).text).rows.map((r) => r.id)).toEqual([503, 502]);

        const refused = async (cursor: string) => {
          const result = await search({ ...args, cursor });
          expect(result.isError, cursor).toBe(true);
          expect(result.text, cursor).toContain(REFUSED);
        };
        // The trial's forgery: the old unsigned format with negative page, offset and total.
        await refused(encode([100062, -5, -3, 3, hash, -1]));
        await refused(`${encode([100062, null, 0, 2, 2, 2, hash, 5])}.${issued.split(".")[1]}`); // other fields, issued signature
        await refused(`${issued.slice(0, -1)}${issued.endsWith("A") ? "B" : "A"}`); // signature altered
        await refused("not a cursor");
        for (const bad of [
          [100062, null, 0, -5, -3, 3, hash, -1],
          [504, null, 0, 2, 2, 0, hash, 5], // page size 0
          [504, null, 0, 2, 2, 101, hash, 5], // over MAX_PAGE_SIZE
          [0, null, 0, 2, 2, 2, hash, 5], // no last id
          [504.5, null, 0, 2, 2, 2, hash, 5],
          ["504", null, 0, 2, 2, 2, hash, 5],
          [504, null, 0, 1, 2, 2, hash, 5], // page 1 needs no cursor
          [504, null, 0, 3, 1, 2, hash, 5], // fewer rows shown than pages before
          [504, null, 0, 2, 2, 2, hash, -1],
          [504, 1, 0, 2, 2, 2, hash, 5], // a due time in a newest cursor
          [504, null, 7, 2, 2, 2, hash, 5], // a ceiling in a newest cursor
          [504, null, 0, 2, 2, 2, 42, 5],
          [504, null, 0, 2, 2, 2, hash],
          { after: 504 },
        ]) {
          await refused(sign(encode(bad)));
        }
      }, conn);
    } finally {
      await conn.close();
    }
  });

  it("accepts a cursor on another server holding the same key (a replica), and refuses it after a restart without one", async () => {
    const [a, b] = [await connectWithMsw(undefined, undefined, { cursorKey: KEY }), await connectWithMsw(undefined, undefined, { cursorKey: KEY })];
    const restarted = await connectWithMsw();
    try {
      const args = { sort: "newest", status: "open", pageSize: 2 };
      const cursor = await withConnection(async (search) => parseTicketPage((await search(args)).text).nextCursor, a);
      const onReplica = await withConnection((search) => search({ ...args, cursor }), b);
      expect(parseTicketPage(onReplica.text).rows.map((r) => r.id)).toEqual([503, 502]);
      const afterRestart = await withConnection((search) => search({ ...args, cursor }), restarted);
      expect(afterRestart.isError).toBe(true);
      expect(afterRestart.text).toContain(REFUSED);
      // Sent with other filters, a genuine cursor says so.
      const otherFilters = await withConnection((search) => search({ ...args, status: "New", cursor }), b);
      expect(otherFilters.text).toMatch(/belongs to a search with other filters/);
    } finally {
      await Promise.all([a.close(), b.close(), restarted.close()]);
    }
  });

  it("derives the key from the credentials: the same for every replica, another for another secret, none in sandbox mode", () => {
    const env = { AUTOTASK_USERNAME: "api@example.com", AUTOTASK_SECRET: "Sup3r-Secret-Value!", AUTOTASK_INTEGRATION_CODE: "CODE123" };
    const key = settingsFromConfig(parseEnv(env)).cursorKey;
    expect(key).toMatch(/^[\w-]{43}$/);
    expect(key).not.toContain(env.AUTOTASK_SECRET);
    expect(settingsFromConfig(parseEnv({ ...env })).cursorKey).toBe(key);
    expect(settingsFromConfig(parseEnv({ ...env, AUTOTASK_SECRET: "Other-Secret-Value!" })).cursorKey).not.toBe(key);
    expect(settingsFromConfig(parseEnv({ AUTOTASK_SANDBOX: "1" })).cursorKey).toBeUndefined();
  });
});
