/** How notes look in tool output: labels, author, client visibility, and the text delimited. */
import { z } from "zod";
import { inDeskZone, type NoteCreated, type NoteEntry } from "../../desk/index.js";
import { compact, quoted, shortDateTime } from "./text.js";

export const noteViewSchema = z.object({
  id: z.number(),
  title: z.string().optional(),
  noteType: z.string().optional(),
  publish: z.string().optional(),
  clientVisible: z.boolean(),
  createDateTime: z.string().optional(),
  author: z.string().optional(),
  description: z.string().optional(),
});
export type NoteView = z.infer<typeof noteViewSchema>;

/** A note for output; `timeZone` (the desk's) writes its time with the same offset as the rest of the answer. */
export function noteView(note: NoteEntry, timeZone?: string): NoteView {
  return compact(timeZone ? { ...note, createDateTime: inDeskZone(note.createDateTime, timeZone) } : note);
}

/**
 * One note as two lines: its header (the title there unless it only repeats the text), then its text
 * delimited as client/technician data.
 */
export function renderNote(note: NoteView): string {
  const title = note.title && note.title !== note.description ? ` · ${quoted(note.title)}` : "";
  return `- Note ${note.id} · ${shortDateTime(note.createDateTime) ?? "undated"} · ${note.author ?? "unknown author"} · ${note.publish ?? "?"}${note.clientVisible ? " (client-visible)" : ""}${title}\n  ${quoted(note.description ?? "")}`;
}

/** The sentence answering a note creation: which visibility, or that the same note already existed. */
export function renderNoteCreated(created: NoteCreated): string {
  const number = created.ticket.ticketNumber ?? `${created.ticket.id}`;
  if (created.alreadyExisted) return `The same note was already added to ticket ${number} as note ${created.noteId}; not added again.`;
  const visibility = created.clientVisible ? `VISIBLE TO THE CLIENT (${created.publish.label})` : `internal (${created.publish.label})`;
  return `Added note ${created.noteId} to ticket ${number}: ${created.noteType.label}, ${visibility}. Title: ${quoted(created.title)}`;
}
