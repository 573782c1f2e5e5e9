/**
 * autotask_search_contacts: a company's contacts by name or e-mail.
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

const outputSchema = {
  contacts: z.array(z.unknown()),
  hasMore: z.boolean(),
  ambiguous: z.string().optional(),
};

export default defineTool({
  name: "autotask_search_contacts",
  title: "Search contacts",
  description:
    "Contacts (end users) by company, name or e-mail; flags ambiguous names.",
  inputSchema,
  outputSchema,
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
    return { structured: found, text: lines.join("\n") };
  },
});
