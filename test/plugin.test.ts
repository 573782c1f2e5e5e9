// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${CLAUDE_PLUGIN_ROOT} and ${user_config.x} are Claude Code's substitutions
/**
 * The Claude Code plugin (plugin/) and the marketplace that lists it (.claude-plugin/marketplace.json):
 * every JSON file uses only the fields Claude Code documents, the server it starts exists inside the
 * plugin, secrets are asked for as sensitive values, and the skills name only tools the registry has
 * and never a numeric picklist id (ids differ per tenant: one live tenant's priority 1 is "Critical",
 * Autotask's default priority 1 is "High"; see fixtures/profiles/).
 *
 * Field lists: Claude Code plugin manifest reference (code.claude.com/docs/en/plugins/manifest-reference),
 * marketplace reference (code.claude.com/docs/en/plugin-marketplaces), Agent Skills specification
 * (agentskills.io/specification); summarised in the shared reference mcp-ecosystem.md, section 5.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ENV_VARIABLES } from "../src/config.js";
import { TOOLS } from "../src/tools/index.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PLUGIN = `${ROOT}plugin/`;
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PLUGIN_FIELDS = new Set([
  "$schema",
  "name",
  "version",
  "description",
  "author",
  "homepage",
  "repository",
  "license",
  "keywords",
  "commands",
  "agents",
  "skills",
  "hooks",
  "mcpServers",
  "lspServers",
  "outputStyles",
  "userConfig",
  "channels",
  "monitors",
]);
/** userConfig options are strict objects: an unknown key stops the plugin from loading. */
const USER_CONFIG_FIELDS = new Set(["type", "title", "description", "required", "default", "options", "multiple", "sensitive", "min", "max"]);
const USER_CONFIG_TYPES = new Set(["string", "number", "boolean", "directory", "file"]);
const MARKETPLACE_FIELDS = new Set(["$schema", "name", "owner", "metadata", "plugins", "description", "version"]);
const MARKETPLACE_ENTRY_FIELDS = new Set([
  "name",
  "source",
  "description",
  "version",
  "author",
  "homepage",
  "repository",
  "license",
  "keywords",
  "tags",
  "category",
  "strict",
  "displayName",
  "commands",
  "agents",
  "skills",
  "hooks",
  "mcpServers",
  "lspServers",
]);
const MCP_SERVER_FIELDS = new Set(["type", "command", "args", "env", "cwd", "url", "headers"]);
const SECRET_VARIABLES = new Set(["AUTOTASK_SECRET", "AUTOTASK_INTEGRATION_CODE"]);

const manifest = readJson(`${PLUGIN}.claude-plugin/plugin.json`);
const mcp = readJson(`${PLUGIN}.mcp.json`);
const marketplace = readJson(`${ROOT}.claude-plugin/marketplace.json`);

/**
 * Places in a skill where a picklist value is given as a number: `status: 5`, `"priority": 1`,
 * `statusID=8`, `priority 1`, `queue id 29682833`, `publish 1`. Returns the offending snippets.
 */
export function numericPicklistIds(text: string): string[] {
  const field = `(?:status|priority|queue|source|issue ?type|sub-?issue ?type|ticket ?type|ticket ?category|note ?type|publish)(?:_?id)?`;
  const patterns = [
    new RegExp(String.raw`\b${field}["'\x60]?\s*[:=]\s*["'\x60]?\d+`, "gi"),
    new RegExp(String.raw`\b${field}\s+(?:id\s+|value\s+|#)?\d+\b`, "gi"),
    /\b(?:status|priority|queue|picklist)\s+(?:id|value)s?\s+(?:of\s+)?\d+/gi,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[0]));
}

function skills(): { dir: string; text: string; frontmatter: Record<string, string>; body: string }[] {
  return readdirSync(`${PLUGIN}skills`).map((dir) => {
    const text = readFileSync(`${PLUGIN}skills/${dir}/SKILL.md`, "utf8");
    const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    if (!match) throw new Error(`${dir}/SKILL.md has no YAML frontmatter`);
    const frontmatter = Object.fromEntries(
      match[1]!.split("\n").map((line) => {
        const at = line.indexOf(":");
        return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
      }),
    );
    return { dir, text, frontmatter, body: match[2]! };
  });
}

describe("plugin manifest (.claude-plugin/plugin.json)", () => {
  it("uses documented fields and a kebab-case name", () => {
    expect(Object.keys(manifest).filter((key) => !PLUGIN_FIELDS.has(key))).toEqual([]);
    expect(manifest.name).toMatch(KEBAB);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof manifest.author?.name).toBe("string");
  });

  it("declares each userConfig option with the documented keys, title and description", () => {
    for (const [key, option] of Object.entries<Record<string, unknown>>(manifest.userConfig)) {
      expect(Object.keys(option).filter((field) => !USER_CONFIG_FIELDS.has(field)), key).toEqual([]);
      expect(USER_CONFIG_TYPES.has(option.type as string), key).toBe(true);
      expect(typeof option.title, key).toBe("string");
      expect(typeof option.description, key).toBe("string");
    }
  });

  it("keeps the version in step with package.json and the marketplace", () => {
    const pkg = readJson(`${ROOT}package.json`);
    expect(manifest.version).toBe(pkg.version);
    expect(marketplace.plugins[0].version).toBe(pkg.version);
  });
});

