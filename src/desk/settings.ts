/**
 * Process-wide settings the desk reads, derived once from the parsed configuration.
 */
import { createHmac } from "node:crypto";
import type { Config, ConfigCredentials, SlaTargetHours } from "../config.js";
import { type BusinessCalendar, parseCalendar } from "../domain/calendar.js";
import type { MappingOverrides } from "../domain/states.js";
import { DEFAULT_TRANSITIONS, type TransitionTable, transitionTable } from "../domain/workflow.js";

export interface DeskSettings {
  readOnly: boolean;
  calendar: BusinessCalendar;
  mappingOverrides: MappingOverrides;
  /** The status transition table (default: DEFAULT_TRANSITIONS; AUTOTASK_WORKFLOW replaces rows). */
  workflow?: TransitionTable;
  /** Business-hour SLA targets by priority id, label, semantic name or "default" (AUTOTASK_SLA_TARGETS). */
  slaTargets?: Record<string, SlaTargetHours>;
  /** How many of the latest notes a ticket description includes unless asked for another number. */
  defaultNotesInDetails: number;
  /** How long (ms) an identical create returns the record it made instead of making another. */
  duplicateWindowMs: number;
  /**
   * A write whose outcome is unknown and that Autotask still does not show this long (ms) after it was
   * sent counts as not saved, so an identical retry writes it. Default 120,000.
   */
  writeSettleMs?: number;
  /** Waits (ms) between the read-backs right after a write's answer is lost. Default [1000, 3000]. */
  writeRecoveryDelaysMs?: number[];
  /** How long (ms) the tenant's picklists are cached. Default: the PicklistCache default. */
  picklistTtlMs?: number;
  /**
   * Key that signs search cursors. `settingsFromConfig` derives it from the API credentials, so every
   * replica (and a restarted server) accepts the others' cursors. Default: a random key per process.
   */
  cursorKey?: string;
}

export function settingsFromConfig(config: Config): DeskSettings {
  return {
    readOnly: config.readOnly,
    // Compiled once here: the domain caches its business-day table per calendar object.
    calendar: parseCalendar(config.calendar),
    mappingOverrides: config.mappingOverrides,
    workflow: config.workflow ? transitionTable(config.workflow) : DEFAULT_TRANSITIONS,
    slaTargets: config.slaTargets ?? {},
    defaultNotesInDetails: 5,
    duplicateWindowMs: 10 * 60_000,
    picklistTtlMs: config.picklistTtlMs,
    ...(config.credentials ? { cursorKey: cursorKeyFrom(config.credentials) } : {}),
  };
}

/** A key derived one way from the credentials (HMAC keyed by the secret): it reveals nothing of them. */
function cursorKeyFrom(credentials: ConfigCredentials): string {
  return createHmac("sha256", credentials.secret).update(`search-cursor\0${credentials.username}\0${credentials.integrationCode}`).digest("base64url");
}
