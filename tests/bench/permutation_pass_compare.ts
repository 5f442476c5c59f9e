/**
 * The permutation pass of a full-size synthetic tissue (tests/support/cis_tissue.ts: genes 100 kb apart on one
 * chromosome, ~3,000 variants in each ±1 Mb window, 400 samples, 25 covariates, 1,000 permutations), in one run:
 *
 * 1. the comparison: the first `--compare-genes` genes by this library (`cisPermutations`, then
 *    `betaApproxPValue` per gene — `cisPermutationPass` without its Monte-Carlo interval — on one thread)
 *    and by an equal numpy/scipy implementation (permutation_pass_compare.py: the same algorithm, numpy's matrix
 *    products on the installed BLAS, scipy's optimisers), on the same permutations (the same seed); each ratio
 *    printed with its direction;
 * 2. the scaled-down run: `cisPermutationPass` (the public function, Monte-Carlo interval included) on all
 *    `--genes` genes with `--threads` Workers; its rate, and what a whole tissue (25,000 genes) and a whole
 *    release would take at that rate on this machine.
 *
 *   deno run -A tests/bench/permutation_pass_compare.ts
 *   BENCH_SMOKE=1 … (or --smoke): a few seconds
 *
 * Options: `--genes 500 --compare-genes 40 --variants-per-window 3000 --samples 400 --covariates 25
 * --nperm 1000 --threads 2`. Without the peer's Python modules (numpy, scipy) its record says "peer not
 * installed: skipped". Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys
 *
 * @module
 */
import { parseArgs } from "node:util";
import { betaApproxPValue, cisPermutationPass, cisPermutations, type CisScanInput } from "ratgtex/analysis";
import { makeTissue, tissueInput, writeTissue } from "../support/cis_tissue.ts";
import { argsWithoutSmoke, emit, isSmoke, pythonHas, record, skippedRecord } from "./_record.ts";

const smoke = isSmoke();
const args = parseArgs({
  args: argsWithoutSmoke(),
  options: {
    genes: { type: "string", default: smoke ? "8" : "500" },
    "compare-genes": { type: "string", default: smoke ? "4" : "40" },
    "variants-per-window": { type: "string", default: smoke ? "200" : "3000" },
    samples: { type: "string", default: smoke ? "100" : "400" },
    covariates: { type: "string", default: smoke ? "5" : "25" },
    nperm: { type: "string", default: smoke ? "100" : "1000" },
    threads: { type: "string", default: "2" },
    python: { type: "string", default: "/usr/bin/python3" },
  },
});
const window = 1_000_000, seed = 7;
const genes = Number(args.values.genes), compare = Math.min(genes, Number(args.values["compare-genes"]));
const nperm = Number(args.values.nperm), threads = Number(args.values.threads);
const shape = {
  samples: Number(args.values.samples),
  covariates: Number(args.values.covariates),
  genes,
  variantsPerWindow: Number(args.values["variants-per-window"]),
  window,
  geneSpacing: 100_000,
  seed: 2026,
};
// One run is one chromosome (tests/support/cis_tissue.ts): its positions must fit in 32 bits. A whole tissue is
// several runs (permutation_full_tissue.sh: five of 5,000 genes).
const lastPosition = shape.window + 1000 + (genes - 1) * shape.geneSpacing + shape.window;
if (lastPosition > 2 ** 31 - 1) {
  console.error(
    `--genes ${genes}: ${genes} genes ${shape.geneSpacing.toLocaleString("en")} bp apart on one chromosome end at ` +
      `${lastPosition.toLocaleString("en")}, past 32-bit positions; run at most ` +
      `${Math.floor((2 ** 31 - 1 - 2 * shape.window - 1000) / shape.geneSpacing) + 1} genes per run ` +
      "(a whole tissue: tests/bench/permutation_full_tissue.sh)",
  );
  Deno.exit(2);
}
const tissue = makeTissue(shape);
const input = tissueInput(tissue);
const { n, k } = tissue;
const fmt = (x: number) => Math.round(x).toLocaleString("en");

/** The first `count` genes of the tissue (every variant kept: each gene's window is found by the scan). */
function firstGenes(count: number): CisScanInput {
  const ph = input.phenotypes;
  return {
    ...input,
    phenotypes: {
      phenotypeIds: ph.phenotypeIds.slice(0, count),
      chromosomes: ph.chromosomes.slice(0, count),
      positions: Array.from(ph.positions as ArrayLike<number>).slice(0, count),
      values: (ph.values as Float64Array).slice(0, count * n),
    },
  };
}

