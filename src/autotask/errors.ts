/**
 * The one error hierarchy for everything that can go wrong between this server and Autotask.
 *
 * The MCP error boundary tells the cases apart with `instanceof`, shows `message` to a person and may
 * read the structured fields. Every error carries the request's method and path (never credentials,
 * never the query string), Autotask's own `errors` strings verbatim, and a short hint of what to do.
 * Hints follow Autotask's documentation: verify picklist ids, check workflow rules, set AUTOTASK_API_URL.
 *
 * @example
 *   throw errorFromResponse({ status: 500, method: "POST", path: "/Tickets",
 *     autotaskErrors: ["Picklist value [3] does not exist for priority"] });
 *   // AutotaskValidationError: Autotask rejected POST /Tickets (HTTP 500): Picklist value [3] does not
 *   //   exist for priority. Hint: Verify the picklist id against the tenant's active values ...
 */

export interface AutotaskErrorDetails {
  status?: number;
  method: string;
  /** Path relative to the API base, e.g. `/Tickets/query`. No query string, no host. */
  path: string;
  autotaskErrors?: readonly string[];
  /** Overrides the class's default hint. */
  hint?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/** Base class: any failure talking to Autotask. */
export class AutotaskError extends Error {
  readonly status?: number;
  readonly method: string;
  readonly path: string;
  readonly autotaskErrors: string[];
  readonly hint: string;
  readonly retryAfterMs?: number;

