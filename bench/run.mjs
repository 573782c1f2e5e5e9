#!/usr/bin/env node
/**
 * `npm run bench`: measures, in one run on this machine, what decides whether an MCP server is pleasant to
 * live with — start-up time, memory, the context its tool list and results cost, the HTTP requests it makes,
 * how it scales to large ticket sets and what it installs — and prints the figures beside the issue's targets.
 *
 * Start-up spawns, interleaved (round-robin, the order rotating every round, so that noise on a shared
 * machine hits all alike): the floor — the bare SDK server of bench/floor-server.mjs bundled with the
 * product's own esbuild options — the product's bundled entry, and for information the floor unbundled
 * and a bare Node process answering JSON-RPC by hand. Each spawn is timed to `tools/list` and to the first
 * search answer. Targets are ratios of medians against the floor in the same run, never absolute times.
 *
 * Everything runs against sandboxes started in this process from dist/sandbox/index.js on 127.0.0.1 (the
 * servers are child processes). Requests are counted at the sandbox. Every loop is bounded in count and time.
 *
 * Usage: node bench/run.mjs [--rounds N] [--calls N] [--skip-footprint] [--only a,b] [--extra-entry FILE]
 *        [--with-tsc-entry] [--json FILE]
 * Needs `npm run build` first (dist/).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { bundleFloor, FLOOR_SOURCE, productEnv, root } from "./support.mjs";

const dist = join(root, "dist");
const BUNDLE = join(dist, "autotask-tickets-mcp.js");
const TSC_ENTRY = join(dist, "index.js");

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const index = argv.indexOf(name);
  return index >= 0 && argv[index + 1] !== undefined ? argv[index + 1] : fallback;
};
/** A whole number within [min, max] for option `name`, or the process exits with a line naming the option. */
const count = (name, fallback, min, max) => {
  const value = Number(option(name, String(fallback)));
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  console.error(`${name} must be a whole number from ${min} to ${max}`);
  process.exit(2);
};
const ROUNDS = count("--rounds", 15, 3, 100);
const CALLS = count("--calls", 300, 50, 5000);
const SKIP_FOOTPRINT = argv.includes("--skip-footprint");
/** `--only startup,search,...` runs a subset: startup, toolslist, search, overhead, rowcost, metrics, footprint. */
const ONLY = option("--only", "")
  .split(",")
  .map((name) => name.trim())
  .filter(Boolean);
const SECTIONS = ["startup", "toolslist", "search", "overhead", "rowcost", "metrics", "footprint"];
const unknownSections = ONLY.filter((name) => !SECTIONS.includes(name));
if (unknownSections.length > 0) {
  console.error(`--only: unknown ${unknownSections.join(", ")}; the sections are ${SECTIONS.join(", ")}`);
  process.exit(2);
}
const wanted = (name) => ONLY.length === 0 || ONLY.includes(name);
/** `--extra-entry dist/x.js` (repeatable) adds another product entry to the start-up comparison. */
const EXTRA_ENTRIES = argv.flatMap((arg, index) => (arg === "--extra-entry" && argv[index + 1] ? [resolve(root, argv[index + 1])] : []));
const JSON_OUT = option("--json", join(root, "bench", "results", "latest.json"));
const PROTOCOL_VERSION = "2025-06-18";

const results = { machine: machineFacts(), startedAt: new Date().toISOString(), sections: {} };
const targets = [];

// ---- small helpers ---------------------------------------------------------------------------------

function machineFacts() {
  const cpu = cpus();
  return { cores: cpu.length, cpu: cpu[0]?.model ?? "unknown", node: process.version, platform: `${process.platform} ${process.arch}` };
}

function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: sorted[0],
    p25: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    p75: quantile(sorted, 0.75),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1),
  };
}

const fmt = (value, digits = 1) => (value === undefined || value === null || Number.isNaN(value) ? "-" : value.toFixed(digits));
const bytes = (value) => Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(value));
const kib = (value) => `${(value / 1024).toFixed(1)} KiB`;
const mib = (value) => `${(value / 1024 / 1024).toFixed(1)} MiB`;

