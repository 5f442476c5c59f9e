/**
 * GWAS readers and the match to a release, on small files written by hand the way each tool writes them:
 *
 * - GCTA `--mlma`: GCTA's writer `gcta::mlma` (src/mlma.cpp of jianyangqt/gcta) writes the header
 *   `Chr\tSNP\tbp\tA1\tA2\tFreq\tb\tse\tp`, then per SNP chromosome number, name, position, A1 (coded effect
 *   allele), A2, and `0.5*mu` (A1 frequency), b, se, p with the stream's default 6 significant digits, or
 *   `NA\tNA\tNA\tNA` when the test failed (manual: yanglab.westlake.edu.cn/software/gcta/#MLMA). The Palmer lab
 *   pipeline (sanchestm/GWAS-pipeline) runs plink with `--chr-set 20`, so chrX is written 21.
 * - plink2 `--glm`: cog-genomics.org/plink/2.0/formats#glm_linear and #glm_logistic: tab-separated, header
 *   starting `#CHROM`, `A1` the counted allele, `OMITTED` the other, one row per TEST (ADD, then each covariate
 *   without `hide-covar`), `NA` for missing numbers, `ERRCODE` `.` when fine; `.glm.logistic.hybrid` has
 *   `FIRTH?`, `OR` and `LOG(OR)_SE`.
 * - GEMMA `-lmm 1`: GEMMA's `LMM::WriteFiles` (src/lmm.cpp): `chr rs ps n_miss allele1 allele0 af beta se
 *   logl_H1 l_remle p_wald`, tab-separated, af with 3 decimals, statistics in `%e` with 6 digits.
 * - REGENIE step 2: rgcgithub.github.io/regenie/options/#output: space-separated `CHROM GENPOS ID ALLELE0
 *   ALLELE1 A1FREQ INFO N TEST BETA SE CHISQ LOG10P EXTRA`, `NA` and `TEST_FAIL` for a failed test.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/errors.ts`,
 * `lib/workflows/mod.ts`.
 */
import assert from "node:assert/strict";
import {
  matchGwasToVariants,
  normalizeChromosome,
  parseGwas,
  readGwas,
  type VariantAlleles,
} from "../lib/workflows/mod.ts";
import { ValidationError } from "../lib/_core/errors.ts";
import { gzipSync } from "node:zlib";

const tsv = (rows: (string | number)[][]) => rows.map((r) => r.join("\t")).join("\n") + "\n";
const MLMA_HEADER = ["Chr", "SNP", "bp", "A1", "A2", "Freq", "b", "se", "p"];

async function withFile<T>(name: string, content: string | Uint8Array, f: (path: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "ratgtex_gwas_test_" });
  const path = `${dir}/${name}`;
  await (typeof content === "string" ? Deno.writeTextFile(path, content) : Deno.writeFile(path, content));
  try {
    return await f(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function col<T = unknown>(frame: { getColumn(n: string): { toArray(): unknown[] } }, name: string): T[] {
  return frame.getColumn(name).toArray() as T[];
}

function rejects(f: () => unknown, parameter: string, message: RegExp) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof ValidationError, String(e));
    assert.equal(e.parameter, parameter);
    assert.match(e.message, message);
    assert.ok(e.hint.length > 0);
    return true;
  });
}

// --------------------------------------------------------------------------------------------- readers

Deno.test("GCTA .mlma: columns, chromosome codes (21 = X with --chr-set 20), NA rows counted", async () => {
  const text = tsv([
    MLMA_HEADER,
    [1, "1:1000", 1000, "A", "G", 0.3125, 0.212345, 0.0512345, 3.41234e-05],
    [1, "1:2000", 2000, "C", "T", 0.45, -0.0123, 0.0498, 0.805],
    [21, "21:500", 500, "G", "A", 0.2, 0.05, 0.06, 0.4],
    [2, "2:300", 300, "T", "C", "NA", "NA", "NA", "NA"],
  ]);
  const { frame, report } = await withFile("trait.loco.mlma", text, (p) => readGwas(p, { n: 1500 }));
  assert.equal(report.format, "mlma");
  assert.deepEqual(frame.columns, [
    "chromosome",
    "pos",
    "variantId",
    "effectAllele",
    "otherAllele",
    "beta",
    "se",
    "pValue",
    "af",
    "n",
  ]);
  assert.deepEqual(col(frame, "variantId"), ["chr1:1000", "chr1:2000", "chrX:500"]);
  assert.deepEqual(col(frame, "effectAllele"), ["A", "C", "G"]);
  assert.deepEqual(col(frame, "beta"), [0.212345, -0.0123, 0.05]);
  assert.deepEqual(col(frame, "af"), [0.3125, 0.45, 0.2]);
  assert.deepEqual(col(frame, "n"), [1500, 1500, 1500]);
  assert.equal(report.rowsRead, 4);
  assert.equal(report.rowsKept, 3);
  assert.equal(report.dropped.missingValue, 1);
  assert.deepEqual(report.examples.missingValue, ["line 5"]);
  assert.deepEqual(report.chromosomesRenamed, { "1": "chr1", "2": "chr2", "21": "chrX" });
  assert.equal(report.columnsUsed.beta, "b");
});

