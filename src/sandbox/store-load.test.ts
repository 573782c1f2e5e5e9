/** SandboxStore.load failures: one line naming the file and the fix, never quoting the file (a wrong path can point at anything). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProfile } from "./profile.js";
import { SandboxStore } from "./store.js";

const dir = mkdtempSync(join(tmpdir(), "store-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = "topsecretVALUE123";

function failureOf(content: string): string {
  const path = join(dir, `s${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, content);
  try {
    SandboxStore.load(path, loadProfile());
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the load to fail");
}

describe("SandboxStore.load", () => {
  it.each([
    ["not JSON", `{"tickets": [1, ${SECRET}, 3]}`],
    ["not JSON", `AUTOTASK_SECRET=${SECRET}\n`],
    ["no tables", `{"version":1,"secret":"${SECRET}"}`],
  ])("refuses a file that is %s in one line, without its content", (reason, content) => {
    const message = failureOf(content);
    expect(message).toContain(`is unreadable (${reason}); delete or move it`);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain("tickets");
    expect(message.split("\n")).toHaveLength(1);
  });
});
