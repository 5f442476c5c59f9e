/**
 * Storey's q-values exactly as Bioconductor's `qvalue` (2.30, Debian `r-bioc-qvalue`) computes them with a
 * single λ — `qvalue(p, lambda = 0.85)`, what tensorQTL's `post.calculate_qvalues(res, qvalue_lambda = 0.85)`
 * calls through rpy2 and RatGTEx's pipeline (Pantry `run_tensorqtl.py`) runs for the `qval` column.
 *
 * pi0 = mean(p ≥ λ) / (1 − λ), capped at 1 — R's `mean` of a logical vector sums in long double and rounds
 * the quotient once to 80-bit precision and again to double, reproduced here with integer arithmetic;
 * q = pi0 · min(1, cummin(p · m / rank)) from the largest p down. Equal to R bit for bit
 * (tests/qvalue_test.ts).
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import { longDoubleRatio } from "./_r_mean.ts";

/** Options of {@linkcode qvalue}: R's argument names in camelCase. */
export interface QvalueOptions {
  /**
   * The single λ of Storey's pi0 estimate (default 0.85, RatGTEx's). R's default (a smoothing spline over
   * λ = 0.05, 0.10, …, 0.95) is not offered: pass one number.
   */
  lambda?: number;
  /** Use this pi0 instead of estimating it (R's `pi0`), in (0, 1]. */
  pi0?: number;
  /** Positive FDR q-values (R's `pfdr`, default false). */
  pfdr?: boolean;
  /** An FDR level: the result then says which tests are significant (R's `fdr.level`), in (0, 1]. */
  fdrLevel?: number;
}

/** What {@linkcode qvalue} returns: R's `qvalue` object's numeric members. */
export interface QvalueResult {
  /** One q-value per p-value, in the input's order; NaN where the p-value was NaN (R's NA). */
  qvalues: Float64Array;
  /** The proportion of true nulls used (R's `pi0`). */
  pi0: number;
  /** The uncapped estimate mean(p ≥ λ)/(1 − λ) (R's `pi0.lambda`); null when `pi0` was given. */
  pi0Lambda: number | null;
  /** The λ used (null when `pi0` was given). */
  lambda: number | null;
  /** With `fdrLevel`: whether each q-value is ≤ it (R's `significant`); NaN p-values give false. */
  significant: boolean[] | null;
}

function checkOptions(options: QvalueOptions): void {
  if (options === null || typeof options !== "object") {
    throw new ValidationError("options", options, "not an options object", "pass { lambda?, pi0?, pfdr?, fdrLevel? }");
  }
  const { lambda, pi0, fdrLevel, pfdr } = options;
  if (lambda !== undefined) {
    if (typeof lambda !== "number" || !(lambda >= 0 && lambda < 1)) {
      throw new ValidationError(
        "options.lambda",
        lambda,
        Array.isArray(lambda)
          ? "only a single λ is supported (R's smoother over a λ sequence is not reproduced)"
          : "λ must be a number in [0, 1)",
        "pass one λ, e.g. 0.85 as RatGTEx does",
      );
    }
  }
  if (pi0 !== undefined && (typeof pi0 !== "number" || !(pi0 > 0 && pi0 <= 1))) {
    throw new ValidationError("options.pi0", pi0, "pi0 is not in (0, 1]", "pass a proportion in (0, 1], or omit it");
  }
  if (fdrLevel !== undefined && (typeof fdrLevel !== "number" || !(fdrLevel > 0 && fdrLevel <= 1))) {
    throw new ValidationError("options.fdrLevel", fdrLevel, "must be in (0, 1]", "pass e.g. 0.05");
  }
  if (pfdr !== undefined && typeof pfdr !== "boolean") {
    throw new ValidationError("options.pfdr", pfdr, "must be true or false", "omit it for R's default (false)");
  }
}

