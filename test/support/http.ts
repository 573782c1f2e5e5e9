/**
 * Test support for the Streamable HTTP transport: starts `startHttpServer` on a free loopback port with
 * one token and connects an SDK `Client` to it with that token.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Logger } from "../../src/log.js";
import type { AutotaskApi } from "../../src/autotask/api.js";
import { type AuditEntry, createAuditLog } from "../../src/http/audit.js";
import { type HttpServerHandle, startHttpServer } from "../../src/http/server.js";
import { hashToken, type TokenCaller, TokenRegistry } from "../../src/http/tokens.js";

export const TEST_TOKEN = "test-token-ann-0123456789";

export interface TokenSpec {
  token: string;
  technician: string;
  resourceId?: number;
  readOnly?: boolean;
  hourlyShare?: number;
}

/** Writes a token file (hashes only) into a fresh temporary directory and returns its path. */
export function writeTokenFile(tokens: TokenSpec[], path = join(mkdtempSync(join(tmpdir(), "mcp-tokens-")), "tokens.json")): string {
  const entries = tokens.map(({ token, ...rest }) => ({ sha256: hashToken(token), ...rest }));
  writeFileSync(path, JSON.stringify({ tokens: entries }, null, 2));
  return path;
}

export interface HttpTestServer {
  handle: HttpServerHandle;
  audit: AuditEntry[];
  tokensFile: string;
  close(): Promise<void>;
}

export async function startTestHttpServer(options: {
  logger: Logger;
  createMcpServer: (caller: TokenCaller) => McpServer;
  tokens?: TokenSpec[];
  ready?: () => Promise<boolean>;
  maxBodyBytes?: number;
}): Promise<HttpTestServer> {
  const tokensFile = writeTokenFile(options.tokens ?? [{ token: TEST_TOKEN, technician: "Ann Example" }]);
  const audit: AuditEntry[] = [];
  const log = createAuditLog(options.logger);
  const handle = await startHttpServer({
    port: 0,
    tokens: new TokenRegistry({ file: tokensFile }, options.logger),
    logger: options.logger,
    audit: {
      record(entry) {
        audit.push(entry);
        log.record(entry);
      },
    },
    isWriteTool: (name) => /create|update/.test(name),
    createMcpServer: options.createMcpServer,
    ready: options.ready,
    maxBodyBytes: options.maxBodyBytes,
  });
  return { handle, audit, tokensFile, close: () => handle.close() };
}

/** Connects `client` over HTTP with a bearer token. */
export async function connectClient(client: Client, url: string, token = TEST_TOKEN): Promise<StreamableHTTPClientTransport> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return transport;
}

/** For the shared harness: serves `createMcpServer` over HTTP and connects `client`; close() stops the server. */
export async function connectOverHttp(
  client: Client,
  options: { api: AutotaskApi; logger: Logger; createMcpServer: (caller: TokenCaller) => McpServer },
): Promise<{ close(): Promise<void> }> {
  const server = await startTestHttpServer({ logger: options.logger, createMcpServer: options.createMcpServer });
  await connectClient(client, server.handle.url);
  return server;
}
