/**
 * Agglomerative hierarchical clustering that reproduces `scipy.cluster.hierarchy.linkage`
 * exactly: same algorithms (nearest-neighbour chain, minimum spanning tree, generic with a
 * heap), same floating-point operations in the same order, same tie-breaking, same cluster
 * numbering and row order. The RatGTEx server clusters medians with
 * `linkage(d, method="average", optimal_ordering=True)`; this module plus {@link optimalLeafOrdering}
 * give the same tree, so the Newick strings can be rebuilt byte for byte.
 *
 * The linkage is scipy's exchange format: n − 1 rows `[a, b, height, size]`, where leaves are
 * `0 … n−1` and the cluster made by row `i` is `n + i`.
 *
 * @module
 */

import { optimalLeafOrdering } from "./olo.ts";
import { ClusteringInputError, type LinkageRow } from "./linkage.ts";

export { ClusteringInputError, type LinkageRow } from "./linkage.ts";

/** Linkage methods, as scipy names them. */
export type LinkageMethod =
  | "average"
  | "complete"
  | "single"
  | "weighted"
  | "ward"
  | "centroid"
  | "median";

/** Distance metrics between observations (rows), as scipy's `pdist` names them. */
export type DistanceMetric =
  | "euclidean"
  | "correlation"
  | "cosine"
  | "cityblock";

/** Options of {@link hclust}. */
export interface HclustOptions {
  /** Linkage method; default `"average"` (UPGMA, what the RatGTEx server uses). */
  method?: LinkageMethod;
  /** Distance between rows; default `"euclidean"`. Ignored when the input is a condensed distance matrix. */
  metric?: DistanceMetric;
  /** Reorder leaves with optimal leaf ordering (Bar-Joseph et al. 2001, as scipy); default `false`. */
  optimalOrdering?: boolean;
  /** One label per observation; default `"0"`, `"1"`, …. */
  labels?: readonly string[];
}

/** The result of {@link hclust}. */
export interface HclustResult {
  /** scipy-compatible linkage: n − 1 rows `[a, b, height, size]`, in scipy's row order. */
  linkage: LinkageRow[];
  /** The observation labels, index `i` naming leaf `i`. */
  labels: string[];
  /** Leaf indices in dendrogram order, left to right (scipy's `leaves_list`). */
  order: number[];
  /** The method used. */
  method: LinkageMethod;
  /** The metric used, or `"precomputed"` when the input was a condensed distance matrix. */
  metric: DistanceMetric | "precomputed";
}

const METHODS: readonly LinkageMethod[] = [
  "average",
  "complete",
  "single",
  "weighted",
  "ward",
  "centroid",
  "median",
];
const METRICS: readonly DistanceMetric[] = [
  "euclidean",
  "correlation",
  "cosine",
  "cityblock",
];
const EUCLIDEAN_METHODS: readonly LinkageMethod[] = [
  "ward",
  "centroid",
  "median",
];

/**
 * Condensed-index helper: `rowOffsets(n)[i] + j` is the position of pair `(i, j)`, `i < j`,
 * in a condensed distance matrix (scipy's layout, row-major upper triangle).
 */
function rowOffsets(n: number): Int32Array {
  const off = new Int32Array(n);
  for (let i = 0; i < n; i++) off[i] = n * i - (i * (i + 1)) / 2 - i - 1;
  return off;
}

/** Number of observations for a condensed matrix of length `m`, or -1 when `m` is not n(n−1)/2. */
function obsFromCondensed(m: number): number {
  const n = Math.round((1 + Math.sqrt(1 + 8 * m)) / 2);
  return (n * (n - 1)) / 2 === m ? n : -1;
}

function checkMatrix(
  matrix: readonly (readonly number[])[],
  name: string,
): number {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new ClusteringInputError(
      "matrix",
      matrix?.length ?? matrix,
      `${name}: expected a non-empty array of rows (number[][]), got ${matrix?.length ?? "nothing"} rows`,
      "pass one array of numbers per observation",
    );
  }
  const p = matrix[0]?.length;
  if (!p) {
    throw new ClusteringInputError(
      "matrix[0]",
      matrix[0],
      `${name}: row 0 is empty`,
      "every row needs at least one value",
    );
  }
  for (let i = 0; i < matrix.length; i++) {
    const row = matrix[i];
    if (!row || row.length !== p) {
      throw new ClusteringInputError(
        `matrix[${i}]`,
        row?.length,
        `${name}: row ${i} has ${row?.length} values but row 0 has ${p}`,
        "rows must be equally long",
      );
    }
    for (let j = 0; j < p; j++) {
      if (typeof row[j] !== "number" || !Number.isFinite(row[j])) {
        throw new ClusteringInputError(
          `matrix[${i}][${j}]`,
          row[j],
          `${name}: value [${i}][${j}] = ${row[j]} is not a finite number`,
          "drop or impute it first",
        );
      }
    }
  }
  return p;
}

