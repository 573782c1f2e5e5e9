/**
 * Deterministic tenant generator: the same profile, seed, ticket count and clock always produce the
 * same companies, contacts, resources with service-desk roles, tickets and notes. Tickets are spread
 * over the 90 days before `now`, ids and ticket numbers rise with creation time, older tickets are more
 * likely to be complete, and due dates, first responses, resolutions and notes follow from those times.
 * Every picklist value comes from the profile (by label), so the data fits whichever tenant is loaded.
 */
import type { PicklistValue, TenantProfile } from "./profile.js";
import { createRandom, type Random } from "./prng.js";
import { refreshSlaResult, serviceTargets } from "./sla.js";
import { type Row, SandboxStore } from "./store.js";

export interface GenerateOptions {
  tickets: number;
  seed: number;
  now: Date;
}

export const FIRST_IDS = {
  Companies: 29683501,
  Contacts: 29684001,
  Resources: 29682901,
  Roles: 29682801,
  ResourceServiceDeskRoles: 1,
  Tickets: 100001,
  TicketNotes: 30000001,
} as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HISTORY_DAYS = 90;
/** Share of open tickets generated past their due date (issue 11 asks for 10%-25% at the sandbox's "now"). */
const OPEN_BREACH_SHARE = 0.2;

const OWN_COMPANY_NAME = "Northwind IT Services";
const OWN_DOMAIN = "northwind-it.example";

const COMPANY_NAMES = [
  "Harbourside Dental Group",
  "Brightline Logistics",
  "Oakridge Veterinary Clinic",
  "Meridian Accounting LLP",
  "Cobalt Engineering",
  "Riverstone Property Management",
  "Summit Physiotherapy",
  "Greenleaf Architects",
  "Atlas Freight & Storage",
  "Bluewater Marine Supplies",
  "Kestrel Legal",
  "Pinecrest Primary School",
  "Silverline Insurance Brokers",
  "Northgate Medical Centre",
  "Copperfield Hotels",
  "Evergreen Landscaping",
  "Foxglove Florists",
  "Granite Construction Ltd",
  "Horizon Travel",
  "Ironbridge Manufacturing",
  "Juniper Financial Planning",
  "Lakeside Community Church",
  "Maple & Finch Bakery",
  "Nimbus Software",
  "Orchard Family Practice",
  "Parkview Car Sales",
  "Quayside Restaurants",
  "Redwood Recruitment",
  "Sapphire Beauty Salons",
  "Thistle Charity Trust",
  "Union Street Opticians",
  "Vantage Marketing",
  "Westbrook Estate Agents",
  "Yellowstone Outdoor Gear",
  "Zenith Print Works",
  "Alder Pharmacy",
  "Beacon Hill Solicitors",
  "Castlegate Chartered Surveyors",
  "Driftwood Coffee Roasters",
] as const;

const FIRST_NAMES = [
  "Amelia", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack", "Katie", "Liam", "Maya",
  "Noah", "Olivia", "Priya", "Quentin", "Ruby", "Sam", "Tara", "Umar", "Victoria", "Will", "Xavier", "Yasmin",
  "Zoe", "Aisha", "Carlos", "Dmitri", "Fatima", "Hannah", "Ivan", "Leo", "Mei", "Oscar", "Rosa", "Tom", "Wei",
] as const;

const LAST_NAMES = [
  "Adams", "Bennett", "Clarke", "Davies", "Evans", "Fischer", "Garcia", "Hughes", "Iqbal", "Jones", "Khan",
  "Lewis", "Morgan", "Nguyen", "O'Brien", "Patel", "Quinn", "Roberts", "Smith", "Taylor", "Usman", "Vaughan",
  "Walker", "Young", "Zhang", "Kowalski", "Moreau", "Okafor", "Santos", "Lindqvist",
] as const;

const CONTACT_TITLES = ["Office Manager", "Director", "Practice Manager", "Receptionist", "Accounts", "Operations Lead", "Owner", "HR Manager"];

const TECHNICIANS: readonly { title: string; roles: readonly number[] }[] = [
  { title: "Service Desk Technician", roles: [0] },
  { title: "Service Desk Technician", roles: [0] },
  { title: "Service Desk Technician", roles: [0, 1] },
  { title: "Service Desk Technician", roles: [0] },
  { title: "Senior Engineer", roles: [1, 2] },
  { title: "Senior Engineer", roles: [1, 3] },
  { title: "Systems Engineer", roles: [2, 1] },
  { title: "Network Engineer", roles: [3, 1] },
  { title: "Service Desk Manager", roles: [4, 0] },
  { title: "Field Engineer", roles: [1] },
  { title: "Service Desk Technician", roles: [0] },
  { title: "Security Analyst", roles: [2] },
  { title: "Apprentice Technician", roles: [0] },
  { title: "Service Desk Technician (left)", roles: [0] },
  { title: "Senior Engineer (left)", roles: [1] },
];

