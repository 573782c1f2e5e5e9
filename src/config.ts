/**
 * Server configuration from environment variables: `parseEnv(env)` is pure (the environment is passed
 * in) and validates everything with zod at start-up, so a bad value fails fast with ONE readable line
 * naming the variable. The secret's value never appears in any message.
 *
 * @example
 *   const config = parseEnv(process.env); // throws ConfigError: "AUTOTASK_TIME_ZONE: "Mars/Base" is not an IANA time zone ..."
 */
import { z } from "zod";
import { isValidTimeZone } from "./domain/zones.js";
import { headerValueProblem } from "./autotask/headers.js";
import { normalizeApiBaseUrl } from "./autotask/zone.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const STATUS_NAMES = ["NEW", "IN_PROGRESS", "WAITING_CUSTOMER", "WAITING_MATERIALS", "ESCALATED", "COMPLETE", "OTHER"] as const;
export const PRIORITY_NAMES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;
export type StatusName = (typeof STATUS_NAMES)[number];
export type PriorityName = (typeof PRIORITY_NAMES)[number];

export interface ConfigCredentials {
  username: string;
  secret: string;
  integrationCode: string;
  impersonationResourceId?: number;
}

interface ConfigCommon {
  /** Zone base URL normalised to end in `/ATServicesRest/V1.0/`; absent means "look the zone up". */
  apiUrl?: string;
  readOnly: boolean;
  logLevel: LogLevel;
  calendar: {
    timeZone: string;
    /** 0 = Sunday ... 6 = Saturday, ascending, no duplicates. */
    workingDays: number[];
    /** Local "HH:MM" 24-hour; end may be "24:00". */
    hours: { start: string; end: string };
    /** Local dates "YYYY-MM-DD". */
    holidays: string[];
  };
  /** Tenant status/priority id or label -> semantic name, for tenants whose labels are not the defaults. */
  mappingOverrides: { status?: Record<string, StatusName>; priority?: Record<string, PriorityName> };
  /** Rows replacing the default status transition table (AUTOTASK_WORKFLOW). */
  workflow?: Partial<Record<StatusName, StatusName[]>>;
  /** Business-hour SLA targets by priority id, label, semantic name or "default" (AUTOTASK_SLA_TARGETS). */
  slaTargets?: Record<string, SlaTargetHours>;
  picklistTtlMs: number;
  /** Tenant profile of the embedded sandbox: "default", "real-tenant" or a profile JSON file. */
  sandboxProfile: string;
  /** JSON file where the embedded sandbox keeps its data across restarts; absent means in memory only. */
  sandboxStatePath?: string;
}

/** In sandbox mode the embedded sandbox supplies credentials, so they are optional. */
export type Config =
  | (ConfigCommon & { sandbox: false; credentials: ConfigCredentials })
  | (ConfigCommon & { sandbox: true; credentials?: ConfigCredentials });

/** A configuration problem; `message` is one line naming the variable (when one is at fault). */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly variable?: string,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

function variableError(variable: string, problem: string): ConfigError {
  return new ConfigError(`${variable}: ${problem}`, variable);
}

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalText = z.preprocess(emptyToUndefined, z.string().trim().optional());

const booleanVariable = (defaultValue: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return defaultValue;
        const normalized = text.trim().toLowerCase();
        if (["true", "1", "yes", "on"].includes(normalized)) return true;
        if (["false", "0", "no", "off"].includes(normalized)) return false;
        ctx.addIssue({ code: "custom", message: `must be true or false (also 1/0, yes/no), got "${text}"` });
        return z.NEVER;
      }),
  );

const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function parseDay(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^[0-6]$/.test(trimmed)) return Number(trimmed);
  const index = DAY_NAMES.indexOf(trimmed.slice(0, 3));
  return index >= 0 && trimmed.length >= 3 ? index : undefined;
}

/**
 * A variable's JSON text as an object, or undefined after adding one issue that shows `example`
 * (not JSON) or says what the object maps (JSON, but not an object).
 */
function jsonObjectOf(text: string, ctx: z.RefinementCtx, example: string, what: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: "custom", message: example });
    return undefined;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    ctx.addIssue({ code: "custom", message: what });
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