/**
 * Pairwise distances between the rows of `matrix`, as a condensed matrix (scipy's `pdist`):
 * entry for rows `i < j` at `n·i − i(i+1)/2 + j − i − 1`. The arithmetic follows scipy's
 * (same summation order), so distances agree with scipy 1.10 to the last bit.
 *
 * @param matrix Observations as rows (n × p), finite numbers.
 * @param metric `"euclidean"` (default), `"cityblock"`, `"cosine"` or `"correlation"` (1 − Pearson r).
 * @returns A `Float64Array` of n(n−1)/2 distances.
 *
 * @example
 * ```ts
 * import { pdist } from "ratgtex";
 * const d = pdist([[0, 0], [3, 4], [6, 8]]);
 * console.log(Array.from(d)); // [5, 10, 5]
 * ```
 */
export function pdist(
  matrix: readonly (readonly number[])[],
  metric: DistanceMetric = "euclidean",
): Float64Array {
  if (!METRICS.includes(metric)) {
    throw new ClusteringInputError(
      "metric",
      metric,
      `pdist: metric "${metric}" is not supported`,
      `use one of ${METRICS.join(", ")}`,
    );
  }
  const p = checkMatrix(matrix, "pdist");
  const n = matrix.length;
  // Flatten once: contiguous rows are much faster to scan than nested arrays.
  let X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) X.set(matrix[i], i * p);
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  if (metric === "euclidean") {
    for (let i = 0; i < n; i++) {
      const u = i * p;
      for (let j = i + 1; j < n; j++) {
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
    return out;
  }
  if (metric === "cityblock") {
    for (let i = 0; i < n; i++) {
      const u = i * p;
      for (let j = i + 1; j < n; j++) {
        const v = j * p;
        let s = 0;
        for (let c = 0; c < p; c++) s += Math.abs(X[u + c] - X[v + c]);
        out[k++] = s;
      }
    }
    return out;
  }
  if (metric === "correlation") {
    // scipy centres each row on its mean (numpy's pairwise sum), then uses the cosine code.
    const Y = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      const mean = numpySum(X, i * p, p) / p;
      for (let c = 0; c < p; c++) Y[i * p + c] = X[i * p + c] - mean;
    }
    X = Y;
  }
  // scipy's C loops for cosine (Debian's 1.10 build) sum products in two interleaved
  // accumulators (even and odd columns), then add them and any last odd column; the same
  // order here gives the same bits (checked against pdist on 1…20 columns).
  const dot = (u: number, v: number): number => {
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
  };
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    norms[i] = Math.sqrt(dot(i * p, i * p));
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
  for (let i = 0; i < n; i++) {
    const u = i * p;
    for (let j = i + 1; j < n; j++) {
      let cos = dot(u, j * p) / (norms[i] * norms[j]);
      if (Math.abs(cos) > 1) cos = Math.sign(cos);
      out[k++] = 1 - cos;
    }
  }
  return out;
}

/**
 * Sum as numpy sums a contiguous row (`np.add.reduce`: pairwise summation in blocks of 8), so
 * means and correlations agree with numpy/scipy to the last bit.
 *
 * @param a The values.
 * @param start Index of the first value to add.
 * @param len How many values to add.
 * @returns The sum.
 *
 * @example
 * ```ts
 * import { numpySum } from "ratgtex";
 * console.log(numpySum([0.1, 0.2, 0.3], 0, 3)); // 0.6000000000000001
 * ```
 */
export function numpySum(
  a: ArrayLike<number>,
  start: number,
  len: number,
): number {
  // np.add.reduce starts from the identity 0 and adds the pairwise sum of the whole row
  // (checked bit for bit against numpy 1.24).
  return 0 + pairwiseSum(a, start, len);
}

