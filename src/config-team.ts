/**
 * Configuration of the team features (HTTP transport, inbound tokens, shared state in Redis), parsed
 * once with zod at start-up like `config.ts` and failing with one line naming the variable. Kept apart
 * from `config.ts` so that a stdio server without these variables parses exactly what it did before.
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | AUTOTASK_REDIS_URL | redis:// or rediss:// URL; when set, slots, budget, ledger and metadata live in Redis | unset (in-process) |
 * | AUTOTASK_REDIS_PREFIX | key prefix | `autotask-mcp:` |
 * | AUTOTASK_SLOT_LEASE_MS | lease of one endpoint slot; > Autotask's ~5 min execution timeout | 360000 |
 * | AUTOTASK_HOURLY_BUDGET_SHARE | fraction of the tenant's hourly threshold this server uses | 0.5 |
 * | AUTOTASK_HTTP_TOKENS_FILE / AUTOTASK_HTTP_TOKENS | token hashes (see `http/tokens.ts`) | required with --http |
 * | AUTOTASK_HTTP_ALLOWED_HOSTS | extra Host names accepted, comma-separated | none |
 * | AUTOTASK_HTTP_ALLOWED_ORIGINS | browser Origins accepted, comma-separated | none |
 * | AUTOTASK_HTTP_MAX_BODY_BYTES | largest request body | 1048576 |
 * | AUTOTASK_AUDIT_LOG | file the write audit is appended to (JSON lines), besides the log | unset |
 */
import { z } from "zod";
import { ConfigError } from "./config.js";

export interface TeamConfig {
  redisUrl?: string;
  redisPrefix: string;
  slotLeaseMs: number;
  hourlyBudgetShare: number;
  tokensFile?: string;
  tokensInline?: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  maxBodyBytes: number;
  auditLogPath?: string;
}

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const list = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((text) => (text ?? "").split(",").map((part) => part.trim()).filter(Boolean)),
);
const integer = (min: number, fallback: number) =>
  z.preprocess(blankToUndefined, z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(min).default(fallback));

const TeamEnvSchema = z.object({
  AUTOTASK_REDIS_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((text) => /^rediss?:\/\//.test(text), { message: "must start with redis:// or rediss://" })
      .optional(),
  ),
  AUTOTASK_REDIS_PREFIX: z.preprocess(blankToUndefined, z.string().default("autotask-mcp:")),
  AUTOTASK_SLOT_LEASE_MS: integer(1_000, 6 * 60_000),
  AUTOTASK_HOURLY_BUDGET_SHARE: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: "must be a number" }).gt(0, "must be above 0").lte(1, "must be at most 1").default(0.5),
  ),
  AUTOTASK_HTTP_TOKENS_FILE: optionalString,
  AUTOTASK_HTTP_TOKENS: optionalString,
  AUTOTASK_HTTP_ALLOWED_HOSTS: list,
  AUTOTASK_HTTP_ALLOWED_ORIGINS: list,
  AUTOTASK_HTTP_MAX_BODY_BYTES: integer(1_024, 1024 * 1024),
  AUTOTASK_AUDIT_LOG: optionalString,
});

/** @throws ConfigError naming the variable (the Redis URL's password never appears). */
export function parseTeamEnv(env: NodeJS.ProcessEnv): TeamConfig {
  const parsed = TeamEnvSchema.safeParse(env, { jitless: true }); // once per process: no compiled fast path (see parseEnv)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "configuration");
    throw new ConfigError(`${variable}: ${issue.message}`, variable);
  }
  const e = parsed.data;
  const config: TeamConfig = {
    redisPrefix: e.AUTOTASK_REDIS_PREFIX,
    slotLeaseMs: e.AUTOTASK_SLOT_LEASE_MS,
    hourlyBudgetShare: e.AUTOTASK_HOURLY_BUDGET_SHARE,
    allowedHosts: e.AUTOTASK_HTTP_ALLOWED_HOSTS,
    allowedOrigins: e.AUTOTASK_HTTP_ALLOWED_ORIGINS,
    maxBodyBytes: e.AUTOTASK_HTTP_MAX_BODY_BYTES,
  };
  if (e.AUTOTASK_REDIS_URL) config.redisUrl = e.AUTOTASK_REDIS_URL;
  if (e.AUTOTASK_HTTP_TOKENS_FILE) config.tokensFile = e.AUTOTASK_HTTP_TOKENS_FILE;
  if (e.AUTOTASK_HTTP_TOKENS) config.tokensInline = e.AUTOTASK_HTTP_TOKENS;
  if (e.AUTOTASK_AUDIT_LOG) config.auditLogPath = e.AUTOTASK_AUDIT_LOG;
  return config;
}
