#!/usr/bin/env node
/**
 * The floor the product is held to: the smallest MCP server the official SDK makes that can answer a
 * ticket search, one `McpServer` over `StdioServerTransport` with one tool that sends ONE HTTP query to
 * the same Autotask sandbox the product talks to and returns the answer's text as it came. bench/run.mjs
 * bundles this file with the product's own esbuild settings (scripts/bundle-options.mjs) and measures
 * both in the same run; the start-up targets are ratios against the bundled floor.
 *
 * Environment: AUTOTASK_API_URL (…/ATServicesRest/V1.0/), AUTOTASK_USERNAME, AUTOTASK_SECRET,
 * AUTOTASK_INTEGRATION_CODE, FLOOR_QUERY_BODY (the JSON body the product sends for the same search,
 * captured by the bench).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const env = process.env;
const server = new McpServer({ name: "bench-floor", version: "1.0.0" });

server.registerTool(
  "search_tickets",
  {
    title: "Search tickets",
    description: "Sends one ticket query to Autotask and returns its answer.",
    inputSchema: { pageSize: z.number().int().min(1).max(500).optional().describe("Rows per page.") },
  },
  async () => {
    const response = await fetch(`${env.AUTOTASK_API_URL}Tickets/query`, {
      method: "POST",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        ApiIntegrationCode: env.AUTOTASK_INTEGRATION_CODE ?? "",
        UserName: env.AUTOTASK_USERNAME ?? "",
        Secret: env.AUTOTASK_SECRET ?? "",
      },
      body: env.FLOOR_QUERY_BODY ?? '{"filter":[{"op":"gte","field":"id","value":0}],"MaxRecords":25}',
    });
    return { content: [{ type: "text", text: await response.text() }] };
  },
);

await server.connect(new StdioServerTransport());
process.stdin.on("end", () => process.exit(0));
