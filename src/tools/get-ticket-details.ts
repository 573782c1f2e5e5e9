/**
 * autotask_get_ticket_details: one ticket in full: labels and names, SLA status, escalation
 * check, the statuses it may move to next, and its latest notes.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import {
  compact,
  noteView,
  noteViewSchema,
  renderNote,
  renderTicket,
  slaView,
  slaViewSchema,
  ticketView,
  ticketViewSchema,
  UNTRUSTED_TEXT_NOTICE,
} from "./format/index.js";
import { ticketIdParam } from "./params.js";

const inputSchema = {
  ticketID: ticketIdParam,
  notesCount: z.number().int().min(0).max(50).optional().describe("Latest notes to include, default 5."),
};

const outputSchema = {
  ticket: ticketViewSchema,
  sla: slaViewSchema,
  escalation: z.object({
    requiresEscalation: z.boolean(),
    level: z.number(),
    reasons: z.array(z.string()).optional(),
    actions: z.array(z.string()).optional(),
  }),
  allowedNextStatuses: z.array(z.object({ id: z.number(), label: z.string() })),
  notes: z.array(noteViewSchema).optional(),
  notesTotal: z.number(),
};

export default defineTool({
  name: "autotask_get_ticket_details",
  title: "Get ticket details",
  description: [
    "One ticket in full: description, resolution, names and labels, SLA status (due, elapsed, at risk, breached), escalation check, allowed next statuses, latest notes.",
    "Use before updating or answering about a ticket. Not for finding tickets (autotask_search_tickets).",
  ].join("\n"),
  inputSchema,
  outputSchema,
  // Other tools' and skills' name for the same ticket; ticketID takes the T… number too.
  aliases: { ticketNumber: "ticketID" },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const details = await ctx.desk.tickets.details(args.ticketID, args.notesCount, { signal: ctx.signal });
    const view = ticketView(details);
    const sla = slaView(details.sla);
    const notes = details.notes.map((note) => noteView(note, details.timeZone));
    const { escalation, allowedNextStatuses, notesTotal } = details;
    const text = [
      renderTicket(view, { withText: true, sla }),
      escalation.requiresEscalation
        ? `Escalation: level ${escalation.level}: ${escalation.reasons.join("; ")}. Suggested: ${escalation.actions.join("; ")}.`
        : "Escalation: not needed.",
      `Allowed next statuses: ${allowedNextStatuses.map((s) => `${s.label} (${s.id})`).join(", ") || "none"}.`,
      details.notesRequested > 0
        ? `Notes: ${notesTotal} in all${notesTotal > notes.length ? `, latest ${notes.length} shown` : ""}.`
        : `Notes: ${notesTotal === 0 ? "not requested" : notesTotal}.`,
      ...notes.map(renderNote),
      UNTRUSTED_TEXT_NOTICE,
    ].join("\n");
    return {
      structured: {
        ticket: view,
        sla,
        escalation: compact({
          requiresEscalation: escalation.requiresEscalation,
          level: escalation.level,
          reasons: escalation.reasons,
          actions: escalation.actions,
        }),
        allowedNextStatuses,
        ...(notes.length > 0 ? { notes } : {}),
        notesTotal,
      },
      text,
    };
  },
});
