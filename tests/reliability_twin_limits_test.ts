/**
 * The twin's limits: a request line over gunicorn's 4094 bytes gets 414 at once, without stalling a
 * concurrent normal request (latency measured as a ratio in one run); fault injection exists only in a
 * twin created with it (the `X-Twin-Fault` header has no effect otherwise, `inject` throws); `large=` is
 * capped; junk paths never grow the counters.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/offline/_limits.ts`,
 * `lib/offline/twin.ts`.
 */
import assert from "node:assert/strict";
import { createTwin, ROUTES } from "../lib/offline/twin.ts";
import { serveTwin } from "ratgtex/offline";
import { loadUniverse } from "ratgtex/offline";
import { MAX_JUNK_URL, MAX_LARGE_ROWS, MAX_REQUEST_LINE } from "../lib/offline/_limits.ts";
import { RatGtexError } from "ratgtex";
import { quantile } from "./support/reliability.ts";

Deno.test("twin: a long request line is refused with 414 without stalling a normal request", async () => {
  const served = await serveTwin();
  try {
    const genes = [...(await loadUniverse()).genes.keys()];
    // 6,000 gene IDs (as in the finding): a 40 KB URL.
    const many = Array.from({ length: 6000 }, (_, i) => genes[i % genes.length]).join(",");
    const long = `${served.baseUrl}/medianGeneExpression?geneId=${many}`;
    const normal = `${served.baseUrl}/gene?geneId=Cd300lf`;
    const time = async (url: string) => {
      const t0 = performance.now();
      const r = await fetch(url);
      await r.arrayBuffer();
      return { ms: performance.now() - t0, status: r.status };
    };
    for (let i = 0; i < 5; i++) await time(normal); // warm up
    // The baseline: the same normal request beside another normal one (what any concurrency costs).
    const alone: number[] = [];
    for (let i = 0; i < 20; i++) alone.push((await Promise.all([time(normal), time(normal)]))[1].ms);
    const during: number[] = [];
    const refused: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [bad, good] = await Promise.all([time(long), time(normal)]);
      assert.equal(bad.status, 414);
      assert.equal(good.status, 200);
      refused.push(bad.ms);
      during.push(good.ms);
    }
    const ratio = quantile(during, 0.5) / quantile(alone, 0.5);
    console.log(
      `normal request: median ${quantile(alone, 0.5).toFixed(2)} ms beside another normal one, ${
        quantile(during, 0.5).toFixed(2)
      } ms ` +
        `while a ${long.length}-character URL is refused (×${ratio.toFixed(2)}); the 414 took ${
          quantile(refused, 0.5).toFixed(2)
        } ms`,
    );
    assert.ok(ratio < 5, `a refused long URL slowed a normal request ×${ratio.toFixed(2)}`);
    // Just under the cap is still served.
    const fits = `${served.baseUrl}/gene?geneId=${"A".repeat(MAX_REQUEST_LINE - 40)}`;
    assert.equal((await time(fits)).status, 200);
  } finally {
    await served.close();
  }
});

Deno.test("twin: fault injection only when created with it; the X-Twin-Fault header has no effect otherwise", async () => {
  const plain = await createTwin();
  const r = await plain.handler(
    new Request("http://twin/api/v4/tissueInfo", { headers: { "x-twin-fault": "status=503;latency=60000" } }),
  );
  assert.equal(r.status, 200);
  await r.body?.cancel();
  assert.throws(() => plain.inject({ faults: [{ kind: "drop" }] }), RatGtexError);
  const faulty = await createTwin({ faultInjection: true });
  const f = await faulty.handler(
    new Request("http://twin/api/v4/tissueInfo", { headers: { "x-twin-fault": "status=503" } }),
  );
  assert.equal(f.status, 503);
  await f.body?.cancel();
});

Deno.test("twin: large= is capped; junk paths do not grow the counters", async () => {
  const twin = await createTwin({ faultInjection: true });
  const big = await twin.handler(
    new Request("http://twin/api/v4/variant?variantId=chr10:100826333", {
      headers: { "x-twin-fault": "large=1000000000" },
    }),
  );
  assert.equal((await big.json()).variant.length, MAX_LARGE_ROWS);
  twin.resetStats();
  for (let i = 0; i < 5000; i++) {
    const junk = await twin.handler(new Request(`http://twin/api/v4/${i}${"x".repeat(3900)}`));
    await junk.body?.cancel();
  }
  assert.equal(twin.stats.requests, 5000);
  assert.ok(Object.keys(twin.stats.byRoute).every((k) => (ROUTES as readonly string[]).includes(k)));
  const stored = twin.stats.urls.reduce((n, u) => n + u.length, 0);
  assert.ok(twin.stats.urls.every((u) => u.length <= MAX_JUNK_URL));
  assert.ok(stored <= 5000 * MAX_JUNK_URL, `${stored} characters kept for junk paths`);
});
