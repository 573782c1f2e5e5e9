/**
 * Contacts and ticket notes: the look-ups a desk lead needs around tickets.
 *
 * - Contacts: by company, name (the desk's person rule, `personNameFilter`: every word in the first
 *   name, last name or e-mail, in any order, so "Jane Doe" and "Doe, Jane" both work), e-mail; active
 *   only unless asked. Autotask stores `Contacts.isActive` as 1/0.
 * - Notes: one ticket's notes (by id or ticket number, `requireTicket`), newest first, with the tenant's note-type and
 *   publish labels; notes published to "All Autotask Users" are client-visible and marked as such.
 */
import { type Condition, contains, eq } from "../../autotask/query.js";
import type { Contact, ContactField, TicketNote } from "../../autotask/schemas.js";
import { UserInputError } from "../../errors.js";
import { CONTACT_NAME_FIELDS, personNameFilter, personNameMatches, personNameWords } from "../directory.js";
import { inDeskZone } from "../dates.js";
import { requireTicket } from "../lookup.js";
import type { ReportDependencies } from "./types.js";

export type ContactView = {
  id: number;
  name: string;
  companyID?: number;
  email?: string;
  phone?: string;
  title?: string;
  inactive?: true;
};

export type ContactSearch = {
  contacts: ContactView[];
  hasMore: boolean;
  /** Set when a name matched more than one contact. */
  ambiguous?: string;
};

export type NoteView = {
  id: number;
  createdAt?: string;
  title?: string;
  text?: string;
  noteType?: string;
  publish?: string;
  clientVisible: boolean;
  creatorResourceID?: number;
  createdByContactID?: number;
};

export type NoteListing = {
  ticketID: number;
  ticketNumber?: string;
  notes: NoteView[];
  total: number;
  offset: number;
  hasMore: boolean;
};

const CONTACT_FIELDS: ContactField[] = ["id", "companyID", "firstName", "lastName", "emailAddress", "phone", "mobilePhone", "title", "isActive"];

export class ContactAndNoteLookups {
  constructor(private readonly deps: ReportDependencies) {}

  /**
   * Contacts matching every given criterion (at least one of companyID, name, email).
   * @throws UserInputError when no criterion is given.
   */
  async searchContacts(
    args: { companyID?: number; name?: string; email?: string; includeInactive?: boolean; limit?: number },
    options: { signal?: AbortSignal } = {},
  ): Promise<ContactSearch> {
    const limit = args.limit ?? 20;
    const filter: Condition<ContactField>[] = [];
    if (args.companyID !== undefined) filter.push(eq("companyID", args.companyID));
    if (args.email) filter.push(contains("emailAddress", args.email.trim()));
    const words = args.name ? personNameWords(args.name) : undefined;
    if (words) filter.push(...personNameFilter(words, CONTACT_NAME_FIELDS));
    if (filter.length === 0) throw new UserInputError("Give companyID, name or email to search contacts.", "name");
    if (!args.includeInactive) filter.push(eq("isActive", 1));
    const found: Contact[] = [];
    for await (const page of this.deps.api.queryContacts(
      { filter, includeFields: CONTACT_FIELDS, maxRecords: Math.min(500, limit + 1) },
      { signal: options.signal, maxTotal: limit + 1 },
    )) {
      // The same rule checked on what Autotask returned.
      found.push(...(words ? page.filter((contact) => personNameMatches(contact, words, CONTACT_NAME_FIELDS)) : page));
    }
    const contacts = found.slice(0, limit).map(contactView);
    const result: ContactSearch = { contacts, hasMore: found.length > limit };
    if (args.name && found.length > 1) {
      const exact = found.filter((c) => fullName(c).toLowerCase() === normalizeName(args.name!).toLowerCase());
      if (exact.length !== 1) {
        result.ambiguous = `"${args.name}" matches ${found.length > limit ? `more than ${limit}` : found.length} contacts${exact.length > 1 ? ` (${exact.length} with exactly that name)` : ""}; pick one by id, or narrow with companyID or email.`;
      }
    }
    return result;
  }

