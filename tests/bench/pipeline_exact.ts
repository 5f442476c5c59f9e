/**
 * Pipeline-exact statistics over the bundled release: every top association and independent eQTL
 * (945 pairs, 13 tissues) through `Release.eqtlStatistics`, cold (each tissue's normalised BED,
 * covariates and VCF index read) and warm (files cached in the Release object), against the independent
 * numpy/scipy reference doing the same recomputation (`tests/reference/pipeline/recompute.py`, which also
 * rescans every gene's cis variants to rebuild the forward pass: more work, so the ratio is a bound).
 * One run, ratios only (the machine is shared).
 *
 *   deno run -A tests/bench/pipeline_exact.ts
 */
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const cols = ["geneId", "tissueSiteDetailId", "variantId"];
const probe = await openRelease(BUNDLED_RELEASE);
const pairs = [
  ...(await probe.topAssociations()).select(...cols).toRecords(),
  ...(await probe.independentEqtls()).select(...cols).toRecords(),
] as unknown as { geneId: string; tissueSiteDetailId: string; variantId: string }[];

const rel = await openRelease(BUNDLED_RELEASE);
let t = performance.now();
const cold = await rel.eqtlStatistics(pairs);
const coldMs = performance.now() - t;
t = performance.now();
await rel.eqtlStatistics(pairs);
const warmMs = performance.now() - t;
const agree = (cold.getColumn("agrees").toArray() as boolean[]).filter((a) => a).length;

t = performance.now();
const py = await new Deno.Command("/usr/bin/python3", {
  args: ["tests/reference/pipeline/recompute.py"], // rewrites recomputed.json with the same bytes
  stdout: "null",
  stderr: "null",
}).output();
const pyMs = performance.now() - t;

console.log(`pairs: ${pairs.length}, agreeing with the release: ${agree}`);
console.log(`eqtlStatistics cold: ${coldMs.toFixed(0)} ms (${(pairs.length / coldMs * 1000).toFixed(0)} pairs/s)`);
console.log(`eqtlStatistics warm: ${warmMs.toFixed(0)} ms (${(pairs.length / warmMs * 1000).toFixed(0)} pairs/s)`);
console.log(
  `numpy reference (same rows + forward rescans, process start included): ${pyMs.toFixed(0)} ms` +
    (py.success ? "" : " (FAILED)") + `; cold/numpy ${(coldMs / pyMs).toFixed(2)}`,
);
