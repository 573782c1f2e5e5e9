/**
 * Argument schemas shared by several tools, with descriptions that tell a model where valid values
 * come from. Kept short: the whole tool list has a size budget.
 */
import { z } from "zod";
import { isIsoDateTime } from "../desk/index.js";

/**
 * `ticketID`: the id (a number, or a string of digits) or the ticket number (`T20261130.0001`); the
 * desk resolves either (`TicketRef`, `requireTicket`).
 */
export const ticketIdParam = z
  // The desk's `parseTicketRef` checks the string and says what was wrong; a pattern here would cost tools/list bytes.
  .union([z.number().int().positive(), z.string().trim().min(1).max(30)])
  .describe("Id or T… number.");

/**
 * A company or technician in a filter: its id (a number or digits) or a name the desk resolves to one
 * active record (`Directory.resolveFilterPeople`). Names need two characters, so "a" cannot match everyone.
 */
export const idOrNameValue = z.union([
  z.number().int().min(0),
  z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((value) => /^\d+$/.test(value) || value.length >= 2, { message: "a name needs at least 2 characters" }),
]);

/** A picklist argument: the tenant's numeric id or its label (case-insensitive). */
export const picklistValue = z.union([z.number().int(), z.string().trim().min(1)]);

export function picklistParam(what: string) {
  return picklistValue.describe(what);
}

export const dateTimeParam = z
  .string()
  .trim()
  // The desk's own strict rule (`toUtcIso`): no second, looser pattern here.
  .refine(isIsoDateTime, { message: "must be an ISO 8601 date or date-time, e.g. 2026-11-30T17:00:00Z" });

/** Assigning a ticket: Autotask needs a role with the resource, so the role is filled in when omitted. */
export const assignmentParams = {
  assignedResourceID: z.number().int().positive().optional().describe("Role defaults."),
  assignedResourceRoleID: z.number().int().positive().optional().describe("Role id."),
};

export const userDefinedFieldsParam = z
  .record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .describe('{"Site":"LON1"}; null clears.');
