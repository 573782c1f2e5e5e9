/**
 * Credentials never reach an error text: a proxy (or Autotask) that echoes the request headers in its
 * `errors` must not put the API secret or the integration code into the thrown error or the tool result.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AutotaskClient } from "../autotask/index.js";
import { BASE, connectWithMsw, TICKET_FIELDS } from "../../test/support/fake-autotask.js";

const credentials = { username: "api@example.com", secret: 's3"cr\\et-value-9', integrationCode: "INTEG-CODE-77" };
const forms = [
  credentials.secret,
  JSON.stringify(credentials.secret).slice(1, -1),
  credentials.integrationCode,
  encodeURIComponent(credentials.secret),
  new URLSearchParams({ s: credentials.secret }).toString().slice(2),
  credentials.integrationCode.toLowerCase(),
  Buffer.from(`${credentials.username}:${credentials.secret}`).toString("base64"),
];

const echo = () =>
  HttpResponse.json(
    {
      errors: [
        `Bad request; headers: {"Secret":${JSON.stringify(credentials.secret)},"ApiIntegrationCode":"${credentials.integrationCode}"}`,
        `Secret=${credentials.secret} ApiIntegrationCode=${credentials.integrationCode} q=${encodeURIComponent(credentials.secret)}`,
        `form=${new URLSearchParams({ s: credentials.secret }).toString().slice(2)} upper=${credentials.integrationCode.toLowerCase()}`,
        `basic=${Buffer.from(`${credentials.username}:${credentials.secret}`).toString("base64")}`,
      ],
    },
    { status: 500 },
  );

const mswServer = setupServer(
  http.get(`${BASE}/Tickets/entityInformation/fields`, () => HttpResponse.json(TICKET_FIELDS)),
  http.post(`${BASE}/Tickets/query`, echo),
  http.post(`${BASE}/Tickets/query/count`, echo),
);
beforeAll(() => mswServer.listen({ onUnhandledRequest: "error" }));
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());

function expectNoCredential(text: string): void {
  expect(text).toContain("[Redacted]");
  for (const form of forms) expect(text).not.toContain(form);
}

describe("error texts built from Autotask answers", () => {
  it("the thrown error holds neither the secret nor the integration code", async () => {
    const api = new AutotaskClient({ credentials, apiUrl: `${BASE}/`, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    try {
      const error = await api.queryTicketsPage({ filter: [{ op: "eq", field: "id", value: 1 }] }).then(
        () => undefined,
        (e: unknown) => e as Error & { autotaskErrors: string[] },
      );
      expect(error).toBeInstanceOf(Error);
      expectNoCredential(error!.message);
      expectNoCredential(error!.autotaskErrors.join("\n"));
    } finally {
      await api.close();
    }
  });

  it("the tool result holds neither", async () => {
    const conn = await connectWithMsw(undefined, credentials);
    try {
      const result = (await conn.client.callTool({ name: "autotask_search_tickets", arguments: { searchTerm: "printer" } })) as {
        isError?: boolean;
        content: Array<{ text: string }>;
      };
      expect(result.isError).toBe(true);
      expectNoCredential(result.content.map((item) => item.text).join("\n"));
      for (const form of forms) expect(JSON.stringify(result)).not.toContain(JSON.stringify(form).slice(1, -1));
    } finally {
      await conn.close();
    }
  });
});
