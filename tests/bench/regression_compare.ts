/**
 * Regressions per second: this library's fast path (`regressMany`) vs a vectorised closed-form
 * numpy implementation and statsmodels OLS per pair, on the same seeded synthetic data
 * (100,000 pairs × 400 samples, 2 % missing calls, written once to a temp binary file both read).
 * All three compute slope, standard error, t and the two-sided p-value.
 *
 * Run (needs /usr/bin/python3 with numpy, scipy, statsmodels):
 *
 *   deno run --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys tests/bench/regression_compare.ts
 *
 * Options: `--pairs 100000 --samples 400 --statsmodels-pairs 2000 --runs 3`. Timings exclude file
 * reading; the best of `runs` is used for both fast paths (the machine is shared and noisy); the
 * statsmodels rate is extrapolated from its subset. `--smoke`: 2,000 pairs × 100 samples, 50 statsmodels
 * pairs, one run. Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys
 *
 * @module
 */
import { parseArgs } from "node:util";
import { regressMany } from "ratgtex/analysis";
import { emit, isSmoke, pythonHas, record, skippedRecord } from "./_record.ts";

const smoke = isSmoke();
const args = parseArgs({
  args: Deno.args,
  options: {
    pairs: { type: "string", default: smoke ? "2000" : "100000" },
    samples: { type: "string", default: smoke ? "100" : "400" },
    "statsmodels-pairs": { type: "string", default: smoke ? "50" : "2000" },
    runs: { type: "string", default: smoke ? "1" : "3" },
    python: { type: "string", default: "/usr/bin/python3" },
    smoke: { type: "boolean", default: false },
  },
});
if (!(await pythonHas("numpy", "scipy", "statsmodels"))) {
  const peer = { unit: "s", ours: null, quantity: "time (best of runs)", better: "lower" as const };
  const why = "needs /usr/bin/python3 with numpy, scipy, statsmodels: apt-get install python3-statsmodels";
  console.log(`peer not installed: ${why}`);
  emit([
    skippedRecord({ ...peer, case: "OLS, plain", peerName: "numpy closed form (vectorised)", goal: 0.5, why }),
    skippedRecord({ ...peer, case: "OLS, log2", peerName: "numpy closed form, plain", goal: 1.0, why }),
  ]);
  Deno.exit(0);
}
const nPairsWanted = Number(args.values.pairs);
const nSamplesWanted = Number(args.values.samples);
const smPairs = Number(args.values["statsmodels-pairs"]);
const runs = Number(args.values.runs);
const script = new URL("./regression_compare.py", import.meta.url).pathname;
const path = await Deno.makeTempFile({ prefix: "ratgtex_regression_bench_", suffix: ".bin" });

async function python(...argv: string[]): Promise<string> {
  const out = await new Deno.Command(args.values.python!, { args: [script, ...argv], stderr: "inherit" }).output();
  if (!out.success) throw new Error(`python ${argv.join(" ")} failed`);
  return new TextDecoder().decode(out.stdout);
}

