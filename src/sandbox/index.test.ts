import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "./index.js";
import { type SandboxClient, sandboxClient } from "./test-client.js";

const NOW = new Date("2026-11-27T12:00:00Z");
let sandbox: SandboxHandle;
let api: SandboxClient;

beforeAll(async () => {
  sandbox = await startSandbox({ tickets: 300, seed: 11, now: () => NOW });
  api = sandboxClient(sandbox);
});
afterAll(() => sandbox.close());

const tickets = () => sandbox.store.tickets();
const ids = (items: Record<string, unknown>[]) => items.map((item) => item.id as number);

describe("discovery and authentication", () => {
  it("answers zoneInformation without auth for the sandbox user, and 500 for anyone else", async () => {
    const zone = await api.get(`zoneInformation?user=${encodeURIComponent("SANDBOX@example.com")}`, { anonymous: true });
    expect(zone.status).toBe(200);
    expect(zone.json.url).toBe(sandbox.url);
    expect(sandbox.apiUrl).toBe(`${sandbox.url}V1.0/`);
    const unknown = await api.get("zoneInformation?user=nobody@example.com", { anonymous: true });
    expect(unknown.status).toBe(500);
    expect(unknown.json).toEqual({ errors: ["Zone information could not be determined"] });
  });

  it("answers VersionInformation outside V1.0", async () => {
    const version = await api.get(sandbox.url.replace(/\/$/, "/VersionInformation"), { anonymous: true });
    expect(version.json).toEqual({ apiVersions: ["1.0"] });
  });

  it("gives Autotask's statuses for missing or wrong credentials", async () => {
    const anonymous = await api.get("Tickets/100001", { anonymous: true });
    expect(anonymous.status).toBe(500);
    expect(anonymous.json.errors).toEqual(["Zone information could not be determined"]);

    const base = { ...sandbox.credentials };
    const call = (username: string, secret: string, code: string) =>
      api.get("Tickets/100001", { anonymous: true, headers: { UserName: username, Secret: secret, ApiIntegrationCode: code } });
    expect((await call("who@example.com", base.secret, base.integrationCode)).json.errors).toEqual([
      "Zone information could not be determined",
    ]);
    const badCode = await call(base.username, base.secret, "NOPE");
    expect(badCode.status).toBe(500);
    expect(badCode.json.errors).toEqual(["IntegrationCode is invalid."]);
    expect((await call(base.username, "wrong", base.integrationCode)).status).toBe(401);
  });

  it("accepts header names and paths in any case", async () => {
    const response = await api.get(`${sandbox.url.replace("ATServicesRest", "atservicesrest")}v1.0/tickets/100001`, {
      anonymous: true,
      headers: {
        username: sandbox.credentials.username,
        SECRET: sandbox.credentials.secret,
        apiintegrationCODE: sandbox.credentials.integrationCode,
      },
    });
    expect(response.status).toBe(200);
    expect(response.json.item.id).toBe(100001);
  });

  it("refuses to bind anywhere but loopback", async () => {
    await expect(startSandbox({ host: "0.0.0.0", tickets: 0 })).rejects.toThrow(/loopback/);
  });
});

describe("routes and quirks", () => {
  it("gets a ticket by id as {item}, and 404 for a missing one", async () => {
    const found = await api.get("Tickets/100002");
    expect(found.status).toBe(200);
    expect(found.json.item).toEqual(sandbox.store.getTicket(100002));
    expect(found.json.item.userDefinedFields.map((udf: { name: string }) => udf.name)).toEqual([
      "Customer Reference",
      "Affected Users",
      "Agreed Start Date",
    ]);
    const missing = await api.get("Tickets/99");
    expect(missing.status).toBe(404);
  });

  it("answers DELETE with 405 and the top-level POST /TicketNotes with 404", async () => {
    const deletion = await api.delete("Tickets/100001");
    expect(deletion.status).toBe(405);
    expect(deletion.json.errors).toEqual(["The requested resource does not support http method 'DELETE'."]);
    const topLevelNote = await api.post("TicketNotes", { ticketID: 100001, description: "x", noteType: 1, publish: 1 });
    expect(topLevelNote.status).toBe(404);
    expect(sandbox.store.notesFor(100001).some((note) => note.description === "x")).toBe(false);
  });

  it("answers an unknown route with 404", async () => {
    expect((await api.get("Widgets/query?search={}")).status).toBe(404);
  });

  it("reports the hourly usage on ThresholdInformation", async () => {
    const first = await api.get("ThresholdInformation");
    const second = await api.get("ThresholdInformation");
    expect(first.json.externalRequestThreshold).toBe(10000);
    expect(first.json.requestThresholdTimeframe).toBe(60);
    expect(second.json.currentTimeframeRequestCount).toBe(first.json.currentTimeframeRequestCount + 1);
  });
});

