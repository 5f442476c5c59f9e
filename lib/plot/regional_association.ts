/**
 * A regional association figure, LocusZoom's conventions: stacked panels sharing the x axis (position in Mb)
 * — the GWAS, one panel per gene × tissue (× modality) with every tested variant, optional fine-mapping PIP
 * panels — points coloured by r² with the reference variant, the reference a purple diamond, each panel's
 * significance threshold dashed, independent xQTLs ringed, and every gene of the window on a track below.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { ValidationError } from "../_core/errors.ts";
import { formatNumber } from "../_core/format.ts";
import { checkFigureOptions } from "./_options.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { geneTrackMarks } from "./gene_track.ts";
import type { LegendSpec } from "./legend.ts";
import { LD_BINS, LD_UNKNOWN_COLOR } from "./ld_bins.ts";
import {
  type PipPanelLayout,
  type RegionalAssociationData,
  type RegionalAssociationLayout,
  regionalAssociationLayout,
  type RegionalLayoutOptions,
} from "./regional_layout.ts";
import { associationMarks, panelAxisMarks, pipMarks, type PointMarkOptions, thresholdMarks } from "./regional_marks.ts";

/** Options of {@link regionalAssociation}: the layout's, and any Plot option to override (not `height`). */
export interface RegionalAssociationOptions extends RegionalLayoutOptions, FigureOverrides {
  /**
   * A tooltip on every point (variant, p, r²; shown by browsers and notebooks on hover). Default: on up to
   * 5,000 points in all, off above (they double the SVG: 70,000 points make 8 MB with them, 4 MB without).
   */
  tooltips?: boolean;
}

/** Above this many points in all, a figure leaves tooltips out unless asked. */
const TOOLTIP_LIMIT = 5000;

const OWN_OPTIONS = [
  "tooltips",
  "gwasThreshold",
  "gwasLabel",
  "panelHeight",
  "pipHeight",
  "geneFontSize",
];

/**
 * A regional association figure (LocusZoom's conventions) from plain frames, so it does not depend on how
 * they were made:
 *
 * - `gwas` (optional): the GWAS, `variantId`, `pValue` (optional `pos`, `chromosome`) — what `readGwas`
 *   returns; its panel comes first, with the genome-wide threshold (`options.gwasThreshold`, default 5e-8).
 * - `panels`: one per gene × tissue (× modality), `{ label | geneId + tissueSiteDetailId (+ modality), frame,
 *   threshold?, independent?, ld? }` with `frame` = every tested variant of the gene's cis window
 *   (`variantId`, `pValue`, optional `pos`): a release's `cis_pvals` member or the pipeline-exact statistics;
 *   `threshold` = the gene's `pValueThreshold`; `independent` = its conditionally independent variants.
 * - `ld`: r² of every variant with `reference` (`variantId`, `r2`, as the LD workflow returns it), or a map.
 * - `reference`: the variant the LD is with (a purple diamond in every panel that has it).
 * - `genes` (required) and `exons`: the gene table (`geneId`, `start`, `end`, `strand`, optional
 *   `chromosome`) and the `exon` frame, for the track of every gene in the window.
 * - `pip`: fine-mapping panels (`variantId`, `pip`, `credibleSet`; see `pipTrack`).
 * - `region`: `{ chromosome, start, end }` (default: the variants' span).
 *
 * Rows without a p-value, variants outside the region and independent variants not among a panel's are
 * said in the notes, never dropped silently; p = 0 is drawn at the panel's top as a triangle and counted.
 *
 * Marks, per panel: `panelAxisMarks` (frame, grids, y axis, title), then `thresholdMarks` and
 * `associationMarks` (or `pipMarks`); then the gene track's title and `geneTrackMarks`. The y scale is the
 * identity (pixels): use {@link regionalAssociationLayout} to place your own marks (`panel.y(value)`).
 *
 * @param data The frames (see above).
 * @param options GWAS threshold and title, panel heights, gene font size, and Plot options (`width`,
 *   `marginLeft`, `x`, `marks`, `title`…; the height follows the panels).
 * @returns The figure.
 * @throws {ValidationError} Naming the field and the fix (unknown keys get a did-you-mean).
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const ids = ["chr1:1000000", "chr1:1050000", "chr1:1100000", "chr1:1200000"];
 * const fig = plots.regionalAssociation({
 *   gwas: pl.DataFrame({ variantId: ids, pValue: [2e-9, 1e-7, 1e-3, 0.4] }),
 *   panels: [{
 *     geneId: "Aa1",
 *     tissueSiteDetailId: "IL",
 *     frame: pl.DataFrame({ variantId: ids, pValue: [1e-6, 1e-5, 0.01, 0.5] }),
 *     threshold: 1e-4,
 *     independent: ["chr1:1000000"],
 *   }],
 *   ld: pl.DataFrame({ variantId: ids, r2: [1, 0.85, 0.3, null] }),
 *   reference: "chr1:1000000",
 *   genes: pl.DataFrame({ geneId: ["Aa1"], start: [1_020_000], end: [1_080_000], strand: ["-"] }),
 * });
 * assert.ok(fig.svg.includes(">Aa1 in IL (expression)<"));
 * assert.ok(fig.svg.includes(">← Aa1<"));
 * assert.ok(fig.svg.includes(">p = 5e-8<") && fig.svg.includes(">p = 1e-4<")); // both thresholds
 * assert.ok(fig.svg.includes("Position on chr1 (Mb)"));
 * ```
 */
