/**
 * `AutotaskClient`: the one real implementation of `AutotaskApi`, and the only code that talks HTTP to
 * Autotask.
 *
 * Each request: resolve the zone base URL (once, lazily), wait for a slot on each endpoint it counts
 * against (3 in flight per endpoint; `/Tickets/{id}/Notes` counts against Tickets and TicketNotes), send
 * with the auth headers over one keep-alive Agent of the runtime's own fetch, classify the answer, and retry
 * by the pure rules in `retry.ts` within a per-attempt timeout and an overall deadline. Answers are
 * validated with the zod schemas in `schemas.ts`. Failures become the error classes in `errors.ts`.
 *
 * `fetch` is looked up on `globalThis` at call time, so test interceptors (msw) see every request.
 *
 * @example
 *   const client = new AutotaskClient({ credentials: { username, secret, integrationCode }, logger });
 *   const ticket = await client.getTicket(12345);
 *   for await (const page of client.queryTickets({ filter: [eq("status", 1)], includeFields: ["title"] })) { ... }
 */
import type { Logger } from "../log.js";
import type { z } from "zod";
import { redactSecrets, secretPattern } from "../log-redaction.js";
import type { AutotaskApi, MetadataEntity, QueryableEntity, QueryPage, RequestOptions } from "./api.js";
import {
  AutotaskConfigurationError,
  AutotaskError,
  AutotaskNetworkError,
  AutotaskRateLimitError,
  AutotaskServerError,
  errorFromResponse,
  isReadRequest,
  QueryValidationError,
} from "./errors.js";
import { headerValueProblem } from "./headers.js";
import { EndpointLimiter, endpointKeys } from "./limiter.js";
import { acquireEach, currentCaller, type EndpointSlots, type RequestBudget } from "./shared-limits.js";
import { MAX_RECORDS_LIMIT, type QueryBody, type QuerySpec, toCountBody, toQueryBody } from "./query.js";
import {
  type AttemptOutcome,
  DEFAULT_RETRY_OPTIONS,
  parseRetryAfter,
  type RetryOptions,
  retryDelay,
  isRateLimited,
  shouldRetry,
  thresholdPacingDelay,
} from "./retry.js";
import {
  type Company,
  CompanySchema,
  type Contact,
  ContactSchema,
  type FieldInfo,
  FieldsEnvelopeSchema,
  ItemIdSchema,
  itemEnvelope,
  type PageDetails,
  QueryCountSchema,
  queryEnvelope,
  type Resource,
  ResourceSchema,
  type ResourceServiceDeskRole,
  ResourceServiceDeskRoleSchema,
  type ServiceLevelAgreementResult,
  ServiceLevelAgreementResultSchema,
  type Role,
  RoleSchema,
  type ThresholdInformation,
  type TicketCreate,
  type TicketNoteCreate,
  type TicketPatch,
  ThresholdInformationSchema,
  type Ticket,
  type TicketNote,
  TicketNoteSchema,
  TicketSchema,
  ZoneInformationSchema,
} from "./schemas.js";
import { sleep } from "./signals.js";
import { DEFAULT_ZONE_LOOKUP_URL, isLoopbackHost, normalizeApiBaseUrl, ZoneResolver } from "./zone.js";

export interface AutotaskCredentials {
  username: string;
  secret: string;
  integrationCode: string;
  /** Resource to act as (attribution of creates and updates). */
  impersonationResourceId?: number;
}

/** Reported after every HTTP attempt (benchmarks count requests with it). Never carries credentials. */
export interface ResponseEvent {
  method: string;
  /** Path relative to the API base, without query string. */
  path: string;
  endpoint: string;
  attempt: number;
  /** HTTP status, or undefined when there was no answer. */
  status?: number;
  outcome: "ok" | "http-error" | "network" | "timeout";
  durationMs: number;
}

