/**
 * Start-up (issue 13): with a bundle-time prompt list (scripts/bundle.mjs defines
 * `__PRECOMPUTED_PROMPT_LIST__`; here a global stands in for it), `prompts/list` is answered from that
 * list and the prompts' module (definitions, zod schemas, texts) is imported by the first `prompts/get`
 * only. The module is wrapped, not replaced, to count its imports.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createServer } from "../src/server.js";

const imports = vi.hoisted(() => ({ prompts: 0 }));
vi.mock("../src/mcp/prompts.js", async (importOriginal) => {
  imports.prompts += 1;
  return importOriginal();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("prompts at start-up", () => {
  it("lists from the bundle-time list and imports the prompts on the first prompts/get", async () => {
    const precomputed = [{ name: "triage-new-tickets", title: "From the bundle", description: "d", arguments: [] }];
    vi.stubGlobal("__PRECOMPUTED_PROMPT_LIST__", JSON.stringify(precomputed));
    const server = createServer({ readOnly: false, logger: pino({ level: "silent" }), load: () => Promise.reject(new Error("no desk")) });
    const client = new Client({ name: "prompts-startup", version: "1.0.0" });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([client.connect(a), server.connect(b)]);

    expect((await client.listPrompts()).prompts).toEqual(precomputed);
    expect(imports.prompts).toBe(0);
    const result = await client.getPrompt({ name: "triage-new-tickets", arguments: {} });
    expect(JSON.stringify(result.messages)).toContain("Triage the new tickets in Autotask.");
    expect(imports.prompts).toBe(1);
    await client.close();
  });
});
