/**
 * The one place where a tool call becomes an MCP result.
 *
 * `callTool` finds the tool (an unknown name is refused here too), checks read-only mode, maps
 * alternative argument spellings (`ticketId`, `ticket_id` for `ticketID`), validates the arguments
 * with the tool's zod schema, runs the handler, and turns whatever it throws into an `isError`
 * result whose text a person or a model can act on. Handlers never build MCP envelopes and never
 * catch errors just to report them. Nothing else in the server builds an `isError` result.
 *
 * Logging weight: a validation refusal from Autotask (its `{"errors":[…]}` 500s) and other 4xx at
 * warn; an outage, an unreachable Autotask or an unexpected 5xx at error; a bug in the server at
 * error with a correlation id that the model also sees (never the raw exception text).
 */
import { randomUUID } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../log.js";
import { z } from "zod";
import {
  AutotaskAuthenticationError,
  AutotaskError,
  AutotaskNetworkError,
  AutotaskRateLimitError,
  AutotaskServerError,
  AutotaskValidationError,
  IdempotencyConflictError,
  PicklistError,
  QueryValidationError,
  ReadOnlyModeError,
  ServerConfigurationError,
  UserInputError,
  WriteOutcomeUnknownError,
  AfterWriteError,
} from "../desk/errors.js";
import { type AnyToolDefinition, isWriteTool, type ToolContext } from "./define.js";
import { oneLine } from "./format/text.js";
import { UNTRUSTED_JSON_NOTICE, UNTRUSTED_OPEN } from "./format/untrusted-text.js";

export interface CallOptions {
  readOnly: boolean;
  /** Why writes are off, for the message: the server's AUTOTASK_READ_ONLY (default) or the caller's read-only token. */
  readOnlyBy?: "server" | "token";
  /** Tool names offered, for the message about an unknown tool. */
  available: readonly string[];
}

/**
 * Runs one `tools/call`.
 * @param tool the registered tool, or undefined when `name` is not one (answered as an error result)
 */
export async function callTool(
  tool: AnyToolDefinition | undefined,
  name: string,
  rawArgs: unknown,
  ctx: ToolContext,
  options: CallOptions,
): Promise<CallToolResult> {
  try {
    // An unknown name is echoed on one line and capped: it is the caller's text, of any length.
    if (!tool) throw new UserInputError(`Unknown tool "${oneLine(name, 80)}". Available: ${options.available.join(", ")}.`);
    if (options.readOnly && isWriteTool(tool)) throw new ReadOnlyModeError(tool.name, options.readOnlyBy);
    const args = parseArguments(tool, rawArgs);
    const result = await tool.handler(args, ctx);
    // A list tool declares no output schema and answers in text only (rows sent once).
    if (!tool.outputSchema) return { content: [{ type: "text", text: result.text }] };
    assertMatchesOutputSchema(tool, result.structured);
    const structured = result.structured as Record<string, unknown>;
    return {
      content: [{ type: "text", text: result.text }, ...(result.images ?? []).map((image) => ({ type: "image" as const, ...image }))],
      // Some hosts give the model the structured content instead of the text, where text written by
      // clients is plain JSON strings with no <<<…>>> block: the warning travels with it.
      structuredContent: result.text.includes(UNTRUSTED_OPEN) ? { ...structured, untrustedText: UNTRUSTED_JSON_NOTICE } : structured,
    };
  } catch (error) {
    return { isError: true, content: [{ type: "text", text: formatError(error, tool?.name ?? oneLine(name, 80), ctx.logger) }] };
  }
}

/** `ticketID`, `ticketId`, `ticket_id`, `Ticket-ID` all fold to `ticketid`. */
function foldName(name: string): string {
  return name.replace(/[_\-\s]/g, "").toLowerCase();
}

/**
 * Maps every accepted spelling to the declared name: any casing, snake_case or kebab-case of it
 * (`ticketId`, `ticket_id` for `ticketID`), plus the tool's explicit `aliases`, because existing
 * Autotask skills and plugins send several. An argument given twice under two spellings is refused
 * whichever comes first; one that matches nothing is refused rather than dropped: silently ignoring
 * a filter or a field is how earlier servers returned wrong data.
 */