/** "1-5", "1,2,3,4,5", "1-3,5" or day names ("mon-fri"); 0 = Sunday. */
export function parseWorkingDays(text: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of text.split(",")) {
    const range = part.split("-");
    if (range.length === 1) {
      const day = parseDay(range[0]!);
      if (day === undefined) return undefined;
      days.add(day);
    } else if (range.length === 2) {
      const from = parseDay(range[0]!);
      const to = parseDay(range[1]!);
      if (from === undefined || to === undefined || from > to) return undefined;
      for (let day = from; day <= to; day++) days.add(day);
    } else {
      return undefined;
    }
  }
  return days.size > 0 ? [...days].sort((a, b) => a - b) : undefined;
}

function minutesOf(time: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return undefined;
  return hours * 60 + minutes;
}

function isValidDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}


/**
 * A semantic name as written in the mapping variables ("waiting customer" -> "WAITING_CUSTOMER"); "" for a non-string.
 * The rule of `semanticKey` (domain/states.ts), written here so that the configuration does not load the domain at start-up.
 */
const normalName = (value: unknown) => (typeof value === "string" ? value.trim().toUpperCase().replace(/[\s-]+/g, "_") : "");

const mappingVariable = <T extends string>(names: readonly T[], what: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((text, ctx): Record<string, T> | undefined => {
        if (text === undefined) return undefined;
        const parsed = jsonObjectOf(text, ctx, `must be a JSON object like {"Waiting Vendor":"WAITING_MATERIALS"}`, "must be a JSON object mapping a tenant id or label to a name");
        if (parsed === undefined) return z.NEVER;
        const result: Record<string, T> = {};
        for (const [key, value] of Object.entries(parsed)) {
          const name = normalName(value);
          if (!(names as readonly string[]).includes(name)) {
            ctx.addIssue({ code: "custom", message: `"${key}" maps to ${JSON.stringify(value)}, which is not a ${what} (${names.join(", ")})` });
            return z.NEVER;
          }
          result[key.trim()] = name as T;
        }
        return result;
      }),
  );

/**
 * AUTOTASK_WORKFLOW: rows of the status transition table, `{"NEW":["IN_PROGRESS","WAITING_CUSTOMER"]}`;
 * each row given replaces the default row for that status (src/domain/workflow.ts).
 */
const workflowVariable = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((text, ctx): Partial<Record<StatusName, StatusName[]>> | undefined => {
      if (text === undefined) return undefined;
      const parsed = jsonObjectOf(text, ctx, 'must be a JSON object like {"NEW":["IN_PROGRESS","WAITING_CUSTOMER"]}', "must be a JSON object mapping a status name to the list of statuses allowed next");
      if (parsed === undefined) return z.NEVER;
      const result: Partial<Record<StatusName, StatusName[]>> = {};
      for (const [key, value] of Object.entries(parsed)) {
        const from = normalName(key);
        if (!(STATUS_NAMES as readonly string[]).includes(from)) {
          ctx.addIssue({ code: "custom", message: `"${key}" is not a status name (${STATUS_NAMES.join(", ")})` });
          return z.NEVER;
        }
        const targets = Array.isArray(value) ? value.map(normalName) : [];
        const bad = Array.isArray(value) ? targets.findIndex((t) => !(STATUS_NAMES as readonly string[]).includes(t)) : 0;
        if (bad !== -1) {
          ctx.addIssue({ code: "custom", message: `"${key}" must map to a list of status names (${STATUS_NAMES.join(", ")})` });
          return z.NEVER;
        }
        result[from as StatusName] = targets as StatusName[];
      }
      return result;
    }),
);

/** Target hours of one priority: first response and resolution, business hours. */
export interface SlaTargetHours {
  responseHours?: number;
  resolutionHours?: number;
}

/**
 * AUTOTASK_SLA_TARGETS: business-hour targets per priority, keyed by the tenant's priority id or
 * label, a semantic priority (CRITICAL…LOW) or "default" (the fallback for any other priority).
 * A number is the resolution target alone: `{"Urgent":2,"High":{"responseHours":1,"resolutionHours":8}}`.
 */
