/**
 * Command-line arguments of the server binary, parsed with Node's own `util.parseArgs` (strict: an
 * unknown flag or a missing value is an error) and the optional env file read with Node's own
 * `util.parseEnv` (the parser behind `node --env-file`), so neither needs a dependency. The flag is
 * `--dotenv`, not `--env-file`: Node 20 takes `--env-file` for itself even after the script name.
 *
 * `parseCommandLine` is pure: it returns what to do, and `src/index.ts` does it. Exit codes follow
 * the usual CLI convention: 0 for help and version, 2 for a usage error, 1 for a failed run or check.
 */
import { readFileSync } from "node:fs";
import { parseArgs, parseEnv } from "node:util";

export const USAGE = `Usage: autotask-tickets-mcp [options]

An MCP server (stdio) for Autotask PSA service desks. Started by an MCP client
(Claude Desktop, Claude Code, the MCP Inspector); configuration comes from
environment variables (see .env.example and the README).

Options:
  --check                 connect with the configured credentials, print what was found
                          (API user, zone, ticket statuses and priorities, requests used
                          this hour) or the problem and its fix, then exit 0 or 1
  --sandbox               run against the embedded Autotask sandbox (no account needed)
  --sandbox-state FILE    keep the embedded sandbox's data in FILE across restarts
                          (same as AUTOTASK_SANDBOX_STATE)
  --dotenv FILE           read variables from FILE (KEY=value lines, like .env);
                          variables already set in the environment win
  --http                  serve MCP over Streamable HTTP at /mcp for a team (bearer
                          tokens from AUTOTASK_HTTP_TOKENS_FILE; see the README)
  --port N                HTTP port (default 8787); needs --http
  --host ADDRESS          HTTP bind address (default 127.0.0.1); needs --http
  -h, --help              print this help and exit
  -v, --version           print the version and exit`;

/** What the command line asks for. */
export type CliCommand =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "usage-error"; message: string }
  | { kind: "run" | "check"; sandbox: boolean; sandboxState?: string; dotenvFile?: string; http?: { port: number; host: string } };

/**
 * Parses `argv` (without node and script). Never throws: a bad command line is a `usage-error`
 * carrying one line naming the problem.
 */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  let values: {
    help?: boolean;
    version?: boolean;
    check?: boolean;
    sandbox?: boolean;
    "sandbox-state"?: string;
    dotenv?: string;
    http?: boolean;
    port?: string;
    host?: string;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
        check: { type: "boolean" },
        sandbox: { type: "boolean" },
        "sandbox-state": { type: "string" },
        dotenv: { type: "string" },
        http: { type: "boolean" },
        port: { type: "string" },
        host: { type: "string" },
      },
    }));
  } catch (error) {
    return { kind: "usage-error", message: (error as Error).message };
  }
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (values["sandbox-state"] === "") return { kind: "usage-error", message: "Option '--sandbox-state <value>' needs a file path" };
  if (values.dotenv === "") return { kind: "usage-error", message: "Option '--dotenv <value>' needs a file path" };
  if (!values.http && (values.port !== undefined || values.host !== undefined)) return { kind: "usage-error", message: "--port and --host need --http" };
  const port = Number(values.port ?? "8787");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) return { kind: "usage-error", message: `--port must be a port number 0-65535, got "${values.port}"` };
  if (values.http && values.check) return { kind: "usage-error", message: "--check and --http cannot be combined" };
  return {
    kind: values.check ? "check" : "run",
    ...(values.http ? { http: { port, host: values.host ?? "127.0.0.1" } } : {}),
    sandbox: values.sandbox === true,
    ...(values["sandbox-state"] === undefined ? {} : { sandboxState: values["sandbox-state"] }),
    ...(values.dotenv === undefined ? {} : { dotenvFile: values.dotenv }),
  };
}

/**
 * The environment the configuration is parsed from: the env file's variables (if one is given)
 * under the process environment, which wins, plus what the flags imply (`--sandbox` sets
 * AUTOTASK_SANDBOX, `--sandbox-state` sets AUTOTASK_SANDBOX_STATE).
 *
 * @throws Error with one line naming the file when it cannot be read. Values are never echoed.
 */
export function environmentFor(
  command: { sandbox: boolean; sandboxState?: string; dotenvFile?: string },
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): Record<string, string | undefined> {
  let fromFile: Record<string, string> = {};
  if (command.dotenvFile !== undefined) {
    let text: string;
    try {
      text = readFile(command.dotenvFile);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(`--dotenv ${command.dotenvFile}: cannot read it (${code ?? (error as Error).message})`);
    }
    fromFile = parseEnv(text) as Record<string, string>;
    // Node's parser swallows the line after one without "=" (Node 20): say so instead of reporting the variable
    // as missing later. Only the name and the line number are shown, never a value.
    text.split(/\r?\n/).forEach((line, index) => {
      const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
      if (name !== undefined && !(name in fromFile)) {
        throw new Error(`--dotenv ${command.dotenvFile}: line ${index + 1} (${name}) was not read; check the line before it, which must be NAME=value`);
      }
    });
  }
  return {
    ...fromFile,
    ...env,
    ...(command.sandbox ? { AUTOTASK_SANDBOX: "true" } : {}),
    ...(command.sandboxState === undefined ? {} : { AUTOTASK_SANDBOX_STATE: command.sandboxState }),
  };
}