Deno.test("plink2 .glm.linear: ADD rows kept, covariate rows set aside, A1 = REF or ALT, OMITTED", () => {
  const header = [
    "#CHROM",
    "POS",
    "ID",
    "REF",
    "ALT",
    "PROVISIONAL_REF?",
    "A1",
    "OMITTED",
    "A1_FREQ",
    "TEST",
    "OBS_CT",
    "BETA",
    "SE",
    "T_STAT",
    "P",
    "ERRCODE",
  ];
  const text = tsv([
    header,
    ["1", 1000, "chr1:1000", "G", "A", "Y", "A", "G", 0.31, "ADD", 1780, 0.21, 0.05, 4.2, 2.7e-5, "."],
    ["1", 1000, "chr1:1000", "G", "A", "Y", "A", "G", "NA", "sex", 1780, 0.5, 0.1, 5, 1e-6, "."],
    ["1", 2000, "chr1:2000", "C", "T", "Y", "C", "T", 0.55, "ADD", 1779, -0.01, 0.05, -0.2, 0.84, "."],
    [
      "chr2",
      300,
      "chr2:300",
      "A",
      "C",
      "Y",
      "C",
      "A",
      0.1,
      "ADD",
      1781,
      "NA",
      "NA",
      "NA",
      "NA",
      "CONST_OMITTED_ALLELE",
    ],
  ]);
  const { frame, report } = parseGwas(text, { name: "t.PHENO1.glm.linear" });
  assert.equal(report.format, "plink2");
  assert.equal(report.rowsOtherTest, 1);
  assert.equal(report.dropped.missingValue, 1);
  assert.deepEqual(col(frame, "variantId"), ["chr1:1000", "chr1:2000"]);
  assert.deepEqual(col(frame, "effectAllele"), ["A", "C"]);
  assert.deepEqual(col(frame, "otherAllele"), ["G", "T"]);
  assert.deepEqual(col(frame, "n"), [1780, 1779]);
  assert.equal(report.rowsRead, report.rowsKept + report.rowsOtherTest + report.dropped.missingValue);
});

Deno.test("plink2 .glm.logistic.hybrid: OR becomes log(OR), LOG(OR)_SE the SE; no OMITTED: REF/ALT", () => {
  const header = [
    "#CHROM",
    "POS",
    "ID",
    "REF",
    "ALT",
    "A1",
    "FIRTH?",
    "TEST",
    "OBS_CT",
    "OR",
    "LOG(OR)_SE",
    "Z_STAT",
    "P",
    "ERRCODE",
  ];
  const text = tsv([
    header,
    ["3", 700, "chr3:700", "A", "G", "G", "N", "ADD", 900, 1.5, 0.1, 4.05, 5.1e-5, "."],
    ["3", 800, "chr3:800", "T", "C", "T", "Y", "ADD", 900, 0.8, 0.12, -1.86, 0.063, "."],
    ["3", 900, "chr3:900", "T", "C", "T", "Y", "ADD", 900, 0, 0.12, -1.86, 0.063, "."],
  ]);
  const { frame, report } = parseGwas(text);
  assert.equal(report.format, "plink2");
  assert.equal(report.columnsUsed.beta, "log(OR)");
  const beta = col<number>(frame, "beta");
  assert.ok(Math.abs(beta[0] - Math.log(1.5)) < 1e-15);
  assert.ok(Math.abs(beta[1] - Math.log(0.8)) < 1e-15);
  assert.deepEqual(col(frame, "otherAllele"), ["A", "C"]); // A1 = ALT → REF; A1 = REF → ALT
  assert.deepEqual(col(frame, "se"), [0.1, 0.12]);
  assert.equal(report.dropped.invalidOddsRatio, 1);
});

