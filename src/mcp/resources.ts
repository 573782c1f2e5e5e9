/**
 * MCP resources: the tenant's ticket picklists (`autotask://picklists/tickets`) and one ticket
 * (`autotask://tickets/{id}`), as JSON. Both read through the process's desk, like the tools.
 */
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Desk } from "../desk/index.js";
import { UserInputError } from "../errors.js";
import { UNTRUSTED_JSON_NOTICE } from "../tools/format/untrusted-text.js";

/** `desk` may be the desk or how to get it (the stdio server builds it after the handshake). */
export function registerDeskResources(server: McpServer, deskOrLoad: Desk | (() => Promise<Desk>)): void {
  const getDesk = typeof deskOrLoad === "function" ? deskOrLoad : () => Promise.resolve(deskOrLoad);
  server.registerResource(
    "ticket-picklists",
    "autotask://picklists/tickets",
    {
      title: "Ticket picklists",
      description: "This tenant's active ticket and note picklists: statuses with their semantic state, priorities, queues, types, SLAs.",
      mimeType: "application/json",
    },
    async (uri, extra) => {
      const desk = await getDesk();
      const listing = await desk.reports.picklists.list({}, { signal: extra.signal });
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(listing) }] };
    },
  );
  server.registerResource(
    "ticket",
    new ResourceTemplate("autotask://tickets/{id}", { list: undefined }),
    { title: "Ticket", description: "One ticket by its Autotask id or ticket number (T…), with picklist labels.", mimeType: "application/json" },
    async (uri, variables, extra) => {
      // An id or a ticket number, like every tool's ticketID; TicketService.get throws UserInputError
      // for anything else and for an unknown ticket: the caller's mistake, so JSON-RPC "invalid params".
      const desk = await getDesk();
      const ticket = await desk.tickets.get(String(variables.id), { signal: extra.signal }).catch((error: unknown) => {
        if (error instanceof UserInputError) throw new McpError(ErrorCode.InvalidParams, `Cannot read ${uri.href}: ${error.message}`);
        throw error;
      });
      const labels = await desk.tenant.ticketLabels(ticket, { signal: extra.signal });
      // The record's title, description and user-defined fields are client-written, with no <<<…>>> here.
      const record = { ...ticket, labels, untrustedText: UNTRUSTED_JSON_NOTICE };
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(record) }] };
    },
  );
}
