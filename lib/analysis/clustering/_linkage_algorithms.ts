/**
 * Internal: scipy's three linkage algorithms (nearest-neighbour chain, minimum spanning tree, the
 * generic algorithm with a heap), with exactly scipy's floating-point operations, order and tie-breaking,
 * and its relabelling of the merges. They share the method codes and the Lance–Williams update, kept in
 * this one file so the `const enum` stays inlined in the hot loops.
 *
 * @module
 */

import { Heap } from "./_heap.ts";
import { rowOffsets } from "./_condensed.ts";
import { ClusteringInputError, type LinkageMethod, type LinkageRow } from "./linkage.ts";

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

/**
 * Largest n clustered on a square working matrix (n² doubles: 2 GiB at 16,384); above it on the condensed
 * one (half the memory, about twice the time). Both give the same merges to the bit.
 */
export const SQUARE_MAX_N = 16384;

/**
 * Smallest n clustered on a square working matrix. Below it the condensed matrix fits in cache and building
 * the square costs more than it saves (CPU samples of the whole linkage, square ÷ condensed: 1.22 at
 * n = 1,000, 0.95 at 1,500, 0.75 at 2,000, 0.84 at 3,000).
 */
export const SQUARE_MIN_N = 1200;

/** Whether the chain for n observations runs on a square working matrix (see SQUARE_MIN_N, SQUARE_MAX_N). */
export function squareLayout(n: number): boolean {
  return n >= SQUARE_MIN_N && n <= SQUARE_MAX_N;
}

/*
 * Why a square working matrix with lazily mirrored rows (measured at n = 10,000 × 13, average linkage, on
 * the shared 2-core EPYC; CPU seconds of the chain, best of 3 in one process):
 *
 * - scipy's condensed layout (the port below, `nnChain`): 2.3 s. The chain scans the distances of every
 *   active cluster to the tip x; those with i < x lie down column x, one cache line and mostly one TLB
 *   page per value, and the update reads column x and rewrites column y the same way. fastcluster's
 *   NN-chain reads the condensed layout the same way.
 * - n × n matrix, kept symmetric (each update also writes column y): 1.4–1.8 s. Scans and the update's
 *   reads are contiguous, but the column write (50 M scattered writes in all) took two thirds of it.
 * - n × n matrix, rows refreshed lazily (this code): 0.8–1.0 s. An update writes row y only; each cluster
 *   has the merge step of its last update (`version`) and each row the step to which it is fresh
 *   (`freshTo`); before a row is read, its stale entries are copied from the rows that hold them. The
 *   clusters updated since a row's step are a prefix of a most-recently-updated list, so a refresh touches
 *   exactly the stale entries: 3.7 M in all instead of 50 M column writes (clusters updated again, or
 *   merged away, before a row needs them are never copied).
 *
 * Tried and not kept: four interleaved minima in the scan; keeping each row's four smallest entries so that a
 * rescan of a tip (two scans in three) needs no pass over its row (3 % fewer CPU samples, not worth the code).
 * What hclust's n = 10,000 costs now (perf samples, one call): the distances 0.4–0.5 s, mapping the 800 MB
 * matrix 0.3–0.4 s (kernel page faults), the chain 0.5 s; fastcluster's whole call took 1.5–1.8 s.
 *
 * The chain itself (scan order, ties, Lance–Williams arithmetic) is scipy's, so the merges and heights are
 * scipy's to the bit; the layout only changes where each distance is read from.
 */

/**
 * A square working matrix from a condensed one: `S[i·n + j] = d(i, j)`, the diagonal +∞ (so the chain's
 * scan needs no test for the tip itself: +∞ never beats a minimum).
 */
export function squareFromCondensed(condensed: Float64Array, n: number): Float64Array {
  const S = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    S.set(condensed.subarray(k, k + n - i - 1), row + i + 1);
    k += n - i - 1;
  }
  mirrorUpper(S, n);
  return S;
}

/** Copy the upper triangle of a square matrix onto the lower one in tiles (cache-friendly); diagonal +∞. */
export function mirrorUpper(S: Float64Array, n: number): void {
  // 32 × 32 tiles: measured 150 ms for n = 10,000 against 300+ ms for 8- or 16-wide ones.
  const B = 32;
  for (let bi = 0; bi < n; bi += B) {
    const ie = Math.min(n, bi + B);
    for (let bj = bi; bj < n; bj += B) mirrorTile(S, n, bi, ie, bj, Math.min(n, bj + B));
  }
  for (let i = 0; i < n; i++) S[i * n + i] = Infinity;
}

