/**
 * Shares the tenant's field metadata (picklists, UDF definitions) through a `KeyValueStore`, so every
 * session and every replica reads `entityInformation/fields` from Autotask once per TTL instead of once
 * per process or session. Wraps any `AutotaskApi`; every other method passes straight through.
 *
 * The per-process `PicklistCache` still sits on top; when it is invalidated (Autotask said a picklist
 * value does not exist), `forget(entity?)` drops the shared copy too: at once for this process (the next
 * load goes to Autotask and replaces the shared copy), and in the store for the other replicas.
 */
import type { AutotaskApi, MetadataEntity, RequestOptions } from "../autotask/api.js";
import type { FieldInfo } from "../autotask/schemas.js";
import type { KeyValueStore } from "./store.js";

export interface SharedMetadataApi extends AutotaskApi {
  /** Drops the shared copy of one entity's metadata, or of all (no entity). */
  forget(entity?: MetadataEntity): Promise<void>;
}

const ALL_ENTITIES: MetadataEntity[] = ["Tickets", "TicketNotes", "Companies", "Contacts", "Resources"];

/** `api` with `getFieldInfo`/`getUserDefinedFieldInfo` served from `store` for `ttlMs` (wall-clock ms). */
export function withSharedMetadata(api: AutotaskApi, store: KeyValueStore, ttlMs: number): SharedMetadataApi {
  const loading = new Map<string, Promise<FieldInfo[]>>();
  // Keys forgotten by this process: the next load skips the store (its delete may not have landed yet).
  const bypass = new Set<string>();
  const cached = (kind: "fields" | "udf", load: (entity: MetadataEntity, options?: RequestOptions) => Promise<FieldInfo[]>) =>
    async (entity: MetadataEntity, options?: RequestOptions): Promise<FieldInfo[]> => {
      const key = `metadata:${kind}:${entity}`;
      const hit = bypass.has(key) ? undefined : await store.get(key);
      if (hit !== undefined) return JSON.parse(hit) as FieldInfo[];
      // Concurrent sessions in this process share one load.
      let pending = loading.get(key);
      if (!pending) {
        bypass.delete(key);
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
  const forget = async (entity?: MetadataEntity) => {
    const keys = (entity ? [entity] : ALL_ENTITIES).flatMap((name) => [`metadata:fields:${name}`, `metadata:udf:${name}`]);
    for (const key of keys) bypass.add(key);
    await Promise.all(keys.map((key) => store.delete(key)));
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
