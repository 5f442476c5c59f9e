/**
 * The twin of the RatGTEx server, over real HTTP on loopback: every route, every quirk of the real server
 * (../shared/ratgtex-api.md), and its fault injection. Expected values come from the universe's tables,
 * never from a hard-coded response.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/json_write.ts`,
 * `lib/api/client.ts`, `lib/offline/twin.ts`.
 */
import assert from "node:assert/strict";
import { createTwin, type FaultRule, loadUniverse, serveTwin } from "ratgtex/offline";
import { werkzeugPage } from "../lib/offline/twin.ts";
import { pyFloatRepr } from "../lib/_core/json_write.ts";

const universe = await loadUniverse();
const tissueIds = universe.tissues.map((t) => t.tissueSiteDetailId);

/** Every object's keys are in sorted order, at every level. */
function assertSortedKeys(value: unknown, path = "$"): void {
  if (Array.isArray(value)) value.forEach((v, i) => assertSortedKeys(v, `${path}[${i}]`));
  else if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    assert.deepEqual(keys, [...keys].sort(), `keys not sorted at ${path}`);
    for (const k of keys) assertSortedKeys((value as Record<string, unknown>)[k], `${path}.${k}`);
  }
}

/** The JSON text is compact: no whitespace outside strings. */
function assertCompact(text: string): void {
  const outside = text.slice(0, -1).replace(/"(?:[^"\\]|\\.)*"/g, '""');
  assert.ok(!/\s/.test(outside), "whitespace outside strings");
  assert.ok(text.endsWith("}\n"), "trailing newline after the object");
}

