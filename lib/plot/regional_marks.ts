/**
 * The marks of a regional figure's panels, each one idea: a panel's frame and y axis, its association
 * points coloured by LD, its significance threshold, its PIPs coloured by credible set. They draw what
 * `regionalAssociationLayout` placed: x in Mb, y in pixels (the figure's y scale is the identity).
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { formatNumber, formatPValue } from "../_core/format.ts";
import { LD_BINS, LD_UNKNOWN_COLOR, REFERENCE_VARIANT_COLOR } from "./ld_bins.ts";
import {
  type AssociationPanelLayout,
  type AssociationPoint,
  NO_SET_COLOR,
  type PanelBand,
  type PipPanelLayout,
  type PipPoint,
  type RegionalAssociationLayout,
} from "./regional_layout.ts";

/** Options of the point marks ({@link associationMarks}, {@link pipMarks}). */
export interface PointMarkOptions {
  /**
   * A tooltip (`<title>`: variant, p or PIP, r², set) on every point (default true). Tooltips double the
   * size of the SVG: leave them out for tens of thousands of points.
   */
  tooltips?: boolean;
}

/** What the panel marks need of the whole layout: the x domain and ticks (Mb) and the left margin (px). */
export type PanelFrame = Pick<RegionalAssociationLayout, "xDomain" | "xTicks" | "marginLeft">;

/**
 * A panel's frame and y axis: its title (bold) and what it holds (grey) above the band, a border, light grid
 * lines at the x and y ticks, y tick labels and the y axis label (with its unit) on the left.
 *
 * Marks: `rect` border, `ruleX` x grid, `ruleY` y grid, `text` y tick labels, `text` y label, `text` title,
 * `text` detail.
 *
 * @param panel A panel of {@link regionalAssociationLayout}.
 * @param frame The layout (x domain, x ticks, left margin).
 * @returns Plot marks.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const layout = plots.regionalAssociationLayout({
 *   gwas: pl.DataFrame({ variantId: ["chr1:1000000", "chr1:1200000"], pValue: [1e-9, 0.3] }),
 *   reference: "chr1:1000000",
 * });
 * const marks = plots.panelAxisMarks(layout.panels[0], layout);
 * assert.equal(marks.length, 7);
 * ```
 */
export function panelAxisMarks(panel: PanelBand, frame: PanelFrame): Plot.Markish[] {
  const [lo, hi] = frame.xDomain;
  const bottom = panel.top + panel.height;
  return [
    Plot.rect([panel], { x1: lo, x2: hi, y1: panel.top, y2: bottom, fill: "none", stroke: "#999" }),
    Plot.ruleX(frame.xTicks.filter((t) => t > lo && t < hi), { y1: panel.top, y2: bottom, stroke: "#eee" }),
    Plot.ruleY(panel.ticks.filter((t) => t > panel.domain[0]), {
      y: (t: number) => panel.y(t),
      x1: lo,
      x2: hi,
      stroke: "#eee",
    }),
    Plot.text(panel.ticks, {
      x: lo,
      y: (t: number) => panel.y(t),
      text: (t: number) => formatNumber(t),
      dx: -5,
      textAnchor: "end",
      fill: "#333",
    }),
    Plot.text([panel.yLabel], {
      x: lo,
      y: panel.top + panel.height / 2,
      text: (t: string) => t,
      rotate: -90,
      dx: -(frame.marginLeft - 16),
      textAnchor: "middle",
      fontSize: 11,
      fill: "#333",
    }),
    Plot.text([panel.label], {
      x: lo,
      y: panel.top - 7,
      text: (t: string) => t,
      textAnchor: "start",
      fontSize: 11,
      fontWeight: "bold",
      fill: "#222",
    }),
    Plot.text([panel.detail], {
      x: hi,
      y: panel.top - 7,
      text: (t: string) => t,
      textAnchor: "end",
      fontSize: 10,
      fill: "#666",
    }),
  ];
}

