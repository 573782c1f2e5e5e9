/**
 * The `tools/list` entries computed at bundle time (scripts/bundle.mjs replaces the identifier below
 * with the JSON of `TOOLS.map(toListedTool)`), so the shipped server does not convert zod schemas to
 * JSON Schema on its first request. Under tsc and vitest the identifier is not defined and the server
 * computes the entries itself; test/bundle-startup.test.ts checks that both give the same list.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

declare const __PRECOMPUTED_TOOL_LIST__: Tool[] | undefined;

const byName: ReadonlyMap<string, Tool> = new Map(
  (typeof __PRECOMPUTED_TOOL_LIST__ === "undefined" ? [] : __PRECOMPUTED_TOOL_LIST__).map((tool) => [tool.name, tool]),
);

/** The bundle-time `tools/list` entry of a tool, or undefined when running unbundled. */
export function precomputedListedTool(name: string): Tool | undefined {
  return byName.get(name);
}
