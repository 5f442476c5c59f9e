/**
 * The pipeline's own nominal eQTL statistics (tensorQTL `cis.map_nominal`, as RatGTEx ran it through
 * Pantry), recomputed for chosen gene–variant pairs of one tissue from the release's normalised
 * phenotypes, the dosages and the covariate file.
 *
 * @module
 */
import pl from "nodejs-polars";
import { type Covariates, RegressionInputError } from "./regression_types.ts";
import { alignSamples } from "./covariates.ts";
import { covariateBasis } from "./_covariate_ols.ts";
import { phenotypeValues } from "./_regress_adjusted.ts";
import { fitCovariatePairs } from "./_covariate_pairs.ts";
import { type DosageSource, DosageStat, readDosageCodes } from "./_dosages.ts";
import { badDosage } from "./_regression_input.ts";

/**
 * One tissue's inputs of {@linkcode pipelineEqtlStatistics}, as a release provides them:
 *
 * - `sampleIds`: the normalised BED's sample IDs (`phenos/phenos.{T}.expression.norm.v4_rn8.bed.gz`,
 *   its header after `#chr start end phenotype_id`); every phenotype row is in this order, and so are
 *   `dyneqtl`'s `genotypes`.
 * - `phenotypes`: rows of that BED (`phenotype_id` = gene ID, then the values), untransformed: they are
 *   already quantile-normalised and inverse-normal transformed.
 * - `genotypes`: ALT dosages per variant (sum of the GT alleles; `null` or NaN = missing), in `sampleIds`
 *   order, or in the order of `genotypes.sampleIds` when given (a VCF's columns): then aligned by ID.
 * - `covariates`: the tissue's covariate file (`covar/covar.{T}.expression.v4.tsv`) as a frame, or a
 *   {@linkcode CovariateMatrix} with `sampleIds`; aligned by ID, all of its rows used (never a fixed 25).
 * - `pairs`: the gene–variant pairs to compute.
 */
export interface PipelineEqtlInput {
  /** Tissue ID, copied to the `tissue` column (optional). */
  tissue?: string;
  /** The normalised BED's sample IDs, in column order. */
  sampleIds: readonly string[];
  /** Normalised phenotypes: one row of values (in `sampleIds` order) per gene. */
  phenotypes: { geneIds: readonly string[]; values: readonly ArrayLike<number>[] };
  /** Dosages: one row per variant; in `sampleIds` order unless `sampleIds` is given here. */
  genotypes: {
    variantIds: readonly string[];
    dosages: readonly ArrayLike<number | null>[];
    sampleIds?: readonly string[];
  };
  /** The tissue's covariates (frame in the file's layout, or a matrix with sample IDs). */
  covariates: Covariates;
  /** The pairs to compute, each naming a gene of `phenotypes` and a variant of `genotypes`. */
  pairs: readonly { geneId: string; variantId: string }[];
}

function indexOf(ids: readonly string[], parameter: string): Map<string, number> {
  const map = new Map<string, number>();
  ids.forEach((id, i) => {
    if (map.has(id)) {
      throw new RegressionInputError(parameter, i, id, "ID repeated", "give each row once");
    }
    map.set(id, i);
  });
  return map;
}

/**
 * Recompute the pipeline's nominal statistics for gene–variant pairs of one tissue, exactly as tensorQTL's
 * `map_nominal` computed RatGTEx's `pval_nominal`, `slope` and `slope_se`: phenotype and dosage (missing
 * calls imputed with the variant's mean) residualised on the covariates plus an intercept,
 * `dof = n − 2 − k`, slope = r·sd(phenotype residual)/sd(dosage residual), `slope_se = |slope| / |t|`,
 * two-sided Student-t p. Each phenotype's residual is computed once for all its pairs; the covariate basis
 * once for the tissue.
 *
 * Returns one row per pair, in input order: `tissue` (Utf8, null when not given), `gene_id`, `variant_id`
 * (Utf8), `n` (Int32, samples), `n_imputed` (Int32, missing dosages imputed), `dof` (Int32), `af` (Float64,
 * ALT allele frequency over the samples, as tensorQTL reports it), `slope`, `slope_se`, `t`,
 * `pval_nominal` (Float64; NaN when degenerate), `reason` (Utf8, why NaN, else null). The column names
 * are the pipeline's, so the frame joins `top_assoc`/`eqtls_indep` on `gene_id`, `variant_id`.
 *
 * @param input See {@linkcode PipelineEqtlInput}.
 * @returns The frame described above.
 * @throws {RegressionInputError} On misaligned samples (listing those missing from the covariates or the
 *   genotypes), mis-sized or collinear covariates, rows of the wrong length, a non-finite phenotype, a
 *   dosage other than 0/1/2/missing, or a pair naming an unknown gene or variant.
 *
 * @example
 * ```ts
 * import { pipelineEqtlStatistics } from "ratgtex/analysis";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const stats = pipelineEqtlStatistics({
 *   tissue: "IL",
 *   sampleIds: ["r1", "r2", "r3", "r4", "r5"],
 *   phenotypes: { geneIds: ["G1"], values: [[0.1, 0.5, 0.2, 1.4, 1.0]] },
 *   genotypes: { variantIds: ["chr1:100"], dosages: [[0, 1, 0, 2, null]] },
 *   // the covariate file's layout, columns in another order: aligned by ID
 *   covariates: pl.DataFrame({ ID: ["geno_PC1"], r5: [-0.4], r4: [0.0], r3: [0.2], r2: [-0.1], r1: [0.3] }),
 *   pairs: [{ geneId: "G1", variantId: "chr1:100" }],
 * });
 * assert.equal(stats.getColumn("dof").get(0), 2);
 * assert.equal(stats.getColumn("n_imputed").get(0), 1);
 * // statsmodels OLS of the phenotype on 1 + geno_PC1 + the mean-imputed dosage: slope 0.5157894736842102
 * assert.ok(Math.abs(stats.getColumn("slope").get(0) - 0.5157894736842102) < 1e-12);
 * ```
 */
