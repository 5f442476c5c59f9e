/**
 * Genome-scale queries over a RatGTEx release — what the API cannot answer one gene at a time: every
 * independent eQTL and xQTL, every top association with its eGene status, the gene table, the median
 * matrix, region queries and variant-centric lookups. The release is a local folder (read in place) or
 * an https URL such as `https://ratgtex.org/data/v4` (each file a query needs is downloaded once into the
 * cache, resumably, and verified by size). Frames have the route functions' column names and types.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { BUNDLED_RELEASE, ReleaseFolder } from "./folder.ts";
import { FILE_KINDS, type FileKindName, MODALITIES, type PathParam, type ReleaseLayout, tableSpec } from "./layout.ts";
import {
  heritabilityFrame,
  ratsFrame,
  samplesFrame,
  topAssocColumns,
  transFrame,
  variantColumns,
  xqtlIndepFrame,
  xqtlTopFrame,
} from "./_more_frames.ts";
import { textLines } from "./text.ts";
import { predictions } from "./_predictions.ts";
import type { PredictionQuery } from "./prediction_query.ts";
import { PipelineInputs, recomputePairs } from "./_pipeline_eqtls.ts";
import { cisInputsOf, CisWindowInputs, cisWindowStatistics } from "./_cis_window.ts";
import type { CisInputs } from "./cis_inputs.ts";
import { ScanInputs } from "./_permutation_pass.ts";
import { checkPermutationOptions, permutationStatistics, qValuesFrame } from "./_permutation_stats.ts";
import { pairPermutationColumns } from "./_pair_permutations.ts";
import type { EqtlStatisticsOptions, PermutationStatisticsOptions } from "./permutation_options.ts";
import { type DownloadProgress, RemoteSource } from "./remote.ts";
import type { ReadLimits } from "./source.ts";
import { FolderSource } from "./source.ts";
import { readFrame } from "./frame.ts";
import type { Genotypes } from "./vcf.ts";
import { tissueOrder } from "../_core/tissues.ts";

import type { EqtlPair } from "./pairs.ts";

export type { EqtlPair } from "./pairs.ts";

/** The `method` of {@link Release.effectsAcrossTissues}: how its slopes were computed. */
export const PIPELINE_METHOD = "tensorQTL nominal test: normalised phenotype, release covariates (recomputed)";

export type { DownloadProgress } from "./remote.ts";
export type { EqtlStatisticsOptions, PermutationStatisticsOptions } from "./permutation_options.ts";
export type { PredictionQuery } from "./prediction_query.ts";

/** Options of {@link release}. */
export interface ReleaseOptions {
  /**
   * Cache folder for a remote release's downloads (default `$RATGTEX_CACHE_DIR/release`, else
   * `$XDG_CACHE_HOME/ratgtex/release` or `~/.cache/ratgtex/release`; none without HOME: then pass one).
   */
  cacheDir?: string;
  /** The fetch used for a remote release (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
  /** Download progress of a remote release's files. */
  onProgress?: (p: DownloadProgress) => void;
  /** A remote release: the longest wait for each step of a request (headers, each piece of a body); default 30 s. */
  timeoutMs?: number;
  /** Caps on reading (and downloading) the release's files (default `DEFAULT_READ_LIMITS`). */
  limits?: Partial<ReadLimits>;
}

/** A genomic interval, 1-based and inclusive. */
export interface Region {
  /** Chromosome, e.g. `chr10`. */
  chromosome: string;
  /** First base. */
  start: number;
  /** Last base. */
  end: number;
}

/**
 * Parse `chrN:start-end` (with `k`/`M` suffixes and thousands separators: `chr10:100.7M-101.0M`,
 * `chr10:100,700,000-101,000,000`) or a single position `chrN:pos` / a variant ID, widened by `window`
 * bases on each side.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRegion } from "ratgtex/release";
 * assert.deepEqual(parseRegion("chr10:100.7M-101.0M"), { chromosome: "chr10", start: 100700000, end: 101000000 });
 * assert.deepEqual(parseRegion("chr10:100826333", 1000), { chromosome: "chr10", start: 100825333, end: 100827333 });
 * ```
 */
export function parseRegion(text: string, window = 0): Region {
  const bad = (problem: string): never => {
    throw new ValidationError(
      "region",
      text,
      problem,
      "e.g. chr10:100.7M-101.0M, chr10:100700000-101000000 or chr10:100826333",
    );
  };
  if (!Number.isFinite(window) || window < 0) bad("the window must be a number of bases ≥ 0");
  const m = /^\s*((?:chr)?[0-9A-Za-z]+)\s*:\s*([0-9.,]+[kKmM]?)\s*(?:-\s*([0-9.,]+[kKmM]?))?\s*$/.exec(text);
  if (!m) return bad("is not chrN:start-end or chrN:pos");
  const num = (s: string): number => {
    const scale = /[kK]$/.test(s) ? 1e3 : /[mM]$/.test(s) ? 1e6 : 1;
    const v = Number(s.replace(/[kKmM]$/, "").replaceAll(",", "")) * scale;
    if (!Number.isFinite(v)) bad(`${s} is not a position`);
    return Math.round(v);
  };
  const chromosome = m[1].startsWith("chr") ? m[1] : `chr${m[1]}`;
  const start = num(m[2]), end = m[3] === undefined ? start : num(m[3]);
  if (start < 1 || end < start) bad("needs 1 ≤ start ≤ end");
  return { chromosome, start: Math.max(1, start - window), end: end + window };
}

/** The frames of a region query. */
export interface RegionResult {
  /** The region queried. */
  region: Region;
  /** Genes overlapping it (columns of {@link Release.genes}). */
  genes: pl.DataFrame;
  /** Independent eQTLs whose variant lies in it (columns of {@link Release.independentEqtls}). */
  eqtls: pl.DataFrame;
  /** Independent xQTLs whose variant lies in it (columns of {@link Release.independentXqtls}). */
  xqtls: pl.DataFrame;
  /** With `significant: true`: the significant pairs whose variant lies in it ({@link Release.significantPairs}). */
  significant?: pl.DataFrame;
  /**
   * With `modalities: true`: the independent xQTLs of each modality's own mapping
   * (`xqtl/xqtls_indep.{M}.v4_rn8.tsv`, the six tables) whose variant lies in it, columns of
   * {@link Release.independentXqtls}.
   */
  modalityXqtls?: pl.DataFrame;
  /** With `trans: true`: the trans-eQTL pairs whose variant lies in it ({@link Release.transPairs}). */
  trans?: pl.DataFrame;
}

/** Options of {@link Release.region} and {@link Release.lookup}. */
export interface RegionOptions {
  /** Widen the region (or the variant) by this many bases on each side (default 0). */
  window?: number;
  /** Also the significant pairs (each tissue's `cis_qtl_signif` file). */
  significant?: boolean;
  /** Also the independent xQTLs of the six per-modality tables. */
  modalities?: boolean;
  /** Also the trans-eQTL pairs (each tissue's `trans_qtl_pairs` file). */
  trans?: boolean;
}

/** The release's QTL columns as the routes name them: gene, tissue, then the variant and its alleles. */
function qtlColumns(): pl.Expr[] {
  return [
    pl.col("gene_id").cast(pl.Utf8).alias("geneId"),
    pl.col("tissue").cast(pl.Utf8).alias("tissueSiteDetailId"),
    ...variantColumns(),
  ];
}

