/**
 * Writing Newick text: {@link toNewick} and {@link serverTree} byte-identical to the RatGTEx server
 * (children written right first, branch lengths with Python's `"%g"`), {@link formatNewick} for any
 * parsed tree.
 *
 * @module
 */

import { formatG } from "../../_core/python_format.ts";
import { hclust } from "./hclust.ts";
import { ClusteringInputError, serverChildOrder } from "./linkage.ts";
import { checkLinkage } from "./_linkage_check.ts";
import { type NewickNode, NOT_ENOUGH_DATA } from "./newick_read.ts";

/**
 * Write a linkage as the RatGTEx server writes its trees (scipy `to_tree` + the server's
 * `get_newick`): `(right,left):length`, leaf lengths = parent height, inner lengths = parent
 * height − node height, all with Python's `%g`, labels verbatim, `;` after the root.
 * Iterative, so deep trees are fine.
 *
 * @param linkage A linkage with n − 1 rows (n ≥ 2).
 * @param labels The n leaf labels.
 * @returns The Newick string.
 *
 * @example
 * ```ts
 * import { toNewick } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   toNewick([[0, 1, 233.244, 2], [2, 3, 1287.81, 3]], ["Polr3k", "Rtel1", "Eno1"]),
 *   "((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);",
 * );
 * ```
 */
export function toNewick(
  linkage: readonly (readonly number[])[],
  labels: readonly string[],
): string {
  const n = linkage.length + 1;
  if (linkage.length === 0) {
    throw new ClusteringInputError(
      "linkage",
      linkage.length,
      `toNewick: the linkage is empty; a tree needs at least 2 leaves`,
      `the server writes "${NOT_ENOUGH_DATA}" for a single row (serverTree does too)`,
    );
  }
  checkLinkage(linkage, "toNewick");
  if (labels.length !== n) {
    throw new ClusteringInputError(
      "labels",
      labels.length,
      `toNewick: ${labels.length} labels for a linkage of ${n} leaves`,
      "give one label per leaf",
    );
  }
  const parts: string[] = [];
  // Work stack: a number ≥ 0 is a node id to write (with its parent height in `heights`), a string is literal text.
  const stack: (number | string)[] = [];
  const parentHeight: number[] = [];
  const push = (v: number | string, ph = 0): void => {
    stack.push(v);
    parentHeight.push(ph);
  };
  const root = 2 * n - 2;
  push(root, linkage[n - 2][2]);
  while (stack.length > 0) {
    const v = stack.pop()!;
    const ph = parentHeight.pop()!;
    if (typeof v === "string") {
      parts.push(v);
      continue;
    }
    if (v < n) {
      parts.push(`${labels[v]}:${formatG(ph - 0)}`);
      continue;
    }
    const row = linkage[v - n];
    if (!row || row.length < 3) {
      throw new ClusteringInputError(
        "linkage",
        v,
        `toNewick: node ${v} refers to linkage row ${v - n}, which does not exist`,
        "pass a valid linkage (from hclust)",
      );
    }
    const h = row[2];
    // Emit "(" first "," second ")" suffix in the server's child order: push in reverse.
    const [first, second] = serverChildOrder([row[0], row[1]]);
    push(v === root ? ");" : `):${formatG(ph - h)}`);
    push(second, h);
    push(",");
    push(first, h);
    parts.push("(");
  }
  return parts.join("");
}

/**
 * Exactly the Newick string the RatGTEx server returns for these rows: average linkage,
 * Euclidean distance, optimal leaf ordering, written by the server's `get_newick`; the literal
 * `"Not enough data"` for fewer than 2 rows. Gene tree: rows = genes (values[gene][tissue]);
 * tissue tree: pass the transpose and the tissue IDs.
 *
 * @param matrix One row per leaf (e.g. a gene's medians across tissues).
 * @param labels One label per row.
 * @returns The server's Newick text.
 *
 * @example
 * ```ts
 * import { serverTree } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * assert.equal(serverTree([[0, 1], [0, 3], [4, 4]], ["a", "b", "c"]), "((a:2,b:2):2.56155,c:4.56155);");
 * assert.equal(serverTree([[1, 2]], ["only"]), "Not enough data");
 * ```
 */
export function serverTree(matrix: number[][], labels: string[]): string {
  if (matrix.length !== labels.length) {
    throw new ClusteringInputError(
      "labels",
      labels.length,
      `serverTree: ${matrix.length} rows but ${labels.length} labels`,
      "give one label per row",
    );
  }
  if (matrix.length < 2) return NOT_ENOUGH_DATA;
  const res = hclust(matrix, {
    method: "average",
    metric: "euclidean",
    optimalOrdering: true,
    labels,
  });
  return toNewick(res.linkage, res.labels);
}

function quoteLabel(name: string): string {
  return /^[^\s()[\]':;,"]+$/.test(name) ? name : `'${name.replaceAll("'", "''")}'`;
}

/**
 * Write a {@link NewickNode} tree as Newick text (children in their stored order, labels
 * quoted when they need it, lengths in shortest round-trip form), so that
 * `parseNewick(formatNewick(t))` equals `t`. Iterative.
 *
 * @param tree The root.
 * @returns Newick text ending in `;`.
 *
 * @example
 * ```ts
 * import { formatNewick } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const text = formatNewick({ name: null, length: null, children: [
 *   { name: "gene A", length: 1.5, children: [] }, { name: "B", length: 2, children: [] }] });
 * assert.equal(text, "('gene A':1.5,B:2);");
 * ```
 */
export function formatNewick(tree: NewickNode): string {
  const parts: string[] = [];
  const stack: (NewickNode | string)[] = [tree];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === "string") {
      parts.push(item);
      continue;
    }
    const tail = (item.name !== null ? quoteLabel(item.name) : "") +
      (item.length !== null ? `:${String(item.length)}` : "");
    if (item.children.length === 0) {
      parts.push(tail);
      continue;
    }
    parts.push("(");
    stack.push(")" + tail);
    for (let i = item.children.length - 1; i >= 0; i--) {
      stack.push(item.children[i]);
      if (i > 0) stack.push(",");
    }
  }
  return parts.join("") + ";";
}
