/**
 * A real Redis for the team-server tests, found in this order:
 * 1. AUTOTASK_TEST_REDIS_URL (CI sets it: `.ci/run` starts Debian's redis-server on loopback);
 * 2. a `redis-server` binary on PATH, started here on a free loopback port, without persistence;
 * 3. none: the Redis tests are skipped with a note saying how to run them, except under CI (CI=true),
 *    where a missing Redis is an error, so a broken CI set-up cannot pass by skipping.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

export const HOW_TO_RUN_REDIS_TESTS =
  "Install Redis (Debian/Ubuntu: apt-get install -y redis-server) so redis-server is on PATH, or point AUTOTASK_TEST_REDIS_URL at a Redis you can flush (e.g. redis://127.0.0.1:6379/15).";

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves with a Redis, or with the reason there is none (then the caller skips). Throws under CI. */
export async function findTestRedis(): Promise<TestRedis | { missing: string }> {
  const fromEnv = process.env.AUTOTASK_TEST_REDIS_URL;
  if (fromEnv) {
    if (await answers(fromEnv)) return { url: fromEnv, stop: async () => undefined };
    return fail(`AUTOTASK_TEST_REDIS_URL is set but Redis does not answer there.`);
  }
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
      { stdio: "ignore" },
    );
    const url = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50; i++) {
      if (await answers(url)) {
        return {
          url,
          stop: () =>
            new Promise<void>((resolve) => {
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
            }),
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill("SIGKILL");
    return fail("redis-server was started but did not answer within 5 s.");
  }
  return fail("no Redis: AUTOTASK_TEST_REDIS_URL is unset and redis-server is not on PATH.");
}

function fail(reason: string): { missing: string } {
  if (process.env.CI === "true" || process.env.CI === "1") {
    throw new Error(`Redis tests cannot run under CI: ${reason} ${HOW_TO_RUN_REDIS_TESTS}`);
  }
  return { missing: reason };
}

/** Prints which tests were skipped and how to run them (once per file). */
export function reportSkipped(file: string, what: string, reason: string): void {
  process.stderr.write(`\n[redis tests skipped] ${file}: ${what}.\n  Why: ${reason}\n  To run them: ${HOW_TO_RUN_REDIS_TESTS}\n\n`);
}