/**
 * Storey's q-values of a vector of p-values, exactly as R's `qvalue::qvalue(p, lambda = λ)` (single λ,
 * `pi0.method` irrelevant): pi0 = min(1, mean(p ≥ λ) / (1 − λ)); q = pi0 · cummin(p·m/rank) capped at 1,
 * ranks from the largest p. NaN p-values are left out and get NaN, as R's NA.
 *
 * R's `qvalue()` also computes local FDRs by default (`lfdr.out = TRUE`); that step stops with an error for
 * a single p-value ("need at least 2 points"), where this function still returns pi0·p.
 *
 * @param pValues P-values in [0, 1] (e.g. a tissue's `pval_beta` column); NaN for missing.
 * @param options `{ lambda = 0.85, pi0?, pfdr = false, fdrLevel? }`.
 * @returns `{ qvalues, pi0, pi0Lambda, lambda, significant }`.
 * @throws {ValidationError} When a p-value is outside [0, 1] or not a number, there are no p-values, an
 *   option is out of range, or no p-value reaches λ (R: "The estimated pi0 <= 0").
 *
 * @example
 * ```ts
 * import { qvalue } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const { qvalues, pi0 } = qvalue([0.001, 0.02, 0.3, 0.9, 0.95], { lambda: 0.85 });
 * assert.equal(pi0, 1); // 2 of 5 p-values ≥ 0.85: 0.4 / 0.15 > 1, capped
 * assert.deepEqual(Array.from(qvalues), [0.005, 0.05, 0.5, 0.95, 0.95]);
 * ```
 */
export function qvalue(pValues: ArrayLike<number>, options: QvalueOptions = {}): QvalueResult {
  if (pValues === null || typeof pValues !== "object" || typeof pValues.length !== "number") {
    throw new ValidationError("pValues", pValues, "not an array of p-values", "pass a p-value column, e.g. pval_beta");
  }
  checkOptions(options);
  const all = pValues.length;
  const kept: number[] = [];
  for (let i = 0; i < all; i++) {
    const p = pValues[i];
    if (typeof p !== "number") {
      throw new ValidationError(`pValues[${i}]`, p, "not a number", "pass numbers (NaN for a missing p-value)");
    }
    if (Number.isNaN(p)) continue;
    if (!(p >= 0 && p <= 1)) {
      throw new ValidationError(`pValues[${i}]`, p, "p-values not in valid range [0, 1]", "pass p-values");
    }
    kept.push(i);
  }
  const m = kept.length;
  if (m === 0) {
    throw new ValidationError("pValues", all, "no p-values (all missing or none given)", "pass at least one p-value");
  }
  const p = Float64Array.from(kept, (i) => pValues[i]);

  let pi0: number;
  let pi0Lambda: number | null = null;
  let lambda: number | null = null;
  if (options.pi0 !== undefined) {
    pi0 = options.pi0;
  } else {
    lambda = options.lambda ?? 0.85;
    let atLeast = 0;
    for (let i = 0; i < m; i++) if (p[i] >= lambda) atLeast++;
    pi0Lambda = longDoubleRatio(atLeast, m) / (1 - lambda);
    pi0 = Math.min(pi0Lambda, 1);
    if (pi0 <= 0) {
      throw new ValidationError(
        "pValues",
        `${m} p-values, none ≥ λ = ${lambda}`,
        "the estimated pi0 <= 0 (R's qvalue stops here too)",
        "use a smaller λ, or pass pi0; with so few tests consider Bonferroni instead",
      );
    }
  }

  // order(p, decreasing = TRUE): stable, so ties keep their input order (their q-values are equal anyway).
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
  const q = new Float64Array(m);
  let running = Infinity;
  for (let j = 0; j < m; j++) {
    const rank = m - j;
    const pj = p[order[j]];
    const v = options.pfdr === true ? pj * m / (rank * (1 - Math.pow(1 - pj, m))) : pj * m / rank;
    if (v < running || Number.isNaN(v)) running = v;
    q[order[j]] = pi0 * Math.min(1, running);
  }
  const qvalues = new Float64Array(all).fill(NaN);
  kept.forEach((i, j) => (qvalues[i] = q[j]));
  const significant = options.fdrLevel === undefined
    ? null
    : Array.from(qvalues, (v) => v <= (options.fdrLevel as number));
  return { qvalues, pi0, pi0Lambda, lambda, significant };
}
