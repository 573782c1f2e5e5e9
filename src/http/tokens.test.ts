import { describe, expect, it } from "vitest";
import { hashToken, parseTokenFile, TokenRegistry } from "./tokens.js";

const HASH = hashToken("s3cret-token");

describe("token file", () => {
  it("maps a token's hash to the technician, resource, read-only flag and share", () => {
    const tokens = parseTokenFile(
      JSON.stringify({ defaultHourlyShare: 0.2, tokens: [{ sha256: HASH.toUpperCase(), technician: "Ann", resourceId: 29682885 }] }),
      "tokens.json",
    );
    expect(tokens.get(HASH)).toEqual({ id: HASH.slice(0, 16), technician: "Ann", impersonationResourceId: 29682885, readOnly: false, hourlyShare: 0.2 });
  });

  it.each([
    ["not JSON", "{", /tokens.json: not valid JSON/],
    ["a plain token instead of a hash", JSON.stringify({ tokens: [{ sha256: "s3cret-token", technician: "Ann" }] }), /tokens\.0\.sha256 must be the 64-character hex SHA-256/],
    ["an unknown field", JSON.stringify({ tokens: [{ sha256: HASH, technician: "Ann", token: "x" }] }), /tokens\.0/],
    ["a duplicate", JSON.stringify({ tokens: [{ sha256: HASH, technician: "Ann" }, { sha256: HASH, technician: "Bob" }] }), /listed twice/],
    ["a share above 1", JSON.stringify({ tokens: [{ sha256: HASH, technician: "Ann", hourlyShare: 2 }] }), /hourlyShare/],
  ])("refuses %s with one line", (_label, text, message) => {
    expect(() => parseTokenFile(text, "tokens.json")).toThrow(message);
  });

  it("authenticates only a well-formed bearer header carrying a listed token", () => {
    const registry = new TokenRegistry({ inline: JSON.stringify({ tokens: [{ sha256: HASH, technician: "Ann" }] }) });
    expect(registry.authenticate("Bearer s3cret-token")?.technician).toBe("Ann");
    expect(registry.authenticate("bearer s3cret-token")?.technician).toBe("Ann");
    expect(registry.authenticate("Bearer s3cret-token2")).toBeUndefined();
    expect(registry.authenticate("Basic s3cret-token")).toBeUndefined();
    expect(registry.authenticate(undefined)).toBeUndefined();
    expect(registry.authenticate("Bearer ")).toBeUndefined();
  });
});
