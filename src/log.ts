/**
 * The logger every module takes (`Logger`: pino's six level methods and `child`), a silent one, and the
 * stdio server's deferred logger. Nothing here loads pino.
 *
 * Why deferred (issue 13): loading pino (about 47 KB of CommonJS with sonic-boom, safe-stable-stringify
 * and friends) and writing a first line costs 10 to 14 ms of CPU, close to a tenth of a stdio start-up
 * (bench/README.md). A stdio server has nothing it must log before the host has its tool list, so it holds
 * its lines and loads pino afterwards (src/logger.ts, `createLogger`, the same configuration and redaction
 * as everywhere else). Held lines are written in order, each with the time it was logged at.
 */
import type { LogFn } from "pino";
import { scrub } from "./log-redaction.js";
import type { LoggerOptions } from "./logger.js";
import { loadOnce } from "./once.js";

/** What the code logs through; a pino logger is one. */
export interface Logger {
  readonly level: string;
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

/** pino's standard level values (pino's `levels.values`). */
const LEVEL_VALUES = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
type Method = keyof typeof LEVEL_VALUES;
const METHODS = Object.keys(LEVEL_VALUES) as Method[];

const ignore = () => undefined;

/** Logs nothing (the desk's default when it is built without a logger). */
export const silentLogger: Logger = {
  level: "silent",
  fatal: ignore,
  error: ignore,
  warn: ignore,
  info: ignore,
  debug: ignore,
  trace: ignore,
  child: () => silentLogger,
};

export interface DeferredLogger {
  /** Log through this from the start; it writes through pino once `ready` has run. */
  readonly logger: Logger;
  /**
   * Loads pino (once), writes the held lines in order and logs directly from then on. Rejects when pino
   * cannot be loaded; the lines stay held and the next call tries again.
   */
  ready(): Promise<void>;
}

interface Held {
  node: LoggerNode;
  method: Method;
  args: unknown[];
  /** When it was logged, epoch ms. */
  time: number;
}

/** One logger of the tree (`child` adds one): its bindings and, once pino is loaded, its pino logger. */
interface LoggerNode {
  parent?: LoggerNode;
  bindings?: Record<string, unknown>;
  real?: Logger;
}

/**
 * A logger that holds its lines until pino is loaded. The stdio entry (src/index.ts) makes `ready` run
 * once the handshake is over and no call is running (src/server.ts, `whenIdle`) and before the process
 * exits (src/stdio.ts's cleanup); besides:
 * - the first warning, error or fatal line starts the load at once;
 * - `maxHoldMs` after creation (default 2,000 ms wall-clock) it loads anyway, for a host that never lists
 *   tools. The timer does not keep the process alive.
 * Lines below `options.level` are dropped when logged, as pino would. Arguments are copied through the
 * redaction's `scrub` when held (plain objects and arrays; errors and other instances are kept as they
 * are), so a caller's later change to an object does not change its line.
 * Lost: held lines of a process killed (SIGKILL) or crashing before the load.
 *
 * @throws Error for a level that is not one of pino's (`createLogger` would throw the same at creation).
 */
export function createDeferredLogger(
  options: LoggerOptions & { maxHoldMs?: number },
  load: () => Promise<Pick<typeof import("./logger.js"), "createLogger">> = () => import("./logger.js"),
): DeferredLogger {
  const threshold = options.level === "silent" ? Number.POSITIVE_INFINITY : LEVEL_VALUES[options.level as Method];
  if (threshold === undefined) throw new Error(`unknown log level "${options.level}"`);
  let held: Held[] = [];
  let root: Logger | undefined;
  let heldTime: number | undefined;

  const realOf = (node: LoggerNode): Logger => {
    node.real ??= node.parent ? realOf(node.parent).child(node.bindings ?? {}) : (root as Logger);
    return node.real;
  };
  const write = (node: LoggerNode, method: Method, args: unknown[]) => {
    const real = realOf(node);
    (real[method] as (...values: unknown[]) => void).apply(real, args);
  };

  // Nothing failed is kept (loadOnce): the next call loads again.
  const ready = loadOnce(() =>
    load().then(({ createLogger }) => {
      root = createLogger({ ...options, time: () => heldTime ?? Date.now() });
      const lines = held;
      held = [];
      for (const line of lines) {
        heldTime = line.time;
        try {
          write(line.node, line.method, line.args);
        } finally {
          heldTime = undefined;
        }
      }
    }),
  );

  const facade = (node: LoggerNode): Logger => {
    const logger = {
      level: options.level,
      child: (bindings: Record<string, unknown>) => facade({ parent: node, bindings: scrub(bindings) as Record<string, unknown> }),
    } as Record<string, unknown>;
    for (const method of METHODS) {
      logger[method] = (...args: unknown[]) => {
        if (LEVEL_VALUES[method] < threshold) return;
        if (root) return write(node, method, args);
        held.push({ node, method, args: args.map((arg) => scrub(arg)), time: Date.now() });
        if (LEVEL_VALUES[method] >= LEVEL_VALUES.warn) ready().catch(ignore);
      };
    }
    return logger as unknown as Logger;
  };

  if (options.maxHoldMs !== 0) setTimeout(() => ready().catch(ignore), options.maxHoldMs ?? 2_000).unref();
  return { logger: facade({}), ready };
}
