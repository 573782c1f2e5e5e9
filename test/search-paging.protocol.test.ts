/**
 * Paging autotask_search_tickets while the desk works: tickets created and completed between pages,
 * through the real server and client against the sandbox. Each order walks every page; the rows shown
 * must be exactly the matches at the first page, in order, each once (oldest: plus the new ticket,
 * which has the highest id and so comes last in the same pass).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, textOf } from "./support/harness.js";
import { listedIds, parseTicketPage } from "./support/rows.js";

type Stored = Record<string, any>;

describe("autotask_search_tickets paging with tickets created and completed between pages", () => {
  let h: Harness;
  let companyId: number;

  beforeAll(async () => {
    h = await startHarness();
    companyId = listedIds(textOf(await h.call("autotask_search_companies", { name: "a", limit: 5 }))).find((id) => id !== 0) as number;
  });
  afterAll(async () => h?.close());

  const openTickets = () => h.sandbox.store.tickets().filter((t: Stored) => t.status !== 5);
  const dueKey = (t: Stored) => (t.dueDateTime ? Date.parse(t.dueDateTime) : Number.POSITIVE_INFINITY);
  const ORDER = {
    oldest: (a: Stored, b: Stored) => a.id - b.id,
    newest: (a: Stored, b: Stored) => b.id - a.id,
    dueSoonest: (a: Stored, b: Stored) => dueKey(a) - dueKey(b) || a.id - b.id,
  } as const;

  async function create(extra: Record<string, unknown> = {}): Promise<number> {
    const result = await h.call("autotask_create_ticket", { companyID: companyId, title: `Mid-paging ${Math.random().toString(36).slice(2)}`, priority: "Medium", ...extra });
    expect(result.isError, textOf(result)).toBeFalsy();
    return (result.structuredContent as Stored).ticket.id;
  }

  it.each(["newest", "dueSoonest", "oldest"] as const)(
    "%s: no row repeats or is skipped; tickets created after the first page are not in the pass unless they sort last by id",
    async (sort) => {
      const expected = openTickets().sort(ORDER[sort]).map((t: Stored) => t.id as number);
      expect(expected.length).toBeGreaterThan(40);
      const args = { status: "open", sort, pageSize: 10 };
      const pages: number[][] = [];
      const created: number[] = [];
      let cursor: string | undefined;
      do {
        const page = parseTicketPage(textOf(await h.call("autotask_search_tickets", cursor ? { ...args, cursor } : args)));
        expect(page.total).toBe(expected.length);
        pages.push(page.rows.map((r) => r.id));
        cursor = page.nextCursor;
        if (pages.length === 2) {
          // Sorts before every row shown so far (highest id; the earliest due date), and one after them by due date.
          created.push(await create({ dueDateTime: "2020-01-06T09:00:00Z" }), await create({ dueDateTime: "2099-01-06T09:00:00Z" }));
        }
        if (pages.length === 3) {
          // A ticket already shown leaves the open set: the rows after it must not shift.
          const shown = pages[0]?.[3] as number;
          const completed = await h.call("autotask_update_ticket", { ticketID: shown, status: "Complete", resolution: "Fixed mid-paging.", force: true });
          expect(completed.isError, textOf(completed)).toBeFalsy();
        }
      } while (cursor);
      const seen = pages.flat();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(sort === "oldest" ? [...expected, ...created] : expected);
    },
  );
});