const ROLES: readonly { name: string; rate: number; isActive: boolean }[] = [
  { name: "Help Desk Technician", rate: 85, isActive: true },
  { name: "Level II Engineer", rate: 110, isActive: true },
  { name: "Systems Administrator", rate: 125, isActive: true },
  { name: "Network Engineer", rate: 130, isActive: true },
  { name: "Service Desk Manager", rate: 140, isActive: true },
  { name: "Project Manager", rate: 150, isActive: true },
  { name: "Legacy Support (retired)", rate: 70, isActive: false },
];

type TicketKind = "incident" | "request" | "alert" | "problem" | "change";

interface TicketTemplate {
  title: string;
  description: string;
  resolution: string;
  kind: TicketKind;
  /** Words matched (case-insensitively) against issue type labels to pick a fitting one. */
  topics: readonly string[];
}

// Placeholders: {person} a contact's name, {app} an application, {n} a number, {site} an office, {device} a device name.
const TEMPLATES: readonly TicketTemplate[] = [
  { title: "Outlook keeps asking for password", description: "{person} reports Outlook prompts for credentials every few minutes since this morning. Webmail works fine.", resolution: "Cleared cached credentials in Credential Manager and re-created the Outlook profile. Modern auth now working.", kind: "incident", topics: ["outlook", "email", "365", "software"] },
  { title: "VPN drops every 10 minutes", description: "Remote staff lose the VPN connection roughly every 10 minutes and have to reconnect. Started after the weekend.", resolution: "Firewall SA lifetime mismatch after firmware update. Aligned phase 2 lifetimes; tunnel stable for 24h.", kind: "incident", topics: ["vpn", "firewall", "network"] },
  { title: "New starter: laptop and accounts for {person}", description: "Please set up a laptop, Microsoft 365 licence, email and access to the shared drives for {person}, starting Monday.", resolution: "Laptop imaged and enrolled, M365 Business Premium assigned, added to staff groups, credentials sent to manager.", kind: "request", topics: ["new starter", "account", "user", "laptop"] },
  { title: "Leaver: disable account for {person}", description: "{person} leaves on Friday. Disable sign-in, convert mailbox to shared and forward to their manager.", resolution: "Account blocked, mailbox converted to shared with manager access, licence removed, device collected.", kind: "request", topics: ["leaver", "account", "user"] },
  { title: "Printer on {site} floor offline", description: "The {device} printer shows offline for everyone on the {site} floor. Power cycled already.", resolution: "Printer had picked up a new DHCP address. Reserved its IP and updated the port on the print server.", kind: "incident", topics: ["printer", "printing"] },
  { title: "Scan to email not working", description: "The copier's scan to email fails with an SMTP authentication error.", resolution: "Moved scan to email to the SMTP relay connector; test scans delivered.", kind: "incident", topics: ["scan", "printer", "email"] },
  { title: "Password reset for {person}", description: "{person} is locked out after too many attempts and needs a password reset.", resolution: "Identity verified by call-back, account unlocked and temporary password issued; user changed it at sign-in.", kind: "request", topics: ["password", "account", "user"] },
  { title: "MFA prompt not arriving on new phone", description: "{person} replaced their phone and no longer receives Authenticator prompts.", resolution: "Reset MFA registration; user re-registered Microsoft Authenticator on the new phone.", kind: "request", topics: ["mfa", "multi factor", "account"] },
  { title: "Disk space low on {device}", description: "RMM alert: C: drive on {device} below 10% free ({n} GB left).", resolution: "Cleared WinSxS and old update files, moved IIS logs to D:. 38% free now.", kind: "alert", topics: ["disk", "server", "rmm", "storage"] },
  { title: "Backup job failed: {device} nightly", description: "The nightly image backup of {device} failed with VSS error 0x80042306.", resolution: "Restarted VSS writers and the backup agent; manual run succeeded, next scheduled run succeeded.", kind: "alert", topics: ["backup"] },
  { title: "Teams calls dropping audio", description: "Several users on {site} hear one-way audio in Teams calls since Tuesday.", resolution: "QoS policy missing on the new switch stack; applied DSCP marking for Teams media ports.", kind: "incident", topics: ["teams", "unified", "365", "network"] },
  { title: "Shared mailbox not showing in Outlook", description: "{person} was given access to the accounts@ shared mailbox but it does not appear in Outlook.", resolution: "Re-applied permissions with AutoMapping enabled; mailbox appeared after Outlook restart.", kind: "request", topics: ["mailbox", "outlook", "email", "365"] },
  { title: "Wi-Fi slow in meeting rooms", description: "Guests and staff report very slow Wi-Fi in the meeting rooms on the {site} floor.", resolution: "Channel overlap with neighbouring network; moved APs to 5 GHz channels 36/52 and reduced 2.4 GHz power.", kind: "incident", topics: ["wi-fi", "wireless", "network"] },
  { title: "Install {app} for {person}", description: "Please install {app} on {person}'s laptop; licence key is with the office manager.", resolution: "{app} installed and activated; shortcut added and user confirmed it works.", kind: "request", topics: ["install", "software", "third party"] },
  { title: "{app} crashes on start", description: "{app} closes immediately after the splash screen for {person}. Reinstall did not help.", resolution: "Corrupt user profile settings for {app}; renamed the AppData folder and the app starts normally.", kind: "incident", topics: ["software", "third party", "app"] },
  { title: "Suspicious sign-in alert for {person}", description: "Security alert: sign-in to {person}'s account from an unfamiliar country.", resolution: "Sessions revoked, password reset, MFA confirmed, no mailbox rules found. Conditional access tightened.", kind: "alert", topics: ["security", "suspicious", "socaas", "defender"] },
  { title: "Phishing email reported by {person}", description: "{person} forwarded a suspicious invoice email with a link to a fake login page.", resolution: "Message purged from all mailboxes, sender domain blocked, no clicks recorded.", kind: "incident", topics: ["phishing", "spam", "security", "email"] },
  { title: "Internet down at {site} office", description: "No internet at the {site} office since 08:10. Router lights show no WAN link.", resolution: "ISP fault on the line, resolved by the carrier at 11:40. Failover to 4G worked in between.", kind: "incident", topics: ["internet", "isp", "router", "network"] },
  { title: "Laptop will not boot for {person}", description: "{person}'s laptop shows a black screen after the logo. Tried holding the power button.", resolution: "Failed Windows update rolled back from WinRE; laptop boots and updates installed cleanly afterwards.", kind: "incident", topics: ["laptop", "hardware", "desktop"] },
  { title: "Replace failing hard drive in {device}", description: "SMART warnings on {device}; drive reallocated sector count rising.", resolution: "Drive replaced under warranty, RAID rebuilt and verified.", kind: "problem", topics: ["hardware", "server", "storage"] },
  { title: "Windows updates failing on {device}", description: "Cumulative update fails to install on {device} with 0x800f0922.", resolution: "Extended the System Reserved partition; update installed and server rebooted in the maintenance window.", kind: "incident", topics: ["update", "server", "windows"] },
  { title: "Request: additional monitor for {person}", description: "{person} would like a second 24\" monitor and a docking station.", resolution: "Monitor and dock delivered and set up on site.", kind: "request", topics: ["monitor", "hardware", "devices"] },
  { title: "OneDrive not syncing", description: "{person}'s OneDrive shows a red cross and files are not syncing to other devices.", resolution: "Path length over limit in a nested folder; shortened the folder names and reset OneDrive.", kind: "incident", topics: ["onedrive", "sharepoint", "365"] },
  { title: "Access to finance share for {person}", description: "Please give {person} read/write access to the Finance share. Approved by the director.", resolution: "Added to the Finance-RW group; access confirmed after sign-out/in.", kind: "request", topics: ["permission", "access", "user"] },
  { title: "Firewall firmware upgrade", description: "Planned upgrade of the firewall to the latest firmware to fix the published vulnerability.", resolution: "Upgraded during the Saturday window; config backed up before and verified after.", kind: "change", topics: ["firewall", "vulnerability", "change"] },
  { title: "UPS on battery at {site}", description: "RMM alert: UPS at {site} switched to battery; load {n}%.", resolution: "Short power cut at the site; mains restored, UPS back online, battery test passed.", kind: "alert", topics: ["ups", "power"] },
  { title: "Server {device} high CPU", description: "Monitoring shows CPU above 95% on {device} for over 30 minutes.", resolution: "Runaway antivirus scan on the database folder; added exclusions per vendor guidance.", kind: "alert", topics: ["cpu", "server", "rmm"] },
  { title: "Email bouncing to {app} customers", description: "External emails to some customers bounce with 550 5.7.1 (SPF fail).", resolution: "SPF record missing the new marketing sender; record updated and DMARC reports checked.", kind: "incident", topics: ["email", "dns", "365"] },
  { title: "Recurring: monthly patching {site}", description: "Monthly patch review and reboot of servers and workstations at {site}.", resolution: "Patches approved and installed; all devices rebooted and compliant.", kind: "request", topics: ["patch", "regular", "maintenance"] },
  { title: "Phone system: voicemail not sending emails", description: "Voicemails are no longer emailed to staff since last week.", resolution: "SMTP credentials on the phone system had expired; updated and tested.", kind: "incident", topics: ["phone", "voicemail", "unified"] },
  { title: "Slow PC for {person}", description: "{person} says the PC takes ten minutes to start and apps freeze.", resolution: "Replaced HDD with SSD and removed start-up bloat; boots in under a minute.", kind: "incident", topics: ["desktop", "workstation", "hardware"] },
  { title: "Quote request: {n} new laptops", description: "Please quote {n} business laptops with 3-year warranty for the {site} team.", resolution: "Quote sent and approved; order placed with the distributor.", kind: "request", topics: ["quote", "sales", "ordering", "pre-sales"] },
  { title: "Mobile phone email setup for {person}", description: "{person} has a new company iPhone and needs email and Teams set up.", resolution: "Enrolled in Intune, Outlook and Teams deployed, user signed in.", kind: "request", topics: ["mobile", "phone", "devices", "email"] },
  { title: "Restore deleted folder from backup", description: "{person} deleted the 'Contracts 2024' folder by mistake yesterday afternoon.", resolution: "Folder restored from last night's snapshot to its original location.", kind: "request", topics: ["restore", "backup"] },
  { title: "Antivirus definitions out of date on {device}", description: "Endpoint protection reports definitions older than 7 days on {device}.", resolution: "Agent was stuck on an old proxy setting; reinstalled and definitions updated.", kind: "alert", topics: ["antivirus", "endpoint", "security", "cylance"] },
  { title: "Domain name renewal due", description: "The company domain expires in {n} days. Please renew for two years.", resolution: "Renewed for two years; auto-renew enabled.", kind: "request", topics: ["hosting", "domain", "dns"] },
  { title: "Multiple users cannot open {app}", description: "Since 09:00 nobody at {site} can open {app}; error says the licence server is unreachable.", resolution: "Licence service stopped after a server reboot; set to automatic (delayed start) and started.", kind: "problem", topics: ["server", "software", "licen"] },
  { title: "Switch port flapping at {site}", description: "Monitoring shows port {n} on the core switch going up and down.", resolution: "Faulty patch lead replaced; port stable.", kind: "alert", topics: ["switch", "network"] },
];

