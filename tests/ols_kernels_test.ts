/**
 * The batch OLS kernels (lib/analysis/regression/_ols.ts): the one-pass shifted moments, their two-pass fallback and the
 * fast log2(1 + v), each against the two-pass single-pair fit and Math.log2.
 *
 * Imports internal modules by design (it tests them directly, below the entry points):
 * `lib/analysis/regression/_ols.ts`.
 */
import assert from "node:assert/strict";
import { regressMany } from "ratgtex/analysis";
import { fitOls, log2OnePlus, newSlots } from "../lib/analysis/regression/_ols.ts";

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

Deno.test("regressMany's one pass and its fallback agree with the two-pass fit of each pair", () => {
  const nSamples = 60;
  // Pair 0: an ordinary pair; pair 1: the first value far in a tail (the shifted sums would cancel).
  const make = (p: number, s: number) => (p === 1 && s === 0 ? 1e7 : 3 + Math.sin(7 * s + p) + (s % 3) * 0.4);
  const nPairs = 2;
  const expression = new Float64Array(nPairs * nSamples);
  const dosages = new Int8Array(nPairs * nSamples);
  for (let p = 0; p < nPairs; p++) {
    for (let s = 0; s < nSamples; s++) {
      expression[p * nSamples + s] = make(p, s);
      dosages[p * nSamples + s] = s % 11 === 5 ? -1 : (s * 7 + p) % 3;
    }
  }
  const fit = regressMany({ expression, dosages, nPairs, nSamples }, { transform: "none" });
  for (let p = 0; p < nPairs; p++) {
    const x: number[] = [];
    const y: number[] = [];
    for (let s = 0; s < nSamples; s++) {
      const g = dosages[p * nSamples + s];
      if (g === -1) continue;
      x.push(g);
      y.push(expression[p * nSamples + s]);
    }
    const slots = newSlots();
    fitOls(Float64Array.from(x), Float64Array.from(y), x.length, 3, slots);
    assert.ok(rel(fit.nes[p], slots.nes) < 1e-12, `pair ${p} nes ${fit.nes[p]} vs ${slots.nes}`);
    assert.ok(rel(fit.error[p], slots.error) < 1e-12, `pair ${p} error`);
    assert.ok(rel(fit.pValue[p], slots.pValue) < 1e-10, `pair ${p} pValue`);
  }
});

Deno.test("log2OnePlus is within 2 ulp of Math.log2(1 + v), exact at 0 and at powers of two minus one", () => {
  assert.equal(log2OnePlus(0), 0);
  for (let k = 1; k < 60; k++) assert.equal(log2OnePlus(2 ** k - 1), k);
  let s = 12345;
  for (let i = 0; i < 200_000; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const v = Math.exp((s / 4294967296) * 46 - 16); // 1e-7 … 1e13
    const want = Math.log2(1 + v);
    assert.ok(Math.abs(log2OnePlus(v) - want) <= 2 * Number.EPSILON * want, `v = ${v}`);
  }
});