Deno.test("twin over loopback HTTP: routes, shapes and quirks", async (t) => {
  const served = await serveTwin({ faultInjection: true });
  const base = served.baseUrl;
  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${base}/${path}`, init);
    return { res, text: await res.text() };
  };
  const getJson = async (path: string) => {
    const { res, text } = await get(path);
    assert.equal(res.status, 200, `${path}: ${text.slice(0, 200)}`);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    assertCompact(text);
    const body = JSON.parse(text.replace(/\bNaN\b/g, "null"));
    assertSortedKeys(body);
    return { body, text };
  };
  try {
    await t.step("tissueInfo: 13 tissues in the server's order, real metadata, derived fields", async () => {
      const { body } = await getJson("tissueInfo");
      assert.deepEqual(body.tissueInfo.map((x: { tissueSiteDetailId: string }) => x.tissueSiteDetailId), tissueIds);
      const il = body.tissueInfo[5];
      assert.equal(il.tissueSiteDetail, "Infralimbic cortex");
      assert.equal(il.colorHex, "377eb8");
      assert.equal(il.colorRgb, "55,126,184");
      assert.equal(il.tissueSiteDetailAbbr, "IL");
      assert.equal(il.rnaSeqAndGenotypeSampleCount, universe.samples.get("IL")!.length);
      assert.equal(il.hasEGenes, il.eGeneCount > 0);
      assert.equal(il.datasetId, "ratgtex_v4");
    });

    await t.step(
      "gene: query order, unknown dropped, Xxxx capitalisation retried, statusInTissue per tissue",
      async () => {
        const { body } = await getJson("gene?geneId=Eno1,NoSuchGene,CD300LF");
        assert.deepEqual(body.gene.map((g: { geneId: string }) => g.geneId), ["Eno1", "Cd300lf"]);
        const cd = body.gene[1];
        assert.equal(cd.chromosome, "chr10");
        assert.equal(cd.start, 100858924);
        assert.equal(cd.end, 100875111);
        assert.equal(cd.strand, "-");
        assert.equal(cd.tss, 100875111);
        assert.equal(cd.description, "Cd300 molecule-like family member F");
        assert.deepEqual(cd.statusInTissue.map((s: { tissueSiteDetailId: string }) => s.tissueSiteDetailId), tissueIds);
        const g = universe.genes.get("Cd300lf")!;
        assert.equal(cd.hasEqtl, g.status.some((s) => s.eqtl));
        const { body: none } = await getJson("gene?geneId=NoSuchGene");
        assert.deepEqual(none, { gene: [] });
      },
    );

    await t.step("gene: an empty ID crashes the server (HTML 500), as the real one does", async () => {
      const { res, text } = await get("gene?geneId=Eno1,,Cd300lf");
      assert.equal(res.status, 500);
      assert.equal(text, werkzeugPage(500));
      assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    });

    await t.step("exon: collapsed model, exonNumber in transcription order", async () => {
      const { body } = await getJson("exon?geneId=Cd300lf");
      const g = universe.genes.get("Cd300lf")!;
      assert.equal(body.exon.length, g.exons.length);
      // Minus strand: exon 1 is the one with the highest position.
      const starts = body.exon.map((e: { start: number }) => e.start);
      assert.deepEqual(starts, [...starts].sort((a: number, b: number) => b - a));
      assert.equal(body.exon[0].exonId, "Cd300lf_1");
      assert.equal(body.exon[0].transcriptId, "Cd300lf");
      assert.equal(body.exon[0].featureType, "exon");
      assert.deepEqual((await getJson("exon?geneId=Nope")).body, { exon: [] });
    });

    await t.step("variant: alleles, unknown and malformed skipped, multi-allelic → 500", async () => {
      const { body } = await getJson("variant?variantId=chr10:100826333,chr10:1,junk,chr10:100955984");
      assert.deepEqual(body.variant.map((v: { variantId: string }) => v.variantId), [
        "chr10:100826333",
        "chr10:100955984",
      ]);
      assert.deepEqual(body.variant[0], {
        alt: "T",
        chromosome: "chr10",
        pos: 100826333,
        ref: "C",
        variantId: "chr10:100826333",
      });
      const multi = [...universe.variants.values()].find((v) => v.alt.includes(","))!;
      const { res, text } = await get(`variant?variantId=${multi.variantId}`);
      assert.equal(res.status, 500);
      assert.equal(text, werkzeugPage(500));
    });

    await t.step("geneExpression: 13 entries, TPM per sample, no sample IDs; unknown gene → 500", async () => {
      const { body, text } = await getJson("geneExpression?geneId=Cd300lf");
      assert.equal(body.geneExpression.length, 13);
      for (const [i, e] of body.geneExpression.entries()) {
        assert.equal(e.tissueSiteDetailId, tissueIds[i]);
        assert.equal(e.unit, "TPM");
        assert.equal(e.geneSymbol, "Cd300lf");
        assert.deepEqual(e.data, Array.from(universe.expression.get(tissueIds[i])!.get("Cd300lf")!));
      }
      // A gene that is off in a tissue gives zeros, written as Python floats.
      const off = await get("geneExpression?geneId=SynG010");
      assert.match(off.text, /"data":\[0\.0,0\.0/);
      // Every TPM is written as a Python float (with a point or an exponent), never as an int.
      const firstData = /"data":\[([^\]]*)\]/.exec(text)![1].split(",");
      assert.ok(firstData.every((x) => /[.e]/.test(x)), "floats keep Python's form");
      const { res } = await get("geneExpression?geneId=Nope");
      assert.equal(res.status, 500);
    });

    await t.step("medianGeneExpression: tissue-major rows, medians, clusters; Not enough data; 500s", async () => {
      const { body } = await getJson(
        "medianGeneExpression?geneId=Polr3k,Nope,Rtel1,Eno1&tissueSiteDetailId=IL,LHb,NAcc",
      );
      const rows = body.medianGeneExpression;
      assert.equal(rows.length, 9);
      assert.deepEqual(rows.slice(0, 3).map((r: { geneId: string }) => r.geneId), ["Polr3k", "Rtel1", "Eno1"]);
      assert.deepEqual(rows.map((r: { tissueSiteDetailId: string }) => r.tissueSiteDetailId), [
        "IL",
        "IL",
        "IL",
        "LHb",
        "LHb",
        "LHb",
        "NAcc",
        "NAcc",
        "NAcc",
      ]);
      assert.equal(rows[2].median, universe.medians.get("Eno1")![tissueIds.indexOf("IL")]);
      assert.match(body.clusters.gene, /^\(.*\);$/);
      assert.match(body.clusters.tissue, /^\(.*\);$/);
      const one = (await getJson("medianGeneExpression?geneId=Eno1")).body;
      assert.equal(one.clusters.gene, "Not enough data");
      assert.equal(one.medianGeneExpression.length, 13);
      const oneTissue = (await getJson("medianGeneExpression?geneId=Eno1,Rtel1&tissueSiteDetailId=IL")).body;
      assert.equal(oneTissue.clusters.tissue, "Not enough data");
      for (
        const bad of [
          "medianGeneExpression?geneId=Nope",
          "medianGeneExpression?geneId=Eno1&tissueSiteDetailId=il",
          "medianGeneExpression",
        ]
      ) {
        const { res, text } = await get(bad);
        assert.equal(res.status, 500, bad);
        assert.equal(text, werkzeugPage(500));
      }
    });

    await t.step("topExpressedGene: at most 50 by median; filterMtGene parsed as JSON, default false", async () => {
      const mt = universe.top.get("IL")!.filter((r) => r.mtGene).map((r) => r.geneId);
      assert.ok(mt.length >= 3);
      const all = (await getJson("topExpressedGene?tissueSiteDetailId=IL")).body.topExpressedGene;
      assert.equal(all.length, 50);
      const medians = all.map((r: { median: number }) => r.median);
      assert.deepEqual(medians, [...medians].sort((a: number, b: number) => b - a));
      assert.ok(all.some((r: { geneId: string }) => mt.includes(r.geneId)), "chrM genes included by default");
      for (
        const [value, filtered] of [["true", true], ["1", true], ["True", false], ["false", false], [
          "yes",
          false,
        ]] as const
      ) {
        const rows =
          (await getJson(`topExpressedGene?tissueSiteDetailId=IL&filterMtGene=${value}`)).body.topExpressedGene;
        assert.equal(rows.some((r: { geneId: string }) => mt.includes(r.geneId)), !filtered, `filterMtGene=${value}`);
      }
      assert.deepEqual((await getJson("topExpressedGene?tissueSiteDetailId=il")).body, { topExpressedGene: [] });
    });

    await t.step("singleTissueEqtl: significant pairs, p rounded to 4 significant digits", async () => {
      const { body } = await getJson("singleTissueEqtl?geneId=Cd300lf");
      const expected = universe.significant.get("Cd300lf")!;
      assert.equal(body.singleTissueEqtl.length, expected.length);
      for (const [i, r] of body.singleTissueEqtl.entries()) {
        assert.equal(r.variantId, expected[i].variantId);
        assert.equal(r.pValue, Number(expected[i].pValue.toExponential(3)));
        assert.equal(r.pos, Number(r.variantId.split(":")[1]));
      }
      assert.deepEqual((await getJson("singleTissueEqtl?geneId=Nope")).body, { singleTissueEqtl: [] });
    });

    await t.step("eqtl: independent eQTLs with bare NaN log2aFC tokens", async () => {
      const withNaN = [...universe.eqtls.entries()].find(([, rows]) => rows.some((r) => Number.isNaN(r.log2aFC)))!;
      const { res, text } = await get(`eqtl?geneId=${withNaN[0]}`);
      assert.equal(res.status, 200);
      assert.match(text, /"log2aFC":NaN,/);
      assert.throws(() => JSON.parse(text), SyntaxError);
      const { body } = await getJson(`eqtl?geneId=${withNaN[0]}`);
      assert.equal(body.eqtl.length, withNaN[1].length);
      assert.deepEqual((await getJson("eqtl")).body, { eqtl: [] }, "a missing geneId matches nothing (pandas == None)");
    });

    await t.step("xqtl: six modalities and their phenotypeId forms", async () => {
      const modalities = new Set<string>();
      for (const [geneId] of universe.xqtls) {
        for (const r of (await getJson(`xqtl?geneId=${geneId}`)).body.xqtl) {
          modalities.add(r.modality);
          const forms: Record<string, RegExp> = {
            expression: new RegExp(`^${geneId}$`),
            stability: new RegExp(`^${geneId}$`),
            isoforms: new RegExp(`^${geneId}__[NX]M_\\d+\\.\\d$`),
            splicing: new RegExp(`^${geneId}__chr\\w+_\\d+_\\d+_clu_\\d+_[+-]$`),
            alt_TSS: new RegExp(`^${geneId}__grp_[12]_upstream_[NX]M_\\d+\\.\\d$`),
            alt_polyA: new RegExp(`^${geneId}__grp_[12]_downstream_[NX]M_\\d+\\.\\d$`),
          };
          assert.match(r.phenotypeId, forms[r.modality], `${r.modality}: ${r.phenotypeId}`);
        }
        if (modalities.size === 6) break;
      }
      assert.deepEqual([...modalities].sort(), [
        "alt_TSS",
        "alt_polyA",
        "expression",
        "isoforms",
        "splicing",
        "stability",
      ]);
    });

    await t.step("dyneqtl: the API page's worked example, exactly", async () => {
      const { body, text } = await getJson("dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:100826333");
      assert.equal(body.ref, "C");
      assert.equal(body.alt, "T");
      assert.equal(body.homoRefCount, 27);
      assert.equal(body.hetCount, 35);
      assert.equal(body.homoAltCount, 16);
      assert.equal(body.maf, 0.42948717948717946);
      assert.equal(body.pValue, 8.43005e-8);
      const threshold = universe.thresholds.get("IL|Cd300lf")!; // top_assoc's (the miniature IL's)
      assert.equal(body.pValueThreshold, threshold);
      assert.ok(
        text.includes(`"maf":0.42948717948717946,"pValue":8.43005e-08,"pValueThreshold":${JSON.stringify(threshold)},`),
      );
      assert.equal(body.data.length, universe.samples.get("IL")!.length);
      assert.equal(body.genotypes.length, body.data.length);
      assert.equal(body.genotypes.filter((g: number | null) => g === null).length, body.data.length - 78);
      // No effect size: GTEx's nes/error/tStatistic are not returned.
      for (const k of ["nes", "error", "tStatistic"]) assert.ok(!(k in body));
    });

    await t.step("dyneqtl: 404 JSON for an unknown variant; HTML 500 for the server's crash cases", async () => {
      const { res, text } = await get("dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:1");
      assert.equal(res.status, 404);
      assert.equal(res.headers.get("content-type"), "application/json");
      assert.equal(text, '{"error":"Variant not found: chr10:1"}\n');
      const untested = [...universe.genes.values()].find((g) => !g.status[tissueIds.indexOf("IL")].testedEqtl)!;
      const multi = [...universe.variants.values()].find((v) => v.alt.includes(","))!;
      for (
        const q of [
          "geneId=Nope&tissueSiteDetailId=IL&variantId=chr10:100826333",
          "geneId=Cd300lf&tissueSiteDetailId=il&variantId=chr10:100826333",
          `geneId=${untested.geneId}&tissueSiteDetailId=IL&variantId=chr10:100826333`,
          `geneId=Cd300lf&tissueSiteDetailId=IL&variantId=${multi.variantId}`,
          "geneId=Cd300lf&tissueSiteDetailId=IL",
        ]
      ) {
        const r = await get(`dyneqtl?${q}`);
        assert.equal(r.res.status, 500, q);
        assert.equal(r.text, werkzeugPage(500));
      }
      // A valid variant outside the gene's cis window: answered, pValue null (never tested).
      const far = [...universe.variants.values()].find((v) => v.chromosome === "chr1" && !v.alt.includes(","))!;
      const { body } = await getJson(`dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=${far.variantId}`);
      assert.equal(body.pValue, null);
    });

    await t.step("unknown path → 404 HTML; POST → 405; OPTIONS → 200", async () => {
      const a = await get("nope");
      assert.equal(a.res.status, 404);
      assert.match(a.text, /<title>404 Not Found<\/title>/);
      const b = await get("gene?geneId=Eno1", { method: "POST" });
      assert.equal(b.res.status, 405);
      assert.match(b.text, /<title>405 Method Not Allowed<\/title>/);
      const c = await get("gene", { method: "OPTIONS" });
      assert.equal(c.res.status, 200);
    });

    await t.step("fault injection: status with Retry-After, latency, truncate, drop, non-JSON, large", async () => {
      served.twin.inject({ route: "tissueInfo", times: 1, faults: [{ kind: "status", status: 429, retryAfter: 2 }] });
      const a = await get("tissueInfo");
      assert.equal(a.res.status, 429);
      assert.equal(a.res.headers.get("retry-after"), "2");
      assert.equal((await get("tissueInfo")).res.status, 200, "times: 1 is consumed");

      // A latency fault is accepted and answered (that it delays is shown by the fault matrix's timeouts,
      // tests/e2e/reliability_faults_test.ts, without reading a clock).
      assert.equal((await get("tissueInfo", { headers: { "x-twin-fault": "latency=120" } })).res.status, 200);

      const full = (await get("gene?geneId=Eno1")).text;
      const cut = await get("gene?geneId=Eno1", { headers: { "x-twin-fault": "truncate" } });
      assert.equal(cut.text, full.slice(0, Math.floor(full.length / 2)));

      const res = await fetch(`${base}/gene?geneId=Eno1`, { headers: { "x-twin-fault": "drop" } });
      await assert.rejects(() => res.text());

      const html = await get("gene?geneId=Eno1", { headers: { "x-twin-fault": "not-json" } });
      assert.equal(html.res.status, 200);
      assert.match(html.res.headers.get("content-type")!, /text\/html/);

      const large = await get("singleTissueEqtl?geneId=Cd300lf", { headers: { "x-twin-fault": "large=5000" } });
      assert.equal(JSON.parse(large.text).singleTissueEqtl.length, 5000);
    });

    await t.step("counters: requests per route and the most in flight", () => {
      const s = served.twin.stats;
      assert.ok(s.requests > 20);
      assert.ok(s.byRoute.dyneqtl >= 7);
      assert.ok(s.maxInFlight >= 1);
      assert.equal(s.inFlight, 0);
    });
  } finally {
    await served.close();
  }
});

Deno.test("pyFloatRepr writes floats exactly as Python's repr (reference from CPython)", async () => {
  const reprs = JSON.parse(
    await Deno.readTextFile(new URL("./reference/pyjson/floats.json", import.meta.url)),
  ) as string[];
  assert.ok(reprs.length > 800);
  for (const r of reprs) assert.equal(pyFloatRepr(Number(r)), r);
  assert.equal(pyFloatRepr(NaN), "NaN");
});

Deno.test("twin: fault rules given at creation are the twin's own (the caller's objects are not consumed)", async () => {
  const rule: FaultRule = { route: "tissueInfo", times: 2, faults: [{ kind: "status", status: 503 }] };
  const statuses = async (twin: Awaited<ReturnType<typeof createTwin>>) => {
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await twin.handler(new Request("http://twin/api/v4/tissueInfo"));
      await res.body?.cancel();
      out.push(res.status);
    }
    return out;
  };
  const faults = [rule];
  assert.deepEqual(await statuses(await createTwin({ faults })), [503, 503, 200]);
  assert.equal(rule.times, 2, "the caller's rule is unchanged");
  // A second twin from the same options gets the same faults, not what the first one left.
  assert.deepEqual(await statuses(await createTwin({ faults })), [503, 503, 200]);
});

Deno.test("loadUniverse: a folder whose path holds '#', '%' or a space", async () => {
  // The path was pasted into a file:// URL unescaped, so '#b/u' became a fragment and the read missed.
  const dir = await Deno.makeTempDir();
  try {
    const odd = `${dir}/a#b %20c`;
    await Deno.mkdir(odd);
    await Deno.symlink(new URL("../fixtures/data", import.meta.url).pathname, `${odd}/u`);
    const u = await loadUniverse(`${odd}/u`);
    assert.deepEqual(u.tissues.map((t) => t.tissueSiteDetailId), tissueIds);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("twin: filterMtGene is read as Python's json.loads and truthiness (NaN and Infinity are true)", async () => {
  const twin = await createTwin({ faultInjection: true });
  const top = async (filter: string) => {
    const res = await twin.handler(
      new Request(`http://twin/api/v4/topExpressedGene?tissueSiteDetailId=Liver&filterMtGene=${filter}`),
    );
    return (await res.json()).topExpressedGene.map((r: { geneId: string }) => r.geneId).join(",");
  };
  const filtered = await top("true");
  assert.notEqual(filtered, await top("false"), "the filter changes Liver's list");
  for (const truthy of ["1", "NaN", "Infinity", "-Infinity", "0.5", "%22x%22"]) {
    assert.equal(await top(truthy), filtered, truthy);
  }
  for (const falsy of ["0", "0.0", "True", "null", "%22%22", "[]"]) {
    assert.equal(await top(falsy), await top("false"), falsy);
  }
});

Deno.test("twin: serves the release's files under /data/v4 with HTTP ranges", async () => {
  const twin = await createTwin();
  const path = "/data/v4/autocomplete.v4.json";
  const onDisk = await Deno.readFile(new URL("../fixtures/data/v4/autocomplete.v4.json", import.meta.url));
  const whole = await twin.handler(new Request(`http://twin${path}`));
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get("accept-ranges"), "bytes");
  assert.deepEqual(new Uint8Array(await whole.arrayBuffer()), onDisk);
  const part = await twin.handler(new Request(`http://twin${path}`, { headers: { range: "bytes=2-9" } }));
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 2-9/${onDisk.length}`);
  assert.deepEqual(new Uint8Array(await part.arrayBuffer()), onDisk.slice(2, 10));
  const tail = await twin.handler(new Request(`http://twin${path}`, { headers: { range: "bytes=-5" } }));
  assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), onDisk.slice(-5));
  const beyond = await twin.handler(
    new Request(`http://twin${path}`, { headers: { range: `bytes=${onDisk.length}-` } }),
  );
  assert.equal(beyond.status, 416);
  await beyond.body?.cancel();
  for (const bad of ["/data/v4/../../deno.json", "/data/v4/nope.tsv", "/data/v4/geno"]) {
    const res = await twin.handler(new Request(`http://twin${bad}`));
    assert.equal(res.status, 404, bad);
    await res.body?.cancel();
  }
});

Deno.test("createClient({ source: <folder> }) answers in-process from that release folder", async () => {
  const { createClient } = await import("../lib/api/client.ts");
  const dir = new URL("../fixtures/data", import.meta.url).pathname;
  const client = createClient({ source: dir, progress: false });
  assert.equal(client.offline, false);
  const res = await client.json("gene", { geneId: "Cd300lf" }) as { gene: { tss: number }[] };
  assert.equal(res.gene[0].tss, 100875111);
  const missing = createClient({ source: "/no/such/folder", progress: false, retries: 0 });
  await assert.rejects(() => missing.json("gene", { geneId: "Cd300lf" }), /release folder/);
});
