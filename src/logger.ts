/**
 * The server's logger: pino writing JSON lines to STDERR only, because stdout carries the MCP protocol
 * (a stray line there breaks stdio clients). The stdio server holds its first lines and loads this module
 * after the handshake (src/log.ts, `createDeferredLogger`); tests and the team server call it directly.
 *
 * Credentials never reach a log line, even at `trace` (src/log-redaction.ts):
 * - any field, at any depth, whose name looks like a credential (`Secret`, `ApiIntegrationCode`,
 *   `UserName` headers in any casing, `password`, `token`, `apiKey`, `authorization`...) is replaced by
 *   "[Redacted]";
 * - the values passed as `secrets` are blanked out of the final line wherever they appear (a message
 *   string, an error text), as a last line of defence: verbatim and in the encodings a value takes on
 *   its way into a JSON log line or an echoed error text, in any letter case (JSON-escaped, percent- and
 *   form-encoded, HTML-escaped, base64, HTTP Basic), see `secretPattern`.
 *
 * @example
 *   const logger = createLogger({ level: "info", secrets: [config.credentials.secret] });
 */
import pino, { type DestinationStream } from "pino";
import type { Logger } from "./log.js";
import { redactSecrets, scrub, secretPattern } from "./log-redaction.js";

export type { Logger } from "./log.js";

export interface LoggerOptions {
  level: string;
  /** Defaults to stderr (fd 2). Tests pass their own stream. */
  destination?: DestinationStream;
  /** Exact values to blank out of every line, in every encoding (the API secret, the integration code). */
  secrets?: readonly (string | undefined)[];
  /** The API user, for blanking HTTP Basic's `base64(username:secret)` (see `secretPattern`). */
  username?: string;
  /**
   * The `time` written on each line, epoch ms; default `Date.now()`. The deferred logger passes the time
   * a held line was logged at, so that lines written late keep their own time.
   */
  time?: () => number;
}

/** @returns a pino logger (level names as `level`, no pid or hostname), writing synchronously. */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  const secrets = secretPattern(options.secrets ?? [], options.username);
  const time = options.time;
  return pino(
    {
      level: options.level,
      base: undefined,
      // pino's own epoch-time format (`,"time":<ms>`), with the time taken from `options.time` when given.
      ...(time ? { timestamp: () => `,"time":${time()}` } : {}),
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrub(object) as Record<string, unknown>,
        bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
      },
      hooks: secrets ? { streamWrite: (line: string) => redactSecrets(line, secrets) } : {},
    },
    destination,
  );
}
