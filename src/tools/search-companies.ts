/**
 * autotask_search_companies: company ids by name, for the tools that take a companyID. Text rows
 * only, no output schema (rows are sent once; CONTRIBUTING.md's response contract).
 */
import { z } from "zod";
import { defineTool } from "./define.js";

const inputSchema = {
  name: z.string().trim().min(1).max(100).describe("Part of the company name."),
  includeInactive: z.boolean().optional().describe("Also list inactive companies."),
  limit: z.number().int().min(1).max(100).optional().describe("Default 20."),
};

export default defineTool({
  name: "autotask_search_companies",
  title: "Search companies",
  description: "Find companies (clients) by part of the name, for the companyID ticket tools need.",
  inputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const found = await ctx.desk.directory.searchCompanies(
      { name: args.name, includeInactive: args.includeInactive, limit: args.limit ?? 20 },
      { signal: ctx.signal },
    );
    const companies = found.companies.map((c) => ({ id: c.id, name: c.name, inactive: !c.isActive }));
    const { hasMore } = found;
    const text =
      companies.length === 0
        ? `No ${args.includeInactive ? "" : "active "}company name contains "${args.name}".`
        : [
            `${companies.length}${hasMore ? "+" : ""} compan${companies.length === 1 ? "y" : "ies"}:`,
            ...companies.map((c) => `${c.id} ${c.name ?? ""}${c.inactive ? " (inactive)" : ""}`),
            ...(hasMore ? ["More match: narrow the name."] : []),
          ].join("\n");
    return { text };
  },
});
