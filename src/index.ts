#!/usr/bin/env node
/**
 * Entry point: `autotask-tickets-mcp [--sandbox] [--help] [--version]`.
 *
 * Parses the configuration once (failing fast with one readable line on stderr), then serves MCP
 * over stdio. stdout carries JSON-RPC only; everything else goes to stderr. With `--sandbox` (or
 * AUTOTASK_SANDBOX=1) it first starts the embedded Autotask sandbox on a free loopback port and
 * points the client at it, so the server can be tried without an Autotask account.
 */
import { parseArgs } from "node:util";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { AutotaskClient, type AutotaskClientOptions } from "./autotask/client.js";
import { type Config, ConfigError, parseEnv } from "./config.js";
import { createLogger } from "./logger.js";
import { parseTeamEnv } from "./config-team.js";
import { createServer } from "./server.js";
import { isWriteTool } from "./tools/define.js";
import { TOOLS } from "./tools/index.js";
import { settingsFromConfig } from "./tools/support/settings.js";
import { SERVER_NAME, SERVER_VERSION } from "./version.js";

const USAGE = `Usage: ${SERVER_NAME} [--sandbox] [--http [--port 8787] [--host 127.0.0.1]] [--help] [--version]

An MCP server (stdio, or Streamable HTTP with --http) for Autotask PSA tickets.
  --sandbox   run against the embedded Autotask sandbox (no Autotask account needed)
  --http      serve MCP over HTTP at /mcp for a team (bearer tokens from AUTOTASK_HTTP_TOKENS_FILE)
  --port N    HTTP port (default 8787); --host ADDRESS  bind address (default 127.0.0.1)
Configuration comes from environment variables; see .env.example and the README.`;

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if (argv.includes("--version")) {
    process.stderr.write(`${SERVER_VERSION}\n`);
    return;
  }
  const args = parseCommandLine(argv);

  const config = parseEnv(argv.includes("--sandbox") ? { ...env, AUTOTASK_SANDBOX: "true" } : env);
  const logger = createLogger({
    level: config.logLevel,
    secrets: config.credentials ? [config.credentials.secret, config.credentials.integrationCode] : [],
  });
  const team = parseTeamEnv(env);
  // Shared state (Redis) and the HTTP transport are loaded only when asked for.
  const shared =
    args.http || team.redisUrl
      ? await (await import("./state/setup.js")).createSharedState(team, config.credentials?.integrationCode ?? "sandbox", logger)
      : undefined;
  const { client, closeSandbox } = await connectAutotask(config, logger, shared ? { slots: shared.slots, budget: shared.budget } : {});
  shared?.budget.readThresholdWith(() => client.getThresholdInformation());

  if (args.http && shared) {
    const { serveHttp } = await import("./http/main.js");
    const writeTools = TOOLS.filter(isWriteTool).map((tool) => tool.name);
    const settings = settingsFromConfig(config);
    const http = await serveHttp({ config, team, api: client, settings, shared, logger, host: args.host, port: args.port, createServer, writeTools });
    const stop = async (reason: string) => {
      logger.info({ reason }, "shutting down");
      await http.close().catch(() => undefined);
      await client.close().catch(() => undefined);
      await shared.close().catch(() => undefined);
      await closeSandbox?.().catch(() => undefined);
      process.exit(0);
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
    return;
  }

  const server = createServer({ api: client, settings: settingsFromConfig(config), logger, picklistTtlMs: config.picklistTtlMs });
  const transport = new StdioServerTransport();

  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, "shutting down");
    await server.close().catch(() => undefined);
    await client.close().catch(() => undefined);
    await shared?.close().catch(() => undefined);
    await closeSandbox?.().catch(() => undefined);
    process.exit(0);
  };
  process.stdin.on("end", () => void shutdown("stdin closed"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await server.connect(transport);
  logger.info({ version: SERVER_VERSION, sandbox: config.sandbox, readOnly: config.readOnly }, "MCP server ready on stdio");
}

/** `--http`, `--port`, `--host`, `--sandbox` (node's own parser; unknown flags fail with one line). */
function parseCommandLine(argv: string[]): { http: boolean; port: number; host: string } {
  let values: { http?: boolean; port?: string; host?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { sandbox: { type: "boolean" }, http: { type: "boolean" }, port: { type: "string" }, host: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.split("\n")[0]} Run with --help for usage.`);
  }
  const port = Number(values.port ?? "8787");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`--port must be a port number 0-65535, got "${values.port}".`);
  if (!values.http && (values.port !== undefined || values.host !== undefined)) throw new ConfigError("--port and --host need --http.");
  return { http: values.http ?? false, port, host: values.host ?? "127.0.0.1" };
}

type SharedLimits = Pick<AutotaskClientOptions, "slots" | "budget">;

async function connectAutotask(config: Config, logger: ReturnType<typeof createLogger>, limits: SharedLimits) {
  if (!config.sandbox) {
    return { client: new AutotaskClient({ credentials: config.credentials, apiUrl: config.apiUrl, logger, ...limits }), closeSandbox: undefined };
  }
  // Loaded only in sandbox mode: a real deployment never pays for the sandbox's code or data.
  const { startSandbox } = await import("./sandbox/index.js");
  const sandbox = await startSandbox({ port: 0, profile: config.sandboxProfile });
  logger.info({ url: sandbox.apiUrl, profile: config.sandboxProfile }, "embedded Autotask sandbox started");
  const client = new AutotaskClient({ credentials: sandbox.credentials, apiUrl: sandbox.apiUrl, logger, ...limits });
  return { client, closeSandbox: () => sandbox.close() };
}

main(process.argv.slice(2), process.env).catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `Fatal: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${SERVER_NAME}: ${message}\n`);
  process.exit(1);
});
