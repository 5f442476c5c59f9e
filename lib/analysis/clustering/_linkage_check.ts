/**
 * Internal: validation of a linkage matrix shared by the functions that walk one (tree.ts, newick.ts).
 * Not re-exported from mod.ts.
 *
 * @module
 */
import { ClusteringInputError } from "./linkage.ts";

/**
 * Check that `linkage` is a valid linkage matrix — rows `[a, b, height, size]` merging earlier clusters,
 * each cluster joining exactly once, no NaN height — and return its number of leaves. `fn` names the
 * calling function in the error.
 */
export function checkLinkage(
  linkage: readonly (readonly number[])[],
  fn: string,
): number {
  if (!Array.isArray(linkage) || linkage.length === 0) {
    throw new ClusteringInputError(
      "linkage",
      linkage?.length,
      `${fn}: the linkage needs at least one row (two leaves)`,
      "pass a linkage from hclust",
    );
  }
  const n = linkage.length + 1;
  // Each leaf and merged cluster joins exactly once, or the walks below would silently skip leaves.
  const used = new Uint8Array(2 * n - 1);
  for (let i = 0; i < linkage.length; i++) {
    const r = linkage[i];
    if (
      !r || r.length < 4 || !Number.isInteger(r[0]) ||
      !Number.isInteger(r[1]) ||
      r[0] < 0 || r[1] < 0 || r[0] >= n + i || r[1] >= n + i ||
      typeof r[2] !== "number" || Number.isNaN(r[2])
    ) {
      throw new ClusteringInputError(
        `linkage[${i}]`,
        r,
        `${fn}: linkage row ${i} = ${JSON.stringify(r)} is not [a, b, height, size] with a, b earlier clusters`,
        "pass a linkage from hclust",
      );
    }
    for (const c of [r[0], r[1]]) {
      if (used[c] || r[0] === r[1]) {
        throw new ClusteringInputError(
          `linkage[${i}]`,
          r,
          `${fn}: linkage row ${i} = ${JSON.stringify(r)} merges cluster ${c}, which is already merged`,
          "pass a linkage from hclust: every cluster joins exactly once",
        );
      }
      used[c] = 1;
    }
  }
  return n;
}