const APPS = ["Sage 50", "Xero", "Adobe Acrobat", "AutoCAD", "Dentrix", "QuickBooks", "Zoom", "Chrome", "SAP Business One", "Practice Manager"];
const SITES = ["ground", "first", "second", "third", "Main Street", "Riverside", "Westfield", "Harbour"];
const DEVICES = ["SRV-DC01", "SRV-FS01", "SRV-SQL02", "SRV-APP01", "NAS01", "HP-LJ-M428", "RICOH-C3004", "WS-REC-01"];

const INTERNAL_NOTES = [
  "Called {person}, no answer. Left a voicemail and will try again this afternoon.",
  "Remote session with {person}; reproduced the issue and collected logs.",
  "Checked the RMM dashboard, no related alerts on other devices.",
  "Escalated to second line for review.",
  "Vendor case opened, reference {n}.",
  "Parts ordered, ETA two working days.",
  "Tested the fix on a spare machine before rolling out.",
  "Waiting for the change window on Saturday.",
];

const CUSTOMER_NOTES = [
  "Hi {person}, thanks for reporting this. We are looking into it now and will update you within the hour.",
  "Hi {person}, we have applied a fix. Could you please confirm everything works on your side?",
  "Hi {person}, a technician is booked to come on site tomorrow morning.",
  "Hi {person}, we are waiting on the vendor and will update you as soon as we hear back.",
  "Hi {person}, this is now resolved. We will close the ticket in two days unless you tell us otherwise.",
];

