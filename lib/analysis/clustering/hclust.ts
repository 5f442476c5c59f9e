/**
 * Agglomerative hierarchical clustering that reproduces `scipy.cluster.hierarchy.linkage`
 * exactly: same algorithms (nearest-neighbour chain, minimum spanning tree, generic with a
 * heap), same floating-point operations in the same order, same tie-breaking, same cluster
 * numbering and row order. The RatGTEx server clusters medians with
 * `linkage(d, method="average", optimal_ordering=True)`; this module plus {@link optimalLeafOrdering}
 * give the same tree, so the Newick strings can be rebuilt byte for byte.
 *
 * The linkage is scipy's exchange format: n − 1 rows `[a, b, height, size]`, where leaves are
 * `0 … n−1` and the cluster made by row `i` is `n + i`.
 *
 * @module
 */

import { optimalLeafOrdering } from "./olo.ts";
import {
  ClusteringInputError,
  DEFAULT_LINKAGE_METHOD,
  LINKAGE_METHODS,
  type LinkageMethod,
  type LinkageRow,
} from "./linkage.ts";
import { checkMatrix, DEFAULT_DISTANCE_METRIC, DISTANCE_METRICS, type DistanceMetric, pdist } from "./pdist.ts";
import { pairwiseSquare } from "./_pairwise.ts";
import { leavesList } from "./leaves.ts";
import { obsFromCondensed } from "./_condensed.ts";
import { chainMethod, runLinkage, runLinkageSquare, squareLayout } from "./_linkage_algorithms.ts";

export type { DistanceMetric } from "./pdist.ts";
export type { LinkageMethod } from "./linkage.ts";

/** Options of {@link hclust}. */
export interface HclustOptions {
  /** Linkage method; default `"average"` (UPGMA, what the RatGTEx server uses). */
  method?: LinkageMethod;
  /** Distance between rows; default `"euclidean"`. Ignored when the input is a condensed distance matrix. */
  metric?: DistanceMetric;
  /** Reorder leaves with optimal leaf ordering (Bar-Joseph et al. 2001, as scipy); default `false`. */
  optimalOrdering?: boolean;
  /** One label per observation; default `"0"`, `"1"`, …. */
  labels?: readonly string[];
}

/** The result of {@link hclust}. */
export interface HclustResult {
  /** scipy-compatible linkage: n − 1 rows `[a, b, height, size]`, in scipy's row order. */
  linkage: LinkageRow[];
  /** The observation labels, index `i` naming leaf `i`. */
  labels: string[];
  /** Leaf indices in dendrogram order, left to right (scipy's `leaves_list`). */
  order: number[];
  /** The method used. */
  method: LinkageMethod;
  /** The metric used, or `"precomputed"` when the input was a condensed distance matrix. */
  metric: DistanceMetric | "precomputed";
}

const EUCLIDEAN_METHODS: readonly LinkageMethod[] = [
  "ward",
  "centroid",
  "median",
];

/**
 * Linkage of a condensed distance matrix, exactly as `scipy.cluster.hierarchy.linkage(y, method)`
 * (without optimal ordering). Uses scipy's algorithm for each method: minimum spanning tree for
 * `single`, nearest-neighbour chain for `average`/`complete`/`weighted`/`ward`, the generic
 * algorithm for `centroid`/`median`; all O(n²) time in practice.
 *
 * @param distances Condensed distances (length n(n−1)/2), finite and non-negative.
 * @param method Linkage method; default `"average"`.
 * @returns n − 1 rows `[a, b, height, size]` in scipy's order and numbering.
 *
 * @example
 * ```ts
 * import { linkageFromDistances } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const z = linkageFromDistances(new Float64Array([1, 4, 3]), "single");
 * assert.deepEqual(z, [[0, 1, 1, 2], [2, 3, 3, 3]]);
 * ```
 */
export function linkageFromDistances(
  distances: Float64Array,
  method: LinkageMethod = DEFAULT_LINKAGE_METHOD,
): LinkageRow[] {
  return linkageCore(distances, method, false, false);
}

function checkMethod(method: LinkageMethod): void {
  if (!LINKAGE_METHODS.includes(method)) {
    throw new ClusteringInputError(
      "method",
      method,
      `hclust: method "${method}" is not supported`,
      `use one of ${LINKAGE_METHODS.join(", ")}`,
    );
  }
}

/**
 * `overwrite`: the distances may be used as the working matrix (saves a copy of n²/2 doubles).
 * `computed`: pdist made them from finite values of magnitude ≤ 1e150, so they are finite and
 * non-negative by construction and the per-distance scan is skipped (n = 10,000: 50–150 ms).
 */
function linkageCore(
  distances: Float64Array,
  method: LinkageMethod,
  overwrite: boolean,
  computed: boolean,
): LinkageRow[] {
  checkMethod(method);
  if (!(distances instanceof Float64Array)) {
    throw new ClusteringInputError(
      "distances",
      typeof distances,
      "hclust: distances must be a Float64Array condensed distance matrix",
      "compute one with pdist, or pass the observations to hclust",
    );
  }
  const n = obsFromCondensed(distances.length);
  if (n < 2) {
    throw new ClusteringInputError(
      "distances",
      distances.length,
      `hclust: a condensed distance matrix has length n(n−1)/2 with n ≥ 2; got length ${distances.length}`,
      "pass pdist output (scipy's condensed layout)",
    );
  }
  if (n > 65535) {
    throw new ClusteringInputError(
      "distances",
      n,
      `hclust: n = ${n} observations is too many (at most 65535: the condensed matrix would not fit)`,
      "cluster a subset",
    );
  }
  for (let i = 0; !computed && i < distances.length; i++) {
    const d = distances[i];
    if (!Number.isFinite(d)) {
      throw new ClusteringInputError(
        `distances[${i}]`,
        d,
        `hclust: distance ${i} is ${d}; the condensed distance matrix must contain only finite values`,
        "remove or impute the observations that produce it",
      );
    }
    if (d < 0) {
      throw new ClusteringInputError(
        `distances[${i}]`,
        d,
        `hclust: distance ${i} is ${d}; distances must be non-negative`,
        "pass distances, not similarities or correlations",
      );
    }
  }
  return runLinkage(distances, n, method, overwrite);
}

