/**
 * What the cis scan ({@linkcode cisNominal}, {@linkcode cisPermutations}) takes: one tissue's phenotypes,
 * genotypes and covariates, and the scan's options.
 *
 * @module
 */
import type { Covariates } from "./regression_types.ts";

/**
 * One tissue's input to the cis scan ({@linkcode cisNominal}, {@linkcode cisPermutations}), in the shape
 * of the release's files:
 *
 * - `sampleIds`: the normalised BED's sample IDs (its header after `#chr start end phenotype_id`);
 * - `phenotypes`: the BED's rows — ID, chromosome, TSS (the BED `end`, tensorQTL's `pos`), and the values
 *   in `sampleIds` order (already normalised: used as they are);
 * - `genotypes`: one row of ALT dosages per variant, sorted by position within each chromosome (each
 *   chromosome's variants contiguous), in `sampleIds` order or in `genotypes.sampleIds` order (a VCF's
 *   columns, aligned by ID). A variant-major `Int8Array` (missing = -1, 1 byte a dosage: the compact
 *   form for a whole chromosome) or `Float64Array` (missing = NaN; dosages in [0, 2], so imputed or
 *   `DS` dosages work too) of `variantIds.length × samples`, or one array per variant (missing = null);
 * - `covariates`: the tissue's covariate file as a frame, or a {@linkcode CovariateMatrix}; aligned by ID.
 */
export interface CisScanInput {
  /** The normalised BED's sample IDs, in column order. */
  sampleIds: readonly string[];
  /** Phenotypes: IDs, positions and values. */
  phenotypes: {
    /** Phenotype IDs (the BED's `phenotype_id`), distinct. */
    phenotypeIds: readonly string[];
    /** Chromosome of each (`chr1` …), as the variants name them. */
    chromosomes: readonly string[];
    /** TSS of each (1-based; the BED's `end`). */
    positions: ArrayLike<number>;
    /** One row of values per phenotype, in `sampleIds` order; or one phenotype-major Float64Array. */
    values: readonly ArrayLike<number>[] | Float64Array;
  };
  /** Variants: IDs, positions and dosages. */
  genotypes: {
    /** Variant IDs. */
    variantIds: readonly string[];
    /** Chromosome of each. */
    chromosomes: readonly string[];
    /** Position of each (1-based), non-decreasing within a chromosome. */
    positions: ArrayLike<number>;
    /** ALT dosages (see above). */
    dosages: Int8Array | Float64Array | readonly ArrayLike<number | null>[];
    /** Sample ID of each dosage column, when not in `sampleIds` order. */
    sampleIds?: readonly string[];
  };
  /** The tissue's covariates. */
  covariates: Covariates;
}

/** Options of {@linkcode cisNominal} (and {@linkcode cisPermutations}). */
export interface CisScanOptions {
  /** Half-width of the cis window in base pairs (default 1,000,000, as RatGTEx ran tensorQTL). */
  window?: number;
  /** Drop variants whose minor allele frequency (over the samples) is below this (default 0: none). */
  mafThreshold?: number;
  /**
   * Threads (Workers) to use; 1 runs on the calling thread. Default: `navigator.hardwareConcurrency` when
   * the scan is large (≳ 0.1 s of work), else 1. The results are the same bits for any count.
   */
  threads?: number;
}
