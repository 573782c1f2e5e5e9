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
import type { Logger } from "./log.js";

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

/**
 * Counts the tool calls in progress, so that background loading waits while one runs: a first call that
 * arrives right after `tools/list` then does not share the thread with modules it does not need.
 */
export interface CallGate {
  /** Wrap a call: counted from the start to the end of `run`. */
  during<T>(run: () => Promise<T>): Promise<T>;
  /** Resolves in a later turn of the event loop at which no call is in progress. */
  idle(): Promise<void>;
}

export function callGate(): CallGate {
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const idle = async (): Promise<void> => {
    while (inFlight > 0) await new Promise<void>((resolve) => waiters.push(resolve));
    await nextTurn();
    // A call may have started during that turn: wait for it too.
    if (inFlight > 0) return idle();
  };
  return {
    async during(run) {
      inFlight += 1;
      try {
        return await run();
      } finally {
        inFlight -= 1;
        if (inFlight === 0) {
          const settled = waiters;
          waiters = [];
          for (const resolve of settled) resolve();
        }
      }
    },
    idle,
  };
}
