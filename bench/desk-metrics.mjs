#!/usr/bin/env node
/**
 * `node bench/desk-metrics.mjs`: autotask_ticket_metrics over 10,000 tickets through the MCP tool,
 * against the same-run bare paging of the same query (issue 12's budget), and the memory of a
 * 100,000-ticket call (`--100k`).
 *
 * Everything is in this process on 127.0.0.1: the sandbox (50 ms latency per request, like a remote
 * API), the real Autotask client, and the real MCP server joined to an SDK client in memory. Figures:
 * - requests by route during the tool call (ticket pages, count, ServiceLevelAgreementResults);
 * - requests in flight, counted around fetch (the client looks fetch up on globalThis per call), in
 *   total and per endpoint;
 * - wall time of the tool call (warm metadata, with a progress token) / wall time of bare paging of
 *   the same query with the same IncludeFields, medians of alternating rounds.
 * Targets (issue 12): ≤ 21 ticket requests + 1 per 500 tickets with an SLA, ≤ 3 in flight, ratio ≤ 1.3.
 *
 * Needs `npm run build` first (imports dist/).
 */
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import pino from "pino";

const dist = new URL("../dist/", import.meta.url);
const { startSandbox } = await import(new URL("sandbox/index.js", dist).href);
const { AutotaskClient } = await import(new URL("autotask/client.js", dist).href);
const { createServer } = await import(new URL("server.js", dist).href);
const { createDesk } = await import(new URL("desk/index.js", dist).href);
const { DEFAULT_CALENDAR } = await import(new URL("domain/calendar.js", dist).href);
const { METRIC_FIELDS } = await import(new URL("desk/reports/metrics.js", dist).href);

const rounds = Number(process.argv.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 3);
const with100k = process.argv.includes("--100k");

let inFlight = 0;
let maxInFlight = 0;
const perEndpoint = new Map();
let maxPerEndpoint = 0;
const sentTo = new Map();
const originalFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  const endpoint = new URL(String(url)).pathname.split("/V1.0/")[1]?.split("/")[0] ?? "?";
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  perEndpoint.set(endpoint, (perEndpoint.get(endpoint) ?? 0) + 1);
  sentTo.set(endpoint, (sentTo.get(endpoint) ?? 0) + 1);
  maxPerEndpoint = Math.max(maxPerEndpoint, perEndpoint.get(endpoint));
  try {
    const response = await originalFetch(url, init);
    const body = await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } finally {
    inFlight--;
    perEndpoint.set(endpoint, perEndpoint.get(endpoint) - 1);
  }
};
const resetInFlight = () => {
  sentTo.clear();
  maxInFlight = 0;
  maxPerEndpoint = 0;
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
};

