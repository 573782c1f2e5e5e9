/**
 * `--check` against the sandbox over loopback HTTP (real client, real zone lookup), and against a stub
 * tenant for the mapping failure. Expected picklists are the profiles' (fixtures/profiles/): Autotask's
 * defaults (status 1 New, 5 Complete, 8 In Progress; priority 1 High, 4 Critical) and a real tenant's
 * (priority 1 Critical, 5 High).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AutotaskClient } from "./autotask/client.js";
import { type CheckClient, runCheck } from "./check.js";
import { parseEnv } from "./config.js";
import { type SandboxHandle, startSandbox } from "./sandbox/index.js";

const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 2 };

describe.each(["default", "real-tenant"])("runCheck against the sandbox, %s profile", (profile) => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, profile, tickets: 20 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  function check(env: Record<string, string> = {}) {
    const config = parseEnv({
      AUTOTASK_USERNAME: sandbox.credentials.username,
      AUTOTASK_SECRET: sandbox.credentials.secret,
      AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode,
      ...env,
    });
    if (config.sandbox) throw new Error("not a real-tenant configuration");
    const client = new AutotaskClient({
      credentials: config.credentials,
      apiUrl: config.apiUrl,
      zoneLookupUrl: `${sandbox.apiUrl}zoneInformation`,
      retry: FAST_RETRY,
    });
    return runCheck({ client, config, username: config.credentials.username }).finally(() => client.close());
  }

  it("discovers the zone, names the API user and maps statuses and priorities", async () => {
    const report = await check();
    const text = report.lines.join("\n");
    expect(report.ok, text).toBe(true);
    expect(text).toContain(`Zone:        ${sandbox.apiUrl} (discovered from zoneInformation)`);
    expect(text).toMatch(/Signed in:\s+yes, resource \d+/);
    expect(text).toMatch(/^\s+1 New\s+-> new$/m);
    expect(text).toMatch(/^\s+5 Complete\s+-> complete$/m);
    if (profile === "default") {
      expect(text).toMatch(/^\s+1 High\s+-> high$/m);
      expect(text).toMatch(/^\s+4 Critical\s+-> critical$/m);
    } else {
      expect(text).toMatch(/^\s+1 Critical\s+-> critical$/m);
      expect(text).toMatch(/^\s+5 High\s+-> high$/m);
    }
    expect(text).toMatch(/API usage:\s+\d+ of 10000 requests used/);
    expect(report.lines.length).toBeLessThan(60);
  });

  it("says the zone came from AUTOTASK_API_URL when it is set", async () => {
    const report = await check({ AUTOTASK_API_URL: sandbox.apiUrl });
    expect(report.lines.join("\n")).toContain("(from AUTOTASK_API_URL)");
  });

  it("reports a wrong secret as the problem with its fix, and fails", async () => {
    const report = await check({ AUTOTASK_SECRET: "not-the-secret" });
    const text = report.lines.join("\n");
    expect(report.ok).toBe(false);
    expect(text).toMatch(/Problem: .*401/);
    expect(text).toMatch(/Fix: .*AUTOTASK_SECRET/);
    expect(text).not.toContain("not-the-secret");
  });

  it("fails when the impersonated resource does not exist, and says which variable to fix", async () => {
    const report = await check({ AUTOTASK_IMPERSONATION_RESOURCE_ID: "999999999" });
    const text = report.lines.join("\n");
    expect(report.ok).toBe(false);
    expect(text).toMatch(/Problem: .*Impersonation failed: resource \[999999999\]/);
    expect(text).toMatch(/Fix: +Set AUTOTASK_IMPERSONATION_RESOURCE_ID to an active resource/);
  });
});

describe("runCheck with a tenant whose statuses the server cannot map", () => {
  const picklist = (values: [number, string][]) => values.map(([value, label]) => ({ value: String(value), label, isActive: true }));
  const client: CheckClient = {
    baseUrl: async () => "https://webservices5.autotask.net/ATServicesRest/V1.0/",
    queryResources: async function* () {
      yield [{ id: 4, firstName: "API", lastName: "User" }];
    },
    getFieldInfo: async () => [
      { name: "status", isPickList: true, picklistValues: picklist([[1, "Offen"], [2, "In Bearbeitung"], [3, "Erledigt"]]) },
      { name: "priority", isPickList: true, picklistValues: picklist([[1, "Hoch"], [2, "Mittel"]]) },
    ],
    getThresholdInformation: async () => ({ externalRequestThreshold: 10000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 42 }),
  };
  const config = parseEnv({ AUTOTASK_USERNAME: "api@example.com", AUTOTASK_SECRET: "s", AUTOTASK_INTEGRATION_CODE: "c" });

  it("fails and says to set AUTOTASK_STATUS_MAP", async () => {
    const report = await runCheck({ client, config, username: "api@example.com" });
    const text = report.lines.join("\n");
    expect(report.ok).toBe(false);
    expect(text).toContain("No active status means new.");
    expect(text).toContain("AUTOTASK_STATUS_MAP");
    expect(text).toContain("42 of 10000 requests used in the current 60-minute window");
  });

  it("passes once AUTOTASK_STATUS_MAP says which status is which", async () => {
    const mapped = parseEnv({
      AUTOTASK_USERNAME: "api@example.com",
      AUTOTASK_SECRET: "s",
      AUTOTASK_INTEGRATION_CODE: "c",
      AUTOTASK_STATUS_MAP: '{"Offen":"NEW","In Bearbeitung":"IN_PROGRESS","Erledigt":"COMPLETE"}',
    });
    const report = await runCheck({ client, config: mapped, username: "api@example.com" });
    expect(report.ok, report.lines.join("\n")).toBe(true);
    expect(report.lines.join("\n")).toMatch(/^\s+2 In Bearbeitung\s+-> in_progress$/m);
  });
});
