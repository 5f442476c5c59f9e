/**
 * The cis-eQTL scan of one tissue as tensorQTL runs it (`cis.map_nominal`, `cis.map_cis`), on this
 * room's matrix-product kernel: every phenotype against every variant of its cis window, and the
 * permutation pass that calibrates each phenotype's best association.
 *
 * How (tensorQTL's algorithm, `core.Residualizer` and `core.calculate_corr`): the covariates are
 * orthonormalised once (Q, with the intercept); the phenotypes are centred and residualised once; the
 * dosages (missing calls imputed with the variant's mean) are centred and residualised once per chunk of
 * 256 variants, shared by every phenotype whose window reaches the chunk; every pair's cross product
 * comes from one matrix product per chunk. The statistics are those of `pipelineEqtlStatistics`
 * (dof = n − 2 − k, slope = r·sd(y_r)/sd(g_r), `slope_se = |slope| / |t|`, two-sided Student-t p), in
 * float64 where tensorQTL works in float32.
 *
 * @module
 */
import pl from "nodejs-polars";
import { RegressionInputError } from "./regression_types.ts";
import { CHUNK, EMPTY_WINDOW, type NominalShared, type PermutationShared, SCAN_REASONS } from "./_cis_kernel.ts";
import { type CisPlan, planCisScan } from "./_cis_plan.ts";
import type { CisScanInput, CisScanOptions } from "./cis_scan_types.ts";
import { runCisTasks, sharedBuffer } from "./_cis_pool.ts";
import { MersenneTwister } from "./_mt19937.ts";

export type { CisScanInput, CisScanOptions } from "./cis_scan_types.ts";

/**
 * Without an explicit `threads`, a scan of fewer multiply-adds than this stays on the calling thread (a
 * Worker takes ~0.1 s to start).
 */
const THREADED_WORK = 2e8;

/**
 * The nominal cis scan of one tissue (tensorQTL `map_nominal`): every phenotype against every variant
 * within `window` bp of its TSS, adjusted for the covariates (with an intercept), missing dosages
 * imputed with the variant's mean. Phenotypes whose chromosome has no variant, or whose window holds
 * none, have no rows. For a whole genome, call it once per chromosome (tensorQTL writes one file per
 * chromosome too).
 *
 * Returns one row per pair, phenotypes in input order, each phenotype's variants in position order — the
 * columns of tensorQTL's `cis_qtl_pairs` parquet: `phenotype_id`, `variant_id` (Utf8), `start_distance`
 * (Int32, variant position − TSS: RatGTEx's `tss_distance`), `af` (Float64, ALT allele frequency),
 * `ma_samples`, `ma_count` (Int32, samples carrying and copies of the minor allele, imputed values
 * counted as tensorQTL counts them), `pval_nominal`, `slope`, `slope_se` (Float64, NaN when the pair
 * cannot be fitted), and `reason` (Utf8: why NaN, else null).
 *
 * @param input The tissue's phenotypes, genotypes and covariates (see {@linkcode CisScanInput}).
 * @param options `window` (default 1e6), `mafThreshold` (default 0), `threads` (default: every core when
 *   the scan is large; the result is identical for any count).
 * @returns The frame described above.
 * @throws {RegressionInputError} On misaligned samples, collinear or mis-sized covariates, unsorted
 *   variants, a dosage outside [0, 2], a non-finite phenotype value, a repeated phenotype ID, or a bad
 *   option.
 *
 * @example
 * ```ts
 * import { cisNominal, pipelineEqtlStatistics } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const sampleIds = ["r1", "r2", "r3", "r4", "r5", "r6"];
 * const input = {
 *   sampleIds,
 *   phenotypes: {
 *     phenotypeIds: ["G1"],
 *     chromosomes: ["chr1"],
 *     positions: [1000],
 *     values: [[0.1, 0.5, 0.2, 1.4, 1.0, -0.3]],
 *   },
 *   genotypes: {
 *     variantIds: ["chr1:100", "chr1:900", "chr1:5000"],
 *     chromosomes: ["chr1", "chr1", "chr1"],
 *     positions: [100, 900, 5000],
 *     dosages: new Int8Array([0, 1, 0, 2, -1, 1, 1, 1, 0, 2, 2, 0, 0, 0, 1, 1, 2, 2]),
 *   },
 *   covariates: { names: ["geno_PC1"], values: [[0.3, -0.1, 0.2, 0.0, -0.4, 0.1]], sampleIds },
 * };
 * const pairs = await cisNominal(input, { window: 1000 }); // chr1:5000 is 4 kb away: not cis
 * assert.deepEqual(pairs.getColumn("variant_id").toArray(), ["chr1:100", "chr1:900"]);
 * assert.deepEqual(pairs.getColumn("start_distance").toArray(), [-900, -100]);
 * // The same numbers as the pair-by-pair pipeline statistics.
 * const one = pipelineEqtlStatistics({
 *   sampleIds,
 *   phenotypes: { geneIds: ["G1"], values: input.phenotypes.values },
 *   genotypes: { variantIds: ["chr1:100"], dosages: [[0, 1, 0, 2, null, 1]] },
 *   covariates: input.covariates,
 *   pairs: [{ geneId: "G1", variantId: "chr1:100" }],
 * });
 * const a = pairs.getColumn("slope").get(0), b = one.getColumn("slope").get(0);
 * assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b));
 * ```
 */
