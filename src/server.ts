/**
 * Builds the MCP server: tool listing and tool calls, over whichever transport the caller connects.
 *
 * Tools are served through the SDK's `McpServer` with our own `tools/list` and `tools/call`
 * handlers, so that argument validation, alias spellings and error formatting happen in exactly
 * one place (`tools/boundary.ts`) and the listed JSON Schemas stay small. Building the server does
 * no network I/O: the first tool call discovers the zone and loads the tenant's metadata.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { z } from "zod";
import type { AutotaskApi } from "./autotask/api.js";
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
  tools?: readonly AnyToolDefinition[];
}

const INSTRUCTIONS = [
  "Autotask PSA service desk: search, read, create and update tickets and add notes.",
  "Picklist arguments (status, priority, queue, types, note type) accept the tenant's ids or labels; results show labels beside ids.",
  "Notes are internal unless publish is set to all, which shows them to the client.",
  UNTRUSTED_TEXT_NOTICE,
].join(" ");

export function createServer(deps: ServerDependencies): McpServer {
  const tools = (deps.tools ?? TOOLS).filter((tool) => !(deps.settings.readOnly && isWriteTool(tool)));
  const byName = new Map((deps.tools ?? TOOLS).map((tool) => [tool.name, tool]));
  const picklists = new PicklistCache(deps.api, { ttlMs: deps.picklistTtlMs });
  const shared = {
    api: deps.api,
    tenant: new TenantService(picklists, deps.settings.mappingOverrides),
    names: new NameResolver(deps.api),
    settings: deps.settings,
    dedupe: new WriteDeduplicator(deps.settings.duplicateWindowMs),
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
    const ctx: ToolContext = { ...shared, signal: extra.signal };
    return callTool(tool, request.params.arguments, ctx, { readOnly: deps.settings.readOnly });
  });

  return server;
}

/** The `tools/list` entry: JSON Schemas without the draft URL and integer-range noise. */
export function toListedTool(tool: AnyToolDefinition): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchemaOf(tool.inputSchema, "input") as Tool["inputSchema"],
    outputSchema: jsonSchemaOf(tool.outputSchema, "output") as Tool["outputSchema"],
    annotations: { title: tool.title, ...tool.annotations },
  };
}

function jsonSchemaOf(shape: z.ZodRawShape, io: "input" | "output"): Record<string, unknown> {
  const schema = z.toJSONSchema(z.object(shape), { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete schema.$schema;
  return stripNoise(schema) as Record<string, unknown>;
}

/** Removes what zod adds but no client needs: safe-integer bounds and `additionalProperties: false` on outputs. */
function stripNoise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripNoise);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === "maximum" && value === Number.MAX_SAFE_INTEGER) || (key === "minimum" && value === Number.MIN_SAFE_INTEGER)) continue;
    out[key] = stripNoise(value);
  }
  return out;
}
