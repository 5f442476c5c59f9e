/**
 * What the eQTL regression takes and gives: its inputs and options, the result of one fit, the
 * column-wise results of a batch, the note that goes beside every recomputed p-value, and the error
 * for bad input.
 *
 * @module
 */
import { shapeOf } from "../../_core/errors.ts";
import { ValidationError } from "../../_core/errors.ts";
import type { DyneqtlResult } from "../route_results.ts";
import type { ExpressionTransform } from "./transforms.ts";
import type pl from "nodejs-polars";

/**
 * Text to show wherever a recomputed p-value is displayed (tables, plots, notebooks).
 *
 * @example
 * ```ts
 * import { RECOMPUTED_PVALUE_NOTE } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * assert.ok(RECOMPUTED_PVALUE_NOTE.startsWith("Recomputed p-value"));
 * ```
 */
export const RECOMPUTED_PVALUE_NOTE: string =
  "Recomputed p-value: unadjusted ordinary least squares of expression (on the chosen transform) on ALT " +
  "dosage, without the pipeline's covariates (5 genotype PCs, 20 expression PCs) and its quantile " +
  "normalisation, so it will not equal the API's pValue (tensorQTL nominal p-value).";

/**
 * Bad regression input (a NaN, infinite or negative expression value, a dosage other than 0/1/2/null,
 * mismatched lengths, a missing frame column): a {@linkcode ValidationError} that also carries the
 * element `index`. `parameter` names the offending input (e.g. `"data"`, `"input[2].genotypes"`, the
 * frame column `"tpm"`), `value` the offending value, `hint` the fix.
 */
export class RegressionInputError extends ValidationError {
  /** The element index (sample index, flat batch index, or frame row), or `null`. */
  readonly index: number | null;
  /**
   * Build the error; the message reads `parameter[index] is value: problem`, then the fix.
   *
   * @param parameter The parameter at fault.
   * @param index The element index, or `null`.
   * @param value The offending value.
   * @param problem What is wrong.
   * @param fix What to do about it.
   */
  constructor(
    parameter: string,
    index: number | null,
    value: unknown,
    problem: string,
    fix: string,
  ) {
    super(parameter, value, problem, fix);
    this.name = "RegressionInputError";
    this.index = index;
    // Own wording: name the element and show NaN/Infinity as such (JSON would print them as null).
    const where = index === null ? parameter : `${parameter}[${index}]`;
    const shown = typeof value === "string"
      ? JSON.stringify(value)
      : Array.isArray(value)
      ? `[${value.length} items]`
      : typeof value === "object" && value !== null
      ? shapeOf(value) // a frame or an object is named by its shape, never printed whole
      : String(value);
    this.message = `${where} is ${shown}: ${problem}\n  → ${fix}`;
  }
}

/**
 * Text to show beside a p-value computed WITH covariates (tensorQTL's nominal pass): it equals the
 * pipeline's `pval_nominal` only when the phenotype is the release's normalised BED row and the
 * covariates are the release's covariate file for that tissue.
 *
 * @example
 * ```ts
 * import { COVARIATE_PVALUE_NOTE } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * assert.ok(COVARIATE_PVALUE_NOTE.includes("tensorQTL"));
 * ```
 */
export const COVARIATE_PVALUE_NOTE: string =
  "Nominal p-value as tensorQTL's map_nominal computes it: phenotype and dosage residualised on the " +
  "covariates plus an intercept, dof = n − 2 − k, missing dosages imputed with the variant's mean. It " +
  "equals the API's pValue only on the release's normalised phenotypes with its covariate file.";

/**
 * A covariate matrix in RatGTEx's `covar/covar.{T}.{M}.v4.tsv` orientation: one ROW per covariate
 * (`geno_PC1`…, `pheno_PC1`…), one COLUMN per sample.
 *
 * - `values`: either one array per covariate (`values[c][s]`), or one Float64Array of
 *   `names.length × nSamples` numbers, covariate-major (covariate `c`'s sample `s` at `c * nSamples + s`).
 * - `sampleIds`: the sample (rat) ID of each column. When both the covariates and the data carry sample
 *   IDs, samples are matched BY ID (extra covariate columns are ignored, a data sample missing from the
 *   covariates is an error listing them all); otherwise by position, and the sample counts must agree.
 *
 * A polars frame in the file's layout (a Utf8 column `ID` naming the covariate, then one numeric column
 * per sample, named by the sample ID) is accepted wherever this is: see {@linkcode Covariates}.
 */
