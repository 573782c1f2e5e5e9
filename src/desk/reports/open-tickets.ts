/**
 * The open-ticket sweep shared by the escalation check and the SLA report: the filter (caller's
 * company, queue, resource, priority plus "status is not a completed one"), the fields the SLA and
 * escalation rules read (`IncludeFields`), and resource names for the rows that are shown.
 */
import type { RequestOptions } from "../../autotask/api.js";
import { type Condition, eq, exist, inList, notInList } from "../../autotask/query.js";
import type { TicketField } from "../../autotask/schemas.js";
import type { TenantMapping } from "../../domain/states.js";
import type { Directory, FilterPeople } from "../directory.js";
import type { TenantService } from "../tenant.js";

/** Ticket fields the SLA clock, the escalation rules and the rendered rows need; nothing else is fetched. */
export const SWEEP_FIELDS = [
  "id",
  "ticketNumber",
  "title",
  "status",
  "priority",
  "queueID",
  "companyID",
  "assignedResourceID",
  "serviceLevelAgreementID",
  "createDate",
  "dueDateTime",
  "firstResponseDateTime",
  "firstResponseDueDateTime",
  "resolvedDateTime",
  "resolvedDueDateTime",
  "completedDate",
  "lastActivityDate",
] as const;

export interface SweepFilters {
  /** Id, or a name resolved to one active company (`Directory.resolveFilterPeople`). */
  companyID?: number | string;
  /** Queue id or label. */
  queueID?: number | string;
  /** Id, or a technician's name or e-mail resolved to one active resource. */
  assignedResourceID?: number | string;
  /** Priority id, label or semantic level (critical, high...). */
  priority?: number | string;
}

/**
 * Query conditions for open tickets matching `filters`; labels are resolved against the tenant's
 * picklists, names through the directory (what each resolved to is added to `notes`).
 */
export async function openTicketFilter(
  deps: { tenant: TenantService; directory: Directory },
  mapping: TenantMapping,
  filters: SweepFilters,
  notes: string[],
  options: RequestOptions,
): Promise<Condition<TicketField>[]> {
  const { tenant } = deps;
  const filter: Condition<TicketField>[] = [];
  const complete = mapping.statusIdsFor("COMPLETE");
  filter.push(complete.length > 0 ? notInList("status", complete) : exist("id"));
  filter.push(...(await whoConditions(deps.directory, filters, notes, options)));
  if (filters.queueID !== undefined) {
    filter.push(eq("queueID", (await tenant.resolveTicketValue("queueID", filters.queueID, { ...options, forRead: true })).value));
  }
  if (filters.priority !== undefined) {
    const value = await tenant.resolveTicketValue("priority", filters.priority, { ...options, forRead: true });
    // A semantic level can cover several tenant priorities (two "High"-like labels).
    const level = mapping.priorityOf(value.value);
    const ids = typeof filters.priority === "string" && level && filters.priority.trim().toUpperCase() === level ? mapping.priorityIdsFor(level) : [value.value];
    filter.push(ids.length > 1 ? inList("priority", ids) : eq("priority", value.value));
  }
  return filter;
}

/**
 * The company and technician conditions of a report's filter, shared by the sweeps and the metrics
 * (`Directory.resolveFilterPeople`: ids as given, names resolved, what each resolved to in `notes`).
 */
export async function whoConditions(directory: Directory, filters: FilterPeople, notes: string[], options: RequestOptions): Promise<Condition<TicketField>[]> {
  const { companyID, assignedResourceID } = await directory.resolveFilterPeople(filters, notes, options);
  const conditions: Condition<TicketField>[] = [];
  if (companyID !== undefined) conditions.push(eq("companyID", companyID));
  if (assignedResourceID !== undefined) conditions.push(eq("assignedResourceID", assignedResourceID));
  return conditions;
}

/**
 * Display names of resources by id, through the desk's Directory (cached for the process, shared with
 * the ticket tools). Ids Autotask does not know are left out of the map.
 */
export async function resourceNames(directory: Directory, ids: Iterable<number>, options: RequestOptions): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  const resolved = await directory.names({ resources: unique }, options);
  const names = new Map<number, string>();
  for (const id of unique) {
    const name = resolved.resource(id);
    if (name) names.set(id, name);
  }
  return names;
}
