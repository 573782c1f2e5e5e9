/**
 * Finding the API base URL of the tenant's zone (webservicesN.autotask.net).
 *
 * When AUTOTASK_API_URL is not set, the client asks Autotask's zoneInformation endpoint once, lazily
 * (on the first request, never at start-up), and caches the answer. Concurrent first requests share one
 * lookup; a failed lookup is not cached, and its message says to set AUTOTASK_API_URL.
 */
import { AutotaskConfigurationError, AutotaskError } from "./errors.js";
import { abandonOnAbort } from "./signals.js";

export const DEFAULT_ZONE_LOOKUP_URL = "https://webservices.autotask.net/ATServicesRest/V1.0/zoneInformation";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Normalises a zone URL to the form every request is built on, ending in `/ATServicesRest/V1.0/`.
 * Accepts it with or without trailing slash and with or without `V1.0` (any casing). Requires https
 * unless the host is loopback (the local sandbox). Throws `TypeError` with a readable message.
 */
export function normalizeApiBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new TypeError("is not a valid URL (expected e.g. https://webservices5.autotask.net/ATServicesRest/)");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new TypeError("must use https (plain http is allowed only for a loopback host)");
  }
  if (url.username || url.password) throw new TypeError("must not contain credentials");
  let path = url.pathname.replace(/\/+$/, "");
  if (/\/v1\.0$/i.test(path)) path = path.replace(/\/v1\.0$/i, "");
  if (!/\/atservicesrest$/i.test(path)) {
    if (path === "") path = "/ATServicesRest";
    else throw new TypeError("must point at the ATServicesRest API, e.g. https://webservices5.autotask.net/ATServicesRest/");
  }
  return `${url.origin}${path}/V1.0/`;
}

/** Looks up the zone for a user: returns the raw `url` field of the zoneInformation answer. */
export type ZoneLookup = () => Promise<string>;

/** Caches the result of one successful zone lookup; concurrent callers share the one in flight. */
export class ZoneResolver {
  #resolved: string | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(private readonly lookup: ZoneLookup) {}

  /** The normalised API base URL. The caller's signal abandons the wait, not the shared lookup. */
  resolve(signal?: AbortSignal): Promise<string> {
    if (this.#resolved !== undefined) return Promise.resolve(this.#resolved);
    if (!this.#inFlight) {
      this.#inFlight = this.#load().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return signal ? abandonOnAbort(this.#inFlight, signal) : this.#inFlight;
  }

  async #load(): Promise<string> {
    let raw: string;
    try {
      raw = await this.lookup();
    } catch (error) {
      if (error instanceof AutotaskConfigurationError) throw error;
      const reason = error instanceof AutotaskError ? error.autotaskErrors.join("; ") || error.message : String(error);
      throw new AutotaskConfigurationError(`Could not determine the Autotask zone for this API user (${reason}).`, {
        method: "GET",
        path: "/zoneInformation",
        status: error instanceof AutotaskError ? error.status : undefined,
        autotaskErrors: error instanceof AutotaskError ? error.autotaskErrors : [],
        hint: "Check AUTOTASK_USERNAME (the lookup uses it), or set AUTOTASK_API_URL to your zone's base URL, e.g. https://webservices5.autotask.net/ATServicesRest/.",
        cause: error,
      });
    }
    let base: string;
    try {
      base = normalizeApiBaseUrl(raw);
    } catch (error) {
      throw new AutotaskConfigurationError(`The zone URL Autotask returned ${(error as Error).message}.`, {
        method: "GET",
        path: "/zoneInformation",
      });
    }
    this.#resolved = base;
    return base;
  }
}
