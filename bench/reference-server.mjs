#!/usr/bin/env node
/**
 * The reference the product is held to: the smallest MCP server the official SDK makes, one McpServer
 * with one trivial tool over StdioServerTransport, loaded from node_modules as any SDK-based server
 * is. The targets for start-up time and memory are ratios against this process, measured in
 * the same run by bench/run.mjs.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "bench-reference", version: "1.0.0" });

server.registerTool(
  "echo",
  {
    title: "Echo",
    description: "Returns the text it is given.",
    inputSchema: { text: z.string().describe("Text to return.") },
  },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);

await server.connect(new StdioServerTransport());
process.stdin.on("end", () => process.exit(0));
