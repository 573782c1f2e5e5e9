/**
 * Warm-up through a real MCP Client: after the handshake and the first tools/list answer, the server
 * loads the tenant's ticket metadata and the technicians' names once in the background; when Autotask fails, start-up and tools/list
 * are unaffected and the failure is not cached (the first tool call asks again).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { AutotaskApi } from "../src/autotask/api.js";
import { DEFAULT_CALENDAR } from "../src/domain/calendar.js";
import { createServer } from "../src/server.js";
import { createDesk } from "../src/desk/index.js";
import type { DeskSettings } from "../src/desk/settings.js";

const settings: DeskSettings = {
  readOnly: false,
  calendar: DEFAULT_CALENDAR,
  mappingOverrides: {},
  defaultNotesInDetails: 5,
  duplicateWindowMs: 60_000,
};

/** An API whose every method records its name and answers with `answer(name)`. */
function recordingApi(answer: (method: string) => unknown) {
  const calls: string[] = [];
  const api = new Proxy({} as AutotaskApi, {
    get(_target, property) {
      if (typeof property !== "string" || property === "then") return undefined;
      return (...args: unknown[]) => {
        calls.push(`${property}(${args.filter((arg) => typeof arg === "string").join(",")})`);
        // Paged reads are async iterables of pages, like the client's.
        if (property.startsWith("query") && property !== "queryTicketsPage") {
          return (async function* () {
            yield (await answer(property)) as unknown[];
          })();
        }
        return answer(property);
      };
    },
  });
  return { api, calls };
}

async function connect(api: AutotaskApi, warmUp: boolean, whenIdle?: () => Promise<unknown>) {
  const server = createServer(createDesk(api, settings, () => new Date(), pino({ level: "silent" })), { warmUp, ...(whenIdle ? { whenIdle } : {}) });
  const client = new Client({ name: "warm-up-test", version: "1.0.0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(a), server.connect(b)]);
  return client;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("warm-up after the handshake", () => {
  it("loads the ticket metadata and the technicians' names once, after tools/list has been answered", async () => {
    const { api, calls } = recordingApi(() => Promise.resolve([]));
    const client = await connect(api, true);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    await client.listTools();
    await settle();
    expect([...calls].sort()).toEqual(["getFieldInfo(Tickets)", "queryResources()"]);
    await client.close();
  });

  it("runs the entry's idle work (the stdio entry loads pino there) once, after tools/list and while no call runs", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { api } = recordingApi(() => gate.then(() => []));
    const idleWork: string[] = [];
    const client = await connect(api, true, async () => {
      idleWork.push("loaded");
    });
    await settle();
    expect(idleWork).toEqual([]);
    await client.listTools();
    // A call that arrives right after tools/list, and waits on Autotask, holds the idle work back.
    const call = client.callTool({ name: "autotask_search_tickets", arguments: {} });
    await settle();
    expect(idleWork).toEqual([]);
    release();
    await call;
    await settle();
    expect(idleWork).toEqual(["loaded"]);
    await client.listTools();
    await settle();
    expect(idleWork).toEqual(["loaded"]);
    await client.close();
  });

  it("does nothing without warmUp", async () => {
    const { api, calls } = recordingApi(() => Promise.resolve([]));
    const client = await connect(api, false);
    await client.listTools();
    await settle();
    expect(calls).toEqual([]);
    await client.close();
  });

  it("keeps start-up and tools/list working when Autotask fails, and does not cache the failure", async () => {
    // A rejection the warm-up leaves unhandled would end a real server (Node's default): there must be none.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const { api, calls } = recordingApi(() => Promise.reject(new Error("connect ECONNREFUSED")));
    const client = await connect(api, true);
    await expect(client.listTools()).resolves.toMatchObject({ tools: expect.any(Array) });
    await settle();
    process.off("unhandledRejection", onUnhandled);
    expect(unhandled).toEqual([]);
    expect([...calls].sort()).toEqual(["getFieldInfo(Tickets)", "queryResources()"]);
    // The first tool call asks Autotask again instead of replaying the warm-up's failure.
    // (A status filter needs the tenant's metadata before anything else is sent.)
    const result = await client.callTool({ name: "autotask_search_tickets", arguments: { status: "New" } });
    expect(result.isError).toBe(true);
    expect(calls.filter((call) => call === "getFieldInfo(Tickets)").length).toBeGreaterThanOrEqual(2);
    await client.close();
  });
});
