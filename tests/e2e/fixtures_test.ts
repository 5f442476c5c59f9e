/**
 * The miniature release is reproducible and real-shaped: regenerating it gives the committed files byte
 * for byte; every format the generator writes reads back through the readers (BGZF + tabix through
 * @gmod/tabix, zip members, gzip, pandas-typed TSV); and it holds what the old universe promised (real
 * tissues, the worked example, chrM genes, a multi-allelic site, a NaN aFC, untested pairs).
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/release/folder.ts`.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { generateFixtures, WORKED, writeGwas, writeRelease } from "../../fixtures/generate.ts";
import { loadUniverse } from "ratgtex/offline";
import { BUNDLED_RELEASE } from "ratgtex/release";
import { ReleaseFolder } from "../../lib/release/folder.ts";
import { pandasFloat } from "../../lib/release/table.ts";
import { ZipArchive } from "../../lib/release/zip.ts";
import { bgzip, bgzipVcfWithIndex, pyPercentG, readrNumber, zipFixed } from "../../fixtures/release_write.ts";

const dataDir = new URL("../../fixtures/data/", import.meta.url);
const gwasDir = new URL("../../fixtures/gwas/", import.meta.url);
const truthDir = new URL("../../fixtures/truth/", import.meta.url);

async function committedFiles(dir: URL = dataDir): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string) => {
    for await (const e of Deno.readDir(new URL(sub, dir))) {
      if (e.isDirectory) await walk(`${sub}${e.name}/`);
      else out.push(`${sub}${e.name}`);
    }
  };
  await walk("");
  return out.sort();
}

// The generator runs once per test run (it is the slowest step): its files are compared with the committed
// ones, and written by writeRelease to a temporary folder whose every file is compared again.
Deno.test("regenerating the release and the GWAS is byte-identical to the committed files, and the writers write them", async () => {
  const { release: files, gwas, truth } = generateFixtures();
  assert.deepEqual(files.map((f) => f.path).sort(), await committedFiles());
  assert.deepEqual(gwas.map((f) => f.path).sort(), await committedFiles(gwasDir));
  assert.deepEqual(truth.map((f) => f.path).sort(), await committedFiles(truthDir));
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const f of files) {
    assert.ok(same(await Deno.readFile(new URL(f.path, dataDir)), f.bytes), `${f.path} differs`);
  }
  for (const f of gwas) {
    assert.ok(same(await Deno.readFile(new URL(f.path, gwasDir)), f.bytes), `gwas/${f.path} differs`);
  }
  for (const f of truth) {
    assert.ok(same(await Deno.readFile(new URL(f.path, truthDir)), f.bytes), `truth/${f.path} differs`);
  }
  const dir = await Deno.makeTempDir();
  try {
    await writeRelease(`${dir}/data`, files);
    await writeGwas(`${dir}/gwas`, gwas);
    for (const f of files) assert.ok(same(await Deno.readFile(`${dir}/data/${f.path}`), f.bytes), `${f.path} written`);
    for (const f of gwas) assert.ok(same(await Deno.readFile(`${dir}/gwas/${f.path}`), f.bytes), `${f.path} written`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the synthetic GWAS: GCTA --mlma columns, every release variant once, each trait's lead where its truth says", async () => {
  const truth = JSON.parse(await Deno.readTextFile(new URL("synthetic_truth.json", gwasDir)));
  assert.match(truth.description, /SYNTHETIC/);
  const vcfIds = new Set(
    new TextDecoder().decode(
      gunzipSync(await Deno.readFile(new URL("v4/geno/ratgtex_v4_round11_2.rn8.vcf.gz", dataDir))),
    )
      .split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t")).filter((f) => !f[4].includes(","))
      .filter((f) => f[0] !== "chrM").map((f) => f[2]),
  );
  for (const trait of truth.traits) {
    const lines = (await Deno.readTextFile(new URL(trait.file, gwasDir))).trimEnd().split("\n");
    assert.equal(lines[0], "Chr\tSNP\tbp\tA1\tA2\tFreq\tb\tse\tp");
    const rows = lines.slice(1).map((l) => l.split("\t"));
    assert.deepEqual(new Set(rows.map((r) => r[1])), vcfIds);
    for (const r of rows) {
      assert.equal(`chr${r[0]}:${r[2]}`, r[1]);
      const [b, se, p] = [Number(r[6]), Number(r[7]), Number(r[8])];
      assert.ok(se > 0 && p > 0 && p <= 1 && Number.isFinite(b), r.join(" "));
    }
    // The lead variant of the trait is its strongest causal variant, or in its LD block (trait C's lead
    // is its own, not the gene's).
    const lead = rows.reduce((a, r) => (Number(r[8]) < Number(a[8]) ? r : a));
    assert.equal(lead[1], trait.signals[0].variantId, `trait ${trait.trait}`);
    assert.ok(Number(lead[8]) < 1e-9, `trait ${trait.trait} lead p ${lead[8]}`);
  }
  const byTrait = Object.fromEntries(truth.traits.map((t: { trait: string }) => [t.trait, t]));
  assert.equal(byTrait.A.signals[0].ldWithGeneCausal[0].r2, 1);
  assert.ok(byTrait.B.signals[0].ldWithGeneCausal.every((x: { r2: number }) => x.r2 < 0.05));
  assert.equal(byTrait.C.signals.length, 2);
  assert.equal(byTrait.C.signals[1].ldWithGeneCausal.filter((x: { r2: number }) => x.r2 === 1).length, 1);
});

Deno.test("the release has every file the API server reads, under their real names", async () => {
  const files = new Set(await committedFiles());
  const tissues = (await ReleaseFolder.open(BUNDLED_RELEASE).tissues()).map((t) => t.id);
  const expected = [
    "tissue_info.v4.tsv",
    "gene.v4.tsv",
    "autocomplete.v4.json",
    "exon.v4.tsv",
    "expr/medianGeneExpression.v4.tsv.gz",
    "expr/topExpressedGene.v4.tsv",
    "geno/ratgtex_v4_round11_2.rn8.vcf.gz",
    "geno/ratgtex_v4_round11_2.rn8.vcf.gz.tbi",
    "eqtl/top_assoc.v4_rn8.tsv",
    "eqtl/eqtls_indep.v4_rn8.tsv",
    "eqtl/all_gene_esnps.v4.zip",
    "xqtl/xqtls_indep.cross_modality.v4_rn8.tsv",
    ...tissues.flatMap((t) => [`phenos/phenos.${t}.expression.unnorm.v4_rn8.bed.gz`, `cis_pvals/${t}.v4.zip`]),
  ];
  for (const f of expected) assert.ok(files.has(`v4/${f}`), f);
  let bytes = 0;
  for (const f of files) bytes += (await Deno.stat(new URL(f, dataDir))).size;
  assert.ok(bytes < 9_000_000, `${bytes} bytes committed`);
});

Deno.test("round trips: BGZF, tabix, zip, gzip and the number formats read back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // BGZF of more than one block is a multi-member gzip that zlib reads whole.
    const big = "x\t".repeat(70_000) + "\n";
    assert.equal(new TextDecoder().decode(gunzipSync(bgzip(new TextEncoder().encode(big)).bytes)), big);
    // A VCF written and indexed here, read by region through @gmod/tabix.
    const lines = ["##fileformat=VCFv4.2", "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tR1"];
    for (let i = 1; i <= 3000; i++) lines.push(`chr1\t${i * 977}\tchr1:${i * 977}\tA\tG\t.\tPASS\t.\tGT\t0/1`);
    lines.push("chr2\t5\tchr2:5\tC\tT\t.\tPASS\t.\tGT\t1/1");
    const { vcf, tbi } = bgzipVcfWithIndex(lines.join("\n") + "\n");
    await Deno.mkdir(`${dir}/geno`);
    await Deno.writeFile(`${dir}/geno/d.rn8.vcf.gz`, vcf);
    await Deno.writeFile(`${dir}/geno/d.rn8.vcf.gz.tbi`, tbi);
    const info = (await Deno.readTextFile(`${BUNDLED_RELEASE}/tissue_info.v4.tsv`)).split("\n")[0];
    const columns = info.split("\t");
    await Deno.writeTextFile(
      `${dir}/tissue_info.v4.tsv`,
      `${info}\n${
        columns.map((c) => (c === "tissueSiteDetailId"
          ? "T"
          : c === "dataset"
          ? "d"
          : /Count$/.test(c)
          ? "1"
          : c === "hasEGenes"
          ? "True"
          : "x")
        ).join("\t")
      }\n`,
    );
    await Deno.writeFile(`${dir}/a.zip`, zipFixed([["a/x.txt", "one\n"], ["a/y.txt", "two\n".repeat(1000)]]));
    const folder = ReleaseFolder.open(dir);
    const geno = await folder.vcf("d");
    for (const pos of [977, 977 * 1500, 977 * 3000]) {
      const recs = await geno.fetch("chr1", pos - 1, pos);
      assert.deepEqual(recs.map((r) => r.pos), [pos]);
    }
    assert.deepEqual((await geno.fetch("chr1", 978, 1954)).map((r) => r.pos), [1954]);
    assert.deepEqual((await geno.fetch("chr2", 4, 5)).map((r) => r.alts), [["T"]]);
    assert.deepEqual((await geno.columns()).get("R1"), 9);
    const zip = await ZipArchive.open(folder.source.ranged("a.zip"), folder.limits);
    assert.deepEqual(zip.names(), ["a/x.txt", "a/y.txt"]);
    assert.equal(await zip.text("a/y.txt"), "two\n".repeat(1000));
    assert.equal(await zip.text("a/z.txt"), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  for (const x of [8.43005e-8, 0.00172939, 123456, 1.5e10, 0.5, 27, 1e-5]) {
    assert.equal(pandasFloat(readrNumber(x)), x, readrNumber(x));
    assert.equal(pandasFloat(pyPercentG(x)), x, pyPercentG(x));
  }
  assert.equal(readrNumber(NaN), "NA");
});

Deno.test("the release has what the twin and the lessons need", async () => {
  const u = await loadUniverse();
  assert.equal(u.tissues.length, 13);
  assert.deepEqual(u.tissues.map((t) => t.samples), [411, 189, 342, 53, 148, 83, 82, 411, 570, 82, 404, 293, 92]);
  assert.ok(u.genes.size >= 60);
  for (const g of ["Cd300lf", "Eno1", "Polr3k", "Rtel1", "LOC120093067"]) assert.ok(u.genes.has(g), g);
  assert.ok([...u.genes.values()].filter((g) => g.chromosome === "chrM").length >= 3);
  assert.ok([...u.variants.values()].some((v) => v.alt.includes(",")), "a multi-allelic site");
  assert.ok([...u.eqtls.values()].flat().some((r) => Number.isNaN(r.log2aFC)), "a missing log2aFC");
  assert.ok([...u.genes.values()].some((g) => g.status.some((s) => s.expressed && !s.testedEqtl)), "untested pairs");
  assert.ok([...u.genes.values()].some((g) => {
    const n = g.status.filter((s) => s.expressed).length;
    return n > 0 && n <= 3;
  }));
  // The worked example's genotypes among IL's samples, its p-value and threshold.
  const v = u.variants.get(WORKED.variantId)!;
  const calls = u.samples.get("IL")!.map((r) => v.dosages[r]);
  assert.deepEqual([0, 1, 2].map((d) => calls.filter((c) => c === d).length), [27, 35, 16]);
  assert.equal(u.nominal.get("IL|Cd300lf")!.get(WORKED.variantId), WORKED.pValue);
  // Its threshold is computed like every other (post.py's beta quantile; the page's 0.00172939 is a full IL's).
  const [head, ...lines] = (await Deno.readTextFile(new URL("permutations.tsv", truthDir))).trimEnd().split("\n")
    .map((l) => l.split("\t"));
  const col = (name: string) => head.indexOf(name);
  const truthRow = lines.find((l) =>
    l[col("tissue")] === "IL" && l[col("modality")] === "expression" && l[col("gene_id")] === "Cd300lf" &&
    l[col("table")] === "top_assoc"
  )!;
  assert.equal(
    u.thresholds.get("IL|Cd300lf"),
    Number(Number(truthRow[col("pval_nominal_threshold")]).toPrecision(6)),
  );
});

Deno.test("the permutation truth: every published pval_beta, qval and threshold from it, and the references agree", async () => {
  const table = async (url: URL) => {
    const [head, ...lines] = (await Deno.readTextFile(url)).trimEnd().split("\n").map((l) => l.split("\t"));
    return lines.map((l) => Object.fromEntries(head.map((h, i) => [h, l[i]])));
  };
  const truth = await table(new URL("permutations.tsv", truthDir));
  const sig6 = (x: string) => Number(Number(x).toPrecision(6));
  const key = (t: string, g: string, v: string) => `${t}|${g}|${v}`;
  const expression = truth.filter((r) => r.modality === "expression");
  const tops = new Map(
    expression.filter((r) => r.table === "top_assoc").map((r) => [key(r.tissue, r.gene_id, r.variant_id), r]),
  );
  const indeps = new Map(
    expression.filter((r) => r.table === "eqtls_indep").map((r) => [key(r.tissue, r.gene_id, r.variant_id), r]),
  );
  const top = await table(new URL("v4/eqtl/top_assoc.v4_rn8.tsv", dataDir));
  assert.equal(tops.size, top.length);
  for (const r of top) {
    const t = tops.get(key(r.tissue, r.gene_id, r.variant_id))!;
    assert.ok(t, `${r.tissue} ${r.gene_id}`);
    assert.equal(Number(r.pval_beta), sig6(t.pval_beta));
    assert.equal(Number(r.qval), sig6(t.qval));
    assert.equal(Number(r.num_var), Number(t.num_var));
    // Every threshold as post.py computes it (nothing pinned, the worked example's neither).
    assert.equal(Number(r.pval_nominal_threshold), sig6(t.pval_nominal_threshold));
  }
  const indep = await table(new URL("v4/eqtl/eqtls_indep.v4_rn8.tsv", dataDir));
  assert.equal(indeps.size, indep.length);
  for (const r of indep) {
    const t = indeps.get(key(r.tissue, r.gene_id, r.variant_id))!;
    assert.ok(t, `${r.tissue} ${r.gene_id} ${r.variant_id}`);
    assert.equal(Number(r.pval_beta), sig6(t.pval_beta));
    assert.equal(r.rank, t.rank);
  }
  // tests/reference/fixture_truth/check.py ran tensorQTL, R's qvalue, scipy and aFC.py over this very truth.
  const checked = JSON.parse(
    await Deno.readTextFile(new URL("../reference/fixture_truth/checked.json", import.meta.url)),
  );
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", await Deno.readFile(new URL("permutations.tsv", truthDir))),
  );
  assert.equal(checked.permutations_tsv_sha256, [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""));
  assert.equal(checked.beta.rows, truth.length);
  // tensorQTL in float64 on the same permutations: the same variant, phenotype and printed pval_beta for ≥ 97.5 %
  // of the scans (measured 2,739 of 2,799). The rest: variants with identical genotypes in the tissue (a tie
  // broken by round-off; pval_beta equal within 1e-9), and grouped scans where the beta fit's Nelder–Mead,
  // stopping within tol 1e-4 on a flat likelihood, lands elsewhere when the p-values differ by round-off
  // (scipy's t CDF vs the generator's incomplete beta): within 15 % relative (measured ≤ 10 %).
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
  assert.ok(checked.beta.disagreeing.length <= 0.025 * checked.beta.rows, `${checked.beta.disagreeing.length} differ`);
  for (const d of checked.beta.disagreeing) {
    const same = d.variant === d.tensorqtl_variant && d.phenotype === d.tensorqtl_phenotype;
    if (same) assert.notEqual(d.modality, "expression", JSON.stringify(d));
    assert.ok(rel(d.pval_beta, d.tensorqtl_pval_beta) < (same ? 0.15 : 1e-9), JSON.stringify(d));
  }
  for (const q of checked.qvalue) assert.ok(q.pi0_equal && q.qval_equal === q.qval_rows, `${q.tissue} qvalue`);
  for (const t of checked.thresholds) assert.ok(t.worst_rel < 1e-12, `${t.tissue} thresholds`);
  assert.deepEqual(checked.afc.disagreeing, []);
  assert.equal(checked.afc.checked, checked.afc.agreeing + checked.afc.published_NA);
  // Every modality's xQTL tables: tensorQTL's %.6g of the truth, row for row (phenotype, variant, rank).
  for (
    const modality of ["alt_polyA", "alt_TSS", "expression", "isoforms", "splicing", "stability", "cross_modality"]
  ) {
    const inTruth = truth.filter((r) => r.modality === modality);
    const rows = await table(new URL(`v4/xqtl/top_assoc.${modality}.v4_rn8.tsv`, dataDir));
    const want = inTruth.filter((r) => r.table === "top_assoc");
    assert.equal(rows.length, want.length, modality);
    const full = (r: Record<string, string>) =>
      modality === "cross_modality" ? `${r.modality}:${r.phenotype_id}` : r.phenotype_id;
    rows.forEach((r, i) => {
      assert.equal(full(r), want[i].phenotype_id, `${modality} ${r.tissue} ${r.gene_id}`);
      assert.equal(r.variant_id, want[i].variant_id);
      assert.equal(Number(r.pval_beta), sig6(want[i].pval_beta));
      assert.equal(Number(r.qval), sig6(want[i].qval));
    });
    const indepRows = await table(new URL(`v4/xqtl/xqtls_indep.${modality}.v4_rn8.tsv`, dataDir));
    const wantIndep = inTruth.filter((r) => r.table === "eqtls_indep");
    assert.equal(indepRows.length, wantIndep.length, modality);
    indepRows.forEach((r, i) => {
      assert.equal(full(r), wantIndep[i].phenotype_id);
      assert.equal(r.variant_id, wantIndep[i].variant_id);
      assert.equal(r.rank, wantIndep[i].rank);
      assert.equal(Number(r.pval_beta), sig6(wantIndep[i].pval_beta));
    });
  }
});

Deno.test("the other modalities: phenotype BEDs, covariates and signif pairs in their tissues, cross-modality everywhere", async () => {
  const files = new Set(await committedFiles());
  const tissues = (await ReleaseFolder.open(BUNDLED_RELEASE).tissues()).map((t) => t.id);
  const withModalities = ["Eye", "IL", "LHb", "OFC", "RMTg"];
  for (const t of tissues) {
    assert.ok(files.has(`v4/covar/covar.${t}.cross_modality.v4.tsv`), t);
    for (const m of ["alt_polyA", "alt_TSS", "isoforms", "splicing", "stability"]) {
      const has = withModalities.includes(t);
      for (
        const f of [
          `phenos/phenos.${t}.${m}.unnorm.v4_rn8.bed.gz`,
          `phenos/phenos.${t}.${m}.norm.v4_rn8.bed.gz`,
          `covar/covar.${t}.${m}.v4.tsv`,
          `xqtl/cis_qtl_signif.${t}.${m}.v4_rn8.txt.gz`,
        ]
      ) assert.equal(files.has(`v4/${f}`), has, f);
    }
  }
  // Phenotype IDs of the real forms; the norm BED's phenotypes are the unnorm's, normalised.
  const bed = (path: string) =>
    new TextDecoder().decode(gunzipSync(Deno.readFileSync(new URL(`v4/phenos/${path}`, dataDir)))).trimEnd()
      .split("\n").map((l) => l.split("\t"));
  const forms: Record<string, RegExp> = {
    alt_polyA: /^[A-Za-z0-9]+__grp_[12]_downstream_[NX]M_9\d{5}\.1$/,
    alt_TSS: /^[A-Za-z0-9]+__grp_[12]_upstream_[NX]M_9\d{5}\.1$/,
    isoforms: /^[A-Za-z0-9]+__[NX]M_9\d{5}\.1$/,
    splicing: /^[A-Za-z0-9]+__chr\w+_\d+_\d+_clu_\d+_[+-]$/,
    stability: /^[A-Za-z0-9]+$/,
  };
  for (const [m, form] of Object.entries(forms)) {
    const unnorm = bed(`phenos.IL.${m}.unnorm.v4_rn8.bed.gz`);
    const norm = bed(`phenos.IL.${m}.norm.v4_rn8.bed.gz`);
    assert.ok(unnorm.length > 10, m);
    for (const row of unnorm.slice(1)) assert.match(row[3], form);
    assert.deepEqual(norm.slice(1).map((r) => r[3]), unnorm.slice(1).map((r) => r[3]));
    if (m !== "stability") {
      for (const row of unnorm.slice(1)) for (const x of row.slice(4)) assert.ok(+x > 0 && +x < 1);
    }
  }
  // The xqtl route's table: every modality present, expression in every tissue.
  const cross = (await Deno.readTextFile(new URL("v4/xqtl/xqtls_indep.cross_modality.v4_rn8.tsv", dataDir)))
    .trimEnd().split("\n").slice(1).map((l) => l.split("\t"));
  assert.deepEqual(
    [...new Set(cross.map((r) => r[1]))].sort(),
    ["alt_TSS", "alt_polyA", "expression", "isoforms", "splicing", "stability"],
  );
  assert.deepEqual(new Set(cross.filter((r) => r[1] === "expression").map((r) => r[0])), new Set(tissues));
});

Deno.test("trans pairs: every tissue's file, p < 1e-5 and beyond 5 Mb, the planted trans-eQTLs found", async () => {
  const genes = new Map(
    (await Deno.readTextFile(new URL("v4/gene.v4.tsv", dataDir))).trimEnd().split("\n").slice(1)
      .map((l) => l.split("\t")).map((f) => [f[0], { chromosome: f[1], tss: Number(f[5]) }]),
  );
  const planted = (await Deno.readTextFile(new URL("trans_effects.tsv", truthDir))).trimEnd().split("\n").slice(1)
    .map((l) => l.split("\t"));
  const tissues = (await ReleaseFolder.open(BUNDLED_RELEASE).tissues()).map((t) => t.id);
  let found = 0;
  for (const t of tissues) {
    const text = new TextDecoder().decode(
      gunzipSync(await Deno.readFile(new URL(`v4/xqtl/trans_qtl_pairs.${t}.expression.v4_rn8.txt.gz`, dataDir))),
    );
    const [head, ...rows] = text.trimEnd().split("\n").map((l) => l.split("\t"));
    assert.deepEqual(head, ["variant_id", "phenotype_id", "pval", "slope", "slope_se", "af"]);
    for (const [variant, gene, p, slope, se, af] of rows) {
      assert.ok(Number(p) < 1e-5 && Number(se) > 0 && Number(af) > 0 && Number(af) < 1, `${t} ${variant} ${gene}`);
      assert.equal(Math.sign(Number(slope)) !== 0, true);
      const [chrom, pos] = variant.split(":");
      const g = genes.get(gene)!;
      assert.ok(chrom !== g.chromosome || Math.abs(Number(pos) - g.tss) > 5_000_000, `${t} ${variant} ${gene} is cis`);
    }
    const pairs = new Set(rows.map((r) => `${r[0]}|${r[1]}`));
    found += planted.filter(([gene, variant, tissue]) => tissue === t && pairs.has(`${variant}|${gene}`)).length;
  }
  // Most planted pairs are found (the small tissues miss some: 0.35–0.5 log2 in 53–92 samples).
  assert.ok(found >= 0.6 * planted.length, `${found} of ${planted.length} planted pairs found`);
});

Deno.test("rats and samples tables as sample_table.R writes them", async () => {
  const rows = async (path: string) =>
    (await Deno.readTextFile(new URL(`v4/ref/${path}`, dataDir))).trimEnd().split("\n").map((l) => l.split("\t"));
  const samples = await rows("RatGTEx_samples.v4.tsv");
  assert.deepEqual(samples[0], ["tissue", "rat_id", "GEO_accession", "BioSample_accession", "SRA_accession"]);
  const tissues = (await ReleaseFolder.open(BUNDLED_RELEASE).tissues()).map((t) => t.id);
  const byTissue = new Map<string, string[]>();
  for (const [t, rat, geo, bio, sra] of samples.slice(1)) {
    byTissue.set(t, [...(byTissue.get(t) ?? []), rat]);
    const has = ["Eye", "IL", "LHb", "OFC"].includes(t);
    assert.equal(
      /^SYNGSM\d{7}$/.test(geo) && /^SYNSAMN\d{8}$/.test(bio) && /^SYNSRX\d{7}$/.test(sra),
      has,
      `${t} ${rat}`,
    );
    if (!has) assert.deepEqual([geo, bio, sra], ["NA", "NA", "NA"]);
  }
  for (const t of tissues) {
    const ids = (await Deno.readTextFile(new URL(`v4/rat_ids/rat_ids.${t}.v4.txt`, dataDir))).trimEnd().split("\n");
    assert.deepEqual(byTissue.get(t), ids, t);
  }
  const rats = await rows("RatGTEx_rats.v4.tsv");
  assert.deepEqual(rats[0], ["rat_id", "sex", "coatcolor", "tissues"]);
  const ids = rats.slice(1).map((r) => r[0]);
  assert.deepEqual(ids, [...ids].sort());
  for (const [rat, sex, coat, ts] of rats.slice(1)) {
    const mine = [...byTissue].filter(([, rs]) => rs.includes(rat)).map(([t]) => t);
    assert.equal(ts, mine.join(", "));
    assert.ok(sex === "M" || sex === "F");
    if (mine.every((t) => t === "Adipose" || t === "Liver")) assert.deepEqual([sex, coat], ["M", "NA"]);
    else assert.match(coat, /^[A-Z]+$/);
  }
});

Deno.test("the Predict page's files: heritable phenotypes, their models, z-scored predictions for a larger cohort", async () => {
  const text = async (path: string) =>
    new TextDecoder().decode(gunzipSync(await Deno.readFile(new URL(`predict/${path}`, dataDir))));
  const [head, ...stats] = (await text("phenotype_stats.tsv.gz")).trimEnd().split("\n").map((l) => l.split("\t"));
  assert.deepEqual(head, [
    "tissue",
    "modality",
    "gene_id",
    "phenotype_id",
    "hsq",
    "hsq_se",
    "hsq_pval",
    "model_type",
    "model_cv_r2",
    "model_cv_pval",
  ]);
  for (const r of stats) {
    assert.ok(Number(r[6]) < 0.01 && ["top1", "blup"].includes(r[7]) && Number(r[8]) >= 0, r.join(" "));
  }
  // One file per tissue × modality with heritable phenotypes, its columns those phenotypes in order.
  const groups = new Map<string, string[]>();
  for (const r of stats) groups.set(`${r[0]}-${r[1]}`, [...(groups.get(`${r[0]}-${r[1]}`) ?? []), r[3]]);
  const files = (await committedFiles()).filter((f) => f.startsWith("predict/pred-round11_2-"));
  assert.deepEqual(
    files.map((f) => f.slice("predict/pred-round11_2-".length, -".tsv.gz".length)).sort(),
    [...groups.keys()].sort(),
  );
  const norm = async (tissue: string) => {
    const lines = new TextDecoder().decode(
      gunzipSync(await Deno.readFile(new URL(`v4/phenos/phenos.${tissue}.expression.norm.v4_rn8.bed.gz`, dataDir))),
    ).trimEnd().split("\n").map((l) => l.split("\t"));
    return { samples: lines[0].slice(4), rows: new Map(lines.slice(1).map((l) => [l[3], l.slice(4).map(Number)])) };
  };
  for (const [key, phenotypes] of groups) {
    const [h, ...rows] = (await text(`pred-round11_2-${key}.tsv.gz`)).trimEnd().split("\n").map((l) => l.split("\t"));
    assert.deepEqual(h, ["rat_id", ...phenotypes], key);
    assert.equal(rows.length, 1500, key);
    assert.equal(rows[0][0], "SYNRAT0001");
    assert.equal(rows[1499][0], "SYNRAT1500");
    for (let c = 1; c < h.length; c++) {
      const x = rows.map((r) => Number(r[c]));
      const mean = x.reduce((a, b) => a + b, 0) / x.length;
      const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
      assert.ok(Math.abs(mean) < 1e-3 && Math.abs(sd - 1) < 1e-3, `${key} ${h[c]}: z-scores`);
    }
    // The release's own rats: predictions follow the measured phenotype (in-sample, so at least the CV r²'s sign).
    const [tissue, modality] = [key.slice(0, key.indexOf("-")), key.slice(key.indexOf("-") + 1)];
    if (modality !== "expression") continue;
    const measured = await norm(tissue);
    const index = new Map(rows.map((r, i) => [r[0], i]));
    let positive = 0;
    for (let c = 1; c < h.length; c++) {
      const y = measured.rows.get(h[c])!;
      const p = measured.samples.map((s) => Number(rows[index.get(s)!][c]));
      const my = y.reduce((a, b) => a + b, 0) / y.length, mp = p.reduce((a, b) => a + b, 0) / p.length;
      let s = 0;
      for (let i = 0; i < y.length; i++) s += (y[i] - my) * (p[i] - mp);
      if (s > 0) positive++;
    }
    assert.ok(positive >= 0.9 * (h.length - 1), `${key}: ${positive} of ${h.length - 1}`);
  }
  // The heritability against a textbook REML in numpy/scipy (tests/reference/fixture_truth/check_hsq.py).
  const checked = JSON.parse(
    await Deno.readTextFile(new URL("../reference/fixture_truth/hsq_checked.json", import.meta.url)),
  );
  assert.ok(checked.rows.length >= 20 && checked.worst_abs_diff < 1e-5, `${checked.worst_abs_diff}`);
  for (const r of checked.rows) {
    const mine = stats.find((s) => s[0] === r.tissue && s[1] === "expression" && s[3] === r.phenotype)!;
    assert.equal(Number(mine[4]), r.published);
  }
});
