/**
 * Bar chart of a tissue's most expressed genes (`topExpressedGene`).
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkChoice, checkFrame, figureOptions } from "./_check.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { textWidth } from "./_text.ts";
import { formatNumber } from "../_core/format.ts";
import { tissueColor, type TissueColors, tissueName } from "../_core/tissues.ts";

/** Options of {@link topExpressedGenes}; any Plot option overrides the defaults. */
export interface TopExpressedGenesOptions extends FigureOverrides {
  /**
   * Value axis: `"log"` (default: median TPM spans orders of magnitude, and with a linear axis most of 50
   * bars vanish next to the top few, mitochondrial ones especially) or `"linear"`.
   */
  scale?: "linear" | "log";
  /** Show at most this many genes (default: all, up to 50). */
  limit?: number;
  /** Colour overrides for tissues (default: the official colours). */
  tissueColors?: TissueColors;
}

/**
 * Horizontal bars of median TPM for the genes of a `topExpressedGene` frame (columns `tissueSiteDetailId`,
 * `geneId`, `chromosome`, `median`), highest on top, in the tissue's official colour; chrM genes drawn
 * pale and labelled, since the server includes them by default. The value axis is logarithmic by default
 * (ticks at powers of ten), so the 50th gene stays visible next to the first; `scale: "linear"` for a
 * linear axis.
 *
 * Marks: `barX` (one bar per gene), `text` (chrM labels), `ruleX` at 0.
 *
 * @param top The `topExpressedGene` frame (one tissue).
 * @param options Scale, limit, and any Plot option to override.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import { createClient, plots, topExpressedGene } from "ratgtex";
 * import assert from "node:assert/strict";
 * const top = await topExpressedGene("IL", { client: createClient({ source: "offline" }) });
 * const fig = plots.topExpressedGenes(top, { limit: 20 });
 * assert.ok(fig.svg!.includes("Top 20 expressed genes in Infralimbic cortex (IL)"));
 * assert.ok(fig.svg!.includes("#377eb8")); // IL's colour
 * assert.ok(fig.svg!.includes("Median TPM (log scale)")); // the default axis
 * assert.ok(plots.topExpressedGenes(top, { scale: "linear" }).svg!.includes(">Median TPM<"));
 * ```
 */
export function topExpressedGenes(top: pl.DataFrame, options: TopExpressedGenesOptions = {}): PlotFigure {
  figureOptions<TopExpressedGenesOptions>("topExpressedGenes", options, {
    scale: "string",
    limit: "number",
    tissueColors: "object",
  });
  checkFrame(top, "top", "topExpressedGene", ["tissueSiteDetailId", "geneId", "median"]);
  const { scale = "log", limit = 50, tissueColors, ...plot } = options;
  checkChoice(scale, "options.scale", ["linear", "log"], "topExpressedGenes");
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(
      "options.limit",
      limit,
      "must be a positive integer",
      "pass limit: 50 (the default) or fewer",
    );
  }
  const rows = (top.toRecords() as Record<string, unknown>[]).map((r) => ({
    tissue: String(r.tissueSiteDetailId),
    geneId: String(r.geneId),
    chromosome: String(r.chromosome ?? ""),
    median: Number(r.median),
  }));
  const tissues = [...new Set(rows.map((r) => r.tissue))];
  if (tissues.length !== 1) {
    throw new ValidationError(
      "top.tissueSiteDetailId",
      tissues,
      `top holds ${tissues.length} tissues (${tissues.join(", ")}); topExpressedGenes draws one tissue per figure`,
      "filter the frame by tissueSiteDetailId, or ask topExpressedGene for one tissue",
    );
  }
  const tissue = tissues[0];
  const bars = [...rows].sort((a, b) => b.median - a.median).slice(0, limit);
  const color = tissueColor(tissue, tissueColors);
  const mito = bars.filter((b) => b.chromosome === "chrM");
  const labelWidth = Math.max(...bars.map((b) => textWidth(b.geneId, 10)));
  // Log axis: bars start at the power of ten below the smallest median; ticks at powers of ten.
  const positive = bars.map((b) => b.median).filter((m) => m > 0);
  const floor = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...positive, Infinity))));
  const top10 = Math.ceil(Math.log10(Math.max(...positive, 1) * 1.6));
  const logTicks = Array.from({ length: top10 - Math.log10(floor) + 1 }, (_, i) => floor * 10 ** i);
  const base: FigureOverrides = {
    width: 640,
    height: 40 + 16 * bars.length,
    marginLeft: Math.ceil(labelWidth + 14),
    marginRight: 40,
    x: {
      type: scale,
      label: scale === "log" ? "Median TPM (log scale)" : "Median TPM",
      labelAnchor: "center",
      labelArrow: "none",
      grid: true,
      ...(scale === "log"
        ? {
          domain: [floor, Math.max(...bars.map((b) => b.median)) * 1.6],
          ticks: logTicks,
          tickFormat: (v: number) => formatNumber(v),
        }
        : {}),
    },
    y: { domain: bars.map((b) => b.geneId), label: null, tickSize: 0, padding: 0.15 },
    marks: [
      Plot.barX(bars, {
        y: "geneId",
        x: "median",
        ...(scale === "log" ? { x1: floor, x2: "median", x: undefined } : {}),
        fill: color,
        fillOpacity: (b: { chromosome: string }) => (b.chromosome === "chrM" ? 0.4 : 1),
        stroke: "#333",
        strokeWidth: 0.5,
        title: (b: { geneId: string; median: number }) => `${b.geneId}: ${b.median} TPM`,
      }),
      Plot.text(mito, { y: "geneId", x: "median", text: () => "chrM", textAnchor: "start", dx: 4, fill: "#555" }),
      ...(scale === "linear" ? [Plot.ruleX([0])] : []),
    ],
  };
  return new PlotFigure(mergePlotOptions(base, plot), {
    title: `Top ${bars.length} expressed genes in ${tissueName(tissue)} (${tissue})`,
    subtitle: mito.length > 0
      ? `Pale bars: mitochondrial (chrM) genes (${mito.length}); use filterMtGene: true to leave them out`
      : undefined,
  });
}
