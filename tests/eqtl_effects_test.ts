/**
 * The one-call analysis against the twin over loopback: every independent eQTL of a gene, recomputed.
 * The offline universe's pipeline is an OLS of log2(TPM+1) on dosage, so with transform "log2" the
 * recomputed p-value must equal the API's nominal pValue to its 6 significant digits — an end-to-end
 * check of routes, parsing and regression together.
 */
import assert from "node:assert/strict";
import { createClient, eqtlEffects, type ExpressionTransform, ValidationError } from "../mod.ts";
import { loadUniverse, serveTwin } from "../lib/offline/mod.ts";

Deno.test("eqtlEffects: one row per independent eQTL, recomputed p equals the offline pipeline's", async () => {
  const served = await serveTwin();
  try {
    const client = createClient({ source: served.baseUrl, cache: false });
    const universe = await loadUniverse();
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
        // Tolerance: the API rounds to 6 significant digits (and pandas parses them with a last-bit
        // error past e±22); our p must round to the same 6 digits.
        assert.equal((r.pValue as number).toPrecision(6), api.toPrecision(6), `${geneId} ${r.tissueSiteDetailId}`);
        assert.equal(r.pValueBeta, expected[i].pValueBeta);
      });
    }
    const il = await eqtlEffects("Cd300lf", { client, tissueSiteDetailId: "IL" });
    assert.equal(il.height, 1);
    assert.equal(il.getColumn("transform").get(0), "int", "the default transform is regressEqtl's");
    assert.ok((il.getColumn("nes").get(0) as number) > 0, "the T allele raises Cd300lf in IL");
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
