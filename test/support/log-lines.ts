/**
 * A writable stream that collects what a logger writes, one entry per write (pino writes one line per call),
 * for the logger tests (src/logger.test.ts, src/log.test.ts).
 */
import { Writable } from "node:stream";

export function captureLines() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return {
    lines,
    /** Every line parsed as JSON. */
    parsed: () => lines.map((line) => JSON.parse(line)),
    stream: stream as unknown as NodeJS.WritableStream & { write(msg: string): void },
  };
}
