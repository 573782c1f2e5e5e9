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
import type { CompanyField, ResourceField } from "../autotask/schemas.js";
import { UserInputError } from "../errors.js";
import { collect } from "./collect.js";

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
    if (!ids) return;
    if (kind === "resources" && this.resourcesLoadedUntil <= this.now()) await this.loadActiveResources(options);
    const now = this.now();
    const missing = new Set<number>();
    for (const id of ids) {
      if (typeof id !== "number") continue;
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

  private async loadActiveResources(options?: RequestOptions) {
    const expiresAt = this.now() + (this.options.ttlMs ?? 10 * 60_000);
    const spec: QuerySpec<ResourceField> = {
      filter: [{ op: "eq", field: "isActive", value: true }],
      includeFields: ["id", "firstName", "lastName"],
      maxRecords: 500,
    };
    for await (const page of this.api.queryResources(spec, { ...options, maxTotal: 5_000 })) {
      for (const person of page) {
        const name = [person.firstName, person.lastName].filter(Boolean).join(" ") || undefined;
        this.cache.resources.set(person.id, { name, expiresAt });
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
        for (const company of page) if (company.companyName) names.set(company.id, company.companyName);
      }
    } else if (kind === "roles") {
      for await (const page of this.api.queryRoles({ filter, includeFields: ["id", "name"], maxRecords: 500 }, options)) {
        for (const role of page) if (role.name) names.set(role.id, role.name);
      }
    } else {
      const spec = { filter, includeFields: ["id" as const, "firstName" as const, "lastName" as const], maxRecords: 500 };
      const pages = kind === "contacts" ? this.api.queryContacts(spec, options) : this.api.queryResources(spec, options);
      for await (const page of pages) {
        for (const person of page) {
          const name = [person.firstName, person.lastName].filter(Boolean).join(" ");
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
    if (active.length === 0 && !(await this.resourceExists(resourceId, options))) {
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

  /** Whether a resource with this id exists (active or not). */
  private async resourceExists(resourceId: number, options?: RequestOptions): Promise<boolean> {
    for await (const page of this.api.queryResources({ filter: [{ op: "eq", field: "id", value: resourceId }], includeFields: ["id"], maxRecords: 1 }, { ...options, maxTotal: 1 })) {
      if (page.length > 0) return true;
    }
    return false;
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
    const companies = found.slice(0, query.limit).map((c) => ({ id: c.id, name: c.companyName ?? undefined, isActive: c.isActive !== false }));
    return { companies, hasMore: found.length > query.limit };
  }

  /** Active resources whose first name, last name or e-mail contains `name`, with their active service-desk roles. */
  async searchResources(query: { name: string; limit: number }, options?: RequestOptions): Promise<{ resources: ResourceEntry[]; hasMore: boolean }> {
    const term = query.name;
    const found = await collect(
      this.api.queryResources(
        {
          filter: [
            { op: "eq", field: "isActive", value: true },
            {
              op: "or",
              items: [
                { op: "contains", field: "firstName", value: term },
                { op: "contains", field: "lastName", value: term },
                { op: "contains", field: "email", value: term },
              ],
            },
          ],
          includeFields: ["id", "firstName", "lastName", "email"],
          maxRecords: query.limit + 1,
        },
        { ...options, maxTotal: query.limit + 1 },
      ),
    );
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
      name: [r.firstName, r.lastName].filter(Boolean).join(" ") || undefined,
      email: r.email ?? undefined,
      defaultRoleID: roles.get(r.id)?.defaultId,
      roleIDs: roles.get(r.id)?.ids ?? [],
      roles: (roles.get(r.id)?.ids ?? []).map((id) => ({ id, name: roleNames.role(id) })),
    }));
    return { resources, hasMore: found.length > query.limit };
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
