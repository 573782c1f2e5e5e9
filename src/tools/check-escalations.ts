/**
 * autotask_check_escalations: sweeps open tickets through the escalation rules (read-only).
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { quoted } from "./support/render.js";

const inputSchema = {
  companyID: z.number().int().positive().optional(),
  queueID: z.union([z.number().int(), z.string().trim().min(1)]).optional().describe("Queue id or label."),
  assignedResourceID: z.number().int().positive().optional(),
  priority: z.union([z.number().int(), z.string().trim().min(1)]).optional().describe("Id, label or critical/high/medium/low."),
  waitingCustomerDays: z.number().min(1).max(90).optional().describe("Default 7."),
  level2AfterHours: z.number().positive().optional().describe("Business hours overdue; default 4."),
  level3AfterHours: z.number().positive().optional().describe("Default 8."),
  limit: z.number().int().min(1).max(100).optional().describe("Default 25."),
};

const outputSchema = {
  checked: z.number(),
  needAction: z.number(),
  byLevel: z.object({ "1": z.number(), "2": z.number(), "3": z.number() }),
  tickets: z.array(z.object({ id: z.number(), level: z.number(), reasons: z.array(z.string()), actions: z.array(z.string()) }).loose()),
};

export default defineTool({
  name: "autotask_check_escalations",
  title: "Check escalations",
  description:
    "Which open tickets need escalation now: SLA breach (level 1-3 by business hours overdue), waiting on the customer with no activity over N days, critical without assignee. Most urgent first, with reasons and actions. Read-only; escalate with autotask_escalate_tickets.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const sweep = await ctx.reports.escalations.check(args, { now: ctx.now(), signal: ctx.signal, onProgress: ctx.progress });
    const lines = [
      `${sweep.checked} open tickets checked; ${sweep.needAction} need action (level 3: ${sweep.byLevel["3"]}, 2: ${sweep.byLevel["2"]}, 1: ${sweep.byLevel["1"]}).`,
    ];
    for (const t of sweep.tickets) {
      lines.push(
        `L${t.level} ${t.id} ${t.ticketNumber ?? ""} ${t.title ? quoted(t.title) : ""} [${[t.priority, t.status, t.queue, t.assignedResource ?? (t.assignedResourceID === undefined ? "unassigned" : `resource ${t.assignedResourceID}`)].filter(Boolean).join(", ")}]`,
        `  Why: ${t.reasons.join("; ")}`,
        `  Do: ${t.actions.join("; ")}`,
      );
    }
    if (sweep.needAction > sweep.tickets.length) lines.push(`${sweep.needAction - sweep.tickets.length} more not shown: raise limit or filter.`);
    return { structured: sweep, text: lines.join("\n") };
  },
});
