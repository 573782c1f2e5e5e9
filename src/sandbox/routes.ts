/**
 * Maps a request (method + path) to what the sandbox does with it, the way Autotask routes: everything
 * under `/ATServicesRest/V1.0/`, path case-insensitive, writes on the collection URL with the id in the
 * body, no DELETE anywhere (405), and `POST /TicketNotes` unknown (404) because notes are created
 * through their parent ticket. An Autotask entity the sandbox does not simulate gets its own route
 * (`notSimulated`), so that a client is not told the endpoint does not exist. Also names the route for
 * request statistics and the thread-limit endpoints it takes.
 */
import { AUTOTASK_ENTITY_BY_SEGMENT } from "./autotask-entities.js";
import { ENTITY_BY_SEGMENT, type EntityName } from "./schema.js";

export type Route =
  | { kind: "version" }
  | { kind: "zone" }
  | { kind: "threshold" }
  | { kind: "modules" }
  | { kind: "authenticate" }
  | { kind: "allEntityInformation" }
  | { kind: "notSimulated"; entity: string }
  | { kind: "slaResultsOfAgreement"; agreementId: number }
  | { kind: "entityInformation"; entity: EntityName; part: "info" | "fields" | "userDefinedFields" }
  | { kind: "get"; entity: EntityName; id: number }
  | { kind: "query"; entity: EntityName; form: "get" | "post" }
  | { kind: "count"; entity: EntityName; form: "get" | "post" }
  | { kind: "next"; entity: EntityName; form: "get" | "post" }
  | { kind: "ticketWrite"; mode: "create" | "patch" | "put" }
  | { kind: "noteList"; ticketId: number }
  | { kind: "noteWrite"; ticketId: number; mode: "create" | "patch" | "put" }
  | { kind: "noteGet"; ticketId: number; noteId: number }
  | { kind: "methodNotAllowed" }
  | { kind: "notFound" };

export interface MatchedRoute {
  route: Route;
  /** e.g. "POST /Tickets/query": the key of `stats().byRoute`. */
  key: string;
  /**
   * The object endpoints whose thread budget the request takes a slot of (empty: not limited). The
   * top-level entity of the path, and for a child route `/Parent/{id}/Child` the child's entity too
   * (`POST /Tickets/{id}/Notes` counts against Tickets and TicketNotes). Autotask documents the limit as
   * "per object endpoint and tracking identifier" without saying what a child route counts as; this
   * conservative reading is the one the client uses as well (README, sandbox section).
   */
  threadEndpoints: readonly string[];
}

const ID = /^-?\d+$/;

