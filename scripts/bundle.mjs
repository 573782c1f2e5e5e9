#!/usr/bin/env node
/**
 * `npm run bundle`: bundles src/index.ts and everything it imports (SDK, zod, pino, date-fns)
 * into one ESM file, dist/autotask-tickets-mcp.js, so that start-up reads and compiles one file
 * instead of resolving a few hundred modules from node_modules. Claude Desktop spawns the server on
 * every launch, which makes start-up time the figure users feel (see bench/).
 *
 * Choices, and why:
 * - The entry sits directly in dist/, beside the tsc output, because src/version.ts reads
 *   `../package.json` relative to its own module URL; from dist/ that is still the package root.
 * - The embedded sandbox (`--sandbox` only) is NOT bundled: its dynamic import is left external and
 *   points at tsc's dist/sandbox/index.js. A real deployment never loads it, and the sandbox keeps
 *   finding fixtures/profiles/ relative to its own file (src/sandbox/profile.ts).
 * - Code splitting: what the entry imports dynamically (HTTP transports, Redis, charts: whatever must not
 *   load on the stdio start path) goes to dist/bundle-chunks/ and is neither read nor compiled at
 *   start-up; `assertStdioStartPathIsLean` fails the build otherwise. A dynamically imported CommonJS
 *   package keeps its named exports (see namedExportsForLazyCommonJs in bundle-options.mjs). The HTTP
 *   client uses the runtime's own undici; the npm package must not be bundled (one copy).
 * - tools/list and prompts/list are precomputed here (see below) and injected with `define`, so the server
 *   does not convert zod schemas to JSON Schema on its first request, nor build the prompts' at start-up.
 * - The esbuild options themselves live in bundle-options.mjs, shared with bench/run.mjs's floor.
 * - zod's 48 message locales (about 260 KiB) are reachable only through the `z.locales` namespace;
 *   English, the default, is imported by zod directly. The bundle keeps `en` alone, unless src/ uses
 *   `locales.` somewhere, in which case every locale is bundled as usual.
 * - pino and a few other dependencies are CommonJS and call `require` for Node built-ins; ESM output
 *   has no `require`, so a banner defines one with `createRequire` in every output file.
 * - pino's transports (worker threads) are not used: the logger writes to fd 2 through sonic-boom, and the
 *   bundle leaves out pino's transport support and sonic-boom's `assert` (pinoWithoutTransports in bundle-options.mjs).
 *
 * Measured by bench/run.mjs against the bare SDK server bundled with the same options (bench/README.md).
 */
import { readdirSync, readFileSync } from "node:fs";
import { chmod, copyFile, mkdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { sharedBuildOptions } from "./bundle-options.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "src", "index.ts");
const outdir = join(root, "dist");
const ENTRY_NAME = "autotask-tickets-mcp";
const outfile = join(outdir, `${ENTRY_NAME}.js`);

/** Leaves `import("./sandbox/index.js")` from the entry as a runtime import of tsc's dist/sandbox/index.js. */
const sandboxStaysExternal = {
  name: "sandbox-stays-external",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\/sandbox\/index\.js$/ }, (args) => {
      if (args.importer !== entry) return undefined;
      return { path: "./sandbox/index.js", external: true };
    });
  },
};

/**
 * Modules a stdio server must never load at start-up: HTTP transports, Redis and chart code (and their
 * packages) are reachable only through `import()`, so they land in lazily loaded chunks. Matched
 * against esbuild's input paths (relative to the package root).
 */
const LAZY_ONLY = [
  /node_modules\/(express|hono|@hono|fastify|koa|ioredis|redis|@redis|chart\.js|chartjs-node-canvas|canvas|@napi-rs\/canvas|vega|vega-[a-z-]+|echarts|@resvg|quickchart-js|sharp)\//,
  /node_modules\/@modelcontextprotocol\/sdk\/dist\/esm\/server\/(streamableHttp|sse|express|webStandardStreamableHttp)\.js$/,
  // Own modules named for what they are (src/http/…, src/transports/…, src/redis.ts, src/charts/…); a module
  // with another name that imports such a package statically is caught by the package rules above.
  /^src\/(.*\/)?(http|https|redis|charts?|transports?)(\/|\.ts$)/,
  // The desk's sweeps, imported on their first call (src/desk/reports/index.ts), not by building the desk.
  /^src\/desk\/reports\/(escalations|sla-report|metrics)\.ts$/,
  // pino, loaded once the handshake is over (src/log.ts, the deferred logger), not by the client, desk or tools.
  /node_modules\/(pino|sonic-boom|pino-std-serializers|@pinojs\/redact|thread-stream)\//,
  /^src\/logger\.ts$/,
  // The prompts' definitions (zod schemas, texts), imported by the first prompts/get (src/server.ts);
  // prompts/list is answered from the bundle-time list below.
  /^src\/mcp\/prompts\.ts$/,
];

