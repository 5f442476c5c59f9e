/**
 * tensorQTL's `map_cis` whole: the permutation pass of one tissue ({@linkcode cisPermutations}) followed,
 * phenotype by phenotype (or group by group), by the beta approximation of its permutation p-value
 * ({@linkcode betaApproxPValue}) and the Monte-Carlo interval of that p-value
 * ({@linkcode pValueBetaInterval}) — the columns RatGTEx's `top_assoc` is made from.
 *
 * @module
 */
import pl from "nodejs-polars";
import { RegressionInputError } from "./regression_types.ts";
import { type CisPermutationOptions, cisPermutations, type CisScanInput } from "./cis_scan.ts";
import { betaApproxPValue } from "./permutation_beta.ts";
import { pValueBetaInterval, type PValueBetaIntervalOptions } from "./permutation_interval.ts";

/** Options of {@linkcode cisPermutationPass}. */
export interface CisPermutationPassOptions extends CisPermutationOptions {
  /**
   * The group of each phenotype, in input order (tensorQTL's `group_s`; RatGTEx groups the isoform,
   * splicing, alternative TSS and polyA phenotypes of a gene): a group's phenotypes share one cis window;
   * the group's row is its strongest phenotype's, its permutation maximum the maximum over its phenotypes,
   * and its beta fit starts at dof / 4, as tensorQTL does. Default: no groups.
   */
  groups?: readonly string[];
  /** The Monte-Carlo interval of `pval_beta` ({@linkcode PValueBetaIntervalOptions}). */
  interval?: PValueBetaIntervalOptions;
}

/** What {@linkcode cisPermutationPass} returns. */
export interface CisPermutationPassResult {
  /** One row per phenotype (or group); columns in {@linkcode cisPermutationPass}. */
  table: pl.DataFrame;
  /** Permutations per phenotype. */
  nPermutations: number;
  /** The nominal test's residual degrees of freedom, n − 2 − k. */
  dof: number;
  /** The seed of the permutations (null when they were given as indices). */
  seed: number | null;
}

/**
 * The permutation pass of one tissue with tensorQTL's beta approximation (`map_cis`): for each phenotype
 * (or group of phenotypes), the top cis variant, the best r² of every permutation, and from them
 * `pval_perm`, the effective degrees of freedom `true_df`, the fitted beta shapes and `pval_beta` —
 * exactly as tensorQTL computes them given the same permutations (the same `seed` draws the same
 * permutations as `map_cis(seed=…)`), in float64 — with the Monte-Carlo interval of `pval_beta`.
 *
 * `table` has one row per phenotype (with `groups`: per group, in order of first appearance):
 * `phenotype_id` (Utf8, the group's strongest phenotype), `group_id` (Utf8; the phenotype ID without
 * groups), `group_size` (Int32), `num_var` (Int32, variants tested), `variant_id` (Utf8, the top variant),
 * `start_distance` (Int32), `af` (Float64), `ma_samples`, `ma_count` (Int32), `pval_nominal`, `slope`,
 * `slope_se` (Float64, the top pair's nominal statistics), `pval_perm`, `pval_beta`, `beta_shape1`,
 * `beta_shape2`, `true_df`, `pval_true_df` (Float64, tensorQTL's), `pval_beta_low`, `pval_beta_high`
 * (Float64, the Monte-Carlo interval), and `reason` (Utf8: why the values are NaN or null, else null).
 *
 * @param input One tissue (see {@linkcode CisScanInput}).
 * @param options As {@linkcode cisPermutations} (`permutations`, default 10,000 as tensorQTL; `seed`;
 *   `window`; `mafThreshold`; `threads`; `randomTiebreak`), and `groups`, `interval`.
 * @returns The table, the permutation count, dof and seed.
 * @throws {RegressionInputError} As {@linkcode cisPermutations}, and for `groups` of the wrong length.
 *
 * @example
 * ```ts
 * import { cisPermutationPass } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const n = 40;
 * const sampleIds = Array.from({ length: n }, (_, s) => `r${s}`);
 * const g = (v: number) => sampleIds.map((_, s) => (s * (v + 3) + v) % 3); // 0/1/2 dosages
 * const dosages = [g(0), g(1), g(2)];
 * const input = {
 *   sampleIds,
 *   phenotypes: {
 *     phenotypeIds: ["G1"],
 *     chromosomes: ["chr1"],
 *     positions: [500],
 *     values: [dosages[1].map((d, s) => d + Math.sin(7 * s))],
 *   },
 *   genotypes: {
 *     variantIds: ["chr1:100", "chr1:200", "chr1:300"],
 *     chromosomes: ["chr1", "chr1", "chr1"],
 *     positions: [100, 200, 300],
 *     dosages,
 *   },
 *   covariates: { names: ["PC1"], values: [sampleIds.map((_, s) => Math.cos(s))], sampleIds },
 * };
 * const { table, dof } = await cisPermutationPass(input, { permutations: 200, seed: 1 });
 * const [row] = table.toRecords() as { variant_id: string; pval_beta: number; pval_perm: number }[];
 * assert.equal(row.variant_id, "chr1:200");
 * assert.equal(dof, n - 3);
 * assert.ok(row.pval_beta < 0.01 && row.pval_perm === 1 / 201); // no permutation beat it
 * ```
 */
