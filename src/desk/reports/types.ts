/**
 * What the desk's report services are built from, and what each call passes in.
 *
 * Services are built once per process from the Autotask client, the tenant's picklist service and the
 * server settings; `now`, cancellation and progress come with each call, so the services stay free of
 * clocks and MCP types.
 */
import type { AutotaskApi } from "../../autotask/api.js";
import type { ServerSettings } from "../../tools/support/settings.js";
import type { TenantService } from "../../tools/support/tenant.js";

export interface ReportDependencies {
  api: AutotaskApi;
  tenant: TenantService;
  settings: ServerSettings;
}

/**
 * Progress of a paging call: `progress` grows with every page (records read so far), `total` is
 * Autotask's count for the query when known.
 */
export type ProgressListener = (progress: number, total: number | undefined, message: string) => void | Promise<void>;

export interface ReportCallOptions {
  /** The instant the report is computed at (SLA clocks, ages). */
  now: Date;
  /** Cancels the call; checked between pages and passed to every request. */
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}
