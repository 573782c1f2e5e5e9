/**
 * Builds the MCP server: tools, prompts and resources, over whichever transport the caller connects.
 *
 * Tools are served through the SDK's `McpServer` with our own `tools/list` and `tools/call`
 * handlers, so that argument validation, alias spellings and error formatting happen in exactly
 * one place (`tools/boundary.ts`) and the listed JSON Schemas stay small. The server constructs
 * no service: it is handed the process's desk (`createDesk`, once per process), which any number
 * of servers (MCP sessions) share, or a `DeferredDesk` that builds it later. Building it does no
 * network I/O; with `warmUp`, the zone and the tenant's metadata are loaded in the background once
 * the handshake is done (src/warm-up.ts), otherwise by the first tool call.
 *
 * Start-up (issue 13): this module imports neither the tool registry, the prompts nor the desk. The
 * tools (their zod schemas, formatting, the boundary) are imported with `import()` the first time they
 * are needed: right after the first `tools/list` answer when warming up, else by the first call; the
 * prompts (src/mcp/prompts.ts) by the first `prompts/get`. In the bundle, `tools/list` and
 * `prompts/list` are served from lists computed at bundle time (src/precomputed.ts), so the handshake
 * and the listings never load them.
 */
import { setMaxListeners } from "node:events";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { GetPromptRequestSchema, ListPromptsRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "./log.js";
import { z } from "zod";
import type { Desk, ProgressListener } from "./desk/index.js";
import { zoneOffsetMinutes } from "./domain/zones.js";
import { registerDeskResources } from "./mcp/resources.js";
import { precomputedPromptList, precomputedToolList } from "./precomputed.js";
import { CallToolRequestKeepingArguments } from "./mcp/call-request.js";
import { refuseMalformedParams } from "./mcp/request-params.js";
import type { AnyToolDefinition, ToolContext } from "./tools/define.js";
import { TOOL_LOADERS } from "./mcp/tool-loaders.js";
import { loadOnce } from "./once.js";
import { UNTRUSTED_TEXT_NOTICE } from "./tools/format/text.js";
import { SERVER_NAME, SERVER_VERSION } from "./version.js";
import { callGate, warmUpAfterHandshake } from "./warm-up.js";

export interface ServerOptions {
  /** Load the tools, the zone and ticket metadata in the background after the handshake (src/warm-up.ts). */
  warmUp?: boolean;
  /**
   * Serve this session read-only even when the desk may write (a read-only token of the team server):
   * write tools are neither listed nor callable. The desk's own `settings.readOnly` always applies.
   */
  readOnly?: boolean;
  /** The session's logger (the team server's carries the technician); default the desk's. */
  logger?: Logger;
  /**
   * Background work for the warm-up once the handshake is over and no call is running, before the tools are
   * imported: the stdio entry loads pino there (src/log.ts). A failure is ignored (the work reports its own).
   */
  whenIdle?: () => Promise<unknown>;
}

/**
 * The process's desk before it exists: stdio's entry (src/index.ts) hands the server this, so that the
 * client, the desk and the domain are imported and built after the handshake. `load` is called at most
 * once per server and must return the one desk of the process (memoised by the caller).
 */
export interface DeferredDesk {
  /** The desk's `settings.readOnly` as it will be (from the configuration): decides the listed tools. */
  readOnly: boolean;
  logger: Logger;
  load: () => Promise<Desk>;
}

const INSTRUCTIONS = [
  "Autotask PSA service desk: search, read, create and update tickets and add notes.",
  "Picklist arguments (status, priority, queue, types, note type) accept the tenant's ids or labels; results show labels beside ids.",
  "Notes are internal unless publish is set to all, which shows them to the client.",
  UNTRUSTED_TEXT_NOTICE,
].join(" ");

/**
 * The whole registry with the boundary, imported when every definition is needed: `tools/list` without
 * the bundle-time list (tsc, vitest, the team server).
 */
interface ToolModules {
  tools: readonly AnyToolDefinition[];
  callTool: typeof import("./tools/boundary.js").callTool;
}
let toolModules: Promise<ToolModules> | undefined;
function loadTools(): Promise<ToolModules> {
  toolModules ??= Promise.all([import("./tools/index.js"), loadBoundary()]).then(([registry, boundary]) => ({
    tools: registry.TOOLS,
    callTool: boundary.callTool,
  }));
  return toolModules;
}

const loadBoundary = loadOnce(() => import("./tools/boundary.js"));
/** The prompts' definitions, zod schemas and texts: imported by the first `prompts/get` (or an unbundled `prompts/list`). */
const loadPrompts = loadOnce(() => import("./mcp/prompts.js"));

/**
 * One tool's definition, its module imported on first use (src/mcp/tool-loaders.ts): a first call builds
 * only its own tool's schemas. Undefined for a name that is no tool. Shared by every server of the process.
 */
const toolDefinitions = new Map<string, Promise<AnyToolDefinition>>();
function loadTool(name: string): Promise<AnyToolDefinition | undefined> {
  const loader = TOOL_LOADERS.get(name);
  if (!loader) return Promise.resolve(undefined);
  let loading = toolDefinitions.get(name);
  if (!loading) {
    loading = loader();
    toolDefinitions.set(name, loading);
    loading.catch(() => toolDefinitions.delete(name));
  }
  return loading;
}

function isDeferred(desk: Desk | DeferredDesk): desk is DeferredDesk {
  return typeof (desk as DeferredDesk).load === "function";
}

/** One MCP server (one session's worth of protocol state) over the process's shared desk. */
export function createServer(deskSource: Desk | DeferredDesk, options: ServerOptions = {}): McpServer {
  const deferred = isDeferred(deskSource) ? deskSource : undefined;
  const serverReadOnly = deferred ? deferred.readOnly : (deskSource as Desk).settings.readOnly;
  const readOnly = serverReadOnly || options.readOnly === true;
  const readOnlyBy = serverReadOnly ? "server" : "token";
  const logger = options.logger ?? (deferred ? deferred.logger : (deskSource as Desk).logger);
  let deskLoad: Promise<Desk> | undefined;
  const getDesk = (): Promise<Desk> => {
    if (!deskLoad) {
      const loading = deferred ? deferred.load() : Promise.resolve(deskSource as Desk);
      // A failed build is not kept: the next call tries again and reports its own error.
      loading.catch(() => {
        if (deskLoad === loading) deskLoad = undefined;
      });
      deskLoad = loading;
    }
    return deskLoad;
  };
  // A write tool is one not marked read-only (tools/define.ts isWriteTool), in the registry or the precomputed list.
  const offered = (tool: { annotations?: { readOnlyHint?: boolean } }) => !(readOnly && !tool.annotations?.readOnlyHint);

  // Capabilities are registered on the underlying Server, not in McpServer's options: declaring one there makes
  // McpServer install its own handlers for it and advertise listChanged, which these fixed lists never send.
  // Registering must precede `connect`.
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION }, { instructions: INSTRUCTIONS });
  server.server.registerCapabilities({ tools: { listChanged: false }, prompts: { listChanged: false } });
  refuseMalformedParams(server.server);

  // The warm-up imports the tools that were not called only while no call runs (src/warm-up.ts).
  const calls = callGate();
  const warmTools = async () => {
    await loadBoundary();
    if (options.whenIdle) {
      await calls.idle();
      await options.whenIdle().catch(() => undefined);
    }
    for (const name of TOOL_LOADERS.keys()) {
      await calls.idle();
      await loadTool(name);
    }
  };

  const warmUp = options.warmUp
    ? warmUpAfterHandshake(
        [
          // The desk first: its metadata request is on the wire while the tools' modules are compiled.
          // The time-zone data of a zone with rules (about 40 ms of CPU on first use; none for UTC or a
          // fixed offset, src/domain/zones.ts) is loaded once that answer is in: a first call that came
          // in meanwhile has sent its own query by then, so the load overlaps that query instead of
          // delaying it.
          // The technicians' names are loaded beside the metadata: a first search then asks only for its
          // companies' names after its query.
          // Both loads are awaited together: when Autotask fails, neither rejection goes unhandled (an
          // unhandled rejection would end the process; the warm-up must never fail start-up).
          () =>
            getDesk().then(async (desk) => {
              await Promise.all([
                desk.tenant.mapping().then(() => zoneOffsetMinutes(desk.settings.calendar.timeZone, desk.clock().getTime())),
                desk.directory.activeResources(),
              ]);
            }),
          warmTools,
        ],
        logger,
      )
    : undefined;
  if (warmUp) server.server.oninitialized = () => warmUp.initialized();

  let listed: Tool[] | undefined;
  server.server.setRequestHandler(ListToolsRequestSchema, async () => {
    const precomputed = precomputedToolList();
    listed ??= precomputed ? precomputed.filter(offered) : (await loadTools()).tools.filter(offered).map(toListedTool);
    warmUp?.listed();
    return { tools: listed };
  });

  server.server.setRequestHandler(CallToolRequestKeepingArguments, async (request, extra) => {
    // One call fans out into many concurrent requests (names, picklists, queued behind the
    // per-endpoint limit), each listening for cancellation on this signal: more than Node's default 10.
    setMaxListeners(100, extra.signal);
    return calls.during(async () => {
      const name = request.params.name;
      const precomputed = precomputedToolList();
      const [boundary, tool, desk, registry] = await Promise.all([
        loadBoundary(),
        loadTool(name),
        // A desk that cannot be built fails the call inside the boundary, like any other error of the tool (and
        // not at all for a name that is no tool): the stand-in throws the build's error when the tool uses it.
        getDesk().catch((error: unknown) => unbuiltDesk(error)),
        // The names offered, for an unknown tool's message: from the bundle-time list when there is one.
        precomputed ? undefined : loadTools(),
      ]);
      const available = (precomputed ?? registry?.tools ?? []).filter(offered).map((entry) => entry.name);
      const progress = progressReporter(request.params._meta?.progressToken, extra);
      const ctx: ToolContext = { desk, logger, signal: extra.signal, ...(progress ? { progress } : {}) };
      return boundary.callTool(tool, name, request.params.arguments, ctx, { readOnly, readOnlyBy, available });
    });
  });

  // Desk prompts (issue 12) through our own handlers rather than McpServer.registerPrompt, which builds
  // every prompt's zod schemas at start-up (issue 13).
  server.server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: [...(precomputedPromptList() ?? (await loadPrompts()).listedPrompts())],
  }));
  server.server.setRequestHandler(GetPromptRequestSchema, async (request) =>
    (await loadPrompts()).getPrompt(request.params.name, request.params.arguments, { readOnly }),
  );
  // Resources (issue 12): registered over the shared desk, no service built here.
  registerDeskResources(server, getDesk);
  // registerResource advertises resources.listChanged; the two resources are fixed, so no notification ever comes.
  server.server.registerCapabilities({ resources: { listChanged: false } });

  return server;
}

