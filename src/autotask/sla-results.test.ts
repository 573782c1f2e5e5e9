/**
 * The client's read of `ServiceLevelAgreementResults` (read-only entity; fields as in the Swagger's
 * ServiceLevelAgreementResultsModel and shared/reference/autotask-api.md, camelCase on the wire):
 * POST /ServiceLevelAgreementResults/query with the filter and IncludeFields given, records parsed with
 * Autotask's field names, and a 404 surfaced as AutotaskNotFoundError (the metrics fall back on it).
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AutotaskClient } from "./client.js";
import { AutotaskNotFoundError } from "./errors.js";
import { inList } from "./query.js";

const BASE = "https://webservices5.autotask.net/ATServicesRest/V1.0/";
const sent: Array<{ url: string; body: unknown }> = [];
const server = setupServer();

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  server.events.on("request:start", async ({ request }) => {
    sent.push({ url: request.url, body: request.method === "GET" ? undefined : await request.clone().json() });
  });
});
afterEach(() => {
  server.resetHandlers();
  sent.length = 0;
});
afterAll(() => server.close());

const client = () =>
  new AutotaskClient({
    credentials: { username: "api@example.com", secret: "s3cret-value", integrationCode: "CODE" },
    apiUrl: BASE,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });

describe("queryServiceLevelAgreementResults", () => {
  it("posts the query and parses Autotask's fields", async () => {
    server.use(
      http.post(`${BASE}ServiceLevelAgreementResults/query`, () =>
        HttpResponse.json({
          items: [
            {
              id: 77,
              ticketID: 12,
              serviceLevelAgreementName: "Standard SLA",
              firstResponseElapsedHours: 0.5,
              firstResponseInitiatingResourceID: 29682885,
              firstResponseResourceID: 29682885,
              isFirstResponseMet: true,
              isResolutionMet: false,
              isResolutionPlanMet: null,
              resolutionElapsedHours: 30.25,
              resolutionPlanElapsedHours: null,
              resolutionPlanResourceID: null,
              resolutionResourceID: 29682885,
            },
          ],
          pageDetails: { count: 1, requestCount: 500, prevPageUrl: null, nextPageUrl: null },
        }),
      ),
    );
    const api = client();
    const pages = [];
    for await (const page of api.queryServiceLevelAgreementResults({
      filter: [inList("ticketID", [12, 13])],
      includeFields: ["ticketID", "isResolutionMet", "resolutionElapsedHours"],
      maxRecords: 500,
    })) {
      pages.push(page);
    }
    await api.close();
    expect(sent).toEqual([
      {
        url: `${BASE}ServiceLevelAgreementResults/query`,
        body: {
          MaxRecords: 500,
          IncludeFields: ["id", "ticketID", "isResolutionMet", "resolutionElapsedHours"],
          Filter: [{ op: "in", field: "ticketID", value: [12, 13] }],
        },
      },
    ]);
    expect(pages.flat()).toEqual([
      expect.objectContaining({ id: 77, ticketID: 12, isResolutionMet: false, resolutionElapsedHours: 30.25, firstResponseElapsedHours: 0.5 }),
    ]);
  });

  it("reports a missing entity as AutotaskNotFoundError", async () => {
    server.use(http.post(`${BASE}ServiceLevelAgreementResults/query`, () => new HttpResponse(null, { status: 404 })));
    const api = client();
    const read = async () => {
      for await (const _page of api.queryServiceLevelAgreementResults({ filter: [inList("ticketID", [1])] })) {
        // no page expected
      }
    };
    await expect(read()).rejects.toBeInstanceOf(AutotaskNotFoundError);
    await api.close();
  });
});
