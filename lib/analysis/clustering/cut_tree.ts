/**
 * Flat clusters from a linkage (scipy's `fcluster`, criteria `maxclust` and `distance`).
 *
 * @module
 */

import { ClusteringInputError } from "./linkage.ts";
import { checkLinkage } from "./_linkage_check.ts";

/** How to cut a tree into flat clusters: into at most `k` clusters, or at a height. */
export type CutTreeOptions = { k: number } | { height: number };

/** scipy's get_max_dist_for_each_cluster: the largest merge height within each cluster. */
function maxDistPerCluster(
  Z: readonly (readonly number[])[],
  n: number,
): Float64Array {
  const MD = new Float64Array(n - 1);
  const visited = new Uint8Array(2 * n - 1);
  const curr = new Int32Array(n);
  let k = 0;
  curr[0] = 2 * n - 2;
  while (k >= 0) {
    const root = curr[k] - n;
    const lc = Z[root][0];
    const rc = Z[root][1];
    if (lc >= n && !visited[lc]) {
      visited[lc] = 1;
      curr[++k] = lc;
      continue;
    }
    if (rc >= n && !visited[rc]) {
      visited[rc] = 1;
      curr[++k] = rc;
      continue;
    }
    let m = Z[root][2];
    if (lc >= n && MD[lc - n] > m) m = MD[lc - n];
    if (rc >= n && MD[rc - n] > m) m = MD[rc - n];
    MD[root] = m;
    k--;
  }
  return MD;
}

/** scipy's cluster_monocrit: clusters are maximal subtrees whose criterion is ≤ cutoff. */
function clusterMonocrit(
  Z: readonly (readonly number[])[],
  MC: Float64Array,
  cutoff: number,
  n: number,
): number[] {
  const T = new Array<number>(n).fill(0);
  const visited = new Uint8Array(2 * n - 1);
  const curr = new Int32Array(n);
  let nCluster = 0;
  let leader = -1;
  let k = 0;
  curr[0] = 2 * n - 2;
  while (k >= 0) {
    const root = curr[k] - n;
    const lc = Z[root][0];
    const rc = Z[root][1];
    if (leader === -1 && MC[root] <= cutoff) {
      leader = root;
      nCluster++;
    }
    if (lc >= n && !visited[lc]) {
      visited[lc] = 1;
      curr[++k] = lc;
      continue;
    }
    if (rc >= n && !visited[rc]) {
      visited[rc] = 1;
      curr[++k] = rc;
      continue;
    }
    if (lc < n) {
      if (leader === -1) nCluster++;
      T[lc] = nCluster;
    }
    if (rc < n) {
      if (leader === -1) nCluster++;
      T[rc] = nCluster;
    }
    if (leader === root) leader = -1;
    k--;
  }
  return T;
}

/** scipy's cluster_maxclust_monocrit: the smallest threshold giving at most maxNc clusters. */
function clusterMaxclust(
  Z: readonly (readonly number[])[],
  MC: Float64Array,
  n: number,
  maxNc: number,
): number[] {
  if (maxNc >= n) return Array.from({ length: n }, (_, i) => i + 1);
  const visited = new Uint8Array(2 * n - 1);
  const curr = new Int32Array(n);
  let lower = -1;
  let upper = n - 1;
  while (upper - lower > 1) {
    const i = (lower + upper) >> 1;
    const thresh = MC[i];
    visited.fill(0);
    let nc = 0;
    let k = 0;
    curr[0] = 2 * n - 2;
    while (k >= 0) {
      const root = curr[k] - n;
      const lc = Z[root][0];
      const rc = Z[root][1];
      if (MC[root] <= thresh) {
        nc++;
        if (nc > maxNc) break;
        k--;
        visited[lc] = 1;
        visited[rc] = 1;
        continue;
      }
      if (!visited[lc]) {
        visited[lc] = 1;
        if (lc >= n) {
          curr[++k] = lc;
          continue;
        }
        nc++;
        if (nc > maxNc) break;
      }
      if (!visited[rc]) {
        visited[rc] = 1;
        if (rc >= n) {
          curr[++k] = rc;
          continue;
        }
        nc++;
        if (nc > maxNc) break;
      }
      k--;
    }
    if (nc > maxNc) lower = i;
    else upper = i;
  }
  return clusterMonocrit(Z, MC, MC[upper], n);
}

/**
 * Flat clusters from a tree, numbered 1… as scipy's `fcluster` numbers them:
 * `{ k }` = `fcluster(Z, k, "maxclust")` (at most k clusters; fewer when merge heights tie),
 * `{ height }` = `fcluster(Z, height, "distance")` (leaves whose cophenetic distance is ≤ height
 * share a cluster).
 *
 * @param linkage A linkage matrix.
 * @param options `{ k }` (a positive integer) or `{ height }` (a number).
 * @returns One cluster number per leaf, leaf `i` at index `i`.
 *
 * @example
 * ```ts
 * import { cutTree, hclust } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const { linkage } = hclust([[0], [1], [10], [11], [30]]);
 * assert.deepEqual(cutTree(linkage, { k: 2 }), [1, 1, 1, 1, 2]);
 * assert.deepEqual(cutTree(linkage, { height: 1 }), [1, 1, 2, 2, 3]);
 * ```
 */
export function cutTree(
  linkage: readonly (readonly number[])[],
  options: CutTreeOptions,
): number[] {
  const n = checkLinkage(linkage, "cutTree");
  const MD = maxDistPerCluster(linkage, n);
  if ("k" in options) {
    const k = options.k;
    if (!Number.isInteger(k) || k < 1) {
      throw new ClusteringInputError(
        "k",
        k,
        `cutTree: k must be a positive integer number of clusters, got ${k}`,
        "pass e.g. { k: 3 }",
      );
    }
    return clusterMaxclust(linkage, MD, n, k);
  }
  if ("height" in options) {
    const h = options.height;
    if (typeof h !== "number" || Number.isNaN(h)) {
      throw new ClusteringInputError(
        "height",
        h,
        `cutTree: height must be a number, got ${h}`,
        "pass e.g. { height: 100 }",
      );
    }
    return clusterMonocrit(linkage, MD, h, n);
  }
  throw new ClusteringInputError(
    "options",
    options,
    "cutTree: options must be { k: number } or { height: number }",
    "pass { k } for a number of clusters or { height } for a cut height",
  );
}
