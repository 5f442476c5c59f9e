/**
 * Result types shared by the route functions and the analysis helpers.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { NewickNode } from "./clustering/newick.ts";

/** The summary fields of a `dyneqtl` answer (everything but the per-sample arrays). */
export interface DyneqtlSummary {
  /** Gene ID (RefSeq GRCr8 symbol), e.g. `"Cd300lf"`. */
  geneId: string;
  /** Tissue ID, e.g. `"IL"`. */
  tissueSiteDetailId: string;
  /** Variant ID `chrN:pos`, e.g. `"chr10:100826333"`. */
  variantId: string;
  /** Reference allele. */
  ref: string;
  /** Alternative allele (the dosage counts copies of this allele). */
  alt: string;
  /** Samples with dosage 0. */
  homoRefCount: number;
  /** Samples with dosage 1. */
  hetCount: number;
  /** Samples with dosage 2. */
  homoAltCount: number;
  /** (het + 2·homAlt) / (2·called): really the ALT allele frequency; can exceed 0.5. */
  maf: number;
  /** The pipeline's nominal p-value for this pair, or `null` when the pair was not tested. */
  pValue: number | null;
  /** The gene's nominal p-value significance threshold in this tissue. */
  pValueThreshold: number;
}

/** A parsed `dyneqtl` answer: the summary fields, the per-sample arrays and a per-sample frame. */
export interface DyneqtlResult extends DyneqtlSummary {
  /** Per-sample expression (TPM in v4), one per sample of the tissue. */
  data: number[];
  /** ALT allele dosage (0, 1, 2) per sample, same order as `data`; `null` = missing call. */
  genotypes: (number | null)[];
  /** Per-sample frame: `sampleIndex` (Int32), `genotype` (Int32, null when missing), `tpm` (Float64). */
  samples: pl.DataFrame;
}

/** A parsed `medianGeneExpression` answer. */
export interface MedianGeneExpressionResult {
  /** Long frame, tissue-major as the server sends it: `geneId`, `tissueSiteDetailId`, `median` (TPM, 3 decimals). */
  long: pl.DataFrame;
  /** Wide frame: `geneId`, then one Float64 column per tissue (in the answer's tissue order). */
  wide: pl.DataFrame;
  /** Gene IDs in the answer's order (the matrix rows). */
  geneIds: string[];
  /** Tissue IDs in the answer's order (the matrix columns). */
  tissueIds: string[];
  /** The genes × tissues median matrix, `values[gene][tissue]`. */
  values: number[][];
  /** The server's Newick strings, verbatim (`"Not enough data"` when there is a single gene or tissue). */
  clusters: { gene: string; tissue: string };
  /** The gene tree parsed, or `null` for "Not enough data". */
  geneTree: NewickNode | null;
  /** The tissue tree parsed, or `null` for "Not enough data". */
  tissueTree: NewickNode | null;
}
