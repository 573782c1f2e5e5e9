/**
 * The registry as the stdio server uses it at run time: each tool's module imported on its first call
 * (issue 13). A first search then builds the search tool's zod schemas only, not every tool's; in the
 * bundle each loader below is its own chunk. `TOOLS` in index.ts stays the registry for everything
 * that needs every definition (bundle-time `tools/list`, tests, scripts, the team server); a test
 * checks that both name the same tools in the same order.
 */
import type { AnyToolDefinition } from "../tools/define.js";

type Loader = () => Promise<AnyToolDefinition>;
const definition = (module: { default: unknown }) => module.default as AnyToolDefinition;

/** Tool name -> its module's definition, in `tools/list` order. */
export const TOOL_LOADERS: ReadonlyMap<string, Loader> = new Map<string, Loader>([
  ["autotask_search_tickets", () => import("../tools/search-tickets.js").then(definition)],
  ["autotask_get_ticket_details", () => import("../tools/get-ticket-details.js").then(definition)],
  ["autotask_create_ticket", () => import("../tools/create-ticket.js").then(definition)],
  ["autotask_update_ticket", () => import("../tools/update-ticket.js").then(definition)],
  ["autotask_create_ticket_note", () => import("../tools/create-ticket-note.js").then(definition)],
  ["autotask_search_companies", () => import("../tools/search-companies.js").then(definition)],
  ["autotask_search_resources", () => import("../tools/search-resources.js").then(definition)],
  ["autotask_list_picklists", () => import("../tools/list-picklists.js").then(definition)],
  ["autotask_search_contacts", () => import("../tools/search-contacts.js").then(definition)],
  ["autotask_list_ticket_notes", () => import("../tools/list-ticket-notes.js").then(definition)],
  ["autotask_check_escalations", () => import("../tools/check-escalations.js").then(definition)],
  ["autotask_escalate_tickets", () => import("../tools/escalate-tickets.js").then(definition)],
  ["autotask_sla_report", () => import("../tools/sla-report.js").then(definition)],
  ["autotask_ticket_metrics", () => import("../tools/ticket-metrics.js").then(definition)],
]);
