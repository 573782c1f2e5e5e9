/**
 * Ticket-note picklists chosen safely. Publish values decide who can read a note: "All Autotask
 * Users" (1 in every tenant seen) is shown to the client in the portal, so the internal value is
 * the default and is found by label, never assumed by id.
 */
import type { PicklistValue } from "../../autotask/schemas.js";
import { ServerConfigurationError, UserInputError } from "../../errors.js";
import type { ToolContext } from "../define.js";

/** Words callers use for "only our staff can see it" and "the client can see it". */
const INTERNAL_WORDS = new Set(["internal", "private", "internal only", "internal project team"]);
const CLIENT_VISIBLE_WORDS = new Set(["all", "public", "client", "visible", "all autotask users", "everyone"]);

function isClientVisible(value: PicklistValue): boolean {
  return /^all\b/i.test(value.label);
}

/** The tenant's internal publish value: a label starting "Internal", never the "All …" one. */
export async function internalPublishValue(ctx: ToolContext): Promise<PicklistValue> {
  const publish = await ctx.tenant.picklist("TicketNotes", "publish", { signal: ctx.signal });
  const active = publish.active().filter((value) => !isClientVisible(value));
  const internal =
    active.find((value) => /^internal( project team| users only| only)?$/i.test(value.label.trim())) ??
    active.find((value) => value.isDefaultValue && /internal/i.test(value.label)) ??
    active.find((value) => /internal/i.test(value.label) && !/co-?managed/i.test(value.label)) ??
    active.find((value) => /internal/i.test(value.label));
  if (!internal) {
    throw new ServerConfigurationError(
      "The tenant's TicketNotes publish picklist has no internal value, so a note cannot be kept private. Check the picklist in Autotask.",
    );
  }
  return internal;
}

export interface PublishChoice {
  value: PicklistValue;
  clientVisible: boolean;
}

/**
 * `internal` (default), `all`, the legacy 0 (internal) / 1 (visible), or the tenant's label or id.
 */
export async function resolvePublish(ctx: ToolContext, input: string | number | undefined): Promise<PublishChoice> {
  if (input === undefined || input === 0 || (typeof input === "string" && INTERNAL_WORDS.has(input.trim().toLowerCase()))) {
    return { value: await internalPublishValue(ctx), clientVisible: false };
  }
  const publish = await ctx.tenant.picklist("TicketNotes", "publish", { signal: ctx.signal });
  if (typeof input === "string" && CLIENT_VISIBLE_WORDS.has(input.trim().toLowerCase())) {
    const visible = publish.active().find(isClientVisible);
    if (!visible) throw new UserInputError("This tenant has no client-visible publish value for notes.", "publish");
    return { value: visible, clientVisible: true };
  }
  const value = publish.resolve(input);
  return { value, clientVisible: isClientVisible(value) };
}

/** The tenant's default note type, or its "Task Notes"/"Task Detail"-style type when none is marked default. */
export async function resolveNoteType(ctx: ToolContext, input: string | number | undefined): Promise<PicklistValue> {
  const noteTypes = await ctx.tenant.picklist("TicketNotes", "noteType", { signal: ctx.signal });
  if (input !== undefined) return noteTypes.resolve(input);
  const active = noteTypes.active();
  const chosen =
    noteTypes.defaultValue() ??
    active.find((value) => /^task notes$/i.test(value.label)) ??
    active.find((value) => /^task detail$/i.test(value.label)) ??
    active[0];
  if (!chosen) throw new ServerConfigurationError("The tenant's TicketNotes noteType picklist has no active value.");
  return chosen;
}
