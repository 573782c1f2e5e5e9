/**
 * Ticket and ticket-note writes with Autotask's validation and bookkeeping. Input property names are
 * case-insensitive, unknown and read-only properties are dropped, and each failure is collected as an
 * Autotask-style message (thrown together as one HTTP 500 `{"errors":[...]}`). Successful writes maintain
 * the system fields Autotask maintains: ticket number, create/activity dates, completion, first response.
 */
import { AutotaskError, lowerKeys, toInstantOrNull } from "./query.js";
import { ENTITIES, type EntityDef, type EntityName, type FieldDef } from "./schema.js";
import { applySlaDueDates, refreshSlaResult } from "./sla.js";
import type { Row, SandboxStore } from "./store.js";

export interface Actor {
  /** The resource the change is attributed to: the API user, or the impersonated resource. */
  resourceId: number;
  /** Set when impersonating: the API user who really made the call. */
  impersonatorResourceId?: number;
}

export interface WriteContext {
  store: SandboxStore;
  now: Date;
  actor: Actor;
}

/** Ticket fields that must point at a record the sandbox holds; other references are accepted as given. */
const CHECKED_REFERENCES: Readonly<Record<string, EntityName>> = {
  companyID: "Companies",
  contactID: "Contacts",
  createdByContactID: "Contacts",
  assignedResourceID: "Resources",
  assignedResourceRoleID: "Roles",
  problemTicketId: "Tickets",
};

const ASSIGNMENT_NEEDS_BOTH =
  "When assigning a Resource, you must assign both a assignedResourceID and assignedResourceRoleID.";
const ASSIGNMENT_NOT_DEFINED = "The specified AssignedResourceID and AssignedRoleID combination is not currently defined";
const NO_MATCH_FOR_UPDATE =
  "No matching records found. The logged in Resource may not have the required permissions to update the data.";

interface ParsedBody {
  /** Writable fields present in the body, converted to their stored type (null clears). */
  values: Map<string, unknown>;
  /** The `id` the body names (for updates), unconverted. */
  id: unknown;
  udfs: { name: string; value: unknown }[] | undefined;
  /** Fields whose value was refused already (not reported again as missing). */
  invalid: Set<string>;
}

function parseBody(entity: EntityDef, body: unknown, errors: string[]): ParsedBody {
  const input = lowerKeys(body);
  if (input === undefined) throw new AutotaskError(["The request body must be a JSON object."]);
  const values = new Map<string, unknown>();
  const invalid = new Set<string>();
  let udfs: ParsedBody["udfs"];
  for (const [key, raw] of Object.entries(input)) {
    if (key === "userdefinedfields") {
      udfs = parseUdfList(raw, errors);
      continue;
    }
    const field = entity.fields.find((candidate) => candidate.name.toLowerCase() === key);
    // Unknown and read-only properties are ignored, as Autotask does.
    if (field === undefined || field.isReadOnly) continue;
    const converted = convert(field, raw, errors);
    if (converted === INVALID) invalid.add(field.name);
    else values.set(field.name, converted);
  }
  return { values, id: input.id, udfs, invalid };
}

function parseUdfList(raw: unknown, errors: string[]): ParsedBody["udfs"] {
  if (raw === null || raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    errors.push("userDefinedFields must be an array of {name, value} objects.");
    return undefined;
  }
  return raw.map((item) => {
    const entry = lowerKeys(item) ?? {};
    return { name: String(entry.name ?? ""), value: entry.value ?? null };
  });
}

const INVALID = Symbol("invalid");

/** Largest int32: Autotask's `integer` fields (ids such as companyID, picklists) are 32-bit (Swagger TicketModel). */
const MAX_INT32 = 2_147_483_647;
/**
 * Largest magnitude a `decimal` field takes. Autotask documents no range for its decimals
 * (estimatedHours: dataType decimal, length 0 in the live metadata); the sandbox assumes a SQL
 * `decimal(18,4)` column, whose largest value is just under 1e14, and refuses beyond it like any
 * invalid value. [UNVERIFIED] bound, chosen so that nothing absurd (1e300) is stored.
 */
export const MAX_DECIMAL = 1e14;
const INTEGER_UDF_TYPES = new Set(["integer", "int", "long", "short"]);
const NUMERIC_UDF_TYPES = new Set([...INTEGER_UDF_TYPES, "decimal", "double", "float", "number", "currency"]);

