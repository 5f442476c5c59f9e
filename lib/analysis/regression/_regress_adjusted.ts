/**
 * Internal: {@link regressMany} with covariates — tensorQTL's `map_nominal` on a pair-major batch. The
 * covariate basis is built once; a pair whose expression equals the previous pair's (the same gene
 * against its next variant) reuses the phenotype residual, so such a pair costs n·(k + 2) multiply-adds.
 *
 * @module
 */
import { type ExpressionTransform, transformExpression } from "./transforms.ts";
import type { Covariates, EqtlBatch, EqtlRegressionColumns } from "./regression_types.ts";
import { badDosage, badExpression } from "./_regression_input.ts";
import {
  type CovariateBasis,
  covariateBasis,
  dosageMoments,
  fitAdjusted,
  imputeDosages,
  residualise,
} from "./_covariate_ols.ts";
import { newSlots, storeFit } from "./_ols.ts";

/** The phenotype side of one fit, kept while consecutive pairs share a gene. */
export interface PhenotypeResidual {
  /** Residual of the transformed, centred phenotype (length n). */
  yr: Float64Array;
  /** Centred sum of squares before adjustment. */
  yy: number;
  /** Residual sum of squares. */
  syy: number;
}

/**
 * Transform (validated: finite; ≥ 0 for log2), centre and residualise one phenotype read from
 * `values[base .. base + n)`, into `res`.
 */
export function phenotypeResidual(
  basis: CovariateBasis,
  values: ArrayLike<number>,
  base: number,
  transform: ExpressionTransform,
  parameter: string,
  res: PhenotypeResidual,
): void {
  const { n } = basis;
  const y = res.yr;
  for (let s = 0; s < n; s++) {
    const v = values[base + s];
    if (typeof v !== "number" || !Number.isFinite(v) || (transform === "log2" && v < 0)) {
      throw badExpression(
        parameter,
        base + s,
        v,
        transform === "log2" ? "expression must be finite and ≥ 0 for the log2 transform" : "expression must be finite",
      );
    }
    y[s] = transform === "log2" ? Math.log2(1 + v) : v;
  }
  if (transform === "int") transformExpression(y, "int", y);
  let mean = 0;
  for (let s = 0; s < n; s++) mean += y[s];
  mean /= n;
  let yy = 0;
  for (let s = 0; s < n; s++) yy += (y[s] - mean) * (y[s] - mean);
  res.yy = yy;
  res.syy = residualise(basis, y);
}

function sameValues(a: Float64Array, aBase: number, bBase: number, n: number): boolean {
  for (let s = 0; s < n; s++) if (a[aBase + s] !== a[bBase + s]) return false;
  return true;
}

export function regressManyAdjusted(
  batch: EqtlBatch,
  transform: ExpressionTransform,
  covariates: Covariates,
  out: EqtlRegressionColumns,
): void {
  const { expression, dosages, nPairs, nSamples: n } = batch;
  const basis = covariateBasis(covariates, n, batch.sampleIds);
  const dof = n - 2 - basis.k;
  const res: PhenotypeResidual = { yr: new Float64Array(n), yy: 0, syy: 0 };
  const g = new Float64Array(n);
  const counts = new Int32Array(3);
  const moments = new Float64Array(3);
  const slots = newSlots();
  for (let p = 0; p < nPairs; p++) {
    const base = p * n;
    if (p === 0 || !sameValues(expression, base, base - n, n)) {
      phenotypeResidual(basis, expression, base, transform, "expression", res);
    }
    const called = imputeDosages(dosages, base, n, g, counts, "dosages", badDosage);
    const classes = (counts[0] > 0 ? 1 : 0) + (counts[1] > 0 ? 1 : 0) + (counts[2] > 0 ? 1 : 0);
    dosageMoments(basis, g, res.yr, moments);
    fitAdjusted(called, classes, dof, moments[0], moments[1], moments[2], res.yy, res.syy, n, slots);
    out.n[p] = n;
    out.df[p] = dof;
    out.nImputed[p] = n - called;
    out.homoRefCount[p] = counts[0];
    out.hetCount[p] = counts[1];
    out.homoAltCount[p] = counts[2];
    storeFit(out, p, slots);
  }
}
