/**
 * The directory: companies, contacts and resources (the MSP's technicians) with their service-desk
 * roles. Finding them by name, completing an assignment with a role, and display names for the ids
 * on tickets, fetched in batches.
 *
 * A 25-row search must not cost 25 look-ups: all the ids a result needs are collected first and
 * fetched with one `in` query per entity (chunked), the entities in parallel, and kept for a while
 * because names rarely change. Resources (the MSP's own staff, a few dozen to a few hundred) are
 * loaded all at once on first use, so that later results naming other technicians cost nothing.
 */
import type { AutotaskApi, RequestOptions } from "../autotask/api.js";
import type { Condition, QuerySpec } from "../autotask/query.js";
import type { CompanyField, ContactField, ResourceField } from "../autotask/schemas.js";
import { UserInputError } from "../errors.js";
import { collect } from "./collect.js";
import { checkId, idFromDigits } from "./ids.js";

export interface NameRequest {
  companies?: Iterable<number | null | undefined>;
  contacts?: Iterable<number | null | undefined>;
  resources?: Iterable<number | null | undefined>;
  /** Role ids (`assignedResourceRoleID`, service-desk roles), named from `/Roles`. */
  roles?: Iterable<number | null | undefined>;
}

export interface ResolvedNames {
  company(id: number | null | undefined): string | undefined;
  contact(id: number | null | undefined): string | undefined;
  resource(id: number | null | undefined): string | undefined;
  role(id: number | null | undefined): string | undefined;
}

type Kind = "companies" | "contacts" | "resources" | "roles";

/** The people of a search or report filter: an id, or a name the directory resolves. */
export interface FilterPeople {
  companyID?: number | string;
  assignedResourceID?: number | string;
}

/**
 * A filter's id-or-name value: a number, or a string of digits, is an id, checked as Autotask holds
 * company and resource ids (int32, `ids.ts`); any other string is a name, trimmed.
 * @throws UserInputError when an id is not a whole number Autotask can hold
 */
export function filterRefOf(value: number | string, argument: string): number | string {
  if (typeof value === "number") return checkId(value, argument);
  return idFromDigits(value, argument) ?? value.trim();
}

/**
 * A name as every answer shows it: one line, at most 120 characters. Contacts' names and titles can
 * be written by outsiders (e-mail display names, the client portal), and a name is printed outside any
 * `<<<…>>>` block, so it must not be able to start a line of its own, open or close a block (`<`, `>`
 * become `‹`, `›`) or add a column to a search row (`|` becomes `¦`). Control characters and line
 * breaks become spaces; zero-width and bidirectional control characters are dropped. Returns
 * undefined for an empty result.
 */
export function displayName(...parts: Array<string | null | undefined>): string | undefined {
  const text = parts
    .filter((part): part is string => typeof part === "string")
    .join(" ")
    // Zero-width and direction-changing characters (U+200B-U+200F, U+202A-U+202E, U+2066-U+2069,
    // U+FEFF) can hide or reorder what a reader sees: dropped.
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, " ")
    .replace(/</g, "‹")
    .replace(/>/g, "›")
    .replace(/\|/g, "¦")
    .trim();
  if (text === "") return undefined;
  return text.length > DISPLAY_NAME_MAX ? `${text.slice(0, DISPLAY_NAME_MAX - 1)}…` : text;
}

const DISPLAY_NAME_MAX = 120;

/** Autotask allows long `in` lists, but shorter ones keep URLs, bodies and query plans modest. */
const IN_LIST_CHUNK = 200;

interface CachedName {
  name: string | undefined;
  expiresAt: number;
}

export class Directory {
  private readonly cache: Record<Kind, Map<number, CachedName>> = {
    companies: new Map(),
    contacts: new Map(),
    resources: new Map(),
    roles: new Map(),
  };

  private resourcesLoadedUntil = 0;
  /** The load of every active resource in progress, shared by the calls (and the warm-up) that need it. */
  private resourcesLoading: Promise<void> | undefined;

