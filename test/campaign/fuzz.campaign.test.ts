/**
 * Fuzz campaign (issue 10): arbitrary arguments for every tool through a real MCP client (fast-check).
 * Never a crash or a hang; a wrong-typed or unknown argument is always an `isError` result that names
 * it; prototype keys are refused; the server keeps answering afterwards. Bounded: fixed run counts,
 * a timeout per call, loopback sandbox only.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Campaign, startCampaign, textOf } from "./support.js";

let campaign: Campaign;
beforeAll(async () => {
  campaign = await startCampaign();
});
afterAll(async () => {
  await campaign.close();
});

type JsonType = "string" | "number" | "boolean" | "null" | "array" | "object";
const ALL_TYPES: JsonType[] = ["string", "number", "boolean", "null", "array", "object"];

/** The JSON types a listed property accepts, or undefined when the schema does not say (then any). */
function acceptedTypes(schema: Record<string, unknown>): Set<JsonType> | undefined {
  const collect = (node: Record<string, unknown>): JsonType[] | undefined => {
    const type = node.type;
    if (typeof type === "string") return [type === "integer" ? "number" : (type as JsonType)];
    if (Array.isArray(type)) return type.map((t) => (t === "integer" ? "number" : t)) as JsonType[];
    const branches = (node.anyOf ?? node.oneOf) as Array<Record<string, unknown>> | undefined;
    if (!branches) return undefined;
    const all: JsonType[] = [];
    for (const branch of branches) {
      const types = collect(branch);
      if (!types) return undefined;
      all.push(...types);
    }
    return all;
  };
  const types = collect(schema);
  return types ? new Set(types) : undefined;
}

function propertiesOf(tool: Tool): Record<string, Record<string, unknown>> {
  return (tool.inputSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
}

const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "__defineGetter__"];

/** An object built with defineProperty, so a `__proto__` key is an own key, as JSON.parse makes it. */
function objectOf(entries: Array<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  return out;
}

const hugeString = fc
  .tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 3 }), fc.integer({ min: 20_000, max: 1_000_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));
const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", ">>>>>", "<<<", "\u0000", "\u202e", "😀".repeat(50), "%s%n", "' OR 1=1 --") },
  { weight: 1, arbitrary: hugeString },
);
const anyKey = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ unit: "grapheme", maxLength: 12 }));
const { junk } = fc.letrec<{ junk: unknown }>((tie) => ({
  junk: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    anyString,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("junk"), { maxLength: 4 }),
    fc.array(fc.tuple(anyKey, tie("junk")), { maxLength: 4 }).map(objectOf),
  ),
}));

function valueOfType(type: JsonType): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return anyString;
    case "number":
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER * 4));
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(junk, { maxLength: 5 });
    case "object":
      return fc.array(fc.tuple(anyKey, junk), { maxLength: 5 }).map(objectOf);
  }
}

/** Every (tool, field, JSON type the field does not accept), for every typed field of every tool. */
function wrongTypeCases(tools: Tool[]): Array<{ tool: string; field: string; type: JsonType }> {
  const cases: Array<{ tool: string; field: string; type: JsonType }> = [];
  for (const tool of tools) {
    for (const [field, schema] of Object.entries(propertiesOf(tool))) {
      const accepted = acceptedTypes(schema);
      if (!accepted) continue;
      for (const type of ALL_TYPES) if (!accepted.has(type)) cases.push({ tool: tool.name, field, type });
    }
  }
  return cases;
}

function isDeclared(tool: Tool, key: string): boolean {
  return Object.keys(propertiesOf(tool)).some((name) => name.toLowerCase() === key.toLowerCase());
}

const BUG_TEXT = /bug in the server|Unexpected error/i;

