/**
 * The readers of a release's files beyond the API's (`xqtlTopAssociations`, `independentXqtls({ modality })`,
 * `transPairs`, `rats`, `samples`, `ratIds`, `heritability`) and the region and variant queries over them:
 * a copy of the bundled release gets each file written here in the pipeline's columns and number formats
 * (`xqtl_combined_files.R`, tensorQTL `map_trans` renamed by the server-data Snakefile, `sample_table.R`, the
 * Predict page's `phenotype_stats.tsv.gz` beside `v4/`), from a printed seed; each is read back value by value,
 * and every region or variant query is compared with a plain scan of the rows written.
 */
import assert from "node:assert/strict";
import { gunzipSync, gzipSync } from "node:zlib";
import { join } from "node:path";
import { BUNDLED_RELEASE, openRelease, type Release } from "ratgtex/release";
import { ValidationError, XQTL_MODALITIES } from "ratgtex";

const MODALITIES = Object.keys(XQTL_MODALITIES);

const SEED = 20260427;

/** A small seeded generator (xorshift32): uniform in [0, 1). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const fmt6 = (x: number) => Number(x.toPrecision(6)).toString(); // readr/pandas-like short numbers

interface Written {
  tissues: string[];
  top: Map<string, Record<string, string>[]>;
  indep: Map<string, Record<string, string>[]>;
  trans: Map<string, Record<string, string>[]>;
  rats: Record<string, string>[];
  samples: Record<string, string>[];
  stats: Record<string, string>[];
}

const tsv = (cols: string[], rows: Record<string, string>[]) =>
  [cols.join("\t"), ...rows.map((r) => cols.map((c) => r[c]).join("\t"))].join("\n") + "\n";

const TOP_COLS = [
  "tissue",
  "phenotype_id",
  "gene_id",
  "num_var",
  "variant_id",
  "chrom",
  "pos",
  "ref",
  "alt",
  "af",
  "tss_distance",
  "pval_nominal",
  "slope",
  "slope_se",
  "pval_beta",
  "qval",
  "pval_nominal_threshold",
];
const INDEP_COLS = [...TOP_COLS.slice(0, 15), "rank"];

/** A copy of the bundled release (in `dir/v4`) with the new files written from the seed. */
async function writeRelease(dir: string): Promise<Written> {
  const v4 = join(dir, "v4");
  await Deno.mkdir(v4, { recursive: true });
  for await (const e of Deno.readDir(BUNDLED_RELEASE)) {
    if (e.isDirectory) {
      await Deno.mkdir(join(v4, e.name), { recursive: true });
      for await (const f of Deno.readDir(join(BUNDLED_RELEASE, e.name))) {
        await Deno.copyFile(join(BUNDLED_RELEASE, e.name, f.name), join(v4, e.name, f.name));
      }
    } else await Deno.copyFile(join(BUNDLED_RELEASE, e.name), join(v4, e.name));
  }
  const rand = rng(SEED);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const info = (await Deno.readTextFile(join(v4, "tissue_info.v4.tsv"))).trim().split("\n").slice(1);
  const tissues = info.map((l) => l.split("\t")[0]);
  const genes = (await Deno.readTextFile(join(v4, "gene.v4.tsv"))).trim().split("\n").slice(1).map((l) => {
    const [geneId, chromosome, , , , tss] = l.split("\t");
    return { geneId, chromosome, tss: Number(tss) };
  });
  const row = (tissue: string, gene: (typeof genes)[number], phenotypeId: string) => {
    const pos = Math.max(1, gene.tss + Math.floor((rand() - 0.5) * 2e6));
    return {
      tissue,
      phenotype_id: phenotypeId,
      gene_id: gene.geneId,
      num_var: String(10 + Math.floor(rand() * 3000)),
      variant_id: `${gene.chromosome}:${pos}`,
      chrom: gene.chromosome,
      pos: String(pos),
      ref: pick(["A", "C", "G", "T"]),
      alt: pick(["A", "C", "G", "T"]),
      af: fmt6(rand()),
      tss_distance: String(pos - gene.tss),
      pval_nominal: fmt6(10 ** (-12 * rand())),
      slope: fmt6((rand() - 0.5) * 2),
      slope_se: fmt6(rand() * 0.3),
      pval_beta: fmt6(10 ** (-10 * rand())),
      qval: fmt6(rand() * 0.2),
      pval_nominal_threshold: rand() < 0.1 ? "NA" : fmt6(rand() * 1e-3),
      rank: "1",
    };
  };
  const top = new Map<string, Record<string, string>[]>();
  const indep = new Map<string, Record<string, string>[]>();
  for (const m of [...MODALITIES, "cross_modality"]) {
    const tops: Record<string, string>[] = [], indeps: Record<string, string>[] = [];
    for (const t of tissues.slice(0, 5)) {
      for (const g of genes) {
        if (rand() < 0.5) continue;
        const modality = m === "cross_modality" ? pick(MODALITIES) : m;
        const pid = modality === "expression" || modality === "stability"
          ? g.geneId
          : `${g.geneId}__f${Math.floor(rand() * 9)}`;
        tops.push({ ...row(t, g, pid), modality });
        const signals = 1 + Math.floor(rand() * 3);
        for (let k = 1; k <= signals; k++) indeps.push({ ...row(t, g, pid), rank: String(k), modality });
      }
    }
    const cross = m === "cross_modality";
    const cols = (c: string[]) => cross ? ["tissue", "modality", ...c.slice(1)] : c;
    await Deno.writeTextFile(join(v4, "xqtl", `top_assoc.${m}.v4_rn8.tsv`), tsv(cols(TOP_COLS), tops));
    top.set(m, tops);
    if (!cross) {
      await Deno.writeTextFile(join(v4, "xqtl", `xqtls_indep.${m}.v4_rn8.tsv`), tsv(INDEP_COLS, indeps));
      indep.set(m, indeps);
    }
  }
  const trans = new Map<string, Record<string, string>[]>();
  for (const t of tissues) {
    const rows: Record<string, string>[] = [];
    for (let i = 0; i < 40; i++) {
      const g = pick(genes), other = pick(genes);
      const pos = 1 + Math.floor(rand() * 2e8);
      rows.push({
        variant_id: `${other.chromosome}:${pos}`,
        phenotype_id: g.geneId,
        pval: fmt6(10 ** (-5 - 20 * rand())),
        slope: fmt6((rand() - 0.5) * 2),
        slope_se: fmt6(rand() * 0.2),
        af: fmt6(rand()),
      });
    }
    const cols = ["variant_id", "phenotype_id", "pval", "slope", "slope_se", "af"];
    await Deno.writeFile(
      join(v4, "xqtl", `trans_qtl_pairs.${t}.expression.v4_rn8.txt.gz`),
      gzipSync(new TextEncoder().encode(tsv(cols, rows))),
    );
    trans.set(t, rows);
  }
  await Deno.mkdir(join(v4, "ref"), { recursive: true });
  const samples: Record<string, string>[] = [];
  const ratTissues = new Map<string, string[]>();
  for (const t of tissues) {
    for (const r of (await Deno.readTextFile(join(v4, "rat_ids", `rat_ids.${t}.v4.txt`))).trim().split("\n")) {
      const geo = rand() < 0.3 ? "NA" : `GSM${Math.floor(rand() * 1e7)}`;
      samples.push({
        tissue: t,
        rat_id: r,
        GEO_accession: geo,
        BioSample_accession: geo === "NA" ? "NA" : `SAMN${Math.floor(rand() * 1e8)}`,
        SRA_accession: geo === "NA" ? "NA" : `SRX${Math.floor(rand() * 1e7)}`,
      });
      ratTissues.set(r, [...(ratTissues.get(r) ?? []), t]);
    }
  }
  await Deno.writeTextFile(
    join(v4, "ref", "RatGTEx_samples.v4.tsv"),
    tsv(["tissue", "rat_id", "GEO_accession", "BioSample_accession", "SRA_accession"], samples),
  );
  const rats = [...ratTissues].map(([r, ts]) => ({
    rat_id: r,
    sex: rand() < 0.1 ? "NA" : pick(["M", "F"]),
    coatcolor: pick(["BLACK", "HOODED", "BROWNHOOD", "NA"]),
    tissues: ts.join(", "),
  }));
  await Deno.writeTextFile(
    join(v4, "ref", "RatGTEx_rats.v4.tsv"),
    tsv(["rat_id", "sex", "coatcolor", "tissues"], rats),
  );
  const stats: Record<string, string>[] = [];
  for (const t of tissues) {
    for (const g of genes) {
      if (rand() < 0.7) continue;
      const m = pick(MODALITIES);
      stats.push({
        tissue: t,
        modality: m,
        gene_id: g.geneId,
        phenotype_id: m === "expression" ? g.geneId : `${g.geneId}__p${stats.length}`,
        hsq: fmt6(rand() * 0.6),
        hsq_se: fmt6(rand() * 0.1),
        hsq_pval: fmt6(rand() * 0.01),
        model_type: pick(["blup", "lasso", "top1", "enet"]),
        model_cv_r2: fmt6(rand() * 0.5),
        model_cv_pval: fmt6(10 ** (-20 * rand())),
      });
    }
  }
  await Deno.mkdir(join(dir, "predict"), { recursive: true });
  const statCols = Object.keys(stats[0]);
  await Deno.writeFile(
    join(dir, "predict", "phenotype_stats.tsv.gz"),
    gzipSync(new TextEncoder().encode(tsv(statCols, stats))),
  );
  return { tissues, top, indep, trans, rats, samples, stats };
}

