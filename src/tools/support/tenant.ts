/**
 * The tenant's picklists as the tools need them: resolve what a caller typed (an id, a label, or a
 * semantic name such as `in_progress`) to the tenant's id, and turn ids back into labels.
 *
 * Nothing here knows a picklist id: every value comes from `/{Entity}/entityInformation/fields`
 * through the shared `PicklistCache`. When Autotask says a value does not exist (the tenant changed
 * its picklists since we cached them), `withFreshPicklists` drops the cache and tries once more.
 */
import type { MetadataEntity, RequestOptions } from "../../autotask/api.js";
import { AutotaskValidationError } from "../../autotask/errors.js";
import { type Picklist, type PicklistCache, PicklistError } from "../../autotask/picklists.js";
import type { PicklistValue } from "../../autotask/schemas.js";
import {
  buildTenantMapping,
  type MappingOverrides,
  SEMANTIC_PRIORITIES,
  SEMANTIC_STATUSES,
  type SemanticPriority,
  type SemanticStatus,
  type TenantMapping,
} from "../../domain/states.js";

export const TICKET_PICKLIST_FIELDS = [
  "status",
  "priority",
  "queueID",
  "issueType",
  "subIssueType",
  "ticketType",
  "ticketCategory",
  "source",
] as const;
export type TicketPicklistField = (typeof TICKET_PICKLIST_FIELDS)[number];
export type NotePicklistField = "noteType" | "publish";

/** Ticket picklist values as labels, for output. Absent when the ticket has no value. */
export type TicketLabels = Partial<Record<TicketPicklistField, string>>;

export class TenantService {
  private mappingFor: { status: Picklist; priority: Picklist; mapping: TenantMapping } | undefined;

  constructor(
    private readonly picklists: PicklistCache,
    private readonly overrides: MappingOverrides,
  ) {}

  picklist(entity: MetadataEntity, field: string, options?: RequestOptions): Promise<Picklist> {
    return this.picklists.picklist(entity, field, options);
  }

  ticketPicklist(field: TicketPicklistField, options?: RequestOptions): Promise<Picklist> {
    return this.picklists.picklist("Tickets", field, options);
  }

  /** The semantic mapping of this tenant's statuses and priorities, rebuilt when the picklists are reloaded. */
  async mapping(options?: RequestOptions): Promise<TenantMapping> {
    const [status, priority] = await Promise.all([
      this.ticketPicklist("status", options),
      this.ticketPicklist("priority", options),
    ]);
    if (this.mappingFor?.status !== status || this.mappingFor.priority !== priority) {
      const mapping = buildTenantMapping({
        statuses: status.values,
        priorities: priority.values,
        overrides: this.overrides,
      });
      this.mappingFor = { status, priority, mapping };
    }
    return this.mappingFor.mapping;
  }

  /**
   * Resolves a picklist argument. Status and priority also accept the semantic names
   * (`in_progress`, `waiting_customer`, `critical`), mapped through this tenant's labels.
   */
  async resolveTicketValue(
    field: TicketPicklistField,
    input: string | number,
    options?: RequestOptions,
  ): Promise<PicklistValue> {
    const picklist = await this.ticketPicklist(field, options);
    try {
      return picklist.resolve(input);
    } catch (error) {
      if (!(error instanceof PicklistError) || typeof input !== "string") throw error;
      const semantic = input.trim().toUpperCase().replace(/[\s-]+/g, "_");
      const mapping = await this.mapping(options);
      let id: number | undefined;
      if (field === "status" && semantic !== "OTHER" && (SEMANTIC_STATUSES as readonly string[]).includes(semantic)) {
        id = mapping.primaryStatusId(semantic as SemanticStatus);
      } else if (field === "priority" && (SEMANTIC_PRIORITIES as readonly string[]).includes(semantic)) {
        id = mapping.primaryPriorityId(semantic as SemanticPriority);
      }
      const value = id === undefined ? undefined : picklist.active().find((v) => v.value === id);
      if (value) return value;
      throw error;
    }
  }

  async resolveNoteValue(field: NotePicklistField, input: string | number, options?: RequestOptions): Promise<PicklistValue> {
    const picklist = await this.picklists.picklist("TicketNotes", field, options);
    return picklist.resolve(input);
  }

  /** Labels for every picklist value set on a ticket; one metadata load covers them all. */
  async ticketLabels(ticket: Partial<Record<TicketPicklistField, unknown>>, options?: RequestOptions): Promise<TicketLabels> {
    const labels: TicketLabels = {};
    await Promise.all(
      TICKET_PICKLIST_FIELDS.map(async (field) => {
        const id = ticket[field];
        if (typeof id !== "number") return;
        const picklist = await this.ticketPicklist(field, options);
        labels[field] = picklist.labelOf(id) ?? `#${id}`;
      }),
    );
    return labels;
  }

  /**
   * Runs a write; if Autotask answers that a picklist value does not exist, the tenant changed its
   * picklists since they were cached: reload them and run the write once more (it re-resolves).
   */
  async withFreshPicklists<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof AutotaskValidationError) || !isStalePicklistError(error)) throw error;
      this.picklists.invalidate();
      this.mappingFor = undefined;
      return write();
    }
  }
}

function isStalePicklistError(error: AutotaskValidationError): boolean {
  return error.autotaskErrors.some((message) => /picklist value .* does not exist/i.test(message));
}
