/**
 * User-defined fields: callers pass `{ "Field Name": value }`; Autotask wants
 * `[{ name, value }]` with the field's exact name. Unknown names are refused with the list of real
 * ones, because Autotask would otherwise ignore or reject them far less helpfully.
 */
import { UserInputError } from "../../errors.js";
import type { ToolContext } from "../define.js";

type UdfValue = string | number | boolean | null;

export async function resolveUserDefinedFields(
  ctx: ToolContext,
  values: Record<string, UdfValue>,
): Promise<Array<{ name: string; value: UdfValue }>> {
  const definitions = await ctx.api.getUserDefinedFieldInfo("Tickets", { signal: ctx.signal });
  const byName = new Map(definitions.map((field) => [field.name.toLowerCase(), field]));
  return Object.entries(values).map(([name, value]) => {
    const field = byName.get(name.trim().toLowerCase());
    if (!field) {
      const known = definitions.map((f) => f.name).join(", ") || "(this tenant has none)";
      throw new UserInputError(`Unknown user-defined field "${name}". Ticket user-defined fields: ${known}.`, "userDefinedFields");
    }
    if (field.isPickList && value !== null) {
      const choices = field.picklistValues ?? [];
      const match = choices.find(
        (choice) => `${choice.value}` === `${value}` || choice.label.toLowerCase() === `${value}`.trim().toLowerCase(),
      );
      if (!match) {
        throw new UserInputError(
          `"${String(value)}" is not a value of user-defined field "${field.name}". Values: ${choices.map((c) => c.label).join(", ")}.`,
          "userDefinedFields",
        );
      }
      return { name: field.name, value: `${match.value}` };
    }
    return { name: field.name, value };
  });
}
