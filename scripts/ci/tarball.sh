#!/usr/bin/env bash
# npm: the packed tarball holds only what the server needs (built JavaScript, sandbox profiles, README,
# .env.example; no sources, tests, source maps or bundles), installs from the tarball alone and runs:
# `npx ./autotask-tickets-mcp-*.tgz --sandbox` serves MCP, --version and an unknown flag behave.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" >/dev/null
tgz="$(ls "$work"/autotask-tickets-mcp-*.tgz)"

tar tzf "$tgz" > "$work/files.txt"
for needed in package/package.json package/dist/autotask-tickets-mcp.js package/dist/index.js package/dist/sandbox/index.js \
  package/fixtures/profiles/default.json package/fixtures/profiles/real-tenant.json package/README.md package/.env.example; do
  grep -qx "$needed" "$work/files.txt" || { echo "tarball lacks $needed" >&2; exit 1; }
done
if grep -E '^package/(src|test|bench|scripts|plugin)/|\.map$|\.mcpb$|\.test\.js$' "$work/files.txt"; then
  echo "tarball holds files the package does not need (above)" >&2
  exit 1
fi
echo "ok: tarball $(basename "$tgz"), $(wc -l < "$work/files.txt") files, $(du -k "$tgz" | cut -f1) KiB"

cd "$work"
name="./$(basename "$tgz")"
version="$(npx -y "$name" --version)"
[ "$version" = "$(node -p 'require("'"$OLDPWD"'/package.json").version')" ] || { echo "--version printed '$version'" >&2; exit 1; }
set +e
npx -y "$name" --no-such-flag 2>/dev/null
code=$?
set -e
[ "$code" = 2 ] || { echo "an unknown flag exited $code, expected 2" >&2; exit 1; }
echo "ok: npx $name --version prints $version; an unknown flag exits 2"
node "$OLDPWD/scripts/ci/mcp-smoke.mjs" --cwd "$work" -- npx -y "$name" --sandbox
