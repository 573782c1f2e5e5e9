/**
 * `--http`: serves MCP over Streamable HTTP for a team. Loaded only with --http (dynamic import), so a
 * stdio server never loads this code.
 *
 * Process-wide (built once): the Autotask client with its slots and budget, the shared metadata cache,
 * one write ledger per token. Per request: an MCP server from the same `createServer` stdio uses, with
 * the token's read-only flag and ledger. This function is the one adapter between the HTTP transport
 * (which only wants `caller -> McpServer`) and the application's server factory.
 *
 * `createServer` and the write tools' names are passed in rather than imported: the entry already holds
 * them, and the bundle keeps them (and src/version.ts) in the entry file instead of a shared chunk.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Logger } from "pino";
import type { AutotaskApi } from "../autotask/api.js";
import type { Config } from "../config.js";
import type { TeamConfig } from "../config-team.js";
import type { createServer } from "../server.js";
import { SharedWriteLedger } from "../state/ledger.js";
import { withSharedMetadata } from "../state/metadata-cache.js";
import type { SharedState } from "../state/setup.js";
import type { KeyValueStore } from "../state/store.js";
import type { ServerSettings } from "../tools/support/settings.js";
import { createAuditLog } from "./audit.js";
import { type HttpServerHandle, startHttpServer } from "./server.js";
import { type TokenCaller, TokenRegistry } from "./tokens.js";

export interface ServeHttpOptions {
  config: Config;
  team: TeamConfig;
  api: AutotaskApi;
  settings: ServerSettings;
  shared: SharedState;
  logger: Logger;
  host?: string;
  port: number;
  createServer: typeof createServer;
  /** Names of the tools that write to Autotask (audited). */
  writeTools: readonly string[];
}

/**
 * The adapter from today's `createServer(deps)` to the transport's `caller -> McpServer`: process-wide
 * metadata cache and one write ledger per token on `store`; a read-only server for read-only tokens.
 * (With `createDesk`, this becomes `caller => createServer(deskFor(caller))`.)
 */
export function teamServerFactory(options: {
  api: AutotaskApi;
  store: KeyValueStore;
  settings: ServerSettings;
  logger: Logger;
  picklistTtlMs: number;
  createServer: typeof createServer;
}): (caller: TokenCaller) => McpServer {
  const { store, settings, logger } = options;
  const api = withSharedMetadata(options.api, store, options.picklistTtlMs);
  const ledgers = new Map<string, SharedWriteLedger>();
  const ledgerOf = (caller: TokenCaller) => {
    let ledger = ledgers.get(caller.id);
    if (!ledger) {
      ledger = new SharedWriteLedger(store, { windowMs: settings.duplicateWindowMs, scope: caller.id });
      ledgers.set(caller.id, ledger);
    }
    return ledger;
  };
  return (caller) =>
    options.createServer({
      api,
      settings: caller.readOnly ? { ...settings, readOnly: true } : settings,
      logger: logger.child({ technician: caller.technician }),
      picklistTtlMs: options.picklistTtlMs,
      dedupe: ledgerOf(caller),
      onPicklistsInvalidated: (entity) => {
        api.forget(entity).catch((error: unknown) => logger.warn({ err: error }, "could not drop the shared picklist metadata"));
      },
    });
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
      api: options.api,
      store: shared.store,
      settings,
      logger,
      picklistTtlMs: options.config.picklistTtlMs,
      createServer: options.createServer,
    }),
  });
  logger.info({ url: handle.url, technicians: tokens.size, state: shared.kind }, "MCP server ready on Streamable HTTP");
  return handle;
}
