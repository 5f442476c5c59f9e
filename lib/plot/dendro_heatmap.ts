/**
 * The dendro-heatmap of the RatGTEx portal: median expression of genes × tissues with the gene and
 * tissue dendrograms, from the server's trees or from a reclustering.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ClusterMediansResult } from "../analysis/cluster_medians.ts";
import type { MedianGeneExpressionResult } from "../analysis/route_results.ts";
import { ResponseFormatError, ValidationError } from "../_core/errors.ts";
import { checkChoice } from "./_check.ts";
import { dendrogramLayout, dendrogramMark } from "./dendrogram.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { formatNumber } from "../_core/format.ts";
import { textWidth } from "./_text.ts";
import { rampLegend } from "./_legend.ts";
import { tissueColor, type TissueColors } from "../_core/tissues.ts";

/**
 * The colour scale of a heatmap cell, a vocabulary of its own (not an `ExpressionTransform`, which
 * prepares values for a regression): `"log10"` colours by log10(median TPM + 1), `"log2"` by
 * log2(median TPM + 1), `"none"` by median TPM.
 */
export type ColorTransform = "log10" | "log2" | "none";

/** The accepted {@link ColorTransform}s, the default first. */
export const COLOR_TRANSFORMS: readonly ColorTransform[] = ["log10", "log2", "none"];

/** The default {@link ColorTransform}: `"log10"`, as the RatGTEx portal's heatmap. */
export const DEFAULT_COLOR_TRANSFORM: ColorTransform = "log10";

/** Options of {@link dendroHeatmap}; any Plot option overrides the defaults (e.g. `color: { scheme: "viridis" }`). */
export interface DendroHeatmapOptions extends FigureOverrides {
  /** Trees to draw: the server's (default, from `median`) or a `clusterMedians` result. */
  clustering?: Pick<ClusterMediansResult, "geneTree" | "tissueTree">;
  /** Colour scale ({@link ColorTransform}): `"log10"` ({@link DEFAULT_COLOR_TRANSFORM}), `"log2"` or `"none"` (TPM). */
  transform?: ColorTransform;
  /** How the trees were written (default `"server"`: right child first); see `dendrogramLayout`. */
  childOrder?: "server" | "as-written";
  /** Cell width in pixels (default 36). */
  cellWidth?: number;
  /** Cell height in pixels (default 18). */
  cellHeight?: number;
  /** Colour overrides for the tissue strip (default: the official colours). */
  tissueColors?: TissueColors;
}

/**
 * A tree's leaves must be the median's genes (tissues): a reclustering passed by the caller that does not
 * match is the caller's mistake; the server's own trees not matching its own answer is the server's.
 */
function checkLeaves(kind: string, leaves: string[], ids: readonly string[], fromServer: boolean): void {
  const want = [...ids].sort().join(",");
  if ([...leaves].sort().join(",") === want) return;
  const problem = `the ${kind} tree's leaves (${leaves.join(", ")}) are not the ${kind}s of median (${ids.join(", ")})`;
  if (fromServer) {
    throw new ResponseFormatError(`medianGeneExpression answer: ${problem}`, "", {
      route: "medianGeneExpression",
      hint: "the server's tree does not match its own values: draw a reclustering (clustering: clusterMedians(median))",
    });
  }
  throw new ValidationError("options.clustering", leaves, problem, "pass the clustering made from this median result");
}

/**
 * Median expression heatmap (genes × tissues) with the gene dendrogram on the left, the tissue
 * dendrogram on top, a strip of official tissue colours under it, tissue labels below and gene labels
 * on the right. Rows and columns follow the trees' leaf order (scipy's left-to-right order for the
 * server's trees). Where a tree is `null` ("Not enough data": a single gene or tissue) that dendrogram is
 * left out and the answer's order is kept. Coordinates are pixels (identity scales); the colour scale is
 * Plot's (`color` overrides it) and its legend is an SVG ramp.
 *
 * Marks: `rect` cells (genes × tissues), `rect` tissue strip (one per tissue), one `link` per dendrogram
 * (3 segments per inner node), `text` tissue and gene labels.
 *
 * @param median A `medianGeneExpression` result.
 * @param options Trees, transform, sizes, and any Plot option to override.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import { clusterMedians, createClient, medianGeneExpression, plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1"], { client: createClient({ source: "offline" }) });
 * const server = plots.dendroHeatmap(med); // the server's trees
 * assert.ok(server.svg!.includes("Trees: the server"));
 * assert.ok(server.svg!.includes("log10(median TPM + 1)")); // DEFAULT_COLOR_TRANSFORM
 * const mine = plots.dendroHeatmap(med, { clustering: clusterMedians(med, { transform: "log2" }), transform: "log2" });
 * assert.ok(mine.svg!.includes("Trees: reclustered"));
 * assert.ok(mine.svg!.includes("log2(median TPM + 1)"));
 * ```
 */
