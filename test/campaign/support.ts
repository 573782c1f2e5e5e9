/**
 * Campaign harness: ONE real MCP server (createServer) with the real AutotaskClient, talking to the
 * sandbox over loopback HTTP, reached through a real MCP `Client` over the SDK's in-memory transport.
 * Unlike test/support/harness.ts it keeps the server's log lines (at any level, with the secrets
 * registered for redaction, as src/index.ts does) and every client HTTP event, so campaigns can check both.
 */
import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { AutotaskClient, type AutotaskClientOptions, type ResponseEvent } from "../../src/autotask/client.js";
import { DEFAULT_CALENDAR } from "../../src/domain/calendar.js";
import { createLogger } from "../../src/logger.js";
import { type SandboxHandle, type SandboxOptions, startSandbox } from "../../src/sandbox/index.js";
import { createServer } from "../../src/server.js";
import { createDesk } from "../../src/desk/index.js";
import type { DeskSettings } from "../../src/desk/settings.js";

export interface Campaign {
  client: Client;
  sandbox: SandboxHandle;
  api: AutotaskClient;
  tools: Tool[];
  /** Every log line the server wrote (JSON text, as it would reach stderr). */
  logLines: string[];
  /** Every HTTP attempt the client made. */
  events: ResponseEvent[];
  call(name: string, args: unknown, timeoutMs?: number): Promise<CallToolResult>;
  close(): Promise<void>;
}

export async function startCampaign(
  options: {
    sandbox?: SandboxOptions;
    client?: Partial<AutotaskClientOptions>;
    settings?: Partial<DeskSettings>;
    logLevel?: string;
    /** Credentials the server is configured with (default: the sandbox's). */
    credentials?: AutotaskClientOptions["credentials"];
  } = {},
): Promise<Campaign> {
  const sandbox = await startSandbox({ port: 0, tickets: 120, seed: 7, ...options.sandbox });
  const credentials = options.credentials ?? sandbox.credentials;
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({
    level: options.logLevel ?? "silent",
    destination: destination as never,
    secrets: [credentials.secret, credentials.integrationCode],
  });
  const events: ResponseEvent[] = [];
  const api = new AutotaskClient({
    credentials,
    apiUrl: sandbox.apiUrl,
    logger,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    onResponse: (event) => events.push(event),
    ...options.client,
  });
  const settings: DeskSettings = {
    readOnly: false,
    calendar: DEFAULT_CALENDAR,
    mappingOverrides: {},
    defaultNotesInDetails: 5,
    duplicateWindowMs: 10 * 60_000,
    ...options.settings,
  };
  const server = createServer(createDesk(api, settings, () => new Date(), { logger }));
  const client = new Client({ name: "campaign", version: "1.0.0" });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(clientTransport), server.connect(serverTransport)]);
  const { tools } = await client.listTools();
  return {
    client,
    sandbox,
    api,
    tools,
    logLines,
    events,
    call: (name, args, timeoutMs = 15_000) =>
      withTimeout(client.callTool({ name, arguments: args as Record<string, unknown> }) as Promise<CallToolResult>, timeoutMs, name),
    async close() {
      await client.close();
      await server.close();
      await api.close();
      await sandbox.close();
    },
  };
}

/** Rejects when `promise` has not settled within `ms`: a hang is a failure, not a stuck test run. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (hang)`)), ms);
    }),
  ]);
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}
