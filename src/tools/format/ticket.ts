/**
 * How a ticket looks in tool output, in ONE vocabulary for search rows and details alike: picklist
 * ids with their labels (`status: { id, label }`), reference ids with names
 * (`company: { id, name }`, `assignedResource: { id, name }`), Autotask's field names for the rest
 * (`ticketNumber`, `dueDateTime`, `contractID`), nothing null or empty, and client-written text
 * delimited in the text rendering. A row is a subset of the details' fields, never a renaming.
 */
import { z } from "zod";
import { type DescribedTicket, displayName, inDeskZone, type TicketSearchRow } from "../../desk/index.js";
import { compact, oneLine, quoted, shortDateTime } from "./text.js";

const labelled = z.object({ id: z.number(), label: z.string().optional() });
const named = z.object({ id: z.number(), name: z.string().optional() });
type Labelled = z.infer<typeof labelled>;
type Named = z.infer<typeof named>;

/**
 * One due time per SLA event, each with its source: `autotask_sla` (the ticket's Autotask SLA fields),
 * `ticket_due_date` (its dueDateTime), or computed from targets (`configuration`, `default`, `contract`).
 */
export const slaViewSchema = z.object({
  state: z.string(),
  clock: z.string(),
  responseDue: z.string().optional(),
  responseSource: z.string().optional(),
  responseState: z.string().optional(),
  resolutionDue: z.string().optional(),
  resolutionSource: z.string().optional(),
  summary: z.string(),
});
export type SlaView = z.infer<typeof slaViewSchema>;

/**
 * The output schema names the fields clients rely on; the other fields of the view (issue types,
 * dates, description, resolution, user-defined fields…) pass through. The full list would double
 * the size of `tools/list`, which every client puts into the model's context.
 */
export const ticketViewSchema = z.looseObject({
  id: z.number(),
  ticketNumber: z.string().optional(),
  title: z.string().optional(),
  status: labelled.optional(),
  priority: labelled.optional(),
  queue: labelled.optional(),
  company: named.optional(),
  assignedResource: named.optional(),
  dueDateTime: z.string().optional(),
});

/** Everything `ticketView` may set. */
export interface TicketView {
  [field: string]: unknown;
  id: number;
  ticketNumber?: string;
  title?: string;
  status?: Labelled;
  priority?: Labelled;
  queue?: Labelled;
  issueType?: Labelled;
  subIssueType?: Labelled;
  ticketType?: Labelled;
  ticketCategory?: Labelled;
  source?: Labelled;
  company?: Named;
  contact?: Named;
  assignedResource?: Named & { roleID?: number; roleName?: string };
  contractID?: number;
  estimatedHours?: number;
  createDate?: string;
  dueDateTime?: string;
  firstResponseDateTime?: string;
  lastActivityDate?: string;
  completedDate?: string;
  description?: string;
  resolution?: string;
  userDefinedFields?: Record<string, unknown>;
}

function label(id: number | null | undefined, text: string | undefined) {
  return typeof id === "number" ? { id, label: text } : undefined;
}

function name(id: number | null | undefined, text: string | undefined) {
  return typeof id === "number" ? { id, name: text } : undefined;
}

/** The full view of a described ticket (details, create and update results). */
export function ticketView(described: DescribedTicket): TicketView {
  const { ticket, labels, names } = described;
  const zoned = (iso: string | null | undefined) => inDeskZone(iso, described.timeZone);
  const udfs = Array.isArray(ticket.userDefinedFields)
    ? Object.fromEntries(
        ticket.userDefinedFields
          .filter((udf) => udf.value !== null && udf.value !== undefined && udf.value !== "")
          .map((udf) => [udf.name, udf.value]),
      )
    : undefined;
  return compact({
    id: ticket.id,
    ticketNumber: ticket.ticketNumber ?? undefined,
    title: ticket.title ?? undefined,
    status: label(ticket.status, labels.status),
    priority: label(ticket.priority, labels.priority),
    queue: label(ticket.queueID, labels.queueID),
    issueType: label(ticket.issueType, labels.issueType),
    subIssueType: label(ticket.subIssueType, labels.subIssueType),
    ticketType: label(ticket.ticketType, labels.ticketType),
    ticketCategory: label(ticket.ticketCategory, labels.ticketCategory),
    source: label(ticket.source, labels.source),
    company: name(ticket.companyID, names.company),
    contact: name(ticket.contactID, names.contact),
    assignedResource:
      typeof ticket.assignedResourceID === "number"
        ? {
            id: ticket.assignedResourceID,
            name: names.assignedResource,
            roleID: ticket.assignedResourceRoleID ?? undefined,
            roleName: names.assignedResourceRole,
          }
        : undefined,
    contractID: ticket.contractID ?? undefined,
    estimatedHours: ticket.estimatedHours ?? undefined,
    createDate: zoned(ticket.createDate),
    dueDateTime: zoned(ticket.dueDateTime),
    firstResponseDateTime: zoned(ticket.firstResponseDateTime),
    lastActivityDate: zoned(ticket.lastActivityDate),
    completedDate: zoned(ticket.completedDate),
    description: ticket.description ?? undefined,
    resolution: ticket.resolution ?? undefined,
    userDefinedFields: udfs,
  });
}

