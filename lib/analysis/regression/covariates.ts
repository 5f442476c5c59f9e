/**
 * Covariates for the tensorQTL-equivalent eQTL fit: reading a covariate file's frame into a
 * {@linkcode CovariateMatrix}, and aligning sample IDs (a BED header, a covariate file's columns, a
 * VCF's samples) with typed errors that list what does not line up.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { isDataFrame } from "../../_core/data_frame.ts";
import { type CovariateMatrix, type Covariates, RegressionInputError } from "./regression_types.ts";

export type { CovariateMatrix, Covariates } from "./regression_types.ts";

function listed(ids: readonly string[], most = 10): string {
  const shown = ids.slice(0, most).map((s) => JSON.stringify(s)).join(", ");
  return ids.length > most ? `${shown}, … (${ids.length} in all)` : shown;
}

/**
 * Where each wanted sample ID sits in another list of sample IDs: `index[s]` is the position in
 * `available` of `wanted[s]`. Use it to put covariate columns, or a VCF's dosages, into the order of the
 * normalised BED's header (the order `dyneqtl` gives its `data` and `genotypes` in). Extra IDs in
 * `available` are ignored, as tensorQTL ignores covariate columns of samples it does not map.
 *
 * @param wanted The order wanted (e.g. the BED header's sample IDs, after its 4 BED columns).
 * @param available The order the values come in (e.g. a covariate file's sample columns).
 * @param parameter The name of `available` in error messages (e.g. `"covariates.sampleIds"`).
 * @returns One index per wanted sample.
 * @throws {RegressionInputError} When a wanted sample is missing from `available` (all missing ones
 *   are listed), or either list repeats an ID or holds a non-string.
 *
 * @example
 * ```ts
 * import { alignSamples, RegressionInputError } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...alignSamples(["r2", "r1"], ["r1", "r2", "r3"], "covariates.sampleIds")], [1, 0]);
 * assert.throws(() => alignSamples(["r1", "r9"], ["r1", "r2"], "covariates.sampleIds"), RegressionInputError);
 * ```
 */
export function alignSamples(
  wanted: readonly string[],
  available: readonly string[],
  parameter: string,
): Int32Array {
  const where = new Map<string, number>();
  available.forEach((id, i) => {
    if (typeof id !== "string") {
      throw new RegressionInputError(parameter, i, id, "a sample ID must be a string", "pass sample IDs as strings");
    }
    if (where.has(id)) {
      throw new RegressionInputError(
        parameter,
        i,
        id,
        `sample ID repeated (also at ${where.get(id)})`,
        "each sample must appear once; fix the file or drop the duplicate column",
      );
    }
    where.set(id, i);
  });
  const index = new Int32Array(wanted.length);
  const seen = new Set<string>();
  const missing: string[] = [];
  wanted.forEach((id, s) => {
    if (typeof id !== "string" || seen.has(id)) {
      throw new RegressionInputError(
        "sampleIds",
        s,
        id,
        typeof id !== "string" ? "a sample ID must be a string" : "sample ID repeated",
        "pass each sample's ID once, in the order of the data",
      );
    }
    seen.add(id);
    const i = where.get(id);
    if (i === undefined) missing.push(id);
    else index[s] = i;
  });
  if (missing.length > 0) {
    throw new RegressionInputError(
      parameter,
      null,
      `${available.length} sample IDs`,
      `${missing.length} of the ${wanted.length} samples are not there: ${listed(missing)}`,
      "use the covariate file of the same tissue and release as the phenotypes, or drop those samples",
    );
  }
  return index;
}

/**
 * Read a covariate file's frame (RatGTEx layout: a Utf8 column `ID` naming each covariate, then one
 * numeric column per sample, named by its ID) into a {@linkcode CovariateMatrix} with `sampleIds`.
 * A CovariateMatrix is returned as it is.
 *
 * @param covariates The frame (e.g. `pl.readCSV(text, { sep: "\t" })` of `covar/covar.{T}.expression.v4.tsv`).
 * @returns Names (the `ID` column), values (one Float64Array per covariate) and the sample IDs.
 * @throws {RegressionInputError} When the frame has no `ID` column, a sample column is not numeric, or a
 *   value is missing.
 *
 * @example
 * ```ts
 * import { covariateMatrix } from "ratgtex/analysis";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const frame = pl.DataFrame({ ID: ["geno_PC1", "pheno_PC1"], r1: [0.1, -0.2], r2: [-0.1, 0.3] });
 * const m = covariateMatrix(frame);
 * assert.deepEqual(m.names, ["geno_PC1", "pheno_PC1"]);
 * assert.deepEqual(m.sampleIds, ["r1", "r2"]);
 * assert.deepEqual([...m.values[1] as Float64Array], [-0.2, 0.3]);
 * ```
 */
export function covariateMatrix(covariates: Covariates): CovariateMatrix {
  if (!isDataFrame(covariates)) return covariates;
  const frame = covariates as pl.DataFrame;
  if (!frame.columns.includes("ID")) {
    throw new RegressionInputError(
      "covariates",
      null,
      `columns ${frame.columns.slice(0, 5).join(", ")}`,
      'the covariate frame has no "ID" column',
      "pass the covariate file as read (column ID, then one column per sample), or a CovariateMatrix",
    );
  }
  const names = (frame.getColumn("ID").toArray() as unknown[]).map(String);
  const sampleIds = frame.columns.filter((c) => c !== "ID");
  const values = sampleIds.length === 0
    ? names.map(() => new Float64Array(0))
    : names.map(() => new Float64Array(sampleIds.length));
  sampleIds.forEach((id, s) => {
    const col = frame.getColumn(id);
    if (!col.isNumeric()) {
      throw new RegressionInputError(
        `covariates["${id}"]`,
        null,
        String(col.dtype),
        "a sample column of the covariate frame is not numeric",
        "read the file with numeric sample columns (every column but ID)",
      );
    }
    const xs = col.toArray() as (number | null)[];
    xs.forEach((v, c) => {
      if (typeof v !== "number") {
        throw new RegressionInputError(
          `covariates["${id}"]`,
          c,
          v,
          `covariate ${JSON.stringify(names[c])} is missing for this sample`,
          "a covariate file has no missing values; use the release's file as is",
        );
      }
      values[c][s] = v;
    });
  });
  return { names, values, sampleIds };
}
