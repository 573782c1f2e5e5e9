/**
 * The built binary (dist/autotask-tickets-mcp.js, the package's bin) as a command: help and version on
 * stdout with exit 0, usage errors on stderr with exit 2, `--check` on the embedded sandbox, and the
 * embedded sandbox's state file keeping a created ticket across a restart.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, describe, expect, it } from "vitest";
import { listedIds } from "./support/rows.js";

const BIN = fileURLToPath(new URL("../dist/autotask-tickets-mcp.js", import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
const work = mkdtempSync(join(tmpdir(), "cli-e2e-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", ...env }, encoding: "utf8", timeout: 30_000 });
}

describe("command line of the built binary", () => {
  it.each([["--help"], ["-h"]])("%s prints the usage on stdout and exits 0", (flag) => {
    const result = run([flag]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: autotask-tickets-mcp/);
    expect(result.stderr).toBe("");
  });

  it.each([["--version"], ["-v"]])("%s prints the version on stdout and exits 0", (flag) => {
    const result = run([flag]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${VERSION}\n`);
  });

  it("refuses an unknown flag with the usage on stderr and exit 2", () => {
    const result = run(["--sandbox", "--bogus"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Unknown option '--bogus'");
    expect(result.stderr).toContain("Usage: autotask-tickets-mcp");
  });

  it("--check on the sandbox prints the report on stdout and exits 0", () => {
    const result = run(["--check", "--sandbox"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\s+8 In Progress\s+-> in_progress$/m);
    expect(result.stdout).toContain("OK: the server can work with this tenant.");
  });

  it("--check without credentials names the missing variable and exits 1", () => {
    const result = run(["--check"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("AUTOTASK_USERNAME: is required");
  });

  it("--dotenv reads the variables from a file", () => {
    const file = join(work, "sandbox.env");
    writeFileSync(file, "AUTOTASK_SANDBOX=true\nAUTOTASK_SANDBOX_PROFILE=real-tenant\n");
    const result = run(["--check", "--dotenv", file]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\s+1 Critical\s+-> critical$/m);
  });
});

describe("embedded sandbox with a state file", () => {
  async function session(statePath: string, act: (client: Client) => Promise<void>) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, "--sandbox", "--sandbox-state", statePath],
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent" },
      stderr: "pipe",
    });
    const client = new Client({ name: "state-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      await act(client);
    } finally {
      await client.close();
    }
  }

  it("keeps a ticket created in one run for the next run", async () => {
    const statePath = join(work, "nested", "state.json");
    let ticketId = 0;
    await session(statePath, async (client) => {
      const companies = await client.callTool({ name: "autotask_search_companies", arguments: { name: "a" } });
      const companyId = listedIds((companies.content as Array<{ text: string }>)[0]!.text)[0]!;
      const created = await client.callTool({
        name: "autotask_create_ticket",
        arguments: { companyID: companyId, title: "Printer on floor 3 jams", priority: "low", idempotencyKey: "state-test" },
      });
      expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
      ticketId = (created.structuredContent as { ticket: { id: number } }).ticket.id;
    });
    // Writes are saved shortly after they happen (the sandbox batches them); the file exists by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await session(statePath, async (client) => {
      const details = await client.callTool({ name: "autotask_get_ticket_details", arguments: { ticketId } });
      expect(details.isError, JSON.stringify(details.content)).toBeFalsy();
      expect(JSON.stringify(details.structuredContent)).toContain("Printer on floor 3 jams");
    });
  });
});
