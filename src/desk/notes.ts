/**
 * Ticket notes: adding one (internal unless the caller explicitly makes it client-visible), and
 * reading a ticket's latest notes with labels and authors.
 *
 * Publish values decide who can read a note: "All Autotask Users" (1 in every tenant seen) is shown
 * to the client in the portal, so the internal value is the default and is found by label, never
 * assumed by id. Source: /work/shared/reference/autotask-api.md (notes).
 */
import { collect } from "./collect.js";
import type { AutotaskApi, RequestOptions } from "../autotask/api.js";
import type { PicklistValue, Ticket, TicketNote, TicketNoteCreate } from "../autotask/schemas.js";
import { ServerConfigurationError, UserInputError } from "../errors.js";
import type { Directory } from "./directory.js";
import { WriteLedger } from "./ledger.js";
import { requireTicket, type TicketRef } from "./lookup.js";
import { CLOCK_SKEW_MS, createdSince, isOutcomeUnknown, lostAnswer, sameStoredValue } from "./outcome.js";
import type { TenantService } from "./tenant.js";

/** Words callers use for "only our staff can see it". */
const INTERNAL_WORDS = new Set(["internal", "private", "internal only", "internal project team"]);
/**
 * A client-visible note must be asked for explicitly: only "all" (README, the tool description) or the
 * tenant's own label/id of that value. Looser words that would otherwise expose a note are refused.
 */
const CLIENT_VISIBLE_WORD = "all";
const REFUSED_VISIBLE_WORDS = new Set(["public", "client", "clients", "customer", "visible", "everyone", "everybody", "external", "shared"]);

function isClientVisible(value: PicklistValue): boolean {
  return /^all\b/i.test(value.label);
}

export interface PublishChoice {
  value: PicklistValue;
  clientVisible: boolean;
}

/** What a caller asks for when adding a note. Picklists take the tenant's id or label. */
export interface NoteCreateRequest {
  /** Id or ticket number. */
  ticketID: TicketRef;
  description: string;
  /** Default: the first line of the description (at most 60 characters). */
  title?: string;
  /** Default: the tenant's default note type. */
  noteType?: string | number;
  /** `internal` (default), `all` (client-visible), 0/1, or the tenant's label or id. */
  publish?: string | number;
  /** Same key = same note within the duplicate window; without one, an identical note is the key. */
  idempotencyKey?: string;
}

export interface NoteCreated {
  ticket: Ticket;
  noteId: number;
  title: string;
  noteType: PicklistValue;
  publish: PicklistValue;
  clientVisible: boolean;
  /** True when an identical note was added within the duplicate window and none was added now. */
  alreadyExisted: boolean;
  /** What the caller should know: a retry taken as such, a lost answer recovered. */
  warnings: string[];
}

/** One page of a ticket's notes (`NoteService.list`). */
export interface NoteListing {
  ticketID: number;
  ticketNumber?: string;
  /** Newest first. */
  notes: NoteEntry[];
  /** The ticket's number of notes. */
  total: number;
  offset: number;
  hasMore: boolean;
}

/** A note as the desk reports it: picklists as labels, the author by name. */
export interface NoteEntry {
  id: number;
  title?: string;
  noteType?: string;
  publish?: string;
  clientVisible: boolean;
  createDateTime?: string;
  author?: string;
  description?: string;
}

export class NoteService {
  constructor(
    private readonly api: AutotaskApi,
    private readonly tenant: TenantService,
    private readonly directory: Directory,
    private readonly ledger: WriteLedger,
  ) {}

  /** The tenant's internal publish value: a label starting "Internal", never the "All …" one. */
  async internalPublishValue(options?: RequestOptions): Promise<PicklistValue> {
    const publish = await this.tenant.picklist("TicketNotes", "publish", options);
    const active = publish.active().filter((value) => !isClientVisible(value));
    const internal =
      active.find((value) => /^internal( project team| users only| only)?$/i.test(value.label.trim())) ??
      active.find((value) => value.isDefaultValue && /internal/i.test(value.label)) ??
      active.find((value) => /internal/i.test(value.label) && !/co-?managed/i.test(value.label)) ??
      active.find((value) => /internal/i.test(value.label));
    if (!internal) {
      throw new ServerConfigurationError(
        "The tenant's TicketNotes publish picklist has no internal value, so a note cannot be kept private. Check the picklist in Autotask.",
      );
    }
    return internal;
  }

