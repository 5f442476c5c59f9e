/**
 * The dendro-heatmap of the RatGTEx portal: median expression of genes × tissues with the gene and
 * tissue dendrograms, from the server's trees or from a reclustering.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { type ClusterMediansResult, transformMatrix } from "../analysis/clustering/cluster_medians.ts";
import type { MedianGeneExpressionResult } from "../analysis/route_results.ts";
import { ResponseFormatError, ValidationError } from "../_core/errors.ts";
import { checkChoice, figureOptions } from "./_check.ts";
import { dendrogramLayout, dendrogramMark } from "./dendrogram.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { formatNumber } from "../_core/format.ts";
import { textWidth } from "./_text.ts";
import { rampLegend } from "./legend.ts";
import { tissueColor, type TissueColors } from "../_core/tissues.ts";
import { COLOR_TRANSFORMS, type ColorTransform, DEFAULT_COLOR_TRANSFORM } from "./color_transforms.ts";

export { COLOR_TRANSFORMS, type ColorTransform, DEFAULT_COLOR_TRANSFORM } from "./color_transforms.ts";

/** A gene → group map for the annotation band: a record or Map, or `cutTree`'s array (leaf `i` = `median.geneIds[i]`). */
export type GeneGroups =
  | Readonly<Record<string, string | number>>
  | ReadonlyMap<string, string | number>
  | ArrayLike<number>;

/**
 * The colours a clustering implies: what its trees were built on. Correlation distance compares profile
 * shapes, i.e. z-scores, so it gets z-scores of its transform; `"zscore"` trees get z-scores; `"log2"`
 * trees get log2; trees on raw TPM (`"none"`, as the server's) get {@link DEFAULT_COLOR_TRANSFORM}, since raw
 * TPM colours show only the top genes (the legend then names both).
 *
 * @param clustering A `clusterMedians` result (its `transform` and `metric`), or nothing for the server's trees.
 * @returns The colour transform.
 *
 * @example
 * ```ts
 * import { colorTransformFor } from "ratgtex/plot";
 * import assert from "node:assert/strict";
 * assert.equal(colorTransformFor({ transform: "zscore", metric: "euclidean" }), "zscore");
 * assert.equal(colorTransformFor({ transform: "log2", metric: "correlation" }), "zscore-log2");
 * assert.equal(colorTransformFor(undefined), "log10");
 * ```
 */
export function colorTransformFor(
  clustering: Partial<Pick<ClusterMediansResult, "transform" | "metric">> | undefined,
): ColorTransform {
  const t = clustering?.transform ?? "none";
  if (clustering?.metric === "correlation") return t === "log2" ? "zscore-log2" : "zscore";
  return t === "zscore" ? "zscore" : t === "log2" ? "log2" : DEFAULT_COLOR_TRANSFORM;
}

const COLOR_LABELS: Record<ColorTransform, string> = {
  log10: "log10(median TPM + 1)",
  log2: "log2(median TPM + 1)",
  none: "median TPM",
  zscore: "z-score of median TPM per gene",
  "zscore-log2": "z-score of log2(median TPM + 1) per gene",
};

const TREE_TRANSFORMS: Record<string, string> = {
  none: "median TPM",
  log2: "log2(median TPM + 1)",
  zscore: "z-scores per gene",
};

/** Options of {@link dendroHeatmap}; any Plot option overrides the defaults (e.g. `color: { scheme: "viridis" }`). */
export interface DendroHeatmapOptions extends FigureOverrides {
  /** Trees to draw: the server's (default, from `median`) or a `clusterMedians` result. */
  clustering?: Pick<ClusterMediansResult, "geneTree" | "tissueTree"> & Partial<ClusterMediansResult>;
  /**
   * Colour scale ({@link ColorTransform}). Default: what the trees were built on ({@link colorTransformFor}:
   * `"zscore"` after `clusterMedians(med, { transform: "zscore" })`, `"log2"` after log2, z-scores after a
   * correlation metric, `"log10"` for the server's trees). Another choice is named in the legend beside
   * what the trees used.
   */
  transform?: ColorTransform;
  /** Group annotation drawn as a band beside the rows (e.g. `cutTree(clustering.geneLinkage, { k: 4 })`). */
  groups?: GeneGroups;
  /** Legend heading of the group band (default `"Group"`). */
  groupLabel?: string;
  /** How the trees were written (default `"server"`: right child first); see `dendrogramLayout`. */
  childOrder?: "server" | "as-written";
  /** Cell width in pixels (default 36). */
  cellWidth?: number;
  /** Cell height in pixels (default 18). */
  cellHeight?: number;
  /** Colour overrides for the tissue strip (default: the official colours). */
  tissueColors?: TissueColors;
}

/** Category colours of the group band (Observable's 10). */
const GROUP_COLORS = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
];

