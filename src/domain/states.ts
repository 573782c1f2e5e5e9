/**
 * Semantic ticket states and priorities, and the per-tenant mapping from Autotask picklist ids to them.
 *
 * Every service-desk rule in this folder is written against semantic states (NEW, IN_PROGRESS, ...)
 * and never against ids, because Autotask tenants rename, add and deactivate statuses and priorities
 * (one live tenant has priority 1 = "Critical" where the default is 1 = "High"). A mapping is built
 * from the tenant's picklists by label, case-insensitive and with common variants, and configuration
 * can override any id or label (e.g. a German tenant saying "Eskaliert" means ESCALATED).
 */

export type SemanticStatus =
  | "NEW"
  | "IN_PROGRESS"
  | "WAITING_CUSTOMER"
  | "WAITING_MATERIALS"
  | "ESCALATED"
  | "COMPLETE"
  | "OTHER";

export type SemanticPriority = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW";

export const SEMANTIC_STATUSES: readonly SemanticStatus[] = [
  "NEW",
  "IN_PROGRESS",
  "WAITING_CUSTOMER",
  "WAITING_MATERIALS",
  "ESCALATED",
  "COMPLETE",
  "OTHER",
];

/** Most urgent first. */
export const SEMANTIC_PRIORITIES: readonly SemanticPriority[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];

export interface PicklistEntry {
  value: string | number;
  label: string;
  isActive: boolean;
  isDefaultValue?: boolean;
}

/** Keys are picklist ids ("12") or labels (matched case-insensitively). Ids win over labels. */
export interface MappingOverrides {
  status?: Record<string, SemanticStatus>;
  priority?: Record<string, SemanticPriority>;
}

export interface TenantMapping {
  /** Unknown, missing or unmapped ids give "OTHER". */
  statusOf(id: number | null | undefined): SemanticStatus;
  /** Unknown, missing or unmapped ids give undefined. */
  priorityOf(id: number | null | undefined): SemanticPriority | undefined;
  /** Every id mapped to `s`, active ones first, the preferred one first within each group. */
  statusIdsFor(s: SemanticStatus): number[];
  priorityIdsFor(p: SemanticPriority): number[];
  /** The active id to set when a tool asks for `s` (exact label match preferred). Undefined for OTHER. */
  primaryStatusId(s: SemanticStatus): number | undefined;
  primaryPriorityId(p: SemanticPriority): number | undefined;
  statusLabel(id: number | null | undefined): string | undefined;
  priorityLabel(id: number | null | undefined): string | undefined;
  isStatusActive(id: number | null | undefined): boolean;
  isPriorityActive(id: number | null | undefined): boolean;
  /** Configuration problems found while building (override keys that matched nothing, bad values). */
  readonly warnings: readonly string[];
}

export interface BuildTenantMappingInput {
  statuses: PicklistEntry[];
  priorities: PicklistEntry[];
  overrides?: MappingOverrides;
  /** Whether a label "Urgent" means CRITICAL (default) or HIGH. */
  urgentIsCritical?: boolean;
}

/**
 * Label variants per semantic value, canonical label first. The position is the preference rank when
 * several ids map to the same value. "Resolved" is deliberately absent: tenants use it for a
 * "fixed, waiting for confirmation" step as often as for closed, so it stays OTHER unless configured.
 */
const STATUS_LABELS: Record<Exclude<SemanticStatus, "OTHER">, string[]> = {
  NEW: ["new"],
  IN_PROGRESS: ["in progress", "work in progress", "inprogress"],
  WAITING_CUSTOMER: [
    "waiting customer",
    "waiting on customer",
    "waiting for customer",
    "awaiting customer",
    "waiting customer response",
    "waiting for customer response",
  ],
  WAITING_MATERIALS: [
    "waiting materials",
    "waiting on materials",
    "waiting for materials",
    "awaiting materials",
    "waiting parts",
    "waiting on parts",
    "waiting for parts",
    "awaiting parts",
  ],
  ESCALATED: ["escalated", "escalate", "escalation"],
  COMPLETE: ["complete", "completed", "closed"],
};

/** The semantic names a caller may type for a status, as they read in the docs: `in_progress`, …, `complete`. */
export const SEMANTIC_STATUS_NAMES: readonly string[] = SEMANTIC_STATUSES.filter((s) => s !== "OTHER").map((s) => s.toLowerCase());

