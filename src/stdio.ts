/**
 * The stdio lifecycle: serving MCP over stdin/stdout so that the process never goes deaf and never
 * drops an answer it could still give.
 *
 * - stdin ends (the client exited, a shell pipe closed): the calls already in flight run to the end,
 *   their answers are written, then the process exits 0. Nothing is aborted, so no call is left
 *   half-done and nothing is logged as an error.
 * - The transport closes by itself (the SDK closes it when one stdin line passes its 10 MB buffer), or
 *   stdin fails: one line on stderr saying why, then exit 1. Without this the process stays alive
 *   with stdin paused: running, and deaf.
 * - stdout fails (EPIPE: the reader is gone): one warning line; the remaining answers cannot be
 *   delivered: those being written are given up at once, and the calls still running are waited for (so
 *   that no write is left half-done) up to the drain limit.
 * - SIGINT/SIGTERM: close at once and exit 0 (a supervisor that signals wants the process gone); a second signal
 *   while closing exits 0 right after the held log lines are written (at most 1 s).
 *
 * Calls in flight are counted on the transport: a request with an id opens one, its response (or a
 * `notifications/cancelled` for it, after which the SDK sends none) closes it.
 *
 * @example
 *   await serveStdio(server, { logger, cleanup: () => client.close() });
 */
import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "./log.js";

/** What `serveStdio` needs of the MCP server (the SDK's `McpServer` and `Server` both fit). */
export interface ConnectableServer {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

export interface StdioLifecycleOptions {
  logger: Logger;
  /** Releases what the server holds besides the transport (HTTP agent, embedded sandbox). Errors are ignored. */
  cleanup?: () => Promise<void>;
  stdin?: Readable;
  stdout?: Writable;
  /** Ends the process; default `process.exit`. */
  exit?: (code: number) => void;
  /** Longest wait for calls in flight after stdin ends, in ms (default 150 s: above the client's 120 s deadline). */
  drainTimeoutMs?: number;
  /** Registers SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
  /**
   * Writes the log lines still held (src/log.ts, the deferred logger). Awaited first when the process ends, before
   * anything is closed, so that a slow cleanup or a second signal cannot lose them. Errors are ignored.
   */
  flushLogs?: () => Promise<unknown>;
}

/** Longest wait for the held log lines when a second signal asks the process to end now, in ms. */
const FLUSH_ON_REPEAT_SIGNAL_MS = 1_000;

type RequestId = string | number;

/**
 * Connects `server` to stdin/stdout and owns the process's end of life (see the module comment).
 * Resolves once the server is connected; the process then ends through `options.exit`.
 */
export async function serveStdio(server: ConnectableServer, options: StdioLifecycleOptions): Promise<void> {
  const { logger } = options;
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const drainTimeoutMs = options.drainTimeoutMs ?? 150_000;

  const transport = new TrackingTransport(new StdioServerTransport(stdin, stdout));
  let ending = false;
  let lastError: Error | undefined;

  const flushLogs = () => Promise.resolve(options.flushLogs?.()).catch(() => undefined);
  const finish = async (code: number) => {
    await flushLogs();
    await server.close().catch(() => undefined);
    await options.cleanup?.().catch(() => undefined);
    // Pipes to stdout are synchronous on POSIX, but an empty write with a callback makes sure of it everywhere.
    await new Promise<void>((resolve) => {
      if (stdout.writableEnded || stdout.destroyed) resolve();
      else stdout.write("", () => resolve());
    });
    exit(code);
  };

  const drainThenExit = async (reason: string) => {
    if (ending) return;
    ending = true;
    const pending = transport.inFlight;
    logger.info({ reason, inFlight: pending }, pending > 0 ? "finishing calls in flight, then exiting" : "exiting");
    const drained = await transport.whenIdle(drainTimeoutMs);
    if (!drained) logger.warn({ reason, inFlight: transport.inFlight, waitedMs: drainTimeoutMs }, "calls still in flight after the drain limit; exiting anyway");
    await finish(0);
  };

  transport.onTransportError = (error) => {
    lastError = error;
    // The SDK drops a stdin line that is not a JSON-RPC message (bad JSON, `params` not an object) and answers
    // nothing, so the client waits for its timeout: say why here. Capped: Node's JSON errors quote the line.
    logger.warn({ reason: error.message.replace(/\s+/g, " ").slice(0, 300) }, "dropped a stdin line that is not a valid JSON-RPC message");
  };
  transport.onTransportClose = () => {
    if (ending) return;
    ending = true;
    // Not asked for: the SDK closed the transport (an over-long line, a stdin failure). Staying alive would be deaf.
    logger.error(
      { reason: lastError?.message ?? "stdin closed the transport" },
      "stdio transport closed unexpectedly; exiting so the client can restart the server",
    );
    void finish(1);
  };

  stdin.once("end", () => void drainThenExit("stdin closed"));
  // The SDK only reports a stdin failure (onerror) and keeps the transport open: nothing more can arrive, so end here.
  stdin.once("error", (error: Error) => {
    lastError = error;
    transport.onTransportClose?.();
  });
  stdout.on("error", (error: Error & { code?: string }) => {
    if (transport.outputBroken) return;
    transport.breakOutput();
    logger.warn({ code: error.code }, "stdout failed: answers can no longer be delivered");
    void drainThenExit("stdout failed");
  });
  if (options.handleSignals ?? true) {
    const onSignal = (signal: string) => {
      if (ending) {
        // Asked again while ending: end now, once the held log lines are out (bounded), not by the default action,
        // which would kill the process before they are written.
        const limit = new Promise((resolve) => setTimeout(resolve, FLUSH_ON_REPEAT_SIGNAL_MS).unref());
        void Promise.race([flushLogs(), limit]).then(() => exit(0));
        return;
      }
      ending = true;
      logger.info({ reason: signal }, "shutting down");
      void finish(0);
    };
    process.on("SIGINT", () => onSignal("SIGINT"));
    process.on("SIGTERM", () => onSignal("SIGTERM"));
  }

  await server.connect(transport);
}

/**
 * The SDK's stdio transport with a count of the requests that have not been answered yet, and hooks
 * that see its errors and its closing before the MCP server does.
 */
export class TrackingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onTransportError?: (error: Error) => void;
  onTransportClose?: () => void;
  /** Set by `breakOutput` when stdout failed: a send then settles its request at once, writing nothing. */
  outputBroken = false;