export async function cisNominal(input: CisScanInput, options: CisScanOptions = {}): Promise<pl.DataFrame> {
  const plan = planCisScan(input, options, false);
  const { shared, threads, phenotypeOrder, variantIndex, windowLo, windowHi } = plan;
  const { n, k, nVariants, lo, hi } = shared;
  const np = input.phenotypes.phenotypeIds.length;
  // Output rows: phenotypes in input order, each its window.
  const rowOfInput = new Int32Array(np + 1);
  for (let j = 0; j < np; j++) rowOfInput[j + 1] = rowOfInput[j] + (windowHi[j] - windowLo[j]);
  const rows = rowOfInput[np];
  const g = phenotypeOrder.length;
  const rowStart = new Int32Array(sharedBuffer(g * 4, threads));
  for (let j = 0; j < g; j++) rowStart[j] = rowOfInput[phenotypeOrder[j]];
  // Per chunk of variants: the phenotypes (scan order) whose windows reach it (lo and hi are both
  // non-decreasing in scan order, so they form one run).
  const chunks = Math.ceil(nVariants / CHUNK);
  const chunkPhenotypes = new Int32Array(sharedBuffer(chunks * 8, threads));
  let maxPhenotypes = 0;
  let work = 0;
  for (let c = 0, first = 0, last = 0; c < chunks; c++) {
    const v0 = c * CHUNK;
    const v1 = Math.min(v0 + CHUNK, nVariants);
    while (first < g && hi[first] <= v0) first++;
    last = Math.max(last, first);
    while (last < g && lo[last] < v1) last++;
    chunkPhenotypes[2 * c] = first;
    chunkPhenotypes[2 * c + 1] = last;
    maxPhenotypes = Math.max(maxPhenotypes, last - first);
    work += (v1 - v0) * n * (k + last - first);
  }
  const f64 = () => new Float64Array(sharedBuffer(rows * 8, threads));
  const nominal: NominalShared = {
    ...shared,
    rowStart,
    chunkPhenotypes,
    maxPhenotypes,
    af: f64(),
    maSamples: new Int32Array(sharedBuffer(rows * 4, threads)),
    maCount: new Int32Array(sharedBuffer(rows * 4, threads)),
    slope: f64(),
    slopeSe: f64(),
    tStatistic: f64(),
    pValue: f64(),
    reason: new Uint8Array(sharedBuffer(rows, threads)),
  };
  const tasks = Array.from({ length: chunks }, (_, c) => c);
  // Rows cost ~1 µs each (the p-value) besides the products: count them as work too.
  const useThreads = options.threads !== undefined || work + rows * 5000 > THREADED_WORK ? threads : 1;
  await runCisTasks(nominal, "nominal", tasks, useThreads, 4);

  // The ID columns by joins on row indices (polars copies 600,000 strings from JavaScript in ~0.5 s,
  // joins them in ~0.05 s).
  const vPos = input.genotypes.positions;
  const pPos = input.phenotypes.positions;
  const phenotypeIndex = new Int32Array(rows);
  const variantRow = new Int32Array(rows);
  const startDistance = new Int32Array(rows);
  for (let j = 0; j < np; j++) {
    const tss = pPos[j];
    for (let v = windowLo[j], row = rowOfInput[j]; v < windowHi[j]; v++, row++) {
      const original = variantIndex[v];
      phenotypeIndex[row] = j;
      variantRow[row] = original;
      startDistance[row] = vPos[original] - tss;
    }
  }
  const lookup = (name: string, ids: readonly string[]) =>
    pl.DataFrame([
      pl.Series(`${name}_index`, Int32Array.from({ length: ids.length }, (_, i) => i), pl.Int32),
      pl.Series(name, ids as string[], pl.Utf8),
    ]);
  return pl.DataFrame([
    pl.Series("phenotype_id_index", phenotypeIndex, pl.Int32),
    pl.Series("variant_id_index", variantRow, pl.Int32),
    pl.Series("start_distance", startDistance, pl.Int32),
    pl.Series("af", new Float64Array(nominal.af), pl.Float64),
    pl.Series("ma_samples", new Int32Array(nominal.maSamples), pl.Int32),
    pl.Series("ma_count", new Int32Array(nominal.maCount), pl.Int32),
    pl.Series("pval_nominal", new Float64Array(nominal.pValue), pl.Float64),
    pl.Series("slope", new Float64Array(nominal.slope), pl.Float64),
    pl.Series("slope_se", new Float64Array(nominal.slopeSe), pl.Float64),
    pl.Series("reason_index", Int32Array.from(nominal.reason), pl.Int32),
  ])
    .join(lookup("reason", SCAN_REASONS as string[]), { on: "reason_index", how: "left" })
    .join(lookup("phenotype_id", input.phenotypes.phenotypeIds), { on: "phenotype_id_index", how: "left" })
    .join(lookup("variant_id", input.genotypes.variantIds), { on: "variant_id_index", how: "left" })
    .select(
      "phenotype_id",
      "variant_id",
      "start_distance",
      "af",
      "ma_samples",
      "ma_count",
      "pval_nominal",
      "slope",
      "slope_se",
      "reason",
    );
}

