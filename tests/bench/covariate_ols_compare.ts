/**
 * Pairs per second of the covariate-adjusted eQTL regression (tensorQTL map_nominal, 25 covariates by
 * default): this library's `regressMany` (pair-major batch) and `pipelineEqtlStatistics` (one row per
 * gene, dosages per variant) against numpy doing the same computation vectorised as tensorQTL does on
 * a CPU (QR once, residualise by matrix products, vectorised statistics), on the same seeded data
 * written once to a temp file that both read. One run; the figure is the ratio of RATES, ours ÷ numpy's
 * (higher is better; the goal is ≥ 2), printed with its direction.
 *
 * Run (needs /usr/bin/python3 with numpy and scipy; numpy here is linked to Debian's reference BLAS,
 * libblas3, as torch is):
 *
 *   npx -y deno@2.9.6 run -A tests/bench/covariate_ols_compare.ts
 *
 * Options: `--genes 1000 --variants-per-gene 20 --samples 400 --covariates 25 --runs 3`; `BENCH_SMOKE=1` (or
 * `--smoke`) runs 50 genes, one run, in a few seconds. Timings exclude
 * file reading and, for the library, the conversion into its input layout; best of `runs` for each.
 * Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys
 *
 * @module
 */
import { parseArgs } from "node:util";
import { pipelineEqtlStatistics, regressMany } from "ratgtex/analysis";
import { MatrixArena } from "../../lib/analysis/regression/_matmul.ts";
import { emit, pythonHas, record, skippedRecord } from "./_record.ts";

const smoke = Deno.env.get("BENCH_SMOKE") === "1" || Deno.args.includes("--smoke");
const args = parseArgs({
  args: Deno.args.filter((a) => a !== "--smoke"),
  options: {
    genes: { type: "string", default: smoke ? "50" : "1000" },
    "variants-per-gene": { type: "string", default: "20" },
    samples: { type: "string", default: "400" },
    covariates: { type: "string", default: "25" },
    runs: { type: "string", default: smoke ? "1" : "3" },
    python: { type: "string", default: "/usr/bin/python3" },
  },
});
if (!(await pythonHas("numpy", "scipy"))) {
  const why = "needs /usr/bin/python3 with numpy and scipy";
  console.log(`peer not installed: ${why}`);
  emit(["regressMany", "pipelineEqtlStatistics"].map((path) =>
    skippedRecord({
      case: `covariate OLS (${path})`,
      unit: "pairs/s",
      ours: null,
      peerName: "numpy vectorised (tensorQTL's algorithm)",
      quantity: "rate",
      better: "higher",
      goal: 2.0,
      why,
    })
  ));
  Deno.exit(0);
}
const runs = Number(args.values.runs);
const script = new URL("./covariate_ols_compare.py", import.meta.url).pathname;
const path = await Deno.makeTempFile({ prefix: "ratgtex_covariate_bench_", suffix: ".bin" });

async function python(...argv: string[]): Promise<string> {
  const out = await new Deno.Command(args.values.python!, { args: [script, ...argv], stderr: "inherit" }).output();
  if (!out.success) throw new Error(`python ${argv.join(" ")} failed`);
  return new TextDecoder().decode(out.stdout);
}

function best(f: () => void): number {
  let b = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, (performance.now() - t0) / 1000);
  }
  return b;
}

