/**
 * Test harness: the real server, the real Autotask client and the sandbox over loopback HTTP,
 * joined to an MCP `Client` by the SDK's in-memory transport (or, with `transport: "http"`, by the
 * team server's Streamable HTTP transport with a bearer token).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import { AutotaskClient } from "../../src/autotask/client.js";
import { DEFAULT_CALENDAR } from "../../src/domain/calendar.js";
import { createDesk, type Desk, type DeskSettings } from "../../src/desk/index.js";
import { startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { createServer } from "../../src/server.js";

export interface Harness {
  client: Client;
  sandbox: SandboxHandle;
  api: AutotaskClient;
  desk: Desk;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    profile?: string;
    tickets?: number;
    settings?: Partial<DeskSettings>;
    now?: () => Date;
    /** "http": the same server behind the Streamable HTTP transport, with a bearer token (see support/http.ts). */
    transport?: "memory" | "http";
  } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0, profile: options.profile ?? "default", tickets: options.tickets ?? 300, seed: 7 });
  const api = new AutotaskClient({
    credentials: sandbox.credentials,
    apiUrl: sandbox.apiUrl,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  const settings: DeskSettings = {
    readOnly: false,
    calendar: DEFAULT_CALENDAR,
    mappingOverrides: {},
    defaultNotesInDetails: 5,
    duplicateWindowMs: 10 * 60_000,
    ...options.settings,
  };
  const logger = pino({ level: "silent" });
  const client = new Client({ name: "test-client", version: "1.0.0" });
  let desk: Desk;
  let server: { close(): Promise<void> };
  if (options.transport === "http") {
    // Loaded only here: the in-memory runs never touch the HTTP code.
    const { connectOverHttp } = await import("./http.js");
    const { teamDeskInputs, teamServerFactory } = await import("../../src/http/main.js");
    const { MemoryStore } = await import("../../src/state/store.js");
    // The team server's one desk, as src/index.ts builds it with --http.
    const inputs = teamDeskInputs({ api, store: new MemoryStore(), logger, picklistTtlMs: 15 * 60_000 });
    desk = createDesk(inputs.api, settings, options.now, inputs.options);
    server = await connectOverHttp(client, { api, logger, createMcpServer: teamServerFactory({ desk, createServer }) });
  } else {
    desk = createDesk(api, settings, options.now, logger);
    const mcp = createServer(desk);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await Promise.all([client.connect(clientTransport), mcp.connect(serverTransport)]);
    server = mcp;
  }
  // Listing first makes the SDK client validate every structuredContent against its outputSchema.
  await client.listTools();
  return {
    client,
    sandbox,
    api,
    desk,
    call: (name, args) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    async close() {
      await client.close();
      await server.close();
      await api.close();
      await sandbox.close();
    },
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}

/** Every key path whose value is null, undefined, "" or an empty array/object. */
export function emptyPaths(value: unknown, path = "$"): string[] {
  if (value === null || value === undefined || value === "") return [path];
  if (Array.isArray(value)) {
    return value.length === 0 ? [path] : value.flatMap((item, index) => emptyPaths(item, `${path}[${index}]`));
  }
  if (typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([key, item]) => emptyPaths(item, `${path}.${key}`));
  }
  return [];
}
