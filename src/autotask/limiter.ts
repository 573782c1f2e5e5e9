/**
 * Per-endpoint concurrency limit. Autotask allows 3 concurrent requests per integration code and object
 * endpoint (integrations since 2023.1) and answers a fourth with "Thread Threshold Exceeded"; queueing
 * locally is cheaper than being refused and retried. Requests wait in FIFO order and are never rejected
 * by the limiter; only the caller's own AbortSignal can take a waiting request out of the queue.
 */

/** A counting semaphore with a FIFO queue. */
export class Semaphore {
  #active = 0;
  readonly #waiters: Array<{ grant: () => void }> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Semaphore limit must be a positive integer, got ${limit}.`);
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** Resolves with a release function once a slot is free. Call the release exactly once. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#active < this.limit) {
      this.#active += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.#releaser());
        },
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      // Hand the slot straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
      if (next) next.grant();
      else this.#active -= 1;
    };
  }
}

/** One semaphore per endpoint key (e.g. "Tickets", "TicketNotes"), created on first use. */
export class EndpointLimiter {
  readonly #semaphores = new Map<string, Semaphore>();

  constructor(readonly limitPerEndpoint = 3) {}

  run<T>(endpoint: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#semaphore(endpoint).run(task, signal);
  }

  acquire(endpoint: string, signal?: AbortSignal): Promise<() => void> {
    return this.#semaphore(endpoint).acquire(signal);
  }

  /** Requests currently running against `endpoint`. */
  inFlight(endpoint: string): number {
    return this.#semaphores.get(endpoint)?.active ?? 0;
  }

  #semaphore(endpoint: string): Semaphore {
    let semaphore = this.#semaphores.get(endpoint);
    if (!semaphore) {
      semaphore = new Semaphore(this.limitPerEndpoint);
      this.#semaphores.set(endpoint, semaphore);
    }
    return semaphore;
  }
}

/**
 * The thread-limit keys a request to `path` (relative to the API base) counts against. Autotask limits
 * threads per integration code and "object endpoint" (autotask-api.md §7) without saying how a child
 * route is counted, so both are assumed: `/Tickets/{id}/Notes` takes a slot of `Tickets` (the entity in
 * the path) and of `TicketNotes` (the child entity it reads or writes). The child's name is the parent
 * in singular plus the child segment, as Autotask names them (TicketNotes, CompanyNotes,
 * ContractServices). Anything else (`/Tickets/query`, `/Tickets/42`, `/Tickets/entityInformation/fields`,
 * a `/next` page) counts against the first segment only.
 *
 * @example endpointKeys("/Tickets/42/Notes") // ["TicketNotes", "Tickets"]
 */
export function endpointKeys(path: string): string[] {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  const parent = segments[0] ?? "";
  const child = segments[2];
  if (child === undefined || !/^\d+$/.test(segments[1] ?? "")) return [parent];
  return [`${singular(parent)}${child}`, parent].sort();
}

/** "Tickets" -> "Ticket", "Companies" -> "Company" (Autotask's entity names are regular plurals). */
function singular(entity: string): string {
  if (/ies$/i.test(entity)) return `${entity.slice(0, -3)}y`;
  if (/s$/i.test(entity)) return entity.slice(0, -1);
  return entity;
}

/** The child entity a path addresses, or its only entity (kept for callers that name one key). */
export function endpointKey(path: string): string {
  const keys = endpointKeys(path);
  const parent = path.split("?")[0]!.split("/").filter(Boolean)[0] ?? "";
  return keys.find((key) => key !== parent) ?? parent;
}
