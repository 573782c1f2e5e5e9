/**
 * The tenant's picklists (status, priority, queue, note type...), read from `entityInformation/fields`
 * and cached per entity for a TTL.
 *
 * Ids and labels differ between tenants (one tenant's priority 1 is "High", another's is "Critical"), so
 * tools never hard-code them: they resolve what a person typed — an id or a label, any casing — against
 * the tenant's ACTIVE values, and an unknown value fails with the list of valid labels.
 *
 * @example
 *   const priority = await cache.picklist("Tickets", "priority");
 *   priority.resolve("high").value;   // 5 on a tenant where High is 5
 *   priority.labelOf(5);             // "High"
 */
import type { AutotaskApi, MetadataEntity, RequestOptions } from "./api.js";
import type { FieldInfo, FieldPicklistValue, PicklistValue } from "./schemas.js";
import { abandonOnAbort } from "./signals.js";

/** A value that is not one of the picklist's active values. The message lists the valid labels. */
export class PicklistError extends Error {
  readonly field: string;
  readonly input: string | number;
  readonly validLabels: string[];

  /** @param inactive the value the input names when it exists but is inactive (it cannot be written). */
  constructor(field: string, input: string | number, validLabels: string[], inactive?: PicklistValue) {
    const shown = typeof input === "string" ? `"${input}"` : String(input);
    const what = inactive
      ? `${field} ${shown} (${inactive.label}, id ${inactive.value}) is inactive in this tenant, so it cannot be set.`
      : `Unknown ${field} ${shown}.`;
    super(`${what} Valid values: ${validLabels.join(", ") || "(none)"}.`);
    this.name = "PicklistError";
    this.field = field;
    this.input = input;
    this.validLabels = validLabels;
  }
}

/** One picklist field of one entity. */
export class Picklist {
  readonly entity: string;
  readonly field: string;
  readonly values: PicklistValue[];
  /**
   * The field this picklist depends on (metadata `picklistParentValueField`, e.g. "IssueType" for
   * subIssueType); each value's `parentValue` is an id of that field. Undefined for independent picklists.
   */
  readonly parentField: string | undefined;
  readonly #byId: Map<number, PicklistValue>;

  constructor(entity: string, field: string, values: PicklistValue[], parentField?: string) {
    this.entity = entity;
    this.field = field;
    this.values = values;
    this.parentField = parentField?.trim() ? parentField.trim() : undefined;
    this.#byId = new Map(values.map((value) => [value.value, value]));
  }

  /** Builds a picklist from field metadata; values that are not numeric ids are skipped. */
  static fromFieldInfo(entity: string, field: FieldInfo): Picklist {
    const values = (field.picklistValues ?? []).map(normalizeValue).filter((value): value is PicklistValue => value !== undefined);
    return new Picklist(entity, field.name, values, field.picklistParentValueField ?? undefined);
  }

  /** Active values, in the tenant's sort order. */
  active(): PicklistValue[] {
    return this.values.filter((value) => value.isActive).sort((a, b) => a.sortOrder - b.sortOrder || a.value - b.value);
  }

  /** The label for an id, active or not (old tickets can carry inactive values). */
  labelOf(id: number | null | undefined): string | undefined {
    if (id === null || id === undefined) return undefined;
    return this.#byId.get(id)?.label;
  }

  /** The label for an id, or `#id` for one this picklist does not hold (answers still show the value); undefined without an id. */
  labelOrId(id: number | null | undefined): string | undefined {
    if (id === null || id === undefined) return undefined;
    return this.labelOf(id) ?? `#${id}`;
  }

  /** The tenant's default value, if it is active. */
  defaultValue(): PicklistValue | undefined {
    return this.values.find((value) => value.isDefaultValue && value.isActive);
  }

  /**
   * An id (number or numeric string) or a label (case-insensitive, trimmed), among ACTIVE values; with
   * `includeInactive` (read filters: tickets can still sit in a value the tenant has since deactivated)
   * inactive values match too, an active label winning over an inactive one.
   * @throws PicklistError listing the active labels; it says so when the input names an inactive value.
   */
  resolve(input: string | number, options?: { includeInactive?: boolean }): PicklistValue {
    const active = this.active();
    const text = typeof input === "number" ? String(input) : input.trim();
    const find = (values: readonly PicklistValue[]): PicklistValue | undefined => {
      if (/^-?\d+$/.test(text)) {
        const byId = values.find((value) => value.value === Number(text));
        if (byId) return byId;
      }
      const wanted = text.toLowerCase();
      return values.find((value) => value.label.trim().toLowerCase() === wanted);
    };
    const found = find(active);
    if (found) return found;
    const inactive = find(this.values.filter((value) => !value.isActive));
    if (inactive && options?.includeInactive) return inactive;
    throw new PicklistError(
      this.field,
      input,
      active.map((value) => value.label),
      inactive,
    );
  }
}

