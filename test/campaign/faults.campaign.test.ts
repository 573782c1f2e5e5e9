/**
 * Write-fault campaign (issue 10): every write tool and every read tool against every fault the
 * sandbox injects (429 with Retry-After, Thread Threshold Exceeded, a 503 burst, latency past the
 * client's attempt timeout, commit-then-drop, connection reset before processing). After each, the
 * sandbox holds exactly the intended records (no duplicate, nothing lost), the answer is true about
 * what happened (a success names the record that exists; an unsure answer says "Outcome unknown" and
 * never "not saved"), and a retry after "outcome unknown" converges on the one record.
 *
 * autotask_escalate_tickets is campaigned too, with the fault on its note and on its status PATCH.
 *
 * Faults are aimed at one request: a wrapper around `fetch` switches the sandbox's own fault
 * settings on just before the aimed request goes out (for `count` such requests) and off for every
 * other one. Loopback only; bounded (attempt timeout 400 ms, settle time 1.5 s).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ESCALATION_NOTE_TITLE } from "../../src/desk/reports/escalations.js";
import type { SandboxFaults } from "../../src/sandbox/server.js";
import { type Campaign, startCampaign, textOf } from "./support.js";

type Row = Record<string, unknown>;
type Aim = (method: string, path: string) => boolean;

const ATTEMPT_TIMEOUT_MS = 400;
const SETTLE_MS = 1_500;

let campaign: Campaign;
let aimed: { aim: Aim; faults: SandboxFaults; remaining: number } | undefined;
/** Requests the aimed fault was switched on for: a fault that never fired would make a test vacuous. */
let fired = 0;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  campaign = await startCampaign({
    sandbox: { tickets: 60, seed: 11 },
    client: {
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      retry: { baseDelayMs: 20, maxDelayMs: 80, maxRetryAfterMs: 2_000 },
      thresholdRefreshEveryRequests: false,
    },
    settings: { writeSettleMs: SETTLE_MS, writeRecoveryDelaysMs: [150, 400] },
  });
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    if (aimed && aimed.remaining > 0 && aimed.aim(method, url.pathname)) {
      aimed.remaining -= 1;
      fired += 1;
      campaign.sandbox.setFaults(aimed.faults);
    } else {
      campaign.sandbox.setFaults({});
    }
    return realFetch(input, init);
  }) as typeof fetch;
  // Metadata and names load once, before any fault.
  await campaign.call("autotask_get_ticket_details", { ticketId: firstTicketId() });
});
afterEach(() => {
  aimed = undefined;
  campaign.sandbox.setFaults({});
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await campaign?.close();
});

function firstTicketId(): number {
  return (campaign.sandbox.store.tickets()[0] as Row).id as number;
}

function companyId(): number {
  return (campaign.sandbox.store.companies().find((c: Row) => c.id !== 0) as Row).id as number;
}

function aim(faults: SandboxFaults, where: Aim, count = 1) {
  aimed = { aim: where, faults, remaining: count };
  fired = 0;
}

const anyRequest: Aim = () => true;
const ticketPost: Aim = (method, path) => method === "POST" && /\/Tickets$/.test(path);
const ticketPatch: Aim = (method, path) => method === "PATCH" && /\/Tickets$/.test(path);
const notePost: Aim = (method, path) => method === "POST" && /\/Tickets\/\d+\/Notes$/.test(path);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The faults, and what a write under each one may truthfully answer. */
const FAULTS: Array<{ name: string; faults: SandboxFaults; count: number; certain: boolean; provable?: boolean }> = [
  { name: "429 with Retry-After", faults: { rate429: 1, retryAfterSeconds: 1 }, count: 1, certain: true },
  { name: "thread threshold", faults: { rateThreadThreshold: 1 }, count: 2, certain: true },
  { name: "503 burst", faults: { rate503: 1 }, count: 2, certain: false },
  { name: "latency past the attempt timeout", faults: { latencyMs: 700 }, count: 1, certain: false },
  // Saved at once: reading back proves it within the same call, so the first answer is already a success.
  { name: "commit-then-drop", faults: { commitThenDropRate: 1 }, count: 1, certain: false, provable: true },
  { name: "connection reset before processing", faults: { resetBeforeProcessingRate: 1 }, count: 1, certain: false },
];

/**
 * Calls a write tool; on "Outcome unknown" checks that the answer is unsure (never "not saved") and
 * calls again, after the settle time when needed, until it succeeds. Returns every answer.
 */
