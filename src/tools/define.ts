/**
 * The typed helper every tool is defined through, and the context handlers receive.
 *
 * A tool file default-exports `defineTool({...})`. The helper only returns its argument; it exists so
 * that the handler's `args` type is inferred from the zod input shape and its result is checked
 * against the output shape. Annotations are all required: an unset hint is a silent gap.
 */
import type { Logger } from "../log.js";
import type { z } from "zod";
import type { Desk, ProgressListener } from "../desk/index.js";

export interface RequiredToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * Everything a handler may use: the process's desk (shared by every session), a logger, and the
 * call's cancellation signal. There is no Autotask client here: tools reach Autotask through the desk.
 */
export interface ToolContext {
  desk: Desk;
  logger: Logger;
  signal?: AbortSignal;
  /** Reports progress to the client; set per call when the request carried an MCP progressToken. */
  progress?: ProgressListener;
}

/**
 * What a handler returns: the structured result (validated against the output schema) and its text
 * rendering. A list tool declares no output schema and returns text only (see CONTRIBUTING.md's
 * response contract: rows are sent once).
 */
export interface ToolResult<Structured> {
  structured?: Structured;
  text: string;
  /** Images added after the text as MCP image content (base64), e.g. the metrics chart. */
  images?: Array<{ data: string; mimeType: "image/png" }>;
}

export interface ToolDefinition<In extends z.ZodRawShape, Out extends z.ZodRawShape = Record<never, never>> {
  name: `autotask_${string}`;
  title: string;
  /** When to use the tool and when not; under 1,024 characters. */
  description: string;
  /**
   * Argument names as `tools/list` shows them: Autotask's spelling for Autotask fields (`ticketID`,
   * `companyID`, `queueID`…), camelCase for the rest. Other casings and snake_case are accepted at
   * call time without being listed (see `normalizeArgumentNames`).
   */
  inputSchema: In;
  /**
   * Single-record tools declare one and return `structured`; list tools (rows) declare none and
   * return text only, so the rows cross the wire once (bench/README.md, "Which part of a tool result
   * hosts read").
   */
  outputSchema?: Out;
  /** Extra accepted spellings that differ by more than case or underscores: alias -> declared name. Not listed. */
  aliases?: Readonly<Record<string, Extract<keyof In, string>>>;
  annotations: RequiredToolAnnotations;
  handler(args: z.output<z.ZodObject<In>>, ctx: ToolContext): Promise<ToolResult<z.input<z.ZodObject<Out>>>>;
}

/** A tool as the registry holds it, with its generic types erased. */
export interface AnyToolDefinition {
  name: `autotask_${string}`;
  title: string;
  description: string;
  inputSchema: z.ZodRawShape;
  outputSchema?: z.ZodRawShape;
  aliases?: Readonly<Record<string, string>>;
  annotations: RequiredToolAnnotations;
  // biome-ignore lint/suspicious/noExplicitAny: erased at the registry; each file keeps its precise types.
  handler(args: any, ctx: ToolContext): Promise<ToolResult<unknown>>;
}

export function defineTool<In extends z.ZodRawShape, Out extends z.ZodRawShape = Record<never, never>>(
  definition: ToolDefinition<In, Out>,
): ToolDefinition<In, Out> {
  return definition;
}

/** Write tools are the ones not marked read-only; read-only mode hides and refuses them. */
export function isWriteTool(tool: Pick<AnyToolDefinition, "annotations">): boolean {
  return !tool.annotations.readOnlyHint;
}