export function regionalAssociation(
  data: RegionalAssociationData,
  options: RegionalAssociationOptions = {},
): PlotFigure {
  const o = checkFigureOptions<RegionalAssociationOptions>(options, OWN_OPTIONS, "regionalAssociation");
  if (data !== null && typeof data === "object" && data.genes === undefined) {
    throw new ValidationError(
      "data.genes",
      undefined,
      "the gene track needs the gene table (every gene of the window is drawn)",
      "pass genes: the release's gene table (release.genes()) or the gene route's frame; exons optional",
    );
  }
  const { tooltips, gwasThreshold, gwasLabel, panelHeight, pipHeight, geneFontSize, ...plot } = o;
  const layout = regionalAssociationLayout(data, {
    gwasThreshold,
    gwasLabel,
    panelHeight,
    pipHeight,
    geneFontSize,
    ...(plot.width !== undefined ? { width: plot.width } : {}),
    ...(plot.marginLeft !== undefined ? { marginLeft: plot.marginLeft } : {}),
    ...(plot.marginRight !== undefined ? { marginRight: plot.marginRight } : {}),
  });
  return regionalFigure(
    layout,
    plot,
    `Regional association around ${layout.reference?.variantId ?? regionText(layout)}`,
    tooltips,
  );
}

/**
 * Draw a regional layout: every panel's marks and the gene track, on an x axis in Mb and an identity y
 * scale, with the subtitle, legends and notes the layout calls for (shared by `pipTrack`).
 */
export function regionalFigure(
  layout: RegionalAssociationLayout,
  plot: FigureOverrides,
  title: string,
  tooltips?: boolean,
): PlotFigure {
  if (tooltips !== undefined && typeof tooltips !== "boolean") {
    throw new ValidationError("options.tooltips", tooltips, "must be true or false", "pass tooltips: false");
  }
  const points = layout.panels.reduce((n, p) => n + p.points.length, 0);
  if (plot.height !== undefined) {
    throw new ValidationError(
      "options.height",
      plot.height,
      "the figure's height follows its panels",
      "set panelHeight (px per panel) or pipHeight instead",
    );
  }
  const marks = regionalMarks(layout, { tooltips: tooltips ?? points <= TOOLTIP_LIMIT });
  return new PlotFigure(mergePlotOptions(regionalFrame(layout, marks), plot), {
    title,
    subtitle: subtitleOf(layout),
    legends: legendsOf(layout),
    notes: layout.notes,
  });
}

