/**
 * Two paths, one answer: every column that two paths of the library both give is compared over every gene
 * of the bundled release —
 *
 * - the release's frames (`Release.genes`, `independentEqtls`, `independentXqtls`, `significantPairs`,
 *   `medianExpression`, `topAssociations`) against the routes' frames for the same gene (`gene`, `eqtl`,
 *   `xqtl`, `singleTissueEqtl`, `medianGeneExpression`, `geneStatus`);
 * - the in-process offline source against the twin behind HTTP on loopback, route by route;
 * - a remote release (the twin's file server on loopback) against the same release read as a folder.
 *
 * Columns are compared by their declared types (a Bool is a boolean, never a printed "True"). The CLI
 * against the library is in `tests/e2e/two_paths_cli_test.ts`.
 */
import assert from "node:assert/strict";
import type pl from "nodejs-polars";
import * as rg from "ratgtex";
import { BUNDLED_RELEASE, openRelease, type Release } from "ratgtex/release";
import { serveTwin } from "ratgtex/offline";

const offline = rg.createClient({ source: "offline", progress: false });
const rel = await openRelease(BUNDLED_RELEASE);
const GENES = JSON.parse(await Deno.readTextFile(`${BUNDLED_RELEASE}/autocomplete.v4.json`)) as string[];
type Row = Record<string, unknown>;

const rows = (frame: pl.DataFrame): Row[] => frame.toRecords() as Row[];
const key = (r: Row, cols: string[]) => cols.map((c) => String(r[c])).join("|");
/** Rows of `frame` whose `geneId` is `gene`, keyed. */
function byKey(frame: pl.DataFrame, cols: string[]): Map<string, Row> {
  return new Map(rows(frame).map((r) => [key(r, cols), r]));
}
/**
 * The RatGTEx server parses its TSVs with pandas, whose default float parser is not correctly rounded (it can
 * be one unit in the last place off: "4.34347e-28" → 4.343470000000001e-28); the twin reproduces that, and the
 * release's reader parses correctly. Two ulps (4.5e-16 relative) is the bound where a route's float is the
 * server's parse of the very token the release reads.
 */
const PANDAS_ULPS = 4.5e-16;

/** A float equal to the other, or both null/NaN (the server writes NaN where the file has NA). */
function sameNumber(a: unknown, b: unknown, rel = 0): boolean {
  const missing = (x: unknown) => x === null || x === undefined || (typeof x === "number" && Number.isNaN(x));
  if (missing(a) || missing(b)) return missing(a) && missing(b);
  const x = Number(a), y = Number(b);
  return x === y || Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y));
}

Deno.test("two paths: Release.genes() equals the gene route, column by column, for every gene", async () => {
  const mine = byKey(await rel.genes(), ["geneId"]);
  const theirs = rows(await rg.gene(GENES, { client: offline }));
  assert.equal(theirs.length, GENES.length);
  const disagree: string[] = [];
  for (const r of theirs) {
    const m = mine.get(String(r.geneId));
    if (!m) {
      disagree.push(`${r.geneId}: missing from Release.genes()`);
      continue;
    }
    for (const c of ["chromosome", "start", "end", "strand", "tss", "description", "hasEqtl"]) {
      if (String(m[c]) !== String(r[c]) || typeof m[c] !== typeof r[c]) {
        disagree.push(`${r.geneId}.${c}: release ${JSON.stringify(m[c])}, route ${JSON.stringify(r[c])}`);
      }
    }
  }
  assert.deepEqual(disagree, []);
  // hasEqtl is a boolean both ways, and true for some genes (it was false for every gene when a Bool column
  // was compared with the printed "True").
  assert.ok([...mine.values()].some((r) => r.hasEqtl === true));
});

