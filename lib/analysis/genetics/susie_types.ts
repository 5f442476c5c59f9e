/**
 * The types of SuSiE fine-mapping: the genotype matrix it takes, its options, its result, and the error
 * of a fit that cannot go on.
 *
 * @module
 */
import { RatGtexError } from "../../_core/errors.ts";

/**
 * A fit that susieR itself would stop (`stop()`): the summary statistics and the LD matrix disagree (an
 * estimated prior variance beyond 100 × max z², an infinite objective, a negative residual variance).
 * Bad arguments are a `ValidationError` instead.
 *
 * @example
 * ```ts
 * import { RatGtexError } from "ratgtex";
 * import { FineMappingError } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const e = new FineMappingError("the objective became infinite", "check that R is the LD of the same samples");
 * assert.ok(e instanceof RatGtexError);
 * assert.equal(e.hint, "check that R is the LD of the same samples");
 * ```
 */
export class FineMappingError extends RatGtexError {
  /**
   * Build the error.
   *
   * @param problem What went wrong.
   * @param fix What to do about it.
   */
  constructor(problem: string, fix: string) {
    super(problem, { hint: fix });
    this.name = "FineMappingError";
  }
}

/**
 * A dense matrix in R's own layout (column-major): `rows` samples × `columns` variants, the value of
 * sample `i` at variant `j` at `values[i + j * rows]`. So each variant's dosages are contiguous, as one
 * row of a VCF or of a genotype file is: `values.set(dosagesOfVariant, j * rows)` fills column `j`.
 */
export interface SusieMatrix {
  /** The values, column after column (length `rows × columns`). */
  values: Float64Array;
  /** Number of rows (samples, susieR's n). */
  rows: number;
  /** Number of columns (variants, susieR's p). */
  columns: number;
}

/** How the prior variance of each effect is estimated (susieR's `estimate_prior_method`). */
export type SusiePriorMethod = "optim" | "EM" | "simple";

/** Options shared by `susie` and `susieRss` (susieR's arguments, camel-cased, same defaults). */
export interface SusieCommonOptions {
  /** Maximum number of effects (susieR's `L`): 10, or p when there are fewer variants. */
  L?: number;
  /** Prior variance of each effect as a fraction of var(y) (`scaled_prior_variance`): 0.2. */
  scaledPriorVariance?: number;
  /** Initial residual variance (`residual_variance`): var(y) by default. */
  residualVariance?: number;
  /** Prior inclusion weights, one per variant (normalised to sum 1): uniform by default. */
  priorWeights?: ArrayLike<number>;
  /** Prior weight of "no effect" (`null_weight`), in [0, 1): 0. */
  nullWeight?: number;
  /** Scale each variant to unit variance (`standardize`): true. */
  standardize?: boolean;
  /** Estimate the residual variance (`estimate_residual_variance`): true for susie, false for susieRss. */
  estimateResidualVariance?: boolean;
  /** Estimate each effect's prior variance (`estimate_prior_variance`): true. */
  estimatePriorVariance?: boolean;
  /** How (`estimate_prior_method`): `"optim"` (Brent on log V, as R's optim), `"EM"` or `"simple"`. */
  estimatePriorMethod?: SusiePriorMethod;
  /** Zero an effect's prior variance when the null is within this log-likelihood (`check_null_threshold`): 0. */
  checkNullThreshold?: number;
  /** Effects with prior variance ≤ this are left out of the PIPs (`prior_tol`): 1e-9. */
  priorTol?: number;
  /** Credible-set coverage (`coverage`): 0.95. */
  coverage?: number;
  /** Purity threshold: min |r| within a set (`min_abs_corr`): 0.5. */
  minAbsCorr?: number;
  /** Maximum IBSS iterations (`max_iter`): 100. */
  maxIter?: number;
  /** Convergence: stop when the ELBO rises by less than this (`tol`): 1e-3. */
  tol?: number;
  /**
   * Sets larger than this have their purity computed on a subsample of this many variants (`n_purity`):
   * 100. susieR draws the subsample at random; here it is an even, deterministic spread over the set.
   * `Infinity` computes every pair.
   */
  nPurity?: number;
}