async function writeUntilKnown(name: string, args: Row): Promise<{ answers: string[]; final: Row; finalText: string }> {
  const answers: string[] = [];
  for (let round = 0; round < 4; round++) {
    const result = await campaign.call(name, args, 20_000);
    if (round === 0) expect(fired, "the aimed fault hit the write").toBeGreaterThan(0);
    const text = textOf(result);
    answers.push(text);
    if (!result.isError) return { answers, final: result.structuredContent as Row, finalText: text };
    expect(text, "an error after a write is either a certain refusal or an unknown outcome").toMatch(/Outcome (still )?unknown/);
    expect(text).not.toMatch(/not saved|was not created|safe to call again/i);
    aimed = undefined;
    await sleep(SETTLE_MS + 100);
  }
  throw new Error(`${name} never converged: ${answers.join(" | ")}`);
}

describe.each(FAULTS)("write tools under $name", ({ name: fault, faults, count, certain, provable }) => {
  it("autotask_create_ticket: exactly one ticket, and the answer names it", async () => {
    const title = `Fault ${fault} create ${Date.now()}`;
    aim(faults, ticketPost, count);
    const { answers, final } = await writeUntilKnown("autotask_create_ticket", {
      companyID: companyId(),
      title,
      description: `Created under ${fault}.`,
      priority: "Low",
    });
    if (certain || provable) expect(answers, "Autotask refused for certain, so the call succeeds at once").toHaveLength(1);
    await sleep(800); // a held request commits late: give it the time to land before counting
    const saved = campaign.sandbox.store.tickets().filter((t: Row) => t.title === title);
    expect(saved, "no duplicate, nothing lost").toHaveLength(1);
    expect((final.ticket as Row).id).toBe((saved[0] as Row).id);
    expect((saved[0] as Row).externalID).toMatch(/^mcp:[0-9a-f]{40}(\.\d+)?$/);
    if (answers.length > 1) expect(final.alreadyExisted || answers.length > 1).toBe(true);
  });

  it("autotask_create_ticket_note: exactly one note, and the answer names it", async () => {
    const ticketId = firstTicketId();
    const description = `Fault ${fault} note ${Date.now()}: rebooted the switch.`;
    aim(faults, notePost, count);
    const { answers, final } = await writeUntilKnown("autotask_create_ticket_note", { ticketID: ticketId, description });
    if (certain || provable) expect(answers).toHaveLength(1);
    await sleep(800);
    const saved = campaign.sandbox.store.notesFor(ticketId).filter((n: Row) => n.description === description);
    expect(saved, "no duplicate, nothing lost").toHaveLength(1);
    expect(final.noteID).toBe((saved[0] as Row).id);
  });

  it("autotask_update_ticket (escalation with reason): status applied once, one reason note", async () => {
    const created = await campaign.call("autotask_create_ticket", { companyID: companyId(), title: `Escalate under ${fault} ${Date.now()}`, priority: "Low" });
    const ticketId = ((created.structuredContent as Row).ticket as Row).id as number;
    const reason = `Escalated under ${fault}: needs the network team.`;
    aim(faults, ticketPatch, count);
    const { answers, final } = await writeUntilKnown("autotask_update_ticket", { ticketID: ticketId, status: "escalated", escalationReason: reason });
    if (certain || provable) expect(answers).toHaveLength(1);
    await sleep(800);
    const ticket = campaign.sandbox.store.getTicket(ticketId) as Row;
    expect(((final.ticket as Row).status as Row | undefined)?.label ?? (final.ticket as Row).status).toBeDefined();
    expect(ticket.status).not.toBe(1);
    const notes = campaign.sandbox.store.notesFor(ticketId).filter((n: Row) => n.description === reason);
    expect(notes, "one escalation note").toHaveLength(1);
    expect(final.escalationNoteID).toBe((notes[0] as Row).id);
  });

  it("autotask_update_ticket: the escalation note under the fault; applied part reported, retry completes the rest", async () => {
    const created = await campaign.call("autotask_create_ticket", { companyID: companyId(), title: `Escalate note under ${fault} ${Date.now()}`, priority: "Low" });
    const ticketId = ((created.structuredContent as Row).ticket as Row).id as number;
    const reason = `Reason under ${fault}: vendor escalation.`;
    aim(faults, notePost, count);
    const { answers, final } = await writeUntilKnown("autotask_update_ticket", { ticketID: ticketId, status: "escalated", escalationReason: reason });
    if (answers.length > 1) {
      expect(answers[0], "the first answer says what was applied").toMatch(/Applied to ticket \d+: status/);
      expect(answers[0]).toMatch(/Not confirmed: the escalation-reason note/);
      expect(final.changed, "the retry does not repeat the applied part").toEqual([]);
    }
    await sleep(800);
    expect(campaign.sandbox.store.notesFor(ticketId).filter((n: Row) => n.description === reason)).toHaveLength(1);
  });
});

