/**
 * autotask_check_escalations: sweeps open tickets through the escalation rules (read-only).
 */
import { z } from "zod";
import { idOrNameValue, picklistParam } from "./params.js";
import { defineTool } from "./define.js";
import { counted, quoted } from "./format/index.js";

const inputSchema = {
  companyID: idOrNameValue.optional().describe("Id or name."),
  queueID: picklistParam("Queue id or label.").optional(),
  assignedResourceID: idOrNameValue.optional().describe("Id, name or e-mail."),
  priority: picklistParam("Id or label.").optional(),
  waitingCustomerDays: z.number().int().min(1).max(365).optional().describe("Days idle, 1-365; default 7."),
  limit: z.number().int().min(1).max(100).optional().describe("Default 25."),
};

const outputSchema = {
  checked: z.number(),
  needAction: z.number(),
  tickets: z.array(z.unknown()),
  notes: z.array(z.string()).optional(),
};

export default defineTool({
  name: "autotask_check_escalations",
  title: "Check escalations",
  description:
    "Open tickets to escalate now (SLA breach, idle waiting customer, critical unassigned), most urgent first, with reasons and actions.",
  inputSchema,
  outputSchema,
  aliases: { companyName: "companyID", assignedResourceName: "assignedResourceID" },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const sweep = await ctx.desk.reports.escalations.check(args, { now: ctx.desk.clock(), signal: ctx.signal, onProgress: ctx.progress });
    const lines = [
      ...sweep.notes,
      `${counted(sweep.checked, "open ticket")} checked; ${sweep.needAction} need${sweep.needAction === 1 ? "s" : ""} action (level 3: ${sweep.byLevel["3"]}, 2: ${sweep.byLevel["2"]}, 1: ${sweep.byLevel["1"]}).`,
    ];
    for (const t of sweep.tickets) {
      lines.push(
        `L${t.level} ${t.id} ${t.ticketNumber ?? ""} ${t.title ? quoted(t.title) : ""} [${[t.priority, t.status, t.queue, t.assignedResource ?? (t.assignedResourceID === undefined ? "unassigned" : `resource ${t.assignedResourceID}`)].filter(Boolean).join(", ")}]${t.alreadyEscalated ? " already escalated" : ""}`,
        ...(t.cannotEscalate ? [`  Note: ${t.cannotEscalate}`] : []),
        `  Why: ${t.reasons.join("; ")}`,
        `  Do: ${t.actions.join("; ")}`,
      );
    }
    if (sweep.needAction > sweep.tickets.length) lines.push(`${sweep.needAction - sweep.tickets.length} more not shown: raise limit or filter.`);
    const { notes, ...rest } = sweep;
    return { structured: notes.length > 0 ? sweep : rest, text: lines.join("\n") };
  },
});