Deno.test("two paths: the release's independent eQTLs and xQTLs equal the eqtl and xqtl routes, every gene", async () => {
  const eqCols = ["geneId", "tissueSiteDetailId", "variantId"];
  const mineEq = byKey(await rel.independentEqtls(), eqCols);
  const routeEq = rows(await rg.eqtl(GENES, { client: offline }));
  assert.equal(routeEq.length, mineEq.size, "as many independent eQTLs");
  const disagree: string[] = [];
  for (const r of routeEq) {
    const m = mineEq.get(key(r, eqCols));
    if (!m) disagree.push(`eqtl ${key(r, eqCols)}: not in the release frame`);
    else {
      for (const c of ["chromosome", "pos", "ref", "alt"]) if (String(m[c]) !== String(r[c])) disagree.push(`${c}`);
      for (const c of ["pValueBeta", "log2aFC"]) {
        if (!sameNumber(m[c], r[c], PANDAS_ULPS)) disagree.push(`eqtl ${key(r, eqCols)}.${c}: ${m[c]} vs ${r[c]}`);
      }
    }
  }
  const xCols = ["geneId", "tissueSiteDetailId", "modality", "phenotypeId", "variantId"];
  const mineX = byKey(await rel.independentXqtls(), xCols);
  const routeX = rows(await rg.xqtl(GENES, { client: offline }));
  assert.equal(routeX.length, mineX.size, "as many independent xQTLs");
  for (const r of routeX) {
    const m = mineX.get(key(r, xCols));
    if (!m) disagree.push(`xqtl ${key(r, xCols)}: not in the release frame`);
    else {
      for (const c of ["modality", "modalityLabel", "chromosome", "pos", "ref", "alt"]) {
        if (String(m[c]) !== String(r[c])) disagree.push(`xqtl ${key(r, xCols)}.${c}: ${m[c]} vs ${r[c]}`);
      }
      if (!sameNumber(m.pValueBeta, r.pValueBeta, PANDAS_ULPS)) disagree.push(`xqtl ${key(r, xCols)}.pValueBeta`);
    }
  }
  assert.deepEqual(disagree, []);
});

Deno.test("two paths: the release's significant pairs equal singleTissueEqtl (its p at the server's 4 digits)", async () => {
  const cols = ["geneId", "tissueSiteDetailId", "variantId"];
  const mine = byKey(await rel.significantPairs(), cols);
  const route = rows(await rg.singleTissueEqtl(GENES, { client: offline }));
  assert.equal(route.length, mine.size, "as many significant pairs");
  const disagree: string[] = [];
  for (const r of route) {
    const m = mine.get(key(r, cols));
    if (!m) {
      disagree.push(`${key(r, cols)}: not in cis_qtl_signif`);
      continue;
    }
    if (String(m.chromosome) !== String(r.chromosome) || Number(m.pos) !== Number(r.pos)) disagree.push("position");
    // The server rounds pValue to 4 significant digits (ratgtex-api.md) from all_gene_esnps, itself written at
    // 6 significant digits: rounding twice can move the 4th digit by one unit (2.89349e-51 → 2.893e-51, where
    // cis_qtl_signif's 2.8935e-51 gives 2.894e-51), so the bound is one unit of the 4th digit (1e-3 relative).
    // nes comes from all_gene_esnps at 6 significant digits of the same slope.
    if (!sameNumber(Number(Number(m.pValue).toPrecision(4)), r.pValue, 1e-3)) {
      disagree.push(`${key(r, cols)}.pValue: ${m.pValue} vs ${r.pValue}`);
    }
    if (!sameNumber(m.nes, r.nes, 5e-6)) disagree.push(`${key(r, cols)}.nes: ${m.nes} vs ${r.nes}`);
  }
  assert.deepEqual(disagree, []);
});

Deno.test("two paths: the release's medians and eGene calls equal medianGeneExpression and geneStatus", async () => {
  const med = await rg.medianGeneExpression(GENES, { client: offline });
  const cols = ["geneId", "tissueSiteDetailId"];
  const mine = byKey(await rel.medianExpression(), cols);
  const disagree: string[] = [];
  for (const r of rows(med.long)) {
    const m = mine.get(key(r, cols));
    if (!m || !sameNumber(m.median, r.median, PANDAS_ULPS)) {
      disagree.push(`${key(r, cols)}: ${m?.median} vs ${r.median}`);
    }
  }
  assert.equal(med.long.height, mine.size);
  // An eGene in a tissue (top_assoc qval < 0.05) is a gene whose statusInTissue says eqtl: true.
  const top = rows(await rel.topAssociations());
  const eGene = new Set(top.filter((r) => r.eGene === true).map((r) => key(r, cols)));
  const tested = new Set(top.map((r) => key(r, cols)));
  for (const s of rows(await rg.geneStatus(GENES, { client: offline }))) {
    if ((s.eqtl === true) !== eGene.has(key(s, cols))) disagree.push(`${key(s, cols)}: eqtl ${s.eqtl}`);
    if ((s.testedEqtl === true) !== tested.has(key(s, cols))) disagree.push(`${key(s, cols)}: tested ${s.testedEqtl}`);
  }
  assert.deepEqual(disagree, []);
  assert.ok(eGene.size > 0);
});

