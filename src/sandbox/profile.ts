/**
 * Tenant profiles: the picklists and user-defined fields of one (simulated) Autotask tenant, read from
 * `fixtures/profiles/<name>.json` or any path. Profiles use Autotask's own metadata shape (picklist
 * `value` as a string, `isActive`, `isDefaultValue`, `parentValue`…), so a profile can be cut straight from
 * a real `entityInformation/fields` response. Everything tenant-specific (which id means "Complete",
 * whether priority has a default) is looked up here by label, never hard-coded elsewhere.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { EntityName } from "./schema.js";

const picklistValueSchema = z.object({
  value: z.string(),
  label: z.string(),
  isDefaultValue: z.boolean().default(false),
  sortOrder: z.number().default(0),
  parentValue: z.string().nullable().default(""),
  isActive: z.boolean().default(true),
  isSystem: z.boolean().default(false),
});

const udfSchema = z
  .object({
    name: z.string(),
    label: z.string().nullable().optional(),
    type: z.string(),
    length: z.number().default(0),
    isRequired: z.boolean().default(false),
    isReadOnly: z.boolean().default(false),
    isQueryable: z.boolean().default(true),
    isPickList: z.boolean().default(false),
    picklistValues: z.array(picklistValueSchema).nullable().default(null),
  })
  .passthrough();

/**
 * Tenant behaviours that no metadata call reveals (see the sandbox section of the README for sources).
 * `dueDateTimeRequiredOnCreate`: the tenant refuses a ticket create without `dueDateTime` ("dueDateTime is
 * required.", field report WYRE-AI/autotask-mcp#288) unless the ticket's category supplies a due date;
 * `categoryDueDateHours` names those categories (picklist value) and the hours after creation they set.
 */
const featuresSchema = z.object({
  dueDateTimeRequiredOnCreate: z.boolean().default(false),
  categoryDueDateHours: z.record(z.string(), z.number().positive()).default({}),
});

const profileSchema = z.object({
  name: z.string(),
  description: z.string().default(""),
  zone: z.object({ zoneName: z.string(), ci: z.number() }).default({ zoneName: "Sandbox", ci: 0 }),
  picklists: z.record(z.string(), z.record(z.string(), z.array(picklistValueSchema))),
  userDefinedFields: z.record(z.string(), z.array(udfSchema)).default({}),
  features: featuresSchema.default({ dueDateTimeRequiredOnCreate: false, categoryDueDateHours: {} }),
});

export type PicklistValue = z.infer<typeof picklistValueSchema>;
export type UdfDef = z.infer<typeof udfSchema>;
export type TenantFeatures = z.infer<typeof featuresSchema>;
export type TenantProfileData = z.infer<typeof profileSchema>;

/** Folder holding the shipped profiles; the same relative path works from `src/` and from `dist/`. */
export const PROFILES_DIR = fileURLToPath(new URL("../../fixtures/profiles/", import.meta.url));

export function resolveProfilePath(nameOrPath: string): string {
  if (/^[a-z0-9-]+$/i.test(nameOrPath)) return `${PROFILES_DIR}${nameOrPath}.json`;
  return nameOrPath;
}

/**
 * Reads and validates a profile. Every failure is ONE line naming the path and the problem, and never
 * quotes the file: a wrong path can point at anything (an env file with credentials), and JSON.parse's
 * own message quotes the text around the error.
 * @throws Error "Sandbox profile <path> ..." when the file is missing, unreadable, not JSON or not a profile.
 */
export function loadProfile(nameOrPath = "default"): TenantProfile {
  const path = resolveProfilePath(nameOrPath);
  if (!existsSync(path)) throw new Error(`Sandbox profile not found: ${nameOrPath} (looked for ${path})`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`Sandbox profile ${path} cannot be read${typeof code === "string" ? ` (${code})` : ""}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`Sandbox profile ${path} is not a valid profile: the file is not JSON.`);
  }
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    // Names only the profile's own top-level field: deeper keys (picklist and field names) are file content.
    const field = parsed.error.issues[0]?.path[0];
    const where = typeof field === "string" && field in profileSchema.shape ? `"${field}" is missing or malformed` : "the top level is not a profile object";
    throw new Error(`Sandbox profile ${path} is not a valid profile: ${where}.`);
  }
  return new TenantProfile(parsed.data);
}

/** Read access to a profile, with the lookups the generator and the validators need. */
export class TenantProfile {
  constructor(readonly data: TenantProfileData) {}

  get name(): string {
    return this.data.name;
  }

  /** All values of a picklist (active and inactive), or an empty list when the tenant defines none. */
  values(entity: EntityName, field: string): PicklistValue[] {
    return this.data.picklists[entity]?.[field] ?? [];
  }

  activeValues(entity: EntityName, field: string): PicklistValue[] {
    return this.values(entity, field).filter((value) => value.isActive);
  }

  find(entity: EntityName, field: string, value: number | string): PicklistValue | undefined {
    const wanted = String(value);
    return this.values(entity, field).find((candidate) => candidate.value === wanted);
  }

  /** The value flagged `isDefaultValue`, or undefined: some tenants have no default priority. */
  defaultValue(entity: EntityName, field: string): number | undefined {
    const found = this.values(entity, field).find((value) => value.isDefaultValue && value.isActive);
    return found === undefined ? undefined : Number(found.value);
  }

  /** Id of the value with this label (case-insensitive), e.g. status "Complete". */
  valueByLabel(entity: EntityName, field: string, label: string): number | undefined {
    const wanted = label.toLowerCase();
    const found = this.values(entity, field).find((value) => value.label.toLowerCase() === wanted);
    return found === undefined ? undefined : Number(found.value);
  }

  get features(): TenantFeatures {
    return this.data.features;
  }

  userDefinedFields(entity: EntityName): UdfDef[] {
    return this.data.userDefinedFields[entity] ?? [];
  }

  /** Ticket status meaning "done"; completing sets completedDate. Derived from the label, as tenants keep id 5. */
  get completeStatus(): number {
    return this.valueByLabel("Tickets", "status", "Complete") ?? 5;
  }

  /** Ticket status of a fresh ticket: leaving it counts as the first response. */
  get newStatus(): number {
    return this.valueByLabel("Tickets", "status", "New") ?? this.defaultValue("Tickets", "status") ?? 1;
  }

  /** Note publish value visible to everyone (and the client portal). */
  get publishToAllUsers(): number {
    return this.valueByLabel("TicketNotes", "publish", "All Autotask Users") ?? 1;
  }
}