/**
 * The semantic status a caller's word names: a semantic name in any casing and spacing (`in_progress`,
 * `In Progress`, `waiting-customer`), or one of the label variants the mapping recognises (`closed` and
 * `completed` for COMPLETE, `escalate` for ESCALATED, `waiting on customer`…). `other` names OTHER, the
 * class of statuses outside the semantic states. Undefined when the word names none.
 */
/** A name as the semantic names are written: trimmed, upper case, spaces and hyphens as `_` ("waiting customer" -> "WAITING_CUSTOMER"). */
export function semanticKey(text: string): string {
  return text.trim().toUpperCase().replace(/[\s-]+/g, "_");
}

export function semanticStatusNamed(text: string): SemanticStatus | undefined {
  const key = semanticKey(text);
  if ((SEMANTIC_STATUSES as readonly string[]).includes(key)) return key as SemanticStatus;
  const label = normalizeLabel(text);
  for (const [semantic, variants] of Object.entries(STATUS_LABELS) as Array<[Exclude<SemanticStatus, "OTHER">, string[]]>) {
    if (variants.includes(label)) return semantic;
  }
  return undefined;
}

function priorityLabels(urgentIsCritical: boolean): Record<SemanticPriority, string[]> {
  return {
    CRITICAL: urgentIsCritical ? ["critical", "urgent"] : ["critical"],
    HIGH: urgentIsCritical ? ["high"] : ["high", "urgent"],
    MEDIUM: ["medium", "normal"],
    LOW: ["low"],
  };
}

/** Lower case, punctuation to spaces, single spaces: "Waiting - Customer" → "waiting customer". */
export function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

interface Entry<S extends string> {
  id: number;
  label: string | undefined;
  isActive: boolean;
  isDefault: boolean;
  semantic: S;
  /** Lower is preferred: 0 = canonical label, 1.. = variants, OVERRIDE_RANK = configured. */
  rank: number;
}

/** Overrides rank after the canonical label but before other variants: the tenant said so explicitly. */
const OVERRIDE_RANK = 0.5;

function toId(value: string | number): number | undefined {
  const n = typeof value === "number" ? value : Number(value.trim());
  return Number.isInteger(n) ? n : undefined;
}

function buildIndex<S extends string>(
  kind: "status" | "priority",
  picklist: PicklistEntry[],
  labels: Partial<Record<S, string[]>>,
  fallback: S | undefined,
  allowed: readonly S[],
  overrides: Record<string, S> | undefined,
  warnings: string[],
): Map<number, Entry<S> | Omit<Entry<S>, "semantic">> {
  const byLabel = new Map<string, { semantic: S; rank: number }>();
  for (const [semantic, variants] of Object.entries(labels) as [S, string[]][]) {
    variants.forEach((variant, rank) => {
      byLabel.set(variant, { semantic, rank });
    });
  }

  const entries = new Map<number, Entry<S> | Omit<Entry<S>, "semantic">>();
  for (const item of picklist) {
    const id = toId(item.value);
    if (id === undefined) {
      warnings.push(`Ignored ${kind} picklist value "${String(item.value)}": not an integer id.`);
      continue;
    }
    const match = byLabel.get(normalizeLabel(item.label));
    const base = {
      id,
      label: item.label,
      isActive: item.isActive,
      isDefault: item.isDefaultValue === true,
      rank: match?.rank ?? Number.POSITIVE_INFINITY,
    };
    if (match) entries.set(id, { ...base, semantic: match.semantic });
    else if (fallback !== undefined) entries.set(id, { ...base, semantic: fallback });
    else entries.set(id, base);
  }

  if (overrides) {
    // Label keys first so that an id key for the same entry is applied last and wins.
    const ordered = Object.entries(overrides).sort(
      ([a], [b]) => Number(toId(a) !== undefined) - Number(toId(b) !== undefined),
    );
    for (const [key, semantic] of ordered) {
      if (!allowed.includes(semantic)) {
        warnings.push(`Ignored ${kind} override "${key}": "${String(semantic)}" is not one of ${allowed.join(", ")}.`);
        continue;
      }
      const id = toId(key);
      const targets: number[] = [];
      if (id !== undefined) {
        targets.push(id);
      } else {
        const wanted = normalizeLabel(key);
        for (const entry of entries.values()) {
          if (entry.label !== undefined && normalizeLabel(entry.label) === wanted) targets.push(entry.id);
        }
        if (targets.length === 0) {
          warnings.push(`${kind} override "${key}" matches no ${kind} label of this tenant.`);
        }
      }
      for (const target of targets) {
        const existing = entries.get(target);
        const keepsCanonical = existing && "semantic" in existing && existing.semantic === semantic && existing.rank === 0;
        entries.set(target, {
          id: target,
          label: existing?.label,
          // An id only known from configuration is assumed usable: the tenant named it on purpose.
          isActive: existing?.isActive ?? true,
          isDefault: existing?.isDefault ?? false,
          semantic,
          rank: keepsCanonical ? 0 : OVERRIDE_RANK,
        });
      }
    }
  }
  return entries;
}