describe("plugin MCP server (.mcp.json)", () => {
  const servers = Object.entries<Record<string, any>>(mcp.mcpServers);

  it("starts the bundled server inside the plugin through ${CLAUDE_PLUGIN_ROOT}, without npm install", () => {
    expect(servers).toHaveLength(1);
    for (const [name, server] of servers) {
      expect(Object.keys(server).filter((key) => !MCP_SERVER_FIELDS.has(key)), name).toEqual([]);
      expect(server.command).toBe("node");
      const entry = server.args[0] as string;
      expect(entry.startsWith("${CLAUDE_PLUGIN_ROOT}/")).toBe(true);
      expect(existsSync(entry.replace("${CLAUDE_PLUGIN_ROOT}/", PLUGIN)), entry).toBe(true);
      expect(server.args.join(" ")).not.toMatch(/npx|npm/);
    }
  });

  it("passes only variables the server reads, each user_config reference declared, secrets as sensitive options", () => {
    for (const [, server] of servers) {
      for (const [variable, value] of Object.entries<string>(server.env)) {
        expect(ENV_VARIABLES, variable).toContain(variable);
        for (const [, key] of value.matchAll(/\$\{user_config\.([A-Za-z0-9_]+)\}/g)) {
          expect(manifest.userConfig[key!], `${variable} -> ${key}`).toBeDefined();
          if (SECRET_VARIABLES.has(variable)) expect(manifest.userConfig[key!].sensitive, key).toBe(true);
        }
        if (SECRET_VARIABLES.has(variable)) expect(value, variable).toMatch(/^\$\{user_config\.[A-Za-z0-9_]+\}$/);
      }
      for (const secret of SECRET_VARIABLES) expect(Object.keys(server.env)).toContain(secret);
    }
  });
});

describe("marketplace (.claude-plugin/marketplace.json)", () => {
  it("uses documented fields and lists the plugin folder by relative path", () => {
    expect(Object.keys(marketplace).filter((key) => !MARKETPLACE_FIELDS.has(key))).toEqual([]);
    expect(marketplace.name).toMatch(KEBAB);
    expect(typeof marketplace.owner?.name).toBe("string");
    expect(marketplace.plugins).toHaveLength(1);
    const [entry] = marketplace.plugins;
    expect(Object.keys(entry).filter((key) => !MARKETPLACE_ENTRY_FIELDS.has(key))).toEqual([]);
    expect(entry.name).toBe(manifest.name);
    expect(entry.source).toBe("./plugin");
    expect(existsSync(`${ROOT}${entry.source}/.claude-plugin/plugin.json`)).toBe(true);
  });
});

describe("skills (plugin/skills/*/SKILL.md)", () => {
  const registry = new Set(TOOLS.map((tool) => tool.name));

  it("has the four service-desk jobs", () => {
    expect(skills().map((skill) => skill.dir).sort()).toEqual(["desk-metrics", "sla-escalation-review", "triage-new-tickets", "work-a-ticket"]);
  });

  it.each(skills().map((skill) => [skill.dir, skill] as const))("%s: frontmatter per the Agent Skills specification", (dir, skill) => {
    expect(skill.frontmatter.name).toBe(dir);
    expect(dir).toMatch(KEBAB);
    expect(dir.length).toBeLessThanOrEqual(64);
    expect(skill.frontmatter.description!.length).toBeGreaterThan(20);
    expect(skill.frontmatter.description!.length).toBeLessThanOrEqual(1024);
  });

  it.each(skills().map((skill) => [skill.dir, skill] as const))("%s: every tool it names is in the registry", (_dir, skill) => {
    const named = [...new Set([...skill.text.matchAll(/\bautotask_[a-z_]+\b/g)].map((match) => match[0]))];
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !registry.has(name as `autotask_${string}`))).toEqual([]);
  });

  it.each(skills().map((skill) => [skill.dir, skill] as const))("%s: teaches semantic names, no numeric picklist id", (_dir, skill) => {
    expect(numericPicklistIds(skill.text)).toEqual([]);
    expect(skill.text).toMatch(/\bin_progress\b/);
    expect(skill.text).toMatch(/\bcritical\b/);
  });

  it("the picklist-id detector catches the forms a skill could use", () => {
    for (const sample of ['status: 5', '"priority": 1', "statusID=8", "set priority 1", "queue id 29682833", "publish 1", "status value 11"]) {
      expect(numericPicklistIds(sample), sample).not.toEqual([]);
    }
    for (const sample of ['status: "in_progress"', "priority: critical", "4 business hours", "the first 5 tickets"]) {
      expect(numericPicklistIds(sample), sample).toEqual([]);
    }
  });
});
