/**
 * Display names for the ids on tickets (companies, contacts, resources), fetched in batches.
 *
 * A 25-row search must not cost 25 look-ups: all the ids a result needs are collected first and
 * fetched with one `in` query per entity (chunked), the entities in parallel, and kept for a while
 * because names rarely change. Resources (the MSP's own staff, a few dozen to a few hundred) are
 * loaded all at once on first use, so that later results naming other technicians cost nothing.
 */
import type { AutotaskApi, RequestOptions } from "../../autotask/api.js";
import type { QuerySpec } from "../../autotask/query.js";

export interface NameRequest {
  companies?: Iterable<number | null | undefined>;
  contacts?: Iterable<number | null | undefined>;
  resources?: Iterable<number | null | undefined>;
}

export interface ResolvedNames {
  company(id: number | null | undefined): string | undefined;
  contact(id: number | null | undefined): string | undefined;
  resource(id: number | null | undefined): string | undefined;
}

type Kind = "companies" | "contacts" | "resources";

/** Autotask allows long `in` lists, but shorter ones keep URLs, bodies and query plans modest. */
const IN_LIST_CHUNK = 200;

interface CachedName {
  name: string | undefined;
  expiresAt: number;
}

export class NameResolver {
  private readonly cache: Record<Kind, Map<number, CachedName>> = {
    companies: new Map(),
    contacts: new Map(),
    resources: new Map(),
  };

  private resourcesLoadedUntil = 0;

  constructor(
    private readonly api: AutotaskApi,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  async resolve(request: NameRequest, options?: RequestOptions): Promise<ResolvedNames> {
    await Promise.all(
      (["companies", "contacts", "resources"] as const).map((kind) => this.fill(kind, request[kind], options)),
    );
    const lookup = (kind: Kind) => (id: number | null | undefined) =>
      typeof id === "number" ? this.cache[kind].get(id)?.name : undefined;
    return { company: lookup("companies"), contact: lookup("contacts"), resource: lookup("resources") };
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
    const spec: QuerySpec = {
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
    const filter = [{ op: "in" as const, field: "id", value: ids }];
    if (kind === "companies") {
      const spec: QuerySpec = { filter, includeFields: ["id", "companyName"], maxRecords: 500 };
      for await (const page of this.api.queryCompanies(spec, options)) {
        for (const company of page) if (company.companyName) names.set(company.id, company.companyName);
      }
    } else {
      const spec: QuerySpec = { filter, includeFields: ["id", "firstName", "lastName"], maxRecords: 500 };
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

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
