import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, ENV_VARIABLES, parseEnv, parseWorkingDays } from "./config.js";

const SECRET = "Sup3r-Secret-Value!";
const CREDENTIALS = { AUTOTASK_USERNAME: "api@example.com", AUTOTASK_SECRET: SECRET, AUTOTASK_INTEGRATION_CODE: "CODE123" };

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected parseEnv to throw");
}

describe("parseEnv", () => {
  it("applies defaults to a minimal configuration", () => {
    expect(parseEnv(CREDENTIALS)).toEqual({
      sandbox: false,
      credentials: { username: "api@example.com", secret: SECRET, integrationCode: "CODE123" },
      readOnly: false,
      logLevel: "info",
      calendar: { timeZone: "UTC", workingDays: [1, 2, 3, 4, 5], hours: { start: "08:00", end: "17:00" }, holidays: [] },
      mappingOverrides: {},
      picklistTtlMs: 900_000,
      sandboxProfile: "default",
    });
  });

  it("takes a sandbox profile by name or file, and refuses anything else", () => {
    expect(parseEnv({ AUTOTASK_SANDBOX: "1", AUTOTASK_SANDBOX_PROFILE: "real-tenant" }).sandboxProfile).toBe("real-tenant");
    expect(parseEnv({ AUTOTASK_SANDBOX: "1", AUTOTASK_SANDBOX_PROFILE: "/tmp/mine.json" }).sandboxProfile).toBe("/tmp/mine.json");
    expect(() => parseEnv({ AUTOTASK_SANDBOX: "1", AUTOTASK_SANDBOX_PROFILE: "german" })).toThrow(/^AUTOTASK_SANDBOX_PROFILE: /);
  });

  it("reads every variable", () => {
    const config = parseEnv({
      ...CREDENTIALS,
      AUTOTASK_API_URL: "https://webservices5.autotask.net/ATServicesRest",
      AUTOTASK_IMPERSONATION_RESOURCE_ID: "29682885",
      AUTOTASK_READ_ONLY: "yes",
      LOG_LEVEL: "TRACE",
      AUTOTASK_TIME_ZONE: "Europe/Berlin",
      AUTOTASK_BUSINESS_DAYS: "1,2,3,4",
      AUTOTASK_BUSINESS_HOURS: "07:30-24:00",
      AUTOTASK_HOLIDAYS: "2026-12-26, 2026-12-25",
      AUTOTASK_STATUS_MAP: '{"Waiting Vendor":"waiting materials","14":"IN_PROGRESS"}',
      AUTOTASK_PRIORITY_MAP: '{"Urgent":"CRITICAL"}',
      AUTOTASK_PICKLIST_TTL_SECONDS: "60",
    });
    expect(config).toMatchObject({
      apiUrl: "https://webservices5.autotask.net/ATServicesRest/V1.0/",
      credentials: { impersonationResourceId: 29682885 },
      readOnly: true,
      logLevel: "trace",
      calendar: { timeZone: "Europe/Berlin", workingDays: [1, 2, 3, 4], hours: { start: "07:30", end: "24:00" }, holidays: ["2026-12-25", "2026-12-26"] },
      mappingOverrides: { status: { "Waiting Vendor": "WAITING_MATERIALS", "14": "IN_PROGRESS" }, priority: { Urgent: "CRITICAL" } },
      picklistTtlMs: 60_000,
    });
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ ...CREDENTIALS, AUTOTASK_API_URL: "", LOG_LEVEL: "", AUTOTASK_READ_ONLY: " " })).toMatchObject({ logLevel: "info", readOnly: false });
    expect(parseEnv({ ...CREDENTIALS, AUTOTASK_API_URL: "" })).not.toHaveProperty("apiUrl");
  });

  it("does not require credentials in sandbox mode", () => {
    expect(parseEnv({ AUTOTASK_SANDBOX: "1" })).toMatchObject({ sandbox: true });
    expect(parseEnv({ AUTOTASK_SANDBOX: "1" })).not.toHaveProperty("credentials");
  });

  it.each([
    [{ AUTOTASK_SECRET: SECRET, AUTOTASK_INTEGRATION_CODE: "x" }, "AUTOTASK_USERNAME"],
    [{ AUTOTASK_USERNAME: "u", AUTOTASK_INTEGRATION_CODE: "x" }, "AUTOTASK_SECRET"],
    [{ AUTOTASK_USERNAME: "u", AUTOTASK_SECRET: SECRET }, "AUTOTASK_INTEGRATION_CODE"],
    [{ ...CREDENTIALS, AUTOTASK_API_URL: "http://webservices5.autotask.net/ATServicesRest/" }, "AUTOTASK_API_URL"],
    [{ ...CREDENTIALS, AUTOTASK_API_URL: "webservices5" }, "AUTOTASK_API_URL"],
    [{ ...CREDENTIALS, AUTOTASK_IMPERSONATION_RESOURCE_ID: "abc" }, "AUTOTASK_IMPERSONATION_RESOURCE_ID"],
    [{ ...CREDENTIALS, AUTOTASK_IMPERSONATION_RESOURCE_ID: "0" }, "AUTOTASK_IMPERSONATION_RESOURCE_ID"],
    [{ ...CREDENTIALS, AUTOTASK_READ_ONLY: "maybe" }, "AUTOTASK_READ_ONLY"],
    [{ ...CREDENTIALS, AUTOTASK_SANDBOX: "sure" }, "AUTOTASK_SANDBOX"],
    [{ ...CREDENTIALS, LOG_LEVEL: "verbose" }, "LOG_LEVEL"],
    [{ ...CREDENTIALS, AUTOTASK_TIME_ZONE: "Mars/Base" }, "AUTOTASK_TIME_ZONE"],
    [{ ...CREDENTIALS, AUTOTASK_BUSINESS_DAYS: "1-9" }, "AUTOTASK_BUSINESS_DAYS"],
    [{ ...CREDENTIALS, AUTOTASK_BUSINESS_HOURS: "17:00-08:00" }, "AUTOTASK_BUSINESS_HOURS"],
    [{ ...CREDENTIALS, AUTOTASK_BUSINESS_HOURS: "8-17" }, "AUTOTASK_BUSINESS_HOURS"],
    [{ ...CREDENTIALS, AUTOTASK_HOLIDAYS: "2026-02-30" }, "AUTOTASK_HOLIDAYS"],
    [{ ...CREDENTIALS, AUTOTASK_STATUS_MAP: "{not json" }, "AUTOTASK_STATUS_MAP"],
    [{ ...CREDENTIALS, AUTOTASK_STATUS_MAP: '{"5":"DONE"}' }, "AUTOTASK_STATUS_MAP"],
    [{ ...CREDENTIALS, AUTOTASK_PRIORITY_MAP: '["HIGH"]' }, "AUTOTASK_PRIORITY_MAP"],
    [{ ...CREDENTIALS, AUTOTASK_PICKLIST_TTL_SECONDS: "15m" }, "AUTOTASK_PICKLIST_TTL_SECONDS"],
  ])("names the variable at fault in one line: %o", (env, variable) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain(SECRET);
  });

  it("never echoes the secret, even when the secret is the bad value", () => {
    const error = failure({ AUTOTASK_USERNAME: "u", AUTOTASK_SECRET: ["x"] as unknown as string, AUTOTASK_INTEGRATION_CODE: "c" });
    expect(error.variable).toBe("AUTOTASK_SECRET");
    expect(error.message).not.toContain("x\"");
  });
});