function preferenceOrder<S extends string>(a: Entry<S>, b: Entry<S>): number {
  if (a.isActive !== b.isActive) return a.isActive ? -1 : 1;
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.isDefault !== b.isDefault) return a.isDefault ? -1 : 1;
  return a.id - b.id;
}

function groupBySemantic<S extends string>(entries: Iterable<Entry<S> | Omit<Entry<S>, "semantic">>): Map<S, Entry<S>[]> {
  const groups = new Map<S, Entry<S>[]>();
  for (const entry of entries) {
    if (!("semantic" in entry)) continue;
    const list = groups.get(entry.semantic);
    if (list) list.push(entry);
    else groups.set(entry.semantic, [entry]);
  }
  for (const list of groups.values()) list.sort(preferenceOrder);
  return groups;
}

/** Builds the id ↔ semantic mapping for one tenant from its status and priority picklists. */
export function buildTenantMapping(input: BuildTenantMappingInput): TenantMapping {
  const warnings: string[] = [];
  const statusEntries = buildIndex<SemanticStatus>(
    "status",
    input.statuses,
    STATUS_LABELS,
    "OTHER",
    SEMANTIC_STATUSES,
    input.overrides?.status,
    warnings,
  );
  const priorityEntries = buildIndex<SemanticPriority>(
    "priority",
    input.priorities,
    priorityLabels(input.urgentIsCritical ?? true),
    undefined,
    SEMANTIC_PRIORITIES,
    input.overrides?.priority,
    warnings,
  );
  const statusGroups = groupBySemantic(statusEntries.values());
  const priorityGroups = groupBySemantic(priorityEntries.values());

  const lookup = <S extends string>(map: Map<number, Entry<S> | Omit<Entry<S>, "semantic">>, id: number | null | undefined) =>
    id === null || id === undefined ? undefined : map.get(id);
  const semanticOf = <S extends string>(entry: Entry<S> | Omit<Entry<S>, "semantic"> | undefined): S | undefined =>
    entry && "semantic" in entry ? entry.semantic : undefined;
  const primary = <S extends string>(groups: Map<S, Entry<S>[]>, s: S) => {
    const first = groups.get(s)?.[0];
    return first?.isActive ? first.id : undefined;
  };

  return {
    statusOf: (id) => semanticOf(lookup(statusEntries, id)) ?? "OTHER",
    priorityOf: (id) => semanticOf(lookup(priorityEntries, id)),
    statusIdsFor: (s) => (statusGroups.get(s) ?? []).map((e) => e.id),
    priorityIdsFor: (p) => (priorityGroups.get(p) ?? []).map((e) => e.id),
    primaryStatusId: (s) => (s === "OTHER" ? undefined : primary(statusGroups, s)),
    primaryPriorityId: (p) => primary(priorityGroups, p),
    statusLabel: (id) => lookup(statusEntries, id)?.label,
    priorityLabel: (id) => lookup(priorityEntries, id)?.label,
    isStatusActive: (id) => lookup(statusEntries, id)?.isActive === true,
    isPriorityActive: (id) => lookup(priorityEntries, id)?.isActive === true,
    warnings,
  };
}

/** Open means "not COMPLETE": tenant-specific (OTHER) statuses count as open work. */
export function isOpenStatus(status: SemanticStatus): boolean {
  return status !== "COMPLETE";
}