describe("query engine", () => {
  it("ANDs top-level conditions and matches field names case-insensitively", async () => {
    const companyId = tickets()[0]?.companyID;
    const count = await api.count("Tickets", [
      { op: "noteq", field: "Status", value: 5 },
      { op: "eq", field: "COMPANYID", value: companyId },
    ]);
    expect(count).toBe(tickets().filter((ticket) => ticket.status !== 5 && ticket.companyID === companyId).length);
    expect(count).toBeGreaterThan(0);
  });

  it("supports nested or/and groups", async () => {
    const filter = [
      {
        op: "or",
        items: [
          { op: "eq", field: "priority", value: 4 },
          { op: "and", items: [{ op: "eq", field: "status", value: 1 }, { op: "eq", field: "priority", value: 3 }] },
        ],
      },
    ];
    const expected = tickets().filter((ticket) => ticket.priority === 4 || (ticket.status === 1 && ticket.priority === 3));
    expect(await api.count("Tickets", filter)).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
  });

  it("implements the comparison, string, null and list operators", async () => {
    const all = tickets();
    const middle = all[150]?.id as number;
    const cases: [unknown[], (ticket: Record<string, unknown>) => boolean][] = [
      [[{ op: "gt", field: "id", value: middle }], (t) => (t.id as number) > middle],
      [[{ op: "gte", field: "id", value: middle }], (t) => (t.id as number) >= middle],
      [[{ op: "lt", field: "id", value: middle }], (t) => (t.id as number) < middle],
      [[{ op: "lte", field: "id", value: middle }], (t) => (t.id as number) <= middle],
      [[{ op: "contains", field: "title", value: "OUTLOOK" }], (t) => String(t.title).toLowerCase().includes("outlook")],
      [[{ op: "beginsWith", field: "title", value: "new starter" }], (t) => String(t.title).startsWith("New starter")],
      [[{ op: "endsWith", field: "ticketNumber", value: ".0001" }], (t) => String(t.ticketNumber).endsWith(".0001")],
      [[{ op: "exist", field: "assignedResourceID" }], (t) => t.assignedResourceID !== null],
      [[{ op: "notExist", field: "assignedResourceID" }], (t) => t.assignedResourceID === null],
      [[{ op: "in", field: "status", value: [1, 7] }], (t) => t.status === 1 || t.status === 7],
      [[{ op: "notIn", field: "status", value: [1, 5] }], (t) => t.status !== 1 && t.status !== 5],
      [[{ op: "eq", field: "title", value: String(all[3]?.title).toUpperCase() }], (t) => t.title === all[3]?.title],
    ];
    for (const [filter, predicate] of cases) {
      const expected = all.filter(predicate).length;
      expect({ filter, count: await api.count("Tickets", filter) }).toEqual({ filter, count: expected });
    }
  });

  it("compares dates as instants, reading a time without offset as UTC", async () => {
    const cutoff = "2026-10-01T00:00:00";
    const expected = tickets().filter((t) => Date.parse(t.createDate as string) >= Date.parse(`${cutoff}Z`)).length;
    expect(await api.count("Tickets", [{ op: "gte", field: "createDate", value: cutoff }])).toBe(expected);
    expect(await api.count("Tickets", [{ op: "gte", field: "createDate", value: "2026-10-01T02:00:00+02:00" }])).toBe(expected);
  });

  it("silently ignores an unknown operator, like Autotask", async () => {
    const newTickets = tickets().filter((t) => t.status === 1).length;
    const count = await api.count("Tickets", [
      { op: "eq", field: "status", value: 1 },
      { op: "noteExist", field: "completedDate" },
    ]);
    expect(count).toBe(newTickets);
    expect(await api.count("Tickets", [{ op: "equals", field: "status", value: 1 }])).toBe(tickets().length);
  });

  it("rejects unknown fields, a second UDF condition and a missing filter with 500s", async () => {
    const unknownField = await api.post("Tickets/query", { filter: [{ op: "eq", field: "colour", value: 1 }] });
    expect(unknownField.status).toBe(500);
    expect(unknownField.json.errors).toEqual(["Unable to find colour in the Tickets Entity"]);
    const twoUdfs = await api.post("Tickets/query", {
      filter: [
        { op: "eq", field: "Affected Users", udf: true, value: "Team" },
        { op: "exist", field: "Customer Reference", udf: true },
      ],
    });
    expect(twoUdfs.status).toBe(500);
    const missing = await api.post("Tickets/query", { MaxRecords: 5 });
    expect(missing.status).toBe(500);
    expect(missing.json.errors[0]).toContain("Parameter name: filters");
  });

  it("filters on one user-defined field", async () => {
    const expected = tickets().filter((t) =>
      (t.userDefinedFields as { name: string; value: unknown }[]).some((u) => u.name === "Affected Users" && u.value === "Team"),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(await api.count("Tickets", [{ op: "eq", field: "affected users", udf: true, value: "team" }])).toBe(expected.length);
  });

  it("returns only IncludeFields (plus id) and honours MaxRecords within 1..500", async () => {
    const page = await api.post("Tickets/query", {
      filter: [{ op: "exist", field: "id" }],
      IncludeFields: ["Title", "status"],
      maxRecords: 7,
    });
    expect(page.json.items).toHaveLength(7);
    expect(Object.keys(page.json.items[0]).sort()).toEqual(["id", "status", "title", "userDefinedFields"]);
    expect(page.json.pageDetails.requestCount).toBe(7);
    for (const maxRecords of [0, 501]) {
      const refused = await api.post("Tickets/query", { filter: [{ op: "exist", field: "id" }], MaxRecords: maxRecords });
      expect(refused.status).toBe(500);
      expect(refused.json.errors[0]).toMatch(/MaxRecords must be between 1 and 500/);
    }
  });

  it("pages by id: nextPageUrl must be POSTed with the same body; GET is 405 and an empty POST is 500", async () => {
    const body = { filter: [{ op: "noteq", field: "status", value: 5 }], MaxRecords: 40 };
    const seen: number[] = [];
    let next: string | null = "Tickets/query";
    let previous: string | null = null;
    let pages = 0;
    while (next !== null) {
      const page = await api.post(next, body);
      expect(page.status).toBe(200);
      seen.push(...ids(page.json.items));
      if (pages === 1) previous = page.json.pageDetails.prevPageUrl;
      if (pages === 0) {
        expect(page.json.pageDetails.prevPageUrl).toBeNull();
        const nextUrl = page.json.pageDetails.nextPageUrl as string;
        expect(nextUrl.startsWith(`${sandbox.apiUrl}Tickets/query/next?paging=`)).toBe(true);
        const viaGet = await api.get(nextUrl);
        expect(viaGet.status).toBe(405);
        expect(viaGet.json.errors).toEqual(["The requested resource does not support http method 'GET'."]);
        expect((await api.post(nextUrl)).status).toBe(500);
      }
      next = page.json.pageDetails.nextPageUrl;
      pages++;
    }
    const expected = ids(tickets().filter((t) => t.status !== 5));
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 40));
    const firstAgain = await api.post(previous as string, body);
    expect(ids(firstAgain.json.items)).toEqual(expected.slice(0, 40));
  });

  it("accepts the GET form with ?search= for query and count", async () => {
    const search = encodeURIComponent(JSON.stringify({ filter: [{ op: "eq", field: "status", value: 1 }], MaxRecords: 3 }));
    const page = await api.get(`Tickets/query?search=${search}`);
    expect(ids(page.json.items)).toEqual(ids(tickets().filter((t) => t.status === 1)).slice(0, 3));
    const count = await api.get(`Tickets/query/count?search=${search}`);
    expect(count.json).toEqual({ queryCount: tickets().filter((t) => t.status === 1).length });
    const nextViaGet = await api.get(page.json.pageDetails.nextPageUrl);
    expect(nextViaGet.status).toBe(200);
    expect(ids(nextViaGet.json.items)).toEqual(ids(tickets().filter((t) => t.status === 1)).slice(3, 6));
  });
});

