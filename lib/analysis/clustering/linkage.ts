/**
 * The linkage matrix, the one exchange format between clustering, leaf ordering, cutting, Newick and
 * drawing (as in scipy.cluster.hierarchy), and the error every clustering function throws for bad input.
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";

/**
 * Bad input to a clustering, tree or Newick function (a {@link ValidationError}, so a
 * `RatGtexError`): `parameter` names the argument at fault, `value` the bad value, the message
 * says what is wrong (prefixed by the function's name) and `hint` the fix.
 *
 * @example
 * ```ts
 * import { ClusteringInputError, hclust } from "ratgtex/analysis";
 * import { ValidationError } from "ratgtex";
 * import assert from "node:assert/strict";
 * let err: unknown;
 * try {
 *   hclust([[1, 2]]);
 * } catch (e) {
 *   err = e;
 * }
 * assert.ok(err instanceof ClusteringInputError && err instanceof ValidationError);
 * assert.equal(err.parameter, "matrix");
 * ```
 */
export class ClusteringInputError extends ValidationError {
  /**
   * Build the error; the message reads `invalid parameter value: problem`, then the fix.
   *
   * @param parameter The argument at fault, e.g. `"matrix[3][0]"`.
   * @param value The bad value.
   * @param problem What is wrong, starting with the function's name.
   * @param fix What to do about it.
   */
  constructor(parameter: string, value: unknown, problem: string, fix: string) {
    super(parameter, value, problem, fix);
    this.name = "ClusteringInputError";
  }
}

/** Linkage methods, as scipy names them. */
export type LinkageMethod =
  | "average"
  | "complete"
  | "single"
  | "weighted"
  | "ward"
  | "centroid"
  | "median";

/** The linkage methods `hclust` accepts, in the order they are documented. */
export const LINKAGE_METHODS: readonly LinkageMethod[] = [
  "average",
  "complete",
  "single",
  "weighted",
  "ward",
  "centroid",
  "median",
];

/** The default linkage method of `hclust` and `clusterMedians`: `"average"` (UPGMA), as the RatGTEx server. */
export const DEFAULT_LINKAGE_METHOD: LinkageMethod = "average";

/** One merge of a linkage matrix: clusters `a` and `b` joined at `height`, giving a cluster of `size` leaves. */
export type LinkageRow = [a: number, b: number, height: number, size: number];

/**
 * How the children of a Newick tree's inner nodes are ordered: `"server"` = right child first, as the
 * RatGTEx server writes them (see {@link serverChildOrder}); `"as-written"` = the first child is the left one.
 */
export type ChildOrder = "server" | "as-written";

/**
 * The server's child-order rule, written once: its `get_newick` prepends while recursing, so each inner
 * node is written `(right,left)`, the reverse of the linkage's `[a, b]` (left, right) order. The rule
 * is its own inverse: it maps linkage order to written order and written order back to linkage order.
 *
 * @param children Children in one order.
 * @returns A new array with them in the other order.
 */
export function serverChildOrder<T>(children: readonly T[]): T[] {
  return [...children].reverse();
}
