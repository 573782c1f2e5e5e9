/**
 * Redis-backed shared state, loaded (dynamic import) only when AUTOTASK_REDIS_URL is set: a stdio server
 * without it never loads ioredis.
 *
 * - `RedisStore`: the `KeyValueStore` + `WindowCounter` on plain Redis commands (GET, SET NX PX, INCR).
 * - `RedisEndpointSlots`: Autotask's 3-per-endpoint thread limit as a distributed semaphore
 *   (redis-semaphore's `Semaphore`: a sorted set of holders with lease timestamps). A lease
 *   (`leaseMs`) is longer than Autotask's own execution timeout (about 5 minutes, reference §7), and
 *   the holder refreshes it while its request runs, so a slow request never loses its slot, while the
 *   slots of a process that died are taken back once its leases run out.
 *   In front of it each process keeps its own FIFO `EndpointLimiter`, so at most `limit` callers per
 *   process poll Redis for an endpoint and the process's own callers are served in order.
 *
 * Library choices: ioredis (maintained by Redis, the client redis-semaphore is written and tested
 * against); redis-semaphore (maintained, its acquire/refresh/release are atomic Lua scripts).
 */
import { Redis } from "ioredis";
import type { Logger } from "../log.js";
import { Semaphore } from "redis-semaphore";
import { EndpointLimiter } from "../autotask/limiter.js";
import type { EndpointSlots } from "../autotask/shared-limits.js";
import type { SharedStore } from "./store.js";

/** Autotask's own per-request execution timeout is about 5 minutes; a lease outlives it. */
export const DEFAULT_LEASE_MS = 6 * 60_000;

export interface RedisOptions {
  url: string;
  /** Prefix for every key, so several tenants or test runs can share one Redis. */
  prefix?: string;
  logger?: Logger;
}

/** Opens a connection and waits until Redis answers PING; throws a one-line error when it cannot. */
export async function connectRedis(options: RedisOptions): Promise<Redis> {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    // Commands fail fast while disconnected instead of queueing forever; callers see an error.
    enableOfflineQueue: true,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  redis.on("error", (error: Error) => options.logger?.warn({ err: { message: error.message } }, "Redis connection problem"));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(`AUTOTASK_REDIS_URL: cannot reach Redis at ${redactUrl(options.url)} (${(error as Error).message}).`);
  }
  return redis;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.href;
  } catch {
    return "(unparseable URL)";
  }
}

export class RedisStore implements SharedStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "autotask-mcp:",
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, value, "PX", Math.max(1, Math.ceil(ttlMs)), "NX")) === "OK";
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, "PX", Math.max(1, Math.ceil(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const full = this.prefix + key;
    // INCR then set the expiry only when the key is new (PEXPIRE NX needs Redis 7; Debian 12 ships 7.0).
    const result = await this.redis.multi().incr(full).pexpire(full, Math.ceil(ttlMs), "NX").exec();
    const [error, count] = result?.[0] ?? [new Error("Redis MULTI was discarded"), 0];
    if (error) throw error;
    return Number(count);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }
}

export interface RedisSlotsOptions {
  /** Autotask's limit per integration code and endpoint. Default 3. */
  limit?: number;
  /** Lease of one slot (ms). Default 6 minutes; refreshed every third of it while held. */
  leaseMs?: number;
  /** How often a waiting acquire asks Redis again (ms). Default 25. */
  pollMs?: number;
  /** Key prefix; include the integration code so separate integrations do not share slots. */
  prefix?: string;
  logger?: Logger;
}

export class RedisEndpointSlots implements EndpointSlots {
  readonly #redis: Redis;
  readonly #local: EndpointLimiter;
  readonly #options: Required<Omit<RedisSlotsOptions, "logger">> & { logger?: Logger };

  constructor(redis: Redis, options: RedisSlotsOptions = {}) {
    this.#redis = redis;
    this.#options = { limit: 3, leaseMs: DEFAULT_LEASE_MS, pollMs: 25, prefix: "autotask-mcp:slots:", ...options };
    this.#local = new EndpointLimiter(this.#options.limit);
  }

  async acquire(endpoint: string, signal?: AbortSignal): Promise<() => void> {
    const releaseLocal = await this.#local.acquire(endpoint, signal);
    const { limit, leaseMs, pollMs, prefix, logger } = this.#options;
    const semaphore = new Semaphore(this.#redis, `${prefix}${endpoint}`, limit, {
      lockTimeout: leaseMs,
      refreshInterval: Math.max(1, Math.floor(leaseMs / 3)),
      acquireTimeout: Number.POSITIVE_INFINITY,
      retryInterval: pollMs,
      onLockLost: (error) => logger?.error({ endpoint, err: { message: error.message } }, "lost an Autotask endpoint slot lease"),
    });
    guardRefresh(semaphore, endpoint, logger);
    try {
      await semaphore.acquire(signal);
    } catch (error) {
      releaseLocal();
      throw signal?.aborted ? signal.reason : error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Redis first, then the local slot: the next local waiter then finds the Redis slot free at once
      // instead of missing it and sleeping a poll interval.
      semaphore
        .release()
        .catch((error: unknown) => {
          // The lease expires on its own; until then the slot stays taken.
          logger?.warn({ endpoint, err: { message: (error as Error).message } }, "could not release an Autotask endpoint slot");
        })
        .finally(releaseLocal);
    };
  }
}

/**
 * redis-semaphore refreshes a held lease from a timer; a Redis error there (a restart, a network blip)
 * would be an unhandled rejection and end the process. A failed refresh is logged and counts as "still
 * held": the next refresh tries again, and the lease itself is long enough to bridge a short outage.
 */
function guardRefresh(semaphore: Semaphore, endpoint: string, logger: Logger | undefined): void {
  const lock = semaphore as unknown as { _refresh(): Promise<boolean> };
  const refresh = lock._refresh.bind(lock);
  lock._refresh = () =>
    refresh().catch((error: unknown) => {
      logger?.warn({ endpoint, err: { message: (error as Error).message } }, "could not refresh an Autotask endpoint slot lease");
      return true;
    });
}

/**
 * Cancellations between replicas over Redis pub/sub: a `notifications/cancelled` that reaches a replica
 * not running the call is published; the replica running it aborts it. Keys name a token, a client's
 * correlation id and a JSON-RPC id, never a token itself.
 */
export function createCancellationBus(redis: Redis, channel: string, logger?: Logger) {
  let subscriber: Redis | undefined;
  return {
    async publish(key: string): Promise<void> {
      await redis.publish(channel, key);
    },
    async subscribe(onCancel: (key: string) => void): Promise<void> {
      subscriber = redis.duplicate();
      subscriber.on("error", (error: Error) => logger?.warn({ err: { message: error.message } }, "Redis subscriber problem"));
      subscriber.on("message", (_channel: string, key: string) => onCancel(key));
      await subscriber.subscribe(channel);
    },
    close(): void {
      subscriber?.disconnect();
    },
  };
}
