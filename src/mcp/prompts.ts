/**
 * MCP prompts for a service-desk lead's routines. They name the tools to call and never carry a
 * picklist id: ids differ per tenant and come from `autotask_list_picklists`.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const user = (text: string) => ({ messages: [{ role: "user" as const, content: { type: "text" as const, text } }] });

/** @param options.readOnly writes are off (server or token): prompts then never ask for a write tool, which is hidden. */
export function registerDeskPrompts(server: McpServer, options: { readOnly?: boolean } = {}): void {
  const readOnly = options.readOnly === true;
  server.registerPrompt(
    "triage-new-tickets",
    {
      title: "Triage new tickets",
      description: "Review tickets in a New status and propose priority, queue and assignee for each.",
      // Arguments are validated before they reach the prompt text: an id is digits, nothing else.
      argsSchema: { companyID: z.string().trim().regex(/^[1-9]\d{0,9}$/, "companyID must be a company id (digits)").optional().describe("Only this company's tickets (id).") },
    },
    ({ companyID }) =>
      user(
        [
          "Triage the new tickets in Autotask.",
          "1. Call autotask_list_picklists (field status, then priority and queue) to learn this tenant's New status, priorities with their SLA targets, and queues.",
          `2. Call autotask_search_tickets with status new${companyID ? ` and companyID ${companyID}` : ""}, then autotask_get_ticket_details for each ticket you need to read.`,
          "3. For each ticket propose a priority, a queue and an assignee (find people with autotask_search_resources), with one line of reasoning. Use labels, not ids.",
          readOnly
            ? "4. This connection is read-only: do not try to change tickets; list the proposals for me to apply in Autotask."
            : "4. Ask me before changing anything; then apply what I approve with autotask_update_ticket.",
        ].join("\n"),
      ),
  );
  server.registerPrompt(
    "daily-sla-report",
    {
      title: "Daily SLA report",
      description: "Summarise the SLA position of the desk: breached and at-risk tickets, by queue, with the month's metrics.",
      argsSchema: { groupBy: z.enum(["queue", "resource", "priority"]).optional().describe("Grouping; default queue.") },
    },
    ({ groupBy }) =>
      user(
        [
          "Write today's SLA report for the service desk.",
          `1. Call autotask_sla_report grouped by ${groupBy ?? "queue"}.`,
          "2. Call autotask_ticket_metrics with createdAfter set to the first day of this month, breakdown queue.",
          "3. Report: breached and at-risk counts, the five worst tickets with business time overdue or remaining (say which clocks are paused), compliance % and resolution times, and one recommendation per group in trouble.",
        ].join("\n"),
      ),
  );
  server.registerPrompt(
    "escalation-review",
    {
      title: "Escalation review",
      description: "Find tickets that need escalation now, review them with me, and escalate the ones I approve.",
      argsSchema: {
        queue: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .regex(/^[^"\r\n<>`]+$/, "queue must be a queue label on one line, without quotes or angle brackets")
          .optional()
          .describe("Only this queue (label)."),
      },
    },
    ({ queue }) =>
      user(
        [
          `1. Call autotask_check_escalations${queue ? ` with queueID "${queue}"` : ""}.`,
          "2. Present the tickets by level with their reasons and recommended actions.",
          readOnly
            ? "3. This connection is read-only, so nothing can be escalated from here: recommend which tickets to escalate and why, for me to escalate in Autotask."
            : "3. Ask which to escalate; then call autotask_escalate_tickets with those ids. It sets the Escalated status and writes one internal note per ticket; notifications come from the tenant's workflow rule on that status, not from this server.",
        ].join("\n"),
      ),
  );
}
