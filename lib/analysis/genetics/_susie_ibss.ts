/**
 * The IBSS loop shared by `susie` and `susieRss` (susieR's `update_each_effect` / `_ss`, `get_objective`
 * / `_ss`, `estimate_residual_variance` / `_ss`): each effect in turn is removed from the fit, its
 * single-effect regression is run on what is left, and it is put back; then the ELBO, the convergence
 * test, and the residual variance.
 *
 * What differs between the two fits is how `Xᵀr` and the expected squared residuals are obtained: from
 * the genotypes (a pass over the n × p matrix) or from XᵀX (a p × p product). A {@link IbssData} hides it.
 *
 * Cost: susieR makes four n × p passes per effect (remove, Xᵀr, the KL term, add back) and two more of L
 * × n × p per iteration (ELBO, residual variance). Here each effect costs one pass for Xᵀr and one for X·b
 * (skipping the columns whose b is below 1e-20 of its largest, whose contribution is below rounding); the
 * KL term is `(Xᵀr)·b` and the ELBO reuses each effect's stored X·b. An effect whose b is 0 (its prior
 * variance was zeroed) leaves the residual unchanged, so consecutive null effects share one Xᵀr and,
 * when their inputs are equal, one SER.
 *
 * @module
 */
import { type PriorMethod, SerWorkspace, singleEffectRegression } from "./_susie_ser.ts";
import { FineMappingError } from "./susie_types.ts";

/** Where the data of a fit come from: genotypes or sufficient statistics. */
export interface IbssData {
  /** Number of variables (with the null column when there is one). */
  readonly p: number;
  /** Sample size (n). */
  readonly n: number;
  /** Column sums of squares of the standardised X (susieR's `attr(X, "d")`). */
  readonly d: Float64Array;
  /**
   * Remove effect `l` from the fit (when it is not zero) and return `Xᵀr` for the residual without it.
   * The returned buffer is read before the next call.
   */
  residualXt(l: number): Float64Array;
  /** A counter that changes whenever the residual (hence `Xᵀr`) changes. */
  readonly version: number;
  /** Put effect `l` back with posterior mean `b = alpha ∘ mu` (`allZero` when every entry is 0). */
  setEffect(l: number, b: Float64Array, allZero: boolean): void;
  /** Expected squared residuals E‖y − Xb‖² under the current fit (susieR's `get_ER2` / `_ss`). */
  expectedSquaredResiduals(alpha: Float64Array, mu: Float64Array, mu2: Float64Array, L: number): number;
}

/** Settings of one IBSS run. */
export interface IbssSettings {
  L: number;
  V0: number;
  sigma2: number;
  pi: Float64Array;
  method: PriorMethod;
  checkNullThreshold: number;
  maxIter: number;
  tol: number;
  estimateResidualVariance: boolean;
  /** Bounds on the residual variance (individual level); `null` for the summary-statistic fit. */
  residualBounds: { lower: number; upper: number } | null;
  /** susie_rss's `check_prior`: stop when V exceeds 100 × this (max z²), or `null`. */
  priorCheck: number | null;
  /** Stop on an infinite ELBO (susie_suff_stat does; susie lets it through). */
  stopOnInfiniteElbo: boolean;
}

/** The state at the end of an IBSS run. */
export interface IbssState {
  L: number;
  p: number;
  /** L × p, row-major (row l at l·p). */
  alpha: Float64Array;
  mu: Float64Array;
  mu2: Float64Array;
  lbfVariable: Float64Array;
  lbf: Float64Array;
  KL: Float64Array;
  V: Float64Array;
  sigma2: number;
  elbo: Float64Array;
  niter: number;
  converged: boolean;
}

