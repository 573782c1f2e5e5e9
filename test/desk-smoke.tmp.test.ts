import { it } from "vitest";
import { startHarness, textOf } from "./support/harness.js";
it("smoke", async () => {
  const h = await startHarness({ profile: "real-tenant", tickets: 300 });
  for (const [n, a] of [
    ["autotask_list_picklists", { field: "status" }],
    ["autotask_search_contacts", { name: "a", limit: 3 }],
    ["autotask_list_ticket_notes", { ticketId: h.sandbox.store.tickets()[0]!.id as number, limit: 2 }],
    ["autotask_check_escalations", { limit: 3 }],
    ["autotask_sla_report", { limit: 4 }],
    ["autotask_ticket_metrics", { breakdown: "queue", chart: true }],
  ] as const) {
    const r = await h.call(n, a as any);
    console.log(n, r.isError ? "ERROR" : "", textOf(r).slice(0, 900));
  }
  await h.close();
}, 60000);
