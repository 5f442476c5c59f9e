/**
 * Internal: the pieces of tensorQTL's beta approximation that work on p-values — `pval_from_corr`, the
 * moments as numpy computes them, and the maximum-likelihood beta fit (`fit_beta_parameters`' last step).
 * Given scipy's own permutation p-values, {@linkcode fitBetaShapes} returns tensorQTL's shapes bit for bit.
 *
 * @module
 */
import { numpySum } from "../_numpy_sum.ts";
import { studentTTwoSidedPValue } from "./distributions.ts";
import { lnGamma } from "./_special.ts";
import { nelderMead } from "./_scipy_optimize.ts";

/**
 * The two-sided t p-value; NaN where our continued fraction cannot converge (df below ~1e-13, reached only
 * by Nelder–Mead wandering in tensorQTL's fallback, where scipy's cdflib still returns a number).
 */
function tTwoSided(t: number, df: number): number {
  try {
    return studentTTwoSidedPValue(t, df);
  } catch {
    return NaN;
  }
}

/** p-values of r² at df as tensorQTL's `pval_from_corr` (NaN where scipy's t CDF is undefined). */
export function pvalsFromCorr(r2: ArrayLike<number>, df: number, float32: boolean, out: Float64Array): Float64Array {
  const validDf = df > 0 && Number.isFinite(df);
  const df32 = Math.fround(df);
  for (let i = 0; i < r2.length; i++) {
    const r = r2[i];
    let tstat2: number;
    let t: number;
    if (float32) {
      tstat2 = Math.fround(Math.fround(df32 * r) / Math.fround(1 - r));
      t = Math.fround(Math.sqrt(tstat2));
    } else {
      tstat2 = df * r / (1 - r);
      t = Math.sqrt(tstat2);
    }
    out[i] = validDf ? tTwoSided(t, df) : NaN;
  }
  return out;
}

/** np.mean and np.var (ddof 0) in numpy's summation order. */
export function meanVar(p: Float64Array, scratch: Float64Array): [number, number] {
  const n = p.length;
  const mean = numpySum(p, 0, n) / n;
  for (let i = 0; i < n; i++) {
    const d = p[i] - mean;
    scratch[i] = d * d;
  }
  return [mean, numpySum(scratch, 0, n) / n];
}

/** The fitted beta shapes of permutation p-values, and the moments they started from. */
export interface BetaShapes {
  /** First shape (`beta_shape1`). */
  betaShape1: number;
  /** Second shape (`beta_shape2`). */
  betaShape2: number;
  /** Whether Nelder–Mead converged (scipy's status 0). */
  converged: boolean;
  /** np.var of the p-values (0: every permutation gave the same p). */
  variance: number;
}

/**
 * tensorQTL's beta fit of permutation p-values: method-of-moments start, then Nelder–Mead (xatol = fatol =
 * tol) on the negative log-likelihood `(1 − a)·Σ ln p + (1 − b)·Σ ln(1 − p) + n·(lnΓ(a) + lnΓ(b) − lnΓ(a + b))`,
 * each term as numpy evaluates it.
 */
export function fitBetaShapes(pval: Float64Array, tol: number): BetaShapes {
  const n = pval.length;
  const scratch = new Float64Array(n);
  const [mean, variance] = meanVar(pval, scratch);
  const start1 = mean * (mean * (1 - mean) / variance - 1);
  const start2 = start1 * (1 / mean - 1);
  for (let i = 0; i < n; i++) scratch[i] = Math.log(pval[i]);
  const sumLog = numpySum(scratch, 0, n);
  for (let i = 0; i < n; i++) scratch[i] = Math.log(1.0 - pval[i]);
  const sumLog1m = numpySum(scratch, 0, n);
  const negLogLik = (s: readonly number[]): number => {
    const logbeta = lnGamma(s[0]) + lnGamma(s[1]) - lnGamma(s[0] + s[1]);
    return (1.0 - s[0]) * sumLog + (1.0 - s[1]) * sumLog1m + n * logbeta;
  };
  const fit = nelderMead(negLogLik, [start1, start2], { xatol: tol, fatol: tol });
  return { betaShape1: fit.x[0], betaShape2: fit.x[1], converged: fit.status === 0, variance };
}
