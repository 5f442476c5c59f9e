/**
 * colocAbf over many genes vs the coloc R package's `coloc.abf` on the same data, in one run: 200 genes ×
 * 3,000 variants (synthetic, seeded: independent variants, MAF 0.05–0.5, one causal variant per gene shared
 * by both traits in half of the genes; quantitative traits with sdY = 1, beta + varbeta, N = 400 and 2,000).
 * Each side is timed inside its own process, after a warm-up, excluding start-up and data reading; the best
 * of `--runs` is reported. coloc.abf prints its summary on every call: R's output goes to a sink while timed,
 * which is how a script silences it.
 *
 * Run (coloc installed outside the repo as tests/reference/coloc/make_reference.R says):
 *
 *   COLOC_R_LIB=/work/rlib deno run --allow-read --allow-write --allow-run --allow-env --allow-sys tests/bench/coloc_bench.ts
 *
 * Options: `--genes 200 --variants 3000 --runs 3`; `--smoke` or BENCH_SMOKE=1 runs 10 genes × 500 variants.
 * Without COLOC_R_LIB (or R), only this library is timed and its record says "peer not installed: skipped".
 * Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-sys
 *
 * @module
 */
import { parseArgs } from "node:util";
import { colocAbf, type ColocDataset } from "../../lib/analysis/genetics/coloc.ts";
import { emit, record, skippedRecord } from "./_record.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    genes: { type: "string" },
    variants: { type: "string" },
    runs: { type: "string", default: "3" },
    smoke: { type: "boolean", default: false },
  },
});
const smoke = args.values.smoke || Deno.env.get("BENCH_SMOKE") === "1";
const nGenes = Number(args.values.genes ?? (smoke ? 10 : 200));
const nVariants = Number(args.values.variants ?? (smoke ? 500 : 3000));
const runs = Number(args.values.runs);
const rLib = Deno.env.get("COLOC_R_LIB");

