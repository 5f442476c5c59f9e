/**
 * The frames of a release's files beyond the API's: per-modality xQTL tables, trans-eQTL pairs, rats and
 * samples, the Predict page's heritability and predictions — each from the raw table as declared in
 * `layout.ts`, renamed to the routes' camelCase and typed.
 *
 * @module
 */
import pl from "nodejs-polars";
import { XQTL_MODALITIES } from "../_core/modalities.ts";

/** The label of each modality (the `xqtl` route's `modalityLabel`). */
function labels(modality: pl.Series): pl.Series {
  return pl.Series(
    "modalityLabel",
    modality.toArray().map((m) => (Object.hasOwn(XQTL_MODALITIES, m as string) ? XQTL_MODALITIES[m as string] : null)),
    pl.Utf8,
  );
}

/** Adds `modality` (when the file has none: one modality's table) and `modalityLabel`. */
function withModality(raw: pl.DataFrame, modality: string | null): pl.DataFrame {
  const m = raw.columns.includes("modality")
    ? raw.getColumn("modality").cast(pl.Utf8)
    : pl.Series("modality", new Array(raw.height).fill(modality), pl.Utf8);
  return raw.withColumns(m.alias("modality"), labels(m));
}

/** A QTL table's variant columns as the routes name them: `variantId chromosome pos ref alt`. */
export const variantColumns = (): pl.Expr[] => [
  pl.col("variant_id").cast(pl.Utf8).alias("variantId"),
  pl.col("chrom").cast(pl.Utf8).alias("chromosome"),
  pl.col("pos").cast(pl.Int64),
  pl.col("ref").cast(pl.Utf8),
  pl.col("alt").cast(pl.Utf8),
];

/**
 * A top-association table's statistics (every modality's and cross-modality's alike): `numVar af tssDistance
 * pValue slope slopeSe pValueBeta qValue pValueThreshold`.
 */
export const topAssocColumns = (): pl.Expr[] => [
  pl.col("num_var").cast(pl.Int64).alias("numVar"),
  pl.col("af").cast(pl.Float64),
  pl.col("tss_distance").cast(pl.Int64).alias("tssDistance"),
  pl.col("pval_nominal").cast(pl.Float64).alias("pValue"),
  pl.col("slope").cast(pl.Float64),
  pl.col("slope_se").cast(pl.Float64).alias("slopeSe"),
  pl.col("pval_beta").cast(pl.Float64).alias("pValueBeta"),
  pl.col("qval").cast(pl.Float64).alias("qValue"),
  pl.col("pval_nominal_threshold").cast(pl.Float64).alias("pValueThreshold"),
];

const head = (): pl.Expr[] => [
  pl.col("gene_id").cast(pl.Utf8).alias("geneId"),
  pl.col("tissue").cast(pl.Utf8).alias("tissueSiteDetailId"),
  pl.col("modality"),
  pl.col("modalityLabel"),
  pl.col("phenotype_id").cast(pl.Utf8).alias("phenotypeId"),
];

/**
 * A top-association table of xQTLs (`xqtl/top_assoc.{M}` or `…cross_modality`): `geneId
 * tissueSiteDetailId modality modalityLabel phenotypeId variantId chromosome pos ref alt numVar af
 * tssDistance pValue slope slopeSe pValueBeta qValue pValueThreshold significant`.
 */
export function xqtlTopFrame(raw: pl.DataFrame, modality: string | null): pl.DataFrame {
  return withModality(raw, modality).select(
    ...head(),
    ...variantColumns(),
    ...topAssocColumns(),
    pl.col("qval").cast(pl.Float64).lt(0.05).alias("significant"),
  );
}

/**
 * An independent-xQTL table (`xqtl/xqtls_indep.{M}` or `…cross_modality`), as the `xqtl` route's columns:
 * `geneId tissueSiteDetailId modality modalityLabel phenotypeId variantId chromosome pos ref alt pValueBeta
 * rank`.
 */