function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = [
      a[start],
      a[start + 1],
      a[start + 2],
      a[start + 3],
      a[start + 4],
      a[start + 5],
      a[start + 6],
      a[start + 7],
    ];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    }
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** Method codes used by the distance-update switch (hot loops avoid string compares). */
const enum M {
  Single,
  Complete,
  Average,
  Centroid,
  Median,
  Ward,
  Weighted,
}

function methodCode(method: LinkageMethod): M {
  switch (method) {
    case "single":
      return M.Single;
    case "complete":
      return M.Complete;
    case "average":
      return M.Average;
    case "centroid":
      return M.Centroid;
    case "median":
      return M.Median;
    case "ward":
      return M.Ward;
    default:
      return M.Weighted;
  }
}

/**
 * Lance–Williams updates, written with exactly scipy's operations and order
 * (_hierarchy_distance_update.pxi) so results match to the bit.
 */
function newDist(
  m: M,
  dxi: number,
  dyi: number,
  dxy: number,
  nx: number,
  ny: number,
  ni: number,
): number {
  switch (m) {
    case M.Single:
      return dxi < dyi ? dxi : dyi;
    case M.Complete:
      return dxi > dyi ? dxi : dyi;
    case M.Average:
      return (nx * dxi + ny * dyi) / (nx + ny);
    case M.Centroid:
      return Math.sqrt(
        ((nx * dxi * dxi + ny * dyi * dyi) -
          (nx * ny * dxy * dxy) / (nx + ny)) / (nx + ny),
      );
    case M.Median:
      return Math.sqrt(0.5 * (dxi * dxi + dyi * dyi) - 0.25 * dxy * dxy);
    case M.Ward: {
      const t = 1.0 / (nx + ny + ni);
      return Math.sqrt(
        (ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi -
          ni * t * dxy * dxy,
      );
    }
    default:
      return 0.5 * (dxi + dyi);
  }
}

/** Raw merges before sorting/relabelling: parallel arrays. */
interface Merges {
  a: Float64Array;
  b: Float64Array;
  h: Float64Array;
  s: Float64Array;
}

/** Room for the n − 1 merges of n points. */
function newMerges(n: number): Merges {
  return {
    a: new Float64Array(n - 1),
    b: new Float64Array(n - 1),
    h: new Float64Array(n - 1),
    s: new Float64Array(n - 1),
  };
}

/** A doubly linked list of the points not yet merged, in index order (scipy walks them in that order). */
function unmergedList(n: number): { next: Int32Array; prev: Int32Array } {
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  return { next, prev };
}

/** scipy's nn_chain (average, complete, weighted, ward). */
function nnChain(dists: Float64Array, n: number, m: M, overwrite: boolean): Merges {
  // Distances between clusters, updated in place (a copy unless the caller owns `dists`).
  const D = overwrite ? dists : dists.slice();
  const off = rowOffsets(n);
  const size = new Int32Array(n).fill(1);
  // Active clusters as an ascending doubly linked list: scanning it visits the same clusters
  // in the same order as scipy's `for i in range(n): if size[i] == 0: continue`.
  const { next, prev } = unmergedList(n);
  let head = 0;
  const chain = new Int32Array(n);
  let chainLength = 0;
  const out: Merges = newMerges(n);
  let x = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chainLength = 1;
      chain[0] = head;
    }
    let currentMin = Infinity;
    for (;;) {
      x = chain[chainLength - 1];
      if (chainLength > 1) {
        y = chain[chainLength - 2];
        currentMin = y < x ? D[off[y] + x] : D[off[x] + y];
      } else {
        currentMin = Infinity;
      }
      const base = off[x];
      let i = head;
      // Entries (i, x) with i < x live in column x of earlier rows; (x, i) with i > x are contiguous.
      while (i !== -1 && i < x) {
        const d = D[off[i] + x];
        if (d < currentMin) {
          currentMin = d;
          y = i;
        }
        i = next[i];
      }
      if (i === x) i = next[i];
      while (i !== -1) {
        const d = D[base + i];
        if (d < currentMin) {
          currentMin = d;
          y = i;
        }
        i = next[i];
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const nx = size[x];
    const ny = size[y];
    out.a[k] = x;
    out.b[k] = y;
    out.h[k] = currentMin;
    out.s[k] = nx + ny;
    size[x] = 0;
    size[y] = nx + ny;
    // unlink x
    if (prev[x] === -1) head = next[x];
    else next[prev[x]] = next[x];
    if (next[x] !== -1) prev[next[x]] = prev[x];
    updateDistances(D, off, size, head, next, m, x, y, currentMin, nx, ny);
  }
  return out;
}

function updateDistances(
  D: Float64Array,
  off: Int32Array,
  size: Int32Array,
  head: number,
  next: Int32Array,
  m: M,
  x: number,
  y: number,
  dxy: number,
  nx: number,
  ny: number,
): void {
  // x < y always (scipy's convention); x is already unlinked.
  let i = head;
  if (m === M.Average) {
    // Hot path of the server's method, specialised: same arithmetic as newDist.
    const nxy = nx + ny;
    for (; i !== -1 && i < x; i = next[i]) {
      const iy = off[i] + y;
      D[iy] = (nx * D[off[i] + x] + ny * D[iy]) / nxy;
    }
    for (; i !== -1 && i < y; i = next[i]) {
      const iy = off[i] + y;
      D[iy] = (nx * D[off[x] + i] + ny * D[iy]) / nxy;
    }
    if (i === y) i = next[i];
    const bx = off[x];
    const by = off[y];
    for (; i !== -1; i = next[i]) {
      D[by + i] = (nx * D[bx + i] + ny * D[by + i]) / nxy;
    }
    return;
  }
  for (; i !== -1; i = next[i]) {
    if (i === y) continue;
    const ix = i < x ? off[i] + x : off[x] + i;
    const iy = i < y ? off[i] + y : off[y] + i;
    D[iy] = newDist(m, D[ix], D[iy], dxy, nx, ny, size[i]);
  }
}

/** scipy's mst_single_linkage. */
function mstSingle(dists: Float64Array, n: number): Merges {
  const off = rowOffsets(n);
  const D = new Float64Array(n).fill(Infinity);
  const { next, prev } = unmergedList(n);
  let head = 0;
  const out: Merges = newMerges(n);
  let x = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    let currentMin = Infinity;
    // merged[x] = 1: drop x from the list of unmerged nodes
    if (prev[x] === -1) head = next[x];
    else next[prev[x]] = next[x];
    if (next[x] !== -1) prev[next[x]] = prev[x];
    for (let i = head; i !== -1; i = next[i]) {
      const dist = i < x ? dists[off[i] + x] : dists[off[x] + i];
      if (D[i] > dist) D[i] = dist;
      if (D[i] < currentMin) {
        y = i;
        currentMin = D[i];
      }
    }
    out.a[k] = x;
    out.b[k] = y;
    out.h[k] = currentMin;
    x = y;
  }
  return out;
}

