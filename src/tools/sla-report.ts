/**
 * autotask_sla_report: open tickets at risk of or past their SLA, grouped.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { quoted } from "./support/render.js";

const inputSchema = {
  groupBy: z.enum(["queue", "resource", "priority"]).optional().describe("Default queue."),
  atRiskRatio: z.number().gt(0).lt(1).optional().describe("Share of the target used that counts as at risk; default 0.75."),
  companyID: z.number().int().positive().optional(),
  queueID: z.union([z.number().int(), z.string().trim().min(1)]).optional(),
  assignedResourceID: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).optional().describe("Rows shown; default 50."),
};

const outputSchema = {
  checked: z.number(),
  breached: z.number(),
  atRisk: z.number(),
  paused: z.number(),
  groupBy: z.string(),
  groups: z.array(z.object({ key: z.string(), breached: z.number(), atRisk: z.number(), tickets: z.array(z.object({}).loose()) })),
  omitted: z.number(),
};

export default defineTool({
  name: "autotask_sla_report",
  title: "SLA report",
  description:
    "Open tickets whose first-response or resolution SLA is breached or at risk, grouped by queue, resource or priority, with business hours overdue or left; paused clocks shown as paused. Use for the desk's SLA position; one ticket's SLA: autotask_get_ticket_details.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const report = await ctx.reports.sla.report(args, { now: ctx.now(), signal: ctx.signal, onProgress: ctx.progress });
    const lines = [`${report.checked} open tickets: ${report.breached} breached, ${report.atRisk} at risk (${report.paused} paused), by ${report.groupBy}.`];
    for (const group of report.groups) {
      lines.push(`${group.key}: ${group.breached} breached, ${group.atRisk} at risk`);
      for (const t of group.tickets) {
        const time = t.state === "breached" ? `${t.businessHours} business h overdue` : `${t.businessHours} business h left`;
        lines.push(`  ${t.id} ${t.ticketNumber ?? ""} ${t.priority ?? ""} ${t.target} ${time}${t.clock === "paused" ? " (paused)" : ""} ${t.title ? quoted(t.title) : ""}`);
      }
    }
    if (report.omitted > 0) lines.push(`${report.omitted} rows not shown: raise limit or filter.`);
    return { structured: report, text: lines.join("\n") };
  },
});
