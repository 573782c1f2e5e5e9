/**
 * The open-ticket sweep shared by the escalation check and the SLA report: the filter (caller's
 * company, queue, resource, priority plus "status is not a completed one"), the fields the SLA and
 * escalation rules read (`IncludeFields`), and resource names for the rows that are shown.
 */
import type { RequestOptions } from "../../autotask/api.js";
import { type Condition, eq, exist, inList, notInList } from "../../autotask/query.js";
import type { TicketField } from "../../autotask/schemas.js";
import type { TenantMapping } from "../../domain/states.js";
import type { Directory } from "../directory.js";
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
  companyID?: number;
  /** Queue id or label. */
  queueID?: number | string;
  assignedResourceID?: number;
  /** Priority id, label or semantic level (critical, high...). */
  priority?: number | string;
}

/** Query conditions for open tickets matching `filters`; labels are resolved against the tenant's picklists. */
export async function openTicketFilter(
  tenant: TenantService,
  mapping: TenantMapping,
  filters: SweepFilters,
  options: RequestOptions,
): Promise<Condition<TicketField>[]> {
  const filter: Condition<TicketField>[] = [];
  const complete = mapping.statusIdsFor("COMPLETE");
  filter.push(complete.length > 0 ? notInList("status", complete) : exist("id"));
  if (filters.companyID !== undefined) filter.push(eq("companyID", filters.companyID));
  if (filters.assignedResourceID !== undefined) filter.push(eq("assignedResourceID", filters.assignedResourceID));
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
