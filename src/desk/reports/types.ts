/**
 * What the desk's report services are built from, and what each call passes in.
 *
 * Services are built once per process from the Autotask client and the desk's tenant, notes and
 * settings; `now`, cancellation and progress come with each call, so the services stay free of
 * clocks and MCP types.
 */
import type { AutotaskApi } from "../../autotask/api.js";
import type { Directory } from "../directory.js";
import type { NoteService } from "../notes.js";
import type { DeskSettings } from "../settings.js";
import type { TenantService } from "../tenant.js";
import type { TicketService } from "../tickets.js";

/** Built by `createDesk` from the desk's own services: the reports share its picklist cache and note rules. */
export interface ReportDependencies {
  api: AutotaskApi;
  tenant: TenantService;
  settings: DeskSettings;
  notes: NoteService;
  /** The desk's cached names (resources in reports). */
  directory: Directory;
  /** The desk's ticket writes (the escalation's status PATCH goes through its exactly-once path). */
  tickets: Pick<TicketService, "setStatusOnce">;
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
