/** Loading one ticket or failing with a message the caller can act on. */
import type { AutotaskApi, RequestOptions } from "../autotask/api.js";
import type { Ticket } from "../autotask/schemas.js";
import { UserInputError } from "../errors.js";

/**
 * `GET /Tickets/{id}`.
 * @throws UserInputError (argument `ticketID`) when Autotask has no such ticket.
 */
export async function requireTicket(api: Pick<AutotaskApi, "getTicket">, ticketId: number, options?: RequestOptions): Promise<Ticket> {
  const ticket = await api.getTicket(ticketId, options);
  if (!ticket) {
    throw new UserInputError(
      `Ticket ${ticketId} was not found in Autotask. Check the id (not the T2026… ticket number) with autotask_search_tickets.`,
      "ticketID",
    );
  }
  return ticket;
}
