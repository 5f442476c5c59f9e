/**
 * Internal: the arithmetic of {@link pdist}, writing each observation's distances to the later ones
 * (`j > i`, in order) from `rowStart(i)` on, so the same bits land in scipy's condensed layout or in the
 * upper triangle of a square working matrix (`hclust` clusters on one: see `_linkage_algorithms.ts`).
 *
 * Each metric's work is a small function per observation (row, or part of one) rather than one loop nest: V8 optimises a
 * function called n times from its own type feedback, whereas one long loop nest is compiled on the fly
 * (on-stack replacement) and its speed depended on incidental details of the enclosing function (measured:
 * the same loop nest took 60 or 210 ms CPU at n = 3,000 × 13 depending on the parameter list).
 *
 * @module
 */

import { ClusteringInputError } from "./linkage.ts";
import { numpySum } from "../_numpy_sum.ts";

/** pdist's metric names (pdist.ts's `DistanceMetric`, restated so this file does not import its user). */
type DistanceMetric = "euclidean" | "correlation" | "cosine" | "cityblock";
import { mirrorTile } from "./_linkage_algorithms.ts";

/**
 * Distances between the rows of a checked n × p matrix (`metric` checked too) into `out`: the distance of
 * rows `i < j` at `rowStart(i) + j − i − 1` (`rowStart` returns an integer below 2³¹). Arithmetic as scipy's
 * pdist (same summation order, same bits).
 */
export function pairwiseInto(
  matrix: readonly (readonly number[])[],
  p: number,
  metric: DistanceMetric,
  out: Float64Array,
  rowStart: (i: number) => number,
): void {
  const n = matrix.length;
  const kernel = prepare(matrix, p, metric);
  rowsBlock(kernel, 0, n, 0, n, out, (i, j) => (rowStart(i) | 0) + j - i - 1);
}

/**
 * The same distances as a square n × n matrix `S[i·n + j]`, symmetric, with a +∞ diagonal (the working
 * matrix of `runLinkageSquare`). Computed in 128 × 128 tiles, each mirrored while it is still in cache
 * (n = 10,000 × 13, CPU with the pages already mapped: 0.53 s, against 0.56 s for rows then a separate
 * tiled mirror and 0.38 s for the condensed distances alone; mapping the 800 MB costs another 0.4 s).
 * Two rows at a time for euclidean (see euclideanRows2): 17 % fewer CPU samples than one row at a time.
 */
export function pairwiseSquare(
  matrix: readonly (readonly number[])[],
  p: number,
  metric: DistanceMetric,
): Float64Array {
  const n = matrix.length;
  const kernel = prepare(matrix, p, metric);
  const S = new Float64Array(n * n);
  const at = (i: number, j: number) => i * n + j;
  const B = 128;
  for (let bi = 0; bi < n; bi += B) {
    const ie = Math.min(n, bi + B);
    for (let bj = bi; bj < n; bj += B) {
      const je = Math.min(n, bj + B);
      rowsBlock(kernel, bi, ie, bj, je, S, at);
      mirrorTile(S, n, bi, ie, bj, je);
    }
  }
  for (let i = 0; i < n; i++) S[i * n + i] = Infinity;
  return S;
}

/**
 * A metric's kernels: `row` writes row i's distances to rows j0 … j1−1 from out[k] on; `rows2`, where there
 * is one, rows i and i+1 at once (from out[ka] and out[kb] on).
 */
interface Kernel {
  row: (i: number, j0: number, j1: number, out: Float64Array, k: number) => void;
  rows2?: (i: number, j0: number, j1: number, out: Float64Array, ka: number, kb: number) => void;
}

/**
 * The distances of rows a … e−1 to the rows j with max(lo, i+1) ≤ j < hi, pair (i, j) at `at(i, j)`: two
 * rows at a time where the kernel can (the pair (i, i+1) first, then both rows over the rest).
 */
function rowsBlock(
  kernel: Kernel,
  a: number,
  e: number,
  lo: number,
  hi: number,
  out: Float64Array,
  at: (i: number, j: number) => number,
): void {
  let i = a;
  if (kernel.rows2) {
    for (; i + 1 < e; i += 2) {
      if (i + 1 >= lo && i + 1 < hi) kernel.row(i, i + 1, i + 2, out, at(i, i + 1));
      const j0 = Math.max(lo, i + 2);
      if (j0 < hi) kernel.rows2(i, j0, hi, out, at(i, j0), at(i + 1, j0));
    }
  }
  for (; i < e; i++) {
    const j0 = Math.max(lo, i + 1);
    if (j0 < hi) kernel.row(i, j0, hi, out, at(i, j0));
  }
}

/** The observations flattened (centred for correlation, norms for cosine) and the metric's kernels. */
function prepare(
  matrix: readonly (readonly number[])[],
  p: number,
  metric: DistanceMetric,
): Kernel {
  const n = matrix.length;
  // Flatten once: contiguous rows are much faster to scan than nested arrays.
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) X.set(matrix[i], i * p);
  if (metric === "euclidean") {
    return {
      row: (i, j0, j1, out, k) => euclideanRow(X, j0, j1, p, i, out, k),
      rows2: (i, j0, j1, out, ka, kb) => euclideanRows2(X, j0, j1, p, i, out, ka, kb),
    };
  }
  if (metric === "cityblock") return { row: (i, j0, j1, out, k) => cityblockRow(X, j0, j1, p, i, out, k) };
  let Y = X;
  if (metric === "correlation") {
    // scipy centres each row on its mean (numpy's pairwise sum), then uses the cosine code.
    Y = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      const mean = numpySum(X, i * p, p) / p;
      for (let c = 0; c < p; c++) Y[i * p + c] = X[i * p + c] - mean;
    }
  }
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    norms[i] = Math.sqrt(dot(Y, p, i * p, i * p));
    if (norms[i] === 0) {
      throw new ClusteringInputError(
        `matrix[${i}]`,
        i,
        `pdist: row ${i} is ${
          metric === "correlation" ? "constant" : "all zeros"
        }, so its ${metric} distance is undefined`,
        "drop it or use the euclidean metric",
      );
    }
  }
  return { row: (i, j0, j1, out, k) => cosineRow(Y, j0, j1, p, norms, i, out, k) };
}

