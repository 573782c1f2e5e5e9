/**
 * A typed query builder for Autotask's query body (`{ MaxRecords, IncludeFields, Filter }`).
 *
 * Autotask silently ignores an unknown operator and then returns the wrong data (e.g. every record), so
 * `toQueryBody` refuses anything it does not recognise before a request is sent: unknown operators,
 * missing fields or values, empty `in`/`notIn` lists, empty groups, more than one UDF condition
 * ("you can only query by one user-defined field at a time") and MaxRecords outside 1..500.
 *
 * @example
 *   toQueryBody({ filter: [eq("companyID", 174), or(eq("status", 1), eq("status", 8))], maxRecords: 50 })
 *   // { MaxRecords: 50, Filter: [{ op: "eq", field: "companyID", value: 174 },
 *   //   { op: "or", items: [{ op: "eq", field: "status", value: 1 }, { op: "eq", field: "status", value: 8 }] }] }
 */
import { QueryValidationError } from "./errors.js";

export const VALUE_OPERATORS = ["eq", "noteq", "gt", "gte", "lt", "lte", "beginsWith", "endsWith", "contains"] as const;
export const PRESENCE_OPERATORS = ["exist", "notExist"] as const;
export const LIST_OPERATORS = ["in", "notIn"] as const;
export const GROUP_OPERATORS = ["and", "or"] as const;
/** The 13 comparison operators Autotask documents. */
export const COMPARISON_OPERATORS = [...VALUE_OPERATORS, ...PRESENCE_OPERATORS, ...LIST_OPERATORS] as const;

export type ValueOperator = (typeof VALUE_OPERATORS)[number];
export type PresenceOperator = (typeof PRESENCE_OPERATORS)[number];
export type ListOperator = (typeof LIST_OPERATORS)[number];
export type GroupOperator = (typeof GROUP_OPERATORS)[number];
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** Dates go as ISO 8601 strings in UTC. */
export type FilterValue = string | number | boolean;

/**
 * One filter condition. `F` is the entity's field names (`TicketField`, `CompanyField`…): the API
 * methods take `QuerySpec<TicketField>` and so on, so a misspelled field is a type error, not a
 * request that Autotask answers wrongly. Untyped callers use the default `string`.
 */
export type Condition<F extends string = string> =
  | { op: ValueOperator; field: F; value: FilterValue; udf?: boolean }
  | { op: PresenceOperator; field: F; udf?: boolean }
  | { op: ListOperator; field: F; value: readonly FilterValue[]; udf?: boolean }
  | { op: GroupOperator; items: readonly Condition<F>[] };

export interface QuerySpec<F extends string = string> {
  /** Top-level conditions are ANDed. At least one is required (use `exist("id")` for "everything"). */
  filter: readonly Condition<F>[];
  /** Only these fields come back. `id` is added when missing (paging and look-ups need it). */
  includeFields?: readonly F[];
  /** Page size, 1..500 (Autotask's default and maximum is 500). */
  maxRecords?: number;
}

/** Filter item exactly as Autotask expects it. */
export interface FilterItem {
  op: string;
  field?: string;
  value?: FilterValue | FilterValue[];
  udf?: true;
  items?: FilterItem[];
}

export interface QueryBody {
  MaxRecords?: number;
  IncludeFields?: string[];
  Filter: FilterItem[];
}

export const MAX_RECORDS_LIMIT = 500;

export const eq = <F extends string>(field: F, value: FilterValue): Condition<F> => ({ op: "eq", field, value });
export const noteq = <F extends string>(field: F, value: FilterValue): Condition<F> => ({ op: "noteq", field, value });
export const gt = <F extends string>(field: F, value: FilterValue): Condition<F> => ({ op: "gt", field, value });
export const gte = <F extends string>(field: F, value: FilterValue): Condition<F> => ({ op: "gte", field, value });
export const lt = <F extends string>(field: F, value: FilterValue): Condition<F> => ({ op: "lt", field, value });
export const lte = <F extends string>(field: F, value: FilterValue): Condition<F> => ({ op: "lte", field, value });
export const beginsWith = <F extends string>(field: F, value: string): Condition<F> => ({ op: "beginsWith", field, value });
export const endsWith = <F extends string>(field: F, value: string): Condition<F> => ({ op: "endsWith", field, value });
export const contains = <F extends string>(field: F, value: string): Condition<F> => ({ op: "contains", field, value });
export const exist = <F extends string>(field: F): Condition<F> => ({ op: "exist", field });
export const notExist = <F extends string>(field: F): Condition<F> => ({ op: "notExist", field });
export const inList = <F extends string>(field: F, values: readonly FilterValue[]): Condition<F> => ({ op: "in", field, value: values });
export const notInList = <F extends string>(field: F, values: readonly FilterValue[]): Condition<F> => ({ op: "notIn", field, value: values });
export const and = <F extends string>(...items: Condition<F>[]): Condition<F> => ({ op: "and", items });
export const or = <F extends string>(...items: Condition<F>[]): Condition<F> => ({ op: "or", items });
/** Marks a condition as targeting a user-defined field (its `field` is the UDF's name). */
export const udf = (condition: Condition): Condition => {
  if ("items" in condition) throw new QueryValidationError("udf() applies to a single condition, not a group.");
  return { ...condition, udf: true };
};

