/**
 * tensorQTL's `post.calculate_qvalues(res_df, fdr = 0.05, qvalue_lambda = 0.85)`, the step after `map_cis`
 * that RatGTEx's pipeline runs (Pantry `run_tensorqtl.py`): Storey q-values of the tissue's `pval_beta`
 * column (R's qvalue through rpy2, {@linkcode qvalue} here), the genome-wide min-p threshold at the FDR
 * cut-off, and each phenotype's `pval_nominal_threshold` — the beta quantile of that threshold under the
 * phenotype's own fitted beta.
 *
 * As the code does it (tensorQTL 1.0.10, `post.py`): the threshold p* is the midpoint between the largest
 * `pval_beta` with `qval ≤ fdr` and the smallest with `qval > fdr` (the largest alone when every phenotype
 * is significant); `pval_nominal_threshold = stats.beta.ppf(p*, beta_shape1, beta_shape2)`, with no
 * conversion through `true_df`; a variant–phenotype pair is then significant when its `pval_nominal` (at the
 * nominal dof) is below it. `map_cis` stores the shapes as float32 before this step, so by default they are
 * rounded to float32 here too.
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import { incompleteBetaInverse } from "./_special.ts";
import { qvalue } from "./qvalue.ts";

/** One tissue's permutation results: tensorQTL `map_cis` columns, one entry per phenotype (or group). */
export interface PermutationTable {
  /** `pval_beta` (NaN where missing). */
  pvalBeta: ArrayLike<number>;
  /** `beta_shape1`. */
  betaShape1: ArrayLike<number>;
  /** `beta_shape2`. */
  betaShape2: ArrayLike<number>;
  /** `pval_perm`, used (as tensorQTL does) only when every `pval_beta` is missing. */
  pvalPerm?: ArrayLike<number>;
}

/** Options of {@linkcode permutationQvalues}. */
export interface PermutationQvalueOptions {
  /** FDR cut-off (tensorQTL's `fdr`, default 0.05). */
  fdr?: number;
  /** Storey's λ (default 0.85, RatGTEx's `qvalue_lambda`). */
  lambda?: number;
  /**
   * Round the beta shapes to float32 first, as `map_cis`'s output frame holds them (default true). Turn off
   * to use full-precision shapes (e.g. straight from {@linkcode betaApproxPValue}) as they are.
   */
  shapesAsFloat32?: boolean;
}

/** What {@linkcode permutationQvalues} adds to the table. */
export interface PermutationQvalues {
  /** `qval`, one per phenotype. */
  qval: Float64Array;
  /** Storey's pi0 (tensorQTL logs 1 − pi0 as "proportion of significant phenotypes"). */
  pi0: number;
  /** Which column the q-values came from (`pval_perm` only when every `pval_beta` is missing). */
  pvalColumn: "pval_beta" | "pval_perm";
  /** Phenotypes with `qval ≤ fdr`. */
  significant: number;
  /** The min-p threshold p* at the FDR cut-off; null when there is none (see `reason`). */
  pThreshold: number | null;
  /** `pval_nominal_threshold`, one per phenotype; null when tensorQTL adds no such column (see `reason`). */
  pvalNominalThreshold: Float64Array | null;
  /** Why there is no threshold (no phenotype significant, or q-values from `pval_perm`), else null. */
  reason: string | null;
}

/**
 * The min-p significance threshold at an FDR cut-off, as tensorQTL's `calculate_qvalues` picks it: the
 * midpoint between the largest `pval_beta` among phenotypes with `qval ≤ fdr` and the smallest among the
 * rest (the largest alone when all are significant); null when none is significant.
 *
 * @param pvalBeta `pval_beta`, one per phenotype (NaN rows are ignored).
 * @param qval `qval`, one per phenotype.
 * @param fdr The FDR cut-off (default 0.05).
 * @returns p*, or null.
 * @throws {ValidationError} When the columns differ in length or fdr is outside (0, 1].
 *
 * @example
 * ```ts
 * import { minPValueThreshold } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * assert.equal(minPValueThreshold([1e-4, 0.002, 0.5], [0.001, 0.04, 0.6], 0.05), (0.002 + 0.5) / 2);
 * assert.equal(minPValueThreshold([0.3, 0.5], [0.4, 0.6], 0.05), null);
 * ```
 */