/**
 * An association panel's points, LocusZoom's way: a dot per variant at −log10 p filled by its r² bin (grey
 * when r² is unknown), a triangle at the top for p = 0, a ring around each conditionally independent xQTL,
 * the reference variant as a purple diamond drawn last.
 *
 * Marks: `dot` variants (circles, one per variant but the reference and capped ones), `dot` capped variants
 * (triangles), `dot` reference (one diamond when the reference is in the panel), `dot` rings (independent
 * variants but the reference), `dot` ring around the reference when it is independent (drawn last, so it
 * shows around the diamond).
 *
 * @param panel An association panel of {@link regionalAssociationLayout}.
 * @param options Tooltips on the points (default true).
 * @returns Plot marks (x in Mb, y in pixels).
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const layout = plots.regionalAssociationLayout({
 *   panels: [{
 *     label: "Aa1 in IL (expression)",
 *     frame: pl.DataFrame({ variantId: ["chr1:1000000", "chr1:1100000", "chr1:1200000"], pValue: [1e-9, 1e-4, 0.3] }),
 *     independent: ["chr1:1100000"],
 *   }],
 *   ld: new Map([["chr1:1100000", 0.9], ["chr1:1200000", 0.1]]),
 *   reference: "chr1:1000000",
 * });
 * const fig = plots.renderFigure({
 *   width: layout.width, height: layout.height, marginLeft: layout.marginLeft, marginRight: layout.marginRight,
 *   x: { domain: layout.xDomain }, y: { type: "identity", axis: null },
 *   marks: plots.associationMarks(layout.panels[0] as plots.AssociationPanelLayout),
 * });
 * assert.equal(fig.svg.match(/<circle[^>]*fill="#d43f3a"/g)!.length, 1); // r² 0.9: red
 * assert.equal(fig.svg.match(/<circle[^>]*fill="#357ebd"/g)!.length, 1); // r² 0.1: dark blue
 * assert.ok(fig.svg.includes(`fill="${plots.REFERENCE_VARIANT_COLOR}"`)); // the diamond
 * ```
 */
export function associationMarks(panel: AssociationPanelLayout, options: PointMarkOptions = {}): Plot.Markish[] {
  const n = panel.points.length;
  const r = n > 2000 ? 2 : n > 500 ? 2.6 : 3.5;
  const x = (p: AssociationPoint) => p.pos / 1e6;
  const y = (p: AssociationPoint) => panel.y(p.logP);
  const fill = (p: AssociationPoint) => (p.bin < 0 ? LD_UNKNOWN_COLOR : LD_BINS[p.bin].color);
  const title = options.tooltips === false
    ? undefined
    : (p: AssociationPoint) =>
      `${p.variantId}: p = ${formatPValue(p.pValue)}, r² = ${p.r2 === null ? "unknown" : formatNumber(p.r2, 3)}` +
      `${p.reference ? " (reference)" : ""}${p.independent ? ", independent xQTL" : ""}`;
  const others = panel.points.filter((p) => !p.reference);
  const common = { x, y, fill, stroke: "#333", strokeWidth: 0.4, title };
  const ring = { x, y, fill: "none", stroke: "#111", strokeWidth: 1.4, title };
  return [
    Plot.dot(others.filter((p) => !p.capped), { ...common, r }),
    Plot.dot(others.filter((p) => p.capped), { ...common, r: r + 1.5, symbol: "triangle" }),
    Plot.dot(panel.points.filter((p) => p.reference), {
      x,
      y,
      r: 7,
      symbol: "diamond",
      fill: REFERENCE_VARIANT_COLOR,
      stroke: "#222",
      strokeWidth: 0.8,
      title,
    }),
    // Constant radii (a radius channel would bring an r scale): the ring around the diamond is wider.
    Plot.dot(panel.points.filter((p) => p.independent && !p.reference), { ...ring, r: r + 4 }),
    Plot.dot(panel.points.filter((p) => p.independent && p.reference), { ...ring, r: 12.5 }),
  ];
}

