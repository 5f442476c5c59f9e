/**
 * Time of the beta approximation per phenotype (true_df secant + beta Nelder–Mead + pval_beta): this
 * library's `betaApproxPValue` against tensorQTL's own `calculate_beta_approx_pval` (numpy/scipy), on the
 * same permutation sets (written once to a temp file that both read), in one run. The permutation scan itself
 * is not timed here.
 *
 * Run (needs /usr/bin/python3 with numpy, scipy, torch, pandas and a tensorQTL checkout):
 *
 *   TENSORQTL_DIR=/path/to/tensorqtl npx -y deno@2.9.6 run -A tests/bench/beta_approx_compare.ts
 *
 * Options: `--genes 100 --permutations 10000 --dof 380`; `--smoke` (or BENCH_SMOKE=1): 10 genes × 1,000.
 * Each phenotype's best r² per permutation is the maximum over ~300 independent null variants, drawn by
 * quantiles (deterministic), with the nominal r² at a different tail point per gene. Without TENSORQTL_DIR (or
 * the Python modules) only ours is timed and its record says "peer not installed: skipped". Prints its report,
 * then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Buffer } from "node:buffer";
import { betaApproxPValue, betaQuantile } from "../../lib/analysis/mod.ts";
import { emit, pythonHas, record, skippedRecord } from "./_record.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    genes: { type: "string", default: "100" },
    permutations: { type: "string", default: "10000" },
    dof: { type: "string", default: "380" },
    smoke: { type: "boolean", default: false },
    python: { type: "string", default: "/usr/bin/python3" },
  },
});
const smoke = args.values.smoke || Deno.env.get("BENCH_SMOKE") === "1";
const genes = smoke ? 10 : Number(args.values.genes);
const nperm = smoke ? 1000 : Number(args.values.permutations);
const dof = Number(args.values.dof);
const peerMissing = !Deno.env.get("TENSORQTL_DIR")
  ? "set TENSORQTL_DIR to a broadinstitute/tensorqtl checkout"
  : !(await pythonHas("numpy", "scipy", "torch", "pandas"))
  ? "needs /usr/bin/python3 with numpy, scipy, torch, pandas (python3-torch)"
  : null;

const r2Nominal = new Float64Array(genes);
const r2Perm = new Float64Array(genes * nperm);
for (let g = 0; g < genes; g++) {
  const nVar = 50 + 25 * (g % 20); // 50…525 independent variants
  for (let i = 0; i < nperm; i++) {
    // a scrambled quantile order, so the sets are not sorted
    const u = (((i * 7919) % nperm) + 0.5) / nperm;
    r2Perm[g * nperm + i] = betaQuantile(u ** (1 / nVar), 0.5, dof / 2);
  }
  r2Nominal[g] = betaQuantile((1 - 10 ** -(1 + (g % 9))) ** (1 / nVar), 0.5, dof / 2);
}
const header = new Int32Array([genes, nperm, dof]);
const path = await Deno.makeTempFile({ prefix: "ratgtex_beta_bench_", suffix: ".bin" });
await Deno.writeFile(
  path,
  Buffer.concat([
    Buffer.from(header.buffer),
    Buffer.from(r2Nominal.buffer),
    Buffer.from(r2Perm.buffer),
  ]),
);
try {
  const t0 = performance.now();
  const ours = Array.from(
    { length: genes },
    (_, g) => betaApproxPValue({ r2Perm: r2Perm.subarray(g * nperm, (g + 1) * nperm), r2Nominal: r2Nominal[g], dof }),
  );
  const oursS = (performance.now() - t0) / 1000;
  const base = {
    case: `beta approximation (true_df + beta fit + pval_beta), ${genes} phenotypes × ${nperm} permutations`,
    unit: "ms per phenotype",
    ours: (1000 * oursS) / genes,
    peerName: "tensorQTL calculate_beta_approx_pval",
    quantity: "time",
    better: "lower" as const,
  };
  if (peerMissing) {
    console.log(`ours (betaApproxPValue): ${base.ours.toFixed(2)} ms per phenotype; tensorQTL: ${peerMissing}`);
    emit([skippedRecord({ ...base, why: peerMissing })]);
    Deno.exit(0);
  }
  const out = await new Deno.Command(args.values.python!, {
    args: [new URL("./beta_approx_compare.py", import.meta.url).pathname, path],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("tensorQTL side failed");
  const theirs = JSON.parse(new TextDecoder().decode(out.stdout)) as { seconds: number; pval_beta: number[] };
  let worst = 0;
  ours.forEach((r, g) => (worst = Math.max(worst, Math.abs(r.pvalBeta / theirs.pval_beta[g] - 1))));
  const load = Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  console.log(
    `${genes} phenotypes × ${nperm} permutations, dof ${dof}; load average ${load} (${navigator.hardwareConcurrency} cores)`,
  );
  console.log(`ours (betaApproxPValue):         ${(1000 * oursS / genes).toFixed(2)} ms per phenotype`);
  console.log(`tensorQTL calculate_beta_approx: ${(1000 * theirs.seconds / genes).toFixed(2)} ms per phenotype`);
  console.log(`ratio ours ÷ tensorQTL, time: lower is better: ${(oursS / theirs.seconds).toFixed(2)}`);
  console.log(`largest relative pval_beta difference: ${worst.toExponential(1)}`);
  emit([
    record({
      ...base,
      peer: (1000 * theirs.seconds) / genes,
      note: `largest relative pval_beta difference ${worst.toExponential(1)}; load ${load}`,
    }),
  ]);
} finally {
  await Deno.remove(path);
}
