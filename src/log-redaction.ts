/**
 * What every log line goes through before it is written, shared by the logger (src/logger.ts) and the
 * Autotask client (which scrubs error text Autotask echoes): credential-like field names replaced by
 * "[Redacted]", and the forms a secret value takes on its way into a JSON line. No pino here: the client
 * and the deferred logger (src/log.ts) import this without loading pino.
 */

export const REDACTED = "[Redacted]";

/** Field names treated as credentials wherever they occur. */
const SENSITIVE_KEY =
  /^(secret|apisecret|clientsecret|password|passwd|pwd|token|accesstoken|refreshtoken|apikey|api_key|apiintegrationcode|integrationcode|authorization|cookie|set-cookie|username|user-name)$|secret|password|token/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/**
 * One pattern for every form in which a secret value can reach a log line or an error text Autotask (or a proxy)
 * echoes, matched in any letter case (an echo may upper-case it; percent-encoders differ in hex case):
 * - verbatim;
 * - JSON-escaped once and twice (a JSON line never holds a quote, backslash or control character verbatim, and
 *   an error text that quotes a JSON body holds it escaped twice), and escaped with every non-ASCII unit as `\uXXXX`;
 * - upper- and lower-cased (for mappings that change length, such as ß → SS);
 * - percent-encoded as `encodeURIComponent` and `encodeURI` write it, strictly (RFC 3986: also `! ' ( ) *`), every
 *   byte, and form-encoded (`application/x-www-form-urlencoded`: also `~`, a space as `+`);
 * - HTML-escaped (`&amp; &lt; &gt; &quot;`, the apostrophe as `&#39;`, `&#x27;` or `&apos;`; or every special
 *   character as a decimal or hex numeric entity);
 * - base64 and base64url, padded or not, and HTTP Basic's `base64(username:secret)` when `username` is given.
 * Longer forms come first, so that a form containing a shorter one is blanked whole. Values shorter than
 * 4 characters are skipped (they would blank ordinary text).
 *
 * @param secrets the exact values (the API secret, the integration code).
 * @param username the API user, for the Basic form only: a username alone is not treated as a secret.
 * @returns a global, case-insensitive RegExp, or undefined when no value is long enough.
 */
export function secretPattern(secrets: readonly (string | undefined)[], username?: string): RegExp | undefined {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < 4) continue;
    const escaped = jsonEscape(secret);
    const base64Forms = [
      Buffer.from(secret, "utf8").toString("base64"),
      Buffer.from(secret, "utf8").toString("base64url"),
      ...(username ? [Buffer.from(`${username}:${secret}`, "utf8").toString("base64")] : []),
    ];
    const candidates = [
      secret,
      // Case mappings that change length (ß → SS) are beyond the pattern's case-insensitive flag.
      secret.toUpperCase(),
      secret.toLowerCase(),
      escaped,
      jsonEscape(escaped),
      asciiJsonEscape(secret),
      jsonEscape(asciiJsonEscape(secret)),
      encodeURIComponent(secret),
      encodeURIComponent(secret).replaceAll("%20", "+"),
      encodeURI(secret),
      new URLSearchParams({ v: secret }).toString().slice(2),
      // RFC 3986 strict (also ! ' ( ) *, as Python's quote, PHP's rawurlencode, .NET's EscapeDataString), and every byte.
      encodeURIComponent(secret).replace(/[!'()*]/g, percentEncoded),
      [...Buffer.from(secret, "utf8")].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
      ...["&#39;", "&#x27;", "&apos;"].map((apostrophe) => htmlEscape(secret, apostrophe)),
      secret.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`),
      secret.replace(/[&<>"']/g, (char) => `&#x${char.charCodeAt(0).toString(16)};`),
      ...base64Forms,
      // Unpadded, as JWTs and some encoders write them.
      ...base64Forms.map((form) => form.replace(/=+$/, "")),
    ];
    for (const form of candidates) if (form.length >= 4) forms.add(form);
  }
  if (forms.size === 0) return undefined;
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(alternatives.join("|"), "gi");
}

/** `text` with every match of `pattern` (from `secretPattern`) replaced by "[Redacted]". */
export function redactSecrets(text: string, pattern: RegExp | undefined): string {
  return pattern ? text.replace(pattern, REDACTED) : text;
}

/** The text between the quotes of JSON.stringify(text). */
function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** JSON escaping with every non-ASCII UTF-16 unit as \uXXXX (what ASCII-only serialisers write). */
function asciiJsonEscape(text: string): string {
  return jsonEscape(text).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function percentEncoded(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
}

/** HTML escaping of the five special characters, the apostrophe written as `apostrophe`. */
function htmlEscape(text: string, apostrophe: string): string {
  const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": apostrophe };
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

/** Copies plain objects and arrays, replacing sensitive fields. Errors and other instances pass through. */
export function scrub(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    return isFetchHeaders(value) ? scrub(Object.fromEntries(value.entries()), depth + 1) : value;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = isSensitiveKey(key) ? REDACTED : scrub(field, depth + 1);
  }
  return copy;
}

/**
 * Recognises fetch `Headers` by their tag instead of `instanceof Headers`: reading the global `Headers`
 * makes Node load its built-in fetch implementation, which the first log line of a stdio server has no
 * other reason to do (about 14% of start-up, measured by bench/run.mjs).
 */
function isFetchHeaders(value: object): value is Headers {
  return Object.prototype.toString.call(value) === "[object Headers]" && typeof (value as Headers).entries === "function";
}
