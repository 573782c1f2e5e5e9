/** loadProfile failures (issue 10): one line, naming the path, never quoting the file. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProfile } from "./profile.js";

const dir = mkdtempSync(join(tmpdir(), "profile-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = "Zq9-never-echo-this-9qZ";

function failureOf(content: string): string {
  const path = join(dir, `p${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, content);
  try {
    loadProfile(path);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("loadProfile accepted an invalid profile");
}

describe("loadProfile with a file that is not a valid profile", () => {
  it.each([
    ["an env file", `AUTOTASK_SECRET=${SECRET}\nAUTOTASK_INTEGRATION_CODE=${SECRET}\n`],
    ["JSON with the secret where a picklist should be", JSON.stringify({ name: "x", picklists: { Tickets: { status: SECRET } } })],
    ["JSON whose keys are the secret", JSON.stringify({ name: "x", picklists: { [SECRET]: { [SECRET]: [{ value: 1 }] } } })],
    ["a JSON string", JSON.stringify(SECRET)],
    ["truncated JSON", `{"name": "${SECRET}", "picklists": {`],
  ])("%s: one line, names the path, never the content", (_label, content) => {
    const message = failureOf(content);
    expect(message).toContain(dir);
    expect(message).toContain("not a valid profile");
    expect(message).not.toContain("\n");
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain("Zq9");
  });

  it("a directory is refused in one line", () => {
    expect(() => loadProfile(`${dir}/`)).toThrow(/cannot be read|not a valid profile/);
  });
});
