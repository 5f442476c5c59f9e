/**
 * One gene–tissue–variant regression (411 samples, the size of Adipose/Liver) on each transform, the
 * distribution functions it calls, and the batch path for comparison: median wall time of repeated calls
 * (`--smoke`: fewer). No peer: absolute figures (regression_compare.ts has the peers).
 *
 *   deno run --allow-read --allow-env --allow-ffi --allow-sys tests/bench/regression_bench.ts [--smoke]
 *
 * Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-env --allow-ffi --allow-sys
 *
 * @module
 */
import { regressEqtl, regressMany } from "ratgtex/analysis";
import { normalQuantile, studentTTwoSidedPValue } from "ratgtex/analysis";
import { emit, isSmoke, medianMs, record } from "./_record.ts";

const smoke = isSmoke();

// Deterministic synthetic pair (xorshift), shaped like a dyneqtl answer: TPM with 6 significant digits.
let state = 20260511;
function random(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
}
const n = 411;
const genotypes: (number | null)[] = [];
const data: number[] = [];
for (let i = 0; i < n; i++) {
  const g = random() < 0.02 ? null : Math.floor(random() * 3);
  genotypes.push(g);
  const noise = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  data.push(Number((20 * Math.exp(0.3 * (g ?? 0) + 0.6 * noise)).toPrecision(6)));
}
const input = { data, genotypes, geneId: "Synthetic1", tissueSiteDetailId: "Adipose", variantId: "chr1:1000" };

const cases: [string, string, number, () => unknown][] = [];
for (const transform of ["none", "log2", "int"] as const) {
  cases.push([`regressEqtl one pair, ${n} samples, ${transform}`, "µs", 1000, () => regressEqtl(input, { transform })]);
}

const pairs = 1000;
const expression = new Float64Array(pairs * n);
const dosages = new Int8Array(pairs * n);
for (let p = 0; p < pairs; p++) {
  for (let s = 0; s < n; s++) {
    expression[p * n + s] = data[(s + p) % n];
    dosages[p * n + s] = genotypes[s] ?? -1;
  }
}
cases.push([
  `regressMany ${pairs} pairs × ${n} samples, none`,
  "ms",
  1,
  () => regressMany({ expression, dosages, nPairs: pairs, nSamples: n }, { transform: "none" }),
]);
cases.push(["studentTTwoSidedPValue(3.1, 409)", "µs", 1000, () => studentTTwoSidedPValue(3.1, 409)]);
cases.push(["studentTTwoSidedPValue(40, 500) (far tail)", "µs", 1000, () => studentTTwoSidedPValue(40, 500)]);
cases.push(["normalQuantile(0.3) + normalQuantile(1e-300)", "µs", 1000, () => {
  normalQuantile(0.3);
  normalQuantile(1e-300);
}]);

const records = [];
for (const [label, unit, scale, fn] of cases) {
  // Time batches of calls so one timing is well above the clock's resolution.
  const batch = unit === "ms" ? 1 : smoke ? 20 : 200;
  const ms = await medianMs(
    () => {
      for (let i = 0; i < batch; i++) fn();
    },
    smoke ? 3 : 30,
    smoke ? 1 : 5,
  );
  const value = (ms / batch) * scale;
  console.log(`${label.padEnd(48)} ${value.toFixed(2).padStart(9)} ${unit}`);
  records.push(record({ case: label, unit, ours: value, quantity: "wall time per call", better: "lower" }));
}
emit(records);
