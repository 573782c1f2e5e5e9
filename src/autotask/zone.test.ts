import { describe, expect, it, vi } from "vitest";
import { AutotaskConfigurationError } from "./errors.js";
import { normalizeApiBaseUrl, ZoneResolver } from "./zone.js";

describe("normalizeApiBaseUrl", () => {
  it.each([
    "https://webservices5.autotask.net/ATServicesRest/",
    "https://webservices5.autotask.net/ATServicesRest",
    "https://webservices5.autotask.net/ATServicesRest/V1.0",
    "https://webservices5.autotask.net/ATServicesRest/V1.0/",
    "https://webservices5.autotask.net/atservicesrest/v1.0/",
    "https://webservices5.autotask.net",
    " https://webservices5.autotask.net/ATServicesRest/ ",
  ])("%s", (input) => {
    expect(normalizeApiBaseUrl(input).toLowerCase()).toBe("https://webservices5.autotask.net/atservicesrest/v1.0/");
    expect(normalizeApiBaseUrl(input)).toMatch(/\/V1\.0\/$/);
  });

  it("allows http only on loopback", () => {
    expect(normalizeApiBaseUrl("http://127.0.0.1:4700/ATServicesRest/")).toBe("http://127.0.0.1:4700/ATServicesRest/V1.0/");
    expect(() => normalizeApiBaseUrl("http://webservices5.autotask.net/ATServicesRest/")).toThrow(/https/);
  });

  it.each(["not a url", "https://example.com/other/path", "https://user:pw@webservices5.autotask.net/ATServicesRest/"])(
    "refuses %s",
    (input) => {
      expect(() => normalizeApiBaseUrl(input)).toThrow(TypeError);
    },
  );
});

describe("ZoneResolver", () => {
  it("shares one lookup between concurrent callers and caches the result", async () => {
    const lookup = vi.fn(async () => "https://webservices14.autotask.net/ATServicesRest/");
    const zone = new ZoneResolver(lookup);
    const urls = await Promise.all([zone.resolve(), zone.resolve(), zone.resolve()]);
    expect(await zone.resolve()).toBe("https://webservices14.autotask.net/ATServicesRest/V1.0/");
    expect(new Set(urls).size).toBe(1);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it("does not cache a failure and names AUTOTASK_API_URL", async () => {
    const lookup = vi.fn().mockRejectedValueOnce(new Error("ENOTFOUND")).mockResolvedValue("https://webservices2.autotask.net/ATServicesRest/");
    const zone = new ZoneResolver(lookup);
    const error = await zone.resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskConfigurationError);
    expect((error as Error).message).toContain("AUTOTASK_API_URL");
    await expect(zone.resolve()).resolves.toBe("https://webservices2.autotask.net/ATServicesRest/V1.0/");
  });

  it("refuses a zone URL that is not https", async () => {
    const zone = new ZoneResolver(async () => "http://webservices2.autotask.net/ATServicesRest/");
    await expect(zone.resolve()).rejects.toThrow(/must use https.*AUTOTASK_API_URL/);
  });
});
