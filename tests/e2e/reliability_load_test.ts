/**
 * Load, short form: the twin behind `Deno.serve` on 127.0.0.1 serves 200 concurrent clients for 3 s with no
 * error (the 10 s form, with the twin in its own process, is tests/bench/load_twin.ts); and the client,
 * given 1,000 calls at once, never has more than its concurrency limit in flight and finishes them all.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/offline/universe.ts`.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { formatLoad, runLoad } from "../bench/load_twin.ts";
import { assertUrlsEncoded, startLoopbackTwin } from "../support/reliability.ts";

Deno.test("load: 200 concurrent clients for 3 s on loopback, no errors", async () => {
  const served = await startLoopbackTwin();
  try {
    const report = await runLoad(served.baseUrl, { clients: 200, durationMs: 3_000, requestTimeoutMs: 20_000 });
    console.log(formatLoad(report, "twin in-process"));
    assert.equal(report.errors, 0, `errors: ${report.errorSamples.join("; ")}`);
    assert.ok(report.requests >= 200, "every client completed at least one request");
    assert.equal(served.twin.stats.requests, report.requests, "the twin answered every request sent");
    assert.ok(served.twin.stats.maxInFlight <= 200);
    // The loop stopped by itself: nothing is still being answered.
    assert.equal(served.twin.stats.inFlight, 0);
  } finally {
    await served.close();
  }
});

Deno.test("load: the client given 1,000 calls at once keeps to its concurrency limit and finishes them all", async () => {
  const served = await startLoopbackTwin();
  const limit = 6;
  try {
    // A little latency on every answer, so that calls overlap and the limit is what holds them back.
    served.twin.inject({ faults: [{ kind: "latency", ms: 3 }] });
    // checkGenes: false: the made-up IDs are meant to reach the server (this counts requests in flight).
    const client = rg.createClient({
      source: served.baseUrl,
      cache: false,
      concurrency: limit,
      progress: false,
      checkGenes: false,
    });
    const known = [...(await import("../../lib/offline/universe.ts").then((m) => m.loadUniverse())).genes.keys()];
    served.twin.resetStats();
    // 1,000 distinct calls (the universe's genes, then unknown IDs, which the server answers with empty lists).
    const ids = Array.from({ length: 1_000 }, (_, i) => (i < known.length ? known[i] : `Unknown${i}`));
    const started = performance.now();
    const results = await Promise.all(
      ids.map((id) => rg.eqtl(id, { client, raw: true }) as Promise<{ eqtl: unknown[] }>),
    );
    const seconds = (performance.now() - started) / 1000;
    assert.equal(results.length, 1_000);
    assert.ok(results.every((r) => Array.isArray(r.eqtl)), "every call got its answer");
    assert.equal(results.filter((r) => r.eqtl.length > 0).length > 0, true);
    assert.equal(served.twin.stats.byRoute.eqtl, 1_000, "one request per call, none lost or repeated");
    assert.equal(client.stats.requests, 1_000);
    assert.ok(client.stats.maxInFlight <= limit, `client in flight ${client.stats.maxInFlight}`);
    assert.ok(served.twin.stats.maxInFlight <= limit, `server saw ${served.twin.stats.maxInFlight} at once`);
    assert.equal(client.stats.maxInFlight, limit, "the limit was reached (the calls did overlap)");
    assertUrlsEncoded(served.twin.stats.urls);
    console.log(
      `client under load: 1,000 calls at once, concurrency ${limit}: all 1,000 answered in ${seconds.toFixed(1)} s, ` +
        `most in flight ${client.stats.maxInFlight} (client) / ${served.twin.stats.maxInFlight} (server)`,
    );
  } finally {
    await served.close();
  }
});