async function setUp(tickets) {
  const startedAt = performance.now();
  const sandbox = await startSandbox({ port: 0, tickets, seed: 11, faults: { latencyMs: 50 }, hourlyThreshold: 10_000_000 });
  const generateMs = performance.now() - startedAt;
  const api = new AutotaskClient({ credentials: sandbox.credentials, apiUrl: sandbox.apiUrl });
  const settings = { readOnly: true, calendar: DEFAULT_CALENDAR, mappingOverrides: {}, defaultNotesInDetails: 5, duplicateWindowMs: 60_000 };
  const server = createServer(createDesk(api, settings, undefined, { logger: pino({ level: "silent" }) }));
  const client = new Client({ name: "desk-bench", version: "1.0.0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(a), server.connect(b)]);
  await client.listTools();
  // Warm metadata: the picklists the metrics read are loaded once per process.
  await client.callTool({ name: "autotask_list_picklists", arguments: {} });
  return {
    sandbox,
    api,
    client,
    generateMs,
    async close() {
      await client.close();
      await server.close();
      await api.close();
      await sandbox.close();
    },
  };
}

async function barePaging(api) {
  let count = 0;
  for await (const page of api.queryTickets({ filter: [{ op: "exist", field: "id" }], includeFields: METRIC_FIELDS, maxRecords: 500 }, { maxTotal: 1e9 })) {
    count += page.length;
  }
  return count;
}

async function toolCall(client, onProgress) {
  const result = await client.callTool({ name: "autotask_ticket_metrics", arguments: {} }, undefined, { onprogress: onProgress ?? (() => {}), timeout: 600_000 });
  if (result.isError) throw new Error(result.content[0]?.text);
  return result.structuredContent;
}

const env = await setUp(10_000);
try {
  const bareMs = [];
  const toolMs = [];
  let routes = {};
  let slaRequests = 0;
  let toolInFlight = 0;
  let toolPerEndpoint = 0;
  let bareInFlight = 0;
  let report;
  let progressEvents = 0;
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so that drift on a shared machine hits both sides.
    const order = round % 2 === 0 ? ["bare", "tool"] : ["tool", "bare"];
    for (const side of order) {
      resetInFlight();
      env.sandbox.resetStats();
      const started = performance.now();
      if (side === "bare") {
        await barePaging(env.api);
        bareMs.push(performance.now() - started);
        bareInFlight = Math.max(bareInFlight, maxInFlight);
      } else {
        progressEvents = 0;
        report = await toolCall(env.client, () => progressEvents++);
        toolMs.push(performance.now() - started);
        routes = env.sandbox.stats().byRoute;
        slaRequests = sentTo.get("ServiceLevelAgreementResults") ?? 0;
        toolInFlight = Math.max(toolInFlight, maxInFlight);
        toolPerEndpoint = Math.max(toolPerEndpoint, maxPerEndpoint);
      }
    }
  }
  const ticketRequests = Object.entries(routes)
    .filter(([route]) => /\/Tickets\/query/.test(route))
    .reduce((sum, [, n]) => sum + n, 0);
  const withSla = report.sources.ticketsWithSla;
  const ratio = median(toolMs) / median(bareMs);
  const rows = [
    ["tickets", report.total],
    ["sandbox start (10,000 tickets)", `${env.generateMs.toFixed(0)} ms`],
    ["requests during the tool call by route", Object.entries(routes).map(([r, n]) => `${r} ×${n}`).join(", ")],
    ["ticket requests (pages + count)", `${ticketRequests} (budget ${21})`],
    ["ServiceLevelAgreementResults requests", `${slaRequests} for ${withSla} tickets with an SLA (budget ${Math.ceil(withSla / 500)})${report.sources.slaResultsUnavailable ? "; the sandbox does not serve the entity yet (404), ticket flags used" : ""}`],
    ["max requests in flight: tool call total / per endpoint", `${toolInFlight} / ${toolPerEndpoint} (budget 3)`],
    ["max requests in flight: bare paging", bareInFlight],
    ["progress notifications", progressEvents],
    ["bare paging, median", `${median(bareMs).toFixed(0)} ms (${bareMs.map((v) => v.toFixed(0)).join(", ")})`],
    ["tool call, median", `${median(toolMs).toFixed(0)} ms (${toolMs.map((v) => v.toFixed(0)).join(", ")})`],
    ["ratio tool / bare paging (same run)", `${ratio.toFixed(2)} x (budget 1.3 x)`],
  ];
  console.log("autotask_ticket_metrics over 10,000 tickets (sandbox, 50 ms latency, warm metadata)");
  for (const [k, v] of rows) console.log(`  ${k.padEnd(58)} ${v}`);
  const met = ticketRequests <= 21 && slaRequests <= Math.max(1, Math.ceil(withSla / 500)) && toolPerEndpoint <= 3 && ratio <= 1.3;
  console.log(`  ${"budgets".padEnd(58)} ${met ? "met" : "NOT met"}`);
} finally {
  await env.close();
}

if (with100k) {
  const big = await setUp(100_000);
  try {
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const report = await toolCall(big.client, () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    });
    console.log("autotask_ticket_metrics over 100,000 tickets");
    console.log(`  ${"tickets".padEnd(58)} ${report.total}`);
    console.log(`  ${"sandbox start".padEnd(58)} ${big.generateMs.toFixed(0)} ms`);
    console.log(`  ${"heap growth during the call (peak, sampled per page)".padEnd(58)} ${((peak - before) / 1048576).toFixed(1)} MiB (the sandbox's own data lives in the same heap)`);
  } finally {
    await big.close();
  }
}
