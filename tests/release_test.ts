/**
 * Genome-scale queries over a release: the frames have the route functions' columns; region and lookup
 * results equal a plain scan of the same tables; a remote release is read through the twin serving the
 * bundled folder over loopback (HTTP ranges), including an interrupted download that resumes, and never
 * leaves a partial file in the cache.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/api/columns.ts`.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { frameColumns } from "../lib/api/columns.ts";
import { BUNDLED_RELEASE, openRelease, parseRegion } from "ratgtex/release";
import { serveTwin } from "ratgtex/offline";
import { loadUniverse } from "ratgtex/offline";

/** A plain scan of a TSV of the release: rows as records of raw cells. */
async function scan(rel: string): Promise<Record<string, string>[]> {
  const raw = await Deno.readFile(`${BUNDLED_RELEASE}/${rel}`);
  const bytes = rel.endsWith(".gz") ? new Uint8Array(gunzipSync(raw)) : raw;
  const [header, ...lines] = new TextDecoder().decode(bytes).trimEnd().split("\n").map((l) => l.split("\t"));
  return lines.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
}

const rel = await openRelease(BUNDLED_RELEASE);

Deno.test("release frames have the route functions' columns", async () => {
  assert.deepEqual((await rel.independentEqtls()).columns, [...frameColumns("eqtl"), "rank"]);
  assert.deepEqual((await rel.independentXqtls()).columns, [...frameColumns("xqtl"), "rank"]);
  assert.deepEqual((await rel.genes()).columns, frameColumns("gene").slice(0, -1));
  assert.deepEqual((await rel.medianExpression()).columns, frameColumns("medianGeneExpression"));
  const eq = await rel.independentEqtls();
  assert.equal(eq.getColumn("pos").dtype.toString(), "DataType(Int64)");
  assert.equal(eq.getColumn("log2aFC").dtype.toString(), "DataType(Float64)");
  assert.ok(eq.getColumn("log2aFC").nullCount() > 0, "NA aFC is null, as the route frames make NaN");
});

Deno.test("top associations: every tested gene × tissue, eGenes as tissueInfo counts them", async () => {
  const top = await rel.topAssociations();
  const rows = await scan("eqtl/top_assoc.v4_rn8.tsv");
  assert.equal(top.height, rows.length);
  const info = await scan("tissue_info.v4.tsv");
  for (const t of info) {
    const n = top.toRecords().filter((r) => r.eGene === true && r.tissueSiteDetailId === t.tissueSiteDetailId).length;
    assert.equal(n, Number(t.eGeneCount), t.tissueSiteDetailId);
  }
});

Deno.test("region and lookup equal a plain scan of the same tables", async () => {
  const eqtlRows = await scan("eqtl/eqtls_indep.v4_rn8.tsv");
  const xqtlRows = await scan("xqtl/xqtls_indep.cross_modality.v4_rn8.tsv");
  const geneRows = await scan("gene.v4.tsv");
  const key = (r: Record<string, unknown>) =>
    `${r.tissueSiteDetailId ?? r.tissue}|${r.geneId ?? r.gene_id}|${r.variantId ?? r.variant_id}|${
      r.phenotypeId ?? r.phenotype_id ?? ""
    }`;
  const frameKeys = (df: { toRecords(): Record<string, unknown>[] }) => df.toRecords().map(key).sort();
  const cases: [string, number][] = [["chr10:100.7M-101.0M", 0], ["chr10:100826333", 0], ["chr10:100826333", 250_000], [
    "chr3:177.5M-177.8M",
    0,
  ], ["chr1:1-2", 0]];
  for (const [text, window] of cases) {
    const r = parseRegion(text, window);
    const inside = (chrom: string, pos: string) =>
      chrom === r.chromosome && Number(pos) >= r.start && Number(pos) <= r.end;
    const got = await rel.region(text, { window });
    assert.deepEqual(frameKeys(got.eqtls), eqtlRows.filter((x) => inside(x.chrom, x.pos)).map(key).sort(), text);
    assert.deepEqual(frameKeys(got.xqtls), xqtlRows.filter((x) => inside(x.chrom, x.pos)).map(key).sort(), text);
    const genes = geneRows.filter((g) =>
      g.chromosome === r.chromosome && Number(g.start) <= r.end && Number(g.end) >= r.start
    );
    assert.deepEqual(got.genes.getColumn("geneId").toArray().sort(), genes.map((g) => g.geneId).sort(), text);
    const hits = await rel.lookup(text, { window });
    assert.deepEqual(frameKeys(hits.eqtls), frameKeys(got.eqtls));
  }
  // The worked example's variant is Cd300lf's eQTL in IL.
  const hits = await rel.lookup("chr10:100826333");
  assert.ok(hits.eqtls.toRecords().some((r) => r.geneId === "Cd300lf" && r.tissueSiteDetailId === "IL"));
  assert.throws(() => parseRegion("chr10:5-1"), /start/);
  assert.throws(() => parseRegion("nonsense"), /chrN/);
});

