/**
 * autotask_search_resources: technicians (resources) by name or e-mail, with their service-desk
 * roles, for assigning tickets.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { compact } from "./format/index.js";

const inputSchema = {
  name: z.string().trim().min(1).max(100).describe("Part of the first name, last name or e-mail."),
  limit: z.number().int().min(1).max(50).optional().describe("Default 10."),
};

const outputSchema = {
  resources: z.array(
    z.object({
      id: z.number(),
      name: z.string().optional(),
      email: z.string().optional(),
      defaultRoleID: z.number().optional(),
      roleIDs: z.array(z.number()).optional(),
      roles: z.array(z.object({ id: z.number(), name: z.string().optional() })).optional(),
    }),
  ),
  hasMore: z.boolean(),
};

export default defineTool({
  name: "autotask_search_resources",
  title: "Search resources",
  description: "Find active technicians (resources) by name or e-mail, with service-desk role ids, for assignedResourceID.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const found = await ctx.desk.directory.searchResources({ name: args.name, limit: args.limit ?? 10 }, { signal: ctx.signal });
    const resources = found.resources.map((r) =>
      compact({ id: r.id, name: r.name, email: r.email, defaultRoleID: r.defaultRoleID, roleIDs: r.roleIDs, roles: r.roles }),
    );
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
          ].join("\n");
    return { structured: { resources, hasMore }, text };
  },
});
