/**
 * The leaf order of a linkage (scipy's `leaves_list`).
 *
 * @module
 */

/**
 * Leaf indices in dendrogram order (scipy's `leaves_list`: pre-order, left child first).
 *
 * @param linkage A linkage matrix.
 * @returns The n leaf indices, left to right.
 *
 * @example
 * ```ts
 * import { leavesList } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * assert.deepEqual(leavesList([[1, 2, 1, 2], [3, 0, 2, 3]]), [1, 2, 0]);
 * ```
 */
export function leavesList(linkage: readonly (readonly number[])[]): number[] {
  const n = linkage.length + 1;
  const out: number[] = [];
  const stack: number[] = [2 * n - 2];
  if (n === 1) return [0];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v < n) {
      out.push(v);
      continue;
    }
    const row = linkage[v - n];
    stack.push(row[1], row[0]);
  }
  return out;
}