/** Options of {@linkcode cisPermutations}. */
export interface CisPermutationOptions extends CisScanOptions {
  /**
   * The permutations: a count (default 10,000, tensorQTL's `nperm`), drawn from `seed` as tensorQTL
   * draws them; or an explicit index matrix (`count × samples`, each row a permutation of 0 … n − 1:
   * permuted sample s takes the value of sample `row[s]`), e.g. to match another implementation's.
   */
  permutations?: number | Int32Array;
  /**
   * Seed of the permutations (an integer in [0, 2³²)): {@linkcode permutationIndices}`(n, count, seed)`,
   * which is numpy's `np.random.seed(seed)` then `np.random.permutation(n)` per permutation — exactly
   * the permutations tensorQTL's `map_cis(seed=seed)` uses. Default: a random seed, returned in the
   * result so the run can be repeated.
   */
  seed?: number;
  /**
   * Break ties for the nominal top variant at random (tensorQTL's `random_tiebreak`, which RatGTEx
   * used); default false: the first in position order (tensorQTL's default, `argmax`). tensorQTL draws
   * the tie-break from torch's generator; here each phenotype has its own MT19937 stream seeded from
   * `seed` and its input index, so a tie-break cannot match tensorQTL's draw but is reproducible and
   * independent of the thread count.
   */
  randomTiebreak?: boolean;
}

