/**
 * The typed helper every tool is defined through, and the context handlers receive.
 *
 * A tool file default-exports `defineTool({...})`. The helper only returns its argument; it exists so
 * that the handler's `args` type is inferred from the zod input shape and its result is checked
 * against the output shape. Annotations are all required: an unset hint is a silent gap.
 */
import type { Logger } from "pino";
import type { z } from "zod";
import type { AutotaskApi } from "../autotask/api.js";
import type { NameResolver } from "./support/names.js";
import type { ServerSettings } from "./support/settings.js";
import type { TenantService } from "./support/tenant.js";
import type { WriteDeduplicator } from "./support/dedupe.js";

export interface RequiredToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Everything a handler may use. Built once per server; `signal` and `now` per call. */
export interface ToolContext {
  api: AutotaskApi;
  tenant: TenantService;
  names: NameResolver;
  settings: ServerSettings;
  /** The write ledger: in-process by default, or shared (`state/ledger.ts`) on a team server. */
  dedupe: Pick<WriteDeduplicator, "run">;
  logger: Logger;
  now(): Date;
  signal?: AbortSignal;
}

/** What a handler returns: the structured result (validated against the output schema) and its text rendering. */
export interface ToolResult<Structured> {
  structured: Structured;
  text: string;
}

export interface ToolDefinition<In extends z.ZodRawShape, Out extends z.ZodRawShape> {
  name: `autotask_${string}`;
  title: string;
  /** When to use the tool and when not; under 1,024 characters. */
  description: string;
  inputSchema: In;
  outputSchema: Out;
  annotations: RequiredToolAnnotations;
  handler(args: z.output<z.ZodObject<In>>, ctx: ToolContext): Promise<ToolResult<z.input<z.ZodObject<Out>>>>;
}

/** A tool as the registry holds it, with its generic types erased. */
export interface AnyToolDefinition {
  name: `autotask_${string}`;
  title: string;
  description: string;
  inputSchema: z.ZodRawShape;
  outputSchema: z.ZodRawShape;
  annotations: RequiredToolAnnotations;
  // biome-ignore lint/suspicious/noExplicitAny: erased at the registry; each file keeps its precise types.
  handler(args: any, ctx: ToolContext): Promise<ToolResult<unknown>>;
}

export function defineTool<In extends z.ZodRawShape, Out extends z.ZodRawShape>(
  definition: ToolDefinition<In, Out>,
): ToolDefinition<In, Out> {
  return definition;
}

/** Write tools are the ones not marked read-only; read-only mode hides and refuses them. */
export function isWriteTool(tool: Pick<AnyToolDefinition, "annotations">): boolean {
  return !tool.annotations.readOnlyHint;
}
