/**
 * Secrets campaign (issue 10): with logging at trace, every error path (refused arguments, not found,
 * Autotask validation errors, 429 with Retry-After, Thread Threshold Exceeded, 503 bursts, latency past
 * the attempt timeout, commit-then-drop, connection refused, wrong secret, wrong integration code) is
 * driven through every tool, and neither the secret nor the integration code appears in any log line or
 * any tool result, in any encoding (verbatim, JSON-escaped once or twice, URL-encoded, base64).
 * The credentials contain the characters that JSON and URLs escape, so an encoded leak is caught.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, describe, expect, it } from "vitest";
import type { SandboxFaults } from "../../src/sandbox/server.js";
import { type Campaign, startCampaign, textOf } from "./support.js";
import { listedIds, parseTicketPage } from "../support/rows.js";

const SECRET = 'Qz8"tricky\\Secret/+= é';
const CODE = 'Wk4"intcode\\X/+=';
const USERNAME = "campaign-api@example.com";

function forms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  return [
    value,
    escaped,
    JSON.stringify(escaped).slice(1, -1),
    encodeURIComponent(value),
    Buffer.from(value).toString("base64"),
    // Distinctive fragments: any encoding that keeps letters keeps these.
    "tricky",
    "intcode",
  ];
}

const LEAK_FORMS = [...forms(SECRET), ...forms(CODE)];

function leaksIn(text: string): string[] {
  return LEAK_FORMS.filter((form) => text.includes(form));
}

interface Observed {
  label: string;
  results: CallToolResult[];
}

const observed: Observed[] = [];
const campaigns: Campaign[] = [];

async function campaignWith(options: { credentials?: { username: string; secret: string; integrationCode: string } } = {}) {
  const campaign = await startCampaign({
    logLevel: "trace",
    sandbox: { tickets: 40, seed: 9, credentials: { username: USERNAME, secret: SECRET, integrationCode: CODE } },
    client: { attemptTimeoutMs: 300, deadlineMs: 2_500, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 } },
    credentials: options.credentials ?? { username: USERNAME, secret: SECRET, integrationCode: CODE },
  });
  campaigns.push(campaign);
  return campaign;
}

afterAll(async () => {
  for (const campaign of campaigns) await campaign.close().catch(() => undefined);
});

/** One call of every tool, with arguments that reach Autotask (and one refused at the boundary). */
async function everyTool(campaign: Campaign, ticketId: number, companyID: number): Promise<CallToolResult[]> {
  const calls: Array<[string, Record<string, unknown>]> = [
    ["autotask_search_tickets", { pageSize: 3, searchTerm: "printer" }],
    ["autotask_get_ticket_details", { ticketId }],
    ["autotask_get_ticket_details", { ticketId: 987_654_321 }],
    ["autotask_search_companies", { name: "a" }],
    ["autotask_search_resources", { name: "a" }],
    ["autotask_create_ticket", { companyID, title: `Campaign ticket ${Math.random()}` }],
    ["autotask_create_ticket", { companyID: 999_999_999, title: "No such company" }],
    ["autotask_update_ticket", { ticketId, title: `Renamed ${Math.random()}` }],
    ["autotask_create_ticket_note", { ticketId, description: `Campaign note ${Math.random()}` }],
    ["autotask_update_ticket", { ticketId, status: "no-such-status" }],
    ["autotask_search_tickets", { pageSize: "ten", __proto__x: 1 }],
  ];
  const results: CallToolResult[] = [];
  for (const [name, args] of calls) results.push(await campaign.call(name, args, 20_000));
  return results;
}

function record(label: string, results: CallToolResult[]) {
  observed.push({ label, results });
}

describe("secrets campaign: no credential in any log line or result, through every error path", () => {
  it("drives every tool through every fault the sandbox injects", async () => {
    const campaign = await campaignWith();
    const tickets = await campaign.call("autotask_search_tickets", { pageSize: 1 });
    const ticketId = parseTicketPage(textOf(tickets)).rows[0]!.id;
    const companies = await campaign.call("autotask_search_companies", { name: "a" });
    const companyID = listedIds(textOf(companies))[0]!;

    const faults: Array<[string, SandboxFaults]> = [
      ["no fault", {}],
      ["429 with Retry-After", { rate429: 1, retryAfterSeconds: 1 }],
      ["thread threshold", { rateThreadThreshold: 1 }],
      ["503 burst", { rate503: 1 }],
      ["latency past the attempt timeout", { latencyMs: 600 }],
      ["commit then drop", { commitThenDropRate: 1 }],
    ];
    for (const [label, fault] of faults) {
      campaign.sandbox.setFaults(fault);
      record(label, await everyTool(campaign, ticketId, companyID));
    }
    campaign.sandbox.setFaults({});
    // The error paths were really taken: most calls under the failing faults are errors.
    const errors = observed.filter((o) => o.label !== "no fault").flatMap((o) => o.results.filter((r) => r.isError));
    expect(errors.length).toBeGreaterThan(20);

    // Connection refused: the sandbox is gone.
    await campaign.sandbox.close();
    record("connection refused", await everyTool(campaign, ticketId, companyID));
    expect(observed.at(-1)!.results.every((r) => r.isError)).toBe(true);

    for (const line of campaign.logLines) expect(leaksIn(line), line.slice(0, 400)).toEqual([]);
    expect(campaign.logLines.length).toBeGreaterThan(50);
  }, 120_000);

  it.each([
    ["wrong secret", { username: USERNAME, secret: 'Qz8"tricky\\WRONG/+=', integrationCode: CODE }],
    ["wrong integration code", { username: USERNAME, secret: SECRET, integrationCode: 'Wk4"intcode\\WRONG' }],
  ])("%s: the refusal names neither credential", async (label, credentials) => {
    const campaign = await campaignWith({ credentials });
    const results = await everyTool(campaign, 1, 1);
    record(label, results);
    expect(results.filter((r) => r.isError).length).toBeGreaterThan(5);
    for (const line of campaign.logLines) expect(leaksIn(line), line.slice(0, 400)).toEqual([]);
  }, 60_000);

  it("no tool result of any path contains a credential", () => {
    expect(observed.length).toBeGreaterThanOrEqual(9);
    for (const { label, results } of observed) {
      for (const result of results) {
        const everything = `${textOf(result)}\n${JSON.stringify(result.structuredContent ?? {})}`;
        expect(leaksIn(everything), `${label}: ${everything.slice(0, 300)}`).toEqual([]);
      }
    }
  });
});