/** Mirror the upper-triangle part of tile [bi, ie) × [bj, je) of S. */
export function mirrorTile(S: Float64Array, n: number, bi: number, ie: number, bj: number, je: number): void {
  for (let i = bi; i < ie; i++) {
    const row = i * n;
    for (let j = Math.max(bj, i + 1); j < je; j++) S[j * n + i] = S[row + j];
  }
}

/**
 * scipy's nn_chain on a square working matrix with lazily refreshed rows (see above): the same chain, the
 * same scans in ascending index order, the same Lance–Williams arithmetic. Active clusters are a sorted
 * index array (scans gather from one contiguous row, no pointer chasing).
 */
function nnChainSquare(S: Float64Array, n: number, m: M): Merges {
  const size = new Int32Array(n).fill(1);
  const active = new Int32Array(n);
  for (let i = 0; i < n; i++) active[i] = i;
  let nActive = n;
  const chain = new Int32Array(n);
  let chainLength = 0;
  const out: Merges = newMerges(n);
  // version[c]: 1 + the merge step that last rewrote row c (0: never); freshTo[r]: row r holds the current
  // distance to every cluster c with version[c] ≤ freshTo[r]. The rest of row r is read from row c.
  const version = new Int32Array(n);
  const freshTo = new Int32Array(n);
  // Clusters rewritten so far and still active, most recent first (a doubly linked list).
  const recent: Recent = { head: -1, next: new Int32Array(n).fill(-1), prev: new Int32Array(n).fill(-1) };
  let x = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chainLength = 1;
      chain[0] = active[0];
    }
    let currentMin = Infinity;
    for (;;) {
      x = chain[chainLength - 1];
      const row = x * n;
      refreshRow(S, n, x, k, freshTo, version, recent);
      if (chainLength > 1) {
        y = chain[chainLength - 2];
        currentMin = S[row + y];
      } else {
        currentMin = Infinity;
      }
      y = nearest(S, row, active, nActive, currentMin, y);
      currentMin = nearestScratch[0];
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
    // Drop x from the sorted active list (binary search, then shift the tail).
    let lo = 0;
    let hi = nActive - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (active[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    active.copyWithin(lo, lo + 1, nActive);
    nActive--;
    refreshRow(S, n, x, k, freshTo, version, recent);
    refreshRow(S, n, y, k, freshTo, version, recent);
    if (m === M.Average) updateAverage(S, n, active, nActive, x, y, nx, ny);
    else updateSquare(S, n, active, nActive, size, m, x, y, currentMin, nx, ny);
    unlinkRecent(recent, x);
    unlinkRecent(recent, y);
    recent.next[y] = recent.head;
    if (recent.head !== -1) recent.prev[recent.head] = y;
    recent.head = y;
    version[y] = k + 1;
    freshTo[y] = k + 1;
  }
  return out;
}

/** Active clusters rewritten so far, most recent first. */
interface Recent {
  head: number;
  next: Int32Array;
  prev: Int32Array;
}

function unlinkRecent(r: Recent, c: number): void {
  if (r.head === c) r.head = r.next[c];
  if (r.prev[c] !== -1) r.next[r.prev[c]] = r.next[c];
  if (r.next[c] !== -1) r.prev[r.next[c]] = r.prev[c];
  r.prev[c] = -1;
  r.next[c] = -1;
}

/**
 * Bring row x up to date before merge step k: copy in the distance to each cluster rewritten since the row
 * was last fresh (a prefix of the most-recent list; each such cluster's own row holds it), then mark it fresh.
 */
function refreshRow(
  S: Float64Array,
  n: number,
  x: number,
  k: number,
  freshTo: Int32Array,
  version: Int32Array,
  recent: Recent,
): void {
  const row = x * n;
  const fresh = freshTo[x];
  const next = recent.next;
  for (let c = recent.head; c !== -1 && version[c] > fresh; c = next[c]) {
    if (c !== x) S[row + c] = S[c * n + x];
  }
  freshTo[x] = k;
}

/** Minimum found by the last {@link nearest} call (a second return value without allocating). */
const nearestScratch = new Float64Array(1);

/**
 * The chain's scan of a fresh row: the first active cluster in ascending order whose distance beats
 * `currentMin`, or `y` when none does; the minimum goes to `nearestScratch[0]`. The row's own diagonal is
 * +∞, so it never wins, as scipy's loop skipping the tip. (Hot loops are small functions: V8 optimises them
 * from their own feedback; see `_pairwise.ts`. Four interleaved minima measured no faster.)
 */
function nearest(
  S: Float64Array,
  row: number,
  active: Int32Array,
  nActive: number,
  currentMin: number,
  y: number,
): number {
  for (let t = 0; t < nActive; t++) {
    const i = active[t];
    const d = S[row + i];
    if (d < currentMin) {
      currentMin = d;
      y = i;
    }
  }
  nearestScratch[0] = currentMin;
  return y;
}

/** Average linkage's rewrite of row y after merging x into it (fresh rows; newDist's arithmetic). */
function updateAverage(
  S: Float64Array,
  n: number,
  active: Int32Array,
  nActive: number,
  x: number,
  y: number,
  nx: number,
  ny: number,
): void {
  const bx = x * n;
  const by = y * n;
  const nxy = nx + ny;
  for (let t = 0; t < nActive; t++) {
    const i = active[t];
    if (i === y) continue;
    S[by + i] = (nx * S[bx + i] + ny * S[by + i]) / nxy;
  }
}

/** The other chain methods' rewrite of row y (complete, weighted, ward), as {@link updateAverage}. */
function updateSquare(
  S: Float64Array,
  n: number,
  active: Int32Array,
  nActive: number,
  size: Int32Array,
  m: M,
  x: number,
  y: number,
  dxy: number,
  nx: number,
  ny: number,
): void {
  const bx = x * n;
  const by = y * n;
  for (let t = 0; t < nActive; t++) {
    const i = active[t];
    if (i === y) continue;
    S[by + i] = newDist(m, S[bx + i], S[by + i], dxy, nx, ny, size[i]);
  }
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
      y = nearestCondensed(D, off, next, head, x, currentMin, y);
      currentMin = nearestScratch[0];
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

/**
 * The chain's scan on the condensed layout: the first active cluster in ascending order whose distance to x
 * beats `currentMin`, or `y` when none does; the minimum goes to `nearestScratch[0]`. (A function of its own so
 * V8 optimises it from its own calls rather than by on-stack replacement of the whole chain; see `_pairwise.ts`.)
 */
function nearestCondensed(
  D: Float64Array,
  off: Int32Array,
  next: Int32Array,
  head: number,
  x: number,
  currentMin: number,
  y: number,
): number {
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
  nearestScratch[0] = currentMin;
  return y;
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

/** How {@link runLinkage} lays out the nearest-neighbour chain's working matrix (tests force each one). */
export type ChainLayout = "auto" | "square" | "condensed";

/**
 * Run scipy's algorithm for `method` on a checked condensed matrix of `n` observations: minimum spanning
 * tree for `single`, nearest-neighbour chain for `average`/`complete`/`weighted`/`ward`, the generic
 * algorithm for `centroid`/`median`. `overwrite`: `distances` may serve as the working matrix. `layout`:
 * the chain's working matrix, square from {@link SQUARE_MIN_N} to {@link SQUARE_MAX_N} observations by default.
 */
export function runLinkage(
  distances: Float64Array,
  n: number,
  method: LinkageMethod,
  overwrite: boolean,
  layout: ChainLayout = "auto",
): LinkageRow[] {
  const m = methodCode(method);
  if (m === M.Single) return sortAndLabel(mstSingle(distances, n), n);
  if (m === M.Centroid || m === M.Median) {
    // fast_linkage already numbers clusters in merge order and does not sort.
    const merges = fastLinkage(distances, n, m, overwrite);
    const rows: LinkageRow[] = new Array(n - 1);
    for (let i = 0; i < n - 1; i++) {
      rows[i] = [merges.a[i], merges.b[i], merges.h[i], merges.s[i]];
    }
    return rows;
  }
  const square = layout === "square" || (layout === "auto" && squareLayout(n));
  if (square) return sortAndLabel(nnChainSquare(squareFromCondensed(distances, n), n, m), n);
  return sortAndLabel(nnChain(distances, n, m, overwrite), n);
}

/** Whether {@link runLinkageSquare} serves `method` (the nearest-neighbour chain methods). */
export function chainMethod(method: LinkageMethod): boolean {
  const m = methodCode(method);
  return m === M.Average || m === M.Complete || m === M.Weighted || m === M.Ward;
}

/**
 * The nearest-neighbour chain on a square working matrix of checked, finite distances, symmetric with a
 * +∞ diagonal (as `squareFromCondensed` or `pairwiseSquare` make it); the matrix is consumed. For
 * {@link chainMethod}s.
 */
export function runLinkageSquare(S: Float64Array, n: number, method: LinkageMethod): LinkageRow[] {
  return sortAndLabel(nnChainSquare(S, n, methodCode(method)), n);
}