  /**
   * `internal` (default), `all`, the legacy 0 (internal), or the tenant's label or id.
   * @throws UserInputError for a synonym of "all" ("public", "client", "everyone"...): visibility to the client is never guessed.
   */
  async resolvePublish(input: string | number | undefined, options?: RequestOptions): Promise<PublishChoice> {
    if (input === undefined || input === 0 || (typeof input === "string" && INTERNAL_WORDS.has(input.trim().toLowerCase()))) {
      return { value: await this.internalPublishValue(options), clientVisible: false };
    }
    const publish = await this.tenant.picklist("TicketNotes", "publish", options);
    const word = typeof input === "string" ? input.trim().toLowerCase() : undefined;
    if (word !== undefined && REFUSED_VISIBLE_WORDS.has(word)) {
      throw new UserInputError(
        `publish "${input}" is not accepted: to make the note visible to the client pass publish: "all"; leave publish out for an internal note.`,
        "publish",
      );
    }
    if (word === CLIENT_VISIBLE_WORD) {
      const visible = publish.active().find(isClientVisible);
      if (!visible) throw new UserInputError("This tenant has no client-visible publish value for notes.", "publish");
      return { value: visible, clientVisible: true };
    }
    const value = publish.resolve(input);
    return { value, clientVisible: isClientVisible(value) };
  }

  /** The tenant's default note type, or its "Task Notes"/"Task Detail"-style type when none is marked default. */
  async resolveNoteType(input: string | number | undefined, options?: RequestOptions): Promise<PicklistValue> {
    const noteTypes = await this.tenant.picklist("TicketNotes", "noteType", options);
    if (input !== undefined) return noteTypes.resolve(input);
    const active = noteTypes.active();
    const chosen =
      noteTypes.defaultValue() ??
      active.find((value) => /^task notes$/i.test(value.label)) ??
      active.find((value) => /^task detail$/i.test(value.label)) ??
      active[0];
    if (!chosen) throw new ServerConfigurationError("The tenant's TicketNotes noteType picklist has no active value.");
    return chosen;
  }

  /**
   * Adds a note (`POST /Tickets/{id}/Notes`), exactly once: the same idempotency key, or without one
   * the same note within the duplicate window, returns the earlier note with `alreadyExisted`. A lost
   * answer is recovered by reading the ticket's notes back (same title, text, type and publish,
   * created after the call began).
   * @throws UserInputError for an unknown ticket or picklist value.
   * @throws WriteOutcomeUnknownError / IdempotencyConflictError, see `WriteLedger.run`.
   */
  async create(request: NoteCreateRequest, options?: RequestOptions): Promise<NoteCreated> {
    const ticket = await requireTicket(this.api, request.ticketID, options);
    const [noteType, publish] = await Promise.all([
      this.resolveNoteType(request.noteType, options),
      this.resolvePublish(request.publish, options),
    ]);
    const body: TicketNoteCreate = {
      ticketID: ticket.id,
      title: request.title ?? defaultTitle(request.description),
      description: request.description,
      noteType: noteType.value,
      publish: publish.value.value,
    };
    const key = WriteLedger.keyOf("create_ticket_note", request.idempotencyKey !== undefined ? { ticketID: ticket.id } : body, request.idempotencyKey);
    const outcome = await this.writeOnce(key, body, request.idempotencyKey, options);
    const warnings: string[] = [];
    if (outcome.recovered) {
      warnings.push(`Autotask's answer was lost after the note was sent; reading the ticket's notes back found note ${outcome.id}, so it is this call's note, not a new one.`);
    }
    if (outcome.replayed) {
      warnings.push(
        request.idempotencyKey !== undefined
          ? `This idempotencyKey was already used, so no second note was added: this is note ${outcome.id}.`
          : `An identical note on this ticket within ${Math.round(this.ledger.timing.windowMs / 60_000)} min was taken as a retry, so no second note was added: this is note ${outcome.id}. To add the same text again on purpose, pass a new idempotencyKey.`,
      );
    }
    return {
      ticket,
      noteId: outcome.id,
      title: body.title,
      noteType,
      publish: publish.value,
      clientVisible: publish.clientVisible,
      alreadyExisted: outcome.replayed,
      warnings,
    };
  }

  /**
   * Adds an internal note under `scope` in the ledger (a retried call does not add it twice; the
   * caller's idempotency key, when given, is the key). Resolves to the note id and whether it was
   * an earlier call's note.
   */
  async addInternal(
    ticketId: number,
    title: string,
    description: string,
    scope: string,
    options?: RequestOptions,
    idempotencyKey?: string,
  ): Promise<{ id: number; replayed: boolean; recovered: boolean }> {
    const [publish, noteType] = await Promise.all([this.internalPublishValue(options), this.resolveNoteType(undefined, options)]);
    const key = WriteLedger.keyOf(scope, { ticketId, description }, idempotencyKey);
    const body: TicketNoteCreate = { ticketID: ticketId, title, description, noteType: noteType.value, publish: publish.value };
    return this.writeOnce(key, body, idempotencyKey, options);
  }

