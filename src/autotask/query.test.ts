import { describe, expect, it } from "vitest";
import { QueryValidationError } from "./errors.js";
import {
  and,
  beginsWith,
  type Condition,
  contains,
  endsWith,
  eq,
  exist,
  gt,
  gte,
  inList,
  lt,
  lte,
  noteq,
  notExist,
  notInList,
  or,
  type QuerySpec,
  toCountBody,
  toQueryBody,
  udf,
} from "./query.js";

const body = (filter: Condition[], extra: Partial<QuerySpec> = {}) => toQueryBody({ filter, ...extra });

describe("toQueryBody", () => {
  it("builds every one of the 13 operators in Autotask's shape", () => {
    expect(
      body([
        eq("status", 1),
        noteq("status", 5),
        gt("id", 0),
        gte("createDate", "2026-01-01T00:00:00Z"),
        lt("priority", 4),
        lte("estimatedHours", 2.5),
        beginsWith("ticketNumber", "T2026"),
        endsWith("title", "down"),
        contains("title", "printer"),
        exist("dueDateTime"),
        notExist("assignedResourceID"),
        inList("queueID", [5, 8]),
        notInList("status", [5, 7]),
      ]).Filter,
    ).toEqual([
      { op: "eq", field: "status", value: 1 },
      { op: "noteq", field: "status", value: 5 },
      { op: "gt", field: "id", value: 0 },
      { op: "gte", field: "createDate", value: "2026-01-01T00:00:00Z" },
      { op: "lt", field: "priority", value: 4 },
      { op: "lte", field: "estimatedHours", value: 2.5 },
      { op: "beginsWith", field: "ticketNumber", value: "T2026" },
      { op: "endsWith", field: "title", value: "down" },
      { op: "contains", field: "title", value: "printer" },
      { op: "exist", field: "dueDateTime" },
      { op: "notExist", field: "assignedResourceID" },
      { op: "in", field: "queueID", value: [5, 8] },
      { op: "notIn", field: "status", value: [5, 7] },
    ]);
  });

  it("nests and/or groups and marks one UDF condition", () => {
    expect(body([or(eq("lastname", "Smith"), and(eq("firstname", "Chris"), udf(eq("CustomerRanking", "Golden"))))])).toEqual({
      Filter: [
        {
          op: "or",
          items: [
            { op: "eq", field: "lastname", value: "Smith" },
            { op: "and", items: [{ op: "eq", field: "firstname", value: "Chris" }, { op: "eq", field: "CustomerRanking", value: "Golden", udf: true }] },
          ],
        },
      ],
    });
  });

  it("writes MaxRecords and IncludeFields, adding id when missing", () => {
    expect(body([exist("id")], { maxRecords: 25, includeFields: ["title", "status"] })).toEqual({
      MaxRecords: 25,
      IncludeFields: ["id", "title", "status"],
      Filter: [{ op: "exist", field: "id" }],
    });
    expect(body([exist("id")], { includeFields: ["ID", "title"] }).IncludeFields).toEqual(["ID", "title"]);
  });

  it.each([
    ["an unknown operator", [{ op: "noteExist", field: "x" }], /Unknown filter operator "noteExist"/],
    ["a misspelt operator", [{ op: "equals", field: "x", value: 1 }], /Unknown filter operator "equals"/],
    ["an empty in list", [inList("status", [])], /non-empty list/],
    ["an empty notIn list", [notInList("status", [])], /non-empty list/],
    ["a missing value", [{ op: "eq", field: "status" }], /needs a string, number or boolean value/],
    ["a null value", [{ op: "gt", field: "id", value: null }], /needs a string, number or boolean value/],
    ["a missing field", [{ op: "eq", value: 1 }], /needs a field name/],
    ["a value on exist", [{ op: "exist", field: "x", value: 1 }], /takes no value/],
    ["an empty group", [or()], /needs at least one condition/],
    ["two UDF conditions", [udf(eq("A", 1)), or(udf(eq("B", 2)))], /only one user-defined field/],
    ["no conditions", [], /at least one filter condition/],
  ])("refuses %s", (_name, filter, message) => {
    expect(() => toQueryBody({ filter: filter as Condition[] })).toThrow(QueryValidationError);
    expect(() => toQueryBody({ filter: filter as Condition[] })).toThrow(message);
  });

  it.each([0, 501, 1.5, Number.NaN])("refuses maxRecords %s", (maxRecords) => {
    expect(() => body([exist("id")], { maxRecords })).toThrow(/maxRecords must be an integer from 1 to 500/);
  });

  it("accepts the edges 1 and 500", () => {
    expect(body([exist("id")], { maxRecords: 1 }).MaxRecords).toBe(1);
    expect(body([exist("id")], { maxRecords: 500 }).MaxRecords).toBe(500);
  });

  it("refuses udf() on a group", () => {
    expect(() => udf(or(eq("a", 1)))).toThrow(QueryValidationError);
  });
});

describe("toCountBody", () => {
  it("sends only the filter", () => {
    expect(toCountBody({ filter: [eq("status", 1)] })).toEqual({ Filter: [{ op: "eq", field: "status", value: 1 }] });
  });
});