const num = (s: string) => (s === "NA" ? null : Number(s));
const str = (s: string) => (s === "NA" ? null : s);

async function withRelease(fn: (rel: Release, w: Written) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ratgtex_more_files_" });
  try {
    console.log(`seed ${SEED}`);
    const w = await writeRelease(dir);
    await fn(await openRelease(join(dir, "v4")), w);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("release files beyond the API: each read back value by value", async () => {
  await withRelease(async (rel, w) => {
    for (const m of [...MODALITIES, "cross_modality"]) {
      const f = (await rel.xqtlTopAssociations({ modality: m })).toRecords() as Record<string, unknown>[];
      const rows = w.top.get(m)!;
      assert.equal(f.length, rows.length, m);
      f.forEach((r, i) => {
        const x = rows[i];
        assert.deepEqual(
          [r.geneId, r.tissueSiteDetailId, r.modality, r.phenotypeId, r.variantId, r.chromosome, r.pos, r.ref, r.alt],
          [x.gene_id, x.tissue, x.modality, x.phenotype_id, x.variant_id, x.chrom, num(x.pos), x.ref, x.alt],
        );
        assert.deepEqual(
          [r.numVar, r.af, r.tssDistance, r.pValue, r.slope, r.slopeSe, r.pValueBeta, r.qValue, r.pValueThreshold],
          [
            x.num_var,
            x.af,
            x.tss_distance,
            x.pval_nominal,
            x.slope,
            x.slope_se,
            x.pval_beta,
            x.qval,
            x.pval_nominal_threshold,
          ]
            .map(num),
        );
        assert.equal(r.significant, Number(x.qval) < 0.05);
        assert.equal(typeof r.modalityLabel, "string");
      });
    }
    const six = await rel.xqtlTopAssociations();
    assert.equal(six.height, MODALITIES.reduce((a, m) => a + w.top.get(m)!.length, 0));
    for (const m of MODALITIES) {
      const f = (await rel.independentXqtls({ modality: m })).toRecords() as Record<string, unknown>[];
      assert.deepEqual(
        f.map((r) => [r.geneId, r.tissueSiteDetailId, r.modality, r.phenotypeId, r.variantId, r.pValueBeta, r.rank]),
        w.indep.get(m)!.map((
          x,
        ) => [x.gene_id, x.tissue, m, x.phenotype_id, x.variant_id, num(x.pval_beta), num(x.rank)]),
        m,
      );
    }
    const trans = (await rel.transPairs()).toRecords() as Record<string, unknown>[];
    const written = w.tissues.flatMap((t) => w.trans.get(t)!.map((x) => ({ t, x })));
    assert.deepEqual(
      trans.map((
        r,
      ) => [r.geneId, r.tissueSiteDetailId, r.variantId, r.chromosome, r.pos, r.pValue, r.slope, r.slopeSe, r.af]),
      written.map(({ t, x }) => [
        x.phenotype_id,
        t,
        x.variant_id,
        x.variant_id.split(":")[0],
        Number(x.variant_id.split(":")[1]),
        ...[x.pval, x.slope, x.slope_se, x.af].map(num),
      ]),
    );
    assert.deepEqual(
      (await rel.rats()).toRecords(),
      w.rats.map((x) => ({ ratId: x.rat_id, sex: str(x.sex), coatColor: str(x.coatcolor), tissues: x.tissues })),
    );
    assert.deepEqual(
      (await rel.samples()).toRecords(),
      w.samples.map((x) => ({
        tissueSiteDetailId: x.tissue,
        ratId: x.rat_id,
        geoAccession: str(x.GEO_accession),
        bioSampleAccession: str(x.BioSample_accession),
        sraAccession: str(x.SRA_accession),
      })),
    );
    for (const t of w.tissues) {
      assert.deepEqual(await rel.ratIds(t), w.samples.filter((s) => s.tissue === t).map((s) => s.rat_id));
    }
    const hsq = (await rel.heritability()).toRecords() as Record<string, unknown>[];
    assert.deepEqual(
      hsq.map((
        r,
      ) => [
        r.tissueSiteDetailId,
        r.modality,
        r.geneId,
        r.phenotypeId,
        r.hsq,
        r.hsqSe,
        r.hsqPValue,
        r.modelType,
        r.modelCvR2,
        r.modelCvPValue,
      ]),
      w.stats.map((x) => [
        x.tissue,
        x.modality,
        x.gene_id,
        x.phenotype_id,
        ...[x.hsq, x.hsq_se, x.hsq_pval].map(num),
        x.model_type,
        ...[x.model_cv_r2, x.model_cv_pval].map(num),
      ]),
    );
    const one = await rel.heritability({ geneId: w.stats[0].gene_id, tissueSiteDetailId: w.stats[0].tissue });
    assert.deepEqual(
      one.getColumn("phenotypeId").toArray(),
      w.stats.filter((x) => x.gene_id === w.stats[0].gene_id && x.tissue === w.stats[0].tissue).map((x) =>
        x.phenotype_id
      ),
    );
  });
});

Deno.test("region, lookup and transPairs over the new tables: the rows a plain scan finds, for random regions", async () => {
  await withRelease(async (rel, w) => {
    const rand = rng(SEED + 1);
    type Row = Record<string, string>;
    const indepRows = MODALITIES.flatMap((m) => w.indep.get(m)!.map((x): Row => ({ ...x, modality: m })));
    const transRows = w.tissues.flatMap((t) => w.trans.get(t)!.map((x): Row => ({ ...x, tissue: t })));
    const chromosomes = [...new Set(indepRows.map((x) => x.chrom))];
    for (let i = 0; i < 25; i++) {
      const chromosome = chromosomes[Math.floor(rand() * chromosomes.length)];
      const start = 1 + Math.floor(rand() * 2e8), end = start + Math.floor(rand() * 5e7);
      const r = await rel.region(`${chromosome}:${start}-${end}`, { modalities: true, trans: true });
      const inside = (c: string, p: number) => c === chromosome && p >= start && p <= end;
      const key = (x: Row) => `${x.tissue}|${x.modality}|${x.phenotype_id}|${x.variant_id}|${x.rank}`;
      assert.deepEqual(
        (r.modalityXqtls!.toRecords() as Record<string, string>[]).map((x) =>
          key({
            tissue: x.tissueSiteDetailId,
            modality: x.modality,
            phenotype_id: x.phenotypeId,
            variant_id: x.variantId,
            rank: String(x.rank),
          })
        ).sort(),
        indepRows.filter((x) => inside(x.chrom, Number(x.pos))).map(key).sort(),
      );
      assert.deepEqual(
        (r.trans!.toRecords() as Record<string, string>[]).map((x) =>
          `${x.tissueSiteDetailId}|${x.geneId}|${x.variantId}`
        ).sort(),
        transRows.filter((x) => inside(x.variant_id.split(":")[0], Number(x.variant_id.split(":")[1])))
          .map((x) => `${x.tissue}|${x.phenotype_id}|${x.variant_id}`).sort(),
      );
    }
    // A variant: every trans pair of it, in the tissues asked for; a gene: its pairs.
    const x = transRows[7];
    const hits = await rel.lookup(x.variant_id, { trans: true, modalities: true });
    assert.ok(hits.trans!.getColumn("variantId").toArray().every((v) => v === x.variant_id));
    assert.equal(hits.trans!.height, transRows.filter((y) => y.variant_id === x.variant_id).length);
    const byGene = await rel.transPairs({ geneId: x.phenotype_id, tissueSiteDetailId: x.tissue });
    assert.deepEqual(
      byGene.getColumn("variantId").toArray(),
      w.trans.get(x.tissue)!.filter((y) => y.phenotype_id === x.phenotype_id).map((y) => y.variant_id),
    );
    const byVariant = await rel.transPairs({ variantId: x.variant_id });
    assert.equal(byVariant.height, transRows.filter((y) => y.variant_id === x.variant_id).length);
    // Typed errors.
    await assert.rejects(() => rel.transPairs({ tissueSiteDetailId: "il" }), ValidationError);
    await assert.rejects(() => rel.xqtlTopAssociations({ modality: "protein" }), /not a modality/);
    await assert.rejects(() => rel.independentXqtls({ modality: "Splicing" }), /not a modality/);
    await assert.rejects(() => rel.ratIds("Livr"), ValidationError);
  });
});

Deno.test("a remote release reads the Predict page's table from the folder above (…/data/predict), into the cache", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ratgtex_more_remote_" });
  const cacheDir = await Deno.makeTempDir({ prefix: "ratgtex_more_cache_" });
  const asked: string[] = [];
  // A plain static server over `dir` as …/data/ (Content-Length; byte ranges answered 206).
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\/data\//, "");
    asked.push(path);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await Deno.readFile(join(dir, path));
    } catch {
      return new Response("not found", { status: 404 });
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.get("range") ?? "");
    if (range) {
      const a = Number(range[1]), b = range[2] === "" ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
      return new Response(req.method === "HEAD" ? null : bytes.slice(a, b + 1), {
        status: 206,
        headers: { "content-range": `bytes ${a}-${b}/${bytes.length}`, "content-length": String(b - a + 1) },
      });
    }
    return new Response(req.method === "HEAD" ? null : bytes, { headers: { "content-length": String(bytes.length) } });
  });
  try {
    console.log(`seed ${SEED}`);
    const w = await writeRelease(dir);
    const url = `http://127.0.0.1:${server.addr.port}/data/v4`;
    const rel = await openRelease(url, { cacheDir });
    const hsq = await rel.heritability();
    assert.equal(hsq.height, w.stats.length);
    assert.ok(asked.includes("predict/phenotype_stats.tsv.gz"));
    const local = await (await openRelease(join(dir, "v4"))).heritability();
    assert.deepEqual(hsq.toRecords(), local.toRecords());
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(cacheDir, { recursive: true });
  }
});

