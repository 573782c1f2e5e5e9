/**
 * End-to-end: the BUILT server (dist/index.js, as users run it) spawned over stdio, talking to the
 * sandbox over loopback HTTP, with each tenant profile. Walks a real service-desk flow and checks
 * the sandbox's state after each step. `npm test` builds first (pretest).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../src/sandbox/index.js";
import { listedIds, parseTicketPage } from "./support/rows.js";

const ENTRY = fileURLToPath(new URL("../dist/index.js", import.meta.url));
/** The single-file bundle that package.json's `bin` points at. */
const BUNDLE = fileURLToPath(new URL("../dist/autotask-tickets-mcp.js", import.meta.url));
type Structured = Record<string, any>;

function serverEnv(sandbox: SandboxHandle, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    AUTOTASK_API_URL: sandbox.apiUrl,
    AUTOTASK_USERNAME: sandbox.credentials.username,
    AUTOTASK_SECRET: sandbox.credentials.secret,
    AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode,
    LOG_LEVEL: "trace",
    ...extra,
  };
}

beforeAll(() => {
  for (const file of [ENTRY, BUNDLE]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm test does it first).`);
  }
});

describe.each(["default", "real-tenant"])("built server over stdio, %s profile", (profile) => {
  let sandbox: SandboxHandle;
  let client: Client;
  let stderr = "";

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, profile, tickets: 200, seed: 11 });
    const transport = new StdioClientTransport({ command: process.execPath, args: [ENTRY], env: serverEnv(sandbox), stderr: "pipe" });
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    client = new Client({ name: "e2e", version: "1.0.0" });
    await client.connect(transport);
    await client.listTools();
  });
  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  async function call(name: string, args: Record<string, unknown>) {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
    expect(result.isError, `${name}: ${text}`).toBeFalsy();
    return { ...(result.structuredContent as Structured), text } as Structured;
  }

  it("creates, finds, assigns, escalates, notes and completes a ticket", async () => {
    const companies = await call("autotask_search_companies", { name: "e", limit: 3 });
    const companyId = listedIds(companies.text).find((id) => id !== 0) as number;
    // A technician by full name: every word in first name, last name or e-mail.
    const person = sandbox.store.resources().find((r: Structured) => r.isActive !== false && r.firstName && r.lastName) as Structured;
    const resources = await call("autotask_search_resources", { name: `${person.firstName} ${person.lastName}` });
    expect(listedIds(resources.text)).toContain(person.id);
    const techLine = (await call("autotask_search_resources", { name: "a" })).text.split("\n").find((line: string) => /, default\)/.test(line));
    const tech = { id: Number(/^(\d+) /.exec(techLine ?? "")?.[1]) };

    const created = await call("autotask_create_ticket", {
      companyID: companyId,
      title: "Outlook keeps asking for the password",
      priority: "High",
      queueID: profile === "default" ? undefined : "Helpdesk Queue",
    });
    const id = created.ticket.id;
    const stored = () => sandbox.store.getTicket(id)!;
    expect(stored().title).toBe("Outlook keeps asking for the password");
    expect(stored().status).toBe(1);

    const open = await call("autotask_search_tickets", { companyId, status: "open", searchTerm: "keeps Outlook" });
    expect(parseTicketPage(open.text).rows.map((t) => t.id)).toContain(id);

    // By ticket number, as a technician names it.
    await call("autotask_update_ticket", { ticketId: stored().ticketNumber, assignedResourceID: tech.id, status: "in_progress" });
    expect(stored().assignedResourceID).toBe(tech.id);
    expect(stored().status).toBe(8);

    await call("autotask_update_ticket", { ticketId: id, status: "escalated", escalationReason: "Mailbox corruption; needs Exchange admin." });
    expect(stored().status).toBe(11);
    expect(sandbox.store.notesFor(id).some((n: Structured) => n.description.includes("Exchange admin") && n.publish !== 1)).toBe(true);

    await call("autotask_create_ticket_note", { ticketId: id, description: "Rebuilt the profile." });
    await call("autotask_create_ticket_note", { ticketId: id, description: "Fixed, please confirm.", publish: "all" });
    const notes = sandbox.store.notesFor(id);
    expect(notes.find((n: Structured) => n.description === "Rebuilt the profile.")?.publish).not.toBe(1);
    expect(notes.find((n: Structured) => n.description === "Fixed, please confirm.")?.publish).toBe(1);

    await call("autotask_update_ticket", { ticketId: id, status: "Complete", resolution: "Rebuilt the Outlook profile." });
    expect(stored().status).toBe(5);
    expect(stored().completedDate).toBeTruthy();

    const details = await call("autotask_get_ticket_details", { ticketId: String(id) });
    expect(details.ticket.status).toEqual({ id: 5, label: "Complete" });
    expect(details.notesTotal).toBe(3);
  });

  it("never logs the secret, even at trace", () => {
    expect(stderr.length).toBeGreaterThan(0);
    expect(stderr).not.toContain(sandbox.credentials.secret);
  });
});

describe("stdout discipline", () => {
  it("writes only JSON-RPC to stdout, in sandbox mode at trace level (bundled entry)", async () => {
    const child = spawn(process.execPath, [BUNDLE, "--sandbox"], {
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "trace" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "autotask_search_tickets", arguments: { status: "open", pageSize: 3 } } });
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('"id":3') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.stdin.end();
    await new Promise((resolve) => child.once("exit", resolve));
    const lines = stdout.split("\n").filter((line) => line.trim() !== "");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    const answer = lines.map((line) => JSON.parse(line)).find((m) => m.id === 3);
    expect(answer.result.isError).toBeFalsy();
    expect(answer.result.structuredContent).toBeUndefined();
    expect(parseTicketPage(answer.result.content[0].text).rows).toHaveLength(3);
  });

  it("fails fast with one readable line when configuration is missing", async () => {
    const child = spawn(process.execPath, [ENTRY], { env: { PATH: process.env.PATH ?? "" }, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/AUTOTASK_USERNAME/);
  });
});
