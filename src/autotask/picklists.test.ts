import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { MetadataEntity } from "./api.js";
import { Picklist, PicklistCache, PicklistError } from "./picklists.js";
import { FieldsEnvelopeSchema, type FieldInfo } from "./schemas.js";

// The real tenant capture: priority 1 is "Critical", 5 is "High"; status 9 and 10 are inactive.
const LIVE = FieldsEnvelopeSchema.parse(
  JSON.parse(readFileSync(new URL("./testdata/tickets-fields.live-excerpt.json", import.meta.url), "utf8")),
).fields;

function fakeApi(fields: FieldInfo[] = LIVE) {
  return { getFieldInfo: vi.fn(async (_entity: MetadataEntity) => fields) };
}

describe("Picklist", () => {
  const priority = Picklist.fromFieldInfo("Tickets", LIVE.find((f) => f.name === "priority")!);
  const status = Picklist.fromFieldInfo("Tickets", LIVE.find((f) => f.name === "status")!);

  it("converts metadata's string ids to numbers", () => {
    expect(priority.values.map((v) => v.value)).toEqual([1, 2, 3, 5, 6]);
    expect(priority.values[0]).toEqual({
      value: 1,
      label: "Critical",
      isActive: true,
      isDefaultValue: false,
      isSystem: false,
      parentValue: null,
      sortOrder: 5,
    });
  });

  it("lists active values in the tenant's sort order", () => {
    expect(priority.active().map((v) => v.label)).toEqual(["Low", "Medium", "High", "Urgent", "Critical"]);
    expect(status.active().map((v) => v.value)).not.toContain(9);
  });

  it("resolves ids, numeric strings and labels (any casing, trimmed) among active values", () => {
    expect(priority.resolve(5).label).toBe("High");
    expect(priority.resolve(" 5 ").label).toBe("High");
    expect(priority.resolve("  high ").value).toBe(5);
    expect(priority.resolve("CRITICAL").value).toBe(1);
  });

  it("refuses unknown and inactive values, listing the valid labels", () => {
    expect(() => priority.resolve("Urgnt")).toThrow('Unknown priority "Urgnt". Valid values: Low, Medium, High, Urgent, Critical.');
    expect(() => priority.resolve(4)).toThrow(PicklistError);
    const error = (() => {
      try {
        status.resolve("Waiting Materials"); // inactive in this tenant
      } catch (e) {
        return e as PicklistError;
      }
    })();
    expect(error).toBeInstanceOf(PicklistError);
    expect(error!.field).toBe("status");
    expect(error!.input).toBe("Waiting Materials");
    expect(error!.validLabels).toContain("New");
    expect(error!.validLabels).not.toContain("Waiting Materials");
  });

  it("labels any known id, active or not, and finds the default", () => {
    expect(status.labelOf(9)).toBe("Waiting Materials");
    expect(status.labelOf(999)).toBeUndefined();
    expect(status.labelOf(null)).toBeUndefined();
    expect(status.defaultValue()?.label).toBe("New");
    expect(priority.defaultValue()).toBeUndefined();
  });

  it("keeps dependent picklists' parent values as numbers", () => {
    const sub = Picklist.fromFieldInfo("Tickets", LIVE.find((f) => f.name === "subIssueType")!);
    expect(sub.values.every((v) => typeof v.parentValue === "number")).toBe(true);
  });
});

describe("PicklistCache", () => {
  it("loads each entity once per TTL, sharing concurrent loads", async () => {
    let now = 0;
    const api = fakeApi();
    const cache = new PicklistCache(api, { ttlMs: 1_000, now: () => now });
    const [a, b] = await Promise.all([cache.picklist("Tickets", "priority"), cache.picklist("Tickets", "Status")]);
    expect(a.field).toBe("priority");
    expect(b.field).toBe("status");
    expect(api.getFieldInfo).toHaveBeenCalledTimes(1);

    now = 999;
    await cache.fields("Tickets");
    expect(api.getFieldInfo).toHaveBeenCalledTimes(1);
    now = 1_000;
    await cache.picklist("Tickets", "priority");
    expect(api.getFieldInfo).toHaveBeenCalledTimes(2);
  });

  it("does not cache a failed load", async () => {
    const api = { getFieldInfo: vi.fn().mockRejectedValueOnce(new Error("down")).mockResolvedValue(LIVE) };
    const cache = new PicklistCache(api);
    await expect(cache.picklist("Tickets", "priority")).rejects.toThrow("down");
    await expect(cache.picklist("Tickets", "priority")).resolves.toBeInstanceOf(Picklist);
    expect(api.getFieldInfo).toHaveBeenCalledTimes(2);
  });

  it("reloads after invalidate", async () => {
    const api = fakeApi();
    const cache = new PicklistCache(api);
    await cache.picklist("Tickets", "priority");
    cache.invalidate("Tickets");
    await cache.picklist("Tickets", "priority");
    cache.invalidate();
    await cache.picklist("Tickets", "priority");
    expect(api.getFieldInfo).toHaveBeenCalledTimes(3);
  });

  it("refuses fields that do not exist or are not picklists", async () => {
    const cache = new PicklistCache(fakeApi());
    await expect(cache.picklist("Tickets", "title")).rejects.toThrow("Tickets.title is not a picklist field.");
    await expect(cache.picklist("Tickets", "nope")).rejects.toThrow('Tickets has no field named "nope".');
  });

  it("lets a caller's abort abandon its wait without failing other callers", async () => {
    let finish!: (fields: FieldInfo[]) => void;
    const api = { getFieldInfo: vi.fn(() => new Promise<FieldInfo[]>((resolve) => (finish = resolve))) };
    const cache = new PicklistCache(api);
    const controller = new AbortController();
    const abandoned = cache.picklist("Tickets", "priority", { signal: controller.signal });
    const other = cache.picklist("Tickets", "priority");
    controller.abort(new Error("cancelled"));
    finish(LIVE);
    await expect(abandoned).rejects.toThrow("cancelled");
    await expect(other).resolves.toBeInstanceOf(Picklist);
    expect(api.getFieldInfo).toHaveBeenCalledTimes(1);
  });
});