/** Binary heap keyed 0…n−1, a port of scipy's `Heap` (_structures.pxi), ties resolved identically. */
class Heap {
  indexByKey: Int32Array;
  keyByIndex: Int32Array;
  values: Float64Array;
  size: number;
  constructor(values: Float64Array) {
    this.size = values.length;
    this.indexByKey = new Int32Array(this.size);
    this.keyByIndex = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      this.indexByKey[i] = this.keyByIndex[i] = i;
    }
    this.values = values.slice();
    for (let i = Math.floor(this.size / 2) - 1; i >= 0; i--) this.siftDown(i);
  }
  removeMin(): void {
    this.swap(0, this.size - 1);
    this.size -= 1;
    this.siftDown(0);
  }
  changeValue(key: number, value: number): void {
    const index = this.indexByKey[key];
    const old = this.values[index];
    this.values[index] = value;
    if (value < old) this.siftUp(index);
    else this.siftDown(index);
  }
  siftUp(index: number): void {
    let parent = (index - 1) >> 1;
    while (index > 0 && this.values[parent] > this.values[index]) {
      this.swap(index, parent);
      index = parent;
      parent = (index - 1) >> 1;
    }
  }
  siftDown(index: number): void {
    let child = (index << 1) + 1;
    while (child < this.size) {
      if (
        child + 1 < this.size && this.values[child + 1] < this.values[child]
      ) child += 1;
      if (this.values[index] > this.values[child]) {
        this.swap(index, child);
        index = child;
        child = (index << 1) + 1;
      } else break;
    }
  }
  swap(i: number, j: number): void {
    const v = this.values[i];
    this.values[i] = this.values[j];
    this.values[j] = v;
    const ki = this.keyByIndex[i];
    const kj = this.keyByIndex[j];
    this.keyByIndex[i] = kj;
    this.keyByIndex[j] = ki;
    this.indexByKey[ki] = j;
    this.indexByKey[kj] = i;
  }
}

