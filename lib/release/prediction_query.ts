/**
 * The query of `Release.predictedPhenotypes` (the Predict page's genetically predicted phenotypes).
 *
 * @module
 */

/** The query of `Release.predictedPhenotypes`. */
export interface PredictionQuery {
  /** A gene: every predicted phenotype of it in the tissue and modality. */
  geneId?: string;
  /** One phenotype (`{gene}__{feature}` for the grouped modalities, the gene ID for expression and stability). */
  phenotypeId?: string;
  /** The tissue. */
  tissueSiteDetailId: string;
  /** The modality (default `expression`). */
  modality?: string;
  /** Only these rats (each must be in the file), in this order; default every rat, in file order. */
  ratIds?: readonly string[];
}
