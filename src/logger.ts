/**
 * The server's logger: pino writing JSON lines to STDERR only, because stdout carries the MCP protocol
 * (a stray line there breaks stdio clients).
 *
 * Credentials never reach a log line, even at `trace`:
 * - any field, at any depth, whose name looks like a credential (`Secret`, `ApiIntegrationCode`,
 *   `UserName` headers in any casing, `password`, `token`, `apiKey`, `authorization`...) is replaced by
 *   "[Redacted]";
 * - the values passed as `secrets` are blanked out of the final line wherever they appear (a message
 *   string, an error text), as a last line of defence.
 *
 * @example
 *   const logger = createLogger({ level: "info", secrets: [config.credentials.secret] });
 */
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: string;
  /** Defaults to stderr (fd 2). Tests pass their own stream. */
  destination?: DestinationStream;
  /** Exact values to blank out of every line (the API secret, the integration code). */
  secrets?: readonly (string | undefined)[];
}

export const REDACTED = "[Redacted]";

/** Field names treated as credentials wherever they occur. */
const SENSITIVE_KEY =
  /^(secret|apisecret|clientsecret|password|passwd|pwd|token|accesstoken|refreshtoken|apikey|api_key|apiintegrationcode|integrationcode|authorization|cookie|set-cookie|username|user-name)$|secret|password|token/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  const secrets = (options.secrets ?? []).filter((value): value is string => typeof value === "string" && value.length >= 4);
  return pino(
    {
      level: options.level,
      base: undefined,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrub(object) as Record<string, unknown>,
        bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
      },
      hooks:
        secrets.length > 0
          ? {
              streamWrite: (line: string) => secrets.reduce((text, secret) => text.split(secret).join(REDACTED), line),
            }
          : {},
    },
    destination,
  );
}

/** Copies plain objects and arrays, replacing sensitive fields. Errors and other instances pass through. */
function scrub(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    return isFetchHeaders(value) ? scrub(Object.fromEntries(value.entries()), depth + 1) : value;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = isSensitiveKey(key) ? REDACTED : scrub(field, depth + 1);
  }
  return copy;
}

/**
 * Recognises fetch `Headers` by their tag instead of `instanceof Headers`: reading the global `Headers`
 * makes Node load its built-in fetch implementation, which the first log line of a stdio server has no
 * other reason to do (about 14% of start-up, measured by bench/run.mjs).
 */
function isFetchHeaders(value: object): value is Headers {
  return Object.prototype.toString.call(value) === "[object Headers]" && typeof (value as Headers).entries === "function";
}
