/**
 * The desk: the application layer, in the service desk's own terms.
 *
 * `createDesk(api, settings, clock, logger?)` is called ONCE per process (`src/index.ts`) and handed
 * to `createServer(desk)`; every MCP session in the process shares it, so the tenant's metadata is
 * loaded once and the write ledger sees every session's retries. The desk knows nothing of MCP:
 * typed, semantic inputs in, typed results out, typed errors (`UserInputError`, Autotask errors) thrown.
 *
 * Calls go one way: tools -> desk -> domain (pure rules) and client (`src/autotask/`, the network).
 */
import { type Logger, silentLogger } from "../log.js";
import type { AutotaskApi, MetadataEntity } from "../autotask/api.js";
import { PicklistCache } from "../autotask/picklists.js";
import { Directory } from "./directory.js";
import { InMemoryLedgerStore, type LedgerStore, WriteLedger } from "./ledger.js";
import { NoteService } from "./notes.js";
import { createDeskReports, type DeskReports } from "./reports/index.js";
import type { DeskSettings } from "./settings.js";
import { TenantService } from "./tenant.js";
import { TicketService } from "./tickets.js";

export interface Desk {
  /** Picklists joined with the semantic status/priority mapping; the one resolver of picklist input. */
  tenant: TenantService;
  /** Companies, contacts, resources and their service-desk roles; display names for ids. */
  directory: Directory;
  tickets: TicketService;
  notes: NoteService;
  /** Dedupe and idempotency keys for writes. */
  ledger: WriteLedger;
  /**
   * Reports and sweeps over many tickets (issue 12): picklist listing, contacts and note listing,
   * escalation check and write, SLA report, metrics and its chart (chart code loaded on first use).
   */
  reports: DeskReports;
  settings: DeskSettings;
  logger: Logger;
  /** The desk's clock (wall-clock `Date`); injected so tests and SLA figures agree on "now". */
  clock: () => Date;
}

export interface DeskOptions {
  /** Default: a silent logger. */
  logger?: Logger;
  /** Where settled writes are remembered. Default: in memory (one process). */
  ledgerStore?: LedgerStore;
  /** The current call's ledger scope (the team server passes the caller's token id). Default: one scope. */
  ledgerScope?: () => string | undefined;
  /** Called when the tenant's picklists turned out stale, so a shared metadata copy is dropped too. */
  onPicklistsInvalidated?: (entity?: MetadataEntity) => void;
}

/**
 * Builds the desk. No network I/O: the first call that needs metadata loads it.
 * @param api the Autotask client (or any `AutotaskApi`)
 * @param settings see `settingsFromConfig`
 * @param clock returns the current time; default `() => new Date()`
 */
export function createDesk(
  api: AutotaskApi,
  settings: DeskSettings,
  clock: () => Date = () => new Date(),
  options: DeskOptions | Logger = {},
): Desk {
  const { logger = silentLogger, ledgerStore, ledgerScope, onPicklistsInvalidated } = isLogger(options)
    ? ({ logger: options } as DeskOptions)
    : options;
  const now = () => clock().getTime();
  const picklists = new PicklistCache(api, {
    ttlMs: settings.picklistTtlMs,
    ...(onPicklistsInvalidated ? { onInvalidate: onPicklistsInvalidated } : {}),
  });
  const tenant = new TenantService(picklists, settings.mappingOverrides);
  const directory = new Directory(api);
  const ledger = new WriteLedger(
    ledgerStore ?? new InMemoryLedgerStore(now),
    {
      windowMs: settings.duplicateWindowMs,
      ...(settings.writeSettleMs !== undefined ? { settleMs: settings.writeSettleMs } : {}),
      ...(settings.writeRecoveryDelaysMs !== undefined ? { recoveryDelaysMs: settings.writeRecoveryDelaysMs } : {}),
      ...(ledgerScope ? { scope: ledgerScope } : {}),
    },
    now,
  );
  const notes = new NoteService(api, tenant, directory, ledger);
  const tickets = new TicketService(api, tenant, directory, notes, ledger, settings, clock);
  const reports = createDeskReports({ api, tenant, settings, notes, directory, tickets });
  return { tenant, directory, tickets, notes, ledger, reports, settings, logger, clock };
}

function isLogger(value: DeskOptions | Logger): value is Logger {
  return typeof (value as Logger).info === "function";
}

export type { DeskSettings } from "./settings.js";
export { settingsFromConfig } from "./settings.js";
export { inDeskZone, isIsoDateTime } from "./dates.js";
export type { Assignment, CompanyEntry, PersonNameFields, ResourceEntry } from "./directory.js";
export {
  CONTACT_NAME_FIELDS,
  displayName,
  personNameFilter,
  personNameMatches,
  personNameWords,
  RESOURCE_NAME_FIELDS,
} from "./directory.js";
export { parseTicketRef, TICKET_NUMBER_PATTERN, type TicketRef } from "./lookup.js";
export {
  IdempotencyConflictError,
  InMemoryLedgerStore,
  type LedgerEntry,
  type LedgerOutcome,
  type LedgerRecord,
  type LedgerStore,
  WriteLedger,
  type WriteLedgerOptions,
  type WritePlan,
  WriteOutcomeUnknownError,
} from "./ledger.js";
export type { NoteCreated, NoteCreateRequest, NoteEntry, NoteListing, PublishChoice } from "./notes.js";
export type { TicketLabels, TicketPicklistField } from "./tenant.js";
export type {
  DescribedTicket,
  FieldChange,
  PicklistInput,
  TicketCreated,
  TicketCreateRequest,
  TicketDetails,
  TicketNames,
  TicketSearchPage,
  TicketSearchQuery,
  TicketSearchRow,
  TicketSearchSort,
  TicketUpdated,
  TicketUpdateRequest,
} from "./tickets.js";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SEARCH_ROW_FIELDS, SORT_SCAN_LIMIT, searchTermFilter } from "./tickets.js";
export type { DeskReports, ProgressListener, ReportCallOptions } from "./reports/index.js";
export { Directory, NoteService, TenantService, TicketService };