export interface AutotaskClientOptions {
  credentials: AutotaskCredentials;
  /** Zone base URL (any form `normalizeApiBaseUrl` accepts). When absent, the zone is looked up once. */
  apiUrl?: string;
  zoneLookupUrl?: string;
  logger?: Logger;
  /** Autotask's thread limit per integration code and endpoint is 3. */
  maxConcurrentPerEndpoint?: number;
  retry?: Partial<RetryOptions>;
  /** Per attempt, including reading the body. Default 60 s. */
  attemptTimeoutMs?: number;
  /** For one operation, retries and waits included. Default 120 s. */
  deadlineMs?: number;
  /** Slow down when the last known hourly usage is high (see `thresholdPacingDelay`). Default true. */
  thresholdPacing?: boolean;
  /**
   * Keeps the pacing fed: after this many requests (default 100) and after any 429 or thread-threshold
   * refusal, `GET /ThresholdInformation` is refreshed in the background. `false` turns it off.
   * Only active when `thresholdPacing` is on.
   */
  thresholdRefreshEveryRequests?: number | false;
  /** Page cap for the async iterators when the caller gives no `maxTotal`. Default 10,000 records. */
  defaultMaxTotal?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onResponse?: (event: ResponseEvent) => void;
  /** Where the per-endpoint slots come from (default: in this process). Redis shares them between processes. */
  slots?: EndpointSlots;
  /** Hourly request budget consulted before every attempt (default: none beyond threshold pacing). */
  budget?: RequestBudget;
}

type HttpMethod = "GET" | "POST" | "PATCH";

interface RequestSpec<T> {
  method: HttpMethod;
  /** Relative to the API base, starting with "/". Also used in errors and logs. */
  path: string;
  /** Absolute URL to use instead of base + path (a next-page URL). */
  absoluteUrl?: string;
  body?: unknown;
  isRead: boolean;
  schema: z.ZodType<T>;
  endpoint: string;
  signal?: AbortSignal;
  /** Resolve 404 as null instead of throwing. */
  notFoundAsNull?: boolean;
}

type AttemptResult<T> = { ok: true; value: T } | { ok: false; outcome: AttemptOutcome; error: AutotaskError };

/** Where Node's built-in undici keeps its global dispatcher (undici's own, stable key). */
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");
const THRESHOLD_INFO_MAX_AGE_MS = 5 * 60_000;
const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;
const DEFAULT_DEADLINE_MS = 120_000;
const DEFAULT_MAX_TOTAL = 10_000;

// undici error codes raised before a connection exists: nothing can have reached Autotask.
const CONNECT_PHASE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

export class AutotaskClient implements AutotaskApi {
  readonly #credentials: AutotaskCredentials;
  /** The secret and integration code in every encoding an answer can echo them in (see `secretPattern`). */
  readonly #credentialPattern: RegExp | undefined;
  readonly #logger: Logger | undefined;
  readonly #limiter: EndpointSlots;
  readonly #budget: RequestBudget | undefined;
  readonly #retry: RetryOptions;
  readonly #attemptTimeoutMs: number;
  readonly #deadlineMs: number;
  readonly #thresholdPacing: boolean;
  readonly #defaultMaxTotal: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #onResponse: ((event: ResponseEvent) => void) | undefined;
  readonly #fixedBaseUrl: string | undefined;
  readonly #zone: ZoneResolver;
  readonly #zoneLookupUrl: string;
  #agent: { close(): Promise<void> } | undefined;
  #threshold: { info: ThresholdInformation; at: number } | undefined;
  #requestCount = 0;
  readonly #thresholdRefreshEvery: number | false;
  #requestsSinceThresholdRefresh = 0;
  #thresholdRefresh: Promise<unknown> | undefined;

