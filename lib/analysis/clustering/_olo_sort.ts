/**
 * Internal: the sorts of optimal leaf ordering. scipy sorts with scikit-learn's quicksort, whose order of
 * equal values steers the pruning; {@link sortFresh} gives the same result faster.
 *
 * @module
 */

function dualSwap(
  dist: Float32Array,
  idx: Int32Array,
  a: number,
  b: number,
): void {
  const d = dist[a];
  dist[a] = dist[b];
  dist[b] = d;
  const t = idx[a];
  idx[a] = idx[b];
  idx[b] = t;
}

/**
 * Port of scikit-learn's `_simultaneous_sort` (quicksort, median of three) as used by scipy;
 * sorts `dist[s..s+size)` and applies the same swaps to `idx[s..s+size)`. The exact
 * algorithm matters: it is not stable, and the order of equal values steers scipy's pruning.
 */
export function simultaneousSort(
  dist: Float32Array,
  idx: Int32Array,
  s: number,
  size: number,
): void {
  if (size <= 1) return;
  if (size === 2) {
    if (dist[s] > dist[s + 1]) dualSwap(dist, idx, s, s + 1);
    return;
  }
  if (size === 3) {
    if (dist[s] > dist[s + 1]) dualSwap(dist, idx, s, s + 1);
    if (dist[s + 1] > dist[s + 2]) {
      dualSwap(dist, idx, s + 1, s + 2);
      if (dist[s] > dist[s + 1]) dualSwap(dist, idx, s, s + 1);
    }
    return;
  }
  const last = s + size - 1;
  let pivotIdx = s + (size >> 1);
  if (dist[s] > dist[last]) dualSwap(dist, idx, s, last);
  if (dist[last] > dist[pivotIdx]) {
    dualSwap(dist, idx, last, pivotIdx);
    if (dist[s] > dist[last]) dualSwap(dist, idx, s, last);
  }
  const pivotVal = dist[last];
  let storeIdx = s;
  for (let i = s; i < last; i++) {
    if (dist[i] < pivotVal) {
      dualSwap(dist, idx, i, storeIdx);
      storeIdx++;
    }
  }
  dualSwap(dist, idx, storeIdx, last);
  pivotIdx = storeIdx - s;
  if (pivotIdx > 1) simultaneousSort(dist, idx, s, pivotIdx);
  if (pivotIdx + 2 < size) {
    simultaneousSort(dist, idx, s + pivotIdx + 1, size - pivotIdx - 1);
  }
}

/**
 * Sort `dist[s..s+size)` (float32 values just gathered; `bits` a Uint32Array view of the same buffer,
 * `scratch` room for `size` doubles) with `idx[s+t] = first + t`, giving
 * exactly {@link simultaneousSort}'s result. When the values are distinct a sorted order is unique, so any
 * sort gives scipy's: each value's bits (monotone for non-negative floats) and its position are packed into
 * one double and sorted by the engine's native typed-array sort. If two values tie (or one is negative),
 * the slice is restored and scipy's quicksort decides, as the order of equal values steers the pruning.
 * (Measured below, in optimalLeafOrdering's notes.)
 */
export function sortFresh(
  dist: Float32Array,
  bits: Uint32Array,
  idx: Int32Array,
  s: number,
  size: number,
  first: number,
  scratch: Float64Array,
): void {
  if (size <= 3) {
    simultaneousSort(dist, idx, s, size);
    return;
  }
  const keys = scratch.subarray(0, size);
  let negative = false;
  for (let t = 0; t < size; t++) {
    const b = bits[s + t];
    if (b >= 0x80000000) negative = true;
    keys[t] = b * 65536 + t; // exact: < 2^48
  }
  if (!negative) {
    keys.sort();
    let tie = false;
    let prev = -1;
    for (let r = 0; r < size; r++) {
      const b = Math.floor(keys[r] / 65536);
      if (b === prev) {
        tie = true;
        break;
      }
      prev = b;
      bits[s + r] = b;
      idx[s + r] = first + (keys[r] - b * 65536);
    }
    if (!tie) return;
    // Restore the gathered order from the keys, then let scipy's quicksort break the ties.
    for (let r = 0; r < size; r++) {
      const b = Math.floor(keys[r] / 65536);
      const t = keys[r] - b * 65536;
      bits[s + t] = b;
      idx[s + t] = first + t;
    }
  }
  simultaneousSort(dist, idx, s, size);
}
