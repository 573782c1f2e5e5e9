/**
 * The `tools/list` and `prompts/list` entries computed at bundle time (scripts/bundle.mjs replaces the
 * identifiers below with the JSON text of `TOOLS.map(toListedTool)` and of `listedPrompts()`, as string
 * literals), so the shipped server does not import the tools or the prompts, nor build their zod
 * schemas, to answer a listing. Strings parsed on first use, not object literals: `JSON.parse` reads
 * 14 KB in well under a millisecond, while compiling the same object literal at start-up took about
 * 20 ms in a CPU profile (bench/README.md). Under tsc and vitest the identifiers are not defined and
 * the server computes the entries itself; test/bundle-startup.test.ts checks that both give the same lists.
 */
import type { Prompt, Tool } from "@modelcontextprotocol/sdk/types.js";

declare const __PRECOMPUTED_TOOL_LIST__: string | undefined;
declare const __PRECOMPUTED_PROMPT_LIST__: string | undefined;

let tools: readonly Tool[] | undefined;
let prompts: readonly Prompt[] | undefined;

/** The bundle-time `tools/list` entries, in the registry's order, or undefined when running unbundled. */
export function precomputedToolList(): readonly Tool[] | undefined {
  if (typeof __PRECOMPUTED_TOOL_LIST__ === "undefined") return undefined;
  tools ??= JSON.parse(__PRECOMPUTED_TOOL_LIST__) as Tool[];
  return tools;
}

/** The bundle-time `prompts/list` entries (src/mcp/prompts.ts `listedPrompts`), or undefined when running unbundled. */
export function precomputedPromptList(): readonly Prompt[] | undefined {
  if (typeof __PRECOMPUTED_PROMPT_LIST__ === "undefined") return undefined;
  prompts ??= JSON.parse(__PRECOMPUTED_PROMPT_LIST__) as Prompt[];
  return prompts;
}
