/**
 * `colocGwas` on the bundled release's synthetic GWAS (fixtures/gwas/, SYNTHETIC):
 *
 * - against coloc 5.2.3 itself (`tests/reference/gwas_coloc/`: `export.ts` writes every gene × tissue's
 *   cis-window statistics near each trait's lead, `coloc_abf.R` assembles the coloc datasets from the raw
 *   .mlma and those statistics and runs `coloc.abf`): nsnps exactly, PP.H0–H4 within 1e-9 absolute (the
 *   issue asks 1e-6), the GWAS's estimated sdY within 1e-12 relative; every strand-ambiguous variant kept or
 *   dropped, the eQTL sdY 1 or estimated;
 * - against the synthetic truth (`fixtures/gwas/synthetic_truth.json`): trait A shares SynG004's causal
 *   eQTL variant (H4 where SynG004 is an eGene), trait B's causal variant is distinct from SynG021's (H3
 *   where the eQTL is strong);
 * - the GWAS checks: no N, a lead not in the GWAS, positions from another assembly.
 */
import assert from "node:assert/strict";
import { colocGwas, matchGwasToVariants, parseGwas, ValidationError } from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const release = await openRelease(BUNDLED_RELEASE);
const gwasFile = (trait: string) => `fixtures/gwas/synthetic_trait_${trait}.mlma`;

interface RefRow {
  trait: string;
  ambiguous: string;
  sdy: string;
  gene: string;
  tissue: string;
  nsnps: number;
  pp: number[];
  sdY1: number;
}

const reference: RefRow[] = Deno.readTextFileSync("tests/reference/gwas_coloc/coloc_abf.tsv").split("\n").slice(1)
  .filter((l) => l !== "").map((l) => {
    const c = l.split("\t");
    return {
      trait: c[0],
      ambiguous: c[1],
      sdy: c[2],
      gene: c[3],
      tissue: c[4],
      nsnps: Number(c[5]),
      pp: c.slice(6, 11).map(Number),
      sdY1: Number(c[11]),
    };
  });

const RUNS = [
  { trait: "A", ambiguous: "keep", sdy: "one" },
  { trait: "B", ambiguous: "keep", sdy: "one" },
  { trait: "C", ambiguous: "keep", sdy: "one" },
  { trait: "B", ambiguous: "drop", sdy: "one" },
  { trait: "C", ambiguous: "keep", sdy: "estimate" },
] as const;

for (const run of RUNS) {
  Deno.test(`colocGwas equals coloc.abf (coloc 5.2.3): trait ${run.trait}, ${run.ambiguous}, eQTL sdY ${run.sdy}`, async () => {
    const ref = reference.filter((r) => r.trait === run.trait && r.ambiguous === run.ambiguous && r.sdy === run.sdy);
    assert.ok(ref.length > 0);
    const res = await colocGwas(release, gwasFile(run.trait), {
      gwasN: 917,
      keepAmbiguous: run.ambiguous === "keep",
      eqtlSdY: run.sdy,
    });
    const rows = res.summary.toRecords() as {
      geneId: string;
      tissueSiteDetailId: string;
      nsnps: number;
      ppH0: number;
      ppH1: number;
      ppH2: number;
      ppH3: number;
      ppH4: number;
      sdY1: number;
      sdY2: number;
      reason: string | null;
    }[];
    assert.equal(rows.length, ref.length, "one row per gene × tissue near the lead");
    for (const r of ref) {
      const ours = rows.find((x) => x.geneId === r.gene && x.tissueSiteDetailId === r.tissue);
      assert.ok(ours, `${r.gene} in ${r.tissue}: missing`);
      assert.equal(ours.nsnps, r.nsnps, `${r.gene} in ${r.tissue}: nsnps`);
      [ours.ppH0, ours.ppH1, ours.ppH2, ours.ppH3, ours.ppH4].forEach((x, h) => {
        assert.ok(Math.abs(x - r.pp[h]) <= 1e-9, `${r.gene} in ${r.tissue}: PP.H${h} ${x} vs ${r.pp[h]}`);
      });
      assert.ok(Math.abs(ours.sdY1 - r.sdY1) <= 1e-12 * r.sdY1, `${r.gene} in ${r.tissue}: sdY1`);
      if (run.sdy === "one") assert.equal(ours.sdY2, 1);
      else assert.ok(ours.sdY2 > 0 && ours.sdY2 !== 1);
    }
    // The per-variant table: every shared variant of every pair, SNP.PP.H4 summing to 1 per pair.
    const v = res.variants.toRecords() as { geneId: string; tissueSiteDetailId: string; snpPpH4: number }[];
    assert.equal(v.length, rows.reduce((n, r) => n + r.nsnps, 0));
    const first = rows[0];
    const sum = v.filter((x) => x.geneId === first.geneId && x.tissueSiteDetailId === first.tissueSiteDetailId)
      .reduce((s, x) => s + x.snpPpH4, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12);
  });
}

