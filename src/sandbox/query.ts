/**
 * Autotask's query language, server side: parses a QueryModel body (`filter`, `IncludeFields`,
 * `MaxRecords`, keys in any case) into a predicate over stored rows. Mirrors the real API's quirks on
 * purpose, so clients are tested against them: an unknown operator is silently dropped (the condition
 * matches everything), field names and string values are case-insensitive, dates compare as instants
 * (no offset = UTC), only one UDF condition per query, and an unknown field is a 500.
 */
import type { UdfDef } from "./profile.js";
import type { DataType, EntityDef, FieldDef } from "./schema.js";
import type { Row } from "./store.js";

/** A request the real API answers with HTTP 500 `{"errors":[message]}`. */
export class AutotaskError extends Error {
  constructor(
    readonly errors: string[],
    readonly status = 500,
  ) {
    super(errors.join(" "));
  }
}

export const MAX_RECORDS_LIMIT = 500;

/** The sandbox's refusal of a null comparison value (see buildComparison). */
export const NULL_VALUE = (fieldName: string) =>
  `Invalid value [null] for field ${fieldName}. Use the exist or notExist operator to test for a missing value.`;

export const OPERATORS = [
  "eq",
  "noteq",
  "gt",
  "gte",
  "lt",
  "lte",
  "beginswith",
  "endswith",
  "contains",
  "exist",
  "notexist",
  "in",
  "notin",
] as const;
type Operator = (typeof OPERATORS)[number];
const OPERATOR_SET = new Set<string>(OPERATORS);

export type Predicate = (row: Row) => boolean;

export interface ParsedQuery {
  /** Null when every condition was dropped (unknown operators): matches all rows. */
  predicate: Predicate | null;
  /** Canonical field names, or undefined for all fields. */
  includeFields: string[] | undefined;
  maxRecords: number;
}

export interface QueryTarget {
  entity: EntityDef;
  udfs: readonly UdfDef[];
}

/** Lower-cases the keys of a JSON object, since Autotask accepts `Filter`/`filter`, `MaxRecords`/`maxRecords`. */
export function lowerKeys(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.toLowerCase(), inner]));
}

export function parseQuery(body: unknown, target: QueryTarget): ParsedQuery {
  const model = lowerKeys(body);
  const filter = model?.filter;
  if (!Array.isArray(filter) || filter.length === 0) {
    throw new AutotaskError(["Value cannot be null. Parameter name: filters"]);
  }
  const context = new CompileContext(target);
  const predicate = context.group("and", filter);
  return {
    predicate,
    includeFields: parseIncludeFields(model?.includefields, target),
    maxRecords: parseMaxRecords(model?.maxrecords),
  };
}

function parseMaxRecords(raw: unknown): number {
  if (raw === undefined || raw === null) return MAX_RECORDS_LIMIT;
  const value = typeof raw === "string" ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_RECORDS_LIMIT) {
    throw new AutotaskError([`MaxRecords must be between 1 and ${MAX_RECORDS_LIMIT}. Value: ${String(raw)}`]);
  }
  return value;
}

function parseIncludeFields(raw: unknown, target: QueryTarget): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new AutotaskError(["IncludeFields must be an array of field names."]);
  if (raw.length === 0) return undefined;
  const names: string[] = [];
  for (const item of raw) {
    const field = findField(target.entity, String(item));
    if (field === undefined) throw unknownField(String(item), target.entity);
    if (field.name !== "id" && !names.includes(field.name)) names.push(field.name);
  }
  return names;
}

export function findField(entity: EntityDef, name: string): FieldDef | undefined {
  const wanted = name.toLowerCase();
  return entity.fields.find((field) => field.name.toLowerCase() === wanted);
}

function unknownField(name: string, entity: EntityDef): AutotaskError {
  return new AutotaskError([`Unable to find ${name} in the ${entity.name} Entity`]);
}

interface Comparable {
  /** Turns a stored value (or a filter value) into something `compare` can order; null for "no value". */
  normalize(value: unknown): number | string | boolean | null;
}

const DATA_TYPE_COMPARABLES: Record<DataType, Comparable> = {
  integer: { normalize: toNumberOrNull },
  long: { normalize: toNumberOrNull },
  decimal: { normalize: toNumberOrNull },
  datetime: { normalize: toInstantOrNull },
  boolean: {
    normalize: (value) => (value === null || value === undefined ? null : value === true || value === "true"),
  },
  string: {
    normalize: (value) => (value === null || value === undefined || value === "" ? null : String(value).toLowerCase()),
  },
};

function toNumberOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** ISO 8601 instant in ms; a value without an offset is UTC, as the API treats all times as UTC. */
export function toInstantOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value !== "string") return null;
  const hasOffset = /(z|[+-]\d\d:?\d\d)$/i.test(value);
  const isDateOnly = /^\d{4}-\d\d-\d\d$/.test(value);
  // .NET's model binding refuses a date that does not exist; V8's Date.parse rolls 2026-02-30 over to March.
  const fields = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d))?)?/.exec(value);
  if (fields) {
    const [, year, month, day, hour = "0", minute = "0", second = "0"] = fields.map(Number) as number[];
    const daysInMonth = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate();
    if ((month as number) < 1 || (month as number) > 12 || (day as number) < 1 || (day as number) > daysInMonth) return null;
    if ((hour as number) > 23 || (minute as number) > 59 || (second as number) > 59) return null;
  }
  const instant = Date.parse(hasOffset || isDateOnly ? value : `${value}Z`);
  return Number.isNaN(instant) ? null : instant;
}

class CompileContext {
  private udfConditions = 0;

  constructor(private readonly target: QueryTarget) {}