function table(title, header, rows) {
  const widths = header.map((cell, column) => Math.max(String(cell).length, ...rows.map((row) => String(row[column]).length)));
  const numeric = (cell) => cell === "" || typeof cell === "number" || /^[\d.,\s-]+( x| ms| %)?$/.test(String(cell));
  const rightAligned = header.map((_, column) => column > 0 && rows.every((row) => numeric(row[column])));
  const line = (cells) =>
    cells
      .map((cell, column) => (rightAligned[column] ? String(cell).padStart(widths[column]) : String(cell).padEnd(widths[column])))
      .join("  ")
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

function target(what, figure, goal, met, note = "") {
  targets.push({ what, figure, goal, met, note });
}

function section(name, data) {
  results.sections[name] = data;
}

/** Runs `step`; a failure is reported and the run goes on with the next section. */
async function guarded(name, step) {
  const started = performance.now();
  try {
    await step();
  } catch (error) {
    console.log(`\n[${name}] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    section(name, { error: String(error instanceof Error ? error.message : error) });
    target(name, "failed", "-", false, String(error instanceof Error ? error.message : error).slice(0, 120));
  }
  console.error(`  (${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

async function importDist(relativePath) {
  const file = join(dist, relativePath);
  if (!existsSync(file)) throw new Error(`${relativePath} is not built (run npm run build)`);
  return import(pathToFileURL(file).href);
}

function residentKiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time the process has used so far, all its threads (ms), from /proc/<pid>/task/<tid>/schedstat (first
 * field: ns on a CPU). Unlike wall time it does not grow when other work on the machine takes the cores,
 * so it is printed beside the wall-time ratios on a shared machine. Threads that already ended are missed.
 */
function cpuMs(pid) {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

/** Counts null values, empty strings, empty arrays and empty objects, with their paths (first few). */
function emptyFields(value, path = "$", found = []) {
  if (value === null) found.push(`${path}=null`);
  else if (value === "") found.push(`${path}=""`);
  else if (Array.isArray(value)) {
    if (value.length === 0) found.push(`${path}=[]`);
    for (const [index, item] of value.entries()) emptyFields(item, `${path}[${index}]`, found);
  } else if (typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) found.push(`${path}={}`);
    for (const [key, field] of entries) emptyFields(field, `${path}.${key}`, found);
  }
  return found;
}


// ---- raw MCP sessions over stdio ---------------------------------------------------------------------

/**
 * A child process spoken to in newline-delimited JSON-RPC by hand, so that the bench sees each answer's
 * exact line (bytes on the wire) and its arrival time, with no client-side validation in the way.
 */
class RawSession {
  constructor(file, env, { startedAt = performance.now(), nodeArgs = [] } = {}) {
    this.startedAt = startedAt;
    this.child = spawn(process.execPath, [...nodeArgs, file], { cwd: root, env, stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((settle) => this.child.once("close", settle));
    this.pending = new Map();
    this.nextId = 1;
    this.buffer = "";
    this.stderrTail = "";
    this.child.on("error", (error) => this.#failAll(error));
    this.child.once("close", (code) => this.#failAll(new Error(`${file} exited (${code}); stderr: ${this.stderrTail}`)));
    this.child.stderr.on("data", (chunk) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    this.child.stdout.on("data", (chunk) => {
      const at = performance.now();
      this.buffer += chunk;
      let newline = this.buffer.indexOf("\n");
      while (newline >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        newline = this.buffer.indexOf("\n");
        if (line.trim() === "") continue;
        const message = JSON.parse(line);
        const waiter = this.pending.get(message.id);
        if (!waiter) continue;
        this.pending.delete(message.id);
        clearTimeout(waiter.timer);
        if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
        else waiter.resolve({ line, lineBytes: Buffer.byteLength(line), message, result: message.result, at, ms: at - waiter.sentAt });
      }
    });
  }

  #failAll(error) {
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.pending.clear();
  }

  request(method, params = {}, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms; stderr: ${this.stderrTail}`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, method, sentAt: performance.now() });
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  }

  notify(method, params = {}) {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method, params })}\n`);
  }

  async handshake() {
    const answer = await this.request("initialize", {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: "bench", version: "1.0.0" },
    });
    this.notify("notifications/initialized");
    return answer;
  }

  async callTool(name, args) {
    const answer = await this.request("tools/call", { name, arguments: args });
    if (answer.result?.isError) throw new Error(`${name} answered an error: ${textOf(answer.result).slice(0, 300)}`);
    return answer;
  }

  async close() {
    this.child.stdin.end();
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 3000);
    await this.exited;
    clearTimeout(killer);
  }
}

/** The ticket rows of a search answer's text: lines starting with the id and the ticket number. */
function rowLines(text) {
  return text.split("\n").filter((line) => /^\d+ T\S+ \| /.test(line));
}

function textOf(result) {
  return (result.content ?? [])
    .filter((part) => part.type === "text")
    .map((part) => part.text)
    .join("\n");
}

// ---- the floor: the bare SDK server, bundled like the product ------------------------------------------

/** Outside dist/ (which npm publishes): .tmp/ is ignored by git and not in package.json's `files`. */
const FLOOR_DIR = join(root, ".tmp", "bench-floor");

// ---- the product's own query, captured, so that the floor and the raw baseline send the same one --------

/**
 * Runs the product against a recording proxy in front of the sandbox and returns, for each page size,
 * the JSON body of the `POST /Tickets/query` that `autotask_search_tickets { pageSize }` sends.
 */
async function captureSearchBodies(sandbox, sizes) {
  const { createServer } = await import("node:http");
  const target = new URL(sandbox.apiUrl);
  const seen = [];
  const proxy = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.method === "POST" && /\/Tickets\/query$/i.test(req.url ?? "")) seen.push(body);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name)));
      try {
        const answer = await fetch(`${target.origin}${req.url}`, { method: req.method, headers, body: body === "" ? undefined : body });
        const text = await answer.text();
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
        res.end(text);
      } catch (error) {
        res.writeHead(502).end(String(error));
      }
    });
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const apiUrl = `http://127.0.0.1:${proxy.address().port}${target.pathname}`;
  const session = new RawSession(BUNDLE, productEnv({ ...sandbox, apiUrl }, { LOG_LEVEL: "warn" }));
  try {
    await session.handshake();
    const bodies = new Map();
    for (const size of sizes) {
      seen.length = 0;
      await session.callTool("autotask_search_tickets", { pageSize: size });
      if (seen.length === 0) throw new Error(`no Tickets/query seen for pageSize ${size}`);
      bodies.set(size, seen.at(-1));
    }
    return bodies;
  } finally {
    await session.close();
    await new Promise((resolve) => proxy.close(resolve));
  }
}

/** `POST Tickets/query` to a sandbox as a bare client sends it (the same headers as the product). */
function postTicketQuery(sandbox, body) {
  return fetch(`${sandbox.apiUrl}Tickets/query`, {
    method: "POST",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      ApiIntegrationCode: sandbox.credentials.integrationCode,
      UserName: sandbox.credentials.username,
      Secret: sandbox.credentials.secret,
    },
    body,
  });
}

/** One raw query as a bare client makes it: fetch, read the text, parse the JSON. */
async function rawQuery(sandbox, body) {
  const response = await postTicketQuery(sandbox, body);
  const parsed = JSON.parse(await response.text());
  if (!response.ok || !Array.isArray(parsed.items)) throw new Error(`raw query failed: HTTP ${response.status}`);
  return parsed.items.length;
}

// ---- start-up: spawn → tools/list, RSS, spawn → first search answer ------------------------------------

/**
 * One spawn: handshake, `tools/list`, then (when the variant has a tool call) the first search. Times are
 * from just before `spawn` to the complete answer line; RSS is read from /proc right after each answer.
 */
async function startOnce(variant) {
  const startedAt = performance.now();
  const session = new RawSession(variant.file, variant.env, { startedAt });
  try {
    await session.handshake();
    const listed = await session.request("tools/list");
    const sample = { listMs: listed.at - startedAt, listCpuMs: cpuMs(session.child.pid), listRssKiB: residentKiB(session.child.pid), listed };
    if (variant.call) {
      const answer = await session.callTool(variant.call.name, variant.call.args);
      sample.firstMs = answer.at - startedAt;
      sample.firstCpuMs = cpuMs(session.child.pid);
      sample.firstRssKiB = residentKiB(session.child.pid);
      sample.firstRows = variant.call.rows(answer.result);
    }
    return sample;
  } finally {
    await session.close();
  }
}

