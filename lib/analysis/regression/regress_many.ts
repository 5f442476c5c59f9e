/**
 * The typed-array fast path of the eQTL regression: many gene–tissue–variant pairs at once, closed-form
 * OLS per pair, no per-pair allocation.
 *
 * @module
 */
import { transformExpression } from "./transforms.ts";
import type { EqtlBatch, EqtlRegressionColumns, RegressionOptions } from "./regression_types.ts";
import { regressManyAdjusted } from "./_regress_adjusted.ts";
import { badDosage, badExpression, checkBatch, transformOption } from "./_regression_input.ts";
import {
  analysedValuesEqual,
  emptyColumns,
  fitFromMoments,
  fitOls,
  mayBeRoundingNoise,
  momentsFloat64,
  momentsInt8,
  newSlots,
  storeFit,
} from "./_ols.ts";

/**
 * Regress many gene–tissue–variant pairs at once (the fast path behind the array and frame forms
 * of {@linkcode regressEqtl}): closed-form OLS per pair, no per-pair allocation.
 *
 * With `options.covariates` it is tensorQTL's `map_nominal` (see {@linkcode RegressionOptions}): every
 * pair has the same `nSamples` samples (aligned to the covariates by `batch.sampleIds` when both carry
 * IDs), missing dosages are imputed with the pair's mean dosage (`nImputed`), `df = n − 2 − k`. The
 * covariates are orthonormalised once per call; consecutive pairs with identical expression (one gene,
 * many variants) share the phenotype residual, so order pairs by gene for speed.
 *
 * @param batch Pair-major expression and dosages (see {@linkcode EqtlBatch}).
 * @param options `transform` (default `"int"`), `covariates`.
 * @returns One entry per pair in each column.
 * @throws {RegressionInputError} On a NaN/infinite/negative expression value or a dosage other than
 *   0/1/2/missing, naming the array and the flat index; with covariates, on covariates that are
 *   mis-sized, non-finite, collinear (naming the covariate and what it is a combination of), that leave
 *   no degree of freedom, or whose sample IDs miss some of `batch.sampleIds` (listing them).
 *
 * @example
 * ```ts
 * import { regressMany } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * // two pairs × four samples
 * const fit = regressMany({
 *   expression: new Float64Array([1, 3, 5, 7, 2, 2, 3, 9]),
 *   dosages: new Int8Array([0, 1, 2, 2, 0, 0, 1, -1]),
 *   nPairs: 2,
 *   nSamples: 4,
 * }, { transform: "none" });
 * assert.equal(fit.nes[0], 2.5454545454545454);
 * assert.equal(fit.n[1], 3); // the -1 is a missing call
 *
 * // With one covariate: five samples, the missing dosage imputed with the mean of the called ones (0.75), df = 5 − 2 − 1.
 * const adjusted = regressMany({
 *   expression: new Float64Array([0.1, 0.5, 0.2, 1.4, 1.0]),
 *   dosages: new Float64Array([0, 1, 0, 2, NaN]),
 *   nPairs: 1,
 *   nSamples: 5,
 * }, { transform: "none", covariates: { names: ["geno_PC1"], values: [[0.3, -0.1, 0.2, 0.0, -0.4]] } });
 * assert.equal(adjusted.df[0], 2);
 * assert.equal(adjusted.nImputed[0], 1);
 * assert.ok(Math.abs(adjusted.nes[0] - 0.5157894736842102) < 1e-12); // statsmodels OLS y ~ 1 + PC1 + dosage
 * ```
 */