describe("fuzz campaign through a real MCP client", () => {
  it("lists every tool with its input schema (the campaign covers them all)", () => {
    expect(campaign.tools.length).toBeGreaterThanOrEqual(7);
    for (const tool of campaign.tools) expect(Object.keys(propertiesOf(tool)).length, tool.name).toBeGreaterThan(0);
  });

  it("answers a wrong-typed argument (huge strings, unicode, nested junk) with isError naming the field", async () => {
    // Every (tool, field, wrong type) combination is tried, each with a few random values: no combination is left to chance.
    const cases = wrongTypeCases(campaign.tools);
    expect(cases.length).toBeGreaterThan(50);
    for (const { tool, field, type } of cases) {
      await fc.assert(
        fc.asyncProperty(valueOfType(type), async (value) => {
          const result = await campaign.call(tool, { [field]: value });
          expect(result.isError, `${tool} ${field} as ${type}`).toBe(true);
          const text = textOf(result);
          expect(text).toContain(field);
          expect(text).not.toMatch(BUG_TEXT);
        }),
        { numRuns: 4 },
      );
    }
  });

  it("answers an unknown argument, prototype keys included, with isError naming it", async () => {
    const toolNames = campaign.tools.map((t) => t.name);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...toolNames), anyKey, junk, async (toolName, key, value) => {
        const tool = campaign.tools.find((t) => t.name === toolName)!;
        fc.pre(!isDeclared(tool, key));
        const result = await campaign.call(toolName, objectOf([[key, value]]));
        expect(result.isError, `${toolName} ${JSON.stringify(key)}`).toBe(true);
        expect(textOf(result)).toContain(`"${key}"`);
        expect(textOf(result)).not.toMatch(BUG_TEXT);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a prototype key nested inside any object-typed argument, naming the path", async () => {
    const objectFields = campaign.tools.flatMap((tool) =>
      Object.entries(propertiesOf(tool))
        .filter(([, schema]) => acceptedTypes(schema)?.has("object"))
        .map(([field]) => ({ tool: tool.name, field })),
    );
    expect(objectFields.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...objectFields), junk, async ({ tool, field }, value) => {
        const result = await campaign.call(tool, { [field]: objectOf([["__proto__", value]]) });
        expect(result.isError).toBe(true);
        expect(textOf(result)).toContain(`${field}.__proto__`);
      }),
      { numRuns: 40 },
    );
  });

  it("never crashes or hangs on well-typed arbitrary values (they reach the sandbox)", async () => {
    const toolCase = fc.constantFrom(...campaign.tools).chain((tool) => {
      const fields = Object.entries(propertiesOf(tool)).map(([field, schema]) => {
        const accepted = [...(acceptedTypes(schema) ?? new Set<JsonType>(["string"]))].filter((t) => t !== "null");
        return [field, fc.constantFrom(...(accepted.length > 0 ? accepted : (["string"] as JsonType[]))).chain(valueOfType)] as const;
      });
      return fc.record({ tool: fc.constant(tool.name), args: fc.record(Object.fromEntries(fields), { requiredKeys: [] }) });
    });
    await fc.assert(
      fc.asyncProperty(toolCase, async ({ tool, args }) => {
        const result = await campaign.call(tool, args);
        const text = textOf(result);
        expect(text.length).toBeGreaterThan(0);
        expect(text, `${tool} ${JSON.stringify(args).slice(0, 300)}`).not.toMatch(BUG_TEXT);
      }),
      { numRuns: 120 },
    );
  });

  it("answers non-object arguments without crashing (an isError result or a JSON-RPC invalid-params error)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...campaign.tools.map((t) => t.name)), fc.oneof(anyString, fc.integer(), fc.array(junk)), async (tool, args) => {
        try {
          const result = await campaign.call(tool, args);
          expect(result.isError).toBe(true);
        } catch (error) {
          expect(String(error)).toMatch(/-32602|Invalid/);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("keeps answering after the campaign", async () => {
    const { tools } = await campaign.client.listTools();
    expect(tools.length).toBe(campaign.tools.length);
    const result = await campaign.call("autotask_search_companies", { name: "a" });
    expect(result.isError).not.toBe(true);
  });
});