/** `query.modality` checked: one of the six, `cross_modality`, or (when `cross` is false) null for all six. */
function checkModality(query: { modality?: string }, cross: true): string;
function checkModality(query: { modality?: string }, cross: false): string | null;
function checkModality(query: { modality?: string }, cross: boolean): string | null {
  if (query === null || typeof query !== "object") {
    throw new ValidationError("query", query, "must be an object", 'e.g. { modality: "splicing" }');
  }
  const m = query.modality;
  if (m === undefined) return cross ? "cross_modality" : null;
  if (m === "cross_modality" || (typeof m === "string" && MODALITIES.includes(m))) return m;
  throw new ValidationError(
    "modality",
    m,
    "not a modality of RatGTEx v4",
    `use one of ${MODALITIES.join(", ")}, or cross_modality`,
  );
}

/** Rows whose `chromosome`/`pos` lie in a region. */
function inRegion(r: Region): pl.Expr {
  return pl.col("chromosome").eq(pl.lit(r.chromosome)).and(pl.col("pos").gtEq(r.start)).and(pl.col("pos").ltEq(r.end));
}

/** Builds a Release over its reader: the class's own constructor is private (open one with {@link openRelease}). */
let makeRelease: (folder: ReleaseFolder) => Release;
/** The reader of a release's files (for the tests of the readers and the workflows below the surface). */
let readerOf: (release: Release) => ReleaseFolder;

/** A release: local folder or remote URL; tables loaded once, on first use. Open one with {@link openRelease}. */
export class Release {
  /** The source given: a folder path or a URL. */
  readonly source: string;
  readonly #folder: ReleaseFolder;
  readonly #frames = new Map<string, Promise<pl.DataFrame>>();
  readonly #maybe = new Map<string, Promise<pl.DataFrame | null>>();
  #pipeline: PipelineInputs | null = null;
  #cis: CisWindowInputs | null = null;
  #scanInputs: ScanInputs | null = null;

  private constructor(folder: ReleaseFolder) {
    this.source = folder.dir;
    this.#folder = folder;
  }

  static {
    makeRelease = (folder) => new Release(folder);
    readerOf = (release) => release.#folder;
  }

  /**
   * The names of the release's files, built from its own tissue IDs and datasets (`tissue_info.v4.tsv`):
   * e.g. `(await rel.layout()).covariates("IL", "expression")` is `covar/covar.IL.expression.v4.tsv`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const layout = await rel.layout();
   * assert.equal(layout.tissues.length, 13);
   * assert.equal(layout.cisPvals("IL"), "cis_pvals/IL.v4.zip");
   * ```
   */
  layout(): Promise<ReleaseLayout> {
    return this.#folder.layout();
  }

