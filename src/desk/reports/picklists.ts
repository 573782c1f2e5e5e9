/**
 * The tenant's ticket and note picklists as a user needs to see them: each value with its id, label and
 * whether it is active; statuses with the semantic state the server maps them to (and the
 * `AUTOTASK_STATUS_MAP` entry that would change it); priorities with their semantic level and SLA
 * targets; issue types with their sub-issue types. Everything is read from
 * `/{Entity}/entityInformation/fields` through the tenant service; no id is known in advance.
 */
import type { MetadataEntity } from "../../autotask/api.js";
import type { Picklist } from "../../autotask/picklists.js";
import type { PicklistValue } from "../../autotask/schemas.js";
import { DEFAULT_SLA_TARGETS } from "../../domain/sla.js";
import type { TenantMapping } from "../../domain/states.js";
import { UserInputError } from "../../errors.js";
import type { ReportDependencies } from "./types.js";

/** The picklists this service lists, by the name a caller uses, with Autotask's entity and field. */
export const PICKLIST_FIELDS = {
  status: ["Tickets", "status"],
  priority: ["Tickets", "priority"],
  queue: ["Tickets", "queueID"],
  issueType: ["Tickets", "issueType"],
  ticketType: ["Tickets", "ticketType"],
  ticketCategory: ["Tickets", "ticketCategory"],
  source: ["Tickets", "source"],
  serviceLevelAgreement: ["Tickets", "serviceLevelAgreementID"],
  noteType: ["TicketNotes", "noteType"],
  publish: ["TicketNotes", "publish"],
} as const satisfies Record<string, readonly [MetadataEntity, string]>;
export type PicklistName = keyof typeof PICKLIST_FIELDS;
export const PICKLIST_NAMES = Object.keys(PICKLIST_FIELDS) as PicklistName[];

export type PicklistEntryView = {
  id: number;
  label: string;
  inactive?: true;
  default?: true;
  /** Status: the semantic state (NEW, IN_PROGRESS, ..., OTHER). Priority: CRITICAL..LOW. */
  maps?: string;
  /** Priority: default SLA targets in business hours (first response / resolution). */
  slaHours?: { response: number; resolution: number };
  /** Issue type: its sub-issue types. */
  subIssueTypes?: Array<{ id: number; label: string; inactive?: true }>;
  /** Publish: true for the value the client can read in the portal. */
  clientVisible?: true;
};

export type PicklistListing = {
  picklists: Partial<Record<PicklistName, PicklistEntryView[]>>;
  /** Mapping problems from configuration (override keys matching nothing). */
  warnings: string[];
};

export class PicklistReport {
  constructor(private readonly deps: ReportDependencies) {}

  /**
   * Every listed picklist (or the one named), active values only unless `includeInactive`.
   * @throws UserInputError for an unknown `field`.
   */
  async list(args: { field?: string; includeInactive?: boolean }, options: { signal?: AbortSignal } = {}): Promise<PicklistListing> {
    const names = args.field === undefined ? PICKLIST_NAMES : [canonicalName(args.field)];
    const mapping = names.some((n) => n === "status" || n === "priority") ? await this.deps.tenant.mapping(options) : undefined;
    const entries = await Promise.all(
      names.map(async (name) => {
        const [entity, field] = PICKLIST_FIELDS[name];
        const picklist = await this.deps.tenant.picklist(entity, field, options);
        const sub = name === "issueType" ? await this.deps.tenant.picklist("Tickets", "subIssueType", options) : undefined;
        return [name, viewOf(name, picklist, args.includeInactive === true, mapping, sub)] as const;
      }),
    );
    return { picklists: Object.fromEntries(entries), warnings: mapping ? [...mapping.warnings] : [] };
  }
}

function canonicalName(input: string): PicklistName {
  const wanted = input.trim().toLowerCase().replace(/[\s_-]+/g, "");
  const found = PICKLIST_NAMES.find((name) => {
    const [, field] = PICKLIST_FIELDS[name];
    return name.toLowerCase() === wanted || field.toLowerCase() === wanted || (name === "serviceLevelAgreement" && wanted === "sla");
  });
  if (!found) throw new UserInputError(`Unknown picklist "${input}". Use one of: ${PICKLIST_NAMES.join(", ")}.`, "field");
  return found;
}

function ordered(picklist: Picklist, includeInactive: boolean): PicklistValue[] {
  const active = picklist.active();
  if (!includeInactive) return active;
  return [...active, ...picklist.values.filter((v) => !v.isActive).sort((a, b) => a.value - b.value)];
}

function viewOf(
  name: PicklistName,
  picklist: Picklist,
  includeInactive: boolean,
  mapping: TenantMapping | undefined,
  subIssues: Picklist | undefined,
): PicklistEntryView[] {
  return ordered(picklist, includeInactive).map((value) => {
    const view: PicklistEntryView = { id: value.value, label: value.label };
    if (!value.isActive) view.inactive = true;
    if (value.isDefaultValue) view.default = true;
    if (name === "status" && mapping) view.maps = mapping.statusOf(value.value);
    if (name === "priority" && mapping) {
      const level = mapping.priorityOf(value.value);
      view.maps = level ?? "OTHER";
      if (level) view.slaHours = { response: DEFAULT_SLA_TARGETS[level].responseHours, resolution: DEFAULT_SLA_TARGETS[level].resolutionHours };
    }
    if (name === "publish" && /^all\b/i.test(value.label)) view.clientVisible = true;
    if (name === "issueType" && subIssues) {
      const children = ordered(subIssues, includeInactive).filter((sub) => String(sub.parentValue ?? "") === String(value.value));
      if (children.length > 0) {
        view.subIssueTypes = children.map((sub) => (sub.isActive ? { id: sub.value, label: sub.label } : { id: sub.value, label: sub.label, inactive: true }));
      }
    }
    return view;
  });
}

/** The configuration line that would map `label` to `state`, e.g. `AUTOTASK_STATUS_MAP={"Waiting Vendor":"WAITING_MATERIALS"}`. */
export function overrideExample(kind: "status" | "priority", label: string, state: string): string {
  return `AUTOTASK_${kind.toUpperCase()}_MAP=${JSON.stringify({ [label]: state })}`;
}
