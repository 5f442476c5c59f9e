/**
 * Expression transforms offered before regressing expression on dosage.
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import { normalQuantile } from "./distributions.ts";

/**
 * How expression is transformed before the regression:
 * - `"none"`: TPM as given;
 * - `"log2"`: log2(TPM + 1);
 * - `"int"`: rank-based inverse normal per gene, Φ⁻¹(rank/(n+1)) with tied values given their
 *   average rank, as the RatGTEx pipeline did (without its quantile normalisation across samples).
 */
export type ExpressionTransform = "none" | "log2" | "int";

/**
 * The one default transform, used by every regression, workflow, figure and CLI command that takes an
 * {@link ExpressionTransform}: `"int"` (rank-based inverse normal), as RatGTEx's pipeline normalised
 * expression before tensorQTL and as GTEx's portal plots "normalised expression".
 */
export const DEFAULT_EXPRESSION_TRANSFORM: ExpressionTransform = "int";

/** The accepted transform names, in the order they are documented. */
export const EXPRESSION_TRANSFORMS: readonly ExpressionTransform[] = [
  "none",
  "log2",
  "int",
];

/**
 * Check a transform name; throws a `ValidationError` naming the parameter, the value and the accepted values.
 *
 * @param transform The value to check (e.g. from user options).
 * @param parameter The parameter name to put in the error message.
 * @returns The same value, typed.
 * @throws {ValidationError} When `transform` is not one of `"none"`, `"log2"`, `"int"`.
 */
export function checkExpressionTransform(
  transform: unknown,
  parameter = "transform",
): ExpressionTransform {
  if ((EXPRESSION_TRANSFORMS as readonly unknown[]).includes(transform)) {
    return transform as ExpressionTransform;
  }
  throw new ValidationError(
    parameter,
    transform,
    `must be one of "none" (TPM), "log2" (log2(TPM+1)) or "int" (rank inverse-normal)`,
    `pass ${parameter}: "log2" (or "none", "int")`,
  );
}

/**
 * Average ranks (1-based, ties get the mean of the ranks they span), as scipy.stats.rankdata's
 * default `method="average"`. NaN is not allowed (the callers validate first).
 *
 * @param values The values to rank.
 * @param out Optional output array of the same length (may be `values` itself).
 * @returns The ranks.
 */
export function averageRanks(
  values: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  const n = values.length;
  const result = out ?? new Float64Array(n);
  // Sorting a copy natively and bisecting beats sorting an index array with a JS comparator.
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    let upper = lo;
    let top = n;
    while (upper < top) {
      const mid = (upper + top) >>> 1;
      if (sorted[mid] <= v) upper = mid + 1;
      else top = mid;
    }
    // Positions lo..upper-1 (0-based) hold v: their 1-based ranks average to (lo + 1 + upper) / 2.
    result[i] = (lo + 1 + upper) / 2;
  }
  return result;
}

/**
 * Apply an expression transform to one gene's values (one tissue, the analysed samples only:
 * the `"int"` transform ranks exactly the values it is given).
 *
 * @param values Expression values (TPM), finite and ≥ 0 for `"log2"`.
 * @param transform `"none"`, `"log2"` or `"int"`.
 * @param out Optional output array of the same length (may be `values` itself when it is a Float64Array).
 * @returns The transformed values as a new (or the given) Float64Array.
 * @throws {ValidationError} When `transform` is unknown or `out` has another length.
 *
 * @example
 * ```ts
 * import { transformExpression } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * assert.deepEqual(Array.from(transformExpression([0, 1, 3], "log2")), [0, 1, 2]);
 * const z = Array.from(transformExpression([5, 1, 3], "int")); // Φ⁻¹(rank / (n + 1))
 * assert.deepEqual(z.map((v) => v.toFixed(4)), ["0.6745", "-0.6745", "0.0000"]);
 * ```
 */
export function transformExpression(
  values: ArrayLike<number>,
  transform: ExpressionTransform,
  out?: Float64Array,
): Float64Array {
  checkExpressionTransform(transform);
  const n = values.length;
  if (out !== undefined && out.length !== n) {
    throw new ValidationError(
      "out.length",
      out.length,
      `it differs from values.length (${n})`,
      "pass an output array as long as values, or none",
    );
  }
  const result = out ?? new Float64Array(n);
  if (transform === "none") {
    for (let i = 0; i < n; i++) result[i] = values[i];
  } else if (transform === "log2") {
    // Math.log2(1 + v) is exact at powers of two; its absolute error (~1e-16) is what a regression sees.
    for (let i = 0; i < n; i++) result[i] = Math.log2(1 + values[i]);
  } else {
    averageRanks(values, result);
    const denominator = n + 1;
    for (let i = 0; i < n; i++) {
      result[i] = normalQuantile(result[i] / denominator);
    }
  }
  return result;
}