/** A ticket's SLA: one due time per event (in the SLA's calendar zone, the desk's), its source and state. */
export function slaView(sla: DescribedTicket["sla"]): SlaView {
  const { timeZone } = sla;
  const applies = (state: string) => state !== "not_applicable";
  return compact({
    state: sla.resolution.state,
    clock: sla.clock,
    responseDue: inDeskZone(sla.response.dueAt, timeZone),
    responseSource: applies(sla.response.state) ? sla.response.source : undefined,
    responseState: sla.response.state,
    resolutionDue: inDeskZone(sla.resolution.dueAt, timeZone),
    resolutionSource: applies(sla.resolution.state) ? sla.resolution.source : undefined,
    summary: sla.summary,
  });
}

const SOURCE_TEXT: Record<string, string> = {
  autotask_sla: "Autotask SLA",
  ticket_due_date: "ticket due date",
  contract: "contract target",
  configuration: "configured target",
  default: "default target",
};

/** "resolution 2026-11-30 17:00+01:00 (Autotask SLA, breached)". */
function dueText(name: string, due: string | undefined, source: string | undefined, state: string | undefined): string | undefined {
  if (!due) return undefined;
  const parts = [source ? (SOURCE_TEXT[source] ?? source) : undefined, state?.replace("_", " ")].filter(Boolean).join(", ");
  return `${name} ${shortDateTime(due)}${parts ? ` (${parts})` : ""}`;
}

/** "Label (id)", "Name (id)" or "#id" when the label is unknown. */
function pair(value: { id: number; label?: string; name?: string } | undefined): string | undefined {
  if (!value) return undefined;
  const text = value.label ?? value.name;
  return text ? `${text} (${value.id})` : `#${value.id}`;
}

/** A readable block for one ticket; `withText` adds description and resolution, delimited as client data. */
export function renderTicket(view: TicketView, options: { withText: boolean; sla?: SlaView }): string {
  const line = (parts: Array<[string, string | undefined]>) =>
    parts
      .filter(([, value]) => value)
      .map(([key, value]) => `${key}: ${value}`)
      .join(" · ");
  const lines = [
    `${view.ticketNumber ?? "Ticket"} (id ${view.id}): ${quoted(view.title ?? "")}`,
    line([
      ["Status", pair(view.status)],
      ["Priority", pair(view.priority)],
      ["Queue", pair(view.queue)],
    ]),
    line([
      ["Company", pair(view.company)],
      ["Contact", pair(view.contact)],
      [
        "Assigned",
        view.assignedResource
          ? `${pair(view.assignedResource)}${view.assignedResource.roleID ? ` as ${view.assignedResource.roleName ?? "role"} (${view.assignedResource.roleID})` : ""}`
          : "nobody",
      ],
    ]),
    line([
      ["Type", pair(view.ticketType)],
      ["Issue", pair(view.issueType)],
      ["Sub-issue", pair(view.subIssueType)],
      ["Category", pair(view.ticketCategory)],
      ["Source", pair(view.source)],
    ]),
    line([
      ["Created", shortDateTime(view.createDate)],
      // With an SLA view, the due times are the SLA's, one per event (the due date is the resolution's when it applies).
      ["Due", options.sla ? undefined : shortDateTime(view.dueDateTime)],
      ["Last activity", shortDateTime(view.lastActivityDate)],
      ["Completed", shortDateTime(view.completedDate)],
    ]),
  ];
  if (options.sla) {
    const sla = options.sla;
    const dues = [
      dueText("first response", sla.responseDue, sla.responseSource, sla.responseState),
      dueText("resolution", sla.resolutionDue, sla.resolutionSource, sla.state),
    ].filter(Boolean);
    if (dues.length > 0 || sla.clock === "paused") lines.push(`Due: ${dues.join(" · ") || "no SLA target"}${sla.clock === "paused" ? " · clock PAUSED" : ""}`);
    lines.push(`SLA: ${sla.summary}`);
  }
  if (options.withText && view.description) lines.push(`Description: ${quoted(view.description)}`);
  if (options.withText && view.resolution) lines.push(`Resolution: ${quoted(view.resolution)}`);
  if (view.userDefinedFields) {
    lines.push(
      `User-defined fields: ${Object.entries(view.userDefinedFields)
        // Values are free text anyone with the ticket form can write: delimited like the description.
        .map(([key, value]) => `${displayName(key) ?? key}=${typeof value === "string" ? quoted(value) : String(value)}`)
        .join(", ")}`,
    );
  }
  return lines.filter((text) => text.length > 0).join("\n");
}