export function matchRoute(method: string, pathname: string): MatchedRoute {
  const segments = pathname
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => decodeURIComponent(segment).toLowerCase());
  const verb = method.toUpperCase();
  const done = (route: Route, pattern: string, ...threadEndpoints: string[]): MatchedRoute => ({
    route,
    key: `${verb} ${pattern}`,
    threadEndpoints,
  });
  const notFound = () => done({ kind: "notFound" }, "(unknown)");
  const notAllowed = (pattern: string) => done({ kind: "methodNotAllowed" }, pattern);

  if (segments[0] !== "atservicesrest") return notFound();
  if (segments.length === 2 && segments[1] === "versioninformation") {
    return verb === "GET" ? done({ kind: "version" }, "/VersionInformation") : notAllowed("/VersionInformation");
  }
  if (segments[1] !== "v1.0") return notFound();
  const rest = segments.slice(2);
  const [first, second, third, fourth] = rest;
  if (first === undefined) return notFound();

  // Informational endpoints (autotask-api.md §1). Version is answered like VersionInformation, unlimited.
  if (rest.length === 1 && first === "version") {
    return verb === "GET" ? done({ kind: "version" }, "/Version") : notAllowed("/Version");
  }
  if (rest.length === 1 && first === "modules") {
    return verb === "GET" ? done({ kind: "modules" }, "/Modules", "Modules") : notAllowed("/Modules");
  }
  if (rest.length === 1 && first === "authenticate") {
    return verb === "GET" ? done({ kind: "authenticate" }, "/Authenticate", "Authenticate") : notAllowed("/Authenticate");
  }
  if (rest.length === 1 && first === "entityinformation") {
    return verb === "GET"
      ? done({ kind: "allEntityInformation" }, "/EntityInformation", "EntityInformation")
      : notAllowed("/EntityInformation");
  }
  // SLA definitions have no REST root (a 404 live, autotask-api.md §9), only the Results child.
  if (first === "servicelevelagreements") {
    if (rest.length === 3 && second !== undefined && ID.test(second) && third === "results") {
      return verb === "GET"
        ? done(
            { kind: "slaResultsOfAgreement", agreementId: Number(second) },
            "/ServiceLevelAgreements/{id}/Results",
            "ServiceLevelAgreements",
            "ServiceLevelAgreementResults",
          )
        : notAllowed("/ServiceLevelAgreements/{id}/Results");
    }
    return notFound();
  }

  if (rest.length === 1 && first === "zoneinformation") {
    return verb === "GET" ? done({ kind: "zone" }, "/zoneInformation") : notAllowed("/zoneInformation");
  }
  if (rest.length === 1 && first === "thresholdinformation") {
    return verb === "GET"
      ? done({ kind: "threshold" }, "/ThresholdInformation", "ThresholdInformation")
      : notAllowed("/ThresholdInformation");
  }

  const entity = ENTITY_BY_SEGMENT.get(first);
  if (entity === undefined) {
    const known = AUTOTASK_ENTITY_BY_SEGMENT.get(first);
    if (known === undefined) return notFound();
    return done({ kind: "notSimulated", entity: known }, `/${known}${rest.length > 1 ? "/..." : ""}`, known);
  }
  const at = (suffix: string) => `/${entity}${suffix}`;
  const routed = (route: Route, suffix: string) => done(route, at(suffix), entity);
  const routedChild = (route: Route, suffix: string, child: string) => done(route, at(suffix), entity, child);
  if (verb === "DELETE") return notAllowed(at(rest.length > 1 ? "/{id}" : ""));

  if (rest.length === 1) {
    if (entity === "Tickets") {
      if (verb === "POST") return routed({ kind: "ticketWrite", mode: "create" }, "");
      if (verb === "PATCH") return routed({ kind: "ticketWrite", mode: "patch" }, "");
      if (verb === "PUT") return routed({ kind: "ticketWrite", mode: "put" }, "");
    }
    // Notes are created only through their ticket: the top-level collection has no POST at all.
    if (entity === "TicketNotes" && verb === "POST") return done({ kind: "notFound" }, at(""));
    return notAllowed(at(""));
  }

  if (second === "entityinformation") {
    if (verb !== "GET") return notAllowed(at("/entityInformation"));
    if (rest.length === 2) return routed({ kind: "entityInformation", entity, part: "info" }, "/entityInformation");
    if (rest.length === 3 && third === "fields") {
      return routed({ kind: "entityInformation", entity, part: "fields" }, "/entityInformation/fields");
    }
    if (rest.length === 3 && third === "userdefinedfields") {
      return routed(
        { kind: "entityInformation", entity, part: "userDefinedFields" },
        "/entityInformation/userDefinedFields",
      );
    }
    return notFound();
  }

  if (second === "query") {
    const form = verb === "GET" ? "get" : verb === "POST" ? "post" : undefined;
    const suffix = rest.length === 2 ? "/query" : `/query/${third}`;
    if (rest.length > 3 || (rest.length === 3 && third !== "count" && third !== "next")) return notFound();
    if (form === undefined) return notAllowed(at(suffix));
    if (rest.length === 2) return routed({ kind: "query", entity, form }, suffix);
    if (third === "count") return routed({ kind: "count", entity, form }, "/query/count");
    return routed({ kind: "next", entity, form }, "/query/next");
  }

  if (second === undefined || !ID.test(second)) return notFound();
  const id = Number(second);
  if (rest.length === 2) return verb === "GET" ? routed({ kind: "get", entity, id }, "/{id}") : notAllowed(at("/{id}"));

  if (entity === "Tickets" && third === "notes") {
    const note = (route: Route, suffix: string) => routedChild(route, suffix, "TicketNotes");
    if (rest.length === 3) {
      if (verb === "GET") return note({ kind: "noteList", ticketId: id }, "/{id}/Notes");
      if (verb === "POST") return note({ kind: "noteWrite", ticketId: id, mode: "create" }, "/{id}/Notes");
      if (verb === "PATCH") return note({ kind: "noteWrite", ticketId: id, mode: "patch" }, "/{id}/Notes");
      if (verb === "PUT") return note({ kind: "noteWrite", ticketId: id, mode: "put" }, "/{id}/Notes");
      return notAllowed(at("/{id}/Notes"));
    }
    if (rest.length === 4 && fourth !== undefined && ID.test(fourth)) {
      return verb === "GET"
        ? note({ kind: "noteGet", ticketId: id, noteId: Number(fourth) }, "/{id}/Notes/{noteId}")
        : notAllowed(at("/{id}/Notes/{noteId}"));
    }
  }
  // Another child collection Autotask has (TicketChecklistItems, CompanyLocations…): not simulated.
  if (third !== undefined) {
    const child = AUTOTASK_ENTITY_BY_SEGMENT.get(`${singular(entity)}${third}`) ?? AUTOTASK_ENTITY_BY_SEGMENT.get(`${entity.toLowerCase()}${third}`);
    if (child !== undefined) return done({ kind: "notSimulated", entity: child }, `/${entity}/{id}/${child}`, entity, child);
  }
  return notFound();
}

/** "Tickets" → "ticket": child entities are named after the singular parent (TicketChecklistItems). */
function singular(entity: string): string {
  const lower = entity.toLowerCase();
  if (lower.endsWith("ies")) return `${lower.slice(0, -3)}y`;
  return lower.endsWith("s") ? lower.slice(0, -1) : lower;
}