const slaTargetsVariable = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((text, ctx): Record<string, SlaTargetHours> | undefined => {
      if (text === undefined) return undefined;
      const parsed = jsonObjectOf(text, ctx, 'must be a JSON object like {"High":8,"Urgent":{"responseHours":0.5,"resolutionHours":2},"default":24}', "must be a JSON object mapping a priority id or label to hours");
      if (parsed === undefined) return z.NEVER;
      const hours = z.number().positive().max(10_000);
      const entry = z.union([hours.transform((resolutionHours) => ({ resolutionHours })), z.strictObject({ responseHours: hours.optional(), resolutionHours: hours.optional() })]);
      const result: Record<string, SlaTargetHours> = {};
      for (const [key, value] of Object.entries(parsed)) {
        const checked = entry.safeParse(value);
        if (!checked.success || key.trim() === "") {
          ctx.addIssue({ code: "custom", message: `"${key}" must map to positive hours, or to {"responseHours":h,"resolutionHours":h}` });
          return z.NEVER;
        }
        result[key.trim()] = checked.data;
      }
      return result;
    }),
);

/** Marks issues whose message is ours and never contains the value, so a credential's issue can be shown. */
const SAFE_MESSAGE = { safeMessage: true } as const;

const headerValue = <T extends z.ZodType<string | undefined>>(schema: T) =>
  schema.superRefine((text, ctx) => {
    const problem = text === undefined ? undefined : headerValueProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem, params: SAFE_MESSAGE });
  });

const EnvSchema = z.object({
  AUTOTASK_USERNAME: headerValue(optionalText),
  // Never echoed: no transform or message below mentions its value.
  AUTOTASK_SECRET: z.preprocess(emptyToUndefined, headerValue(z.string().optional())),
  AUTOTASK_INTEGRATION_CODE: headerValue(optionalText),
  AUTOTASK_API_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return undefined;
        try {
          return normalizeApiBaseUrl(text);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
          return z.NEVER;
        }
      }),
  ),
  AUTOTASK_IMPERSONATION_RESOURCE_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\s*\d+\s*$/, "must be a positive whole number (a resource id)")
      .transform(Number)
      .refine((id) => Number.isSafeInteger(id) && id > 0, "must be a positive whole number (a resource id)")
      .optional(),
  ),
  AUTOTASK_READ_ONLY: booleanVariable(false),
  AUTOTASK_SANDBOX: booleanVariable(false),
  AUTOTASK_SANDBOX_PROFILE: z.preprocess(
    (value) => (typeof value === "string" ? emptyToUndefined(value.trim()) : value),
    z
      .string()
      .refine((name) => name === "default" || name === "real-tenant" || name.endsWith(".json"), {
        message: 'must be "default", "real-tenant" or the path of a profile .json file',
      })
      .default("default"),
  ),
  AUTOTASK_SANDBOX_STATE: optionalText,
  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === "string" ? emptyToUndefined(value.trim().toLowerCase()) : value),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  ),
  AUTOTASK_TIME_ZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine(isValidTimeZone, { message: "is not an IANA time zone (e.g. Europe/London, America/New_York, UTC)" })
      .default("UTC"),
  ),
  AUTOTASK_BUSINESS_DAYS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("1-5")
      .transform((text, ctx) => {
        const days = parseWorkingDays(text);
        if (!days) {
          ctx.addIssue({ code: "custom", message: `must list days 0-6 (0 = Sunday) like "1-5" or "1,2,3,4,5", got "${text}"` });
          return z.NEVER;
        }
        return days;
      }),
  ),
  AUTOTASK_BUSINESS_HOURS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("08:00-17:00")
      .transform((text, ctx) => {
        const [start = "", end = "", ...rest] = text.split("-").map((part) => part.trim());
        const from = minutesOf(start);
        const to = minutesOf(end);
        if (rest.length > 0 || from === undefined || to === undefined || from >= to || from >= 24 * 60) {
          ctx.addIssue({ code: "custom", message: `must be "HH:MM-HH:MM" with start before end (e.g. 08:00-17:00), got "${text}"` });
          return z.NEVER;
        }
        return { start, end };
      }),
  ),
  AUTOTASK_HOLIDAYS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return [];
        const dates = text
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean);
        const bad = dates.find((date) => !isValidDate(date));
        if (bad !== undefined) {
          ctx.addIssue({ code: "custom", message: `"${bad}" is not a date in YYYY-MM-DD form` });
          return z.NEVER;
        }
        return [...new Set(dates)].sort();
      }),
  ),
  AUTOTASK_STATUS_MAP: mappingVariable(STATUS_NAMES, "status name"),
  AUTOTASK_PRIORITY_MAP: mappingVariable(PRIORITY_NAMES, "priority name"),
  AUTOTASK_WORKFLOW: workflowVariable,
  AUTOTASK_SLA_TARGETS: slaTargetsVariable,
  AUTOTASK_PICKLIST_TTL_SECONDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("900")
      .transform((text, ctx) => {
        if (!/^\s*\d+\s*$/.test(text)) {
          ctx.addIssue({ code: "custom", message: `must be a whole number of seconds, got "${text}"` });
          return z.NEVER;
        }
        return Number(text) * 1000;
      }),
  ),
});

