/**
 * Audit trail of every write made through the HTTP transport: who (technician), what (tool), which
 * ticket, when, and how it ended. Read from the JSON-RPC traffic of one request, so it needs nothing from
 * the tools themselves.
 */
import { appendFile } from "node:fs/promises";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../log.js";
import type { TokenCaller } from "./tokens.js";

export interface AuditEntry {
  /** ISO 8601, UTC. */
  time: string;
  technician: string;
  resourceId?: number;
  tool: string;
  ticketId?: number;
  outcome: "ok" | "error" | "cancelled";
  /** The first line of the error text, for outcome "error". */
  error?: string;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
}

/** Writes entries to the logger (msg "audit") and, when a path is given, appends them as JSON lines. */
export function createAuditLog(logger: Logger, path?: string): AuditLog {
  let queue: Promise<void> = Promise.resolve();
  return {
    record(entry) {
      logger.info({ audit: entry }, "audit");
      if (path) {
        queue = queue
          .then(() => appendFile(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 }))
          .catch((error: unknown) => logger.error({ err: { message: (error as Error).message } }, "could not append to the audit log"));
      }
    },
  };
}

/** Hooks `transport.send` to record the outcome of every write-tool call among `messages`. */
export function auditWrites(
  transport: Transport,
  messages: JSONRPCMessage[],
  caller: TokenCaller,
  options: { audit: AuditLog; isWriteTool(name: string): boolean },
): void {
  const writes = new Map<string, { tool: string; args: Record<string, unknown> }>();
  for (const message of messages) {
    if (!("method" in message) || message.method !== "tools/call" || !("id" in message)) continue;
    const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown };
    if (typeof params.name !== "string" || !options.isWriteTool(params.name)) continue;
    writes.set(String(message.id), { tool: params.name, args: (params.arguments ?? {}) as Record<string, unknown> });
  }
  if (writes.size === 0) return;
  const base = (tool: string) => ({
    time: new Date().toISOString(),
    technician: caller.technician,
    ...(caller.impersonationResourceId !== undefined ? { resourceId: caller.impersonationResourceId } : {}),
    tool,
  });
  const send = transport.send.bind(transport);
  transport.send = async (message, sendOptions) => {
    const id = "id" in message ? String(message.id) : undefined;
    const write = id === undefined ? undefined : writes.get(id);
    if (write && id !== undefined && ("result" in message || "error" in message)) {
      writes.delete(id);
      const result = ("result" in message ? message.result : undefined) as
        | { isError?: boolean; structuredContent?: Record<string, unknown>; content?: Array<{ type: string; text?: string }> }
        | undefined;
      const entry: AuditEntry = { ...base(write.tool), outcome: result && !result.isError ? "ok" : "error" };
      const ticketId = ticketIdOf(write.args, result?.structuredContent);
      if (ticketId !== undefined) entry.ticketId = ticketId;
      if (entry.outcome === "error") {
        const text = "error" in message ? message.error.message : (result?.content?.find((c) => c.type === "text")?.text ?? "");
        entry.error = text.split("\n")[0]?.slice(0, 300);
      }
      options.audit.record(entry);
    }
    return send(message, sendOptions);
  };
  const onClose = transport.onclose;
  transport.onclose = () => {
    for (const write of writes.values()) options.audit.record({ ...base(write.tool), outcome: "cancelled", ...ticketField(write.args) });
    writes.clear();
    onClose?.();
  };
}

function ticketField(args: Record<string, unknown>): { ticketId?: number } {
  const id = ticketIdOf(args, undefined);
  return id === undefined ? {} : { ticketId: id };
}

function ticketIdOf(args: Record<string, unknown>, structured: Record<string, unknown> | undefined): number | undefined {
  const candidates = [args.ticketId, args.ticketID, (structured?.ticket as { id?: unknown } | undefined)?.id, structured?.ticketId];
  for (const candidate of candidates) {
    const id = typeof candidate === "string" ? Number(candidate) : candidate;
    if (typeof id === "number" && Number.isSafeInteger(id) && id > 0) return id;
  }
  return undefined;
}
