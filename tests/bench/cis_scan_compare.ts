/**
 * The cis scan against tensorQTL itself, in one run on one synthetic tissue (tests/support/cis_tissue.ts:
 * genes spaced 100 kb apart on one chromosome, ~3,000 variants in each ±1 Mb window, 400 samples, 25
 * covariates by default): this library's `cisNominal` and `cisPermutations` (1,000 permutations) against
 * tensorQTL's `map_nominal` and `map_cis` (beta_approx=False: the permutation pass alone) on Debian's
 * python3-torch CPU, the same thread count, the same seed (so the same permutations). Rates are pairs
 * per second (nominal) and pair-permutations per second (permutations); each ratio is printed with its
 * direction. Then the floors: the products' multiply-adds at this machine's measured peak of the kernel,
 * and the bytes the scan must move at its measured memory bandwidth.
 *
 *   TENSORQTL=/path/to/tensorqtl-checkout deno run -A tests/bench/cis_scan_compare.ts
 *   BENCH_SMOKE=1 … (or --smoke): a few seconds
 *
 * Options: `--genes 200 --variants-per-window 3000 --samples 400 --covariates 25 --nperm 1000
 * --threads 2` (`--nperm 0`: the nominal pass alone). TENSORQTL is the folder holding the `tensorqtl` package of a checkout of
 * broadinstitute/tensorqtl (nothing of it is in this project; see cis_scan_compare.py for the two shims).
 * Without TENSORQTL (or python3-torch) only ours is timed and its records say "peer not installed: skipped".
 * Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cisNominal, cisPermutations } from "ratgtex/analysis";
import { MatrixArena } from "../../lib/analysis/regression/_matmul.ts";
import { makeTissue, tissueInput, writeTissue } from "../support/cis_tissue.ts";
import { emit, pythonHas, record, skippedRecord } from "./_record.ts";

const smoke = Deno.env.get("BENCH_SMOKE") === "1" || Deno.args.includes("--smoke");
const args = parseArgs({
  args: Deno.args.filter((a) => a !== "--smoke"),
  options: {
    genes: { type: "string", default: smoke ? "6" : "200" },
    "variants-per-window": { type: "string", default: smoke ? "300" : "3000" },
    samples: { type: "string", default: smoke ? "100" : "400" },
    covariates: { type: "string", default: smoke ? "5" : "25" },
    nperm: { type: "string", default: smoke ? "100" : "1000" },
    threads: { type: "string", default: "2" },
    python: { type: "string", default: "/usr/bin/python3" },
  },
});
const checkout = Deno.env.get("TENSORQTL");
// The peer's BLAS: Debian's torch and numpy call libblas.so.3, the reference BLAS unless an optimised one
// is installed (or put first on LD_LIBRARY_PATH, which the peer inherits).
const blas = Deno.env.get("LD_LIBRARY_PATH")?.includes("openblas")
  ? "OpenBLAS (LD_LIBRARY_PATH)"
  : "libblas.so.3 as installed";
const peerMissing = !checkout
  ? "set TENSORQTL to a checkout of broadinstitute/tensorqtl (the folder holding tensorqtl/)"
  : !(await pythonHas("torch", "numpy", "scipy", "pandas"))
  ? "needs /usr/bin/python3 with torch, numpy, scipy, pandas (python3-torch)"
  : null;
const window = 1_000_000;
const threads = Number(args.values.threads);
const nperm = Number(args.values.nperm);
const seed = 7;
const shape = {
  samples: Number(args.values.samples),
  covariates: Number(args.values.covariates),
  genes: Number(args.values.genes),
  variantsPerWindow: Number(args.values["variants-per-window"]),
  window,
  geneSpacing: 100_000,
  seed: 2024,
};
const tissue = makeTissue(shape);
const input = tissueInput(tissue);
const { n, k } = tissue;
const path = await Deno.makeTempFile({ prefix: "ratgtex_cis_bench_", suffix: ".bin" });
const fmt = (x: number) => Math.round(x).toLocaleString("en");

try {
  writeTissue(path, tissue);
  console.log(
    `tissue: ${shape.genes} genes, ${tissue.positions.length} variants (±1 Mb windows of ~${shape.variantsPerWindow}), ` +
      `${n} samples, ${k} covariates; ${threads} threads each side; load average ${Deno.loadavg().join(" ")}`,
  );

  let t = performance.now();
  const nominal = await cisNominal(input, { window, threads });
  const nominalSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  // --nperm 0: the nominal pass only.
  const perm = nperm > 0 ? await cisPermutations(input, { window, threads, permutations: nperm, seed }) : null;
  const permSeconds = (performance.now() - t) / 1000;
  const pairs = nominal.height;
  const tested = perm === null ? 0 : (perm.table.getColumn("num_var").toArray() as number[]).reduce((a, b) => a + b, 0);
  const size = `${shape.genes} genes × ~${shape.variantsPerWindow} variants × ${n} samples × ${k} covariates, ` +
    `${threads} threads`;
  const nominalBase = {
    case: `cis nominal scan (cisNominal vs map_nominal), ${size}`,
    unit: "pairs/s",
    ours: pairs / nominalSeconds,
    peerName: "tensorQTL map_nominal (torch CPU)",
    quantity: "rate",
    better: "higher" as const,
    goal: 1.0,
  };
  const permBase = {
    case: `cis permutation pass, ${nperm} permutations (cisPermutations vs map_cis), ${size}`,
    unit: "pair-permutations/s",
    ours: (tested * nperm) / permSeconds,
    peerName: "tensorQTL map_cis, beta_approx=False (torch CPU)",
    quantity: "rate",
    better: "higher" as const,
    goal: 1.0,
  };
  if (peerMissing) {
    console.log(`ours: ${fmt(nominalBase.ours)} pairs/s nominal; tensorQTL: ${peerMissing}`);
    emit([
      skippedRecord({ ...nominalBase, why: peerMissing }),
      ...(perm === null ? [] : [skippedRecord({ ...permBase, why: peerMissing })]),
    ]);
    Deno.exit(0);
  }

  const py = await new Deno.Command(args.values.python!, {
    args: [
      new URL("./cis_scan_compare.py", import.meta.url).pathname,
      path,
      String(threads),
      String(nperm),
      String(seed),
      String(window),
    ],
    env: { TENSORQTL: checkout! },
    stderr: "null",
  }).output();
  if (!py.success) throw new Error("cis_scan_compare.py failed (run it by hand to see why)");
  const tq = JSON.parse(new TextDecoder().decode(py.stdout));

  // Agreement (a sanity line; the test holds the tolerances).
  const p = nominal.getColumn("pval_nominal").toArray() as number[];
  let lnP = 0;
  for (let i = 0; i < p.length; i++) {
    lnP = Math.max(lnP, Math.abs(Math.log(p[i]) - Math.log(tq.nominal.pval[i])) / Math.max(1, -Math.log(p[i])));
  }
  const top = perm === null ? [] : perm.table.getColumn("variant_id").toArray() as string[];
  const sameTop = top.filter((v, j) => v === tq.permutations.variant_id[j]).length;
  let r2 = 0;
  if (perm !== null) {
    tq.permutations.r2_perm.forEach((row: number[], j: number) =>
      row.forEach((x, i) => r2 = Math.max(r2, Math.abs(perm.r2Perm[j * nperm + i] - x) / x))
    );
  }

  // Floors: the kernel's peak on a large product, and memory bandwidth (a 256 MB copy, read + write).
  const arena = new MatrixArena();
  const a = arena.alloc(1024, 400, 2);
  const b = arena.alloc(1024, 400, 4);
  const c = arena.alloc(1024, 1024, 1);
  arena.view.fill(0.5, a.offset, c.offset);
  arena.gemmNT(a, b, c);
  t = performance.now();
  for (let r = 0; r < 3; r++) arena.gemmNT(a, b, c);
  const peak = (3 * 1024 * 1024 * 400) / ((performance.now() - t) / 1000);
  const from = new Float64Array(32 * 1024 * 1024).fill(1);
  const to = new Float64Array(from.length);
  to.set(from); // memcpy
  t = performance.now();
  to.set(from);
  const bandwidth = (2 * from.length * 8) / ((performance.now() - t) / 1000); // read + write

  // What the scan must do: nominal — every variant projected on the k covariates and every pair's
  // cross product (n multiply-adds each); permutations — every tested variant × (N + 1) phenotypes.
  const variants = tissue.positions.length;
  const nominalFma = variants * n * k + pairs * n;
  const permFma = tested * n * (nperm + 1);
  const nominalBytes = variants * n + pairs * (8 * 4 + 4 * 3 + 1) + shape.genes * n * 8; // dosages in, columns out
  const permBytes = shape.genes * (nperm + 1) * n * 8 * 2; // each gene's permuted phenotypes, written and read

  const nominalRate = pairs / nominalSeconds;
  const tqNominalRate = pairs / tq.nominal_seconds;
  const permRate = (tested * nperm) / permSeconds;
  const tqPermRate = (tested * nperm) / tq.permutation_seconds;
  console.log(
    `tensorQTL: torch ${tq.torch}, numpy ${tq.numpy}, torch threads ${tq.threads}, BLAS ${blas}`,
  );
  console.log(`nominal: ${fmt(pairs)} pairs`);
  console.log(`  ours cisNominal          ${nominalSeconds.toFixed(2)} s  ${fmt(nominalRate)} pairs/s`);
  console.log(`  tensorQTL map_nominal    ${tq.nominal_seconds.toFixed(2)} s  ${fmt(tqNominalRate)} pairs/s`);
  console.log(`  ours ÷ tensorQTL, rate (higher is better): ${(nominalRate / tqNominalRate).toFixed(2)}`);
  if (perm !== null) {
    console.log(`permutations: ${nperm} × ${fmt(tested)} tested pairs`);
    console.log(`  ours cisPermutations     ${permSeconds.toFixed(2)} s  ${fmt(permRate)} pair-permutations/s`);
    console.log(
      `  tensorQTL map_cis        ${tq.permutation_seconds.toFixed(2)} s  ${fmt(tqPermRate)} pair-permutations/s`,
    );
    console.log(`  ours ÷ tensorQTL, rate (higher is better): ${(permRate / tqPermRate).toFixed(2)}`);
  }
  console.log(
    `agreement: ln p rel ≤ ${lnP.toExponential(1)}, same top variant ${sameTop}/${top.length}, ` +
      `r2_perm rel ≤ ${r2.toExponential(1)}`,
  );
  console.log(
    `floors on this machine: kernel peak ${(peak / 1e9).toFixed(2)} GFMA/s on one thread, ` +
      `memory ${(bandwidth / 1e9).toFixed(1)} GB/s (one thread copying, read + write)`,
  );
  const floor = (fma: number, bytes: number, seconds: number) => {
    const flop = fma / (peak * threads);
    const mem = bytes / bandwidth;
    return `flop floor ${flop.toFixed(3)} s, memory floor ${mem.toFixed(3)} s; ours ÷ floor, time (lower is better, ` +
      `1 = at the floor): ${(seconds / Math.max(flop, mem)).toFixed(1)}`;
  };
  console.log(`  nominal: ${(nominalFma / 1e9).toFixed(2)} GFMA; ${floor(nominalFma, nominalBytes, nominalSeconds)}`);
  if (perm !== null) {
    console.log(`  permutations: ${(permFma / 1e9).toFixed(1)} GFMA; ${floor(permFma, permBytes, permSeconds)}`);
  }
  const agreement = `ln p rel ≤ ${lnP.toExponential(1)}, same top variant ${sameTop}/${top.length}`;
  emit([
    record({
      ...nominalBase,
      peer: tqNominalRate,
      note: `${floor(nominalFma, nominalBytes, nominalSeconds)}; ${agreement}; BLAS ${blas}`,
    }),
    ...(perm === null ? [] : [
      record({
        ...permBase,
        peer: tqPermRate,
        note: `${floor(permFma, permBytes, permSeconds)}; r2_perm rel ≤ ${r2.toExponential(1)}`,
      }),
    ]),
  ]);
} finally {
  await Deno.remove(path).catch(() => {});
}
