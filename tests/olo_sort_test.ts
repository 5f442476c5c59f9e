// A test of a private module by design. The optimal-leaf-ordering sort (lib/analysis/clustering/_olo_sort.ts) is
// written for speed; the order it leaves equal values in steers scipy's pruning, so it must give exactly the
// result of the plain port of scikit-learn's `_simultaneous_sort` kept below as the oracle. Tolerance: none
// (values and index order identical). Randomised: a fixed number of cases from a printed seed, with many ties.
import assert from "node:assert/strict";
import { simultaneousSort } from "../lib/analysis/clustering/_olo_sort.ts";

/** The plain port (as it was before the fast version), recursion and all. */
function oracle(dist: Float32Array, idx: Int32Array, s: number, size: number): void {
  const swap = (a: number, b: number) => {
    const d = dist[a];
    dist[a] = dist[b];
    dist[b] = d;
    const t = idx[a];
    idx[a] = idx[b];
    idx[b] = t;
  };
  if (size <= 1) return;
  if (size === 2) {
    if (dist[s] > dist[s + 1]) swap(s, s + 1);
    return;
  }
  if (size === 3) {
    if (dist[s] > dist[s + 1]) swap(s, s + 1);
    if (dist[s + 1] > dist[s + 2]) {
      swap(s + 1, s + 2);
      if (dist[s] > dist[s + 1]) swap(s, s + 1);
    }
    return;
  }
  const last = s + size - 1;
  let pivotIdx = s + (size >> 1);
  if (dist[s] > dist[last]) swap(s, last);
  if (dist[last] > dist[pivotIdx]) {
    swap(last, pivotIdx);
    if (dist[s] > dist[last]) swap(s, last);
  }
  const pivotVal = dist[last];
  let storeIdx = s;
  for (let i = s; i < last; i++) {
    if (dist[i] < pivotVal) {
      swap(i, storeIdx);
      storeIdx++;
    }
  }
  swap(storeIdx, last);
  pivotIdx = storeIdx - s;
  if (pivotIdx > 1) oracle(dist, idx, s, pivotIdx);
  if (pivotIdx + 2 < size) oracle(dist, idx, s + pivotIdx + 1, size - pivotIdx - 1);
}

const SEED = 20260614;

Deno.test(`simultaneousSort leaves values and indices exactly as the plain port (seed ${SEED}, 3,000 cases)`, () => {
  let state = SEED;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  for (let c = 0; c < 3000; c++) {
    const size = Math.floor(rand() * (c % 10 === 0 ? 600 : 40));
    const offset = Math.floor(rand() * 5);
    const distinct = 1 + Math.floor(rand() * (c % 3 === 0 ? 4 : 1000)); // few distinct values: many ties
    const dist = new Float32Array(offset + size + 3);
    const idx = new Int32Array(dist.length);
    for (let i = 0; i < dist.length; i++) {
      dist[i] = Math.floor(rand() * distinct) * 0.5;
      idx[i] = i;
    }
    const d2 = dist.slice();
    const i2 = idx.slice();
    simultaneousSort(dist, idx, offset, size);
    oracle(d2, i2, offset, size);
    assert.deepEqual(dist, d2, `case ${c}: values (size ${size})`);
    assert.deepEqual(idx, i2, `case ${c}: indices (size ${size})`);
  }
});
