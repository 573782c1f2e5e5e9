import fs from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { captureLines } from "../test/support/log-lines.js";
import { REDACTED } from "./log-redaction.js";
import { createLogger } from "./logger.js";

const SECRET = "s3cr3t-VALUE-never-shown";
const CODE = "INTEGRATION-CODE-XYZ";

describe("createLogger", () => {
  it("never prints the secret at trace, whatever the field name casing or depth", () => {
    const { lines, stream } = captureLines();
    const logger = createLogger({ level: "trace", destination: stream, secrets: [SECRET, CODE] });

    logger.trace({ headers: { Secret: SECRET, ApiIntegrationCode: CODE, UserName: "api@example.com" } }, "request");
    logger.debug({ headers: { secret: SECRET, APIINTEGRATIONCODE: CODE, username: "api@example.com" } }, "lowercase");
    logger.info({ request: { nested: { deeper: { password: "pw-123456", accessToken: "tok-123456", apiSecret: SECRET } } } }, "nested");
    logger.warn({ list: [{ Secret: SECRET }] }, "array");
    logger.error(`message text that contains ${SECRET} by mistake`);
    logger.child({ Secret: SECRET }).info("child bindings");
    logger.error({ err: new Error(`wrapped ${SECRET}`) }, "error object");

    const output = lines.join("");
    expect(lines).toHaveLength(7);
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(CODE);
    expect(output).not.toContain("api@example.com");
    expect(output).not.toContain("pw-123456");
    expect(output).not.toContain("tok-123456");
    expect(output).toContain(REDACTED);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "trace", msg: "request", headers: { Secret: REDACTED, ApiIntegrationCode: REDACTED, UserName: REDACTED } });
  });

  it("keeps ordinary fields and honours the level", () => {
    const { lines, stream } = captureLines();
    const logger = createLogger({ level: "info", destination: stream });
    logger.debug("hidden");
    logger.info({ method: "GET", path: "/Tickets/1", status: 200 }, "Autotask request");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", method: "GET", path: "/Tickets/1", status: 200, msg: "Autotask request" });
  });

  it("writes to stderr (fd 2), never stdout, by default", () => {
    const writes = vi.spyOn(fs, "writeSync").mockImplementation((_fd, buffer) => String(buffer).length);
    try {
      createLogger({ level: "info" }).info("to stderr");
      const fds = writes.mock.calls.map(([fd]) => fd);
      expect(fds).toContain(2);
      expect(fds).not.toContain(1);
    } finally {
      writes.mockRestore();
    }
  });

  it("is silent at level silent", () => {
    const { lines, stream } = captureLines();
    createLogger({ level: "silent", destination: stream }).error("nothing");
    expect(lines).toHaveLength(0);
  });

  it("redacts credentials inside fetch Headers", () => {
    const { lines, stream } = captureLines();
    const headers = new Headers({ Secret: "hush-hush-value", Accept: "application/json" });
    createLogger({ level: "info", destination: stream }).info({ headers }, "request");
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ headers: { secret: REDACTED, accept: "application/json" } });
    expect(JSON.stringify(lines)).not.toContain("hush-hush-value");
  });
});

describe("createLogger redacts encoded forms of the secrets (issue 10)", () => {
  // Characters that JSON, URLs and ASCII-only serialisers all encode differently.
  const TRICKY_SECRET = 'Qv7"pa\\ss/wörd 9+&=';
  const TRICKY_CODE = 'IC"ZZ\\41 é';
  const forms = (value: string) => [
    value,
    JSON.stringify(value).slice(1, -1),
    JSON.stringify(JSON.stringify(value)).slice(1, -1),
    encodeURIComponent(value),
    Buffer.from(value).toString("base64"),
  ];

  it("blanks the verbatim, JSON-escaped, doubly escaped, URL-encoded and base64 forms", () => {
    const { lines, stream } = captureLines();
    const logger = createLogger({ level: "trace", destination: stream, secrets: [TRICKY_SECRET, TRICKY_CODE] });
    logger.info(`message with ${TRICKY_SECRET} and ${TRICKY_CODE}`);
    logger.error({ err: new Error(`Autotask said ${JSON.stringify({ sent: TRICKY_SECRET, code: TRICKY_CODE })}`) }, "failed");
    logger.debug({ url: `https://example.test/?s=${encodeURIComponent(TRICKY_SECRET)}` }, "url");
    logger.debug({ blob: Buffer.from(TRICKY_SECRET).toString("base64"), ascii: JSON.stringify(TRICKY_SECRET).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) }, "encoded");
    const output = lines.join("");
    expect(lines).toHaveLength(4);
    for (const value of [TRICKY_SECRET, TRICKY_CODE]) {
      for (const form of forms(value)) expect(output, `form ${form}`).not.toContain(form);
    }
    expect(output).not.toContain("Qv7");
    expect(output).not.toContain("IC\\\"ZZ");
    expect(output).toContain(REDACTED);
  });

  it("blanks the forms an echo takes elsewhere: form-encoded, lower-case hex, HTML, HTTP Basic, another letter case", () => {
    // The characters form encoding treats differently from encodeURIComponent: ~ ! ' ( ) and the space.
    const SECRET_WITH_PUNCTUATION = "Ab~c'd(e)f!g/h*i j";
    const USER = "apiuser@tenant.example";
    const { lines, stream } = captureLines();
    const logger = createLogger({ level: "trace", destination: stream, secrets: [SECRET_WITH_PUNCTUATION, "INT~CODE(2)", "straße-Geheimnis"], username: USER });
    const echoed = [
      new URLSearchParams({ s: SECRET_WITH_PUNCTUATION }).toString().slice(2),
      new URLSearchParams({ c: "INT~CODE(2)" }).toString().slice(2),
      encodeURIComponent(SECRET_WITH_PUNCTUATION).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      SECRET_WITH_PUNCTUATION.replace("'", "&#39;"),
      SECRET_WITH_PUNCTUATION.replace("'", "&#x27;"),
      Buffer.from(`${USER}:${SECRET_WITH_PUNCTUATION}`).toString("base64"),
      SECRET_WITH_PUNCTUATION.toUpperCase(),
      encodeURI(SECRET_WITH_PUNCTUATION),
      // RFC 3986 strict percent-encoding, every byte encoded, unpadded Basic, a case mapping that changes length.
      encodeURIComponent(SECRET_WITH_PUNCTUATION).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
      [...Buffer.from(SECRET_WITH_PUNCTUATION)].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join(""),
      Buffer.from(`${USER}:${SECRET_WITH_PUNCTUATION}`).toString("base64").replace(/=+$/, ""),
      "straße-Geheimnis".toUpperCase(),
    ];
    for (const form of echoed) logger.warn(`Autotask said: header was ${form}.`);
    expect(lines).toHaveLength(echoed.length);
    lines.forEach((line, index) => {
      const form = echoed[index] ?? "";
      expect(line, `form ${form}`).not.toContain(form);
      expect(JSON.parse(line).msg).toBe(`Autotask said: header was ${REDACTED}.`);
    });
    // The username alone stays: it is not a secret, and it says which API user was refused.
    logger.info({ user: USER }, "user");
    expect(lines.at(-1)).toContain(USER);
  });
});
