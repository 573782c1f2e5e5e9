/**
 * A stdio server must never load the HTTP transport or the Redis client: the built bundle's entry, and
 * every chunk it imports statically, contain neither. (They load by dynamic import with --http or
 * AUTOTASK_REDIS_URL only.) Nor the prompts' definitions: their first `prompts/get` imports them.
 * `npm test` builds first.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(DIST + file, "utf8");
  // Static imports only: `import ... from "./x.js"` or `import "./x.js"` (dynamic `import(` is excluded).
  for (const match of text.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?"(\.\/[^"]+)"/g)) {
    const target = new URL(match[1]!, `file:///${file}`).pathname.slice(1);
    staticClosure(target, seen);
  }
  return seen;
}

describe("what a stdio server loads", () => {
  it("has no HTTP transport, token, audit or Redis code in the bundle's static import graph", () => {
    const files = [...staticClosure("autotask-tickets-mcp.js")];
    // The entry and its shared chunks (zod, helpers): the walk must have followed imports.
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const text = readFileSync(DIST + file, "utf8");
      expect(text, file).not.toMatch(/ioredis|redis-semaphore|StreamableHTTPServerTransport|WWW-Authenticate|ImpersonationResourceId header/i);
    }
  });

  it("the HTTP and Redis code is in the bundle, behind dynamic imports", () => {
    const reachable = new Set<string>();
    const visit = (file: string) => {
      if (reachable.has(file)) return;
      reachable.add(file);
      const text = readFileSync(DIST + file, "utf8");
      for (const match of text.matchAll(/import\("(\.\/[^"]+)"\)/g)) {
        const target = new URL(match[1]!, `file:///${file}`).pathname.slice(1);
        if (!target.startsWith("sandbox/")) visit(target);
      }
    };
    visit("autotask-tickets-mcp.js");
    const lazy = [...reachable].filter((file) => !staticClosure("autotask-tickets-mcp.js").has(file));
    const text = lazy.map((file) => readFileSync(DIST + file, "utf8")).join("\n");
    expect(text).toMatch(/WWW-Authenticate/);
    expect(text).toMatch(/redis-semaphore|evalsha/i);
  });

  it("keeps the prompts' definitions behind a dynamic import, and their bundle-time list in the entry", () => {
    // A message from a prompt's argument schema (src/mcp/prompts.ts), which only the definitions carry.
    const schemaText = "companyID must be a company id (digits)";
    const files = [...staticClosure("autotask-tickets-mcp.js")];
    for (const file of files) expect(readFileSync(DIST + file, "utf8"), file).not.toContain(schemaText);
    const entry = readFileSync(`${DIST}autotask-tickets-mcp.js`, "utf8");
    expect(entry).toMatch(/import\("\.\/bundle-chunks\/prompts-[\w-]+\.js"\)/);
    // The listing's text (scripts/bundle.mjs, __PRECOMPUTED_PROMPT_LIST__) is in the entry itself.
    expect(entry).toContain("Review tickets in a New status and propose priority, queue and assignee for each.");
  });
});