Deno.test("GEMMA .assoc.txt: allele1 is the effect allele, %e statistics, nan counted, n from options", () => {
  const header = [
    "chr",
    "rs",
    "ps",
    "n_miss",
    "allele1",
    "allele0",
    "af",
    "beta",
    "se",
    "logl_H1",
    "l_remle",
    "p_wald",
  ];
  const text = tsv([
    header,
    [
      "1",
      "rs1",
      1000,
      0,
      "A",
      "G",
      "0.312",
      "2.123450e-01",
      "5.123450e-02",
      "-1.234568e+03",
      "4.200000e-01",
      "3.412340e-05",
    ],
    [
      "1",
      "rs2",
      2000,
      2,
      "T",
      "C",
      "0.450",
      "-1.230000e-02",
      "4.980000e-02",
      "-1.234568e+03",
      "4.200000e-01",
      "8.050000e-01",
    ],
    ["1", "rs3", 3000, 0, "G", "A", "0.100", "nan", "nan", "-1.234568e+03", "4.200000e-01", "nan"],
    ["1", "rs4", 4000, 0, "G", "A", "0.100", "1.0e-01", "-nan", "-1.234568e+03", "4.200000e-01", "-inf"],
  ]);
  const { frame, report } = parseGwas(text, { n: 2000 });
  assert.equal(report.format, "gemma");
  assert.deepEqual(col(frame, "beta"), [0.212345, -0.0123]);
  assert.deepEqual(col(frame, "pValue"), [3.41234e-5, 0.805]);
  assert.deepEqual(col(frame, "af"), [0.312, 0.45]);
  assert.equal(report.dropped.nonFinite, 2);
  assert.deepEqual(report.examples.nonFinite, ["line 4", "line 5"]);
});

Deno.test("REGENIE .regenie: ## lines, space-separated, p = 10^-LOG10P, TEST_FAIL counted, N read", () => {
  const text = '##MASKS=<Mask1="LoF">\n' +
    "CHROM GENPOS ID ALLELE0 ALLELE1 A1FREQ INFO N TEST BETA SE CHISQ LOG10P EXTRA\n" +
    "1 1000 chr1:1000 G A 0.31 1 3200 ADD 0.21 0.05 17.64 4.57 NA\n" +
    "1 1000 chr1:1000 G A 0.31 1 3200 DOM 0.3 0.09 11.1 3.1 NA\n" +
    "X 2000 chrX:2000 C T 0.45 1 3199 ADD NA NA NA NA TEST_FAIL\n" +
    "1 3000 chr1:3000 C T 0.12 1 3201 ADD 0.01 0.07 0.02 0.05 NA\n";
  const { frame, report } = parseGwas(text, { name: "step2_trait.regenie" });
  assert.equal(report.format, "regenie");
  assert.equal(report.rowsOtherTest, 1);
  assert.equal(report.dropped.missingValue, 1);
  assert.deepEqual(report.examples.missingValue, ["line 5"]); // one ## line, the header, then the rows
  assert.deepEqual(col(frame, "effectAllele"), ["A", "T"]);
  assert.deepEqual(col(frame, "n"), [3200, 3201]);
  const p = col<number>(frame, "pValue");
  assert.ok(Math.abs(p[0] / 10 ** -4.57 - 1) < 1e-14);
});

Deno.test("any table with a column mapping: CSV, mapped names checked, gzip read", async () => {
  const text = "marker,chrom,position,ea,nea,eaf,effect,stderr,pval,N\n" +
    "m1,chr4,100,a,g,0.2,0.3,0.1,0.0027,500\n" +
    "m2,4,200,C,T,0.6,-0.1,0.1,0.32,500\n";
  const columns = {
    chromosome: "chrom",
    pos: "position",
    effectAllele: "ea",
    otherAllele: "nea",
    af: "eaf",
    beta: "effect",
    se: "stderr",
    pValue: "pval",
    n: "N",
  };
  const { frame, report } = await withFile(
    "sumstats.csv.gz",
    gzipSync(new TextEncoder().encode(text)),
    (p) => readGwas(p, { columns }),
  );
  assert.equal(report.format, "table");
  assert.deepEqual(col(frame, "variantId"), ["chr4:100", "chr4:200"]);
  assert.deepEqual(col(frame, "effectAllele"), ["A", "C"]);
  rejects(
    () => parseGwas(text, { columns: { ...columns, se: "SE" } }),
    "columns.se",
    /no column "SE".*columns found: marker, chrom/,
  );
});

