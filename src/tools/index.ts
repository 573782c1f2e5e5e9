/**
 * The registry: every tool the server offers, in the order `tools/list` shows them.
 */
import createTicket from "./create-ticket.js";
import createTicketNote from "./create-ticket-note.js";
import type { AnyToolDefinition } from "./define.js";
import getTicketDetails from "./get-ticket-details.js";
import searchCompanies from "./search-companies.js";
import searchResources from "./search-resources.js";
import searchTickets from "./search-tickets.js";
import updateTicket from "./update-ticket.js";

export const TOOLS: readonly AnyToolDefinition[] = [
  searchTickets,
  getTicketDetails,
  createTicket,
  updateTicket,
  createTicketNote,
  searchCompanies,
  searchResources,
] as readonly AnyToolDefinition[];