export function pipelineEqtlStatistics(input: PipelineEqtlInput): pl.DataFrame {
  const cols = pipelineEqtlColumns(input);
  const { pairs } = input;
  const nPairs = pairs.length;
  return pl.DataFrame([
    pl.Series("tissue", new Array<string | null>(nPairs).fill(input.tissue ?? null), pl.Utf8),
    pl.Series("gene_id", pairs.map((x) => x.geneId), pl.Utf8),
    pl.Series("variant_id", pairs.map((x) => x.variantId), pl.Utf8),
    pl.Series("n", cols.n, pl.Int32),
    pl.Series("n_imputed", cols.nImputed, pl.Int32),
    pl.Series("dof", cols.dof, pl.Int32),
    pl.Series("af", cols.af, pl.Float64),
    pl.Series("slope", cols.slope, pl.Float64),
    pl.Series("slope_se", cols.slopeSe, pl.Float64),
    pl.Series("t", cols.t, pl.Float64),
    pl.Series("pval_nominal", cols.pValue, pl.Float64),
    pl.Series("reason", cols.reason, pl.Utf8),
  ]);
}

/** The numbers of {@linkcode pipelineEqtlStatistics} as typed columns, one entry per pair in input order. */
export interface PipelineEqtlColumns {
  /** Samples. */
  n: Int32Array;
  /** Missing dosages imputed. */
  nImputed: Int32Array;
  /** Residual degrees of freedom, n − 2 − k. */
  dof: Int32Array;
  /** ALT allele frequency. */
  af: Float64Array;
  /** Slope on the dosage. */
  slope: Float64Array;
  /** Its standard error. */
  slopeSe: Float64Array;
  /** t statistic. */
  t: Float64Array;
  /** Two-sided p-value (`pval_nominal`). */
  pValue: Float64Array;
  /** Why a pair's numbers are NaN, else null. */
  reason: (string | null)[];
}

/**
 * {@linkcode pipelineEqtlStatistics} without the frame: the same numbers as typed columns, for callers
 * that fit many small sets of pairs (a conditional fit per independent eQTL) and would otherwise pay
 * for a polars frame each time.
 *
 * @param input See {@linkcode PipelineEqtlInput}.
 * @returns One entry per pair, in input order, in each column.
 * @throws {RegressionInputError} As {@linkcode pipelineEqtlStatistics}.
 *
 * @example
 * ```ts
 * import { pipelineEqtlColumns } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const cols = pipelineEqtlColumns({
 *   sampleIds: ["r1", "r2", "r3", "r4", "r5"],
 *   phenotypes: { geneIds: ["G1"], values: [[0.1, 0.5, 0.2, 1.4, 1.0]] },
 *   genotypes: { variantIds: ["chr1:100"], dosages: [[0, 1, 0, 2, null]] },
 *   covariates: { names: ["geno_PC1"], values: [[0.3, -0.1, 0.2, 0.0, -0.4]] },
 *   pairs: [{ geneId: "G1", variantId: "chr1:100" }],
 * });
 * assert.ok(Math.abs(cols.slope[0] - 0.5157894736842102) < 1e-12); // statsmodels
 * ```
 */