export function xqtlIndepFrame(raw: pl.DataFrame, modality: string | null): pl.DataFrame {
  return withModality(raw, modality).select(
    ...head(),
    ...variantColumns(),
    pl.col("pval_beta").cast(pl.Float64).alias("pValueBeta"),
    pl.col("rank").cast(pl.Int32),
  );
}

/**
 * One tissue's trans-eQTL pairs (`xqtl/trans_qtl_pairs.{T}.expression`): `geneId tissueSiteDetailId
 * variantId chromosome pos pValue slope slopeSe af`.
 */
export function transFrame(raw: pl.DataFrame, tissue: string): pl.DataFrame {
  const ids = raw.getColumn("variant_id").toArray() as string[];
  return pl.DataFrame([
    raw.getColumn("phenotype_id").cast(pl.Utf8).alias("geneId"),
    pl.Series("tissueSiteDetailId", new Array(raw.height).fill(tissue), pl.Utf8),
    raw.getColumn("variant_id").cast(pl.Utf8).alias("variantId"),
    pl.Series("chromosome", ids.map((v) => v.split(":")[0]), pl.Utf8),
    pl.Series("pos", ids.map((v) => Number(v.split(":")[1])), pl.Int64),
    raw.getColumn("pval").cast(pl.Float64).alias("pValue"),
    raw.getColumn("slope").cast(pl.Float64).alias("slope"),
    raw.getColumn("slope_se").cast(pl.Float64).alias("slopeSe"),
    raw.getColumn("af").cast(pl.Float64).alias("af"),
  ]);
}

/** `ref/RatGTEx_rats.v4.tsv`: `ratId sex coatColor tissues` (tissues as published: `IL, LHb`). */
export function ratsFrame(raw: pl.DataFrame): pl.DataFrame {
  return raw.select(
    pl.col("rat_id").cast(pl.Utf8).alias("ratId"),
    pl.col("sex").cast(pl.Utf8),
    pl.col("coatcolor").cast(pl.Utf8).alias("coatColor"),
    pl.col("tissues").cast(pl.Utf8),
  );
}

/**
 * `ref/RatGTEx_samples.v4.tsv`: `tissueSiteDetailId ratId geoAccession bioSampleAccession sraAccession`
 * (null where the release writes NA).
 */
export function samplesFrame(raw: pl.DataFrame): pl.DataFrame {
  return raw.select(
    pl.col("tissue").cast(pl.Utf8).alias("tissueSiteDetailId"),
    pl.col("rat_id").cast(pl.Utf8).alias("ratId"),
    pl.col("GEO_accession").cast(pl.Utf8).alias("geoAccession"),
    pl.col("BioSample_accession").cast(pl.Utf8).alias("bioSampleAccession"),
    pl.col("SRA_accession").cast(pl.Utf8).alias("sraAccession"),
  );
}

/**
 * The Predict page's `phenotype_stats.tsv.gz`: `tissueSiteDetailId modality modalityLabel geneId phenotypeId
 * hsq hsqSe hsqPValue modelType modelCvR2 modelCvPValue`.
 */
export function heritabilityFrame(raw: pl.DataFrame): pl.DataFrame {
  return withModality(raw, null).select(
    pl.col("tissue").cast(pl.Utf8).alias("tissueSiteDetailId"),
    pl.col("modality"),
    pl.col("modalityLabel"),
    pl.col("gene_id").cast(pl.Utf8).alias("geneId"),
    pl.col("phenotype_id").cast(pl.Utf8).alias("phenotypeId"),
    pl.col("hsq").cast(pl.Float64),
    pl.col("hsq_se").cast(pl.Float64).alias("hsqSe"),
    pl.col("hsq_pval").cast(pl.Float64).alias("hsqPValue"),
    pl.col("model_type").cast(pl.Utf8).alias("modelType"),
    pl.col("model_cv_r2").cast(pl.Float64).alias("modelCvR2"),
    pl.col("model_cv_pval").cast(pl.Float64).alias("modelCvPValue"),
  );
}
