/**
 * The sandbox's HTTP side (plain `node:http`): authentication with Autotask's three headers and its
 * odd error statuses, the rolling hourly request threshold (429 + Retry-After), the per-endpoint thread
 * limit (3 concurrent requests per integration code and endpoint; a child route takes a slot of its
 * parent and child entity, see routes.ts), seeded fault injection, and the dispatch of each route to the
 * query engine, the writers and the metadata. Behaviours and their sources: src/sandbox/README.md.
 */
import { type IncomingMessage, type ServerResponse, createServer, type Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { createRandom, type Random } from "./prng.js";
import { AutotaskError, parseQuery, type ParsedQuery, lowerKeys } from "./query.js";
import { type MatchedRoute, matchRoute, type Route } from "./routes.js";
import { ENTITIES, ENTITY_NAMES, type EntityName } from "./schema.js";
import type { Row, SandboxStore } from "./store.js";
import { type Actor, createTicket, createTicketNote, updateTicket, updateTicketNote, type WriteContext } from "./writes.js";

export interface SandboxFaults {
  /** Added to every authenticated request while it holds its thread slot. */
  latencyMs?: number;
  /** Share (0..1) of requests answered 429 with Retry-After. */
  rate429?: number;
  /** Share of requests answered with the thread-threshold error. */
  rateThreadThreshold?: number;
  /** Share of requests answered 503 (an IIS-style HTML page, as a gateway would send). */
  rate503?: number;
  /**
   * Share of requests whose connection is reset before the sandbox processes them: the socket is
   * destroyed unanswered and nothing is committed (drawn in the same band as 429/thread/503).
   */
  resetBeforeProcessingRate?: number;
  /** Share of successful writes (tickets and notes) that are saved and then have their connection destroyed unanswered. */
  commitThenDropRate?: number;
  /** Retry-After of injected 429s, in seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface Credentials {
  username: string;
  secret: string;
  integrationCode: string;
}

export interface ServerConfig {
  store: SandboxStore;
  credentials: Credentials;
  faults: SandboxFaults;
  seed: number;
  now: () => Date;
  hourlyThreshold: number;
  /** Called after every successful write (persistence hooks in here). */
  onWrite: () => void;
}

export const THREAD_LIMIT = 3;
const HOUR_MS = 3_600_000;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const MESSAGES = {
  zone: "Zone information could not be determined",
  integrationCode: "IntegrationCode is invalid.",
  unauthorized: "Authorization has been denied for this request.",
  methodNotAllowed: (method: string) => `The requested resource does not support http method '${method}'.`,
  notFound: (path: string) => `No HTTP resource was found that matches the request URI '${path}'.`,
  threadThreshold: (operation: string) =>
    `Thread Threshold Exceeded: The Autotask API thread threshold of ${THREAD_LIMIT} threads has been exceeded. Method: ${operation}`,
  hourlyThreshold: (threshold: number) =>
    `Request threshold exceeded: the API limit of ${threshold} requests per 60 minutes for this database has been reached.`,
  injected429: "Rate limit exceeded. Retry after the period given in the Retry-After header.",
  invalidJson: "The request body is not valid JSON.",
  invalidPaging: "The paging parameter is missing or invalid.",
  notSimulated: (entity: string) =>
    `The Autotask sandbox does not simulate the ${entity} entity: the endpoint exists in Autotask, but this local sandbox serves only Tickets, TicketNotes, Companies, Contacts, Resources, ResourceRoles, ResourceServiceDeskRoles, Roles and ServiceLevelAgreementResults.`,
} as const;

/** Rolling 60-minute window of request instants (the tenant-wide counter behind ThresholdInformation). */
class RollingHourCounter {
  private readonly instants: number[] = [];
  private head = 0;

  count(nowMs: number): number {
    while (this.head < this.instants.length && (this.instants[this.head] as number) <= nowMs - HOUR_MS) this.head++;
    if (this.head > 4096 && this.head * 2 > this.instants.length) {
      this.instants.splice(0, this.head);
      this.head = 0;
    }
    return this.instants.length - this.head;
  }

  add(nowMs: number): void {
    this.instants.push(nowMs);
  }

  /** Seconds until the oldest counted request leaves the window. */
  secondsUntilSlotFrees(nowMs: number): number {
    const oldest = this.instants[this.head] ?? nowMs;
    return Math.max(1, Math.ceil((oldest + HOUR_MS - nowMs) / 1000));
  }
}

interface PagingToken {
  pageSize: number;
  previousIds: number[];
  nextIds: number[];
}

export class SandboxServer {
  readonly http: Server;
  apiUrl = "";
  rootUrl = "";
  private readonly stats = { requests: 0, byRoute: {} as Record<string, number> };
  private readonly inFlight = new Map<string, number>();
  /** Highest number of concurrent requests seen per thread endpoint (any integration code), until reset. */
  private readonly peakInFlight = new Map<string, number>();
  private readonly hourly = new RollingHourCounter();
  private readonly faultRandom: Random;

  constructor(private readonly config: ServerConfig) {
    this.faultRandom = createRandom(config.seed ^ 0x5eed_fa17);
    this.http = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        const status = error instanceof AutotaskError ? error.status : 500;
        if (!response.headersSent) sendJson(response, status, { errors: [describe(error)] });
        else response.destroy();
      });
    });
  }

  setFaults(faults: SandboxFaults): void {
    this.config.faults = { ...faults };
  }

  getStats(): { requests: number; byRoute: Record<string, number> } {
    return { requests: this.stats.requests, byRoute: { ...this.stats.byRoute } };
  }

  /** Peak concurrent requests per thread endpoint since the last reset (what the thread limit judged). */
  getPeakInFlight(): Record<string, number> {
    return Object.fromEntries(this.peakInFlight);
  }

  resetStats(): void {
    this.stats.requests = 0;
    this.stats.byRoute = {};
    this.peakInFlight.clear();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.stats.requests += 1;
    const url = new URL(request.url ?? "/", "http://sandbox.invalid");
    const method = (request.method ?? "GET").toUpperCase();
    const matched = matchRoute(method, url.pathname);
    this.stats.byRoute[matched.key] = (this.stats.byRoute[matched.key] ?? 0) + 1;
    const rawBody = await readBody(request);
    const { route } = matched;

    // VersionInformation (Swagger ApiVersionResultModel); /V1.0/Version is answered the same way (assumed).
    if (route.kind === "version") return sendJson(response, 200, { apiVersions: ["1.0"] });
    if (route.kind === "zone") return this.zoneInformation(url, response);
    if (route.kind === "notFound") return sendJson(response, 404, { errors: [MESSAGES.notFound(url.pathname)] });

    const actorOrError = this.authenticate(request);
    if (actorOrError instanceof AutotaskError) {
      return sendJson(response, actorOrError.status, { errors: actorOrError.errors });
    }
    if (route.kind === "methodNotAllowed") {
      return sendJson(response, 405, { errors: [MESSAGES.methodNotAllowed(method)] });
    }
    // Not Autotask's 404 ("No HTTP resource was found"), which would tell a client the endpoint does not exist.
    if (route.kind === "notSimulated") return sendJson(response, 501, { errors: [MESSAGES.notSimulated(route.entity)] });

    const nowMs = this.config.now().getTime();
    if (this.hourly.count(nowMs) >= this.config.hourlyThreshold) {
      response.setHeader("Retry-After", String(this.hourly.secondsUntilSlotFrees(nowMs)));
      return sendJson(response, 429, { errors: [MESSAGES.hourlyThreshold(this.config.hourlyThreshold)] });
    }
    this.hourly.add(nowMs);

    const operation = `${matched.threadEndpoints[0] ?? "Api"}_${route.kind}`;
    const slot = this.acquireThreadSlots(request, matched);
    if (slot === undefined) return sendJson(response, 500, { errors: [MESSAGES.threadThreshold(operation)] });
    // The slot is held until the sandbox has finished the request, even when the client gave up earlier:
    // Autotask's thread keeps running after a client-side timeout (conservative; see the README).
    try {
      await this.process(request, response, route, url, method, rawBody, actorOrError, operation);
    } finally {
      slot();
    }
  }

  private async process(
    request: IncomingMessage,
    response: ServerResponse,
    route: Route,
    url: URL,
    method: string,
    rawBody: string,
    actor: Actor,
    operation: string,
  ): Promise<void> {
    const { faults } = this.config;
    if ((faults.latencyMs ?? 0) > 0) await sleep(faults.latencyMs);
    // One draw per request decides the request-level faults, in fixed bands, so a seed replays exactly.
    const draw = this.faultRandom.next();
    const rate429 = faults.rate429 ?? 0;
    const rateThread = faults.rateThreadThreshold ?? 0;
    const rate503 = faults.rate503 ?? 0;
    const rateReset = faults.resetBeforeProcessingRate ?? 0;
    if (draw < rate429) {
      response.setHeader("Retry-After", String(faults.retryAfterSeconds ?? 1));
      return sendJson(response, 429, { errors: [MESSAGES.injected429] });
    }
    if (draw < rate429 + rateThread) return sendJson(response, 500, { errors: [MESSAGES.threadThreshold(operation)] });
    if (draw < rate429 + rateThread + rate503) return sendServiceUnavailable(response);
    if (draw < rate429 + rateThread + rate503 + rateReset) {
      // Connection reset before processing: nothing is committed, the client sees its socket die.
      request.socket.destroy();
      return;
    }
    try {
      const result = this.dispatch(route, url, method, rawBody, actor);
      if (result.wrote) {
        this.config.onWrite();
        // Commit-then-drop: the change is saved, but the client only sees its connection die.
        if (this.faultRandom.next() < (faults.commitThenDropRate ?? 0)) {
          request.socket.destroy();
          return;
        }
      }
      sendJson(response, result.status, result.body);
    } catch (error) {
      if (error instanceof AutotaskError) return sendJson(response, error.status, { errors: error.errors });
      throw error;
    }
  }

  private zoneInformation(url: URL, response: ServerResponse): void {
    const user = [...url.searchParams].find(([name]) => name.toLowerCase() === "user")?.[1];
    if (user === undefined || user.toLowerCase() !== this.config.credentials.username.toLowerCase()) {
      sendJson(response, 500, { errors: [MESSAGES.zone] });
      return;
    }
    const { zone } = this.config.store.profile.data;
    sendJson(response, 200, { zoneName: zone.zoneName, url: this.rootUrl, webUrl: this.rootUrl.replace(/ATServicesRest\/$/, ""), ci: zone.ci });
  }

  /** Autotask's checks, in its order: username (500), integration code (500), then secret (401). */
  private authenticate(request: IncomingMessage): Actor | AutotaskError {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const { credentials, store } = this.config;
    const username = header("username");
    if (username === undefined || username.toLowerCase() !== credentials.username.toLowerCase()) {
      return new AutotaskError([MESSAGES.zone]);
    }
    if (header("apiintegrationcode") !== credentials.integrationCode) return new AutotaskError([MESSAGES.integrationCode]);
    if (header("secret") !== credentials.secret) return new AutotaskError([MESSAGES.unauthorized], 401);
    const impersonate = header("impersonationresourceid");
    if (impersonate === undefined || impersonate === "") return { resourceId: store.apiUserResourceId };
    const resource = store.tables.Resources.get(Number(impersonate));
    if (resource === undefined || resource.isActive !== true || resource.id === store.apiUserResourceId) {
      return new AutotaskError([`Impersonation failed: resource [${impersonate}] does not exist, is inactive or cannot be impersonated.`]);
    }
    return { resourceId: resource.id, impersonatorResourceId: store.apiUserResourceId };
  }

  /**
   * Takes one slot of every endpoint the route counts against, all or none. Returns the release function,
   * or undefined when any of them already has THREAD_LIMIT requests running.
   */
  private acquireThreadSlots(request: IncomingMessage, matched: MatchedRoute): (() => void) | undefined {
    const code = String(request.headers.apiintegrationcode ?? "");
    const keys = matched.threadEndpoints.map((endpoint) => `${code}\u0000${endpoint}`);
    if (keys.some((key) => (this.inFlight.get(key) ?? 0) >= THREAD_LIMIT)) return undefined;
    for (const key of keys) {
      const running = (this.inFlight.get(key) ?? 0) + 1;
      this.inFlight.set(key, running);
      this.peakInFlight.set(key.slice(code.length + 1), Math.max(this.peakInFlight.get(key.slice(code.length + 1)) ?? 0, running));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const key of keys) {
        const now = (this.inFlight.get(key) ?? 1) - 1;
        if (now <= 0) this.inFlight.delete(key);
        else this.inFlight.set(key, now);
      }
    };
  }

  private dispatch(
    route: Route,
    url: URL,
    method: string,
    rawBody: string,
    actor: Actor,
  ): { status: number; body: unknown; wrote?: boolean } {
    const { store } = this.config;
    const writeContext = (): WriteContext => ({ store, now: this.config.now(), actor });
    switch (route.kind) {
      case "threshold":
        return {
          status: 200,
          body: {
            externalRequestThreshold: this.config.hourlyThreshold,
            requestThresholdTimeframe: 60,
            currentTimeframeRequestCount: this.hourly.count(this.config.now().getTime()),
          },
        };
      case "entityInformation":
        return { status: 200, body: this.entityInformation(route.entity, route.part) };
      case "allEntityInformation":
        // GlobalEntityInformationResultModel: the simulated entities, each as its entityInformation answer.
        return {
          status: 200,
          body: { entityDescriptions: ENTITY_NAMES.map((name) => this.entityInformation(name, "info")) },
        };
      case "modules":
        // Shape from autotask-api.md §1 ({"modules":[{key,value}]}); which key is which module is not
        // documented anywhere we could read, so the sandbox claims none.
        return { status: 200, body: { modules: [] } };
      case "authenticate":
        // Reached only with valid credentials; the real body is undocumented (assumed empty object).
        return { status: 200, body: {} };
      case "slaResultsOfAgreement":
        return { status: 200, body: this.slaResultsOfAgreement(route.agreementId, url) };
      case "get": {
        const item = store.presentById(route.entity, route.id);
        return { status: item === undefined ? 404 : 200, body: { item: item ?? null } };
      }
      case "query":
      case "count":
      case "next":
        return this.query(route, url, rawBody);
      case "ticketWrite": {
        const body = parseJson(rawBody);
        const itemId =
          route.mode === "create" ? createTicket(writeContext(), body) : updateTicket(writeContext(), body, route.mode);
        return { status: 200, body: { itemId }, wrote: true };
      }
      case "noteWrite": {
        const body = parseJson(rawBody);
        const itemId =
          route.mode === "create"
            ? createTicketNote(writeContext(), route.ticketId, body)
            : updateTicketNote(writeContext(), route.ticketId, body, route.mode);
        return { status: 200, body: { itemId }, wrote: true };
      }
      case "noteGet": {
        const note = store.tables.TicketNotes.get(route.noteId);
        const item = note !== undefined && note.ticketID === route.ticketId ? store.present("TicketNotes", note) : null;
        return { status: item === null ? 404 : 200, body: { item } };
      }
      case "noteList":
        return { status: 200, body: this.noteList(route.ticketId, url) };
      default:
        throw new Error(`Unhandled route ${route.kind} for ${method}`);
    }
  }

  private entityInformation(entityName: EntityName, part: "info" | "fields" | "userDefinedFields"): unknown {
    const entity = ENTITIES[entityName];
    const { profile } = this.config.store;
    if (part === "info") {
      const access = (allowed: boolean) => (allowed ? 1 : 0);
      return {
        info: {
          name: entity.name,
          canCreate: entity.canCreate,
          canDelete: false,
          canQuery: true,
          canUpdate: entity.canUpdate,
          userAccessForCreate: access(entity.canCreate),
          userAccessForDelete: 0,
          userAccessForQuery: 1,
          userAccessForUpdate: access(entity.canUpdate),
          hasUserDefinedFields: entity.hasUserDefinedFields,
          supportsWebhookCallouts: entity.supportsWebhookCallouts,
        },
      };
    }
    if (part === "userDefinedFields") return { fields: profile.userDefinedFields(entityName) };
    return {
      fields: entity.fields.map((field) => ({
        ...field,
        isPickList: field.isPickList || profile.values(entityName, field.name).length > 0,
        picklistValues: field.isPickList || profile.values(entityName, field.name).length > 0 ? profile.values(entityName, field.name) : null,
      })),
    };
  }

  private query(
    route: Extract<Route, { kind: "query" | "count" | "next" }>,
    url: URL,
    rawBody: string,
  ): { status: number; body: unknown } {
    const search = url.searchParams.get("search");
    if (route.kind === "next" && route.form === "get" && search === null) {
      // Following a POST query's nextPageUrl with GET is refused: it must be POSTed with the same body.
      return { status: 405, body: { errors: [MESSAGES.methodNotAllowed("GET")] } };
    }
    const body = route.form === "get" ? (search === null ? undefined : parseJson(search)) : parseJson(rawBody);
    const entity = ENTITIES[route.entity];
    const parsed = parseQuery(body, { entity, udfs: this.config.store.profile.userDefinedFields(route.entity) });
    const table = this.config.store.tables[route.entity];
    if (route.kind === "count") {
      const predicate = parsed.predicate;
      let count = 0;
      if (predicate === null) count = table.size;
      else for (const id of table.ids) if (predicate(table.get(id) as Row)) count++;
      return { status: 200, body: { queryCount: count } };
    }
    let token: PagingToken = { pageSize: parsed.maxRecords, previousIds: [], nextIds: [] };
    if (route.kind === "next") token = parsePaging(url);
    const pageBase = `${this.apiUrl}${route.entity}/query/next`;
    const extra = search === null ? "" : `&search=${encodeURIComponent(search)}`;
    return { status: 200, body: this.page(route.entity, parsed, token, (next) => `${pageBase}?paging=${encodeURIComponent(JSON.stringify(next))}${extra}`) };
  }

  /** One id-ordered page after `token.nextIds[0]`, with the tokens for the pages either side. */
  private page(
    entityName: EntityName,
    parsed: Pick<ParsedQuery, "predicate" | "includeFields">,
    token: PagingToken,
    urlFor: (token: PagingToken) => string,
    rowFilter?: (row: Row) => boolean,
  ): { items: unknown[]; pageDetails: unknown } {
    const { store } = this.config;
    const table = store.tables[entityName];
    const startAfter = token.nextIds[0];
    const matches = (row: Row) => (rowFilter === undefined || rowFilter(row)) && (parsed.predicate === null || parsed.predicate(row));
    const rows: Row[] = [];
    let hasMore = false;
    for (let index = startAfter === undefined ? 0 : table.indexAfter(startAfter); index < table.ids.length; index++) {
      const row = table.get(table.ids[index] as number) as Row;
      if (!matches(row)) continue;
      if (rows.length === token.pageSize) {
        hasMore = true;
        break;
      }
      rows.push(row);
    }
    const last = rows[rows.length - 1];
    const previousStart = token.previousIds[token.previousIds.length - 1];
    const next: PagingToken | undefined =
      hasMore && last !== undefined
        ? { pageSize: token.pageSize, previousIds: [...token.previousIds, startAfter ?? -1], nextIds: [last.id] }
        : undefined;
    const previous: PagingToken | undefined =
      previousStart === undefined
        ? undefined
        : {
            pageSize: token.pageSize,
            previousIds: token.previousIds.slice(0, -1),
            nextIds: previousStart === -1 ? [] : [previousStart],
          };
    return {
      items: rows.map((row) => store.present(entityName, row, parsed.includeFields)),
      pageDetails: {
        count: rows.length,
        requestCount: token.pageSize,
        prevPageUrl: previous === undefined ? null : urlFor(previous),
        nextPageUrl: next === undefined ? null : urlFor(next),
      },
    };
  }

  private slaResultsOfAgreement(agreementId: number, url: URL): unknown {
    const { store } = this.config;
    const token = url.searchParams.has("paging") ? parsePaging(url) : { pageSize: 500, previousIds: [], nextIds: [] };
    const base = `${this.apiUrl}ServiceLevelAgreements/${agreementId}/Results`;
    return this.page(
      "ServiceLevelAgreementResults",
      { predicate: null, includeFields: undefined },
      token,
      (next) => `${base}?paging=${encodeURIComponent(JSON.stringify(next))}`,
      (row) => store.tables.Tickets.get(row.ticketID as number)?.serviceLevelAgreementID === agreementId,
    );
  }

  private noteList(ticketId: number, url: URL): unknown {
    const token = url.searchParams.has("paging") ? parsePaging(url) : { pageSize: 500, previousIds: [], nextIds: [] };
    const noteIds = new Set(this.config.store.notesByTicket.get(ticketId) ?? []);
    const base = `${this.apiUrl}Tickets/${ticketId}/Notes`;
    return this.page(
      "TicketNotes",
      { predicate: null, includeFields: undefined },
      token,
      (next) => `${base}?paging=${encodeURIComponent(JSON.stringify(next))}`,
      (row) => noteIds.has(row.id),
    );
  }
}