  readonly #inner: Transport;
  readonly #open = new Set<RequestId>();
  /** Requests whose answer is being written (the SDK's send waits for `drain` when the pipe is full). */
  readonly #sending = new Set<RequestId>();
  #idleWaiters: Array<() => void> = [];

  constructor(inner: Transport) {
    this.#inner = inner;
    inner.onmessage = (message, extra) => {
      if (isRequest(message)) this.#open.add(message.id);
      else if (isCancellation(message)) this.#settle(message.params.requestId);
      this.onmessage?.(message, extra);
    };
    inner.onerror = (error) => {
      this.onTransportError?.(error);
      this.onerror?.(error);
    };
    inner.onclose = () => {
      this.onTransportClose?.();
      this.onclose?.();
    };
  }

  /** Requests received and not answered yet. */
  get inFlight(): number {
    return this.#open.size;
  }

  start(): Promise<void> {
    return this.#inner.start();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const answered = isResponse(message) ? message.id : undefined;
    if (answered !== undefined) this.#sending.add(answered);
    try {
      if (!this.outputBroken) await this.#inner.send(message, options);
    } finally {
      if (answered !== undefined) {
        this.#sending.delete(answered);
        this.#settle(answered);
      }
    }
  }

  /**
   * stdout failed: no answer can be delivered any more. Later sends write nothing, and the answers already being
   * written are given up at once: their sends wait for a `drain` that never comes, which would otherwise hold
   * the exit until the drain limit.
   */
  breakOutput(): void {
    this.outputBroken = true;
    for (const id of [...this.#sending]) this.#settle(id);
  }

  /** Resolves true once nothing is in flight, or false after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.#open.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref?.();
      this.#idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  #settle(id: RequestId): void {
    this.#open.delete(id);
    if (this.#open.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId; method: string } {
  return "method" in message && "id" in message && message.id !== undefined;
}

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } {
  return !("method" in message) && "id" in message && message.id !== undefined && message.id !== null;
}

function isCancellation(message: JSONRPCMessage): message is JSONRPCMessage & { params: { requestId: RequestId } } {
  if (!("method" in message) || message.method !== "notifications/cancelled" || "id" in message) return false;
  const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
  return typeof requestId === "string" || typeof requestId === "number";
}