/** Euclidean distances of row i to rows j0 … j1−1, from out[k] on. */
function euclideanRow(
  X: Float64Array,
  j0: number,
  j1: number,
  p: number,
  i: number,
  out: Float64Array,
  k: number,
): void {
  const u = i * p;
  let j = j0;
  // Four rows at a time: each sum stays sequential over columns (scipy's bits), but the four
  // independent add chains overlap instead of waiting on one (n = 10,000 × 13: 1.26 s → 0.82 s CPU).
  for (; j + 4 <= j1; j += 4) {
    const v = j * p;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < p; c++) {
      const x = X[u + c];
      const d0 = x - X[v + c];
      const d1 = x - X[v + p + c];
      const d2 = x - X[v + 2 * p + c];
      const d3 = x - X[v + 3 * p + c];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    out[k] = Math.sqrt(s0);
    out[k + 1] = Math.sqrt(s1);
    out[k + 2] = Math.sqrt(s2);
    out[k + 3] = Math.sqrt(s3);
    k += 4;
  }
  for (; j < j1; j++) {
    const v = j * p;
    // Sequential sum over columns, as scipy: same bits.
    let s = 0;
    for (let c = 0; c < p; c++) {
      const d = X[u + c] - X[v + c];
      s += d * d;
    }
    out[k++] = Math.sqrt(s);
  }
}

/**
 * Euclidean distances of rows i and i+1 to rows j0 … j1−1, from out[ka] and out[kb] on. Each distance is the
 * same sequential sum over columns as in euclideanRow (same bits); two rows × four columns share their loads
 * (6 loads for 8 squared differences instead of 10).
 */
function euclideanRows2(
  X: Float64Array,
  j0: number,
  j1: number,
  p: number,
  i: number,
  out: Float64Array,
  ka: number,
  kb: number,
): void {
  const u = i * p;
  const w = u + p;
  let j = j0;
  for (; j + 4 <= j1; j += 4) {
    const v = j * p;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let c = 0; c < p; c++) {
      const x = X[u + c];
      const z = X[w + c];
      const y0 = X[v + c];
      const y1 = X[v + p + c];
      const y2 = X[v + 2 * p + c];
      const y3 = X[v + 3 * p + c];
      let d = x - y0;
      a0 += d * d;
      d = x - y1;
      a1 += d * d;
      d = x - y2;
      a2 += d * d;
      d = x - y3;
      a3 += d * d;
      d = z - y0;
      b0 += d * d;
      d = z - y1;
      b1 += d * d;
      d = z - y2;
      b2 += d * d;
      d = z - y3;
      b3 += d * d;
    }
    out[ka] = Math.sqrt(a0);
    out[ka + 1] = Math.sqrt(a1);
    out[ka + 2] = Math.sqrt(a2);
    out[ka + 3] = Math.sqrt(a3);
    out[kb] = Math.sqrt(b0);
    out[kb + 1] = Math.sqrt(b1);
    out[kb + 2] = Math.sqrt(b2);
    out[kb + 3] = Math.sqrt(b3);
    ka += 4;
    kb += 4;
  }
  for (; j < j1; j++) {
    const v = j * p;
    let s = 0;
    let t = 0;
    for (let c = 0; c < p; c++) {
      const y = X[v + c];
      const d = X[u + c] - y;
      s += d * d;
      const e = X[w + c] - y;
      t += e * e;
    }
    out[ka++] = Math.sqrt(s);
    out[kb++] = Math.sqrt(t);
  }
}

/** City-block distances of row i to rows j0 … j1−1, from out[k] on. */
function cityblockRow(
  X: Float64Array,
  j0: number,
  j1: number,
  p: number,
  i: number,
  out: Float64Array,
  k: number,
): void {
  const u = i * p;
  for (let j = j0; j < j1; j++) {
    const v = j * p;
    let s = 0;
    for (let c = 0; c < p; c++) s += Math.abs(X[u + c] - X[v + c]);
    out[k++] = s;
  }
}

/**
 * scipy's C loops for cosine (Debian's 1.10 build) sum products in two interleaved accumulators (even and
 * odd columns), then add them and any last odd column; the same order here gives the same bits (checked
 * against pdist on 1…20 columns).
 */
function dot(X: Float64Array, p: number, u: number, v: number): number {
  let a0 = 0;
  let a1 = 0;
  let c = 0;
  for (; c + 2 <= p; c += 2) {
    a0 += X[u + c] * X[v + c];
    a1 += X[u + c + 1] * X[v + c + 1];
  }
  let s = a0 + a1;
  if (c < p) s += X[u + c] * X[v + c];
  return s;
}

/** Cosine distances (1 − cos, clipped as scipy) of row i to rows j0 … j1−1, from out[k] on. */
function cosineRow(
  X: Float64Array,
  j0: number,
  j1: number,
  p: number,
  norms: Float64Array,
  i: number,
  out: Float64Array,
  k: number,
): void {
  const u = i * p;
  for (let j = j0; j < j1; j++) {
    let cos = dot(X, p, u, j * p) / (norms[i] * norms[j]);
    if (Math.abs(cos) > 1) cos = Math.sign(cos);
    out[k++] = 1 - cos;
  }
}
