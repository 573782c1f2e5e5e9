import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The domain rules must stay pure: no clock, no I/O, no imports from the rest of the project.
const here = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(here).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));
const ALLOWED_IMPORTS = /^(\.\/[\w-]+\.js|date-fns(\/[\w-]+)?|@date-fns\/tz)$/;

describe.each(sources)("%s", (name) => {
  const text = readFileSync(join(here, name), "utf8");

  it("imports only sibling modules and date-fns", () => {
    const imports = [...text.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]);
    expect(imports.filter((path) => !ALLOWED_IMPORTS.test(path ?? ""))).toEqual([]);
  });

  it("never reads the clock or does I/O", () => {
    expect(text).not.toMatch(/Date\.now\(|new Date\(\)|performance\.now|process\.|console\.|fetch\(/);
  });

  it("starts with a header comment", () => {
    expect(text.startsWith("/**")).toBe(true);
  });
});
