/**
 * The single-effect regression (SER) of SuSiE as susieR 0.12 computes it (`single_effect_regression`,
 * `single_effect_regression_ss`, `optimize_prior_variance`, `loglik`), and the one-dimensional minimiser
 * R's `optim(method = "Brent")` runs, which susieR uses to estimate each effect's prior variance on the
 * log scale.
 *
 * Both the individual-level and the summary-statistic fits reduce each effect's update to the same thing:
 * given `Xᵀr` (the standardised genotypes against the residual that leaves the effect out) and `d` (the
 * column sums of the squared standardised genotypes), compute the log Bayes factors, the posterior
 * inclusion probabilities `alpha`, the posterior moments `mu`, `mu2`, and the new prior variance `V`.
 *
 * @module
 */

/** How the prior variance of each effect is estimated (susieR's `estimate_prior_method`, or `"none"`). */
export type PriorMethod = "optim" | "EM" | "simple" | "none";

/** R's `sqrt(.Machine$double.eps)`: the `reltol` that `optim` hands to `optimize` as `tol` for Brent. */
const OPTIM_RELTOL = Math.sqrt(2.220446049250313e-16);
/** R's `DBL_MAX`: what `optimize` uses in place of a non-finite objective. */
const DBL_MAX = Number.MAX_VALUE;
/** `(3 − √5)/2`, the golden-section fraction of Brent's minimiser. */
const GOLDEN = (3 - Math.sqrt(5)) * 0.5;
/** `√DBL_EPSILON`, Brent's relative step floor. */
const SQRT_EPS = Math.sqrt(2.220446049250313e-16);

/**
 * Brent's minimiser as R's `optimize()` runs it (Brent 1973, "localmin": golden section with parabolic
 * steps): the same starting point `a + c(b − a)`, stopping rule `|x − m| ≤ 2·tol₁ − (b − a)/2` with
 * `tol₁ = √ε|x| + tol/3`, and the same updates, so that the iterates, and hence the estimated prior
 * variances, follow susieR's. A non-finite objective counts as `DBL_MAX`, as R's `optimize` does.
 *
 * @param lower Left end of the interval.
 * @param upper Right end of the interval.
 * @param f The objective.
 * @param tol The tolerance (`optim` passes `reltol` = √ε).
 * @returns The abscissa of the minimum found and the objective there.
 */
export function brentMinimise(
  lower: number,
  upper: number,
  f: (x: number) => number,
  tol: number,
): { x: number; fx: number } {
  const fin = (x: number): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : DBL_MAX;
  };
  let a = lower, b = upper;
  let v = a + GOLDEN * (b - a);
  let w = v, x = v;
  let d = 0, e = 0;
  let fx = fin(x);
  let fv = fx, fw = fx;
  const tol3 = tol / 3;
  for (;;) {
    const xm = (a + b) * 0.5;
    const tol1 = SQRT_EPS * Math.abs(x) + tol3;
    const t2 = tol1 * 2;
    if (Math.abs(x - xm) <= t2 - (b - a) * 0.5) break;
    let p = 0, q = 0, r = 0;
    if (Math.abs(e) > tol1) {
      // Fit a parabola through x, w, v.
      r = (x - w) * (fx - fv);
      q = (x - v) * (fx - fw);
      p = (x - v) * q - (x - w) * r;
      q = (q - r) * 2;
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
    }
    let u: number;
    if (Math.abs(p) >= Math.abs(q * 0.5 * r) || p <= q * (a - x) || p >= q * (b - x)) {
      // Golden-section step.
      e = x < xm ? b - x : a - x;
      d = GOLDEN * e;
    } else {
      // Parabolic step, kept away from the ends.
      d = p / q;
      u = x + d;
      if (u - a < t2 || b - u < t2) {
        d = tol1;
        if (x >= xm) d = -d;
      }
    }
    if (Math.abs(d) >= tol1) u = x + d;
    else if (d > 0) u = x + tol1;
    else u = x - tol1;
    const fu = fin(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      w = x;
      x = u;
      fv = fw;
      fw = fx;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, fx };
}

/**
 * Work space of one SER: the per-variant summaries that do not change while `V` is optimised.
 * Allocated once per fit.
 */