/** scipy's fast_linkage: the generic algorithm (Müllner 2011) for centroid and median. */
function fastLinkage(dists: Float64Array, n: number, m: M, overwrite: boolean): Merges {
  const D = overwrite ? dists : dists.slice();
  const off = rowOffsets(n);
  const idx = (
    i: number,
    j: number,
  ): number => (i < j ? off[i] + j : off[j] + i);
  const size = new Int32Array(n).fill(1);
  const clusterId = new Int32Array(n);
  for (let i = 0; i < n; i++) clusterId[i] = i;
  const neighbor = new Int32Array(n - 1);
  const minDist = new Float64Array(n - 1);
  const out: Merges = newMerges(n);
  let pairKey = -1;
  let pairValue = Infinity;
  const findMinDist = (x: number): void => {
    let currentMin = Infinity;
    let y = -1;
    for (let i = x + 1; i < n; i++) {
      if (size[i] === 0) continue;
      const dist = D[off[x] + i];
      if (dist < currentMin) {
        currentMin = dist;
        y = i;
      }
    }
    if (y === -1) {
      throw new ClusteringInputError(
        "distances",
        NaN,
        "hclust: no finite distance left between clusters",
        "the distances must be finite, non-negative numbers",
      );
    }
    pairKey = y;
    pairValue = currentMin;
  };
  for (let x = 0; x < n - 1; x++) {
    findMinDist(x);
    neighbor[x] = pairKey;
    minDist[x] = pairValue;
  }
  const heap = new Heap(minDist);
  let x = 0;
  let y = 0;
  let dist = 0;
  for (let k = 0; k < n - 1; k++) {
    for (let i = 0; i < n - k; i++) {
      x = heap.keyByIndex[0];
      dist = heap.values[0];
      y = neighbor[x];
      if (dist === D[idx(x, y)]) break;
      findMinDist(x);
      y = pairKey;
      dist = pairValue;
      neighbor[x] = y;
      minDist[x] = dist;
      heap.changeValue(x, dist);
    }
    heap.removeMin();
    let idX = clusterId[x];
    let idY = clusterId[y];
    const nx = size[x];
    const ny = size[y];
    if (idX > idY) {
      const t = idX;
      idX = idY;
      idY = t;
    }
    out.a[k] = idX;
    out.b[k] = idY;
    out.h[k] = dist;
    out.s[k] = nx + ny;
    size[x] = 0;
    size[y] = nx + ny;
    clusterId[y] = n + k;
    for (let z = 0; z < n; z++) {
      const nz = size[z];
      if (nz === 0 || z === y) continue;
      D[idx(z, y)] = newDist(m, D[idx(z, x)], D[idx(z, y)], dist, nx, ny, nz);
    }
    for (let z = 0; z < x; z++) {
      if (size[z] > 0 && neighbor[z] === x) neighbor[z] = y;
    }
    for (let z = 0; z < y; z++) {
      if (size[z] === 0) continue;
      const d = D[idx(z, y)];
      if (d < minDist[z]) {
        neighbor[z] = y;
        minDist[z] = d;
        heap.changeValue(z, d);
      }
    }
    if (y < n - 1) {
      findMinDist(y);
      neighbor[y] = pairKey;
      minDist[y] = pairValue;
      heap.changeValue(y, pairValue);
    }
  }
  return out;
}

