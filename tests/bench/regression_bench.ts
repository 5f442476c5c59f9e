/**
 * `deno bench` for one gene–tissue–variant regression (411 samples, the size of Adipose/Liver) on each
 * transform, the distribution functions it calls, and the batch path for comparison.
 *
 *   deno bench --allow-read --allow-env --allow-ffi --allow-sys tests/bench/regression_bench.ts
 *
 * @module
 */
import { regressEqtl, regressMany } from "ratgtex/analysis";
import { normalQuantile, studentTTwoSidedPValue } from "ratgtex/analysis";

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

for (const transform of ["none", "log2", "int"] as const) {
  Deno.bench(
    `regressEqtl one pair, ${n} samples, ${transform}`,
    { group: "single", baseline: transform === "none" },
    () => {
      regressEqtl(input, { transform });
    },
  );
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
Deno.bench(`regressMany ${pairs} pairs × ${n} samples, none`, { group: "batch" }, () => {
  regressMany({ expression, dosages, nPairs: pairs, nSamples: n }, { transform: "none" });
});

Deno.bench("studentTTwoSidedPValue(3.1, 409)", { group: "distributions" }, () => {
  studentTTwoSidedPValue(3.1, 409);
});
Deno.bench("studentTTwoSidedPValue(40, 500) (far tail)", { group: "distributions" }, () => {
  studentTTwoSidedPValue(40, 500);
});
Deno.bench("normalQuantile(0.3) / (1e-300)", { group: "distributions" }, () => {
  normalQuantile(0.3);
  normalQuantile(1e-300);
});
