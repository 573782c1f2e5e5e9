import { describe, expect, it } from "vitest";
import {
  AutotaskAuthenticationError,
  AutotaskError,
  AutotaskNetworkError,
  AutotaskNotFoundError,
  AutotaskPermissionError,
  AutotaskRateLimitError,
  AutotaskServerError,
  AutotaskValidationError,
  errorFromResponse,
} from "./errors.js";

const at = (status: number, autotaskErrors: string[] = []) => errorFromResponse({ status, method: "POST", path: "/Tickets", autotaskErrors });

describe("errorFromResponse", () => {
  it.each([
    [401, [], AutotaskAuthenticationError],
    [500, ["Zone information could not be determined"], AutotaskAuthenticationError],
    [500, ["IntegrationCode is invalid."], AutotaskAuthenticationError],
    [403, [], AutotaskPermissionError],
    [500, ["The logged in Resource does not have the adequate permissions to create this entity"], AutotaskPermissionError],
    [404, [], AutotaskNotFoundError],
    [400, ["bad"], AutotaskValidationError],
    [405, [], AutotaskValidationError],
    [500, ["queueID is required"], AutotaskValidationError],
    [429, [], AutotaskRateLimitError],
    [500, ["Thread Threshold Exceeded (Itgenatr005)"], AutotaskRateLimitError],
    [500, [], AutotaskServerError],
    [503, [], AutotaskServerError],
  ] as const)("HTTP %d %o → %s", (status, errors, type) => {
    const error = at(status, [...errors]);
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(AutotaskError);
    expect(error.name).toBe(type.name);
    expect(error.status).toBe(status);
    expect(error.autotaskErrors).toEqual(errors);
  });

  it.each([
    ["GET", "/Tickets/entityInformation/fields"],
    ["POST", "/Tickets/query"],
    ["POST", "/Tickets/query/count"],
  ])("gives a failed read (%s %s) a hint about the read, not about workflow rules refusing a change", (method, path) => {
    const error = errorFromResponse({ status: 500, method, path, autotaskErrors: ["Object reference not set to an instance of an object."] });
    expect(error).toBeInstanceOf(AutotaskValidationError);
    expect(error.hint).not.toMatch(/workflow|change/i);
    expect(error.hint).toMatch(/this read/);
    expect(at(500, ["Object reference not set to an instance of an object."]).hint).toMatch(/workflow rules/);
  });

  it("reads well and keeps Autotask's text verbatim", () => {
    const error = at(500, ["Picklist value [3] does not exist for priority"]);
    expect(error.message).toBe(
      "Autotask rejected POST /Tickets (HTTP 500): Picklist value [3] does not exist for priority. Hint: Verify the picklist id against the tenant's active values (entityInformation/fields); labels and ids differ between tenants.",
    );
    expect(error.hint).toMatch(/picklist id/);
  });

  it("hints at workflow rules for other refusals and joins several errors", () => {
    const error = at(500, ["First problem.", "Second problem"]);
    expect(error.message).toContain("First problem; Second problem.");
    expect(error.hint).toMatch(/workflow rules/);
  });

  it("says when to retry after rate limiting", () => {
    const error = errorFromResponse({ status: 429, method: "GET", path: "/Tickets/1", retryAfterMs: 2_500 });
    expect(error.retryAfterMs).toBe(2_500);
    expect(error.message).toContain("Retry in about 3 s.");
  });
});

describe("AutotaskNetworkError", () => {
  it("tells the reader to look for the saved record when a write may have been committed", () => {
    const error = new AutotaskNetworkError({ method: "POST", path: "/Tickets", reason: "connection reset", maybeCommitted: true });
    expect(error.maybeCommitted).toBe(true);
    expect(error.message).toBe("Could not complete POST /Tickets: connection reset. Hint: The change may have been saved: look for it before trying again.");
  });
});
