/**
 * Requests whose params do not fit the protocol's schema are the caller's mistake: JSON-RPC InvalidParams
 * (-32602) naming each problem, instead of the SDK's InternalError (-32603) carrying zod's raw issue list
 * (e.g. `prompts/get` with a number for `name`, `tools/call` without one, `resources/read` with no `uri`).
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

type Handler = (request: unknown, extra: unknown) => unknown;
type Register = (schema: z.ZodObject, handler: Handler) => void;

/**
 * Makes every request handler registered on `server` from now on (ours and the McpServer's) parse its
 * request with its schema itself, so that a request that does not fit is refused with InvalidParams:
 * "Invalid params for prompts/get: params.name: Invalid input: expected string, received number".
 * The SDK parses in `setRequestHandler` and reports a failure as an internal error; here the SDK is given a
 * schema that checks only the method, and the real schema is applied inside the handler. Handlers the SDK's
 * `Server` registers in its constructor (`initialize`, `ping`) are not covered: clients' libraries send those.
 */
export function refuseMalformedParams(server: Server): void {
  const register = server.setRequestHandler.bind(server) as unknown as Register;
  const checked: Register = (schema, handler) => {
    const method = (schema.shape.method as z.ZodLiteral<string>).value;
    register(z.looseObject({ method: z.literal(method) }), (request, extra) => {
      const parsed = schema.safeParse(request);
      if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${describeIssues(parsed.error)}`);
      return handler(parsed.data, extra);
    });
  };
  server.setRequestHandler = checked as unknown as Server["setRequestHandler"];
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`).join("; ");
}
