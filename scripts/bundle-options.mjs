/**
 * The esbuild settings of the shipped bundle, shared by scripts/bundle.mjs (the product) and
 * bench/run.mjs (the bare-SDK floor), so that the benchmark's floor is bundled exactly like the
 * product and start-up ratios compare code, not packaging.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * With code splitting, esbuild turns a dynamically imported CommonJS package into a chunk that has only
 * a default export, so `import("undici").then(({ Agent }) => ...)` would get `Agent` undefined. Such
 * imports are routed through a small ES module that re-exports the package's names one by one (taken
 * from the package's CommonJS exports at build time), which is what Node gives the unbundled code.
 */
export const namedExportsForLazyCommonJs = {
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
export const zodEnglishOnly = {
  name: "zod-english-only",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * pino without the parts a stdio server never runs (issue 13). The logger writes JSON lines to fd 2 through
 * pino's synchronous destination and uses no transport, but pino's CommonJS tree loads its transport support
 * (`thread-stream` and `worker_threads`) and sonic-boom loads Node's `assert` (about 14 ms on a cold start)
 * for one argument check. In the bundle: `pino.transport` throws (src/ never calls it), pino reads
 * `isMainThread` as true (the bundled server runs on the main thread), and sonic-boom's one `assert` call
 * is a plain check with the same message. The unbundled code (tsc output, tests) uses pino unchanged.
 */
export const pinoWithoutTransports = {
  name: "pino-without-transports",
  setup(pluginBuild) {
    const inPackage = (importer, name) => new RegExp(`[\\\\/]node_modules[\\\\/]${name}[\\\\/]`).test(importer);
    pluginBuild.onResolve({ filter: /^(\.\/transport|worker_threads|assert)$/ }, (args) => {
      if (args.path === "./transport" && inPackage(args.importer, "pino")) return { path: "transport", namespace: "pino-stub" };
      if (args.path === "worker_threads" && inPackage(args.importer, "pino")) return { path: "worker_threads", namespace: "pino-stub" };
      if (args.path === "assert" && inPackage(args.importer, "sonic-boom")) return { path: "assert", namespace: "pino-stub" };
      return undefined;
    });
    pluginBuild.onResolve({ filter: /^\.\/lib\/transport$/ }, (args) =>
      inPackage(args.importer, "pino") ? { path: "transport", namespace: "pino-stub" } : undefined,
    );
    const stubs = {
      transport: 'module.exports = function transport() { throw new Error("pino transports are not part of this bundle"); };',
      worker_threads: "module.exports = { isMainThread: true };",
      assert: 'module.exports = function assert(value, message) { if (!value) throw new Error(message); };',
    };
    pluginBuild.onLoad({ filter: /.*/, namespace: "pino-stub" }, (args) => ({ contents: stubs[args.path], loader: "js" }));
  },
};

/**
 * Options common to every bundle: ESM for node20, minified, code splitting into `chunkNames`, a
 * `createRequire` banner (CommonJS dependencies call `require` for Node built-ins), zod English only.
 * The caller adds entryPoints, outdir and its own plugins.
 */
export function sharedBuildOptions({ chunkNames = "bundle-chunks/[name]-[hash]", zodLocales = false } = {}) {
  return {
    splitting: true,
    chunkNames,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: true,
    sourcemap: "linked",
    legalComments: "eof",
    metafile: true,
    logLevel: "warning",
    plugins: [namedExportsForLazyCommonJs, pinoWithoutTransports, ...(zodLocales ? [] : [zodEnglishOnly])],
    banner: {
      // An entry's own `#!/usr/bin/env node` is kept by esbuild on the first line; this goes after it.
      js: 'import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);',
    },
  };
}