Deno.test("two paths: the in-process offline source equals the twin behind HTTP on loopback, every route", async () => {
  const served = await serveTwin({ quiet: true });
  try {
    const http = rg.createClient({ source: served.baseUrl, cache: false, progress: false });
    const same = async (name: string, call: (c: rg.Client) => Promise<unknown>) => {
      const [a, b] = await Promise.all([call(offline), call(http)]);
      const norm = (x: unknown) =>
        typeof (x as pl.DataFrame)?.toRecords === "function" ? (x as pl.DataFrame).toRecords() : x;
      assert.deepEqual(norm(a), norm(b), name);
    };
    await same("tissueInfo", (client) => rg.tissueInfo({}, { client }));
    for (const route of ["gene", "geneStatus", "exon", "eqtl", "xqtl", "singleTissueEqtl", "geneExpression"] as const) {
      await same(route, (client) => (rg[route] as (g: string[], o: object) => Promise<unknown>)(GENES, { client }));
    }
    await same("medianGeneExpression", async (client) => (await rg.medianGeneExpression(GENES, { client })).long);
    for (const t of rg.V4_TISSUE_IDS) {
      await same(`topExpressedGene ${t}`, (client) => rg.topExpressedGene({ tissueSiteDetailId: t }, { client }));
    }
    // dyneqtl: every independent eQTL of every gene.
    const triples = rows(await rg.eqtl(GENES, { client: offline })).map((r) => ({
      geneId: String(r.geneId),
      tissueSiteDetailId: String(r.tissueSiteDetailId),
      variantId: String(r.variantId),
    }));
    assert.ok(triples.length > 20);
    const pick = ({ samples: _samples, ...d }: rg.DyneqtlResult) => d;
    const a = (await rg.dyneqtl(triples, { client: offline })).map(pick);
    const b = (await rg.dyneqtl(triples, { client: http })).map(pick);
    assert.deepEqual(a, b);
  } finally {
    await served.close();
  }
});

Deno.test("two paths: a remote release (HTTP on loopback) equals the same release read as a folder", async () => {
  const served = await serveTwin({ quiet: true });
  const cacheDir = await Deno.makeTempDir();
  try {
    const remote = await openRelease(served.baseUrl.replace(/\/api\/v4$/, "/data/v4"), { cacheDir });
    const frames: [string, (r: Release) => Promise<pl.DataFrame>][] = [
      ["genes", (r) => r.genes()],
      ["independentEqtls", (r) => r.independentEqtls()],
      ["independentXqtls", (r) => r.independentXqtls()],
      ["topAssociations", (r) => r.topAssociations()],
      ["significantPairs IL", (r) => r.significantPairs(["IL"])],
      ["medianExpression", (r) => r.medianExpression()],
    ];
    for (const [name, get] of frames) {
      assert.deepEqual((await get(remote)).toRecords(), (await get(rel)).toRecords(), name);
    }
    // The pipeline-exact statistics too, for one gene's independent eQTLs.
    const pairs = rows(await rel.independentEqtls()).filter((r) => r.geneId === "Cd300lf").map((r) => ({
      geneId: String(r.geneId),
      tissueSiteDetailId: String(r.tissueSiteDetailId),
      variantId: String(r.variantId),
    }));
    assert.deepEqual(
      (await remote.eqtlStatistics(pairs)).toRecords(),
      (await rel.eqtlStatistics(pairs)).toRecords(),
    );
  } finally {
    await served.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
});
