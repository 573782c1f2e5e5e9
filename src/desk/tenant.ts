/**
 * The tenant: its picklists joined with the semantic status/priority mapping. `resolveTicketValue`
 * is THE resolver for what a caller typed (an id, a label, or a semantic name such as
 * `in_progress`): create, update and search all go through it, so a value means the same thing
 * everywhere. Ids turn back into labels here too.
 *
 * Nothing here knows a picklist id: every value comes from `/{Entity}/entityInformation/fields`
 * through the shared `PicklistCache`. When Autotask says a value does not exist (the tenant changed
 * its picklists since we cached them), `withFreshPicklists` drops the cache and tries once more.
 */
import type { MetadataEntity, RequestOptions } from "../autotask/api.js";
import { AutotaskValidationError } from "../autotask/errors.js";
import { type Picklist, type PicklistCache, PicklistError } from "../autotask/picklists.js";
import type { PicklistValue } from "../autotask/schemas.js";
import { UserInputError } from "../errors.js";
import {
  buildTenantMapping,
  type MappingOverrides,
  SEMANTIC_PRIORITIES,
  SEMANTIC_STATUS_NAMES,
  type SemanticPriority,
  semanticKey,
  semanticStatusNamed,
  type TenantMapping,
} from "../domain/states.js";

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

/** The parent a dependent picklist value is resolved under; `parent` undefined = none given. */
export interface ParentContext {
  parent?: number | null;
}

/** Ticket picklist values as labels, for output. Absent when the ticket has no value. */
/**
 * Request options for the resolver. `forRead`: the value filters a read (search, escalations, SLA
 * report, metrics), so inactive values are accepted (tickets can still carry them); writes leave it
 * unset and are refused an inactive value, with a message that says it is inactive.
 */
