import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FieldsEnvelopeSchema, itemEnvelope, TicketSchema } from "./schemas.js";

const read = (name: string) => JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8"));

describe("schemas against real Autotask data", () => {
  it("parse the live Tickets field metadata, keeping picklist values as strings", () => {
    const { fields } = FieldsEnvelopeSchema.parse(read("tickets-fields.live-excerpt.json"));
    expect(fields).toHaveLength(8);
    const priority = fields.find((f) => f.name === "priority")!;
    expect(priority.isPickList).toBe(true);
    expect(priority.picklistValues?.[0]).toMatchObject({ value: "1", label: "Critical" });
  });

  it("parse the live UDF metadata (which uses `type`, not `dataType`)", () => {
    const { fields } = FieldsEnvelopeSchema.parse(read("tickets-udfs.live-excerpt.json"));
    expect(fields.length).toBeGreaterThan(0);
    expect(fields[0]).toHaveProperty("type");
  });

  it("pass unknown ticket fields through and accept nulls", () => {
    const ticket = itemEnvelope(TicketSchema).parse({
      item: { id: 100, title: "Monthly checkup", dueDateTime: null, contactID: null, someNewField: "kept", userDefinedFields: [] },
    }).item!;
    expect(ticket.someNewField).toBe("kept");
    expect(ticket.dueDateTime).toBeNull();
  });

  it("refuse a ticket without id", () => {
    expect(TicketSchema.safeParse({ title: "x" }).success).toBe(false);
  });
});
