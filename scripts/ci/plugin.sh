#!/usr/bin/env bash
# Claude Code plugin: the committed bundle in plugin/server/ is what the sources build, and the plugin
# folder, copied on its own (no node_modules, no package.json, as Claude Code caches it), starts the
# server from .mcp.json with ${CLAUDE_PLUGIN_ROOT} and ${CLAUDE_PLUGIN_DATA} filled in, and lists its tools.
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/bundle-standalone.mjs --check

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -R plugin "$work/plugin"
mkdir -p "$work/data"
# Read the server entry from .mcp.json and substitute as Claude Code does (user_config: sandbox on).
mapfile -t launch < <(node -e '
  const [file, root, data] = process.argv.slice(1);
  const server = Object.values(JSON.parse(require("fs").readFileSync(file, "utf8")).mcpServers)[0];
  const fill = (text) => text.replaceAll("${CLAUDE_PLUGIN_ROOT}", root).replaceAll("${CLAUDE_PLUGIN_DATA}", data)
    .replace(/\$\{user_config\.sandbox\}/g, "true").replace(/\$\{user_config\.read_only\}/g, "false")
    .replace(/\$\{user_config\.time_zone\}/g, "UTC").replace(/\$\{user_config\.[a-z_]+\}/g, "")
    .replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_, name, fallback) => process.env[name] ?? fallback);
  for (const [key, value] of Object.entries(server.env)) console.log(`--env=${key}=${fill(value)}`);
  console.log("--"); console.log(server.command); for (const arg of server.args) console.log(fill(arg));
' "$work/plugin/.mcp.json" "$work/plugin" "$work/data")
node scripts/ci/mcp-smoke.mjs --cwd "$work" "${launch[@]}"
# The sandbox state file named in .mcp.json was written (created tickets survive a restart).
test -s "$work/data/sandbox-state.json" || { echo "plugin sandbox state file was not written" >&2; exit 1; }
