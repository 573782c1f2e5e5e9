#!/usr/bin/env node
/**
 * CI smoke test for an installed form of the server (plugin folder, unpacked .mcpb, npm tarball):
 * spawns it over stdio as an MCP client would, checks that `tools/list` answers exactly the tools of
 * the registry (dist/tools/index.js), and that one read-only call succeeds against the sandbox.
 *
 *   node scripts/ci/mcp-smoke.mjs [--cwd DIR] [--env KEY=VALUE]... -- COMMAND [ARGS...]
 *
 * The child gets PATH, HOME and the given variables only (as Claude Desktop gives a limited
 * environment). Exits 1 with the server's stderr on any failure.
 */
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const separator = process.argv.indexOf("--");
if (separator < 0) throw new Error("usage: mcp-smoke.mjs [--cwd DIR] [--env K=V]... -- COMMAND [ARGS...]");
const { values } = parseArgs({
  args: process.argv.slice(2, separator),
  options: { cwd: { type: "string" }, env: { type: "string", multiple: true, default: [] } },
});
const [command, ...args] = process.argv.slice(separator + 1);
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn" };
for (const pair of values.env) {
  const at = pair.indexOf("=");
  env[pair.slice(0, at)] = pair.slice(at + 1);
}

const { TOOLS } = await import(pathToFileURL(join(root, "dist", "tools", "index.js")).href);
const expected = TOOLS.map((tool) => tool.name).sort();

const transport = new StdioClientTransport({ command, args, env, cwd: values.cwd, stderr: "pipe" });
let stderr = "";
transport.stderr?.on("data", (chunk) => {
  stderr += chunk;
});
const client = new Client({ name: "ci-smoke", version: "1.0.0" });
const label = [command, ...args].join(" ");
try {
  await client.connect(transport);
  const listed = (await client.listTools()).tools.map((tool) => tool.name).sort();
  if (JSON.stringify(listed) !== JSON.stringify(expected)) {
    throw new Error(`tools/list differs from the registry:\n  listed:   ${listed.join(", ")}\n  registry: ${expected.join(", ")}`);
  }
  const result = await client.callTool({ name: "autotask_search_tickets", arguments: { status: "open", pageSize: 2 } });
  if (result.isError) throw new Error(`autotask_search_tickets failed: ${JSON.stringify(result.content)}`);
  const version = client.getServerVersion();
  console.log(`ok: ${label} -> ${version?.name} ${version?.version}, ${listed.length} tools, autotask_search_tickets answered`);
  await client.close();
} catch (error) {
  console.error(`FAILED: ${label}\n${error instanceof Error ? error.message : error}\n--- server stderr ---\n${stderr.slice(-4000)}`);
  await client.close().catch(() => undefined);
  process.exit(1);
}
