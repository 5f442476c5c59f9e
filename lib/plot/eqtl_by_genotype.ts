/**
 * The eQTL violin of the RatGTEx portal, improved: expression by genotype (real alleles), with the
 * regression the API leaves out and both p-values side by side.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { type EqtlRegression, RECOMPUTED_PVALUE_NOTE, regressEqtl } from "../analysis/regression/regression.ts";
import {
  checkExpressionTransform,
  DEFAULT_EXPRESSION_TRANSFORM,
  type ExpressionTransform,
  transformExpression,
} from "../analysis/regression/transforms.ts";
import type { DyneqtlResult } from "../analysis/route_results.ts";
import { ValidationError } from "../_core/errors.ts";
import { checkChoice, figureOptions } from "./_check.ts";
import { boxMarks, type DistributionGroup, jitter, violinMarks } from "./distribution.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { formatNumber, formatPValue } from "../_core/format.ts";
import { tissueColor, type TissueColors, tissueName } from "../_core/tissues.ts";

/** Options of {@link eqtlByGenotype}; any Plot option overrides the defaults. */
export interface EqtlByGenotypeOptions extends FigureOverrides {
  /**
   * Expression transform for the y axis and the regression: `"int"` (the library's
   * `DEFAULT_EXPRESSION_TRANSFORM`, rank inverse-normal, as `regressEqtl`), `"log2"` (log2(TPM + 1)) or
   * `"none"` (TPM).
   */
  transform?: ExpressionTransform;
  /** Distribution mark: `"box"` (default), `"violin"` or `"both"`. */
  kind?: "box" | "violin" | "both";
  /** Draw the samples as jittered points (default true). */
  points?: boolean;
  /** Half-width of the jitter in dosage units (default 0.12). */
  jitterWidth?: number;
  /** Draw the regression line (default true). */
  regressionLine?: boolean;
  /** Colour overrides for tissues (default: the official colours). */
  tissueColors?: TissueColors;
}

/**
 * What an expression transform makes of TPM, in words for running text (`"OLS on …"`).
 *
 * @param transform `"none"`, `"log2"` or `"int"`.
 * @returns The words, lower case.
 */
export function transformName(transform: ExpressionTransform): string {
  return transform === "none" ? "TPM" : transform === "log2" ? "log2(TPM + 1)" : "rank inverse-normal expression";
}

/**
 * The axis label of an expression transform.
 *
 * @param transform `"none"`, `"log2"` or `"int"`.
 * @returns The label.
 */
export function transformLabel(transform: ExpressionTransform): string {
  return transform === "none"
    ? "Expression (TPM)"
    : transform === "log2"
    ? "log2(TPM + 1)"
    : "Rank inverse-normal expression";
}

/**
 * Genotype labels with the real alleles, indexed by ALT dosage.
 *
 * @param ref Reference allele.
 * @param alt Alternative allele.
 * @returns Labels for dosage 0, 1, 2.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * assert.deepEqual(plots.genotypeLabels("C", "T"), ["C/C", "C/T", "T/T"]);
 * ```
 */
export function genotypeLabels(ref: string, alt: string): [string, string, string] {
  return [`${ref}/${ref}`, `${ref}/${alt}`, `${alt}/${alt}`];
}

/**
 * Expression by genotype for one gene–variant pair in one tissue (from `dyneqtl`): a box and/or violin
 * per genotype, the samples as deterministically jittered points, genotype labels with the real alleles,
 * the least-squares line from `regressEqtl` and its statistics, and the API's p-value beside the
 * recomputed one with the note on why they differ. Samples without a genotype call are left out (and counted).
 *
 * Marks, in order: violins (`areaX`, if asked), boxes (`ruleX`, `rect`, `ruleY`), points (`dot`, one per
 * analysed sample), the regression line (`line`). Colours: the tissue's official colour.
 *
 * @param dyn A `dyneqtl` result.
 * @param options Transform, marks, and any Plot option to override.
 * @returns The figure; `fig.svg` is a standalone SVG.
 *
 * @example
 * ```ts
 * import { createClient, dyneqtl, plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * const client = createClient({ source: "offline" });
 * const dyn = await dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, { client });
 * const fig = plots.eqtlByGenotype(dyn, { kind: "both" });
 * assert.ok(fig.svg!.includes(">C/T<"));
 * assert.ok(fig.svg!.includes("OLS on rank inverse-normal expression")); // the default transform, "int"
 * const called = dyn.genotypes.filter((g) => g !== null).length;
 * assert.equal(fig.svg!.match(/<circle/g)!.length, called); // one point per sample with a genotype call
 * assert.ok(plots.eqtlByGenotype(dyn, { transform: "log2" }).svg!.includes("log2(TPM + 1)"));
 * ```
 */