/** Own modules that must each be a lazily imported chunk: a LAZY_ONLY rule for a renamed module would guard nothing. */
const LAZY_CHUNK_MODULES = ["src/mcp/prompts.ts"];

/**
 * Modules the stdio server imports with `import()` right after the handshake (src/index.ts, src/server.ts),
 * and each tool's own module (src/mcp/tool-loaders.ts: imported on the tool's first call).
 */
const FIRST_CALL_MODULES = ["src/autotask/client.ts", "src/desk/index.ts", "src/tools/index.ts", "src/tools/boundary.ts"];
const TOOL_MODULE = /^src\/tools\/[a-z-]+\.ts$/;

/**
 * Fails the build when the entry, or a chunk it imports statically, contains a LAZY_ONLY module, or
 * when the npm `undici` package is bundled at all (the client uses the runtime's own undici: one copy).
 * Returns the inputs of the statically loaded outputs (test/bundle-startup.test.ts checks the same at
 * run time).
 */
function assertStdioStartPathIsLean(metafile, entryPath) {
  const staticOutputs = new Set();
  // The stdio server imports the client, the desk and the tools right after the handshake (issue 13):
  // what those chunks load statically is on every session's first-call path, so it is checked too.
  const entryOf = (entryPoint) => FIRST_CALL_MODULES.includes(entryPoint) || TOOL_MODULE.test(entryPoint ?? "");
  const firstCall = Object.entries(metafile.outputs)
    .filter(([, output]) => entryOf(output.entryPoint))
    .map(([path]) => path);
  const found = new Set(Object.values(metafile.outputs).map((output) => output.entryPoint));
  const missing = [...FIRST_CALL_MODULES, ...LAZY_CHUNK_MODULES].filter((module) => !found.has(module));
  if (missing.length > 0) throw new Error(`expected a chunk for each of ${missing.join(", ")}`);
  const pending = [entryPath, ...firstCall];
  while (pending.length > 0) {
    const path = pending.pop();
    if (staticOutputs.has(path) || !metafile.outputs[path]) continue;
    staticOutputs.add(path);
    for (const imported of metafile.outputs[path].imports) {
      if (!imported.external && imported.kind === "import-statement") pending.push(imported.path);
    }
  }
  const eager = [...staticOutputs].flatMap((path) => Object.keys(metafile.outputs[path].inputs));
  const offending = eager.filter((input) => LAZY_ONLY.some((pattern) => pattern.test(input)));
  if (offending.length > 0) {
    throw new Error(`the stdio start path loads modules that must stay in lazily imported chunks: ${offending.slice(0, 5).join(", ")}`);
  }
  const npmUndici = Object.keys(metafile.inputs).filter((input) => input.includes("node_modules/undici/"));
  if (npmUndici.length > 0) throw new Error("the npm undici package is bundled; the client must use the runtime's built-in fetch and Agent");
  return eager;
}

function sourceFiles(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((item) => {
    const path = join(directory, item.name);
    if (item.isDirectory()) return sourceFiles(path);
    return item.name.endsWith(".ts") && !item.name.endsWith(".test.ts") ? [path] : [];
  });
}

const usesZodLocales = sourceFiles(join(root, "src")).some((file) => /\blocales\./.test(readFileSync(file, "utf8")));

/**
 * zod's `jitless` before any schema exists. zod 4 decides per object schema, when the schema is built,
 * whether to compile a fast path with `new Function` on its first parse; src/index.ts sets `jitless`,
 * but in the bundle the SDK's protocol schemas, the configuration's and the MCP request schemas are
 * built while their chunks are evaluated, before the entry's own code runs, and kept their compiled
 * fast paths (about 20 ms of start-up and first-answer CPU, bench/README.md). zod shares its settings
 * across copies through `globalThis.__zod_globalConfig`, created on first load unless it exists, so a
 * line that sets it first, in every output file's banner, applies to every schema. The build fails if
 * zod stops reading that object, so that an upgrade cannot drop the setting silently.
 */
