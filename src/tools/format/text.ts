/**
 * Text helpers of the formatting module: dropping empty values (no null noise in results), delimiting text that
 * clients and technicians wrote so that a model reads it as data, and short date formatting.
 */

import { encodeUntrustedText } from "./untrusted-text.js";

/** Drops null, undefined, "" and empty arrays/objects, recursively. Zero and false are kept. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map((item) => compact(item)).filter((item) => !isEmpty(item)) as T;
  }
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const cleaned = compact(item);
      if (!isEmpty(cleaned)) out[key] = cleaned;
    }
    return out as T;
  }
  return value;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object" && !(value instanceof Date)) return Object.keys(value).length === 0;
  return false;
}

/** "1 ticket", "0 tickets", "3 open tickets": a count with its noun in the right number (`plural` defaults to noun + "s"). */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

/**
 * Wraps text written by clients or technicians (titles, descriptions, notes, user-defined field values)
 * in markers, so that a model treats it as quoted data rather than as instructions. No text can close
 * the block early: see `encodeUntrustedText` for the encoding and its proof.
 */
export function quoted(text: string): string {
  return encodeUntrustedText(text);
}

export { UNTRUSTED_TEXT_NOTICE } from "./untrusted-text.js";

/**
 * "2026-11-28T18:00:00+01:00" -> "2026-11-28 18:00+01:00": short, with the offset it was written with
 * (the desk's zone, see `inDeskZone`). A UTC instant ("…Z") stays UTC.
 */
export function shortDateTime(iso: string | null | undefined): string | undefined {
  if (!iso) return undefined;
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (local) return `${local[1]} ${local[2]}${local[3]}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")}Z`;
}

/** Trims and caps a single-line rendering of free text (search rows); details keep text whole. */
export function oneLine(text: string | null | undefined, max: number): string {
  if (!text) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