export function pipelineEqtlColumns(input: PipelineEqtlInput): PipelineEqtlColumns {
  const { sampleIds, phenotypes, genotypes, covariates, pairs } = input;
  if (!Array.isArray(sampleIds)) {
    throw new RegressionInputError("sampleIds", null, sampleIds, "not an array", "pass the BED header's sample IDs");
  }
  const n = sampleIds.length;
  const basis = covariateBasis(covariates, n, sampleIds);
  const dof = n - 2 - basis.k;
  const genes = indexOf(phenotypes.geneIds, "phenotypes.geneIds");
  const variants = indexOf(genotypes.variantIds, "genotypes.variantIds");
  if (phenotypes.values.length !== phenotypes.geneIds.length) {
    throw new RegressionInputError(
      "phenotypes.values.length",
      null,
      phenotypes.values.length,
      `${phenotypes.geneIds.length} gene IDs`,
      "pass one row of values per gene",
    );
  }
  if (genotypes.dosages.length !== genotypes.variantIds.length) {
    throw new RegressionInputError(
      "genotypes.dosages.length",
      null,
      genotypes.dosages.length,
      `${genotypes.variantIds.length} variant IDs`,
      "pass one row of dosages per variant",
    );
  }
  const column = genotypes.sampleIds === undefined
    ? null
    : alignSamples(sampleIds, genotypes.sampleIds, "genotypes.sampleIds");
  const width = genotypes.sampleIds?.length ?? n;
  // Resolve the pairs; order them by gene so each phenotype is residualised once.
  const geneOf = new Int32Array(pairs.length);
  const variantOf = new Int32Array(pairs.length);
  pairs.forEach((pair, p) => {
    const g = genes.get(pair?.geneId);
    const v = variants.get(pair?.variantId);
    if (g === undefined || v === undefined) {
      throw new RegressionInputError(
        `pairs[${p}]`,
        null,
        `${pair?.geneId}/${pair?.variantId}`,
        g === undefined ? "the gene is not among phenotypes.geneIds" : "the variant is not among genotypes.variantIds",
        "pass the phenotype row and the dosages of every pair asked for",
      );
    }
    geneOf[p] = g;
    variantOf[p] = v;
  });
  const order = Int32Array.from([...pairs.keys()].sort((a, b) => geneOf[a] - geneOf[b] || a - b));

  const nPairs = pairs.length;
  const cols = {
    n: new Int32Array(nPairs).fill(n),
    nImputed: new Int32Array(nPairs),
    dof: new Int32Array(nPairs).fill(dof),
    af: new Float64Array(nPairs),
    slope: new Float64Array(nPairs),
    slopeSe: new Float64Array(nPairs),
    t: new Float64Array(nPairs),
    pValue: new Float64Array(nPairs),
    reason: new Array<string | null>(nPairs).fill(null),
  };
  const source: DosageSource = { values: genotypes.dosages, width, column };
  fitCovariatePairs(basis, {
    nPairs,
    order,
    samePhenotype: (first, p) => geneOf[first] === geneOf[p],
    phenotype: (p, out, offset) => {
      const values = phenotypes.values[geneOf[p]];
      if (values?.length !== n) {
        throw new RegressionInputError(
          `phenotypes.values[${geneOf[p]}].length`,
          null,
          values?.length,
          `the BED header has ${n} samples`,
          "pass one value per sample, in the header's order",
        );
      }
      phenotypeValues(values, 0, n, "none", `phenotypes.values[${geneOf[p]}]`, out, offset);
    },
    dosages: (p, codes) => {
      const v = variantOf[p];
      readDosageCodes(
        source,
        v,
        n,
        codes,
        (c, x) => badDosage(`genotypes.dosages[${v}]`, c, x, "null or NaN"),
        (length) =>
          new RegressionInputError(
            `genotypes.dosages[${v}].length`,
            null,
            length,
            `expected ${width} dosages (${column === null ? "the BED header's samples" : "genotypes.sampleIds"})`,
            "pass one dosage per sample",
          ),
      );
    },
    badDosage: (p, s) => {
      const c = column === null ? s : column[s];
      return badDosage(`genotypes.dosages[${variantOf[p]}]`, c, genotypes.dosages[variantOf[p]][c], "null or NaN");
    },
    store: (p, st, slots) => {
      cols.af[p] = st[DosageStat.Af];
      cols.nImputed[p] = n - st[DosageStat.Called];
      cols.slope[p] = slots.nes;
      cols.slopeSe[p] = slots.error;
      cols.t[p] = slots.tStatistic;
      cols.pValue[p] = slots.pValue;
      cols.reason[p] = slots.reason;
    },
  });
  return cols;
}
