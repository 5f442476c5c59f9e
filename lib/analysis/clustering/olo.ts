/**
 * Optimal leaf ordering (Bar-Joseph, Gifford & Jaakkola 2001), a port of scipy's
 * `scipy.cluster.hierarchy.optimal_leaf_ordering` (_optimal_leaf_ordering.pyx) that gives the
 * same leaf order, ties included. scipy keeps the partial path lengths in single precision
 * (float32) and breaks ties through its own quicksort and scan order; this port does the same
 * operations in the same precision and order. It is faster than scipy because each sorted
 * slice `M[{k}, w]` is computed once per `w` instead of once per `(u, w)` pair, and each `M[u, {m}]`
 * once per `u` instead of once per right-hand configuration, which does not change any result (those
 * slices are not written while a node is processed).
 *
 * @module
 */

import { ClusteringInputError, type LinkageRow } from "./linkage.ts";
import { simultaneousSort } from "./_olo_sort.ts";
import { rowOffsets } from "./_condensed.ts";

const f32 = Math.fround;
/** scipy's "large number" sentinel (2^30), used as the starting minimum in float32. */
const BIG = 1073741824;

/**
 * Reorder a linkage's children so the leaf order minimises the sum of distances between
 * adjacent leaves, exactly as `scipy.cluster.hierarchy.optimal_leaf_ordering(Z, y)`.
 * The merges, heights and row order are unchanged; only `a` and `b` of some rows are swapped.
 *
 * @param linkage A linkage matrix (e.g. from {@link linkageFromDistances}).
 * @param distances The condensed distance matrix the linkage was built from.
 * @returns A new linkage with the optimal leaf order.
 *
 * @example
 * ```ts
 * import { leavesList, linkageFromDistances, optimalLeafOrdering, pdist } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const d = pdist([[0], [10], [1], [11]]);
 * const z = optimalLeafOrdering(linkageFromDistances(d, "average"), d);
 * assert.deepEqual(leavesList(z), [0, 2, 1, 3]);
 * ```
 */
export function optimalLeafOrdering(
  linkage: readonly (readonly number[])[],
  distances: Float64Array,
): LinkageRow[] {
  const nRows = linkage.length;
  const n = nRows + 1;
  if (distances.length !== (n * (n - 1)) / 2) {
    throw new ClusteringInputError(
      "distances",
      distances.length,
      `optimalLeafOrdering: the linkage has ${n} leaves, so distances needs length ${
        (n * (n - 1)) / 2
      }, got ${distances.length}`,
      "pass the condensed distances the linkage was built from",
    );
  }
  const out: LinkageRow[] = linkage.map((r) => [r[0], r[1], r[2], r[3]]);
  if (n <= 2) return out;

  // Current leaf order (pre-order, left first) and each leaf's position in it.
  const left = new Int32Array(nRows);
  const right = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    left[i] = linkage[i][0];
    right[i] = linkage[i][1];
    if (
      !Number.isInteger(left[i]) || left[i] !== linkage[i][0] || left[i] < 0 ||
      left[i] >= n + i ||
      right[i] !== linkage[i][1] || right[i] < 0 || right[i] >= n + i
    ) {
      throw new ClusteringInputError(
        `linkage[${i}]`,
        linkage[i],
        `optimalLeafOrdering: linkage row ${i} does not refer to earlier clusters; not a valid linkage`,
        "pass a linkage from hclust or linkageFromDistances",
      );
    }
  }
  const sortedLeaves = new Int32Array(n);
  {
    const stack: number[] = [2 * n - 2];
    let k = 0;
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v < n) sortedLeaves[k++] = v;
      else stack.push(right[v - n], left[v - n]);
    }
  }
  const position = new Int32Array(n);
  for (let i = 0; i < n; i++) position[sortedLeaves[i]] = i;

  // Relabel leaves to their positions: every cluster is then a range [min, max) of positions.
  const zl = new Int32Array(nRows);
  const zr = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    zl[i] = left[i] < n ? position[left[i]] : left[i];
    zr[i] = right[i] < n ? position[right[i]] : right[i];
  }
  const rangeMin = new Int32Array(2 * n - 1);
  const rangeMax = new Int32Array(2 * n - 1);
  for (let i = 0; i < n; i++) {
    rangeMin[i] = i;
    rangeMax[i] = i + 1;
  }
  for (let i = 0; i < nRows; i++) {
    rangeMin[n + i] = rangeMin[zl[i]];
    rangeMax[n + i] = rangeMax[zr[i]];
  }

  // Distances in leaf-order positions (scipy's sorted_D, float64). Only pairs (a, b) with a < b are ever
  // read (a left subtree's positions precede its right sibling's), so they are kept in the condensed layout
  // over positions, pair (a, b) at off[a] + b: half the memory of scipy's square (n = 1,000: 4 MB less to
  // allocate and fault in on every call).
  const SD = new Float64Array((n * (n - 1)) / 2);
  const off = rowOffsets(n);
  {
    let k = 0;
    for (let i = 0; i < n; i++) {
      const pi = position[i];
      for (let j = i + 1; j < n; j++) {
        const pj = position[j];
        SD[pi < pj ? off[pi] + pj : off[pj] + pi] = distances[k++];
      }
    }
  }

  const mustSwap = identifySwaps(n, zl, zr, rangeMin, rangeMax, SD, off);

  // A node is rotated when an odd number of its ancestors-or-self must swap.
  const parity = new Uint8Array(nRows);
  for (let i = nRows - 1; i >= 0; i--) {
    parity[i] ^= mustSwap[i];
    if (left[i] >= n) parity[left[i] - n] = parity[i];
    if (right[i] >= n) parity[right[i] - n] = parity[i];
  }
  for (let i = 0; i < nRows; i++) {
    if (parity[i]) {
      const t = out[i][0];
      out[i][0] = out[i][1];
      out[i][1] = t;
    }
  }
  return out;
}