  constructor(
    private readonly api: AutotaskApi,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  /** Names for every id in `request`: one `in` query per entity and chunk, cached for the TTL (default 10 min). */
  async names(request: NameRequest, options?: RequestOptions): Promise<ResolvedNames> {
    await Promise.all(
      (["companies", "contacts", "resources", "roles"] as const).map((kind) => this.fill(kind, request[kind], options)),
    );
    const lookup = (kind: Kind) => (id: number | null | undefined) =>
      typeof id === "number" ? this.cache[kind].get(id)?.name : undefined;
    return { company: lookup("companies"), contact: lookup("contacts"), resource: lookup("resources"), role: lookup("roles") };
  }

  private async fill(kind: Kind, ids: Iterable<number | null | undefined> | undefined, options?: RequestOptions) {
    const wanted = ids ? [...ids].filter((id): id is number => typeof id === "number") : [];
    if (wanted.length === 0) return;
    if (kind === "resources") await this.activeResources(options);
    const now = this.now();
    const missing = new Set<number>();
    for (const id of wanted) {
      const cached = this.cache[kind].get(id);
      if (!cached || cached.expiresAt <= now) missing.add(id);
    }
    if (missing.size === 0) return;
    const all = [...missing];
    for (let start = 0; start < all.length; start += IN_LIST_CHUNK) {
      const chunk = all.slice(start, start + IN_LIST_CHUNK);
      const found = await this.fetch(kind, chunk, options);
      const expiresAt = this.now() + (this.options.ttlMs ?? 10 * 60_000);
      // Ids Autotask did not return are cached as unknown too, so they are not asked for again and again.
      for (const id of chunk) this.cache[kind].set(id, { name: found.get(id), expiresAt });
    }
  }

  /**
   * Loads every active resource's name (the technicians), once per TTL. The server's warm-up calls it
   * beside the metadata request, so that the first search's names need only its companies (issue 13).
   */
  async activeResources(options?: RequestOptions): Promise<void> {
    if (this.resourcesLoadedUntil > this.now()) return;
    const shared = this.resourcesLoading;
    if (shared) {
      try {
        return await shared;
      } catch {
        // Another caller's load failed or was cancelled with its call: this one loads with its own options.
        if (this.resourcesLoadedUntil > this.now()) return;
      }
    }
    const loading = this.loadActiveResources(options);
    this.resourcesLoading = loading;
    // Nothing failed is kept: the next caller loads again and sees its own error.
    const clear = () => {
      if (this.resourcesLoading === loading) this.resourcesLoading = undefined;
    };
    loading.then(clear, clear);
    return loading;
  }

  private async loadActiveResources(options?: RequestOptions) {
    const expiresAt = this.now() + (this.options.ttlMs ?? 10 * 60_000);
    const spec: QuerySpec<ResourceField> = {
      filter: [{ op: "eq", field: "isActive", value: true }],
      includeFields: ["id", "firstName", "lastName"],
      maxRecords: 500,
    };
    for await (const page of this.api.queryResources(spec, { ...options, maxTotal: 5_000 })) {
      for (const person of page) {
        this.cache.resources.set(person.id, { name: displayName(person.firstName, person.lastName), expiresAt });
      }
    }
    this.resourcesLoadedUntil = expiresAt;
  }

  private async fetch(kind: Kind, ids: number[], options?: RequestOptions): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    const filter = [{ op: "in" as const, field: "id" as const, value: ids }];
    if (kind === "companies") {
      const spec: QuerySpec<CompanyField> = { filter, includeFields: ["id", "companyName"], maxRecords: 500 };
      for await (const page of this.api.queryCompanies(spec, options)) {
        for (const company of page) {
          const name = displayName(company.companyName);
          if (name) names.set(company.id, name);
        }
      }
    } else if (kind === "roles") {
      for await (const page of this.api.queryRoles({ filter, includeFields: ["id", "name"], maxRecords: 500 }, options)) {
        for (const role of page) {
          const name = displayName(role.name);
          if (name) names.set(role.id, name);
        }
      }
    } else {
      const spec = { filter, includeFields: ["id" as const, "firstName" as const, "lastName" as const], maxRecords: 500 };
      const pages = kind === "contacts" ? this.api.queryContacts(spec, options) : this.api.queryResources(spec, options);
      for await (const page of pages) {
        for (const person of page) {
          const name = displayName(person.firstName, person.lastName);
          if (name) names.set(person.id, name);
        }
      }
    }
    return names;
  }

