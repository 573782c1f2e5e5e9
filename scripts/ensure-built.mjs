#!/usr/bin/env node
/**
 * Builds (`npm run build`) only when dist/ is missing or older than what it is built from, so that
 * `npm run sandbox` and `npm run inspect` start in about a second instead of rebuilding (about 25 s)
 * every time. Compares modification times: newest input file against the oldest of the outputs used.
 * Messages go to stderr.
 */
import { execSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUTPUTS = ["dist/index.js", "dist/autotask-tickets-mcp.js", "dist/sandbox/cli.js"];
const INPUTS = ["src", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "scripts/bundle.mjs"];

function newestMtime(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const oldestOutput = Math.min(...OUTPUTS.map((path) => statSync(join(root, path), { throwIfNoEntry: false })?.mtimeMs ?? 0));
const newestInput = Math.max(...INPUTS.map((path) => newestMtime(join(root, path))));
if (oldestOutput === 0 || newestInput > oldestOutput) {
  process.stderr.write(oldestOutput === 0 ? "dist/ is missing: building once...\n" : "sources changed since the last build: rebuilding...\n");
  execSync("npm run build --silent", { cwd: root, stdio: ["ignore", 2, 2] });
}
