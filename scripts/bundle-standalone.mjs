#!/usr/bin/env node
/**
 * `npm run build:plugin`: builds the self-contained server that the Claude Code plugin (plugin/) and
 * the Claude Desktop bundle (.mcpb) run, into plugin/server/:
 *
 *   plugin/server/autotask-tickets-mcp.js   one ESM file: server, client, dependencies AND the sandbox
 *   plugin/server/fixtures/profiles/*.json  the sandbox's tenant profiles
 *
 * It differs from scripts/bundle.mjs (the npm package's bin) on purpose: a plugin is copied out of the
 * repository on its own, with no node_modules, no package.json and no dist/, so nothing may be loaded
 * from outside plugin/server/:
 * - the embedded sandbox is bundled in (`--sandbox` must work from the plugin); what the entry imports
 *   lazily (the sandbox, undici, the --check report) goes to chunks/ beside it, as in the npm bundle.
 *   (Without splitting, esbuild's lazy module wrappers initialise zod's circular modules out of order.)
 * - src/version.ts, which reads ../package.json at run time, is replaced by the name and version read
 *   now, at build time;
 * - the sandbox's profiles folder (`../../fixtures/profiles/` from src/sandbox/) becomes
 *   `../fixtures/profiles/` from the chunk the sandbox lands in (chunks/, checked below), and the
 *   profiles are copied to plugin/server/fixtures/profiles/.
 * No source map and no timestamps, so the same sources always give the same bytes: the plugin's bundle
 * is committed (Claude Code installs plugins from git without a build step) and CI rebuilds it and
 * fails when the committed copy differs (`npm run build:plugin -- --check`).
 */
import { readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { namedExportsForLazyCommonJs, pinoWithoutTransports } from "./bundle-options.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const checkOnly = process.argv.includes("--check");
const target = join(root, "plugin", "server");
const outdir = checkOnly ? await mkdtemp(join(tmpdir(), "plugin-server-")) : target;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const PROFILES_FROM_SANDBOX = '"../../fixtures/profiles/"';

/** Build-time replacements that keep the bundle self-contained; each must find its target. */
const selfContained = {
  name: "self-contained",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      contents: `export const SERVER_NAME = ${JSON.stringify(pkg.name)};\nexport const SERVER_VERSION = ${JSON.stringify(pkg.version)};\n`,
      loader: "ts",
    }));
    pluginBuild.onLoad({ filter: /[\\/]src[\\/]sandbox[\\/]profile\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes(PROFILES_FROM_SANDBOX)) {
        throw new Error(`src/sandbox/profile.ts no longer contains ${PROFILES_FROM_SANDBOX}; update scripts/bundle-standalone.mjs`);
      }
      return { contents: source.replace(PROFILES_FROM_SANDBOX, '"../fixtures/profiles/"'), loader: "ts" };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const outfile = join(outdir, "autotask-tickets-mcp.js");
const result = await build({
  metafile: true,
  absWorkingDir: root,
  entryPoints: { "autotask-tickets-mcp": join(root, "src", "index.ts") },
  outdir,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
  plugins: [selfContained, namedExportsForLazyCommonJs, pinoWithoutTransports],
  banner: {
    js: 'import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);',
  },
});
const profileOutput = Object.entries(result.metafile.outputs).find(([, output]) =>
  Object.keys(output.inputs).some((input) => input.endsWith("src/sandbox/profile.ts")),
);
if (!profileOutput?.[0].includes("/chunks/")) {
  throw new Error(`src/sandbox/profile.ts must land in chunks/ for ../fixtures/profiles/ to resolve (it is in ${profileOutput?.[0]})`);
}
await cp(join(root, "fixtures", "profiles"), join(outdir, "fixtures", "profiles"), { recursive: true });
// The metrics chart (a lazily loaded chunk) finds its rasteriser and font in assets/ above its own folder
// (src/desk/reports/chart.ts), so both ship beside the bundle.
await mkdir(join(outdir, "assets", "fonts"), { recursive: true });
await cp(createRequire(import.meta.url).resolve("@resvg/resvg-wasm/index_bg.wasm"), join(outdir, "assets", "resvg.wasm"));
for (const name of ["DejaVuSans.ttf", "LICENSE-DejaVu.txt"]) {
  await cp(join(root, "assets", "fonts", name), join(outdir, "assets", "fonts", name));
}

if (checkOnly) {
  const differences = await compareTrees(outdir, target);
  await rm(outdir, { recursive: true, force: true });
  if (differences.length > 0) {
    console.error(`plugin/server/ is not what the sources build (${differences.join(", ")}). Run \`npm run build:plugin\` and commit plugin/server/.`);
    process.exit(1);
  }
  console.log("plugin/server/ matches the sources");
} else {
  const { size } = await stat(outfile);
  console.log(`plugin bundle: ${relative(root, outfile)} ${(size / 1024).toFixed(0)} KiB, self-contained (sandbox and profiles included)`);
}

/** Relative paths that differ between two folders (missing on either side, or different bytes). */
async function compareTrees(built, committed) {
  const list = async (base) =>
    (await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(base, join(entry.parentPath ?? entry.path, entry.name)))
      .sort();
  const [left, right] = [await list(built), await list(committed)];
  const names = [...new Set([...left, ...right])].sort();
  const differences = [];
  for (const name of names) {
    const [a, b] = await Promise.all([readFile(join(built, name)).catch(() => null), readFile(join(committed, name)).catch(() => null)]);
    if (!a || !b || !a.equals(b)) differences.push(name);
  }
  return differences;
}