/** Options of `susie`: the shared ones and those of individual-level data. */
export interface SusieOptions extends SusieCommonOptions {
  /** Centre y and X (`intercept`): true. */
  intercept?: boolean;
  /** Upper bound of the residual variance (`residual_variance_upperbound`): Infinity. */
  residualVarianceUpperbound?: number;
  /** Lower bound of the residual variance (`residual_variance_lowerbound`): var(y) / 1e4. */
  residualVarianceLowerbound?: number;
}

/** Options of `susieRss`. */
export interface SusieRssOptions extends SusieCommonOptions {
  /**
   * R is checked for symmetry as R's `isSymmetric` does (Σ|R − Rᵀ| ≤ 100 ε Σ|R|).
   * susieR replaces a non-symmetric R by (R + Rᵀ)/2 with a warning; here that happens only when this is
   * true, otherwise a non-symmetric R is a ValidationError (it is usually a wrong layout or a wrong file).
   */
  symmetrize?: boolean;
  /**
   * Stop when an estimated prior variance exceeds 100 × max z² (`check_prior`, susie_rss's default true):
   * usually a mismatch between the z-scores and the LD matrix.
   */
  checkPrior?: boolean;
}

/** Purity of a credible set: |r| over its pairs of variants. */
export interface SusiePurity {
  /** Smallest |r| (the set is kept when ≥ `minAbsCorr`). */
  minAbsCorr: number;
  /** Mean |r|. */
  meanAbsCorr: number;
  /** Median |r|. */
  medianAbsCorr: number;
}

/** One credible set (susieR's `sets$cs`, `$coverage`, `$purity`, `$cs_index` for one set). */
export interface SusieCredibleSet {
  /** The variants (0-based column indices, increasing). */
  variants: number[];
  /** The set's own coverage: the sum of its effect's alpha over its variants. */
  coverage: number;
  /** Purity (min/mean/median |r|). */
  purity: SusiePurity;
  /** Which effect (0-based row of `alpha`) the set belongs to; susieR's `cs_index` is this plus one. */
  csIndex: number;
}

/**
 * A SuSiE fit: susieR's result under camel-cased names. Matrices over effects × variants are arrays of
 * `L` rows (views into one contiguous buffer), row `l` belonging to effect `l`. With `nullWeight > 0`
 * each row has one more entry at the end (susieR's null column); `pip` never does.
 */
export interface SusieFit {
  /** Which function made it. */
  method: "susie" | "susie_rss";
  /** Samples (n). */
  samples: number;
  /** Variants (p). */
  variants: number;
  /** Number of effects fitted (L, after capping at p). */
  effects: number;
  /** Posterior inclusion probability of each variant. */
  pip: Float64Array;
  /** The credible sets that pass the purity filter, by decreasing purity. */
  sets: SusieCredibleSet[];
  /** The coverage asked for. */
  requestedCoverage: number;
  /** Log Bayes factor of each effect (susieR's `lbf`). */
  lbf: Float64Array;
  /** Log Bayes factor of each variant in each effect (susieR's `lbf_variable`, what coloc 5 consumes). */
  lbfVariable: Float64Array[];
  /** Posterior probability that effect l is variant j (`alpha`). */
  alpha: Float64Array[];
  /** Posterior mean of effect l's size given variant j (standardised scale, `mu`). */
  mu: Float64Array[];
  /** Posterior second moment (`mu2`). */
  mu2: Float64Array[];
  /** Prior variance of each effect (`V`); 0 for an effect judged null. */
  V: Float64Array;
  /** KL divergence of each effect (`KL`). */
  KL: Float64Array;
  /** Residual variance at the end (`sigma2`). */
  sigma2: number;
  /** The ELBO after each iteration (`elbo`). */
  elbo: Float64Array;
  /** Iterations run (`niter`). */
  niter: number;
  /** Whether the ELBO rose by less than `tol` before `maxIter`. */
  converged: boolean;
  /** Why the fit did not converge (null when it did). */
  reason: string | null;
  /** Things the user should know (L capped at p, a set dropped, the ELBO decreasing…). */
  warnings: string[];
  /** The intercept (`intercept`); `null` for susieRss, which has no means of X and y to compute it from. */
  intercept: number | null;
  /** Fitted values (individual-level fits only; `null` for susieRss). */
  fitted: Float64Array | null;
  /** Scale of each variant (its standard deviation, 1 where not standardised or constant). */
  columnScale: Float64Array;
  /** Index of susieR's null column in the rows of alpha/mu/…, or −1 without `nullWeight`. */
  nullIndex: number;
}
