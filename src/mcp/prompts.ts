/**
 * MCP prompts for a service-desk lead's routines. They name the tools to call and never carry a
 * picklist id: ids differ per tenant and come from `autotask_list_picklists`.
 *
 * Start-up (issue 13): src/server.ts imports this module with `import()` on the first `prompts/get`
 * only, so the start path builds none of these zod schemas. `prompts/list` is served from
 * `listedPrompts()`, computed at bundle time (src/precomputed.ts) or, unbundled, on the first listing.
 */
import { ErrorCode, type GetPromptResult, McpError, type Prompt } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { MAX_INT32_ID } from "../desk/ids.js";
import { oneLine } from "../tools/format/text.js";

export interface PromptOptions {
  /** Writes are off (server or token): the text then never asks for a write tool, which is hidden. */
  readOnly: boolean;
}

interface PromptDefinition<Args extends Record<string, z.ZodType>> {
  name: string;
  title: string;
  description: string;
  /**
   * One schema per argument; MCP sends prompt arguments as strings. The listing takes each one's
   * `.describe()` text, and `.optional()` for not required (as the SDK's `registerPrompt` lists them).
   */
  args: Args;
  /** The prompt's one user message, from arguments that passed `args`. */
  text(args: z.output<z.ZodObject<Args>>, options: PromptOptions): string;
}

/** A prompt as the list holds it, with its argument types erased. */
export interface AnyPromptDefinition {
  name: string;
  title: string;
  description: string;
  args: Record<string, z.ZodType>;
  // biome-ignore lint/suspicious/noExplicitAny: erased in the list; each definition keeps its precise types.
  text(args: any, options: PromptOptions): string;
}

function definePrompt<Args extends Record<string, z.ZodType>>(definition: PromptDefinition<Args>): AnyPromptDefinition {
  return definition;
}

/** Every prompt, in `prompts/list` order. */
export const PROMPTS: readonly AnyPromptDefinition[] = [
  definePrompt({
    name: "triage-new-tickets",
    title: "Triage new tickets",
    description: "Review tickets in a New status and propose priority, queue and assignee for each.",
    // Arguments are validated before they reach the prompt text: an id is digits, nothing else.
    args: {
      companyID: z
        .string()
        .trim()
        .regex(/^[1-9]\d{0,9}$/, { message: "companyID must be a company id (digits)", abort: true })
        // Autotask ids are int32 (src/desk/ids.ts).
        .refine((id) => Number(id) <= MAX_INT32_ID, `companyID must be at most ${MAX_INT32_ID}`)
        .optional()
        .describe("Only this company's tickets (id)."),
    },
    text: ({ companyID }, { readOnly }) =>
      [
        "Triage the new tickets in Autotask.",
        "1. Call autotask_list_picklists (field status, then priority and queue) to learn this tenant's New status, priorities with their SLA targets, and queues.",
        `2. Call autotask_search_tickets with status new${companyID ? ` and companyID ${companyID}` : ""}, then autotask_get_ticket_details for each ticket you need to read.`,
        "3. For each ticket propose a priority, a queue and an assignee (find people with autotask_search_resources), with one line of reasoning. Use labels, not ids.",
        readOnly
          ? "4. This connection is read-only: do not try to change tickets; list the proposals for me to apply in Autotask."
          : "4. Ask me before changing anything; then apply what I approve with autotask_update_ticket.",
      ].join("\n"),
  }),
  definePrompt({
    name: "daily-sla-report",
    title: "Daily SLA report",
    description: "Summarise the SLA position of the desk: breached and at-risk tickets, by queue, with the month's metrics.",
    args: { groupBy: z.enum(["queue", "resource", "priority"]).optional().describe("Grouping; default queue.") },
    text: ({ groupBy }) =>
      [
        "Write today's SLA report for the service desk.",
        `1. Call autotask_sla_report grouped by ${groupBy ?? "queue"}.`,
        "2. Call autotask_ticket_metrics with createdAfter set to the first day of this month, breakdown queue.",
        "3. Report: breached and at-risk counts, the five worst tickets with business time overdue or remaining (say which clocks are paused), compliance % and resolution times, and one recommendation per group in trouble.",
      ].join("\n"),
  }),
  definePrompt({
    name: "escalation-review",
    title: "Escalation review",
    description: "Find tickets that need escalation now, review them with me, and escalate the ones I approve.",
    args: {
      queue: z
        .string()
        .trim()
        .min(1)
        .max(100)
        // Every control character and Unicode line or paragraph separator is refused, not only \r and \n: the label is
        // placed inside the prompt text, and a line break there would start an instruction of its own.
        .regex(/^[^"<>`\p{Cc}\u2028\u2029]+$/u, "queue must be a queue label on one line, without quotes or angle brackets")
        .optional()
        .describe("Only this queue (label)."),
    },
    text: ({ queue }, { readOnly }) =>
      [
        `1. Call autotask_check_escalations${queue ? ` with queueID "${queue}"` : ""}.`,
        "2. Present the tickets by level with their reasons and recommended actions.",
        readOnly
          ? "3. This connection is read-only, so nothing can be escalated from here: recommend which tickets to escalate and why, for me to escalate in Autotask."
          : "3. Ask which to escalate; then call autotask_escalate_tickets with those ids. It sets the Escalated status and writes one internal note per ticket; notifications come from the tenant's workflow rule on that status, not from this server.",
      ].join("\n"),
  }),
];

/**
 * The `prompts/list` entry, field for field what the SDK's `registerPrompt` lists for the same
 * definition (src/mcp/prompts.test.ts compares them): `{ name, title, description, arguments: [{ name,
 * description, required }] }`, an argument required unless its schema is `.optional()`.
 */
export function toListedPrompt(prompt: AnyPromptDefinition): Prompt {
  return {
    name: prompt.name,
    title: prompt.title,
    description: prompt.description,
    arguments: Object.entries(prompt.args).map(([name, schema]) => ({
      name,
      description: schema.description,
      required: schema._zod.def.type !== "optional",
    })),
  };
}

/** The `prompts/list` entries, in `PROMPTS` order (scripts/bundle.mjs computes them at bundle time). */
export function listedPrompts(): Prompt[] {
  return PROMPTS.map(toListedPrompt);
}

// A Map, not an object keyed by name: "constructor" or "__proto__" must be unknown names, not
// Object.prototype's members (the SDK's lookup answered "Prompt constructor disabled").
const BY_NAME = new Map(PROMPTS.map((prompt) => [prompt.name, { prompt, args: z.object(prompt.args) }]));

/**
 * The `prompts/get` result: one user message. `args` are the request's (strings; unknown ones are
 * dropped, as by the SDK).
 * @throws McpError InvalidParams for an unknown name ("Prompt X not found") or arguments their schema
 *   refuses ("Invalid arguments for prompt X: <zod's message> at <argument>", one line per problem:
 *   the SDK's words).
 */
export function getPrompt(name: string, args: Record<string, string> | undefined, options: PromptOptions): GetPromptResult {
  const entry = BY_NAME.get(name);
  // The caller's name, on one line and capped (the SDK echoed it whole, however long).
  if (!entry) throw new McpError(ErrorCode.InvalidParams, `Prompt ${oneLine(name, 80)} not found`);
  const parsed = entry.args.safeParse(args ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.message} at ${issue.path.join(".")}` : issue.message));
    throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for prompt ${name}: ${problems.join("\n")}`);
  }
  return { messages: [{ role: "user", content: { type: "text", text: entry.prompt.text(parsed.data, options) } }] };
}
