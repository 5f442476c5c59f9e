/**
 * The teaching checks: right and wrong answers for every exercise, on the offline universe, plus a doctored
 * source to show that the feedback follows the data (nothing is hard-coded in lib/teach/mod.ts).
 *
 * Expected answers below are facts of the committed miniature release (fixtures/data/v4/), worked out here
 * independently from its files where that is cheap (medians from the TPM BED, eQTL tissues from
 * eqtls_indep, a hand-written OLS for the slopes), never copied in as numbers: a regenerated release
 * changes them with it.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { createClient, dyneqtl, singleTissueEqtl, ValidationError } from "ratgtex";
import { createTwin } from "ratgtex/offline";
import { regressEqtl, studentTTwoSidedPValue } from "ratgtex/analysis";
import pl from "nodejs-polars";
import { check, EXERCISE_DATA, type ExerciseName, EXERCISES, type Feedback } from "ratgtex/teach";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const client = createClient({ source: "offline" });
const opts = { client };
const RELEASE = new URL("../fixtures/data/v4/", import.meta.url);

/** A TSV file of the release as rows of named fields. */
async function tsvRows(rel: string): Promise<Record<string, string>[]> {
  const bytes = await Deno.readFile(new URL(rel, RELEASE));
  const text = new TextDecoder().decode(rel.endsWith(".gz") ? gunzipSync(bytes) : bytes);
  const [head, ...lines] = text.split("\n").filter((l) => l !== "");
  const names = head.split("\t");
  return lines.map((l) => Object.fromEntries(l.split("\t").map((v, i) => [names[i], v])));
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** A tissue's genes by median TPM, highest first, from the release's TPM BED (chromosome from its #chr column). */
async function byMedianTpm(tissue: string): Promise<{ geneId: string; chrM: boolean; median: number }[]> {
  const rows = await tsvRows(`expr/expr.tpm.${tissue}.v4_rn8.bed.gz`);
  return rows.map((r) => {
    const values = Object.entries(r).filter(([k]) => !["#chr", "start", "end", "phenotype_id"].includes(k));
    return { geneId: r.phenotype_id, chrM: r["#chr"] === "chrM", median: median(values.map(([, v]) => Number(v))) };
  }).sort((a, b) => b.median - a.median);
}

/** The tissues where a gene has a conditionally independent eQTL (eqtls_indep) and where it was tested (gene table). */
async function eqtlFacts(geneId: string): Promise<{ indep: string[]; tested: string[] }> {
  const indep = (await tsvRows("eqtl/eqtls_indep.v4_rn8.tsv")).filter((r) => r.gene_id === geneId).map((r) => r.tissue);
  const gene = (await tsvRows("gene.v4.tsv")).find((r) => r.geneId === geneId)!;
  const tested = Object.entries(gene).filter(([k, v]) => k.startsWith("testedEqtl_") && v === "True")
    .map(([k]) => k.slice("testedEqtl_".length));
  return { indep: [...new Set(indep)].sort(), tested };
}

/** Plain OLS slope, intercept and two-sided p-value of y on x, the textbook formulas. */
function ols(x: number[], y: number[]): { slope: number; intercept: number; pValue: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - intercept - slope * x[i]) ** 2;
  const se = Math.sqrt(rss / (n - 2) / sxx);
  return { slope, intercept, pValue: studentTTwoSidedPValue(slope / se, n - 2) };
}

async function pairData(): Promise<{ x: number[]; tpm: number[]; genotypes: (number | null)[]; data: number[] }> {
  const dyn = await dyneqtl(EXERCISE_DATA.eqtlPair, opts);
  const x: number[] = [];
  const tpm: number[] = [];
  dyn.genotypes.forEach((g, i) => {
    if (g !== null) {
      x.push(g);
      tpm.push(dyn.data[i]);
    }
  });
  return { x, tpm, genotypes: dyn.genotypes, data: dyn.data };
}

function assertWrong(f: Feedback, pattern: RegExp): void {
  assert.equal(f.status, "incorrect", f.toString());
  assert.equal(f.correct, false);
  assert.match(f.message, pattern);
}

Deno.test("teach: every exercise is listed once and answers 'no answer yet' to undefined", async () => {
  const names = EXERCISES.map((e) => e.name);
  assert.deepEqual(new Set(names).size, names.length);
  for (const name of names) {
    const f = await check(name, undefined, opts);
    assert.equal(f.status, "unanswered");
    assert.match(f.message, /Replace undefined/);
  }
});

Deno.test("teach: an unknown exercise is a ValidationError naming the valid ones", async () => {
  await assert.rejects(
    () => check("nope" as ExerciseName, 1, opts),
    (e: unknown) => e instanceof ValidationError && /bigTissues/.test(e.message) && e.parameter === "exercise",
  );
});

Deno.test("teach: bigTissues — right, and the typical slips", async () => {
  // Real v4 sample counts: Adipose 411, Brain 342, Liver 411, NAcc 570, PL 404 are above 300.
  assert.ok((await check("bigTissues", 5, opts)).correct);
  assertWrong(await check("bigTissues", 13, opts), /every tissue/);
  assertWrong(await check("bigTissues", 8, opts), /flip the comparison/);
  assertWrong(await check("bigTissues", 4, opts), /too low/);
  assertWrong(await check("bigTissues", 7, opts), /too high/);
  assertWrong(await check("bigTissues", "5", opts), /whole number/);
  assertWrong(await check("bigTissues", 5.5, opts), /whole number/);
});

Deno.test("teach: topLiverGene — right, chrM, a lower rank, case, and an absent gene", async () => {
  // The ranking from the release's Liver TPM BED (in v4's miniature: three chrM genes first, then two
  // genes within a few percent of each other: a near tie, which the runner-up's feedback names).
  const ranked = await byMedianTpm(EXERCISE_DATA.tissue);
  const nonMt = ranked.filter((g) => !g.chrM);
  const [top, second, third] = nonMt;
  const mt = ranked.find((g) => g.chrM)!;
  assert.ok(mt && top.median > second.median, "the premise: a chrM gene and a strict winner outside chrM");
  const right = await check("topLiverGene", top.geneId, opts);
  assert.ok(right.correct, right.toString());
  assertWrong(await check("topLiverGene", mt.geneId, opts), /mitochondrial/);
  const closeSecond = second.median >= 0.95 * top.median;
  assertWrong(
    await check("topLiverGene", second.geneId, opts),
    closeSecond ? /number 2 in Liver.*close second/ : /number 2 in Liver.*Sort by median/,
  );
  assertWrong(await check("topLiverGene", third.geneId, opts), /number 3 in Liver.*Sort by median/);
  const recased = top.geneId[0].toLowerCase() === top.geneId[0]
    ? top.geneId[0].toUpperCase() + top.geneId.slice(1)
    : top.geneId[0].toLowerCase() + top.geneId.slice(1);
  assertWrong(await check("topLiverGene", recased, opts), /case-sensitive/);
  assertWrong(await check("topLiverGene", "NoSuchGene", opts), /not among/);
  assertWrong(await check("topLiverGene", 42, opts), /gene ID/);
});

Deno.test("teach: eqtlTissues — right as any list in any order, a string refused, and each kind of wrong list", async () => {
  const { indep: expected, tested: all } = await eqtlFacts(EXERCISE_DATA.geneId);
  assert.ok(expected.length >= 2 && all.length > expected.length, "the premise: some tissues, not all tested ones");
  const notOne = all.find((t) => !expected.includes(t))!;
  assert.ok((await check("eqtlTissues", expected, opts)).correct);
  assert.ok((await check("eqtlTissues", [...expected].reverse().concat("IL"), opts)).correct);
  // A comma-joined string is not a list: refused with the expected shape and the list it should have been.
  const joined = await check("eqtlTissues", expected.join(","), opts);
  assert.equal(joined.correct, false);
  assert.match(joined.message, /should be a list of tissue IDs.*this is a string\. Split it into a list: \["/);
  assert.ok((await check("eqtlTissues", new Set(expected), opts)).correct);
  assertWrong(await check("eqtlTissues", expected.slice(1), opts), /1 tissue is missing/);
  assertWrong(
    await check("eqtlTissues", [...expected, notOne], opts),
    new RegExp(`no independent eQTL in ${notOne}\\.`),
  );
  const lower = expected.find((t) => t.toLowerCase() !== t)!;
  assertWrong(
    await check("eqtlTissues", [lower.toLowerCase(), ...expected.slice(0, 1)], opts),
    new RegExp(`case-sensitive: ${lower}`),
  );
  assertWrong(await check("eqtlTissues", ["Cortex"], opts), /Not tissue IDs/);
  // Every tissue the gene was tested in (the gene table's testedEqtl_* columns).
  assertWrong(await check("eqtlTissues", all, opts), /tested for eQTLs/);
  assertWrong(await check("eqtlTissues", 3, opts), /list of tissue IDs/);
});

Deno.test("teach: eqtlSlope — right (rounded too), and each slip recognised from the data", async () => {
  const { x, tpm, genotypes, data } = await pairData();
  const log2 = ols(x, tpm.map((v) => Math.log2(v + 1)));
  const raw = ols(x, tpm);
  const zeros = ols(genotypes.map((g) => g ?? 0), data.map((v) => Math.log2(v + 1)));
  const ln = ols(x, tpm.map((v) => Math.log(v + 1)));
  const log10 = ols(x, tpm.map((v) => Math.log10(v + 1)));
  // The premise: some samples lack a call (else the dosage-0 slip is the answer), and every slip is
  // distinguishable from the answer at the 3 significant digits asked (else its feedback is untestable).
  assert.ok(genotypes.some((g) => g === null));
  for (const slip of [raw, zeros, ln, log10].map((f) => f.slope).concat(log2.intercept, -log2.slope)) {
    assert.notEqual(Number(slip.toPrecision(3)), Number(log2.slope.toPrecision(3)));
  }
  assert.ok((await check("eqtlSlope", log2.slope, opts)).correct);
  assert.ok((await check("eqtlSlope", Number(log2.slope.toPrecision(3)), opts)).correct);
  assertWrong(await check("eqtlSlope", -log2.slope, opts), /sign is flipped/);
  assertWrong(await check("eqtlSlope", raw.slope, opts), /raw TPM/);
  assertWrong(await check("eqtlSlope", ln.slope, opts), /natural-log/);
  assertWrong(await check("eqtlSlope", log10.slope, opts), /log10/);
  assertWrong(await check("eqtlSlope", log2.intercept, opts), /intercept/);
  assertWrong(await check("eqtlSlope", zeros.slope, opts), /counted as dosage 0/);
  assertWrong(await check("eqtlSlope", log2.slope * 1.02, opts), /Close/);
  // 3 significant digits asked: 2 are not enough, and the feedback says so (the same tolerance both ways).
  assertWrong(
    await check("eqtlSlope", Number(log2.slope.toPrecision(2)), opts),
    /agrees to 2 significant digits, and the exercise asks for 3 significant digits/,
  );
  const half = 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(log2.slope))) - 2);
  assert.ok((await check("eqtlSlope", log2.slope + 0.9 * half, opts)).correct, "just inside, above");
  assert.ok((await check("eqtlSlope", log2.slope - 0.9 * half, opts)).correct, "just inside, below");
  assert.equal((await check("eqtlSlope", log2.slope + 1.1 * half, opts)).correct, false, "just outside, above");
  assert.equal((await check("eqtlSlope", log2.slope - 1.1 * half, opts)).correct, false, "just outside, below");
  assertWrong(await check("eqtlSlope", 5, opts), /too large/);
  assertWrong(await check("eqtlSlope", "0.5", opts), /a number/);
});

