import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { environmentFor, parseCommandLine } from "./cli.js";

describe("parseCommandLine", () => {
  it.each([
    [["--help"], "help"],
    [["-h"], "help"],
    [["--version"], "version"],
    [["-v"], "version"],
    [["--sandbox", "--help"], "help"],
  ])("%j -> %s", (argv, kind) => {
    expect(parseCommandLine(argv).kind).toBe(kind);
  });

  it("runs the server by default and the check with --check", () => {
    expect(parseCommandLine([])).toEqual({ kind: "run", sandbox: false });
    expect(parseCommandLine(["--check", "--sandbox", "--sandbox-state", "s.json", "--dotenv", ".env"])).toEqual({
      kind: "check",
      sandbox: true,
      sandboxState: "s.json",
      dotenvFile: ".env",
    });
    expect(parseCommandLine(["--sandbox-state=x.json"])).toMatchObject({ sandboxState: "x.json" });
  });

  it.each([[["--bogus"]], [["positional"]], [["--sandbox-state"]], [["--dotenv="]], [["--check=yes"]]])("%j is a usage error", (argv) => {
    const command = parseCommandLine(argv);
    expect(command.kind).toBe("usage-error");
  });
});

describe("environmentFor", () => {
  const files: Record<string, string> = {
    ".env": "AUTOTASK_USERNAME=file-user\n# comment\nAUTOTASK_SECRET=\"quoted value\"\nLOG_LEVEL=debug\n",
  };
  const read = (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error("missing"), { code: "ENOENT" });
    return text;
  };

  it("reads the env file under the process environment, which wins", () => {
    const env = environmentFor({ sandbox: false, dotenvFile: ".env" }, { LOG_LEVEL: "warn" }, read);
    expect(env).toMatchObject({ AUTOTASK_USERNAME: "file-user", AUTOTASK_SECRET: "quoted value", LOG_LEVEL: "warn" });
  });

  it("maps --sandbox and --sandbox-state onto their variables", () => {
    expect(environmentFor({ sandbox: true, sandboxState: "s.json" }, { AUTOTASK_SANDBOX: "false" }, read)).toMatchObject({
      AUTOTASK_SANDBOX: "true",
      AUTOTASK_SANDBOX_STATE: "s.json",
    });
  });

  it("names an unreadable file without echoing any value", () => {
    expect(() => environmentFor({ sandbox: false, dotenvFile: "nope.env" }, {}, read)).toThrow("--dotenv nope.env: cannot read it (ENOENT)");
  });

  it("never loses a variable to a line without = silently: it is read, or the line is named, never the value", () => {
    const file = "AUTOTASK_USERNAME=api@example.com\nbogus line\nAUTOTASK_SECRET=xyzw-secret\n";
    const attempt = () => environmentFor({ sandbox: false, dotenvFile: ".env" }, {}, () => file);
    if ("AUTOTASK_SECRET" in parseEnv(file)) {
      // Node 24's parser skips the bad line.
      expect(attempt()).toMatchObject({ AUTOTASK_USERNAME: "api@example.com", AUTOTASK_SECRET: "xyzw-secret" });
    } else {
      // Node 20's swallows the next line with it.
      expect(attempt).toThrow("--dotenv .env: line 3 (AUTOTASK_SECRET) was not read; check the line before it, which must be NAME=value");
      expect(attempt).not.toThrow(/xyzw/);
    }
    // Comments, blank lines, export and quoted values are fine.
    const good = '# comment\n\nexport LOG_LEVEL=debug\nAUTOTASK_SECRET="a=b c"\n';
    expect(environmentFor({ sandbox: false, dotenvFile: ".env" }, {}, () => good)).toEqual({ LOG_LEVEL: "debug", AUTOTASK_SECRET: "a=b c" });
  });

  it("reads nothing when no file is given", () => {
    expect(environmentFor({ sandbox: false }, { A: "1" }, read)).toEqual({ A: "1" });
  });
});
