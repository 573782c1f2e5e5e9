/**
 * An esbuild plugin shared by scripts/bundle.mjs and scripts/bundle-standalone.mjs.
 */
import { createRequire } from "node:module";
import { join } from "node:path";

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
