/**
 * Pairwise distances between observations, as scipy's `pdist` computes them (same summation order,
 * same bits), in scipy's condensed layout.
 *
 * @module
 */

import { ClusteringInputError } from "./linkage.ts";
import { pairwiseInto } from "./_pairwise.ts";

/** Distance metrics between observations (rows), as scipy's `pdist` names them. */
export type DistanceMetric =
  | "euclidean"
  | "correlation"
  | "cosine"
  | "cityblock";

/** The distance metrics {@link pdist} (and `hclust`) accept, in the order they are documented. */
export const DISTANCE_METRICS: readonly DistanceMetric[] = [
  "euclidean",
  "correlation",
  "cosine",
  "cityblock",
];

/** The default distance metric of `hclust` and `clusterMedians`: `"euclidean"`, as the RatGTEx server. */
export const DEFAULT_DISTANCE_METRIC: DistanceMetric = "euclidean";

export function checkMatrix(
  matrix: readonly (readonly number[])[],
  name: string,
): number {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new ClusteringInputError(
      "matrix",
      matrix?.length ?? matrix,
      `${name}: expected a non-empty array of rows (number[][]), got ${matrix?.length ?? "nothing"} rows`,
      "pass one array of numbers per observation",
    );
  }
  const p = matrix[0]?.length;
  if (!p) {
    throw new ClusteringInputError(
      "matrix[0]",
      matrix[0],
      `${name}: row 0 is empty`,
      "every row needs at least one value",
    );
  }
  for (let i = 0; i < matrix.length; i++) {
    const row = matrix[i];
    if (!row || row.length !== p) {
      throw new ClusteringInputError(
        `matrix[${i}]`,
        row?.length,
        `${name}: row ${i} has ${row?.length} values but row 0 has ${p}`,
        "rows must be equally long",
      );
    }
    for (let j = 0; j < p; j++) {
      if (typeof row[j] !== "number" || !Number.isFinite(row[j])) {
        throw new ClusteringInputError(
          `matrix[${i}][${j}]`,
          row[j],
          `${name}: value [${i}][${j}] = ${row[j]} is not a finite number`,
          "drop or impute it first",
        );
      }
    }
  }
  return p;
}

/**
 * Pairwise distances between the rows of `matrix`, as a condensed matrix (scipy's `pdist`):
 * entry for rows `i < j` at `n·i − i(i+1)/2 + j − i − 1`. The arithmetic follows scipy's
 * (same summation order), so distances agree with scipy 1.10 to the last bit.
 *
 * @param matrix Observations as rows (n × p), finite numbers.
 * @param metric `"euclidean"` (default), `"cityblock"`, `"cosine"` or `"correlation"` (1 − Pearson r).
 * @returns A `Float64Array` of n(n−1)/2 distances.
 *
 * @example
 * ```ts
 * import { pdist } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const d = pdist([[0, 0], [3, 4], [6, 8]]);
 * assert.deepEqual(Array.from(d), [5, 10, 5]);
 * ```
 */
export function pdist(
  matrix: readonly (readonly number[])[],
  metric: DistanceMetric = "euclidean",
): Float64Array {
  if (!DISTANCE_METRICS.includes(metric)) {
    throw new ClusteringInputError(
      "metric",
      metric,
      `pdist: metric "${metric}" is not supported`,
      `use one of ${DISTANCE_METRICS.join(", ")}`,
    );
  }
  const p = checkMatrix(matrix, "pdist");
  const n = matrix.length;
  const out = new Float64Array((n * (n - 1)) / 2);
  // Row i of the condensed layout starts at n·i − i(i+1)/2.
  pairwiseInto(matrix, p, metric, out, (i) => n * i - (i * (i + 1)) / 2);
  return out;
}
