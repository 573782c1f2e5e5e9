/**
 * A local Autotask-compatible REST API for trying the product without a tenant and for end-to-end tests
 * over real HTTP. `startSandbox()` loads a tenant profile, generates (or reloads) a deterministic tenant,
 * and serves it on a loopback port under `/ATServicesRest/V1.0/`. It deliberately shares no code with the
 * client in `src/autotask`: it is the other side of the wire and must judge requests independently.
 *
 * @example
 *   const sandbox = await startSandbox({ port: 0, profile: "real-tenant", tickets: 500, seed: 7 });
 *   // point the client at sandbox.url with sandbox.credentials, then:
 *   await sandbox.close();
 */
import type { AddressInfo } from "node:net";
import { generateTenant } from "./generator.js";
import { loadProfile } from "./profile.js";
import { type Credentials, type SandboxFaults, SandboxServer } from "./server.js";
import { SandboxStore } from "./store.js";

export type { SandboxFaults } from "./server.js";
export type { SandboxStore } from "./store.js";
export { THREAD_LIMIT, MESSAGES as SANDBOX_MESSAGES } from "./server.js";

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost; anything else is refused. */
  host?: string;
  /** "default", "real-tenant" (files in fixtures/profiles/) or a path to a profile JSON. */
  profile?: string;
  /** Generated tickets (default 2000). */
  tickets?: number;
  /** Seeds the data generator and the fault injector (default 20261127). */
  seed?: number;
  faults?: SandboxFaults;
  /** JSON file keeping state across restarts; created on first start, rewritten after writes. */
  statePath?: string;
  /** Clock for generated history, system fields and the hourly window (default: the real clock). */
  now?: () => Date;
  /** Requests per rolling hour before 429s (default 10,000, Autotask's per-database limit). */
  hourlyThreshold?: number;
  /**
   * Credentials the sandbox accepts (default sandbox@example.com / sandbox-secret / SANDBOX-INTEGRATION: not a
   * plain word, since credentials are blanked from logs in any letter case).
   */
  credentials?: Partial<Credentials>;
}

export interface SandboxHandle {
  /** Zone base URL, e.g. http://127.0.0.1:4700/ATServicesRest/ (what zoneInformation returns as url). */
  url: string;
  /** `url` + "V1.0/". */
  apiUrl: string;
  credentials: Credentials;
  /** Every HTTP request received, in total and by route ("POST /Tickets/query"). */
  stats(): { requests: number; byRoute: Record<string, number> };
  /**
   * Highest number of requests the sandbox ran at once per thread-limit endpoint ("Tickets",
   * "TicketNotes"…) since start or the last `resetStats()`; never above THREAD_LIMIT.
   */
  peakInFlight(): Record<string, number>;
  resetStats(): void;
  /** Replaces the fault settings (the seeded fault sequence continues). */
  setFaults(faults: SandboxFaults): void;
  /** Direct read access to the tenant's state, for tests. */
  store: SandboxStore;
  close(): Promise<void>;
}

export const DEFAULT_CREDENTIALS: Readonly<Credentials> = {
  username: "sandbox@example.com",
  secret: "sandbox-secret",
  integrationCode: "SANDBOX-INTEGRATION",
};

export const DEFAULT_SEED = 20261127;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);
const SAVE_DELAY_MS = 100;

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`The sandbox binds to loopback only; refusing host ${host}`);
  const now = options.now ?? (() => new Date());
  const seed = options.seed ?? DEFAULT_SEED;
  const profile = loadProfile(options.profile ?? "default");
  const credentials: Credentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const { statePath } = options;

  let store = statePath === undefined ? undefined : SandboxStore.load(statePath, profile);
  if (store === undefined) {
    store = generateTenant(profile, { tickets: options.tickets ?? 2000, seed, now: now() });
    if (statePath !== undefined) store.save(statePath);
  }
  const liveStore = store;

  let saveTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (saveTimer === undefined || statePath === undefined) return;
    clearTimeout(saveTimer);
    saveTimer = undefined;
    liveStore.save(statePath);
  };
  const server = new SandboxServer({
    store: liveStore,
    credentials,
    faults: { ...options.faults },
    seed,
    now,
    hourlyThreshold: options.hourlyThreshold ?? 10_000,
    onWrite: () => {
      if (statePath === undefined || saveTimer !== undefined) return;
      saveTimer = setTimeout(() => {
        saveTimer = undefined;
        liveStore.save(statePath);
      }, SAVE_DELAY_MS);
      saveTimer.unref();
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.http.once("error", reject);
    server.http.listen(options.port ?? 0, host, () => {
      server.http.off("error", reject);
      resolve();
    });
  });
  const address = server.http.address() as AddressInfo;
  const hostInUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${hostInUrl}:${address.port}/ATServicesRest/`;
  server.rootUrl = url;
  server.apiUrl = `${url}V1.0/`;

  return {
    url,
    apiUrl: server.apiUrl,
    credentials,
    stats: () => server.getStats(),
    peakInFlight: () => server.getPeakInFlight(),
    resetStats: () => server.resetStats(),
    setFaults: (faults) => server.setFaults(faults),
    store: liveStore,
    close: async () => {
      flush();
      await new Promise<void>((resolve) => {
        server.http.close(() => resolve());
        server.http.closeAllConnections();
      });
    },
  };
}
