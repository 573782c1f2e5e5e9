/**
 * autotask_ticket_metrics: the desk's figures over a filter, optionally with a PNG chart.
 */
import { z } from "zod";
import { idOrNameValue, picklistParam } from "./params.js";
import { defineTool } from "./define.js";
import { counted } from "./format/index.js";

const inputSchema = {
  companyID: idOrNameValue.optional().describe("Id or name."),
  queueID: picklistParam("Queue id or label.").optional(),
  assignedResourceID: idOrNameValue.optional().describe("Id, name or e-mail."),
  createdAfter: z.string().optional().describe("ISO 8601."),
  createdBefore: z.string().optional().describe("ISO 8601."),
  completedAfter: z.string().optional().describe("ISO 8601."),
  completedBefore: z.string().optional().describe("ISO 8601."),
  breakdown: z.enum(["queue", "resource"]).optional().describe("Group by."),
  chart: z.boolean().optional().describe("Add a PNG chart."),
};

const outputSchema = {
  total: z.number(),
  open: z.number(),
  escalated: z.number(),
  resolution: z.object({}).loose(),
  sla: z.object({}).loose(),
  sources: z.object({}).loose(),
  /** What a name in the filter resolved to; when nothing matched, which filter ids do not exist. */
  notes: z.array(z.string()).optional(),
};

const h = (value: number | null) => (value === null ? "n/a" : `${value} h`);

export default defineTool({
  name: "autotask_ticket_metrics",
  title: "Ticket metrics",
  description:
    "Figures over all matching tickets: counts, resolution/response hours, SLA compliance %, escalations; breakdown and PNG chart on request. …After inclusive, …Before exclusive, as in autotask_search_tickets.",
  inputSchema,
  outputSchema,
  aliases: {
    companyName: "companyID",
    assignedResourceName: "assignedResourceID",
    createdFrom: "createdAfter",
    createdTo: "createdBefore",
    completedFrom: "completedAfter",
    completedTo: "completedBefore",
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const { chart, ...filters } = args;
    const { report, notes } = await ctx.desk.reports.metrics.metrics(filters, { now: ctx.desk.clock(), signal: ctx.signal, onProgress: ctx.progress });
    const s = report.sources;
    const lines = [...notes];
    lines.push(
      ...(report.total === 0
        ? ["No tickets match: all figures are zero."]
        : [
            `${counted(report.total, "ticket")} (${report.open} open, ${report.escalated} escalated).`,
            `Resolution (${report.resolution.count}): average ${h(report.resolution.averageHours)}, median ${h(report.resolution.medianHours)}; business: average ${h(report.resolution.averageBusinessHours)}, median ${h(report.resolution.medianBusinessHours)}.`,
            `First response (${report.firstResponse.count}): average ${h(report.firstResponse.averageHours)}, median ${h(report.firstResponse.medianHours)}; business median ${h(report.firstResponse.medianBusinessHours)}.`,
            `SLA compliance: ${report.sla.compliancePercent === null ? "n/a (no decided tickets)" : `${report.sla.compliancePercent}%`} (${report.sla.compliant} met of ${report.sla.eligible} decided: resolved, or open and already breached${report.sla.openBreached ? ` (${report.sla.openBreached})` : ""}); ${report.sla.undecided} still open, not yet decided.`,
            `By status: ${report.byStatus.map((e) => `${e.label} ${e.count}`).join(", ")}.`,
            `By priority: ${report.byPriority.map((e) => `${e.label} ${e.count}`).join(", ")}.`,
            ...(report.breakdown
              ? [`By ${report.breakdown.by}:`, ...report.breakdown.rows.map((r) => `  ${r.key}: ${r.count} (${r.open} open), avg resolution ${h(r.averageResolutionHours)}, SLA ${r.slaCompliancePercent ?? "n/a"}%`)]
              : []),
            `Sources: ${counted(s.autotaskFigures, "figure")} from Autotask's SLA record (${counted(s.ticketsWithSla, "ticket")} with an SLA, ${counted(s.slaResultsRead, "SLA result")} read${s.slaResultsUnavailable ? "; ServiceLevelAgreementResults unavailable, ticket flags used" : ""}), ${s.serverFigures} computed by the server on business hours.`,
          ]),
    );
    const result: { structured: typeof report & { notes?: string[] }; text: string; images?: Array<{ data: string; mimeType: "image/png" }> } = {
      // The notes in both parts: hosts forward one or the other.
      structured: notes.length > 0 ? { ...report, notes } : report,
      text: lines.join("\n"),
    };
    if (chart) {
      const drawn = await ctx.desk.reports.chart(report, `Ticket metrics: ${counted(report.total, "ticket")}`);
      result.images = [{ data: Buffer.from(drawn.png).toString("base64"), mimeType: "image/png" }];
      result.text += `\nChart: PNG ${drawn.width}x${drawn.height} attached.`;
    }
    return result;
  },
});
