/**
 * Load campaign (issue 10): 2,000 tool calls, 200 at a time, through ONE server against the sandbox with
 * latency. All succeed; the sandbox never refuses a request for exceeding Autotask's thread limit of 3
 * per endpoint (autotask-api.md §7), which it enforces by answering the 4th concurrent request with
 * "Thread Threshold Exceeded"; so every request it counted was answered on the first attempt. The mix
 * includes POST /Tickets/{id}/Notes, which counts against Tickets as well as TicketNotes. The heap is
 * back to its baseline afterwards (no per-call leak).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Campaign, startCampaign, textOf } from "./support.js";
import { parseTicketPage } from "../support/rows.js";

const CALLS = 2_000;
const CONCURRENCY = 200;
const LATENCY_MS = 10;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

let campaign: Campaign;
let ticketIds: number[] = [];
beforeAll(async () => {
  campaign = await startCampaign({ sandbox: { tickets: 200, seed: 3 } });
  const page = await campaign.call("autotask_search_tickets", { pageSize: 50 });
  ticketIds = parseTicketPage(textOf(page)).rows.map((t) => t.id);
});
afterAll(async () => {
  await campaign.close();
});

function callFor(index: number): { name: string; args: Record<string, unknown> } {
  const ticketId = ticketIds[index % ticketIds.length]!;
  switch (index % 4) {
    case 0:
      return { name: "autotask_get_ticket_details", args: { ticketId, notesCount: 2 } };
    case 1:
      return { name: "autotask_search_tickets", args: { pageSize: 5, status: "open" } };
    case 2:
      return { name: "autotask_create_ticket_note", args: { ticketId, description: `Load note ${index}: checked the printer queue.` } };
    default:
      return { name: "autotask_search_companies", args: { name: "a" } };
  }
}

async function runLoad(from: number, count: number): Promise<Array<{ index: number; error: string }>> {
  const failures: Array<{ index: number; error: string }> = [];
  let next = from;
  const worker = async () => {
    while (next < from + count) {
      const index = next++;
      const { name, args } = callFor(index);
      try {
        const result = await campaign.call(name, args, 120_000);
        if (result.isError) failures.push({ index, error: `${name}: ${textOf(result).slice(0, 300)}` });
      } catch (error) {
        failures.push({ index, error: `${name}: ${String(error)}` });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

describe("load campaign", () => {
  it(`${CALLS} calls, ${CONCURRENCY} at a time, all succeed within the thread limit, memory back to baseline`, async () => {
    expect(ticketIds.length).toBeGreaterThan(10);
    // Warm-up: metadata caches, connections and JIT, so the baseline is the steady state.
    expect(await runLoad(0, 200)).toEqual([]);
    const baseline = heapAfterGc();
    campaign.sandbox.setFaults({ latencyMs: LATENCY_MS });
    const requestsBefore = campaign.api.requestCount;
    const sandboxBefore = campaign.sandbox.stats().requests;
    campaign.events.length = 0;

    const failures = await runLoad(200, CALLS);
    campaign.sandbox.setFaults({});

    expect(failures.slice(0, 5), `${failures.length} of ${CALLS} calls failed`).toEqual([]);
    // No refusal at all: no retried attempt, no non-2xx answer (a Thread Threshold Exceeded would be a 500).
    const refused = campaign.events.filter((event) => event.outcome !== "ok");
    expect(refused.slice(0, 5), `${refused.length} attempts were refused or failed`).toEqual([]);
    const sent = campaign.api.requestCount - requestsBefore;
    expect(campaign.sandbox.stats().requests - sandboxBefore).toBe(sent);
    const notes = campaign.events.filter((event) => event.method === "POST" && /\/Notes$/.test(event.path));
    expect(notes.length).toBe(CALLS / 4);
    // Where the sandbox reports its peak concurrency per endpoint, check it directly too.
    const peaks = Object.entries(campaign.sandbox.stats() as unknown as Record<string, unknown>).find(([key]) => /inflight/i.test(key))?.[1];
    if (peaks && typeof peaks === "object") {
      for (const [endpoint, peak] of Object.entries(peaks as Record<string, number>)) expect(peak, endpoint).toBeLessThanOrEqual(3);
    }

    campaign.events.length = 0;
    const after = heapAfterGc();
    // 500 new notes stay in the sandbox (same process); a leak per call would be far above this margin.
    expect(after - baseline, `heap grew from ${baseline} to ${after} bytes`).toBeLessThan(32 * 1024 * 1024);
  }, 240_000);
});
