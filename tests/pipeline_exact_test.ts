/**
 * The release's own eQTL statistics recomputed exactly (`Release.eqtlStatistics`): every top association
 * and every independent eQTL of the miniature release, against the published values and against an
 * independent numpy/scipy reimplementation of tensorQTL's formulas
 * (`tests/reference/pipeline/recompute.py`, output `recomputed.json`); a naive OLS of the API's data that
 * does not reproduce them; the remote path over loopback; alignment by sample ID; typed errors.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { gunzipSync } from "node:zlib";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
import { serveTwin } from "ratgtex/offline";
import { createClient, dyneqtl, effectsAcrossTissues, RECOMPUTED_OLS_METHOD } from "ratgtex";
import { regressEqtls } from "ratgtex/analysis";
import { PIPELINE_METHOD } from "ratgtex/release";
import { ValidationError } from "ratgtex";
import type { DyneqtlResult } from "ratgtex";

interface Pair {
  geneId: string;
  tissueSiteDetailId: string;
  variantId: string;
}

async function publishedPairs(): Promise<{ top: Pair[]; indep: Pair[] }> {
  const rel = await openRelease(BUNDLED_RELEASE);
  const cols = ["geneId", "tissueSiteDetailId", "variantId"];
  const top = (await rel.topAssociations()).select(...cols).toRecords() as unknown as Pair[];
  const indep = (await rel.independentEqtls()).select(...cols).toRecords() as unknown as Pair[];
  return { top, indep };
}

interface Reference {
  counts: Record<string, Record<string, number>>;
  rows: {
    tissue: string;
    gene_id: string;
    variant_id: string;
    table: string;
    recomputed: { pval_nominal: number; slope: number; slope_se: number };
  }[];
}

const reference: Reference = JSON.parse(
  await Deno.readTextFile(new URL("./reference/pipeline/recomputed.json", import.meta.url)),
);

/** Relative difference, for comparing two implementations of the same double-precision formulas. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

Deno.test("eqtlStatistics: every top association and independent eQTL of the release, as published and as numpy gives", async () => {
  const { top, indep } = await publishedPairs();
  assert.equal(top.length, 608);
  assert.equal(indep.length, 399);
  const r = await openRelease(BUNDLED_RELEASE);
  const fits = await r.eqtlStatistics([...top, ...indep], { permutations: 0 }); // the nominal statistics (the permutation pass: permutation_pass_test.ts)
  const rows = fits.toRecords() as Record<string, number | string | boolean | null>[];
  // Published precision: the release prints 6 significant digits; `agrees` checks every value present.
  assert.equal(rows.filter((x) => x.agrees === true).length, top.length + indep.length);
  const sig6 = (x: unknown) => Number((x as number).toPrecision(6));
  rows.slice(0, top.length).forEach((x) => {
    assert.equal(sig6(x.pValue), x.topPValue, `${x.geneId} ${x.tissueSiteDetailId}`);
    assert.equal(sig6(x.slope), x.topSlope);
    assert.equal(sig6(x.slopeSe), x.topSlopeSe);
    assert.equal(sig6(x.pValue), x.publishedPValue); // what dyneqtl returns as pValue
    assert.equal(x.covariates, 25);
  });
  rows.slice(top.length).forEach((x) => {
    assert.equal(sig6(x.conditionalPValue), x.indepPValue, `${x.geneId} ${x.tissueSiteDetailId} ${x.variantId}`);
    assert.equal(sig6(x.conditionalSlope), x.indepSlope);
    assert.equal(sig6(x.conditionalSlopeSe), x.indepSlopeSe);
  });
  // Against the independent reimplementation (numpy lstsq residualisation, scipy's t): the same formulas
  // in another summation order, so 1e-9 relative (measured: below 1e-11 on these rows).
  assert.equal(reference.counts.top_assoc.rows_agreeing, top.length);
  assert.equal(reference.counts.eqtls_indep.rows_agreeing, indep.length);
  const key = (t: string, g: string, v: string) => `${t}\t${g}\t${v}`;
  const byKey = new Map(
    rows.map((x) => [key(x.tissueSiteDetailId as string, x.geneId as string, x.variantId as string), x]),
  );
  let worst = 0;
  for (const ref of reference.rows) {
    const x = byKey.get(key(ref.tissue, ref.gene_id, ref.variant_id))!;
    const [p, slope, se] = ref.table === "top_assoc"
      ? [x.pValue, x.slope, x.slopeSe]
      : [x.conditionalPValue, x.conditionalSlope, x.conditionalSlopeSe];
    for (
      const [a, b] of [[p, ref.recomputed.pval_nominal], [slope, ref.recomputed.slope], [se, ref.recomputed.slope_se]]
    ) {
      worst = Math.max(worst, rel(a as number, b as number));
    }
  }
  assert.ok(worst < 1e-9, `worst relative difference from numpy ${worst}`);
});

Deno.test("a naive OLS of dyneqtl's data does not reproduce the published p-values", async () => {
  const { top } = await publishedPairs();
  const client = createClient({ source: "offline" });
  const some = top.filter((_, i) => i % 10 === 0);
  const dyns = await Promise.all(some.map((p) => dyneqtl(p, { client }) as Promise<DyneqtlResult>));
  for (const transform of ["none", "log2", "int"] as const) {
    const naive = regressEqtls(dyns, { transform });
    const p = naive.getColumn("pValue").toArray() as number[];
    const api = naive.getColumn("apiPValue").toArray() as number[];
    const same = p.filter((x, i) => Number(x.toPrecision(6)) === api[i]).length;
    assert.equal(same, 0, `${transform}: ${same} of ${p.length} naive p-values equal the published ones`);
  }
  // The independent reference says the same of every row (OLS of log2(TPM + 1), no covariates).
  assert.equal(reference.counts.top_assoc.naive_agreeing, 0);
  assert.equal(reference.counts.eqtls_indep.naive_agreeing, 0);
});

Deno.test("eqtlStatistics over a remote release: the twin's /data/v4 over loopback, BED and covariates cached, VCF by ranges", async () => {
  const served = await serveTwin({ quiet: true });
  const cacheDir = await Deno.makeTempDir();
  const requested: string[] = [];
  try {
    const base = served.baseUrl.replace(/\/api\/v4$/, "/data/v4");
    const remote = await openRelease(base, {
      cacheDir,
      fetch: (req) => {
        requested.push(`${new URL(req.url).pathname} ${req.headers.get("range") ?? ""}`);
        return fetch(req);
      },
    });
    const pairs = [
      { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" },
      {
        geneId: "Eno1",
        tissueSiteDetailId: "IL",
        variantId: (await publishedPairs()).top.find((p) =>
          p.geneId === "Eno1" && p.tissueSiteDetailId === "IL"
        )!.variantId,
      },
    ];
    const got = await remote.eqtlStatistics(pairs);
    const local = await (await openRelease(BUNDLED_RELEASE)).eqtlStatistics(pairs);
    assert.deepEqual(got.toRecords(), local.toRecords());
    const paths = requested.map((r) => r.split(" ")[0]);
    // The genotypes and the cis_pvals archive are read by ranges, never downloaded whole.
    assert.ok(requested.filter((r) => r.includes(".vcf.gz ")).every((r) => /bytes=\d+-\d+/.test(r)));
    assert.ok(requested.filter((r) => r.includes("cis_pvals")).every((r) => /bytes=\d+-\d+/.test(r)));
    // Only IL's per-tissue files.
    assert.ok(paths.some((p) => p.endsWith("phenos/phenos.IL.expression.norm.v4_rn8.bed.gz")));
    assert.ok(paths.some((p) => p.endsWith("covar/covar.IL.expression.v4.tsv")));
    assert.ok(!paths.some((p) => /phenos\.(?!IL\.)/.test(p) || /covar\.(?!IL\.)/.test(p)));
    assert.ok(
      (await Deno.stat(`${cacheDir}/127.0.0.1:${served.port}/data/v4/covar/covar.IL.expression.v4.tsv`)).isFile,
    );
  } finally {
    await served.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("eqtlStatistics aligns samples by ID: shuffled covariate columns give the same numbers; a missing sample is said", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await new Deno.Command("cp", { args: ["-r", BUNDLED_RELEASE, `${dir}/v4`] }).output();
    const path = `${dir}/v4/covar/covar.IL.expression.v4.tsv`;
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n").map((l) => l.split("\t"));
    const order = [0, ...[...lines[0].keys()].slice(1).reverse()];
    await Deno.writeTextFile(path, lines.map((f) => order.map((i) => f[i]).join("\t")).join("\n") + "\n");
    const pair = [{ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }];
    const shuffled = await (await openRelease(`${dir}/v4`)).eqtlStatistics(pair);
    const original = await (await openRelease(BUNDLED_RELEASE)).eqtlStatistics(pair);
    assert.deepEqual(shuffled.toRecords(), original.toRecords());
    // Drop one sample's column from the covariates: said, with the sample named.
    await Deno.writeTextFile(path, lines.map((f) => f.slice(0, -1).join("\t")).join("\n") + "\n");
    await assert.rejects(
      async () => (await openRelease(`${dir}/v4`)).eqtlStatistics(pair),
      (e: unknown) => e instanceof Error && /covariate|SYNRAT/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("eqtlStatistics: typed errors naming the pair for a bad tissue, an unmapped gene, an absent or multi-allelic variant", async () => {
  const r = await openRelease(BUNDLED_RELEASE);
  const bad = async (pair: Pair, pattern: RegExp) =>
    await assert.rejects(
      () => r.eqtlStatistics([pair]),
      (e: unknown) => e instanceof ValidationError && pattern.test(e.message),
    );
  await bad({ geneId: "Cd300lf", tissueSiteDetailId: "Lung", variantId: "chr10:100826333" }, /Lung.*not a tissue/s);
  await bad({ geneId: "SynG020", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, /not mapped in IL/);
  await bad(
    { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826334" },
    /not in the release's genotype VCF/,
  );
  await bad({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100880001" }, /multi-allelic/);
  await bad({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "10:100826333" }, /chrN:pos/);
  await assert.rejects(() => r.eqtlStatistics("Cd300lf" as unknown as Pair[]), ValidationError);
});

Deno.test("effectsAcrossTissues over a release: pipeline-exact in every tested tissue, method said, forest-plot shape", async () => {
  const r = await openRelease(BUNDLED_RELEASE);
  const fx = await r.effectsAcrossTissues({ geneId: "Cd300lf", variantId: "chr10:100826333" });
  const tested = (await r.topAssociations()).filter(pl.col("geneId").eq(pl.lit("Cd300lf"))).height;
  assert.equal(fx.height, tested);
  assert.ok((fx.getColumn("method").toArray() as string[]).every((m) => m.startsWith("tensorQTL")));
  const rows = fx.toRecords() as { tissueSiteDetailId: string; pValue: number; apiPValue: number; agrees: boolean }[];
  assert.ok(rows.every((x) => x.agrees && Number(x.pValue.toPrecision(6)) === x.apiPValue));
  assert.equal(rows.find((x) => x.tissueSiteDetailId === "IL")!.apiPValue, 8.43005e-8);
  for (const c of ["tissueSiteDetailId", "slope", "slopeSe", "pValue"]) assert.ok(fx.columns.includes(c));
  // The normalised BED read here is the file the release publishes (sanity: bgzip, header + genes).
  const bed = gunzipSync(await Deno.readFile(`${BUNDLED_RELEASE}/phenos/phenos.IL.expression.norm.v4_rn8.bed.gz`));
  assert.ok(new TextDecoder().decode(bed).startsWith("#chr\tstart\tend\tphenotype_id\t"));
});

Deno.test("effectsAcrossTissues({ release }): pipeline-exact from the release; a release that cannot be read is an error naming the file, never a switch to the other engine", async () => {
  const client = createClient({ source: "offline" });
  const params = { geneId: "Cd300lf", variantId: "chr10:100826333" };
  const exact = await effectsAcrossTissues(params, { client, release: BUNDLED_RELEASE });
  assert.ok((exact.getColumn("method").toArray() as string[]).every((m) => m === PIPELINE_METHOD));
  const il = await effectsAcrossTissues(params, { client, release: BUNDLED_RELEASE, tissueSiteDetailId: ["IL"] });
  assert.deepEqual(il.getColumn("tissueSiteDetailId").toArray(), ["IL"]);
  // Without the option, the API engine, labelled.
  const naive = await effectsAcrossTissues(params, { client });
  assert.ok((naive.getColumn("method").toArray() as string[]).every((m) => m === RECOMPUTED_OLS_METHOD));
  // A copy of the release without its covariates: an error naming the missing file, and no warning.
  const dir = await Deno.makeTempDir();
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => warnings.push(m);
  try {
    await new Deno.Command("cp", { args: ["-r", BUNDLED_RELEASE, `${dir}/v4`] }).output();
    await Deno.remove(`${dir}/v4/covar`, { recursive: true });
    await assert.rejects(() => effectsAcrossTissues(params, { client, release: `${dir}/v4` }), /covar/);
    assert.deepEqual(warnings, []);
  } finally {
    console.warn = warn;
    await Deno.remove(dir, { recursive: true });
  }
  await assert.rejects(
    () => effectsAcrossTissues(params, { client, release: 42 as unknown as string }),
    ValidationError,
  );
});
