/**
 * The sandbox's in-memory database: one id-ordered table per entity (a Map for lookups plus a sorted id
 * array for id-keyed paging), the notes-per-ticket index and the per-day ticket-number sequence.
 * Rows hold only non-null values to keep 100,000 tickets affordable; `present()` turns a row into the
 * JSON Autotask sends (every field, nulls included, `userDefinedFields` as a name/value array).
 * Optionally persisted to a JSON file so that state survives restarts.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { TenantProfile } from "./profile.js";
import { ENTITIES, ENTITY_NAMES, type EntityName } from "./schema.js";
import { refreshSlaResult } from "./sla.js";

/** A stored record: canonical field names; UDF values (by UDF name) under `userDefinedFields`. */
export interface Row {
  id: number;
  userDefinedFields?: Record<string, unknown>;
  [field: string]: unknown;
}

export class Table {
  private readonly byId = new Map<number, Row>();
  /** Ascending; new ids are always the largest, so inserts append. */
  readonly ids: number[] = [];

  get size(): number {
    return this.byId.size;
  }

  get(id: number): Row | undefined {
    return this.byId.get(id);
  }

  insert(row: Row): void {
    if (!this.byId.has(row.id)) {
      const last = this.ids[this.ids.length - 1];
      if (last === undefined || row.id > last) this.ids.push(row.id);
      else this.ids.splice(this.indexAfter(row.id), 0, row.id);
    }
    this.byId.set(row.id, row);
  }

  delete(id: number): void {
    if (!this.byId.delete(id)) return;
    const index = this.indexAfter(id) - 1;
    if (this.ids[index] === id) this.ids.splice(index, 1);
  }

  nextId(firstId: number): number {
    const last = this.ids[this.ids.length - 1];
    return last === undefined ? firstId : last + 1;
  }

  /** Index of the first id greater than `id` (binary search). */
  indexAfter(id: number): number {
    let low = 0;
    let high = this.ids.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.ids[middle] as number) <= id) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  rows(): Row[] {
    return this.ids.map((id) => this.byId.get(id) as Row);
  }
}

interface PersistedState {
  version: 1;
  profile: string;
  apiUserResourceId: number;
  ticketSequenceByDay: Record<string, number>;
  tables: Record<string, Row[]>;
}

export class SandboxStore {
  readonly tables: Record<EntityName, Table>;
  readonly notesByTicket = new Map<number, number[]>();
  readonly ticketSequenceByDay = new Map<string, number>();
  /** Ticket id → id of its ServiceLevelAgreementResults row. */
  readonly slaResultByTicket = new Map<number, number>();

  constructor(
    readonly profile: TenantProfile,
    /** The API user's own resource: creator of everything written through the API. */
    public apiUserResourceId: number,
  ) {
    this.tables = Object.fromEntries(ENTITY_NAMES.map((name) => [name, new Table()])) as Record<EntityName, Table>;
  }

  insert(entity: EntityName, row: Row): void {
    this.tables[entity].insert(row);
    if (entity === "TicketNotes") {
      const ticketId = row.ticketID as number;
      const noteIds = this.notesByTicket.get(ticketId);
      if (noteIds === undefined) this.notesByTicket.set(ticketId, [row.id]);
      else if (!noteIds.includes(row.id)) noteIds.push(row.id);
    }
    if (entity === "ServiceLevelAgreementResults") this.slaResultByTicket.set(row.ticketID as number, row.id);
  }

  removeSlaResult(ticketId: number): void {
    const resultId = this.slaResultByTicket.get(ticketId);
    if (resultId === undefined) return;
    this.tables.ServiceLevelAgreementResults.delete(resultId);
    this.slaResultByTicket.delete(ticketId);
  }

  /** Next ticket number for a creation instant: `T<yyyymmdd>.<4-digit sequence of that UTC day>`. */
  nextTicketNumber(createdAt: Date): string {
    const day = createdAt.toISOString().slice(0, 10).replaceAll("-", "");
    const sequence = (this.ticketSequenceByDay.get(day) ?? 0) + 1;
    this.ticketSequenceByDay.set(day, sequence);
    return `T${day}.${String(sequence).padStart(4, "0")}`;
  }

