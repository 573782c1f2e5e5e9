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
// Desk tools (issue 12)
import checkEscalations from "./check-escalations.js";
import escalateTickets from "./escalate-tickets.js";
import listPicklists from "./list-picklists.js";
import listTicketNotes from "./list-ticket-notes.js";
import searchContacts from "./search-contacts.js";
import slaReport from "./sla-report.js";
import ticketMetrics from "./ticket-metrics.js";

export const TOOLS: readonly AnyToolDefinition[] = [
  searchTickets,
  getTicketDetails,
  createTicket,
  updateTicket,
  createTicketNote,
  searchCompanies,
  searchResources,
  // Desk tools (issue 12)
  listPicklists,
  searchContacts,
  listTicketNotes,
  checkEscalations,
  escalateTickets,
  slaReport,
  ticketMetrics,
] as readonly AnyToolDefinition[];
