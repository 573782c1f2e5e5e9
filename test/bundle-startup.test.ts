/**
 * The shipped bundle's start path (dist/autotask-tickets-mcp.js, as `bin` runs it): its `tools/list` and
 * `prompts/list` are the ones the source computes (scripts/bundle.mjs precomputes them), and up to the
 * `tools/list` answer a stdio server
 * has loaded no HTTP code at all — no HTTP server or client module, no fetch implementation (the logger
 * must not touch `Headers`), no HTTP/2 or TLS. Warming up after the handshake may load fetch later.
 * The bundle script separately fails the build if HTTP-transport, Redis or chart modules are reachable
 * from the entry without `import()`. The logger holds its lines until then and loads pino afterwards
 * (src/log.ts); pino's transport support (worker threads) and Node's `assert` are never loaded: the bundle
 * replaces them (scripts/bundle-options.mjs).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../src/sandbox/index.js";
import { listedPrompts } from "../src/mcp/prompts.js";
import { toListedTool } from "../src/server.js";
import { TOOLS } from "../src/tools/index.js";

const BUNDLE = fileURLToPath(new URL("../dist/autotask-tickets-mcp.js", import.meta.url));
const PRELOAD = fileURLToPath(new URL("./support/record-modules.mjs", import.meta.url));

interface Run {
  tools: unknown[];
  prompts: unknown[];
  /** Built-in modules loaded when the tools/list answer was written. */
  loaded: string[];
  /** Whether a JSON log line reached fd 2 before the tools/list answer. */
  logBeforeToolsList: boolean;
  stderr: string;
}

const markedLine = (stderr: string, mark: string): string | undefined =>
  stderr
    .split("\n")
    .find((entry) => entry.startsWith(`${mark} `))
    ?.slice(mark.length + 1);

function listToolsFromBundle(sandbox: SandboxHandle): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", PRELOAD, BUNDLE], {
      env: {
        PATH: process.env.PATH ?? "",
        AUTOTASK_API_URL: sandbox.apiUrl,
        AUTOTASK_USERNAME: sandbox.credentials.username,
        AUTOTASK_SECRET: sandbox.credentials.secret,
        AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode,
        LOG_LEVEL: "info",
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let tools: unknown[] = [];
    let prompts: unknown[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      for (let newline = stdout.indexOf("\n"); newline >= 0; newline = stdout.indexOf("\n")) {
        const message = JSON.parse(stdout.slice(0, newline));
        stdout = stdout.slice(newline + 1);
        if (message.id === 1) {
          send({ method: "notifications/initialized" });
          send({ id: 2, method: "tools/list", params: {} });
        } else if (message.id === 2) {
          tools = message.result.tools;
          send({ id: 3, method: "prompts/list", params: {} });
        } else if (message.id === 3) {
          prompts = message.result.prompts;
          child.stdin.end();
        }
      }
    });
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      const loaded = JSON.parse(markedLine(stderr, "LOADED-AT-TOOLS-LIST") ?? "null") as string[] | null;
      const logBeforeToolsList = markedLine(stderr, "LOG-BEFORE-TOOLS-LIST");
      if (!loaded || logBeforeToolsList === undefined) reject(new Error(`no module snapshot; stderr: ${stderr.slice(-1000)}`));
      else resolve({ tools, prompts, loaded, logBeforeToolsList: logBeforeToolsList === "true", stderr });
    });
    send({
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bundle-startup", version: "1.0.0" } },
    });
  });
}

/** The built-ins every stdio server imports, for the bare Node processes below. */
const BASE_IMPORTS = ["util", "events", "stream", "net", "fs", "os", "readline", "url", "crypto"].map((name) => `import "node:${name}";`);

/**
 * Runs `lines` as an ES module in a bare Node process under the module recorder, which then writes a
 * tools/list-like line, and resolves to the built-in modules loaded at that moment and the process's stderr.
 */
function loadedByScript(lines: string[]): Promise<{ loaded: string[]; stderr: string }> {
  const script = [...BASE_IMPORTS, ...lines, 'process.stdout.write("{\\"tools\\":[]}\\n");'].join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", PRELOAD, "--input-type=module", "-e", script], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", () => {
      const loaded = JSON.parse(markedLine(stderr, "LOADED-AT-TOOLS-LIST") ?? "null") as string[] | null;
      if (!loaded) reject(new Error(`no module snapshot from bare Node; stderr: ${stderr.slice(-500)}`));
      else resolve({ loaded, stderr });
    });
  });
}