function identifySwaps(
  n: number,
  zl: Int32Array,
  zr: Int32Array,
  rangeMin: Int32Array,
  rangeMax: Int32Array,
  SD: Float64Array,
  off: Int32Array,
): Uint8Array {
  const nRows = n - 1;
  // Partial optimal path lengths, float32 as in scipy.
  const M = new Float32Array(n * n);
  // swap_status packed: bit 0 = swap_L, bit 1 = swap_R.
  const swapStatus = new Uint8Array(n * n);
  const mustSwap = new Uint8Array(nRows);
  const mVals = new Float32Array(n);
  const mIdx = new Int32Array(n);
  // Sorted k orders for every w of each right-hand configuration, |W| × |K| entries at most n²/4.
  const kOrdersBy = [new Int32Array(0), new Int32Array(0)];
  const kValsBy = [new Float32Array(0), new Float32Array(0)];
  const uClusters = [0, 0];
  const mClusters = [0, 0];
  const wClusters = [0, 0];
  const kClusters = [0, 0];
  // min over {m} × {k} of SD for each (swapL, swapR), held in float32 as scipy's min_km.
  const minKm = new Float64Array(4);
  // For each right-hand configuration: wMin, wMax and the length of its k range.
  const wInfo = new Int32Array(6);
  // Like the C locals, best_u/best_w keep their last values when no M beats the sentinel.
  let bestU = 0;
  let bestW = 0;

  for (let i = 0; i < nRows; i++) {
    const vl = zl[i];
    const vr = zr[i];
    let totalU: number;
    let totalW: number;
    if (vl < n) {
      totalU = 1;
      uClusters[0] = vl;
      mClusters[0] = vl;
    } else {
      totalU = 2;
      uClusters[0] = zl[vl - n];
      mClusters[0] = zr[vl - n];
      uClusters[1] = zr[vl - n];
      mClusters[1] = zl[vl - n];
    }
    if (vr < n) {
      totalW = 1;
      wClusters[0] = vr;
      kClusters[0] = vr;
    } else {
      totalW = 2;
      wClusters[0] = zr[vr - n];
      wClusters[1] = zl[vr - n];
      kClusters[0] = zl[vr - n];
      kClusters[1] = zr[vr - n];
    }
    // Sorted M[{k}, w] for every w of each right-hand configuration, once per node: scipy re-sorts
    // them for every u, and the port before re-sorted them for each left configuration
    // (n = 3,000: 15.2 M sorted values → 7.6 M). M[w, k] is not written while this node is processed.
    for (let swapR = 0; swapR < totalW; swapR++) {
      const wMin = rangeMin[wClusters[swapR]];
      const wMax = rangeMax[wClusters[swapR]];
      const kMin = rangeMin[kClusters[swapR]];
      const kLen = rangeMax[kClusters[swapR]] - kMin;
      const need = (wMax - wMin) * kLen;
      if (kOrdersBy[swapR].length < need) {
        kOrdersBy[swapR] = new Int32Array(Math.max(need, kOrdersBy[swapR].length * 2));
        kValsBy[swapR] = new Float32Array(kOrdersBy[swapR].length);
      }
      sortSlices(M, n, wMin, wMax, kMin, kLen, kValsBy[swapR], kOrdersBy[swapR]);
      for (let swapL = 0; swapL < totalU; swapL++) {
        minKm[swapL * 2 + swapR] = minBlock(
          SD,
          off,
          rangeMin[mClusters[swapL]],
          rangeMax[mClusters[swapL]],
          kMin,
          kMin + kLen,
        );
      }
    }
    for (let swapR = 0; swapR < totalW; swapR++) {
      wInfo[3 * swapR] = rangeMin[wClusters[swapR]];
      wInfo[3 * swapR + 1] = rangeMax[wClusters[swapR]];
      wInfo[3 * swapR + 2] = rangeMax[kClusters[swapR]] - rangeMin[kClusters[swapR]];
    }
    for (let swapL = 0; swapL < totalU; swapL++) {
      const mMin = rangeMin[mClusters[swapL]];
      const mLen = rangeMax[mClusters[swapL]] - mMin;
      for (let u = rangeMin[uClusters[swapL]]; u < rangeMax[uClusters[swapL]]; u++) {
        pathsFrom(
          u,
          swapL,
          totalW,
          mMin,
          mLen,
          wInfo,
          minKm,
          M,
          swapStatus,
          SD,
          off,
          n,
          mVals,
          mIdx,
          kValsBy,
          kOrdersBy,
        );
      }
    }
    bestU = bestPair(M, n, rangeMin[vl], rangeMax[vl], rangeMin[vr], rangeMax[vr], bestU, bestW);
    bestW = bestPairScratch[0];
    const st = swapStatus[bestU * n + bestW];
    if (vl >= n) mustSwap[vl - n] = st & 1;
    if (vr >= n) mustSwap[vr - n] = (st >> 1) & 1;
  }
  return mustSwap;
}