try {
  console.log(`generating ${nPairsWanted} pairs × ${nSamplesWanted} samples → ${path}`);
  await python("generate", path, String(nPairsWanted), String(nSamplesWanted));
  const bytes = await Deno.readFile(path);
  const header = new Int32Array(bytes.buffer, 0, 2);
  const [nPairs, nSamples] = [header[0], header[1]];
  const size = nPairs * nSamples;
  // Copy out of the file buffer so the Float64Array is 8-byte aligned.
  const expression = new Float64Array(bytes.buffer.slice(8, 8 + 8 * size));
  const dosages = new Int8Array(bytes.buffer, 8 + 8 * size, size);

  // Warm-up (JIT) on the first 2,000 pairs.
  const warm = Math.min(nPairs, 2000) * nSamples;
  regressMany({
    expression: expression.subarray(0, warm),
    dosages: dosages.subarray(0, warm),
    nPairs: Math.min(nPairs, 2000),
    nSamples,
  }, { transform: "none" });
  const times: number[] = [];
  let fit = null;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fit = regressMany({ expression, dosages, nPairs, nSamples }, { transform: "none" });
    times.push((performance.now() - t0) / 1000);
  }
  const log2Times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    regressMany({ expression, dosages, nPairs, nSamples }, { transform: "log2" });
    log2Times.push((performance.now() - t0) / 1000);
  }
  const log2Seconds = Math.min(...log2Times);
  // The memory floor, measured here: one streaming read of both arrays (what any kernel must do at least).
  const floorTimes: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    let a = 0;
    let b = 0;
    for (let i = 0; i < expression.length; i++) a += expression[i];
    for (let i = 0; i < dosages.length; i++) b += dosages[i];
    sink += a + b;
    floorTimes.push((performance.now() - t0) / 1000);
  }
  const floorSeconds = Math.min(...floorTimes);

  console.log(`timing numpy (vectorised, ${runs} runs) and statsmodels (${smPairs} pairs)…`);
  const py = JSON.parse(await python("time", path, String(smPairs)));

  // Agreement (not a test; a sanity line): our results vs numpy's and statsmodels' on the subset.
  let maxNesNumpy = 0;
  let maxNesSm = 0;
  let maxPSm = 0;
  for (let p = 0; p < smPairs; p++) {
    const ours = fit!.nes[p];
    maxNesNumpy = Math.max(maxNesNumpy, Math.abs(ours - py.numpy.nes[p]) / Math.abs(py.numpy.nes[p]));
    maxNesSm = Math.max(maxNesSm, Math.abs(ours - py.statsmodels.nes[p]) / Math.abs(py.statsmodels.nes[p]));
    maxPSm = Math.max(maxPSm, Math.abs(fit!.pValue[p] - py.statsmodels.pValue[p]) / py.statsmodels.pValue[p]);
  }

  const ourBest = Math.min(...times);
  const npBest = Math.min(...py.numpySeconds);
  const ourRate = nPairs / ourBest;
  const npRate = nPairs / npBest;
  const smRate = smPairs / py.statsmodelsSeconds;
  const fmt = (v: number) => Math.round(v).toLocaleString("en-US");
  const rows = [
    ["ratgtex regressMany (none)", `${ourBest.toFixed(3)} s`, fmt(ourRate), "1.00", (ourRate / npRate).toFixed(2)],
    [
      "ratgtex regressMany (log2)",
      `${log2Seconds.toFixed(3)} s`,
      fmt(nPairs / log2Seconds),
      (nPairs / log2Seconds / ourRate).toFixed(2),
      (nPairs / log2Seconds / npRate).toFixed(2),
    ],
    ["numpy closed form (vectorised)", `${npBest.toFixed(3)} s`, fmt(npRate), (npRate / ourRate).toFixed(3), "1.00"],
    [
      `statsmodels OLS per pair (${smPairs}, extrapolated)`,
      `${(nPairs / smRate).toFixed(1)} s`,
      fmt(smRate),
      (smRate / ourRate).toFixed(5),
      (smRate / npRate).toFixed(4),
    ],
  ];
  const head = ["implementation", `time (${fmt(nPairs)} pairs)`, "regressions/s", "rate ÷ ratgtex", "rate ÷ numpy"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(`\n${fmt(nPairs)} pairs × ${nSamples} samples (2 % missing calls); slope, SE, t and two-sided p each`);
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  console.log(
    `\nratgtex is ${(ourRate / npRate).toFixed(2)}× numpy's vectorised rate and ${
      fmt(ourRate / smRate)
    }× statsmodels' per-pair rate.`,
  );
  console.log(
    `runs (s): ratgtex ${times.map((t) => t.toFixed(3)).join(", ")}; log2 ${
      log2Times.map((t) => t.toFixed(3)).join(", ")
    }; numpy ${py.numpySeconds.map((t: number) => t.toFixed(3)).join(", ")}`,
  );
  const readBytes = expression.byteLength + dosages.byteLength;
  console.log(
    `goals (issue 18): plain ≤ 0.5× numpy's time: ${(ourBest / npBest).toFixed(2)}× ${
      ourBest / npBest <= 0.5 ? "met" : "NOT met"
    }; log2 ≤ numpy's plain time: ${(log2Seconds / npBest).toFixed(2)}× ${log2Seconds <= npBest ? "met" : "NOT met"}`,
  );
  console.log(
    `memory floor: one read of ${(readBytes / 1e6).toFixed(0)} MB took ${floorSeconds.toFixed(3)} s here (${
      (readBytes / floorSeconds / 1e9).toFixed(1)
    } GB/s${Number.isFinite(sink) ? "" : "!"}); regressMany (none) reaches ${
      (100 * floorSeconds / ourBest).toFixed(0)
    } % of it, (log2) ${(100 * floorSeconds / log2Seconds).toFixed(0)} %`,
  );
  console.log(
    `agreement on the first ${smPairs} pairs: max rel. diff. of nes vs numpy ${maxNesNumpy.toExponential(1)}, ` +
      `vs statsmodels ${maxNesSm.toExponential(1)}; of p vs statsmodels ${maxPSm.toExponential(1)}`,
  );
  console.log(
    `versions: Deno ${Deno.version.deno}, V8 ${Deno.version.v8}; Python ${py.versions.python}, numpy ${py.versions.numpy}`,
  );
  const sizeText = `${fmt(nPairs)} pairs × ${nSamples} samples`;
  const numpy = `numpy ${py.versions.numpy} closed form (vectorised)`;
  const runsNote = `best of ${runs} runs each`;
  emit([
    record({
      case: `OLS slope/SE/t/p, ${sizeText}, plain (regressMany)`,
      unit: "s",
      ours: ourBest,
      peer: npBest,
      peerName: numpy,
      quantity: "time (best of runs)",
      better: "lower",
      goal: 0.5,
      note: `${runsNote}; ${fmt(ourRate)} regressions/s; ${(100 * floorSeconds / ourBest).toFixed(0)} % of the ` +
        `memory-read floor; nes vs numpy max rel diff ${maxNesNumpy.toExponential(1)}`,
    }),
    record({
      case: `OLS slope/SE/t/p, ${sizeText}, log2 transform (regressMany) vs numpy plain`,
      unit: "s",
      ours: log2Seconds,
      peer: npBest,
      peerName: `${numpy}, plain`,
      quantity: "time (best of runs)",
      better: "lower",
      goal: 1.0,
      note: runsNote,
    }),
    record({
      case: `OLS slope/SE/t/p, ${sizeText}, plain, vs statsmodels per pair`,
      unit: "s",
      ours: ourBest,
      peer: nPairs / smRate,
      peerName: `statsmodels OLS per pair (${fmt(smPairs)} pairs, extrapolated)`,
      quantity: "time",
      better: "lower",
      note: `p vs statsmodels max rel diff ${maxPSm.toExponential(1)}`,
    }),
  ]);
} finally {
  await Deno.remove(path).catch(() => {});
}
