/**
 * autotask_get_ticket_details: one ticket in full: labels and names, SLA status, escalation
 * check, the statuses it may move to next, and its latest notes.
 */
import { z } from "zod";
import type { TicketNote } from "../autotask/schemas.js";
import { checkEscalation } from "../domain/escalation.js";
import { allowedNextStatuses } from "../domain/workflow.js";
import { defineTool } from "./define.js";
import { ticketIdParam } from "./support/params.js";
import { compact, quoted, shortDateTime, UNTRUSTED_TEXT_NOTICE } from "./support/render.js";
import { describeTicket, requireTicket } from "./support/tickets.js";
import { renderTicket, slaViewSchema, ticketViewSchema } from "./support/ticket-view.js";

const inputSchema = {
  ticketId: ticketIdParam,
  notesCount: z.number().int().min(0).max(50).optional().describe("Latest notes to include, default 5."),
};

const noteSchema = z.object({
  id: z.number(),
  title: z.string().optional(),
  noteType: z.string().optional(),
  publish: z.string().optional(),
  clientVisible: z.boolean(),
  createdAt: z.string().optional(),
  author: z.string().optional(),
  description: z.string().optional(),
});

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
  notes: z.array(noteSchema).optional(),
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
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const options = { signal: ctx.signal };
    const notesCount = args.notesCount ?? ctx.settings.defaultNotesInDetails;
    const ticket = await requireTicket(ctx, args.ticketId);
    const [described, allNotes, noteTypes, publishes] = await Promise.all([
      describeTicket(ctx, ticket),
      notesCount > 0 ? ctx.api.listTicketNotes(ticket.id, options) : Promise.resolve([] as TicketNote[]),
      ctx.tenant.picklist("TicketNotes", "noteType", options),
      ctx.tenant.picklist("TicketNotes", "publish", options),
    ]);
    const { view, sla, mapping } = described;

    const latest = [...allNotes]
      .sort((a, b) => (a.createDateTime ?? "").localeCompare(b.createDateTime ?? "") || a.id - b.id)
      .slice(-notesCount)
      .reverse();
    const authors = await ctx.names.resolve({ resources: latest.map((note) => note.creatorResourceID) }, options);
    const notes = latest.map((note) => {
      const publish = publishes.labelOf(note.publish);
      return compact({
        id: note.id,
        title: note.title ?? undefined,
        noteType: noteTypes.labelOf(note.noteType),
        publish,
        clientVisible: /^all\b/i.test(publish ?? ""),
        createdAt: note.createDateTime ?? undefined,
        author: authors.resource(note.creatorResourceID),
        description: note.description ?? undefined,
      });
    });

    const escalation = checkEscalation(ticket, ctx.now(), { mapping, calendar: ctx.settings.calendar });
    const nextStatuses = allowedNextStatuses(mapping.statusOf(ticket.status)).flatMap((semantic) => {
      const id = mapping.primaryStatusId(semantic);
      const label = mapping.statusLabel(id);
      return id !== undefined && label ? [{ id, label }] : [];
    });

    const text = [
      renderTicket(view, { withText: true, sla }),
      escalation.requiresEscalation
        ? `Escalation: level ${escalation.level}: ${escalation.reasons.join("; ")}. Suggested: ${escalation.actions.join("; ")}.`
        : "Escalation: not needed.",
      `Allowed next statuses: ${nextStatuses.map((s) => `${s.label} (${s.id})`).join(", ") || "none"}.`,
      notesCount > 0
        ? `Notes: ${allNotes.length} in all${allNotes.length > notes.length ? `, latest ${notes.length} shown` : ""}.`
        : `Notes: ${allNotes.length === 0 ? "not requested" : allNotes.length}.`,
      ...notes.map(
        (note) =>
          `- Note ${note.id} · ${shortDateTime(note.createdAt) ?? "undated"} · ${note.author ?? "unknown author"} · ${note.publish ?? "?"}${note.clientVisible ? " (client-visible)" : ""}${note.title ? ` · ${quoted(note.title)}` : ""}\n  ${quoted(note.description ?? "")}`,
      ),
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
        allowedNextStatuses: nextStatuses,
        ...(notes.length > 0 ? { notes } : {}),
        notesTotal: allNotes.length,
      },
      text,
    };
  },
});
