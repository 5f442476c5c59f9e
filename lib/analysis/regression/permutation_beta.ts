/**
 * tensorQTL's beta approximation of the permutation p-value (`core.calculate_beta_approx_pval`, called by
 * `cis.map_cis`): from the best r² of each permutation and the nominal best r² of one phenotype, the
 * effective degrees of freedom `true_df`, the beta distribution fitted to the permutations' minimum
 * p-values, `pval_beta`, `pval_perm` and `pval_true_df` — the columns RatGTEx publishes in `top_assoc`.
 *
 * The steps, each as tensorQTL 1.0.10 (`core.py`) and scipy 1.10 run them:
 * 1. `true_df`: the root in ln(df) of ln(shape1(df)) by `scipy.optimize.newton` (secant, tol 1e-4,
 *    50 iterations) from ln(dof), where shape1(df) is the method-of-moments first beta shape of the
 *    permutation p-values recomputed with df; when the secant fails (scipy raises), Nelder–Mead on
 *    |shape1(df) − 1| from dof — tensorQTL's fallback;
 * 2. the beta shapes: Nelder–Mead (xatol = fatol = 1e-4) on the negative beta log-likelihood of the
 *    permutation p-values at `true_df`, from the method-of-moments shapes;
 * 3. `pval_true_df` = the nominal r²'s p-value at `true_df`; `pval_beta` = Beta(shape1, shape2).cdf of it;
 * 4. `pval_perm` = (#{permutations with r² ≥ nominal r²} + 1) / (permutations + 1).
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import { incompleteBetaTails } from "./_special.ts";
import { nelderMead, secant } from "./_scipy_optimize.ts";
import { fitBetaShapes, meanVar, pvalsFromCorr } from "./_beta_fit.ts";

/** Input of {@linkcode betaApproxPValue}: one phenotype's permutation pass. */
export interface BetaApproxInput {
  /**
   * The best (largest) r² over the cis variants for each permutation of the phenotype (tensorQTL's
   * `r2_perm`, one value per permutation), each in [0, 1].
   */
  r2Perm: ArrayLike<number>;
  /** The nominal best r² (the top variant's squared correlation with the unpermuted phenotype), in [0, 1]. */
  r2Nominal: number;
  /**
   * Residual degrees of freedom of the nominal test: samples − 2 − covariates (tensorQTL's `dof`), > 0.
   */
  dof: number;
}

/** Options of {@linkcode betaApproxPValue}. */
export interface BetaApproxOptions {
  /**
   * Starting degrees of freedom of the `true_df` search (default `dof`; tensorQTL starts grouped
   * phenotypes — a cross-modality or splicing group — at `dof · 0.25`).
   */
  dofInit?: number;
  /** Tolerance of both optimisers (tensorQTL's `tol`, default 1e-4). */
  tol?: number;
  /**
   * Reproduce a `map_cis` run bit for bit where it works in float32 (default false): tensorQTL hands over
   * `r2_perm` and the nominal r as float32, and with NumPy 1.x's value-based casting the permutations'
   * t² = df·r²/(1 − r²) is then computed in float32 (NumPy 2 computes it in float64). With `true`, the r²
   * are rounded to float32 and that arithmetic is reproduced; leave it off for r² computed in float64.
   */
  numpyFloat32?: boolean;
}

/** The columns {@linkcode betaApproxPValue} computes, under tensorQTL's names in camelCase. */
export interface BetaApproxResult {
  /** Beta-approximated permutation p-value (`pval_beta`). */
  pvalBeta: number;
  /** Empirical permutation p-value (`pval_perm`): (count + 1) / (permutations + 1). */
  pvalPerm: number;
  /** First shape parameter of the fitted beta distribution (`beta_shape1`). */
  betaShape1: number;
  /** Second shape parameter (`beta_shape2`). */
  betaShape2: number;
  /** Effective degrees of freedom (`true_df`). */
  trueDf: number;
  /** Nominal p-value of the top variant recomputed with `true_df` (`pval_true_df`). */
  pvalTrueDf: number;
  /** How `true_df` was found: tensorQTL's secant (`"newton"`) or its Nelder–Mead fallback. */
  trueDfMethod: "newton" | "nelder-mead";
  /** Whether the beta-shape Nelder–Mead converged (false: it stopped at 400 evaluations, as scipy does). */
  betaFitConverged: boolean;
  /** Why `pvalBeta` is NaN (e.g. all permutations gave the same r²), else `null`. */
  reason: string | null;
}