/*
 * The hot loops below are small functions called many times rather than loop nests inside identifySwaps:
 * V8 optimises a small function from its own feedback after a few calls, while a long-running loop nest is
 * compiled on the fly (on-stack replacement), later and worse. Measured with valgrind (instructions per
 * `hclust(rows, { optimalOrdering: true })` at n = 1,000 × 13, calls 2–6, all threads): 1.58 G before this
 * rework (loop nests, the sorts per right-hand configuration, scipy's square sorted_D), 0.93 G after it;
 * scipy's `linkage(X, "average", optimal_ordering=True)` 2.25 G.
 */

/**
 * M[u, w] and its swap status for every w of each right-hand configuration, with u in the left-hand
 * configuration swapL: M[u, {m}] gathered and sorted once (scipy sorted it again for each right-hand
 * configuration; it does not depend on one), then scipy's pruned search for each w.
 */
function pathsFrom(
  u: number,
  swapL: number,
  totalW: number,
  mMin: number,
  mLen: number,
  wInfo: Int32Array,
  minKm: Float64Array,
  M: Float32Array,
  swapStatus: Uint8Array,
  SD: Float64Array,
  off: Int32Array,
  n: number,
  mVals: Float32Array,
  mIdx: Int32Array,
  kValsBy: Float32Array[],
  kOrdersBy: Int32Array[],
): void {
  const rowU = u * n;
  for (let t = 0; t < mLen; t++) {
    mVals[t] = M[rowU + mMin + t]; // row u, not column u (M is symmetric)
    mIdx[t] = mMin + t;
  }
  simultaneousSort(mVals, mIdx, 0, mLen);
  for (let swapR = 0; swapR < totalW; swapR++) {
    const wMin = wInfo[3 * swapR];
    const wMax = wInfo[3 * swapR + 1];
    const kLen = wInfo[3 * swapR + 2];
    const st = swapL | (swapR << 1);
    const kOrders = kOrdersBy[swapR];
    const kVals = kValsBy[swapR];
    const mk = minKm[swapL * 2 + swapR];
    for (let w = wMin; w < wMax; w++) {
      const curMin = bestPath(mVals, mIdx, mLen, kVals, kOrders, (w - wMin) * kLen, kLen, mk, SD, off);
      M[rowU + w] = curMin;
      M[w * n + u] = curMin;
      // Only [u, w] is read (bestPair's u is on the left of w), so the status is not mirrored.
      swapStatus[rowU + w] = st;
    }
  }
}

