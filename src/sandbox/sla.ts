/**
 * The sandbox's service level agreements: which targets an SLA sets on a ticket, and the
 * `ServiceLevelAgreementResults` row Autotask keeps for every ticket under an SLA.
 *
 * Autotask's SLA fields on a ticket (`serviceLevelAgreementID`, `firstResponseDueDateTime`,
 * `resolvedDueDateTime`, `serviceLevelAgreementHasBeenMet`) are read-only except the SLA id
 * (captured live metadata, autotask-api.md §6/§9). Real tenants run the SLA clock on the SLA's business
 * hours and pause it in waiting statuses; the sandbox's clock is wall-clock (24x7) and never pauses, so
 * that the due dates, the met flags and the elapsed hours of one ticket always agree with each other
 * (documented as an assumption in the README's sandbox section).
 */
import type { TenantProfile } from "./profile.js";
import type { Row, SandboxStore } from "./store.js";

const HOUR_MS = 3_600_000;

/** First id of `ServiceLevelAgreementResults` rows (Autotask's ids are their own, not the ticket's). */
export const FIRST_SLA_RESULT_ID = 7_000_001;

export interface ServiceTargets {
  /** Hours from creation to the first response. */
  firstResponse: number;
  /** Hours from creation to resolution. */
  resolution: number;
}

/**
 * The sandbox tenant's SLA targets (hours, wall-clock) by priority label: every SLA picklist value uses
 * the same table. Labels, not ids, because tenants renumber priorities (real-tenant: 1 = Critical).
 */
export function serviceTargets(priorityLabel: string): ServiceTargets {
  const lower = priorityLabel.toLowerCase();
  if (lower.includes("critical") || lower.includes("urgent")) return { firstResponse: 1, resolution: 4 };
  if (lower.includes("high")) return { firstResponse: 2, resolution: 8 };
  if (lower.includes("low")) return { firstResponse: 8, resolution: 120 };
  return { firstResponse: 4, resolution: 48 };
}

export function targetsForTicket(profile: TenantProfile, ticket: Row): ServiceTargets {
  const priority = profile.find("Tickets", "priority", ticket.priority as number);
  return serviceTargets(priority?.label ?? "");
}

/** Sets the SLA due dates from `createDate` (or clears them when the ticket has no SLA). */
export function applySlaDueDates(profile: TenantProfile, ticket: Row): void {
  if (ticket.serviceLevelAgreementID === undefined || ticket.serviceLevelAgreementID === null) {
    ticket.firstResponseDueDateTime = undefined;
    ticket.resolvedDueDateTime = undefined;
    ticket.serviceLevelAgreementHasBeenMet = undefined;
    return;
  }
  const created = Date.parse(ticket.createDate as string);
  const targets = targetsForTicket(profile, ticket);
  ticket.firstResponseDueDateTime = new Date(created + targets.firstResponse * HOUR_MS).toISOString();
  ticket.resolvedDueDateTime = new Date(created + targets.resolution * HOUR_MS).toISOString();
}

const hoursBetween = (from: string, to: string) => Math.round(((Date.parse(to) - Date.parse(from)) / HOUR_MS) * 100) / 100;

function met(done: unknown, due: unknown): boolean | undefined {
  if (typeof done !== "string" || typeof due !== "string") return undefined;
  return Date.parse(done) <= Date.parse(due);
}

/**
 * Brings the ticket's `serviceLevelAgreementHasBeenMet` and its `ServiceLevelAgreementResults` row in line
 * with its SLA fields: a met flag is set once its event happened (null before), elapsed hours count from
 * `createDate`. A ticket that left its SLA keeps no result row. Call after every ticket change.
 */
export function refreshSlaResult(store: SandboxStore, ticket: Row): void {
  const table = store.tables.ServiceLevelAgreementResults;
  const existingId = store.slaResultByTicket.get(ticket.id);
  const slaId = ticket.serviceLevelAgreementID;
  if (slaId === undefined || slaId === null) {
    if (existingId !== undefined) store.removeSlaResult(ticket.id);
    ticket.serviceLevelAgreementHasBeenMet = undefined;
    return;
  }
  const created = ticket.createDate as string;
  const firstResponseMet = met(ticket.firstResponseDateTime, ticket.firstResponseDueDateTime);
  const resolutionMet = met(ticket.resolvedDateTime, ticket.resolvedDueDateTime);
  ticket.serviceLevelAgreementHasBeenMet =
    resolutionMet === undefined ? undefined : resolutionMet && firstResponseMet !== false;
  const row: Row = {
    id: existingId ?? table.nextId(FIRST_SLA_RESULT_ID),
    ticketID: ticket.id,
    serviceLevelAgreementName: store.profile.find("Tickets", "serviceLevelAgreementID", slaId as number)?.label,
  };
  if (typeof ticket.firstResponseDateTime === "string") {
    row.firstResponseElapsedHours = hoursBetween(created, ticket.firstResponseDateTime);
    row.firstResponseInitiatingResourceID = ticket.firstResponseInitiatingResourceID;
    row.firstResponseResourceID = ticket.firstResponseAssignedResourceID ?? ticket.firstResponseInitiatingResourceID;
    row.isFirstResponseMet = firstResponseMet;
  }
  if (typeof ticket.resolvedDateTime === "string") {
    row.resolutionElapsedHours = hoursBetween(created, ticket.resolvedDateTime);
    row.resolutionResourceID = ticket.completedByResourceID;
    row.isResolutionMet = resolutionMet;
  }
  for (const key of Object.keys(row)) if (row[key] === undefined) delete row[key];
  store.insert("ServiceLevelAgreementResults", row);
}
