/**
 * SuSiE time per fit, this library's `susie` against susieR's `susie` (Debian's r-cran-susier 0.12.35),
 * on the same cis window in one run: 3,000 variants × 400 rats, L = 10, two causal variants. The
 * genotypes are made here from a printed seed (haplotypes as a Markov chain along the window, so LD
 * decays with distance as in heterogeneous-stock rats), written once to a temp folder that both read.
 *
 *   npx -y deno@2.9.6 run -A tests/bench/susie_compare.ts            # 3,000 × 400, 5 fits each
 *   BENCH_SMOKE=1 npx -y deno@2.9.6 run -A tests/bench/susie_compare.ts   # 300 × 100, a few seconds
 *
 * Options: `--variants 3000 --samples 400 --runs 5 --seed 25`. Times are medians: susieR's over `runs`
 * fits in one R process, ours over `runs` fits before it and `runs` after it (the machine is shared), after
 * warm-up fits (three of ours, one of susieR's). Times exclude reading the data. Without R's susieR
 * (r-cran-susier) only ours is timed and its record says "peer not installed: skipped". Prints its report, then
 * its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys
 *
 * @module
 */
import { parseArgs } from "node:util";
import { susie } from "../../lib/analysis/mod.ts";
import { emit, record, runs as commandRuns, skippedRecord } from "./_record.ts";

const smoke = Deno.env.get("BENCH_SMOKE") === "1" || Deno.args.includes("--smoke");
const args = parseArgs({
  args: Deno.args.filter((a) => a !== "--smoke"),
  options: {
    variants: { type: "string", default: smoke ? "300" : "3000" },
    samples: { type: "string", default: smoke ? "100" : "400" },
    runs: { type: "string", default: smoke ? "2" : "5" },
    seed: { type: "string", default: "25" },
  },
});
const p = Number(args.values.variants), n = Number(args.values.samples), runs = Number(args.values.runs);
const seed = Number(args.values.seed);

/** mulberry32: a small seeded generator, so the locus is the same on every machine. */
function rng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(seed);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

// Genotypes: each haplotype keeps its allele with probability 0.98 from one variant to the next.
const freq = Float64Array.from({ length: p }, () => 0.05 + 0.45 * rand());
const X = new Float64Array(n * p);
for (let i = 0; i < n; i++) {
  for (let h = 0; h < 2; h++) {
    let allele = rand() < freq[0] ? 1 : 0;
    for (let j = 0; j < p; j++) {
      if (j > 0 && rand() >= 0.98) allele = rand() < freq[j] ? 1 : 0;
      X[j * n + i] += allele;
    }
  }
}
const causal = [Math.floor(p * 0.3), Math.floor(p * 0.7)];
const y = new Float64Array(n);
for (let i = 0; i < n; i++) y[i] = 0.5 * X[causal[0] * n + i] - 0.4 * X[causal[1] * n + i] + gauss();

const dir = await Deno.makeTempDir({ prefix: "ratgtex_susie_bench_" });
try {
  await Deno.writeFile(`${dir}/X.bin`, new Uint8Array(X.buffer));
  await Deno.writeFile(`${dir}/y.bin`, new Uint8Array(y.buffer));
  const matrix = { values: X, rows: n, columns: p };

  // Ours: three warm-up fits (V8 compiles the kernels on the way), then `runs` timed fits before susieR's run and `runs` after it (the machine is
  // shared: this keeps a change of load from falling on one side only).
  let fit = susie(matrix, y, { L: 10 });
  for (let k = 0; k < 2; k++) fit = susie(matrix, y, { L: 10 });
  const ours: number[] = [];
  const timeOurs = () => {
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      fit = susie(matrix, y, { L: 10 });
      ours.push((performance.now() - t0) / 1000);
    }
  };
  const loadBefore = Deno.loadavg()[0];
  timeOurs();
  const base = {
    case: `SuSiE fit, L = 10, ${p.toLocaleString("en-US")} variants × ${n} samples`,
    unit: "ms per fit",
    peerName: "susieR susie (r-cran-susier)",
    quantity: "time (median of fits)",
    better: "lower" as const,
    goal: 0.25,
  };
  if (!(await commandRuns("Rscript", ["-e", "library(susieR)"]))) {
    const sorted = [...ours].sort((a, b) => a - b);
    console.log(`ours: median ${(sorted[sorted.length >> 1] * 1000).toFixed(1)} ms per fit; susieR: not installed`);
    emit([
      skippedRecord({ ...base, ours: sorted[sorted.length >> 1] * 1000, why: "apt-get install r-cran-susier" }),
    ]);
    Deno.exit(0);
  }
  // susieR on the same files.
  const script = new URL("./susie_compare.R", import.meta.url).pathname;
  const out = await new Deno.Command("Rscript", {
    args: [script, dir, String(n), String(p), String(runs)],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("Rscript tests/bench/susie_compare.R failed (is r-cran-susier installed?)");
  const R = JSON.parse(new TextDecoder().decode(out.stdout));
  timeOurs();
  const median = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b), h = s.length >> 1;
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  };
  const tOurs = median(ours), tR = median(R.seconds);

  let pipDiff = 0;
  for (let j = 0; j < p; j++) pipDiff = Math.max(pipDiff, Math.abs(fit.pip[j] - R.pip[j]));
  const oursSets = JSON.stringify(fit.sets.map((s) => s.variants.map((j) => j + 1)).sort());
  const rSets = JSON.stringify((R.sets as number[][]).map((s) => [...s]).sort());
  const [l1, l5, l15] = Deno.loadavg();
  console.log(`SuSiE, L = 10: ${p} variants × ${n} samples, causal ${causal.map((c) => c + 1)}, seed ${seed}`);
  console.log(
    `machine: ${navigator.hardwareConcurrency} cores, load average ${loadBefore.toFixed(2)} before, ` +
      `${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)} (1, 5, 15 min) after`,
  );
  console.log(`ours:   median ${(tOurs * 1000).toFixed(1)} ms per fit over ${2 * runs} (${fit.niter} iterations)`);
  console.log(`susieR: median ${(tR * 1000).toFixed(1)} ms per fit over ${runs} (${R.niter} iterations, ${R.susieR})`);
  console.log(`ours ÷ susieR, time per fit: ${(tOurs / tR).toFixed(3)} (lower is better; goal ≤ 0.25)`);
  console.log(
    `agreement: max |PIP − susieR's| = ${pipDiff.toExponential(2)}; same credible sets: ${oursSets === rSets}`,
  );
  emit([
    record({
      ...base,
      ours: tOurs * 1000,
      peer: tR * 1000,
      note: `max |PIP − susieR's| ${pipDiff.toExponential(2)}; same credible sets: ${oursSets === rSets}; ` +
        `${fit.niter} vs ${R.niter} iterations`,
    }),
  ]);
} finally {
  await Deno.remove(dir, { recursive: true });
}
