/**
 * msw pieces for handler tests: a zone base URL that never leaves the machine (msw answers it, and
 * `onUnhandledRequest: 'error'` fails any request nobody expected), a small Tickets metadata set in
 * Autotask's shape, and a server wired like production but with msw at the network edge.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import pino from "pino";
import { AutotaskClient } from "../../src/autotask/client.js";
import { createDesk, type DeskSettings } from "../../src/desk/index.js";
import { DEFAULT_CALENDAR } from "../../src/domain/calendar.js";
import { createServer } from "../../src/server.js";

export const BASE = "https://webservices5.autotask.net/ATServicesRest/V1.0";

type Value = [value: number, label: string, options?: { inactive?: boolean; isDefault?: boolean; parent?: number }];

function picklistField(name: string, values: Value[]) {
  return {
    name,
    dataType: "integer",
    length: 0,
    isRequired: false,
    isReadOnly: false,
    isQueryable: true,
    isReference: false,
    referenceEntityType: "",
    isPickList: true,
    picklistValues: values.map(([value, label, options], index) => ({
      value: String(value),
      label,
      isDefaultValue: options?.isDefault ?? false,
      sortOrder: index,
      parentValue: options?.parent !== undefined ? String(options.parent) : "",
      isActive: !options?.inactive,
      isSystem: false,
    })),
    // As in the captured metadata, a picklist whose values have parents names its parent field.
    picklistParentValueField: values.some(([, , options]) => options?.parent !== undefined) ? "IssueType" : "",
    isSupportedWebhookField: false,
  };
}

/** A tenant shaped like the real capture: priority 1 is Critical and 5 is High; status 9 and queue 29683490 are inactive. */
export const TICKET_FIELDS = {
  fields: [
    picklistField("status", [
      [1, "New", { isDefault: true }],
      [5, "Complete"],
      [7, "Waiting Customer"],
      [8, "In Progress"],
      [9, "Waiting Materials", { inactive: true }],
      [11, "Escalated"],
      [21, "Sales & Ordering"],
    ]),
    picklistField("priority", [
      [1, "Critical"],
      [2, "Medium"],
      [3, "Low"],
      [5, "High"],
    ]),
    picklistField("queueID", [
      [5, "Client Portal"],
      [29683325, "Helpdesk Queue"],
      [29683490, "Recurring Tickets", { inactive: true }],
    ]),
    picklistField("issueType", [[10, "Hardware"]]),
    picklistField("subIssueType", [[136, "Printer", { parent: 10 }]]),
    picklistField("ticketType", [[1, "Service Request", { isDefault: true }], [2, "Incident"]]),
    picklistField("ticketCategory", [[3, "Standard", { isDefault: true }]]),
    picklistField("source", [[2, "Phone"], [4, "Email"]]),
  ],
};

export const NOTE_FIELDS = {
  fields: [
    picklistField("noteType", [[1, "Task Summary"], [2, "Task Detail", { isDefault: true }], [3, "Task Notes"]]),
    picklistField("publish", [[1, "All Autotask Users"], [2, "Internal Project Team"], [4, "Internal & Co-Managed"]]),
  ],
};

export async function connectWithMsw(
  now = () => new Date("2026-11-27T10:00:00Z"),
  credentials = { username: "api@example.com", secret: "s3cret-value", integrationCode: "CODE" },
  settings: Partial<DeskSettings> = {},
) {
  const api = new AutotaskClient({
    credentials,
    apiUrl: `${BASE}/`,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  const desk = createDesk(
    api,
    { readOnly: false, calendar: DEFAULT_CALENDAR, mappingOverrides: {}, defaultNotesInDetails: 5, duplicateWindowMs: 60_000, ...settings },
    now,
    pino({ level: "silent" }),
  );
  const server = createServer(desk);
  const client = new Client({ name: "msw-test", version: "1.0.0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(a), server.connect(b)]);
  await client.listTools();
  return {
    client,
    async close() {
      await client.close();
      await server.close();
      await api.close();
    },
  };
}
