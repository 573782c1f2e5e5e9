/**
 * `__proto__` in tool arguments (issue 10): through a real MCP client, an own `__proto__` key at the
 * top level or inside `userDefinedFields` is refused like any unknown argument, never dropped.
 * JSON.parse is how a wire message gets an own `__proto__` key, so the arguments are built with it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, textOf } from "./support/harness.js";
import { parseTicketPage } from "./support/rows.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ tickets: 30 });
});
afterAll(async () => {
  await harness.close();
});

async function firstTicketId(): Promise<number> {
  const result = await harness.call("autotask_search_tickets", { pageSize: 1 });
  return parseTicketPage(textOf(result)).rows[0]!.id;
}

describe("prototype keys in arguments", () => {
  it("refuses a top-level __proto__ argument and names it", async () => {
    const id = await firstTicketId();
    const args = JSON.parse(`{"ticketId": ${id}, "__proto__": {"includeNotes": 5}}`);
    const result = await harness.call("autotask_get_ticket_details", args);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('"__proto__"');
  });

  it("refuses a top-level __proto__ with a primitive value", async () => {
    const args = JSON.parse('{"name": "a", "__proto__": "x"}');
    const result = await harness.call("autotask_search_companies", args);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('"__proto__"');
  });

  it("refuses __proto__ inside userDefinedFields without writing anything", async () => {
    const id = await firstTicketId();
    const before = harness.api.requestCount;
    const args = JSON.parse(`{"ticketId": ${id}, "userDefinedFields": {"__proto__": "x"}}`);
    const result = await harness.call("autotask_update_ticket", args);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("userDefinedFields.__proto__");
    // Refused at the boundary: no request reached Autotask.
    expect(harness.api.requestCount).toBe(before);
  });

  it("still accepts ordinary keys such as constructor as user-defined field names to look up", async () => {
    const id = await firstTicketId();
    const result = await harness.call("autotask_update_ticket", { ticketId: id, userDefinedFields: { constructor: "x" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Unknown user-defined field "constructor"');
  });

  it("describes a user-defined field named like an Object.prototype member by its value, not the prototype", async () => {
    const id = await firstTicketId();
    for (const key of ["constructor", "toString", "hasOwnProperty"]) {
      const result = await harness.call("autotask_update_ticket", { ticketId: id, userDefinedFields: { [key]: { a: 1 } } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(`userDefinedFields.${key} was an object`);
      expect(textOf(result)).not.toMatch(/native code|function/);
    }
  });
});