  /**
   * RatGTEx's own eQTL statistics recomputed exactly for gene–variant pairs, with the release's published
   * numbers beside them: tensorQTL's nominal test of the tissue's normalised phenotype
   * (`phenos/phenos.{T}.expression.norm.v4_rn8.bed.gz`) on the variant's dosage (from the genotype VCF,
   * missing calls imputed with the mean), adjusted for every covariate of `covar/covar.{T}.expression.v4.tsv`
   * (5 genotype PCs + 20 expression PCs in RatGTEx v4), samples aligned by ID. A remote release downloads
   * each needed tissue's normalised BED and covariates once (cached) and reads the VCF, its index and the
   * `cis_pvals` archive by HTTP ranges; pairs of one tissue share its files.
   *
   * Columns (one row per pair, in input order): `geneId`, `tissueSiteDetailId`, `variantId` (str); `n`,
   * `nImputed` (missing dosages imputed), `covariates` (k), `dof` (`n − 2 − k`) (i32); `slope`, `slopeSe`,
   * `tStatistic`, `pValue` (f64, recomputed, covariates only: tensorQTL's `map_nominal`); `publishedPValue`
   * (f64, the release's `cis_pvals` value, which is what `dyneqtl` returns as `pValue`; null when the pair
   * was not tested); `topSlope`, `topSlopeSe`, `topPValue` (f64, `top_assoc`'s values when the variant is
   * the gene's top association in that tissue, else null); `rank` (i32, the `eqtls_indep` rank, null when
   * the pair is not an independent eQTL); `conditionalOn` (str, the gene's other independent variants,
   * comma-separated); `conditionalSlope`, `conditionalSlopeSe`, `conditionalPValue` (f64, recomputed with
   * those variants' dosages added to the covariates, as tensorQTL's backward pass reports them);
   * `indepSlope`, `indepSlopeSe`, `indepPValue` (f64, `eqtls_indep`'s values); then the permutation pass
   * and what follows from it (see {@link Release.permutationStatistics}): the gene's `map_cis` scan —
   * `numVar`, `publishedNumVar` (i32, `top_assoc`'s); `pValuePerm`, `pValueBeta`, `pValueBetaLow`,
   * `pValueBetaHigh`, `betaShape1`, `betaShape2`, `trueDf` (f64, recomputed; null with `permutations: 0`),
   * `publishedPValueBeta` (f64, `top_assoc`'s) — and for an `eqtls_indep` row the scan that reported it
   * (conditional on the gene's other independent variants, as tensorQTL's backward pass; the gene's own
   * scan for a single signal): `conditionalNumVar`, `indepNumVar` (i32), `conditionalPValueBeta`,
   * `conditionalPValueBetaLow`, `conditionalPValueBetaHigh`, `indepPValueBeta` (f64, `eqtls_indep`'s);
   * `qValue` (f64, Storey's q-value of the gene from
   * the tissue's published `pval_beta` column, as {@link Release.qValues}), `publishedQValue`;
   * `pValueThreshold` (f64, the gene's `pval_nominal_threshold` from its recomputed beta shapes at the
   * tissue's `pval_beta` cut-off, tensorQTL `post.py`), `publishedPValueThreshold`; `log2aFC` (f64, the
   * pair's allelic fold change as `aFC.py --log_xform 1` computes it from `expr/expr.log2.{T}.v4_rn8.bed.gz`
   * with the covariates), `publishedLog2aFC` (f64, `eqtls_indep`'s or, for the top variant, `top_assoc`'s;
   * null for NA); `seed` (f64, the permutations' seed); `agrees` (bool: every published value present is
   * reproduced — `pval_nominal`, `slope`, `slope_se` at their printed precision; `num_var` exactly;
   * `pval_beta` at its printed precision (plus 2e-5 relative, the beta fit's optimiser) given the release's
   * own permutations (`seed` or an index matrix), else within its Monte-Carlo interval; `qval` and `pval_nominal_threshold` (the latter given the
   * release's permutations only) within their printed precision plus the relative 1e-5 their 6-digit
   * inputs carry; `log2_aFC` at its printed precision; null when the release has none for the pair);
   * `disagrees` (str: the published columns not reproduced, as `table:column`, comma-separated; null when
   * all are); `reason` (str, why the statistics are NaN, else null).
   *
   * @param pairs The gene–variant pairs, each in one tissue.
   * @param options The permutation pass: `permutations` (count, default 1,000; 0 skips the pass; or an
   *   index matrix), `seed` (default `DEFAULT_PERMUTATION_SEED`, 0; the bundled release's is in `BUNDLED_PERMUTATIONS`),
   *   `level` (of the Monte-Carlo interval, default 0.999), `publishedPermutations` (default 10,000).
   * @returns The frame described above.
   * @throws {ValidationError} For a malformed pair, a tissue the release does not have, a gene not mapped
   *   in the tissue, a variant missing from the VCF or multi-allelic, or bad options.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_PERMUTATIONS, BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const [fit] = (await rel.eqtlStatistics([
   *   { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" },
   * ], { permutations: 0 })).toRecords() as { pValue: number; publishedPValue: number; agrees: boolean; covariates: number }[];
   * assert.equal(fit.covariates, 25); // 5 genotype PCs + 20 expression PCs
   * assert.equal(Number(fit.pValue.toPrecision(6)), fit.publishedPValue); // 8.43005e-08, as dyneqtl says
   * assert.equal(fit.agrees, true); // pval_nominal, slope, slope_se, qval and log2_aFC
   * // With the bundled release's own permutations, pval_beta and the nominal threshold too.
   * const [eno1] = (await rel.eqtlStatistics([
   *   { geneId: "Eno1", tissueSiteDetailId: "IL", variantId: "chr5:167560579" },
   * ], BUNDLED_PERMUTATIONS)).toRecords() as { pValueBeta: number; publishedPValueBeta: number; agrees: boolean }[];
   * assert.equal(Number(eno1.pValueBeta.toPrecision(6)), eno1.publishedPValueBeta); // 6.04933e-05
   * assert.equal(eno1.agrees, true);
   * ```
   */
  async eqtlStatistics(pairs: readonly EqtlPair[], options: EqtlStatisticsOptions = {}): Promise<pl.DataFrame> {
    checkPermutationOptions(options, true);
    this.#pipeline ??= new PipelineInputs(this.#folder);
    return await recomputePairs(
      this.#pipeline,
      pairs,
      (checked) => pairPermutationColumns(this.#scans(), checked, options),
    );
  }

  /**
   * Every tested variant's statistics for a gene (or several) in one tissue — the whole cis window, as
   * tensorQTL's `map_nominal` writes it, which the release publishes only as p-values (`cis_pvals`):
   * the tissue's normalised phenotype (`phenos/phenos.{T}.{M}.norm.v4_rn8.bed.gz`) against the dosage of
   * every bi-allelic variant within `window` bp of its TSS (the BED's `end`) in the tissue's genotype VCF
   * (missing calls imputed with the variant's mean), adjusted for every covariate of
   * `covar/covar.{T}.{M}.v4.tsv`, by the cis scan (`cisNominal`, tensorQTL's algorithm). The p-values are
   * the release's `cis_pvals` at their printed precision; slope and SE are what colocalisation needs.
   *
   * Columns (one row per gene × variant, genes in the order given, variants by position): `geneId`,
   * `tissueSiteDetailId`, `modality`, `phenotypeId`, `variantId`, `chromosome` (str); `pos`, `tssDistance`
   * (i64, as the release's `tss_distance`: strand-aware, negative upstream of the TSS); `ref`, `alt` (str); `af` (f64, ALT frequency over the tissue's samples);
   * `maSamples`, `maCount` (i32, samples carrying and copies of the minor allele); `n` (i32, the tissue's
   * samples: the BED's); `pValue`, `slope`,
   * `slopeSe` (f64, per ALT allele, on the normalised phenotype; NaN when `reason` says why);
   * `publishedPValue` (f64, the release's `cis_pvals` value, null when the release lists none for the pair);
   * `agrees` (bool, `pValue` equals `publishedPValue` at the precision it is printed with; null without one);
   * `reason` (str, why the statistics are NaN: e.g. a variant with one genotype among the samples).
   *
   * tensorQTL tests every variant of the window (so does the bundled miniature release); a release whose
   * `cis_pvals` lists fewer has null `publishedPValue` for the others.
   *
   * @param params `geneId` (one or several, each tested in the tissue), `tissueSiteDetailId`, `modality`
   *   (default `expression`), `window` (default 1,000,000, RatGTEx's).
   * @returns The frame described above.
   * @throws {ValidationError} For a tissue or modality the release does not have, a gene not mapped there.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const cis = await rel.cisStatistics({ geneId: "Cd300lf", tissueSiteDetailId: "IL" });
   * const rows = cis.toRecords() as { variantId: string; pValue: number; publishedPValue: number | null; agrees: boolean | null }[];
   * const worked = rows.find((r) => r.variantId === "chr10:100826333")!;
   * assert.equal(Number(worked.pValue.toPrecision(6)), worked.publishedPValue); // 8.43005e-08, as dyneqtl says
   * assert.ok(rows.every((r) => r.agrees !== false)); // every variant cis_pvals lists, at its printed precision
   * ```
   */
  cisStatistics(params: {
    geneId: string | readonly string[];
    tissueSiteDetailId: string;
    modality?: string;
    window?: number;
  }): Promise<pl.DataFrame> {
    const usage = '{ geneId: "Cd300lf", tissueSiteDetailId: "IL", modality?: "expression", window?: 1000000 }';
    if (params === null || typeof params !== "object") {
      return Promise.reject(new ValidationError("params", params, "must be an object", usage));
    }
    const ids = typeof params.geneId === "string" ? [params.geneId] : params.geneId;
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((g) => typeof g !== "string" || g === "")) {
      return Promise.reject(new ValidationError("params.geneId", params.geneId, "must be a gene ID or a list", usage));
    }
    const window = params.window ?? 1_000_000;
    if (!Number.isInteger(window) || window < 0) {
      return Promise.reject(new ValidationError("params.window", window, "must be a whole number ≥ 0", usage));
    }
    if (typeof params.tissueSiteDetailId !== "string") {
      return Promise.reject(
        new ValidationError("params.tissueSiteDetailId", params.tissueSiteDetailId, "must be a tissue ID", usage),
      );
    }
    this.#cis ??= new CisWindowInputs(this.#folder);
    return cisWindowStatistics(this.#cis, {
      phenotypeIds: ids,
      tissue: params.tissueSiteDetailId,
      modality: params.modality ?? "expression",
      window,
    });
  }

  /**
   * What the pipeline mapped for one gene × tissue, for analyses of one's own (fine-mapping, conditional
   * tests): the normalised phenotype (`phenos/phenos.{T}.{M}.norm.v4_rn8.bed.gz`), the tissue's covariates
   * (`covar/covar.{T}.{M}.v4.tsv`) and the ALT dosages of every bi-allelic variant within `window` of the
   * TSS in the tissue's genotype VCF, all over the BED's samples. The variants are those of
   * {@link Release.cisStatistics}.
   *
   * @param params `geneId` (tested in the tissue), `tissueSiteDetailId`, `modality` (default `expression`),
   *   `window` (default 1,000,000).
   * @returns The inputs (see `CisInputs`).
   * @throws {ValidationError} For a tissue or modality the release does not have, a gene not mapped there.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const x = await rel.cisInputs({ geneId: "Cd300lf", tissueSiteDetailId: "IL" });
   * assert.equal(x.phenotype.length, x.sampleIds.length); // 83 rats in IL
   * assert.equal(x.variants[0].dosages.length, x.sampleIds.length);
   * assert.equal(x.covariates.names.length, 25); // 5 genotype PCs + 20 expression PCs
   * ```
   */
  cisInputs(params: {
    geneId: string;
    tissueSiteDetailId: string;
    modality?: string;
    window?: number;
  }): Promise<CisInputs> {
    const usage = '{ geneId: "Cd300lf", tissueSiteDetailId: "IL", modality?: "expression", window?: 1000000 }';
    if (params === null || typeof params !== "object" || typeof params.geneId !== "string") {
      return Promise.reject(new ValidationError("params", params, "must be { geneId, tissueSiteDetailId }", usage));
    }
    const window = params.window ?? 1_000_000;
    if (!Number.isInteger(window) || window < 0) {
      return Promise.reject(new ValidationError("params.window", window, "must be a whole number ≥ 0", usage));
    }
    this.#cis ??= new CisWindowInputs(this.#folder);
    return cisInputsOf(this.#cis, {
      phenotypeId: params.geneId,
      tissue: params.tissueSiteDetailId,
      modality: params.modality ?? "expression",
      window,
    });
  }

  /**
   * The permutation pass of a tissue recomputed from the release's own files, as RatGTEx ran it (tensorQTL
   * `map_cis` via Pantry): for each gene, its phenotypes of the modality in the normalised BED
   * (`phenos/phenos.{T}.{M}.norm.v4_rn8.bed.gz`; the isoform, splicing, alternative TSS and polyA
   * phenotypes of a gene form one group, as Pantry groups them), the tissue's covariates
   * (`covar/covar.{T}.{M}.v4.tsv`) and the genotype VCF's variants within 1 Mb — bi-allelic, minor allele
   * frequency ≥ 0.01 and count ≥ 2 among the tissue's samples (`plink2 --maf 0.01 --mac 2 --max-alleles 2`),
   * then minor allele frequency ≥ 10/(2n) (Pantry's `--min_allele_count 10`) — through the permutations and
   * tensorQTL's beta approximation ({@link https://github.com/broadinstitute/tensorqtl | tensorQTL}'s
   * `calculate_beta_approx_pval`), with the release's `top_assoc` values beside.
   *
   * Two kinds of agreement: with the release's own permutations (`seed`, as `map_cis(seed=…)` draws them:
   * the bundled release's are `BUNDLED_PERMUTATIONS`), `agrees` holds when the top variant (or one tied with
   * it: variants in perfect LD, whose nominal p-value is the published one as printed), `num_var` and
   * `pval_beta` at its printed precision (plus 2e-5 relative: the beta fit's optimiser stops anywhere within
   * its tolerance, and a flat likelihood lets round-off move it) are the published ones; with any other
   * permutations (a real
   * RatGTEx release ran without a seed), the published `pval_beta` should lie in the recomputed Monte-Carlo
   * interval (`withinInterval`) for about `level` of the genes.
   *
   * Columns (one row per gene): `geneId`, `tissueSiteDetailId`, `modality`, `phenotypeId` (str; the
   * group's strongest phenotype); `groupSize`, `numVar` (i32, variants tested); `variantId` (str, the top
   * variant); `pValue`, `slope`, `slopeSe` (f64, its nominal statistics); `pValuePerm`, `pValueBeta`,
   * `betaShape1`, `betaShape2`, `trueDf`, `pValueTrueDf` (f64, tensorQTL's); `pValueBetaLow`,
   * `pValueBetaHigh` (f64, the Monte-Carlo interval at `level` for a run of `publishedPermutations`);
   * `nPermutations` (i32); `seed` (f64, the permutations' seed, null when given as indices);
   * `publishedVariantId` (str), `publishedNumVar` (i32), `publishedPValueBeta` (f64) — the release's top
   * association, null when it has none; `withinInterval`, `agrees` (bool, null without a published row);
   * `reason` (str, why the values are NaN, else null).
   *
   * @param query `tissueSiteDetailId`, `modality` (default `expression`; `cross_modality`: every modality's
   *   phenotypes of the tissue together, `{modality}:` IDs grouped by gene, with `covar.{T}.cross_modality`, as
   *   Pantry's combined run), `geneIds` (default: every gene the release tested in the tissue and modality).
   * @param options `permutations` (count, default 1,000, or an index matrix), `seed` (default 0, `DEFAULT_PERMUTATION_SEED`),
   *   `level` (default 0.999), `publishedPermutations` (default 10,000, RatGTEx's).
   * @returns The frame described above.
   * @throws {ValidationError} For an unknown tissue or modality, a gene with no phenotype in the BED, or bad
   *   options.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_PERMUTATIONS, BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const q = { tissueSiteDetailId: "IL", geneIds: ["Eno1", "SynG001"] };
   * // The release's own permutations: the published numbers, as printed.
   * const same = await rel.permutationStatistics(q, BUNDLED_PERMUTATIONS);
   * assert.deepEqual(same.getColumn("agrees").toArray(), [true, true]);
   * // Other permutations: another pval_beta, the published one within its Monte-Carlo interval.
   * const other = await rel.permutationStatistics(q, { permutations: 1000, seed: 7, publishedPermutations: 1000 });
   * assert.deepEqual(other.getColumn("withinInterval").toArray(), [true, true]);
   * ```
   */
  permutationStatistics(
    query: { tissueSiteDetailId: string; modality?: string; geneIds?: readonly string[] },
    options: PermutationStatisticsOptions = {},
  ): Promise<pl.DataFrame> {
    return permutationStatistics(this.#scans(), query, options);
  }

  /**
   * Storey's q-values of a tissue's published `pval_beta` column, recomputed exactly as R's
   * `qvalue(p, lambda = 0.85)` computes them (tensorQTL's `calculate_qvalues`, as RatGTEx ran it), beside
   * the published `qval`. Where no `pval_beta` of the tissue reaches 0.85, R's qvalue stops (pi0 ≤ 0); a
   * real release never meets it, and the bundled miniature release then takes the largest of 0.80, 0.75, …
   * that some `pval_beta` reaches — so does this function (`lambda` says which).
   *
   * Columns (one row per tested gene, in file order): `geneId`, `phenotypeId`, `tissueSiteDetailId`,
   * `modality` (str); `pValueBeta` (f64, published); `qValue` (f64, recomputed); `publishedQValue` (f64);
   * `lambda`, `pi0` (f64); `pValueBetaThreshold` (f64, tensorQTL `post.py`'s `pval_beta` cut-off at FDR
   * 0.05 — the midpoint between the largest significant and the smallest other `pval_beta` — from which
   * each gene's `pval_nominal_threshold` follows; null without eGenes); `agrees` (bool: `qValue` is the
   * published value as printed, allowing for the rounding of the printed `pval_beta` it comes from:
   * relative 1e-5).
   *
   * @param query `tissueSiteDetailId`, `modality` (default `expression`).
   * @returns The frame described above.
   * @throws {ValidationError} For an unknown tissue or modality, or a tissue without top associations.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const q = await rel.qValues({ tissueSiteDetailId: "IL" });
   * assert.ok((q.getColumn("agrees").toArray() as boolean[]).every((a) => a));
   * assert.equal(q.getColumn("lambda").get(0), 0.85);
   * ```
   */
  qValues(query: { tissueSiteDetailId: string; modality?: string }): Promise<pl.DataFrame> {
    return qValuesFrame(this.#scans(), query);
  }

  #scans(): ScanInputs {
    this.#scanInputs ??= new ScanInputs(this.#folder);
    return this.#scanInputs;
  }

  /**
   * One variant's pipeline-exact effect on one gene in every tissue where the gene was tested
   * (`top_assoc` has a row), in RatGTEx's portal order: {@link Release.eqtlStatistics} per tissue, in the
   * shape of `effectsAcrossTissues` (so `plots.effectForest` draws it), with `method` saying how.
   *
   * Columns: `geneId`, `variantId`, `tissueSiteDetailId`, `method` (str, {@link PIPELINE_METHOD}); `n`,
   * `dof` (i32); `slope`, `slopeSe`, `tStatistic`, `pValue` (f64, recomputed with the covariates, on the
   * normalised phenotype); `apiPValue` (f64, the published nominal p-value, `dyneqtl`'s `pValue`);
   * `apiPValueThreshold` (f64, the gene's threshold in the tissue); `significant` (bool, `apiPValue <
   * apiPValueThreshold`); `agrees` (bool, as in `eqtlStatistics`); `reason` (str).
   *
   * @param params The gene and the variant.
   * @returns The frame described above.
   * @throws {ValidationError} When the gene was tested in no tissue of the release.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const fx = await rel.effectsAcrossTissues({ geneId: "Cd300lf", variantId: "chr10:100826333" });
   * assert.ok(fx.height > 1);
   * assert.ok((fx.getColumn("agrees").toArray() as boolean[]).every((a) => a));
   * ```
   */
  async effectsAcrossTissues(params: { geneId: string; variantId: string }): Promise<pl.DataFrame> {
    if (
      params === null || typeof params !== "object" || typeof params.geneId !== "string" ||
      typeof params.variantId !== "string"
    ) {
      throw new ValidationError(
        "params",
        params,
        "must be { geneId, variantId }",
        'pass e.g. { geneId: "Cd300lf", variantId: "chr10:100826333" }',
      );
    }
    const { geneId, variantId } = params;
    const top = await this.topAssociations();
    const rows = top.filter(pl.col("geneId").eq(pl.lit(geneId)));
    const thresholds = new Map(
      (rows.select("tissueSiteDetailId", "pValueThreshold").toRecords() as {
        tissueSiteDetailId: string;
        pValueThreshold: number;
      }[])
        .map((r) => [r.tissueSiteDetailId, r.pValueThreshold]),
    );
    const tissues = tissueOrder([...thresholds.keys()]);
    if (tissues.length === 0) {
      throw new ValidationError(
        "params.geneId",
        geneId,
        "tested for eQTLs in no tissue of this release (top_assoc)",
        "check the gene ID",
      );
    }
    const fits = await this.eqtlStatistics(
      tissues.map((tissueSiteDetailId) => ({ geneId, tissueSiteDetailId, variantId })),
      { permutations: 0 },
    );
    const p = fits.getColumn("publishedPValue").toArray() as (number | null)[];
    const thr = tissues.map((t) => thresholds.get(t) ?? null);
    return pl.DataFrame([
      fits.getColumn("geneId"),
      fits.getColumn("variantId"),
      fits.getColumn("tissueSiteDetailId"),
      pl.Series("method", tissues.map(() => PIPELINE_METHOD), pl.Utf8),
      fits.getColumn("n"),
      fits.getColumn("dof"),
      fits.getColumn("slope"),
      fits.getColumn("slopeSe"),
      fits.getColumn("tStatistic"),
      fits.getColumn("pValue"),
      pl.Series("apiPValue", p, pl.Float64),
      pl.Series("apiPValueThreshold", thr, pl.Float64),
      pl.Series("significant", p.map((x, i) => (x === null || thr[i] === null ? null : x < thr[i]!)), pl.Bool),
      fits.getColumn("agrees"),
      fits.getColumn("reason"),
    ]);
  }

  /**
   * The local path of a file of the release (downloading it first for a remote release): `rel` must name a
   * file of the release's layout with IDs it has (e.g. `covar/covar.IL.expression.v4.tsv`).
   */
  async file(rel: string): Promise<string> {
    const checked = (await this.#folder.layout()).checked(rel, "rel");
    const src = this.#folder.source;
    if (src instanceof FolderSource) return await src.resolve(checked);
    if (src instanceof RemoteSource) return await src.download(checked);
    throw new ValidationError(
      "rel",
      rel,
      "this release's files have no local path",
      "read them through release.folder",
    );
  }

  /**
   * Genotypes of a region or of listed variants: one `Int8Array` per variant of ALT allele counts (0/1/2,
   * −1 missing) over the VCF's rats or `rats`, with the alleles; multi-allelic records flagged. The VCF is
   * the tissue's dataset (`tissue`), a named `dataset`, or the reference dataset the API's `variant` route
   * reads.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const g = await rel.genotypes({ region: "chr10:100826333", tissue: "IL" });
   * assert.equal(g.variants[0].variantId, "chr10:100826333");
   * assert.equal(g.variants[0].dosages.length, g.rats.length);
   * ```
   */
  async genotypes(query: {
    region?: string | Region;
    variantIds?: readonly string[];
    rats?: readonly string[];
    tissue?: string;
    dataset?: string;
  }): Promise<Genotypes> {
    if (query === null || typeof query !== "object") {
      throw new ValidationError("query", query, "must be an object", "e.g. { region: 'chr10:100.7M-101.0M' }");
    }
    const layout = await this.#folder.layout();
    let dataset = query.dataset;
    if (query.tissue !== undefined) {
      const t = layout.tissue(query.tissue, "tissue");
      dataset = (await this.#folder.tissues()).find((x) => x.id === t)!.dataset;
    }
    dataset ??= layout.datasets.includes(REFERENCE_DATASET) ? REFERENCE_DATASET : layout.datasets[0];
    const vcf = await this.#folder.vcf(layout.dataset(dataset));
    const region = typeof query.region === "string" ? parseRegion(query.region) : query.region;
    return await vcf.genotypes({ region, variantIds: query.variantIds, rats: query.rats });
  }

  #frame(key: string, build: () => Promise<pl.DataFrame>): Promise<pl.DataFrame> {
    let f = this.#frames.get(key);
    if (!f) {
      f = build();
      f.catch(() => this.#frames.delete(key));
      this.#frames.set(key, f);
    }
    return f;
  }

  #frameOrNull(key: string, build: () => Promise<pl.DataFrame | null>): Promise<pl.DataFrame | null> {
    let f = this.#maybe.get(key);
    if (!f) {
      f = build();
      f.catch(() => this.#maybe.delete(key));
      this.#maybe.set(key, f);
    }
    return f;
  }

  /** A table of the release as a frame of its declared column types (the one TSV reader). */
  async #read(
    kind: FileKindName,
    pick?: readonly string[],
    rel: string = FILE_KINDS[kind].pattern,
  ): Promise<pl.DataFrame> {
    return await readFrame(await this.#folder.source.whole(rel), tableSpec(kind)!, this.#folder.limits, pick);
  }

  /** A Predict-page table (in `data/predict/`, beside `data/v4/`) as a frame of its declared column types. */
  async #readData(kind: "predictionStats" | "predictions", params: Partial<Record<PathParam, string>> = {}) {
    const rel = (await this.#folder.layout()).path(kind, params);
    return await readFrame(await this.#folder.dataSource().whole(rel), tableSpec(kind)!, this.#folder.limits);
  }

  /**
   * Every conditionally independent eQTL of every gene and tissue (`eqtl/eqtls_indep.v4_rn8.tsv`).
   * Columns as `eqtl`: `geneId tissueSiteDetailId variantId chromosome pos ref alt pValueBeta log2aFC`
   * (`log2aFC` null where the release writes NA), plus `rank` (1 = strongest signal of the gene).
   */
  independentEqtls(): Promise<pl.DataFrame> {
    return this.#frame("eqtls", async () =>
      (await this.#read("eqtlsIndep")).select(
        ...qtlColumns(),
        pl.col("pval_beta").cast(pl.Float64).alias("pValueBeta"),
        pl.col("log2_aFC").cast(pl.Float64).alias("log2aFC"),
        pl.col("rank").cast(pl.Int32),
      ));
  }

  /**
   * Every conditionally independent xQTL: of the six modalities together (`xqtl/xqtls_indep.cross_modality.v4_rn8.tsv`,
   * the default: what the `xqtl` route reads), or of one modality (`xqtl/xqtls_indep.{M}.v4_rn8.tsv`, the
   * modality's own `map_independent`). Columns as `xqtl`: `geneId tissueSiteDetailId modality modalityLabel
   * phenotypeId variantId chromosome pos ref alt pValueBeta`, plus `rank` (i32).
   *
   * @param query `modality`: one of the six, or `cross_modality` (the default).
   * @returns The frame described above.
   * @throws {ValidationError} For an unknown modality.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const x = await rel.independentXqtls();
   * assert.ok(x.height > 0 && x.columns.includes("modalityLabel"));
   * ```
   */
  async independentXqtls(query: { modality?: string } = {}): Promise<pl.DataFrame> {
    const modality = checkModality(query, true);
    if (modality !== "cross_modality") {
      return await this.#frame(`xqtls:${modality}`, async () => {
        const rel = (await this.#folder.layout()).xqtlsIndep(modality);
        return xqtlIndepFrame(await this.#read("xqtlsIndep", undefined, rel), modality);
      });
    }
    return await this.#frame("xqtls", async () => xqtlIndepFrame(await this.#read("xqtlsIndepCrossModality"), null));
  }

  /**
   * The top association of every tested phenotype of a modality in every tissue (`xqtl/top_assoc.{M}.v4_rn8.tsv`;
   * for the grouped modalities — isoforms, splicing, alternative TSS and polyA — one row per gene, its
   * strongest phenotype's), of every modality (the six tables, the default), or of each gene over all
   * modalities (`xqtl/top_assoc.cross_modality.v4_rn8.tsv`). Columns: `geneId tissueSiteDetailId modality
   * modalityLabel phenotypeId variantId chromosome pos ref alt` (str, `pos` i64), `numVar af tssDistance`
   * (i64, f64, i64), `pValue slope slopeSe pValueBeta qValue pValueThreshold` (f64; `pValueThreshold` null
   * where the release writes NA), `significant` (bool: `qValue < 0.05`, as eGenes are counted).
   *
   * @param query `modality`: one of the six, `cross_modality`, or omitted for the six.
   * @returns The frame described above.
   * @throws {ValidationError} For an unknown modality.
   */
  async xqtlTopAssociations(query: { modality?: string } = {}): Promise<pl.DataFrame> {
    const modality = checkModality(query, false);
    return await this.#frame(`xqtlTop:${modality ?? "*"}`, async () => {
      const layout = await this.#folder.layout();
      if (modality === "cross_modality") {
        return xqtlTopFrame(await this.#read("xqtlTopAssocCrossModality"), null);
      }
      const frames = [];
      for (const m of modality === null ? MODALITIES : [modality]) {
        frames.push(xqtlTopFrame(await this.#read("xqtlTopAssoc", undefined, layout.xqtlTopAssoc(m)), m));
      }
      return pl.concat(frames);
    });
  }

  /**
   * Trans-eQTL pairs (`xqtl/trans_qtl_pairs.{T}.expression.v4_rn8.txt.gz`: tensorQTL `map_trans`, every
   * pair with p < 1e-5 whose variant is more than 5 Mb from the gene's TSS or on another chromosome), of one
   * gene, of one variant, or in a region, in the tissues asked for (default all; a remote release downloads
   * each tissue's file). Columns: `geneId tissueSiteDetailId variantId chromosome` (str), `pos` (i64),
   * `pValue slope slopeSe af` (f64).
   *
   * @param query `geneId` (one or several), `variantId`, `region` (`chrN:start-end`), `tissueSiteDetailId`
   *   (one or several); none: every pair.
   * @returns The frame described above, tissue by tissue in `tissue_info` order.
   * @throws {ValidationError} For an unknown tissue or a malformed region or variant.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const all = await rel.transPairs({ tissueSiteDetailId: "IL" });
   * const one = await rel.transPairs({ tissueSiteDetailId: "IL", variantId: all.getColumn("variantId").get(0) });
   * assert.ok(one.height >= 1 && (one.getColumn("pValue").toArray() as number[]).every((p) => p < 1e-5));
   * ```
   */
  async transPairs(query: {
    geneId?: string | readonly string[];
    variantId?: string;
    region?: string | Region;
    tissueSiteDetailId?: string | readonly string[];
  } = {}): Promise<pl.DataFrame> {
    if (query === null || typeof query !== "object") {
      throw new ValidationError("query", query, "must be an object", 'e.g. { geneId: "Cd300lf" }');
    }
    const layout = await this.#folder.layout();
    const asked = query.tissueSiteDetailId === undefined
      ? layout.tissues
      : (typeof query.tissueSiteDetailId === "string" ? [query.tissueSiteDetailId] : query.tissueSiteDetailId);
    const tissues = asked.map((t) => layout.tissue(t, "tissueSiteDetailId"));
    const frames = [];
    for (const t of tissues) {
      frames.push(
        await this.#frame(
          `trans:${t}`,
          async () => transFrame(await this.#read("transQtlPairs", undefined, layout.transQtlPairs(t)), t),
        ),
      );
    }
    let f = pl.concat(frames);
    if (query.geneId !== undefined) {
      const genes = typeof query.geneId === "string" ? [query.geneId] : [...query.geneId];
      f = f.filter(pl.col("geneId").isIn(genes));
    }
    if (query.variantId !== undefined) {
      const r = parseRegion(query.variantId);
      f = f.filter(pl.col("chromosome").eq(pl.lit(r.chromosome)).and(pl.col("pos").eq(r.start)));
    }
    if (query.region !== undefined) {
      const r = typeof query.region === "string" ? parseRegion(query.region) : query.region;
      f = f.filter(inRegion(r));
    }
    return f;
  }

  /**
   * The rats of the release (`ref/RatGTEx_rats.v4.tsv`): `ratId sex coatColor tissues` (str; `tissues` as
   * published, e.g. `IL, LHb`; null where the release has no value).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const rats = await rel.rats();
   * assert.deepEqual(rats.columns, ["ratId", "sex", "coatColor", "tissues"]);
   * ```
   */
  rats(): Promise<pl.DataFrame> {
    return this.#frame("rats", async () => ratsFrame(await this.#read("rats")));
  }

  /**
   * The RNA-seq samples of the release (`ref/RatGTEx_samples.v4.tsv`): `tissueSiteDetailId ratId
   * geoAccession bioSampleAccession sraAccession` (str; accessions null where the release writes NA).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const samples = (await rel.samples()).toRecords() as { tissueSiteDetailId: string; ratId: string }[];
   * const il = samples.filter((s) => s.tissueSiteDetailId === "IL").map((s) => s.ratId);
   * assert.deepEqual(il, await rel.ratIds("IL")); // the tissue's samples, in its rat order
   * ```
   */
  samples(): Promise<pl.DataFrame> {
    return this.#frame("samples", async () => samplesFrame(await this.#read("samples")));
  }

  /**
   * The rats of a tissue's final sample set (`rat_ids/rat_ids.{T}.v4.txt`, one ID a line), in file order.
   *
   * @param tissueSiteDetailId A tissue of the release.
   * @returns The rat IDs.
   * @throws {ValidationError} For an unknown tissue.
   */
  async ratIds(tissueSiteDetailId: string): Promise<string[]> {
    const rel = (await this.#folder.layout()).ratIds(tissueSiteDetailId);
    const ids: string[] = [];
    for await (const batch of textLines(await this.#folder.source.whole(rel), this.#folder.limits)) {
      for (const line of batch.lines) if (line.trim() !== "") ids.push(line.trim());
    }
    return ids;
  }

  /**
   * Genetically predicted RNA phenotypes of the genotyped rats (the Predict page's
   * `data/predict/pred-round11_2-{T}-{M}.tsv.gz`, beside `data/v4`; RatGTEx: 24,722 rats of genotyping round
   * 11.2): z-scores of a gene's heritable phenotypes (or of one phenotype) in a tissue and modality, for
   * stratifying one's own rats by genetically predicted expression. Only phenotypes heritable at p < 0.01 have
   * predictions ({@link Release.heritability} lists them). A remote release downloads the file once into the
   * cache; it is streamed, only the columns asked for kept.
   *
   * Columns (one row per rat × phenotype, rats in file order or the order of `ratIds`): `ratId`,
   * `tissueSiteDetailId`, `modality`, `geneId`, `phenotypeId` (str); `predicted` (f64, a z-score across the
   * cohort; null where the file writes NA).
   *
   * @param query `geneId` or `phenotypeId`, `tissueSiteDetailId`, `modality` (default `expression`), `ratIds`.
   * @returns The frame described above.
   * @throws {ValidationError} For an unknown tissue or modality, no prediction file for them, a gene or
   *   phenotype without predictions there, or rats the cohort does not have (named).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const [first] = (await rel.heritability({ tissueSiteDetailId: "IL", modality: "expression" })).toRecords() as {
   *   geneId: string;
   * }[];
   * const pred = await rel.predictedPhenotypes({ geneId: first.geneId, tissueSiteDetailId: "IL" });
   * assert.ok(pred.height > 1000); // the synthetic cohort: more rats than any tissue has
   * const z = pred.getColumn("predicted").toArray() as number[];
   * assert.ok(Math.abs(z.reduce((a, b) => a + b, 0) / z.length) < 0.01); // z-scores
   * ```
   */
  predictedPhenotypes(query: PredictionQuery): Promise<pl.DataFrame> {
    return predictions(this.#folder, query);
  }

  /**
   * Heritability and prediction accuracy of the heritable RNA phenotypes (the Predict page's
   * `data/predict/phenotype_stats.tsv.gz`, beside `data/v4`): `tissueSiteDetailId modality modalityLabel
   * geneId phenotypeId` (str), `hsq hsqSe hsqPValue` (f64: cis-heritability from a cis GRM, GCTA REML),
   * `modelType` (str: FUSION's best model, blup/lasso/top1/enet), `modelCvR2 modelCvPValue` (f64: its
   * cross-validated accuracy).
   *
   * @param query Filters: `geneId`, `tissueSiteDetailId`, `modality` (each one value or several).
   * @returns The frame described above.
   */
  async heritability(query: {
    geneId?: string | readonly string[];
    tissueSiteDetailId?: string | readonly string[];
    modality?: string | readonly string[];
  } = {}): Promise<pl.DataFrame> {
    if (query === null || typeof query !== "object") {
      throw new ValidationError("query", query, "must be an object", 'e.g. { geneId: "Cd300lf" }');
    }
    const all = await this.#frame(
      "heritability",
      async () => heritabilityFrame(await this.#readData("predictionStats")),
    );
    let f = all;
    for (
      const [key, column] of [["geneId", "geneId"], ["tissueSiteDetailId", "tissueSiteDetailId"], [
        "modality",
        "modality",
      ]] as const
    ) {
      const v = query[key];
      if (v !== undefined) f = f.filter(pl.col(column).isIn(typeof v === "string" ? [v] : [...v]));
    }
    return f;
  }

  /**
   * Every tested gene × tissue with its top variant (`eqtl/top_assoc.v4_rn8.tsv`): `geneId
   * tissueSiteDetailId variantId chromosome pos ref alt numVar af tssDistance pValue slope slopeSe
   * pValueBeta qValue pValueThreshold log2aFC eGene` (`eGene`: `qValue < 0.05`, as RatGTEx counts eGenes).
   */
  topAssociations(): Promise<pl.DataFrame> {
    return this.#frame("top", async () =>
      (await this.#read("topAssoc")).select(
        ...qtlColumns(),
        ...topAssocColumns(),
        pl.col("log2_aFC").cast(pl.Float64).alias("log2aFC"),
        pl.col("qval").cast(pl.Float64).lt(0.05).alias("eGene"),
      ));
  }

  /**
   * Every significant cis pair of every tissue (`xqtl/cis_qtl_signif.{T}.expression.v4_rn8.txt.gz`, one
   * file per tissue; a remote release downloads the tissues asked for). Columns as `singleTissueEqtl`:
   * `geneId tissueSiteDetailId variantId chromosome pos nes pValue`, plus `tssDistance af slopeSe`.
   */
  significantPairs(tissues?: readonly string[]): Promise<pl.DataFrame> {
    return this.#frame(`significant:${tissues?.join(",") ?? "*"}`, async () => {
      const layout = await this.#folder.layout();
      const all = layout.tissues;
      const asked = tissues ?? all;
      const unknown = asked.filter((t) => !all.includes(t));
      if (unknown.length > 0) {
        throw new ValidationError(
          "tissues",
          unknown.join(","),
          "not tissues of this release",
          `one of ${all.join(", ")}`,
        );
      }
      const frames = [];
      const pick = ["phenotype_id", "variant_id", "tss_distance", "af", "pval_nominal", "slope", "slope_se"];
      for (const t of asked) {
        const raw = await this.#read("cisQtlSignif", pick, layout.cisQtlSignif(t, "expression"));
        const ids = raw.getColumn("variant_id").toArray() as string[];
        const genes = (raw.getColumn("phenotype_id").toArray() as string[]).map((p) => p.split("__")[0]);
        frames.push(pl.DataFrame({
          geneId: pl.Series("geneId", genes, pl.Utf8),
          tissueSiteDetailId: pl.Series("tissueSiteDetailId", ids.map(() => t), pl.Utf8),
          variantId: pl.Series("variantId", ids, pl.Utf8),
          chromosome: pl.Series("chromosome", ids.map((v) => v.split(":")[0]), pl.Utf8),
          pos: pl.Series("pos", ids.map((v) => Number(v.split(":")[1])), pl.Int64),
          nes: raw.getColumn("slope").cast(pl.Float64),
          pValue: raw.getColumn("pval_nominal").cast(pl.Float64),
          tssDistance: raw.getColumn("tss_distance").cast(pl.Int64),
          af: raw.getColumn("af").cast(pl.Float64),
          slopeSe: raw.getColumn("slope_se").cast(pl.Float64),
        }));
      }
      return pl.concat(frames);
    });
  }

  /**
   * Every significant cis pair of one tissue and modality (`xqtl/cis_qtl_signif.{T}.{M}.v4_rn8.txt.gz`), or
   * null when the release has no such file (a release may carry expression only). Unlike
   * {@link Release.significantPairs} (expression, the `singleTissueEqtl` shape), it keeps the modality's
   * phenotype IDs (`{gene}__{feature}` outside expression).
   *
   * Columns: `geneId` (str, the phenotype's gene: the ID before `__`), `tissueSiteDetailId`, `modality`,
   * `phenotypeId`, `variantId`, `chromosome` (str); `pos`, `tssDistance` (i64); `af`, `pValue`, `slope`,
   * `slopeSe` (f64).
   *
   * @param tissue A tissue of the release.
   * @param modality One of the six modalities (default `expression`).
   * @returns The frame, or null without the file.
   * @throws {ValidationError} For a tissue or modality the release cannot name.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const il = await rel.significantXqtlPairs("IL", "expression");
   * assert.ok(il !== null && il.height > 0);
   * assert.ok((await rel.significantXqtlPairs("IL", "splicing"))!.height > 0); // IL has every modality
   * assert.equal(await rel.significantXqtlPairs("Adipose", "splicing"), null); // Adipose: expression only
   * ```
   */
  significantXqtlPairs(tissue: string, modality = "expression"): Promise<pl.DataFrame | null> {
    return this.#frameOrNull(`xsignificant:${tissue}:${modality}`, async () => {
      const rel = (await this.#folder.layout()).cisQtlSignif(tissue, modality);
      if (!(await this.#folder.source.has(rel))) return null;
      const pick = ["phenotype_id", "variant_id", "tss_distance", "af", "pval_nominal", "slope", "slope_se"];
      const raw = await this.#read("cisQtlSignif", pick, rel);
      const phenotypes = raw.getColumn("phenotype_id").toArray() as string[];
      const ids = raw.getColumn("variant_id").toArray() as string[];
      return pl.DataFrame([
        pl.Series("geneId", phenotypes.map((p) => p.split("__")[0]), pl.Utf8),
        pl.Series("tissueSiteDetailId", ids.map(() => tissue), pl.Utf8),
        pl.Series("modality", ids.map(() => modality), pl.Utf8),
        pl.Series("phenotypeId", phenotypes, pl.Utf8),
        pl.Series("variantId", ids, pl.Utf8),
        pl.Series("chromosome", ids.map((v) => v.slice(0, v.indexOf(":"))), pl.Utf8),
        pl.Series("pos", ids.map((v) => Number(v.slice(v.indexOf(":") + 1))), pl.Int64),
        raw.getColumn("tss_distance").cast(pl.Int64).alias("tssDistance"),
        raw.getColumn("af").cast(pl.Float64),
        raw.getColumn("pval_nominal").cast(pl.Float64).alias("pValue"),
        raw.getColumn("slope").cast(pl.Float64),
        raw.getColumn("slope_se").cast(pl.Float64).alias("slopeSe"),
      ]);
    });
  }

  /**
   * Whether the release has a file of its layout (`rel` as {@link Release.file} takes it): a release may
   * carry only some of the files its layout names (e.g. expression only).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * assert.equal(await rel.has("covar/covar.IL.expression.v4.tsv"), true);
   * assert.equal(await rel.has("covar/covar.Adipose.splicing.v4.tsv"), false); // expression only there
   * ```
   */
  async has(rel: string): Promise<boolean> {
    const checked = (await this.#folder.layout()).checked(rel, "rel");
    return await this.#folder.source.has(checked);
  }

  /** The gene table (`gene.v4.tsv`), columns as `gene`: `geneId chromosome start end strand tss description hasEqtl`. */
  genes(): Promise<pl.DataFrame> {
    return this.#frame("genes", async () =>
      // Columns as declared (layout.ts): hasEqtl is read as the flag it is, never compared as text.
      (await this.#read("genes", ["geneId", "chromosome", "start", "end", "strand", "tss", "description", "hasEqtl"]))
        .select(
          pl.col("geneId"),
          pl.col("chromosome"),
          pl.col("start"),
          pl.col("end"),
          pl.col("strand"),
          pl.col("tss"),
          pl.col("description").fillNull(""),
          pl.col("hasEqtl"),
        ));
  }

  /**
   * The median TPM of every gene in every tissue (`expr/medianGeneExpression.v4.tsv.gz`), long, as
   * `medianGeneExpression`'s `long` frame: `geneId tissueSiteDetailId median`, tissue-major.
   */
  medianExpression(): Promise<pl.DataFrame> {
    return this.#frame("medians", async () => {
      const wide = await this.#read("medianExpression");
      const tissues = wide.columns.filter((c) => c !== "geneId");
      return pl.concat(tissues.map((t) =>
        wide.select(
          pl.col("geneId").cast(pl.Utf8),
          pl.lit(t).alias("tissueSiteDetailId"),
          pl.col(t).cast(pl.Float64).alias("median"),
        )
      ));
    });
  }

  /**
   * Genes, independent eQTLs and xQTLs in a region (`chrN:start-end`, or a position widened by `window`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const r = await rel.region("chr10:100.7M-101.0M");
   * assert.ok(r.genes.getColumn("geneId").toArray().includes("Cd300lf"));
   * ```
   */
  async region(region: string | Region, options: RegionOptions = {}): Promise<RegionResult> {
    const r = typeof region === "string" ? parseRegion(region, options.window ?? 0) : region;
    const within = inRegion(r);
    const [genes, eqtls, xqtls] = await Promise.all([this.genes(), this.independentEqtls(), this.independentXqtls()]);
    const modalityXqtls = options.modalities
      ? pl.concat(await Promise.all(MODALITIES.map((modality) => this.independentXqtls({ modality })))).filter(within)
      : undefined;
    return {
      region: r,
      genes: genes.filter(
        pl.col("chromosome").eq(pl.lit(r.chromosome)).and(pl.col("start").ltEq(r.end)).and(pl.col("end").gtEq(r.start)),
      ),
      eqtls: eqtls.filter(within),
      xqtls: xqtls.filter(within),
      ...(options.significant ? { significant: (await this.significantPairs()).filter(within) } : {}),
      ...(modalityXqtls ? { modalityXqtls } : {}),
      ...(options.trans ? { trans: await this.transPairs({ region: r }) } : {}),
    };
  }

  /**
   * Every gene and tissue where a variant — or, with `window`, any variant within `window` bases of it —
   * is an independent eQTL or xQTL (and, with `significant: true`, a significant pair; with `modalities:
   * true`, an independent xQTL of a modality's own table; with `trans: true`, a trans-eQTL).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
   * const rel = await openRelease(BUNDLED_RELEASE);
   * const hits = await rel.lookup("chr10:100826333");
   * assert.ok(hits.eqtls.getColumn("tissueSiteDetailId").toArray().includes("IL"));
   * ```
   */
  async lookup(variant: string, options: RegionOptions = {}): Promise<Omit<RegionResult, "genes">> {
    const { genes: _, ...rest } = await this.region(parseRegion(variant, options.window ?? 0), options);
    return rest;
  }
}

/** The dataset the API server's `variant` route reads (hard-coded in api/app.py): the default VCF. */
const REFERENCE_DATASET = "ratgtex_v4_round11_2";

/**
 * Open a release for genome-scale queries: a local folder (`data/v4` or the folder above it, read in
 * place) or an https URL of one (`https://ratgtex.org/data/v4`; files are downloaded into the cache as
 * queries need them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
 * const rel = await openRelease(BUNDLED_RELEASE);
 * const top = await rel.topAssociations();
 * assert.ok(top.filter(top.getColumn("eGene")).height > 0);
 * ```
 */
export function openRelease(source: string | URL, options: ReleaseOptions = {}): Promise<Release> {
  return Promise.resolve().then(() => releaseOf(source, options));
}

/**
 * The reader of a release's files (internal: the readers' own tests and the twin reach the files through it).
 *
 * @param release An open release.
 * @returns Its reader.
 */
export function folderOf(release: Release): ReleaseFolder {
  return readerOf(release);
}

/**
 * A release over a reader built elsewhere (internal: a reader over a recording or hostile byte source, in
 * the readers' own tests).
 *
 * @param folder The reader.
 * @returns The release.
 */
export function releaseOver(folder: ReleaseFolder): Release {
  return makeRelease(folder);
}

function releaseOf(source: string | URL, options: ReleaseOptions): Release {
  if (options === null || typeof options !== "object") {
    throw new ValidationError("options", options, "must be an object", "e.g. { cacheDir, timeoutMs, limits }");
  }
  const text = String(source instanceof URL && source.protocol === "file:" ? source.pathname : source);
  if (/^https?:\/\//i.test(text)) {
    return makeRelease(ReleaseFolder.fromSource(new RemoteSource(text, options)));
  }
  return makeRelease(ReleaseFolder.open(text === "offline" ? BUNDLED_RELEASE : text, { limits: options.limits }));
}
