#!/usr/bin/env node
/**
 * `npm run demo`: a short service-desk story, told through the real MCP protocol.
 *
 * Builds the server if needed, starts it with --sandbox (the embedded Autotask sandbox, no account
 * needed), connects as an MCP client over stdio, and walks one ticket from a customer's e-mail to
 * its resolution. Prints what each tool returned; exits non-zero if any step fails, so CI runs it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "dist", "index.js");

if (!existsSync(entry)) {
  console.log("Building the server first (npm run build)…");
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [entry, "--sandbox"],
  env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn" },
  stderr: "inherit",
  cwd: root,
});
const client = new Client({ name: "autotask-tickets-demo", version: "1.0.0" });

let step = 0;
async function call(title, name, args, onResult) {
  step += 1;
  console.log(`\n━━ ${step}. ${title}`);
  console.log(`   → ${name} ${JSON.stringify(args)}`);
  const result = await client.callTool({ name, arguments: args });
  onResult?.(result);
  const text = result.content.map((part) => (part.type === "text" ? part.text : `[${part.type}]`)).join("\n");
  console.log(text.replace(/^/gm, "   "));
  if (result.isError) throw new Error(`step ${step} (${name}) failed`);
  // List tools answer in text rows only (no structuredContent); single-record tools in both.
  return { ...(result.structuredContent ?? {}), text };
}

/** Ids at the start of the rows of a list tool's text ("123 Name …"). */
function idsIn(text) {
  return text
    .split("\n")
    .map((line) => /^(\d+) /.exec(line)?.[1])
    .filter(Boolean)
    .map(Number);
}

try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  console.log(`Connected to ${client.getServerVersion()?.name} ${client.getServerVersion()?.version}: ${tools.length} tools (${tools.map((t) => t.name).join(", ")})`);

  const companies = await call("Find the customer who e-mailed", "autotask_search_companies", { name: "a", limit: 3 });
  const company = { id: idsIn(companies.text)[0] };
  if (company.id === undefined) throw new Error("the sandbox has no companies");

  const created = await call("Open a ticket from the customer's e-mail (labels, not ids)", "autotask_create_ticket", {
    companyID: company.id,
    title: "Printer on 2nd floor prints blank pages",
    description:
      "From: office manager\nSince this morning the HP printer on the 2nd floor prints blank pages. Toner was replaced last week. 12 people affected.",
    priority: "High",
    source: "Email",
    ticketType: "Incident",
  });
  const ticketId = created.ticket.id;
  const ticketNumber = created.ticket.ticketNumber;

  await call("Find it among the open tickets (every word must match, in any order)", "autotask_search_tickets", {
    companyID: company.id,
    status: "open",
    searchTerm: "blank printer",
    sort: "newest",
  });

  const resources = await call("Pick a technician", "autotask_search_resources", { name: "a", limit: 3 });
  const techLine = resources.text.split("\n").find((line) => /^\d+ .* roles /.test(line));
  if (!techLine) throw new Error("the sandbox has no resource with a service-desk role");
  const tech = { id: idsIn(techLine)[0] };

  await call("Assign it and start work (the ticket named by its number)", "autotask_update_ticket", {
    ticketID: ticketNumber,
    assignedResourceID: tech.id,
    status: "In Progress",
  });

  await call("Record findings in an internal note", "autotask_create_ticket_note", {
    ticketID: ticketId,
    title: "Diagnosis",
    description: "Fuser unit reports error 50.4; replacement part needed from the vendor.",
  });

  await call("Escalate to the vendor-facing team, with a reason", "autotask_update_ticket", {
    ticketID: ticketId,
    status: "escalated",
    escalationReason: "Hardware fault beyond first-line fix: fuser replacement under the vendor's warranty.",
  });

  await call("Tell the customer (client-visible note)", "autotask_create_ticket_note", {
    ticketID: ticketId,
    description: "The fuser unit was replaced under warranty; printing works again.",
    publish: "all",
  });

  await call("Complete it with a resolution", "autotask_update_ticket", {
    ticketID: ticketId,
    status: "Complete",
    resolution: "Replaced the fuser unit under warranty; test pages print correctly.",
  });

  const details = await call("Check the final state", "autotask_get_ticket_details", { ticketID: ticketId, notesCount: 3 });
  if (details.ticket.status?.label !== "Complete") throw new Error(`expected Complete, got ${details.ticket.status?.label}`);

  // ---- Act 2: the desk lead's morning (issue 12) ----
  console.log("\n━━━━ Act 2: the service-desk lead's morning");
  const chartFile = join(root, ".tmp", "demo-metrics-chart.png");
  await call("How is the desk doing? Metrics with a chart", "autotask_ticket_metrics", { breakdown: "queue", chart: true }, (result) => {
    const image = result.content.find((part) => part.type === "image");
    if (!image) throw new Error("the metrics call returned no chart");
    mkdirSync(dirname(chartFile), { recursive: true });
    writeFileSync(chartFile, Buffer.from(image.data, "base64"));
    console.log(`   (chart saved to ${chartFile})`);
  });
  await call("Which SLAs are breached or at risk?", "autotask_sla_report", { groupBy: "queue", limit: 8 });
  const sweep = await call("Which tickets need escalation right now?", "autotask_check_escalations", { limit: 5 });
  // The workflow may not allow escalating the very first one (e.g. waiting on the customer).
  const worst = sweep.tickets.find((t) => !t.alreadyEscalated && !t.cannotEscalate);
  if (worst) {
    await call("Escalate the worst one (status Escalated + internal note)", "autotask_escalate_tickets", { ticketIDs: [worst.id] });
    const again = await call("Run it again: nothing is written twice", "autotask_escalate_tickets", { ticketIDs: [worst.id] });
    if (again.escalated !== 0) throw new Error("the second escalation wrote again");
  }
  console.log("\nDemo finished: every step succeeded.");
  await client.close();
  process.exit(0);
} catch (error) {
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
  await client.close().catch(() => undefined);
  process.exit(1);
}