  /** The record as Autotask serialises it; `includeFields` (canonical names) limits the output. */
  present(entity: EntityName, row: Row, includeFields?: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (includeFields !== undefined) {
      out.id = row.id;
      for (const name of includeFields) out[name] = row[name] ?? null;
      out.userDefinedFields = [];
      return out;
    }
    for (const field of ENTITIES[entity].fields) out[field.name] = row[field.name] ?? null;
    const values = row.userDefinedFields ?? {};
    out.userDefinedFields = this.profile
      .userDefinedFields(entity)
      .map((udf) => ({ name: udf.name, value: values[udf.name] ?? null }));
    return out;
  }

  // --- read access for tests and tools -------------------------------------------------------------

  getTicket(id: number): Record<string, unknown> | undefined {
    return this.presentById("Tickets", id);
  }

  tickets(): Record<string, unknown>[] {
    return this.all("Tickets");
  }

  getNote(id: number): Record<string, unknown> | undefined {
    return this.presentById("TicketNotes", id);
  }

  notesFor(ticketId: number): Record<string, unknown>[] {
    const noteTable = this.tables.TicketNotes;
    return (this.notesByTicket.get(ticketId) ?? [])
      .map((id) => noteTable.get(id))
      .filter((row): row is Row => row !== undefined)
      .map((row) => this.present("TicketNotes", row));
  }

  companies(): Record<string, unknown>[] {
    return this.all("Companies");
  }

  contacts(): Record<string, unknown>[] {
    return this.all("Contacts");
  }

  resources(): Record<string, unknown>[] {
    return this.all("Resources");
  }

  resourceServiceDeskRoles(): Record<string, unknown>[] {
    return this.all("ResourceServiceDeskRoles");
  }

  roles(): Record<string, unknown>[] {
    return this.all("Roles");
  }

  all(entity: EntityName): Record<string, unknown>[] {
    return this.tables[entity].rows().map((row) => this.present(entity, row));
  }

  presentById(entity: EntityName, id: number): Record<string, unknown> | undefined {
    const row = this.tables[entity].get(id);
    return row === undefined ? undefined : this.present(entity, row);
  }

  // --- persistence ---------------------------------------------------------------------------------

  save(path: string): void {
    const state: PersistedState = {
      version: 1,
      profile: this.profile.name,
      apiUserResourceId: this.apiUserResourceId,
      ticketSequenceByDay: Object.fromEntries(this.ticketSequenceByDay),
      tables: Object.fromEntries(ENTITY_NAMES.map((name) => [name, this.tables[name].rows()])),
    };
    // Write then rename, so a crash mid-write never leaves a truncated state file behind.
    const temporary = `${path}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, path);
  }

  /**
   * Loads a saved state, or returns undefined when there is none (or it belongs to another profile).
   * @throws Error in one line naming the file and the fix, when the file is not a state this sandbox wrote. It never
   *   quotes the file (like profiles, src/sandbox/profile.ts): a wrong path can point at anything, and JSON.parse's
   *   own message quotes the text around the error.
   */
  static load(path: string, profile: TenantProfile): SandboxStore | undefined {
    if (!existsSync(path)) return undefined;
    const unreadable = (reason: string) =>
      new Error(`The sandbox state file ${path} is unreadable (${reason}); delete or move it to start the sandbox with fresh data.`);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw unreadable(typeof code === "string" ? code : "cannot be read");
    }
    let state: PersistedState;
    try {
      state = JSON.parse(text) as PersistedState;
    } catch {
      throw unreadable("not JSON");
    }
    if (typeof state !== "object" || state === null || typeof state.tables !== "object" || state.tables === null) throw unreadable("no tables");
    if (state.version !== 1 || state.profile !== profile.name) return undefined;
    const store = new SandboxStore(profile, state.apiUserResourceId);
    for (const [day, sequence] of Object.entries(state.ticketSequenceByDay)) store.ticketSequenceByDay.set(day, sequence);
    for (const name of ENTITY_NAMES) for (const row of state.tables[name] ?? []) store.insert(name, row);
    // A state file written before ServiceLevelAgreementResults existed: derive the rows from the tickets.
    if (state.tables.ServiceLevelAgreementResults === undefined) {
      for (const ticket of store.tables.Tickets.rows()) refreshSlaResult(store, ticket);
    }
    return store;
  }
}