const ZOD_GLOBAL_CONFIG = "globalThis.__zod_globalConfig";
const zodCoreSource = readFileSync(join(dirname(createRequire(import.meta.url).resolve("zod/v4/core")), "core.js"), "utf8");
if (!zodCoreSource.includes(ZOD_GLOBAL_CONFIG)) {
  throw new Error(`zod no longer reads ${ZOD_GLOBAL_CONFIG}; set jitless another way before the bundle's schemas are built`);
}
const zodJitlessFirst = `${ZOD_GLOBAL_CONFIG} ??= {}; ${ZOD_GLOBAL_CONFIG}.jitless = true;`;

// tools/list and prompts/list are computed here, from tsc's output of the same sources, instead of
// converting zod schemas to JSON Schema on the first request, or building the prompts' schemas at start-up
// (src/precomputed.ts reads them). A stale dist/ would be a build error.
const { TOOLS } = await import(pathToFileURL(join(outdir, "tools", "index.js")).href);
const { toListedTool } = await import(pathToFileURL(join(outdir, "server.js")).href);
const { listedPrompts } = await import(pathToFileURL(join(outdir, "mcp", "prompts.js")).href);
const precomputedToolList = JSON.stringify(TOOLS.map(toListedTool));
const precomputedPromptList = JSON.stringify(listedPrompts());

await rm(join(outdir, "bundle-chunks"), { recursive: true, force: true });
const shared = sharedBuildOptions({ zodLocales: usesZodLocales });
const result = await build({
  ...shared,
  absWorkingDir: root,
  entryPoints: { [ENTRY_NAME]: entry },
  outdir,
  // String literals of the JSON (parsed on first use, src/precomputed.ts), not object literals.
  define: { __PRECOMPUTED_TOOL_LIST__: JSON.stringify(precomputedToolList), __PRECOMPUTED_PROMPT_LIST__: JSON.stringify(precomputedPromptList) },
  banner: { js: `${shared.banner.js} ${zodJitlessFirst}` },
  plugins: [sandboxStaysExternal, ...shared.plugins],
});

// version.ts finds package.json one level up from its own file: it must stay in the entry, not a chunk.
const entryOutput = result.metafile.outputs[relative(root, outfile).split("\\").join("/")];
if (!entryOutput || !Object.keys(entryOutput.inputs).some((input) => input.endsWith("src/version.ts"))) {
  throw new Error("src/version.ts is not in the bundled entry; its ../package.json would not resolve from a chunk");
}
assertStdioStartPathIsLean(result.metafile, relative(root, outfile).split("\\").join("/"));
await chmod(outfile, 0o755);

// The metrics chart's rasteriser (resvg compiled to WebAssembly) ships beside the bundle, so the chart
// chunk finds it without node_modules (Claude Desktop bundle, plugin). See src/desk/reports/chart.ts.
await mkdir(join(outdir, "assets"), { recursive: true });
await copyFile(createRequire(import.meta.url).resolve("@resvg/resvg-wasm/index_bg.wasm"), join(outdir, "assets", "resvg.wasm"));

const { size } = await stat(outfile);
const inputs = Object.keys(result.metafile.inputs);
const packageInputs = inputs.filter((path) => path.includes("node_modules/"));
const packages = new Set(
  packageInputs.map((path) => {
    const parts = path.split("node_modules/").pop().split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }),
);
const chunks = Object.entries(result.metafile.outputs)
  .filter(([path]) => path.endsWith(".js") && path.includes("bundle-chunks/"))
  .map(([path, output]) => `${path} ${(output.bytes / 1024).toFixed(0)} KiB`);
console.log(
  `bundle: ${relative(root, outfile)} ${(size / 1024).toFixed(0)} KiB (chunks: ${chunks.join(", ") || "none"}) ` +
    `from ${inputs.length} modules, ${inputs.length - packageInputs.length} own and ${packageInputs.length} from ${packages.size} packages` +
    `${usesZodLocales ? "; all zod locales kept (src uses z.locales)" : ""}`,
);
