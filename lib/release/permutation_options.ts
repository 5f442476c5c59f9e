/**
 * The options of a release's permutation statistics (`Release.permutationStatistics`,
 * `Release.eqtlStatistics`), and the permutations of the bundled miniature release.
 *
 * @module
 */

/** Options of `Release.permutationStatistics`. */
export interface PermutationStatisticsOptions {
  /** Permutations: a count (default 1,000) or an index matrix (count × samples, row-major). */
  permutations?: number | Int32Array;
  /**
   * Seed of the permutations, as `map_cis(seed=…)` draws them (numpy's `np.random.seed`, then one
   * `np.random.permutation(n)` per permutation). Given (or an index matrix given), the release is taken to
   * have used the same permutations: `pval_beta` is compared at its printed precision. Default
   * {@link DEFAULT_PERMUTATION_SEED} (a call is reproducible; tensorQTL without a seed draws a random one),
   * compared statistically.
   */
  seed?: number;
  /** Coverage of the Monte-Carlo interval of `pval_beta` (default 0.999). */
  level?: number;
  /** Permutations the release ran, for the interval (default 10,000: tensorQTL's default, which RatGTEx used). */
  publishedPermutations?: number;
}

/**
 * The seed used when none is given: 0. A call is then reproducible, and its `pval_beta` is compared with the
 * release's statistically (the release's own seed is unknown: RatGTEx ran `map_cis` without one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_PERMUTATION_SEED } from "ratgtex/release";
 * assert.equal(DEFAULT_PERMUTATION_SEED, 0);
 * ```
 */
export const DEFAULT_PERMUTATION_SEED = 0;

/** Options of `Release.eqtlStatistics`: the permutation pass's, where `permutations: 0` skips it. */
export interface EqtlStatisticsOptions extends PermutationStatisticsOptions {
  /** Permutations (default 1,000; 0: no permutation pass, its columns null). */
  permutations?: number | Int32Array;
}

/**
 * How the bundled miniature release ran its permutation pass (`fixtures/README.md`): 1,000 permutations
 * per phenotype from seed 20260426, as `map_cis(seed=20260426, nperm=1000)` draws them. Pass it to
 * `permutationStatistics` / `eqtlStatistics` to reproduce the bundled release's permutation statistics
 * exactly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BUNDLED_PERMUTATIONS } from "ratgtex/release";
 * assert.deepEqual(BUNDLED_PERMUTATIONS, { permutations: 1000, seed: 20260426, publishedPermutations: 1000 });
 * ```
 */
export const BUNDLED_PERMUTATIONS: Readonly<
  Required<Pick<PermutationStatisticsOptions, "permutations" | "seed" | "publishedPermutations">>
> = Object.freeze({
  permutations: 1000,
  seed: 20260426,
  publishedPermutations: 1000,
});
