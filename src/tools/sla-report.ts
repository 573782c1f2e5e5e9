/**
 * autotask_sla_report: open tickets at risk of or past their SLA, grouped.
 */
import { z } from "zod";
import { picklistParam } from "./params.js";
import { defineTool } from "./define.js";
import { counted, quoted } from "./format/index.js";

const inputSchema = {
  groupBy: z.enum(["queue", "resource", "priority"]).optional().describe("Default queue."),
  atRiskRatio: z.number().gt(0).lt(1).optional().describe("Target share used; default 0.75."),
  queueID: picklistParam("Queue id or label.").optional(),
  limit: z.number().int().min(1).max(200).optional().describe("Rows; default 50."),
};

const outputSchema = {
  checked: z.number(),
  breached: z.number(),
  groups: z.array(z.unknown()),
};

export default defineTool({
  name: "autotask_sla_report",
  title: "SLA report",
  description:
    "Open tickets with a breached or at-risk SLA, grouped, business hours overdue or left; paused clocks marked.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const report = await ctx.desk.reports.sla.report(args, { now: ctx.desk.clock(), signal: ctx.signal, onProgress: ctx.progress });
    const lines = [`${counted(report.checked, "open ticket")}: ${report.breached} breached, ${report.atRisk} at risk (${report.paused} paused), by ${report.groupBy}.`];
    for (const group of report.groups) {
      lines.push(`${group.key}: ${group.breached} breached, ${group.atRisk} at risk`);
      for (const t of group.tickets) {
        const time = t.state === "breached" ? `${t.businessHours} business h overdue` : `${t.businessHours} business h left`;
        lines.push(`  ${t.id} ${t.ticketNumber ?? ""} ${t.priority ?? ""} ${t.target} ${time}${t.clock === "paused" ? " (paused)" : ""} ${t.title ? quoted(t.title) : ""}`);
      }
    }
    if (report.omitted > 0) lines.push(`${counted(report.omitted, "row")} not shown: raise limit or filter.`);
    return { structured: report, text: lines.join("\n") };
  },
});
