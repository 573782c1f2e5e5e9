/** Loading one ticket, named by id or by ticket number, or failing with a message the caller can act on. */
import type { AutotaskApi, RequestOptions } from "../autotask/api.js";
import type { Ticket } from "../autotask/schemas.js";
import { UserInputError } from "../errors.js";
import { checkId, idFromDigits, MAX_TICKET_ID } from "./ids.js";

/**
 * How a technician names a ticket: its id (`12345` or `"12345"`) or its number (`"T20261130.0001"`,
 * Autotask's `ticketNumber`, `T` + creation date + `.` + sequence; case and spaces around ignored).
 */
export type TicketRef = number | string;

/** A complete ticket number as Autotask issues them. */
export const TICKET_NUMBER_PATTERN = /^T\d{8}\.\d{1,6}$/i;

/**
 * `GET /Tickets/{id}` for an id (a numeric string is the id it spells); for a ticket number one
 * `Tickets/query` with `ticketNumber eq` (ticket numbers are unique in a tenant).
 * @throws UserInputError (argument `ticketID`) when the ref is neither, or Autotask has no such ticket.
 */
export async function requireTicket(
  api: Pick<AutotaskApi, "getTicket" | "queryTicketsPage">,
  ref: TicketRef,
  options?: RequestOptions,
): Promise<Ticket> {
  const parsed = parseTicketRef(ref);
  if ("number" in parsed) {
    const page = await api.queryTicketsPage({ filter: [{ op: "eq", field: "ticketNumber", value: parsed.number }], maxRecords: 1 }, undefined, options);
    const found = page.items[0];
    if (!found) {
      throw new UserInputError(`No ticket has the number ${parsed.number}. Check it with autotask_search_tickets (searchTerm takes numbers and prefixes).`, "ticketID");
    }
    // The query answer carries every field, like GET by id.
    return found;
  }
  const ticket = await api.getTicket(parsed.id, options);
  if (!ticket) {
    throw new UserInputError(`Ticket ${parsed.id} was not found in Autotask. Check the id or pass the ticket number (T…) instead.`, "ticketID");
  }
  return ticket;
}

/**
 * Reads a ticket ref without any request.
 * @throws UserInputError (argument `ticketID`) for anything that is neither a positive id nor a ticket
 *   number, or an id beyond `MAX_TICKET_ID` (Autotask's ticket ids are int64; JavaScript is exact to 2^53 - 1).
 */
export function parseTicketRef(ref: TicketRef): { id: number } | { number: string } {
  if (typeof ref === "number") {
    if (Number.isInteger(ref) && ref > 0) return { id: checkId(ref, "ticketID", MAX_TICKET_ID) };
  } else {
    const text = ref.trim();
    const id = idFromDigits(text, "ticketID", MAX_TICKET_ID);
    if (id !== undefined && id > 0) return { id };
    if (TICKET_NUMBER_PATTERN.test(text)) return { number: text.toUpperCase() };
  }
  throw new UserInputError(
    `ticketID ${JSON.stringify(ref)} is neither a ticket id (a positive whole number such as 12345) nor a ticket number (such as T20261130.0001).`,
    "ticketID",
  );
}
