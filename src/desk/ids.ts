/**
 * Record ids as Autotask holds them. Autotask's Swagger (reference §0, `autotask/swagger-v1.json`,
 * TicketModel) types a ticket's own `Id` as int64 and every id a ticket points at (`CompanyID`,
 * `ContactID`, `AssignedResourceID`, `AssignedResourceRoleID`, `ContractID`, ...) as int32; a note's
 * `TicketID` is int32 too. JavaScript numbers are exact up to `Number.MAX_SAFE_INTEGER`, so a ticket
 * id is taken up to that, and every other id up to int32's maximum. A larger number (or a string of
 * twenty digits, which `Number` would turn into 1e+23) is refused here with the limit named, rather
 * than sent to Autotask rounded or refused there in words about model binding.
 */
import { UserInputError } from "../errors.js";

/** Largest int32: the upper bound of company, contact, resource, role and contract ids. */
export const MAX_INT32_ID = 2_147_483_647;
/** Ticket ids are int64 in Autotask; this server takes the ones JavaScript holds exactly. */
export const MAX_TICKET_ID = Number.MAX_SAFE_INTEGER;

/**
 * `value` as an id of at most `max`, unchanged; `argument` names it in the error.
 * @throws UserInputError when it is not a whole number from 0 to `max`.
 */
export function checkId(value: number, argument: string, max: number = MAX_INT32_ID): number {
  if (Number.isSafeInteger(value) && value >= 0 && value <= max) return value;
  throw new UserInputError(
    `${argument} ${formatted(value)} is not an Autotask id: ids are whole numbers from 0 to ${max.toLocaleString("en-US")}${max === MAX_INT32_ID ? " (Autotask stores them as 32-bit integers)" : ""}. Check the id, or pass the name where the argument takes one.`,
    argument,
  );
}

/** An id written as digits (`"12345"`, spaces around ignored) checked like `checkId`; undefined for any other text. */
export function idFromDigits(text: string, argument: string, max: number = MAX_INT32_ID): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/^0+(?=\d)/, "");
  // Beyond 2^53 Number() rounds; say what was sent, not the rounded value.
  if (digits.length > 16 || !Number.isSafeInteger(Number(digits))) {
    throw new UserInputError(
      `${argument} "${trimmed}" is not an Autotask id: ids are whole numbers from 0 to ${max.toLocaleString("en-US")}. Check the id, or pass the name where the argument takes one.`,
      argument,
    );
  }
  return checkId(Number(digits), argument, max);
}

function formatted(value: number): string {
  return Number.isFinite(value) && Math.abs(value) < 1e21 ? String(value) : value.toExponential();
}
