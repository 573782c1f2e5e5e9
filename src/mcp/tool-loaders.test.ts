import { describe, expect, it } from "vitest";
import { TOOLS } from "../tools/index.js";
import { TOOL_LOADERS } from "./tool-loaders.js";

describe("the lazy registry", () => {
  it("names the registry's tools in the registry's order", () => {
    expect([...TOOL_LOADERS.keys()]).toEqual(TOOLS.map((tool) => tool.name));
  });

  it("loads each tool's own definition under its name", async () => {
    for (const tool of TOOLS) {
      const load = TOOL_LOADERS.get(tool.name);
      expect(load, tool.name).toBeDefined();
      expect(await load?.(), tool.name).toBe(tool);
    }
  });
});
