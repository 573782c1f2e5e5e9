/**
 * User-defined fields: callers pass `{ "Field Name": value }`; Autotask wants
 * `[{ name, value }]` with the field's exact name. Unknown names are refused with the list of real
 * ones, because Autotask would otherwise ignore or reject them far less helpfully.
 *
 * Values are checked against the tenant's definitions (`GET /Tickets/entityInformation/userDefinedFields`,
 * reference §5) before anything is sent, and always sent as strings: Autotask's `UserDefinedField`
 * model types `Value` as a string (Swagger, reference §0) and records carry UDF values as strings.
 * - `datetime` UDFs (the captured tenant's "Agreed Start Date"): an ISO 8601 date or date-time,
 *   read in the desk's zone when it has no offset, sent as the UTC instant.
 * - numeric UDFs (`integer`, `long`, `decimal`, `double`): a number or a string of one, written out
 *   in plain decimal notation (`1234.5`, never `1.2345e+3`), within `MAX_UDF_NUMBER`.
 * - text UDFs (`string`): text, or a number written out as above; at most the field's `length`.
 * - picklist UDFs: one of the field's active values, by value or label; the value is sent.
 * - `null` (or `""`) clears any of them. Booleans are refused except on a `boolean` UDF.
 */
import type { AutotaskApi, RequestOptions } from "../autotask/api.js";
import type { FieldInfo, UserDefinedFieldWrite } from "../autotask/schemas.js";
import { UserInputError } from "../errors.js";
import { toUtcIso } from "./dates.js";

export type UdfValue = string | number | boolean | null;

/**
 * The largest magnitude a numeric UDF value may have. No source gives Autotask's bound for UDF
 * numbers; this keeps every accepted value exact in a double and printable without an exponent
 * (the same bound the sandbox applies to decimal fields, `src/sandbox/writes.ts`).
 */
export const MAX_UDF_NUMBER = 1e14;
/** Decimal places kept when a number is written out; more is noise from binary floating point. */
const UDF_DECIMAL_PLACES = 8;

const NUMERIC_TYPES = new Set(["integer", "int", "long", "short", "decimal", "double", "float", "number", "currency"]);
const INTEGER_TYPES = new Set(["integer", "int", "long", "short"]);
const DATE_TYPES = new Set(["datetime", "date"]);

/**
 * `{ "Site Code": "LON1" }` -> `[{ name: "Site Code", value: "LON1" }]` with Autotask's exact names
 * and each value checked against its field's type and written as the string Autotask stores.
 * @param timeZone the desk's zone, for dates given without an offset
 * @throws UserInputError (argument `userDefinedFields`) for an unknown field name, or a value the field
 *   cannot take, naming the field and what to pass.
 */
export async function resolveUserDefinedFields(
  api: Pick<AutotaskApi, "getUserDefinedFieldInfo">,
  values: Record<string, UdfValue>,
  timeZone: string,
  options?: RequestOptions,
): Promise<UserDefinedFieldWrite[]> {
  const definitions = await api.getUserDefinedFieldInfo("Tickets", options);
  const byName = new Map(definitions.map((field) => [field.name.toLowerCase(), field]));
  return Object.entries(values).map(([name, value]) => {
    const field = byName.get(name.trim().toLowerCase());
    if (!field) {
      const known = definitions.map((f) => f.name).join(", ") || "(this tenant has none)";
      throw new UserInputError(`Unknown user-defined field "${name}". Ticket user-defined fields: ${known}.`, "userDefinedFields");
    }
    if (field.isReadOnly === true) {
      throw new UserInputError(`User-defined field "${field.name}" is read-only in this tenant; leave it out.`, "userDefinedFields");
    }
    if (value === null || value === "") return { name: field.name, value: null };
    return { name: field.name, value: udfText(field, value, timeZone) };
  });
}

/** One value as the string Autotask stores for `field`. */
function udfText(field: FieldInfo, value: string | number | boolean, timeZone: string): string {
  const type = (field.dataType ?? field.type ?? "string").toLowerCase();
  const refuse = (what: string): never => {
    throw new UserInputError(`User-defined field "${field.name}" was ${shown(value)}; ${what}. null clears it.`, "userDefinedFields");
  };
  if (field.isPickList) {
    const choices = field.picklistValues ?? [];
    const active = choices.filter((choice) => choice.isActive !== false);
    const listed = active.map((c) => (c.label === `${c.value}` ? c.label : `${c.label} (${c.value})`)).join(", ") || "(none)";
    if (typeof value === "boolean") refuse(`pass one of its values: ${listed}`);
    const text = `${value}`.trim();
    const matches = (choice: (typeof choices)[number]) => `${choice.value}` === text || choice.label.trim().toLowerCase() === text.toLowerCase();
    const match = active.find(matches);
    if (!match) {
      const inactive = choices.find(matches);
      throw new UserInputError(
        inactive
          ? `"${text}" is an inactive value of user-defined field "${field.name}" and cannot be set. Values: ${listed}.`
          : `"${text}" is not a value of user-defined field "${field.name}". Values: ${listed}.`,
        "userDefinedFields",
      );
    }
    return `${match.value}`;
  }
  if (DATE_TYPES.has(type)) {
    if (typeof value !== "string") return refuse("pass an ISO 8601 date or date-time as text, e.g. \"2026-11-30\" or \"2026-11-30T09:00:00Z\"");
    try {
      return toUtcIso(value, timeZone, field.name);
    } catch {
      return refuse("pass an ISO 8601 date or date-time, e.g. \"2026-11-30\" or \"2026-11-30T09:00:00Z\"");
    }
  }
  if (NUMERIC_TYPES.has(type)) {
    if (typeof value === "boolean") return refuse("pass a number");
    const number = typeof value === "number" ? value : /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(number)) return refuse("pass a number, e.g. 42 or 12.5");
    if (Math.abs(number) > MAX_UDF_NUMBER) return refuse(`pass a number between -${MAX_UDF_NUMBER.toExponential()} and ${MAX_UDF_NUMBER.toExponential()}`);
    if (INTEGER_TYPES.has(type) && !Number.isInteger(number)) return refuse("pass a whole number");
    return plainNumber(number);
  }
  if (type === "boolean") {
    if (typeof value === "boolean") return String(value);
    if (/^(true|false)$/i.test(value.toString().trim())) return value.toString().trim().toLowerCase();
    return refuse("pass true or false");
  }
  // Text.
  if (typeof value === "boolean") return refuse(`pass text (it is a text field), e.g. "${value ? "yes" : "no"}"`);
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || Math.abs(value) > MAX_UDF_NUMBER) return refuse("pass the number as text");
    text = plainNumber(value);
  } else {
    text = value;
  }
  const length = field.length ?? 0;
  if (length > 0 && text.length > length) refuse(`it holds at most ${length} characters (this is ${text.length}); shorten it`);
  return text;
}

/** A finite number in plain decimal notation: 123 -> "123", 0.1 + 0.2 -> "0.3", 5e-8 -> "0.00000005". */
export function plainNumber(value: number): string {
  if (Number.isInteger(value)) return value.toFixed(0);
  const fixed = value.toFixed(UDF_DECIMAL_PLACES).replace(/0+$/, "").replace(/\.$/, "");
  return fixed === "-0" ? "0" : fixed;
}

function shown(value: string | number | boolean): string {
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
