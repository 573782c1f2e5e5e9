/**
 * Server-wide settings the tools read, derived once from the parsed configuration.
 */
import type { Config } from "../../config.js";
import { type BusinessCalendar, parseCalendar } from "../../domain/calendar.js";
import type { MappingOverrides } from "../../domain/states.js";

export interface ServerSettings {
  readOnly: boolean;
  calendar: BusinessCalendar;
  mappingOverrides: MappingOverrides;
  /** How many of the latest notes `autotask_get_ticket_details` shows unless asked for another number. */
  defaultNotesInDetails: number;
  /** How long an identical create call returns the ticket it made instead of making another. */
  duplicateWindowMs: number;
}

export function settingsFromConfig(config: Config): ServerSettings {
  return {
    readOnly: config.readOnly,
    // Compiled once here: the domain caches its business-day table per calendar object.
    calendar: parseCalendar(config.calendar),
    mappingOverrides: config.mappingOverrides,
    defaultNotesInDetails: 5,
    duplicateWindowMs: 10 * 60_000,
  };
}