  group(kind: "and" | "or", items: unknown[]): Predicate | null {
    const children = items.map((item) => this.condition(item)).filter((child): child is Predicate => child !== null);
    if (children.length === 0) return null;
    if (children.length === 1) return children[0] as Predicate;
    return kind === "and"
      ? (row) => children.every((child) => child(row))
      : (row) => children.some((child) => child(row));
  }

  private condition(raw: unknown): Predicate | null {
    const condition = lowerKeys(raw);
    if (condition === undefined) throw new AutotaskError(["Invalid filter: each condition must be an object."]);
    const op = String(condition.op ?? "").toLowerCase();
    if (op === "and" || op === "or") {
      const items = condition.items;
      return Array.isArray(items) ? this.group(op, items) : null;
    }
    // Autotask silently ignores operators it does not know (a typo like "noteExist" returns everything).
    if (!OPERATOR_SET.has(op)) return null;
    const fieldName = String(condition.field ?? "");
    const isUdf = condition.udf === true || condition.udf === "true";
    const { read, comparable } = isUdf ? this.udfAccessor(fieldName) : this.fieldAccessor(fieldName);
    return buildComparison(op as Operator, read, comparable, condition.value, fieldName);
  }

  private fieldAccessor(name: string): { read: (row: Row) => unknown; comparable: Comparable } {
    const field = findField(this.target.entity, name);
    if (field === undefined) throw unknownField(name, this.target.entity);
    if (!field.isQueryable) {
      throw new AutotaskError([`The ${field.name} field of the ${this.target.entity.name} Entity is not queryable.`]);
    }
    const key = field.name;
    return { read: (row) => row[key], comparable: DATA_TYPE_COMPARABLES[field.dataType] };
  }

  private udfAccessor(name: string): { read: (row: Row) => unknown; comparable: Comparable } {
    this.udfConditions += 1;
    if (this.udfConditions > 1) {
      throw new AutotaskError(["You can only query by one user-defined field at a time."]);
    }
    const wanted = name.toLowerCase();
    const udf = this.target.udfs.find((candidate) => candidate.name.toLowerCase() === wanted);
    if (udf === undefined) throw unknownField(name, this.target.entity);
    const key = udf.name;
    const dataType: DataType = (["integer", "long", "decimal", "datetime", "boolean"] as const).find(
      (type) => type === udf.type,
    ) ?? "string";
    return { read: (row) => row.userDefinedFields?.[key], comparable: DATA_TYPE_COMPARABLES[dataType] };
  }
}

function buildComparison(
  op: Operator,
  read: (row: Row) => unknown,
  comparable: Comparable,
  rawValue: unknown,
  fieldName: string,
): Predicate {
  const storedValue = (row: Row) => comparable.normalize(read(row));
  if (op === "exist") return (row) => storedValue(row) !== null;
  if (op === "notexist") return (row) => storedValue(row) === null;
  // No source says what `eq`/`noteq`/`gt`… do with a null value; Autotask refuses null for booleans
  // ("Any other values, including those which are null, will return an error message", S5). The sandbox
  // refuses null for every comparison, so a client tested here relies only on the documented exist/notExist.
  if (rawValue === null || rawValue === undefined || (Array.isArray(rawValue) && rawValue.some((item) => item === null))) {
    throw new AutotaskError([NULL_VALUE(fieldName)]);
  }
  if (op === "in" || op === "notin") {
    if (!Array.isArray(rawValue)) {
      throw new AutotaskError([`The ${op === "in" ? "in" : "notIn"} operator requires an array value for field ${fieldName}.`]);
    }
    const wanted = new Set(rawValue.map((item) => normalizeFilterValue(comparable, item, fieldName)));
    return op === "in" ? (row) => wanted.has(storedValue(row)) : (row) => !wanted.has(storedValue(row));
  }
  const target = normalizeFilterValue(comparable, rawValue, fieldName);
  switch (op) {
    case "eq":
      return (row) => storedValue(row) === target;
    case "noteq":
      return (row) => storedValue(row) !== target;
    case "gt":
      return (row) => ordered(storedValue(row), target, (a, b) => a > b);
    case "gte":
      return (row) => ordered(storedValue(row), target, (a, b) => a >= b);
    case "lt":
      return (row) => ordered(storedValue(row), target, (a, b) => a < b);
    case "lte":
      return (row) => ordered(storedValue(row), target, (a, b) => a <= b);
    case "beginswith":
    case "endswith":
    case "contains": {
      const needle = rawValue === null || rawValue === undefined ? "" : String(rawValue).toLowerCase();
      return (row) => {
        const stored = read(row);
        if (stored === null || stored === undefined) return false;
        const haystack = String(stored).toLowerCase();
        if (op === "beginswith") return haystack.startsWith(needle);
        if (op === "endswith") return haystack.endsWith(needle);
        return haystack.includes(needle);
      };
    }
  }
}

function ordered<T extends number | string | boolean | null>(
  stored: T,
  target: T,
  test: (a: number | string | boolean, b: number | string | boolean) => boolean,
): boolean {
  if (stored === null || target === null) return false;
  return test(stored, target);
}

function normalizeFilterValue(comparable: Comparable, value: unknown, fieldName: string): number | string | boolean | null {
  if (value === null || value === undefined) return null;
  if (comparable === DATA_TYPE_COMPARABLES.boolean && value !== true && value !== false && value !== "true" && value !== "false") {
    throw new AutotaskError([`Invalid value [${String(value)}] for boolean field ${fieldName}. Use true or false.`]);
  }
  const normalized = comparable.normalize(value);
  if (normalized === null && comparable !== DATA_TYPE_COMPARABLES.string) {
    throw new AutotaskError([`Invalid value [${String(value)}] for field ${fieldName}.`]);
  }
  return normalized;
}
