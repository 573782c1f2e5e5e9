#!/usr/bin/env node
/**
 * Entry point: `autotask-tickets-mcp [--sandbox] [--help] [--version]`.
 *
 * Parses the configuration once (failing fast with one readable line on stderr), then serves MCP
 * over stdio. stdout carries JSON-RPC only; everything else goes to stderr. With `--sandbox` (or
 * AUTOTASK_SANDBOX=1) it first starts the embedded Autotask sandbox on a free loopback port and
 * points the client at it, so the server can be tried without an Autotask account.
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { config as zodConfig } from "zod";
import { AutotaskClient } from "./autotask/client.js";
import { type Config, ConfigError, parseEnv } from "./config.js";
import { createLogger } from "./logger.js";
import { createServer } from "./server.js";
import { settingsFromConfig } from "./tools/support/settings.js";
import { SERVER_NAME, SERVER_VERSION } from "./version.js";

// zod 4 compiles a fast path for each object schema with `new Function` on its first parse. A stdio
// server parses each schema a few times per call, so that compilation costs more than it saves on the
// first answer (bench/README.md, "zod 4 mini or precompiled validators?"); results and errors are the same.
zodConfig({ jitless: true });

const USAGE = `Usage: ${SERVER_NAME} [--sandbox] [--help] [--version]

An MCP server (stdio) for Autotask PSA tickets.
  --sandbox   run against the embedded Autotask sandbox (no Autotask account needed)
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
  const unknown = argv.filter((arg) => arg !== "--sandbox");
  if (unknown.length > 0) throw new ConfigError(`Unknown argument ${unknown[0]}. Run with --help for usage.`);

  const config = parseEnv(argv.includes("--sandbox") ? { ...env, AUTOTASK_SANDBOX: "true" } : env);
  const logger = createLogger({
    level: config.logLevel,
    secrets: config.credentials ? [config.credentials.secret, config.credentials.integrationCode] : [],
  });
  const { client, closeSandbox } = await connectAutotask(config, logger);

  const server = createServer({
    api: client,
    settings: settingsFromConfig(config),
    logger,
    picklistTtlMs: config.picklistTtlMs,
    warmUp: true,
  });
  const transport = new StdioServerTransport();

  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, "shutting down");
    await server.close().catch(() => undefined);
    await client.close().catch(() => undefined);
    await closeSandbox?.().catch(() => undefined);
    process.exit(0);
  };
  process.stdin.on("end", () => void shutdown("stdin closed"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await server.connect(transport);
  logger.info({ version: SERVER_VERSION, sandbox: config.sandbox, readOnly: config.readOnly }, "MCP server ready on stdio");
}

async function connectAutotask(config: Config, logger: ReturnType<typeof createLogger>) {
  if (!config.sandbox) {
    return { client: new AutotaskClient({ credentials: config.credentials, apiUrl: config.apiUrl, logger }), closeSandbox: undefined };
  }
  // Loaded only in sandbox mode: a real deployment never pays for the sandbox's code or data.
  const { startSandbox } = await import("./sandbox/index.js");
  const sandbox = await startSandbox({ port: 0, profile: config.sandboxProfile });
  logger.info({ url: sandbox.apiUrl, profile: config.sandboxProfile }, "embedded Autotask sandbox started");
  const client = new AutotaskClient({ credentials: sandbox.credentials, apiUrl: sandbox.apiUrl, logger });
  return { client, closeSandbox: () => sandbox.close() };
}

main(process.argv.slice(2), process.env).catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `Fatal: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${SERVER_NAME}: ${message}\n`);
  process.exit(1);
});
