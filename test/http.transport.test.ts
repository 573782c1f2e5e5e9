/**
 * The Streamable HTTP transport with the real parts: the SDK client over loopback HTTP, the real server
 * and Autotask client, the sandbox. Refusals are checked at the sandbox: a refused request must not
 * have made a single Autotask request.
 */
import { writeFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AutotaskClient } from "../src/autotask/client.js";
import { DEFAULT_CALENDAR } from "../src/domain/calendar.js";
import { teamDeskInputs, teamServerFactory } from "../src/http/main.js";
import { type SandboxHandle, startSandbox } from "../src/sandbox/index.js";
import { createServer } from "../src/server.js";
import { HourlyBudget } from "../src/state/budget.js";
import { MemoryStore } from "../src/state/store.js";
import { createDesk, type DeskSettings } from "../src/desk/index.js";
import { connectClient, type HttpTestServer, startTestHttpServer, type TokenSpec, writeTokenFile } from "./support/http.js";

type Structured = Record<string, any>;

const ANN: TokenSpec = { token: "ann-secret-token-000000000001", technician: "Ann Example" };
const BOB: TokenSpec = { token: "bob-secret-token-000000000002", technician: "Bob Example" };
const VIEWER: TokenSpec = { token: "viewer-token-0000000000000003", technician: "Read Only", readOnly: true };
const FRUGAL: TokenSpec = { token: "frugal-token-0000000000000004", technician: "Frugal", hourlyShare: 0.0005 };

const settings: DeskSettings = {
  readOnly: false,
  calendar: DEFAULT_CALENDAR,
  mappingOverrides: {},
  defaultNotesInDetails: 5,
  duplicateWindowMs: 10 * 60_000,
};

/** The team server's one desk, as src/index.ts builds it with --http. */
function teamDesk(store: MemoryStore, logger: pino.Logger) {
  const inputs = teamDeskInputs({ api, store, logger, picklistTtlMs: 15 * 60_000 });
  return createDesk(inputs.api, settings, () => new Date(), inputs.options);
}

let sandbox: SandboxHandle;
let api: AutotaskClient;
let http: HttpTestServer;
let ready = true;
let companyId: number;
const clients: Client[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tickets: 100, seed: 5 });
  const store = new MemoryStore();
  // serverShare 1: the whole 10,000 for this server; FRUGAL's 0.0005 of it is 5 requests.
  api = new AutotaskClient({
    credentials: sandbox.credentials,
    apiUrl: sandbox.apiUrl,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    budget: new HourlyBudget(store, { serverShare: 1 }),
  });
  const resources = sandbox.store.resources().filter((r) => r.isActive === true && r.id !== sandbox.store.apiUserResourceId);
  ANN.resourceId = resources[0]!.id as number;
  BOB.resourceId = resources[1]!.id as number;
  const logger = pino({ level: "silent" });
  http = await startTestHttpServer({
    logger,
    tokens: [ANN, BOB, VIEWER, FRUGAL],
    ready: async () => ready,
    maxBodyBytes: 64 * 1024,
    createMcpServer: teamServerFactory({ desk: teamDesk(store, logger), createServer }),
  });
  companyId = sandbox.store.companies().find((c) => c.id !== 0)!.id as number;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await http?.close();
  await api?.close();
  await sandbox?.close();
});

async function clientFor(token: TokenSpec): Promise<Client> {
  const client = new Client({ name: `test-${token.technician}`, version: "1.0.0" });
  await connectClient(client, http.handle.url, token.token);
  clients.push(client);
  return client;
}

const TOOL_CALL = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "autotask_get_ticket_details", arguments: { ticketId: 1 } } });
const MCP_HEADERS = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };

describe("refusals reach no tool and send nothing to Autotask", () => {
  beforeEach(() => sandbox.resetStats());

  it.each([
    ["no token", {}],
    ["a wrong token", { Authorization: "Bearer not-a-known-token" }],
    ["a malformed header", { Authorization: `Basic ${ANN.token}` }],
  ])("answers 401 to %s", async (_label, headers: Record<string, string>) => {
    const response = await fetch(http.handle.url, { method: "POST", headers: { ...MCP_HEADERS, ...headers }, body: TOOL_CALL });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(sandbox.stats().requests).toBe(0);
  });

  it("refuses a foreign Origin (DNS rebinding) even with a valid token", async () => {
    const response = await fetch(http.handle.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, Authorization: `Bearer ${ANN.token}`, Origin: "http://evil.example" },
      body: TOOL_CALL,
    });
    expect(response.status).toBe(403);
    expect(sandbox.stats().requests).toBe(0);
  });

  it("refuses a foreign Host header even with a valid token", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        http.handle.url,
        { method: "POST", headers: { ...MCP_HEADERS, Authorization: `Bearer ${ANN.token}`, Host: "attacker.example:80" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(TOOL_CALL);
    });
    expect(status).toBe(403);
    expect(sandbox.stats().requests).toBe(0);
  });

  it("refuses a body over the size limit with 413", async () => {
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "autotask_create_ticket", arguments: { title: "x".repeat(70 * 1024) } } });
    const response = await fetch(http.handle.url, { method: "POST", headers: { ...MCP_HEADERS, Authorization: `Bearer ${ANN.token}` }, body: big });
    expect(response.status).toBe(413);
    expect(sandbox.stats().requests).toBe(0);
  });
});