/** Stands in for a desk whose build failed: any use throws that failure. Not a thenable, so that it can be awaited. */
function unbuiltDesk(error: unknown): Desk {
  return new Proxy({} as Desk, {
    get(_target, property) {
      if (property === "then") return undefined;
      throw error;
    },
  });
}

/**
 * Progress notifications for one call, when the client asked for them with a progressToken
 * (MCP `notifications/progress`). Sending is best-effort: a closed transport must not fail the call.
 */
function progressReporter(
  token: string | number | undefined,
  extra: { sendNotification: (notification: { method: "notifications/progress"; params: Record<string, unknown> }) => Promise<void> },
): ProgressListener | undefined {
  if (token === undefined) return undefined;
  return async (progress, total, message) => {
    try {
      await extra.sendNotification({
        method: "notifications/progress",
        params: total === undefined ? { progressToken: token, progress, message } : { progressToken: token, progress, total, message },
      });
    } catch {
      // the client went away; the call itself decides what happens next
    }
  };
}

/**
 * The `tools/list` entry, with compact JSON Schemas (see `compactSchema`). Only read tools list their
 * output schema: a write tool's structured result is still validated at the boundary and sent, but
 * not declared (CONTRIBUTING.md, "Response contract").
 */
export function toListedTool(tool: AnyToolDefinition): Tool {
  const listsOutputSchema = tool.outputSchema !== undefined && tool.annotations.readOnlyHint;
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchemaOf(tool.inputSchema, "input") as Tool["inputSchema"],
    ...(listsOutputSchema && tool.outputSchema ? { outputSchema: jsonSchemaOf(tool.outputSchema, "output") as Tool["outputSchema"] } : {}),
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
 * Output schemas name the result's top-level fields; objects below that (a ticket, list rows) are
 * listed as plain objects, described by the tool description and CONTRIBUTING.md's response
 * contract. Results are still validated against the full zod schema at the boundary.
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
    out.items = summarizeNested(node.items as Record<string, unknown>, depth);
  }
  return out;
}