/** Stable sort of the merges by height (numpy mergesort), then scipy's union-find relabelling. */
function sortAndLabel(z: Merges, n: number): LinkageRow[] {
  const order = Array.from({ length: n - 1 }, (_, i) => i);
  // Array.prototype.sort is stable, as numpy's mergesort.
  order.sort((p, q) => z.h[p] - z.h[q]);
  const parent = new Int32Array(2 * n - 1);
  const usize = new Int32Array(2 * n - 1).fill(1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  let nextLabel = n;
  const find = (x: number): number => {
    let p = x;
    while (parent[x] !== x) x = parent[x];
    while (parent[p] !== x) {
      const np = parent[p];
      parent[p] = x;
      p = np;
    }
    return x;
  };
  const rows: LinkageRow[] = new Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    const r = order[i];
    const xr = find(z.a[r]);
    const yr = find(z.b[r]);
    parent[xr] = nextLabel;
    parent[yr] = nextLabel;
    const s = usize[xr] + usize[yr];
    usize[nextLabel] = s;
    nextLabel++;
    rows[i] = xr < yr ? [xr, yr, z.h[r], s] : [yr, xr, z.h[r], s];
  }
  return rows;
}

/**
 * Linkage of a condensed distance matrix, exactly as `scipy.cluster.hierarchy.linkage(y, method)`
 * (without optimal ordering). Uses scipy's algorithm for each method: minimum spanning tree for
 * `single`, nearest-neighbour chain for `average`/`complete`/`weighted`/`ward`, the generic
 * algorithm for `centroid`/`median`; all O(n²) time in practice.
 *
 * @param distances Condensed distances (length n(n−1)/2), finite and non-negative.
 * @param method Linkage method; default `"average"`.
 * @returns n − 1 rows `[a, b, height, size]` in scipy's order and numbering.
 *
 * @example
 * ```ts
 * import { linkageFromDistances } from "ratgtex";
 * const z = linkageFromDistances(new Float64Array([1, 4, 3]), "single");
 * console.log(z); // [[0, 1, 1, 2], [2, 3, 3, 3]]
 * ```
 */
export function linkageFromDistances(
  distances: Float64Array,
  method: LinkageMethod = "average",
): LinkageRow[] {
  return linkageCore(distances, method, false);
}

/** `overwrite`: the distances may be used as the working matrix (saves a copy of n²/2 doubles). */
function linkageCore(
  distances: Float64Array,
  method: LinkageMethod,
  overwrite: boolean,
): LinkageRow[] {
  if (!METHODS.includes(method)) {
    throw new ClusteringInputError(
      "method",
      method,
      `hclust: method "${method}" is not supported`,
      `use one of ${METHODS.join(", ")}`,
    );
  }
  if (!(distances instanceof Float64Array)) {
    throw new ClusteringInputError(
      "distances",
      typeof distances,
      "hclust: distances must be a Float64Array condensed distance matrix",
      "compute one with pdist, or pass the observations to hclust",
    );
  }
  const n = obsFromCondensed(distances.length);
  if (n < 2) {
    throw new ClusteringInputError(
      "distances",
      distances.length,
      `hclust: a condensed distance matrix has length n(n−1)/2 with n ≥ 2; got length ${distances.length}`,
      "pass pdist output (scipy's condensed layout)",
    );
  }
  if (n > 65535) {
    throw new ClusteringInputError(
      "distances",
      n,
      `hclust: n = ${n} observations is too many (at most 65535: the condensed matrix would not fit)`,
      "cluster a subset",
    );
  }
  for (let i = 0; i < distances.length; i++) {
    const d = distances[i];
    if (!Number.isFinite(d)) {
      throw new ClusteringInputError(
        `distances[${i}]`,
        d,
        `hclust: distance ${i} is ${d}; the condensed distance matrix must contain only finite values`,
        "remove or impute the observations that produce it",
      );
    }
    if (d < 0) {
      throw new ClusteringInputError(
        `distances[${i}]`,
        d,
        `hclust: distance ${i} is ${d}; distances must be non-negative`,
        "pass distances, not similarities or correlations",
      );
    }
  }
  const m = methodCode(method);
  const merges = m === M.Single
    ? mstSingle(distances, n)
    : m === M.Centroid || m === M.Median
    ? fastLinkage(distances, n, m, overwrite)
    : nnChain(distances, n, m, overwrite);
  if (m === M.Centroid || m === M.Median) {
    // fast_linkage already numbers clusters in merge order and does not sort.
    const rows: LinkageRow[] = new Array(n - 1);
    for (let i = 0; i < n - 1; i++) {
      rows[i] = [merges.a[i], merges.b[i], merges.h[i], merges.s[i]];
    }
    return rows;
  }
  return sortAndLabel(merges, n);
}