function validate(input: BetaApproxInput, options: BetaApproxOptions): void {
  if (input === null || typeof input !== "object") {
    throw new ValidationError(
      "input",
      input,
      "betaApproxPValue needs { r2Perm, r2Nominal, dof }",
      "pass the permutation pass of one phenotype",
    );
  }
  const { r2Perm, r2Nominal, dof } = input;
  if (r2Perm === null || typeof r2Perm !== "object" || typeof r2Perm.length !== "number") {
    throw new ValidationError(
      "r2Perm",
      r2Perm,
      "not an array of numbers",
      "pass one best r² per permutation (a Float64Array)",
    );
  }
  if (r2Perm.length < 2) {
    throw new ValidationError(
      "r2Perm",
      r2Perm.length,
      "at least 2 permutations are needed to fit a beta distribution",
      "run more permutations (tensorQTL's default is 10,000; RatGTEx used 10,000)",
    );
  }
  for (let i = 0; i < r2Perm.length; i++) {
    const v = r2Perm[i];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
      throw new ValidationError(
        `r2Perm[${i}]`,
        v,
        "an r² must be a number in [0, 1]",
        "pass squared correlations (NaN rows are dropped by tensorQTL before the maximum)",
      );
    }
  }
  if (typeof r2Nominal !== "number" || !(r2Nominal >= 0 && r2Nominal <= 1)) {
    throw new ValidationError("r2Nominal", r2Nominal, "must be a number in [0, 1]", "pass the top variant's r²");
  }
  if (typeof dof !== "number" || !(dof > 0) || !Number.isFinite(dof)) {
    throw new ValidationError(
      "dof",
      dof,
      "degrees of freedom must be finite and > 0",
      "pass samples − 2 − covariates, as tensorQTL's dof",
    );
  }
  if (options === null || typeof options !== "object") {
    throw new ValidationError("options", options, "not an options object", "pass { dofInit?, tol?, numpyFloat32? }");
  }
  if (options.dofInit !== undefined && !(options.dofInit > 0 && Number.isFinite(options.dofInit))) {
    throw new ValidationError("options.dofInit", options.dofInit, "must be finite and > 0", "omit it to start at dof");
  }
  if (options.tol !== undefined && !(options.tol > 0)) {
    throw new ValidationError("options.tol", options.tol, "must be > 0", "omit it for tensorQTL's 1e-4");
  }
}

/**
 * The beta approximation of one phenotype's permutation p-value, exactly as tensorQTL's `map_cis`
 * computes it (`calculate_beta_approx_pval` and `prepare_cis_output`): given the same permutations, the
 * same `pval_beta`, `beta_shape1`, `beta_shape2`, `true_df`, `pval_true_df` and `pval_perm` (within 1e-6
 * relative of tensorQTL run under scipy 1.10, see tests/permutation_stats_test.ts).
 *
 * @param input `{ r2Perm, r2Nominal, dof }`: the best r² of each permutation, the nominal best r², and
 *   the nominal test's degrees of freedom (samples − 2 − covariates).
 * @param options `{ dofInit?, tol?, numpyFloat32? }`, see {@linkcode BetaApproxOptions}.
 * @returns `{ pvalBeta, pvalPerm, betaShape1, betaShape2, trueDf, pvalTrueDf, trueDfMethod,
 *   betaFitConverged, reason }`; `pvalBeta` is NaN only with a `reason`.
 * @throws {ValidationError} When an r² is outside [0, 1], there are fewer than 2 permutations, or dof is
 *   not finite and > 0.
 *
 * @example
 * ```ts
 * import { betaApproxPValue, betaQuantile } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * // 1,000 permutations whose best r² is the maximum over 50 independent null variants at dof = 100
 * // (r² ~ Beta(½, dof/2)): the minimum p of each permutation is then Beta(1, 50) distributed.
 * const r2Perm = Float64Array.from({ length: 1000 }, (_, i) => betaQuantile(((i + 0.5) / 1000) ** (1 / 50), 0.5, 50));
 * const fit = betaApproxPValue({ r2Perm, r2Nominal: 0.3, dof: 100 });
 * assert.equal(fit.pvalPerm, 1 / 1001); // no permutation reached r² = 0.3
 * assert.ok(Math.abs(fit.trueDf / 100 - 1) < 0.01 && Math.abs(fit.betaShape2 / 50 - 1) < 0.02);
 * assert.ok(Math.abs(fit.betaShape1 - 1) < 0.01);
 * // pval_beta ≈ 1 − (1 − p)^50, far below what 1,000 permutations can resolve
 * assert.ok(Math.abs(fit.pvalBeta / (1 - (1 - fit.pvalTrueDf) ** 50) - 1) < 0.1);
 * ```
 */
