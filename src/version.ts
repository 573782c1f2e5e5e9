/**
 * The server's name and version, read from package.json so that what clients see always matches
 * what was released.
 */
import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  name: string;
  version: string;
};

export const SERVER_NAME: string = manifest.name;
export const SERVER_VERSION: string = manifest.version;
