/**
 * Internal: scipy's condensed distance layout (row-major upper triangle, pair `(i, j)` with `i < j`).
 *
 * @module
 */

/**
 * Condensed-index helper: `rowOffsets(n)[i] + j` is the position of pair `(i, j)`, `i < j`,
 * in a condensed distance matrix (scipy's layout, row-major upper triangle).
 */
export function rowOffsets(n: number): Int32Array {
  const off = new Int32Array(n);
  for (let i = 0; i < n; i++) off[i] = n * i - (i * (i + 1)) / 2 - i - 1;
  return off;
}

/** Number of observations for a condensed matrix of length `m`, or -1 when `m` is not n(n−1)/2. */
export function obsFromCondensed(m: number): number {
  const n = Math.round((1 + Math.sqrt(1 + 8 * m)) / 2);
  return (n * (n - 1)) / 2 === m ? n : -1;
}
