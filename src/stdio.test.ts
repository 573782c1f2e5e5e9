/** TrackingTransport: which calls are in flight, and when the server may exit without losing an answer. */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { TrackingTransport } from "./stdio.js";

function fakeInner() {
  const sent: JSONRPCMessage[] = [];
  const inner: Transport = {
    start: async () => {},
    close: async () => inner.onclose?.(),
    send: async (message) => {
      sent.push(message);
    },
  };
  return { inner, sent, receive: (message: JSONRPCMessage) => inner.onmessage?.(message) };
}

describe("TrackingTransport", () => {
  it("counts a request until its response is sent, and wakes idle waiters then", async () => {
    const { inner, receive } = fakeInner();
    const transport = new TrackingTransport(inner);
    const seen: JSONRPCMessage[] = [];
    transport.onmessage = (message) => seen.push(message);
    receive({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "x" } });
    receive({ jsonrpc: "2.0", method: "notifications/initialized" });
    expect(seen).toHaveLength(2);
    expect(transport.inFlight).toBe(1);
    let idle = false;
    const waiting = transport.whenIdle(5_000).then((value) => {
      idle = value;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    await transport.send({ jsonrpc: "2.0", id: 1, result: { content: [] } });
    await waiting;
    expect(idle).toBe(true);
    expect(transport.inFlight).toBe(0);
  });

  it("settles a request the client cancelled (the SDK sends no response for it)", async () => {
    const { inner, receive } = fakeInner();
    const transport = new TrackingTransport(inner);
    receive({ jsonrpc: "2.0", id: "a", method: "tools/call", params: { name: "x" } });
    receive({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "a" } });
    expect(transport.inFlight).toBe(0);
    await expect(transport.whenIdle(10)).resolves.toBe(true);
  });

  it("gives up waiting after the drain limit", async () => {
    const { inner, receive } = fakeInner();
    const transport = new TrackingTransport(inner);
    receive({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "x" } });
    await expect(transport.whenIdle(20)).resolves.toBe(false);
  });

  it("does not wait on a broken stdout: the request settles without writing", async () => {
    const { inner, sent, receive } = fakeInner();
    const transport = new TrackingTransport(inner);
    receive({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "x" } });
    transport.breakOutput();
    await transport.send({ jsonrpc: "2.0", id: 3, result: { content: [] } });
    expect(sent).toEqual([]);
    expect(transport.inFlight).toBe(0);
  });

  it("gives up an answer stuck waiting for stdout to drain once stdout fails, so the exit is not held", async () => {
    const { inner, receive } = fakeInner();
    // A pipe that never drains: the SDK's send waits for `drain` forever.
    inner.send = () => new Promise<void>(() => {});
    const transport = new TrackingTransport(inner);
    receive({ jsonrpc: "2.0", id: 4, method: "prompts/get", params: { name: "x" } });
    receive({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "y" } });
    void transport.send({ jsonrpc: "2.0", id: 4, result: { messages: [] } });
    await Promise.resolve();
    expect(transport.inFlight).toBe(2);
    transport.breakOutput();
    // The stuck answer is given up; the call still running settles when its answer is sent (and not written).
    expect(transport.inFlight).toBe(1);
    await transport.send({ jsonrpc: "2.0", id: 5, result: { content: [] } });
    await expect(transport.whenIdle(10)).resolves.toBe(true);
  });

  it("reports the inner transport's errors and closing through its hooks before the server's", () => {
    const { inner } = fakeInner();
    const transport = new TrackingTransport(inner);
    const order: string[] = [];
    transport.onTransportError = () => order.push("hook-error");
    transport.onerror = () => order.push("server-error");
    transport.onTransportClose = () => order.push("hook-close");
    transport.onclose = () => order.push("server-close");
    inner.onerror?.(new Error("ReadBuffer exceeded maximum size"));
    inner.onclose?.();
    expect(order).toEqual(["hook-error", "server-error", "hook-close", "server-close"]);
  });
});
