import { describe, expect, it } from "vitest";
import type { AutotaskApi } from "../autotask/api.js";
import { PicklistCache } from "../autotask/picklists.js";
import type { FieldInfo } from "../autotask/schemas.js";
import { withSharedMetadata } from "./metadata-cache.js";
import { MemoryStore } from "./store.js";

function priorityField(label: string): FieldInfo[] {
  return [
    {
      name: "priority",
      dataType: "integer",
      isPickList: true,
      picklistValues: [{ value: "1", label, isActive: true, isDefaultValue: false, isSystem: false, sortOrder: 1, parentValue: "" }],
    } as unknown as FieldInfo,
  ];
}

describe("shared field metadata", () => {
  it("serves every session from one load, and a stale-picklist invalidation reloads it for all", async () => {
    let label = "High";
    let loads = 0;
    const api = {
      getFieldInfo: async () => {
        loads += 1;
        return priorityField(label);
      },
    } as unknown as AutotaskApi;
    const shared = withSharedMetadata(api, new MemoryStore(), 60_000);
    const sessionA = new PicklistCache(shared, { onInvalidate: (entity) => void shared.forget(entity) });
    const sessionB = new PicklistCache(shared);
    expect((await sessionA.picklist("Tickets", "priority")).labelOf(1)).toBe("High");
    expect((await sessionB.picklist("Tickets", "priority")).labelOf(1)).toBe("High");
    expect(loads).toBe(1);

    label = "Critical"; // the tenant renamed the value
    sessionA.invalidate();
    expect((await sessionA.picklist("Tickets", "priority")).labelOf(1)).toBe("Critical");
    expect(loads).toBe(2);
    const sessionC = new PicklistCache(shared);
    expect((await sessionC.picklist("Tickets", "priority")).labelOf(1)).toBe("Critical");
    expect(loads).toBe(2);
  });
});