export function normalizeArgumentNames(tool: AnyToolDefinition, rawArgs: unknown): Record<string, unknown> {
  if (rawArgs === undefined || rawArgs === null) return {};
  if (typeof rawArgs !== "object" || Array.isArray(rawArgs)) {
    throw new UserInputError(`Arguments for ${tool.name} must be a JSON object.`);
  }
  const declared = new Map(Object.keys(tool.inputSchema).map((key) => [foldName(key), key]));
  for (const [alias, target] of Object.entries(tool.aliases ?? {})) {
    if (!declared.has(foldName(alias))) declared.set(foldName(alias), target);
  }
  const normalized: Record<string, unknown> = {};
  const spelledAs = new Map<string, string>();
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(rawArgs)) {
    const canonical = declared.get(foldName(key));
    if (!canonical) {
      unknown.push(key);
      continue;
    }
    const earlier = spelledAs.get(canonical);
    if (earlier !== undefined) {
      throw new UserInputError(`Argument "${canonical}" was given twice (as "${earlier}" and "${key}"). Send it once.`, canonical);
    }
    spelledAs.set(canonical, key);
    normalized[canonical] = value;
  }
  if (unknown.length > 0) {
    throw new UserInputError(
      `Unknown argument${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} for ${tool.name}. Accepted arguments: ${Object.keys(tool.inputSchema).join(", ")}.`,
      unknown[0],
    );
  }
  return normalized;
}

/** One compiled schema per tool and direction: building a zod object per call costs more than the parse. */
const inputSchemas = new WeakMap<AnyToolDefinition, z.ZodObject<z.ZodRawShape>>();
const outputSchemas = new WeakMap<AnyToolDefinition, z.ZodObject<z.ZodRawShape>>();

/**
 * Clients validate `structuredContent` against the listed output schema and reject the whole result
 * when it does not match, so a mismatch is caught here, where it can be reported as the bug it is.
 */
function assertMatchesOutputSchema(tool: AnyToolDefinition, structured: unknown): void {
  let schema = outputSchemas.get(tool);
  if (!schema) {
    schema = z.object(tool.outputSchema ?? {});
    outputSchemas.set(tool, schema);
  }
  const checked = schema.safeParse(structured);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.join(".") || "(result)"}: ${issue.message}`);
    throw new Error(`result does not match the tool's output schema (${problems.join("; ")})`);
  }
}

function parseArguments(tool: AnyToolDefinition, rawArgs: unknown): unknown {
  // Unknown top-level names first (an own `__proto__` is one of them), then prototype keys nested in known ones.
  const normalized = normalizeArgumentNames(tool, rawArgs);
  refusePrototypeKeys(normalized);
  let schema = inputSchemas.get(tool);
  if (!schema) {
    schema = z.object(tool.inputSchema);
    inputSchemas.set(tool, schema);
  }
  const parsed = schema.safeParse(normalized);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => describeIssue(issue, valueAt(normalized, issue.path)));
  throw new UserInputError(`Invalid arguments for ${tool.name}: ${problems.join("; ")}.`, String(parsed.error.issues[0]?.path[0] ?? ""));
}

/** The value the caller sent at `path` (zod does not report inputs unless asked), or `undefined` when absent. */
function valueAt(args: Record<string, unknown>, path: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let value: unknown = args;
  for (const key of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key as string)) return { present: false, value: undefined };
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value };
}

/** Where a caller finds the id an argument takes, by argument name. */
// A Map, not an object literal: the key is the caller's own (a user-defined field may be called
// "constructor"), and an object would answer it from Object.prototype.
const ID_SOURCES: ReadonlyMap<string, string> = new Map([
  ["ticketID", "the ticket's numeric id: autotask_search_tickets finds it by number or words"],
  ["companyID", "a numeric company id: autotask_search_companies finds it by name"],
  ["assignedResourceID", "a numeric resource id: autotask_search_resources finds it by name"],
  ["resourceID", "a numeric resource id: autotask_search_resources finds it by name"],
  ["assignedResourceRoleID", "a numeric role id: autotask_search_resources lists each resource's roles"],
  ["contactID", "a numeric contact id (a ticket's contact is shown by autotask_get_ticket_details)"],
]);

function shownValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/**
 * One problem in words a model can act on: what was wrong with what was given, and what to pass
 * instead (for ids: which tool finds them). zod's own "Invalid input: expected number, received
 * string" hides the value, and without the input every type error used to read "X is required".
 */
function describeIssue(issue: z.core.$ZodIssue, given: { present: boolean; value: unknown }): string {
  const field = issue.path.length > 0 ? issue.path.join(".") : "(arguments)";
  const name = String(issue.path.at(-1) ?? "");
  if (!given.present && (issue.code === "invalid_type" || issue.code === "invalid_union")) return `${field} is required`;
  const value = given.value;
  if (issue.code === "invalid_type" || issue.code === "invalid_union") {
    // Only a top-level argument names an id; a nested key (userDefinedFields.companyID) is the caller's.
    const source = issue.path.length === 1 ? ID_SOURCES.get(name) : undefined;
    if (value === null) {
      return `${field} was null, which is not accepted here; leave ${field} out${source ? ` or pass ${source}` : ""}`;
    }
    const expected = issue.code === "invalid_type" ? issue.expected : undefined;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) && (expected === "number" || source)) {
      return `${field} was ${shownValue(value)}; pass it as a JSON number (${Number(value)}), without quotes`;
    }
    if (source) return `${field} was ${shownValue(value)}; pass ${source}`;
    if (expected) return `${field} was ${shownValue(value)}; pass a ${expected}`;
    return `${field} was ${shownValue(value)}, which is not an accepted type or value`;
  }
  // Strings are trimmed first, so "   " fails as too short: say what was wrong in words.
  if (issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1) return `${field} must not be empty or blank`;
  return `${field}: ${issue.message}`;
}