export function eqtlByGenotype(dyn: DyneqtlResult, options: EqtlByGenotypeOptions = {}): PlotFigure {
  figureOptions<EqtlByGenotypeOptions>("eqtlByGenotype", options, {
    transform: "string",
    kind: "string",
    points: "boolean",
    jitterWidth: "number",
    regressionLine: "boolean",
    tissueColors: "object",
  });
  if (dyn === null || typeof dyn !== "object" || !Array.isArray(dyn.data) || !Array.isArray(dyn.genotypes)) {
    throw new ValidationError(
      "dyn",
      dyn,
      "is not a dyneqtl() result (with data and genotypes arrays)",
      "pass the answer of dyneqtl({ geneId, tissueSiteDetailId, variantId })",
    );
  }
  const {
    transform = DEFAULT_EXPRESSION_TRANSFORM,
    kind = "box",
    points = true,
    jitterWidth = 0.12,
    regressionLine = true,
    tissueColors,
    ...plot
  } = options;
  checkExpressionTransform(transform, "options.transform");
  checkChoice(kind, "options.kind", ["box", "violin", "both"], "eqtlByGenotype");
  const fit: EqtlRegression = regressEqtl(dyn, { transform });
  const color = tissueColor(dyn.tissueSiteDetailId, tissueColors);
  const samples = genotypeSamples(dyn, transform, jitterWidth);
  const groups: DistributionGroup[] = [0, 1, 2]
    .map((d) => ({ x: d, values: samples.filter((s) => s.dosage === d).map((s) => s.value), color }))
    .filter((g) => g.values.length > 0);
  const labels = genotypeLabels(dyn.ref, dyn.alt);
  const marks: Plot.Markish[] = [
    ...(kind === "violin" || kind === "both" ? violinMarks(groups) : []),
    ...(kind === "box" || kind === "both"
      ? boxMarks(groups, kind === "both" ? { halfWidth: 0.07, fillOpacity: 0.9 } : {})
      : []),
    ...(points ? [sampleDots(samples, color)] : []),
    ...(regressionLine ? fitLine(fit) : []),
  ];
  const base: FigureOverrides = {
    width: 520,
    height: 380,
    marginLeft: 52,
    marginBottom: 44,
    x: {
      type: "linear",
      domain: [-0.55, 2.55],
      ticks: [0, 1, 2],
      tickFormat: (d: number) => `${labels[d]}\nn = ${fit.counts[d]}`,
      label: `Genotype at ${dyn.variantId}`,
      labelAnchor: "center",
      labelOffset: 40,
      tickSize: 0,
    },
    y: { label: transformLabel(transform), grid: true, nice: true },
    marks,
  };
  return new PlotFigure(mergePlotOptions(base, plot), {
    title: `${dyn.geneId} × ${dyn.variantId} (${dyn.ref}>${dyn.alt}) in ${tissueName(dyn.tissueSiteDetailId)}`,
    subtitle: [recomputedLine(dyn, fit, transform), apiLine(dyn)],
    notes: RECOMPUTED_PVALUE_NOTE,
  });
}

/** One sample placed: its dosage, transformed value and jittered x. */
interface GenotypeSample {
  sampleIndex: number;
  dosage: number;
  tpm: number;
  value: number;
  x: number;
}

/** The plotted values are exactly the regression's: called samples only, then transformed. */
function genotypeSamples(dyn: DyneqtlResult, transform: ExpressionTransform, jitterWidth: number): GenotypeSample[] {
  const called: { sampleIndex: number; dosage: number; tpm: number }[] = [];
  dyn.genotypes.forEach((g, i) => {
    if (g !== null) called.push({ sampleIndex: i, dosage: g, tpm: dyn.data[i] });
  });
  const y = transformExpression(called.map((s) => s.tpm), transform);
  return called.map((s, k) => ({ ...s, value: y[k], x: s.dosage + jitter(s.sampleIndex, jitterWidth) }));
}

function sampleDots(samples: GenotypeSample[], color: string): Plot.Markish {
  return Plot.dot(samples, {
    x: "x",
    y: "value",
    r: 2.2,
    fill: color,
    fillOpacity: 0.8,
    stroke: "#333",
    strokeWidth: 0.4,
  });
}

/** The fitted line from dosage 0 to 2 (none when the fit is degenerate). */
function fitLine(fit: EqtlRegression): Plot.Markish[] {
  if (!Number.isFinite(fit.nes) || !Number.isFinite(fit.intercept)) return [];
  return [
    Plot.line([[0, fit.intercept], [2, fit.intercept + 2 * fit.nes]], {
      stroke: "#c00",
      strokeWidth: 1.5,
      strokeDasharray: "5,3",
    }),
  ];
}

function recomputedLine(dyn: DyneqtlResult, fit: EqtlRegression, transform: ExpressionTransform): string {
  return Number.isFinite(fit.nes)
    ? `Recomputed: slope ${formatNumber(fit.nes, 3)} per ${dyn.alt} allele (SE ${formatNumber(fit.error, 3)}), ` +
      `t = ${formatNumber(fit.tStatistic, 3)}, p = ${formatPValue(fit.pValue)}, R² = ${formatNumber(fit.r2, 3)} ` +
      `(OLS on ${transformName(transform)}, n = ${fit.n}${fit.nMissing > 0 ? `, ${fit.nMissing} without a call` : ""})`
    : `Recomputed: no fit (${fit.reason ?? "degenerate input"})`;
}

function apiLine(dyn: DyneqtlResult): string {
  return dyn.pValue === null
    ? "API: pair not tested by the pipeline (pValue null)"
    : `API (tensorQTL nominal): p = ${formatPValue(dyn.pValue)}, gene threshold ${formatPValue(dyn.pValueThreshold)}` +
      `${dyn.pValue <= dyn.pValueThreshold ? " (significant)" : ""}`;
}
