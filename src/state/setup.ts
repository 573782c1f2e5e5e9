/**
 * Builds the process's shared state from the team configuration: in memory by default, in Redis when
 * AUTOTASK_REDIS_URL is set (ioredis and redis-semaphore are imported only then).
 */
import { createHash } from "node:crypto";
import type { Logger } from "../log.js";
import type { EndpointSlots } from "../autotask/shared-limits.js";
import type { TeamConfig } from "../config-team.js";
import { HourlyBudget } from "./budget.js";
import { MemoryStore, type SharedStore } from "./store.js";

export interface SharedState {
  store: SharedStore;
  budget: HourlyBudget;
  /** Undefined in memory mode: the client keeps its own in-process limiter. */
  slots?: EndpointSlots;
  /** Cancellations between replicas (Redis pub/sub); undefined in memory mode. */
  cancellations?: { publish(key: string): Promise<void>; subscribe(onCancel: (key: string) => void): Promise<void> };
  /** "memory" or "redis". */
  kind: "memory" | "redis";
  /** True when the store answers (always in memory). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * @param integrationCode slots are per integration code at Autotask, so their keys are too (hashed, not stored).
 * @throws Error (one line) when Redis is configured but unreachable at start-up.
 */
export async function createSharedState(team: TeamConfig, integrationCode: string, logger: Logger): Promise<SharedState> {
  if (!team.redisUrl) {
    const store = new MemoryStore();
    return {
      store,
      budget: new HourlyBudget(store, { serverShare: team.hourlyBudgetShare }),
      kind: "memory",
      ready: async () => true,
      close: async () => undefined,
    };
  }
  const { connectRedis, createCancellationBus, RedisEndpointSlots, RedisStore } = await import("./redis.js");
  const redis = await connectRedis({ url: team.redisUrl, logger });
  const store = new RedisStore(redis, team.redisPrefix);
  const integration = createHash("sha256").update(integrationCode).digest("hex").slice(0, 12);
  const cancellations = createCancellationBus(redis, `${team.redisPrefix}cancel`, logger);
  return {
    cancellations,
    store,
    budget: new HourlyBudget(store, { serverShare: team.hourlyBudgetShare }),
    slots: new RedisEndpointSlots(redis, { leaseMs: team.slotLeaseMs, prefix: `${team.redisPrefix}slots:${integration}:`, logger }),
    kind: "redis",
    ready: () => store.ping(),
    close: async () => {
      cancellations.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
