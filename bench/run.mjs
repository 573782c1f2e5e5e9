#!/usr/bin/env node
/**
 * `npm run bench`: measures, in one run on this machine, what decides whether an MCP server is pleasant to
 * live with — start-up time, memory, the context its tool list and results cost, the HTTP requests it makes,
 * how it scales to large ticket sets and what it installs — and prints the figures beside the issue's targets.
 *
 * Start-up compares four processes spawned interleaved (round-robin, rotating the order every round, so
 * that noise on a shared machine hits all of them alike): a bare Node process answering JSON-RPC by hand
 * (the floor), the bare-SDK reference server, the product's tsc entry and its bundled entry. Targets are
 * ratios against the reference measured in the same run, never absolute times.
 *
 * Everything else runs against sandboxes started in this process from dist/sandbox/index.js on 127.0.0.1.
 * Requests are counted at the sandbox. Every loop is bounded in count and in time.
 *
 * Usage: node bench/run.mjs [--rounds N] [--calls N] [--skip-footprint] [--json FILE]
 * Needs `npm run build` first (dist/).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const BUNDLE = join(dist, "autotask-tickets-mcp.js");
const TSC_ENTRY = join(dist, "index.js");

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const index = argv.indexOf(name);
  return index >= 0 && argv[index + 1] !== undefined ? argv[index + 1] : fallback;
};
const ROUNDS = Math.max(3, Math.min(100, Number(option("--rounds", "20"))));
const CALLS = Math.max(50, Math.min(5000, Number(option("--calls", "1000"))));
const SKIP_FOOTPRINT = argv.includes("--skip-footprint");
/** `--only startup,search,...` runs a subset: startup, toolslist, search, overhead, metrics, footprint. */
const ONLY = option("--only", "")
  .split(",")
  .map((name) => name.trim())
  .filter(Boolean);
const wanted = (name) => ONLY.length === 0 || ONLY.includes(name);
/** `--extra-entry dist/x.js` (repeatable) adds another product entry to the start-up comparison. */
const EXTRA_ENTRIES = argv.flatMap((arg, index) => (arg === "--extra-entry" && argv[index + 1] ? [join(root, argv[index + 1])] : []));
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
  return { n: sorted.length, min: sorted[0], median: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) };
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

/** Product environment pointing at a sandbox, with nothing from the bench process's own environment. */
function productEnv(sandbox, extra = {}) {
  return {
    PATH: process.env.PATH ?? "",
    AUTOTASK_API_URL: sandbox.apiUrl,
    AUTOTASK_USERNAME: sandbox.credentials.username,
    AUTOTASK_SECRET: sandbox.credentials.secret,
    AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode,
    LOG_LEVEL: "info",
    ...extra,
  };
}

// ---- start-up: spawn → tools/list answered, resident memory -------------------------------------------

/**
 * Spawns `node file`, speaks the MCP handshake by hand (initialize, initialized, tools/list) and reports
 * the time from just before spawn to the complete tools/list line, and VmRSS right after it.
 */