/** The permutation pass of one tissue (see {@linkcode cisPermutations}). */
export interface CisPermutationResult {
  /** One row per input phenotype; columns in {@linkcode cisPermutations}. */
  table: pl.DataFrame;
  /**
   * The largest r² over the phenotype's variants for each permutation (tensorQTL's `r2_perm`): row i
   * (`nPermutations` values from `i · nPermutations`) belongs to `table` row i; NaN for a phenotype
   * without a result. 8 bytes a permutation a phenotype: 10,000 permutations of 25,000 genes would be
   * 2 GB, so scan a genome chromosome by chromosome.
   */
  r2Perm: Float64Array;
  /** Permutations per phenotype. */
  nPermutations: number;
  /** Residual degrees of freedom, n − 2 − k (the beta approximation's `dof`). */
  dof: number;
  /** The seed the permutations were drawn from (null when they were given explicitly). */
  seed: number | null;
}

/**
 * numpy's legacy `np.random.seed(seed)` followed by `count` calls of `np.random.permutation(nSamples)`:
 * the permutation indices tensorQTL's `map_cis(seed=seed)` draws (MT19937, Fisher–Yates from the last
 * element with numpy's masked bounded integers). Row i is permutation i.
 *
 * @param nSamples Samples (n).
 * @param count Permutations.
 * @param seed An integer in [0, 2³²).
 * @returns `count × nSamples` indices, row-major.
 * @throws {RegressionInputError} When a size is not a non-negative integer or the seed is out of range.
 *
 * @example
 * ```ts
 * import { permutationIndices } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * // python3 -c "import numpy as np; np.random.seed(123456); print(np.random.permutation(10))"
 * assert.deepEqual([...permutationIndices(10, 1, 123456)], [8, 7, 6, 4, 5, 3, 0, 9, 2, 1]);
 * ```
 */
export function permutationIndices(nSamples: number, count: number, seed: number): Int32Array {
  for (const [name, x] of [["nSamples", nSamples], ["count", count]] as const) {
    if (!Number.isSafeInteger(x) || x < 0) {
      throw new RegressionInputError(name, null, x, "must be an integer ≥ 0", "pass a count");
    }
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RegressionInputError("seed", null, seed, "a seed is an integer in [0, 2³²)", "pass e.g. 0");
  }
  const rng = new MersenneTwister(seed);
  const out = new Int32Array(nSamples * count);
  for (let i = 0; i < count; i++) rng.permutation(nSamples, out, i * nSamples);
  return out;
}

function checkPermutations(p: Int32Array, n: number): number {
  if (n === 0 || p.length % n !== 0 || p.length === 0) {
    throw new RegressionInputError(
      "options.permutations",
      null,
      `${p.length} indices`,
      `not a whole number of permutations of the ${n} samples`,
      "pass count × samples indices, row-major",
    );
  }
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < p.length / n; i++) {
    for (let s = 0; s < n; s++) {
      const x = p[i * n + s];
      if (!(x >= 0 && x < n) || seen[x] === i) {
        throw new RegressionInputError(
          "options.permutations",
          i * n + s,
          x,
          `row ${i} is not a permutation of 0 … ${n - 1}`,
          "pass each sample index exactly once per row",
        );
      }
      seen[x] = i;
    }
  }
  return p.length / n;
}

