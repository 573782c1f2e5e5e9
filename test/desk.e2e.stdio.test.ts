/**
 * End-to-end for the desk tools: the bundled server (dist/autotask-tickets-mcp.js, the package's
 * `bin`) spawned over stdio against the sandbox. The chart is drawn from the bundle's own chunk and
 * its copy of the WebAssembly rasteriser; progress notifications cross the real stdio transport;
 * read-only mode hides every write tool. `npm test` builds first (pretest).
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../src/sandbox/index.js";

const BUNDLE = fileURLToPath(new URL("../dist/autotask-tickets-mcp.js", import.meta.url));

async function connect(sandbox: SandboxHandle, extra: Record<string, string> = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUNDLE],
    env: {
      PATH: process.env.PATH ?? "",
      AUTOTASK_API_URL: sandbox.apiUrl,
      AUTOTASK_USERNAME: sandbox.credentials.username,
      AUTOTASK_SECRET: sandbox.credentials.secret,
      AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode,
      LOG_LEVEL: "warn",
      ...extra,
    },
    stderr: "pipe",
  });
  const client = new Client({ name: "desk-e2e", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

describe("desk tools from the bundle over stdio", () => {
  let sandbox: SandboxHandle;
  let client: Client;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, profile: "real-tenant", tickets: 700, seed: 3 });
    client = await connect(sandbox);
  });
  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  it("draws the metrics chart and reports progress per page", async () => {
    const progress: number[] = [];
    const result = (await client.callTool({ name: "autotask_ticket_metrics", arguments: { chart: true } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    })) as CallToolResult;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(progress).toEqual([500, sandbox.store.tickets().length]);
    const image = result.content.find((part) => part.type === "image") as { data: string; mimeType: string };
    const png = Buffer.from(image.data, "base64");
    expect(png.toString("ascii", 1, 4)).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(1000);
  });

  it("loads the chart code only when a chart is asked for: its chunk is imported dynamically, never statically", () => {
    // Since issue 13 the desk (and with it the reports) is itself imported after the handshake, so the
    // chart's import() sits in the desk's chunk rather than in the entry: check every output file.
    const chunksDir = join(dirname(BUNDLE), "bundle-chunks");
    const outputs = [BUNDLE, ...readdirSync(chunksDir).filter((name) => name.endsWith(".js")).map((name) => join(chunksDir, name))];
    const chartChunks = readdirSync(chunksDir).filter((name) => /^chart-[\w-]+\.js$/.test(name));
    expect(chartChunks.length).toBeGreaterThan(0);
    for (const chunk of chartChunks) {
      const texts = outputs.filter((file) => basename(file) !== chunk).map((file) => readFileSync(file, "utf8"));
      expect(texts.some((text) => text.includes(`import("./${chunk}")`) || text.includes(`import("./bundle-chunks/${chunk}")`))).toBe(true);
      const staticImport = new RegExp(`(from|import)\\s*"\\./(bundle-chunks/)?${chunk.replace(/[.]/g, "\\.")}"`);
      expect(texts.filter((text) => staticImport.test(text))).toEqual([]);
    }
    expect(readFileSync(BUNDLE, "utf8")).not.toContain("vega-lite");
  });

  it("hides every write tool in read-only mode", async () => {
    const readOnly = await connect(sandbox, { AUTOTASK_READ_ONLY: "true" });
    try {
      const { tools } = await readOnly.listTools();
      expect(tools.map((t) => t.name)).toContain("autotask_check_escalations");
      expect(tools.map((t) => t.name)).not.toContain("autotask_escalate_tickets");
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      const refused = (await readOnly.callTool({ name: "autotask_escalate_tickets", arguments: { ticketIDs: [1] } })) as CallToolResult;
      expect(refused.isError).toBe(true);
    } finally {
      await readOnly.close();
    }
  });
});
