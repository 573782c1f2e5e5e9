/**
 * UDF values checked against a real tenant's definitions (the captured `/Tickets/entityInformation/
 * userDefinedFields` excerpt: "Agreed Start Date" datetime, "FR Result" picklist, "Status Summary"
 * text 8000) before anything is sent, and sent as strings (Autotask's UserDefinedField.Value is a string).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FieldsEnvelopeSchema } from "../autotask/schemas.js";
import { UserInputError } from "../errors.js";
import { plainNumber, resolveUserDefinedFields } from "./udf.js";

const live = FieldsEnvelopeSchema.parse(JSON.parse(readFileSync(new URL("../autotask/testdata/tickets-udfs.live-excerpt.json", import.meta.url), "utf8")));
// The client copies UDF `type` into `dataType` (client.ts #fieldInfo); do the same here.
const fields = [
  ...live.fields.map((field) => ({ ...field, dataType: field.type ?? null })),
  // A numeric UDF, as a tenant with a Number UDF would describe it (none in the capture).
  { name: "Units", dataType: "decimal", type: "decimal", length: 0, isPickList: false },
];
const api = { getUserDefinedFieldInfo: async () => fields };
const resolve = (values: Record<string, string | number | boolean | null>) => resolveUserDefinedFields(api, values, "Europe/Berlin");

async function refusal(values: Record<string, string | number | boolean | null>): Promise<string> {
  const error = await resolve(values).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserInputError);
  return (error as Error).message;
}

describe("resolveUserDefinedFields", () => {
  it("refuses a value that is not a date for a datetime UDF, naming the field and the form to pass", async () => {
    const message = await refusal({ "Agreed Start Date": "not a date" });
    expect(message).toContain('"Agreed Start Date"');
    expect(message).toContain("ISO 8601");
    expect(await refusal({ "Agreed Start Date": 20261130 })).toContain("ISO 8601");
  });

  it("sends a date as the UTC instant, read in the desk's zone without an offset", async () => {
    expect(await resolve({ "agreed start date": "2026-11-30" })).toEqual([{ name: "Agreed Start Date", value: "2026-11-29T23:00:00.000Z" }]);
    expect(await resolve({ "Agreed Start Date": "2026-11-30T09:00:00Z" })).toEqual([{ name: "Agreed Start Date", value: "2026-11-30T09:00:00.000Z" }]);
  });

  it("sends numbers for text UDFs as strings in plain notation, and refuses booleans there", async () => {
    expect(await resolve({ "Status Summary": 123 })).toEqual([{ name: "Status Summary", value: "123" }]);
    expect(await resolve({ "Status Summary": 0.1 + 0.2 })).toEqual([{ name: "Status Summary", value: "0.3" }]);
    const message = await refusal({ "Status Summary": true });
    expect(message).toContain('"Status Summary"');
    expect(message).toContain("pass text");
  });

  it("checks numeric UDFs: numbers or numeric text, bounded, sent as plain strings", async () => {
    expect(await resolve({ Units: "12.50" })).toEqual([{ name: "Units", value: "12.5" }]);
    expect(await resolve({ Units: 5e-8 })).toEqual([{ name: "Units", value: "0.00000005" }]);
    expect(await refusal({ Units: "twelve" })).toContain("pass a number");
    expect(await refusal({ Units: 1e300 })).toContain("between");
    expect(await refusal({ Units: false })).toContain("pass a number");
  });

  it("takes a picklist UDF's label or value and sends the value; refuses booleans and unknown values with the list", async () => {
    expect(await resolve({ "FR Result": "escalated" })).toEqual([{ name: "FR Result", value: "Escalated" }]);
    expect(await refusal({ "FR Result": "Maybe" })).toContain("Values: Allocated, Escalated, Transitioned");
    expect(await refusal({ "FR Result": true })).toContain("Allocated");
  });

  it("refuses a text longer than the field holds, and clears with null", async () => {
    expect(await refusal({ "Status Summary": "x".repeat(8001) })).toContain("at most 8000 characters");
    expect(await resolve({ "Status Summary": null })).toEqual([{ name: "Status Summary", value: null }]);
  });

  it("writes numbers without exponent or float noise", () => {
    expect(plainNumber(123)).toBe("123");
    expect(plainNumber(-0.5)).toBe("-0.5");
    expect(plainNumber(1e14)).toBe("100000000000000");
  });
});