/**
 * The permutation pass of one tissue (tensorQTL `map_cis`, without the beta approximation): for each
 * phenotype, its nominal top variant among the cis variants (monomorphic ones dropped, as tensorQTL
 * does) and, for each of N permutations of the phenotype's samples, the largest r² over those variants
 * (`r2_perm`: what the beta approximation of `pval_beta` is fitted to). The phenotype is permuted, then
 * centred and residualised, as tensorQTL does; every permutation's correlations come from one matrix
 * product per 128 variants.
 *
 * `table` has one row per input phenotype, in input order: `phenotype_id`, `num_var` (Int32, variants
 * tested), `variant_id` (Utf8, the top variant; null without one), `start_distance` (Int32, null without
 * one), `af` (Float64), `ma_samples`, `ma_count` (Int32), `pval_nominal`, `slope`, `slope_se`,
 * `r2_nominal` (Float64: the top variant's statistics, as {@linkcode cisNominal} gives them),
 * `pval_perm` (Float64: (#{r2_perm ≥ r2_nominal} + 1) / (N + 1)), `dof` (Int32, n − 2 − k), `reason`
 * (Utf8, why there is no result, else null).
 *
 * @param input The tissue (see {@linkcode CisScanInput}).
 * @param options As {@linkcode cisNominal}, and `permutations` (count or index matrix), `seed`,
 *   `randomTiebreak` (see {@linkcode CisPermutationOptions}).
 * @returns The table, `r2Perm` (phenotype-major), `nPermutations`, `dof`, `seed`.
 * @throws {RegressionInputError} As {@linkcode cisNominal}, and for a permutation matrix that is not
 *   made of permutations of the samples or a bad seed.
 *
 * @example
 * ```ts
 * import { cisPermutations, permutationIndices } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const sampleIds = Array.from({ length: 12 }, (_, s) => `r${s}`);
 * const dosages = [[0, 1, 2, 0, 1, 2, 0, 1, 2, 1, 0, 1], [1, 1, 0, 0, 2, 2, 1, 0, 1, 1, 0, 2]];
 * const input = {
 *   sampleIds,
 *   phenotypes: {
 *     phenotypeIds: ["G1"],
 *     chromosomes: ["chr1"],
 *     positions: [500],
 *     values: [dosages[0].map((g, s) => g + Math.sin(s))],
 *   },
 *   genotypes: { variantIds: ["chr1:100", "chr1:200"], chromosomes: ["chr1", "chr1"], positions: [100, 200], dosages },
 *   covariates: { names: ["PC1"], values: [sampleIds.map((_, s) => Math.cos(3 * s))], sampleIds },
 * };
 * const result = await cisPermutations(input, { permutations: 100, seed: 1 });
 * assert.equal(result.table.getColumn("variant_id").get(0), "chr1:100");
 * assert.equal(result.dof, 12 - 2 - 1);
 * assert.equal(result.r2Perm.length, 100);
 * // The same permutations passed explicitly give the same r2_perm.
 * const again = await cisPermutations(input, { permutations: permutationIndices(12, 100, 1) });
 * assert.deepEqual(again.r2Perm, result.r2Perm);
 * ```
 */
