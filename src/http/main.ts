/**
 * `--http`: serves MCP over Streamable HTTP for a team. Loaded only with --http (dynamic import), so a
 * stdio server never loads this code.
 *
 * Process-wide (built once): the Autotask client with its slots and budget, and one desk over the
 * shared metadata cache and the shared write ledger (keys scoped per token). Per request: an MCP server
 * from the same `createServer` stdio uses, over that desk, with the token's read-only flag. This is the
 * one adapter between the HTTP transport (which only wants `caller -> McpServer`) and the application.
 *
 * `createServer`, `createDesk` and the write tools' names are passed in rather than imported: the entry
 * already holds them, and the bundle keeps them (and src/version.ts) in the entry file instead of a shared chunk.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Logger } from "pino";
import type { AutotaskApi } from "../autotask/api.js";
import { currentCaller } from "../autotask/shared-limits.js";
import type { Config } from "../config.js";
import type { TeamConfig } from "../config-team.js";
import type { createDesk, Desk, DeskSettings } from "../desk/index.js";
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
  api: AutotaskApi;
  settings: DeskSettings;
  shared: SharedState;
  logger: Logger;
  host?: string;
  port: number;
  createServer: typeof createServer;
  createDesk: typeof createDesk;
  /** Names of the tools that write to Autotask (audited). */
  writeTools: readonly string[];
  /** The desk's clock; default wall-clock. */
  clock?: () => Date;
}

/**
 * The team server's one desk: the tenant's metadata shared through `store` (and dropped there when a
 * picklist turns out stale), the write ledger on `store` with "pending" marks across replicas, its keys
 * scoped per caller (`currentCaller()?.id`, the token id, set by the transport for each request).
 */
export function teamDesk(options: {
  api: AutotaskApi;
  store: KeyValueStore;
  settings: DeskSettings;
  logger: Logger;
  picklistTtlMs: number;
  createDesk: typeof createDesk;
  clock?: () => Date;
}): Desk {
  const { store, logger } = options;
  const api = withSharedMetadata(options.api, store, options.picklistTtlMs);
  return options.createDesk(api, options.settings, options.clock ?? (() => new Date()), {
    logger,
    ledgerStore: new KeyValueLedgerStore(store),
    ledgerScope: () => currentCaller()?.id,
    onPicklistsInvalidated: (entity) => {
      api.forget(entity).catch((error: unknown) => logger.warn({ err: error }, "could not drop the shared picklist metadata"));
    },
  });
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
  const { team, shared, logger, settings } = options;
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
    createMcpServer: teamServerFactory({
      desk: teamDesk({
        api: options.api,
        store: shared.store,
        settings,
        logger,
        picklistTtlMs: settings.picklistTtlMs ?? options.config.picklistTtlMs,
        createDesk: options.createDesk,
        ...(options.clock ? { clock: options.clock } : {}),
      }),
      createServer: options.createServer,
    }),
  });
  logger.info({ url: handle.url, technicians: tokens.size, state: shared.kind }, "MCP server ready on Streamable HTTP");
  return handle;
}
