/**
 * Builds the MCP server: tool listing and tool calls, over whichever transport the caller connects.
 *
 * Tools are served through the SDK's `McpServer` with our own `tools/list` and `tools/call`
 * handlers, so that argument validation, alias spellings and error formatting happen in exactly
 * one place (`tools/boundary.ts`) and the listed JSON Schemas stay small. Building the server does
 * no network I/O: the first tool call discovers the zone and loads the tenant's metadata.
 */
import { setMaxListeners } from "node:events";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { z } from "zod";
import type { AutotaskApi, MetadataEntity } from "./autotask/api.js";
import { PicklistCache } from "./autotask/picklists.js";
import { callTool } from "./tools/boundary.js";
import { type AnyToolDefinition, isWriteTool, type ToolContext } from "./tools/define.js";
import { TOOLS } from "./tools/index.js";
import { WriteDeduplicator } from "./tools/support/dedupe.js";
import { NameResolver } from "./tools/support/names.js";
import { UNTRUSTED_TEXT_NOTICE } from "./tools/support/render.js";
import type { ServerSettings } from "./tools/support/settings.js";
import { TenantService } from "./tools/support/tenant.js";
import { SERVER_NAME, SERVER_VERSION } from "./version.js";

export interface ServerDependencies {
  api: AutotaskApi;
  settings: ServerSettings;
  logger: Logger;
  picklistTtlMs?: number;
  now?: () => Date;
  /** Write ledger shared beyond this server (HTTP: per token, in Redis or the process). Default: its own. */
  dedupe?: Pick<WriteDeduplicator, "run">;
  /** Called when the tenant's picklists turned out stale, so a shared metadata copy is dropped too. */
  onPicklistsInvalidated?: (entity?: MetadataEntity) => void;
}

const INSTRUCTIONS = [
  "Autotask PSA service desk: search, read, create and update tickets and add notes.",
  "Picklist arguments (status, priority, queue, types, note type) accept the tenant's ids or labels; results show labels beside ids.",
  "Notes are internal unless publish is set to all, which shows them to the client.",
  UNTRUSTED_TEXT_NOTICE,
].join(" ");

export function createServer(deps: ServerDependencies): McpServer {
  const tools = TOOLS.filter((tool) => !(deps.settings.readOnly && isWriteTool(tool)));
  const byName = new Map<string, AnyToolDefinition>(TOOLS.map((tool) => [tool.name, tool]));
  const picklists = new PicklistCache(deps.api, { ttlMs: deps.picklistTtlMs, onInvalidate: deps.onPicklistsInvalidated });
  const shared = {
    api: deps.api,
    tenant: new TenantService(picklists, deps.settings.mappingOverrides),
    names: new NameResolver(deps.api),
    settings: deps.settings,
    dedupe: deps.dedupe ?? new WriteDeduplicator(deps.settings.duplicateWindowMs),
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
  };

  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
  );

  let listed: Tool[] | undefined;
  server.server.setRequestHandler(ListToolsRequestSchema, () => {
    listed ??= tools.map(toListedTool);
    return { tools: listed };
  });

  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      return {
        isError: true,
        content: [
          { type: "text", text: `Unknown tool "${request.params.name}". Available: ${tools.map((t) => t.name).join(", ")}.` },
        ],
      };
    }
    // One call fans out into many concurrent requests (names, picklists, queued behind the
    // per-endpoint limit), each listening for cancellation on this signal: more than Node's default 10.
    setMaxListeners(100, extra.signal);
    const ctx: ToolContext = { ...shared, signal: extra.signal };
    return callTool(tool, request.params.arguments, ctx, { readOnly: deps.settings.readOnly });
  });

  return server;
}

/** The `tools/list` entry, with compact JSON Schemas (see `compactSchema`). */
export function toListedTool(tool: AnyToolDefinition): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchemaOf(tool.inputSchema, "input") as Tool["inputSchema"],
    outputSchema: jsonSchemaOf(tool.outputSchema, "output") as Tool["outputSchema"],
    annotations: { ...tool.annotations },
  };
}

function jsonSchemaOf(shape: z.ZodRawShape, io: "input" | "output"): Record<string, unknown> {
  const schema = z.toJSONSchema(z.object(shape), { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete schema.$schema;
  const compacted = compactSchema(schema) as Record<string, unknown>;
  return io === "output" ? summarizeNested(compacted, 0) : compacted;
}

/**
 * Output schemas name the result's top-level fields and the fields of list rows; objects below
 * that are listed as plain objects (the text content describes them). Results are still validated
 * against this schema, only less deeply.
 */
function summarizeNested(node: Record<string, unknown>, depth: number): Record<string, unknown> {
  if (node.type === "object" && depth >= 1) return node.description ? { type: "object", description: node.description } : { type: "object" };
  const out = { ...node };
  if (node.properties && typeof node.properties === "object") {
    out.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, Record<string, unknown>>).map(([key, value]) => [key, summarizeNested(value, depth + 1)]),
    );
  }
  if (node.items && typeof node.items === "object" && !Array.isArray(node.items)) {
    out.items = summarizeNested(node.items as Record<string, unknown>, depth - 1);
  }
  return out;
}

/**
 * Shrinks what zod emits without changing what it accepts: drops safe-integer bounds and
 * `additionalProperties: false` on nested outputs, and writes `anyOf` of bare primitive types as a
 * type list. The whole tool list has a size budget because every client puts it in the model's context.
 */
function compactSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compactSchema);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === "maximum" && value === Number.MAX_SAFE_INTEGER) || (key === "minimum" && value === Number.MIN_SAFE_INTEGER)) continue;
    if (key === "additionalProperties" && value === false) continue;
    // The server validates every argument itself; "non-empty" adds bytes, not guidance.
    if (key === "minLength" && value === 1) continue;
    out[key] = compactSchema(value);
  }
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.every(isBarePrimitive)) {
    delete out.anyOf;
    out.type = anyOf.map((branch) => (branch as { type: string }).type);
  }
  return out;
}

function isBarePrimitive(branch: unknown): boolean {
  if (branch === null || typeof branch !== "object") return false;
  const keys = Object.keys(branch);
  const type = (branch as { type?: unknown }).type;
  return typeof type === "string" && type !== "object" && type !== "array" && keys.every((k) => k === "type" || k === "minLength");
}