export function regressMany(
  batch: EqtlBatch,
  options: RegressionOptions = {},
): EqtlRegressionColumns {
  const transform = transformOption(options);
  checkBatch(batch);
  const { expression, dosages, nPairs, nSamples } = batch;
  const out = emptyColumns(nPairs);
  if (options.covariates !== undefined) {
    regressManyAdjusted(batch, transform, options.covariates, out);
    return out;
  }
  const x = new Float64Array(nSamples);
  const y = new Float64Array(nSamples);
  const acc = new Float64Array(7);
  const slots = newSlots();
  const log2 = transform === "log2";
  for (let p = 0; p < nPairs; p++) {
    const base = p * nSamples;
    let c0: number;
    let c1: number;
    let c2: number;
    let m: number;
    if (transform !== "int") {
      if (dosages instanceof Int8Array) {
        momentsInt8(expression, dosages, base, nSamples, log2, y, acc);
      } else momentsFloat64(expression, dosages, base, nSamples, log2, y, acc);
      m = acc[0];
      // Dosage counts from Σg = c1 + 2·c2 and Σg² = c1 + 4·c2 (exact integers): no branches.
      c2 = (acc[2] - acc[1]) / 2;
      c1 = acc[1] - 2 * c2;
      c0 = m - c1 - c2;
      const classes = (c0 > 0 ? 1 : 0) + (c1 > 0 ? 1 : 0) + (c2 > 0 ? 1 : 0);
      let syy = acc[6];
      if (
        !(syy > 1e-250 && syy < 1e250) && syy !== 0 ||
        (syy === 0 && !analysedValuesEqual(expression, dosages, base, nSamples, log2, y))
      ) {
        // Values near the float limits (squares overflow or underflow): the analysed samples are gathered
        // and fitted by fitOls, which scales them first. Rare: the one-pass moments serve every other pair.
        const k = gatherAnalysed(expression, dosages, base, nSamples, log2, y, x);
        fitOls(x, y, k, classes, slots);
      } else {
        if (
          syy !== 0 && mayBeRoundingNoise(m, acc[3], syy) &&
          analysedValuesEqual(expression, dosages, base, nSamples, log2, y)
        ) syy = 0;
        fitFromMoments(m, classes, acc[1] / m, acc[3], acc[4], acc[5], syy, slots);
      }
    } else {
      // int: rank only the analysed samples, so compact them first.
      m =
        c0 =
        c1 =
        c2 =
          0;
      for (let s = 0; s < nSamples; s++) {
        const i = base + s;
        const v = expression[i];
        if (!(v >= 0 && v < Infinity)) throw badExpression("expression", i, v);
        const g = dosages[i];
        if (g === 0) c0++;
        else if (g === 1) c1++;
        else if (g === 2) c2++;
        else if (dosages instanceof Float64Array ? g !== g : g === -1) continue;
        else {
          throw badDosage("dosages", i, g, dosages instanceof Float64Array ? "NaN" : "-1");
        }
        x[m] = g;
        y[m] = v;
        m++;
      }
      transformExpression(y.subarray(0, m), "int", y.subarray(0, m));
      const classes = (c0 > 0 ? 1 : 0) + (c1 > 0 ? 1 : 0) + (c2 > 0 ? 1 : 0);
      fitOls(x, y, m, classes, slots);
    }
    out.n[p] = m;
    out.df[p] = Math.max(m - 2, 0);
    out.homoRefCount[p] = c0;
    out.hetCount[p] = c1;
    out.homoAltCount[p] = c2;
    storeFit(out, p, slots);
  }
  return out;
}

/**
 * The analysed samples of one pair, compacted to the front of `x` (dosage) and `y` (expression, or its
 * log2(v + 1) already in `y` when `log2`): the slow path for values near the float limits.
 */
function gatherAnalysed(
  expression: Float64Array,
  dosages: Float64Array | Int8Array,
  base: number,
  nSamples: number,
  log2: boolean,
  y: Float64Array,
  x: Float64Array,
): number {
  const int8 = dosages instanceof Int8Array;
  let k = 0;
  for (let s = 0; s < nSamples; s++) {
    const g = dosages[base + s];
    if (int8 ? g === -1 : g !== g) continue;
    const v = log2 ? y[s] : expression[base + s];
    x[k] = g;
    y[k] = v;
    k++;
  }
  return k;
}