  /** Runs one note write through the ledger, with read-back recovery. */
  private writeOnce(key: string, body: TicketNoteCreate, idempotencyKey: string | undefined, options?: RequestOptions) {
    return this.ledger.run(key, {
      fingerprint: WriteLedger.fingerprintOf(body),
      keyed: idempotencyKey !== undefined,
      isUnknown: isOutcomeUnknown,
      explain: lostAnswer,
      write: () => this.api.createTicketNote(body.ticketID, body, options),
      recover: async (attempts) => {
        const startedAt = Math.min(...attempts.map((a) => a.startedAt));
        const notes = await this.api.listTicketNotes(body.ticketID, options);
        const match = notes
          .filter((note) => createdSince(note.createDateTime, startedAt))
          .filter((note) => (["title", "description", "noteType", "publish"] as const).every((field) => sameStoredValue(body[field], note[field])))
          .sort((a, b) => a.id - b.id);
        return match[0]?.id;
      },
      describe: (attempts) =>
        `a note titled "${body.title}" on ticket ${body.ticketID}, created after ${new Date((attempts[0]?.startedAt ?? 0) - CLOCK_SKEW_MS).toISOString()}`,
      // The earlier note may be on another ticket (a key reused elsewhere): name the ticket it is on.
      nameOf: async (id) => {
        const found = await collect<TicketNote>(
          this.api.queryTicketNotes({ filter: [{ op: "eq", field: "id", value: id }], includeFields: ["id", "ticketID"], maxRecords: 1 }, { ...options, maxTotal: 1 }),
        ).catch(() => []);
        const ticketId = found[0]?.ticketID;
        return typeof ticketId === "number" ? `note ${id} on ticket ${ticketId}` : `note ${id}`;
      },
    });
  }

  /**
   * A ticket's notes, newest first (Autotask does not sort them: by `createDateTime`, ties by id),
   * the latest `count` of them with labels and author names. Resolves to the entries and the
   * ticket's total number of notes.
   */
  async latest(ticketId: number, count: number, options?: RequestOptions): Promise<{ notes: NoteEntry[]; total: number }> {
    if (count <= 0) return { notes: [], total: 0 };
    const { notes, total } = await this.#page(ticketId, 0, count, options);
    return { notes, total };
  }

  /**
   * One page of a ticket's notes, newest first, `limit` from `offset`, in the same vocabulary as
   * `latest` (the details' notes).
   * @throws UserInputError when the ticket (id or number, `requireTicket`) does not exist.
   */
  async list(ticketRef: TicketRef, page: { offset: number; limit: number }, options?: RequestOptions): Promise<NoteListing> {
    const ticket = await requireTicket(this.api, ticketRef, options);
    const { notes, total } = await this.#page(ticket.id, page.offset, page.limit, options);
    return {
      ticketID: ticket.id,
      ...(ticket.ticketNumber ? { ticketNumber: ticket.ticketNumber } : {}),
      notes,
      total,
      offset: page.offset,
      hasMore: page.offset + notes.length < total,
    };
  }

  async #page(ticketId: number, offset: number, limit: number, options?: RequestOptions): Promise<{ notes: NoteEntry[]; total: number }> {
    const [all, noteTypes, publishes] = await Promise.all([
      this.api.listTicketNotes(ticketId, options),
      this.tenant.picklist("TicketNotes", "noteType", options),
      this.tenant.picklist("TicketNotes", "publish", options),
    ]);
    const page = [...all]
      .sort((a, b) => (b.createDateTime ?? "").localeCompare(a.createDateTime ?? "") || b.id - a.id)
      .slice(offset, offset + limit);
    const authors = await this.directory.names(
      { resources: page.map((note) => note.creatorResourceID), contacts: page.map((note) => note.createdByContactID) },
      options,
    );
    const notes = page.map((note: TicketNote): NoteEntry => {
      const publish = publishes.labelOrId(note.publish);
      const contact = authors.contact(note.createdByContactID);
      return {
        id: note.id,
        title: note.title ?? undefined,
        noteType: noteTypes.labelOrId(note.noteType),
        publish,
        clientVisible: /^all\b/i.test(publish ?? ""),
        createDateTime: note.createDateTime ?? undefined,
        // A note written by the client (portal, e-mail) names its contact; otherwise the technician.
        author: authors.resource(note.creatorResourceID) ?? (contact ? `${contact} (contact)` : undefined),
        description: note.description ?? undefined,
      };
    });
    return { notes, total: all.length };
  }
}

/** Autotask tenants can require note titles; a title from the first words is better than none. */
function defaultTitle(description: string): string {
  const firstLine = description.split(/\r?\n/, 1)[0]?.trim() ?? "";
  return firstLine.length <= 60 ? firstLine : `${firstLine.slice(0, 59)}…`;
}