/** The second return value of {@link bestPair}. */
const bestPairScratch = new Int32Array(1);

/**
 * The (u, w) of smallest M over [lMin, lMax) × [rMin, rMax), first in scan order; (bestU, bestW) unchanged
 * when none beats the sentinel, as the C locals. Returns u; w goes to `bestPairScratch[0]`.
 */
function bestPair(
  M: Float32Array,
  n: number,
  lMin: number,
  lMax: number,
  rMin: number,
  rMax: number,
  bestU: number,
  bestW: number,
): number {
  let curMin = BIG;
  for (let u = lMin; u < lMax; u++) {
    const row = u * n;
    for (let w = rMin; w < rMax; w++) {
      if (M[row + w] < curMin) {
        curMin = M[row + w];
        bestU = u;
        bestW = w;
      }
    }
  }
  bestPairScratch[0] = bestW;
  return bestU;
}

/** For each w in [wMin, wMax): M[w, kMin … kMin+kLen) and its k indices, sorted (scipy's quicksort). */
function sortSlices(
  M: Float32Array,
  n: number,
  wMin: number,
  wMax: number,
  kMin: number,
  kLen: number,
  kVals: Float32Array,
  kOrders: Int32Array,
): void {
  for (let w = wMin; w < wMax; w++) {
    const base = (w - wMin) * kLen;
    // M is symmetric: read row w (contiguous) instead of column w (a cache miss per value);
    // n = 3,000: the gathers and sorts went from 0.89 s to 0.52 s with this alone.
    const rowW = w * n + kMin;
    for (let t = 0; t < kLen; t++) {
      kVals[base + t] = M[rowW + t];
      kOrders[base + t] = kMin + t;
    }
    simultaneousSort(kVals, kOrders, base, kLen);
  }
}

/** min over [mMin, mMax) × [kMin, kMax) of SD (mMax ≤ kMin), held in float32 (compared as double, as in C). */
function minBlock(SD: Float64Array, off: Int32Array, mMin: number, mMax: number, kMin: number, kMax: number): number {
  let minKm = BIG;
  for (let m = mMin; m < mMax; m++) {
    const row = off[m];
    for (let k = kMin; k < kMax; k++) {
      if (SD[row + k] < minKm) minKm = f32(SD[row + k]);
    }
  }
  return minKm;
}

/**
 * scipy's pruned search for M[u, w]: the shortest path u → m → k → w over the sorted M[u, {m}] and
 * M[{k}, w] (from `base` in kVals/kOrders), in float32, with scipy's order and early exits.
 */
function bestPath(
  mVals: Float32Array,
  mIdx: Int32Array,
  mLen: number,
  kVals: Float32Array,
  kOrders: Int32Array,
  base: number,
  kLen: number,
  minKm: number,
  SD: Float64Array,
  off: Int32Array,
): number {
  let curMin = BIG;
  // The sorted values equal M[u, m] and M[w, k] (M is symmetric): read them in order instead of
  // gathering from M.
  const mWk0 = kVals[base];
  for (let mi = 0; mi < mLen; mi++) {
    const mUm = mVals[mi];
    if (f32(f32(mUm + mWk0) + minKm) >= curMin) break;
    const rowM = off[mIdx[mi]];
    for (let ki = 0; ki < kLen; ki++) {
      const s = f32(mUm + kVals[base + ki]);
      if (f32(s + minKm) >= curMin) break;
      const current = f32(s + SD[rowM + kOrders[base + ki]]);
      if (current < curMin) curMin = current;
    }
  }
  return curMin;
}
