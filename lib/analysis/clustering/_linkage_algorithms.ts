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
 * Run scipy's algorithm for `method` on a checked condensed matrix of `n` observations: minimum spanning
 * tree for `single`, nearest-neighbour chain for `average`/`complete`/`weighted`/`ward`, the generic
 * algorithm for `centroid`/`median`. `overwrite`: `distances` may serve as the working matrix.
 */
export function runLinkage(
  distances: Float64Array,
  n: number,
  method: LinkageMethod,
  overwrite: boolean,
): LinkageRow[] {
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
