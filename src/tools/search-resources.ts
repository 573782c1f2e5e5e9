/**
 * autotask_search_resources: technicians (resources) by name or e-mail, with their service-desk
 * roles, for assigning tickets. A full name works ("Ada Lovelace", "Lovelace, Ada"): every word must
 * match the first name, last name or e-mail (the desk's person rule). Text rows only, no output schema.
 */
import { z } from "zod";
import { defineTool } from "./define.js";

const inputSchema = {
  name: z.string().trim().min(1).max(100).describe("Name, full name or e-mail; every word must match."),
  limit: z.number().int().min(1).max(50).optional().describe("Default 10."),
};

export default defineTool({
  name: "autotask_search_resources",
  title: "Search resources",
  description: "Find active technicians (resources) by name or e-mail, with service-desk role ids, for assignedResourceID.",
  inputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const found = await ctx.desk.directory.searchResources({ name: args.name, limit: args.limit ?? 10 }, { signal: ctx.signal });
    const resources = found.resources.map((r) => ({ ...r, roles: r.roles.length > 0 ? r.roles : undefined }));
    const { hasMore } = found;
    const text =
      resources.length === 0
        ? `No active resource matches "${args.name}".`
        : [
            `${resources.length}${hasMore ? "+" : ""} resource${resources.length === 1 ? "" : "s"}:`,
            ...resources.map(
              (r) =>
                `${r.id} ${r.name ?? ""}${r.email ? ` <${r.email}>` : ""}${r.roles ? ` roles ${r.roles.map((role) => `${role.name ?? "role"} (${role.id}${role.id === r.defaultRoleID ? ", default" : ""})`).join(", ")}` : " (no service-desk role: cannot be assigned)"}`,
            ),
            ...(hasMore ? ["More match: give more of the name."] : []),
          ].join("\n");
    return { text };
  },
});
