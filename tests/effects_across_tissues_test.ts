/**
 * effectsAcrossTissues over real HTTP on loopback: against the twin (one row per tested tissue, the
 * regression of each tissue's dyneqtl), and through a small proxy that fails one tissue's dyneqtl, to see
 * per-item failures reported, not fatal (onError "throw" → one BatchError with the partial frame after
 * every tissue ran; "skip" → the partial frame and one warning per failure).
 */
import assert from "node:assert/strict";
import { BatchError, createClient, dyneqtl, effectsAcrossTissues, geneStatus, ValidationError } from "ratgtex";
import { regressEqtls } from "ratgtex/analysis";
import { serveTwin } from "ratgtex/offline";

const params = { geneId: "Cd300lf", variantId: "chr10:100826333" };

/** A loopback proxy to the twin that answers 500 to `dyneqtl` for one tissue; counts what it saw. */
function faultyProxy(twinUrl: string, failing: string) {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const tissue = url.searchParams.get("tissueSiteDetailId");
    if (url.pathname.endsWith("/dyneqtl")) seen.push(tissue ?? "");
    if (url.pathname.endsWith("/dyneqtl") && tissue === failing) {
      return new Response("boom", { status: 500 });
    }
    const upstream = await fetch(`${twinUrl}${url.pathname.replace(/^\/api\/v4/, "")}${url.search}`);
    return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers: upstream.headers });
  });
  return { baseUrl: `http://127.0.0.1:${server.addr.port}/api/v4`, seen, close: () => server.shutdown() };
}

Deno.test("effectsAcrossTissues: a row per tested tissue, the regression of its dyneqtl", async () => {
  const served = await serveTwin();
  try {
    const client = createClient({ source: served.baseUrl, cache: false });
    const fx = await effectsAcrossTissues(params, { client, transform: "log2" });
    const status = (await geneStatus("Cd300lf", { client })).toRecords() as { testedEqtl: boolean }[];
    assert.equal(fx.height, status.filter((s) => s.testedEqtl).length);
    const tissues = fx.getColumn("tissueSiteDetailId").toArray() as string[];
    const dyns = await Promise.all(tissues.map((t) => dyneqtl({ ...params, tissueSiteDetailId: t }, { client })));
    const fits = regressEqtls(dyns, { transform: "log2" });
    assert.deepEqual(fx.getColumn("slope").toArray(), fits.getColumn("nes").toArray());
    assert.deepEqual(fx.getColumn("slopeSe").toArray(), fits.getColumn("error").toArray());
    assert.deepEqual(fx.getColumn("apiPValue").toArray(), dyns.map((d) => d.pValue));
    const significant = fx.getColumn("significant").toArray();
    assert.deepEqual(significant, dyns.map((d) => d.pValue !== null && d.pValue < d.pValueThreshold));
    assert.ok(significant.includes(true) && significant.includes(false));
    assert.deepEqual([...new Set(fx.getColumn("transform").toArray())], ["log2"]);
    const some = await effectsAcrossTissues(params, { client, tissueSiteDetailId: ["PL", "IL"] });
    assert.deepEqual(some.getColumn("tissueSiteDetailId").toArray(), ["IL", "PL"], "portal order");
  } finally {
    await served.close();
  }
});

Deno.test("effectsAcrossTissues: a failed tissue is reported (BatchError with the partial frame) or skipped", async () => {
  const served = await serveTwin();
  const proxy = faultyProxy(served.baseUrl, "LHb");
  try {
    const client = createClient({ source: proxy.baseUrl, cache: false, retries: 0 });
    const error = await effectsAcrossTissues(params, { client }).then(() => null, (e: unknown) => e);
    assert.ok(error instanceof BatchError, String(error));
    assert.deepEqual(error.failures.map((f) => f.item), ["LHb"]);
    const partial = error.partial as { height: number; getColumn(c: string): { toArray(): unknown[] } };
    assert.equal(partial.height, 12, "every other tissue ran");
    assert.ok(!partial.getColumn("tissueSiteDetailId").toArray().includes("LHb"));
    assert.equal(proxy.seen.filter((t) => t === "LHb").length, 1);
    assert.equal(new Set(proxy.seen).size, 13, "all tissues were asked before the error");

    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...a: unknown[]) => void warnings.push(a.join(" "));
    try {
      const skipped = await effectsAcrossTissues(params, { client, onError: "skip" });
      assert.equal(skipped.height, 12);
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes("LHb"));
  } finally {
    await proxy.close();
    await served.close();
  }
});

Deno.test("effectsAcrossTissues checks its options before any request", async () => {
  const client = createClient({ source: "http://127.0.0.1:9", cache: false, retries: 0 });
  for (
    const bad of [{ onError: "ignore" }, { transform: "ln" }, { tissueSiteDetailId: "IL" }] as Record<string, unknown>[]
  ) {
    await assert.rejects(
      effectsAcrossTissues(params, { client, ...bad }),
      (e: unknown) => e instanceof ValidationError,
      JSON.stringify(bad),
    );
  }
  await assert.rejects(
    effectsAcrossTissues({ geneId: "Cd300lf" } as typeof params, { client }),
    (e: unknown) => e instanceof ValidationError && e.parameter === "params",
  );
});
