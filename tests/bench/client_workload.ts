/**
 * A 200-gene workload — `gene` + `geneExpression` + `singleTissueEqtl` for 200 gene IDs — against the twin
 * on loopback with 50 ms of injected latency on every request (a stand-in for the real server's round
 * trip), run four ways:
 *
 * 1. naive: a sequential loop of `fetch` + `JSON.parse`, one request per gene and route (600 requests);
 * 2. client, cold cache: this library (concurrency 4, `gene` batched, empty cache folder);
 * 3. client, cold, no reuse: as 2, but the 200 IDs are sent as 4 separate rounds of at most 61 distinct
 *    genes, each with a fresh client and no cache, so no repeated URL is ever answered from the cache or
 *    a shared in-flight request (see below);
 * 4. client, warm cache: a fresh client on the cache folder that run 2 filled.
 *
 * The offline universe has 61 genes, so 200 IDs cycle through them and repeat URLs. The naive loop asks
 * for every repeat again (as such loops do); the cold client answers a repeat from the request already in
 * flight or from its cache, which is part of what it is for but not a like-for-like comparison. Run 3 takes
 * that away: its request count differs from the naive loop only by the batching of `gene`.
 *
 * Run: deno run --allow-net=127.0.0.1 --allow-read --allow-write --allow-env --allow-ffi --allow-sys tests/bench/client_workload.ts
 * (`--smoke`: 20 gene IDs, 5 ms latency). Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-net=127.0.0.1 --allow-read --allow-write --allow-env --allow-ffi --allow-sys
 */
import { createClient, gene, geneExpression, singleTissueEqtl } from "ratgtex";
import { loadUniverse, serveTwin } from "ratgtex/offline";
import { emit, isSmoke, record } from "./_record.ts";

const smoke = isSmoke();
const N_GENES = smoke ? 20 : 200;
const LATENCY_MS = smoke ? 5 : 50;
const CONCURRENCY = 4;

const served = await serveTwin({ faultInjection: true });
const cacheDir = await Deno.makeTempDir({ prefix: "ratgtex-workload-" });
try {
  served.twin.inject({ faults: [{ kind: "latency", ms: LATENCY_MS }] });
  const universeIds = [...(await loadUniverse()).genes.keys()];
  const ids = Array.from({ length: N_GENES }, (_, i) => universeIds[i % universeIds.length]);
  console.log(
    `workload: gene + geneExpression + singleTissueEqtl for ${N_GENES} gene IDs ` +
      `(${new Set(ids).size} distinct: the universe has ${universeIds.length}), ${LATENCY_MS} ms latency per request`,
  );

  type Result = { label: string; requests: number; ms: number; rows: number[] };
  const results: Result[] = [];
  const run = async (label: string, work: () => Promise<number[]>) => {
    const before = served.twin.stats.requests;
    const t0 = performance.now();
    const rows = await work();
    const ms = performance.now() - t0;
    const requests = served.twin.stats.requests - before;
    results.push({ label, requests, ms, rows });
    console.log(
      `${label.padEnd(26)} ${String(requests).padStart(4)} requests  ${(ms / 1000).toFixed(2).padStart(6)} s` +
        `   rows gene/expression/eQTL ${rows.join("/")}`,
    );
  };

  // 1. The naive loop: what a first script does.
  await run("naive sequential fetch", async () => {
    const rows = [0, 0, 0];
    for (const id of ids) {
      const q = encodeURIComponent(id);
      const g = JSON.parse(await (await fetch(`${served.baseUrl}/gene?geneId=${q}`)).text());
      const e = JSON.parse(await (await fetch(`${served.baseUrl}/geneExpression?geneId=${q}`)).text());
      const s = JSON.parse(await (await fetch(`${served.baseUrl}/singleTissueEqtl?geneId=${q}`)).text());
      rows[0] += g.gene.length;
      for (const t of e.geneExpression) rows[1] += t.data.length;
      rows[2] += s.singleTissueEqtl.length;
    }
    return rows;
  });

  const workload = async (client: ReturnType<typeof createClient>, genes: string[]) => {
    const g = await gene(genes, { client });
    const e = await geneExpression(genes, { client });
    const s = await singleTissueEqtl(genes, { client });
    return [g.height, e.height, s.height];
  };
  const options = { source: served.baseUrl, concurrency: CONCURRENCY, progress: false };

  // 2. The client, cold cache.
  await run("client, cold cache", () => workload(createClient({ ...options, cacheDir }), ids));

  // 3. The client, cold, no reuse of repeated URLs: rounds of distinct genes, a fresh uncached client each.
  await run("client, cold, no reuse", async () => {
    const total = [0, 0, 0];
    for (let start = 0; start < ids.length; start += universeIds.length) {
      const rows = await workload(
        createClient({ ...options, cache: false }),
        ids.slice(start, start + universeIds.length),
      );
      rows.forEach((n, i) => (total[i] += n));
    }
    return total;
  });

  // 4. The client, warm cache: a fresh client on the folder run 2 filled.
  await run("client, warm cache", () => workload(createClient({ ...options, cacheDir }), ids));

  const [naive, ...others] = results;
  for (const r of others) {
    if (r.rows.join() !== naive.rows.join()) {
      throw new Error(`${r.label}: rows ${r.rows} differ from naive ${naive.rows}`);
    }
  }
  console.log("same rows from every run; wall-time ratios (naive / run):");
  for (const r of others) {
    console.log(
      `  ${r.label.padEnd(24)} ${(naive.ms / r.ms).toFixed(1).padStart(6)}× faster, ` +
        `${naive.requests} → ${r.requests} requests`,
    );
  }
  emit(others.map((r) =>
    record({
      case: `${N_GENES}-gene workload (gene + geneExpression + singleTissueEqtl), ${LATENCY_MS} ms latency: ${r.label}`,
      unit: "s",
      ours: r.ms / 1000,
      peer: naive.ms / 1000,
      peerName: "naive sequential fetch + JSON.parse",
      quantity: "wall time",
      better: "lower",
      note: `${r.requests} requests against the naive loop's ${naive.requests}; same rows`,
    })
  ));
} finally {
  await served.close();
  await Deno.remove(cacheDir, { recursive: true });
}