/** Validates the spec and builds the body Autotask expects. Throws `QueryValidationError`. */
export function toQueryBody(spec: QuerySpec): QueryBody {
  const body: QueryBody = { Filter: toFilter(spec.filter) };
  if (spec.maxRecords !== undefined) {
    if (!Number.isInteger(spec.maxRecords) || spec.maxRecords < 1 || spec.maxRecords > MAX_RECORDS_LIMIT) {
      throw new QueryValidationError(`maxRecords must be an integer from 1 to ${MAX_RECORDS_LIMIT}, got ${String(spec.maxRecords)}.`);
    }
    body.MaxRecords = spec.maxRecords;
  }
  if (spec.includeFields !== undefined) {
    const fields = spec.includeFields.map((field) => {
      if (typeof field !== "string" || field.trim() === "") throw new QueryValidationError("includeFields must be non-empty field names.");
      return field.trim();
    });
    if (!fields.some((field) => field.toLowerCase() === "id")) fields.unshift("id");
    body.IncludeFields = fields;
  }
  return body;
}

/** Builds the `{ Filter }` body for `/query/count`. */
export function toCountBody(spec: Pick<QuerySpec, "filter">): { Filter: FilterItem[] } {
  return { Filter: toFilter(spec.filter) };
}

function toFilter(filter: readonly Condition[]): FilterItem[] {
  if (!Array.isArray(filter) || filter.length === 0) {
    throw new QueryValidationError('A query needs at least one filter condition (use exist("id") to match every record).');
  }
  const counter = { udf: 0 };
  const items = filter.map((condition) => toFilterItem(condition, counter));
  if (counter.udf > 1) {
    throw new QueryValidationError(`Autotask can filter on only one user-defined field per query; this query has ${counter.udf}.`);
  }
  return items;
}

const VALUE_OPS: ReadonlySet<string> = new Set(VALUE_OPERATORS);
const PRESENCE_OPS: ReadonlySet<string> = new Set(PRESENCE_OPERATORS);
const LIST_OPS: ReadonlySet<string> = new Set(LIST_OPERATORS);
const GROUP_OPS: ReadonlySet<string> = new Set(GROUP_OPERATORS);

function toFilterItem(condition: Condition, counter: { udf: number }): FilterItem {
  // The input may come from untyped callers, so every property is checked at run time.
  const raw = condition as unknown as Record<string, unknown>;
  const op = raw.op;
  if (typeof op !== "string") throw new QueryValidationError("Every filter condition needs an operator (op).");

  if (GROUP_OPS.has(op)) {
    const items = raw.items;
    if (!Array.isArray(items) || items.length === 0) throw new QueryValidationError(`An "${op}" group needs at least one condition.`);
    return { op, items: items.map((item: Condition) => toFilterItem(item, counter)) };
  }

  const known = VALUE_OPS.has(op) || PRESENCE_OPS.has(op) || LIST_OPS.has(op);
  if (!known) {
    throw new QueryValidationError(
      `Unknown filter operator "${op}". Use one of: ${[...COMPARISON_OPERATORS, ...GROUP_OPERATORS].join(", ")}.`,
    );
  }
  const field = raw.field;
  if (typeof field !== "string" || field.trim() === "") throw new QueryValidationError(`The "${op}" condition needs a field name.`);
  const item: FilterItem = { op, field: field.trim() };

  if (VALUE_OPS.has(op)) {
    if (!isFilterValue(raw.value)) {
      throw new QueryValidationError(`The "${op}" condition on ${field} needs a string, number or boolean value.`);
    }
    item.value = raw.value;
  } else if (LIST_OPS.has(op)) {
    const values = raw.value;
    if (!Array.isArray(values) || values.length === 0) {
      throw new QueryValidationError(`The "${op}" condition on ${field} needs a non-empty list of values.`);
    }
    if (!values.every(isFilterValue)) throw new QueryValidationError(`The "${op}" list on ${field} may hold only strings, numbers or booleans.`);
    item.value = [...values];
  } else if (raw.value !== undefined) {
    throw new QueryValidationError(`The "${op}" condition on ${field} takes no value.`);
  }

  if (raw.udf === true) {
    counter.udf += 1;
    item.udf = true;
  }
  return item;
}

function isFilterValue(value: unknown): value is FilterValue {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}
