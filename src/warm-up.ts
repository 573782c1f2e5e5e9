/**
 * Warming after the MCP handshake: the first tool call of a session needs the zone's base URL and the
 * tenant's ticket metadata (`/Tickets/entityInformation/fields`), and loads Node's fetch implementation.
 * Doing that while the host is still reading `tools/list` (and the model is thinking) takes it off the
 * first answer's path.
 *
 * It never delays or fails start-up: it starts only after the first `tools/list` answer has been written
 * (or 100 ms after `notifications/initialized`, for a host that does not list tools), runs in the
 * background, and a failure is logged at debug level and forgotten (nothing failed is cached: the first
 * tool call simply loads it again and reports any error itself).
 */
import type { Logger } from "pino";

export interface WarmUp {
  /** Call when the client has sent `notifications/initialized`. */
  initialized(): void;
  /** Call when a `tools/list` answer has been produced. */
  listed(): void;
}

/** `load` is the first-call work to do early (e.g. `() => tenant.mapping()`); it runs at most once. */
export function warmUpAfterHandshake(load: () => Promise<unknown>, logger: Logger, delayMs = 100): WarmUp {
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  const start = () => {
    if (started) return;
    started = true;
    if (timer) clearTimeout(timer);
    // setImmediate: after the pending answer has been handed to stdout, never before it.
    setImmediate(() => {
      const began = Date.now();
      Promise.resolve()
        .then(load)
        .then(
          () => logger.debug({ ms: Date.now() - began }, "warmed up: zone and ticket metadata loaded"),
          (error: unknown) =>
            logger.debug({ err: error instanceof Error ? error.message : String(error) }, "warm-up failed; the first tool call loads it"),
        );
    });
  };
  return {
    initialized() {
      if (started || timer) return;
      timer = setTimeout(start, delayMs);
      timer.unref();
    },
    listed: start,
  };
}
