/**
 * The layers and their one direction of calls: tools -> desk -> domain / client. Checked on the
 * import statements, so that a shortcut (a tool calling the Autotask client, the server building a
 * service) fails here instead of creeping in.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL(".", import.meta.url));

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((match) => match[1] ?? "");
}

describe("layers", () => {
  it("keeps the tools off the Autotask client and the domain: they go through the desk", () => {
    for (const file of sourcesUnder(join(src, "tools"))) {
      const wrong = importsOf(file).filter((path) => /\/(autotask|domain)\//.test(path));
      expect(wrong, relative(src, file)).toEqual([]);
    }
  });

  it("keeps the desk free of MCP and of the tools", () => {
    for (const file of sourcesUnder(join(src, "desk"))) {
      const wrong = importsOf(file).filter((path) => path.startsWith("@modelcontextprotocol/") || /\/tools\//.test(path));
      expect(wrong, relative(src, file)).toEqual([]);
    }
  });

  it("lets server.ts construct no service: it is handed the desk", () => {
    const text = readFileSync(join(src, "server.ts"), "utf8");
    const constructed = [...text.matchAll(/new\s+([A-Z]\w*)/g)].map((match) => match[1] ?? "");
    // Plain collections, the SDK's server and the stand-in (a Proxy) for a desk that failed to build only.
    expect(constructed.filter((name) => !["Map", "Set", "McpServer", "Proxy"].includes(name))).toEqual([]);
    expect(importsOf(join(src, "server.ts")).filter((path) => /\/(autotask|desk\/(?!index))/.test(path))).toEqual([]);
  });

  it("creates the desk once, in index.ts", () => {
    const callers = sourcesUnder(src).filter((file) => /\bcreateDesk\(/.test(readFileSync(file, "utf8")));
    expect(callers.map((file) => relative(src, file)).sort()).toEqual(["desk/index.ts", "index.ts"]);
    expect(readFileSync(join(src, "index.ts"), "utf8").match(/\bcreateDesk\(/g)).toHaveLength(1);
  });

  it("loads pino only in logger.ts: the rest takes log.ts's Logger, so the stdio start path can defer pino", () => {
    const runtimePino = sourcesUnder(src).filter((file) =>
      [...readFileSync(file, "utf8").matchAll(/^import\s+(?!type\b)[^;]*?from\s+"pino"/gm)].length > 0,
    );
    expect(runtimePino.map((file) => relative(src, file))).toEqual(["logger.ts"]);
    const pinoTypes = sourcesUnder(src).filter((file) => /import\s+type\s*\{[^}]*\bLogger\b[^}]*\}\s*from\s+"pino"/.test(readFileSync(file, "utf8")));
    expect(pinoTypes).toEqual([]);
  });
});
