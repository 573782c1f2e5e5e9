/**
 * Warming after the MCP handshake: the first tool call of a session needs the zone's base URL and the
 * tenant's ticket metadata (`/Tickets/entityInformation/fields`), loads Node's fetch implementation, and
 * its first SLA computation loads the time-zone data behind `Intl` (@date-fns/tz).
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

/**
 * `loads` is the first-call work to do early, in order (e.g. `() => tenant.mapping()` first, so that its
 * request is on the wire while the next one runs); each runs once, in its own turn of the event loop.
 */
export function warmUpAfterHandshake(loads: ReadonlyArray<() => unknown>, logger: Logger, delayMs = 100): WarmUp {
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  const runFrom = (index: number, began: number, pending: Promise<unknown>[]) => {
    if (index >= loads.length) {
      Promise.all(pending).then(
        () => logger.debug({ ms: Date.now() - began }, "warmed up: zone, ticket metadata and time zone loaded"),
        (error: unknown) =>
          logger.debug({ err: error instanceof Error ? error.message : String(error) }, "warm-up failed; the first tool call loads it"),
      );
      return;
    }
    const load = loads[index] as () => unknown;
    // Promise.resolve().then: a synchronous throw becomes a rejection like any other. The empty catch
    // marks it handled now; Promise.all below still sees the failure and logs it.
    const running = Promise.resolve().then(load);
    running.catch(() => undefined);
    pending.push(running);
    setImmediate(() => runFrom(index + 1, began, pending));
  };
  const start = () => {
    if (started) return;
    started = true;
    if (timer) clearTimeout(timer);
    // setImmediate: after the pending answer has been handed to stdout, never before it.
    setImmediate(() => runFrom(0, Date.now(), []));
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
