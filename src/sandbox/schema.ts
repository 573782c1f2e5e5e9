/**
 * The standard (non-UDF) fields of every entity the sandbox serves, in Autotask's field-metadata shape.
 * The Tickets list is derived from a real `GET /Tickets/entityInformation/fields` capture (lengths,
 * required, read-only, queryable and reference flags); picklist values come from the tenant profile.
 * The other entities carry the subset of Autotask's fields the product uses.
 */

export type DataType = "integer" | "long" | "string" | "datetime" | "decimal" | "boolean";

export interface FieldDef {
  name: string;
  dataType: DataType;
  length: number;
  isRequired: boolean;
  isReadOnly: boolean;
  isQueryable: boolean;
  isReference: boolean;
  referenceEntityType: string;
  isPickList: boolean;
  picklistParentValueField: string;
  isSupportedWebhookField: boolean;
}

export type EntityName =
  | "Tickets"
  | "TicketNotes"
  | "Companies"
  | "Contacts"
  | "Resources"
  | "ResourceServiceDeskRoles"
  | "Roles"
  | "ServiceLevelAgreementResults";

export const ENTITY_NAMES: readonly EntityName[] = [
  "Tickets",
  "TicketNotes",
  "Companies",
  "Contacts",
  "Resources",
  "ResourceServiceDeskRoles",
  "Roles",
  "ServiceLevelAgreementResults",
];

export interface EntityDef {
  name: EntityName;
  fields: readonly FieldDef[];
  /** What `GET /{Entity}/entityInformation` reports; it describes what this sandbox really accepts. */
  canCreate: boolean;
  canUpdate: boolean;
  hasUserDefinedFields: boolean;
  supportsWebhookCallouts: boolean;
}

interface FieldOptions {
  length?: number;
  required?: boolean;
  readOnly?: boolean;
  queryable?: boolean;
  ref?: string;
  picklist?: boolean;
  parent?: string;
}

function field(name: string, dataType: DataType, options: FieldOptions = {}): FieldDef {
  return {
    name,
    dataType,
    length: options.length ?? 0,
    isRequired: options.required ?? false,
    isReadOnly: options.readOnly ?? false,
    isQueryable: options.queryable ?? true,
    isReference: options.ref !== undefined,
    referenceEntityType: options.ref ?? "",
    isPickList: options.picklist ?? false,
    picklistParentValueField: options.parent ?? "",
    isSupportedWebhookField: false,
  };
}