export class SerWorkspace {
  /** Number of variables (including susieR's null column when there is one). */
  readonly p: number;
  /** `betahat² / shat2` per variable (the squared z statistic); 0 where `shat2` is infinite. */
  readonly t2: Float64Array;
  /** `shat2 = sigma2 / d` per variable. */
  readonly shat2: Float64Array;
  /** Log Bayes factors of the last evaluation. */
  readonly lbf: Float64Array;
  /**
   * Where `d` equals `d0` to 1e-9 relative: the log term of the Bayes factor is then shared (to first
   * order, error below 1e-18) and computed once per evaluation instead of once per variable. With
   * `standardize = TRUE` every non-constant column has `d = n − 1` up to rounding.
   */
  readonly nearD0: Uint8Array;
  /** Σ of the weights of the last {@link serLogLik} call. */
  weightSum = 0;
  /** The reference `d` of {@link nearD0}. */
  readonly d0: number;
  /** Variables with `d = 0` (constant columns, the null column): their Bayes factor is 1. */
  readonly flat: Uint8Array;
  /** Number of variables not in {@link nearD0} and not flat. */
  readonly nOther: number;

  /** Prepare for columns whose squared-norms are `d`. */
  constructor(d: Float64Array) {
    const p = d.length;
    this.p = p;
    this.t2 = new Float64Array(p);
    this.shat2 = new Float64Array(p);
    this.lbf = new Float64Array(p);
    this.nearD0 = new Uint8Array(p);
    this.flat = new Uint8Array(p);
    // The first positive d is the reference (with standardize = TRUE every non-constant column has d ≈ n − 1).
    let d0 = 0;
    for (let j = 0; j < p; j++) {
      if (d[j] > 0 && Number.isFinite(d[j])) {
        d0 = d[j];
        break;
      }
    }
    let other = 0;
    for (let j = 0; j < p; j++) {
      if (!(d[j] > 0)) this.flat[j] = 1;
      else if (d0 > 0 && Math.abs(d[j] / d0 - 1) <= 1e-9) this.nearD0[j] = 1;
      else other++;
    }
    this.d0 = d0;
    this.nOther = other;
  }
}

/**
 * Fill `ws.lbf` with the log Bayes factors at prior variance `V` and return `log Σ πⱼ BFⱼ` (susieR's
 * `loglik` of the SER as a function of `V`). susieR computes each `lbfⱼ` as a difference of two
 * `dnorm(…, log = TRUE)`; this is the same quantity written as `½ log(s/(V+s)) + ½ t² V/(V+s)`, which
 * agrees to rounding. When `weights` is given, it receives `πⱼ·BFⱼ/max BF` (alpha before normalising) and
 * `ws.weightSum` their sum.
 */
export function serLogLik(
  ws: SerWorkspace,
  V: number,
  sigma2: number,
  pi: Float64Array,
  weights: Float64Array | null = null,
): number {
  const { p, t2, shat2, lbf, nearD0, flat } = ws;
  let maxlbf = 0;
  if (V === 0) {
    // Every Bayes factor is exactly 1, as the general formula gives: no exp needed.
    lbf.fill(0);
  } else {
    // For variables with d ≈ d0: log(s/(V+s)) = −log1p(u), u = V d / sigma2, expanded to first order
    // around u0 = V d0 / sigma2 (|u − u0|/(1 + u0) ≤ 1e-9, so the dropped term is below 1e-18).
    const u0 = V * ws.d0 / sigma2;
    const l0 = -Math.log1p(u0);
    const k0 = 1 / (1 + u0);
    maxlbf = -Infinity;
    for (let j = 0; j < p; j++) {
      let l = 0; // flat: susieR sets lbf to 0 where shat2 is infinite
      if (!flat[j]) {
        const s = shat2[j];
        const a = V + s;
        l = nearD0[j]
          ? 0.5 * (l0 - (V / s - u0) * k0) + 0.5 * t2[j] * (V / a)
          : 0.5 * Math.log(s / a) + 0.5 * t2[j] * (V / a);
      }
      lbf[j] = l;
      if (l > maxlbf) maxlbf = l;
    }
  }
  // R's sum() accumulates in long double; a compensated sum (Neumaier) is as close, so that a null
  // effect's log Bayes factor is log(Σ π) = 0 rather than p roundings of 1/p away from it.
  let sum = 0, carry = 0;
  for (let j = 0; j < p; j++) {
    const x = lbf[j] - maxlbf;
    // exp underflows to exactly 0 below −745: skip the call.
    const w = x === 0 ? pi[j] : x > -746 ? Math.exp(x) * pi[j] : 0;
    if (weights !== null) weights[j] = w;
    const t = sum + w;
    carry += Math.abs(sum) >= Math.abs(w) ? (sum - t) + w : (w - t) + sum;
    sum = t;
  }
  sum += carry;
  ws.weightSum = sum;
  return Math.log(sum) + maxlbf;
}