export interface PicklistCacheOptions {
  /** How long metadata is trusted. Default 15 minutes. */
  ttlMs?: number;
  now?: () => number;
  /** Told about every `invalidate()`, so a cache shared beyond this one (Redis) can drop its copy too. */
  onInvalidate?: (entity?: MetadataEntity) => void;
}

interface CacheEntry {
  loadedAt: number;
  fields: FieldInfo[];
  picklists: Map<string, Picklist>;
}

const DEFAULT_TTL_MS = 15 * 60_000;

/**
 * Field metadata per entity, loaded at most once per TTL. Concurrent callers share the load in flight;
 * a failed load is not cached, so the next call tries again.
 */
export class PicklistCache {
  readonly #api: Pick<AutotaskApi, "getFieldInfo">;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #onInvalidate: ((entity?: MetadataEntity) => void) | undefined;
  readonly #entries = new Map<MetadataEntity, CacheEntry>();
  readonly #loading = new Map<MetadataEntity, Promise<CacheEntry>>();
  // Bumped by invalidate(), so a load that started before it does not store stale data afterwards.
  #generation = 0;

  constructor(api: Pick<AutotaskApi, "getFieldInfo">, options: PicklistCacheOptions = {}) {
    this.#api = api;
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#onInvalidate = options.onInvalidate;
  }

  /** The picklist of `field` (name case-insensitive). Throws if the entity has no such picklist field. */
  async picklist(entity: MetadataEntity, field: string, options?: RequestOptions): Promise<Picklist> {
    const entry = await this.#entry(entity, options);
    const key = field.trim().toLowerCase();
    const cached = entry.picklists.get(key);
    if (cached) return cached;
    const info = entry.fields.find((candidate) => candidate.name.toLowerCase() === key);
    if (!info) throw new Error(`${entity} has no field named "${field}".`);
    if (!info.isPickList) throw new Error(`${entity}.${info.name} is not a picklist field.`);
    const picklist = Picklist.fromFieldInfo(entity, info);
    entry.picklists.set(key, picklist);
    return picklist;
  }

  /** The entity's field metadata (lengths, isRequired, isQueryable...). */
  async fields(entity: MetadataEntity, options?: RequestOptions): Promise<FieldInfo[]> {
    return (await this.#entry(entity, options)).fields;
  }

  /** Forgets one entity's metadata, or all of it (e.g. after Autotask said a value does not exist). */
  invalidate(entity?: MetadataEntity): void {
    this.#generation += 1;
    this.#onInvalidate?.(entity);
    if (entity === undefined) {
      this.#entries.clear();
      this.#loading.clear();
    } else {
      this.#entries.delete(entity);
      this.#loading.delete(entity);
    }
  }

  #entry(entity: MetadataEntity, options?: RequestOptions): Promise<CacheEntry> {
    const cached = this.#entries.get(entity);
    if (cached && this.#now() - cached.loadedAt < this.#ttlMs) return Promise.resolve(cached);
    let loading = this.#loading.get(entity);
    if (!loading) {
      const generation = this.#generation;
      // The shared load must not die with the first caller's signal; it is not passed on.
      loading = this.#api.getFieldInfo(entity).then(
        (fields) => {
          const entry: CacheEntry = { loadedAt: this.#now(), fields, picklists: new Map() };
          if (generation === this.#generation) {
            this.#entries.set(entity, entry);
            this.#loading.delete(entity);
          }
          return entry;
        },
        (error: unknown) => {
          if (generation === this.#generation) this.#loading.delete(entity);
          throw error;
        },
      );
      this.#loading.set(entity, loading);
    }
    return options?.signal ? abandonOnAbort(loading, options.signal) : loading;
  }
}

function normalizeValue(raw: FieldPicklistValue): PicklistValue | undefined {
  const value = Number(raw.value);
  if (raw.value.trim() === "" || !Number.isInteger(value)) return undefined;
  const parent = raw.parentValue === null || raw.parentValue === undefined || String(raw.parentValue).trim() === "" ? null : Number(raw.parentValue);
  return {
    value,
    label: raw.label,
    isActive: raw.isActive ?? true,
    isDefaultValue: raw.isDefaultValue ?? false,
    isSystem: raw.isSystem ?? false,
    parentValue: parent === null || Number.isNaN(parent) ? null : parent,
    sortOrder: raw.sortOrder ?? 0,
  };
}
