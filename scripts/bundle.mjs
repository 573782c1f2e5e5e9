#!/usr/bin/env node
/**
 * `npm run bundle`: bundles src/index.ts and everything it imports (SDK, zod, pino, undici, date-fns)
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
 * - Code splitting: what the entry imports dynamically (undici, about 520 KiB, loaded by the client on
 *   its first request) goes to dist/bundle-chunks/ and is neither read nor compiled at start-up. A
 *   dynamically imported CommonJS package keeps its named exports (see namedExportsForLazyCommonJs).
 * - zod's 48 message locales (about 260 KiB) are reachable only through the `z.locales` namespace;
 *   English, the default, is imported by zod directly. The bundle keeps `en` alone, unless src/ uses
 *   `locales.` somewhere, in which case every locale is bundled as usual.
 * - pino and a few other dependencies are CommonJS and call `require` for Node built-ins; ESM output
 *   has no `require`, so a banner defines one with `createRequire` in every output file.
 * - pino's transports (worker threads) are not used: the logger writes to fd 2 through sonic-boom.
 *
 * Measured by bench/run.mjs: splitting and the locale trim together take resident memory after
 * `tools/list` from about 1.18 x to about 1.02 x the bare-SDK reference server.
 */
import { readdirSync, readFileSync } from "node:fs";
import { chmod, copyFile, mkdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

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
 * With code splitting, esbuild turns a dynamically imported CommonJS package into a chunk that has only
 * a default export, so `import("undici").then(({ Agent }) => ...)` would get `Agent` undefined. Such
 * imports are routed through a small ES module that re-exports the package's names one by one (taken
 * from the package's CommonJS exports at build time), which is what Node gives the unbundled code.
 */
const namedExportsForLazyCommonJs = {
  name: "named-exports-for-lazy-commonjs",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== "dynamic-import" || args.namespace !== "file") return undefined;
      let names;
      try {
        names = Object.keys(createRequire(join(args.resolveDir, "index.js"))(args.path));
      } catch {
        return undefined; // ESM-only packages keep their own named exports
      }
      return { path: args.path, namespace: "lazy-commonjs", pluginData: { names, resolveDir: args.resolveDir } };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: "lazy-commonjs" }, (args) => {
      const { names, resolveDir } = args.pluginData;
      const identifiers = names.filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
      const lines = [`import * as lazyModule from ${JSON.stringify(args.path)};`, "export default lazyModule.default;"];
      for (const name of identifiers) lines.push(`export const ${name} = lazyModule.${name};`);
      return { contents: lines.join("\n"), resolveDir, loader: "js" };
    });
  },
};

/** Replaces zod's locale index (the `z.locales` namespace) with English only. */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

function sourceFiles(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((item) => {
    const path = join(directory, item.name);
    if (item.isDirectory()) return sourceFiles(path);
    return item.name.endsWith(".ts") && !item.name.endsWith(".test.ts") ? [path] : [];
  });
}

const usesZodLocales = sourceFiles(join(root, "src")).some((file) => /\blocales\./.test(readFileSync(file, "utf8")));

await rm(join(outdir, "bundle-chunks"), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { [ENTRY_NAME]: entry },
  outdir,
  splitting: true,
  chunkNames: "bundle-chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  sourcemap: "linked",
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
  plugins: [sandboxStaysExternal, namedExportsForLazyCommonJs, ...(usesZodLocales ? [] : [zodEnglishOnly])],
  banner: {
    // The entry's own `#!/usr/bin/env node` is kept by esbuild on the first line; this goes after it.
    js: 'import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);',
  },
});

// version.ts finds package.json one level up from its own file: it must stay in the entry, not a chunk.
const entryOutput = result.metafile.outputs[relative(root, outfile).split("\\").join("/")];
if (!entryOutput || !Object.keys(entryOutput.inputs).some((input) => input.endsWith("src/version.ts"))) {
  throw new Error("src/version.ts is not in the bundled entry; its ../package.json would not resolve from a chunk");
}
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
