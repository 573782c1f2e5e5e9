/**
 * Shares the tenant's field metadata (picklists, UDF definitions) through a `KeyValueStore`, so every
 * session and every replica reads `entityInformation/fields` from Autotask once per TTL instead of once
 * per process or session. Wraps any `AutotaskApi`; every other method passes straight through.
 *
 * The per-process `PicklistCache` still sits on top; its `invalidate()` does not reach this shared copy,
 * so call `forget(entity)` too when Autotask says a picklist value does not exist.
 */
import type { AutotaskApi, MetadataEntity, RequestOptions } from "../autotask/api.js";
import type { FieldInfo } from "../autotask/schemas.js";
import type { KeyValueStore } from "./store.js";

export interface SharedMetadataApi extends AutotaskApi {
  forget(entity: MetadataEntity): Promise<void>;
}

/** `api` with `getFieldInfo`/`getUserDefinedFieldInfo` served from `store` for `ttlMs` (wall-clock ms). */
export function withSharedMetadata(api: AutotaskApi, store: KeyValueStore, ttlMs: number): SharedMetadataApi {
  const loading = new Map<string, Promise<FieldInfo[]>>();
  const cached = (kind: "fields" | "udf", load: (entity: MetadataEntity, options?: RequestOptions) => Promise<FieldInfo[]>) =>
    async (entity: MetadataEntity, options?: RequestOptions): Promise<FieldInfo[]> => {
      const key = `metadata:${kind}:${entity}`;
      const hit = await store.get(key);
      if (hit !== undefined) return JSON.parse(hit) as FieldInfo[];
      // Concurrent sessions in this process share one load.
      let pending = loading.get(key);
      if (!pending) {
        pending = load(entity, options).then(
          async (fields) => {
            await store.set(key, JSON.stringify(fields), ttlMs);
            loading.delete(key);
            return fields;
          },
          (error: unknown) => {
            loading.delete(key);
            throw error;
          },
        );
        loading.set(key, pending);
      }
      return pending;
    };
  const getFieldInfo = cached("fields", (entity, options) => api.getFieldInfo(entity, options));
  const getUserDefinedFieldInfo = cached("udf", (entity, options) => api.getUserDefinedFieldInfo(entity, options));
  const forget = async (entity: MetadataEntity) => {
    await store.delete(`metadata:fields:${entity}`);
    await store.delete(`metadata:udf:${entity}`);
  };
  return new Proxy(api, {
    get(target, property) {
      if (property === "getFieldInfo") return getFieldInfo;
      if (property === "getUserDefinedFieldInfo") return getUserDefinedFieldInfo;
      if (property === "forget") return forget;
      const value = Reflect.get(target, property);
      // Bound to the real client: its private fields are not reachable through the proxy.
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as SharedMetadataApi;
}
