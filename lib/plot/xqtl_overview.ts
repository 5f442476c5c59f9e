/**
 * Tissue × modality matrix of conditionally independent xQTLs (`xqtl`).
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { XQTL_MODALITIES } from "../_core/modalities.ts";
import { checkFrame, figureOptions, STRING_LIST } from "./_check.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { rampLegend } from "./legend.ts";
import { tissueColor, type TissueColors, tissueOrder, V4_TISSUE_STYLES } from "../_core/tissues.ts";

/** Whole-number ticks for a count legend: at most 6 of them. */
function integerTicks(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 5));
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

/** Options of {@link xqtlOverview}; any Plot option overrides the defaults. */
export interface XqtlOverviewOptions extends FigureOverrides {
  /** Rows, in this order (default: the 13 v4 tissues plus any other tissue in the frame). */
  tissues?: readonly string[];
  /** Colour overrides for tissues (default: the official colours). */
  tissueColors?: TissueColors;
}

/**
 * Counts of conditionally independent xQTLs per tissue (rows) and RNA modality (columns, the portal's six
 * in its order, labelled with the portal's names) from an `xqtl` frame; several genes are summed. Each
 * row starts with the tissue's colour swatch; cells are shaded by count, with the count written in them.
 *
 * Marks: `cell` (tissues × modalities), `text` counts (non-zero cells), `dot` tissue swatches (one per tissue).
 *
 * @param xqtl The `xqtl` frame (columns `geneId`, `tissueSiteDetailId`, `modality`).
 * @param options Tissues, and any Plot option to override.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import { createClient, plots, xqtl } from "ratgtex";
 * import assert from "node:assert/strict";
 * const x = await xqtl("Cd300lf", { client: createClient({ source: "offline" }) });
 * const fig = plots.xqtlOverview(x);
 * assert.ok(fig.svg!.includes("Intron excision ratio"));
 * assert.ok(fig.svg!.includes(`${x.height} xQTLs by tissue and RNA modality`));
 * ```
 */
export function xqtlOverview(xqtl: pl.DataFrame, options: XqtlOverviewOptions = {}): PlotFigure {
  figureOptions<XqtlOverviewOptions>("xqtlOverview", options, { tissues: STRING_LIST, tissueColors: "object" });
  checkFrame(xqtl, "xqtl", "xqtl", ["geneId", "tissueSiteDetailId", "modality"]);
  const { tissues, tissueColors, ...plot } = options;
  const rows = xqtl.toRecords() as Record<string, unknown>[];
  const genes = [...new Set(rows.map((r) => String(r.geneId)))];
  const tissueIds = tissues
    ? [...tissues]
    : tissueOrder([...V4_TISSUE_STYLES.map((t) => t.id), ...rows.map((r) => String(r.tissueSiteDetailId))]);
  const modalities = Object.keys(XQTL_MODALITIES);
  for (const r of rows) if (!modalities.includes(String(r.modality))) modalities.push(String(r.modality));
  const label = (m: string) => XQTL_MODALITIES[m] ?? m;
  const count = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.tissueSiteDetailId}|${r.modality}`;
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  const cells = tissueIds.flatMap((t) =>
    modalities.map((m) => ({ tissue: t, modality: label(m), n: count.get(`${t}|${m}`) ?? 0 }))
  );
  const max = Math.max(1, ...cells.map((c) => c.n));
  // Count what is drawn: rows of tissues left out by options.tissues are not in any cell.
  const shown = cells.reduce((sum, c) => sum + c.n, 0);
  const base: FigureOverrides = {
    width: 640,
    height: 90 + 24 * tissueIds.length,
    marginLeft: 74,
    marginTop: 70,
    marginBottom: 10,
    x: { domain: modalities.map(label), axis: "top", label: null, tickRotate: -20, tickSize: 0 },
    y: { domain: tissueIds, label: null, tickSize: 0, tickPadding: 18 },
    color: { type: "linear", scheme: "purples", domain: [0, max] },
    marks: [
      Plot.cell(cells, { x: "modality", y: "tissue", fill: "n", stroke: "#fff", inset: 0.5 }),
      Plot.text(cells.filter((c) => c.n > 0), {
        x: "modality",
        y: "tissue",
        text: (c: { n: number }) => String(c.n),
        fill: (c: { n: number }) => (c.n > max * 0.55 ? "#fff" : "#222"),
        fontWeight: "bold",
      }),
      Plot.dot(tissueIds, {
        y: (t: string) => t,
        frameAnchor: "left",
        dx: -9,
        r: 5,
        fill: (t: string) => tissueColor(t, tissueColors),
        stroke: "#333",
        strokeWidth: 0.5,
      }),
    ],
  };
  const merged = mergePlotOptions(base, plot);
  return new PlotFigure(merged, {
    title: `Conditionally independent xQTLs of ${genes.length === 0 ? "no gene" : genes.join(", ")}`,
    subtitle: `${shown} xQTLs by tissue and RNA modality` +
      (shown < rows.length ? ` (${rows.length - shown} more in tissues not shown)` : ""),
    legends: [{ ...rampLegend(merged.color!, "xQTLs per cell"), ticks: integerTicks(max) }],
  });
}
