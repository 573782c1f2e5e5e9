/**
 * autotask_search_resources: technicians (resources) by name or e-mail, with their service-desk
 * roles, for assigning tickets.
 */
import { z } from "zod";
import { defineTool } from "./define.js";
import { collect } from "./support/collect.js";
import { compact } from "./support/render.js";

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
      defaultRoleId: z.number().optional(),
      roleIds: z.array(z.number()).optional(),
    }),
  ),
  hasMore: z.boolean(),
};

export default defineTool({
  name: "autotask_search_resources",
  title: "Search resources",
  description:
    "Find active technicians (resources) by name or e-mail, with service-desk role ids, for assignedResourceID.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const limit = args.limit ?? 10;
    const term = args.name;
    const found = await collect(
      ctx.api.queryResources(
        {
          filter: [
            { op: "eq", field: "isActive", value: true },
            {
              op: "or",
              items: [
                { op: "contains", field: "firstName", value: term },
                { op: "contains", field: "lastName", value: term },
                { op: "contains", field: "email", value: term },
              ],
            },
          ],
          includeFields: ["id", "firstName", "lastName", "email"],
          maxRecords: limit + 1,
        },
        { signal: ctx.signal, maxTotal: limit + 1 },
      ),
    );
    const shown = found.slice(0, limit);
    const roles = new Map<number, { ids: number[]; defaultId?: number }>();
    if (shown.length > 0) {
      for await (const page of ctx.api.queryResourceServiceDeskRoles(
        {
          filter: [
            { op: "in", field: "resourceID", value: shown.map((r) => r.id) },
            { op: "eq", field: "isActive", value: true },
          ],
          maxRecords: 500,
        },
        { signal: ctx.signal },
      )) {
        for (const role of page) {
          if (typeof role.resourceID !== "number" || typeof role.roleID !== "number") continue;
          const entry = roles.get(role.resourceID) ?? { ids: [] };
          entry.ids.push(role.roleID);
          if (role.isDefault) entry.defaultId = role.roleID;
          roles.set(role.resourceID, entry);
        }
      }
    }
    const resources = shown.map((r) =>
      compact({
        id: r.id,
        name: [r.firstName, r.lastName].filter(Boolean).join(" "),
        email: r.email ?? undefined,
        defaultRoleId: roles.get(r.id)?.defaultId,
        roleIds: roles.get(r.id)?.ids,
      }),
    );
    const hasMore = found.length > limit;
    const text =
      resources.length === 0
        ? `No active resource matches "${term}".`
        : [
            `${resources.length}${hasMore ? "+" : ""} resource${resources.length === 1 ? "" : "s"}:`,
            ...resources.map(
              (r) =>
                `${r.id} ${r.name ?? ""}${r.email ? ` <${r.email}>` : ""}${r.roleIds ? ` roles ${r.roleIds.join(",")}${r.defaultRoleId ? ` (default ${r.defaultRoleId})` : ""}` : " (no service-desk role: cannot be assigned)"}`,
            ),
          ].join("\n");
    return { structured: { resources, hasMore }, text };
  },
});
