/**
 * Header-value validity of the credentials, shared by configuration parsing (`config.ts`) and the
 * client's constructor, so that an unsendable credential is refused before any request. Sending one
 * would make undici throw "invalid header value" with the value quoted in the error text.
 */

/**
 * Why `text` cannot be sent as an HTTP header value, or undefined when it can. The credentials travel
 * as the `UserName`, `Secret` and `ApiIntegrationCode` headers; a value HTTP cannot carry would make
 * undici throw "invalid header value" on every request, with the value in the error text. The
 * description never contains the value. Rules (RFC 9110 field-value, as undici's fetch applies them):
 * no control characters (CR and LF above all), nothing above U+00FF, no leading or trailing whitespace
 * (fetch strips it, so the server would send a different credential than configured).
 */
export function headerValueProblem(text: string): string | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return "contains a line break or another control character, which an HTTP header value cannot carry";
    if (code > 0xff) return "contains a character outside Latin-1, which an HTTP header value cannot carry";
  }
  if (/^[ \t]|[ \t]$/.test(text)) return "starts or ends with a space, which HTTP drops from a header value";
  return undefined;
}
