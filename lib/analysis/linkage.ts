/**
 * The linkage matrix, the one exchange format between clustering, leaf ordering, cutting, Newick and
 * drawing (as in scipy.cluster.hierarchy), and the error every clustering function throws for bad input.
 *
 * @module
 */
import { ValidationError } from "../_core/errors.ts";

/**
 * Bad input to a clustering, tree or Newick function (a {@link ValidationError}, so a
 * `RatGtexError`): `parameter` names the argument at fault, `value` the bad value, the message
 * says what is wrong (prefixed by the function's name) and `hint` the fix.
 *
 * @example
 * ```ts
 * import { ClusteringInputError, hclust } from "ratgtex";
 * try {
 *   hclust([[1, 2]]);
 * } catch (e) {
 *   if (e instanceof ClusteringInputError) console.log(e.parameter, e.hint);
 * }
 * ```
 */
export class ClusteringInputError extends ValidationError {
  /**
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

/** One merge of a linkage matrix: clusters `a` and `b` joined at `height`, giving a cluster of `size` leaves. */
export type LinkageRow = [a: number, b: number, height: number, size: number];