async function benchStartup(sandbox, bodies) {
  const floorBundle = await bundleFloor(FLOOR_DIR);
  const floorEnv = { ...productEnv(sandbox), FLOOR_QUERY_BODY: bodies.get(25) };
  const floorCall = { name: "search_tickets", args: {}, rows: (result) => JSON.parse(textOf(result)).items.length };
  const productCall = { name: "autotask_search_tickets", args: { pageSize: 25 }, rows: (result) => result.structuredContent?.tickets?.length ?? 0 };
  const FLOOR = "floor: bare SDK, bundled";
  const PRODUCT = "product, bundled entry (bin)";
  const variants = [
    { name: FLOOR, file: floorBundle, env: floorEnv, call: floorCall },
    { name: PRODUCT, file: BUNDLE, env: productEnv(sandbox), call: productCall },
    { name: "info: bare SDK, unbundled", file: FLOOR_SOURCE, env: floorEnv, call: floorCall },
    { name: "info: bare Node, no SDK", file: join(root, "bench", "bare-node.mjs"), env: { PATH: process.env.PATH ?? "" } },
    ...(argv.includes("--with-tsc-entry") ? [{ name: "info: product, tsc entry", file: TSC_ENTRY, env: productEnv(sandbox), call: productCall }] : []),
    ...EXTRA_ENTRIES.map((file) => ({ name: `extra: ${file.replace(`${root}/`, "")}`, file, env: productEnv(sandbox), call: productCall })),
  ].filter((variant) => {
    if (existsSync(variant.file)) return true;
    console.log(`(start-up: ${variant.name} skipped, ${variant.file} missing)`);
    return false;
  });
  const samples = new Map(variants.map((variant) => [variant.name, []]));

  // One discarded round warms the file cache and the sandbox for every variant.
  for (const variant of variants) await startOnce(variant);
  for (let round = 0; round < ROUNDS; round++) {
    for (let offset = 0; offset < variants.length; offset++) {
      const variant = variants[(round + offset) % variants.length];
      samples.get(variant.name).push(await startOnce(variant));
    }
  }

  const stats = (name, key) => summary(samples.get(name).map((sample) => sample[key]).filter((value) => value !== undefined));
  const floor = {
    list: stats(FLOOR, "listMs"),
    listCpu: stats(FLOOR, "listCpuMs"),
    rss: stats(FLOOR, "listRssKiB"),
    first: stats(FLOOR, "firstMs"),
    firstCpu: stats(FLOOR, "firstCpuMs"),
    firstRss: stats(FLOOR, "firstRssKiB"),
  };
  const rows = [];
  const cpuRows = [];
  const data = {};
  const spread = (s, scale = 1) => `${fmt(s.min / scale)} / ${fmt(s.p25 / scale)} / ${fmt(s.median / scale)} / ${fmt(s.p75 / scale)} / ${fmt(s.max / scale)}`;
  for (const variant of variants) {
    const list = stats(variant.name, "listMs");
    const rss = stats(variant.name, "listRssKiB");
    const first = stats(variant.name, "firstMs");
    const firstRss = stats(variant.name, "firstRssKiB");
    const listCpu = stats(variant.name, "listCpuMs");
    const firstCpu = stats(variant.name, "firstCpuMs");
    data[variant.name] = { listMs: list, listCpuMs: listCpu, rssKiB: rss, firstMs: first, firstCpuMs: firstCpu, firstRssKiB: firstRss, firstRows: samples.get(variant.name).at(-1)?.firstRows };
    cpuRows.push([
      variant.name,
      fmt(listCpu.median),
      `${fmt(listCpu.median / floor.listCpu.median, 2)} x`,
      firstCpu.n ? fmt(firstCpu.median) : "-",
      firstCpu.n ? `${fmt(firstCpu.median / floor.firstCpu.median, 2)} x` : "-",
    ]);
    rows.push([
      variant.name,
      spread(list),
      `${fmt(list.median / floor.list.median, 2)} x`,
      fmt(rss.median / 1024),
      `${fmt(rss.median / floor.rss.median, 2)} x`,
      first.n ? spread(first) : "-",
      first.n ? `${fmt(first.median / floor.first.median, 2)} x` : "-",
      firstRss.n ? fmt(firstRss.median / 1024) : "-",
    ]);
  }
  table(
    `Start-up, ${ROUNDS} interleaved rounds (ms: min / p25 / median / p75 / max; ratios of medians vs the bundled floor)`,
    ["process", "spawn→tools/list ms", "ratio", "RSS MiB", "ratio", "spawn→first search answer ms", "ratio", "RSS after MiB"],
    rows,
  );
  table(
    "Start-up CPU time, all threads of the server process (ms, medians; less sensitive to other load than wall time)",
    ["process", "CPU to tools/list", "ratio", "CPU to first answer", "ratio"],
    cpuRows,
  );
  console.log(
    "first search: product autotask_search_tickets { pageSize: 25 } (cold: its metadata, query and name look-ups);" +
      " floor: search_tickets sending the product's captured Tickets/query body once. Sandbox 0 ms latency, in the bench process.",
  );
  section("startup", { rounds: ROUNDS, variants: data });

  for (const name of [PRODUCT, ...variants.filter((v) => v.name.startsWith("extra:")).map((v) => v.name)]) {
    const entry = data[name];
    const info = name !== PRODUCT;
    const verdict = (met) => (info ? `(info: ${met ? "would meet" : "would not meet"})` : met);
    const listRatio = entry.listMs.median / floor.list.median;
    const rssRatio = entry.rssKiB.median / floor.rss.median;
    const firstRatio = entry.firstMs.median / floor.first.median;
    target(`spawn → tools/list (${name})`, `${fmt(entry.listMs.median)} ms = ${fmt(listRatio, 2)} x floor (${fmt(floor.list.median)} ms)`, "≤ 1.15 x bundled floor", verdict(listRatio <= 1.15));
    target(`RSS after tools/list (${name})`, `${fmt(entry.rssKiB.median / 1024)} MiB = ${fmt(rssRatio, 2)} x floor (${fmt(floor.rss.median / 1024)} MiB)`, "≤ 1.15 x bundled floor", verdict(rssRatio <= 1.15));
    target(
      `CPU time to tools/list, first answer (${name})`,
      `${fmt(entry.listCpuMs.median / floor.listCpu.median, 2)} x, ${fmt(entry.firstCpuMs.median / floor.firstCpu.median, 2)} x floor`,
      "info (wall-time targets above)",
      "reported",
    );
    target(`spawn → first search answer (${name})`, `${fmt(entry.firstMs.median)} ms = ${fmt(firstRatio, 2)} x floor (${fmt(floor.first.median)} ms)`, "≤ 1.6 x bundled floor", verdict(firstRatio <= 1.6));
  }
  return samples.get(PRODUCT).at(-1)?.listed;
}