/**
 * Turns any thrown value into text for an `isError` result, logging it at its weight. An unexpected
 * error reaches the caller as a short message with a correlation id; the log has the same id and
 * the stack.
 */
export function formatError(error: unknown, toolName: string, logger: Logger): string {
  if (error instanceof UserInputError || error instanceof ReadOnlyModeError) return error.message;
  if (error instanceof PicklistError || error instanceof IdempotencyConflictError) return error.message;
  if (error instanceof WriteOutcomeUnknownError) {
    logger.warn({ tool: toolName }, "write outcome unknown");
    return error.message;
  }
  if (error instanceof AfterWriteError) {
    logger.warn({ tool: toolName, err: { message: error.message } }, "write saved, a later step failed");
    return error.message;
  }
  if (error instanceof QueryValidationError) return `Invalid search filter: ${error.message}`;
  if (error instanceof ServerConfigurationError) {
    logger.error({ tool: toolName, err: { message: error.message } }, "server configuration problem");
    return `Server configuration problem: ${error.message}`;
  }
  if (error instanceof AutotaskRateLimitError) {
    const wait = error.retryAfterMs !== undefined ? ` Retry in about ${Math.max(1, Math.ceil(error.retryAfterMs / 1000))} s.` : " Retry in a minute.";
    logger.warn({ tool: toolName, status: error.status }, "Autotask rate limit reached");
    return `${error.message}${error.message.includes("Retry in") ? "" : wait}`;
  }
  if (error instanceof AutotaskAuthenticationError) {
    logger.error({ tool: toolName, status: error.status }, "Autotask authentication failed");
    return error.message;
  }
  if (error instanceof AutotaskNetworkError) {
    logger.error({ tool: toolName, path: error.path, err: { message: error.message } }, "Autotask unreachable");
    return error.message;
  }
  if (error instanceof AutotaskValidationError) {
    logger.warn({ tool: toolName, status: error.status, path: error.path, errors: error.autotaskErrors }, "Autotask refused the request (validation)");
    return error.message;
  }
  if (error instanceof AutotaskServerError) {
    logger.error({ tool: toolName, status: error.status, path: error.path }, "Autotask failed (outage or unexpected 5xx)");
    return error.message;
  }
  if (error instanceof AutotaskError) {
    const level = error.status !== undefined && error.status >= 500 ? "error" : "warn";
    logger[level]({ tool: toolName, status: error.status, path: error.path }, "Autotask refused a request");
    return error.message;
  }
  const correlationId = randomUUID().slice(0, 8);
  logger.error({ tool: toolName, correlationId, err: error }, "Unexpected error in tool handler");
  return `Unexpected error in ${toolName} (correlation id ${correlationId}). This is a bug in the server; its log has the details under that id.`;
}

// ---- Prototype keys ---------------------------------------------------------------------------------

// The `tools/call` request schema keeping `arguments` as received lives in src/mcp/call-request.ts, which the
// server imports at start-up without loading this module (issue 13).
export { CallToolRequestKeepingArguments } from "../mcp/call-request.js";

const PROTOTYPE_KEY = "__proto__";
/** Deeper than any tool's arguments; junk nested further is refused by the schemas anyway. */
const PROTOTYPE_SCAN_DEPTH = 32;

/**
 * Refuses an own `__proto__` key anywhere in the arguments (top level, `userDefinedFields`, ...).
 * Parsing copies objects with plain assignment, where `__proto__` does not create a key but is dropped
 * or replaces the prototype: a value the caller sent would vanish silently. Throws UserInputError
 * naming the key's path, like any other unknown argument.
 */
export function refusePrototypeKeys(value: unknown, path: string[] = [], depth = 0): void {
  if (value === null || typeof value !== "object" || depth > PROTOTYPE_SCAN_DEPTH) return;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) refusePrototypeKeys(item, [...path, String(index)], depth + 1);
    return;
  }
  if (Object.hasOwn(value, PROTOTYPE_KEY)) {
    const where = [...path, PROTOTYPE_KEY].join(".");
    throw new UserInputError(
      path.length === 0
        ? `Unknown argument "${PROTOTYPE_KEY}": it is not an argument of any tool and is refused rather than ignored.`
        : `Argument "${where}" is refused: "${PROTOTYPE_KEY}" cannot be used as a key.`,
      path[0] ?? PROTOTYPE_KEY,
    );
  }
  for (const [key, item] of Object.entries(value)) refusePrototypeKeys(item, [...path, key], depth + 1);
}
