/**
 * How a ticket looks in tool output, in ONE vocabulary for search rows and details alike: picklist
 * ids with their labels (`status: { id, label }`), reference ids with names
 * (`company: { id, name }`, `assignedResource: { id, name }`), Autotask's field names for the rest
 * (`ticketNumber`, `dueDateTime`, `contractID`), nothing null or empty, and client-written text
 * delimited in the text rendering. A row is a subset of the details' fields, never a renaming.
 */
import { z } from "zod";
import { type DescribedTicket, inDeskZone } from "../../desk/index.js";
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

/** A search row: the same names and shapes as the details, fewer fields, and the SLA state. */
export const ticketRowSchema = z.object({
  id: z.number(),
  ticketNumber: z.string().optional(),
  title: z.string().optional(),
  status: labelled.optional(),
  priority: labelled.optional(),
  company: named.optional(),
  assignedResource: named.optional(),
  dueDateTime: z.string().optional(),
  /** The resolution clock: state, due time and its source; `clock: "paused"` while the ticket waits. */
  sla: z
    .object({ state: z.string(), due: z.string().optional(), source: z.string().optional(), clock: z.string().optional(), responseDue: z.string().optional() })
    .optional(),
});
export type TicketRow = z.infer<typeof ticketRowSchema>;

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

/** A search row: the view's identity, status, priority, company, assignee and due date, plus the SLA state. */
export function ticketRow(described: DescribedTicket): TicketRow {
  const view = ticketView(described);
  const { resolution, response, clock } = described.sla;
  const state = resolution.state;
  // The first-response due time matters on a row only while the response is still owed.
  const responseOpen = !response.completedAt && response.state !== "not_applicable";
  return compact({
    id: view.id,
    ticketNumber: view.ticketNumber,
    title: oneLine(view.title, 120),
    status: view.status,
    priority: view.priority,
    company: view.company,
    assignedResource: view.assignedResource ? { id: view.assignedResource.id, name: view.assignedResource.name } : undefined,
    dueDateTime: view.dueDateTime,
    sla:
      state === "not_applicable"
        ? undefined
        : {
            state,
            due: inDeskZone(resolution.dueAt, described.timeZone),
            source: resolution.source,
            clock: clock === "paused" ? clock : undefined,
            responseDue: responseOpen ? inDeskZone(response.dueAt, described.timeZone) : undefined,
          },
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

/** The text of a value without its id: the label or name, or "#id". */
function shown(value: { id: number; label?: string; name?: string } | undefined): string | undefined {
  if (!value) return undefined;
  return value.label ?? value.name ?? `#${value.id}`;
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
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(", ")}`,
    );
  }
  return lines.filter((text) => text.length > 0).join("\n");
}

/** One line per row: id and number, status, priority, company, assignee, due, SLA state, then the title delimited. */
export function renderTicketRows(rows: TicketRow[], meta: { total?: number; pageNumber: number }): string {
  if (rows.length === 0) return meta.pageNumber > 1 ? "No more tickets." : "No tickets match these filters.";
  const heading =
    meta.total !== undefined
      ? `${meta.total} ticket${meta.total === 1 ? "" : "s"} found${meta.pageNumber > 1 ? ` (page ${meta.pageNumber})` : ""}.`
      : `Page ${meta.pageNumber}: ${rows.length} tickets; more match (call again with the same filters and nextCursor).`;
  const lines = rows.map((row) =>
    [
      `${row.id} ${row.ticketNumber ?? ""}`.trim(),
      shown(row.status),
      shown(row.priority),
      shown(row.company),
      shown(row.assignedResource) ?? "unassigned",
      row.sla?.due
        ? `due ${shortDateTime(row.sla.due)} (${SOURCE_TEXT[row.sla.source ?? ""] ?? row.sla.source})`
        : row.dueDateTime
          ? `due ${shortDateTime(row.dueDateTime)}`
          : undefined,
      row.sla ? `${row.sla.state.replace("_", " ")}${row.sla.clock === "paused" ? ", paused" : ""}` : undefined,
      row.sla?.responseDue ? `response due ${shortDateTime(row.sla.responseDue)}` : undefined,
      quoted(row.title ?? ""),
    ]
      .filter(Boolean)
      .join(" | "),
  );
  return [heading, ...lines].join("\n");
}