function groupOf(groups: GeneGroups, geneIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (groups instanceof Map) {
    for (const [g, v] of groups) out.set(g, String(v));
  } else if (typeof (groups as ArrayLike<number>).length === "number") {
    const list = groups as ArrayLike<number>;
    if (list.length !== geneIds.length) {
      throw new ValidationError(
        "options.groups",
        list.length,
        `a group array needs one entry per gene of median (${geneIds.length}), in median.geneIds order`,
        "pass cutTree(clusterMedians(median).geneLinkage, { k }) or a { geneId: group } record",
      );
    }
    geneIds.forEach((g, i) => out.set(g, String(list[i])));
  } else {
    for (const [g, v] of Object.entries(groups)) out.set(g, String(v));
  }
  return out;
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
 * Colours follow what was clustered unless `transform` says otherwise (see {@link colorTransformFor}):
 * z-scores on a diverging scheme centred at 0, TPM scales on a sequential one; the legend names the colour
 * and, when it differs, what the trees were built on. `groups` (e.g. from `cutTree`) adds a band of group
 * colours between the cells and the gene labels, with its own legend.
 *
 * Marks: `rect` cells (genes × tissues), `rect` group band (one per gene, with `groups`), `rect` tissue
 * strip (one per tissue), one `link` per dendrogram (3 segments per inner node), `text` tissue and gene labels.
 *
 * @param median A `medianGeneExpression` result.
 * @param options Trees, transform, sizes, and any Plot option to override.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import { createClient, medianGeneExpression, plots } from "ratgtex";
 * import { clusterMedians } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1"], { client: createClient({ source: "offline" }) });
 * const server = plots.dendroHeatmap(med); // the server's trees
 * assert.ok(server.svg!.includes("Trees: the server"));
 * assert.ok(server.svg!.includes("log10(median TPM + 1)")); // DEFAULT_COLOR_TRANSFORM
 * const mine = plots.dendroHeatmap(med, { clustering: clusterMedians(med, { transform: "log2" }), transform: "log2" });
 * assert.ok(mine.svg!.includes("Trees: reclustered"));
 * assert.ok(mine.svg!.includes("Colour: log2(median TPM + 1)"));
 * const z = clusterMedians(med, { transform: "zscore" }); // colours follow the trees: z-scores, diverging
 * assert.ok(plots.dendroHeatmap(med, { clustering: z }).svg!.includes("Colour: z-score of median TPM per gene"));
 * ```
 */
export function dendroHeatmap(median: MedianGeneExpressionResult, options: DendroHeatmapOptions = {}): PlotFigure {
  figureOptions<DendroHeatmapOptions>("dendroHeatmap", options, {
    clustering: "object",
    transform: "string",
    groups: "object",
    groupLabel: "string",
    childOrder: "string",
    cellWidth: "number",
    cellHeight: "number",
    tissueColors: "object",
  });
  checkMedian(median);
  const {
    clustering,
    transform = colorTransformFor(clustering),
    groups,
    groupLabel = "Group",
    childOrder = "server",
    cellWidth = 36,
    cellHeight = 18,
    tissueColors,
    ...plot
  } = options;
  checkChoice(transform, "options.transform", COLOR_TRANSFORMS, "dendroHeatmap");
  checkCellSizes(cellWidth, cellHeight);
  const geneTree = clustering ? clustering.geneTree : median.geneTree;
  const tissueTree = clustering ? clustering.tissueTree : median.tissueTree;
  const geneLayout = geneTree ? dendrogramLayout(geneTree, { childOrder }) : null;
  const tissueLayout = tissueTree ? dendrogramLayout(tissueTree, { childOrder }) : null;
  if (geneLayout) checkLeaves("gene", geneLayout.leaves, median.geneIds, !clustering);
  if (tissueLayout) checkLeaves("tissue", tissueLayout.leaves, median.tissueIds, !clustering);
  const genes = geneLayout?.leaves ?? [...median.geneIds];
  const tissues = tissueLayout?.leaves ?? [...median.tissueIds];
  const groupMap = groups === undefined ? null : groupOf(groups, median.geneIds);
  const groupNames = groupMap
    ? [...new Set(genes.map((g) => groupMap.get(g) ?? "none"))].sort((a, b) =>
      a.localeCompare(b, "en", { numeric: true })
    )
    : [];
  const box = heatmapBox(genes, tissues, {
    geneLayout,
    tissueLayout,
    groups: groupMap !== null,
    cellWidth,
    cellHeight,
  });
  const cells = heatmapCells(median, genes, tissues, colorMatrix(median, transform), box);
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
    ...(groupMap ? [groupStripMark(genes, groupMap, groupNames, groupLabel, box)] : []),
    ...tissueStripMarks(tissues, tissueColors, box),
    geneLabelMark(genes, box),
    ...(tissueLayout
      ? [
        dendrogramMark(tissueLayout, {
          side: "top",
          leafStart: box.x0,
          leafStep: cellWidth,
          base: box.stripTop - 1,
          tip: 6,
        }),
      ]
      : []),
    ...(geneLayout
      ? [
        dendrogramMark(geneLayout, { side: "left", leafStart: box.y0, leafStep: cellHeight, base: box.x0 - 3, tip: 8 }),
      ]
      : []),
  ];
  const merged = mergePlotOptions({
    width: box.width,
    height: box.height,
    margin: 0,
    x: { type: "identity", axis: null },
    y: { type: "identity", axis: null },
    color: heatmapColor(cells.map((c) => c.value), transform),
    marks,
  }, plot);
  return new PlotFigure(merged, {
    title: `Median expression of ${genes.length} gene${genes.length === 1 ? "" : "s"} in ${tissues.length} tissue` +
      `${tissues.length === 1 ? "" : "s"}`,
    subtitle: treesSubtitle(clustering, geneLayout !== null, tissueLayout !== null),
    legends: [
      rampLegend(merged.color!, colorLegendLabel(clustering, transform)),
      ...(groupMap
        ? [{
          type: "swatches" as const,
          label: groupLabel,
          domain: groupNames,
          range: groupNames.map((_, i) => GROUP_COLORS[i % GROUP_COLORS.length]),
        }]
        : []),
    ],
  });
}

function checkMedian(median: MedianGeneExpressionResult): void {
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
}

function checkCellSizes(cellWidth: number, cellHeight: number): void {
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
}

/** The heatmap's pixel layout: where the cells, strips, dendrograms and labels go. */
interface HeatmapBox {
  /** Left edge of the cells, top of the tissue strip, top of the cells. */
  x0: number;
  stripTop: number;
  y0: number;
  /** Right edge of the cells, left edge of the gene labels, bottom of the cells. */
  xCells: number;
  x1: number;
  y1: number;
  cellWidth: number;
  cellHeight: number;
  width: number;
  height: number;
}

function heatmapBox(
  genes: string[],
  tissues: string[],
  o: { geneLayout: unknown; tissueLayout: unknown; groups: boolean; cellWidth: number; cellHeight: number },
): HeatmapBox {
  const geneDendro = o.geneLayout ? 90 : 0;
  const tissueDendro = o.tissueLayout ? 70 : 0;
  const x0 = 8 + geneDendro + (o.geneLayout ? 4 : 0);
  const stripTop = 6 + tissueDendro + (o.tissueLayout ? 2 : 0);
  const y0 = stripTop + 12;
  const xCells = x0 + tissues.length * o.cellWidth;
  const x1 = xCells + (o.groups ? 10 : 0);
  const y1 = y0 + genes.length * o.cellHeight;
  const geneLabelWidth = Math.max(...genes.map((g) => textWidth(g, 10)));
  const tissueLabelDrop = Math.max(...tissues.map((t) => textWidth(t, 10))) * Math.SQRT1_2 + 14;
  return {
    x0,
    stripTop,
    y0,
    xCells,
    x1,
    y1,
    cellWidth: o.cellWidth,
    cellHeight: o.cellHeight,
    width: Math.ceil(x1 + 6 + geneLabelWidth + 12),
    height: Math.ceil(y1 + tissueLabelDrop + 8),
  };
}

/** One cell per gene × tissue, in leaf order, with its coloured value and a hover title in TPM. */
function heatmapCells(
  median: MedianGeneExpressionResult,
  genes: string[],
  tissues: string[],
  colorValues: number[][],
  box: HeatmapBox,
): { x1: number; x2: number; y1: number; y2: number; value: number; title: string }[] {
  const gIndex = new Map(median.geneIds.map((g, i) => [g, i]));
  const tIndex = new Map(median.tissueIds.map((t, j) => [t, j]));
  return genes.flatMap((g, i) =>
    tissues.map((t, j) => {
      const tpm = median.values[gIndex.get(g)!][tIndex.get(t)!];
      const v = colorValues[gIndex.get(g)!][tIndex.get(t)!];
      return {
        x1: box.x0 + j * box.cellWidth,
        x2: box.x0 + (j + 1) * box.cellWidth,
        y1: box.y0 + i * box.cellHeight,
        y2: box.y0 + (i + 1) * box.cellHeight,
        value: Number.isFinite(v) ? v : NaN,
        title: `${g} in ${t}: median ${formatNumber(tpm)} TPM`,
      };
    })
  );
}

/** The colour scale: diverging and symmetric for z-scores, sequential from 0 otherwise; grey for missing. */
function heatmapColor(values: number[], transform: ColorTransform): FigureOverrides["color"] {
  const finite = values.filter(Number.isFinite);
  if (transform === "zscore" || transform === "zscore-log2") {
    const reach = Math.max(1e-9, ...finite.map(Math.abs));
    return { type: "linear", scheme: "rdbu", reverse: true, domain: [-reach, reach], unknown: "#ddd" };
  }
  const hi = finite.length > 0 ? Math.max(...finite) : 1;
  const lo = finite.length > 0 ? Math.min(0, ...finite) : 0;
  return { type: "linear", scheme: "ylgnbu", domain: [lo, hi], unknown: "#ddd" };
}

function groupStripMark(
  genes: string[],
  groupMap: Map<string, string>,
  groupNames: string[],
  groupLabel: string,
  box: HeatmapBox,
): Plot.Markish {
  return Plot.rect(genes, {
    x1: box.xCells + 3,
    x2: box.xCells + 9,
    y1: (_g: string, i: number) => box.y0 + i * box.cellHeight,
    y2: (_g: string, i: number) => box.y0 + (i + 1) * box.cellHeight,
    fill: (g: string) => GROUP_COLORS[groupNames.indexOf(groupMap.get(g) ?? "none") % GROUP_COLORS.length],
    title: (g: string) => `${g}: ${groupLabel} ${groupMap.get(g) ?? "none"}`,
  });
}

/** The strip of official tissue colours above the cells, and the tissue labels below them. */
function tissueStripMarks(tissues: string[], tissueColors: TissueColors | undefined, box: HeatmapBox): Plot.Markish[] {
  return [
    Plot.rect(tissues, {
      x1: (_t: string, j: number) => box.x0 + j * box.cellWidth + 0.5,
      x2: (_t: string, j: number) => box.x0 + (j + 1) * box.cellWidth - 0.5,
      y1: box.stripTop,
      y2: box.stripTop + 9,
      fill: (t: string) => tissueColor(t, tissueColors),
    }),
    Plot.text(tissues, {
      x: (_t: string, j: number) => box.x0 + (j + 0.5) * box.cellWidth,
      y: box.y1 + 6,
      text: (t: string) => t,
      rotate: -45,
      textAnchor: "end",
      fontSize: 10,
    }),
  ];
}

function geneLabelMark(genes: string[], box: HeatmapBox): Plot.Markish {
  return Plot.text(genes, {
    x: box.x1 + 6,
    y: (_g: string, i: number) => box.y0 + (i + 0.5) * box.cellHeight,
    text: (g: string) => g,
    textAnchor: "start",
    fontSize: 10,
  });
}

/** How the trees were made: the server's, or reclustered (transform, distance, linkage). */
function treeBasis(clustering: DendroHeatmapOptions["clustering"]): string {
  return clustering
    ? `${TREE_TRANSFORMS[clustering.transform ?? "none"] ?? clustering.transform}` +
      (clustering.metric ? `, ${clustering.metric} distance` : "") +
      (clustering.method ? `, ${clustering.method} linkage` : "")
    : "median TPM, Euclidean distance, average linkage";
}

function colorLegendLabel(clustering: DendroHeatmapOptions["clustering"], transform: ColorTransform): string {
  const matches = transform === colorTransformFor(clustering);
  return `Colour: ${COLOR_LABELS[transform]}` + (matches ? "" : ` (trees on ${treeBasis(clustering).split(",")[0]})`);
}

function treesSubtitle(clustering: DendroHeatmapOptions["clustering"], geneTree: boolean, tissueTree: boolean): string {
  const missing = geneTree && tissueTree
    ? ""
    : ` (${
      [!geneTree ? "gene" : "", !tissueTree ? "tissue" : ""].filter(Boolean).join(" and ")
    } tree: not enough data)`;
  return (clustering
    ? `Trees: reclustered (${treeBasis(clustering)}, optimal leaf order)`
    : "Trees: the server's (median TPM, Euclidean distance, average linkage, optimal leaf order)") + missing;
}

/** The coloured values, genes × tissues in `median`'s order (NaN where a median is missing). */
function colorMatrix(median: MedianGeneExpressionResult, transform: ColorTransform): number[][] {
  const values = median.values;
  if (transform === "log10") return values.map((row) => row.map((v) => Math.log10(v + 1)));
  if (transform === "log2") return values.map((row) => row.map((v) => Math.log2(v + 1)));
  if (transform === "none") return values.map((row) => [...row]);
  // z-scores as clusterMedians computes them (a gene with a missing median keeps NaN: no colour).
  return values.map((row) =>
    row.every(Number.isFinite)
      ? transformMatrix([transform === "zscore-log2" ? row.map((v) => Math.log2(v + 1)) : row], "zscore")[0]
      : row.map(() => NaN)
  );
}
