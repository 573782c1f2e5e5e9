/**
 * The contract between the tools and the Autotask client: every operation a tool may perform against
 * Autotask, and nothing else. Tools depend on this interface (tests can hand them any implementation);
 * `AutotaskClient` in `client.ts` is the one real implementation.
 *
 * Records are returned as Autotask sends them (camelCase fields, picklists as integers, dates as ISO
 * strings in UTC), validated with zod schemas that pass unknown fields through.
 */
import type { QuerySpec } from "./query.js";
import type {
  Company,
  CompanyField,
  Contact,
  ContactField,
  FieldInfo,
  PageDetails,
  Resource,
  ResourceField,
  ResourceServiceDeskRole,
  ServiceLevelAgreementResult,
  ResourceServiceDeskRoleField,
  ThresholdInformation,
  Ticket,
  TicketCreate,
  TicketField,
  TicketNote,
  TicketNoteCreate,
  TicketNoteField,
  TicketPatch,
} from "./schemas.js";

/** Entities the server queries. Names are Autotask's URL segments. */
export type QueryableEntity =
  | "Tickets"
  | "TicketNotes"
  | "Companies"
  | "Contacts"
  | "Resources"
  | "ResourceServiceDeskRoles"
  | "ServiceLevelAgreementResults";

/** Entities whose field metadata the server reads (picklists, lengths, UDF definitions). */
export type MetadataEntity = "Tickets" | "TicketNotes" | "Companies" | "Contacts" | "Resources";

/** One page of a query: the items and the URL that continues it (null on the last page). */
export interface QueryPage<T> {
  items: T[];
  pageDetails: PageDetails;
}

export interface RequestOptions {
  /** Cancels the request (and any retry wait); MCP passes the tool call's signal through here. */
  signal?: AbortSignal;
}

export interface AutotaskApi {
  getTicket(id: number, options?: RequestOptions): Promise<Ticket | null>;
  /** One page. Pass `nextPageUrl` from a previous page to continue the same query (same spec!). */
  queryTicketsPage(spec: QuerySpec<TicketField>, nextPageUrl?: string, options?: RequestOptions): Promise<QueryPage<Ticket>>;
  /** Every page, following `nextPageUrl`, stopping after `maxTotal` records (default 10,000). */
  queryTickets(spec: QuerySpec<TicketField>, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<Ticket[]>;
  countTickets(spec: Pick<QuerySpec<TicketField>, "filter">, options?: RequestOptions): Promise<number>;
  /** POST /Tickets; resolves to the new ticket's id. */
  createTicket(fields: TicketCreate, options?: RequestOptions): Promise<number>;
  /** PATCH /Tickets with `id` in the body; only the given fields change. */
  updateTicket(fields: TicketPatch, options?: RequestOptions): Promise<number>;

  /** GET /Tickets/{id}/Notes (all pages). */
  listTicketNotes(ticketId: number, options?: RequestOptions): Promise<TicketNote[]>;
  /** POST /TicketNotes/query, every page. */
  queryTicketNotes(spec: QuerySpec<TicketNoteField>, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<TicketNote[]>;
  /** POST /Tickets/{ticketId}/Notes; resolves to the new note's id. */
  createTicketNote(ticketId: number, fields: TicketNoteCreate, options?: RequestOptions): Promise<number>;

  queryCompanies(spec: QuerySpec<CompanyField>, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<Company[]>;
  queryContacts(spec: QuerySpec<ContactField>, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<Contact[]>;
  queryResources(spec: QuerySpec<ResourceField>, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<Resource[]>;
  queryResourceServiceDeskRoles(
    spec: QuerySpec<ResourceServiceDeskRoleField>,
    options?: RequestOptions & { maxTotal?: number },
  ): AsyncIterable<ResourceServiceDeskRole[]>;

  /**
   * POST /ServiceLevelAgreementResults/query, every page: Autotask's own SLA record per ticket
   * (elapsed hours on its business-hours, pause-aware clock; met flags). Read-only entity.
   */
  queryServiceLevelAgreementResults(
    spec: QuerySpec,
    options?: RequestOptions & { maxTotal?: number },
  ): AsyncIterable<ServiceLevelAgreementResult[]>;

  /** GET /{Entity}/entityInformation/fields */
  getFieldInfo(entity: MetadataEntity, options?: RequestOptions): Promise<FieldInfo[]>;
  /** GET /{Entity}/entityInformation/userDefinedFields */
  getUserDefinedFieldInfo(entity: MetadataEntity, options?: RequestOptions): Promise<FieldInfo[]>;
  getThresholdInformation(options?: RequestOptions): Promise<ThresholdInformation>;
}
