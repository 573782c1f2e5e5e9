#!/usr/bin/env bash
# MCP Inspector CLI mode (pinned: 1.0.3 runs on Node 20 although it declares Node 22) against the built
# server on the embedded sandbox: tools/list must show the registry's tools, and one tools/call must answer.
set -euo pipefail
cd "$(dirname "$0")/../.."
INSPECTOR="@modelcontextprotocol/inspector@1.0.3"
export npm_config_engine_strict=false

list="$(npx -y "$INSPECTOR" --cli node dist/autotask-tickets-mcp.js --sandbox --method tools/list 2>/dev/null)"
node -e '
  const listed = JSON.parse(process.argv[1]).tools.map((tool) => tool.name).sort();
  import(require("url").pathToFileURL(process.cwd() + "/dist/tools/index.js").href).then(({ TOOLS }) => {
    const expected = TOOLS.map((tool) => tool.name).sort();
    if (JSON.stringify(listed) !== JSON.stringify(expected)) { console.error("Inspector tools/list:", listed, "registry:", expected); process.exit(1); }
    console.log(`ok: Inspector tools/list shows ${listed.length} tools`);
  });
' "$list"

call="$(npx -y "$INSPECTOR" --cli node dist/autotask-tickets-mcp.js --sandbox --method tools/call \
  --tool-name autotask_search_tickets --tool-arg status=open --tool-arg pageSize=3 2>/dev/null)"
node -e '
  const result = JSON.parse(process.argv[1]);
  // Search results are text rows (one line per ticket, starting with its id and ticket number).
  const text = (result.content ?? []).filter((part) => part.type === "text").map((part) => part.text).join("\n");
  const tickets = text.split("\n").filter((line) => /^\d+ T\d/.test(line));
  if (result.isError || tickets.length === 0) { console.error("Inspector tools/call:", process.argv[1].slice(0, 2000)); process.exit(1); }
  console.log(`ok: Inspector tools/call autotask_search_tickets returned ${tickets.length} tickets`);
' "$call"
