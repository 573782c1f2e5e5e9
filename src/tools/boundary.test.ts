/**
 * The boundary: the one place results become `isError`. Argument spellings (aliases, duplicates
 * under two spellings whatever the order), unknown tools, and the log level each failure gets.
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorFromResponse } from "../autotask/errors.js";
import type { Desk } from "../desk/index.js";
import { callTool, formatError, normalizeArgumentNames } from "./boundary.js";
import { type AnyToolDefinition, defineTool } from "./define.js";

const echo = defineTool({
  name: "autotask_echo",
  title: "Echo",
  description: "Test tool.",
  inputSchema: { ticketID: z.number().int(), searchTerm: z.string().optional() },
  outputSchema: { ticketID: z.number() },
  aliases: { query: "searchTerm" },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args) {
    return { structured: { ticketID: args.ticketID }, text: `ticket ${args.ticketID}` };
  },
}) as unknown as AnyToolDefinition;

/** A logger that records level and message of every line. */
function recordingLogger() {
  const lines: Array<{ level: string; msg: string; correlationId?: string }> = [];
  const logger = pino(
    { level: "debug" },
    {
      write(chunk: string) {
        const line = JSON.parse(chunk) as { level: number; msg: string; correlationId?: string };
        lines.push({ level: pino.levels.labels[line.level] ?? String(line.level), msg: line.msg, correlationId: line.correlationId });
      },
    },
  );
  return { logger, lines };
}

describe("normalizeArgumentNames", () => {
  it("accepts other casings, snake_case and declared aliases, listing only the declared names", () => {
    expect(normalizeArgumentNames(echo, { ticketId: 1, query: "vpn" })).toEqual({ ticketID: 1, searchTerm: "vpn" });
    expect(normalizeArgumentNames(echo, { ticket_id: 1, search_term: "vpn" })).toEqual({ ticketID: 1, searchTerm: "vpn" });
  });

  it("refuses one argument under two spellings, whichever comes first", () => {
    expect(() => normalizeArgumentNames(echo, { ticketID: 1, ticketId: 2 })).toThrow(/given twice/);
    expect(() => normalizeArgumentNames(echo, { ticketId: 2, ticketID: 1 })).toThrow(/given twice/);
    expect(() => normalizeArgumentNames(echo, { query: "a", searchTerm: "b" })).toThrow(/given twice/);
  });

  it("refuses an unknown argument with the accepted ones", () => {
    expect(() => normalizeArgumentNames(echo, { colour: "red" })).toThrow(/Unknown argument "colour".*ticketID, searchTerm/);
  });
});

describe("callTool", () => {
  const ctx = (logger = pino({ level: "silent" })) => ({ desk: {} as Desk, logger });

  it("answers an unknown tool as an error result listing the available tools", async () => {
    const result = await callTool(undefined, "autotask_nope", {}, ctx(), { readOnly: false, available: ["autotask_echo"] });
    expect(result).toEqual({ isError: true, content: [{ type: "text", text: 'Unknown tool "autotask_nope". Available: autotask_echo.' }] });
  });

  it("runs the handler and returns text and structured content", async () => {
    const result = await callTool(echo, echo.name, { ticketId: 5 }, ctx(), { readOnly: false, available: [] });
    expect(result).toEqual({ content: [{ type: "text", text: "ticket 5" }], structuredContent: { ticketID: 5 } });
  });

  it("reports an unexpected error with a correlation id that is also logged, not the exception text", async () => {
    const { logger, lines } = recordingLogger();
    const broken = { ...echo, handler: async () => Promise.reject(new Error("secret internals at line 42")) };
    const result = await callTool(broken, broken.name, { ticketID: 1 }, ctx(logger), { readOnly: false, available: [] });
    const text = (result.content[0] as { text: string }).text;
    expect(result.isError).toBe(true);
    expect(text).not.toMatch(/secret internals/);
    const id = /correlation id ([0-9a-f]{8})/.exec(text)?.[1];
    expect(id).toBeDefined();
    expect(lines).toContainEqual({ level: "error", msg: "Unexpected error in tool handler", correlationId: id });
  });
});

describe("formatError log levels", () => {
  const where = { method: "POST", path: "/Tickets" };
  it("logs a validation refusal at warn and an outage at error, passing Autotask's words on", () => {
    const { logger, lines } = recordingLogger();
    // Autotask's validation refusals are HTTP 500 with {"errors":[...]} (reference: autotask-api.md).
    const validation = errorFromResponse({ ...where, status: 500, autotaskErrors: ["queueID is required"] });
    const outage = errorFromResponse({ ...where, status: 503, autotaskErrors: [] });
    expect(formatError(validation, "autotask_create_ticket", logger)).toMatch(/queueID is required/);
    formatError(outage, "autotask_create_ticket", logger);
    expect(lines.map((line) => line.level)).toEqual(["warn", "error"]);
  });
});