/**
 * Shrinks what zod emits without changing what the server accepts: drops bounds (lengths, ranges,
 * item counts; the server still enforces them and says which one failed) and
 * `additionalProperties: false` on nested outputs, and writes `anyOf` of bare primitive types as a
 * type list. Each tool has a size budget because every client puts the list in the model's context.
 */
const LISTING_OMITS = new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "propertyNames"]);

function compactSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compactSchema);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "additionalProperties" && value === false) continue;
    // The server validates every argument itself and names the rule in its refusal; bounds add bytes
    // to every client's context, not guidance (the few that matter are in the descriptions).
    if (LISTING_OMITS.has(key)) continue;
    out[key] = compactSchema(value);
  }
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.every(isBarePrimitive)) {
    delete out.anyOf;
    out.type = anyOf.map((branch) => (branch as { type: string }).type);
  }
  // An id-or-label argument (a picklist value, a ticket id or number, a company id or name) says so in
  // its description, which costs fewer bytes than a type list on each one; likewise "one or a list".
  if (out.description && isIdOrLabel(out)) delete out.type;
  if (out.description && Array.isArray(out.anyOf) && out.anyOf.every((branch) => isIdOrLabel(branch) || isListOfIdOrLabel(branch))) delete out.anyOf;
  // Values of a user-defined-field map: any JSON scalar; the server checks them against the tenant's definitions.
  if (out.type === "object" && out.additionalProperties && typeof out.additionalProperties === "object") delete out.additionalProperties;
  return out;
}

function isIdOrLabel(node: unknown): boolean {
  const type = (node as { type?: unknown } | null)?.type;
  return Array.isArray(type) && type.length === 2 && type.includes("integer") && type.includes("string");
}

function isListOfIdOrLabel(node: unknown): boolean {
  const { type, items } = (node ?? {}) as { type?: unknown; items?: unknown };
  return type === "array" && isIdOrLabel(items);
}

function isBarePrimitive(branch: unknown): boolean {
  if (branch === null || typeof branch !== "object") return false;
  const keys = Object.keys(branch);
  const type = (branch as { type?: unknown }).type;
  return typeof type === "string" && type !== "object" && type !== "array" && keys.every((k) => k === "type" || k === "minLength");
}
