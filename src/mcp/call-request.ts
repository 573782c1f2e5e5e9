/**
 * The `tools/call` request schema with `arguments` left exactly as received. The SDK's own schema
 * copies `arguments` into a new object, and that copy loses an own `__proto__` key without a trace; the
 * server registers its handler with this schema so that `refusePrototypeKeys` (tools/boundary.ts) sees what
 * was sent. Its own module so that the server registers it at start-up without importing the boundary.
 */
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

export const CallToolRequestKeepingArguments = CallToolRequestSchema.extend({
  params: CallToolRequestSchema.shape.params.extend({ arguments: z.unknown().optional() }),
});