/**
 * Built-in modules that Node itself loads for the built-ins any stdio server imports: on Node 24,
 * `node:util` alone loads `worker_threads` and `internal/assert/myers_diff` (Node 20 does not). A module
 * in this list says nothing about the bundle.
 */
async function loadedByNodeItself(): Promise<string[]> {
  return (await loadedByScript([])).loaded;
}

/**
 * The built-in modules loaded once the bundle's own pino chunk (dist/bundle-chunks/logger-*.js) has created the
 * logger and written a line through it, in a bare Node process that imports what `loadedByNodeItself` imports.
 */
async function loadedByBundledPino(): Promise<string[]> {
  const chunk = readdirSync(join(dirname(BUNDLE), "bundle-chunks")).find((name) => /^logger-\w+\.js$/.test(name));
  if (!chunk) throw new Error("no logger chunk in dist/bundle-chunks: is pino no longer loaded lazily?");
  const url = pathToFileURL(join(dirname(BUNDLE), "bundle-chunks", chunk)).href;
  const { loaded, stderr } = await loadedByScript([
    `const { createLogger } = await import(${JSON.stringify(url)});`,
    'createLogger({ level: "info" }).info("a line through the bundled pino");',
  ]);
  if (!stderr.includes("a line through the bundled pino")) throw new Error(`no log line from the bundled pino; stderr: ${stderr.slice(-500)}`);
  return loaded;
}

describe("bundled entry, start path", () => {
  let sandbox: SandboxHandle;
  let run: Run;
  let baseline: string[];

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` (npm test does it first).`);
    sandbox = await startSandbox({ port: 0, tickets: 20, seed: 3 });
    [run, baseline] = await Promise.all([listToolsFromBundle(sandbox), loadedByNodeItself()]);
  }, 30_000);
  afterAll(async () => {
    await sandbox?.close();
  });

  it("answers tools/list with the list the source computes", () => {
    expect(run.tools).toEqual(TOOLS.map(toListedTool));
  });

  it("answers prompts/list with the list the source computes", () => {
    // Strings: the same keys in the same order as the run-time list (which equals the SDK's, test/prompts.protocol.test.ts).
    expect(JSON.stringify(run.prompts)).toBe(JSON.stringify(listedPrompts()));
    expect(run.prompts).toHaveLength(3);
  });

  it("has loaded no HTTP, fetch, HTTP/2 or TLS module by the time tools/list is answered", () => {
    const forbidden = run.loaded.filter((name) =>
      /^NativeModule (http|https|http2|_http_\w+|_tls_\w+|tls|internal\/deps\/undici\/undici|internal\/http2\/\w+)$/.test(name),
    );
    expect(forbidden).toEqual([]);
    // The snapshot is real: the stdio machinery it did load is in it.
    expect(run.loaded).toContain("NativeModule net");
  });

  it("holds its log lines until tools/list is answered, then writes them through pino (src/log.ts)", () => {
    expect(run.logBeforeToolsList).toBe(false);
    // The held start-up line was written (stdin closed right after tools/list: the shutdown writes it), as JSON.
    const ready = run.stderr.split("\n").find((line) => line.includes("MCP server ready on stdio"));
    expect(JSON.parse(ready ?? "null")).toMatchObject({ level: "info", msg: "MCP server ready on stdio", sandbox: false });
  });

  it("bundles a pino that loads neither worker threads nor Node's assert (scripts/bundle-options.mjs, pinoWithoutTransports)", async () => {
    // The bundle's pino chunk on its own, writing a line: the server's own module list cannot show this, since pino
    // loads after tools/list and the warm-up's first fetch loads `assert` and `worker_threads` through Node's undici.
    const unneeded = (await loadedByBundledPino()).filter(
      (name) => /^NativeModule (worker_threads|internal\/worker|assert|internal\/assert\/\w+)$/.test(name) && !baseline.includes(name),
    );
    expect(unneeded).toEqual([]);
    // The baseline is real: bare Node loaded its own start-up modules.
    expect(baseline).toContain("NativeModule net");
  });

});