function parsePaging(url: URL): PagingToken {
  const raw = url.searchParams.get("paging");
  try {
    const token = lowerKeys(JSON.parse(raw ?? ""));
    const pageSize = Number(token?.pagesize);
    const ids = (value: unknown) => (Array.isArray(value) ? value.map(Number).filter(Number.isFinite) : []);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) throw new Error("bad page size");
    return { pageSize, previousIds: ids(token?.previousids), nextIds: ids(token?.nextids) };
  } catch {
    throw new AutotaskError([MESSAGES.invalidPaging]);
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AutotaskError([MESSAGES.invalidJson]);
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AutotaskError(["Request body too large."], 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

function sendServiceUnavailable(response: ServerResponse): void {
  const html =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n' +
    "<HTML><HEAD><TITLE>Service Unavailable</TITLE></HEAD><BODY><h2>Service Unavailable</h2>" +
    "<hr><p>HTTP Error 503. The service is unavailable.</p></BODY></HTML>\r\n";
  response.writeHead(503, { "Content-Type": "text/html; charset=us-ascii", "Content-Length": Buffer.byteLength(html) });
  response.end(html);
}

function describe(error: unknown): string {
  if (error instanceof AutotaskError) return error.errors.join(" ");
  return "An unexpected error occurred in the sandbox.";
}
