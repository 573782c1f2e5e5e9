#!/usr/bin/env node
/**
 * Where the product's start-up time goes, against the floor: V8 CPU profiles of both, cut at the moment the
 * answer arrives, summed by what the time was spent on. bench/README.md's "Start-up gap" comes from this.
 *
 * Usage: node bench/profile.mjs [--runs N] [--entry dist/autotask-tickets-mcp.js] [--keep]
 *   (after `npm run build`). For each of product and floor, N spawns (default 8) with
 *   `--cpu-prof --cpu-prof-interval 250` (µs), each answering `initialize`, `tools/list` and one search
 *   (the product's `autotask_search_tickets { pageSize: 25 }`, the floor's one query) against a sandbox in
 *   this process with no added latency, like `npm run bench`. The bench records when each answer line
 *   arrives (the profiles' clock is the same monotonic clock) and counts only the samples before it: one
 *   table up to the `tools/list` answer, one up to the first answer. stdin is then closed and the process
 *   exits, writing its profile (into a temporary directory, removed unless --keep).
 *
 * Figures are mean ms of main-thread CPU samples per spawn (idle excluded); V8's background compilation and
 * GC threads are not in a CPU profile. Own and package code is attributed through the bundles' source maps,
 * by the function a sample is in; code that runs at a module's top level maps to no function and is shown as
 * "module top-level code". Everything talks to 127.0.0.1 only.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleFloor, productEnv, root } from "./support.mjs";

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const index = argv.indexOf(name);
  return index >= 0 && argv[index + 1] ? argv[index + 1] : fallback;
};
const RUNS = Number(option("--runs", "8"));
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 50) {
  console.error("--runs must be a whole number from 1 to 50");
  process.exit(2);
}
const ENTRY = resolve(root, option("--entry", "dist/autotask-tickets-mcp.js"));
const KEEP = argv.includes("--keep");

if (!existsSync(ENTRY) || !existsSync(join(root, "dist", "sandbox", "index.js"))) {
  console.error(`${ENTRY} or dist/sandbox is missing: run \`npm run build\` first.`);
  process.exit(1);
}


/** One spawn under the profiler: returns the profile and the answers' arrival times (µs, monotonic). */
function profiledSession(file, env, call, directory) {
  return new Promise((settle, fail) => {
    const child = spawn(process.execPath, ["--cpu-prof", "--cpu-prof-interval", "250", "--cpu-prof-dir", directory, file], {
      cwd: root,
      env,
      stdio: ["pipe", "pipe", "ignore"],
    });
    const send = (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
    const arrived = {};
    let buffer = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.stdout.on("data", (chunk) => {
      const at = Number(process.hrtime.bigint() / 1000n);
      buffer += chunk;
      for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n")) {
        const message = JSON.parse(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        if (message.id === 1) {
          send({ method: "notifications/initialized" });
          send({ id: 2, method: "tools/list", params: {} });
        } else if (message.id === 2) {
          arrived.list = at;
          send({ id: 3, method: "tools/call", params: call });
        } else if (message.id === 3) {
          if (message.result?.isError || message.error) fail(new Error(`${file}: the search failed: ${JSON.stringify(message).slice(0, 300)}`));
          arrived.first = at;
          child.stdin.end();
        }
      }
    });
    child.on("error", fail);
    child.on("close", () => {
      clearTimeout(timer);
      const name = readdirSync(directory).find((entry) => entry.includes(`.${child.pid}.`) && entry.endsWith(".cpuprofile"));
      if (!name || !arrived.first) return fail(new Error(`${file}: no profile or no answer (pid ${child.pid})`));
      settle({ profile: JSON.parse(readFileSync(join(directory, name), "utf8")), arrived });
    });
    send({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "profile", version: "1.0.0" } } });
  });
}