  /**
   * Autotask refuses a resource without a role. When only the resource is given, use its default
   * service-desk role (or its only one); otherwise list the roles it does have so the caller can pick.
   * @throws UserInputError (argument `assignedResourceRoleID`) when no role fits.
   */
  async completeAssignment(resourceId: number, roleId: number | undefined, options?: RequestOptions): Promise<Assignment> {
    const roles: Array<{ roleID: number; isDefault?: boolean | null; isActive?: boolean | null }> = [];
    for await (const page of this.api.queryResourceServiceDeskRoles(
      { filter: [{ op: "eq", field: "resourceID", value: resourceId }], maxRecords: 500 },
      options,
    )) {
      for (const role of page) {
        if (typeof role.roleID === "number") roles.push({ roleID: role.roleID, isDefault: role.isDefault, isActive: role.isActive });
      }
    }
    const active = roles.filter((role) => role.isActive !== false);
    // "No roles" must not be said of a resource that does not exist at all.
    if (active.length === 0 && !(await this.exists("resources", resourceId, options))) {
      throw new UserInputError(
        `Resource ${resourceId} does not exist. Find the technician's id with autotask_search_resources (by name).`,
        "assignedResourceID",
      );
    }
    const names = await this.names({ resources: [resourceId], roles: [...active.map((r) => r.roleID), ...(roleId !== undefined ? [roleId] : [])] }, options);
    const who = names.resource(resourceId) ? `${names.resource(resourceId)} (resource ${resourceId})` : `Resource ${resourceId}`;
    const roleText = (id: number) => (names.role(id) ? `${names.role(id)} (${id})` : `role ${id}`);
    const roleList = active.map((r) => roleText(r.roleID)).join(", ");
    if (roleId !== undefined) {
      if (!active.some((role) => role.roleID === roleId)) {
        throw new UserInputError(
          active.length > 0
            ? `${who} has no active service-desk role ${roleText(roleId)}. Its roles: ${roleList}.`
            : `${who} has no service-desk roles, so Autotask will not let it be assigned to a ticket. Ask an administrator to give it a service-desk role.`,
          "assignedResourceRoleID",
        );
      }
      return { assignedResourceID: resourceId, assignedResourceRoleID: roleId };
    }
    const chosen = active.find((role) => role.isDefault) ?? (active.length === 1 ? active[0] : undefined);
    if (!chosen) {
      throw new UserInputError(
        active.length === 0
          ? `${who} has no service-desk roles, so Autotask will not let it be assigned to a ticket. Ask an administrator to give it a service-desk role.`
          : `${who} has several service-desk roles and no default: pass assignedResourceRoleID, one of ${roleList}.`,
        "assignedResourceRoleID",
      );
    }
    return {
      assignedResourceID: resourceId,
      assignedResourceRoleID: chosen.roleID,
      note: `Assigned with ${who}'s ${chosen.isDefault ? "default " : "only "}service-desk role ${roleText(chosen.roleID)}.`,
    };
  }

  /**
   * Companies whose name contains `name` (active only unless `includeInactive`), at most `limit`.
   * One record more is asked for, so `hasMore` costs no count request.
   */
  async searchCompanies(
    query: { name: string; includeInactive?: boolean; limit: number },
    options?: RequestOptions,
  ): Promise<{ companies: CompanyEntry[]; hasMore: boolean }> {
    const filter: Condition<CompanyField>[] = [{ op: "contains", field: "companyName", value: query.name }];
    if (!query.includeInactive) filter.push({ op: "eq", field: "isActive", value: true });
    const found = await collect(
      this.api.queryCompanies(
        { filter, includeFields: ["id", "companyName", "isActive"], maxRecords: query.limit + 1 },
        { ...options, maxTotal: query.limit + 1 },
      ),
    );
    const companies = found.slice(0, query.limit).map((c) => ({ id: c.id, name: displayName(c.companyName), isActive: c.isActive !== false }));
    return { companies, hasMore: found.length > query.limit };
  }

