/**
 * Ticket operations shared by several tools: loading a ticket or failing with a useful message,
 * describing it (labels, names, SLA), and completing a resource assignment with its role.
 */
import type { RequestOptions } from "../../autotask/api.js";
import type { Ticket } from "../../autotask/schemas.js";
import { computeSla, type SlaStatus } from "../../domain/sla.js";
import type { TenantMapping } from "../../domain/states.js";
import { UserInputError } from "../../errors.js";
import type { ToolContext } from "../define.js";
import { buildTicketView, type SlaView, slaView, type TicketView } from "./ticket-view.js";

export async function requireTicket(ctx: ToolContext, ticketId: number): Promise<Ticket> {
  const ticket = await ctx.api.getTicket(ticketId, { signal: ctx.signal });
  if (!ticket) {
    throw new UserInputError(
      `Ticket ${ticketId} was not found in Autotask. Check the id (not the T2026… ticket number) with autotask_search_tickets.`,
      "ticketId",
    );
  }
  return ticket;
}

export function slaOf(ctx: ToolContext, ticket: Ticket, mapping: TenantMapping): SlaStatus {
  return computeSla(ticket, ctx.now(), { mapping, calendar: ctx.settings.calendar });
}

export interface DescribedTicket {
  view: TicketView;
  sla: SlaView;
  slaStatus: SlaStatus;
  mapping: TenantMapping;
}

/** Labels, names and SLA for one ticket: one metadata load (cached), one batch of name look-ups. */
export async function describeTicket(ctx: ToolContext, ticket: Ticket): Promise<DescribedTicket> {
  const options: RequestOptions = { signal: ctx.signal };
  const [labels, names, mapping] = await Promise.all([
    ctx.tenant.ticketLabels(ticket, options),
    ctx.names.resolve(
      { companies: [ticket.companyID], contacts: [ticket.contactID], resources: [ticket.assignedResourceID] },
      options,
    ),
    ctx.tenant.mapping(options),
  ]);
  const slaStatus = slaOf(ctx, ticket, mapping);
  return { view: buildTicketView(ticket, labels, names), sla: slaView(slaStatus), slaStatus, mapping };
}

export interface Assignment {
  assignedResourceID: number;
  assignedResourceRoleID: number;
  /** Said to the caller when the role was chosen for them. */
  note?: string;
}

/**
 * Autotask refuses a resource without a role. When only the resource is given, use its default
 * service-desk role; when it has none, list the roles it does have so the caller can pick one.
 */
export async function completeAssignment(
  ctx: ToolContext,
  resourceId: number,
  roleId: number | undefined,
): Promise<Assignment> {
  const roles: Array<{ roleID: number; isDefault?: boolean | null; isActive?: boolean | null }> = [];
  for await (const page of ctx.api.queryResourceServiceDeskRoles(
    { filter: [{ op: "eq", field: "resourceID", value: resourceId }], maxRecords: 500 },
    { signal: ctx.signal },
  )) {
    for (const role of page) {
      if (typeof role.roleID === "number") roles.push({ roleID: role.roleID, isDefault: role.isDefault, isActive: role.isActive });
    }
  }
  const active = roles.filter((role) => role.isActive !== false);
  if (roleId !== undefined) {
    if (!active.some((role) => role.roleID === roleId)) {
      throw new UserInputError(
        active.length > 0
          ? `Resource ${resourceId} has no active service-desk role ${roleId}. Its roles: ${active.map((r) => r.roleID).join(", ")}.`
          : `Resource ${resourceId} has no service-desk roles, so Autotask will not let it be assigned to a ticket. Check the resource id with autotask_search_resources or ask an administrator to give it a service-desk role.`,
        "assignedResourceRoleID",
      );
    }
    return { assignedResourceID: resourceId, assignedResourceRoleID: roleId };
  }
  const chosen = active.find((role) => role.isDefault) ?? (active.length === 1 ? active[0] : undefined);
  if (!chosen) {
    throw new UserInputError(
      active.length === 0
        ? `Resource ${resourceId} has no service-desk roles, so Autotask will not let it be assigned to a ticket. Check the resource id or ask an administrator to give it a service-desk role.`
        : `Resource ${resourceId} has several service-desk roles and no default: pass assignedResourceRoleID, one of ${active.map((r) => r.roleID).join(", ")}.`,
      "assignedResourceRoleID",
    );
  }
  return {
    assignedResourceID: resourceId,
    assignedResourceRoleID: chosen.roleID,
    note: `Assigned with resource ${resourceId}'s ${chosen.isDefault ? "default " : "only "}service-desk role ${chosen.roleID}.`,
  };
}