const sourceMaps = new Map();
function originalSource(url, line, column) {
  if (!sourceMaps.has(url)) {
    const mapFile = `${fileURLToPath(url)}.map`;
    sourceMaps.set(url, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8"))) : null);
  }
  return sourceMaps.get(url)?.findEntry(line, column)?.originalSource;
}

/** What a sample's function was doing, in a few ten categories. */
function categoryOf(frame) {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "V8: garbage collection (main thread)";
  if (functionName === "(program)") return "V8: other (program)";
  if (url.startsWith("node:")) {
    if (functionName === "compileSourceTextModule") return "Node: compiling the bundle's ES modules";
    if (functionName === "compileForInternalLoader") return "Node: loading built-in modules";
    if (/^node:internal\/(modules|url)|^node:(path|url)$|^node:internal\/fs\/promises/.test(url)) return "Node: ES module loader (resolve, read, link)";
    if (url.startsWith("node:internal/deps/undici")) return "Node: fetch (built-in undici)";
    return "Node: other built-in code (streams, events, process)";
  }
  if (!url.startsWith("file:")) return "native calls (fs, JSON, natives)";
  const source = originalSource(url, frame.lineNumber, frame.columnNumber);
  if (!source) return "module top-level code (esbuild helpers, CommonJS wrappers)";
  const packageName = source.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1];
  if (packageName === "@modelcontextprotocol/sdk") return "package: @modelcontextprotocol/sdk";
  if (packageName) return `package: ${packageName.startsWith("zod") ? "zod" : packageName}`;
  const own = source.match(/src\/(.+)$/)?.[1];
  if (!own) return "other";
  const top = own.split("/");
  return `own: src/${top.length > 1 ? `${top[0]}/` : top[0]}`;
}

/** ms of CPU per category, from the start of the profile to `until` (µs). */
function cut(profile, until) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map();
  let time = profile.startTime;
  for (let index = 0; index < profile.samples.length; index++) {
    time += profile.timeDeltas[index];
    if (time > until) break;
    const frame = nodes.get(profile.samples[index]).callFrame;
    if (frame.functionName === "(idle)") continue;
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const category = categoryOf(frame);
    totals.set(category, (totals.get(category) ?? 0) + ms);
  }
  return totals;
}

function meanOf(maps) {
  const sums = new Map();
  for (const map of maps) for (const [key, value] of map) sums.set(key, (sums.get(key) ?? 0) + value / maps.length);
  return sums;
}

function print(title, product, floor) {
  const keys = [...new Set([...product.keys(), ...floor.keys()])];
  const rows = keys
    .map((key) => [key, product.get(key) ?? 0, floor.get(key) ?? 0])
    .sort((a, b) => b[1] - b[2] - (a[1] - a[2]))
    .filter(([, a, b]) => Math.max(a, b) >= 0.3);
  const sum = (map) => [...map.values()].reduce((total, value) => total + value, 0);
  const width = Math.max(...rows.map(([key]) => key.length), 20);
  console.log(`\n${title}\n${"".padEnd(width)}  product    floor    extra`);
  for (const [key, a, b] of rows) console.log(`${key.padEnd(width)}  ${a.toFixed(1).padStart(7)}  ${b.toFixed(1).padStart(7)}  ${(a - b >= 0 ? "+" : "") + (a - b).toFixed(1)}`);
  console.log(`${"total (main thread, idle excluded)".padEnd(width)}  ${sum(product).toFixed(1).padStart(7)}  ${sum(floor).toFixed(1).padStart(7)}  +${(sum(product) - sum(floor)).toFixed(1)}`);
}

const work = mkdtempSync(join(tmpdir(), "autotask-profile-"));
const { startSandbox } = await import(pathToFileURL(join(root, "dist", "sandbox", "index.js")).href);
const sandbox = await startSandbox({ port: 0, seed: 5, hourlyThreshold: 1_000_000 });
try {
  const floorBundle = await bundleFloor(join(work, "floor"));
  const env = productEnv(sandbox);
  const variants = {
    product: { file: ENTRY, call: { name: "autotask_search_tickets", arguments: { pageSize: 25 } } },
    floor: { file: floorBundle, call: { name: "search_tickets", arguments: {} } },
  };
  const results = { product: [], floor: [] };
  // Interleaved, after one discarded round each (file cache, sandbox JIT).
  for (let round = -1; round < RUNS; round++) {
    for (const [name, variant] of Object.entries(variants)) {
      const directory = join(work, `${name}-${round}`);
      const session = await profiledSession(variant.file, env, variant.call, directory);
      if (round >= 0) results[name].push(session);
    }
  }
  console.log(`CPU profiles, ${RUNS} spawns each, ${new Date().toISOString()}, Node ${process.version}; mean ms per spawn`);
  for (const [label, key] of [
    ["spawn → tools/list answer", "list"],
    ["spawn → first search answer", "first"],
  ]) {
    const of = (name) => meanOf(results[name].map(({ profile, arrived }) => cut(profile, arrived[key])));
    print(label, of("product"), of("floor"));
  }
} finally {
  await sandbox.close();
  if (KEEP) console.log(`\nprofiles kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
