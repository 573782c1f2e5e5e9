/**
 * The one place where a tool call becomes an MCP result.
 *
 * `callTool` checks read-only mode, maps alternative argument spellings (`ticketID` for `ticketId`),
 * validates the arguments with the tool's zod schema, runs the handler, and turns whatever it throws
 * into an `isError` result whose text a person or a model can act on. Handlers never build MCP
 * envelopes and never catch errors just to report them.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { z } from "zod";
import {
  AutotaskAuthenticationError,
  AutotaskError,
  AutotaskNetworkError,
  AutotaskRateLimitError,
  QueryValidationError,
} from "../autotask/errors.js";
import { PicklistError } from "../autotask/picklists.js";
import { ReadOnlyModeError, ServerConfigurationError, UserInputError } from "../errors.js";
import { type AnyToolDefinition, isWriteTool, type ToolContext } from "./define.js";

export interface CallOptions {
  readOnly: boolean;
}

export async function callTool(
  tool: AnyToolDefinition,
  rawArgs: unknown,
  ctx: ToolContext,
  options: CallOptions,
): Promise<CallToolResult> {
  try {
    if (options.readOnly && isWriteTool(tool)) throw new ReadOnlyModeError(tool.name);
    const args = parseArguments(tool, rawArgs);
    const result = await tool.handler(args, ctx);
    assertMatchesOutputSchema(tool, result.structured);
    return {
      content: [{ type: "text", text: result.text }, ...(result.images ?? []).map((image) => ({ type: "image" as const, ...image }))],
      structuredContent: result.structured as Record<string, unknown>,
    };
  } catch (error) {
    return { isError: true, content: [{ type: "text", text: formatError(error, tool.name, ctx.logger) }] };
  }
}

/**
 * Accepts any casing of a declared argument name (`ticketID`, `TicketId`), because existing Autotask
 * skills and plugins send several. An argument that matches nothing is refused rather than dropped:
 * silently ignoring a filter or a field is how earlier servers returned wrong data.
 */
export function normalizeArgumentNames(tool: AnyToolDefinition, rawArgs: unknown): Record<string, unknown> {
  if (rawArgs === undefined || rawArgs === null) return {};
  if (typeof rawArgs !== "object" || Array.isArray(rawArgs)) {
    throw new UserInputError(`Arguments for ${tool.name} must be a JSON object.`);
  }
  const declared = new Map(Object.keys(tool.inputSchema).map((key) => [key.toLowerCase(), key]));
  const normalized: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(rawArgs)) {
    const canonical = declared.get(key.toLowerCase());
    if (!canonical) {
      unknown.push(key);
      continue;
    }
    if (canonical in normalized && key !== canonical) {
      throw new UserInputError(`Argument "${canonical}" was given twice (as "${canonical}" and "${key}"). Send it once.`, canonical);
    }
    normalized[canonical] = value;
  }
  if (unknown.length > 0) {
    throw new UserInputError(
      `Unknown argument${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} for ${tool.name}. Accepted arguments: ${[...declared.values()].join(", ")}.`,
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
    schema = z.object(tool.outputSchema);
    outputSchemas.set(tool, schema);
  }
  const checked = schema.safeParse(structured);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.join(".") || "(result)"}: ${issue.message}`);
    throw new Error(`result does not match the tool's output schema (${problems.join("; ")})`);
  }
}

function parseArguments(tool: AnyToolDefinition, rawArgs: unknown): unknown {
  const normalized = normalizeArgumentNames(tool, rawArgs);
  let schema = inputSchemas.get(tool);
  if (!schema) {
    schema = z.object(tool.inputSchema);
    inputSchemas.set(tool, schema);
  }
  const parsed = schema.safeParse(normalized);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(describeIssue);
  throw new UserInputError(`Invalid arguments for ${tool.name}: ${problems.join("; ")}.`, String(parsed.error.issues[0]?.path[0] ?? ""));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join(".") : "(arguments)";
  if (issue.code === "invalid_type" && issue.input === undefined) return `${field} is required`;
  if (issue.code === "invalid_union") return `${field}: ${issue.message === "Invalid input" ? "has an unsupported type or value" : issue.message}`;
  return `${field}: ${issue.message}`;
}

/** Turns any thrown value into text for an `isError` result. Unknown errors are logged with their stack. */
export function formatError(error: unknown, toolName: string, logger: Logger): string {
  if (error instanceof UserInputError || error instanceof ReadOnlyModeError) return error.message;
  if (error instanceof PicklistError) return error.message;
  if (error instanceof QueryValidationError) return `Invalid search filter: ${error.message}`;
  if (error instanceof ServerConfigurationError) return `Server configuration problem: ${error.message}`;
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
    logger.warn({ tool: toolName, err: { message: error.message } }, "Autotask unreachable");
    return error.message;
  }
  if (error instanceof AutotaskError) {
    logger.info({ tool: toolName, status: error.status, path: error.path }, "Autotask refused a request");
    return error.message;
  }
  logger.error({ tool: toolName, err: error }, "Unexpected error in tool handler");
  const detail = error instanceof Error ? error.message : String(error);
  return `Unexpected error in ${toolName}: ${detail}. This is a bug in the server; the details are in its log.`;
}
