/**
 * A measuring proxy in front of the sandbox: forwards every request unchanged and records, per thread
 * endpoint as the sandbox itself counts it (`matchRoute`), how many requests were in flight at once,
 * and every "Thread Threshold Exceeded" refusal. It can also hold requests (not forward them) to keep
 * slots busy, e.g. while a replica is killed.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { matchRoute } from "../../src/sandbox/routes.js";

export interface ProbeProxy {
  /** Same shape as the sandbox's apiUrl, through the proxy. */
  apiUrl: string;
  peakInFlight: Record<string, number>;
  inFlight: Record<string, number>;
  threadRefusals: number;
  requests: number;
  /** Requests for which this returns true wait until `releaseHeld()` (or their client goes away). */
  hold: ((method: string, path: string) => boolean) | undefined;
  held(): number;
  releaseHeld(): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startProbeProxy(sandboxApiUrl: string): Promise<ProbeProxy> {
  const target = new URL(sandboxApiUrl);
  const waiting = new Set<() => void>();
  const probe: ProbeProxy = {
    apiUrl: "",
    peakInFlight: {},
    inFlight: {},
    threadRefusals: 0,
    requests: 0,
    hold: undefined,
    held: () => waiting.size,
    releaseHeld() {
      for (const go of [...waiting]) go();
    },
    reset() {
      probe.peakInFlight = {};
      probe.threadRefusals = 0;
      probe.requests = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://probe.invalid");
    // A child route (/Tickets/{id}/Notes) is a thread of each endpoint it counts against (TicketNotes and Tickets).
    const matched = matchRoute(req.method ?? "GET", url.pathname).threadEndpoints;
    const endpoints = matched.length > 0 ? matched : ["(unlimited)"];
    probe.requests += 1;
    for (const endpoint of endpoints) {
      probe.inFlight[endpoint] = (probe.inFlight[endpoint] ?? 0) + 1;
      probe.peakInFlight[endpoint] = Math.max(probe.peakInFlight[endpoint] ?? 0, probe.inFlight[endpoint]!);
    }
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      for (const endpoint of endpoints) probe.inFlight[endpoint] = (probe.inFlight[endpoint] ?? 1) - 1;
    };
    // Autotask's thread ends when it has written its answer ("finish"); "close" covers aborted requests.
    res.once("finish", finish);
    res.once("close", finish);

    const forward = () => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            const body = Buffer.concat(chunks);
            if (/thread threshold/i.test(body.toString("utf8"))) probe.threadRefusals += 1;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(body);
          });
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    };

    if (probe.hold?.(req.method ?? "GET", url.pathname)) {
      const go = () => {
        waiting.delete(go);
        if (!res.destroyed) forward();
      };
      waiting.add(go);
      res.once("close", () => waiting.delete(go));
      return;
    }
    forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  probe.apiUrl = `http://127.0.0.1:${port}${target.pathname}`;
  return probe;
}
