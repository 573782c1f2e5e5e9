/**
 * Meta-tests over `tools/list`: the conventions every tool must keep, the size budget of the whole
 * list, read-only mode, and a snapshot so that any change to what clients see is deliberate.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { AutotaskApi } from "../src/autotask/api.js";
import { DEFAULT_CALENDAR } from "../src/domain/calendar.js";
import { createServer } from "../src/server.js";
import type { ServerSettings } from "../src/tools/support/settings.js";

/** Any use of the API here is a bug: listing tools must not touch Autotask. */
const noNetwork = new Proxy({} as AutotaskApi, {
  get(_target, property) {
    return () => {
      throw new Error(`tools/list must not call Autotask (${String(property)})`);
    };
  },
});

async function listTools(readOnly: boolean) {
  const settings: ServerSettings = {
    readOnly,
    calendar: DEFAULT_CALENDAR,
    mappingOverrides: {},
    defaultNotesInDetails: 5,
    duplicateWindowMs: 60_000,
  };
  const server = createServer({ api: noNetwork, settings, logger: pino({ level: "silent" }) });
  const client = new Client({ name: "meta-test", version: "1.0.0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(a), server.connect(b)]);
  const { tools } = await client.listTools();
  return { client, tools };
}

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
      expect(tool.outputSchema, tool.name).toBeDefined();
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

  it("fits the whole list in 18 KB", async () => {
    const { tools } = await listTools(false);
    const bytes = Buffer.byteLength(JSON.stringify({ tools }));
    expect(bytes).toBeLessThanOrEqual(18 * 1024);
  });

  it("keeps each desk tool's entry (output schema included) within 1,600 bytes", async () => {
    const { tools } = await listTools(false);
    const desk = [
      "autotask_list_picklists",
      "autotask_search_contacts",
      "autotask_list_ticket_notes",
      "autotask_check_escalations",
      "autotask_escalate_tickets",
      "autotask_sla_report",
      "autotask_ticket_metrics",
    ];
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(desk));
    for (const tool of tools.filter((t) => desk.includes(t.name))) {
      expect(Buffer.byteLength(JSON.stringify(tool)), tool.name).toBeLessThanOrEqual(1600);
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

  it("matches the snapshot", async () => {
    const { tools } = await listTools(false);
    await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot("./__snapshots__/tools-list.json");
  });
});
