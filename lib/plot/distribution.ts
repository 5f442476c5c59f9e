/**
 * Distributions drawn on a numeric x axis (a group sits at x = 0, 1, 2, …): box statistics, a
 * Gaussian kernel density for violins, deterministic jitter, and the Plot marks that draw them.
 * Drawing on a numeric axis (rather than Plot's band scale) lets a regression line run through
 * the genotype groups and lets violins, boxes and points share one coordinate system.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { kernelDensityEstimation, medianSorted, quantileSorted, sampleStandardDeviation } from "simple-statistics";

/** One group of values placed at `x`. */
export interface DistributionGroup {
  /** Position on the x axis. */
  x: number;
  /** Values (non-finite ones are ignored). */
  values: readonly number[];
  /** Fill colour. */
  color: string;
  /** Facet value, when the figure is faceted (`fy`). */
  facet?: string;
}

/** Tukey box statistics of one group. */
export interface BoxStats {
  /** Values used. */
  n: number;
  /** First quartile (R-7 / d3 / numpy default). */
  q1: number;
  /** Median. */
  median: number;
  /** Third quartile. */
  q3: number;
  /** Lowest value ≥ q1 − 1.5·IQR. */
  lo: number;
  /** Highest value ≤ q3 + 1.5·IQR. */
  hi: number;
}

/**
 * Tukey box statistics (quartiles by R type 7, whiskers to the furthest values within 1.5·IQR).
 *
 * @param values The values (non-finite ones are ignored).
 * @returns The statistics, or `null` when no finite value remains.
 */
export function boxStats(values: readonly number[]): BoxStats | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const q1 = quantileSorted(sorted, 0.25);
  const median = medianSorted(sorted);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const lo = sorted.find((v) => v >= q1 - 1.5 * iqr)!;
  const hi = [...sorted].reverse().find((v) => v <= q3 + 1.5 * iqr)!;
  return { n: sorted.length, q1, median, q3, lo, hi };
}

/**
 * Silverman's rule-of-thumb bandwidth 0.9·min(sd, IQR/1.349)·n^(−1/5) (sd with n − 1; the IQR term is
 * skipped when the IQR is 0), as statsmodels' `bw_silverman`.
 *
 * @param values The values (non-finite ones are ignored).
 * @returns The bandwidth (NaN for fewer than 2 values, 0 when all are equal).
 */
export function silvermanBandwidth(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = v.length;
  if (n < 2) return NaN;
  const sd = sampleStandardDeviation(v);
  const iqr = quantileSorted(v, 0.75) - quantileSorted(v, 0.25);
  return 0.9 * (iqr > 0 ? Math.min(sd, iqr / 1.349) : sd) * n ** -0.2;
}

/**
 * Gaussian kernel density on `points` values evenly spaced over the data range (cut at the
 * extremes, as the portal's violins are), with {@link silvermanBandwidth}.
 *
 * @param values The values (non-finite ones are ignored).
 * @param points Evaluation points (default 50).
 * @returns `[value, density]` pairs; one pair with density 1 when all values are equal; empty when none.
 */
export function kernelDensity(values: readonly number[], points = 50): [number, number][] {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return [];
  const lo = v[0];
  const hi = v[n - 1];
  if (hi === lo) return [[lo, 1]];
  const bandwidth = silvermanBandwidth(v) || (hi - lo) / 10;
  const density = kernelDensityEstimation(v, "gaussian", bandwidth);
  const out: [number, number][] = [];
  for (let k = 0; k < points; k++) {
    const at = lo + ((hi - lo) * k) / (points - 1);
    out.push([at, density(at)]);
  }
  return out;
}

/**
 * A deterministic jitter in [−width, width] for item `index`: a hash of the index, so the same data
 * always gives the same picture.
 *
 * @param index Item index.
 * @param width Half-width of the jitter.
 * @param seed Varies the pattern (default 0).
 * @returns The offset.
 */
