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
 * Every form in which a secret can appear in a log line, longest first (so a longer form is blanked
 * before a shorter one inside it). A JSON line never holds a quote, backslash or control character
 * verbatim: a message containing the secret holds its JSON-escaped form, and an error text that
 * quotes a JSON body holds it escaped twice. Values shorter than 4 characters are skipped (they would
 * blank ordinary text).
 */
export function secretForms(secrets: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < 4) continue;
    const escaped = jsonEscape(secret);
    const candidates = [
      secret,
      escaped,
      jsonEscape(escaped),
      asciiJsonEscape(secret),
      jsonEscape(asciiJsonEscape(secret)),
      encodeURIComponent(secret),
      encodeURIComponent(secret).replaceAll("%20", "+"),
      Buffer.from(secret, "utf8").toString("base64"),
      Buffer.from(secret, "utf8").toString("base64url"),
    ];
    for (const form of candidates) if (form.length >= 4) forms.add(form);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The text between the quotes of JSON.stringify(text). */
function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** JSON escaping with every non-ASCII UTF-16 unit as \uXXXX (what ASCII-only serialisers write). */
function asciiJsonEscape(text: string): string {
  return jsonEscape(text).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
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