export function minPValueThreshold(
  pvalBeta: ArrayLike<number>,
  qval: ArrayLike<number>,
  fdr = 0.05,
): number | null {
  if (pvalBeta.length !== qval.length) {
    throw new ValidationError(
      "qval",
      qval.length,
      `${qval.length} q-values for ${pvalBeta.length} p-values`,
      "pass the two columns of the same table",
    );
  }
  checkFdr(fdr);
  let lb = -Infinity;
  let ub = Infinity;
  let any = false;
  let anyAbove = false;
  for (let i = 0; i < qval.length; i++) {
    const p = pvalBeta[i];
    // pandas' sort_values puts NaN last and iloc[-1]/iloc[0] would pick it: tensorQTL's rows with a q-value
    // always have a pval_beta, so NaN p-values only come with NaN q-values, which neither side takes.
    if (Number.isNaN(p)) continue;
    if (qval[i] <= fdr) {
      any = true;
      if (p > lb) lb = p;
    } else if (qval[i] > fdr) {
      anyAbove = true;
      if (p < ub) ub = p;
    }
  }
  if (!any) return null;
  return anyAbove ? (lb + ub) / 2 : lb;
}

function checkFdr(fdr: number): void {
  if (typeof fdr !== "number" || !(fdr > 0 && fdr <= 1)) {
    throw new ValidationError("fdr", fdr, "the FDR cut-off must be in (0, 1]", "pass e.g. 0.05, tensorQTL's default");
  }
}

/**
 * A phenotype's nominal p-value threshold (`pval_nominal_threshold`): the quantile of its fitted beta
 * distribution at the tissue's min-p threshold, `stats.beta.ppf(pThreshold, betaShape1, betaShape2)` as
 * tensorQTL's `post.calculate_qvalues` computes it (no conversion through `true_df`).
 *
 * @param params `{ betaShape1, betaShape2, pThreshold }`: the phenotype's beta shapes (`beta_shape1`,
 *   `beta_shape2`) and the tissue's min-p threshold ({@linkcode minPValueThreshold}).
 * @param options `{ shapesAsFloat32 = true }`: round the shapes to float32 first, as `map_cis` stores them.
 * @returns The threshold in [0, 1]; NaN when a shape is NaN (tensorQTL's NaN row), with no error.
 * @throws {ValidationError} When pThreshold is outside [0, 1] or a shape is ≤ 0 or infinite.
 *
 * @example
 * ```ts
 * import { betaCdf, nominalThreshold } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const t = nominalThreshold({ betaShape1: 1.02, betaShape2: 650, pThreshold: 0.0123 }, { shapesAsFloat32: false });
 * assert.ok(Math.abs(betaCdf(t, 1.02, 650) / 0.0123 - 1) < 1e-12); // the beta quantile of p*
 * ```
 */
export function nominalThreshold(
  params: { betaShape1: number; betaShape2: number; pThreshold: number },
  options: { shapesAsFloat32?: boolean } = {},
): number {
  const { pThreshold } = params;
  if (typeof pThreshold !== "number" || !(pThreshold >= 0 && pThreshold <= 1)) {
    throw new ValidationError("pThreshold", pThreshold, "must be a probability in [0, 1]", "pass p* from the FDR step");
  }
  const f32 = options.shapesAsFloat32 !== false;
  const a = f32 ? Math.fround(params.betaShape1) : params.betaShape1;
  const b = f32 ? Math.fround(params.betaShape2) : params.betaShape2;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  for (const [name, v] of [["betaShape1", a], ["betaShape2", b]] as const) {
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) {
      throw new ValidationError(name, v, "a beta shape must be finite and > 0", "pass the phenotype's fitted shapes");
    }
  }
  if (pThreshold === 0) return 0;
  if (pThreshold === 1) return 1;
  return incompleteBetaInverse(pThreshold, a, b);
}