export interface CovariateMatrix {
  /** Covariate names, one per row (e.g. `"geno_PC1"`); distinct. */
  names: readonly string[];
  /** The values: `values[c][s]`, or covariate-major in one Float64Array. Finite. */
  values: Float64Array | readonly ArrayLike<number>[];
  /** Sample ID of each column (optional; enables alignment by ID). */
  sampleIds?: readonly string[];
}

/**
 * Covariates for a tensorQTL-equivalent fit: a {@linkcode CovariateMatrix}, or a polars frame read
 * from a covariate file as is (column `ID`, then one column per sample ID).
 */
export type Covariates = CovariateMatrix | pl.DataFrame;

/** Options of {@linkcode regressEqtl} and {@linkcode regressMany}. */
export interface RegressionOptions {
  /**
   * Expression transform applied to the analysed samples before the fit (default `"int"`, the
   * closest to the pipeline's normalisation). See {@linkcode ExpressionTransform}. For the release's
   * already normalised phenotypes (the `norm` BED) use `"none"`.
   */
  transform?: ExpressionTransform;
  /**
   * Covariates to adjust for (e.g. the release's 5 genotype PCs and 20 expression PCs). When given,
   * even with zero rows, the fit is tensorQTL's `map_nominal`: missing dosages are IMPUTED with the
   * variant's mean dosage (not dropped), phenotype and dosage are residualised on the covariates plus an
   * intercept (QR of `[1, covariates]` computed once and reused for every pair), `df = n − 2 − k`.
   * Expression then only needs to be finite (a normalised phenotype is negative), except for `"log2"`
   * (≥ 0). `intercept` is NaN and `r2` is the partial r² of dosage given the covariates.
   */
  covariates?: Covariates;
}

/**
 * A plain regression input: per-sample expression and ALT dosages, plus optional ids and the API's
 * own p-values. A {@linkcode DyneqtlResult} has all of these fields.
 */
export interface PlainEqtlInput {
  /** Per-sample expression (TPM): finite, ≥ 0. */
  data: ArrayLike<number>;
  /** Per-sample ALT dosage 0, 1 or 2; `null` for a missing call (the sample is dropped). */
  genotypes: ArrayLike<number | null>;
  /** Gene ID. */
  geneId?: string;
  /** Tissue ID. */
  tissueSiteDetailId?: string;
  /** Variant ID `chrN:pos`. */
  variantId?: string;
  /**
   * Sample (rat) ID of each entry of `data` (e.g. the normalised BED's header: `dyneqtl` gives its values
   * in that order). Only used with `covariates` that carry sample IDs: the samples are then aligned by ID.
   */
  sampleIds?: readonly string[];
  /** Reference allele. */
  ref?: string;
  /** Alternative allele (the one the dosage counts). */
  alt?: string;
  /** The API's nominal p-value (reported back as `apiPValue`). */
  pValue?: number | null;
  /** The API's significance threshold (reported back as `apiPValueThreshold`). */
  pValueThreshold?: number | null;
}

/** What {@linkcode regressEqtl} accepts for one gene–tissue–variant pair. */
export type EqtlInput = DyneqtlResult | PlainEqtlInput;

/** Three values indexed by ALT dosage: `[dosage 0, dosage 1, dosage 2]`. */
export type PerDosage = [number, number, number];