/** Relative likelihood of a priority, by label (tenants rename and renumber priorities). */
function priorityWeight(label: string): number {
  const lower = label.toLowerCase();
  if (lower.includes("critical") || lower.includes("urgent")) return 5;
  if (lower.includes("high")) return 20;
  if (lower.includes("medium")) return 45;
  if (lower.includes("low")) return 25;
  return 10;
}

const KIND_TICKET_TYPE: Record<TicketKind, string> = {
  incident: "Incident",
  request: "Service Request",
  alert: "Alert",
  problem: "Problem",
  change: "Change Request",
};

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

/**
 * `new Date(ms).toISOString()` without the Date object: generating 100,000 tickets formats over a million
 * instants, and this is several times faster (civil-from-days, H. Hinnant). Years 1970..9999 only.
 */
export function iso(ms: number): string {
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const milliText = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : String(millis);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${milliText}Z`;
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

function emailLocalPart(first: string, last: string): string {
  return `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "");
}

function domainOf(companyName: string): string {
  const words = companyName.toLowerCase().replace(/[^a-z ]/g, "").split(" ").filter(Boolean);
  return `${words.slice(0, 2).join("")}.example`;
}

export function generateTenant(profile: TenantProfile, options: GenerateOptions): SandboxStore {
  const random = createRandom(options.seed);
  const nowMs = options.now.getTime();
  const technicians = generateResources(random, nowMs);
  const apiUserId = FIRST_IDS.Resources + technicians.length;
  const store = new SandboxStore(profile, apiUserId);
  for (const row of technicians) store.insert("Resources", row);
  store.insert("Resources", {
    id: apiUserId,
    firstName: "Sandbox",
    lastName: "API User",
    userName: "sandbox-api",
    email: "sandbox@example.com",
    isActive: true,
    licenseType: 7,
    resourceType: "Employee",
    title: "API User (API-only)",
  });
  generateRoles(store, technicians);
  const companies = generateCompanies(random, store, technicians, nowMs);
  generateContacts(random, store, companies, nowMs);
  generateTickets(random, store, options.tickets, nowMs);
  return store;
}

function generateResources(random: Random, nowMs: number): Row[] {
  const used = new Set<string>();
  return TECHNICIANS.map((tech, index) => {
    let first: string;
    let last: string;
    do {
      first = random.pick(FIRST_NAMES);
      last = random.pick(LAST_NAMES);
    } while (used.has(`${first} ${last}`));
    used.add(`${first} ${last}`);
    const isActive = !tech.title.includes("(left)");
    return {
      id: FIRST_IDS.Resources + index,
      firstName: first,
      lastName: last,
      initials: `${first[0]}${last[0]}`,
      userName: `${first[0]}${last}`.toLowerCase().replace(/[^a-z]/g, "").slice(0, 32),
      email: `${emailLocalPart(first, last)}@${OWN_DOMAIN}`,
      isActive,
      licenseType: 1,
      resourceType: "Employee",
      title: tech.title.replace(" (left)", ""),
      officePhone: `+44 20 7946 ${String(100 + index).padStart(4, "0")}`,
      hireDate: iso(nowMs - random.int(200, 3000) * DAY),
    };
  });
}

