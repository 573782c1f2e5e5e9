/**
 * What bench/run.mjs and bench/profile.mjs share: the package root, the floor bundled like the product, and
 * the product's environment for a sandbox.
 */
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The floor's source: the bare SDK server with one search tool (bench/floor-server.mjs). */
export const FLOOR_SOURCE = join(root, "bench", "floor-server.mjs");

/**
 * Bundles bench/floor-server.mjs with the product's esbuild options (scripts/bundle-options.mjs) into
 * `outdir` (emptied first). @returns the bundle's path, `<outdir>/floor-server.js`.
 */
export async function bundleFloor(outdir) {
  const { build } = await import("esbuild");
  const { sharedBuildOptions } = await import(pathToFileURL(join(root, "scripts", "bundle-options.mjs")).href);
  await rm(outdir, { recursive: true, force: true });
  await build({ ...sharedBuildOptions(), absWorkingDir: root, entryPoints: { "floor-server": FLOOR_SOURCE }, outdir });
  return join(outdir, "floor-server.js");
}

/** Product environment pointing at a sandbox, with nothing from the bench process's own environment. */
export function productEnv(sandbox, extra = {}) {
  return {
    PATH: process.env.PATH ?? "",
    AUTOTASK_API_URL: sandbox.apiUrl,
    AUTOTASK_USERNAME: sandbox.credentials.username,
    AUTOTASK_SECRET: sandbox.credentials.secret,
    AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode,
    LOG_LEVEL: "info",
    ...extra,
  };
}
