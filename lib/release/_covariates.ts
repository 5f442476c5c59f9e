/**
 * A tissue's covariates as the regressions take them, for the readers that recompute the pipeline's
 * statistics (the cis window, the pipeline's nominal pairs, the permutation pass). Apart from `folder.ts`,
 * which the twin loads without polars; the sample alignment comes from the regression room.
 *
 * @module
 */
import { alignSamples } from "../analysis/regression/covariates.ts";
import type { ReleaseFolder } from "./folder.ts";

/**
 * `covar/covar.{T}.{M}.v4.tsv` as a matrix (one row per covariate): over `sampleIds` (the columns reordered
 * to them; a sample the file lacks is a typed error naming the file) or, without, in the file's sample order.
 */
export async function covariateMatrix(
  folder: ReleaseFolder,
  tissue: string,
  modality: string,
  sampleIds?: readonly string[],
): Promise<{ names: string[]; values: Float64Array[]; sampleIds: string[] }> {
  const covar = await folder.covariates(tissue, modality);
  const fileSamples = covar.columns.slice(1);
  const column = sampleIds === undefined
    ? fileSamples.map((_, s) => s)
    : alignSamples(sampleIds, fileSamples, (await folder.layout()).covariates(tissue, modality));
  const id = covar.col("ID");
  return {
    names: covar.rows.map((r) => r[id]),
    values: covar.rows.map((r) => Float64Array.from(column, (c) => Number(r[1 + c]))),
    sampleIds: sampleIds === undefined ? fileSamples : [...sampleIds],
  };
}