// ---- tools/list size ----------------------------------------------------------------------------------

function undescribedParameters(schema, path, found) {
  if (!schema || typeof schema !== "object") return found;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const describedByUnion = Array.isArray(property.anyOf) && property.anyOf.every((branch) => branch.description);
    if (!property.description && !describedByUnion) found.push(`${path}.${name}`);
  }
  return found;
}

function benchToolsList(listed) {
  if (!listed) throw new Error("no product tools/list sample (product entry missing?)");
  const tools = listed.result.tools;
  const total = bytes(listed.result);
  const rows = tools.map((tool) => [
    tool.name,
    bytes(tool),
    bytes(tool.description ?? ""),
    bytes(tool.inputSchema),
    tool.outputSchema ? bytes(tool.outputSchema) : "-",
    Math.round(bytes(tool) / 4),
  ]);
  rows.push(["(whole result)", total, "", "", "", Math.round(total / 4)]);
  table("tools/list result size (bytes; tokens ≈ bytes/4)", ["tool", "bytes", "description", "inputSchema", "outputSchema", "tokens"], rows);
  const undescribed = tools.flatMap((tool) => undescribedParameters(tool.inputSchema, tool.name, []));
  console.log(`parameters without a description: ${undescribed.length === 0 ? "none" : undescribed.join(", ")}`);
  section("toolsList", { bytes: total, tokens: Math.round(total / 4), tools: tools.length, undescribed, perTool: rows });
  // Issue 9 replaced issue 6's single 12 KB total with a budget per entry and 18 KB for the whole list.
  const largest = tools.reduce((max, tool) => Math.max(max, bytes(tool)), 0);
  target(
    "tools/list: largest entry, whole result",
    `largest entry ${largest} B; whole ${total} B ≈ ${Math.round(total / 4)} tokens, ${tools.length} tools, ${undescribed.length} parameters undescribed`,
    "each entry ≤ 1,600 B, whole ≤ 18 KB (issue 9), every parameter described",
    largest <= 1_600 && total <= 18 * 1024 && undescribed.length === 0,
  );
}

// ---- product over MCP: result bytes, HTTP requests, details, added time per row --------------------------

/** A product session on the bundled entry (tsc entry if the bundle is missing), handshake done. */
async function productSession(sandbox) {
  const entry = existsSync(BUNDLE) ? BUNDLE : TSC_ENTRY;
  const session = new RawSession(entry, productEnv(sandbox, { LOG_LEVEL: "warn" }));
  await session.handshake();
  await session.request("tools/list");
  return { session, entry };
}

/**
 * Byte figures of one tools/call answer: the text parts, `structuredContent` serialised, and the whole
 * JSON-RPC line as it crossed stdio (envelope, `content` array, escaping of the text into a JSON string
 * and `structuredContent`), plus the line each single-copy alternative would make, computed by
 * serialising the same message without one of the parts (the SDK writes `JSON.stringify(message)`).
 */
function answerBytes(answer) {
  const { result } = answer;
  const structured = result.structuredContent === undefined ? 0 : bytes(result.structuredContent);
  const text = (result.content ?? []).filter((part) => part.type === "text").reduce((sum, part) => sum + bytes(part.text), 0);
  const without = (change) => bytes({ ...answer.message, result: change({ ...result }) });
  return {
    text,
    structured,
    line: answer.lineBytes,
    // Text rows only: no structuredContent (a tool then declares no outputSchema).
    lineTextOnly: without((copy) => {
      delete copy.structuredContent;
      return copy;
    }),
    // Structured rows only, plus the spec's backwards-compatible text: the same JSON serialised once more.
    lineStructuredAndItsJson:
      result.structuredContent === undefined
        ? undefined
        : without((copy) => ({ ...copy, content: [{ type: "text", text: JSON.stringify(result.structuredContent) }] })),
  };
}

