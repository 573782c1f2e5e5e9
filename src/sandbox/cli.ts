/**
 * `npm run sandbox -- --port 4700 [--profile NAME] [--tickets N] [--seed N] [--latency MS] [--faults JSON] [--state FILE]`:
 * runs the Autotask sandbox standalone on 127.0.0.1 and prints where it listens and which credentials it
 * accepts (this file alone may print to stdout: it is not the MCP server). Stops on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startSandbox } from "./index.js";

const USAGE = `Usage: npm run sandbox -- [--port 4700] [--profile default|real-tenant|PATH] [--tickets 2000] [--seed N] [--latency MS] [--faults '{"rate429":0.1,"resetBeforeProcessingRate":0.05}'] [--state FILE]`;

const FAULT_NAMES = new Set([
  "latencyMs",
  "rate429",
  "rateThreadThreshold",
  "rate503",
  "resetBeforeProcessingRate",
  "commitThenDropRate",
  "retryAfterSeconds",
]);

/** `--faults` as a JSON object of SandboxFaults (numbers only; unknown names refused). */
function faults(value: string | undefined): Record<string, number> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error("--faults must be a JSON object, e.g. '{\"rate429\":0.1}'");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("--faults must be a JSON object");
  for (const [name, rate] of Object.entries(parsed)) {
    if (!FAULT_NAMES.has(name)) throw new Error(`--faults: unknown fault "${name}" (known: ${[...FAULT_NAMES].join(", ")})`);
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0) throw new Error(`--faults: ${name} must be a non-negative number`);
  }
  return parsed as Record<string, number>;
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4700" },
      profile: { type: "string", default: "default" },
      tickets: { type: "string" },
      seed: { type: "string" },
      latency: { type: "string" },
      faults: { type: "string" },
      state: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const latencyMs = integer("latency", values.latency);
  const sandbox = await startSandbox({
    port: integer("port", values.port),
    profile: values.profile,
    tickets: integer("tickets", values.tickets),
    seed: integer("seed", values.seed),
    statePath: values.state,
    faults: { ...faults(values.faults), ...(latencyMs === undefined ? {} : { latencyMs }) },
  });
  const { credentials } = sandbox;
  console.log(`Autotask sandbox (profile ${sandbox.store.profile.name}, ${sandbox.store.tables.Tickets.size} tickets)`);
  console.log(`  Zone URL:          ${sandbox.url}`);
  console.log(`  API base:          ${sandbox.apiUrl}`);
  console.log(`  UserName:          ${credentials.username}`);
  console.log(`  Secret:            ${credentials.secret}`);
  console.log(`  ApiIntegrationCode: ${credentials.integrationCode}`);
  console.log(`  Try: curl -g -H "UserName: ${credentials.username}" -H "Secret: ${credentials.secret}" -H "ApiIntegrationCode: ${credentials.integrationCode}" '${sandbox.apiUrl}Tickets/query?search={"filter":[{"op":"eq","field":"status","value":1}],"MaxRecords":5}'`);
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(USAGE);
  process.exit(1);
});