function spawnToToolsList(file, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [file], { cwd: root, env, stdio: ["pipe", "pipe", "pipe"] });
    const exited = new Promise((settle) => child.once("close", settle));
    let stdout = "";
    let stderrTail = "";
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no tools/list answer from ${file} within 15 s; stderr: ${stderrTail}`)), 15_000);
    const send = (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);

    function finish(error, value) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdin.end();
      const killer = setTimeout(() => child.kill("SIGKILL"), 3000);
      exited.then(() => {
        clearTimeout(killer);
        if (error) reject(error);
        else resolve(value);
      });
    }

    child.on("error", (error) => finish(error));
    child.stderr.on("data", (chunk) => {
      stderrTail = (stderrTail + chunk).slice(-2000);
    });
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      let newline = stdout.indexOf("\n");
      while (newline >= 0) {
        const line = stdout.slice(0, newline);
        stdout = stdout.slice(newline + 1);
        newline = stdout.indexOf("\n");
        if (line.trim() === "") continue;
        const message = JSON.parse(line);
        if (message.id === 1) {
          send({ method: "notifications/initialized" });
          send({ id: 2, method: "tools/list", params: {} });
        } else if (message.id === 2) {
          const ms = performance.now() - started;
          const rssKiB = residentKiB(child.pid);
          finish(undefined, { ms, rssKiB, line, result: message.result });
        }
      }
    });
    send({
      id: 1,
      method: "initialize",
      params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "bench", version: "1.0.0" } },
    });
  });
}

async function benchStartup(sandbox) {
  const variants = [
    { name: "bare Node (floor)", file: join(root, "bench", "bare-node.mjs"), env: { PATH: process.env.PATH ?? "" } },
    { name: "bare SDK (reference)", file: join(root, "bench", "reference-server.mjs"), env: { PATH: process.env.PATH ?? "" } },
    { name: "product, tsc entry", file: TSC_ENTRY, env: productEnv(sandbox) },
    { name: "product, bundled entry", file: BUNDLE, env: productEnv(sandbox) },
    ...EXTRA_ENTRIES.map((file) => ({ name: `extra: ${file.replace(`${root}/`, "")}`, file, env: productEnv(sandbox) })),
  ].filter((variant) => {
    if (existsSync(variant.file)) return true;
    console.log(`(start-up: ${variant.name} skipped, ${variant.file} missing)`);
    return false;
  });
  const samples = new Map(variants.map((variant) => [variant.name, { ms: [], rss: [], last: undefined }]));

  // One discarded round warms the file cache for every variant.
  for (const variant of variants) await spawnToToolsList(variant.file, variant.env);
  for (let round = 0; round < ROUNDS; round++) {
    for (let offset = 0; offset < variants.length; offset++) {
      const variant = variants[(round + offset) % variants.length];
      const sample = await spawnToToolsList(variant.file, variant.env);
      const bucket = samples.get(variant.name);
      bucket.ms.push(sample.ms);
      if (sample.rssKiB !== undefined) bucket.rss.push(sample.rssKiB / 1024);
      bucket.last = sample;
    }
  }

  const reference = samples.get("bare SDK (reference)");
  const refMs = reference ? summary(reference.ms).median : Number.NaN;
  const refRss = reference ? summary(reference.rss).median : Number.NaN;
  const rows = [];
  const data = {};
  for (const variant of variants) {
    const { ms, rss } = samples.get(variant.name);
    const time = summary(ms);
    const memory = summary(rss);
    data[variant.name] = { ms: time, rssMiB: memory };
    rows.push([
      variant.name,
      fmt(time.min),
      fmt(time.median),
      fmt(time.max),
      `${fmt(time.median / refMs, 2)} x`,
      fmt(memory.min),
      fmt(memory.median),
      fmt(memory.max),
      `${fmt(memory.median / refRss, 2)} x`,
    ]);
  }
  table(
    `Start-up: spawn → tools/list answered, and resident memory after it (${ROUNDS} interleaved rounds, ratios of medians vs bare SDK)`,
    ["process", "ms min", "ms med", "ms max", "ms ratio", "MiB min", "MiB med", "MiB max", "MiB ratio"],
    rows,
  );
  section("startup", { rounds: ROUNDS, ...data });

  // The bundled entry is what ships; the tsc entry is shown for comparison only.
  for (const name of ["product, bundled entry", "product, tsc entry"]) {
    const entry = data[name];
    if (!entry) continue;
    const timeRatio = entry.ms.median / refMs;
    const rssRatio = entry.rssMiB.median / refRss;
    const verdict = (met) => (name === "product, tsc entry" ? `(info: ${met ? "would meet" : "would not meet"})` : met);
    target(`spawn → tools/list (${name})`, `${fmt(entry.ms.median)} ms = ${fmt(timeRatio, 2)} x ref (${fmt(refMs)} ms)`, "≤ 1.1 x bare SDK", verdict(timeRatio <= 1.1));
    target(`resident memory (${name})`, `${fmt(entry.rssMiB.median)} MiB = ${fmt(rssRatio, 2)} x ref (${fmt(refRss)} MiB)`, "≤ 1.15 x bare SDK", verdict(rssRatio <= 1.15));
  }
  return samples.get("product, bundled entry")?.last ?? samples.get("product, tsc entry")?.last;
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

function benchToolsList(sample) {
  if (!sample) throw new Error("no product tools/list sample (product entry missing?)");
  const tools = sample.result.tools;
  const total = bytes(sample.result);
  const rows = tools.map((tool) => [
    tool.name,
    bytes(tool),
    bytes(tool.description ?? ""),
    bytes(tool.inputSchema),
    bytes(tool.outputSchema ?? {}),
    Math.round(bytes(tool) / 4),
  ]);
  rows.push(["(whole result)", total, "", "", "", Math.round(total / 4)]);
  table("tools/list result size (bytes; tokens ≈ bytes/4)", ["tool", "bytes", "description", "inputSchema", "outputSchema", "tokens"], rows);
  const undescribed = tools.flatMap((tool) => undescribedParameters(tool.inputSchema, tool.name, []));
  console.log(`parameters without a description: ${undescribed.length === 0 ? "none" : undescribed.join(", ")}`);
  section("toolsList", { bytes: total, tokens: Math.round(total / 4), tools: tools.length, undescribed, perTool: rows });
  target(
    "whole tools/list result",
    `${total} B ≈ ${Math.round(total / 4)} tokens, ${tools.length} tools, ${undescribed.length} parameters undescribed`,
    "≤ 12 KB (12,288 B), every parameter described",
    total <= 12 * 1024 && undescribed.length === 0,
  );
}

// ---- product over MCP: search, details, per-call overhead ----------------------------------------------

async function connectProduct(sandbox) {
  const entry = existsSync(BUNDLE) ? BUNDLE : TSC_ENTRY;
  const transport = new StdioClientTransport({ command: process.execPath, args: [entry], env: productEnv(sandbox, { LOG_LEVEL: "warn" }), cwd: root, stderr: "pipe" });
  let stderrTail = "";
  transport.stderr?.on("data", (chunk) => {
    stderrTail = (stderrTail + chunk).slice(-2000);
  });
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(transport);
  return { client, entry, stderr: () => stderrTail };
}

function sizeOfResult(result) {
  const structured = result.structuredContent === undefined ? 0 : bytes(result.structuredContent);
  const text = (result.content ?? []).filter((part) => part.type === "text").reduce((sum, part) => sum + bytes(part.text), 0);
  return { structured, text, total: structured + text };
}

function textOf(result) {
  return (result.content ?? [])
    .filter((part) => part.type === "text")
    .map((part) => part.text)
    .join("\n");
}

async function call(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} answered an error: ${textOf(result).slice(0, 300)}`);
  return result;
}