async function benchSearchBytes(sandbox) {
  const { session, entry } = await productSession(sandbox);
  try {
    const rows = [];
    const data = {};
    let at25;
    for (const size of [5, 25, 100]) {
      const answer = await session.callTool("autotask_search_tickets", { pageSize: size });
      const count = rowLines(textOf(answer.result)).length;
      if (count === 0) throw new Error(`the ${size}-row search returned no tickets`);
      const b = answerBytes(answer);
      const per = (value) => (value === undefined ? "-" : fmt(value / count));
      rows.push([count, per(b.text), per(b.structured), per(b.line), per(b.lineTextOnly), per(b.lineStructuredAndItsJson)]);
      data[size] = { rows: count, ...b };
      if (size === 25) at25 = { answer, count, b };
    }
    table(
      `autotask_search_tickets: bytes per ticket (product ${entry.replace(`${root}/`, "")})`,
      ["rows", "text", "structuredContent", "JSON-RPC line (as sent)", "line if text only", "line if structured + its JSON as text"],
      rows,
    );
    console.log(
      "text = the text parts' characters (UTF-8 bytes); structuredContent = its JSON; the line = the whole tools/call answer on stdout" +
        " (envelope, both parts, JSON escaping of the text). Alternatives: the same answer re-serialised without a part.",
    );

    // Where the 25-row bytes go, and what a model gets.
    const { answer, count, b } = at25;
    const text = textOf(answer.result);
    const lines = rowLines(text);
    const tickets = lines.map((line) => ({ id: Number(line.split(" ")[0]) }));
    const nulls = answer.result.structuredContent === undefined ? [] : emptyFields(answer.result.structuredContent);
    // A row is labelled when status, priority and company are shown by label or name, never as "#id" or missing.
    const labelled = lines.filter((line) => {
      const [, status, priority, company] = line.split(" | ");
      return [status, priority, company].every((part) => part && !part.startsWith("#") && part !== "-" && part !== "no company");
    }).length;
    const keyBytes = 0;
    // The text is the only part: it must name every row, the total, and carry the cursor to page on.
    const cursor = /cursor "([^"]+)"/.exec(text)?.[1];
    const textComplete = lines.length === count && /^\d+ tickets? match/m.test(text) && cursor !== undefined ? "yes (rows, total, cursor)" : "no";
    const escapeBytes = b.line - bytes({ ...answer.message, result: { ...answer.result, content: [] } }) - b.text;
    table(
      `autotask_search_tickets, ${count} rows: where the line's bytes go`,
      ["figure", "value"],
      [
        ["line bytes (whole JSON-RPC answer)", `${b.line} = ${fmt(b.line / count)} per ticket`],
        ["text part / structuredContent", `${b.text} / ${b.structured}`],
        ["JSON escaping and content wrapper of the text part", escapeBytes],
        ["structuredContent", answer.result.structuredContent === undefined ? "none (rows sent once, as text)" : `${b.structured} B`],
        ["rows with status, priority and company labels", `${labelled} of ${count}`],
        ["text part complete: every row, the total and the cursor", textComplete],
        ["null/empty fields in structuredContent", nulls.length === 0 ? "none" : `${nulls.length}: ${nulls.slice(0, 5).join(" ")}`],
      ],
    );
    section("searchBytes", { bySize: data, keyBytesPerRow: keyBytes, nulls, labelled, textComplete });
    // A host forwards one part to the model (bench/README.md, "Which part hosts read"): the larger of the two.
    const modelFacing = Math.max(b.text, b.structured) / count;
    target(
      "25-row search, the part a host forwards to the model",
      `${fmt(modelFacing)} B/ticket (the larger of text ${fmt(b.text / count)} and structured ${fmt(b.structured / count)})`,
      "≤ 250 B/ticket (info: the line is the target)",
      modelFacing <= 250 ? "(info: within)" : "(info: over)",
    );
    target(
      "25-row search, whole JSON-RPC line",
      `${fmt(b.line / count)} B/ticket as sent (text ${fmt(b.text / count)} + structured ${fmt(b.structured / count)}); text-only line ${fmt(b.lineTextOnly / count)}`,
      "≤ 250 B/ticket on the line, labels and names, no null fields",
      b.line / count <= 250 && nulls.length === 0 && labelled === count,
    );

    // HTTP requests: this server has answered searches already (warm); a fresh one is counted below.
    sandbox.resetStats();
    await session.callTool("autotask_search_tickets", { pageSize: 25 });
    const warmStats = sandbox.stats();
    sandbox.resetStats();
    await session.callTool("autotask_search_tickets", { pageSize: 25, status: "open", priority: ["high", "critical"] });
    const warmOtherStats = sandbox.stats();
    sandbox.resetStats();
    const details = await session.callTool("autotask_get_ticket_details", { ticketId: tickets[0].id });
    const detailsStats = sandbox.stats();
    const detailsBytes = answerBytes(details);
    const detailsEmpty = emptyFields(details.result.structuredContent);

    // Cold: a fresh server's first search, counted from spawn (warm-up after the handshake included).
    sandbox.resetStats();
    const fresh = await productSession(sandbox);
    let coldStats;
    try {
      await fresh.session.callTool("autotask_search_tickets", { pageSize: 25 });
      coldStats = sandbox.stats();
    } finally {
      await fresh.session.close();
    }
    const routes = (stats) =>
      Object.entries(stats.byRoute)
        .map(([route, n]) => `${route} ×${n}`)
        .join(", ");
    table(
      "HTTP requests and ticket details",
      ["figure", "value"],
      [
        ["requests, fresh server: spawn to first search answered", `${coldStats.requests} (${routes(coldStats)})`],
        ["requests, warm, same search", `${warmStats.requests} (${routes(warmStats)})`],
        ["requests, warm, other filter", `${warmOtherStats.requests} (${routes(warmOtherStats)})`],
        [`ticket details ${tickets[0].id}: text / structured / line bytes`, `${detailsBytes.text} / ${detailsBytes.structured} / ${detailsBytes.line}`],
        ["ticket details: null/empty fields", detailsEmpty.length === 0 ? "none" : `${detailsEmpty.length}: ${detailsEmpty.slice(0, 8).join(" ")}`],
        ["ticket details: requests (warm)", `${detailsStats.requests} (${routes(detailsStats)})`],
      ],
    );
    section("requests", { coldStats, warmStats, warmOtherStats, detailsStats, details: detailsBytes, detailsEmpty });
    // The first page's query/count (issue 11: the total with the first page) runs beside the query.
    target("HTTP requests, fresh server to first search", String(coldStats.requests), "≤ 5 (query and count in parallel)", coldStats.requests <= 5, routes(coldStats));
    target("HTTP requests, one search, warm", `${warmStats.requests} (same search), ${warmOtherStats.requests} (other filter)`, "≤ 2 (query + count)", warmStats.requests <= 2 && warmOtherStats.requests <= 2);
    target("ticket details", `line ${detailsBytes.line} B, ${detailsEmpty.length} null/empty fields`, "no null or empty fields; size reported", detailsEmpty.length === 0);
  } finally {
    await session.close();
  }
}

/**
 * The server's added time: warm `autotask_search_tickets { pageSize: N }` round trips over stdio,
 * interleaved with the same `POST /Tickets/query` body (captured from the product) sent by the bench
 * with fetch. Difference of medians, and per row.
 */
async function benchAddedTime(sandbox, bodies) {
  const { session } = await productSession(sandbox);
  const plan = [
    { rows: 5, pairs: CALLS },
    { rows: 25, pairs: Math.max(20, Math.round(CALLS / 2)) },
    { rows: 100, pairs: Math.max(20, Math.round(CALLS / 5)) },
  ];
  try {
    const rows = [];
    const data = {};
    for (const { rows: size, pairs } of plan) {
      const body = bodies.get(size);
      for (let i = 0; i < 5; i++) {
        await session.callTool("autotask_search_tickets", { pageSize: size });
        await rawQuery(sandbox, body);
      }
      const toolMs = [];
      const rawMs = [];
      sandbox.resetStats();
      const deadline = performance.now() + 40_000;
      for (let i = 0; i < pairs && performance.now() < deadline; i++) {
        const answer = await session.callTool("autotask_search_tickets", { pageSize: size });
        toolMs.push(answer.ms);
        const started = performance.now();
        await rawQuery(sandbox, body);
        rawMs.push(performance.now() - started);
      }
      const requestsPerCall = (sandbox.stats().requests - rawMs.length) / toolMs.length;
      const tool = summary(toolMs);
      const raw = summary(rawMs);
      const added = tool.median - raw.median;
      data[size] = { pairs: toolMs.length, tool, raw, addedMs: added, perRowMs: added / size, requestsPerCall };
      rows.push([
        size,
        toolMs.length,
        `${fmt(tool.p25, 2)} / ${fmt(tool.median, 2)} / ${fmt(tool.p75, 2)}`,
        `${fmt(raw.p25, 2)} / ${fmt(raw.median, 2)} / ${fmt(raw.p75, 2)}`,
        fmt(added, 2),
        fmt((added / size) * 1000, 1),
        fmt(requestsPerCall, 2),
      ]);
    }
    table(
      "Server's added time: warm search over stdio minus the same raw query (ms p25 / median / p75; interleaved)",
      ["rows", "pairs", "MCP tools/call", "raw fetch + JSON.parse", "added ms (medians)", "added µs per row", "HTTP req per call"],
      rows,
    );
    section("addedTime", data);
    target(
      "server's added time per row",
      plan.map(({ rows: size }) => `${size} rows: ${fmt(data[size].addedMs, 2)} ms (${fmt((data[size].perRowMs ?? 0) * 1000, 0)} µs/row)`).join("; "),
      "report at 5, 25, 100 rows (the tool's page cap); 500 rows below the tool: see row cost",
      "reported",
    );
  } finally {
    await session.close();
  }
}