try {
  const { genes: g0, "variants-per-gene": v0, samples: s0, covariates: k0 } = args.values;
  await python("generate", path, g0!, v0!, s0!, k0!);
  const bytes = await Deno.readFile(path);
  const [genes, perGene, n, k] = new Int32Array(bytes.buffer, 0, 4);
  const nPairs = genes * perGene;
  let off = 16;
  const phen = new Float64Array(bytes.buffer.slice(off, off += 8 * genes * n));
  const cov = new Float64Array(bytes.buffer.slice(off, off += 8 * k * n));
  const dos = new Int8Array(bytes.buffer, off, nPairs * n);
  console.log(
    `${genes} genes × ${perGene} variants = ${nPairs} pairs, ${n} samples, ${k} covariates; ` +
      `load average ${Deno.loadavg().join(" ")}`,
  );
  const names = Array.from({ length: k }, (_, j) => `PC${j + 1}`);
  const covariates = { names, values: cov };

  // regressMany: pair-major, each pair carries its gene's phenotype (consecutive pairs share it).
  const expression = new Float64Array(nPairs * n);
  for (let p = 0; p < nPairs; p++) {
    expression.set(phen.subarray(Math.floor(p / perGene) * n, Math.floor(p / perGene) * n + n), p * n);
  }
  const batch = { expression, dosages: dos, nPairs, nSamples: n };
  regressMany(
    { ...batch, nPairs: 200, expression: expression.subarray(0, 200 * n), dosages: dos.subarray(0, 200 * n) },
    {
      transform: "none",
      covariates,
    },
  ); // warm-up
  let fit = regressMany(batch, { transform: "none", covariates });
  const manySeconds = best(() => fit = regressMany(batch, { transform: "none", covariates }));

  // pipelineEqtlStatistics: phenotype rows and dosage rows (null = missing), as a release reader gives them.
  const sampleIds = Array.from({ length: n }, (_, s) => `r${s}`);
  const phenotypes = {
    geneIds: Array.from({ length: genes }, (_, j) => `G${j}`),
    values: Array.from({ length: genes }, (_, j) => phen.subarray(j * n, j * n + n)),
  };
  const genotypes = {
    variantIds: Array.from({ length: nPairs }, (_, p) => `v${p}`),
    dosages: Array.from({ length: nPairs }, (_, p) => {
      const row = new Float64Array(n);
      for (let s = 0; s < n; s++) row[s] = dos[p * n + s] === -1 ? NaN : dos[p * n + s];
      return row;
    }),
  };
  const pairs = Array.from(
    { length: nPairs },
    (_, p) => ({ geneId: `G${Math.floor(p / perGene)}`, variantId: `v${p}` }),
  );
  const input = { sampleIds, phenotypes, genotypes, covariates: { ...covariates, sampleIds }, pairs };
  pipelineEqtlStatistics({ ...input, pairs: pairs.slice(0, 200) }); // warm-up
  let frame = pipelineEqtlStatistics(input);
  const pipelineSeconds = best(() => frame = pipelineEqtlStatistics(input));

  const py = JSON.parse(await python("time", path, String(runs)));
  // Agreement (a sanity line, not a test).
  const slopes = frame.getColumn("slope").toArray() as number[];
  let worstSlope = 0;
  let worstP = 0;
  for (let p = 0; p < py.slope.length; p++) {
    worstSlope = Math.max(worstSlope, Math.abs(fit.nes[p] - py.slope[p]) / Math.abs(py.slope[p]));
    worstSlope = Math.max(worstSlope, Math.abs(slopes[p] - py.slope[p]) / Math.abs(py.slope[p]));
    worstP = Math.max(worstP, Math.abs(fit.pValue[p] - py.pval[p]) / py.pval[p]);
  }
  const rate = (s: number) => Math.round(nPairs / s);
  console.log(`regressMany (covariates):      ${rate(manySeconds).toLocaleString("en")} pairs/s`);
  console.log(`pipelineEqtlStatistics:        ${rate(pipelineSeconds).toLocaleString("en")} pairs/s`);
  console.log(`numpy ${py.numpy} vectorised:        ${rate(py.seconds).toLocaleString("en")} pairs/s`);
  // Rates: ours ÷ numpy's = numpy's seconds ÷ ours.
  console.log(
    `ours ÷ numpy, rate (higher is better, goal ≥ 2): regressMany ${(py.seconds / manySeconds).toFixed(2)}, ` +
      `pipelineEqtlStatistics ${(py.seconds / pipelineSeconds).toFixed(2)}`,
  );
  // Floors: every pair's dosages projected on [Q; y_r] (n·(k + 1) multiply-adds) at the kernel's peak on
  // this machine, and the bytes a pair must read (regressMany: its expression and int8 dosages).
  const arena = new MatrixArena();
  const a = arena.alloc(1024, 400, 2);
  const b = arena.alloc(1024, 400, 4);
  const c = arena.alloc(1024, 1024, 1);
  arena.gemmNT(a, b, c);
  let t = performance.now();
  for (let r = 0; r < 3; r++) arena.gemmNT(a, b, c);
  const peak = (3 * 1024 * 1024 * 400) / ((performance.now() - t) / 1000);
  const from = new Float64Array(32 * 1024 * 1024).fill(1);
  const to = new Float64Array(from.length);
  to.set(from);
  t = performance.now();
  to.set(from);
  const bandwidth = (2 * from.length * 8) / ((performance.now() - t) / 1000);
  const flopFloor = (nPairs * n * (k + 1)) / peak;
  const memFloor = (nPairs * n * 9) / bandwidth;
  const floor = Math.max(flopFloor, memFloor);
  console.log(
    `floors (one thread): kernel peak ${(peak / 1e9).toFixed(2)} GFMA/s → ${flopFloor.toFixed(3)} s; memory ` +
      `${(bandwidth / 1e9).toFixed(1)} GB/s (copy) → ${memFloor.toFixed(3)} s; ours ÷ floor, time (lower is better): ` +
      `regressMany ${(manySeconds / floor).toFixed(1)}, pipelineEqtlStatistics ${(pipelineSeconds / floor).toFixed(1)}`,
  );
  console.log(
    `agreement on the first ${py.slope.length} pairs: slope rel ≤ ${worstSlope.toExponential(1)}, p rel ≤ ${
      worstP.toExponential(1)
    }`,
  );
  const size = `${nPairs.toLocaleString("en-US")} pairs × ${n} samples × ${k} covariates`;
  emit(
    ([["regressMany", manySeconds], ["pipelineEqtlStatistics", pipelineSeconds]] as const).map(([path, seconds]) =>
      record({
        case: `covariate OLS, ${size} (${path})`,
        unit: "pairs/s",
        ours: rate(seconds),
        peer: rate(py.seconds),
        peerName: `numpy ${py.numpy} vectorised (tensorQTL's algorithm)`,
        quantity: "rate",
        better: "higher",
        goal: 2.0,
        note: `best of ${runs} runs each; ours ÷ floor, time: ${
          (seconds / floor).toFixed(1)
        }; agreement on ${py.slope.length} pairs: slope rel ≤ ${worstSlope.toExponential(1)}, p rel ≤ ${
          worstP.toExponential(1)
        }`,
      })
    ),
  );
} finally {
  await Deno.remove(path).catch(() => {});
}
