/**
 * The Autotask client package: the contract (`AutotaskApi`), its one implementation (`AutotaskClient`),
 * the query builder, the error hierarchy, schemas and the picklist cache.
 */
export type { AutotaskApi, MetadataEntity, QueryableEntity, QueryPage, RequestOptions } from "./api.js";
export { type AutotaskClientOptions, type AutotaskCredentials, AutotaskClient, type ResponseEvent } from "./client.js";
export * from "./errors.js";
export { EndpointLimiter, endpointKey, endpointKeys, Semaphore } from "./limiter.js";
export { Picklist, PicklistCache, type PicklistCacheOptions, PicklistError } from "./picklists.js";
export * from "./query.js";
export * from "./retry.js";
export * from "./schemas.js";
export { DEFAULT_ZONE_LOOKUP_URL, isLoopbackHost, normalizeApiBaseUrl, ZoneResolver } from "./zone.js";
