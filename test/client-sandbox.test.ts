/**
 * The client against the sandbox over real HTTP: paging a large result, retrying through injected
 * rate limits and thread-threshold errors, and never duplicating a create when the connection drops
 * after Autotask saved it (neither in the client nor in autotask_create_ticket).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AutotaskClient } from "../src/autotask/client.js";
import { AutotaskNetworkError } from "../src/autotask/errors.js";
import type { Ticket } from "../src/autotask/schemas.js";
import { type SandboxHandle, startSandbox } from "../src/sandbox/index.js";
import { startHarness, textOf } from "./support/harness.js";

type Row = Record<string, any>;

describe("AutotaskClient against the sandbox", () => {
  let sandbox: SandboxHandle;
  let client: AutotaskClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, tickets: 1_200, seed: 3 });
    client = new AutotaskClient({
      credentials: sandbox.credentials,
      apiUrl: sandbox.apiUrl,
      // Keep waits short: the sandbox asks for Retry-After 1 s; the policy may clamp it.
      retry: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 30, maxAttempts: 8 },
    });
  });
  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  it("pages through 1,200 tickets in pages of 500, re-POSTing the body to nextPageUrl", async () => {
    sandbox.resetStats();
    const seen: Ticket[] = [];
    const pageSizes: number[] = [];
    for await (const page of client.queryTickets({ filter: [{ op: "exist", field: "id" }], includeFields: ["id", "status"] }, { maxTotal: 5_000 })) {
      pageSizes.push(page.length);
      seen.push(...page);
    }
    const total = await client.countTickets({ filter: [{ op: "exist", field: "id" }] });
    expect(total).toBe(sandbox.store.tickets().length);
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((t) => t.id)).size).toBe(total);
    expect(pageSizes.slice(0, 2)).toEqual([500, 500]);
    expect(sandbox.stats().byRoute["POST /Tickets/query/next"]).toBe(pageSizes.length - 1);
  });

  it("gets through injected 429s and thread-threshold errors by retrying reads", async () => {
    const ids = sandbox.store.tickets().slice(0, 30).map((t: Row) => t.id as number);
    sandbox.setFaults({ rate429: 0.25, rateThreadThreshold: 0.25 });
    sandbox.resetStats();
    try {
      const tickets = await Promise.all(ids.map((id) => client.getTicket(id)));
      expect(tickets.map((t) => t?.id)).toEqual(ids);
      expect(sandbox.stats().requests).toBeGreaterThan(ids.length);
    } finally {
      sandbox.setFaults({});
    }
  });

  it("does not retry a create whose connection dropped after the save, and says it may be saved", async () => {
    const company = sandbox.store.companies().find((c: Row) => c.id !== 0) as Row;
    sandbox.setFaults({ commitThenDropRate: 1 });
    const before = sandbox.store.tickets().length;
    try {
      const error = await client
        .createTicket({ companyID: company.id, title: "Dropped connection", status: 1, priority: 2 })
        .then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(AutotaskNetworkError);
      expect((error as AutotaskNetworkError).maybeCommitted).toBe(true);
    } finally {
      sandbox.setFaults({});
    }
    const after = sandbox.store.tickets();
    expect(after).toHaveLength(before + 1);
    expect(after.filter((t: Row) => t.title === "Dropped connection")).toHaveLength(1);
  });
});

describe("autotask_create_ticket when the connection drops after the save", () => {
  it("finds the saved ticket instead of failing or creating another", async () => {
    const h = await startHarness({ tickets: 50 });
    try {
      const company = h.sandbox.store.companies().find((c: Row) => c.id !== 0) as Row;
      await h.call("autotask_get_ticket_details", { ticketId: (h.sandbox.store.tickets()[0] as Row).id }); // warm metadata
      h.sandbox.setFaults({ commitThenDropRate: 1 });
      const result = await h.call("autotask_create_ticket", { companyID: company.id, title: "Saved despite the drop", priority: "Low" });
      h.sandbox.setFaults({});
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(textOf(result)).toMatch(/answer to this create was lost after it was sent; reading Autotask back found the ticket it saved \(externalID mcp:/);
      const saved = h.sandbox.store.tickets().filter((t: Row) => t.title === "Saved despite the drop");
      expect(saved).toHaveLength(1);
      expect((result.structuredContent as { ticket: { id: number } }).ticket.id).toBe((saved[0] as Row).id);
    } finally {
      await h.close();
    }
  });
});