/**
 * The server's own cost per row, below the tool (the tool caps pages at 100; issue 12 measures over
 * 500 rows): in this process, on one warm desk against the sandbox, for the 500 rows a search asks
 * Autotask for (its IncludeFields): the client's validation of the answer (its zod page schema, minus
 * `JSON.parse`, which the raw side pays too), `describeRows` (labels, names from cache, the resolution
 * SLA state), `renderTicketRows` and serialising the JSON-RPC line. Medians of interleaved rounds.
 */
async function benchRowCost(sandbox, autotask) {
  const deskModule = await importDist("desk/index.js");
  const format = await importDist("tools/format/index.js");
  const calendar = await importDist("domain/calendar.js");
  const schemas = await importDist("autotask/schemas.js");
  const client = new autotask.AutotaskClient({ credentials: sandbox.credentials, apiUrl: sandbox.apiUrl });
  const desk = deskModule.createDesk(client, {
    readOnly: false,
    calendar: calendar.parseCalendar({}),
    mappingOverrides: {},
    defaultNotesInDetails: 5,
    duplicateWindowMs: 600_000,
  });
  const body = JSON.stringify({ MaxRecords: 500, IncludeFields: deskModule.SEARCH_ROW_FIELDS, Filter: [{ op: "exist", field: "id" }] });
  const answer = await postTicketQuery(sandbox, body);
  const raw = await answer.text();
  // The schema the client validates a ticket page with.
  const pageSchema = schemas.queryEnvelope(schemas.TicketSchema);
  const items = JSON.parse(raw).items;
  if (!Array.isArray(items) || items.length !== 500) throw new Error(`expected 500 rows, got ${items?.length}`);
  await desk.tickets.describeRows(items); // names and picklists into the cache, as on a warm server
  const rounds = Math.max(30, Math.round(CALLS / 5));
  const parts = { validate: [], describe: [], render: [], serialise: [] };
  for (let i = 0; i < rounds; i++) {
    const parsed = JSON.parse(raw);
    let started = performance.now();
    const checked = pageSchema.safeParse(parsed);
    parts.validate.push(performance.now() - started);
    if (!checked.success) throw new Error("the sandbox's page does not match the client's schema");
    started = performance.now();
    const rows = await desk.tickets.describeRows(parsed.items);
    parts.describe.push(performance.now() - started);
    started = performance.now();
    const text = format.renderTicketRows(rows, { total: 2000, pageNumber: 1, offset: 0, sort: "oldest", nextCursor: "WzEsMiwzXQ", notes: [] });
    parts.render.push(performance.now() - started);
    started = performance.now();
    JSON.stringify({ result: { content: [{ type: "text", text }] }, jsonrpc: "2.0", id: 9 });
    parts.serialise.push(performance.now() - started);
  }
  const medians = Object.fromEntries(Object.entries(parts).map(([name, values]) => [name, summary(values).median]));
  const total = Object.values(medians).reduce((sum, value) => sum + value, 0);
  const perRowUs = (total / 500) * 1000;
  table(
    `Server's own cost per row, below the tool: 500 rows, ${rounds} rounds (ms, medians)`,
    ["validate (zod)", "describeRows", "renderTicketRows", "serialise line", "total", "µs per row"],
    [[fmt(medians.validate, 2), fmt(medians.describe, 2), fmt(medians.render, 2), fmt(medians.serialise, 2), fmt(total, 2), fmt(perRowUs, 1)]],
  );
  section("rowCost", { rows: 500, rounds, medians, totalMs: total, perRowUs });
  target("server's own cost per search row (500 rows, below the tool)", `${fmt(perRowUs, 1)} µs/row`, "≤ 40 µs/row", perRowUs <= 40);
}

// ---- metrics at scale ----------------------------------------------------------------------------------

const METRIC_FIELDS = [
  "id",
  "status",
  "priority",
  "createDate",
  "completedDate",
  "firstResponseDateTime",
  "firstResponseDueDateTime",
  "resolvedDateTime",
  "resolvedDueDateTime",
  "dueDateTime",
  "lastActivityDate",
  "assignedResourceID",
];

async function loadDomain() {
  const candidates = ["domain/index.js", "domain/metrics.js"];
  for (const candidate of candidates) {
    if (!existsSync(join(dist, candidate))) continue;
    const module = await importDist(candidate);
    if (typeof module.calculateTicketMetrics === "function" && typeof module.buildTenantMapping === "function") return module;
    if (typeof module.calculateTicketMetrics === "function") return { ...(await importDist("domain/states.js")), ...module };
  }
  throw new Error("calculateTicketMetrics is not built yet (dist/domain/metrics.js or dist/domain/index.js)");
}

function picklistOf(fields, name) {
  const field = fields.find((candidate) => candidate.name?.toLowerCase() === name);
  return (field?.picklistValues ?? []).map((entry) => ({ value: entry.value, label: entry.label, isActive: entry.isActive !== false }));
}

/** Wall time of `compute`, median of `runs` after one warm-up. */
function timeIt(compute, runs) {
  const first = performance.now();
  let value = compute();
  const coldMs = performance.now() - first;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    value = compute();
    times.push(performance.now() - started);
  }
  return { value, coldMs, times, ...summary(times) };
}

