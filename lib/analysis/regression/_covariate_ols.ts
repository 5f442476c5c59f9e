/**
 * Internal: the covariate basis of tensorQTL's `map_nominal` — an orthonormal basis of the centred
 * covariates built ONCE per sample set —, the exact residual of one vector, and the adjusted statistics
 * from residual moments. The many-row products on the basis are in `_residualizer.ts` and `_matmul.ts`.
 *
 * Why by hand: the npm linear-algebra package checked, ml-matrix 6.15.1 (the most used; a `Matrix` of
 * nested arrays, Householder QR, a new matrix per operation), measured 199 pairs/s for a QR solve per
 * pair at n = 400, k = 25 (this file's per-pair kernel then: ~80,000 pairs/s), and its `isFullRank()` said `true` for an exactly
 * duplicated column (it tests the R diagonal against 0, which rounding never gives), so it cannot say
 * WHICH covariate is collinear. What is needed is one thin QR of an n × (k+1) matrix, ~40 lines. Modified Gram–Schmidt with one re-orthogonalisation pass ("twice is
 * enough", Giraud et al. 2005) gives Q orthonormal to working precision even for near-collinear
 * covariates; the intercept is handled by centring (the span of [1, C] is that of [1, C − mean]).
 *
 * @module
 */
import { studentTTwoSidedPValue } from "./distributions.ts";
import { alignSamples, covariateMatrix } from "./covariates.ts";
import { type Covariates, RegressionInputError } from "./regression_types.ts";
import type { FitSlots } from "./_ols.ts";

/**
 * A covariate below this fraction of its centred norm once the intercept and the covariates before it
 * are projected out is collinear (numpy's matrix_rank would call it ≈ 1e-13; this refuses earlier,
 * where the adjusted statistics would already have lost most of their digits).
 */
export const COLLINEAR_TOLERANCE = 1e-10;

/** The orthonormal basis of the centred covariates, in the data's sample order. */
export interface CovariateBasis {
  /** Samples. */
  n: number;
  /** Covariates. */
  k: number;
  /** Covariate names. */
  names: string[];
  /** k × n, row j = j-th orthonormal vector (orthogonal to the all-ones vector and to rows < j). */
  q: Float64Array;
}

function dot(a: Float64Array, aBase: number, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aBase + i] * b[i];
  return s;
}

function collinearError(
  names: readonly string[],
  j: number,
  r: Float64Array,
  k: number,
  norms: Float64Array,
): RegressionInputError {
  // Coefficients of column j on the earlier columns: back-substitute R[0..j-1, 0..j-1] a = R[0..j-1, j].
  const a = new Float64Array(j);
  for (let i = j - 1; i >= 0; i--) {
    let s = r[i * k + j];
    for (let l = i + 1; l < j; l++) s -= r[i * k + l] * a[l];
    a[i] = s / r[i * k + i];
  }
  const terms: string[] = [];
  for (let i = 0; i < j; i++) {
    if (Math.abs(a[i]) * norms[i] > 1e-6 * norms[j]) terms.push(`${a[i].toPrecision(6)}·${names[i]}`);
  }
  const problem = terms.length === 0
    ? `covariate ${JSON.stringify(names[j])} (row ${j}) is constant across the samples: collinear with the intercept`
    : `covariate ${JSON.stringify(names[j])} (row ${j}) is collinear: ${names[j]} ≈ ${
      terms.join(" + ")
    } + constant (rank-deficient covariate matrix)`;
  return new RegressionInputError(
    "covariates",
    j,
    names[j],
    problem,
    "drop that covariate (the fit with it is the fit without it), or fix the file it came from",
  );
}

/**
 * Check, align and orthonormalise covariates for data of `n` samples (with `sampleIds` when known).
 * Throws RegressionInputError for mis-sized, non-finite, misaligned or collinear covariates.
 */