  /**
   * One ticket's notes, newest first, `limit` from `offset`.
   * @throws UserInputError when the ticket (id or number) does not exist.
   */
  async listTicketNotes(
    args: { ticketID?: number | string; ticketNumber?: string; limit?: number; offset?: number },
    options: { signal?: AbortSignal } = {},
  ): Promise<NoteListing> {
    const { ticketID, ticketNumber } = await this.#resolveTicket(args, options);
    const [noteTypes, publish] = await Promise.all([
      this.deps.tenant.picklist("TicketNotes", "noteType", options),
      this.deps.tenant.picklist("TicketNotes", "publish", options),
    ]);
    const all: TicketNote[] = [];
    for await (const page of this.deps.api.queryTicketNotes({ filter: [eq("ticketID", ticketID)], maxRecords: 500 }, options)) {
      all.push(...page);
    }
    // Autotask does not sort query results; newest first, ties by id.
    all.sort((a, b) => (b.createDateTime ?? "").localeCompare(a.createDateTime ?? "") || b.id - a.id);
    const offset = args.offset ?? 0;
    const limit = args.limit ?? 10;
    const notes = all.slice(offset, offset + limit).map((note): NoteView => {
      const publishLabel = publish.labelOf(note.publish);
      const view: NoteView = { id: note.id, clientVisible: publishLabel !== undefined && /^all\b/i.test(publishLabel) };
      // In the desk's zone with its offset, like every other instant the desk shows.
      const createdAt = inDeskZone(note.createDateTime, this.deps.settings.calendar.timeZone);
      if (createdAt) view.createdAt = createdAt;
      if (note.title) view.title = note.title;
      if (note.description) view.text = note.description;
      const typeLabel = noteTypes.labelOf(note.noteType);
      if (typeLabel ?? note.noteType) view.noteType = typeLabel ?? `#${note.noteType}`;
      if (publishLabel ?? note.publish) view.publish = publishLabel ?? `#${note.publish}`;
      if (typeof note.creatorResourceID === "number") view.creatorResourceID = note.creatorResourceID;
      if (typeof note.createdByContactID === "number") view.createdByContactID = note.createdByContactID;
      return view;
    });
    const listing: NoteListing = { ticketID, notes, total: all.length, offset, hasMore: offset + notes.length < all.length };
    if (ticketNumber) listing.ticketNumber = ticketNumber;
    return listing;
  }

  async #resolveTicket(
    args: { ticketID?: number | string; ticketNumber?: string },
    options: { signal?: AbortSignal },
  ): Promise<{ ticketID: number; ticketNumber?: string }> {
    const number = args.ticketNumber?.trim();
    const ref = args.ticketID ?? number;
    if (ref === undefined || ref === "") throw new UserInputError("Give ticketID or ticketNumber.", "ticketID");
    // The desk's one resolver of ticket ids and numbers.
    const ticket = await requireTicket(this.deps.api, ref, options);
    // Both given: they must name the same ticket, or the caller meant two different ones.
    if (args.ticketID !== undefined && number && ticket.ticketNumber?.toUpperCase() !== number.toUpperCase()) {
      throw new UserInputError(
        `ticketID ${args.ticketID} is ticket ${ticket.ticketNumber ?? ticket.id}, not ${number}: give only one of ticketID and ticketNumber.`,
        "ticketNumber",
      );
    }
    return ticket.ticketNumber ? { ticketID: ticket.id, ticketNumber: ticket.ticketNumber } : { ticketID: ticket.id };
  }
}

/** "Doe, Jane" → "Jane Doe"; collapses spaces. */
function normalizeName(input: string): string {
  const text = input.trim().replace(/\s+/g, " ");
  const comma = text.split(",").map((part) => part.trim());
  return comma.length === 2 && comma[0] && comma[1] ? `${comma[1]} ${comma[0]}` : text;
}

function fullName(contact: Contact): string {
  return [contact.firstName, contact.lastName].filter(Boolean).join(" ");
}

function contactView(contact: Contact): ContactView {
  const view: ContactView = { id: contact.id, name: fullName(contact) || `Contact ${contact.id}` };
  if (typeof contact.companyID === "number") view.companyID = contact.companyID;
  if (contact.emailAddress) view.email = contact.emailAddress;
  const phone = contact.phone || contact.mobilePhone;
  if (phone) view.phone = phone;
  if (contact.title) view.title = contact.title;
  if (contact.isActive === 0 || contact.isActive === false) view.inactive = true;
  return view;
}