Deno.test("colocGwas: the synthetic truth — H4 for trait A with SynG004, H3 for trait B with SynG021", async () => {
  // Where coloc sees the gene's eQTL at all (PP.H2 + PP.H3 + PP.H4 > 0.9), it must call the truth: H4 for trait
  // A (its causal variant is SynG004's eQTL variant), H3 for trait B (a distinct causal variant). In tissues where
  // the eQTL is too weak to see, coloc rightly says H1 (the GWAS only), whatever the eGene call.
  const seen = (r: Record<string, unknown>) => (r.ppH2 as number) + (r.ppH3 as number) + (r.ppH4 as number) > 0.9;
  const a = await colocGwas(release, gwasFile("A"), { gwasN: 917 });
  assert.equal(a.lead, "chr19:43245682"); // the trait's causal variant is its lead
  const aRows = (a.summary.toRecords() as Record<string, unknown>[]).filter((r) => r.geneId === "SynG004" && seen(r));
  assert.ok(aRows.length >= 8, `${aRows.length} tissues where SynG004's eQTL is seen`);
  for (const r of aRows) {
    assert.ok((r.ppH4 as number) > 0.95, `SynG004 in ${r.tissueSiteDetailId}: PP.H4 ${r.ppH4}`);
    assert.equal(r.topVariant, "chr19:43245682");
  }
  const b = await colocGwas(release, gwasFile("B"), { gwasN: 917, keepAmbiguous: true });
  assert.equal(b.lead, "chr6:113704836");
  const strong = (b.summary.toRecords() as Record<string, unknown>[]).filter((r) => r.geneId === "SynG021" && seen(r));
  assert.ok(strong.length >= 5, `${strong.length} tissues where SynG021's eQTL is seen`);
  for (const r of strong) assert.ok((r.ppH3 as number) > 0.99, `SynG021 in ${r.tissueSiteDetailId}: ${r.ppH3}`);
});

Deno.test("colocGwas: what is said — no N, a lead not in the GWAS, another assembly's positions, options", async () => {
  await assert.rejects(() => colocGwas(release, gwasFile("A")), /carries no sample size/);
  await assert.rejects(
    () => colocGwas(release, gwasFile("A"), { gwasN: 917, variantId: "chr19:1" }),
    /not among the GWAS variants matched/,
  );
  // Positions shifted as an older assembly would place them: nothing matches, and the error says why.
  const text = Deno.readTextFileSync(gwasFile("A")).split("\n").map((l, i) => {
    if (i === 0 || l === "") return l;
    const c = l.split("\t");
    c[2] = String(Number(c[2]) + 731);
    return c.join("\t");
  }).join("\n");
  const { frame } = parseGwas(text);
  await assert.rejects(
    () => colocGwas(release, frame, { gwasN: 917 }),
    (e: Error) => e instanceof ValidationError && /another assembly/.test(e.message + (e as ValidationError).hint),
  );
  await assert.rejects(
    () => colocGwas(release, gwasFile("A"), { gwasN: 917, gwasType: "binary" as never }),
    /"quant" or "cc"/,
  );
  await assert.rejects(
    () => colocGwas(release, gwasFile("A"), { gwasN: 917, keepAmbiguous: true, strandFlip: true }),
    /keepAmbiguous and strandFlip/,
  );
  // Only the tissues asked; priors passed to coloc.
  const liver = await colocGwas(release, gwasFile("A"), { gwasN: 917, tissues: ["Liver"], p12: 1e-6 });
  assert.deepEqual(liver.summary.getColumn("tissueSiteDetailId").toArray(), ["Liver"]);
  const d = await colocGwas(release, gwasFile("A"), { gwasN: 917, tissues: ["Liver"] });
  assert.ok(liver.summary.getColumn("ppH4").get(0) < d.summary.getColumn("ppH4").get(0));
});

Deno.test("matchGwasToVariants: keepAmbiguous keeps A/T and C/G variants as written, and says so", async () => {
  const { frame } = parseGwas(
    "Chr\tSNP\tbp\tA1\tA2\tFreq\tb\tse\tp\n1\ts1\t100\tA\tT\t0.3\t0.2\t0.05\t6e-5\n1\ts2\t200\tG\tC\t0.3\t0.2\t0.05\t6e-5\n",
  );
  const sites = new Map([["chr1:100", { ref: "T", alt: ["A"] }], ["chr1:200", { ref: "G", alt: ["C"] }]]);
  const lookup = (c: string, p: number) => sites.get(`${c}:${p}`) ?? null;
  assert.equal((await matchGwasToVariants(frame, lookup)).counts.dropped.strandAmbiguous, 2);
  const kept = await matchGwasToVariants(frame, lookup, { keepAmbiguous: true });
  assert.deepEqual(kept.frame.getColumn("alleleMatch").toArray(), ["aligned", "swapped"]);
  assert.deepEqual(kept.frame.getColumn("beta").toArray(), [0.2, -0.2]);
  assert.ok(kept.warnings.some((w) => /2 strand-ambiguous variants \(A\/T, C\/G\) looked up as written/.test(w)));
});