export function covariateBasis(
  covariates: Covariates,
  n: number,
  sampleIds: readonly string[] | undefined,
): CovariateBasis {
  if (covariates === null || typeof covariates !== "object") {
    throw new RegressionInputError(
      "covariates",
      null,
      covariates,
      "not a covariate matrix",
      "pass { names, values, sampleIds? } or the covariate file's frame (ID, then one column per sample)",
    );
  }
  const m = covariateMatrix(covariates);
  const names = m.names;
  if (!Array.isArray(names) || names.some((x) => typeof x !== "string")) {
    throw new RegressionInputError(
      "covariates.names",
      null,
      names,
      "not an array of strings",
      "name every covariate row",
    );
  }
  const k = names.length;
  if (new Set(names).size !== k) {
    throw new RegressionInputError(
      "covariates.names",
      null,
      names,
      "a covariate name is repeated",
      "name each covariate once",
    );
  }
  const ids = m.sampleIds;
  // Columns per covariate.
  let width: number;
  const { values } = m;
  if (values instanceof Float64Array) {
    width = ids ? ids.length : n;
    if (values.length !== k * width) {
      throw new RegressionInputError(
        "covariates.values.length",
        null,
        values.length,
        `it is not names.length × samples = ${k} × ${width} = ${k * width}`,
        "pass one value per covariate and sample, covariate-major (covariate c's sample s at c * samples + s)",
      );
    }
  } else if (Array.isArray(values)) {
    if (values.length !== k) {
      throw new RegressionInputError(
        "covariates.values.length",
        null,
        values.length,
        `${k} covariate names but ${values.length} rows of values`,
        "pass one row of values per covariate name",
      );
    }
    width = k > 0 ? values[0].length : (ids ? ids.length : n);
    values.forEach((row, c) => {
      if (row === null || typeof row !== "object" || row.length !== width) {
        throw new RegressionInputError(
          `covariates.values[${c}].length`,
          null,
          row?.length,
          `covariate ${JSON.stringify(names[c])} has not the ${width} values of the first row`,
          "pass the same number of samples for every covariate",
        );
      }
    });
  } else {
    throw new RegressionInputError(
      "covariates.values",
      null,
      values,
      "neither an array of rows nor a Float64Array",
      "pass values[c][s], or one covariate-major Float64Array",
    );
  }
  if (ids !== undefined && ids.length !== width) {
    throw new RegressionInputError(
      "covariates.sampleIds.length",
      null,
      ids.length,
      `the covariates have ${width} sample columns`,
      "pass one sample ID per column",
    );
  }
  let column: Int32Array;
  if (ids !== undefined && sampleIds !== undefined) {
    if (sampleIds.length !== n) {
      throw new RegressionInputError(
        "sampleIds.length",
        null,
        sampleIds.length,
        `the data have ${n} samples`,
        "pass one sample ID per expression value",
      );
    }
    column = alignSamples(sampleIds, ids, "covariates.sampleIds");
  } else {
    if (width !== n) {
      throw new RegressionInputError(
        "covariates",
        null,
        `${width} sample columns`,
        `the data have ${n} samples`,
        "pass covariates for exactly the data's samples, or sample IDs on both sides to align them by ID",
      );
    }
    column = new Int32Array(n);
    for (let s = 0; s < n; s++) column[s] = s;
  }
  if (n - 2 - k < 1) {
    throw new RegressionInputError(
      "covariates",
      null,
      `${k} covariates`,
      `n − 2 − k = ${n - 2 - k} residual degrees of freedom for n = ${n} samples`,
      "use fewer covariates than samples − 2",
    );
  }
  const q = new Float64Array(k * n);
  const r = new Float64Array(k * k);
  const norms = new Float64Array(k);
  const v = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (let s = 0; s < n; s++) {
      const x = values instanceof Float64Array ? values[j * width + column[s]] : values[j][column[s]];
      if (typeof x !== "number" || !Number.isFinite(x)) {
        throw new RegressionInputError(
          `covariates.values[${j}]`,
          column[s],
          x,
          `covariate ${JSON.stringify(names[j])} must be finite`,
          "use the covariate file as published (it has no missing values)",
        );
      }
      v[s] = x;
      mean += x;
    }
    mean /= n;
    let norm0 = 0;
    for (let s = 0; s < n; s++) {
      v[s] -= mean;
      norm0 += v[s] * v[s];
    }
    norms[j] = norm0 = Math.sqrt(norm0);
    // Two passes of modified Gram–Schmidt against the earlier vectors; R accumulates both.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const c = dot(q, i * n, v, n);
        r[i * k + j] += c;
        for (let s = 0; s < n; s++) v[s] -= c * q[i * n + s];
      }
    }
    const norm1 = Math.sqrt(dot(v, 0, v, n));
    r[j * k + j] = norm1;
    if (!(norm1 > COLLINEAR_TOLERANCE * norm0) || norm0 === 0) throw collinearError(names, j, r, k, norms);
    for (let s = 0; s < n; s++) q[j * n + s] = v[s] / norm1;
  }
  return { n, k, names: [...names], q };
}