export function jitter(index: number, width: number, seed = 0): number {
  // splitmix32-style finaliser: well spread for consecutive integers.
  let h = (index + 0x9e3779b9 * (seed + 1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) / 4294967296 - 0.5) * 2 * width;
}

/** Options of {@link violinMarks} and {@link boxMarks}. */
export interface DistributionMarkOptions {
  /** Half-width of a violin or box in x units (default 0.38 for violins, 0.16 for boxes). */
  halfWidth?: number;
  /** Fill opacity (default 0.55 for violins, 0.35 for boxes). */
  fillOpacity?: number;
}

/**
 * Violins: one area per group, mirrored around the group's x, each scaled to the same maximum width.
 *
 * @param groups The groups.
 * @param options Half-width and opacity.
 * @returns Plot marks (one `areaX`).
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * const marks = plots.violinMarks([{ x: 0, values: [1, 2, 2, 3], color: "#377eb8" }, { x: 1, values: [2, 4], color: "#984ea3" }]);
 * assert.equal(marks.length, 1);
 * const fig = plots.renderFigure({ x: { axis: null }, y: { axis: null }, marks });
 * assert.equal(fig.svg!.match(/<path/g)!.length, 2); // one violin per group
 * ```
 */
export function violinMarks(
  groups: readonly DistributionGroup[],
  options: DistributionMarkOptions = {},
): Plot.Markish[] {
  const half = options.halfWidth ?? 0.38;
  const rows: { group: number; y: number; x1: number; x2: number; color: string; facet?: string }[] = [];
  groups.forEach((g, k) => {
    // 40 points joined by straight lines: smooth at figure sizes, and a third of the bytes of a 50-point spline.
    const density = kernelDensity(g.values, 40);
    const max = Math.max(...density.map((d) => d[1]));
    for (const [y, d] of density) {
      const w = density.length === 1 ? half : (d / max) * half;
      rows.push({ group: k, y, x1: g.x - w, x2: g.x + w, color: g.color, facet: g.facet });
    }
  });
  const faceted = groups.some((g) => g.facet !== undefined);
  return [
    Plot.areaX(rows, {
      y: "y",
      x1: "x1",
      x2: "x2",
      z: "group",
      fill: "color",
      fillOpacity: options.fillOpacity ?? 0.55,
      stroke: "color",
      strokeWidth: 0.75,
      curve: "linear",
      ...(faceted ? { fy: "facet" } : {}),
    }),
  ];
}

/**
 * Boxes: whiskers (rule), the interquartile box (rect) and the median (tick), per group.
 *
 * @param groups The groups.
 * @param options Half-width and opacity.
 * @returns Plot marks (`ruleX` whiskers, `rect` boxes, `ruleY` medians).
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * const marks = plots.boxMarks([{ x: 0, values: [1, 2, 2, 3], color: "#377eb8" }]);
 * assert.equal(marks.length, 3); // whiskers, box, median
 * assert.ok(plots.renderFigure({ marks }).svg!.includes('fill="#377eb8"'));
 * ```
 */
export function boxMarks(groups: readonly DistributionGroup[], options: DistributionMarkOptions = {}): Plot.Markish[] {
  const half = options.halfWidth ?? 0.16;
  const rows = groups.flatMap((g) => {
    const s = boxStats(g.values);
    return s === null ? [] : [{ ...s, x: g.x, x1: g.x - half, x2: g.x + half, color: g.color, facet: g.facet }];
  });
  const faceted = groups.some((g) => g.facet !== undefined);
  const fy = faceted ? { fy: "facet" } : {};
  return [
    Plot.ruleX(rows, { x: "x", y1: "lo", y2: "hi", stroke: "#333", strokeWidth: 1, ...fy }),
    Plot.rect(rows, {
      x1: "x1",
      x2: "x2",
      y1: "q1",
      y2: "q3",
      fill: "color",
      fillOpacity: options.fillOpacity ?? 0.35,
      stroke: "#333",
      ...fy,
    }),
    Plot.ruleY(rows, { y: "median", x1: "x1", x2: "x2", stroke: "#111", strokeWidth: 2, ...fy }),
  ];
}