/** What one SER returns besides the rows it writes. */
export interface SerResult {
  /** The prior variance after estimation (0 when the null wins by `check_null_threshold`). */
  V: number;
  /** The effect's log Bayes factor (susieR's `lbf_model`). */
  lbfModel: number;
}

/** Inputs of one SER. */
export interface SerInput {
  /** `Xᵀr` on the standardised scale, length p. */
  xtr: Float64Array;
  /** Column sums of squares of the standardised X (susieR's `attr(X, "d")`), length p. */
  d: Float64Array;
  /** Current prior variance of this effect. */
  V: number;
  /** Residual variance. */
  sigma2: number;
  /** Prior inclusion weights (sum 1). */
  pi: Float64Array;
  /** How V is estimated. */
  method: PriorMethod;
  /** susieR's `check_null_threshold`. */
  checkNullThreshold: number;
}

/**
 * One single-effect regression, written into the rows `alpha`, `mu`, `mu2`, `lbfVariable` (length p
 * each). Follows `single_effect_regression` step by step: betahat and shat2, V by `optim` (Brent on
 * log V over [−30, 15], kept only when it beats the current V) or EM or unchanged, then zeroed when the
 * null model is within `check_null_threshold` on the log-likelihood scale.
 */
export function singleEffectRegression(
  ws: SerWorkspace,
  input: SerInput,
  alpha: Float64Array,
  mu: Float64Array,
  mu2: Float64Array,
  lbfVariable: Float64Array,
): SerResult {
  const { xtr, d, sigma2, pi, method, checkNullThreshold } = input;
  const { p, t2, shat2, flat } = ws;
  for (let j = 0; j < p; j++) {
    if (flat[j]) {
      shat2[j] = Infinity;
      t2[j] = 0;
    } else {
      const bhat = (1 / d[j]) * xtr[j];
      const s = sigma2 / d[j];
      shat2[j] = s;
      t2[j] = bhat * bhat / s;
    }
  }
  const logLik = (v: number) => serLogLik(ws, v, sigma2, pi);
  let V = input.V;
  // loglik at the V chosen, when already known (saves an evaluation).
  let logLikV: number | null = null;
  if (method === "optim") {
    // optim(…, method = "Brent", lower = −30, upper = 15): R ignores the starting value for Brent.
    const negLogLik = (lV: number) => -logLik(Math.exp(lV));
    const best = brentMinimise(-30, 15, negLogLik, OPTIM_RELTOL);
    let lV = best.x;
    // Keep the current V when the optimum found is worse (susieR compares on the same function; the
    // objective at the optimum is Brent's last best value, which R recomputes identically).
    const atCurrent = negLogLik(Math.log(V));
    if (best.fx > atCurrent) lV = Math.log(V);
    logLikV = lV === best.x ? -best.fx : -atCurrent;
    V = Math.exp(lV);
  }
  if (method === "optim" || method === "simple") {
    // susieR's zeroing: V = 0 when loglik(0) + check_null_threshold ≥ loglik(V).
    const at0 = logLik(0);
    const atV = logLikV ?? logLik(V);
    if (at0 + checkNullThreshold >= atV) V = 0;
  }
  // The Bayes factors at the V chosen; alpha ∝ π·BF (the weights come back from the same pass).
  const lbfModel = serLogLik(ws, V, sigma2, pi, alpha);
  const lbf = ws.lbf;
  const sumw = ws.weightSum;
  const invSigma2 = 1 / sigma2;
  const invV = 1 / V;
  for (let j = 0; j < p; j++) {
    alpha[j] = alpha[j] / sumw;
    const postVar = 1 / (invV + d[j] / sigma2);
    const m = invSigma2 * postVar * xtr[j];
    mu[j] = m;
    mu2[j] = postVar + m * m;
    lbfVariable[j] = lbf[j];
  }
  if (method === "EM") {
    // susieR: V = Σ alpha·mu2 after the update (alpha/mu/mu2 stay those of the V passed in), then zeroed
    // as above.
    let s = 0;
    for (let j = 0; j < p; j++) s += alpha[j] * mu2[j];
    V = logLik(0) + checkNullThreshold >= logLik(s) ? 0 : s;
  }
  return { V, lbfModel };
}