/** Run IBSS to convergence or `maxIter`. */
export function runIbss(data: IbssData, settings: IbssSettings): IbssState {
  const { p, n, d } = data;
  const L = settings.L;
  const alpha = new Float64Array(L * p).fill(1 / p);
  const mu = new Float64Array(L * p);
  const mu2 = new Float64Array(L * p);
  const lbfVariable = new Float64Array(L * p).fill(NaN);
  const lbf = new Float64Array(L).fill(NaN);
  const KL = new Float64Array(L).fill(NaN);
  const V = new Float64Array(L).fill(settings.V0);
  let sigma2 = settings.sigma2;
  const ws = new SerWorkspace(d);
  const b = new Float64Array(p);
  const elbo: number[] = [];
  let previous = -Infinity;
  let converged = false;
  let iter = 0;
  const row = (m: Float64Array, l: number) => m.subarray(l * p, (l + 1) * p);
  for (iter = 1; iter <= settings.maxIter; iter++) {
    // The last SER's inputs, to share its result with the next effect when they are the same.
    let memo: { version: number; V: number; effect: number; newV: number; lbfModel: number } | null = null;
    for (let l = 0; l < L; l++) {
      const xtr = data.residualXt(l);
      const version = data.version;
      let newV: number, lbfModel: number;
      if (memo !== null && memo.version === version && Object.is(memo.V, V[l])) {
        // Same residual, same sigma2, same starting V: the SER would compute exactly the same thing.
        for (const m of [alpha, mu, mu2, lbfVariable]) m.copyWithin(l * p, memo.effect * p, (memo.effect + 1) * p);
        newV = memo.newV;
        lbfModel = memo.lbfModel;
      } else {
        const startV = V[l];
        const res = singleEffectRegression(
          ws,
          {
            xtr,
            d,
            V: startV,
            sigma2,
            pi: settings.pi,
            method: settings.method,
            checkNullThreshold: settings.checkNullThreshold,
          },
          row(alpha, l),
          row(mu, l),
          row(mu2, l),
          row(lbfVariable, l),
        );
        newV = res.V;
        lbfModel = res.lbfModel;
        memo = { version, V: startV, effect: l, newV, lbfModel };
      }
      V[l] = newV;
      lbf[l] = lbfModel;
      // KL = −lbf_model + E[log-lik] − log-lik, which reduces to −lbf + (Xᵀr·Eb − ½ Σ d·Eb2)/sigma2.
      const a = row(alpha, l), m1 = row(mu, l), m2 = row(mu2, l);
      let rb = 0, db2 = 0;
      let allZero = true;
      for (let j = 0; j < p; j++) {
        const bj = a[j] * m1[j];
        b[j] = bj;
        if (bj !== 0) allZero = false;
        rb += bj * xtr[j];
        db2 += d[j] * (a[j] * m2[j]);
      }
      KL[l] = -lbfModel + (rb - 0.5 * db2) / sigma2;
      data.setEffect(l, b, allZero);
    }
    if (settings.priorCheck !== null) {
      for (let l = 0; l < L; l++) {
        if (V[l] > 100 * settings.priorCheck) {
          throw new FineMappingError(
            `the estimated prior variance of effect ${l} (${V[l]}) is unreasonably large (over 100 × max z² = ` +
              `${100 * settings.priorCheck}); susieR stops here too`,
            "this is usually a mismatch between the z-scores and the LD matrix: check that R is the LD of the " +
              "same samples and alleles as z (or pass checkPrior: false to go on)",
          );
        }
      }
    }
    const er2 = data.expectedSquaredResiduals(alpha, mu, mu2, L);
    let sumKL = 0;
    for (let l = 0; l < L; l++) sumKL += KL[l];
    const value = -(n / 2) * Math.log(2 * Math.PI * sigma2) - (1 / (2 * sigma2)) * er2 - sumKL;
    elbo.push(value);
    if (settings.stopOnInfiniteElbo && (value === Infinity || value === -Infinity)) {
      throw new FineMappingError(
        `the objective (ELBO) became ${value} at iteration ${iter}; susieR stops here too`,
        "check the input: z-scores and LD matrix from the same samples, n right",
      );
    }
    if (value - previous < settings.tol) {
      converged = true;
      break;
    }
    previous = value;
    if (settings.estimateResidualVariance) {
      const est = er2 / n;
      if (settings.residualBounds !== null) {
        sigma2 = Math.max(settings.residualBounds.lower, est);
        if (sigma2 > settings.residualBounds.upper) sigma2 = settings.residualBounds.upper;
      } else {
        if (est < 0) {
          throw new FineMappingError(
            `estimating the residual variance failed: the estimate (${est}) is negative; susieR stops here too`,
            "the summary statistics and the LD matrix disagree: check them, or pass " +
              "estimateResidualVariance: false",
          );
        }
        sigma2 = est;
      }
    }
  }
  const niter = Math.min(iter, settings.maxIter);
  return {
    L,
    p,
    alpha,
    mu,
    mu2,
    lbfVariable,
    lbf,
    KL,
    V,
    sigma2,
    elbo: Float64Array.from(elbo),
    niter,
    converged,
  };
}