const path = await Deno.makeTempFile({ prefix: "ratgtex_perm_bench_", suffix: ".bin" });
try {
  writeTissue(path, tissue);
  console.log(
    `tissue: ${genes} genes, ${
      fmt(tissue.positions.length)
    } variants (±1 Mb windows of ~${shape.variantsPerWindow}), ` +
      `${n} samples, ${k} covariates, ${nperm} permutations; load average ${Deno.loadavg().join(" ")}`,
  );

  // 1. The comparison, one thread each side.
  let t = performance.now();
  const kernel = await cisPermutations(firstGenes(compare), { window, permutations: nperm, seed, threads: 1 });
  const oursProducts = (performance.now() - t) / 1000;
  const r2n = kernel.table.getColumn("r2_nominal").toArray() as number[];
  t = performance.now();
  const oursBeta = r2n.map((r2, j) =>
    betaApproxPValue({ r2Perm: kernel.r2Perm.subarray(j * nperm, (j + 1) * nperm), r2Nominal: r2, dof: kernel.dof })
      .pvalBeta
  );
  const oursFits = (performance.now() - t) / 1000;
  const havePeer = await pythonHas("numpy", "scipy");
  const py = !havePeer ? null : await new Deno.Command(args.values.python!, {
    args: [
      new URL("./permutation_pass_compare.py", import.meta.url).pathname,
      path,
      String(compare),
      String(nperm),
      String(seed),
      String(window),
      "1",
    ],
    stderr: "inherit",
  }).output();
  if (py !== null && !py.success) throw new Error("permutation_pass_compare.py failed");
  const peer = py === null
    ? { products_seconds: NaN, fit_seconds: NaN, numpy: "?", scipy: "?", genes: [] }
    : JSON.parse(new TextDecoder().decode(py.stdout));
  const tested = (kernel.table.getColumn("num_var").toArray() as number[]).reduce((a, b) => a + b, 0);
  let worst = 0;
  peer.genes.forEach((g: { pval_beta: number; num_var: number }, j: number) => {
    worst = Math.max(worst, Math.abs(oursBeta[j] - g.pval_beta) / g.pval_beta);
    if (g.num_var !== (kernel.table.getColumn("num_var").get(j) as number)) throw new Error(`gene ${j}: num_var`);
  });
  const oursTotal = oursProducts + oursFits, peerTotal = peer.products_seconds + peer.fit_seconds;
  console.log(
    `\n1. ${compare} genes, ${fmt(tested)} gene-variant pairs × ${nperm} permutations, one thread each side` +
      ` (peer: numpy ${peer.numpy} on the installed BLAS, libblas.so.3; scipy ${peer.scipy})`,
  );
  console.log(
    `  ours   products ${oursProducts.toFixed(2)} s + beta fits ${oursFits.toFixed(2)} s = ${oursTotal.toFixed(2)} s`,
  );
  console.log(
    `  numpy  products ${peer.products_seconds.toFixed(2)} s + beta fits ${peer.fit_seconds.toFixed(2)} s = ` +
      `${peerTotal.toFixed(2)} s`,
  );
  console.log(
    `  ours ÷ numpy, time (lower is better): total ${(oursTotal / peerTotal).toFixed(2)}, products ` +
      `${(oursProducts / peer.products_seconds).toFixed(2)}, beta fits ${(oursFits / peer.fit_seconds).toFixed(2)}`,
  );
  console.log(`  agreement: pval_beta within ${worst.toExponential(1)} relative of numpy's, same num_var`);

  // 2. The scaled-down run of the public function, every gene, `threads` Workers.
  t = performance.now();
  const pass = await cisPermutationPass(input, { window, permutations: nperm, seed, threads });
  const seconds = (performance.now() - t) / 1000;
  const numVar = (pass.table.getColumn("num_var").toArray() as number[]).reduce((a, b) => a + b, 0);
  const pairPerms = numVar * nperm;
  const perPairPerm = seconds / pairPerms;
  console.log(
    `\n2. cisPermutationPass, ${genes} genes, ${threads} threads: ${seconds.toFixed(1)} s; ${fmt(numVar)} pairs, ` +
      `${fmt(numVar / seconds)} pairs/s, ${fmt(pairPerms / seconds)} pair-permutations/s ` +
      `(${((pairPerms * n) / seconds / 1e9).toFixed(2)} G multiply-adds/s in the products)`,
  );
  // Extrapolation at this rate (the work is linear in genes × variants × permutations; samples fixed).
  const tissueSeconds = 25_000 * 3_000 * 1_000 * perPairPerm;
  const h = (s: number) => `${(s / 3600).toFixed(1)} h`;
  console.log(
    `  a whole tissue at this rate (25,000 genes × ~3,000 cis variants × 1,000 permutations, 400 samples): ` +
      `${h(tissueSeconds)}; 13 tissues (expression): ${h(13 * tissueSeconds)}; with RatGTEx's 10,000 ` +
      `permutations: ${h(130 * tissueSeconds)}`,
  );
  const load = Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  const compareCase = `permutation pass (map_cis + beta fit), ${compare} genes × ~${shape.variantsPerWindow} ` +
    `variants × ${n} samples × ${k} covariates × ${nperm} permutations, one thread each side`;
  const base = { case: compareCase, unit: "s", ours: oursTotal, quantity: "time", better: "lower" as const };
  emit([
    havePeer
      ? record({
        ...base,
        peer: peerTotal,
        peerName: `equal numpy ${peer.numpy}/scipy ${peer.scipy} implementation (installed BLAS)`,
        note: `products ${(oursProducts / peer.products_seconds).toFixed(2)}, beta fits ` +
          `${(oursFits / peer.fit_seconds).toFixed(2)} (ours ÷ numpy); pval_beta within ${
            worst.toExponential(1)
          }; load ${load}`,
      })
      : skippedRecord({ ...base, peerName: "numpy/scipy", why: "apt-get install python3-numpy python3-scipy" }),
    record({
      case: `cisPermutationPass, ${genes} genes × ~${shape.variantsPerWindow} variants × ${n} samples × ` +
        `${nperm} permutations, ${threads} threads`,
      unit: "pair-permutations/s",
      ours: pairPerms / seconds,
      quantity: "rate",
      better: "higher",
      note: `${seconds.toFixed(1)} s; a 25,000-gene tissue at this rate ≈ ${h(tissueSeconds)}, 13 tissues ≈ ` +
        `${h(13 * tissueSeconds)}; load ${load}`,
    }),
  ]);
} finally {
  await Deno.remove(path).catch(() => {});
}
