/**
 * The formatting module: the one place that decides how desk results look to a client, both the
 * structured content (views validated against the tools' output schemas) and the text content.
 * Every tool renders through it. Ticket vocabulary: see `ticket.ts`.
 */
export { type NoteView, noteView, noteViewSchema, renderNote, renderNoteCreated } from "./notes.js";
export { compact, counted, oneLine, quoted, shortDateTime, UNTRUSTED_TEXT_NOTICE } from "./text.js";
export {
  renderTicket,
  renderTicketRows,
  type SlaView,
  slaView,
  slaViewSchema,
  TICKET_ROW_COLUMNS,
  type TicketRowsMeta,
  type TicketView,
  ticketView,
  ticketViewSchema,
} from "./ticket.js";

/** Warnings as "Note: …" lines, shared by the write tools. */
export function renderWarnings(warnings: readonly string[]): string[] {
  return warnings.map((warning) => `Note: ${warning}`);
}