/**
 * Hierarchical agglomerative clustering of the rows of a matrix (or of a condensed distance
 * matrix), equal to `scipy.cluster.hierarchy.linkage(X, method, metric, optimal_ordering)`:
 * same merges, heights (to the bit), numbering, row order and,
 * with `optimalOrdering`, the same leaf order, ties included.
 *
 * @param matrix Observations as rows (`number[][]`, finite), or a condensed distance matrix (`Float64Array`).
 * @param options Method (default `"average"`), metric (default `"euclidean"`), optimal ordering (default `false`), labels.
 * @returns The linkage, labels, leaf order, method and metric.
 *
 * @example
 * ```ts
 * import { hclust } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const res = hclust([[0, 1], [0, 2], [5, 5]], { optimalOrdering: true, labels: ["a", "b", "c"] });
 * assert.deepEqual(res.linkage[0], [1, 0, 1, 2]); // optimal ordering swapped a and b
 * assert.deepEqual(res.order.map((i) => res.labels[i]), ["c", "b", "a"]);
 * ```
 */
export function hclust(
  matrix: readonly (readonly number[])[] | Float64Array,
  options: HclustOptions = {},
): HclustResult {
  if (options === null || typeof options !== "object") {
    throw new ClusteringInputError(
      "options",
      options,
      "hclust: options must be an object",
      'pass e.g. { method: "average", optimalOrdering: true }, or nothing for the defaults',
    );
  }
  const method = options.method ?? DEFAULT_LINKAGE_METHOD;
  const metric = options.metric ?? DEFAULT_DISTANCE_METRIC;
  checkMethod(method);
  let distances: Float64Array | undefined;
  // Set instead of `distances` when the distances went straight into a square working matrix.
  let square: Float64Array | undefined;
  let n: number;
  let computed = false;
  if (matrix instanceof Float64Array) {
    distances = matrix;
    n = obsFromCondensed(matrix.length);
    if (n < 2) {
      throw new ClusteringInputError(
        "matrix",
        matrix.length,
        `hclust: a condensed distance matrix has length n(n−1)/2 with n ≥ 2; got length ${matrix.length}`,
        "pass pdist output (scipy's condensed layout)",
      );
    }
  } else {
    if (!DISTANCE_METRICS.includes(metric)) {
      throw new ClusteringInputError(
        "metric",
        metric,
        `hclust: metric "${metric}" is not supported`,
        `use one of ${DISTANCE_METRICS.join(", ")}`,
      );
    }
    if (EUCLIDEAN_METHODS.includes(method) && metric !== "euclidean") {
      throw new ClusteringInputError(
        "metric",
        metric,
        `hclust: method "${method}" requires the euclidean metric, got "${metric}"`,
        'use metric "euclidean", or pass a condensed distance matrix to override',
      );
    }
    n = matrix.length;
    if (n < 2) {
      throw new ClusteringInputError(
        "matrix",
        n,
        `hclust: need at least 2 observations (rows) to cluster, got ${n}`,
        'a tree needs two or more rows (the server answers "Not enough data")',
      );
    }
    computed = maxMagnitude(matrix) <= 1e150;
    if (computed && !options.optimalOrdering && chainMethod(method) && squareLayout(n)) {
      // The chain runs on a square matrix (see _linkage_algorithms.ts): pdist's distances go straight into
      // it, never into a condensed matrix (n = 10,000: 400 MB and a copy saved).
      const p = checkMatrix(matrix, "pdist");
      square = pairwiseSquare(matrix, p, metric);
    } else {
      distances = pdist(matrix, metric);
    }
  }
  const labels = options.labels ? [...options.labels] : Array.from({ length: n }, (_, i) => String(i));
  if (labels.length !== n) {
    throw new ClusteringInputError(
      "labels",
      labels.length,
      `hclust: ${labels.length} labels given for ${n} observations`,
      "give one label per row",
    );
  }
  // When we computed the distances ourselves and optimal ordering does not need them again,
  // cluster in place instead of copying (as fastcluster's preserve_input=False).
  const overwrite = !(matrix instanceof Float64Array) && !options.optimalOrdering;
  let linkage = square ? runLinkageSquare(square, n, method) : linkageCore(distances!, method, overwrite, computed);
  if (options.optimalOrdering) {
    linkage = optimalLeafOrdering(linkage, distances!);
  }
  return {
    linkage,
    labels,
    order: leavesList(linkage),
    method,
    metric: matrix instanceof Float64Array ? "precomputed" : metric,
  };
}

/** Largest |value| of a (checked, finite) matrix: below 1e150 no squared difference or product can overflow. */
function maxMagnitude(matrix: readonly (readonly number[])[]): number {
  let max = 0;
  for (const row of matrix) {
    for (let j = 0; j < row.length; j++) {
      const a = Math.abs(row[j]);
      if (a > max) max = a;
    }
  }
  return max;
}