/**
 * Centre `v` (length n) and project the covariates out of it in place (modified Gram–Schmidt order);
 * returns the residual sum of squares.
 */
export function residualise(basis: CovariateBasis, v: Float64Array): number {
  const { n, k, q } = basis;
  let mean = 0;
  for (let s = 0; s < n; s++) mean += v[s];
  mean /= n;
  for (let s = 0; s < n; s++) v[s] -= mean;
  for (let j = 0; j < k; j++) {
    const c = dot(q, j * n, v, n);
    const base = j * n;
    for (let s = 0; s < n; s++) v[s] -= c * q[base + s];
  }
  return dot(v, 0, v, n);
}

/** Why an adjusted fit has no statistics (the `reason` of {@link fitAdjusted}), in a fixed order. */
export const ADJUSTED_REASONS = [
  "no sample has a genotype call: nothing to impute from",
  "all called samples have the same dosage (one genotype class): the slope is undefined",
  "expression is constant across the samples (after the transform): zero variance",
  "expression is explained exactly by the covariates: zero residual variance",
  "the dosage is a linear combination of the covariates: the slope is undefined",
] as const;

/**
 * The adjusted statistics from the residual moments; degenerate cases get NaN and a reason.
 * `gg`/`yy` are the centred sums of squares before adjustment (for the "explained by the covariates"
 * tests).
 */
export function fitAdjusted(
  nCalled: number,
  classes: number,
  dof: number,
  gg: number,
  sxx: number,
  sxy: number,
  yy: number,
  syy: number,
  n: number,
  out: FitSlots,
): void {
  out.nes =
    out.error =
    out.tStatistic =
    out.pValue =
    out.intercept =
    out.r2 =
      NaN;
  const noise = (64 * n * Number.EPSILON) ** 2;
  if (nCalled === 0) {
    out.reason = ADJUSTED_REASONS[0];
  } else if (classes < 2) {
    out.reason = ADJUSTED_REASONS[1];
  } else if (yy === 0) {
    out.reason = ADJUSTED_REASONS[2];
  } else if (syy <= noise * yy) {
    out.reason = ADJUSTED_REASONS[3];
  } else if (sxx <= noise * gg) {
    out.reason = ADJUSTED_REASONS[4];
  } else {
    const slope = sxy / sxx;
    const sse = Math.max(syy - slope * sxy, 0);
    const se = Math.sqrt(sse / dof / sxx);
    const t = slope / se;
    out.nes = slope;
    out.error = se;
    out.tStatistic = t;
    out.pValue = studentTTwoSidedPValue(t, dof);
    out.r2 = Math.min((slope * sxy) / syy, 1);
    out.reason = null;
  }
}