Deno.test("teach: apiPValue — the covariate-adjusted p-value is the API's; each earlier step is named", async () => {
  const pair = EXERCISE_DATA.eqtlPair;
  const { x, tpm } = await pairData();
  const dyn = await dyneqtl(pair, opts);
  // Step by step, as the learner does: naive OLS on TPM, log2, INT (no covariates) ...
  const raw = ols(x, tpm).pValue;
  const log2 = ols(x, tpm.map((v) => Math.log2(v + 1))).pValue;
  const int = regressEqtl(dyn, { transform: "int" }).pValue;
  // ... then the release's normalised expression with its covariates (read from the files here).
  const covarText = new TextDecoder().decode(
    await Deno.readFile(new URL(`covar/covar.${pair.tissueSiteDetailId}.expression.v4.tsv`, RELEASE)),
  );
  const covariates = pl.readCSV(covarText, { sep: "\t" });
  const bed = await tsvRows(`phenos/phenos.${pair.tissueSiteDetailId}.expression.norm.v4_rn8.bed.gz`);
  const row = bed.find((r) => r.phenotype_id === pair.geneId)!;
  const sampleIds = Object.keys(row).slice(4);
  const data = sampleIds.map((id) => Number(row[id]));
  const adjusted = regressEqtl({ data, genotypes: dyn.genotypes, sampleIds }, { transform: "none", covariates });
  // The premise: the naive steps all differ from the API (at the 3 digits asked) and the last one matches.
  const shown = (p: number) => Number(p.toPrecision(3));
  assert.equal(shown(adjusted.pValue), shown(dyn.pValue!));
  for (const p of [raw, log2, int]) assert.notEqual(shown(p), shown(dyn.pValue!));

  const right = await check("apiPValue", adjusted.pValue, opts);
  assert.ok(right.correct, right.toString());
  assert.match(right.message, /reproduced the API's p-value/);
  assert.ok((await check("apiPValue", shown(adjusted.pValue), opts)).correct);
  assertWrong(await check("apiPValue", raw, opts), /raw TPM/);
  assertWrong(await check("apiPValue", log2, opts), /log2\(TPM \+ 1\): you have not added the covariates/);
  assertWrong(await check("apiPValue", int, opts), /inverse-normal.*not added the covariates/);
  assertWrong(await check("apiPValue", -Math.log10(adjusted.pValue), opts), /at most 1 \(not −log10 p\)/);
  assertWrong(await check("apiPValue", adjusted.nes, opts), /slope \(nes\)/);
  assertWrong(await check("apiPValue", dyn.pValueThreshold, opts), /pValueThreshold/);
  assertWrong(await check("apiPValue", adjusted.pValue * 1.02, opts), /Close/);
  assertWrong(await check("apiPValue", 0.5, opts), /too large/);
  assertWrong(await check("apiPValue", 0, opts), /a p-value/);
  assertWrong(await check("apiPValue", "8e-8", opts), /a p-value/);
  assert.ok(!(await check("apiPValue", log2, opts)).message.includes(String(shown(dyn.pValue!))));
});

Deno.test("teach: pValueBeta — the release's own pval_beta, any within the Monte-Carlo noise, and the minimum p, Bonferroni, pval_perm named", async () => {
  const { geneId, tissueSiteDetailId } = EXERCISE_DATA.permutationGene;
  // The release's own numbers, read from its top_assoc here.
  const top = (await tsvRows("eqtl/top_assoc.v4_rn8.tsv")).find((r) =>
    r.gene_id === geneId && r.tissue === tissueSiteDetailId
  )!;
  const published = Number(top.pval_beta), minP = Number(top.pval_nominal), numVar = Number(top.num_var);
  const right = await check("pValueBeta", published, opts);
  assert.ok(right.correct, right.toString());
  assert.match(right.message, /the release's own number/);
  assert.ok((await check("pValueBeta", Number(published.toPrecision(3)), opts)).correct);
  // Other permutations: another value, right within the noise of 1,000 permutations.
  const rel = await openRelease(BUNDLED_RELEASE);
  const other = (await rel.permutationStatistics({ tissueSiteDetailId, geneIds: [geneId] }, {
    permutations: 1000,
    seed: 7,
  })).getColumn("pValueBeta").get(0) as number;
  assert.notEqual(other.toPrecision(3), published.toPrecision(3));
  const noisy = await check("pValueBeta", other, opts);
  assert.ok(noisy.correct, noisy.toString());
  assert.match(noisy.message, /within the Monte-Carlo noise of 1,000 permutations/);
  // What it is not.
  assertWrong(await check("pValueBeta", minP, opts), /minimum p over the gene's cis variants/);
  assertWrong(await check("pValueBeta", Math.min(1, minP * numVar), opts), /Bonferroni/);
  assertWrong(await check("pValueBeta", 1 / 1001, opts), /pval_perm/);
  assertWrong(await check("pValueBeta", 0.5, opts), /too large/);
  assertWrong(await check("pValueBeta", published / 100, opts), /too small/);
  assertWrong(await check("pValueBeta", 0, opts), /a p-value/);
  assertWrong(await check("pValueBeta", "6e-5", opts), /a p-value/);
});

Deno.test("teach: treeAgreement — right to 3 decimals, itself, and out of range", async () => {
  // Offline panel (Polr3k, Rtel1, Eno1, Cd300lf, LOC120093067): raw vs log2 gene trees, r = 0.98229.
  assert.ok((await check("treeAgreement", 0.982, opts)).correct);
  // 3 decimals asked, checked the same way both ways: 0.982 and 0.9823 are right; 0.983 is not (0.0007
  // above), nor 0.98 (2 decimals), which gets "give more digits"; numbers in feedback are rounded.
  const full = await check("treeAgreement", 0.9822858878041334, opts);
  assert.ok(full.correct);
  assert.match(full.message, /of 0\.982:/);
  assertWrong(await check("treeAgreement", 0.983, opts), /too high/);
  assertWrong(await check("treeAgreement", 0.981, opts), /too low/);
  assertWrong(await check("treeAgreement", 0.98, opts), /agrees to 2 decimals, and the exercise asks for 3 decimals/);
  assertWrong(await check("treeAgreement", 1, opts), /itself/);
  assertWrong(await check("treeAgreement", 0.5, opts), /too low/);
  assertWrong(await check("treeAgreement", 2, opts), /between -1 and 1/);
});

Deno.test("teach: a wrong answer's feedback never contains the expected answer", async () => {
  const nonMt = (await byMedianTpm(EXERCISE_DATA.tissue)).filter((g) => !g.chrM);
  const { indep } = await eqtlFacts(EXERCISE_DATA.geneId);
  const { x, tpm } = await pairData();
  const slope = ols(x, tpm.map((v) => Math.log2(v + 1))).slope;
  const cases: [ExerciseName, unknown, string][] = [
    ["bigTissues", 4, "5"],
    ["topLiverGene", nonMt[2].geneId, nonMt[0].geneId],
    ["topLiverGene", nonMt[1].geneId, nonMt[0].geneId],
    ["topLiverGene", "SynMt2", nonMt[0].geneId],
    ["eqtlTissues", indep.slice(0, 1), indep[indep.length - 1]],
    ["eqtlSlope", 0.3, slope.toPrecision(3)],
    ["treeAgreement", 0.5, "0.982"],
    ["apiPValue", 0.5, String(Number((await dyneqtl(EXERCISE_DATA.eqtlPair, opts)).pValue!.toPrecision(3)))],
    ["pValueBeta", 0.5, "0.0000605"],
  ];
  for (const [name, answer, secret] of cases) {
    const f = await check(name, answer, opts);
    assert.equal(f.correct, false);
    assert.ok(!f.message.includes(secret), `${name}: "${f.message}" gives away ${secret}`);
  }
});

Deno.test("teach: feedback displays itself in Jupyter as HTML and plain text, escaped, without ANSI", async () => {
  const f = await check("topLiverGene", "<b>x</b>", opts);
  const bundle = (f as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  assert.match(bundle["text/html"], /Not yet/);
  assert.ok(bundle["text/html"].includes("&lt;b&gt;x&lt;/b&gt;"));
  assert.ok(!bundle["text/html"].includes("<b>x</b>"));
  assert.match(bundle["text/plain"], /^✘ Not yet \(topLiverGene\)/);
  assert.match(bundle["text/plain"], /Hint: topExpressedGene/);
  assert.ok(!(bundle["text/plain"] + bundle["text/html"]).includes("\x1b"));
  const good = await check("bigTissues", 5, opts);
  assert.match(String(good), /^✔ Correct/);
});

Deno.test("teach: the expected answers come from the data (a doctored source changes them)", async () => {
  const twin = await createTwin();
  // Same universe, but every tissue reports 1,000 RNA-seq samples, and singleTissueEqtl gains a Liver row.
  const doctored = createClient({
    source: "http://doctored.invalid/api/v4",
    cache: false,
    fetch: async (request: Request): Promise<Response> => {
      const url = new URL(request.url);
      const response = await twin.handler(new Request(request.url.replace("doctored.invalid", "offline.invalid")));
      if (url.pathname.endsWith("/tissueInfo")) {
        const text = (await response.text()).replace(/"rnaSeqSampleCount":\d+/g, '"rnaSeqSampleCount":1000');
        return new Response(text, { headers: response.headers });
      }
      if (url.pathname.endsWith("/singleTissueEqtl")) {
        const body = JSON.parse(await response.text()) as { singleTissueEqtl: Record<string, unknown>[] };
        body.singleTissueEqtl.push({ ...body.singleTissueEqtl[0], tissueSiteDetailId: "Liver" });
        return new Response(JSON.stringify(body), { headers: response.headers });
      }
      return response;
    },
  });
  assert.ok((await check("bigTissues", 13, { client: doctored })).correct);
  assert.equal((await check("bigTissues", 5, { client: doctored })).correct, false);
  // The tissues with a significant variant, from the source, plus the doctored Liver row: the doctored
  // source names the singleTissueEqtl slip; the real one, the same answer's extra tissue.
  const real = (await singleTissueEqtl(EXERCISE_DATA.geneId, opts)).getColumn("tissueSiteDetailId").toArray();
  assert.ok(!real.includes("Liver"));
  const significant = [...new Set(real as string[]), "Liver"];
  assertWrong(await check("eqtlTissues", significant, { client: doctored }), /singleTissueEqtl/);
  assertWrong(await check("eqtlTissues", significant, opts), /no independent eQTL in Liver/);
});