function convert(field: FieldDef, raw: unknown, errors: string[]): unknown {
  if (raw === null || raw === undefined) return null;
  const invalid = () => {
    errors.push(`Invalid value [${typeof raw === "object" ? JSON.stringify(raw) : String(raw)}] for field ${field.name}.`);
    return INVALID;
  };
  switch (field.dataType) {
    case "integer":
    case "long": {
      const number = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(number)) return invalid();
      // `integer` is int32 in Autotask's model; `long` (int64) is taken as far as JavaScript is exact.
      return field.dataType === "integer" && Math.abs(number) > MAX_INT32 ? invalid() : number;
    }
    case "decimal": {
      const number = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
      return Number.isFinite(number) && Math.abs(number) < MAX_DECIMAL ? number : invalid();
    }
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (typeof raw === "string" && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
      return invalid();
    case "datetime": {
      const instant = toInstantOrNull(raw);
      return instant === null ? invalid() : new Date(instant).toISOString();
    }
    case "string": {
      if (typeof raw === "object") return invalid();
      const text = String(raw);
      if (field.length > 0 && text.length > field.length) {
        errors.push(`Value for ${field.name} exceeds the maximum length of ${field.length} characters (${text.length}).`);
        return INVALID;
      }
      return text;
    }
  }
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

function checkRequired(entity: EntityDef, record: Row, parsed: ParsedBody, errors: string[]): void {
  for (const field of entity.fields) {
    if (field.isRequired && !field.isReadOnly && !parsed.invalid.has(field.name) && isBlank(record[field.name])) {
      errors.push(`Value does not exist for the required field ${field.name}`);
    }
  }
}

function checkPicklists(
  context: WriteContext,
  entityName: EntityName,
  values: Map<string, unknown>,
  record: Row,
  errors: string[],
): void {
  const { profile } = context.store;
  for (const field of ENTITIES[entityName].fields) {
    if (!field.isPickList || !values.has(field.name)) continue;
    const value = values.get(field.name);
    if (value === null) continue;
    const found = profile.find(entityName, field.name, value as number);
    if (found?.isActive !== true) errors.push(`Picklist value [${String(value)}] does not exist for ${field.name}`);
  }
  checkDependentPicklists(context, entityName, values, record, errors);
}

/**
 * Dependent picklists (`picklistParentValueField`, e.g. subIssueType under IssueType; each child value's
 * `parentValue` is its parent's value: captured live metadata, autotask-api.md §5 and §12): judged on the
 * record as it will be after the write, whenever the write touches the child or its parent. The child must
 * belong to the record's parent, and that parent must be active. Messages keep Autotask's documented
 * "Picklist value [x] does not exist for field" form; the reason after it is the sandbox's own wording.
 */
function checkDependentPicklists(
  context: WriteContext,
  entityName: EntityName,
  values: Map<string, unknown>,
  record: Row,
  errors: string[],
): void {
  const { profile } = context.store;
  const fields = ENTITIES[entityName].fields;
  for (const field of fields) {
    if (!field.isPickList || field.picklistParentValueField === "") continue;
    const parentField = fields.find((candidate) => candidate.name.toLowerCase() === field.picklistParentValueField.toLowerCase());
    if (parentField === undefined || (!values.has(field.name) && !values.has(parentField.name))) continue;
    const child = record[field.name];
    if (isBlank(child)) continue;
    const found = profile.find(entityName, field.name, child as number);
    if (found === undefined) continue; // an unknown written value is already refused above
    const parentValue = record[parentField.name];
    const prefix = `Picklist value [${String(child)}] does not exist for ${field.name}`;
    if (isBlank(parentValue)) {
      errors.push(`${prefix}: no ${parentField.name} is set.`);
      continue;
    }
    const parent = profile.find(entityName, parentField.name, parentValue as number);
    // A written parent that is unknown or inactive has been refused above; say it once.
    if (values.has(parentField.name) && parent?.isActive !== true) continue;
    if (found.parentValue !== String(parentValue)) {
      errors.push(`${prefix} under ${parentField.name} [${String(parentValue)}].`);
    } else if (parent?.isActive !== true) {
      errors.push(`${prefix}: its ${parentField.name} [${String(parentValue)}] is inactive.`);
    }
  }
}

/**
 * UDF values against the tenant's definitions. Autotask's `UserDefinedField.Value` is a string
 * (Swagger), so scalar values are stored as strings; an object or a list is refused. Picklist UDFs
 * take one of their active values; `datetime` UDFs a date (stored as the UTC instant); numeric UDFs a
 * number within `MAX_DECIMAL`; text at most the field's length. Each refusal names the field, in the
 * "Invalid value [x] for field y." form Autotask uses for standard fields.
 */
function checkUdfs(context: WriteContext, entityName: EntityName, udfs: ParsedBody["udfs"], errors: string[]) {
  const assigned: Record<string, unknown> = {};
  if (udfs === undefined) return assigned;
  const definitions = context.store.profile.userDefinedFields(entityName);
  for (const { name, value } of udfs) {
    const definition = definitions.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (definition === undefined) {
      errors.push(`Unable to find ${name} in the ${entityName} Entity`);
      continue;
    }
    if (value === null || value === "") {
      assigned[definition.name] = null;
      continue;
    }
    if (typeof value === "object") {
      errors.push(`Invalid value [${JSON.stringify(value)}] for field ${definition.name}.`);
      continue;
    }
    const text = String(value);
    if (definition.isPickList && !(definition.picklistValues ?? []).some((option) => option.value === text && option.isActive)) {
      errors.push(`Picklist value [${text}] does not exist for ${definition.name}`);
      continue;
    }
    if (definition.length > 0 && text.length > definition.length) {
      errors.push(`Value for ${definition.name} exceeds the maximum length of ${definition.length} characters (${text.length}).`);
      continue;
    }
    const type = definition.type.toLowerCase();
    if (type === "datetime" || type === "date") {
      const instant = toInstantOrNull(text.trim());
      if (instant === null) {
        errors.push(`Invalid value [${text}] for field ${definition.name}.`);
        continue;
      }
      assigned[definition.name] = new Date(instant).toISOString();
      continue;
    }
    if (NUMERIC_UDF_TYPES.has(type)) {
      const number = text.trim() === "" ? Number.NaN : Number(text);
      if (!Number.isFinite(number) || Math.abs(number) >= MAX_DECIMAL || (INTEGER_UDF_TYPES.has(type) && !Number.isInteger(number))) {
        errors.push(`Invalid value [${text}] for field ${definition.name}.`);
        continue;
      }
    }
    assigned[definition.name] = text;
  }
  return assigned;
}

function checkTicketReferences(context: WriteContext, values: Map<string, unknown>, record: Row, errors: string[]): void {
  const { tables } = context.store;
  const missing = new Set<string>();
  for (const [field, entityName] of Object.entries(CHECKED_REFERENCES)) {
    const value = values.get(field);
    if (value === null || value === undefined) continue;
    if (tables[entityName].get(value as number) === undefined) {
      missing.add(field);
      errors.push(`Value does not reference an existing entity for ${field}.`);
    }
  }
  if ((values.has("contactID") || values.has("companyID")) && !isBlank(record.contactID) && !missing.has("contactID")) {
    const contact = tables.Contacts.get(record.contactID as number);
    if (contact !== undefined && contact.companyID !== record.companyID) {
      errors.push(`The contactID [${String(record.contactID)}] does not belong to the companyID [${String(record.companyID)}].`);
    }
  }
  if (values.has("assignedResourceID") || values.has("assignedResourceRoleID")) {
    const resourceId = record.assignedResourceID;
    const roleId = record.assignedResourceRoleID;
    if (isBlank(resourceId) !== isBlank(roleId)) {
      errors.push(ASSIGNMENT_NEEDS_BOTH);
    } else if (!isBlank(resourceId) && !missing.has("assignedResourceID") && !missing.has("assignedResourceRoleID")) {
      const resource = tables.Resources.get(resourceId as number);
      const role = tables.Roles.get(roleId as number);
      const pairDefined = tables.ResourceServiceDeskRoles.rows().some(
        (pair) => pair.resourceID === resourceId && pair.roleID === roleId && pair.isActive === true,
      );
      if (!pairDefined || resource?.isActive !== true || role?.isActive !== true) errors.push(ASSIGNMENT_NOT_DEFINED);
    }
  }
}

function fail(errors: string[]): never {
  throw new AutotaskError(errors);
}

function touchTicket(context: WriteContext, ticket: Row): void {
  const at = context.now.toISOString();
  ticket.lastActivityDate = at;
  ticket.lastTrackedModificationDateTime = at;
  ticket.lastActivityResourceID = context.actor.resourceId;
  ticket.lastActivityPersonType = 1;
}

/** Completion and first-response bookkeeping for a status change (or the initial status). */
function applyStatusChange(context: WriteContext, ticket: Row, previousStatus: unknown): void {
  const { profile } = context.store;
  const at = context.now.toISOString();
  const status = ticket.status;
  if (status === previousStatus) return;
  if (status === profile.completeStatus) {
    ticket.completedDate = at;
    ticket.completedByResourceID = context.actor.resourceId;
    ticket.resolvedDateTime = at;
  } else if (previousStatus === profile.completeStatus) {
    ticket.completedDate = undefined;
    ticket.completedByResourceID = undefined;
    ticket.resolvedDateTime = undefined;
  }
  if (previousStatus === profile.newStatus && status !== profile.newStatus) recordFirstResponse(context, ticket);
}

function recordFirstResponse(context: WriteContext, ticket: Row): void {
  if (!isBlank(ticket.firstResponseDateTime)) return;
  ticket.firstResponseDateTime = context.now.toISOString();
  ticket.firstResponseInitiatingResourceID = context.actor.resourceId;
  if (!isBlank(ticket.assignedResourceID)) ticket.firstResponseAssignedResourceID = ticket.assignedResourceID;
}

function dropUndefined(row: Row): Row {
  for (const key of Object.keys(row)) if (row[key] === undefined || row[key] === null) delete row[key];
  return row;
}

export function createTicket(context: WriteContext, body: unknown): number {
  const { store } = context;
  const entity = ENTITIES.Tickets;
  const errors: string[] = [];
  const parsed = parseBody(entity, body, errors);
  parsed.values.delete("ticketNumber"); // always system-generated
  // Absent (not null) optional picklists get the tenant's default, if the tenant has one. `status` and
  // `priority` are isRequired in the live metadata and no source shows a create without them succeeding,
  // so they are not defaulted: leaving them out is refused like any other required field.
  for (const field of ["ticketCategory", "ticketType"]) {
    if (parsed.values.has(field)) continue;
    const fallback = store.profile.defaultValue("Tickets", field);
    if (fallback !== undefined) parsed.values.set(field, fallback);
  }
  const record: Row = { id: 0, ...Object.fromEntries(parsed.values) };
  checkRequired(entity, record, parsed, errors);
  checkDueDateOnCreate(context, record, parsed, errors);
  checkPicklists(context, "Tickets", parsed.values, record, errors);
  checkTicketReferences(context, parsed.values, record, errors);
  const udfValues = checkUdfs(context, "Tickets", parsed.udfs, errors);
  if (errors.length > 0) fail(errors);

  const at = context.now.toISOString();
  record.id = store.tables.Tickets.nextId(100001);
  record.ticketNumber = store.nextTicketNumber(context.now);
  record.createDate = at;
  record.creatorType = 1;
  record.creatorResourceID = context.actor.resourceId;
  if (context.actor.impersonatorResourceId !== undefined) {
    record.impersonatorCreatorResourceID = context.actor.impersonatorResourceId;
  }
  record.isAssignedToComanaged = false;
  record.isVisibleToComanaged ??= false;
  if (Object.keys(udfValues).length > 0) record.userDefinedFields = udfValues;
  touchTicket(context, record);
  applyStatusChange(context, record, undefined);
  applySlaDueDates(store.profile, record);
  refreshSlaResult(store, record);
  store.insert("Tickets", dropUndefined(record));
  return record.id;
}

/** Message of a tenant that needs a due date on create (field report WYRE-AI/autotask-mcp#288, autotask-api.md §12). */
export const DUE_DATE_REQUIRED = "dueDateTime is required.; on record number [0]";

/**
 * Per profile (`features.dueDateTimeRequiredOnCreate`): a create without `dueDateTime` is refused unless
 * the ticket's category supplies a due date (`features.categoryDueDateHours`, hours after creation), which
 * is then stored. On profiles without the feature the due date stays empty, as the live metadata marks
 * `dueDateTime` optional and creates without it succeeded live (autotask-api.md §6, S32 #31).
 */
function checkDueDateOnCreate(context: WriteContext, record: Row, parsed: ParsedBody, errors: string[]): void {
  const { features } = context.store.profile;
  if (!features.dueDateTimeRequiredOnCreate || parsed.invalid.has("dueDateTime") || !isBlank(record.dueDateTime)) return;
  const hours = isBlank(record.ticketCategory) ? undefined : features.categoryDueDateHours[String(record.ticketCategory)];
  if (hours === undefined) errors.push(DUE_DATE_REQUIRED);
  else record.dueDateTime = new Date(context.now.getTime() + hours * 3_600_000).toISOString();
}

export function updateTicket(context: WriteContext, body: unknown, mode: "patch" | "put"): number {
  const { store } = context;
  const entity = ENTITIES.Tickets;
  const errors: string[] = [];
  const parsed = parseBody(entity, body, errors);
  const existing = findForUpdate(store, "Tickets", parsed.id);
  parsed.values.delete("ticketNumber");
  if (mode === "put") {
    // PUT replaces every writable field; the ones left out become null.
    for (const field of entity.fields) {
      if (!field.isReadOnly && field.name !== "ticketNumber" && !parsed.values.has(field.name)) parsed.values.set(field.name, null);
    }
  }
  const record: Row = { ...existing, ...Object.fromEntries(parsed.values) };
  checkRequired(entity, record, parsed, errors);
  checkPicklists(context, "Tickets", parsed.values, record, errors);
  checkTicketReferences(context, parsed.values, record, errors);
  const udfValues = checkUdfs(context, "Tickets", parsed.udfs, errors);
  if (errors.length > 0) fail(errors);

  if (Object.keys(udfValues).length > 0) record.userDefinedFields = { ...existing.userDefinedFields, ...udfValues };
  touchTicket(context, record);
  applyStatusChange(context, record, existing.status);
  if (record.serviceLevelAgreementID !== existing.serviceLevelAgreementID || record.priority !== existing.priority) {
    applySlaDueDates(store.profile, record);
  }
  refreshSlaResult(store, record);
  store.insert("Tickets", dropUndefined(record));
  return record.id;
}

function findForUpdate(store: SandboxStore, entityName: EntityName, rawId: unknown): Row {
  if (isBlank(rawId)) fail(["Value does not exist for the required field id"]);
  const id = Number(rawId);
  const existing = Number.isSafeInteger(id) ? store.tables[entityName].get(id) : undefined;
  if (existing === undefined) fail([NO_MATCH_FOR_UPDATE]);
  return existing;
}

export function createTicketNote(context: WriteContext, ticketId: number, body: unknown): number {
  const { store } = context;
  const entity = ENTITIES.TicketNotes;
  const errors: string[] = [];
  const parsed = parseBody(entity, body, errors);
  const ticket = store.tables.Tickets.get(ticketId);
  if (ticket === undefined) fail(["Value does not reference an existing entity for ticketID."]);
  const bodyTicketId = parsed.values.get("ticketID");
  if (bodyTicketId !== undefined && bodyTicketId !== null && bodyTicketId !== ticketId) {
    errors.push(`The ticketID [${String(bodyTicketId)}] does not match the parent ticket [${ticketId}] of this request.`);
  }
  parsed.values.set("ticketID", ticketId);
  const record: Row = { id: 0, ...Object.fromEntries(parsed.values) };
  checkRequired(entity, record, parsed, errors);
  checkPicklists(context, "TicketNotes", parsed.values, record, errors);
  if (errors.length > 0) fail(errors);

  const at = context.now.toISOString();
  record.id = store.tables.TicketNotes.nextId(30000001);
  record.createDateTime = at;
  record.lastActivityDate = at;
  record.creatorResourceID = context.actor.resourceId;
  if (context.actor.impersonatorResourceId !== undefined) {
    record.impersonatorCreatorResourceID = context.actor.impersonatorResourceId;
  }
  store.insert("TicketNotes", dropUndefined(record));
  noteTouchesTicket(context, ticket, record);
  return record.id;
}

export function updateTicketNote(context: WriteContext, ticketId: number, body: unknown, mode: "patch" | "put"): number {
  const { store } = context;
  const entity = ENTITIES.TicketNotes;
  const errors: string[] = [];
  const parsed = parseBody(entity, body, errors);
  const existing = findForUpdate(store, "TicketNotes", parsed.id);
  if (existing.ticketID !== ticketId) fail([NO_MATCH_FOR_UPDATE]);
  parsed.values.delete("ticketID");
  if (mode === "put") {
    for (const field of entity.fields) {
      if (!field.isReadOnly && field.name !== "ticketID" && !parsed.values.has(field.name)) parsed.values.set(field.name, null);
    }
  }
  const record: Row = { ...existing, ...Object.fromEntries(parsed.values) };
  checkRequired(entity, record, parsed, errors);
  checkPicklists(context, "TicketNotes", parsed.values, record, errors);
  if (errors.length > 0) fail(errors);

  record.lastActivityDate = context.now.toISOString();
  if (context.actor.impersonatorResourceId !== undefined) {
    record.impersonatorUpdaterResourceID = context.actor.impersonatorResourceId;
  }
  store.insert("TicketNotes", dropUndefined(record));
  const ticket = store.tables.Tickets.get(ticketId);
  if (ticket !== undefined) noteTouchesTicket(context, ticket, record);
  return record.id;
}

/** A note is ticket activity; one published to all users is also the first response if none was recorded. */
function noteTouchesTicket(context: WriteContext, ticket: Row, note: Row): void {
  touchTicket(context, ticket);
  if (note.publish === context.store.profile.publishToAllUsers) {
    ticket.lastCustomerVisibleActivityDateTime = context.now.toISOString();
    recordFirstResponse(context, ticket);
    refreshSlaResult(context.store, ticket);
    dropUndefined(ticket);
  }
}