  constructor(options: AutotaskClientOptions) {
    const { credentials } = options;
    if (!credentials?.username || !credentials.secret || !credentials.integrationCode) {
      throw new AutotaskConfigurationError(
        "Autotask credentials are incomplete: AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE are all required.",
        { method: "-", path: "-", hint: "Set the three variables, or run with --sandbox." },
      );
    }
    // Never sent if HTTP cannot carry it: undici's refusal would quote the value in an error text.
    for (const [header, value] of [
      ["UserName", credentials.username],
      ["Secret", credentials.secret],
      ["ApiIntegrationCode", credentials.integrationCode],
    ] as const) {
      const problem = headerValueProblem(value);
      if (problem) throw new AutotaskConfigurationError(`The Autotask ${header} credential ${problem}.`, { method: "-", path: "-" });
    }
    this.#credentials = { ...credentials };
    this.#credentialPattern = secretPattern([credentials.secret, credentials.integrationCode], credentials.username);
    this.#logger = options.logger;
    this.#limiter = options.slots ?? new EndpointLimiter(options.maxConcurrentPerEndpoint ?? 3);
    this.#budget = options.budget;
    this.#retry = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.#deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.#thresholdPacing = options.thresholdPacing ?? true;
    this.#thresholdRefreshEvery = options.thresholdRefreshEveryRequests ?? 100;
    this.#defaultMaxTotal = options.defaultMaxTotal ?? DEFAULT_MAX_TOTAL;
    this.#sleep = options.sleep ?? sleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#onResponse = options.onResponse;
    this.#zoneLookupUrl = options.zoneLookupUrl ?? DEFAULT_ZONE_LOOKUP_URL;
    if (options.apiUrl !== undefined) {
      try {
        this.#fixedBaseUrl = normalizeApiBaseUrl(options.apiUrl);
      } catch (error) {
        throw new AutotaskConfigurationError(`AUTOTASK_API_URL ${(error as Error).message}.`, { method: "-", path: "-" });
      }
    }
    const lookupUrl = new URL(this.#zoneLookupUrl);
    if (lookupUrl.protocol !== "https:" && !(lookupUrl.protocol === "http:" && isLoopbackHost(lookupUrl.hostname))) {
      throw new AutotaskConfigurationError("The zone lookup URL must use https.", { method: "-", path: "-" });
    }
    this.#zone = new ZoneResolver(() => this.#lookupZone());
  }

  /** HTTP attempts sent so far (zone lookup and retries included). */
  get requestCount(): number {
    return this.#requestCount;
  }

  /** The API base URL, ending in `/ATServicesRest/V1.0/` (looks up the zone on first use). */
  baseUrl(signal?: AbortSignal): Promise<string> {
    return this.#fixedBaseUrl !== undefined ? Promise.resolve(this.#fixedBaseUrl) : this.#zone.resolve(signal);
  }

  /** Closes the keep-alive connections. The client can still be used afterwards (it reconnects). */
  async close(): Promise<void> {
    const agent = this.#agent;
    this.#agent = undefined;
    await agent?.close();
  }

  // ---- Tickets -------------------------------------------------------------------------------------

  async getTicket(id: number, options?: RequestOptions): Promise<Ticket | null> {
    assertId(id, "ticket id");
    const envelope = await this.#request({
      method: "GET",
      path: `/Tickets/${id}`,
      isRead: true,
      schema: itemEnvelope(TicketSchema),
      endpoint: "Tickets",
      signal: options?.signal,
      notFoundAsNull: true,
    });
    return envelope?.item ?? null;
  }

  async queryTicketsPage(spec: QuerySpec, nextPageUrl?: string, options?: RequestOptions): Promise<QueryPage<Ticket>> {
    return this.#queryPage("Tickets", TicketSchema, toQueryBody(spec), nextPageUrl, options?.signal);
  }

  queryTickets(spec: QuerySpec, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<Ticket[]> {
    return this.#queryAll("Tickets", TicketSchema, spec, options);
  }

  async countTickets(spec: Pick<QuerySpec, "filter">, options?: RequestOptions): Promise<number> {
    const result = await this.#request({
      method: "POST",
      path: "/Tickets/query/count",
      body: toCountBody(spec),
      isRead: true,
      schema: QueryCountSchema,
      endpoint: "Tickets",
      signal: options?.signal,
    });
    return result.queryCount;
  }

  async createTicket(fields: TicketCreate, options?: RequestOptions): Promise<number> {
    const result = await this.#request({
      method: "POST",
      path: "/Tickets",
      body: fields,
      isRead: false,
      schema: ItemIdSchema,
      endpoint: "Tickets",
      signal: options?.signal,
    });
    return result.itemId;
  }

  async updateTicket(fields: TicketPatch, options?: RequestOptions): Promise<number> {
    assertId(fields.id, "ticket id");
    const result = await this.#request({
      method: "PATCH",
      path: "/Tickets",
      body: fields,
      isRead: false,
      schema: ItemIdSchema,
      endpoint: "Tickets",
      signal: options?.signal,
    });
    return result.itemId;
  }

  // ---- Ticket notes --------------------------------------------------------------------------------

  async listTicketNotes(ticketId: number, options?: RequestOptions): Promise<TicketNote[]> {
    assertId(ticketId, "ticket id");
    const notes: TicketNote[] = [];
    const pages = this.#pages({
      entity: "TicketNotes",
      firstPath: `/Tickets/${ticketId}/Notes`,
      method: "GET",
      schema: TicketNoteSchema,
      maxTotal: this.#defaultMaxTotal,
      signal: options?.signal,
    });
    for await (const page of pages) notes.push(...page);
    return notes;
  }

  queryTicketNotes(spec: QuerySpec, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<TicketNote[]> {
    return this.#queryAll("TicketNotes", TicketNoteSchema, spec, options);
  }

  async createTicketNote(ticketId: number, fields: TicketNoteCreate, options?: RequestOptions): Promise<number> {
    assertId(ticketId, "ticket id");
    const result = await this.#request({
      method: "POST",
      path: `/Tickets/${ticketId}/Notes`,
      // The path decides the ticket; the body's ticketID must agree with it.
      body: { ...fields, ticketID: ticketId },
      isRead: false,
      schema: ItemIdSchema,
      endpoint: "TicketNotes",
      signal: options?.signal,
    });
    return result.itemId;
  }

  // ---- Other entities ------------------------------------------------------------------------------

  queryCompanies(spec: QuerySpec, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<Company[]> {
    return this.#queryAll("Companies", CompanySchema, spec, options);
  }

  queryContacts(spec: QuerySpec, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<Contact[]> {
    return this.#queryAll("Contacts", ContactSchema, spec, options);
  }

  queryResources(spec: QuerySpec, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<Resource[]> {
    return this.#queryAll("Resources", ResourceSchema, spec, options);
  }

  queryResourceServiceDeskRoles(
    spec: QuerySpec,
    options?: RequestOptions & { maxTotal?: number },
  ): AsyncIterable<ResourceServiceDeskRole[]> {
    return this.#queryAll("ResourceServiceDeskRoles", ResourceServiceDeskRoleSchema, spec, options);
  }

  queryServiceLevelAgreementResults(
    spec: QuerySpec,
    options?: RequestOptions & { maxTotal?: number },
  ): AsyncIterable<ServiceLevelAgreementResult[]> {
    return this.#queryAll("ServiceLevelAgreementResults", ServiceLevelAgreementResultSchema, spec, options);
  }

  queryRoles(spec: QuerySpec, options?: RequestOptions & { maxTotal?: number }): AsyncIterable<Role[]> {
    return this.#queryAll("Roles", RoleSchema, spec, options);
  }

  // ---- Metadata ------------------------------------------------------------------------------------

  async getFieldInfo(entity: MetadataEntity, options?: RequestOptions): Promise<FieldInfo[]> {
    return this.#fieldInfo(entity, "fields", options);
  }

  async getUserDefinedFieldInfo(entity: MetadataEntity, options?: RequestOptions): Promise<FieldInfo[]> {
    return this.#fieldInfo(entity, "userDefinedFields", options);
  }

  async getThresholdInformation(options?: RequestOptions): Promise<ThresholdInformation> {
    const info = await this.#request({
      method: "GET",
      path: "/ThresholdInformation",
      isRead: true,
      schema: ThresholdInformationSchema,
      endpoint: "ThresholdInformation",
      signal: options?.signal,
    });
    this.#threshold = { info, at: this.#now() };
    await this.#budget?.observe(info).catch((error: unknown) => this.#logger?.warn({ err: error }, "could not share ThresholdInformation"));
    return info;
  }

  // ---- Internals -----------------------------------------------------------------------------------

  async #fieldInfo(entity: MetadataEntity, kind: "fields" | "userDefinedFields", options?: RequestOptions): Promise<FieldInfo[]> {
    const result = await this.#request({
      method: "GET",
      path: `/${entity}/entityInformation/${kind}`,
      isRead: true,
      schema: FieldsEnvelopeSchema,
      endpoint: entity,
      signal: options?.signal,
    });
    // UDF metadata names the type `type`; give callers one shape.
    return result.fields.map((field) => (field.dataType ? field : { ...field, dataType: field.type ?? null }));
  }

  async #queryPage<T extends { id: number }>(
    entity: QueryableEntity,
    schema: z.ZodType<T>,
    body: QueryBody,
    nextPageUrl: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<QueryPage<T>> {
    const path = `/${entity}/query`;
    const absoluteUrl = nextPageUrl === undefined ? undefined : await this.#checkedNextPageUrl(nextPageUrl, "POST", path, signal);
    const envelope = await this.#request({
      method: "POST",
      path: absoluteUrl === undefined ? path : `${path}/next`,
      absoluteUrl,
      body,
      isRead: true,
      schema: queryEnvelope(schema),
      endpoint: entity,
      signal,
    });
    return { items: envelope.items, pageDetails: pageDetailsOf(envelope.pageDetails, envelope.items.length) };
  }

  #queryAll<T extends { id: number }>(
    entity: QueryableEntity,
    schema: z.ZodType<T>,
    spec: QuerySpec,
    options: (RequestOptions & { maxTotal?: number }) | undefined,
  ): AsyncIterable<T[]> {
    const maxTotal = Math.max(1, Math.floor(options?.maxTotal ?? this.#defaultMaxTotal));
    const pageSize = clamp(Math.min(spec.maxRecords ?? MAX_RECORDS_LIMIT, maxTotal), 1, MAX_RECORDS_LIMIT);
    // Validated here, so a bad spec throws QueryValidationError at the call, before any request.
    const body = toQueryBody({ ...spec, maxRecords: pageSize });
    return this.#pages({ entity, firstPath: `/${entity}/query`, method: "POST", body, schema, maxTotal, signal: options?.signal });
  }

  /** Follows `nextPageUrl` page by page; POST queries re-send the same body, as Autotask requires. */
  async *#pages<T>(args: {
    entity: string;
    firstPath: string;
    method: "GET" | "POST";
    body?: QueryBody;
    schema: z.ZodType<T>;
    maxTotal: number;
    signal: AbortSignal | undefined;
  }): AsyncGenerator<T[], void, undefined> {
    const envelopeSchema = queryEnvelope(args.schema);
    const seen = new Set<string>();
    let nextUrl: string | undefined;
    let total = 0;
    for (;;) {
      const absoluteUrl =
        nextUrl === undefined ? undefined : await this.#checkedNextPageUrl(nextUrl, args.method, args.firstPath, args.signal);
      const envelope = await this.#request({
        method: args.method,
        path: absoluteUrl === undefined ? args.firstPath : `${args.firstPath}/next`,
        absoluteUrl,
        body: args.body,
        isRead: true,
        schema: envelopeSchema,
        endpoint: args.entity,
        signal: args.signal,
      });
      const items = envelope.items.slice(0, args.maxTotal - total);
      total += items.length;
      if (items.length > 0) yield items;
      const next = envelope.pageDetails?.nextPageUrl;
      if (!next || total >= args.maxTotal) return;
      if (seen.has(next)) {
        throw new AutotaskServerError(
          { method: args.method, path: args.firstPath },
          `Autotask returned the same next-page URL twice for ${args.method} ${args.firstPath}; stopped paging to avoid a loop.`,
        );
      }
      seen.add(next);
      nextUrl = next;
    }
  }

  /** A next-page URL is followed only on the API's own origin, so credentials never go elsewhere. */
  async #checkedNextPageUrl(url: string, method: string, path: string, signal: AbortSignal | undefined): Promise<string> {
    const base = new URL(await this.baseUrl(signal));
    let next: URL;
    try {
      next = new URL(url, base);
    } catch {
      throw new AutotaskServerError({ method, path }, `Autotask returned an unreadable next-page URL for ${method} ${path}.`);
    }
    if (next.origin !== base.origin) {
      throw new AutotaskServerError(
        { method, path },
        `Refused to follow a next-page URL on another host (${next.host}) for ${method} ${path}; credentials are sent only to ${base.host}.`,
      );
    }
    return next.href;
  }

  async #lookupZone(): Promise<string> {
    const url = new URL(this.#zoneLookupUrl);
    url.searchParams.set("user", this.#credentials.username);
    const result = await this.#attempt(
      {
        method: "GET",
        path: "/zoneInformation",
        absoluteUrl: url.href,
        isRead: true,
        schema: ZoneInformationSchema,
        endpoint: "zoneInformation",
      },
      url.href,
      1,
      this.#attemptTimeoutMs,
      false,
    );
    if (!result.ok) throw result.error;
    if (!result.value) throw new AutotaskServerError({ method: "GET", path: "/zoneInformation" }, "The zone lookup returned no answer.");
    return result.value.url;
  }

  async #request<T>(spec: RequestSpec<T> & { notFoundAsNull: true }): Promise<T | null>;
  async #request<T>(spec: RequestSpec<T>): Promise<T>;
  async #request<T>(spec: RequestSpec<T>): Promise<T | null> {
    const started = this.#now();
    const url = spec.absoluteUrl ?? `${await this.baseUrl(spec.signal)}${spec.path.slice(1)}`;
    for (let attempt = 1; ; attempt++) {
      this.#noteRequestForThreshold(spec, false);
      await this.#paceForThreshold(spec);
      await this.#takeBudget(spec);
      // A child route takes a slot of its parent entity too (see `endpointKeys`), each by name in one
      // fixed order, whether the slots live in this process or in Redis.
      const release = await acquireEach(this.#limiter, endpointKeys(spec.path), spec.signal);
      // Time spent queued for a slot counts against the deadline too.
      const remaining = this.#deadlineMs - (this.#now() - started);
      let result: AttemptResult<T | null>;
      try {
        result = await this.#attempt(spec, url, attempt, Math.max(1, Math.min(this.#attemptTimeoutMs, remaining)), true);
      } finally {
        release();
      }
      if (result.ok) return result.value;

      const decision = { outcome: result.outcome, isRead: spec.isRead, attempt };
      if (isRateLimited(result.outcome)) this.#noteRequestForThreshold(spec, true);
      if (!shouldRetry(decision, this.#retry)) throw result.error;
      const delay = retryDelay(decision, this.#retry, this.#random);
      if (this.#now() - started + delay > this.#deadlineMs) {
        this.#logger?.warn({ method: spec.method, path: spec.path, attempt, delayMs: delay }, "Autotask retry would pass the deadline");
        throw result.error;
      }
      this.#logger?.warn(
        { method: spec.method, path: spec.path, status: result.error.status, attempt, delayMs: delay },
        "retrying Autotask request",
      );
      await this.#sleep(delay, spec.signal);
    }
  }

  /** Refuses before sending when the shared hourly budget (or the caller's share of it) is used up. */
  async #takeBudget(spec: RequestSpec<unknown>): Promise<void> {
    if (!this.#budget) return;
    const decision = await this.#budget.take(currentCaller());
    if (decision.ok) return;
    throw new AutotaskRateLimitError(
      { method: spec.method, path: spec.path, retryAfterMs: decision.retryAfterMs, hint: "Wait for the hourly window to move on." },
      `Not sent to Autotask: ${decision.reason}`,
    );
  }

  /**
   * Counts a request towards the next usage refresh and starts one in the background when due (every
   * N requests while busy, or at once after a rate-limit refusal). One refresh at a time; its failure
   * only leaves the last known usage in place.
   */
  #noteRequestForThreshold(spec: RequestSpec<unknown>, rateLimited: boolean): void {
    if (!this.#thresholdPacing || this.#thresholdRefreshEvery === false || spec.endpoint === "ThresholdInformation") return;
    if (spec.endpoint === "zoneInformation") return;
    this.#requestsSinceThresholdRefresh += 1;
    const due = rateLimited || this.#requestsSinceThresholdRefresh >= this.#thresholdRefreshEvery;
    if (!due || this.#thresholdRefresh) return;
    this.#requestsSinceThresholdRefresh = 0;
    this.#thresholdRefresh = this.getThresholdInformation()
      .catch((error: unknown) => {
        this.#logger?.debug({ err: { message: (error as Error).message } }, "ThresholdInformation refresh failed");
      })
      .finally(() => {
        this.#thresholdRefresh = undefined;
      });
  }

  async #paceForThreshold(spec: RequestSpec<unknown>): Promise<void> {
    if (!this.#thresholdPacing || !this.#threshold || spec.endpoint === "ThresholdInformation") return;
    if (this.#now() - this.#threshold.at > THRESHOLD_INFO_MAX_AGE_MS) return;
    const delay = thresholdPacingDelay(this.#threshold.info);
    if (delay > 0) await this.#sleep(delay, spec.signal);
  }

  /** One HTTP exchange. Resolves with the parsed value, or with a classified failure for the retry loop. */
  async #attempt<T>(
    spec: RequestSpec<T>,
    url: string,
    attempt: number,
    timeoutMs: number,
    authenticated: boolean,
  ): Promise<AttemptResult<T | null>> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error("attempt timed out")), timeoutMs);
    // Not AbortSignal.any: on Node 20 it leaves a listener on the caller's signal per request, and one
    // tool call makes many requests with the same signal. This listener is removed when the attempt ends.
    const callerSignal = spec.signal;
    const onCallerAbort = () => timeout.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    const signal = timeout.signal;
    const started = this.#now();
    const report = (outcome: ResponseEvent["outcome"], status?: number) => {
      const event: ResponseEvent = {
        method: spec.method,
        path: spec.path,
        endpoint: spec.endpoint,
        attempt,
        outcome,
        durationMs: this.#now() - started,
      };
      if (status !== undefined) event.status = status;
      this.#logger?.debug(event, "Autotask request");
      this.#onResponse?.(event);
    };

    const headers: Record<string, string> = { Accept: "application/json" };
    if (authenticated) Object.assign(headers, this.#authHeaders(spec.isRead));
    const init: { method: string; headers: Record<string, string>; signal: AbortSignal; body?: string; dispatcher?: unknown; redirect: "manual" } = {
      method: spec.method,
      headers,
      signal,
      // Autotask's REST API does not redirect (reference §8 lists its statuses). Following one would send
      // the credential headers, and a write's body, to whatever host the Location names.
      redirect: "manual",
    };
    if (spec.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(spec.body);
    }

    let status: number | undefined;
    try {
      const dispatcher = this.#getDispatcher();
      if (dispatcher !== undefined) init.dispatcher = dispatcher;
      this.#requestCount += 1;
      const response = await globalThis.fetch(url, init as unknown as RequestInit);
      status = response.status;
      const text = await response.text();
      clearTimeout(timer);
      if (status >= 300 && status < 400) {
        report("http-error", status);
        // The Location is the answering host's text: a hostile one can put the credentials in it.
        throw redirectRefused(spec, status, response.headers.get("location"), url, (text) => this.#redact(text));
      }
      const json = parseJson(text);

      if (response.ok) {
        const parsed = spec.schema.safeParse(json);
        if (!parsed.success) {
          report("http-error", status);
          throw new AutotaskServerError(
            { method: spec.method, path: spec.path, status },
            `Autotask answered ${spec.method} ${spec.path} with data this client does not understand (${summariseIssues(parsed.error)}).`,
          );
        }
        report("ok", status);
        return { ok: true, value: parsed.data };
      }
      report("http-error", status);
      if (status === 404 && spec.notFoundAsNull) return { ok: true, value: null };
      // A proxy, or Autotask itself, can echo the request headers: no error text leaves this client with them.
      const autotaskErrors = extractErrors(json).map((text) => this.#redact(text));
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), this.#now());
      const outcome: AttemptOutcome = { kind: "response", status, autotaskErrors };
      if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
      return {
        ok: false,
        outcome,
        error: errorFromResponse({ status, method: spec.method, path: spec.path, autotaskErrors, retryAfterMs }),
      };
    } catch (error) {
      clearTimeout(timer);
      if (error instanceof AutotaskError) throw error;
      // The caller cancelled: pass their reason on unchanged, it is not a network problem.
      if (spec.signal?.aborted) throw spec.signal.reason;
      const timedOut = timeout.signal.aborted;
      report(timedOut ? "timeout" : "network", status);
      const connectionEstablished = timedOut || status !== undefined || !isConnectPhaseError(error);
      const reason = timedOut ? `no complete answer within ${timeoutMs} ms` : describeNetworkError(error);
      return {
        ok: false,
        outcome: timedOut ? { kind: "timeout" } : { kind: "network", connectionEstablished },
        error: new AutotaskNetworkError({
          method: spec.method,
          path: spec.path,
          reason,
          maybeCommitted: !spec.isRead && connectionEstablished,
          cause: error,
        }),
      };
    } finally {
      callerSignal?.removeEventListener("abort", onCallerAbort);
    }
  }

  /** `text` with the secret and integration code (verbatim or encoded) replaced by "[Redacted]". */
  #redact(text: string): string {
    return redactSecrets(text, this.#credentialPattern);
  }

  #authHeaders(isRead: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      ApiIntegrationCode: this.#credentials.integrationCode,
      UserName: this.#credentials.username,
      Secret: this.#credentials.secret,
    };
    // A technician's writes through the HTTP transport are attributed to them; reads keep the API user's view.
    const impersonate = (isRead ? undefined : currentCaller()?.impersonationResourceId) ?? this.#credentials.impersonationResourceId;
    if (impersonate !== undefined) headers.ImpersonationResourceId = String(impersonate);
    return headers;
  }

  /**
   * One keep-alive Agent per client (30 s idle, instead of the runtime's default 4 s, so that a user's
   * pause between tool calls does not cost a new TLS handshake), created on first use.
   *
   * The Agent comes from the undici copy built into Node, the one behind `globalThis.fetch`: its class is
   * that of the global dispatcher the runtime installs under `Symbol.for("undici.globalDispatcher.1")`.
   * Importing the npm `undici` package instead would load and compile a second copy of undici (about
   * 520 KiB, 130 ms on the first request; see bench/README.md). Without that global (another runtime), or
   * when it is not a plain Agent, requests use the runtime's global dispatcher as it is.
   */
  #getDispatcher(): unknown {
    if (this.#agent === undefined) {
      // Reading Headers makes Node load its fetch implementation, which installs the global dispatcher.
      void globalThis.Headers;
      const globalDispatcher = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as
        | { constructor: new (options: object) => { close(): Promise<void> } }
        | undefined;
      // Only the runtime's plain Agent is copied: a dispatcher someone installed on purpose (a proxy agent,
      // Node's env-proxy agent) is used as it is, so proxies keep applying.
      if (typeof globalDispatcher?.constructor !== "function" || globalDispatcher.constructor.name !== "Agent") return undefined;
      try {
        this.#agent = new globalDispatcher.constructor({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });
      } catch {
        return undefined;
      }
    }
    return this.#agent;
  }
}

