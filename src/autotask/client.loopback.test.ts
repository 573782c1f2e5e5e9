/**
 * AutotaskClient over real HTTP on 127.0.0.1 (no msw in this file): proves the keep-alive Agent (Node's built-in undici)
 * works with the runtime's fetch, and that network failures are classified by what may have reached
 * the server (refused connection vs. dropped after sending vs. no answer in time).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AutotaskClient } from "./client.js";
import { AutotaskConfigurationError, AutotaskNetworkError } from "./errors.js";
import type { TicketCreate } from "./schemas.js";

const CREDENTIALS = { username: "api@example.com", secret: "loopback-secret", integrationCode: "LOOP" };
let server: Server | undefined;

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/ATServicesRest/`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

const noSleep = async () => {};

describe("AutotaskClient over loopback HTTP", () => {
  it("sends the request through the keep-alive agent and reuses the connection", async () => {
    const seen: Array<{ method?: string; url?: string; secret?: string | string[]; port?: number }> = [];
    const apiUrl = await serve((req, res) => {
      seen.push({ method: req.method, url: req.url, secret: req.headers.secret, port: req.socket.remotePort });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ item: { id: 7, title: "Printer" } }));
    });
    const client = new AutotaskClient({ credentials: CREDENTIALS, apiUrl });
    try {
      await expect(client.getTicket(7)).resolves.toEqual({ id: 7, title: "Printer" });
      for (let i = 0; i < 5; i++) await client.getTicket(7);
    } finally {
      await client.close();
    }
    expect(seen[0]).toMatchObject({ method: "GET", url: "/ATServicesRest/V1.0/Tickets/7", secret: "loopback-secret" });
    expect(seen).toHaveLength(6);
    // Six sequential requests without keep-alive would use six connections (a connection can be
    // back in the pool a tick after its response ends, so a second one may open).
    expect(new Set(seen.map((s) => s.port)).size).toBeLessThanOrEqual(2);
  });

  it("retries a write whose connection was refused (nothing reached the server)", async () => {
    const apiUrl = await serve(() => {});
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const client = new AutotaskClient({ credentials: CREDENTIALS, apiUrl, sleep: noSleep, retry: { maxAttempts: 3 } });
    const error = await client.createTicket({ title: "x" } as TicketCreate).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskNetworkError);
    expect((error as AutotaskNetworkError).maybeCommitted).toBe(false);
    expect(client.requestCount).toBe(3);
  });

  it("does not retry a write whose connection dropped after sending, and says it may be saved", async () => {
    let received = 0;
    const apiUrl = await serve((req) => {
      received += 1;
      req.socket.destroy();
    });
    const client = new AutotaskClient({ credentials: CREDENTIALS, apiUrl, sleep: noSleep });
    const error = await client.createTicket({ title: "x" } as TicketCreate).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskNetworkError);
    expect((error as AutotaskNetworkError).maybeCommitted).toBe(true);
    expect(received).toBe(1);
    await client.close();
  });

  it("times out an attempt that gets no answer, and retries it for reads", async () => {
    let received = 0;
    const apiUrl = await serve(() => {
      received += 1; // never answers
    });
    const client = new AutotaskClient({ credentials: CREDENTIALS, apiUrl, sleep: noSleep, attemptTimeoutMs: 100, retry: { maxAttempts: 2 } });
    const error = await client.getTicket(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskNetworkError);
    expect((error as Error).message).toMatch(/no complete answer within 100 ms/);
    expect(received).toBe(2);
    await client.close();
  });

  it("leaves a dispatcher installed on purpose (a proxy agent) in charge of every request", async () => {
    const apiUrl = await serve((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ item: { id: 8, title: "Scanner" } }));
    });
    const key = Symbol.for("undici.globalDispatcher.1");
    void globalThis.Headers; // makes Node install its own global dispatcher first
    const globals = globalThis as unknown as Record<symbol, { dispatch(options: { path: string }, handler: unknown): boolean }>;
    const runtimeAgent = globals[key];
    if (!runtimeAgent) throw new Error("the runtime installed no global dispatcher");
    const routed: string[] = [];
    // Stands in for a ProxyAgent: not a plain Agent, so the client must not replace it with its own.
    // Like ProxyAgent, its constructor takes where to route, not Agent options.
    class RoutingDispatcher {
      constructor(private readonly via: unknown) {}
      dispatch(options: { path: string }, handler: unknown) {
        routed.push(`${String(this.via)} ${options.path}`);
        return runtimeAgent!.dispatch(options, handler);
      }
    }
    globals[key] = new RoutingDispatcher("proxy") as never;
    const client = new AutotaskClient({ credentials: CREDENTIALS, apiUrl });
    try {
      await expect(client.getTicket(8)).resolves.toEqual({ id: 8, title: "Scanner" });
    } finally {
      globals[key] = runtimeAgent;
      await client.close();
    }
    expect(routed).toEqual(["proxy /ATServicesRest/V1.0/Tickets/8"]);
  });
});

describe("AutotaskClient thread limit over loopback HTTP", () => {
  it("keeps at most 3 requests in flight per endpoint, counting POST /Tickets/{id}/Notes against Tickets too", async () => {
    let ticketsInFlight = 0;
    let notesInFlight = 0;
    let maxTickets = 0;
    let maxNotes = 0;
    const apiUrl = await serve((req, res, body) => {
      const isNote = /\/Tickets\/\d+\/Notes/.test(req.url ?? "");
      ticketsInFlight += 1;
      if (isNote) notesInFlight += 1;
      maxTickets = Math.max(maxTickets, ticketsInFlight);
      maxNotes = Math.max(maxNotes, notesInFlight);
      setTimeout(() => {
        ticketsInFlight -= 1;
        if (isNote) notesInFlight -= 1;
        res.setHeader("content-type", "application/json");
        res.end(isNote ? JSON.stringify({ itemId: JSON.parse(body).ticketID }) : JSON.stringify({ item: { id: 7, title: "Printer" } }));
      }, 15);
    });
    const client = new AutotaskClient({ credentials: CREDENTIALS, apiUrl });
    try {
      await Promise.all([
        ...Array.from({ length: 12 }, (_, i) => client.createTicketNote(i + 1, { ticketID: i + 1, title: "n", description: "d", noteType: 1, publish: 2 })),
        ...Array.from({ length: 12 }, () => client.getTicket(7)),
      ]);
    } finally {
      await client.close();
    }
    expect(maxNotes).toBeLessThanOrEqual(3);
    // Autotask counts threads per object endpoint (autotask-api.md §7); a child route is counted against its parent too.
    expect(maxTickets).toBeLessThanOrEqual(3);
    expect(maxTickets).toBe(3);
  });
});

describe("AutotaskClient credentials that HTTP cannot carry", () => {
  it.each([
    ["a secret", { ...CREDENTIALS, secret: "Jx5-first\nX-Injected: 1" }, "Secret"],
    ["an integration code", { ...CREDENTIALS, integrationCode: "Jx5\r\nCODE" }, "ApiIntegrationCode"],
    ["a username", { ...CREDENTIALS, username: "Jx5@example.com\u0000" }, "UserName"],
  ])("%s with a control character is refused at construction, naming the header, never the value", async (_label, credentials, header) => {
    let requests = 0;
    const apiUrl = await serve((_req, res) => {
      requests += 1;
      res.end("{}");
    });
    let thrown: unknown;
    try {
      const client = new AutotaskClient({ credentials, apiUrl });
      // Today's behaviour without the check: undici refuses the header and quotes the value in its message.
      await client.getTicket(1).finally(() => client.close());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AutotaskConfigurationError);
    expect((thrown as Error).message).toContain(header);
    expect((thrown as Error).message).not.toContain("Jx5");
    expect(requests).toBe(0);
  });

  it("never follows a redirect: the credentials and a write's body stay with the configured host", async () => {
    // The host a redirect points to, listening on another loopback address and port.
    const elsewhere: string[] = [];
    const trap = createServer((req, res) => {
      elsewhere.push(`${req.method} ${req.url} ${String(req.headers.secret ?? "")}`);
      res.end("{}");
    });
    await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
    const trapOrigin = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
    const sent: string[] = [];
    const apiUrl = await serve((req, res) => {
      sent.push(`${req.method} ${req.url}`);
      res.statusCode = req.method === "GET" ? 302 : 307;
      res.setHeader("location", `${trapOrigin}/collect?from=${encodeURIComponent(req.url ?? "")}`);
      res.end();
    });
    const client = new AutotaskClient({ credentials: CREDENTIALS, apiUrl, sleep: noSleep });
    try {
      for (const call of [() => client.getTicket(7), () => client.createTicket({ companyID: 1, title: "x", status: 1, priority: 2 } as TicketCreate)]) {
        const error = await call().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(AutotaskConfigurationError);
        expect((error as Error).message).toMatch(new RegExp(`redirect \\(HTTP 30[27], to ${trapOrigin.replace(/[.]/g, "\\.")}\\)`));
        expect((error as Error).message).not.toMatch(/collect|loopback-secret/);
      }
    } finally {
      await client.close();
      trap.closeAllConnections();
      await new Promise((resolve) => trap.close(resolve));
    }
    // Each asked once (no retry of a redirect), and nothing reached the other host.
    expect(sent).toEqual(["GET /ATServicesRest/V1.0/Tickets/7", "POST /ATServicesRest/V1.0/Tickets"]);
    expect(elsewhere).toEqual([]);
  });

  it("names a redirect's target without the credentials a hostile host echoes into its Location", async () => {
    // The answering host builds the Location from the headers it received (the secret as a host name label).
    const apiUrl = await serve((req, res) => {
      res.statusCode = 302;
      res.setHeader("location", `http://${String(req.headers.secret)}.${String(req.headers.apiintegrationcode)}.example/`);
      res.end();
    });
    const client = new AutotaskClient({ credentials: CREDENTIALS, apiUrl, sleep: noSleep });
    try {
      const error = await client.getTicket(7).then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
      expect(error).toBeInstanceOf(AutotaskConfigurationError);
      expect(error?.message).toContain("with a redirect (HTTP 302, to http://[Redacted].[Redacted].example)");
      expect(error?.message.toLowerCase()).not.toMatch(/loopback-secret|\bloop\b/);
    } finally {
      await client.close();
    }
  });
});