function generateRoles(store: SandboxStore, technicians: Row[]): void {
  ROLES.forEach((role, index) => {
    store.insert("Roles", {
      id: FIRST_IDS.Roles + index,
      name: role.name,
      description: `${role.name} (service desk role)`,
      hourlyRate: role.rate,
      hourlyFactor: 1,
      isActive: role.isActive,
      isSystemRole: false,
      roleType: 1,
    });
  });
  let pairId: number = FIRST_IDS.ResourceServiceDeskRoles;
  technicians.forEach((tech, index) => {
    const roleIndexes = TECHNICIANS[index]?.roles ?? [0];
    roleIndexes.forEach((roleIndex, position) => {
      const roleId = FIRST_IDS.Roles + roleIndex;
      store.insert("ResourceServiceDeskRoles", {
        id: pairId++,
        resourceID: tech.id,
        roleID: roleId,
        isDefault: position === 0,
        isActive: tech.isActive === true,
      });
      if (position === 0) tech.defaultServiceDeskRoleID = roleId;
    });
    // One retired role still linked to a few people, inactive: assigning with it must be refused.
    if (index % 5 === 0) {
      store.insert("ResourceServiceDeskRoles", {
        id: pairId++,
        resourceID: tech.id,
        roleID: FIRST_IDS.Roles + ROLES.length - 1,
        isDefault: false,
        isActive: false,
      });
    }
  });
}

function generateCompanies(random: Random, store: SandboxStore, technicians: Row[], nowMs: number): Row[] {
  const activeTechs = technicians.filter((tech) => tech.isActive === true);
  const rankings = store.profile.userDefinedFields("Companies").find((udf) => udf.isPickList);
  const rows: Row[] = [
    {
      id: 0,
      companyName: OWN_COMPANY_NAME,
      companyNumber: "0",
      companyType: 1,
      phone: "+44 20 7946 0000",
      isActive: true,
      ownerResourceID: FIRST_IDS.Resources + 8,
      address1: "1 Sandbox Way",
      city: "London",
      postalCode: "EC1A 1AA",
      webAddress: `https://${OWN_DOMAIN}`,
      createDate: iso(nowMs - 4000 * DAY),
    },
  ];
  COMPANY_NAMES.forEach((companyName, index) => {
    const companyType = index < 33 ? 1 : index < 36 ? 3 : 7; // customers, then prospects, then vendors
    const row: Row = {
      id: FIRST_IDS.Companies + index,
      companyName,
      companyNumber: `C${String(1001 + index)}`,
      companyType,
      phone: `+44 1632 ${String(960000 + index * 37).slice(0, 6)}`,
      isActive: index !== 31,
      ownerResourceID: random.pick(activeTechs).id,
      address1: `${random.int(1, 220)} ${random.pick(["High Street", "Station Road", "Mill Lane", "Church Street", "Park Avenue"])}`,
      city: random.pick(["London", "Bristol", "Leeds", "Manchester", "Cardiff", "Glasgow", "Norwich", "York"]),
      postalCode: `${random.pick(["BS", "LS", "M", "CF", "G", "NR", "YO"])}${random.int(1, 20)} ${random.int(1, 9)}AB`,
      webAddress: `https://www.${domainOf(companyName)}`,
      createDate: iso(nowMs - random.int(120, 3000) * DAY),
    };
    if (rankings?.picklistValues && random.chance(0.5)) {
      row.userDefinedFields = { [rankings.name]: random.pick(rankings.picklistValues).value };
    }
    rows.push(row);
  });
  for (const row of rows) store.insert("Companies", row);
  return rows;
}

function generateContacts(random: Random, store: SandboxStore, companies: Row[], nowMs: number): void {
  let contactId: number = FIRST_IDS.Contacts;
  for (const company of companies) {
    if (company.id === 0) continue;
    const domain = domainOf(company.companyName as string);
    const count = random.int(2, 8);
    const used = new Set<string>();
    for (let index = 0; index < count; index++) {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      if (used.has(`${first} ${last}`)) continue;
      used.add(`${first} ${last}`);
      store.insert("Contacts", {
        id: contactId++,
        companyID: company.id,
        firstName: first,
        lastName: last,
        emailAddress: `${emailLocalPart(first, last)}@${domain}`,
        phone: `+44 1632 ${random.int(100000, 999999)}`,
        title: random.pick(CONTACT_TITLES),
        // The primary contact is always active, so every company has someone to raise tickets.
        isActive: index === 0 || random.chance(0.92) ? 1 : 0,
        primaryContact: index === 0,
        createDate: iso(nowMs - random.int(100, 2000) * DAY),
      });
    }
  }
}