function assertId(id: unknown, what: string): asserts id is number {
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) {
    throw new QueryValidationError(`The ${what} must be a positive integer, got ${JSON.stringify(id)}.`);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}

function pageDetailsOf(details: PageDetails | null | undefined, count: number): PageDetails {
  return details ?? { count, requestCount: null, prevPageUrl: null, nextPageUrl: null };
}

/**
 * A 3xx answer, never followed: the request did not reach an Autotask endpoint that processed it, so
 * this request (if a write) is definitely not saved and retrying would only be redirected again. It
 * says nothing of earlier writes of the same call (a read-back after a create is such a request).
 * Only the target's origin is named; the API URL is configuration, so that is what to fix.
 */
function redirectRefused(
  spec: { method: string; path: string },
  status: number,
  location: string | null,
  from: string,
  redact: (text: string) => string,
): AutotaskConfigurationError {
  let target = "no Location";
  try {
    if (location) target = redact(new URL(location, from).origin);
  } catch {
    target = "an unreadable Location";
  }
  return new AutotaskConfigurationError(
    `Autotask's URL answered ${spec.method} ${spec.path} with a redirect (HTTP ${status}, to ${target}); redirects are not followed, so the credentials stay with the configured host${isReadRequest(spec) ? "" : " and this request changed nothing"}.`,
    { method: spec.method, path: spec.path, status },
  );
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Autotask's `{"errors": [...]}` as strings, verbatim. Some tenants send `{message}` objects instead. */
export function extractErrors(body: unknown): string[] {
  if (!body || typeof body !== "object") return [];
  const errors = (body as { errors?: unknown }).errors;
  const list = Array.isArray(errors) ? errors : [];
  const texts = list
    .map((entry) => {
      if (typeof entry === "string") return entry;
      if (entry && typeof entry === "object" && typeof (entry as { message?: unknown }).message === "string") {
        return (entry as { message: string }).message;
      }
      return undefined;
    })
    .filter((text): text is string => text !== undefined && text.trim() !== "");
  const message = (body as { message?: unknown; Message?: unknown }).message ?? (body as { Message?: unknown }).Message;
  if (texts.length === 0 && typeof message === "string") texts.push(message);
  return texts;
}

function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function isConnectPhaseError(error: unknown): boolean {
  return errorCodes(error).some((code) => CONNECT_PHASE_CODES.has(code));
}

function describeNetworkError(error: unknown): string {
  const codes = errorCodes(error);
  if (codes.length > 0) return `network error ${codes.join("/")}`;
  return error instanceof Error ? error.message : "network error";
}
