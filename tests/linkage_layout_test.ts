// A test of private modules by design (the two layouts are internal). The nearest-neighbour chain runs on a
// square working matrix from SQUARE_MIN_N to SQUARE_MAX_N observations and on scipy's condensed layout otherwise
// (lib/analysis/clustering/_linkage_algorithms.ts). The scipy references (tests/hclust_test.ts, n ≤ 300) exercise
// the condensed path; this test holds the two paths to each other, and hclust's distances written straight into
// the square to pdist's. Tolerance: none — merges, numbering, row order and heights must be bit-identical.
// Randomised: a fixed number of cases from a printed seed.
import assert from "node:assert/strict";
import {
  runLinkage,
  runLinkageSquare,
  SQUARE_MIN_N,
  squareFromCondensed,
} from "../lib/analysis/clustering/_linkage_algorithms.ts";
import { pairwiseSquare } from "../lib/analysis/clustering/_pairwise.ts";
import { pdist } from "../lib/analysis/clustering/pdist.ts";
import { hclust, linkageFromDistances } from "../lib/analysis/clustering/hclust.ts";
import type { LinkageMethod } from "../lib/analysis/clustering/linkage.ts";

const SEED = 20260612;
const CHAIN_METHODS: LinkageMethod[] = ["average", "complete", "weighted", "ward"];

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows with many ties (values on a coarse grid) or without, as the case asks. */
function matrix(r: () => number, n: number, p: number, coarse: boolean): number[][] {
  return Array.from(
    { length: n },
    () => Array.from({ length: p }, () => coarse ? Math.floor(r() * 4) : Math.round(r() * 1e6) / 1e3),
  );
}

const bits = (z: number[][]): string =>
  JSON.stringify(z.map((r) => [r[0], r[1], r[3], Object.is(r[2], -0) ? "-0" : r[2]]));

Deno.test(`square and condensed chains give the same linkage to the bit (seed ${SEED}, 128 cases, ties)`, () => {
  const r = rng(SEED);
  for (let c = 0; c < 128; c++) {
    // Mostly small cases; every 16th has 500–1,500 observations (long chains, many rescans from the minima).
    const n = c % 16 === 15 ? 500 + Math.floor(r() * 1000) : 2 + Math.floor(r() * 150);
    const rows = matrix(r, n, 1 + Math.floor(r() * 6), c % 2 === 0);
    const method = CHAIN_METHODS[c % CHAIN_METHODS.length];
    const d = pdist(rows);
    const condensed = runLinkage(d, n, method, false, "condensed");
    const square = runLinkage(d, n, method, false, "square");
    assert.equal(bits(square), bits(condensed), `case ${c}: n = ${n}, ${method}`);
    assert.equal(bits(runLinkageSquare(squareFromCondensed(d, n), n, method)), bits(condensed), `case ${c}`);
  }
});

Deno.test(`pairwiseSquare holds pdist's distances bit for bit, mirrored, +∞ diagonal (seed ${SEED + 1})`, () => {
  const r = rng(SEED + 1);
  for (const metric of ["euclidean", "cityblock", "cosine", "correlation"] as const) {
    for (const n of [1, 2, 5, 130, 301]) {
      const rows = matrix(r, n, 1 + Math.floor(r() * 14), false).map((row) => row.map((v) => v + 1));
      const d = pdist(rows, metric);
      const S = pairwiseSquare(rows, rows[0].length, metric);
      let k = 0;
      for (let i = 0; i < n; i++) {
        assert.equal(S[i * n + i], Infinity);
        for (let j = i + 1; j < n; j++, k++) {
          assert.ok(Object.is(S[i * n + j], d[k]) && Object.is(S[j * n + i], d[k]), `${metric} n=${n} (${i}, ${j})`);
        }
      }
    }
  }
});

Deno.test(`hclust on rows equals the condensed chain on pdist, square path included (seed ${SEED + 2})`, () => {
  const r = rng(SEED + 2);
  for (let c = 0; c < 40; c++) {
    // Every 8th case is above SQUARE_MIN_N: hclust then writes the distances straight into the square.
    const n = c % 8 === 7 ? SQUARE_MIN_N + Math.floor(r() * 300) : 2 + Math.floor(r() * 200);
    const rows = matrix(r, n, 1 + Math.floor(r() * 5), c % 3 === 0);
    const method = CHAIN_METHODS[c % CHAIN_METHODS.length];
    const metric = method === "ward" ? "euclidean" : (["euclidean", "cityblock"] as const)[c % 2];
    const expected = runLinkage(pdist(rows, metric), n, method, false, "condensed");
    assert.equal(bits(linkageFromDistances(pdist(rows, metric), method)), bits(expected), `case ${c}`);
    assert.equal(bits(hclust(rows, { method, metric }).linkage), bits(expected), `case ${c}: n = ${n}, ${method}`);
  }
});
