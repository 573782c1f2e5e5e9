/**
 * The `tools/list` entries computed at bundle time (scripts/bundle.mjs replaces the identifier below
 * with the JSON text of `TOOLS.map(toListedTool)`, as a string literal), so the shipped server does not
 * import the tools or convert zod schemas to JSON Schema to answer `tools/list`. A string parsed on
 * first use, not an object literal: `JSON.parse` reads 14 KB in well under a millisecond, while
 * compiling the same object literal at start-up took about 20 ms in a CPU profile (bench/README.md).
 * Under tsc and vitest the identifier is not defined and the server computes the entries itself;
 * test/bundle-startup.test.ts checks that both give the same list.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

declare const __PRECOMPUTED_TOOL_LIST__: string | undefined;

let list: readonly Tool[] | undefined;

/** The bundle-time `tools/list` entries, in the registry's order, or undefined when running unbundled. */
export function precomputedToolList(): readonly Tool[] | undefined {
  if (typeof __PRECOMPUTED_TOOL_LIST__ === "undefined") return undefined;
  list ??= JSON.parse(__PRECOMPUTED_TOOL_LIST__) as Tool[];
  return list;
}