/** What the first line of a result page says about the search. */
export interface TicketRowsMeta {
  total: number;
  pageNumber: number;
  /** Rows shown on earlier pages. */
  offset: number;
  sort: "oldest" | "newest" | "dueSoonest";
  nextCursor?: string;
  /** Said before the rows: names resolved, ids that do not exist. */
  notes: readonly string[];
}

const SORT_TEXT: Record<TicketRowsMeta["sort"], string> = {
  oldest: "oldest first",
  newest: "newest first",
  dueSoonest: "earliest due first",
};

/** The columns of a row, in the details' field names, said once per page instead of once per row. */
export const TICKET_ROW_COLUMNS =
  "Columns: id ticketNumber | status | priority | company (id) | assignedResource (id) | due (source) | sla state | title";

/**
 * A search page as text, the one form search rows take (no structured copy: bench/README.md, "Which
 * part of a tool result hosts read"). A heading with the total, order and page; the columns once;
 * one line per ticket with the labels and names the details use (`company` and `assignedResource`
 * with their ids, as the details print them); the client-written title delimited; and the cursor
 * verbatim when more pages exist.
 *
 * Built straight from the described tickets, computing only what is shown: a row costs a few string
 * joins, no view object, no SLA text.
 */
export function renderTicketRows(tickets: readonly TicketSearchRow[], meta: TicketRowsMeta): string {
  const lines: string[] = [...meta.notes];
  if (tickets.length === 0) {
    lines.push(meta.pageNumber > 1 ? "No more tickets." : "No tickets match these filters.");
    return lines.join("\n");
  }
  const first = meta.offset + 1;
  const last = meta.offset + tickets.length;
  lines.push(
    `${meta.total} ticket${meta.total === 1 ? " matches" : "s match"}, ${SORT_TEXT[meta.sort]}; rows ${first}-${last}${meta.pageNumber > 1 ? ` (page ${meta.pageNumber})` : ""}.`,
    TICKET_ROW_COLUMNS,
  );
  for (const described of tickets) lines.push(ticketRowLine(described));
  if (meta.nextCursor) lines.push(`More: call again with the same filters and cursor "${meta.nextCursor}".`);
  return lines.join("\n");
}

/** One row: `101 T20261120.0001 | In Progress | High | Contoso (7) | Ada Lovelace (30) | due 2026-11-30 17:00Z | on_track | <<<title>>>`. */
function ticketRowLine(row: TicketSearchRow): string {
  const { ticket, labels, names } = row;
  let line = ticket.ticketNumber ? `${ticket.id} ${ticket.ticketNumber}` : String(ticket.id);
  line += ` | ${rowLabel(ticket.status, labels.status)} | ${rowLabel(ticket.priority, labels.priority)}`;
  line += ` | ${rowNamed(ticket.companyID, names.company) ?? "no company"}`;
  line += ` | ${rowNamed(ticket.assignedResourceID, names.assignedResource) ?? "unassigned"}`;
  const { sla } = row;
  if (sla.state === "not_applicable") {
    if (ticket.dueDateTime) line += ` | due ${shortDateTime(inDeskZone(ticket.dueDateTime, row.timeZone))}`;
  } else {
    // One due time per SLA event, with its source; a paused clock says so.
    if (sla.dueAt) line += ` | due ${shortDateTime(inDeskZone(sla.dueAt, row.timeZone))} (${SOURCE_TEXT[sla.source] ?? sla.source})`;
    line += ` | ${sla.state}${sla.paused ? ", paused" : ""}`;
    if (sla.responseDueAt) line += ` | response due ${shortDateTime(inDeskZone(sla.responseDueAt, row.timeZone))} ${sla.responseState}`;
  }
  return `${line} | ${quoted(oneLine(ticket.title, 120))}`;
}

function rowLabel(id: number | null | undefined, text: string | undefined): string {
  if (typeof id !== "number") return "-";
  return text ?? `#${id}`;
}

function rowNamed(id: number | null | undefined, text: string | undefined): string | undefined {
  if (typeof id !== "number") return undefined;
  return text ? `${text} (${id})` : `#${id}`;
}
