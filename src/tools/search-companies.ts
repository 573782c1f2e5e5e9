/**
 * autotask_search_companies: company ids by name, for the tools that take a companyID.
 */
import { z } from "zod";
import type { Condition } from "../autotask/query.js";
import { defineTool } from "./define.js";
import { collect } from "./support/collect.js";
import { compact } from "./support/render.js";

const inputSchema = {
  name: z.string().trim().min(1).max(100).describe("Part of the company name."),
  includeInactive: z.boolean().optional().describe("Also list inactive companies."),
  limit: z.number().int().min(1).max(100).optional().describe("Default 20."),
};

const outputSchema = {
  companies: z.array(z.object({ id: z.number(), name: z.string().optional(), inactive: z.boolean().optional() })),
  hasMore: z.boolean(),
};

export default defineTool({
  name: "autotask_search_companies",
  title: "Search companies",
  description:
    "Find companies (clients) by part of the name, for the companyID ticket tools need.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const limit = args.limit ?? 20;
    const filter: Condition[] = [{ op: "contains", field: "companyName", value: args.name }];
    if (!args.includeInactive) filter.push({ op: "eq", field: "isActive", value: true });
    // One more than asked tells whether there are more, without a count request.
    const found = await collect(
      ctx.api.queryCompanies(
        { filter, includeFields: ["id", "companyName", "isActive"], maxRecords: limit + 1 },
        { signal: ctx.signal, maxTotal: limit + 1 },
      ),
    );
    const companies = found.slice(0, limit).map((c) =>
      compact({ id: c.id, name: c.companyName ?? undefined, inactive: c.isActive === false ? true : undefined }),
    );
    const hasMore = found.length > limit;
    const text =
      companies.length === 0
        ? `No ${args.includeInactive ? "" : "active "}company name contains "${args.name}".`
        : [
            `${companies.length}${hasMore ? "+" : ""} compan${companies.length === 1 ? "y" : "ies"}:`,
            ...companies.map((c) => `${c.id} ${c.name ?? ""}${c.inactive ? " (inactive)" : ""}`),
            ...(hasMore ? ["More match: narrow the name."] : []),
          ].join("\n");
    return { structured: { companies, hasMore }, text };
  },
});
