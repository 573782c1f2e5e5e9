/**
 * `autotask-tickets-mcp --check`: the first thing a user runs against a real tenant, before connecting
 * an MCP client. It uses the configured credentials the way the server will, and prints one screen:
 * the API user, the zone (and whether it was discovered or configured), the tenant's active ticket
 * statuses and priorities with the semantic state each maps to, and the requests used this hour. On
 * the first failure it prints the exact problem (Autotask's own words) and what to do, and stops.
 *
 * Requests sent (5 at most, against a budget of 10,000 per hour): zoneInformation (only when
 * AUTOTASK_API_URL is unset), Resources/query (the API user, then the impersonated resource if any),
 * Tickets/entityInformation/fields, ThresholdInformation.
 */
import type { AutotaskApi } from "./autotask/api.js";
import { AutotaskError } from "./autotask/errors.js";
import { Picklist } from "./autotask/picklists.js";
import { type Condition, eq, or } from "./autotask/query.js";
import type { Resource, ResourceField } from "./autotask/schemas.js";
import type { Config } from "./config.js";
import {
  buildTenantMapping,
  SEMANTIC_PRIORITIES,
  type SemanticStatus,
  type TenantMapping,
} from "./domain/states.js";

/** What `runCheck` needs from the client: the API contract plus the zone the client resolved. */
export type CheckClient = Pick<AutotaskApi, "getFieldInfo" | "getThresholdInformation" | "queryResources"> & {
  baseUrl(signal?: AbortSignal): Promise<string>;
};

export interface CheckInput {
  client: CheckClient;
  /** The parsed configuration (credentials, whether AUTOTASK_API_URL was set, mapping overrides). */
  config: Config;
  /** Username the client authenticates with (the sandbox's own in sandbox mode). */
  username: string;
  /** Shown instead of "discovered" / "AUTOTASK_API_URL" when the zone is the embedded sandbox. */
  zoneSource?: string;
}

export interface CheckReport {
  ok: boolean;
  /** The one-screen report, lines without trailing newlines. */
  lines: string[];
}

/** The semantic states a service desk cannot work without; a tenant lacking one fails the check. */
const REQUIRED_STATUSES: readonly SemanticStatus[] = ["NEW", "IN_PROGRESS", "COMPLETE"];
/** States the workflow uses; a tenant lacking one gets a warning, not a failure. */
const USEFUL_STATUSES: readonly SemanticStatus[] = ["WAITING_CUSTOMER", "ESCALATED"];

/**
 * Runs the checks in order and stops at the first failure. Never throws for Autotask's answers: every
 * `AutotaskError` becomes a "Problem / Fix" pair in the report (its message carries Autotask's words,
 * its hint the fix). Errors of any other kind are unexpected and propagate.
 */