/**
 * A panel's significance threshold: a dashed line at −log10 of the threshold and its value at the right
 * end (`p = 5e-8`, on a white halo; above the line, or under it near the panel's top). Nothing without a threshold.
 *
 * Marks: `ruleY` the line, `text` its value.
 *
 * @param panel An association panel of {@link regionalAssociationLayout}.
 * @param frame The layout (x domain).
 * @returns Plot marks (none without a threshold).
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const layout = plots.regionalAssociationLayout({
 *   gwas: pl.DataFrame({ variantId: ["chr1:1000000", "chr1:1200000"], pValue: [1e-9, 0.3] }),
 *   reference: "chr1:1000000",
 * });
 * const panel = layout.panels[0] as plots.AssociationPanelLayout;
 * assert.equal(panel.threshold, 5e-8); // genome-wide by default
 * assert.equal(plots.thresholdMarks(panel, layout).length, 2);
 * ```
 */
export function thresholdMarks(panel: AssociationPanelLayout, frame: Pick<PanelFrame, "xDomain">): Plot.Markish[] {
  if (panel.threshold === null) return [];
  const [lo, hi] = frame.xDomain;
  const y = panel.y(-Math.log10(panel.threshold));
  // The value sits above the line, or under it when the line runs near the panel's top.
  const below = y - panel.top < 14;
  return [
    Plot.ruleY([panel.threshold], { y, x1: lo, x2: hi, stroke: "#444", strokeDasharray: "5,3", strokeWidth: 1 }),
    Plot.text([`p = ${formatPValue(panel.threshold)}`], {
      x: hi,
      y,
      text: (t: string) => t,
      dx: -4,
      dy: below ? 8 : -7,
      textAnchor: "end",
      fontSize: 9,
      fill: "#444",
      stroke: "#fff",
      strokeWidth: 3,
    }),
  ];
}

/**
 * A PIP panel's points: each variant at its posterior inclusion probability, those in a credible set larger
 * and in their set's colour, the others small and grey; the reference variant outlined by a purple diamond.
 *
 * Marks: `dot` variants outside every set, `dot` variants in sets (one per variant), `dot` reference outline.
 *
 * @param panel A PIP panel of {@link regionalAssociationLayout}.
 * @param options Tooltips on the points (default true).
 * @returns Plot marks (x in Mb, y in pixels).
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const layout = plots.regionalAssociationLayout({
 *   pip: pl.DataFrame({
 *     variantId: ["chr1:1000000", "chr1:1100000", "chr1:1200000"],
 *     pip: [0.6, 0.35, 0.01],
 *     credibleSet: [1, 1, null],
 *   }),
 * });
 * const panel = layout.panels[0] as plots.PipPanelLayout;
 * assert.deepEqual(panel.sets.map((s) => s.label), ["CS 1"]);
 * assert.equal(plots.pipMarks(panel).length, 3);
 * ```
 */
export function pipMarks(panel: PipPanelLayout, options: PointMarkOptions = {}): Plot.Markish[] {
  const colorOf = new Map(panel.sets.map((s) => [s.credibleSet, s.color]));
  const label = new Map(panel.sets.map((s) => [s.credibleSet, s.label]));
  const x = (p: PipPoint) => p.pos / 1e6;
  const y = (p: PipPoint) => panel.y(p.pip);
  const title = options.tooltips === false
    ? undefined
    : (p: PipPoint) =>
      `${p.variantId}: PIP = ${formatNumber(p.pip, 3)}${p.credibleSet === null ? "" : `, ${label.get(p.credibleSet)}`}`;
  return [
    Plot.dot(panel.points.filter((p) => p.credibleSet === null), { x, y, r: 2.2, fill: NO_SET_COLOR, title }),
    Plot.dot(panel.points.filter((p) => p.credibleSet !== null), {
      x,
      y,
      r: 4,
      fill: (p: PipPoint) => colorOf.get(p.credibleSet!)!,
      stroke: "#333",
      strokeWidth: 0.4,
      title,
    }),
    Plot.dot(panel.points.filter((p) => p.reference), {
      x,
      y,
      r: 8,
      symbol: "diamond",
      fill: "none",
      stroke: REFERENCE_VARIANT_COLOR,
      strokeWidth: 1.5,
      title,
    }),
  ];
}