interface TicketContext {
  /** Best-fitting issue/sub-issue pairs per template, filled on first use. */
  classifications: Map<TicketTemplate, Classification[]>;
  random: Random;
  store: SandboxStore;
  nowMs: number;
  customerIds: number[];
  contactsByCompany: Map<number, Row[]>;
  assignablePairs: Row[];
  activeTechIds: number[];
  picks: ReturnType<typeof picklistChoices>;
}

function picklistChoices(profile: TenantProfile) {
  const active = (field: string) => profile.activeValues("Tickets", field);
  const byLabel = (field: string, words: readonly string[]): PicklistValue | undefined =>
    active(field).find((value) => words.some((word) => value.label.toLowerCase().includes(word)));
  const complete = profile.completeStatus;
  const statuses = active("status");
  const subIssues = active("subIssueType");
  return {
    complete,
    newStatus: profile.newStatus,
    openStatuses: statuses.filter((value) => Number(value.value) !== complete).map((value) => Number(value.value)),
    priorities: active("priority"),
    queues: active("queueID").filter((value) => !/post sale|client portal/i.test(value.label)),
    monitoringQueue: byLabel("queueID", ["monitoring"]),
    issueTypes: active("issueType").filter((issue) => subIssues.some((sub) => sub.parentValue === issue.value)),
    subIssues,
    slas: active("serviceLevelAgreementID"),
    category: profile.defaultValue("Tickets", "ticketCategory"),
    ticketType: (kind: TicketKind) =>
      profile.valueByLabel("Tickets", "ticketType", KIND_TICKET_TYPE[kind]) ?? profile.defaultValue("Tickets", "ticketType"),
    alertSource: byLabel("source", ["monitoring"]),
    humanSources: active("source").filter((value) => /phone|email|portal|person|other/i.test(value.label)),
    noteTypes: profile.activeValues("TicketNotes", "noteType").filter((value) => ["1", "2", "3"].includes(value.value)),
    publishAll: profile.publishToAllUsers,
    publishInternal:
      profile.valueByLabel("TicketNotes", "publish", "Internal Project Team") ??
      profile.defaultValue("TicketNotes", "publish") ??
      2,
    udfs: profile.userDefinedFields("Tickets"),
  };
}

function generateTickets(random: Random, store: SandboxStore, count: number, nowMs: number): void {
  const contactsByCompany = new Map<number, Row[]>();
  for (const contact of store.tables.Contacts.rows()) {
    if (contact.isActive !== 1) continue;
    const list = contactsByCompany.get(contact.companyID as number) ?? [];
    list.push(contact);
    contactsByCompany.set(contact.companyID as number, list);
  }
  const activeRoles = new Set(store.tables.Roles.rows().filter((role) => role.isActive === true).map((role) => role.id));
  const context: TicketContext = {
    classifications: new Map(),
    random,
    store,
    nowMs,
    customerIds: store.tables.Companies.rows()
      .filter((company) => company.companyType === 1 && company.isActive === true)
      .map((company) => company.id),
    contactsByCompany,
    assignablePairs: store.tables.ResourceServiceDeskRoles.rows().filter(
      (pair) => pair.isActive === true && activeRoles.has(pair.roleID as number),
    ),
    activeTechIds: store.tables.Resources.rows()
      .filter((resource) => resource.isActive === true && resource.id !== store.apiUserResourceId)
      .map((resource) => resource.id),
    picks: picklistChoices(store.profile),
  };
  // Creation instants first, sorted, so that ids and ticket numbers rise with time as in a real tenant.
  const created: number[] = [];
  for (let index = 0; index < count; index++) {
    const day = Math.floor(random.next() ** 0.8 * HISTORY_DAYS);
    const minuteOfDay = random.int(7 * 60, 18 * 60);
    let at = nowMs - day * DAY;
    at = at - (at % DAY) + minuteOfDay * 60_000 + random.int(0, 59) * 1000;
    if (at > nowMs) at -= DAY;
    created.push(at);
  }
  created.sort((a, b) => a - b);
  const notes: GeneratedNote[] = [];
  created.forEach((createdAt, index) => {
    const ticket = generateTicket(context, FIRST_IDS.Tickets + index, createdAt, notes);
    refreshSlaResult(store, ticket);
    store.insert("Tickets", dropUndefined(ticket));
  });
  ensureEveryOpenStatusAppears(context);
  // Notes get ids in the order they were written, across all tickets.
  notes.sort((a, b) => a.at - b.at);
  notes.forEach((note, index) => {
    note.row.id = FIRST_IDS.TicketNotes + index;
    store.insert("TicketNotes", note.row);
  });
}

interface GeneratedNote {
  at: number;
  row: Row;
}

