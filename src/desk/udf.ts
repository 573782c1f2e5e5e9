/**
 * User-defined fields: callers pass `{ "Field Name": value }`; Autotask wants
 * `[{ name, value }]` with the field's exact name. Unknown names are refused with the list of real
 * ones, because Autotask would otherwise ignore or reject them far less helpfully.
 */
import type { AutotaskApi, RequestOptions } from "../autotask/api.js";
import type { UserDefinedFieldWrite } from "../autotask/schemas.js";
import { UserInputError } from "../errors.js";

export type UdfValue = string | number | boolean | null;

/**
 * `{ "Site Code": "LON1" }` -> `[{ name: "Site Code", value: "LON1" }]` with Autotask's exact names;
 * picklist UDFs accept the label or the value and send the value.
 * @throws UserInputError for an unknown field name or picklist value (listing the valid ones).
 */
export async function resolveUserDefinedFields(
  api: Pick<AutotaskApi, "getUserDefinedFieldInfo">,
  values: Record<string, UdfValue>,
  options?: RequestOptions,
): Promise<UserDefinedFieldWrite[]> {
  const definitions = await api.getUserDefinedFieldInfo("Tickets", options);
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