export async function cisPermutationPass(
  input: CisScanInput,
  options: CisPermutationPassOptions = {},
): Promise<CisPermutationPassResult> {
  const ids = input?.phenotypes?.phenotypeIds;
  const groups = options.groups;
  if (groups !== undefined && (!Array.isArray(groups) || groups.length !== ids?.length)) {
    throw new RegressionInputError(
      "options.groups",
      null,
      Array.isArray(groups) ? `${groups.length} groups` : groups,
      `one group ID per phenotype is needed (${ids?.length} phenotypes)`,
      "pass the gene of each phenotype, in the phenotypes' order",
    );
  }
  const pass = await cisPermutations(input, options);
  const { nPermutations: np, dof, seed } = pass;
  const t = pass.table;
  const col = <T>(name: string) => t.getColumn(name).toArray() as T[];
  const phenotypeId = col<string>("phenotype_id");
  const r2Nominal = col<number>("r2_nominal");
  const reasons = col<string | null>("reason");
  // Groups in order of first appearance.
  const members = new Map<string, number[]>();
  phenotypeId.forEach((id, j) => {
    const key = groups === undefined ? id : groups[j];
    members.set(key, [...(members.get(key) ?? []), j]);
  });
  const rows: number[] = [];
  const out = {
    groupId: [] as string[],
    groupSize: [] as number[],
    pvalPerm: [] as number[],
    pvalBeta: [] as number[],
    shape1: [] as number[],
    shape2: [] as number[],
    trueDf: [] as number[],
    pvalTrueDf: [] as number[],
    low: [] as number[],
    high: [] as number[],
    reason: [] as (string | null)[],
  };
  for (const [groupId, js] of members) {
    // tensorQTL: the phenotype with the largest |r_nominal| (the first on ties) gives the row.
    let top = -1;
    for (const j of js) if (Number.isFinite(r2Nominal[j]) && (top < 0 || r2Nominal[j] > r2Nominal[top])) top = j;
    rows.push(top < 0 ? js[0] : top);
    out.groupId.push(groupId);
    out.groupSize.push(js.length);
    const nan = (reason: string | null) => {
      for (const k of ["pvalPerm", "pvalBeta", "shape1", "shape2", "trueDf", "pvalTrueDf", "low", "high"] as const) {
        out[k].push(NaN);
      }
      out.reason.push(reason);
    };
    if (top < 0) {
      nan(reasons[js[0]] ?? "no variant could be tested");
      continue;
    }
    const r2Perm = new Float64Array(np).fill(-Infinity);
    for (const j of js) {
      if (!Number.isFinite(r2Nominal[j])) continue;
      for (let i = 0; i < np; i++) r2Perm[i] = Math.max(r2Perm[i], pass.r2Perm[j * np + i]);
    }
    const beta = { r2Perm, r2Nominal: r2Nominal[top], dof };
    if (np < 2) {
      let above = 0;
      for (const x of r2Perm) if (x >= beta.r2Nominal) above++;
      nan("at least 2 permutations are needed to fit a beta distribution");
      out.pvalPerm[out.pvalPerm.length - 1] = (above + 1) / (np + 1);
      continue;
    }
    const fit = betaApproxPValue(beta, { dofInit: groups === undefined ? dof : dof * 0.25 });
    const mc = pValueBetaInterval(beta, fit, options.interval);
    out.pvalPerm.push(fit.pvalPerm);
    out.pvalBeta.push(fit.pvalBeta);
    out.shape1.push(fit.betaShape1);
    out.shape2.push(fit.betaShape2);
    out.trueDf.push(fit.trueDf);
    out.pvalTrueDf.push(fit.pvalTrueDf);
    out.low.push(mc.low);
    out.high.push(mc.high);
    out.reason.push(fit.reason ?? mc.reason);
  }
  const pick = (name: string) => {
    const s = t.getColumn(name);
    return pl.Series(name, rows.map((j) => s.get(j)), s.dtype);
  };
  const f64 = (name: string, values: number[]) => pl.Series(name, values, pl.Float64);
  const table = pl.DataFrame([
    pick("phenotype_id"),
    pl.Series("group_id", out.groupId, pl.Utf8),
    pl.Series("group_size", out.groupSize, pl.Int32),
    pick("num_var"),
    pick("variant_id"),
    pick("start_distance"),
    pick("af"),
    pick("ma_samples"),
    pick("ma_count"),
    pick("pval_nominal"),
    pick("slope"),
    pick("slope_se"),
    f64("pval_perm", out.pvalPerm),
    f64("pval_beta", out.pvalBeta),
    f64("beta_shape1", out.shape1),
    f64("beta_shape2", out.shape2),
    f64("true_df", out.trueDf),
    f64("pval_true_df", out.pvalTrueDf),
    f64("pval_beta_low", out.low),
    f64("pval_beta_high", out.high),
    pl.Series("reason", out.reason, pl.Utf8),
  ]);
  return { table, nPermutations: np, dof, seed };
}