/** Every variable `parseEnv` reads (`.env.example` documents each one). */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape) as readonly string[];

const REQUIRED_CREDENTIALS = ["AUTOTASK_USERNAME", "AUTOTASK_SECRET", "AUTOTASK_INTEGRATION_CODE"] as const;

export function parseEnv(env: Record<string, string | undefined>): Config {
  // Parsed once per process: zod's compiled fast path (`new Function`, built on the first parse of an
  // object schema created before src/index.ts sets `jitless`) costs more than it saves here.
  const result = EnvSchema.safeParse(env, { jitless: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    // Type errors from zod could describe the input; credentials get a fixed message unless the issue is one of ours.
    const isCredential = variable === "AUTOTASK_SECRET" || variable === "AUTOTASK_INTEGRATION_CODE";
    const safe = issue.code === "custom" && (issue.params as { safeMessage?: boolean } | undefined)?.safeMessage === true;
    throw variableError(variable, isCredential && !safe ? "must be a non-empty string" : issue.message);
  }
  const values = result.data;

  const common: ConfigCommon = {
    readOnly: values.AUTOTASK_READ_ONLY,
    logLevel: values.LOG_LEVEL,
    calendar: {
      timeZone: values.AUTOTASK_TIME_ZONE,
      workingDays: values.AUTOTASK_BUSINESS_DAYS,
      hours: values.AUTOTASK_BUSINESS_HOURS,
      holidays: values.AUTOTASK_HOLIDAYS,
    },
    mappingOverrides: {},
    picklistTtlMs: values.AUTOTASK_PICKLIST_TTL_SECONDS,
    sandboxProfile: values.AUTOTASK_SANDBOX_PROFILE,
  };
  if (values.AUTOTASK_API_URL !== undefined) common.apiUrl = values.AUTOTASK_API_URL;
  if (values.AUTOTASK_SANDBOX_STATE !== undefined) common.sandboxStatePath = values.AUTOTASK_SANDBOX_STATE;
  if (values.AUTOTASK_STATUS_MAP) common.mappingOverrides.status = values.AUTOTASK_STATUS_MAP;
  if (values.AUTOTASK_PRIORITY_MAP) common.mappingOverrides.priority = values.AUTOTASK_PRIORITY_MAP;
  if (values.AUTOTASK_WORKFLOW) common.workflow = values.AUTOTASK_WORKFLOW;
  if (values.AUTOTASK_SLA_TARGETS) common.slaTargets = values.AUTOTASK_SLA_TARGETS;

  const { AUTOTASK_USERNAME: username, AUTOTASK_SECRET: secret, AUTOTASK_INTEGRATION_CODE: integrationCode } = values;
  const credentials: ConfigCredentials | undefined =
    username && secret && integrationCode ? { username, secret, integrationCode } : undefined;
  if (credentials && values.AUTOTASK_IMPERSONATION_RESOURCE_ID !== undefined) {
    credentials.impersonationResourceId = values.AUTOTASK_IMPERSONATION_RESOURCE_ID;
  }

  if (values.AUTOTASK_SANDBOX) {
    return credentials ? { ...common, sandbox: true, credentials } : { ...common, sandbox: true };
  }
  if (!credentials) {
    const missing = REQUIRED_CREDENTIALS.find((name) => !values[name]) ?? "AUTOTASK_USERNAME";
    throw variableError(
      missing,
      "is required (set AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE for your API user, or AUTOTASK_SANDBOX=true to try the built-in sandbox)",
    );
  }
  return { ...common, sandbox: false, credentials };
}
