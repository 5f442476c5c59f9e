/**
 * The one-call analysis against the twin over loopback: every independent eQTL of a gene, recomputed.
 * The offline universe's pipeline is RatGTEx's (normalised phenotypes, 25 covariates), so the naive
 * recomputation from dyneqtl's data must NOT give the API's nominal pValue — as on real data — while the
 * release's own files (`Release.eqtlStatistics`) give it to its 6 significant digits.
 */
import assert from "node:assert/strict";
import { createClient, eqtlEffects, ValidationError } from "ratgtex";
import type { ExpressionTransform } from "ratgtex/analysis";
import { loadUniverse, serveTwin } from "ratgtex/offline";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

Deno.test("eqtlEffects: one row per independent eQTL; the naive p differs from the API's, the release's files reproduce it", async () => {
  const served = await serveTwin();
  try {
    const client = createClient({ source: served.baseUrl, cache: false });
    const universe = await loadUniverse();
    const rel = await openRelease(BUNDLED_RELEASE);
    for (const geneId of ["Cd300lf", "Eno1", "SynG001"]) {
      const expected = universe.eqtls.get(geneId) ?? [];
      const frame = await eqtlEffects(geneId, { client, transform: "log2" });
      assert.equal(frame.height, expected.length, geneId);
      const rows = frame.toRecords() as Record<string, number | string | null>[];
      rows.forEach((r, i) => {
        assert.equal(r.variantId, expected[i].variantId);
        assert.equal(r.transform, "log2");
        const api = universe.nominal.get(`${r.tissueSiteDetailId}|${geneId}`)!.get(r.variantId as string)!;
        assert.equal(r.apiPValue, api);
        // The API rounds to 6 significant digits: a naive OLS (no covariates) must not land on them.
        assert.notEqual((r.pValue as number).toPrecision(6), api.toPrecision(6), `${geneId} ${r.tissueSiteDetailId}`);
        assert.equal(r.pValueBeta, expected[i].pValueBeta);
      });
      // The pipeline-exact recomputation of the same pairs lands on the API's p-values.
      const exact = await rel.eqtlStatistics(
        rows.map((r) => ({
          geneId,
          tissueSiteDetailId: r.tissueSiteDetailId as string,
          variantId: r.variantId as string,
        })),
      );
      (exact.toRecords() as { pValue: number; publishedPValue: number }[]).forEach((x, i) => {
        // (compared as 6-digit text: past e±22 the server's pandas parser is a last bit off)
        assert.equal(x.pValue.toPrecision(6), (rows[i].apiPValue as number).toPrecision(6), `${geneId} exact`);
      });
    }
    const il = await eqtlEffects("Cd300lf", { client, tissueSiteDetailId: "IL" });
    const inIL = universe.eqtls.get("Cd300lf")!.filter((e) => e.tissue === "IL");
    assert.equal(il.height, inIL.length);
    assert.deepEqual(il.getColumn("variantId").toArray(), inIL.map((e) => e.variantId));
    assert.equal(il.getColumn("transform").get(0), "int", "the default transform is regressEqtl's");
    const worked = (il.toRecords() as Record<string, unknown>[]).find((r) => r.variantId === "chr10:100826333")!;
    assert.ok((worked.nes as number) > 0, "the T allele raises Cd300lf in IL");
  } finally {
    await served.close();
  }
});

Deno.test("eqtlEffects checks its analysis options before any request", async () => {
  // Port 9 (discard) on loopback: any request would fail with a network or permission error instead.
  const client = createClient({ source: "http://127.0.0.1:9", cache: false, retries: 0 });
  await assert.rejects(
    eqtlEffects("Cd300lf", { client, transform: "ln" as ExpressionTransform }),
    (e: unknown) => e instanceof ValidationError && e.parameter === "options.transform",
  );
  await assert.rejects(
    eqtlEffects("Cd300lf", { client, tissueSiteDetailId: 5 as unknown as string }),
    (e: unknown) => e instanceof ValidationError && e.parameter === "options.tissueSiteDetailId",
  );
});
