#!/usr/bin/env node
/**
 * `npm run pack:mcpb`: builds the Claude Desktop bundle dist/autotask-tickets-mcp-<version>.mcpb
 * (manifest 0.3) from the self-contained server in plugin/server/ (scripts/bundle-standalone.mjs).
 *
 * - The manifest's `tools` list is generated from the registry (dist/tools/index.js, built from
 *   src/tools/index.ts), so it cannot drift from what the server offers.
 * - `user_config` asks for the API user; the secret and the integration code are `sensitive` (Claude
 *   Desktop keeps them in the OS keychain). Sandbox mode is a checkbox; its data is kept in
 *   ~/.autotask-tickets-mcp/sandbox-state.json so restarting Claude Desktop keeps created tickets.
 * - Packing and validation use Anthropic's CLI, pinned: `npx -y @anthropic-ai/mcpb@2.1.2`.
 *
 * `--manifest-only` writes .tmp/mcpb/manifest.json and stops (CI validates it separately).
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are the manifest's own substitutions, filled in by Claude Desktop
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const MCPB_CLI = "@anthropic-ai/mcpb@2.1.2";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const stage = join(root, ".tmp", "mcpb");
const output = join(root, "dist", `${pkg.name}-${pkg.version}.mcpb`);

const { TOOLS } = await import(pathToFileURL(join(root, "dist", "tools", "index.js")).href);

/** The first sentence of a tool description: what the tool does (the rest is for the model). */
function summary(description) {
  const match = /^(.+?[.!?])(\s|$)/s.exec(description.trim());
  return (match ? match[1] : description).replace(/\s+/g, " ").trim();
}

const manifest = {
  manifest_version: "0.3",
  name: pkg.name,
  display_name: "Autotask PSA service desk",
  version: pkg.version,
  description: "Find, open, update and annotate Autotask PSA tickets with the tenant's own picklists, SLA clock and escalation rules.",
  long_description:
    "An MCP server for MSP service desks on Autotask PSA. Statuses and priorities are read from your tenant and understood by meaning (new, in progress, waiting customer, escalated, complete; critical to low). Notes are internal unless you ask otherwise. Tick 'Use the built-in sandbox' to try it without an Autotask account.",
  author: { name: "autotask-tickets-mcp contributors" },
  license: pkg.license,
  keywords: ["autotask", "psa", "service desk", "msp", "tickets"],
  server: {
    type: "node",
    entry_point: "server/autotask-tickets-mcp.js",
    mcp_config: {
      command: "node",
      args: ["${__dirname}/server/autotask-tickets-mcp.js"],
      env: {
        AUTOTASK_USERNAME: "${user_config.username}",
        AUTOTASK_SECRET: "${user_config.secret}",
        AUTOTASK_INTEGRATION_CODE: "${user_config.integration_code}",
        AUTOTASK_API_URL: "${user_config.api_url}",
        AUTOTASK_IMPERSONATION_RESOURCE_ID: "${user_config.impersonation_resource_id}",
        AUTOTASK_READ_ONLY: "${user_config.read_only}",
        AUTOTASK_SANDBOX: "${user_config.sandbox}",
        AUTOTASK_SANDBOX_STATE: "${HOME}/.autotask-tickets-mcp/sandbox-state.json",
        AUTOTASK_TIME_ZONE: "${user_config.time_zone}",
      },
    },
  },
  tools: TOOLS.map((tool) => ({ name: tool.name, description: summary(tool.description) })),
  tools_generated: false,
  compatibility: {
    platforms: ["darwin", "win32", "linux"],
    runtimes: { node: pkg.engines.node },
  },
  user_config: {
    username: {
      type: "string",
      title: "API username",
      description: "The Autotask API-only user's username. Leave empty with the sandbox.",
      required: false,
      default: "",
    },
    secret: {
      type: "string",
      title: "API secret",
      description: "The API user's secret (kept in the OS keychain).",
      sensitive: true,
      required: false,
      default: "",
    },
    integration_code: {
      type: "string",
      title: "API tracking identifier",
      description: "The integration code set on the API user.",
      sensitive: true,
      required: false,
      default: "",
    },
    api_url: {
      type: "string",
      title: "Zone URL (optional)",
      description: "e.g. https://webservices5.autotask.net/ATServicesRest/ ; empty = discovered from the username.",
      required: false,
      default: "",
    },
    impersonation_resource_id: {
      type: "string",
      title: "Act as resource id (optional)",
      description: "Resource that creates and updates are attributed to; empty = the API user.",
      required: false,
      default: "",
    },
    read_only: {
      type: "boolean",
      title: "Read-only",
      description: "Hide the tools that create or change tickets and notes.",
      required: false,
      default: false,
    },
    sandbox: {
      type: "boolean",
      title: "Use the built-in sandbox",
      description: "Run on a local Autotask-compatible sandbox with generated data (no account needed); its data is kept between restarts.",
      required: false,
      default: false,
    },
    time_zone: {
      type: "string",
      title: "Service desk time zone",
      description: "IANA time zone of business hours for SLA due dates, e.g. Europe/London.",
      required: false,
      default: "UTC",
    },
  },
};

await rm(stage, { recursive: true, force: true });
await mkdir(stage, { recursive: true });
await writeFile(join(stage, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
if (process.argv.includes("--manifest-only")) {
  console.log(`manifest: ${relative(root, join(stage, "manifest.json"))} (${manifest.tools.length} tools)`);
  process.exit(0);
}
await cp(join(root, "plugin", "server"), join(stage, "server"), { recursive: true });
await cp(join(root, "README.md"), join(stage, "README.md"));
await mkdir(dirname(output), { recursive: true });
await rm(output, { force: true });
execFileSync("npx", ["-y", MCPB_CLI, "pack", stage, output], { stdio: ["ignore", "inherit", "inherit"] });
console.log(`mcpb: ${relative(root, output)} (${manifest.tools.length} tools from the registry)`);