/**
 * q-values, the min-p threshold and every phenotype's nominal threshold for one tissue's permutation
 * results, exactly as tensorQTL's `post.calculate_qvalues(res, fdr, qvalue_lambda)` (which RatGTEx runs with
 * λ = 0.85, FDR 0.05): `qval` by R's qvalue with a single λ (bit for bit), p* by
 * {@linkcode minPValueThreshold}, `pval_nominal_threshold` by {@linkcode nominalThreshold}. A NaN `pval_beta`
 * gets a NaN `qval` (R's NA); tensorQTL itself stops on such a table (its `stats.pearsonr` of `pval_perm`
 * against `pval_beta` refuses NaN).
 *
 * @param table `{ pvalBeta, betaShape1, betaShape2, pvalPerm? }`: the tissue's `map_cis` columns.
 * @param options `{ fdr = 0.05, lambda = 0.85, shapesAsFloat32 = true }`.
 * @returns `{ qval, pi0, pvalColumn, significant, pThreshold, pvalNominalThreshold, reason }`.
 * @throws {ValidationError} When the columns differ in length, a p-value is outside [0, 1], or no p-value
 *   reaches λ (R's "estimated pi0 <= 0").
 *
 * @example
 * ```ts
 * import { permutationQvalues } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const res = permutationQvalues({
 *   pvalBeta: [1e-9, 2e-6, 0.004, 0.2, 0.6, 0.9, 0.95],
 *   betaShape1: [1, 1.01, 0.99, 1, 1.02, 1, 0.98],
 *   betaShape2: [500, 800, 650, 900, 700, 400, 1200],
 * });
 * assert.equal(res.significant, 3); // qval ≤ 0.05
 * assert.equal(res.pThreshold, (0.004 + 0.2) / 2);
 * assert.ok(res.pvalNominalThreshold![0] < res.pThreshold!); // a per-gene threshold on the nominal p
 * ```
 */
export function permutationQvalues(
  table: PermutationTable,
  options: PermutationQvalueOptions = {},
): PermutationQvalues {
  if (table === null || typeof table !== "object") {
    throw new ValidationError("table", table, "not a permutation table", "pass { pvalBeta, betaShape1, betaShape2 }");
  }
  const fdr = options.fdr ?? 0.05;
  checkFdr(fdr);
  const n = table.pvalBeta?.length;
  for (const col of ["betaShape1", "betaShape2", "pvalPerm"] as const) {
    const v = table[col];
    if (v === undefined && col === "pvalPerm") continue;
    if (v === undefined || v === null || v.length !== n) {
      throw new ValidationError(
        col,
        v?.length,
        `${v?.length} values for ${n} phenotypes`,
        "pass the columns of one table",
      );
    }
  }
  let allMissing = true;
  for (let i = 0; i < n; i++) if (!Number.isNaN(table.pvalBeta[i])) allMissing = false;
  const pvalColumn = allMissing ? "pval_perm" : "pval_beta";
  if (allMissing && table.pvalPerm === undefined) {
    throw new ValidationError(
      "pvalBeta",
      n,
      "every pval_beta is missing and no pvalPerm was given",
      "pass pvalPerm (tensorQTL then uses it)",
    );
  }
  const p = allMissing ? (table.pvalPerm as ArrayLike<number>) : table.pvalBeta;
  const { qvalues: qval, pi0 } = qvalue(p, { lambda: options.lambda ?? 0.85 });
  let significant = 0;
  for (const q of qval) if (q <= fdr) significant++;
  if (allMissing) {
    return {
      qval,
      pi0,
      pvalColumn,
      significant,
      pThreshold: null,
      pvalNominalThreshold: null,
      reason: "no beta-approximated p-values: tensorQTL computes q-values from pval_perm and no nominal threshold",
    };
  }
  const pThreshold = minPValueThreshold(table.pvalBeta, qval, fdr);
  if (pThreshold === null) {
    return {
      qval,
      pi0,
      pvalColumn,
      significant,
      pThreshold: null,
      pvalNominalThreshold: null,
      reason: `no phenotype has qval ≤ ${fdr}: tensorQTL adds no pval_nominal_threshold column`,
    };
  }
  const f32 = options.shapesAsFloat32 !== false;
  const pvalNominalThreshold = Float64Array.from(
    { length: n },
    (_, i) =>
      nominalThreshold({ betaShape1: table.betaShape1[i], betaShape2: table.betaShape2[i], pThreshold }, {
        shapesAsFloat32: f32,
      }),
  );
  return { qval, pi0, pvalColumn, significant, pThreshold, pvalNominalThreshold, reason: null };
}