export type ResolveOptions = RequestOptions & { forRead?: boolean };

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
    options?: ResolveOptions,
    under?: ParentContext,
  ): Promise<PicklistValue> {
    const picklist = await this.ticketPicklist(field, options);
    if (picklist.parentField !== undefined) return this.#resolveDependent(picklist, input, under, options);
    try {
      return picklist.resolve(input, { includeInactive: options?.forRead === true });
    } catch (error) {
      if (!(error instanceof PicklistError) || typeof input !== "string") throw error;
      const mapping = await this.mapping(options);
      let id: number | undefined;
      if (field === "status") {
        const semantic = semanticStatusNamed(input);
        if (semantic === "OTHER") {
          const others = mapping.statusIdsFor("OTHER").filter((v) => mapping.isStatusActive(v)).map((v) => mapping.statusLabel(v) ?? `#${v}`);
          throw new UserInputError(
            `status "${input.trim()}" names no single status: OTHER is the class of this tenant's statuses outside the semantic states${others.length > 0 ? ` (${others.join(", ")})` : ""}. Pass one of them by label or id, or a semantic name: ${SEMANTIC_STATUS_NAMES.join(", ")}.`,
            field,
          );
        }
        if (semantic !== undefined) id = mapping.primaryStatusId(semantic);
        const value = id === undefined ? undefined : picklist.active().find((v) => v.value === id);
        if (value) return value;
        if (semantic !== undefined) {
          throw new UserInputError(`This tenant has no active status mapped to ${semantic.toLowerCase()}, so status "${input.trim()}" cannot be used. ${error.message}`, field);
        }
        throw new UserInputError(`${error.message} Semantic names also work: ${SEMANTIC_STATUS_NAMES.join(", ")}.`, field);
      }
      if (field === "priority") {
        const semantic = semanticKey(input);
        if ((SEMANTIC_PRIORITIES as readonly string[]).includes(semantic)) id = mapping.primaryPriorityId(semantic as SemanticPriority);
        const value = id === undefined ? undefined : picklist.active().find((v) => v.value === id);
        if (value) return value;
        throw new UserInputError(`${error.message} Semantic names also work: ${SEMANTIC_PRIORITIES.map((p) => p.toLowerCase()).join(", ")}.`, field);
      }
      throw error;
    }
  }

  /**
   * The ticket field a dependent picklist hangs under (`subIssueType` -> `issueType`), from the
   * metadata's `picklistParentValueField`; undefined for an independent picklist.
   */
  async parentFieldOf(field: TicketPicklistField, options?: RequestOptions): Promise<TicketPicklistField | undefined> {
    const parentField = (await this.ticketPicklist(field, options)).parentField;
    return parentField === undefined ? undefined : TICKET_PICKLIST_FIELDS.find((f) => f.toLowerCase() === parentField.toLowerCase());
  }

  /**
   * Whether `childId` may stay under `parentId` (Autotask refuses a child of another parent, or under
   * an inactive parent). A missing child always fits.
   */
  async childFits(field: TicketPicklistField, childId: number | null | undefined, parentId: number | null | undefined, options?: RequestOptions): Promise<boolean> {
    if (typeof childId !== "number") return true;
    const child = (await this.ticketPicklist(field, options)).values.find((v) => v.value === childId);
    if (!child || child.parentValue === null) return true;
    return child.parentValue === parentId && child.isActive;
  }

  /**
   * A value of a dependent picklist (metadata `picklistParentValueField`; in Autotask, subIssueType
   * under issueType). The same label repeats under many parents (the captured tenant has "Hardware"
   * under 14 issue types), so a label resolves only among the active children of `under.parent`;
   * without a parent, only if exactly one active child under an ACTIVE parent carries it. Autotask
   * refuses a child under an inactive parent, so such children are never candidates.
   * @throws UserInputError naming the parent's children, or the parents an ambiguous label could belong to.
   */
  async #resolveDependent(picklist: Picklist, input: string | number, under: ParentContext | undefined, options?: ResolveOptions): Promise<PicklistValue> {
    const forRead = options?.forRead === true;
    const parentName = TICKET_PICKLIST_FIELDS.find((f) => f.toLowerCase() === picklist.parentField?.toLowerCase());
    const parents = parentName ? await this.ticketPicklist(parentName, options) : undefined;
    const parentActive = (id: number | null) => forRead || id === null || !parents || parents.active().some((p) => p.value === id);
    const parentLabel = (id: number | null) => (id === null ? "(none)" : (parents?.labelOf(id) ?? `#${id}`));
    const candidates = (forRead ? picklist.values : picklist.active()).filter((v) => parentActive(v.parentValue));
    const parent = under?.parent ?? undefined;
    const inScope = parent === undefined ? candidates : candidates.filter((v) => v.parentValue === parent || v.parentValue === null);
    const field = picklist.field;
    const parentArg = parentName ?? picklist.parentField ?? "parent";
    const text = typeof input === "number" ? String(input) : input.trim();
    const byId = /^-?\d+$/.test(text) ? picklist.values.find((v) => v.value === Number(text)) : undefined;
    const wanted = text.toLowerCase();
    const matches = byId ? [byId] : inScope.filter((v) => v.label.trim().toLowerCase() === wanted);
    const scopeText = parent === undefined ? "" : ` under ${parentArg} ${parentLabel(parent)}`;
    const children = () => inScope.map((v) => v.label).join(", ") || "(none)";
    if (byId) {
      if (!byId.isActive || !parentActive(byId.parentValue)) {
        throw new UserInputError(`${field} ${text} (${byId.label}) cannot be used: ${byId.isActive ? `its ${parentArg} ${parentLabel(byId.parentValue)} is inactive` : "it is inactive"}.`, field);
      }
      if (parent !== undefined && byId.parentValue !== null && byId.parentValue !== parent) {
        throw new UserInputError(
          `${field} ${text} (${byId.label}) belongs to ${parentArg} ${parentLabel(byId.parentValue)}, not ${parentLabel(parent)}. ${capitalise(field)} values${scopeText}: ${children()}.`,
          field,
        );
      }
      return byId;
    }
    if (matches.length === 1) return matches[0] as PicklistValue;
    if (matches.length > 1) {
      const owners = [...new Set(matches.map((v) => parentLabel(v.parentValue)))];
      throw new UserInputError(
        `${field} "${text}" exists under several ${parentArg} values: ${owners.join(", ")}. Pass ${parentArg} too (e.g. ${parentArg}: "${owners[0]}").`,
        field,
      );
    }
    if (parent !== undefined && candidates.some((v) => v.label.trim().toLowerCase() === wanted)) {
      const owners = [...new Set(candidates.filter((v) => v.label.trim().toLowerCase() === wanted).map((v) => parentLabel(v.parentValue)))];
      throw new UserInputError(
        `${field} "${text}" does not exist${scopeText}; it exists under ${owners.join(", ")}. ${capitalise(field)} values${scopeText}: ${children()}.`,
        field,
      );
    }
    if (parent !== undefined) throw new UserInputError(`Unknown ${field} "${text}"${scopeText}. Valid values${scopeText}: ${children()}.`, field);
    const inactive = picklist.values.find((v) => !v.isActive && (v.label.trim().toLowerCase() === wanted));
    throw new PicklistError(field, input, [...new Set(candidates.map((v) => v.label))], inactive);
  }

  /**
   * A status filter: the same resolver per value (inactive statuses included: it reads), plus `open`
   * (alone) for every status not mapped to complete. Returns the tenant's status ids and whether they are to be excluded.
   * @throws UserInputError for `open` mixed with other values, or a tenant without a complete status.
   */
  async resolveStatusFilter(inputs: ReadonlyArray<string | number>, options?: RequestOptions): Promise<{ exclude: boolean; ids: number[] }> {
    if (inputs.some((input) => typeof input === "string" && input.trim().toLowerCase() === "open")) {
      if (inputs.length > 1) throw new UserInputError('status "open" already means every status except complete; send it alone.', "status");
      const complete = (await this.mapping(options)).statusIdsFor("COMPLETE");
      if (complete.length === 0) {
        throw new UserInputError('This tenant has no status mapped to complete, so "open" cannot be worked out; list the statuses instead.', "status");
      }
      return { exclude: true, ids: complete };
    }
    const mapping = await this.mapping(options);
    const list = await this.ticketPicklist("status", options);
    const ids = await Promise.all(
      inputs.map(async (input) => {
        // A label or id of the tenant's first; then a semantic name (`complete`, `closed`, `other`) stands for
        // every status mapped to it, inactive ones included: old tickets may still hold them.
        const semantic = typeof input === "string" && list.values.every((v) => v.label.trim().toLowerCase() !== input.trim().toLowerCase()) ? semanticStatusNamed(input) : undefined;
        if (semantic !== undefined && mapping.statusIdsFor(semantic).length > 0) return mapping.statusIdsFor(semantic);
        return [(await this.resolveTicketValue("status", input, { ...options, forRead: true })).value];
      }),
    );
    return { exclude: false, ids: [...new Set(ids.flat())] };
  }

  /** The status a new ticket gets when none is given: the tenant's default, else its "new" status. */
  async defaultStatus(options?: RequestOptions): Promise<PicklistValue> {
    const [list, mapping] = await Promise.all([this.ticketPicklist("status", options), this.mapping(options)]);
    const status = list.defaultValue() ?? list.active().find((v) => v.value === mapping.primaryStatusId("NEW"));
    if (!status) throw new UserInputError("This tenant has no default ticket status; pass status.", "status");
    return status;
  }

  /**
   * The priority a new ticket gets when none is given: the tenant's default, else its medium one
   * (then `fallback` is true, so the caller can say so).
   */
  async defaultPriority(options?: RequestOptions): Promise<{ value: PicklistValue; fallback: boolean }> {
    const [list, mapping] = await Promise.all([this.ticketPicklist("priority", options), this.mapping(options)]);
    const byDefault = list.defaultValue();
    if (byDefault) return { value: byDefault, fallback: false };
    const medium = list.active().find((v) => v.value === mapping.primaryPriorityId("MEDIUM"));
    if (!medium) {
      throw new UserInputError(
        `This tenant has no default priority; pass priority, one of: ${list.active().map((v) => v.label).join(", ")}.`,
        "priority",
      );
    }
    return { value: medium, fallback: true };
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
        labels[field] = (await this.ticketPicklist(field, options)).labelOrId(id);
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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