async function benchMetrics10k(sandboxModule, autotask, domain) {
  const started = performance.now();
  const sandbox = await sandboxModule.startSandbox({ port: 0, tickets: 10_000, seed: 11, faults: { latencyMs: 50 }, hourlyThreshold: 1_000_000 });
  const generateMs = performance.now() - started;
  // Requests in flight are counted around fetch itself (the client looks fetch up on globalThis per call):
  // from the call until the response body has been read.
  let inFlight = 0;
  let maxInFlight = 0;
  const queryPaths = [];
  const originalFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const response = await originalFetch(url, init);
      const body = await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      inFlight--;
    }
  };
  const client = new autotask.AutotaskClient({
    credentials: sandbox.credentials,
    apiUrl: sandbox.apiUrl,
    onResponse: (event) => {
      if (/^\/Tickets\/query/i.test(event.path)) queryPaths.push(event.path);
    },
  });
  try {
    const fields = await client.getFieldInfo("Tickets");
    const mapping = domain.buildTenantMapping({ statuses: picklistOf(fields, "status"), priorities: picklistOf(fields, "priority") });
    sandbox.resetStats();
    maxInFlight = 0;
    queryPaths.length = 0;
    const fetchStarted = performance.now();
    const tickets = [];
    let pages = 0;
    for await (const page of client.queryTickets({ filter: [autotask.gte("id", 0)], includeFields: METRIC_FIELDS, maxRecords: 500 }, { maxTotal: 10_000 })) {
      pages++;
      tickets.push(...page);
    }
    const fetchMs = performance.now() - fetchStarted;
    const stats = sandbox.stats();
    const computeStarted = performance.now();
    const metrics = domain.calculateTicketMetrics(tickets, new Date(), mapping);
    const computeMs = performance.now() - computeStarted;
    const wallMs = performance.now() - fetchStarted;
    const repeat = timeIt(() => domain.calculateTicketMetrics(tickets, new Date(), mapping), 5);
    // The issue's targets are medians: the first call is one of the six samples, and is shown apart.
    const allRuns = summary([computeMs, ...repeat.times]);
    const inFlightMax = maxInFlight;
    const hasNaN = JSON.stringify(metrics, (_key, value) => (typeof value === "number" && Number.isNaN(value) ? "NaN!" : value)).includes("NaN!");

    table(
      "Metrics over 10,000 tickets fetched from the sandbox (50 ms latency per request, IncludeFields, pages of 500)",
      ["figure", "value"],
      [
        ["sandbox start with 10,000 tickets", `${fmt(generateMs, 0)} ms`],
        ["tickets fetched", tickets.length],
        ["query pages (POST /Tickets/query + next pages)", pages],
        ["HTTP requests at the sandbox", `${stats.requests} (${Object.entries(stats.byRoute).map(([route, count]) => `${route} ×${count}`).join(", ")})`],
        ["query requests seen by the client's onResponse hook", queryPaths.length],
        ["max requests in flight (counted around fetch)", inFlightMax],
        ["fetch wall time", `${fmt(fetchMs, 0)} ms`],
        ["calculateTicketMetrics, first call (cold JIT)", `${fmt(computeMs, 1)} ms`],
        ["calculateTicketMetrics, min / median / max of 6 calls", `${fmt(allRuns.min, 1)} / ${fmt(allRuns.median, 1)} / ${fmt(allRuns.max, 1)} ms`],
        ["wall time, fetch + compute", `${fmt(wallMs, 0)} ms`],
        ["NaN in metrics", hasNaN ? "yes" : "no"],
      ],
    );
    section("metrics10k", { tickets: tickets.length, pages, stats, inFlight: inFlightMax, fetchMs, computeFirstMs: computeMs, computeMs: allRuns, wallMs });
    target(
      "metrics over 10,000 tickets",
      `${pages} pages, ${inFlightMax} in flight, compute median ${fmt(allRuns.median, 1)} ms (first call ${fmt(computeMs, 1)} ms), wall ${fmt(wallMs, 0)} ms`,
      "≤ 20 pages with IncludeFields, ≤ 3 in flight, compute < 100 ms (median), wall time reported",
      pages <= 20 && inFlightMax <= 3 && allRuns.median < 100 && tickets.length >= 10_000,
    );
    return mapping;
  } finally {
    globalThis.fetch = originalFetch;
    await client.close();
    await sandbox.close();
  }
}

