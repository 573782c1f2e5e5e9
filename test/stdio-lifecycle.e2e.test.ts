/**
 * The BUILT server over stdio at the edges of its life (issue 10), spoken to with raw JSON-RPC lines so
 * the test controls exactly when stdin ends and what bytes arrive:
 * - stdin ends while calls are in flight: every call is answered, then exit 0, no error logged;
 * - one stdin line over the SDK's 10 MB buffer: one stderr line and a non-zero exit, never a live, deaf process;
 * - `__proto__` in arguments as real JSON text is refused, naming it;
 * - a credential that is not a valid header value, or a profile path that is not a profile: one line, exit 1,
 *   never the value or the file's content.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../src/sandbox/index.js";

const ENTRY = fileURLToPath(new URL("../dist/index.js", import.meta.url));

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  messages: Array<Record<string, any>>;
  stderr: () => string;
  /** Resolves with the exit code, or "alive" if the process is still running after `ms`. */
  exited(ms: number): Promise<number | null | "alive">;
  send(message: Record<string, unknown>): void;
  waitFor(id: number, ms?: number): Promise<Record<string, any>>;
}

function spawnServer(env: Record<string, string>, args: string[] = []): Spawned {
  const child = spawn(process.execPath, [ENTRY, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: "pipe" });
  const messages: Array<Record<string, any>> = [];
  let stdoutBuffer = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdoutBuffer += chunk.toString();
    let index = stdoutBuffer.indexOf("\n");
    while (index >= 0) {
      const line = stdoutBuffer.slice(0, index);
      stdoutBuffer = stdoutBuffer.slice(index + 1);
      if (line.trim()) messages.push(JSON.parse(line));
      index = stdoutBuffer.indexOf("\n");
    }
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.on("error", () => undefined);
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    messages,
    stderr: () => stderr,
    exited: (ms) => Promise.race([exit, new Promise<"alive">((resolve) => setTimeout(() => resolve("alive"), ms))]),
    send: (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`),
    async waitFor(id, ms = 20_000) {
      const until = Date.now() + ms;
      for (;;) {
        const found = messages.find((m) => m.id === id);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no answer to request ${id} within ${ms} ms; stderr: ${stderr.slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

async function initialize(server: Spawned): Promise<void> {
  server.send({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
  await server.waitFor(1);
  server.send({ method: "notifications/initialized" });
}

const running: Spawned[] = [];
let sandbox: SandboxHandle;
const dir = mkdtempSync(join(tmpdir(), "stdio-e2e-"));

function sandboxEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTOTASK_API_URL: sandbox.apiUrl,
    AUTOTASK_USERNAME: sandbox.credentials.username,
    AUTOTASK_SECRET: sandbox.credentials.secret,
    AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode,
    LOG_LEVEL: "debug",
    ...extra,
  };
}

function start(env: Record<string, string>, args: string[] = []): Spawned {
  const server = spawnServer(env, args);
  running.push(server);
  return server;
}

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` (npm test does it first).`);
  sandbox = await startSandbox({ port: 0, tickets: 50, seed: 5 });
});
afterAll(async () => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => /"level":"(error|fatal)"/.test(line));
}

describe("stdio lifecycle of the built server", () => {
  it("answers every call in flight when stdin ends, then exits 0 without logging an error", async () => {
    sandbox.setFaults({ latencyMs: 300 });
    try {
      const server = start(sandboxEnv());
      await initialize(server);
      const ids = [2, 3, 4];
      server.send({ id: 2, method: "tools/call", params: { name: "autotask_search_companies", arguments: { name: "a" } } });
      server.send({ id: 3, method: "tools/call", params: { name: "autotask_search_tickets", arguments: { pageSize: 2 } } });
      server.send({ id: 4, method: "tools/call", params: { name: "autotask_search_resources", arguments: { name: "a" } } });
      // The client goes away right after asking: the calls are still waiting on Autotask.
      server.child.stdin.end();
      expect(await server.exited(30_000)).toBe(0);
      for (const id of ids) {
        const answer = server.messages.find((m) => m.id === id);
        expect(answer, `answer to ${id}; stderr: ${server.stderr().slice(-1500)}`).toBeDefined();
        expect(answer?.result?.isError, JSON.stringify(answer)).not.toBe(true);
      }
      expect(errorLines(server.stderr())).toEqual([]);
      expect(server.stderr()).not.toMatch(/DOMException|AbortError/);
    } finally {
      sandbox.setFaults({});
    }
  }, 40_000);

  it("exits 0 at once when stdin ends with nothing in flight", async () => {
    const server = start(sandboxEnv());
    await initialize(server);
    server.child.stdin.end();
    expect(await server.exited(10_000)).toBe(0);
  }, 20_000);

  it("writes its held log lines and exits 0 when signalled twice in a row", async () => {
    const server = start(sandboxEnv({ LOG_LEVEL: "info" }));
    await initialize(server);
    // No tools/list: the logger still holds "MCP server ready on stdio" (src/log.ts).
    server.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 3));
    server.child.kill("SIGTERM");
    expect(await server.exited(10_000)).toBe(0);
    const lines = server.stderr().split("\n").filter((line) => line.startsWith("{"));
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(expect.arrayContaining(["MCP server ready on stdio", "shutting down"]));
  }, 20_000);

  it("says on stderr why it dropped a line that is not a JSON-RPC message, and keeps serving", async () => {
    const server = start(sandboxEnv({ LOG_LEVEL: "warn" }));
    await initialize(server);
    // The SDK drops it without an answer: the warning is all the client's operator gets.
    server.send({ id: 7, method: "tools/call", params: "not an object" });
    server.send({ id: 8, method: "ping" });
    await server.waitFor(8);
    expect(server.messages.find((m) => m.id === 7)).toBeUndefined();
    const warningLine = () => server.stderr().split("\n").find((line) => line.includes("not a valid JSON-RPC message"));
    // A warning loads the logger at once (src/log.ts): it arrives within moments, not after the 2 s hold.
    for (let waited = 0; !warningLine() && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const warning = warningLine();
    expect(JSON.parse(warning ?? "null")).toMatchObject({ level: "warn", reason: expect.stringContaining("expected object") });
  }, 20_000);

  it("does not linger when the reader goes away while answers wait for stdout to drain", async () => {
    const server = start(sandboxEnv({ LOG_LEVEL: "warn" }));
    await initialize(server);
    // About 270 KB of answers, more than a pipe holds: the server's writes wait for a drain.
    for (let id = 10; id < 30; id++) server.send({ id, method: "tools/list" });
    await new Promise<void>((resolve) => server.child.stdout.once("data", () => resolve()));
    server.child.stdout.destroy();
    server.child.stdin.end();
    // Before: the answers waiting for a drain were never settled, and the exit waited for the 150 s drain limit.
    expect(await server.exited(10_000)).toBe(0);
    expect(server.stderr()).toContain("stdout failed");
  }, 20_000);

  // With --sandbox the embedded sandbox keeps the event loop busy: a closed transport left a live, deaf process.
  it.each([
    ["against an Autotask URL", () => start(sandboxEnv({ LOG_LEVEL: "warn" }))],
    ["with --sandbox", () => start({ LOG_LEVEL: "warn" }, ["--sandbox"])],
  ])("does not go deaf on a stdin line over 10 MB (%s): one stderr line, non-zero exit", async (_label, launch) => {
    const server = launch();
    await initialize(server);
    const chunk = "x".repeat(1024 * 1024);
    for (let i = 0; i < 11; i++) server.child.stdin.write(chunk);
    server.child.stdin.write("\n");
    const code = await server.exited(15_000);
    expect(code, "the process must not stay alive with its transport closed").not.toBe("alive");
    expect(code).not.toBe(0);
    const lines = errorLines(server.stderr());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/transport closed/);
  }, 30_000);

  it("refuses __proto__ sent as real JSON text, at the top level and inside userDefinedFields", async () => {
    const server = start(sandboxEnv());
    await initialize(server);
    server.child.stdin.write(
      '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"autotask_search_companies","arguments":{"name":"a","__proto__":{"x":1}}}}\n',
    );
    server.child.stdin.write(
      '{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"autotask_update_ticket","arguments":{"ticketId":1,"userDefinedFields":{"__proto__":"x"}}}}\n',
    );
    const top = await server.waitFor(7);
    const nested = await server.waitFor(8);
    expect(top.result.isError).toBe(true);
    expect(top.result.content[0].text).toContain('"__proto__"');
    expect(nested.result.isError).toBe(true);
    expect(nested.result.content[0].text).toContain("userDefinedFields.__proto__");
    server.child.stdin.end();
    expect(await server.exited(10_000)).toBe(0);
  }, 30_000);
});

describe("start-up refusals of the built server", () => {
  it("refuses a secret with a line break in one line naming the variable, never the value", async () => {
    const server = start(sandboxEnv({ AUTOTASK_SECRET: "Qx7-first-line\nX-Injected: yes" }));
    expect(await server.exited(10_000)).toBe(1);
    const stderr = server.stderr().trim();
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toContain("AUTOTASK_SECRET");
    expect(stderr).not.toContain("Qx7");
    expect(server.messages).toEqual([]);
  }, 20_000);

  it("refuses a sandbox profile that is not a profile in one line, never echoing the file", async () => {
    const path = join(dir, "not-a-profile.json");
    writeFileSync(path, "AUTOTASK_SECRET=Wv3-do-not-print\nAUTOTASK_INTEGRATION_CODE=Wv3CODE\n");
    const server = start({ AUTOTASK_SANDBOX_PROFILE: path, LOG_LEVEL: "warn" }, ["--sandbox"]);
    expect(await server.exited(10_000)).toBe(1);
    const stderr = server.stderr().trim();
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toContain(path);
    expect(stderr).not.toContain("Wv3");
  }, 20_000);
});
