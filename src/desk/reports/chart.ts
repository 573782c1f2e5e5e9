/**
 * The metrics chart: status and priority distributions and SLA compliance, drawn with Vega-Lite
 * (compiled to Vega, rendered to SVG headlessly) and rasterised to PNG by resvg compiled to
 * WebAssembly, with the DejaVu Sans font shipped in the package (`assets/fonts/`). No native binary
 * and no system font is used, so the same code runs from the macOS/Windows bundles.
 *
 * This module is imported only when a chart is asked for (`renderMetricsChart` in `index.ts` loads it
 * with a dynamic import), so start-up never loads Vega or the WebAssembly module.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { MetricsReport } from "./metrics.js";

/** Width of every chart PNG in pixels; the height follows the drawing's aspect ratio. */
export const CHART_WIDTH_PX = 1000;
const FONT_FILE = join("assets", "fonts", "DejaVuSans.ttf");
const FONT_FAMILY = "DejaVu Sans";

let ready: Promise<Buffer> | undefined;

/** `relative` in the nearest folder above this module that has it (src/, dist/, dist/bundle-chunks/ all work). */
function packageFile(relative: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** Loads the WebAssembly rasteriser once per process; resolves to the font bytes. */
function prepare(): Promise<Buffer> {
  ready ??= (async () => {
    // The bundle's copy (dist/assets/resvg.wasm) first, else the installed package's.
    const wasm = packageFile(join("assets", "resvg.wasm")) ?? createRequire(import.meta.url).resolve("@resvg/resvg-wasm/index_bg.wasm");
    await initWasm(readFileSync(wasm));
    const font = packageFile(FONT_FILE);
    if (!font) throw new Error(`${FONT_FILE} is missing from the package; the chart cannot be drawn.`);
    return readFileSync(font);
  })();
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

/** The Vega-Lite spec: three panels side by side. Exported for tests. */
export function chartSpec(report: MetricsReport, title: string): TopLevelSpec {
  const compliance = report.sla.compliancePercent;
  const bars = (values: Array<{ label: string; count: number }>, heading: string, color: string) => ({
    title: heading,
    width: 260,
    height: 220,
    data: { values },
    mark: { type: "bar" as const, color },
    encoding: {
      y: { field: "label", type: "nominal" as const, sort: "-x" as const, title: null },
      x: { field: "count", type: "quantitative" as const, title: "tickets" },
    },
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, font: FONT_FAMILY },
    background: "white",
    config: { font: FONT_FAMILY, view: { stroke: null } },
    hconcat: [
      bars(report.byStatus.slice(0, 12), "Tickets by status", "#4c78a8"),
      bars(report.byPriority.slice(0, 12), "Tickets by priority", "#f58518"),
      {
        // The share is over decided tickets (met, missed); open tickets not yet due stand apart, in grey.
        title: compliance === null ? "SLA compliance (no decided tickets)" : `SLA compliance ${compliance}% of decided`,
        width: 200,
        height: 220,
        data: {
          values: [
            { part: "met", count: report.sla.compliant },
            { part: "missed", count: report.sla.eligible - report.sla.compliant },
            { part: "open, undecided", count: report.sla.undecided },
          ],
        },
        mark: { type: "bar" },
        encoding: {
          x: { field: "part", type: "nominal", title: null, sort: ["met", "missed", "open, undecided"], axis: { labelAngle: 0 } },
          y: { field: "count", type: "quantitative", title: "tickets" },
          color: { field: "part", type: "nominal", scale: { domain: ["met", "missed", "open, undecided"], range: ["#54a24b", "#e45756", "#bab0ac"] }, legend: null },
        },
      },
    ],
  } as TopLevelSpec;
}

/** PNG bytes of the chart for `report`, CHART_WIDTH_PX wide. */
export async function renderMetricsChart(report: MetricsReport, title: string): Promise<{ png: Uint8Array; width: number; height: number }> {
  const font = await prepare();
  const view = new vega.View(vega.parse(compile(chartSpec(report, title)).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const rendered = new Resvg(svg, {
      fitTo: { mode: "width", value: CHART_WIDTH_PX },
      font: { fontBuffers: [font], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY, loadSystemFonts: false },
    }).render();
    const png = rendered.asPng();
    return { png, width: rendered.width, height: rendered.height };
  } finally {
    view.finalize();
  }
}