export function dendroHeatmap(median: MedianGeneExpressionResult, options: DendroHeatmapOptions = {}): PlotFigure {
  if (
    median === null || typeof median !== "object" || !Array.isArray(median.values) || !Array.isArray(median.geneIds)
  ) {
    throw new ValidationError(
      "median",
      median,
      "is not a medianGeneExpression() result (geneIds, tissueIds, values)",
      "pass the answer of medianGeneExpression(genes)",
    );
  }
  const {
    clustering,
    transform = DEFAULT_COLOR_TRANSFORM,
    childOrder = "server",
    cellWidth = 36,
    cellHeight = 18,
    tissueColors,
    ...plot
  } = options;
  checkChoice(transform, "options.transform", COLOR_TRANSFORMS, "dendroHeatmap");
  for (const [name, size] of [["cellWidth", cellWidth], ["cellHeight", cellHeight]] as const) {
    if (!(size > 0)) {
      throw new ValidationError(
        `options.${name}`,
        size,
        "must be a positive number of pixels",
        `pass ${name}: a number > 0`,
      );
    }
  }
  const geneTree = clustering ? clustering.geneTree : median.geneTree;
  const tissueTree = clustering ? clustering.tissueTree : median.tissueTree;
  const geneLayout = geneTree ? dendrogramLayout(geneTree, { childOrder }) : null;
  const tissueLayout = tissueTree ? dendrogramLayout(tissueTree, { childOrder }) : null;
  if (geneLayout) checkLeaves("gene", geneLayout.leaves, median.geneIds, !clustering);
  if (tissueLayout) checkLeaves("tissue", tissueLayout.leaves, median.tissueIds, !clustering);
  const genes = geneLayout?.leaves ?? [...median.geneIds];
  const tissues = tissueLayout?.leaves ?? [...median.tissueIds];
  const gIndex = new Map(median.geneIds.map((g, i) => [g, i]));
  const tIndex = new Map(median.tissueIds.map((t, j) => [t, j]));
  const f = (v: number) => (transform === "log10" ? Math.log10(v + 1) : transform === "log2" ? Math.log2(v + 1) : v);

  // Pixel layout.
  const geneDendro = geneLayout ? 90 : 0;
  const tissueDendro = tissueLayout ? 70 : 0;
  const x0 = 8 + geneDendro + (geneLayout ? 4 : 0);
  const stripTop = 6 + tissueDendro + (tissueLayout ? 2 : 0);
  const y0 = stripTop + 12;
  const x1 = x0 + tissues.length * cellWidth;
  const y1 = y0 + genes.length * cellHeight;
  const geneLabelWidth = Math.max(...genes.map((g) => textWidth(g, 10)));
  const tissueLabelDrop = Math.max(...tissues.map((t) => textWidth(t, 10))) * Math.SQRT1_2 + 14;
  const width = Math.ceil(x1 + 6 + geneLabelWidth + 12);
  const height = Math.ceil(y1 + tissueLabelDrop + 8);

  const cells = genes.flatMap((g, i) =>
    tissues.map((t, j) => {
      const tpm = median.values[gIndex.get(g)!][tIndex.get(t)!];
      return {
        x1: x0 + j * cellWidth,
        x2: x0 + (j + 1) * cellWidth,
        y1: y0 + i * cellHeight,
        y2: y0 + (i + 1) * cellHeight,
        value: Number.isFinite(tpm) ? f(tpm) : NaN,
        title: `${g} in ${t}: median ${formatNumber(tpm)} TPM`,
      };
    })
  );
  const finite = cells.map((c) => c.value).filter(Number.isFinite);
  const hi = finite.length > 0 ? Math.max(...finite) : 1;
  const lo = finite.length > 0 ? Math.min(0, ...finite) : 0;
  const valueLabel = transform === "log10"
    ? "log10(median TPM + 1)"
    : transform === "log2"
    ? "log2(median TPM + 1)"
    : "median TPM";

  const marks: Plot.Markish[] = [
    Plot.rect(cells, {
      x1: "x1",
      x2: "x2",
      y1: "y1",
      y2: "y2",
      fill: "value",
      stroke: "#fff",
      strokeWidth: 0.5,
      title: "title",
    }),
    Plot.rect(tissues, {
      x1: (_t: string, j: number) => x0 + j * cellWidth + 0.5,
      x2: (_t: string, j: number) => x0 + (j + 1) * cellWidth - 0.5,
      y1: stripTop,
      y2: stripTop + 9,
      fill: (t: string) => tissueColor(t, tissueColors),
    }),
    Plot.text(tissues, {
      x: (_t: string, j: number) => x0 + (j + 0.5) * cellWidth,
      y: y1 + 6,
      text: (t: string) => t,
      rotate: -45,
      textAnchor: "end",
      fontSize: 10,
    }),
    Plot.text(genes, {
      x: x1 + 6,
      y: (_g: string, i: number) => y0 + (i + 0.5) * cellHeight,
      text: (g: string) => g,
      textAnchor: "start",
      fontSize: 10,
    }),
  ];
  if (tissueLayout) {
    marks.push(
      dendrogramMark(tissueLayout, { side: "top", leafStart: x0, leafStep: cellWidth, base: stripTop - 1, tip: 6 }),
    );
  }
  if (geneLayout) {
    marks.push(dendrogramMark(geneLayout, { side: "left", leafStart: y0, leafStep: cellHeight, base: x0 - 3, tip: 8 }));
  }
  const base: FigureOverrides = {
    width,
    height,
    margin: 0,
    x: { type: "identity", axis: null },
    y: { type: "identity", axis: null },
    color: { type: "linear", scheme: "ylgnbu", domain: [lo, hi], unknown: "#ddd" },
    marks,
  };
  const merged = mergePlotOptions(base, plot);
  const missing = geneLayout && tissueLayout
    ? ""
    : ` (${
      [!geneLayout ? "gene" : "", !tissueLayout ? "tissue" : ""].filter(Boolean).join(" and ")
    } tree: not enough data)`;
  return new PlotFigure(merged, {
    title: `Median expression of ${genes.length} gene${genes.length === 1 ? "" : "s"} in ${tissues.length} tissue` +
      `${tissues.length === 1 ? "" : "s"}`,
    subtitle: (clustering
      ? "Trees: reclustered"
      : "Trees: the server's (Euclidean distance, average linkage, optimal leaf order)") +
      missing,
    legends: [rampLegend(merged.color!, valueLabel)],
  });
}