function generateTicket(context: TicketContext, id: number, createdAt: number, notes: GeneratedNote[]): Row {
  const { random, store, nowMs, picks } = context;
  const template = random.pick(TEMPLATES);
  const companyID = random.chance(0.04) ? 0 : random.pick(context.customerIds);
  const contacts = context.contactsByCompany.get(companyID) ?? [];
  const contact = contacts.length > 0 && random.chance(0.85) ? random.pick(contacts) : undefined;
  const person = contact ? `${contact.firstName} ${contact.lastName}` : `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const values = {
    person,
    app: random.pick(APPS),
    site: random.pick(SITES),
    device: random.pick(DEVICES),
    n: String(random.int(2, 40)),
  };
  const priority = random.weighted(picks.priorities, (value) => priorityWeight(value.label));
  const targets = serviceTargets(priority.label);
  const ageDays = (nowMs - createdAt) / DAY;
  const isComplete = random.chance(Math.min(0.97, 0.1 + (ageDays / HISTORY_DAYS) * 1.6));
  const slaDue = createdAt + targets.resolution * HOUR;
  // A real desk at any moment: most open tickets are on time (old ones had their due date moved), and
  // 10-25% are past due. Only tickets whose SLA target agrees with that outcome keep an SLA.
  const breached = !isComplete && slaDue < nowMs && random.chance(OPEN_BREACH_SHARE);
  const slaFits = isComplete || breached || slaDue >= nowMs;
  const dueMs = slaFits ? slaDue : nowMs + random.int(4, 240) * HOUR;
  const row: Row = {
    id,
    ticketNumber: store.nextTicketNumber(new Date(createdAt)),
    title: fill(template.title, values),
    description: fill(template.description, values),
    companyID,
    priority: Number(priority.value),
    ticketType: picks.ticketType(template.kind),
    ticketCategory: picks.category,
    createDate: iso(createdAt),
    creatorType: 1,
    creatorResourceID: random.chance(0.3) ? store.apiUserResourceId : random.pick(context.activeTechIds),
    dueDateTime: iso(dueMs),
    estimatedHours: random.pick([0, 0.5, 1, 2, 4]),
    isVisibleToComanaged: false,
    isAssignedToComanaged: false,
  };
  if (contact) row.contactID = contact.id;
  const queue = template.kind === "alert" && picks.monitoringQueue ? picks.monitoringQueue : pickOrUndefined(random, picks.queues);
  if (queue) row.queueID = Number(queue.value);
  const source = template.kind === "alert" && picks.alertSource ? picks.alertSource : pickOrUndefined(random, picks.humanSources);
  if (source) row.source = Number(source.value);
  const classification = chooseIssueType(context, template);
  if (classification) {
    row.issueType = Number(classification.issue.value);
    if (classification.subIssue) row.subIssueType = Number(classification.subIssue.value);
  }
  const sla = slaFits && random.chance(0.6) ? pickOrUndefined(random, picks.slas) : undefined;
  if (sla) {
    row.serviceLevelAgreementID = Number(sla.value);
    row.firstResponseDueDateTime = iso(createdAt + targets.firstResponse * HOUR);
    row.resolvedDueDateTime = iso(slaDue);
  }
  for (const udf of picks.udfs) {
    if (!random.chance(0.25)) continue;
    row.userDefinedFields ??= {};
    row.userDefinedFields[udf.name] = udfSample(random, udf.type, udf.picklistValues, createdAt);
  }

  const recentlyCreated = ageDays < 1.5;
  const status = isComplete
    ? picks.complete
    : recentlyCreated && random.chance(0.5)
      ? picks.newStatus
      : random.pick(picks.openStatuses);
  row.status = status;
  const assigned = status !== picks.newStatus || random.chance(0.2);
  if (assigned && context.assignablePairs.length > 0) {
    const pair = random.pick(context.assignablePairs);
    row.assignedResourceID = pair.resourceID;
    row.assignedResourceRoleID = pair.roleID;
  }
  const actor = (row.assignedResourceID as number | undefined) ?? random.pick(context.activeTechIds);

  const endMs = isComplete
    ? Math.min(nowMs, createdAt + random.int(20, Math.max(30, targets.resolution * 60 * 1.5)) * 60_000)
    : nowMs;
  let lastActivity = createdAt;
  if (status !== picks.newStatus) {
    const firstResponse = Math.min(endMs, createdAt + random.int(5, targets.firstResponse * 60 * 1.3) * 60_000);
    row.firstResponseDateTime = iso(firstResponse);
    row.firstResponseInitiatingResourceID = actor;
    row.firstResponseAssignedResourceID = actor;
    lastActivity = Math.max(lastActivity, firstResponse);
    notes.push(
      noteRow(context, id, firstResponse, picks.publishAll, random.pick(CUSTOMER_NOTES), actor, {
        ...values,
        person: contact ? String(contact.firstName) : "there",
      }),
    );
  }
  const extraNotes = isComplete ? random.int(0, 3) : random.int(0, 2);
  for (let index = 0; index < extraNotes; index++) {
    const at = random.int(createdAt, endMs);
    notes.push(noteRow(context, id, at, picks.publishInternal, random.pick(INTERNAL_NOTES), actor, values));
    lastActivity = Math.max(lastActivity, at);
  }
  if (isComplete) {
    row.resolution = fill(template.resolution, values);
    row.completedDate = iso(endMs);
    row.completedByResourceID = actor;
    row.resolvedDateTime = row.completedDate;
    lastActivity = Math.max(lastActivity, endMs);
  }
  row.lastActivityDate = iso(lastActivity);
  row.lastTrackedModificationDateTime = row.lastActivityDate;
  row.lastActivityPersonType = 1;
  row.lastActivityResourceID = actor;
  return row;
}

function noteRow(
  context: TicketContext,
  ticketId: number,
  at: number,
  publish: number,
  text: string,
  actor: number,
  values: Record<string, string>,
): GeneratedNote {
  const noteType = pickOrUndefined(context.random, context.picks.noteTypes);
  const description = fill(text, values);
  const written = iso(at);
  const row: Row = {
    id: 0,
    ticketID: ticketId,
    title: description.length > 60 ? `${description.slice(0, 57)}...` : description,
    description,
    noteType: noteType ? Number(noteType.value) : 1,
    publish,
    createDateTime: written,
    lastActivityDate: written,
    creatorResourceID: actor,
  };
  return { at, row };
}

type Classification = { issue: PicklistValue; subIssue: PicklistValue | undefined };

/**
 * The (issue type, sub-issue type) pairs that fit a ticket template best: each pair is scored by the
 * template's topics and the words of its title (placeholders left out) found in the labels, a sub-issue
 * match counting double. Computed once per template (100,000 tickets on a tenant with 290 sub-issue types
 * would otherwise score millions of pairs). Sub-issues are only ever paired with their own parent; an
 * empty list means nothing fits and any issue type will do.
 */
function fittingClassifications(
  issueTypes: PicklistValue[],
  subIssues: PicklistValue[],
  template: TicketTemplate,
): Classification[] {
  const titleWords = template.title
    .replace(/\{\w+\}/g, " ")
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter((word) => word.length >= 4);
  const words = [...template.topics, ...titleWords];
  // A word fits a label when a label word starts with it ("hard" fits "Hardware", "drive" does not fit
  // "OneDrive", "ups" does not fit "Backups"); a topic of several words must appear as a phrase.
  const score = (label: string) => {
    const lower = label.toLowerCase();
    const labelWords = lower.split(/[^a-z0-9-]+/);
    return words.filter((word) =>
      word.includes(" ") ? lower.includes(word) : labelWords.some((labelWord) => labelWord.startsWith(word)),
    ).length;
  };
  const issueScores = new Map(issueTypes.map((issue) => [issue.value, score(issue.label)]));
  let best: Classification[] = [];
  let bestScore = 0;
  for (const subIssue of subIssues) {
    const issueScore = issueScores.get(subIssue.parentValue ?? "");
    if (issueScore === undefined) continue; // parent inactive or without children in the active list
    const issue = issueTypes.find((candidate) => candidate.value === subIssue.parentValue) as PicklistValue;
    const total = issueScore + 2 * score(subIssue.label);
    if (total > bestScore) {
      bestScore = total;
      best = [{ issue, subIssue }];
    } else if (total === bestScore && total > 0) {
      best.push({ issue, subIssue });
    }
  }
  return best;
}

function chooseIssueType(context: TicketContext, template: TicketTemplate): Classification | undefined {
  const { random, picks } = context;
  let fitting = context.classifications.get(template);
  if (fitting === undefined) {
    fitting = fittingClassifications(picks.issueTypes, picks.subIssues, template);
    context.classifications.set(template, fitting);
  }
  if (fitting.length > 0) return random.pick(fitting);
  const issue = pickOrUndefined(random, picks.issueTypes);
  if (issue === undefined) return undefined;
  return { issue, subIssue: pickOrUndefined(random, picks.subIssues.filter((sub) => sub.parentValue === issue.value)) };
}

function dropUndefined(row: Row): Row {
  for (const key of Object.keys(row)) if (row[key] === undefined) delete row[key];
  return row;
}

function udfSample(random: Random, type: string, picklist: PicklistValue[] | null, createdAt: number): unknown {
  if (picklist && picklist.length > 0) return random.pick(picklist).value;
  if (type === "datetime") return iso(createdAt + random.int(1, 10) * DAY);
  // UDF values are strings in Autotask (UserDefinedField.Value), numbers included.
  if (type === "integer" || type === "decimal" || type === "long") return String(random.int(1, 50));
  return `REF-${random.int(10000, 99999)}`;
}

function pickOrUndefined<T>(random: Random, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : random.pick(items);
}

/** Small tenants might miss a status by chance; re-label open tickets so every active open status occurs. */
function ensureEveryOpenStatusAppears(context: TicketContext): void {
  const { store, picks } = context;
  const open = store.tables.Tickets.rows().filter((ticket) => ticket.status !== picks.complete);
  const seen = new Set(open.map((ticket) => ticket.status as number));
  const missing = picks.openStatuses.filter((status) => !seen.has(status) && status !== picks.newStatus);
  const counts = new Map<number, number>();
  for (const ticket of open) counts.set(ticket.status as number, (counts.get(ticket.status as number) ?? 0) + 1);
  for (const status of missing) {
    const donor = open.find(
      (ticket) => ticket.status !== picks.newStatus && (counts.get(ticket.status as number) ?? 0) > 1,
    );
    if (donor === undefined) return;
    counts.set(donor.status as number, (counts.get(donor.status as number) ?? 0) - 1);
    donor.status = status;
    counts.set(status, 1);
  }
}
