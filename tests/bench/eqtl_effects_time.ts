/**
 * Time to fetch-and-regress all independent eQTLs of one gene against the twin on loopback (HTTP), cold
 * (no cache) and warm (disk cache), for the gene with the most eQTLs in the offline universe and for Cd300lf.
 *
 * Run: deno run --allow-read --allow-write=/tmp --allow-env --allow-ffi --allow-sys --allow-net=127.0.0.1 tests/bench/eqtl_effects_time.ts
 * (already small: `--smoke` changes nothing). No peer: absolute figures. Prints its report, then its records
 * (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-write=/tmp --allow-env --allow-ffi --allow-sys --allow-net=127.0.0.1
 */
import { createClient, eqtlEffects } from "ratgtex";
import { loadUniverse, serveTwin } from "ratgtex/offline";
import { emit, record } from "./_record.ts";

const universe = await loadUniverse();
const busiest = [...universe.eqtls.entries()].sort((a, b) => b[1].length - a[1].length)[0][0];
const served = await serveTwin();
const cacheDir = await Deno.makeTempDir({ dir: "/tmp" });
const records = [];
try {
  for (const geneId of ["Cd300lf", busiest]) {
    const n = universe.eqtls.get(geneId)!.length;
    const client = createClient({ source: served.baseUrl, cacheDir });
    const before = served.twin.stats.requests;
    let t0 = performance.now();
    await eqtlEffects(geneId, { client });
    const cold = performance.now() - t0;
    const requests = served.twin.stats.requests - before;
    t0 = performance.now();
    await eqtlEffects(geneId, { client: createClient({ source: served.baseUrl, cacheDir }) });
    const warm = performance.now() - t0;
    console.log(
      `${geneId}: ${n} independent eQTLs, ${requests} requests; cold ${cold.toFixed(0)} ms, warm cache ${
        warm.toFixed(0)
      } ms`,
    );
    for (const [label, ms] of [["cold", cold], ["warm cache", warm]] as const) {
      records.push(record({
        case: `eqtlEffects("${geneId}"): ${n} independent eQTLs fetched and regressed (twin, loopback), ${label}`,
        unit: "ms",
        ours: ms,
        quantity: "wall time",
        better: "lower",
        note: label === "cold" ? `${requests} requests` : undefined,
      }));
    }
  }
} finally {
  await served.close();
  await Deno.remove(cacheDir, { recursive: true });
}
emit(records);
