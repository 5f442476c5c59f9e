/**
 * The type of what the pipeline mapped for one gene × tissue: its normalised phenotype, the tissue's
 * covariates and the genotypes of its cis window (`Release.cisInputs`).
 *
 * @module
 */
import type { CovariateMatrix } from "../analysis/regression/regression_types.ts";
import type { GenotypeVariant } from "./vcf.ts";

/** A gene × tissue's pipeline inputs, as tensorQTL read them. */
export interface CisInputs {
  /** The gene. */
  geneId: string;
  /** The tissue. */
  tissueSiteDetailId: string;
  /** The modality (`expression`…). */
  modality: string;
  /** The phenotype's ID in the BED (the gene ID for expression). */
  phenotypeId: string;
  /** Its chromosome. */
  chromosome: string;
  /** Its TSS (the BED's `end`), the centre of the window. */
  tss: number;
  /** The window's half-width. */
  window: number;
  /** The samples (rat IDs): the normalised BED's columns, the order of every array below. */
  sampleIds: string[];
  /** The normalised phenotype (`phenos/phenos.{T}.{M}.norm.v4_rn8.bed.gz`), one value per sample. */
  phenotype: Float64Array;
  /** The tissue's covariates (`covar/covar.{T}.{M}.v4.tsv`), with their sample IDs (the file's order). */
  covariates: CovariateMatrix;
  /**
   * Every bi-allelic variant within `window` of the TSS in the tissue's genotype VCF, by position: ALT
   * dosages over `sampleIds`, −1 for a missing call.
   */
  variants: GenotypeVariant[];
}
