/**
 * Meta-tests over `tools/list`: the conventions every tool must keep (casing of argument names,
 * file names), the size budget per tool and for the whole list, read-only mode, and a snapshot so
 * that any change to what clients see is deliberate.
 */
import { readdirSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { AutotaskApi } from "../src/autotask/api.js";
import { createDesk, type DeskSettings } from "../src/desk/index.js";
import { DEFAULT_CALENDAR } from "../src/domain/calendar.js";
import { createServer } from "../src/server.js";
import { TOOLS } from "../src/tools/index.js";

/** Any use of the API here is a bug: listing tools must not touch Autotask. */
const noNetwork = new Proxy({} as AutotaskApi, {
  get(_target, property) {
    return () => {
      throw new Error(`tools/list must not call Autotask (${String(property)})`);
    };
  },
});

async function listTools(readOnly: boolean, by: "server" | "token" = "server") {
  const settings: DeskSettings = {
    readOnly: readOnly && by === "server",
    calendar: DEFAULT_CALENDAR,
    mappingOverrides: {},
    defaultNotesInDetails: 5,
    duplicateWindowMs: 60_000,
  };
  const desk = createDesk(noNetwork, settings, () => new Date(), pino({ level: "silent" }));
  const server = by === "token" ? createServer(desk, { readOnly: true }) : createServer(desk);
  const client = new Client({ name: "meta-test", version: "1.0.0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(a), server.connect(b)]);
  const { tools } = await client.listTools();
  return { client, tools };
}

/** Tools whose answer is a list of rows, sent once as text. */
const LIST_TOOLS = new Set(["autotask_search_tickets", "autotask_search_companies", "autotask_search_resources", "autotask_search_contacts"]);

describe("tools/list", () => {
  it("keeps every tool's conventions", async () => {
    const { tools } = await listTools(false);
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        "autotask_create_ticket",
        "autotask_update_ticket",
        "autotask_search_tickets",
        "autotask_get_ticket_details",
        "autotask_create_ticket_note",
      ]),
    );
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeLessThan(1024);
      // List tools answer in text rows only; write tools send a structured result without listing its
      // schema; every other read tool lists one (CONTRIBUTING.md, response contract).
      const listsOutput = !LIST_TOOLS.has(tool.name) && tool.annotations?.readOnlyHint === true;
      expect(tool.outputSchema !== undefined, tool.name).toBe(listsOutput);
      const a = tool.annotations ?? {};
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof a[hint], `${tool.name}.${hint}`).toBe("boolean");
      }
      expect(a.readOnlyHint && a.destructiveHint, tool.name).toBeFalsy();
      for (const [name, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${tool.name}.${name} needs a description`).toBeTruthy();
      }
    }
    const create = tools.find((t) => t.name === "autotask_create_ticket");
    expect(create?.annotations?.idempotentHint).toBe(false);
    const update = tools.find((t) => t.name === "autotask_update_ticket");
    expect(update?.annotations?.idempotentHint).toBe(true);
  });

  it("keeps each tool's entry, output schema included, within 1,600 bytes", async () => {
    // Every client puts each entry into the model's context; the write tools carry every writable
    // ticket field, so a field added there must pay for itself.
    const { tools } = await listTools(false);
    expect(tools.length).toBeGreaterThanOrEqual(14);
    for (const tool of tools) {
      expect(Buffer.byteLength(JSON.stringify(tool)), tool.name).toBeLessThanOrEqual(1_600);
    }
  });

  it("fits the whole list in 18 KB", async () => {
    // Sized for about 15 tools: every client puts the whole list into the model's context.
    const { tools } = await listTools(false);
    const bytes = Buffer.byteLength(JSON.stringify({ tools }));
    expect(bytes).toBeLessThanOrEqual(18 * 1024);
  });

  it("spells Autotask fields as Autotask does and everything else in camelCase", async () => {
    const { tools } = await listTools(false);
    // Autotask's spelling of its id fields (entityInformation/fields): companyID, ticketID, queueID…
    const wrongIdCasing = /Id$/;
    for (const tool of tools) {
      for (const name of Object.keys(tool.inputSchema.properties ?? {})) {
        expect(name, `${tool.name}.${name}`).toMatch(/^[a-z][A-Za-z0-9]*$/);
        expect(name, `${tool.name}.${name} should end in ID (Autotask's spelling)`).not.toMatch(wrongIdCasing);
      }
    }
  });

  it("names each tool file after its tool, one tool per file", async () => {
    const infrastructure = new Set(["index.ts", "define.ts", "boundary.ts", "params.ts"]);
    const files = readdirSync(new URL("../src/tools/", import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !infrastructure.has(entry.name))
      .map((entry) => entry.name)
      .sort();
    const expected = TOOLS.map((tool) => `${tool.name.replace(/^autotask_/, "").replaceAll("_", "-")}.ts`).sort();
    expect(files).toEqual(expected);
    for (const file of files) {
      const module = (await import(`../src/tools/${file}`)) as { default?: { name?: string } };
      expect(module.default?.name, file).toBe(`autotask_${file.replace(/\.ts$/, "").replaceAll("-", "_")}`);
    }
  });

  it("hides the write tools in read-only mode and refuses them if called anyway", async () => {
    const { client, tools } = await listTools(true);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(tools.map((t) => t.name)).toContain("autotask_search_tickets");
    expect(tools.map((t) => t.name)).not.toContain("autotask_escalate_tickets");
    const result = await client.callTool({ name: "autotask_create_ticket", arguments: { companyID: 1, title: "x" } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/read-only mode/);
  });

  it("tells a read-only token's caller that the token is read-only, not the server", async () => {
    const { client, tools } = await listTools(true, "token");
    expect(tools.map((t) => t.name)).not.toContain("autotask_create_ticket");
    const result = await client.callTool({ name: "autotask_create_ticket", arguments: { companyID: 1, title: "x" } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/token of this session is read-only/);
    expect(JSON.stringify(result.content)).not.toMatch(/AUTOTASK_READ_ONLY/);
  });

  it("never asks for a hidden write tool in a prompt when read-only", async () => {
    for (const [readOnly, by] of [[true, "server"], [true, "token"], [false, "server"]] as const) {
      const { client } = await listTools(readOnly, by);
      const escalation = JSON.stringify((await client.getPrompt({ name: "escalation-review", arguments: {} })).messages);
      const triage = JSON.stringify((await client.getPrompt({ name: "triage-new-tickets", arguments: {} })).messages);
      expect(escalation.includes("autotask_escalate_tickets"), `${by} ${readOnly}`).toBe(!readOnly);
      expect(triage.includes("autotask_update_ticket"), `${by} ${readOnly}`).toBe(!readOnly);
      expect(escalation).toMatch(/autotask_check_escalations/);
    }
  });

  it("matches the snapshot", async () => {
    const { tools } = await listTools(false);
    await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot("./__snapshots__/tools-list.json");
  });
});
