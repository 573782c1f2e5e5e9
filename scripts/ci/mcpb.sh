#!/usr/bin/env bash
# Claude Desktop bundle: pack the .mcpb (tool list from the registry), validate its manifest with
# Anthropic's CLI (pinned), unpack it elsewhere and start the packed server as Claude Desktop would
# (mcp_config with ${__dirname}, ${HOME} and user_config filled in, sandbox ticked), then list tools.
set -euo pipefail
cd "$(dirname "$0")/../.."
MCPB="@anthropic-ai/mcpb@2.1.2"
node scripts/pack-mcpb.mjs
bundle="$(ls dist/autotask-tickets-mcp-*.mcpb)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npx -y "$MCPB" unpack "$bundle" "$work/unpacked" >/dev/null
npx -y "$MCPB" validate "$work/unpacked/manifest.json"
mapfile -t launch < <(node -e '
  const [dir, home] = process.argv.slice(1);
  const manifest = JSON.parse(require("fs").readFileSync(dir + "/manifest.json", "utf8"));
  const config = Object.fromEntries(Object.entries(manifest.user_config).map(([key, option]) => [key, String(option.default ?? "")]));
  config.sandbox = "true";
  const fill = (text) => text.replaceAll("${__dirname}", dir).replaceAll("${HOME}", home)
    .replace(/\$\{user_config\.([a-z_]+)\}/g, (_, key) => config[key]);
  const secretOk = ["AUTOTASK_SECRET", "AUTOTASK_INTEGRATION_CODE"].every((name) => {
    const key = /user_config\.([a-z_]+)/.exec(manifest.server.mcp_config.env[name])?.[1];
    return key && manifest.user_config[key].sensitive === true;
  });
  if (!secretOk) { console.error("secret and integration code must come from sensitive user_config"); process.exit(1); }
  for (const [key, value] of Object.entries(manifest.server.mcp_config.env)) console.log(`--env=${key}=${fill(value)}`);
  console.log("--"); console.log(manifest.server.mcp_config.command);
  for (const arg of manifest.server.mcp_config.args) console.log(fill(arg));
' "$work/unpacked" "$work/home")
node scripts/ci/mcp-smoke.mjs --cwd "$work" "${launch[@]}"