describe("parseWorkingDays", () => {
  it.each([
    ["1-5", [1, 2, 3, 4, 5]],
    ["1,2,3,4,5", [1, 2, 3, 4, 5]],
    ["0-2,6", [0, 1, 2, 6]],
    ["mon-fri", [1, 2, 3, 4, 5]],
    ["5,1,1", [1, 5]],
  ])("%s", (text, days) => {
    expect(parseWorkingDays(text)).toEqual(days);
  });

  it.each(["", "7", "5-1", "1-2-3", "x"])("refuses %j", (text) => {
    expect(parseWorkingDays(text)).toBeUndefined();
  });
});

describe(".env.example", () => {
  it("lists every variable with a comment above it", () => {
    const lines = readFileSync(new URL("../.env.example", import.meta.url), "utf8").split("\n");
    expect(ENV_VARIABLES.length).toBe(19);
    for (const variable of ENV_VARIABLES) {
      const index = lines.findIndex((line) => line.startsWith(`${variable}=`));
      expect(index, variable).toBeGreaterThan(0);
      expect(lines[index - 1]!.startsWith("#"), variable).toBe(true);
    }
  });
});

describe("credentials that are not valid HTTP header values (issue 10)", () => {
  it.each([
    ["AUTOTASK_SECRET", "Sup3r\nSecret", "line break"],
    ["AUTOTASK_SECRET", "Sup3r\r\nX-Evil: 1", "line break"],
    ["AUTOTASK_SECRET", "Sup3r\u0000Secret", "control character"],
    ["AUTOTASK_SECRET", "Sup3r-Secret ", "space"],
    ["AUTOTASK_SECRET", "Sup3r-Secret-\u20ac", "Latin-1"],
    ["AUTOTASK_INTEGRATION_CODE", "QZX9\n123", "line break"],
    ["AUTOTASK_INTEGRATION_CODE", "QZX9\u0007123", "control character"],
    ["AUTOTASK_USERNAME", "api@example.com\nX: y", "line break"],
  ])("%s %j is refused in one line naming the variable, never the value", (variable, value, problem) => {
    const error = failure({ ...CREDENTIALS, [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain(value.trim());
    expect(error.message).not.toContain("Sup3r");
    expect(error.message).not.toContain("QZX9");
  });

  it("accepts Latin-1 punctuation a generated secret may contain", () => {
    const secret = 'a"b\\c$d#e*f~g!h\u00e9';
    expect(parseEnv({ ...CREDENTIALS, AUTOTASK_SECRET: secret }).credentials?.secret).toBe(secret);
  });
});

describe("AUTOTASK_WORKFLOW and AUTOTASK_SLA_TARGETS", () => {
  const base = { AUTOTASK_SANDBOX: "true" };
  it("reads workflow rows by status name and refuses unknown names", () => {
    expect(parseEnv({ ...base, AUTOTASK_WORKFLOW: '{"new":["in progress","ESCALATED"]}' }).workflow).toEqual({ NEW: ["IN_PROGRESS", "ESCALATED"] });
    expect(() => parseEnv({ ...base, AUTOTASK_WORKFLOW: '{"NEW":["DISPATCHED"]}' })).toThrow(/AUTOTASK_WORKFLOW.*"NEW" must map to a list of status names/);
  });

  it("reads SLA targets by priority id or label, a number being the resolution target", () => {
    expect(parseEnv({ ...base, AUTOTASK_SLA_TARGETS: '{"Urgent":{"responseHours":0.5,"resolutionHours":2},"6":4}' }).slaTargets).toEqual({
      Urgent: { responseHours: 0.5, resolutionHours: 2 },
      "6": { resolutionHours: 4 },
    });
    expect(() => parseEnv({ ...base, AUTOTASK_SLA_TARGETS: '{"High":-1}' })).toThrow(/AUTOTASK_SLA_TARGETS.*"High" must map to positive hours/);
  });
});

