/**
 * A deliberately raw HTTP helper for the sandbox's contract tests (and for anyone poking at a running
 * sandbox): sends exactly the method, path, headers and body given, and returns status, headers and the
 * parsed JSON. No retries, no paging, no client logic, so tests see what the wire carries.
 */
import type { SandboxHandle } from "./index.js";

export interface RawResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests dig into arbitrary JSON
  json: any;
  text: string;
}

export interface RawRequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send without the three auth headers. */
  anonymous?: boolean;
  /** Aborts the request (a client-side timeout); the sandbox may still process it. */
  signal?: AbortSignal;
}

export function sandboxClient(sandbox: Pick<SandboxHandle, "apiUrl" | "credentials">) {
  const authHeaders = {
    ApiIntegrationCode: sandbox.credentials.integrationCode,
    UserName: sandbox.credentials.username,
    Secret: sandbox.credentials.secret,
  };
  const request = async (method: string, pathOrUrl: string, options: RawRequestOptions = {}): Promise<RawResponse> => {
    const url = /^https?:/.test(pathOrUrl) ? pathOrUrl : `${sandbox.apiUrl}${pathOrUrl}`;
    const headers: Record<string, string> = { ...(options.anonymous ? {} : authHeaders), ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["Content-Type"] = "application/json";
    }
    const response = await fetch(url, { method, headers, body, signal: options.signal });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  };
  return {
    request,
    get: (path: string, options?: RawRequestOptions) => request("GET", path, options),
    post: (path: string, body?: unknown, options?: RawRequestOptions) => request("POST", path, { ...options, body }),
    patch: (path: string, body?: unknown, options?: RawRequestOptions) => request("PATCH", path, { ...options, body }),
    put: (path: string, body?: unknown, options?: RawRequestOptions) => request("PUT", path, { ...options, body }),
    delete: (path: string, options?: RawRequestOptions) => request("DELETE", path, options),
    /** POST /{entity}/query with a filter; returns the items of the first page. */
    query: async (entity: string, filter: unknown[], extra: Record<string, unknown> = {}) => {
      const response = await request("POST", `${entity}/query`, { body: { filter, ...extra } });
      if (response.status !== 200) throw new Error(`query ${entity} failed: ${response.status} ${response.text}`);
      return response.json.items as Record<string, unknown>[];
    },
    count: async (entity: string, filter: unknown[]) => {
      const response = await request("POST", `${entity}/query/count`, { body: { filter } });
      if (response.status !== 200) throw new Error(`count ${entity} failed: ${response.status} ${response.text}`);
      return response.json.queryCount as number;
    },
  };
}

export type SandboxClient = ReturnType<typeof sandboxClient>;
