/**
 * Contacts: the look-up a desk lead needs around tickets.
 *
 * - Contacts: by company, name (the desk's person rule, `personNameFilter`: every word in the first
 *   name, last name or e-mail, in any order, so "Jane Doe" and "Doe, Jane" both work), e-mail; active
 *   only unless asked. Autotask stores `Contacts.isActive` as 1/0.
 */
import { type Condition, contains, eq } from "../../autotask/query.js";
import type { Contact, ContactField } from "../../autotask/schemas.js";
import { UserInputError } from "../../errors.js";
import { CONTACT_NAME_FIELDS, displayName, personNameFilter, personNameMatches, personNameWords } from "../directory.js";
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


const CONTACT_FIELDS: ContactField[] = ["id", "companyID", "firstName", "lastName", "emailAddress", "phone", "mobilePhone", "title", "isActive"];

export class ContactLookups {
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
  const view: ContactView = { id: contact.id, name: displayName(contact.firstName, contact.lastName) ?? `Contact ${contact.id}` };
  if (typeof contact.companyID === "number") view.companyID = contact.companyID;
  const email = displayName(contact.emailAddress);
  if (email) view.email = email;
  const phone = displayName(contact.phone || contact.mobilePhone);
  if (phone) view.phone = phone;
  const title = displayName(contact.title);
  if (title) view.title = title;
  if (contact.isActive === 0 || contact.isActive === false) view.inactive = true;
  return view;
}