Deno.test("significant pairs: every tissue's cis_qtl_signif; region and lookup over them equal a scan", async () => {
  const info = await scan("tissue_info.v4.tsv");
  const rows = (await Promise.all(
    info.map(async (t) =>
      (await scan(`xqtl/cis_qtl_signif.${t.tissueSiteDetailId}.expression.v4_rn8.txt.gz`)).map((r) =>
        ({
          ...r,
          tissue: t.tissueSiteDetailId,
        }) as Record<string, string>
      )
    ),
  )).flat();
  const sig = await rel.significantPairs();
  assert.deepEqual(sig.columns, [...frameColumns("singleTissueEqtl"), "tssDistance", "af", "slopeSe"]);
  assert.equal(sig.height, rows.length);
  // The same pairs as the API's singleTissueEqtl source (all_gene_esnps), gene by gene.
  const key = (g: unknown, t: unknown, v: unknown) => `${g}|${t}|${v}`;
  const esnps = new Set(
    (await loadUniverse()).significant.entries().flatMap(([g, list]) => list.map((r) => key(g, r.tissue, r.variantId))),
  );
  assert.deepEqual(new Set(sig.toRecords().map((r) => key(r.geneId, r.tissueSiteDetailId, r.variantId))), esnps);
  const r = parseRegion("chr10:100826333", 300_000);
  const got = await rel.lookup("chr10:100826333", { window: 300_000, significant: true });
  const expected = rows.filter((x) => {
    const [c, p] = x.variant_id.split(":");
    return c === r.chromosome && Number(p) >= r.start && Number(p) <= r.end;
  }).map((x) => key(x.phenotype_id, x.tissue, x.variant_id)).sort();
  assert.deepEqual(
    got.significant!.toRecords().map((x) => key(x.geneId, x.tissueSiteDetailId, x.variantId)).sort(),
    expected,
  );
  assert.ok(expected.length > 0);
  await assert.rejects(() => rel.significantPairs(["Heart"]), /not tissues/);
});

Deno.test("a remote release over loopback: only the files needed, verified, resumed after an interruption", async () => {
  const served = await serveTwin({ quiet: true });
  const base = served.baseUrl.replace(/\/api\/v4$/, "/data/v4");
  const cacheDir = await Deno.makeTempDir();
  try {
    // The first download of the eQTL table breaks after 4 kB (the connection drops mid-body).
    let broken = 0;
    const requests: string[] = [];
    const flaky = async (request: Request): Promise<Response> => {
      requests.push(`${new URL(request.url).pathname} ${request.headers.get("range") ?? ""}`);
      const res = await fetch(request);
      if (request.url.endsWith("eqtls_indep.v4_rn8.tsv") && broken++ === 0) {
        const reader = res.body!.getReader();
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const { value, done } = await reader.read();
            if (done || sent >= 4096) {
              await reader.cancel();
              controller.error(new Error("connection reset"));
              return;
            }
            const piece = value.subarray(0, 4096 - sent);
            sent += piece.length;
            controller.enqueue(piece);
          },
        });
        return new Response(body, { status: res.status, headers: res.headers });
      }
      return res;
    };
    const remote = await openRelease(base, { cacheDir, fetch: flaky });
    await assert.rejects(() => remote.independentEqtls(), /interrupted/);
    const cached = `${cacheDir}/127.0.0.1:${served.port}/data/v4/eqtl/eqtls_indep.v4_rn8.tsv`;
    await assert.rejects(() => Deno.stat(cached), "no partial file in place");
    assert.equal((await Deno.stat(`${cached}.part`)).size, 4096);
    const eq = await remote.independentEqtls();
    assert.deepEqual(
      await Deno.readFile(cached),
      await Deno.readFile(`${BUNDLED_RELEASE}/eqtl/eqtls_indep.v4_rn8.tsv`),
    );
    await assert.rejects(() => Deno.stat(`${cached}.part`));
    assert.ok(requests.some((r) => r.endsWith("bytes=4096-")), "resumed with a range");
    assert.deepEqual(eq.toRecords(), (await rel.independentEqtls()).toRecords());
    // Only the files the queries needed were fetched.
    assert.deepEqual([...new Set(requests.map((r) => r.split(" ")[0]))], ["/data/v4/eqtl/eqtls_indep.v4_rn8.tsv"]);
    await remote.region("chr10:100.7M-101.0M");
    assert.ok(!requests.some((r) => r.includes("geno/") || r.includes("phenos/")), "no VCF or BED downloaded");
  } finally {
    await served.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
});
