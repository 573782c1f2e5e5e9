/**
 * zod schemas for what Autotask sends back, and the types derived from them.
 *
 * Records are loose objects: the named fields are checked, every other field passes through unchanged
 * (tenants add fields, and `IncludeFields` removes them), so almost everything is optional and nullable
 * just as Autotask really sends it. Only `id` is required on a record (`toQueryBody` always requests it).
 */
import { z } from "zod";

const optionalNumber = z.number().nullish();
const optionalString = z.string().nullish();
const optionalBoolean = z.boolean().nullish();

export const UserDefinedFieldValueSchema = z.looseObject({
  name: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
});
export type UserDefinedFieldValue = z.infer<typeof UserDefinedFieldValueSchema>;

const userDefinedFields = z.array(UserDefinedFieldValueSchema).nullish();

export const TicketSchema = z.looseObject({
  id: z.number(),
  ticketNumber: optionalString,
  title: optionalString,
  description: optionalString,
  companyID: optionalNumber,
  companyLocationID: optionalNumber,
  contactID: optionalNumber,
  status: optionalNumber,
  priority: optionalNumber,
  queueID: optionalNumber,
  issueType: optionalNumber,
  subIssueType: optionalNumber,
  ticketType: optionalNumber,
  ticketCategory: optionalNumber,
  source: optionalNumber,
  assignedResourceID: optionalNumber,
  assignedResourceRoleID: optionalNumber,
  contractID: optionalNumber,
  serviceLevelAgreementID: optionalNumber,
  serviceLevelAgreementHasBeenMet: optionalBoolean,
  estimatedHours: optionalNumber,
  externalID: optionalString,
  createDate: optionalString,
  dueDateTime: optionalString,
  completedDate: optionalString,
  lastActivityDate: optionalString,
  firstResponseDateTime: optionalString,
  firstResponseDueDateTime: optionalString,
  resolutionPlanDateTime: optionalString,
  resolutionPlanDueDateTime: optionalString,
  resolvedDateTime: optionalString,
  resolvedDueDateTime: optionalString,
  resolution: optionalString,
  creatorResourceID: optionalNumber,
  creatorType: optionalNumber,
  userDefinedFields,
});
export type Ticket = z.infer<typeof TicketSchema>;

export const TicketNoteSchema = z.looseObject({
  id: z.number(),
  ticketID: optionalNumber,
  title: optionalString,
  description: optionalString,
  noteType: optionalNumber,
  publish: optionalNumber,
  createDateTime: optionalString,
  lastActivityDate: optionalString,
  creatorResourceID: optionalNumber,
  createdByContactID: optionalNumber,
  impersonatorCreatorResourceID: optionalNumber,
  impersonatorUpdaterResourceID: optionalNumber,
});
export type TicketNote = z.infer<typeof TicketNoteSchema>;

/**
 * One ticket's SLA outcome as Autotask records it (`ServiceLevelAgreementResults`, read-only). Hours
 * are business hours on Autotask's pause-aware SLA clock; met flags are null while undecided.
 */
export const ServiceLevelAgreementResultSchema = z.looseObject({
  id: z.number(),
  ticketID: optionalNumber,
  serviceLevelAgreementName: optionalString,
  firstResponseElapsedHours: optionalNumber,
  isFirstResponseMet: optionalBoolean,
  resolutionPlanElapsedHours: optionalNumber,
  isResolutionPlanMet: optionalBoolean,
  resolutionElapsedHours: optionalNumber,
  isResolutionMet: optionalBoolean,
});
export type ServiceLevelAgreementResult = z.infer<typeof ServiceLevelAgreementResultSchema>;

export const CompanySchema = z.looseObject({
  id: z.number(),
  companyName: optionalString,
  companyNumber: optionalString,
  companyType: optionalNumber,
  isActive: optionalBoolean,
  phone: optionalString,
  ownerResourceID: optionalNumber,
  parentCompanyID: optionalNumber,
  userDefinedFields,
});
export type Company = z.infer<typeof CompanySchema>;