  /**
   * Active resources matching `name` by the person rule (`personNameFilter`: every word in the first
   * name, last name or e-mail, so "Ada Lovelace", "lovelace ada" and "ada@" all find her), with their
   * active service-desk roles.
   */
  async searchResources(query: { name: string; limit: number }, options?: RequestOptions): Promise<{ resources: ResourceEntry[]; hasMore: boolean }> {
    const found = await this.#matchResources(query.name, query.limit, options);
    const shown = found.slice(0, query.limit);
    const roles = new Map<number, { ids: number[]; defaultId?: number }>();
    if (shown.length > 0) {
      for await (const page of this.api.queryResourceServiceDeskRoles(
        {
          filter: [
            { op: "in", field: "resourceID", value: shown.map((r) => r.id) },
            { op: "eq", field: "isActive", value: true },
          ],
          maxRecords: 500,
        },
        options,
      )) {
        for (const role of page) {
          if (typeof role.resourceID !== "number" || typeof role.roleID !== "number") continue;
          const entry = roles.get(role.resourceID) ?? { ids: [] };
          entry.ids.push(role.roleID);
          if (role.isDefault) entry.defaultId = role.roleID;
          roles.set(role.resourceID, entry);
        }
      }
    }
    const roleNames = await this.names({ roles: [...roles.values()].flatMap((entry) => entry.ids) }, options);
    const resources = shown.map((r) => ({
      id: r.id,
      name: displayName(r.firstName, r.lastName),
      email: displayName(r.email),
      defaultRoleID: roles.get(r.id)?.defaultId,
      roleIDs: roles.get(r.id)?.ids ?? [],
      roles: (roles.get(r.id)?.ids ?? []).map((id) => ({ id, name: roleNames.role(id) })),
    }));
    return { resources, hasMore: found.length > query.limit };
  }