export async function cisPermutations(
  input: CisScanInput,
  options: CisPermutationOptions = {},
): Promise<CisPermutationResult> {
  const plan: CisPlan & { centred?: Float64Array } = planCisScan(input, options, true);
  const { shared, threads, phenotypeOrder, variantIndex } = plan;
  const { n, k } = shared;
  let seed: number | null = null;
  let permutations: Int32Array;
  const given = options.permutations ?? 10_000;
  if (given instanceof Int32Array) {
    checkPermutations(given, n);
    permutations = given;
  } else {
    if (!Number.isSafeInteger(given) || given < 1) {
      throw new RegressionInputError(
        "options.permutations",
        null,
        given,
        "a permutation count is an integer ≥ 1",
        "pass e.g. 1000, or an index matrix",
      );
    }
    seed = options.seed ?? crypto.getRandomValues(new Uint32Array(1))[0];
    permutations = permutationIndices(n, given, seed);
  }
  const np = permutations.length / n;
  const g = phenotypeOrder.length;
  const sharedPermutations = new Int32Array(sharedBuffer(permutations.length * 4, threads));
  sharedPermutations.set(permutations);
  const inputIndex = new Int32Array(sharedBuffer(g * 4, threads));
  inputIndex.set(phenotypeOrder);
  const f64 = (length = g) => new Float64Array(sharedBuffer(length * 8, threads));
  const i32 = () => new Int32Array(sharedBuffer(g * 4, threads));
  const perm: PermutationShared = {
    ...shared,
    yc: plan.centred!,
    permutations: sharedPermutations,
    nPermutations: np,
    randomTiebreak: options.randomTiebreak ?? false,
    seed: seed ?? 0,
    inputIndex,
    numVar: i32(),
    top: i32(),
    af: f64(),
    maSamples: i32(),
    maCount: i32(),
    slope: f64(),
    slopeSe: f64(),
    tStatistic: f64(),
    pValue: f64(),
    r2Nominal: f64(),
    r2Perm: f64(g * np),
    reason: new Uint8Array(sharedBuffer(g, threads)),
  };
  let work = 0;
  for (let j = 0; j < g; j++) work += (shared.hi[j] - shared.lo[j]) * n * (np + k);
  const useThreads = options.threads !== undefined || work > THREADED_WORK ? threads : 1;
  await runCisTasks(perm, "permutations", Array.from({ length: g }, (_, j) => j), useThreads, 1);

  // Back to the caller's phenotype order.
  const count = input.phenotypes.phenotypeIds.length;
  const where = new Int32Array(count).fill(-1);
  phenotypeOrder.forEach((j, i) => where[j] = i);
  const r2Perm = new Float64Array(count * np).fill(NaN);
  const col = {
    numVar: new Int32Array(count),
    variant: new Array<string | null>(count).fill(null),
    distance: new Array<number | null>(count).fill(null),
    af: new Float64Array(count).fill(NaN),
    maSamples: new Int32Array(count),
    maCount: new Int32Array(count),
    p: new Float64Array(count).fill(NaN),
    slope: new Float64Array(count).fill(NaN),
    slopeSe: new Float64Array(count).fill(NaN),
    r2: new Float64Array(count).fill(NaN),
    pPerm: new Float64Array(count).fill(NaN),
    reason: new Array<string | null>(count).fill(SCAN_REASONS[EMPTY_WINDOW]),
  };
  for (let j = 0; j < count; j++) {
    const i = where[j];
    if (i < 0) continue;
    col.numVar[j] = perm.numVar[i];
    col.reason[j] = SCAN_REASONS[perm.reason[i]];
    r2Perm.set(perm.r2Perm.subarray(i * np, (i + 1) * np), j * np);
    const top = perm.top[i];
    if (top < 0) continue;
    const v = variantIndex[top];
    col.variant[j] = input.genotypes.variantIds[v];
    col.distance[j] = input.genotypes.positions[v] - input.phenotypes.positions[j];
    col.af[j] = perm.af[i];
    col.maSamples[j] = perm.maSamples[i];
    col.maCount[j] = perm.maCount[i];
    col.p[j] = perm.pValue[i];
    col.slope[j] = perm.slope[i];
    col.slopeSe[j] = perm.slopeSe[i];
    const r2 = perm.r2Nominal[i];
    col.r2[j] = r2;
    let above = 0;
    for (let t = 0; t < np; t++) if (perm.r2Perm[i * np + t] >= r2) above++;
    col.pPerm[j] = (above + 1) / (np + 1);
  }
  const dof = n - 2 - k;
  const table = pl.DataFrame([
    pl.Series("phenotype_id", [...input.phenotypes.phenotypeIds], pl.Utf8),
    pl.Series("num_var", col.numVar, pl.Int32),
    pl.Series("variant_id", col.variant, pl.Utf8),
    pl.Series("start_distance", col.distance, pl.Int32),
    pl.Series("af", col.af, pl.Float64),
    pl.Series("ma_samples", col.maSamples, pl.Int32),
    pl.Series("ma_count", col.maCount, pl.Int32),
    pl.Series("pval_nominal", col.p, pl.Float64),
    pl.Series("slope", col.slope, pl.Float64),
    pl.Series("slope_se", col.slopeSe, pl.Float64),
    pl.Series("r2_nominal", col.r2, pl.Float64),
    pl.Series("pval_perm", col.pPerm, pl.Float64),
    pl.Series("dof", new Int32Array(count).fill(dof), pl.Int32),
    pl.Series("reason", col.reason, pl.Utf8),
  ]);
  return { table, r2Perm, nPermutations: np, dof, seed };
}