Deno.test("bad files: missing column (named, with the columns found), empty, header only, unknown layout", async () => {
  const noSe = tsv([["Chr", "SNP", "bp", "A1", "A2", "Freq", "b", "p"], [1, "s", 1, "A", "G", 0.1, 0.1, 0.5]]);
  rejects(
    () => parseGwas(noSe, { name: "t.mlma" }),
    "file",
    /missing column "se" for GCTA --mlma; columns found: Chr, SNP, bp, A1, A2, Freq, b, p/,
  );
  const upper = tsv([["Chr", "SNP", "bp", "A1", "A2", "Freq", "b", "SE", "p"], [
    1,
    "s",
    1,
    "A",
    "G",
    0.1,
    0.1,
    0.1,
    0.5,
  ]]);
  rejects(() => parseGwas(upper), "file", /"SE" differs only in case/);
  await withFile("empty.mlma", "", async (p) => {
    await assert.rejects(readGwas(p), (e) => e instanceof ValidationError && /empty\.mlma": is empty/.test(e.message));
  });
  const headerOnly = parseGwas(tsv([MLMA_HEADER]));
  assert.equal(headerOnly.frame.height, 0);
  assert.deepEqual(headerOnly.frame.columns.length, 10);
  assert.ok(headerOnly.report.warnings.some((w) => /no usable variant/.test(w)));
  rejects(() => parseGwas("a\tb\tc\n1\t2\t3\n"), "file", /not a format recognised.*columns found: a, b, c/);
  await assert.rejects(readGwas("/nonexistent/x.mlma"), ValidationError);
});

Deno.test("bad rows: NaN/Inf/empty/unparseable/SE ≤ 0/p > 1/bad alleles/chromosome 0/duplicates — each counted", () => {
  const text = tsv([
    MLMA_HEADER,
    [1, "ok", 100, "A", "G", 0.3, 0.2, 0.05, 1e-4], // line 2: kept
    [1, "nan", 200, "A", "G", 0.3, "nan", 0.05, 1e-4], // nonFinite
    [1, "inf", 300, "A", "G", 0.3, 0.2, "inf", 1e-4], // nonFinite
    [1, "empty", 400, "A", "G", 0.3, "", 0.05, 1e-4], // missingValue
    [1, "text", 500, "A", "G", 0.3, "abc", 0.05, 1e-4], // unparseable
    [1, "se0", 600, "A", "G", 0.3, 0.2, 0, 1e-4], // nonPositiveSe
    [1, "p2", 700, "A", "G", 0.3, 0.2, 0.05, 2], // pValueOutOfRange
    [1, "allele0", 800, "0", "G", 0.3, 0.2, 0.05, 1e-4], // invalidAllele
    [0, "chr0", 900, "A", "G", 0.3, 0.2, 0.05, 1e-4], // invalidChromosome
    [1, "pos", "1e3x", "A", "G", 0.3, 0.2, 0.05, 1e-4], // invalidPosition
    [1, "dup", 100, "G", "A", 0.7, -0.2, 0.05, 1e-4], // duplicate of line 2 (alleles the other way)
    [1, "tri", 100, "A", "T", 0.1, 0.1, 0.05, 0.2], // another allele pair at the same position: kept
    [1, "freq", 1000, "C", "T", "1.5", 0.2, 0.05, 0.3], // af out of range: kept, af null
  ]);
  const { frame, report } = parseGwas(text);
  assert.deepEqual(report.dropped, {
    invalidChromosome: 1,
    invalidPosition: 1,
    invalidAllele: 1,
    missingValue: 1,
    nonFinite: 2,
    unparseable: 1,
    nonPositiveSe: 1,
    invalidOddsRatio: 0,
    pValueOutOfRange: 1,
    duplicate: 1,
  });
  assert.deepEqual(report.examples.nonFinite, ["line 3", "line 4"]);
  assert.match(report.examples.duplicate![0], /line 12: chr1:100 G\/A repeated/);
  assert.equal(frame.height, 3);
  assert.equal(report.multiAllelicPositions, 1);
  assert.equal(report.afMissing, 1);
  assert.equal(report.rowsRead, report.rowsKept + Object.values(report.dropped).reduce((a, b) => a + b, 0));
  assert.ok(report.warnings.some((w) => /10 of 13 rows dropped/.test(w)));
});

Deno.test("a truncated last line (interrupted run) is counted and said", () => {
  const text = tsv([MLMA_HEADER, [1, "s1", 100, "A", "G", 0.3, 0.2, 0.05, 1e-4]]) + "1\ts2\t200\tA\tG\t0.3\t0.";
  const { frame, report } = parseGwas(text);
  assert.equal(frame.height, 1);
  assert.equal(report.dropped.missingValue, 1);
  assert.deepEqual(report.examples.missingValue, ["line 3"]);
  assert.ok(report.warnings.some((w) => /may be truncated/.test(w)));
});

Deno.test("normalizeChromosome: 1/chr1/Chr01/X/MT/plink codes; contigs kept; 0 unusable", () => {
  assert.deepEqual(normalizeChromosome("Chr01", 20), { name: "chr1", recognised: true });
  assert.equal(normalizeChromosome("x", 20)?.name, "chrX");
  assert.equal(normalizeChromosome("MT", 20)?.name, "chrM");
  assert.equal(normalizeChromosome("24", 20)?.name, "chrM");
  assert.equal(normalizeChromosome("23", 22)?.name, "chrX"); // human numbering
  assert.deepEqual(normalizeChromosome("NW_023637629.1", 20), { name: "NW_023637629.1", recognised: false });
  assert.equal(normalizeChromosome("", 20), null);
});

// -------------------------------------------------------------------------------------------- matching

/** A release's variants at rn8 positions (REF, ALT…). */
const RELEASE: Record<string, VariantAlleles> = {
  "chr1:1000": { ref: "G", alt: ["A"] },
  "chr1:2000": { ref: "C", alt: ["T"] },
  "chr1:3000": { ref: "A", alt: ["T"] }, // strand-ambiguous
  "chr1:4000": { ref: "C", alt: ["G"] }, // strand-ambiguous
  "chr1:5000": { ref: "A", alt: ["C"] },
  "chr1:6000": { ref: "G", alt: ["A", "T"] }, // multi-allelic
  "chr1:7000": { ref: "C", alt: ["T"] },
  "chr1:8000": { ref: "AT", alt: ["A"] }, // deletion
};
const lookup = (chromosome: string, pos: number) => RELEASE[`${chromosome}:${pos}`] ?? null;

function gwasOf(rows: [number, string, string, number, number][]) {
  return parseGwas(
    tsv([MLMA_HEADER, ...rows.map(([pos, a1, a2, freq, b]) => [1, `s${pos}`, pos, a1, a2, freq, b, 0.05, 1e-3])]),
  )
    .frame;
}

Deno.test("match: aligned, swapped (beta and af flipped), multi-allelic, ambiguous and mismatched dropped; strandFlip", async () => {
  const gwas = gwasOf([
    [1000, "A", "G", 0.3, 0.2], // aligned: effect = ALT
    [2000, "C", "T", 0.6, 0.1], // swapped: effect = REF → beta −0.1, af 0.4, effect T
    [3000, "A", "T", 0.2, 0.3], // ambiguous A/T
    [4000, "G", "C", 0.2, 0.3], // ambiguous C/G
    [5000, "G", "T", 0.2, 0.3], // the release's C/A on the other strand: a mismatch unless strandFlip
    [6000, "T", "G", 0.1, 0.4], // multi-allelic: effect T = ALT 2
    [7000, "A", "C", 0.1, 0.4], // mismatch: release has C/T (on either strand)
    [8000, "AT", "A", 0.3, 0.5], // deletion, swapped
    [9999, "A", "G", 0.3, 0.5], // not in the release
  ]);
  const res = await matchGwasToVariants(gwas, lookup);
  assert.deepEqual(res.counts, {
    total: 9,
    atPosition: 8,
    matched: 4,
    aligned: 2,
    swapped: 2,
    complemented: 0,
    multiAllelic: 1,
    dropped: { notFound: 1, strandAmbiguous: 2, alleleMismatch: 2 },
  });
  assert.deepEqual(col(res.frame, "variantId"), ["chr1:1000", "chr1:2000", "chr1:6000", "chr1:8000"]);
  assert.deepEqual(col(res.frame, "effectAllele"), ["A", "T", "T", "A"]);
  assert.deepEqual(col(res.frame, "otherAllele"), ["G", "C", "G", "AT"]);
  assert.deepEqual(col(res.frame, "beta"), [0.2, -0.1, 0.4, -0.5]);
  const af = col<number>(res.frame, "af");
  assert.ok(Math.abs(af[1] - 0.4) < 1e-15 && Math.abs(af[3] - 0.7) < 1e-15);
  assert.deepEqual(col(res.frame, "alleleMatch"), ["aligned", "swapped", "aligned", "swapped"]);
  assert.deepEqual(col(res.frame, "alt"), ["A", "T", "A,T", "A"]);
  assert.deepEqual(col(res.frame, "ref"), ["G", "C", "G", "AT"]);
  assert.deepEqual(col(res.unmatched, "reason"), [
    "strandAmbiguous",
    "strandAmbiguous",
    "alleleMismatch",
    "alleleMismatch",
    "notFound",
  ]);
  assert.deepEqual(col(res.unmatched, "releaseAlleles"), ["A/T", "C/G", "A/C", "C/T", null]);
  assert.equal(res.warning, null); // 8 of 9 at a release position
  assert.ok(res.warnings.some((w) => /5 of 9 GWAS variants not matched/.test(w)));

  // With strandFlip, the minus-strand G/T matches the release's C/A (effect G → C = ALT).
  const flipped = await matchGwasToVariants(gwas, lookup, { strandFlip: true });
  assert.equal(flipped.counts.complemented, 1);
  assert.equal(flipped.counts.dropped.alleleMismatch, 1);
  const k = col<string>(flipped.frame, "variantId").indexOf("chr1:5000");
  assert.equal(col(flipped.frame, "effectAllele")[k], "C");
  assert.equal(col(flipped.frame, "beta")[k], 0.3);
  assert.equal(col(flipped.frame, "alleleMatch")[k], "complemented");
});

Deno.test("match: rn7 positions give a low match rate, said with its likely cause (never a silent drop)", async () => {
  // The same variants, at positions shifted as an older assembly would place them; one lands on a release
  // position by chance, with other alleles.
  const gwas = gwasOf([
    [1000 + 731, "A", "G", 0.3, 0.2],
    [2000 + 731, "C", "T", 0.6, 0.1],
    [5000 + 731, "G", "T", 0.2, 0.3],
    [7000 + 731, "A", "G", 0.1, 0.4],
    [5000 + 1000, "AC", "A", 0.1, 0.4], // at chr1:6000 by chance: alleles do not match (G/A,T)
  ]);
  const res = await matchGwasToVariants(gwas, async (c, p) => await Promise.resolve(lookup(c, p)));
  assert.equal(res.frame.height, 0);
  assert.equal(res.counts.dropped.notFound, 4);
  assert.equal(res.counts.dropped.alleleMismatch, 1);
  assert.equal(res.positionRate, 0.2);
  assert.ok(res.warning);
  assert.match(res.warning, /1 of 5 GWAS variants \(20\.0 %\)/);
  assert.match(res.warning, /GRCr7 \(rn7/);
  assert.match(res.warning, /rn6/);
  assert.match(res.warning, /GRCr8 \(rn8\)/);
  assert.match(res.warning, /liftOver/);
});

Deno.test("match: a frame without the GWAS columns, or no lookup, is a ValidationError", async () => {
  const { default: pl } = await import("nodejs-polars");
  await assert.rejects(
    matchGwasToVariants(pl.DataFrame({ chr: ["1"], bp: [1] }), lookup),
    (e) =>
      e instanceof ValidationError && /missing column\(s\) chromosome, pos.*columns found: chr, bp/.test(e.message),
  );
  await assert.rejects(
    matchGwasToVariants(gwasOf([[1000, "A", "G", 0.3, 0.2]]), null as never),
    (e) => e instanceof ValidationError && e.parameter === "lookup",
  );
});