/** Every panel's marks, then the gene track's. */
function regionalMarks(layout: RegionalAssociationLayout, options: PointMarkOptions): Plot.Markish[] {
  const marks: Plot.Markish[] = [];
  for (const panel of layout.panels) {
    marks.push(...panelAxisMarks(panel, layout));
    if (panel.kind === "association") {
      marks.push(...thresholdMarks(panel, layout), ...associationMarks(panel, options));
    } else marks.push(...pipMarks(panel, options));
  }
  if (layout.genes) marks.push(...geneTrackTitle(layout), ...geneTrackMarks(layout.genes.layout, layout.genes));
  return marks;
}

function geneTrackTitle(layout: RegionalAssociationLayout): Plot.Markish[] {
  const g = layout.genes!;
  const n = g.layout.genes.length;
  const [lo, hi] = layout.xDomain;
  const marks: Plot.Markish[] = [
    Plot.text([n === 0 ? "Genes" : `Genes (${n})`], {
      x: lo,
      y: g.top - 7,
      text: (t: string) => t,
      textAnchor: "start",
      fontSize: 11,
      fontWeight: "bold",
      fill: "#222",
    }),
  ];
  if (n === 0) {
    marks.push(
      Plot.text(["No gene in the window"], {
        x: (lo + hi) / 2,
        y: g.y,
        text: (t: string) => t,
        fontSize: 10,
        fill: "#666",
      }),
    );
  }
  return marks;
}

function regionalFrame(layout: RegionalAssociationLayout, marks: Plot.Markish[]): FigureOverrides {
  return {
    width: layout.width,
    height: layout.height,
    marginTop: 0,
    marginLeft: layout.marginLeft,
    marginRight: layout.marginRight,
    marginBottom: layout.marginBottom,
    x: {
      domain: layout.xDomain,
      ticks: layout.xTicks,
      tickFormat: (t: number) => formatNumber(t, 6),
      label: `Position on ${layout.region.chromosome || "the chromosome"} (Mb)`,
      labelAnchor: "center",
      labelArrow: "none",
      nice: false,
    },
    y: { type: "identity", axis: null },
    marks,
  };
}

function regionText(layout: RegionalAssociationLayout): string {
  const { chromosome, start, end } = layout.region;
  return `${chromosome}:${(start / 1e6).toFixed(3)}–${(end / 1e6).toFixed(3)} Mb`;
}

function subtitleOf(layout: RegionalAssociationLayout): string[] {
  const lines = [`${regionText(layout)} (${formatNumber((layout.region.end - layout.region.start) / 1e6, 3)} Mb)`];
  if (layout.panels.some((p) => p.kind === "association")) {
    lines.push(
      `Every tested variant, coloured by r² with the reference variant ${layout.reference!.variantId} ` +
        "(purple diamond); ringed: conditionally independent xQTLs; dashed: each panel's significance threshold.",
    );
  }
  if (layout.panels.some((p) => p.kind === "pip")) {
    lines.push("PIP: posterior inclusion probability; coloured: variants of a credible set, one colour per set.");
  }
  return lines;
}

function legendsOf(layout: RegionalAssociationLayout): LegendSpec[] {
  const legends: LegendSpec[] = [];
  if (layout.panels.some((p) => p.kind === "association")) {
    const bins = [...LD_BINS].reverse();
    legends.push({
      type: "swatches",
      label: "LD (r²)",
      domain: [...bins.map((b) => b.label), "unknown"],
      range: [...bins.map((b) => b.color), LD_UNKNOWN_COLOR],
      shape: "circle",
    });
  }
  const pips = layout.panels.filter((p): p is PipPanelLayout => p.kind === "pip");
  const widest = pips.reduce<PipPanelLayout | null>(
    (a, p) => (a === null || p.sets.length > a.sets.length ? p : a),
    null,
  );
  if (widest && widest.sets.length > 0) {
    legends.push({
      type: "swatches",
      label: "Credible set",
      domain: widest.sets.map((s) => s.label),
      range: widest.sets.map((s) => s.color),
      shape: "circle",
    });
  }
  return legends;
}
