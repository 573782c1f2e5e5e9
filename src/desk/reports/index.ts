/**
 * The desk's reports: picklists, contacts and notes look-ups, the escalation sweep and write, the SLA
 * report and ticket metrics. `createDeskReports` is called once per process, by `createDesk` (reached
 * as `desk.reports`); the chart module is loaded only when a chart is first asked for.
 */
import { EscalationService } from "./escalations.js";
import { ContactLookups } from "./lookups.js";
import type { MetricsReport } from "./metrics.js";
import { MetricsService } from "./metrics.js";
import { PicklistReport } from "./picklists.js";
import { SlaReportService } from "./sla-report.js";
import type { ReportDependencies } from "./types.js";

export interface DeskReports {
  picklists: PicklistReport;
  /** Contacts search and a ticket's note listing (by id or number, paged); not the desk's `directory` of names. */
  lookups: ContactLookups;
  escalations: EscalationService;
  sla: SlaReportService;
  metrics: MetricsService;
  /** PNG of the metrics chart; loads Vega and the WebAssembly rasteriser on first use. */
  chart(report: MetricsReport, title: string): Promise<{ png: Uint8Array; width: number; height: number }>;
}

export function createDeskReports(deps: ReportDependencies): DeskReports {
  return {
    picklists: new PicklistReport(deps),
    lookups: new ContactLookups(deps),
    escalations: new EscalationService(deps),
    sla: new SlaReportService(deps),
    metrics: new MetricsService(deps),
    async chart(report, title) {
      const { renderMetricsChart } = await import("./chart.js");
      return renderMetricsChart(report, title);
    },
  };
}

export type { ProgressListener, ReportCallOptions, ReportDependencies } from "./types.js";