async function benchSearchAndDetails(sandbox) {
  const product = await connectProduct(sandbox);
  try {
    sandbox.resetStats();
    const searchArgs = { pageSize: 25 };
    const cold = await call(product.client, "autotask_search_tickets", searchArgs);
    const coldStats = sandbox.stats();
    sandbox.resetStats();
    const warm = await call(product.client, "autotask_search_tickets", searchArgs);
    const warmStats = sandbox.stats();
    sandbox.resetStats();
    await call(product.client, "autotask_search_tickets", { pageSize: 25, status: "open", priority: ["high", "critical"] });
    const warmOtherStats = sandbox.stats();

    const tickets = cold.structuredContent?.tickets ?? [];
    if (tickets.length === 0) throw new Error("the search returned no tickets");
    const size = sizeOfResult(warm);
    const perTicket = size.total / tickets.length;
    const nulls = emptyFields(warm.structuredContent);
    const labelled = tickets.filter((row) => row.status && row.priority && row.company).length;
    // Where the bytes go: JSON key names repeated on every row, and the paging cursor (once per page).
    const keyBytes = tickets.reduce((sum, row) => sum + Object.keys(row).reduce((inner, key) => inner + key.length + 3, 0), 0) / tickets.length;
    const cursorBytes = bytes(warm.structuredContent?.nextCursor ?? "");

    const routes = (stats) =>
      Object.entries(stats.byRoute)
        .map(([route, count]) => `${route} ×${count}`)
        .join(", ");
    table(
      `autotask_search_tickets, ${tickets.length} rows (product ${product.entry.replace(`${root}/`, "")}, sandbox 0 ms latency)`,
      ["figure", "value"],
      [
        ["result bytes: structured + text = total", `${size.structured} + ${size.text} = ${size.total}`],
        ["bytes per ticket (structured + text)", fmt(perTicket)],
        ["tokens per ticket (bytes/4)", fmt(perTicket / 4)],
        ["of which: structured per ticket / text per ticket", `${fmt(size.structured / tickets.length)} / ${fmt(size.text / tickets.length)}`],
        ["of which: JSON key names per row / nextCursor per page", `${fmt(keyBytes)} / ${cursorBytes}`],
        ["rows with status, priority and company labels", `${labelled} of ${tickets.length}`],
        ["null/empty fields in structured result", nulls.length === 0 ? "none" : `${nulls.length}: ${nulls.slice(0, 5).join(" ")}`],
        ["HTTP requests, cold server", `${coldStats.requests} (${routes(coldStats)})`],
        ["HTTP requests, warm, same search", `${warmStats.requests} (${routes(warmStats)})`],
        ["HTTP requests, warm, other filter", `${warmOtherStats.requests} (${routes(warmOtherStats)})`],
      ],
    );
    section("search", { rows: tickets.length, size, perTicket, keyBytesPerRow: keyBytes, cursorBytes, nulls, coldStats, warmStats, warmOtherStats });
    target(
      "25-row search result",
      `${fmt(perTicket)} B/ticket (structured ${size.structured} + text ${size.text} B), ${nulls.length} null/empty fields`,
      "≤ 200 B/ticket, labels and names, no null fields",
      perTicket <= 200 && nulls.length === 0 && labelled === tickets.length,
    );
    target("HTTP requests, one search, cold", String(coldStats.requests), "≤ 4", coldStats.requests <= 4, routes(coldStats));
    target(
      "HTTP requests, one search, warm",
      `${warmStats.requests} (same search), ${warmOtherStats.requests} (other filter)`,
      "≤ 2",
      warmStats.requests <= 2 && warmOtherStats.requests <= 2,
    );

    sandbox.resetStats();
    const details = await call(product.client, "autotask_get_ticket_details", { ticketId: tickets[0].id });
    const detailsStats = sandbox.stats();
    const detailsSize = sizeOfResult(details);
    const detailsEmpty = emptyFields(details.structuredContent);
    table(
      `autotask_get_ticket_details, ticket ${tickets[0].id}`,
      ["figure", "value"],
      [
        ["result bytes: structured + text = total", `${detailsSize.structured} + ${detailsSize.text} = ${detailsSize.total}`],
        ["tokens (bytes/4)", Math.round(detailsSize.total / 4)],
        ["null/empty fields in structured result", detailsEmpty.length === 0 ? "none" : `${detailsEmpty.length}: ${detailsEmpty.slice(0, 8).join(" ")}`],
        ["HTTP requests (warm server)", `${detailsStats.requests} (${routes(detailsStats)})`],
      ],
    );
    section("details", { size: detailsSize, empty: detailsEmpty, stats: detailsStats });
    target("ticket details", `${detailsSize.total} B, ${detailsEmpty.length} null/empty fields`, "no null or empty fields; size reported", detailsEmpty.length === 0);
  } finally {
    await product.client.close();
  }
}

