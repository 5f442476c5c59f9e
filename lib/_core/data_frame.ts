/**
 * Recognising a nodejs-polars DataFrame without importing polars (its class is not exported for
 * `instanceof`), for the rooms that check what a caller passed them.
 *
 * @module
 */
import type pl from "nodejs-polars";

/**
 * Duck-typed check for a nodejs-polars DataFrame: `columns` (an array), `height` (a number) and `toRecords`.
 *
 * @param x Anything.
 * @returns Whether `x` is a DataFrame.
 *
 * @example
 * ```ts
 * import { isDataFrame } from "ratgtex/jupyter";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * assert.equal(isDataFrame(pl.DataFrame({ a: [1] })), true);
 * assert.equal(isDataFrame({ columns: ["a"] }), false);
 * ```
 */
export function isDataFrame(x: unknown): x is pl.DataFrame {
  const f = x as { columns?: unknown; height?: unknown; toRecords?: unknown };
  return typeof x === "object" && x !== null && Array.isArray(f.columns) && typeof f.height === "number" &&
    typeof f.toRecords === "function";
}