/** The regression of one gene's expression on one variant's ALT dosage in one tissue. */
export interface EqtlRegression {
  /** Gene ID, when the input gave one. */
  geneId: string | null;
  /** Tissue ID, when the input gave one. */
  tissueSiteDetailId: string | null;
  /** Variant ID, when the input gave one. */
  variantId: string | null;
  /** Reference allele, when given. */
  ref: string | null;
  /** Alternative allele, when given (the slope is per copy of this allele). */
  alt: string | null;
  /** The expression transform the fit used. */
  transform: ExpressionTransform;
  /** Samples analysed (those with a genotype call). */
  n: number;
  /** Samples with a missing genotype call (dropped; imputed instead when covariates are given). */
  nMissing: number;
  /** Missing dosages imputed with the variant's mean dosage (covariate fits only; else 0). */
  nImputed: number;
  /** Number of covariates adjusted for (0 without covariates). */
  covariateCount: number;
  /** Residual degrees of freedom, n − 2 − covariateCount (NaN when that is < 1). */
  df: number;
  /** Slope of transformed expression on ALT dosage (GTEx's name: normalised effect size). */
  nes: number;
  /** Standard error of `nes`. */
  error: number;
  /** `nes / error`. */
  tStatistic: number;
  /** Two-sided p-value of `tStatistic` on `df` degrees of freedom (recomputed: see `note`). */
  pValue: number;
  /** Fitted transformed expression at dosage 0 (NaN with covariates). */
  intercept: number;
  /** Coefficient of determination (with covariates: the partial r² of dosage). */
  r2: number;
  /** Analysed samples per dosage (with covariates: the called samples; imputed ones are not counted). */
  counts: PerDosage;
  /** Mean transformed expression per dosage (NaN for an empty class). */
  means: PerDosage;
  /** Median transformed expression per dosage (NaN for an empty class). */
  medians: PerDosage;
  /**
   * Why the statistics are NaN (too few samples, one genotype class, constant expression), or why they are
   * not a cis-eQTL test (a `dyneqtl` pair RatGTEx never tested: its `apiPValue` is null), else `null`.
   */
  reason: string | null;
  /** The API's nominal p-value, as given (`null` when absent or untested). Not comparable to `pValue`. */
  apiPValue: number | null;
  /** The API's per-gene significance threshold, as given (`null` when absent). */
  apiPValueThreshold: number | null;
  /**
   * {@linkcode RECOMPUTED_PVALUE_NOTE} (or {@linkcode COVARIATE_PVALUE_NOTE} with covariates): what
   * `pValue` is and when it equals `apiPValue`.
   */
  note: string;
}

/**
 * Many pairs laid out pair-major for {@linkcode regressMany}: pair `p`'s sample `s` is at index
 * `p * nSamples + s` of both arrays. (Pair-major keeps one pair's samples contiguous, so a fit runs
 * in registers and L1 cache; a samples-by-pairs layout would stream five accumulator arrays instead.)
 */
export interface EqtlBatch {
  /** Expression (TPM), finite and ≥ 0, length `nPairs * nSamples`. */
  expression: Float64Array;
  /** ALT dosages 0/1/2, same layout; missing = NaN (Float64Array) or -1 (Int8Array). */
  dosages: Float64Array | Int8Array;
  /** Number of gene–tissue–variant pairs. */
  nPairs: number;
  /** Samples per pair (pad shorter pairs with missing dosages; with covariates every pair has the same samples). */
  nSamples: number;
  /** Sample ID of each of the `nSamples` positions (optional; aligns with covariates that carry IDs). */
  sampleIds?: readonly string[];
}

/** Column-wise results of {@linkcode regressMany}, one entry per pair (names as in {@linkcode EqtlRegression}). */
export interface EqtlRegressionColumns {
  /** Samples analysed. */
  n: Int32Array;
  /** Residual degrees of freedom, n − 2 − k (0 when degenerate). */
  df: Int32Array;
  /** Missing dosages imputed with the variant's mean (covariate fits only). */
  nImputed: Int32Array;
  /** Slope on ALT dosage. */
  nes: Float64Array;
  /** Standard error of the slope. */
  error: Float64Array;
  /** t statistic. */
  tStatistic: Float64Array;
  /** Two-sided p-value on `df` degrees of freedom. */
  pValue: Float64Array;
  /** Intercept (fitted value at dosage 0). */
  intercept: Float64Array;
  /** Coefficient of determination. */
  r2: Float64Array;
  /** Analysed samples with dosage 0. */
  homoRefCount: Int32Array;
  /** Analysed samples with dosage 1. */
  hetCount: Int32Array;
  /** Analysed samples with dosage 2. */
  homoAltCount: Int32Array;
  /** Why a pair's statistics are NaN, or `null`. */
  reason: (string | null)[];
}