export const ContactSchema = z.looseObject({
  id: z.number(),
  companyID: optionalNumber,
  firstName: optionalString,
  lastName: optionalString,
  emailAddress: optionalString,
  phone: optionalString,
  mobilePhone: optionalString,
  title: optionalString,
  // Autotask sends Contacts.isActive as an integer (1/0), unlike most entities.
  isActive: z.union([z.number(), z.boolean()]).nullish(),
  userDefinedFields,
});
export type Contact = z.infer<typeof ContactSchema>;

export const ResourceSchema = z.looseObject({
  id: z.number(),
  firstName: optionalString,
  lastName: optionalString,
  email: optionalString,
  userName: optionalString,
  title: optionalString,
  isActive: optionalBoolean,
  resourceType: optionalString,
  licenseType: optionalNumber,
  defaultServiceDeskRoleID: optionalNumber,
  userDefinedFields,
});
export type Resource = z.infer<typeof ResourceSchema>;

export const ResourceServiceDeskRoleSchema = z.looseObject({
  id: z.number(),
  resourceID: optionalNumber,
  roleID: optionalNumber,
  isActive: optionalBoolean,
  isDefault: optionalBoolean,
});
export type ResourceServiceDeskRole = z.infer<typeof ResourceServiceDeskRoleSchema>;

/** `Roles`: the role names behind `assignedResourceRoleID` and service-desk role ids (Swagger `Role`). */
export const RoleSchema = z.looseObject({
  id: z.number(),
  name: optionalString,
  isActive: optionalBoolean,
});
export type Role = z.infer<typeof RoleSchema>;

/** One picklist value as metadata sends it: `value` is a string ("1"), `parentValue` is "" when none. */
export const FieldPicklistValueSchema = z.looseObject({
  value: z.union([z.string(), z.number()]).transform(String),
  label: z.string(),
  isDefaultValue: optionalBoolean,
  sortOrder: optionalNumber,
  parentValue: z.union([z.string(), z.number()]).nullish(),
  isActive: optionalBoolean,
  isSystem: optionalBoolean,
});
export type FieldPicklistValue = z.infer<typeof FieldPicklistValueSchema>;

/**
 * Field metadata from `entityInformation/fields` or `/userDefinedFields`. UDF metadata names the type
 * `type` instead of `dataType`; the client copies it into `dataType` so callers see one shape.
 */
export const FieldInfoSchema = z.looseObject({
  name: z.string(),
  label: optionalString,
  dataType: optionalString,
  type: optionalString,
  length: optionalNumber,
  isRequired: optionalBoolean,
  isReadOnly: optionalBoolean,
  isQueryable: optionalBoolean,
  isReference: optionalBoolean,
  referenceEntityType: optionalString,
  isPickList: optionalBoolean,
  picklistValues: z.array(FieldPicklistValueSchema).nullish(),
  picklistParentValueField: optionalString,
  defaultValue: z.unknown().optional(),
});
export type FieldInfo = z.infer<typeof FieldInfoSchema>;

/**
 * A picklist value normalised for use (see `Picklist` in picklists.ts): numeric id, `parentValue` null
 * when there is none. Standard-field picklists are always numeric in Autotask.
 */
export interface PicklistValue {
  value: number;
  label: string;
  isActive: boolean;
  isDefaultValue: boolean;
  isSystem: boolean;
  parentValue: number | null;
  sortOrder: number;
}

export const PageDetailsSchema = z.looseObject({
  count: optionalNumber,
  requestCount: optionalNumber,
  prevPageUrl: optionalString,
  nextPageUrl: optionalString,
});
export type PageDetails = z.infer<typeof PageDetailsSchema>;

export const ThresholdInformationSchema = z.looseObject({
  externalRequestThreshold: optionalNumber,
  requestThresholdTimeframe: optionalNumber,
  currentTimeframeRequestCount: optionalNumber,
});
export type ThresholdInformation = z.infer<typeof ThresholdInformationSchema>;

export const ZoneInformationSchema = z.looseObject({
  url: z.string(),
  zoneName: optionalString,
  webUrl: optionalString,
  ci: optionalNumber,
});
export type ZoneInformation = z.infer<typeof ZoneInformationSchema>;

