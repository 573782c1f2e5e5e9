/**
 * autotask_list_picklists: the tenant's ticket and note picklists, with the status/priority mapping.
 */
import { z } from "zod";
import { overrideExample } from "../desk/reports/picklists.js";
import { defineTool } from "./define.js";

const inputSchema = {
  field: z.string().trim().min(1).optional().describe("E.g. status, queue, noteType; default all."),
  includeInactive: z.boolean().optional().describe("Also inactive."),
};

const outputSchema = {
  picklists: z.record(z.string(), z.array(z.unknown())),
  warnings: z.array(z.string()).optional(),
};

export default defineTool({
  name: "autotask_list_picklists",
  title: "List picklists",
  description:
    "Ticket and note picklists: labels, ids, each status's mapped state, priority SLA hours (fix: AUTOTASK_STATUS_MAP / AUTOTASK_PRIORITY_MAP).",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const listing = await ctx.desk.reports.picklists.list(args, { signal: ctx.signal });
    const lines: string[] = [];
    for (const [name, values] of Object.entries(listing.picklists)) {
      lines.push(`${name}:`);
      for (const v of values ?? []) {
        const extras = [
          v.maps ? `→ ${v.maps}` : "",
          v.slaHours ? `SLA ${v.slaHours.response}h/${v.slaHours.resolution}h` : "",
          v.default ? "default" : "",
          v.inactive ? "inactive" : "",
          v.clientVisible ? "client-visible" : "",
          v.subIssueTypes ? `sub: ${v.subIssueTypes.map((s) => `${s.id} ${s.label}`).join(", ")}` : "",
        ].filter(Boolean);
        lines.push(`  ${v.id} ${v.label}${extras.length ? ` (${extras.join("; ")})` : ""}`);
      }
    }
    const unmapped = listing.picklists.status?.filter((v) => v.maps === "OTHER") ?? [];
    if (unmapped.length > 0) {
      lines.push(`Statuses mapped to OTHER can be mapped with e.g. ${overrideExample("status", unmapped[0]!.label, "IN_PROGRESS")}.`);
    }
    const unmappedPriority = listing.picklists.priority?.find((v) => v.maps === "OTHER");
    if (unmappedPriority) {
      lines.push(`Priorities without a level get no SLA target; map one with e.g. ${overrideExample("priority", unmappedPriority.label, "HIGH")}.`);
    }
    for (const warning of listing.warnings) lines.push(`Warning: ${warning}`);
    const structured = listing.warnings.length > 0 ? listing : { picklists: listing.picklists };
    return { structured, text: lines.join("\n") };
  },
});
