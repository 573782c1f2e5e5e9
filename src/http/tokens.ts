/**
 * Inbound bearer tokens for the HTTP transport. The configuration holds only SHA-256 hashes of the
 * tokens, each mapped to the technician's Autotask resource id, so neither the token file nor a log line
 * can give a token away.
 *
 * Format (AUTOTASK_HTTP_TOKENS_FILE, or the same JSON in AUTOTASK_HTTP_TOKENS):
 *   { "tokens": [ { "sha256": "<64 hex>", "technician": "Ann Example", "resourceId": 29682885,
 *                   "readOnly": false, "hourlyShare": 0.25 } ] }
 * `sha256` is the hex digest of the token (`printf %s "$TOKEN" | sha256sum`). `resourceId` is the
 * resource the technician's writes impersonate (header ImpersonationResourceId); `readOnly` tokens get
 * the read tools only; `hourlyShare` (0..1] caps the token's part of this server's hourly budget.
 *
 * The file is re-read when its modification time or size changes (checked at most once a second, on
 * demand), so tokens can be added, rotated and revoked without a restart. A file that no longer parses
 * keeps the last good set and logs why.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { Logger } from "../log.js";
import { z } from "zod";
import type { Caller } from "../autotask/shared-limits.js";

export interface TokenCaller extends Caller {
  readOnly: boolean;
}

const TokenEntrySchema = z.strictObject({
  sha256: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f]{64}$/, "must be the 64-character hex SHA-256 of the token"),
  technician: z.string().trim().min(1),
  resourceId: z.number().int().positive().optional(),
  readOnly: z.boolean().default(false),
  hourlyShare: z.number().gt(0).lte(1).optional(),
});

const TokenFileSchema = z.strictObject({
  /** Default `hourlyShare` for tokens without their own. */
  defaultHourlyShare: z.number().gt(0).lte(1).optional(),
  tokens: z.array(TokenEntrySchema),
});

/** Parses the token JSON; throws an Error with one readable line. */
export function parseTokenFile(text: string, source: string): Map<string, TokenCaller> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${source}: not valid JSON.`);
  }
  const parsed = TokenFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join(".") || "(root)"} ${issue?.message ?? "is invalid"}.`);
  }
  const byHash = new Map<string, TokenCaller>();
  for (const entry of parsed.data.tokens) {
    if (byHash.has(entry.sha256)) throw new Error(`${source}: the same token hash is listed twice (${entry.technician}).`);
    const caller: TokenCaller = {
      // The hash prefix identifies the token in keys and logs without being usable as a token.
      id: entry.sha256.slice(0, 16),
      technician: entry.technician,
      readOnly: entry.readOnly,
    };
    if (entry.resourceId !== undefined) caller.impersonationResourceId = entry.resourceId;
    const share = entry.hourlyShare ?? parsed.data.defaultHourlyShare;
    if (share !== undefined) caller.hourlyShare = share;
    byHash.set(entry.sha256, caller);
  }
  return byHash;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export interface TokenSource {
  /** Path of a token file, re-read on change. */
  file?: string;
  /** The token JSON itself (fixed for the process's life). */
  inline?: string;
}

export class TokenRegistry {
  #byHash: Map<string, TokenCaller>;
  #stamp = "";
  #checkedAt = 0;

  /** Reads the tokens once; throws (one line) if they cannot be read. */
  constructor(
    private readonly source: TokenSource,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {
    if (!source.file && !source.inline) throw new Error("The HTTP transport needs AUTOTASK_HTTP_TOKENS_FILE or AUTOTASK_HTTP_TOKENS.");
    if (source.file) {
      this.#stamp = this.#fileStamp();
      this.#byHash = parseTokenFile(this.#readFile(), source.file);
    } else {
      this.#byHash = parseTokenFile(source.inline ?? "", "AUTOTASK_HTTP_TOKENS");
    }
    this.#checkedAt = this.now();
  }

  get size(): number {
    return this.#byHash.size;
  }

  /** The caller for an `Authorization` header value, or undefined (missing, malformed, unknown). */
  authenticate(authorization: string | undefined): TokenCaller | undefined {
    const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization ?? "");
    if (!match) return undefined;
    this.#reloadIfChanged();
    // Looked up by hash: the plain token is never stored or compared.
    return this.#byHash.get(hashToken(match[1]!));
  }

  #reloadIfChanged(): void {
    if (!this.source.file || this.now() - this.#checkedAt < 1_000) return;
    this.#checkedAt = this.now();
    let stamp: string;
    try {
      stamp = this.#fileStamp();
    } catch (error) {
      this.logger?.error({ file: this.source.file, err: { message: (error as Error).message } }, "token file unreadable; keeping the last tokens");
      return;
    }
    if (stamp === this.#stamp) return;
    try {
      this.#byHash = parseTokenFile(this.#readFile(), this.source.file);
      this.#stamp = stamp;
      this.logger?.info({ file: this.source.file, count: this.#byHash.size }, "token file reloaded");
    } catch (error) {
      this.logger?.error({ err: { message: (error as Error).message } }, "token file invalid; keeping the last tokens");
    }
  }

  #fileStamp(): string {
    const stat = statSync(this.source.file!);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  }

  #readFile(): string {
    return readFileSync(this.source.file!, "utf8");
  }

  /** Forces the next `authenticate` to look at the file (tests; SIGHUP). */
  recheck(): void {
    this.#checkedAt = 0;
  }
}