export async function runCheck(input: CheckInput): Promise<CheckReport> {
  const { client, config, username } = input;
  const lines: string[] = [];
  const fail = (step: string, error: unknown): CheckReport => {
    if (!(error instanceof AutotaskError)) throw error;
    const summary = error.hint ? error.message.replace(` Hint: ${error.hint}`, "") : error.message;
    lines.push("", `FAILED at ${step}.`, `Problem: ${summary}`);
    // Autotask refuses every request whose impersonation header names a resource it cannot act as.
    const impersonation = config.credentials?.impersonationResourceId !== undefined && /impersonat/i.test(error.message);
    const fix = impersonation
      ? "Set AUTOTASK_IMPERSONATION_RESOURCE_ID to an active resource whose security level allows impersonation, or leave it empty to act as the API user."
      : error.hint;
    if (fix) lines.push(`Fix:     ${fix}`);
    return { ok: false, lines };
  };

  lines.push(`Autotask check for API user ${username}`);

  let zone: string;
  try {
    zone = await client.baseUrl();
  } catch (error) {
    return fail("zone discovery", error);
  }
  const source = input.zoneSource ?? (config.apiUrl === undefined ? "discovered from zoneInformation" : "from AUTOTASK_API_URL");
  lines.push(`Zone:        ${zone} (${source})`);

  let apiUser: Resource | undefined;
  try {
    apiUser = await firstResource(client, or(eq("userName", username), eq("email", username)));
  } catch (error) {
    return fail("signing in (reading the API user's resource)", error);
  }
  lines.push(`Signed in:   yes${apiUser ? `, resource ${apiUser.id} ${personName(apiUser)}` : " (no resource record matches the username)"}`);

  const impersonate = config.credentials?.impersonationResourceId;
  if (impersonate !== undefined) {
    let resource: Resource | undefined;
    try {
      resource = await firstResource(client, eq("id", impersonate));
    } catch (error) {
      return fail("reading the impersonated resource", error);
    }
    if (!resource || resource.isActive === false) {
      lines.push(
        "",
        "FAILED at impersonation.",
        `Problem: AUTOTASK_IMPERSONATION_RESOURCE_ID ${impersonate} is ${resource ? "an inactive resource" : "not a resource in this tenant"}.`,
        "Fix:     Set it to the id of an active resource (Admin > Resources/Users), or leave it empty to act as the API user.",
      );
      return { ok: false, lines };
    }
    lines.push(`Acting as:   resource ${resource.id} ${personName(resource)} (AUTOTASK_IMPERSONATION_RESOURCE_ID)`);
  }

  let mapping: TenantMapping;
  let statuses: Picklist;
  let priorities: Picklist;
  try {
    const fields = await client.getFieldInfo("Tickets");
    const statusField = fields.find((field) => field.name.toLowerCase() === "status");
    const priorityField = fields.find((field) => field.name.toLowerCase() === "priority");
    if (!statusField || !priorityField) {
      lines.push(
        "",
        "FAILED at reading ticket picklists.",
        "Problem: Tickets/entityInformation/fields has no status or priority field.",
        "Fix:     The API user's security level must allow reading Tickets (API User (API-only) does).",
      );
      return { ok: false, lines };
    }
    statuses = Picklist.fromFieldInfo("Tickets", statusField);
    priorities = Picklist.fromFieldInfo("Tickets", priorityField);
    mapping = buildTenantMapping({ statuses: statuses.values, priorities: priorities.values, overrides: config.mappingOverrides });
  } catch (error) {
    return fail("reading ticket picklists", error);
  }

  lines.push("", `Ticket statuses (${statuses.active().length} active):`);
  lines.push(...columns(statuses.active().map((value) => [`${value.value} ${value.label}`, semanticName(mapping.statusOf(value.value))])));
  lines.push(`Ticket priorities (${priorities.active().length} active):`);
  lines.push(
    ...columns(priorities.active().map((value) => [`${value.value} ${value.label}`, semanticName(mapping.priorityOf(value.value) ?? "unmapped")])),
  );

  const problems: string[] = [];
  const warnings: string[] = [...mapping.warnings];
  for (const state of REQUIRED_STATUSES) {
    if (mapping.primaryStatusId(state) === undefined) problems.push(`No active status means ${semanticName(state)}.`);
  }
  for (const state of USEFUL_STATUSES) {
    if (mapping.primaryStatusId(state) === undefined) warnings.push(`No active status means ${semanticName(state)}; tools asking for it will be refused.`);
  }
  for (const priority of SEMANTIC_PRIORITIES) {
    if (mapping.primaryPriorityId(priority) === undefined) warnings.push(`No active priority means ${semanticName(priority)}.`);
  }

  let usage: string;
  try {
    const threshold = await client.getThresholdInformation();
    const used = threshold.currentTimeframeRequestCount;
    const limit = threshold.externalRequestThreshold;
    const minutes = threshold.requestThresholdTimeframe;
    usage = `${used ?? "?"} of ${limit ?? "?"} requests used${minutes === undefined ? "" : ` in the current ${minutes}-minute window`}`;
  } catch (error) {
    return fail("reading ThresholdInformation", error);
  }
  lines.push("", `API usage:   ${usage}`);
  lines.push(`Read-only:   ${config.readOnly ? "yes (write tools hidden)" : "no"}`);

  for (const warning of warnings) lines.push(`Warning:     ${warning}`);
  if (problems.length > 0) {
    lines.push("", "FAILED at mapping statuses.");
    for (const problem of problems) lines.push(`Problem: ${problem}`);
    lines.push(
      'Fix:     Set AUTOTASK_STATUS_MAP to say which of your statuses means what, e.g. {"Open":"NEW","Working":"IN_PROGRESS","Done":"COMPLETE"}.',
    );
    return { ok: false, lines };
  }
  lines.push("", "OK: the server can work with this tenant.");
  return { ok: true, lines };
}

async function firstResource(client: CheckClient, condition: Condition<ResourceField>): Promise<Resource | undefined> {
  for await (const page of client.queryResources({ filter: [condition], maxRecords: 1 }, { maxTotal: 1 })) {
    if (page[0]) return page[0];
  }
  return undefined;
}

function personName(resource: Resource): string {
  const name = [resource.firstName, resource.lastName].filter(Boolean).join(" ");
  return name ? `(${name})` : "";
}

/** NEW -> new, IN_PROGRESS -> in_progress: the names tools and skills use. */
function semanticName(name: string): string {
  return name.toLowerCase();
}

function columns(rows: [string, string][]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  -> ${right}`);
}
