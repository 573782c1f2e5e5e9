import { describe, expect, it } from "vitest";
import { parseTeamEnv } from "./config-team.js";

describe("team configuration", () => {
  it("defaults to in-process state, a 6-minute lease and half the hourly threshold", () => {
    expect(parseTeamEnv({})).toEqual({
      redisPrefix: "autotask-mcp:",
      slotLeaseMs: 360_000,
      hourlyBudgetShare: 0.5,
      allowedHosts: [],
      allowedOrigins: [],
      maxBodyBytes: 1_048_576,
    });
  });

  it("reads Redis, tokens and HTTP settings", () => {
    const team = parseTeamEnv({
      AUTOTASK_REDIS_URL: "redis://:pw@127.0.0.1:6379/2",
      AUTOTASK_SLOT_LEASE_MS: "5000",
      AUTOTASK_HOURLY_BUDGET_SHARE: "0.3",
      AUTOTASK_HTTP_TOKENS_FILE: "/etc/mcp/tokens.json",
      AUTOTASK_HTTP_ALLOWED_HOSTS: "mcp.example.com, desk.example.com",
    });
    expect(team).toMatchObject({ redisUrl: "redis://:pw@127.0.0.1:6379/2", slotLeaseMs: 5000, hourlyBudgetShare: 0.3, allowedHosts: ["mcp.example.com", "desk.example.com"] });
  });

  it.each([
    [{ AUTOTASK_REDIS_URL: "http://:hunter2@127.0.0.1" }, /^AUTOTASK_REDIS_URL: must start with redis:\/\//],
    [{ AUTOTASK_HOURLY_BUDGET_SHARE: "1.5" }, /^AUTOTASK_HOURLY_BUDGET_SHARE: /],
    [{ AUTOTASK_SLOT_LEASE_MS: "10" }, /^AUTOTASK_SLOT_LEASE_MS: /],
  ])("fails with one line naming the variable: %o", (env, message) => {
    expect(() => parseTeamEnv(env)).toThrow(message);
    try {
      parseTeamEnv(env);
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});