async function benchCallOverhead(sandbox, autotask) {
  const product = await connectProduct(sandbox);
  const raw = new autotask.AutotaskClient({ credentials: sandbox.credentials, apiUrl: sandbox.apiUrl });
  const rawSpec = {
    filter: [autotask.gte("id", 0)],
    includeFields: ["id", "ticketNumber", "title", "status", "priority", "companyID", "assignedResourceID", "createDate", "dueDateTime"],
    maxRecords: 5,
  };
  const args = { pageSize: 5 };
  try {
    for (let i = 0; i < 20; i++) {
      await call(product.client, "autotask_search_tickets", args);
      await raw.queryTicketsPage(rawSpec);
    }
    const toolMs = [];
    const rawMs = [];
    sandbox.resetStats();
    const deadline = performance.now() + 90_000;
    for (let i = 0; i < CALLS && performance.now() < deadline; i++) {
      let started = performance.now();
      await call(product.client, "autotask_search_tickets", args);
      toolMs.push(performance.now() - started);
      started = performance.now();
      await raw.queryTicketsPage(rawSpec);
      rawMs.push(performance.now() - started);
    }
    const requests = sandbox.stats().requests - rawMs.length;
    const tool = summary(toolMs);
    const direct = summary(rawMs);
    table(
      `Per-call overhead: autotask_search_tickets pageSize 5 (warm) vs one raw client query, ${toolMs.length} calls each, interleaved`,
      ["measure", "p50 ms", "p99 ms", "max ms"],
      [
        ["MCP tool call, round trip over stdio", fmt(tool.median, 2), fmt(tool.p99, 2), fmt(tool.max, 2)],
        ["raw AutotaskClient.queryTicketsPage", fmt(direct.median, 2), fmt(direct.p99, 2), fmt(direct.max, 2)],
        ["difference (server + stdio overhead)", fmt(tool.median - direct.median, 2), fmt(tool.p99 - direct.p99, 2), ""],
      ],
    );
    console.log(`HTTP requests per warm tool call: ${fmt(requests / toolMs.length, 2)}`);
    section("callOverhead", { calls: toolMs.length, tool, raw: direct, requestsPerCall: requests / toolMs.length });
    target(
      "server-side overhead per tool call",
      `p50 ${fmt(tool.median - direct.median, 2)} ms, p99 ${fmt(tool.p99 - direct.p99, 2)} ms (call p50 ${fmt(tool.median, 2)} / p99 ${fmt(tool.p99, 2)} ms)`,
      "report p50/p99 over 1,000 calls",
      toolMs.length >= 1000 ? "reported" : `reported (${toolMs.length} calls)`,
    );
  } finally {
    await product.client.close();
    await raw.close();
  }
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
    let sample;
    if (wanted("startup") || wanted("toolslist")) {
      await guarded("start-up", async () => {
        sample = await benchStartup(sandbox);
      });
    }
    if (wanted("toolslist")) await guarded("tools/list size", async () => benchToolsList(sample));
    if (wanted("search")) await guarded("search and details", async () => benchSearchAndDetails(sandbox));
    if (wanted("overhead")) await guarded("per-call overhead", async () => benchCallOverhead(sandbox, autotask));
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
    "Targets (issue 6), this run",
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