// Envelopes Autotask wraps results in.
// Built once per item schema: zod compiles a schema on first use, and requests are a hot path.
const itemEnvelopes = new WeakMap<z.ZodType, z.ZodType>();
const queryEnvelopes = new WeakMap<z.ZodType, z.ZodType>();

function memoized<S extends z.ZodType, T extends z.ZodType>(cache: WeakMap<z.ZodType, z.ZodType>, item: T, build: (item: T) => S): S {
  let envelope = cache.get(item) as S | undefined;
  if (!envelope) {
    envelope = build(item);
    cache.set(item, envelope);
  }
  return envelope;
}

export const itemEnvelope = <T extends z.ZodType>(item: T) =>
  memoized(itemEnvelopes, item, (schema) => z.looseObject({ item: schema.nullish() }));
export const queryEnvelope = <T extends z.ZodType>(item: T) =>
  memoized(queryEnvelopes, item, (schema) => z.looseObject({ items: z.array(schema), pageDetails: PageDetailsSchema.nullish() }));
export const ItemIdSchema = z.looseObject({ itemId: z.number() });
export const QueryCountSchema = z.looseObject({ queryCount: z.number() });
export const FieldsEnvelopeSchema = z.looseObject({ fields: z.array(FieldInfoSchema) });

// ---- Field names and write bodies ---------------------------------------------------------------
// Typed from the schemas above so that query conditions and write bodies name real fields.

export type TicketField = Extract<keyof typeof TicketSchema.shape, string>;
export type TicketNoteField = Extract<keyof typeof TicketNoteSchema.shape, string>;
export type CompanyField = Extract<keyof typeof CompanySchema.shape, string>;
export type ContactField = Extract<keyof typeof ContactSchema.shape, string>;
export type ResourceField = Extract<keyof typeof ResourceSchema.shape, string>;
export type ResourceServiceDeskRoleField = Extract<keyof typeof ResourceServiceDeskRoleSchema.shape, string>;
export type RoleField = Extract<keyof typeof RoleSchema.shape, string>;

/**
 * A user-defined field as a write body carries it: the field's exact name and its value as a string
 * (Autotask's `UserDefinedField.Value` is a string; picklist UDFs: the value; null clears).
 */
export interface UserDefinedFieldWrite {
  name: string;
  value: string | null;
}

/** `POST /Tickets`. Picklist fields are the tenant's ids; dates ISO 8601 UTC. */
export interface TicketCreate {
  companyID: number;
  title: string;
  status: number;
  priority: number;
  description?: string;
  queueID?: number;
  issueType?: number;
  subIssueType?: number;
  ticketType?: number;
  ticketCategory?: number;
  source?: number;
  contactID?: number;
  contractID?: number;
  estimatedHours?: number;
  /** Autotask requires the role whenever the resource is set. */
  assignedResourceID?: number;
  assignedResourceRoleID?: number;
  dueDateTime?: string;
  /** 50 characters, queryable; this server puts its write key here unless the caller sets one. */
  externalID?: string;
  userDefinedFields?: UserDefinedFieldWrite[];
}

/**
 * `PATCH /Tickets`: the id and only the fields that change; null clears a field. A company move sends
 * `companyID` with the new company's contact or `contactID: null` (reference §12).
 */
export type TicketPatch = { id: number } & Partial<Omit<TicketCreate, "contactID" | "subIssueType" | "assignedResourceID" | "assignedResourceRoleID">> & {
  resolution?: string;
  contactID?: number | null;
  /** Both null unassign the ticket (Autotask refuses one without the other). */
  assignedResourceID?: number | null;
  assignedResourceRoleID?: number | null;
  subIssueType?: number | null;
};

/** `POST /Tickets/{id}/Notes`. `publish` decides who can read it (1 "All Autotask Users" is client-visible). */
export interface TicketNoteCreate {
  ticketID: number;
  title: string;
  description: string;
  noteType: number;
  publish: number;
}