/**
 * Leaf indices in dendrogram order (scipy's `leaves_list`: pre-order, left child first).
 *
 * @param linkage A linkage matrix.
 * @returns The n leaf indices, left to right.
 *
 * @example
 * ```ts
 * import { leavesList } from "ratgtex";
 * console.log(leavesList([[1, 2, 1, 2], [3, 0, 2, 3]])); // [1, 2, 0]
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

/**
 * Hierarchical agglomerative clustering of the rows of a matrix (or of a condensed distance
 * matrix), equal to `scipy.cluster.hierarchy.linkage(X, method, metric, optimal_ordering)`:
 * same merges, heights (to the bit), numbering, row order and,
 * with `optimalOrdering`, the same leaf order, ties included.
 *
 * @param matrix Observations as rows (`number[][]`, finite), or a condensed distance matrix (`Float64Array`).
 * @param options Method (default `"average"`), metric (default `"euclidean"`), optimal ordering (default `false`), labels.
 * @returns The linkage, labels, leaf order, method and metric.
 *
 * @example
 * ```ts
 * import { hclust } from "ratgtex";
 * const res = hclust([[0, 1], [0, 2], [5, 5]], { optimalOrdering: true, labels: ["a", "b", "c"] });
 * console.log(res.linkage[0]); // [1, 0, 1, 2] (optimal ordering swapped a and b)
 * console.log(res.order.map((i) => res.labels[i])); // ["c", "b", "a"]
 * ```
 */
export function hclust(
  matrix: readonly (readonly number[])[] | Float64Array,
  options: HclustOptions = {},
): HclustResult {
  if (options === null || typeof options !== "object") {
    throw new ClusteringInputError(
      "options",
      options,
      "hclust: options must be an object",
      'pass e.g. { method: "average", optimalOrdering: true }, or nothing for the defaults',
    );
  }
  const method = options.method ?? "average";
  const metric = options.metric ?? "euclidean";
  if (!METHODS.includes(method)) {
    throw new ClusteringInputError(
      "method",
      method,
      `hclust: method "${method}" is not supported`,
      `use one of ${METHODS.join(", ")}`,
    );
  }
  let distances: Float64Array;
  let n: number;
  if (matrix instanceof Float64Array) {
    distances = matrix;
    n = obsFromCondensed(matrix.length);
    if (n < 2) {
      throw new ClusteringInputError(
        "matrix",
        matrix.length,
        `hclust: a condensed distance matrix has length n(n−1)/2 with n ≥ 2; got length ${matrix.length}`,
        "pass pdist output (scipy's condensed layout)",
      );
    }
  } else {
    if (!METRICS.includes(metric)) {
      throw new ClusteringInputError(
        "metric",
        metric,
        `hclust: metric "${metric}" is not supported`,
        `use one of ${METRICS.join(", ")}`,
      );
    }
    if (EUCLIDEAN_METHODS.includes(method) && metric !== "euclidean") {
      throw new ClusteringInputError(
        "metric",
        metric,
        `hclust: method "${method}" requires the euclidean metric, got "${metric}"`,
        'use metric "euclidean", or pass a condensed distance matrix to override',
      );
    }
    n = matrix.length;
    if (n < 2) {
      throw new ClusteringInputError(
        "matrix",
        n,
        `hclust: need at least 2 observations (rows) to cluster, got ${n}`,
        'a tree needs two or more rows (the server answers "Not enough data")',
      );
    }
    distances = pdist(matrix, metric);
  }
  const labels = options.labels ? [...options.labels] : Array.from({ length: n }, (_, i) => String(i));
  if (labels.length !== n) {
    throw new ClusteringInputError(
      "labels",
      labels.length,
      `hclust: ${labels.length} labels given for ${n} observations`,
      "give one label per row",
    );
  }
  // When we computed the distances ourselves and optimal ordering does not need them again,
  // cluster in place instead of copying (as fastcluster's preserve_input=False).
  const overwrite = !(matrix instanceof Float64Array) && !options.optimalOrdering;
  let linkage = linkageCore(distances, method, overwrite);
  if (options.optimalOrdering) {
    linkage = optimalLeafOrdering(linkage, distances);
  }
  return {
    linkage,
    labels,
    order: leavesList(linkage),
    method,
    metric: matrix instanceof Float64Array ? "precomputed" : metric,
  };
}
