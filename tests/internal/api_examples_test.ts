/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `lib/api/` carried.
 * No entry point exports these names, so their documentation keeps the prose and the checks live here
 * (the public surface's own examples import from the entry points and run as doc tests).
 *
 * @module
 */
import assert from "node:assert/strict";
import { defaultCacheDir, ResponseCache } from "../../lib/api/_cache.ts";
import pl from "nodejs-polars";
import { checkGeneId, checkKnownGenes, checkTissueId, geneListUrl } from "../../lib/api/_params.ts";
import { createClient, ResponseFormatError, V4_TISSUE_IDS, ValidationError } from "ratgtex";
import { progressBar } from "../../lib/api/_progress.ts";
import { geneParams, perGene } from "../../lib/api/_route.ts";
import { frameColumns } from "../../lib/api/columns.ts";
import { medianResult } from "../../lib/api/expression.ts";
import { parseApiJson } from "../../lib/_core/json_read.ts";
import { dyneqtlResult, singleTissueEqtlFrame } from "../../lib/api/qtl.ts";

Deno.test("lib/api/_params.ts: geneListUrl", () => {
  assert.equal(geneListUrl("https://ratgtex.org/api/v4"), "https://ratgtex.org/data/v4/autocomplete.v4.json");
  assert.equal(geneListUrl("http://127.0.0.1:8000/other"), null);
});

Deno.test("lib/api/_params.ts: checkKnownGenes", () => {
  const known = new Set(["Cd300lf", "Eno1"]);
  checkKnownGenes("eqtl", { geneId: "Cd300lf" }, known);
  assert.throws(() => checkKnownGenes("eqtl", { geneId: "cd300lf" }, known), /did you mean Cd300lf\?/);
});

Deno.test("lib/api/_params.ts: checkGeneId", () => {
  assert.equal(checkGeneId("Cd300lf"), "Cd300lf");
  assert.throws(() => checkGeneId("Cd300lf,Eno1"), ValidationError); // pass several genes as an array
});

Deno.test("lib/api/_params.ts: checkTissueId", () => {
  assert.equal(checkTissueId("IL", V4_TISSUE_IDS), "IL");
  assert.throws(() => checkTissueId("il", V4_TISSUE_IDS), /did you mean IL\?/);
});

Deno.test("lib/api/_progress.ts: progressBar", () => {
  const p = progressBar("genes", 3); // fewer than 8 items: silent
  for (let i = 0; i < 3; i++) p.tick();
  p.done();
  assert.equal(progressBar("genes", 3), progressBar("genes", 100, false));
});

Deno.test("lib/api/_route.ts: geneParams", () => {
  assert.deepEqual(geneParams(["Cd300lf", "Eno1"]), { geneId: ["Cd300lf", "Eno1"] });
  assert.deepEqual(geneParams("Cd300lf"), { geneId: "Cd300lf" });
});

Deno.test("lib/api/_route.ts: perGene", async () => {
  const client = createClient({ source: "offline" });
  const frame = await perGene(
    "eqtl",
    ["Cd300lf", "Eno1"],
    { client },
    (rows) => pl.DataFrame({ geneId: rows.map((r) => String(r.geneId)) }),
  ) as pl.DataFrame;
  assert.deepEqual([...new Set(frame.getColumn("geneId").toArray())], ["Cd300lf", "Eno1"]);
});

Deno.test("lib/api/columns.ts: frameColumns", () => {
  assert.deepEqual(frameColumns("variant"), ["variantId", "chromosome", "pos", "ref", "alt"]);
  assert.equal(frameColumns("gene").at(-1), "statusInTissue");
});

Deno.test("lib/api/expression.ts: medianResult", () => {
  const med = medianResult(parseApiJson(
    '{"clusters":{"gene":"Not enough data","tissue":"Not enough data"},"medianGeneExpression":[{"geneId":"Eno1","median":812.3,"tissueSiteDetailId":"IL"}]}\n',
  ));
  assert.deepEqual(med.values, [[812.3]]);
  assert.equal(med.geneTree, null);
  assert.throws(
    () => medianResult({ clusters: { gene: "((a:1,b:1);", tissue: "Not enough data" }, medianGeneExpression: [] }),
    ResponseFormatError,
  );
});

Deno.test("lib/api/qtl.ts: singleTissueEqtlFrame", () => {
  const text =
    '{"singleTissueEqtl":[{"chromosome":"chr10","geneId":"Cd300lf","nes":0.61,"pValue":8.43e-08,"pos":100826333,"tissueSiteDetailId":"IL","variantId":"chr10:100826333"}]}\n';
  const frame = singleTissueEqtlFrame(parseApiJson(text));
  assert.equal(frame.height, 1);
  assert.equal(frame.getColumn("pValue").toArray()[0], 8.43e-8);
});

Deno.test("lib/api/qtl.ts: dyneqtlResult", () => {
  const dyn = dyneqtlResult({
    alt: "T",
    ref: "C",
    data: [1.5, 2.5, 4],
    genotypes: [0, 1, null],
    geneId: "Cd300lf",
    hetCount: 1,
    homoAltCount: 0,
    homoRefCount: 1,
    maf: 0.25,
    pValue: null,
    pValueThreshold: 0.0017,
    tissueSiteDetailId: "IL",
    variantId: "chr10:100826333",
  });
  assert.equal(dyn.samples.height, 3);
  assert.deepEqual(dyn.samples.getColumn("genotype").toArray(), [0, 1, null]);
});

Deno.test("lib/api/_cache.ts: defaultCacheDir", () => {
  const dir = defaultCacheDir();
  assert.ok(dir === null || /ratgtex/.test(dir)); // e.g. "/home/me/.cache/ratgtex"
});

Deno.test("lib/api/_cache.ts: ResponseCache", async () => {
  const cache = new ResponseCache(await Deno.makeTempDir(), { maxEntryBytes: 1 << 20 });
  await cache.put("https://ratgtex.org/api/v4/tissueInfo", '{"tissueInfo":[]}\n');
  assert.equal(await cache.get("https://ratgtex.org/api/v4/tissueInfo"), '{"tissueInfo":[]}\n');
  assert.equal(await cache.get("https://ratgtex.org/api/v4/gene?geneId=Eno1"), null);
});
