#!/usr/bin/env node
/**
 * The floor for start-up: a bare Node process that answers MCP's `initialize` and `tools/list` by hand,
 * newline-delimited JSON-RPC on stdio, with no SDK, no schema library and no logger. Nothing an MCP
 * server does can start faster than this on the same machine; bench/run.mjs reports it beside the
 * bare-SDK reference and the product so that their ratios, not absolute times, are compared.
 */
import { createInterface } from "node:readline";

const TOOLS = [
  {
    name: "echo",
    description: "Returns the text it is given.",
    inputSchema: { type: "object", properties: { text: { type: "string", description: "Text to return." } }, required: ["text"] },
  },
];

function reply(id, result) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id, result })}\n`);
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() === "") return;
  const message = JSON.parse(line);
  if (message.id === undefined) return; // notifications need no answer
  switch (message.method) {
    case "initialize":
      reply(message.id, {
        protocolVersion: message.params?.protocolVersion ?? "2025-06-18",
        capabilities: { tools: {} },
        serverInfo: { name: "bare-node", version: "1.0.0" },
      });
      break;
    case "tools/list":
      reply(message.id, { tools: TOOLS });
      break;
    case "tools/call":
      reply(message.id, { content: [{ type: "text", text: String(message.params?.arguments?.text ?? "") }] });
      break;
    default:
      process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } })}\n`);
  }
});
lines.on("close", () => process.exit(0));