  /**
   * @param summary what happened, without the hint (e.g. "Autotask rejected POST /Tickets (HTTP 500): ...")
   */
  constructor(summary: string, details: AutotaskErrorDetails, defaultHint: string) {
    const hint = details.hint ?? defaultHint;
    super(hint ? `${summary} Hint: ${hint}` : summary, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.autotaskErrors = [...(details.autotaskErrors ?? [])];
    this.hint = hint;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** HTTP 401, or Autotask's 500 for an unknown username / integration code. Never retried. */
export class AutotaskAuthenticationError extends AutotaskError {
  constructor(details: AutotaskErrorDetails) {
    super(
      rejectedSummary(details),
      details,
      "Check AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE; the user must have the 'API User (API-only)' security level. Not retried, because repeated failed logins can lock the API user.",
    );
  }
}

/** HTTP 403, or a 500 whose text says the API user lacks permission. */
export class AutotaskPermissionError extends AutotaskError {
  constructor(details: AutotaskErrorDetails) {
    super(
      rejectedSummary(details),
      details,
      "The API user's security level does not allow this; ask an Autotask administrator to grant the permission (or check the impersonated resource's permissions).",
    );
  }
}

/** HTTP 404: the record or route does not exist. */
export class AutotaskNotFoundError extends AutotaskError {
  constructor(details: AutotaskErrorDetails) {
    super(rejectedSummary(details), details, "Verify that the id is correct and that the API user can see the record.");
  }
}

/** Autotask refused the data (HTTP 400-series, or 500 with an `errors` body). Never retried. */
export class AutotaskValidationError extends AutotaskError {
  constructor(details: AutotaskErrorDetails) {
    super(rejectedSummary(details), details, validationHint(details.autotaskErrors ?? [], isReadRequest(details)));
  }
}

/** HTTP 429 or "Thread Threshold Exceeded", still failing after the allowed retries. */
export class AutotaskRateLimitError extends AutotaskError {
  /** @param summary replaces "Autotask rejected ..." when this server refused before sending (shared hourly budget). */
  constructor(details: AutotaskErrorDetails, summary?: string) {
    const wait = details.retryAfterMs === undefined ? "" : ` Retry in about ${Math.ceil(details.retryAfterMs / 1000)} s.`;
    super(
      summary ?? rejectedSummary(details),
      details,
      `Autotask is limiting this integration (hourly request threshold or 3 concurrent requests per endpoint).${wait}`,
    );
  }
}

/** HTTP 5xx without a usable Autotask message, or a response this client cannot understand. */
export class AutotaskServerError extends AutotaskError {
  constructor(details: AutotaskErrorDetails, summary?: string) {
    super(
      summary ?? rejectedSummary(details),
      details,
      "Autotask had a problem answering; try again in a moment. If it persists, check https://status.autotask.net.",
    );
  }
}

/** No HTTP answer at all: connection refused or dropped, DNS failure, timeout, deadline exceeded. */
export class AutotaskNetworkError extends AutotaskError {
  /**
   * True when a write's request may have reached Autotask (e.g. the connection dropped after sending),
   * so the change may be saved: look for the record before trying again instead of creating a duplicate.
   */
  readonly maybeCommitted: boolean;

  constructor(details: AutotaskErrorDetails & { maybeCommitted: boolean; reason: string }) {
    const committed = details.maybeCommitted
      ? "The change may have been saved: look for it before trying again."
      : "Check the network connection and AUTOTASK_API_URL, then try again.";
    super(`Could not complete ${details.method} ${details.path}: ${details.reason}.`, details, committed);
    this.maybeCommitted = details.maybeCommitted;
  }
}

/** Configuration that cannot work: no zone found, a non-https API URL, missing credentials. */
export class AutotaskConfigurationError extends AutotaskError {
  constructor(summary: string, details: AutotaskErrorDetails) {
    super(summary, details, "Set AUTOTASK_API_URL to your zone's base URL, e.g. https://webservices5.autotask.net/ATServicesRest/.");
  }
}

/** A query or argument refused locally, before anything is sent (Autotask would silently ignore some mistakes). */
export class QueryValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryValidationError";
  }
}

/** True for Autotask's "Thread Threshold Exceeded" error (internal code Itgenatr005), whatever its HTTP status. */
export function isThreadThresholdMessage(autotaskErrors: readonly string[]): boolean {
  return autotaskErrors.some((text) => /thread threshold|itgenatr005/i.test(text));
}

const PERMISSION_WORDING = /(adequate|required|sufficient|insufficient)\s+permission|not\s+(have\s+)?(permission|authori[sz]ed)|access\s+denied/i;
const CREDENTIAL_WORDING = /zone information could not be determined|integrationcode is invalid|integration code is invalid/i;

/** Picks the error class for a non-2xx Autotask answer. */
export function errorFromResponse(details: AutotaskErrorDetails & { status: number }): AutotaskError {
  const errors = details.autotaskErrors ?? [];
  const { status } = details;
  if (status === 429 || isThreadThresholdMessage(errors)) return new AutotaskRateLimitError(details);
  if (status === 401 || errors.some((text) => CREDENTIAL_WORDING.test(text))) return new AutotaskAuthenticationError(details);
  if (status === 403 || errors.some((text) => PERMISSION_WORDING.test(text))) return new AutotaskPermissionError(details);
  if (status === 404) return new AutotaskNotFoundError(details);
  if (status >= 400 && status < 500) return new AutotaskValidationError(details);
  // Autotask answers most validation and business-rule failures with 500 and an `errors` body.
  if (status === 500 && errors.length > 0) return new AutotaskValidationError(details);
  return new AutotaskServerError(details);
}

function rejectedSummary(details: AutotaskErrorDetails): string {
  const statusText = details.status === undefined ? "" : ` (HTTP ${details.status})`;
  const errors = details.autotaskErrors ?? [];
  const text = errors.length > 0 ? errors.map((e) => e.trim().replace(/\.$/, "")).join("; ") : "no error text";
  return `Autotask rejected ${details.method} ${details.path}${statusText}: ${text}.`;
}

/** A GET, or a POST to a `/query` (or `/query/count`, `/query/next`) route: nothing is being changed. */
export function isReadRequest(details: Pick<AutotaskErrorDetails, "method" | "path">): boolean {
  return details.method.toUpperCase() === "GET" || /\/query(\/|$)/i.test(details.path);
}

/** A hint that fits the request: reads are never told about workflow rules or required fields of a change. */
function validationHint(errors: readonly string[], isRead: boolean): string {
  const all = errors.join(" ");
  if (isRead) {
    if (/does not reference an existing entity|unable to find/i.test(all)) {
      return "A referenced id or field name does not exist in this tenant; look it up first.";
    }
    return "Check the ids, field names and filter values of this read; entityInformation/fields lists the fields and picklist values the tenant knows.";
  }
  if (/picklist value/i.test(all)) {
    return "Verify the picklist id against the tenant's active values (entityInformation/fields); labels and ids differ between tenants.";
  }
  if (/assignedresourceid|assignedroleid|assignedresourceroleid/i.test(all)) {
    return "Assign a resource together with a role the resource holds (assignedResourceID + assignedResourceRoleID), and the role must be tied to a Service Desk queue.";
  }
  if (/does not reference an existing entity|unable to find/i.test(all)) {
    return "A referenced id or field name does not exist in this tenant; look it up first.";
  }
  if (/is required/i.test(all)) {
    return "Supply the required field; the ticket category can make more fields required.";
  }
  return "Check the values sent; Autotask workflow rules and ticket category settings can also refuse a change.";
}
