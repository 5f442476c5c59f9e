/**
 * Pipeline-exact statistics over the bundled release: every top association and independent eQTL
 * (1,007 pairs, 13 tissues) through `Release.eqtlStatistics`, cold (each tissue's normalised BED,
 * covariates and VCF index read) and warm (files cached in the Release object), against the independent
 * numpy/scipy reference doing the same recomputation (`tests/reference/pipeline/recompute.py`, which also
 * rescans every gene's cis variants to rebuild the forward pass: more work, so the ratio is a bound; its
 * output goes to a temporary file, not over the committed one). One run, ratios only (the machine is shared).
 *
 *   deno run -A tests/bench/pipeline_exact.ts [--smoke]
 *
 * `--smoke`: the first 60 pairs, and the reference is not run (it has no small size: 6–20 s here). Prints
 * its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys
 */
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
import { emit, isSmoke, pythonHas, record, skippedRecord } from "./_record.ts";

const smoke = isSmoke();
const cols = ["geneId", "tissueSiteDetailId", "variantId"];
const probe = await openRelease(BUNDLED_RELEASE);
const all = [
  ...(await probe.topAssociations()).select(...cols).toRecords(),
  ...(await probe.independentEqtls()).select(...cols).toRecords(),
] as unknown as { geneId: string; tissueSiteDetailId: string; variantId: string }[];
const pairs = smoke ? all.slice(0, 60) : all;

const rel = await openRelease(BUNDLED_RELEASE);
let t = performance.now();
const cold = await rel.eqtlStatistics(pairs, { permutations: 0 }); // the nominal statistics (the permutation pass: permutation_pass_compare.ts)
const coldMs = performance.now() - t;
t = performance.now();
await rel.eqtlStatistics(pairs, { permutations: 0 });
const warmMs = performance.now() - t;
const agree = (cold.getColumn("agrees").toArray() as boolean[]).filter((a) => a).length;

console.log(`pairs: ${pairs.length}, agreeing with the release: ${agree}`);
console.log(`eqtlStatistics cold: ${coldMs.toFixed(0)} ms (${(pairs.length / coldMs * 1000).toFixed(0)} pairs/s)`);
console.log(`eqtlStatistics warm: ${warmMs.toFixed(0)} ms (${(pairs.length / warmMs * 1000).toFixed(0)} pairs/s)`);

const peerName = `numpy/scipy reference (recompute.py, all ${all.length} pairs + forward rescans)`;
const caseName = `Release.eqtlStatistics, ${pairs.length} published pairs, cold`;
const base = { case: caseName, unit: "ms", ours: coldMs, peerName, quantity: "time", better: "lower" as const };
if (smoke) {
  emit([record({ ...base, peer: null, skipped: "smoke: the reference is not run at the smoke size" })]);
} else if (!(await pythonHas("numpy", "scipy", "pandas", "pysam"))) {
  const why = "needs /usr/bin/python3 with numpy, scipy, pandas, pysam";
  console.log(`numpy reference: peer not installed (${why})`);
  emit([skippedRecord({ ...base, why })]);
} else {
  const script = new URL("../reference/pipeline/recompute.py", import.meta.url).pathname;
  const out = await Deno.makeTempFile({ suffix: ".json" });
  // Load the script as a module and point its output at a temporary file, so the committed one is untouched.
  const code = `import importlib.util as u; s = u.spec_from_file_location("recompute", ${JSON.stringify(script)}); ` +
    `m = u.module_from_spec(s); s.loader.exec_module(m); m.OUT = ${JSON.stringify(out)}; m.main()`;
  t = performance.now();
  const py = await new Deno.Command("/usr/bin/python3", { args: ["-c", code], stdout: "null", stderr: "piped" })
    .output();
  const pyMs = performance.now() - t;
  await Deno.remove(out).catch(() => {});
  if (!py.success) throw new Error(`recompute.py failed: ${new TextDecoder().decode(py.stderr).slice(-500)}`);
  console.log(
    `numpy reference (all rows + forward rescans, process start included): ${pyMs.toFixed(0)} ms; ` +
      `cold/numpy ${(coldMs / pyMs).toFixed(2)}`,
  );
  emit([
    record({
      ...base,
      peer: pyMs,
      note: `${agree}/${pairs.length} agree with the release; warm ${warmMs.toFixed(0)} ms (${
        (pairs.length / warmMs * 1000).toFixed(0)
      } pairs/s); the reference does more work, so the ratio is a bound`,
    }),
  ]);
}