/**
 * Calls autotask_escalate_tickets for one ticket until its outcome is known: an "unknown" outcome
 * must say so (never "not saved") and is retried after the settle time. Returns every result row.
 */
async function escalateUntilKnown(ticketId: number, reason: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let round = 0; round < 4; round++) {
    const result = await campaign.call("autotask_escalate_tickets", { ticketIDs: [ticketId], reason }, 20_000);
    if (round === 0) expect(fired, "the aimed fault hit the escalation's write").toBeGreaterThan(0);
    expect(result.isError, textOf(result)).toBeFalsy();
    const row = ((result.structuredContent as Row).results as Row[])[0] as Row;
    rows.push(row);
    if (row.outcome !== "unknown") return rows;
    expect(row.detail, "an unknown outcome says so and what was applied").toMatch(/Outcome (still )?unknown/);
    expect(row.detail).toMatch(/Applied: internal note \d+|Not applied: the status change/);
    expect(row.detail).not.toMatch(/not saved|was not created/i);
    aimed = undefined;
    await sleep(SETTLE_MS + 100);
  }
  throw new Error(`autotask_escalate_tickets never converged: ${JSON.stringify(rows)}`);
}

describe.each(FAULTS)("autotask_escalate_tickets under $name", ({ name: fault, faults, count, certain, provable }) => {
  const targets: Array<[string, Aim]> = [
    ["the escalation note", notePost],
    ["the status PATCH", ticketPatch],
  ];
  it.each(targets)("fault on %s: one Escalated status change, one escalation note, a true answer, a converging retry", async (_what, where) => {
    const created = await campaign.call("autotask_create_ticket", { companyID: companyId(), title: `Sweep-escalate under ${fault} ${Date.now()}`, priority: "Low" });
    const ticketId = ((created.structuredContent as Row).ticket as Row).id as number;
    const before = (campaign.sandbox.store.getTicket(ticketId) as Row).status;
    const reason = `Escalated by the sweep under ${fault}.`;
    aim(faults, where, count);
    const rows = await escalateUntilKnown(ticketId, reason);
    if (certain || provable) expect(rows, "Autotask refused for certain or the read-back proved it: one call").toHaveLength(1);
    const last = rows.at(-1) as Row;
    // A status held past the read-backs may land before the retry: then the retry finds it escalated.
    expect(["escalated", "already_escalated"]).toContain(last.outcome);
    if (rows.length === 1) expect(last.outcome).toBe("escalated");
    await sleep(800); // a held request commits late: give it the time to land before counting
    const notes = campaign.sandbox.store.notesFor(ticketId).filter((n: Row) => n.title === ESCALATION_NOTE_TITLE);
    expect(notes, "exactly one escalation note").toHaveLength(1);
    expect(notes[0] as Row).toMatchObject({ publish: expect.any(Number) });
    expect(String((notes[0] as Row).description)).toContain(reason);
    const noteIds = rows.flatMap((r) => (typeof r.noteId === "number" ? [r.noteId] : []));
    for (const noteId of noteIds) expect(noteId, "every answer names the one note").toBe((notes[0] as Row).id);
    const after = campaign.sandbox.store.getTicket(ticketId) as Row;
    expect(after.status, "the status changed").not.toBe(before);
    // Calling again writes nothing: the ticket is in the Escalated status, and the note stays single.
    const again = await campaign.call("autotask_escalate_tickets", { ticketIDs: [ticketId], reason }, 20_000);
    expect(((again.structuredContent as Row).results as Row[])[0]).toMatchObject({ outcome: "already_escalated" });
    expect(campaign.sandbox.store.notesFor(ticketId).filter((n: Row) => n.title === ESCALATION_NOTE_TITLE)).toHaveLength(1);
    expect((campaign.sandbox.store.getTicket(ticketId) as Row).status).toBe(after.status);
  });
});

