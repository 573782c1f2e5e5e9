/**
 * MCP resources: the tenant's ticket picklists (`autotask://picklists/tickets`) and one ticket
 * (`autotask://tickets/{id}`), as JSON. Both read through the same services as the tools.
 */
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AutotaskApi } from "../autotask/api.js";
import type { DeskReports } from "../desk/reports/index.js";
import { UserInputError } from "../errors.js";
import type { TenantService } from "../tools/support/tenant.js";

export function registerDeskResources(server: McpServer, deps: { api: AutotaskApi; tenant: TenantService; reports: DeskReports }): void {
  server.registerResource(
    "ticket-picklists",
    "autotask://picklists/tickets",
    {
      title: "Ticket picklists",
      description: "This tenant's active ticket and note picklists: statuses with their semantic state, priorities, queues, types, SLAs.",
      mimeType: "application/json",
    },
    async (uri, extra) => {
      const listing = await deps.reports.picklists.list({}, { signal: extra.signal });
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(listing) }] };
    },
  );
  server.registerResource(
    "ticket",
    new ResourceTemplate("autotask://tickets/{id}", { list: undefined }),
    { title: "Ticket", description: "One ticket by its Autotask id, with picklist labels.", mimeType: "application/json" },
    async (uri, variables, extra) => {
      const id = Number(variables.id);
      if (!Number.isSafeInteger(id) || id <= 0) throw new UserInputError(`"${String(variables.id)}" is not a ticket id.`);
      const ticket = await deps.api.getTicket(id, { signal: extra.signal });
      if (!ticket) throw new UserInputError(`Ticket ${id} was not found in Autotask.`);
      const labels = await deps.tenant.ticketLabels(ticket, { signal: extra.signal });
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify({ ...ticket, labels }) }] };
    },
  );
}