/** mulberry32: a small seeded generator, so both sides see the same numbers. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = 20240524;
const rand = rng(SEED);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

// Layout: for each gene, five blocks of nVariants: beta1, varbeta1, beta2, varbeta2, MAF.
const N1 = 2000, N2 = 400;
const data = new Float64Array(nGenes * 5 * nVariants);
for (let g = 0; g < nGenes; g++) {
  const o = g * 5 * nVariants;
  const causal = Math.floor(rand() * nVariants);
  const shared = g % 2 === 0;
  const other = (causal + Math.floor(nVariants / 2)) % nVariants;
  for (let v = 0; v < nVariants; v++) {
    const maf = 0.05 + 0.45 * rand();
    const vb1 = 1 / (2 * N1 * maf * (1 - maf)), vb2 = 1 / (2 * N2 * maf * (1 - maf));
    const effect1 = v === causal ? 0.25 : 0;
    const effect2 = v === (shared ? causal : other) ? 0.5 : 0;
    data[o + v] = effect1 + Math.sqrt(vb1) * normal();
    data[o + nVariants + v] = vb1;
    data[o + 2 * nVariants + v] = effect2 + Math.sqrt(vb2) * normal();
    data[o + 3 * nVariants + v] = vb2;
    data[o + 4 * nVariants + v] = maf;
  }
}
const snp = Array.from({ length: nVariants }, (_, v) => `chr1:${1000 + 100 * v}`);

function runOurs(): { ms: number; ppH4: Float64Array } {
  const ppH4 = new Float64Array(nGenes);
  const t0 = performance.now();
  for (let g = 0; g < nGenes; g++) {
    const o = g * 5 * nVariants;
    const block = (k: number) => data.subarray(o + k * nVariants, o + (k + 1) * nVariants);
    const d1: ColocDataset = { type: "quant", snp, beta: block(0), varbeta: block(1), MAF: block(4), N: N1, sdY: 1 };
    const d2: ColocDataset = { type: "quant", snp, beta: block(2), varbeta: block(3), MAF: block(4), N: N2, sdY: 1 };
    ppH4[g] = colocAbf(d1, d2).ppH4;
  }
  return { ms: performance.now() - t0, ppH4 };
}

const R_SCRIPT = `
args <- commandArgs(trailingOnly = TRUE)
.libPaths(c(args[1], .libPaths()))
suppressPackageStartupMessages(library(coloc))
path <- args[2]; nGenes <- as.integer(args[3]); nVariants <- as.integer(args[4]); runs <- as.integer(args[5])
x <- readBin(path, "double", n = nGenes * 5 * nVariants)
snp <- sprintf("chr1:%d", 1000L + 100L * (seq_len(nVariants) - 1L))
one <- function(g) {
  o <- (g - 1) * 5 * nVariants
  b <- function(k) x[o + k * nVariants + seq_len(nVariants)]
  d1 <- list(type = "quant", snp = snp, beta = b(0), varbeta = b(1), MAF = b(4), N = ${N1}, sdY = 1)
  d2 <- list(type = "quant", snp = snp, beta = b(2), varbeta = b(3), MAF = b(4), N = ${N2}, sdY = 1)
  coloc.abf(d1, d2)$summary[["PP.H4.abf"]]
}
sink("/dev/null")
invisible(one(1)) # warm-up
best <- Inf
for (r in seq_len(runs)) {
  t0 <- proc.time()[["elapsed"]]
  pp <- vapply(seq_len(nGenes), one, numeric(1))
  best <- min(best, proc.time()[["elapsed"]] - t0)
}
sink()
cat(best * 1000, "\\n")
cat(sprintf("%.17g", pp), sep = "\\n")
`;

async function runR(): Promise<{ ms: number; ppH4: number[] } | string> {
  if (!rLib) return "COLOC_R_LIB is not set";
  const dir = await Deno.makeTempDir({ prefix: "ratgtex_coloc_bench_" });
  try {
    const path = `${dir}/data.bin`, script = `${dir}/bench.R`;
    await Deno.writeFile(path, new Uint8Array(data.buffer));
    await Deno.writeTextFile(script, R_SCRIPT);
    const out = await new Deno.Command("Rscript", {
      args: [script, rLib, path, String(nGenes), String(nVariants), String(runs)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) return `Rscript failed: ${new TextDecoder().decode(out.stderr).slice(0, 300)}`;
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n").map(Number);
    return { ms: lines[0], ppH4: lines.slice(1) };
  } catch (e) {
    return `R could not run: ${e instanceof Error ? e.message : e}`;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

console.log(
  `coloc.abf: ${nGenes} genes × ${nVariants} variants, beta + varbeta, quant, sdY = 1 (seed ${SEED})` +
    `${smoke ? " [smoke]" : ""}; machine load (1/5/15 min): ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}` +
    ` on ${navigator.hardwareConcurrency} cores`,
);
runOurs(); // warm-up (JIT)
let ours = runOurs();
for (let r = 1; r < runs; r++) {
  const again = runOurs();
  if (again.ms < ours.ms) ours = again;
}
console.log(
  `ours (colocAbf):     ${ours.ms.toFixed(1).padStart(8)} ms total, ${(ours.ms / nGenes).toFixed(3)} ms per gene`,
);
const theirs = await runR();
console.log(`load after: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
const base = {
  case: `colocAbf, ${nGenes} genes × ${nVariants} variants (beta + varbeta)`,
  unit: "ms",
  ours: ours.ms,
  peerName: "coloc R package coloc.abf",
  quantity: "time (best of runs)",
  better: "lower" as const,
};
if (typeof theirs === "string") {
  console.log(`coloc R:             not timed (${theirs})`);
  emit([skippedRecord({ ...base, why: `${theirs}; tests/reference/coloc/make_reference.R installs coloc` })]);
} else {
  console.log(
    `coloc R (coloc.abf): ${theirs.ms.toFixed(1).padStart(8)} ms total, ${(theirs.ms / nGenes).toFixed(3)} ms per gene`,
  );
  console.log(`ratio ours ÷ coloc R, time: lower is better = ${(ours.ms / theirs.ms).toFixed(4)}`);
  let worst = 0;
  for (let g = 0; g < nGenes; g++) worst = Math.max(worst, Math.abs(ours.ppH4[g] - theirs.ppH4[g]));
  console.log(`largest |PP.H4 ours − coloc R| over the genes: ${worst.toExponential(2)}`);
  emit([record({ ...base, peer: theirs.ms, note: `largest |PP.H4 ours − coloc R| ${worst.toExponential(2)}` })]);
}