describe.each(FAULTS)("read tools under $name", ({ faults }) => {
  const reads: Array<[string, () => Row]> = [
    ["autotask_search_tickets", () => ({ pageSize: 5, status: "open" })],
    ["autotask_get_ticket_details", () => ({ ticketId: firstTicketId(), notesCount: 2 })],
    ["autotask_search_companies", () => ({ name: "a" })],
    ["autotask_search_resources", () => ({ name: "a" })],
  ];
  it.each(reads)("%s answers, and nothing is written", async (tool, args) => {
    const before = campaign.sandbox.store.tickets().length;
    aim(faults, anyRequest, 2);
    const result = await campaign.call(tool, args(), 20_000);
    expect(fired, "the fault hit the read").toBeGreaterThan(0);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(campaign.sandbox.store.tickets()).toHaveLength(before);
  });
});

describe("a retry after 'outcome unknown' converges on the one record the first attempt saved", () => {
  it("a create held past every read-back commits late; the answer is unknown, the retry returns that ticket", async () => {
    const title = `Late commit ${Date.now()}`;
    const args = { companyID: companyId(), title, priority: "Low" };
    aim({ latencyMs: 1_600 }, ticketPost);
    const first = await campaign.call("autotask_create_ticket", args, 20_000);
    expect(first.isError).toBe(true);
    expect(textOf(first)).toMatch(/Outcome unknown/);
    expect(textOf(first)).toMatch(/externalID "mcp:[0-9a-f]{40}"/);
    expect(textOf(first)).not.toMatch(/not saved|safe to call again/i);
    aimed = undefined;
    await sleep(1_000); // the held request commits now
    const retry = await campaign.call("autotask_create_ticket", args, 20_000);
    expect(retry.isError, textOf(retry)).toBeFalsy();
    const saved = campaign.sandbox.store.tickets().filter((t: Row) => t.title === title);
    expect(saved).toHaveLength(1);
    expect(((retry.structuredContent as Row).ticket as Row).id).toBe((saved[0] as Row).id);
    expect((retry.structuredContent as Row).alreadyExisted).toBe(true);
  });

  it("a retry before the late commit writes nothing ('still unknown'); the one after it returns the ticket", async () => {
    const title = `Retry before the late commit ${Date.now()}`;
    const args = { companyID: companyId(), title, priority: "Low" };
    aim({ latencyMs: 2_500 }, ticketPost);
    const first = await campaign.call("autotask_create_ticket", args, 20_000);
    expect(textOf(first)).toMatch(/Outcome unknown/);
    aimed = undefined;
    const early = await campaign.call("autotask_create_ticket", args, 20_000);
    expect(early.isError).toBe(true);
    expect(textOf(early)).toMatch(/Outcome still unknown/);
    expect(textOf(early)).not.toMatch(/not saved/i);
    await sleep(2_000); // the held request commits now
    const retry = await campaign.call("autotask_create_ticket", args, 20_000);
    expect(retry.isError, textOf(retry)).toBeFalsy();
    await sleep(300);
    const saved = campaign.sandbox.store.tickets().filter((t: Row) => t.title === title);
    expect(saved, "no duplicate").toHaveLength(1);
    expect(((retry.structuredContent as Row).ticket as Row).id).toBe((saved[0] as Row).id);
  });

  it("an idempotencyKey reused with other content is refused, naming the first ticket", async () => {
    const key = `idem-${Date.now()}`;
    const first = await campaign.call("autotask_create_ticket", { companyID: companyId(), title: `Keyed ${key}`, priority: "Low", idempotencyKey: key });
    const number = ((first.structuredContent as Row).ticket as Row).ticketNumber as string;
    const second = await campaign.call("autotask_create_ticket", { companyID: companyId(), title: `Other ${key}`, priority: "Low", idempotencyKey: key });
    expect(second.isError).toBe(true);
    expect(textOf(second)).toContain(number);
    expect(campaign.sandbox.store.tickets().filter((t: Row) => t.title === `Other ${key}`)).toHaveLength(0);
  });

  it("an identical note without a key is taken as a retry and says how to add it anyway; a new key adds it", async () => {
    const ticketId = firstTicketId();
    const description = `Repeat note ${Date.now()}`;
    await campaign.call("autotask_create_ticket_note", { ticketID: ticketId, description });
    const again = await campaign.call("autotask_create_ticket_note", { ticketID: ticketId, description });
    expect((again.structuredContent as Row).alreadyExisted).toBe(true);
    expect(textOf(again)).toMatch(/taken as a retry.*new idempotencyKey/s);
    const keyed = await campaign.call("autotask_create_ticket_note", { ticketID: ticketId, description, idempotencyKey: "on purpose" });
    expect((keyed.structuredContent as Row).alreadyExisted).toBe(false);
    expect(campaign.sandbox.store.notesFor(ticketId).filter((n: Row) => n.description === description)).toHaveLength(2);
  });
});