export function betaApproxPValue(input: BetaApproxInput, options: BetaApproxOptions = {}): BetaApproxResult {
  validate(input, options);
  const float32 = options.numpyFloat32 === true;
  const tol = options.tol ?? 1e-4;
  const dof = input.dof;
  const dofInit = options.dofInit ?? dof;
  const n = input.r2Perm.length;
  const r2Perm = float32 ? Float32Array.from(input.r2Perm) : Float64Array.from(input.r2Perm);
  const r2Nominal = float32 ? Math.fround(input.r2Nominal) : input.r2Nominal;

  let count = 0;
  for (let i = 0; i < n; i++) if (r2Perm[i] >= r2Nominal) count++;
  const pvalPerm = (count + 1) / (n + 1);

  const pval = new Float64Array(n);
  const scratch = new Float64Array(n);
  const shape1FromDof = (df: number, f32: boolean): number => {
    pvalsFromCorr(r2Perm, df, f32, pval);
    const [mean, variance] = meanVar(pval, scratch);
    return mean * (mean * (1.0 - mean) / variance - 1.0);
  };

  // 1. true_df: secant on ln(shape1) against ln(df), else Nelder–Mead on |shape1 − 1|.
  let trueDf: number;
  let trueDfMethod: "newton" | "nelder-mead";
  const root = secant((x) => Math.log(shape1FromDof(Math.exp(x), float32)), Math.log(dofInit), tol, 50);
  if (root.converged) {
    trueDf = Math.exp(root.root);
    trueDfMethod = "newton";
  } else {
    // tensorQTL passes a 1-element array here: NumPy promotes to float64 even for float32 r².
    const res = nelderMead((x) => Math.abs(shape1FromDof(x[0], false) - 1), [dofInit], { xatol: tol, fatol: tol });
    trueDf = res.x[0];
    trueDfMethod = "nelder-mead";
  }

  // 2. Beta shapes: moments, then maximum likelihood by Nelder–Mead.
  pvalsFromCorr(r2Perm, trueDf, float32, pval);
  const fit = fitBetaShapes(pval, tol);
  const { betaShape1, betaShape2, variance } = fit;

  // 3. The nominal p at true_df (float64 in tensorQTL: a NumPy scalar times a scalar) and its beta CDF.
  const pvalTrueDf = pvalsFromCorr([r2Nominal], trueDf, false, new Float64Array(1))[0];
  let pvalBeta = NaN;
  let reason: string | null = null;
  if (!(betaShape1 > 0 && betaShape2 > 0 && Number.isFinite(betaShape1) && Number.isFinite(betaShape2))) {
    reason = `the beta fit gave shapes (${betaShape1}, ${betaShape2}), not both finite and > 0` +
      (variance === 0 ? ": every permutation gave the same r²" : "");
  } else if (Number.isNaN(pvalTrueDf)) {
    reason = `true_df = ${trueDf} gives no nominal p-value`;
  } else {
    pvalBeta = incompleteBetaTails(pvalTrueDf, betaShape1, betaShape2).lower;
  }
  return {
    pvalBeta,
    pvalPerm,
    betaShape1,
    betaShape2,
    trueDf,
    pvalTrueDf,
    trueDfMethod,
    betaFitConverged: fit.converged,
    reason,
  };
}