  /** Active resources matching `name` by the person rule, at most `limit + 1` (so the caller knows whether there are more). */
  async #matchResources(name: string, limit: number, options?: RequestOptions) {
    const words = personNameWords(name);
    const found = await collect(
      this.api.queryResources(
        {
          filter: [{ op: "eq", field: "isActive", value: true }, ...personNameFilter(words, RESOURCE_NAME_FIELDS)],
          includeFields: ["id", "firstName", "lastName", "email"],
          maxRecords: limit + 1,
        },
        { ...options, maxTotal: limit + 1 },
      ),
    );
    // Autotask applied the same rule; checking it here keeps the answer right whatever its matching does with case or accents.
    return found.filter((person) => personNameMatches(person, words, RESOURCE_NAME_FIELDS));
  }

  /**
   * The one resource a technician named (`"Ada Lovelace"`, `"lovelace"`, an e-mail): active resources
   * matched by the person rule; an exact full-name or e-mail match wins over partial ones.
   * @throws UserInputError (argument `argument`) when nobody matches, or when several do (naming them with ids).
   */
  async resolveResourceName(name: string, argument: string, options?: RequestOptions): Promise<{ id: number; name?: string }> {
    const found = await this.#matchResources(name, 10, options);
    const resources = found.slice(0, 10).map((r) => ({
      id: r.id,
      name: displayName(r.firstName, r.lastName),
      email: displayName(r.email),
    }));
    return pickOne(resources, name, argument, "active resource", "autotask_search_resources", found.length > 10, (r) => [r.name, r.email]);
  }

  /**
   * The one company a technician named: active companies whose name contains `name`; an exact
   * (case-insensitive) name wins over partial matches.
   * @throws UserInputError (argument `argument`) when none or several match.
   */
  async resolveCompanyName(name: string, argument: string, options?: RequestOptions): Promise<{ id: number; name?: string }> {
    const { companies, hasMore } = await this.searchCompanies({ name, limit: 10 }, options);
    return pickOne(companies, name, argument, "active company", "autotask_search_companies", hasMore, (c) => [c.name]);
  }

  /**
   * The company and technician of a search or report filter (`companyID`, `assignedResourceID`), each
   * by id or by name: a number, or a string of digits, is an id (not looked up here: `missingIds` says,
   * when nothing matched, which ids do not exist); any other string is a name resolved to one active
   * record (`resolveCompanyName`, `resolveResourceName`: an exact name wins, several matches are
   * refused), and the sentence saying what it resolved to (`companyID "contoso" is Contoso (7).`) is
   * added to `notes`. Resolves to the ids, undefined where the filter has none.
   * @throws UserInputError (argument named) when a name matches no active record or several, or an id is beyond int32 (`ids.ts`)
   */
  async resolveFilterPeople(
    filters: FilterPeople,
    notes: string[],
    options?: RequestOptions,
  ): Promise<{ companyID?: number; assignedResourceID?: number }> {
    const resolve = async (kind: "companies" | "resources", argument: "companyID" | "assignedResourceID") => {
      const value = filters[argument];
      if (value === undefined) return undefined;
      const ref = filterRefOf(value, argument);
      if (typeof ref === "number") return { id: ref };
      const found = kind === "companies" ? await this.resolveCompanyName(ref, argument, options) : await this.resolveResourceName(ref, argument, options);
      return { id: found.id, resolved: `${argument} "${ref}" is ${found.name ?? (kind === "companies" ? "company" : "resource")} (${found.id}).` };
    };
    const [company, assignee] = await Promise.all([resolve("companies", "companyID"), resolve("resources", "assignedResourceID")]);
    for (const ref of [company, assignee]) if (ref?.resolved) notes.push(ref.resolved);
    return { companyID: company?.id, assignedResourceID: assignee?.id };
  }

  /**
   * For a filter that matched nothing: which of the ids it gives do not exist in Autotask, as sentences
   * ("Company 999 does not exist in Autotask."), so "no tickets" is not mistaken for an answer. A name
   * was resolved to a record, so only ids are checked.
   */
  async missingIds(filters: FilterPeople & { contactID?: number }, options?: RequestOptions): Promise<string[]> {
    const idOf = (value: number | string | undefined, argument: string) => {
      if (value === undefined) return undefined;
      const ref = filterRefOf(value, argument);
      return typeof ref === "number" ? ref : undefined;
    };
    const checks = [
      { what: "Company", kind: "companies" as const, id: idOf(filters.companyID, "companyID") },
      { what: "Contact", kind: "contacts" as const, id: filters.contactID },
      { what: "Resource", kind: "resources" as const, id: idOf(filters.assignedResourceID, "assignedResourceID") },
    ];
    const results = await Promise.all(
      checks.map(async ({ what, kind, id }) => (id !== undefined && !(await this.exists(kind, id, options)) ? `${what} ${id} does not exist in Autotask.` : undefined)),
    );
    return results.filter((text): text is string => text !== undefined);
  }

  /**
   * Whether a company, contact or resource with this id exists (active or not), through the name
   * cache: an id Autotask does not return is unknown.
   */
  async exists(kind: "companies" | "contacts" | "resources", id: number, options?: RequestOptions): Promise<boolean> {
    await this.fill(kind, [id], options);
    const cached = this.cache[kind].get(id);
    if (cached?.name !== undefined) return true;
    // A record without a name is still a record: ask by id.
    const filter = [{ op: "eq" as const, field: "id" as const, value: id }];
    const spec = { filter, includeFields: ["id" as const], maxRecords: 1 };
    const pages =
      kind === "companies" ? this.api.queryCompanies(spec, { ...options, maxTotal: 1 }) : kind === "contacts" ? this.api.queryContacts(spec, { ...options, maxTotal: 1 }) : this.api.queryResources(spec, { ...options, maxTotal: 1 });
    return (await collect<{ id: number }>(pages)).length > 0;
  }

  /**
   * One company's name and whether it is active (one query, not cached: a create asks at most once).
   * Undefined when Autotask has no company with this id.
   */
  async company(id: number, options?: RequestOptions): Promise<{ id: number; name?: string; isActive: boolean } | undefined> {
    const spec: QuerySpec<CompanyField> = { filter: [{ op: "eq", field: "id", value: id }], includeFields: ["id", "companyName", "isActive"], maxRecords: 1 };
    const [found] = await collect<{ id: number; companyName?: string | null; isActive?: boolean | null }>(this.api.queryCompanies(spec, { ...options, maxTotal: 1 }));
    const name = displayName(found?.companyName);
    return found ? { id: found.id, ...(name ? { name } : {}), isActive: found.isActive !== false } : undefined;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

export interface Assignment {
  assignedResourceID: number;
  assignedResourceRoleID: number;
  /** Said to the caller when the role was chosen for them. */
  note?: string;
}

export interface CompanyEntry {
  id: number;
  name?: string;
  isActive: boolean;
}

export interface ResourceEntry {
  id: number;
  name?: string;
  email?: string;
  defaultRoleID?: number;
  /** Active service-desk roles; empty means the resource cannot be assigned a ticket. */
  roleIDs: number[];
  /** The same roles with their names (from `/Roles`). */
  roles: Array<{ id: number; name?: string }>;
}

// ---- The person rule -------------------------------------------------------------------------------

/** Where a kind of person keeps its name and e-mail (Resources spell it `email`, Contacts `emailAddress`). */
export interface PersonNameFields<F extends string = string> {
  firstName: F;
  lastName: F;
  email: F;
}

export const RESOURCE_NAME_FIELDS: PersonNameFields<ResourceField> = { firstName: "firstName", lastName: "lastName", email: "email" };
export const CONTACT_NAME_FIELDS: PersonNameFields<ContactField> = { firstName: "firstName", lastName: "lastName", email: "emailAddress" };

/** At most this many words are sent (Autotask allows 500 `or` conditions per query; a name has a few words). */
const MAX_NAME_WORDS = 6;

/**
 * The words of a name as a technician types it: split on spaces and commas ("Doe, Jane" is
 * "Jane Doe"), empty parts dropped, at most 6.
 * @throws UserInputError when no word is left.
 */
export function personNameWords(name: string): string[] {
  const words = name
    .split(/[\s,]+/)
    .map((word) => word.trim())
    .filter((word) => word.length > 0);
  if (words.length === 0) throw new UserInputError("A name to search for needs at least one word.", "name");
  return words.slice(0, MAX_NAME_WORDS);
}

/**
 * THE person rule, for every kind of person the server looks up (resources, contacts): each word
 * must be contained in the first name, the last name or the e-mail; all words must match, in any
 * order. Autotask filters one field per condition (`contains`; reference §3), so each word becomes
 * an `or` over the three fields and the words are top-level conditions, which Autotask ANDs.
 * Verify the records with `personNameMatches` (the same rule on the client side).
 *
 * @example personNameFilter(["Jane", "Doe"], CONTACT_NAME_FIELDS)
 *   // [{ op: "or", items: [contains firstName "Jane", contains lastName "Jane", contains emailAddress "Jane"] },
 *   //  { op: "or", items: [… "Doe" …] }]
 */
export function personNameFilter<F extends string>(words: readonly string[], fields: PersonNameFields<F>): Condition<F>[] {
  return words.map((word) => ({
    op: "or" as const,
    items: [
      { op: "contains" as const, field: fields.firstName, value: word },
      { op: "contains" as const, field: fields.lastName, value: word },
      { op: "contains" as const, field: fields.email, value: word },
    ],
  }));
}

/** The person rule on a record (case-insensitive), to verify what Autotask returned. */
export function personNameMatches<F extends string>(record: object, words: readonly string[], fields: PersonNameFields<F>): boolean {
  const values = [fields.firstName, fields.lastName, fields.email].map((field) => {
    const value = (record as Record<string, unknown>)[field];
    return typeof value === "string" ? value.toLowerCase() : "";
  });
  return words.every((word) => {
    const needle = word.toLowerCase();
    return values.some((value) => value.includes(needle));
  });
}

/**
 * One record out of the matches for a name: the only match, or the only exact one (case-insensitive
 * full name or e-mail). Otherwise an error naming the candidates with their ids.
 */
function pickOne<T extends { id: number; name?: string }>(
  found: T[],
  name: string,
  argument: string,
  what: string,
  tool: string,
  hasMore: boolean,
  keys: (record: T) => Array<string | undefined>,
): { id: number; name?: string } {
  const normalized = name.trim().replace(/\s+/g, " ").toLowerCase();
  if (found.length === 1) return pick(found[0] as T);
  const exact = found.filter((record) => keys(record).some((key) => key?.toLowerCase() === normalized));
  if (exact.length === 1) return pick(exact[0] as T);
  if (found.length === 0) {
    throw new UserInputError(`No ${what} matches "${name}". Find the id with ${tool} and pass it instead.`, argument);
  }
  const listed = found.map((record) => `${record.name ?? "(no name)"} (${record.id})`).join(", ");
  throw new UserInputError(
    `"${name}" matches ${hasMore ? `more than ${found.length}` : found.length} ${what === "active company" ? "companies" : "resources"}: ${listed}${hasMore ? ", …" : ""}. Pass the id instead, or a longer name.`,
    argument,
  );
}

function pick(record: { id: number; name?: string }): { id: number; name?: string } {
  return record.name !== undefined ? { id: record.id, name: record.name } : { id: record.id };
}
