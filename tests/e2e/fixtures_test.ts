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
import { generateRelease, WORKED, writeRelease } from "../../fixtures/generate.ts";
import { loadUniverse } from "ratgtex/offline";
import { BUNDLED_RELEASE } from "ratgtex/release";
import { ReleaseFolder } from "../../lib/release/folder.ts";
import { pandasFloat } from "../../lib/release/table.ts";
import { ZipArchive } from "../../lib/release/zip.ts";
import { bgzip, bgzipVcfWithIndex, pyPercentG, readrNumber, zipFixed } from "../../fixtures/release_write.ts";

const dataDir = new URL("../../fixtures/data/", import.meta.url);

async function committedFiles(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string) => {
    for await (const e of Deno.readDir(new URL(sub, dataDir))) {
      if (e.isDirectory) await walk(`${sub}${e.name}/`);
      else out.push(`${sub}${e.name}`);
    }
  };
  await walk("");
  return out.sort();
}

// The generator runs once per test run (it is the slowest step): its files are compared with the committed
// ones, and written by writeRelease to a temporary folder whose every file is compared again.
Deno.test("regenerating the release is byte-identical to the committed files, and writeRelease writes them", async () => {
  const files = generateRelease();
  assert.deepEqual(files.map((f) => f.path).sort(), await committedFiles());
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const f of files) {
    assert.ok(same(await Deno.readFile(new URL(f.path, dataDir)), f.bytes), `${f.path} differs`);
  }
  const dir = await Deno.makeTempDir();
  try {
    await writeRelease(`${dir}/data`, files);
    for (const f of files) assert.ok(same(await Deno.readFile(`${dir}/data/${f.path}`), f.bytes), `${f.path} written`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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
  assert.ok(bytes < 5_000_000, `${bytes} bytes committed`);
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
  assert.equal(u.thresholds.get("IL|Cd300lf"), WORKED.threshold);
});
