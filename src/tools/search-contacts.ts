/**
 * autotask_search_contacts: a company's contacts by name or e-mail. Text rows only, no output schema
 * (list tools send their rows once; CONTRIBUTING.md's response contract).
 */
import { z } from "zod";
import { defineTool } from "./define.js";

const inputSchema = {
  companyID: z.number().int().optional().describe("Company id."),
  name: z.string().trim().min(1).max(100).optional().describe("Full or partial name."),
  email: z.string().trim().min(1).max(254).optional().describe("Part of e-mail."),
  includeInactive: z.boolean().optional().describe("Also inactive."),
  limit: z.number().int().min(1).max(100).optional().describe("Default 20."),
};

export default defineTool({
  name: "autotask_search_contacts",
  title: "Search contacts",
  description:
    "Contacts (end users) by company, name or e-mail; flags ambiguous names.",
  inputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const found = await ctx.desk.reports.lookups.searchContacts(args, { signal: ctx.signal });
    const lines =
      found.contacts.length === 0
        ? ["No contact matches."]
        : found.contacts.map(
            (c) =>
              `${c.id} ${c.name}${c.email ? ` <${c.email}>` : ""}${c.companyID !== undefined ? ` company ${c.companyID}` : ""}${c.title ? `, ${c.title}` : ""}${c.inactive ? " (inactive)" : ""}`,
          );
    if (found.hasMore) lines.push("More match: narrow the search.");
    if (found.ambiguous) lines.push(found.ambiguous);
    return { text: lines.join("\n") };
  },
});