/** Deterministic PRNG (mulberry32) so every run computes over the same synthetic tickets. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function syntheticTickets(count, mapping, now) {
  const next = random(42);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const statusIds = ["NEW", "IN_PROGRESS", "WAITING_CUSTOMER", "WAITING_MATERIALS", "ESCALATED", "COMPLETE"].flatMap((name) => mapping.statusIdsFor(name).slice(0, 1));
  const priorityIds = ["CRITICAL", "HIGH", "MEDIUM", "LOW"].flatMap((name) => mapping.priorityIdsFor(name).slice(0, 1));
  const completeIds = new Set(mapping.statusIdsFor("COMPLETE"));
  const HOUR = 3_600_000;
  const tickets = new Array(count);
  for (let i = 0; i < count; i++) {
    const created = now - Math.floor(next() * 90 * 24 * HOUR);
    const status = next() < 0.55 ? [...completeIds][0] : pick(statusIds);
    const done = completeIds.has(status);
    const firstResponse = next() < 0.85 ? created + Math.floor(next() * 6 * HOUR) : null;
    const completed = done ? Math.min(now, created + Math.floor(next() * 120 * HOUR)) : null;
    tickets[i] = {
      id: 100_001 + i,
      status,
      priority: pick(priorityIds),
      createDate: new Date(created).toISOString(),
      completedDate: completed === null ? null : new Date(completed).toISOString(),
      resolvedDateTime: completed === null ? null : new Date(completed).toISOString(),
      firstResponseDateTime: firstResponse === null ? null : new Date(firstResponse).toISOString(),
      firstResponseDueDateTime: next() < 0.5 ? new Date(created + 4 * HOUR).toISOString() : null,
      resolvedDueDateTime: next() < 0.5 ? new Date(created + 24 * HOUR).toISOString() : null,
      dueDateTime: new Date(created + Math.floor(next() * 72 * HOUR)).toISOString(),
      lastActivityDate: new Date(Math.min(now, created + Math.floor(next() * 200 * HOUR))).toISOString(),
      assignedResourceID: next() < 0.8 ? 29_682_901 + Math.floor(next() * 12) : null,
    };
  }
  return tickets;
}

function benchMetrics100k(domain, mapping) {
  const now = Date.now();
  const tickets = syntheticTickets(100_000, mapping, now);
  const timing = timeIt(() => domain.calculateTicketMetrics(tickets, new Date(now), mapping), 4);
  const all = summary([timing.coldMs, ...timing.times]);
  table(
    "calculateTicketMetrics over 100,000 synthetic tickets (in memory, 5 calls)",
    ["figure", "ms"],
    [
      ["first call (cold JIT)", fmt(timing.coldMs)],
      ["min", fmt(all.min)],
      ["median", fmt(all.median)],
      ["max", fmt(all.max)],
    ],
  );
  section("metrics100k", { coldMs: timing.coldMs, ms: all });
  target(
    "100,000-ticket metrics computation",
    `${fmt(all.median, 0)} ms median (first call ${fmt(timing.coldMs, 0)} ms, max ${fmt(all.max, 0)} ms)`,
    "< 1 s",
    all.max < 1000,
  );
}

// ---- footprint -----------------------------------------------------------------------------------------

async function directorySize(path) {
  let total = 0;
  let files = 0;
  const entries = await readdir(path, { withFileTypes: true });
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      const inner = await directorySize(full);
      total += inner.total;
      files += inner.files;
    } else if (entry.isFile()) {
      total += (await stat(full)).size;
      files++;
    }
  }
  return { total, files };
}

function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output = (output + chunk).slice(-4000);
    });
    child.stderr.on("data", (chunk) => {
      output = (output + chunk).slice(-4000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: String(error) });
    });
  });
}

async function benchFootprint() {
  const rows = [];
  const data = {};
  if (SKIP_FOOTPRINT) {
    rows.push(["npm ci --omit=dev", "skipped (--skip-footprint)"]);
  } else {
    const directory = await mkdtemp(join(tmpdir(), "autotask-mcp-footprint-"));
    try {
      await cp(join(root, "package.json"), join(directory, "package.json"));
      await cp(join(root, "package-lock.json"), join(directory, "package-lock.json"));
      const npm = process.platform === "win32" ? "npm.cmd" : "npm";
      const installed = await run(
        npm,
        ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", "--prefix", directory],
        { cwd: directory, env: process.env, timeoutMs: 240_000 },
      );
      if (installed.code === 0 && existsSync(join(directory, "node_modules"))) {
        const size = await directorySize(join(directory, "node_modules"));
        const packages = (await readdir(join(directory, "node_modules"))).length;
        data.npmCiBytes = size.total;
        rows.push(["npm ci --omit=dev (node_modules, apparent size)", `${mib(size.total)} in ${size.files} files, ${packages} top-level entries`]);
      } else {
        const unreachable = /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network/i.test(installed.output);
        rows.push(["npm ci --omit=dev", unreachable ? "registry unreachable, not measured" : `failed (exit ${installed.code})`]);
        console.log(installed.output.slice(-800));
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
  if (existsSync(BUNDLE)) {
    const content = readFileSync(BUNDLE);
    data.bundleBytes = content.length;
    data.bundleGzipBytes = gzipSync(content).length;
    rows.push(["bundled entry dist/autotask-tickets-mcp.js", `${kib(content.length)} (${kib(data.bundleGzipBytes)} gzipped)`]);
  } else {
    rows.push(["bundled entry", "missing (npm run bundle)"]);
  }
  if (existsSync(join(dist, "sandbox", "index.js"))) {
    const sandboxSize = await directorySize(join(dist, "sandbox"));
    rows.push(["dist/sandbox (tsc, loaded only with --sandbox)", kib(sandboxSize.total)]);
  }
  table("Installed production footprint", ["what", "size"], rows);
  section("footprint", data);
  target(
    "installed production footprint",
    `${data.npmCiBytes === undefined ? "npm ci not measured" : mib(data.npmCiBytes)}; bundle ${data.bundleBytes === undefined ? "-" : kib(data.bundleBytes)}`,
    "report",
    "reported",
  );
}

// ---- main ----------------------------------------------------------------------------------------------

async function main() {
  const missing = [TSC_ENTRY, join(dist, "sandbox", "index.js"), join(dist, "autotask", "index.js")].filter((file) => !statSafe(file));
  if (missing.length > 0) {
    console.error(`Build first (npm run build); missing: ${missing.map((file) => file.replace(`${root}/`, "")).join(", ")}`);
    process.exit(1);
  }
  const { machine } = results;
  console.log(`autotask-tickets-mcp benchmarks — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}`);
  const sandboxModule = await importDist("sandbox/index.js");
  const autotask = await importDist("autotask/index.js");
  const sandbox = await sandboxModule.startSandbox({ port: 0, seed: 5, hourlyThreshold: 1_000_000 });
  let mapping;
  let domain;
  try {
    let listed;
    let bodies;
    const needsBodies = ["startup", "toolslist", "overhead"].some(wanted);
    if (needsBodies) {
      await guarded("capture the product's query bodies", async () => {
        bodies = await captureSearchBodies(sandbox, [5, 25, 100]);
      });
    }
    if (bodies && (wanted("startup") || wanted("toolslist"))) {
      await guarded("start-up", async () => {
        listed = await benchStartup(sandbox, bodies);
      });
    }
    if (wanted("toolslist")) await guarded("tools/list size", async () => benchToolsList(listed));
    if (wanted("search")) await guarded("search bytes, requests, details", async () => benchSearchBytes(sandbox));
    if (bodies && wanted("overhead")) await guarded("added time per row", async () => benchAddedTime(sandbox, bodies));
    if (wanted("overhead") || wanted("rowcost")) await guarded("row cost below the tool", async () => benchRowCost(sandbox, autotask));
    if (wanted("metrics")) {
      await guarded("metrics over 10,000 tickets", async () => {
        domain = await loadDomain();
        mapping = await benchMetrics10k(sandboxModule, autotask, domain);
      });
      await guarded("metrics over 100,000 tickets", async () => {
        domain ??= await loadDomain();
        if (!mapping) throw new Error("no tenant mapping (the 10,000-ticket step failed)");
        benchMetrics100k(domain, mapping);
      });
    }
    if (wanted("footprint")) await guarded("footprint", benchFootprint);
  } finally {
    await sandbox.close();
  }

  table(
    "Targets (issues 6 and 13), this run",
    ["what", "measured", "target", "met"],
    targets.map((entry) => [entry.what, entry.figure, entry.goal, entry.met === true ? "met" : entry.met === false ? "NOT MET" : entry.met]),
  );
  results.targets = targets;
  await mkdir(dirname(JSON_OUT), { recursive: true });
  await writeFile(JSON_OUT, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nRaw figures: ${JSON_OUT.replace(`${root}/`, "")}`);
}

function statSafe(file) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

await main();
