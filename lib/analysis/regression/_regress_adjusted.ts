/**
 * Internal: {@link regressMany} with covariates — tensorQTL's `map_nominal` on a pair-major batch, on the
 * cis scan's kernel (`_covariate_pairs.ts`). The covariate basis is built once; consecutive pairs whose
 * expression is the same (one gene against its variants) share the phenotype residual and one matrix
 * product.
 *
 * @module
 */
import { type ExpressionTransform, transformExpression } from "./transforms.ts";
import type { Covariates, EqtlBatch, EqtlRegressionColumns } from "./regression_types.ts";
import { badDosage, badExpression } from "./_regression_input.ts";
import { covariateBasis } from "./_covariate_ols.ts";
import { fitCovariatePairs } from "./_covariate_pairs.ts";
import { type DosageSource, DosageStat, readDosageCodes } from "./_dosages.ts";
import { storeFit } from "./_ols.ts";

/**
 * Validate (finite; ≥ 0 for log2) and transform one phenotype read from `values[base … base + n)` into
 * `out[offset … offset + n)`.
 */
export function phenotypeValues(
  values: ArrayLike<number>,
  base: number,
  n: number,
  transform: ExpressionTransform,
  parameter: string,
  out: Float64Array,
  offset: number,
): void {
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
    out[offset + s] = transform === "log2" ? Math.log2(1 + v) : v;
  }
  if (transform === "int") {
    const y = out.subarray(offset, offset + n);
    transformExpression(y, "int", y);
  }
}

/** Matrix layouts never call these (only rows given as arrays can hold a non-number or be mis-sized). */
function noError(): Error {
  return new Error("unreachable");
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
  const int8 = dosages instanceof Int8Array;
  const source: DosageSource = { values: dosages, width: n, column: null };
  const order = new Int32Array(nPairs);
  for (let p = 0; p < nPairs; p++) order[p] = p;
  // Untransformed values near the float limits are fitted scaled by a power of two (exact), and the slope,
  // SE and intercept scaled back; t and p do not change (see fitOls). The transforms bound the values.
  const scaleOf = (p: number) => (transform === "none" ? rowScale(expression, p * n, n) : 1);
  fitCovariatePairs(basis, {
    nPairs,
    order,
    samePhenotype: (first, p) => sameValues(expression, first * n, p * n, n),
    phenotype: (p, out, offset) => {
      phenotypeValues(expression, p * n, n, transform, "expression", out, offset);
      const scale = scaleOf(p);
      if (scale !== 1) { for (let i = 0; i < n; i++) out[offset + i] /= scale; }
    },
    dosages: (p, codes) => readDosageCodes(source, p, n, codes, noError, noError),
    badDosage: (p, s) => badDosage("dosages", p * n + s, dosages[p * n + s], int8 ? "-1" : "NaN"),
    store: (p, st, slots) => {
      const called = st[DosageStat.Called];
      out.n[p] = n;
      out.df[p] = dof;
      out.nImputed[p] = n - called;
      out.homoRefCount[p] = st[DosageStat.Count0];
      out.hetCount[p] = st[DosageStat.Count1];
      out.homoAltCount[p] = st[DosageStat.Count2];
      const scale = scaleOf(p);
      if (scale !== 1) {
        slots.nes *= scale;
        slots.error *= scale;
        slots.intercept *= scale;
      }
      storeFit(out, p, slots);
    },
  });
}

/** A power of two to divide a row by when its largest magnitude is beyond 1e100 or (nonzero) below 1e-100, else 1. */
function rowScale(values: Float64Array, base: number, n: number): number {
  let max = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(values[base + i]);
    if (a > max) max = a;
  }
  if (!(max > 1e100 || (max > 0 && max < 1e-100)) || !Number.isFinite(max)) return 1;
  return 2 ** Math.round(Math.log2(max));
}