describe("health", () => {
  it("answers /healthz, and /readyz by the readiness check", async () => {
    const base = http.handle.url.replace(/\/mcp$/, "");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    ready = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
  });
});

describe("technicians' tokens", () => {
  it("streams responses as SSE", async () => {
    const response = await fetch(http.handle.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, Authorization: `Bearer ${ANN.token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    await response.text();
  });

  it("writes as the technician (ImpersonationResourceId) and audits the write", async () => {
    const ann = await clientFor(ANN);
    const result = (await ann.callTool({
      name: "autotask_create_ticket",
      arguments: { companyID: companyId, title: "Printer on floor 2 jams", priority: "Medium" },
    })) as CallToolResult;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const id = (result.structuredContent as Structured).ticket.id;
    const stored = sandbox.store.getTicket(id) as Structured;
    // Autotask records the impersonated resource as creator and the API user as impersonator.
    expect(stored.creatorResourceID).toBe(ANN.resourceId);
    expect(stored.impersonatorCreatorResourceID).toBe(sandbox.store.apiUserResourceId);
    const entry = http.audit.find((e) => e.ticketId === id);
    expect(entry).toMatchObject({ technician: "Ann Example", resourceId: ANN.resourceId, tool: "autotask_create_ticket", outcome: "ok" });
    expect(Date.parse(entry!.time)).not.toBeNaN();
  });

  it("scopes the write ledger per token: Bob's identical create is not Ann's ticket", async () => {
    const args = { companyID: companyId, title: "Shared drive full", priority: "Medium" };
    const ann = await clientFor(ANN);
    const bob = await clientFor(BOB);
    const first = (await ann.callTool({ name: "autotask_create_ticket", arguments: args })).structuredContent as Structured;
    const again = (await ann.callTool({ name: "autotask_create_ticket", arguments: args })).structuredContent as Structured;
    const bobs = (await bob.callTool({ name: "autotask_create_ticket", arguments: args })).structuredContent as Structured;
    expect(again.ticket.id).toBe(first.ticket.id);
    expect(again.alreadyExisted).toBe(true);
    expect(bobs.ticket.id).not.toBe(first.ticket.id);
    expect((sandbox.store.getTicket(bobs.ticket.id) as Structured).creatorResourceID).toBe(BOB.resourceId);
  });

  it("gives a read-only token the read tools only", async () => {
    const viewer = await clientFor(VIEWER);
    const names = (await viewer.listTools()).tools.map((t) => t.name);
    expect(names).toContain("autotask_search_tickets");
    expect(names).not.toContain("autotask_create_ticket");
    const before = sandbox.store.tickets().length;
    const result = (await viewer.callTool({ name: "autotask_create_ticket", arguments: { companyID: companyId, title: "x" } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(sandbox.store.tickets().length).toBe(before);
  });

  it("stops a token at its share of the hourly budget before Autotask sees the request", async () => {
    const frugal = await clientFor(FRUGAL);
    let refused: CallToolResult | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const result = (await frugal.callTool({ name: "autotask_search_tickets", arguments: { status: "open", pageSize: 1 } })) as CallToolResult;
      if (result.isError) refused = result;
    }
    expect(refused, "a share of 5 requests must run out within 10 searches").toBeDefined();
    const text = refused!.content.map((c) => (c.type === "text" ? c.text : "")).join("");
    expect(text).toMatch(/Frugal has used their share/);
    // Another technician is not affected.
    const ann = await clientFor(ANN);
    const ok = (await ann.callTool({ name: "autotask_search_tickets", arguments: { status: "open", pageSize: 1 } })) as CallToolResult;
    expect(ok.isError).toBeFalsy();
  });

  it("cancels a running tool call: no further Autotask requests after notifications/cancelled", async () => {
    const ann = await clientFor(ANN);
    // Ticket details: the ticket, then its notes and more, so a full call makes several requests even
    // with the desk's caches (shared by every request of the process) warm.
    const args = { ticketID: sandbox.store.tickets()[0]!.id as number };
    await ann.callTool({ name: "autotask_get_ticket_details", arguments: args }); // warm caches
    sandbox.setFaults({ latencyMs: 300 });
    try {
      sandbox.resetStats();
      await ann.callTool({ name: "autotask_get_ticket_details", arguments: args });
      const uncancelled = sandbox.stats().requests;
      sandbox.resetStats();
      const controller = new AbortController();
      const call = ann.callTool({ name: "autotask_get_ticket_details", arguments: args }, undefined, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error("technician pressed stop")), 100);
      await expect(call).rejects.toThrow();
      // Long enough for every request the full call would have made.
      await new Promise((resolve) => setTimeout(resolve, uncancelled * 300 + 300));
      expect(uncancelled).toBeGreaterThan(1);
      expect(sandbox.stats().requests).toBe(1);
    } finally {
      sandbox.setFaults({});
    }
  });

  it("picks up a rotated token file without a restart", async () => {
    const rotated: TokenSpec = { token: "ann-rotated-token-00000000009", technician: "Ann Example", resourceId: ANN.resourceId };
    writeTokenFile([rotated, BOB, VIEWER, FRUGAL], http.tokensFile);
    // The file is looked at again at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const old = await fetch(http.handle.url, { method: "POST", headers: { ...MCP_HEADERS, Authorization: `Bearer ${ANN.token}` }, body: TOOL_CALL });
    expect(old.status).toBe(401);
    const client = await clientFor(rotated);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    writeFileSync(http.tokensFile, "{ not json");
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // A broken file keeps the last good tokens.
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });
});
