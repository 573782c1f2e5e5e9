/**
 * autotask_escalate_tickets: status Escalated plus one internal note with the reasons, once per ticket.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { counted } from "./format/index.js";
import { ticketIdParam } from "./params.js";

const inputSchema = {
  ticketIDs: z.array(ticketIdParam).min(1).max(50).describe("Ids or T… numbers, e.g. from autotask_check_escalations."),
  reason: z.string().trim().min(1).max(2000).optional().describe("Added to the note."),
};

const outputSchema = {
  results: z.array(z.unknown()),
  escalated: z.number(),
};

export default defineTool({
  name: "autotask_escalate_tickets",
  title: "Escalate tickets",
  description:
    "Status Escalated plus one internal note with the reasons, once per ticket (escalated ones skipped). Autotask's API sends no notifications; a tenant workflow rule on status Escalated can.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const results = await ctx.desk.reports.escalations.escalate(args, { now: ctx.desk.clock(), signal: ctx.signal, onProgress: ctx.progress });
    const escalated = results.filter((r) => r.outcome === "escalated").length;
    const lines = [`${escalated} of ${counted(results.length, "ticket")} escalated.`];
    for (const r of results) lines.push(`${r.id}${r.ticketNumber ? ` ${r.ticketNumber}` : ""}: ${r.outcome.replace("_", " ")} - ${r.detail}`);
    const unknown = results.filter((r) => r.outcome === "unknown").length;
    if (unknown > 0) lines.push(`${unknown} with outcome unknown (see each line for what was applied); calling again with the same ticketIDs is safe.`);
    if (escalated > 0) lines.push("Notifications depend on the tenant's workflow rule for the Escalated status.");
    return { structured: { results, escalated }, text: lines.join("\n") };
  },
});
