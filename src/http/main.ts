/**
 * `--http`: serves MCP over Streamable HTTP for a team. Loaded only with --http (dynamic import), so a
 * stdio server never loads this code.
 *
 * Process-wide (built once, in src/index.ts): the Autotask client with its slots and budget, and one
 * desk over the shared metadata cache and the shared write ledger (keys scoped per token, see
 * `teamDeskInputs`). Per request: an MCP server
 * from the same `createServer` stdio uses, over that desk, with the token's read-only flag. This is the
 * one adapter between the HTTP transport (which only wants `caller -> McpServer`) and the application.
 *
 * `createServer` and the write tools' names are passed in rather than imported: the entry
 * already holds them, and the bundle keeps them (and src/version.ts) in the entry file instead of a shared chunk.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Logger } from "../log.js";
import type { AutotaskApi } from "../autotask/api.js";
import { currentCaller } from "../autotask/shared-limits.js";
import type { Config } from "../config.js";
import type { TeamConfig } from "../config-team.js";
import type { Desk, DeskOptions } from "../desk/index.js";
import type { createServer } from "../server.js";
import { KeyValueLedgerStore } from "../state/ledger.js";
import { withSharedMetadata } from "../state/metadata-cache.js";
import type { SharedState } from "../state/setup.js";
import type { KeyValueStore } from "../state/store.js";
import { createAuditLog } from "./audit.js";
import { type HttpServerHandle, startHttpServer } from "./server.js";
import { type TokenCaller, TokenRegistry } from "./tokens.js";

export interface ServeHttpOptions {
  config: Config;
  team: TeamConfig;
  /** The process's one desk, built from `teamDeskInputs`. */
  desk: Desk;
  shared: SharedState;
  logger: Logger;
  host?: string;
  port: number;
  createServer: typeof createServer;
  /** Names of the tools that write to Autotask (audited). */
  writeTools: readonly string[];
}

/**
 * What the team server's one desk is built from (`createDesk` in
 * src/index.ts): the client behind the tenant's metadata shared through `store` (dropped there too when
 * a picklist turns out stale), and the write ledger on `store` with "pending" marks across replicas,
 * its keys scoped per caller (`currentCaller()?.id`, the token id the transport sets per request).
 */
export function teamDeskInputs(options: { api: AutotaskApi; store: KeyValueStore; logger: Logger; picklistTtlMs: number }): {
  api: AutotaskApi;
  options: DeskOptions;
} {
  const { store, logger } = options;
  const api = withSharedMetadata(options.api, store, options.picklistTtlMs);
  return {
    api,
    options: {
      logger,
      ledgerStore: new KeyValueLedgerStore(store),
      ledgerScope: () => currentCaller()?.id,
      onPicklistsInvalidated: (entity) => {
        api.forget(entity).catch((error: unknown) => logger.warn({ err: error }, "could not drop the shared picklist metadata"));
      },
    },
  };
}

/**
 * The transport's `caller -> McpServer` over the process's one desk: per caller only the read-only flag
 * (a read-only token gets a server without write tools) and the logger (carries the technician) change;
 * the ledger's scope follows the caller through `currentCaller()`.
 */
export function teamServerFactory(options: { desk: Desk; createServer: typeof createServer }): (caller: TokenCaller) => McpServer {
  const { desk } = options;
  return (caller) => options.createServer(desk, { readOnly: caller.readOnly, logger: desk.logger.child({ technician: caller.technician }) });
}

export async function serveHttp(options: ServeHttpOptions): Promise<HttpServerHandle> {
  const { team, shared, logger } = options;
  const tokens = new TokenRegistry({ file: team.tokensFile, inline: team.tokensInline }, logger);
  const writeTools = new Set(options.writeTools);
  const handle = await startHttpServer({
    host: options.host,
    port: options.port,
    tokens,
    logger,
    audit: createAuditLog(logger, team.auditLogPath),
    isWriteTool: (name) => writeTools.has(name),
    ready: shared.ready,
    maxBodyBytes: team.maxBodyBytes,
    allowedHosts: team.allowedHosts,
    allowedOrigins: team.allowedOrigins,
    ...(shared.cancellations ? { cancellations: shared.cancellations } : {}),
    createMcpServer: teamServerFactory({ desk: options.desk, createServer: options.createServer }),
  });
  logger.info({ url: handle.url, technicians: tokens.size, state: shared.kind }, "MCP server ready on Streamable HTTP");
  return handle;
}
