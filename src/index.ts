#!/usr/bin/env node
/**
 * Entry point: `autotask-tickets-mcp [--sandbox] [--sandbox-state FILE] [--dotenv FILE] [--check]
 * [--http [--port N] [--host ADDRESS]] [--help] [--version]` (arguments in cli.ts, the tenant check in
 * check.ts, the team server in http/main.ts, shared state in state/setup.ts).
 *
 * Parses the configuration once (failing fast with one readable line on stderr), then serves MCP
 * over stdio. stdout carries JSON-RPC only; everything else goes to stderr. With `--sandbox` (or
 * AUTOTASK_SANDBOX=1) it first starts the embedded Autotask sandbox on a free loopback port and
 * points the client at it, so the server can be tried without an Autotask account.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { config as zodConfig } from "zod";
import type { AutotaskClientOptions } from "./autotask/client.js";
import { environmentFor, parseCommandLine, USAGE } from "./cli.js";
import { type Config, ConfigError, parseEnv } from "./config.js";
import { parseTeamEnv } from "./config-team.js";
import type { Desk } from "./desk/index.js";
import { createDeferredLogger, type DeferredLogger, type Logger } from "./log.js";
import { createServer } from "./server.js";
import { serveStdio } from "./stdio.js";
import { SERVER_NAME, SERVER_VERSION } from "./version.js";

// zod 4 compiles a fast path for each object schema with `new Function` on its first parse. A stdio
// server parses each schema a few times per call, so that compilation costs more than it saves on the
// first answer (bench/README.md, "zod 4 mini or precompiled validators?"); results and errors are the same.
// This line reaches the schemas built after it (unbundled); the bundle sets it before any schema is built
// (scripts/bundle.mjs, the banner).
zodConfig({ jitless: true });

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const command = parseCommandLine(argv);
  if (command.kind === "help" || command.kind === "version") {
    process.stdout.write(`${command.kind === "help" ? USAGE : SERVER_VERSION}\n`);
    return;
  }
  if (command.kind === "usage-error") {
    process.stderr.write(`${SERVER_NAME}: ${command.message}\n\n${USAGE}\n`);
    process.exit(2);
  }

  let config: Config;
  let environment: Record<string, string | undefined>;
  try {
    environment = environmentFor(command, env);
    config = parseEnv(environment);
  } catch (error) {
    throw error instanceof ConfigError ? error : new ConfigError((error as Error).message);
  }
  // pino is loaded after the handshake on stdio, its first lines held until then (src/log.ts); at once otherwise.
  deferredLog = createDeferredLogger({
    // The check's report is the output; its logs stay quiet unless LOG_LEVEL asks for them.
    // (LOG_LEVEL as the configuration read it: from the environment or the --dotenv file, blank meaning unset.)
    level: command.kind === "check" && !environment.LOG_LEVEL?.trim() ? "warn" : config.logLevel,
    secrets: config.credentials ? [config.credentials.secret, config.credentials.integrationCode] : [],
    ...(config.credentials ? { username: config.credentials.username } : {}),
  });
  const log = deferredLog;
  const logger = log.logger;
  const stdio = command.kind === "run" && !command.http;
  if (!stdio) await log.ready();
  const team = parseTeamEnv(environment);
  // Shared state (Redis) and the HTTP transport are loaded only when asked for.
  const shared =
    command.kind === "run" && (command.http || team.redisUrl)
      ? await (await import("./state/setup.js")).createSharedState(team, config.credentials?.integrationCode ?? "sandbox", logger)
      : undefined;
  const limits: SharedLimits = shared ? { slots: shared.slots, budget: shared.budget } : {};

  if (stdio) {
    // stdio (issue 13): the handshake and tools/list are answered before the client, the desk and the
    // tools are imported; the server loads them right after the first tools/list (src/server.ts).
    // The embedded sandbox still starts first, so that a sandbox that cannot start fails start-up.
    let connected: Connection | undefined = config.sandbox ? await connectAutotask(config, logger, limits) : undefined;
    let building: Promise<Desk> | undefined;
    const load = () => {
      building ??= (async () => {
        connected ??= await connectAutotask(config, logger, limits);
        const client = connected.client;
        shared?.budget.readThresholdWith(() => client.getThresholdInformation());
        return buildDesk(client, config, { logger });
      })();
      // Nothing failed is kept: the next call builds again and reports its own error.
      building.catch(() => {
        building = undefined;
      });
      return building;
    };
    const server = createServer({ readOnly: config.readOnly, logger, load }, { warmUp: true, whenIdle: log.ready });
    // stdin closing, signals and a transport the SDK closes on its own are handled in stdio.ts.
    await serveStdio(server, {
      logger,
      // The lines still held, "exiting" among them, are written first when the process ends.
      flushLogs: log.ready,
      cleanup: async () => {
        await connected?.client.close().catch(() => undefined);
        await shared?.close().catch(() => undefined);
        await connected?.closeSandbox?.().catch(() => undefined);
      },
    });
    logger.info({ version: SERVER_VERSION, sandbox: config.sandbox, readOnly: config.readOnly }, "MCP server ready on stdio");
    return;
  }

  const { client, closeSandbox, username } = await connectAutotask(config, logger, limits);
  shared?.budget.readThresholdWith(() => client.getThresholdInformation());
  if (command.kind === "check") {
    const { runCheck } = await import("./check.js");
    const report = await runCheck({ client, config, username, ...(config.sandbox ? { zoneSource: "embedded sandbox" } : {}) });
    process.stdout.write(`${report.lines.join("\n")}\n`);
    await client.close().catch(() => undefined);
    await closeSandbox?.().catch(() => undefined);
    process.exit(report.ok ? 0 : 1);
  }

  // The one desk of this process: every MCP session shares its caches and write ledger. The team
  // server's desk shares metadata and the ledger through the shared store (http/main.ts).
  const http = command.http && shared ? await import("./http/main.js") : undefined;
  const teamDesk = http && shared ? http.teamDeskInputs({ api: client, store: shared.store, logger, picklistTtlMs: config.picklistTtlMs }) : undefined;
  const desk = await buildDesk(teamDesk?.api ?? client, config, teamDesk?.options ?? { logger });

  if (http && command.http && shared) {
    const [{ TOOLS }, { isWriteTool }] = await Promise.all([import("./tools/index.js"), import("./tools/define.js")]);
    const handle = await http.serveHttp({
      config,
      team,
      desk,
      shared,
      logger,
      host: command.http.host,
      port: command.http.port,
      createServer,
      writeTools: TOOLS.filter(isWriteTool).map((tool) => tool.name),
    });
    const stop = async (reason: string) => {
      logger.info({ reason }, "shutting down");
      await handle.close().catch(() => undefined);
      await client.close().catch(() => undefined);
      await shared.close().catch(() => undefined);
      await closeSandbox?.().catch(() => undefined);
      process.exit(0);
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
    return;
  }
}

/** Slots and budget shared with other processes (state/setup.ts); empty = the client's own. */
type SharedLimits = Pick<AutotaskClientOptions, "slots" | "budget">;