const TICKET_FIELDS: readonly FieldDef[] = [
  field("apiVendorID", "integer", { readOnly: true, picklist: true }),
  field("assignedResourceID", "integer", { ref: "Resource" }),
  field("assignedResourceRoleID", "integer", { ref: "Role" }),
  field("billingCodeID", "integer", { ref: "BillingCode" }),
  field("changeApprovalBoard", "integer", { picklist: true }),
  field("changeApprovalStatus", "integer", { picklist: true }),
  field("changeApprovalType", "integer", { picklist: true }),
  field("changeInfoField1", "string", { length: 8000 }),
  field("changeInfoField2", "string", { length: 8000 }),
  field("changeInfoField3", "string", { length: 8000 }),
  field("changeInfoField4", "string", { length: 8000 }),
  field("changeInfoField5", "string", { length: 8000 }),
  field("companyID", "integer", { required: true, ref: "Company" }),
  field("companyLocationID", "integer", { ref: "CompanyLocation" }),
  field("completedByResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("completedDate", "datetime", { readOnly: true }),
  field("configurationItemID", "integer", { ref: "ConfigurationItem" }),
  field("contactID", "integer", { ref: "Contact" }),
  field("contractID", "integer", { ref: "Contract" }),
  field("contractServiceBundleID", "long", { ref: "ContractServiceBundle" }),
  field("contractServiceID", "long", { ref: "ContractService" }),
  field("createDate", "datetime", { readOnly: true }),
  field("createdByContactID", "integer", { ref: "Contact" }),
  field("creatorResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("creatorType", "integer", { readOnly: true, queryable: false, picklist: true }),
  field("currentServiceThermometerRating", "integer", { readOnly: true, picklist: true }),
  field("description", "string", { length: 8000 }),
  field("dueDateTime", "datetime"),
  field("estimatedHours", "decimal"),
  field("externalID", "string", { length: 50 }),
  field("firstResponseAssignedResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("firstResponseDateTime", "datetime", { readOnly: true }),
  field("firstResponseDueDateTime", "datetime", { readOnly: true }),
  field("firstResponseInitiatingResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("hoursToBeScheduled", "decimal", { readOnly: true }),
  field("id", "long", { required: true, readOnly: true }),
  field("impersonatorCreatorResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("isAssignedToComanaged", "boolean", { readOnly: true }),
  field("issueType", "integer", { picklist: true }),
  field("isVisibleToComanaged", "boolean"),
  field("lastActivityDate", "datetime", { readOnly: true }),
  field("lastActivityPersonType", "integer", { readOnly: true, queryable: false, picklist: true }),
  field("lastActivityResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("lastCustomerNotificationDateTime", "datetime", { readOnly: true }),
  field("lastCustomerVisibleActivityDateTime", "datetime", { readOnly: true }),
  field("lastTrackedModificationDateTime", "datetime", { readOnly: true }),
  field("monitorID", "long"),
  field("monitorTypeID", "integer", { picklist: true }),
  field("opportunityID", "integer", { ref: "Opportunity" }),
  field("organizationalLevelAssociationID", "integer", { ref: "OrganizationalLevelAssociation" }),
  field("previousServiceThermometerRating", "integer", { readOnly: true, picklist: true }),
  field("priority", "integer", { required: true, picklist: true }),
  field("problemTicketId", "integer", { ref: "Ticket" }),
  field("projectID", "integer", { ref: "Project" }),
  field("purchaseOrderNumber", "string", { length: 50 }),
  field("queueID", "integer", { picklist: true }),
  field("resolution", "string", { length: 32000 }),
  field("resolutionPlanDateTime", "datetime", { readOnly: true }),
  field("resolutionPlanDueDateTime", "datetime", { readOnly: true }),
  field("resolvedDateTime", "datetime", { readOnly: true }),
  field("resolvedDueDateTime", "datetime", { readOnly: true }),
  field("rmaStatus", "integer", { picklist: true }),
  field("rmaType", "integer", { picklist: true }),
  field("rmmAlertID", "string", { length: 50, readOnly: true }),
  field("serviceLevelAgreementHasBeenMet", "boolean", { readOnly: true }),
  field("serviceLevelAgreementID", "integer", { picklist: true }),
  field("serviceLevelAgreementPausedNextEventHours", "decimal", { readOnly: true, queryable: false }),
  field("serviceThermometerTemperature", "integer", { readOnly: true }),
  field("source", "integer", { picklist: true }),
  field("status", "integer", { required: true, picklist: true }),
  field("subIssueType", "integer", { picklist: true, parent: "IssueType" }),
  field("ticketCategory", "integer", { picklist: true }),
  field("ticketNumber", "string", { length: 50 }),
  field("ticketType", "integer", { picklist: true }),
  field("title", "string", { length: 255, required: true }),
];

const TICKET_NOTE_FIELDS: readonly FieldDef[] = [
  field("createDateTime", "datetime", { readOnly: true }),
  field("createdByContactID", "integer", { readOnly: true, ref: "Contact" }),
  field("creatorResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("description", "string", { length: 32000, required: true }),
  field("id", "long", { required: true, readOnly: true }),
  field("impersonatorCreatorResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("impersonatorUpdaterResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("lastActivityDate", "datetime", { readOnly: true }),
  field("noteType", "integer", { required: true, picklist: true }),
  field("publish", "integer", { required: true, picklist: true }),
  field("ticketID", "integer", { required: true, ref: "Ticket" }),
  field("title", "string", { length: 250 }),
];

const COMPANY_FIELDS: readonly FieldDef[] = [
  field("address1", "string", { length: 128 }),
  field("city", "string", { length: 30 }),
  field("companyName", "string", { length: 100, required: true }),
  field("companyNumber", "string", { length: 50 }),
  field("companyType", "integer", { required: true, picklist: true }),
  field("countryID", "integer", { ref: "Country" }),
  field("createDate", "datetime", { readOnly: true }),
  field("id", "long", { required: true, readOnly: true }),
  field("isActive", "boolean"),
  field("lastActivityDate", "datetime", { readOnly: true }),
  field("ownerResourceID", "integer", { required: true, ref: "Resource" }),
  field("parentCompanyID", "integer", { ref: "Company" }),
  field("phone", "string", { length: 25, required: true }),
  field("postalCode", "string", { length: 20 }),
  field("state", "string", { length: 25 }),
  field("webAddress", "string", { length: 255 }),
];

const CONTACT_FIELDS: readonly FieldDef[] = [
  field("companyID", "integer", { required: true, readOnly: true, ref: "Company" }),
  field("createDate", "datetime", { readOnly: true }),
  field("emailAddress", "string", { length: 254 }),
  field("externalID", "string", { length: 50 }),
  field("firstName", "string", { length: 50, required: true }),
  field("id", "long", { required: true, readOnly: true }),
  field("isActive", "integer", { required: true }),
  field("lastActivityDate", "datetime", { readOnly: true }),
  field("lastModifiedDate", "datetime", { readOnly: true }),
  field("lastName", "string", { length: 50, required: true }),
  field("mobilePhone", "string", { length: 25 }),
  field("phone", "string", { length: 25 }),
  field("primaryContact", "boolean"),
  field("title", "string", { length: 50 }),
];

const RESOURCE_FIELDS: readonly FieldDef[] = [
  field("defaultServiceDeskRoleID", "long", { readOnly: true, ref: "Role" }),
  field("email", "string", { length: 50, required: true }),
  field("firstName", "string", { length: 50, required: true }),
  field("hireDate", "datetime"),
  field("id", "long", { required: true, readOnly: true }),
  field("initials", "string", { length: 3 }),
  field("isActive", "boolean", { required: true }),
  field("lastName", "string", { length: 50, required: true }),
  field("licenseType", "integer", { readOnly: true }),
  field("mobilePhone", "string", { length: 25 }),
  field("officePhone", "string", { length: 25 }),
  field("resourceType", "string", { length: 15, required: true }),
  field("title", "string", { length: 50 }),
  field("userName", "string", { length: 32, required: true }),
];

const RESOURCE_SERVICE_DESK_ROLE_FIELDS: readonly FieldDef[] = [
  field("id", "long", { required: true, readOnly: true }),
  field("isActive", "boolean", { required: true }),
  field("isDefault", "boolean", { required: true }),
  field("resourceID", "integer", { required: true, ref: "Resource" }),
  field("roleID", "integer", { required: true, ref: "Role" }),
];

const ROLE_FIELDS: readonly FieldDef[] = [
  field("description", "string", { length: 200 }),
  field("hourlyFactor", "decimal"),
  field("hourlyRate", "decimal"),
  field("id", "long", { required: true, readOnly: true }),
  field("isActive", "boolean", { required: true }),
  field("isSystemRole", "boolean", { readOnly: true }),
  field("name", "string", { length: 200, required: true }),
  field("roleType", "integer"),
];

/**
 * One row per ticket under an SLA, as Autotask serves `ServiceLevelAgreementResults` (read-only; field names
 * from the Swagger ServiceLevelAgreementResultsModel). Elapsed hours are decimals; a null means the event
 * has not happened yet.
 */
const SLA_RESULT_FIELDS: readonly FieldDef[] = [
  field("firstResponseElapsedHours", "decimal", { readOnly: true }),
  field("firstResponseInitiatingResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("firstResponseResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("id", "long", { required: true, readOnly: true }),
  field("isFirstResponseMet", "boolean", { readOnly: true }),
  field("isResolutionMet", "boolean", { readOnly: true }),
  field("isResolutionPlanMet", "boolean", { readOnly: true }),
  field("resolutionElapsedHours", "decimal", { readOnly: true }),
  field("resolutionPlanElapsedHours", "decimal", { readOnly: true }),
  field("resolutionPlanResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("resolutionResourceID", "integer", { readOnly: true, ref: "Resource" }),
  field("serviceLevelAgreementName", "string", { length: 100, readOnly: true }),
  field("ticketID", "integer", { readOnly: true, ref: "Ticket" }),
];

function entity(
  name: EntityName,
  fields: readonly FieldDef[],
  flags: Partial<Omit<EntityDef, "name" | "fields">> = {},
): EntityDef {
  return {
    name,
    fields,
    canCreate: flags.canCreate ?? false,
    canUpdate: flags.canUpdate ?? false,
    hasUserDefinedFields: flags.hasUserDefinedFields ?? false,
    supportsWebhookCallouts: flags.supportsWebhookCallouts ?? false,
  };
}

export const ENTITIES: Readonly<Record<EntityName, EntityDef>> = {
  Tickets: entity("Tickets", TICKET_FIELDS, {
    canCreate: true,
    canUpdate: true,
    hasUserDefinedFields: true,
    supportsWebhookCallouts: true,
  }),
  TicketNotes: entity("TicketNotes", TICKET_NOTE_FIELDS, {
    canCreate: true,
    canUpdate: true,
    supportsWebhookCallouts: true,
  }),
  Companies: entity("Companies", COMPANY_FIELDS, { hasUserDefinedFields: true, supportsWebhookCallouts: true }),
  Contacts: entity("Contacts", CONTACT_FIELDS, { hasUserDefinedFields: true, supportsWebhookCallouts: true }),
  Resources: entity("Resources", RESOURCE_FIELDS),
  ResourceServiceDeskRoles: entity("ResourceServiceDeskRoles", RESOURCE_SERVICE_DESK_ROLE_FIELDS),
  Roles: entity("Roles", ROLE_FIELDS),
  ServiceLevelAgreementResults: entity("ServiceLevelAgreementResults", SLA_RESULT_FIELDS),
};

/** URL segment (lower-cased) → entity. `ResourceRoles` is answered from the service-desk role table. */
export const ENTITY_BY_SEGMENT: ReadonlyMap<string, EntityName> = new Map<string, EntityName>([
  ...ENTITY_NAMES.map((name): [string, EntityName] => [name.toLowerCase(), name]),
  ["resourceroles", "ResourceServiceDeskRoles"],
]);
