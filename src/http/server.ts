/**
 * The Streamable HTTP transport: `POST /mcp` with the SDK's `StreamableHTTPServerTransport` in
 * stateless mode, plus `GET /healthz` and `GET /readyz`.
 *
 * Stateless: every POST gets a fresh MCP server from `createMcpServer(caller)` (cheap: everything
 * expensive lives in the process-wide parts the factory closes over: the Autotask client with its
 * limiter, the metadata cache, the write ledger), so any replica can answer any request and replicas
 * need no sticky sessions. Responses stream as SSE, so progress notifications reach the client while a
 * tool runs. Cancellation: a client that drops the response stream aborts the tool call; a
 * `notifications/cancelled` (which arrives as its own POST, possibly at another replica) aborts the
 * matching call. To tell apart two clients of one token whose JSON-RPC ids coincide, the answer to
 * `initialize` carries an `Mcp-Session-Id` that clients send back on every request. It is only a
 * correlation id: no session state exists, and any replica serves any request.
 *
 * Order of checks per request, before any MCP message is read: Host and Origin (DNS-rebinding
 * protection) -> bearer token (401) -> method -> body size -> JSON. Nothing reaches a tool, or Autotask,
 * unless all of them pass.
 */
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../log.js";
import { callerContext } from "../autotask/shared-limits.js";
import { type AuditLog, auditWrites } from "./audit.js";
import type { TokenCaller, TokenRegistry } from "./tokens.js";

export interface HttpServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** A fresh MCP server for one request of `caller` (read-only tokens get a read-only server). */
  createMcpServer(caller: TokenCaller): McpServer;
  tokens: TokenRegistry;
  logger: Logger;
  audit: AuditLog;
  /** Whether a tool writes to Autotask (audited). */
  isWriteTool(name: string): boolean;
  /** Readiness beyond "process up" (Redis reachable). */
  ready?: () => Promise<boolean>;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Extra Host header values accepted (e.g. "mcp.example.com"); the bind address and localhost always are. */
  allowedHosts?: string[];
  /** Origins accepted from browsers; requests without Origin (non-browser clients) are accepted. */
  allowedOrigins?: string[];
  /** Carries cancellations to the replica running the call (Redis pub/sub); default: this process only. */
  cancellations?: CancellationBus;
}

/** Delivers a cancellation key to every replica. */
export interface CancellationBus {
  publish(key: string): Promise<void>;
  subscribe(onCancel: (key: string) => void): Promise<void>;
}

export interface HttpServerHandle {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export const MCP_PATH = "/mcp";
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts listening; resolves once the port is bound. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const host = options.host ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Tool calls in flight per token and JSON-RPC id, for notifications/cancelled that arrive as their own POST.
  const inFlight = new Map<string, () => void>();
  let allowedHosts: Set<string> = new Set();

  const server = createHttpServer((req, res) => {
    const started = performance.now();
    let technician: string | undefined;
    res.on("finish", () => {
      // Access log: never the Authorization header, never the body.
      options.logger.info(
        {
          method: req.method,
          path: (req.url ?? "").split("?")[0],
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
          technician,
          remote: req.socket.remoteAddress,
        },
        "http request",
      );
    });
    handle(req, res, (name) => {
      technician = name;
    }).catch((error: unknown) => {
      if (error instanceof HttpRefusal) return sendJsonError(res, error.status, error.message);
      options.logger.error({ err: error }, "HTTP request failed");
      sendJsonError(res, 500, "Internal server error.");
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, identify: (technician: string) => void): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (req.method === "GET" && path === "/readyz") {
      const ready = await (options.ready?.() ?? Promise.resolve(true)).catch(() => false);
      return sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready" });
    }
    if (path !== MCP_PATH) throw new HttpRefusal(404, `Not found. The MCP endpoint is ${MCP_PATH}.`);

    checkHostAndOrigin(req);
    const caller = options.tokens.authenticate(headerOf(req, "authorization"));
    if (!caller) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="autotask-tickets-mcp"');
      throw new HttpRefusal(401, "A valid bearer token is required.");
    }
    identify(caller.technician);
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      throw new HttpRefusal(405, "This server is stateless: send JSON-RPC with POST; there is no standalone GET stream or session to DELETE.");
    }
    const body = await readJsonBody(req, maxBodyBytes);
    const messages = (Array.isArray(body) ? body : [body]) as JSONRPCMessage[];
    let session = headerOf(req, "mcp-session-id") ?? "";
    if (!session && messages.some((m) => "method" in m && m.method === "initialize")) {
      session = randomUUID();
      res.setHeader("Mcp-Session-Id", session);
    }
    const keyOf = (requestId: unknown) => `${caller.id}\u0000${session}\u0000${String(requestId)}`;
    for (const message of messages) {
      if ("method" in message && message.method === "notifications/cancelled" && !("id" in message)) {
        const key = keyOf((message.params as { requestId?: unknown } | undefined)?.requestId);
        const cancel = inFlight.get(key);
        if (cancel) cancel();
        else await options.cancellations?.publish(key).catch((error: unknown) => options.logger.warn({ err: error }, "could not pass a cancellation on"));
      }
    }

    const mcp = options.createMcpServer(caller);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      // The SDK's own DNS-rebinding check too, behind ours.
      enableDnsRebindingProtection: true,
      allowedHosts: [...allowedHosts],
      ...(options.allowedOrigins?.length ? { allowedOrigins: options.allowedOrigins } : {}),
    });
    auditWrites(transport, messages, caller, options);
    const keys = messages.filter((m) => "id" in m && "method" in m).map((m) => keyOf((m as { id: unknown }).id));
    const closeAll = () => {
      for (const key of keys) inFlight.delete(key);
      // Closing the server aborts its running handlers' signals (the SDK's Protocol does that on close).
      void transport.close().catch(() => undefined);
      void mcp.close().catch(() => undefined);
    };
    for (const key of keys) inFlight.set(key, closeAll);
    res.on("close", closeAll);
    await mcp.connect(transport);
    await callerContext.run(caller, () => transport.handleRequest(req, res, body));
  }

  function checkHostAndOrigin(req: IncomingMessage): void {
    const hostHeader = headerOf(req, "host");
    if (!hostHeader || !allowedHosts.has(hostHeader.toLowerCase())) throw new HttpRefusal(403, "Host not allowed.");
    const origin = headerOf(req, "origin");
    if (origin !== undefined && !(options.allowedOrigins ?? []).includes(origin)) throw new HttpRefusal(403, "Origin not allowed.");
  }

  await options.cancellations?.subscribe((key) => inFlight.get(key)?.());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const names = new Set(["127.0.0.1", "localhost", "[::1]", host.includes(":") ? `[${host}]` : host, ...(options.allowedHosts ?? [])]);
  allowedHosts = new Set([...names].flatMap((name) => [name.toLowerCase(), `${name.toLowerCase()}:${port}`]));
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}${MCP_PATH}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw new HttpRefusal(413, `Request body larger than ${maxBytes} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.destroy();
      throw new HttpRefusal(413, `Request body larger than ${maxBytes} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpRefusal(400, "The request body is not JSON.");
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

/** Refusals as JSON-RPC errors (id null), the shape MCP clients can show. */
function sendJsonError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.end();
  sendJson(res, status, { jsonrpc: "2.0", error: { code: -32000, message }, id: null });
}
