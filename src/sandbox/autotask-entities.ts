/**
 * The entity names Autotask's REST API serves under `/V1.0/` (the first path segment of every path in
 * Autotask's Swagger 2.0 document, 2020 edition: `swagger-v1.json` in the shared reference folder, 164 names
 * once the informational endpoints are left out). The sandbox uses the list only to tell "an Autotask
 * entity this sandbox does not simulate" from "no such endpoint" (404, as Autotask answers).
 */
const NAMES: readonly string[] = [
  "ActionTypes", "AdditionalInvoiceFieldValues", "Appointments", "AttachmentInfo", "BillingCodes",
  "BillingItemApprovalLevels", "BillingItems", "ChangeOrderCharges", "ChangeRequestLinks", "ChecklistLibraries",
  "ChecklistLibraryChecklistItems", "ClassificationIcons", "ClientPortalUsers", "ComanagedAssociations", "Companies",
  "CompanyAlerts", "CompanyAttachments", "CompanyLocations", "CompanyNotes", "CompanySiteConfigurations",
  "CompanyTeams", "CompanyToDos", "CompanyWebhookExcludedResources", "CompanyWebhookFields",
  "CompanyWebhookUdfFields", "CompanyWebhooks", "ConfigurationItemBillingProductAssociations",
  "ConfigurationItemCategories", "ConfigurationItemCategoryUdfAssociations", "ConfigurationItemExts",
  "ConfigurationItemNotes", "ConfigurationItemTypes", "ConfigurationItems", "ContactBillingProductAssociations",
  "ContactGroupContacts", "ContactGroups", "ContactWebhookExcludedResources", "ContactWebhookFields",
  "ContactWebhookUdfFields", "ContactWebhooks", "Contacts", "ContractBillingRules", "ContractBlockHourFactors",
  "ContractBlocks", "ContractCharges", "ContractExclusionBillingCodes", "ContractExclusionRoles",
  "ContractExclusionSetExcludedRoles", "ContractExclusionSetExcludedWorkTypes", "ContractExclusionSets",
  "ContractMilestones", "ContractNotes", "ContractRates", "ContractRetainers", "ContractRoleCosts",
  "ContractServiceAdjustments", "ContractServiceBundleAdjustments", "ContractServiceBundleUnits",
  "ContractServiceBundles", "ContractServiceUnits", "ContractServices", "ContractTicketPurchases", "Contracts",
  "Countries", "Currencies", "Departments", "ExpenseItems", "ExpenseReports", "Expenses", "HolidaySets", "Holidays",
  "InternalLocationWithBusinessHours", "InternalLocations", "InventoryItemSerialNumbers", "InventoryItems",
  "InventoryLocations", "InventoryTransfers", "InvoicePDF", "InvoiceTemplates", "Invoices", "NotificationHistory",
  "Opportunities", "OpportunityAttachments", "OrganizationalLevel1s", "OrganizationalLevel2s",
  "OrganizationalLevelAssociations", "OrganizationalResources", "PaymentTerms", "Phases", "PriceListMaterialCodes",
  "PriceListProductTiers", "PriceListProducts", "PriceListRoles", "PriceListServiceBundles", "PriceListServices",
  "PriceListWorkTypeModifiers", "ProductNotes", "ProductTiers", "ProductVendors", "Products", "ProjectAttachments",
  "ProjectCharges", "ProjectNotes", "Projects", "PurchaseApprovals", "PurchaseOrderItemReceiving",
  "PurchaseOrderItems", "PurchaseOrders", "QuoteItems", "QuoteLocations", "QuoteTemplates", "Quotes",
  "ResourceRoleDepartments", "ResourceRoleQueues", "ResourceRoles", "ResourceServiceDeskRoles", "ResourceSkills",
  "Resources", "Roles", "SalesOrders", "ServiceBundleServices", "ServiceBundles", "ServiceCallTaskResources",
  "ServiceCallTasks", "ServiceCallTicketResources", "ServiceCallTickets", "ServiceCalls",
  "ServiceLevelAgreementResults", "ServiceLevelAgreements", "Services", "ShippingTypes", "Skills",
  "SubscriptionPeriods", "Subscriptions", "SurveyResults", "Surveys", "TaskAttachments", "TaskNotes",
  "TaskPredecessors", "TaskSecondaryResources", "Tasks", "TaxCategories", "TaxRegions", "Taxes",
  "TicketAdditionalConfigurationItems", "TicketAdditionalContacts", "TicketAttachments", "TicketCategories",
  "TicketCategoryFieldDefaults", "TicketChangeRequestApprovals", "TicketCharges", "TicketChecklistItems",
  "TicketChecklistLibraries", "TicketHistory", "TicketNotes", "TicketRmaCredits", "TicketSecondaryResources",
  "Tickets", "TimeEntries", "UserDefinedFieldDefinitions", "UserDefinedFieldListItems", "UserDefinedFields",
  "WebhookEventErrorLogs", "WorkTypeModifiers",
];

/** Lower-cased name → Autotask's spelling. */
export const AUTOTASK_ENTITY_BY_SEGMENT: ReadonlyMap<string, string> = new Map(NAMES.map((name) => [name.toLowerCase(), name]));