/** A bundled file's rows as named raw fields (gzip when it ends in .gz). */
async function bundledRows(rel: string, root = BUNDLED_RELEASE): Promise<Record<string, string>[]> {
  const bytes = await Deno.readFile(join(root, rel));
  const text = new TextDecoder().decode(rel.endsWith(".gz") ? gunzipSync(bytes) : bytes);
  const [head, ...lines] = text.split("\n").filter((l) => l !== "");
  const names = head.split("\t");
  return lines.map((l) => Object.fromEntries(l.split("\t").map((v, i) => [names[i], v])));
}

Deno.test("the bundled release's new files, read back against a plain parse of each", async () => {
  const rel = await openRelease(BUNDLED_RELEASE);
  const layout = await rel.layout();
  for (const m of [...MODALITIES, "cross_modality"]) {
    const raw = await bundledRows(m === "cross_modality" ? layout.xqtlTopAssocCrossModality() : layout.xqtlTopAssoc(m));
    const f = (await rel.xqtlTopAssociations({ modality: m })).toRecords() as Record<string, unknown>[];
    assert.deepEqual(
      f.map((r) => [r.tissueSiteDetailId, r.modality, r.phenotypeId, r.geneId, r.variantId, r.pValueBeta, r.qValue]),
      raw.map((
        x,
      ) => [x.tissue, x.modality ?? m, x.phenotype_id, x.gene_id, x.variant_id, num(x.pval_beta), num(x.qval)]),
      m,
    );
    if (m === "cross_modality") continue;
    const rawIndep = await bundledRows(layout.xqtlsIndep(m));
    const g = (await rel.independentXqtls({ modality: m })).toRecords() as Record<string, unknown>[];
    assert.deepEqual(
      g.map((r) => [r.tissueSiteDetailId, r.phenotypeId, r.variantId, r.pValueBeta, r.rank]),
      rawIndep.map((x) => [x.tissue, x.phenotype_id, x.variant_id, num(x.pval_beta), num(x.rank)]),
      m,
    );
  }
  for (const t of layout.tissues) {
    const raw = await bundledRows(layout.transQtlPairs(t));
    const f = (await rel.transPairs({ tissueSiteDetailId: t })).toRecords() as Record<string, unknown>[];
    assert.deepEqual(
      f.map((r) => [r.geneId, r.variantId, r.pValue, r.slope, r.slopeSe, r.af]),
      raw.map((x) => [x.phenotype_id, x.variant_id, ...[x.pval, x.slope, x.slope_se, x.af].map(num)]),
      t,
    );
    // trans: p < 1e-5, more than 5 Mb from the gene's TSS or another chromosome.
    assert.ok(raw.every((x) => Number(x.pval) < 1e-5), t);
    assert.deepEqual(
      await rel.ratIds(t),
      (await Deno.readTextFile(join(BUNDLED_RELEASE, layout.ratIds(t)))).split("\n").filter((l) => l !== ""),
    );
  }
  const genes = new Map(
    ((await rel.genes()).toRecords() as { geneId: string; chromosome: string; tss: number }[]).map((
      g,
    ) => [g.geneId, g]),
  );
  for (const r of (await rel.transPairs()).toRecords() as { geneId: string; chromosome: string; pos: number }[]) {
    const g = genes.get(r.geneId)!;
    assert.ok(g.chromosome !== r.chromosome || Math.abs(r.pos - g.tss) > 5e6, `${r.geneId} ${r.chromosome}:${r.pos}`);
  }
  assert.deepEqual(
    (await rel.rats()).toRecords(),
    (await bundledRows(layout.rats())).map((x) => ({
      ratId: x.rat_id,
      sex: str(x.sex),
      coatColor: str(x.coatcolor),
      tissues: str(x.tissues),
    })),
  );
  assert.deepEqual(
    ((await rel.samples()).toRecords() as Record<string, unknown>[]).map((r) => [r.tissueSiteDetailId, r.ratId]),
    (await bundledRows(layout.samples())).map((x) => [x.tissue, x.rat_id]),
  );
  const hsq = (await rel.heritability()).toRecords() as Record<string, unknown>[];
  const rawHsq = await bundledRows(layout.predictionStats(), join(BUNDLED_RELEASE, ".."));
  assert.deepEqual(
    hsq.map((r) => [r.tissueSiteDetailId, r.modality, r.phenotypeId, r.hsq, r.modelType, r.modelCvR2]),
    rawHsq.map((x) => [x.tissue, x.modality, x.phenotype_id, num(x.hsq), x.model_type, num(x.model_cv_r2)]),
  );
  // Predictions: a gene's columns, one phenotype's, chosen rats; against a plain parse of the wide file.
  for (
    const file of [...Deno.readDirSync(join(BUNDLED_RELEASE, "..", "predict"))].map((e) => e.name).filter((n) =>
      n.startsWith("pred-")
    ).slice(0, 6)
  ) {
    const [, , tissue, modality] = /^pred-(round11_2)-([^-]+)-(.+)\.tsv\.gz$/.exec(file)!;
    const raw = await bundledRows(`predict/${file}`, join(BUNDLED_RELEASE, ".."));
    const phenotypes = Object.keys(raw[0]).slice(1);
    const phenotypeId = phenotypes[phenotypes.length - 1];
    const geneId = phenotypeId.split("__")[0];
    const byGene = (await rel.predictedPhenotypes({ geneId, tissueSiteDetailId: tissue, modality }))
      .toRecords() as Record<string, unknown>[];
    const mine = phenotypes.filter((p) => p.split("__")[0] === geneId);
    assert.deepEqual(
      byGene.map((r) => [r.ratId, r.tissueSiteDetailId, r.modality, r.geneId, r.phenotypeId, r.predicted]),
      raw.flatMap((x) => mine.map((p) => [x.rat_id, tissue, modality, geneId, p, num(x[p])])),
      file,
    );
    const chosen = [raw[7].rat_id, raw[2].rat_id];
    const one = (await rel.predictedPhenotypes({ phenotypeId, tissueSiteDetailId: tissue, modality, ratIds: chosen }))
      .toRecords() as Record<string, unknown>[];
    assert.deepEqual(one.map((r) => [r.ratId, r.predicted]), [[chosen[0], num(raw[7][phenotypeId])], [
      chosen[1],
      num(raw[2][phenotypeId]),
    ]]);
  }
  await assert.rejects(
    () => rel.predictedPhenotypes({ geneId: "Cd300lf", tissueSiteDetailId: "IL", ratIds: ["SYNRAT0001", "NOT_A_RAT"] }),
    /1 rat\(s\): NOT_A_RAT/,
  );
  await assert.rejects(
    () => rel.predictedPhenotypes({ geneId: "NotAGene", tissueSiteDetailId: "IL" }),
    /has no predicted phenotype/,
  );
  await assert.rejects(() => rel.predictedPhenotypes({ tissueSiteDetailId: "IL" } as never), /exactly one of geneId/);
});