/**
 * The one desk of this process (createDesk, once per process): the desk's modules are imported here, so
 * that the stdio server's start path does not load them (issue 13).
 */
async function buildDesk(api: DeskInputs[0], config: Config, options: DeskInputs[3]): Promise<Desk> {
  const { createDesk, settingsFromConfig } = await import("./desk/index.js");
  return createDesk(api, settingsFromConfig(config), () => new Date(), options);
}

type DeskInputs = Parameters<typeof import("./desk/index.js").createDesk>;
type Connection = Awaited<ReturnType<typeof connectAutotask>>;

async function connectAutotask(config: Config, logger: Logger, limits: SharedLimits) {
  const { AutotaskClient } = await import("./autotask/client.js");
  if (!config.sandbox) {
    const client = new AutotaskClient({ credentials: config.credentials, apiUrl: config.apiUrl, logger, ...limits });
    return { client, closeSandbox: undefined, username: config.credentials.username };
  }
  // Loaded only in sandbox mode: a real deployment never pays for the sandbox's code or data.
  const { startSandbox } = await import("./sandbox/index.js");
  const statePath = config.sandboxStatePath === undefined ? undefined : resolve(config.sandboxStatePath);
  if (statePath !== undefined) mkdirSync(dirname(statePath), { recursive: true });
  const sandbox = await startSandbox({ port: 0, profile: config.sandboxProfile, ...(statePath === undefined ? {} : { statePath }) });
  logger.info({ url: sandbox.apiUrl, profile: config.sandboxProfile, statePath }, "embedded Autotask sandbox started");
  const client = new AutotaskClient({ credentials: sandbox.credentials, apiUrl: sandbox.apiUrl, logger, ...limits });
  return { client, closeSandbox: () => sandbox.close(), username: sandbox.credentials.username };
}

/** The process's logger once the configuration is read; its held lines are written before a fatal exit. */
let deferredLog: DeferredLogger | undefined;

main(process.argv.slice(2), process.env).catch(async (error: unknown) => {
  await deferredLog?.ready().catch(() => undefined);
  const message = error instanceof ConfigError ? error.message : `Fatal: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${SERVER_NAME}: ${message}\n`);
  process.exit(1);
});