describe("notes and related entities", () => {
  const ticketWithNotes = () => tickets().find((t) => sandbox.store.notesFor(t.id as number).length >= 2) as Record<string, unknown>;

  it("lists, gets and queries ticket notes", async () => {
    const ticket = ticketWithNotes();
    const notes = sandbox.store.notesFor(ticket.id as number);
    const list = await api.get(`Tickets/${ticket.id}/Notes`);
    expect(list.json.items).toEqual(notes);
    expect(list.json.pageDetails.nextPageUrl).toBeNull();
    const one = await api.get(`Tickets/${ticket.id}/Notes/${notes[0]?.id}`);
    expect(one.json.item).toEqual(notes[0]);
    expect((await api.get(`Tickets/${(ticket.id as number) + 1}/Notes/${notes[0]?.id}`)).status).toBe(404);
    const queried = await api.query("TicketNotes", [{ op: "in", field: "ticketID", value: [ticket.id] }]);
    expect(queried).toEqual(notes);
  });

  it("serves entityInformation, fields with the profile's picklists and UDF definitions", async () => {
    for (const entity of ["Tickets", "TicketNotes", "Companies", "Contacts", "Resources"]) {
      const info = await api.get(`${entity}/entityInformation`);
      expect(info.json.info.name).toBe(entity);
      const fields = await api.get(`${entity}/entityInformation/fields`);
      expect(fields.json.fields.some((field: { name: string }) => field.name === "id")).toBe(true);
      expect((await api.get(`${entity}/entityInformation/userDefinedFields`)).status).toBe(200);
    }
    const fields = (await api.get("Tickets/entityInformation/fields")).json.fields as Record<string, unknown>[];
    const priority = fields.find((field) => field.name === "priority") as { picklistValues: { value: string; label: string }[] };
    expect(priority.picklistValues.map((value) => `${value.value} ${value.label}`)).toEqual(["1 High", "2 Medium", "3 Low", "4 Critical"]);
    const title = fields.find((field) => field.name === "title");
    expect(title).toMatchObject({ length: 255, isRequired: true, isPickList: false, picklistValues: null });
    const subIssue = fields.find((field) => field.name === "subIssueType");
    expect(subIssue?.picklistParentValueField).toBe("IssueType");
    const notePublish = (await api.get("TicketNotes/entityInformation/fields")).json.fields.find(
      (field: { name: string }) => field.name === "publish",
    );
    expect(notePublish.picklistValues.find((value: { isDefaultValue: boolean }) => value.isDefaultValue).value).toBe("2");
  });

  it("queries and gets companies (with id 0), contacts, resources and their service-desk roles", async () => {
    expect((await api.get("Companies/0")).json.item.companyName).toBeTruthy();
    const company = sandbox.store.companies()[5] as Record<string, unknown>;
    const contacts = await api.query("Contacts", [{ op: "eq", field: "companyID", value: company.id }]);
    expect(contacts.length).toBeGreaterThan(0);
    expect(contacts.every((contact) => contact.companyID === company.id)).toBe(true);
    const resources = await api.query("Resources", [{ op: "eq", field: "isActive", value: true }]);
    expect(resources.length).toBe(sandbox.store.resources().filter((r) => r.isActive === true).length);
    const roles = await api.query("ResourceServiceDeskRoles", [{ op: "eq", field: "resourceID", value: resources[0]?.id }]);
    expect(roles.length).toBeGreaterThan(0);
    const alias = await api.query("ResourceRoles", [{ op: "eq", field: "resourceID", value: resources[0]?.id }]);
    expect(alias).toEqual(roles);
    expect((await api.get(`Resources/${resources[0]?.id}`)).json.item.email).toBe(resources[0]?.email);
    const badBoolean = await api.post("Resources/query", { filter: [{ op: "eq", field: "isActive", value: "yes" }] });
    expect(badBoolean.status).toBe(500);
  });
});
