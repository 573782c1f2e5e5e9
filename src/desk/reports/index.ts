/**
 * The desk's reports: picklists, contacts and notes look-ups, the escalation sweep and write, the SLA
 * report and ticket metrics. `createDeskReports` is called once per process, by `createDesk` (reached
 * as `desk.reports`).
 *
 * The sweeps (escalations, SLA report, metrics) and the chart are imported on their first call, not when
 * the desk is built (issue 13): a stdio server's first search does not compile them. Each is one
 * instance per desk once loaded (the escalation service keeps its per-ticket locks and pending notes);
 * a failed import is not kept, so the next call imports again and reports its own error.
 */
import type { EscalationService } from "./escalations.js";
import { loadOnce } from "../../once.js";
import { ContactLookups } from "./lookups.js";
import type { MetricsReport, MetricsService } from "./metrics.js";
import { PicklistReport } from "./picklists.js";
import type { SlaReportService } from "./sla-report.js";
import type { ReportDependencies } from "./types.js";

export interface DeskReports {
  picklists: PicklistReport;
  /** Contacts search and a ticket's note listing (by id or number, paged); not the desk's `directory` of names. */
  lookups: ContactLookups;
  escalations: Pick<EscalationService, "check" | "escalate">;
  sla: Pick<SlaReportService, "report">;
  metrics: Pick<MetricsService, "metrics">;
  /** PNG of the metrics chart; loads Vega and the WebAssembly rasteriser on first use. */
  chart(report: MetricsReport, title: string): Promise<{ png: Uint8Array; width: number; height: number }>;
}

export function createDeskReports(deps: ReportDependencies): DeskReports {
  const escalations = loadOnce(() => import("./escalations.js").then((module) => new module.EscalationService(deps)));
  const sla = loadOnce(() => import("./sla-report.js").then((module) => new module.SlaReportService(deps)));
  const metrics = loadOnce(() => import("./metrics.js").then((module) => new module.MetricsService(deps)));
  return {
    picklists: new PicklistReport(deps),
    lookups: new ContactLookups(deps),
    escalations: {
      check: async (...args) => (await escalations()).check(...args),
      escalate: async (...args) => (await escalations()).escalate(...args),
    },
    sla: { report: async (...args) => (await sla()).report(...args) },
    metrics: { metrics: async (...args) => (await metrics()).metrics(...args) },
    async chart(report, title) {
      const { renderMetricsChart } = await import("./chart.js");
      return renderMetricsChart(report, title);
    },
  };
}

export type { ProgressListener, ReportCallOptions, ReportDependencies } from "./types.js";
