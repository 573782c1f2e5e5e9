/**
 * Two replicas of the BUILT server (--http), separate processes, sharing one real Redis, in front of one
 * sandbox: Autotask's per-endpoint thread limit holds across both, a retried create is recognised on the
 * other replica, and the slots of a replica killed mid-request come back within the lease.
 * The sandbox is measured through a proxy that counts requests in flight per endpoint as the sandbox does.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../src/sandbox/index.js";
import { connectClient, writeTokenFile } from "./support/http.js";
import { type ProbeProxy, startProbeProxy } from "./support/probe-proxy.js";
import { findTestRedis, reportSkipped, type TestRedis } from "./support/redis.js";
import { type Replica, startReplica } from "./support/replicas.js";

type Structured = Record<string, any>;

const found = await findTestRedis();
const redisAvailable = "url" in found;
if (!redisAvailable) {
  reportSkipped(
    "test/redis.replicas.test.ts",
    "two --http replicas sharing Redis: 600 concurrent calls (searches, details, notes) within 3 per endpoint, create retried on the other replica, killed replica's slots freed",
    found.missing,
  );
}

// Short enough for the killed-replica test to wait it out, long enough that a replica starved of CPU
// by 600 concurrent calls on a busy machine still renews its leases (every third of it) in time:
// at 3 s a renewal could come late and a fourth request start while the third was still in flight.
const LEASE_MS = 6_000;
const ENTRY = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const TOKEN = { token: "replica-test-token-0000000001", technician: "Ann Example" };

describe.skipIf(!redisAvailable)("two replicas sharing Redis against one sandbox", () => {
  const testRedis = found as TestRedis;
  let sandbox: SandboxHandle;
  let probe: ProbeProxy;
  let replicas: Replica[] = [];
  const clients: Client[] = [];
  let companyId: number;
  let replicaEnv: Record<string, string>;

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error("dist/index.js is missing: run `npm run build`.");
    sandbox = await startSandbox({ port: 0, tickets: 200, seed: 23, faults: { latencyMs: 3 } });
    probe = await startProbeProxy(sandbox.apiUrl);
    const tokensFile = writeTokenFile([TOKEN]);
    replicaEnv = {
      AUTOTASK_API_URL: probe.apiUrl,
      AUTOTASK_USERNAME: sandbox.credentials.username,
      AUTOTASK_SECRET: sandbox.credentials.secret,
      AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode,
      AUTOTASK_REDIS_URL: testRedis.url,
      AUTOTASK_REDIS_PREFIX: `replicas-${randomUUID()}:`,
      AUTOTASK_SLOT_LEASE_MS: String(LEASE_MS),
      AUTOTASK_HTTP_TOKENS_FILE: tokensFile,
      LOG_LEVEL: "warn",
    };
    // The helper reads the "ready" line, logged at info.
    replicas = await Promise.all([startReplica({ ...replicaEnv, LOG_LEVEL: "info" }), startReplica({ ...replicaEnv, LOG_LEVEL: "info" })]);
    companyId = sandbox.store.companies().find((c) => c.id !== 0)!.id as number;
  }, 30_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(replicas.map((r) => r.kill("SIGKILL")));
    await probe?.close();
    await sandbox?.close();
    await testRedis.stop();
  });

  async function clientOf(replica: Replica): Promise<Client> {
    const client = new Client({ name: "replica-test", version: "1.0.0" });
    await connectClient(client, replica.url, TOKEN.token);
    clients.push(client);
    return client;
  }

  it("600 concurrent tool calls over both replicas never put more than 3 requests in flight per endpoint, and all succeed", async () => {
    const perReplica = await Promise.all(replicas.map(async (r) => Promise.all([clientOf(r), clientOf(r), clientOf(r)])));
    const all = perReplica.flat();
    probe.reset();
    // Searches across three endpoints (Tickets, Companies, Resources), ticket details (Tickets, then the
    // ticket's notes on the child route /Tickets/{id}/Notes) and new notes (POST /Tickets/{id}/Notes): a
    // child route holds a slot of both TicketNotes and Tickets, as the sandbox counts it.
    const ticketIds = sandbox.store
      .tickets()
      .slice(0, 20)
      .map((t) => t.id as number);
    const calls = Array.from({ length: 600 }, (_, i) => {
      const client = all[i % all.length]!;
      const ticketID = ticketIds[i % ticketIds.length]!;
      const kind = i % 5;
      const request =
        kind === 0
          ? { name: "autotask_search_tickets", arguments: { status: "open", pageSize: 5 } }
          : kind === 1
            ? { name: "autotask_search_companies", arguments: { name: "a", limit: 5 } }
            : kind === 2
              ? { name: "autotask_search_resources", arguments: { name: "a", limit: 5 } }
              : kind === 3
                ? { name: "autotask_get_ticket_details", arguments: { ticketID } }
                : { name: "autotask_create_ticket_note", arguments: { ticketID, description: `Replica mix note ${i}` } };
      return client.callTool(request, undefined, { timeout: 120_000 }) as Promise<CallToolResult>;
    });
    const results = await Promise.all(calls);
    const failed = results.filter((r) => r.isError);
    expect(failed.map((r) => JSON.stringify(r.content)).slice(0, 3)).toEqual([]);
    expect(probe.threadRefusals).toBe(0);
    for (const [endpoint, peak] of Object.entries(probe.peakInFlight)) {
      if (endpoint !== "(unlimited)") expect(peak, endpoint).toBeLessThanOrEqual(3);
    }
    // The limit was actually reached, so the test could have seen a fourth.
    expect(Math.max(...Object.values(probe.peakInFlight))).toBe(3);
    expect(probe.requests).toBeGreaterThanOrEqual(600);
    // The child route was exercised, so its limit was tested too.
    expect(probe.peakInFlight.TicketNotes ?? 0).toBeGreaterThan(0);
    // Every note call made exactly one note (120 distinct notes: no duplicate, none lost).
    const notes = ticketIds.flatMap((id) => sandbox.store.notesFor(id)).filter((n) => String(n.description).startsWith("Replica mix note"));
    expect(notes).toHaveLength(120);
  }, 300_000);

  it("recognises a create retried against the other replica and does not make a second ticket", async () => {
    const [a, b] = [await clientOf(replicas[0]!), await clientOf(replicas[1]!)];
    const args = { companyID: companyId, title: `Replica retry ${randomUUID()}`, priority: "Medium" };
    const first = (await a.callTool({ name: "autotask_create_ticket", arguments: args })) as CallToolResult;
    expect(first.isError, JSON.stringify(first.content)).toBeFalsy();
    const retried = (await b.callTool({ name: "autotask_create_ticket", arguments: args })) as CallToolResult;
    const firstTicket = (first.structuredContent as Structured).ticket;
    expect((retried.structuredContent as Structured).ticket.id).toBe(firstTicket.id);
    expect((retried.structuredContent as Structured).alreadyExisted).toBe(true);
    expect(sandbox.store.tickets().filter((t) => t.title === args.title)).toHaveLength(1);

    // Both at once, one on each replica: still one ticket.
    const both = { ...args, title: `Replica race ${randomUUID()}` };
    const raced = (await Promise.all([
      a.callTool({ name: "autotask_create_ticket", arguments: both }),
      b.callTool({ name: "autotask_create_ticket", arguments: both }),
    ])) as CallToolResult[];
    const ids = raced.map((r) => (r.structuredContent as Structured).ticket.id);
    expect(ids[0]).toBe(ids[1]);
    expect(sandbox.store.tickets().filter((t) => t.title === both.title)).toHaveLength(1);
  }, 60_000);

  it("pages a search across replicas: a cursor one replica issued is accepted by the other (signed with a key both derive from the credentials)", async () => {
    const [a, b] = [await clientOf(replicas[0]!), await clientOf(replicas[1]!)];
    const args = { status: "open", sort: "newest", pageSize: 5 };
    const text = (result: CallToolResult) => (result.content as Array<{ text: string }>)[0]?.text ?? "";
    const ids = (result: CallToolResult) => [...text(result).matchAll(/^(\d+) T/gm)].map((m) => Number(m[1]));
    const first = (await a.callTool({ name: "autotask_search_tickets", arguments: args })) as CallToolResult;
    const cursor = /cursor "([^"]+)"/.exec(text(first))?.[1];
    expect(cursor, text(first)).toBeTruthy();
    const second = (await b.callTool({ name: "autotask_search_tickets", arguments: { ...args, cursor } })) as CallToolResult;
    expect(second.isError, text(second)).toBeFalsy();
    const open = sandbox.store
      .tickets()
      .filter((t) => t.status !== 5)
      .map((t) => t.id as number)
      .sort((x, y) => y - x);
    expect([...ids(first), ...ids(second)]).toEqual(open.slice(0, 10));
  }, 60_000);

  it("a stdio server with AUTOTASK_REDIS_URL shares the same slots", async () => {
    const httpClient = await clientOf(replicas[0]!);
    const stdio = new StdioClientTransport({ command: process.execPath, args: [ENTRY], env: { PATH: process.env.PATH ?? "", ...replicaEnv, LOG_LEVEL: "warn" }, stderr: "pipe" });
    const stdioClient = new Client({ name: "stdio-with-redis", version: "1.0.0" });
    await stdioClient.connect(stdio);
    clients.push(stdioClient);
    await stdioClient.callTool({ name: "autotask_search_companies", arguments: { name: "e", limit: 1 } }); // metadata warm
    probe.hold = (method, path) => method === "POST" && /\/Companies\/query$/i.test(path);
    const busy = [0, 1, 2].map((i) => httpClient.callTool({ name: "autotask_search_companies", arguments: { name: `f${i}`, limit: 1 } }));
    for (let i = 0; i < 100 && probe.held() < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probe.held()).toBe(3);
    const fromStdio = stdioClient.callTool({ name: "autotask_search_companies", arguments: { name: "g", limit: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 700));
    // The stdio server waits for a slot instead of sending a fourth request.
    expect(probe.held()).toBe(3);
    expect(probe.inFlight.Companies).toBe(3);
    probe.hold = undefined;
    probe.releaseHeld();
    const results = (await Promise.all([...busy, fromStdio])) as CallToolResult[];
    expect(results.filter((r) => r.isError)).toEqual([]);
    expect(probe.threadRefusals).toBe(0);
  }, 60_000);

  it("a cancellation that reaches the other replica still stops the call", async () => {
    const [runner, other] = replicas as [Replica, Replica];
    // The load balancer sends the cancellation to the other replica.
    const client = new Client({ name: "cancel-elsewhere", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(runner.url), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN.token}` } },
      fetch: (url, init) => fetch(String(init?.body ?? "").includes('"notifications/cancelled"') ? other.url : url, init),
    });
    await client.connect(transport);
    clients.push(client);
    await client.callTool({ name: "autotask_search_companies", arguments: { name: "h", limit: 1 } }); // metadata warm
    probe.hold = (method, path) => method === "POST" && /\/Companies\/query$/i.test(path);
    try {
      const controller = new AbortController();
      const call = client.callTool({ name: "autotask_search_companies", arguments: { name: "i", limit: 1 } }, undefined, { signal: controller.signal });
      for (let i = 0; i < 100 && probe.held() < 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(probe.held()).toBe(1);
      controller.abort(new Error("stop"));
      await expect(call).rejects.toThrow();
      // The runner aborted its request to Autotask: the held request went away without being released.
      for (let i = 0; i < 100 && probe.held() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(probe.held()).toBe(0);
    } finally {
      probe.hold = undefined;
      probe.releaseHeld();
    }
  }, 60_000);

  it("frees the slots of a replica killed mid-request within the lease", async () => {
    const [victim, survivor] = replicas as [Replica, Replica];
    const victimClient = await clientOf(victim);
    const survivorClient = await clientOf(survivor);
    // Warm the survivor's metadata so its later call needs only the query slot.
    await survivorClient.callTool({ name: "autotask_search_companies", arguments: { name: "b", limit: 1 } });
    probe.hold = (method, path) => method === "POST" && /\/Companies\/query$/i.test(path);
    const hanging = [0, 1, 2].map((i) =>
      victimClient.callTool({ name: "autotask_search_companies", arguments: { name: `c${i}`, limit: 1 } }).catch(() => undefined),
    );
    for (let i = 0; i < 100 && probe.held() < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probe.held()).toBe(3);

    await victim.kill("SIGKILL");
    probe.hold = undefined;
    probe.releaseHeld();
    const killedAt = Date.now();
    const result = (await survivorClient.callTool({ name: "autotask_search_companies", arguments: { name: "d", limit: 1 } })) as CallToolResult;
    const waited = Date.now() - killedAt;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    // It had to wait for the dead replica's leases (so they were held), and got a slot once they ran out.
    expect(waited).toBeGreaterThan(LEASE_MS / 3);
    expect(waited).toBeLessThan(LEASE_MS + 2_500);
    // The dead replica's calls never answer; closing their client ends them.
    await victimClient.close();
    await Promise.all(hanging);
  }, 60_000);
});
