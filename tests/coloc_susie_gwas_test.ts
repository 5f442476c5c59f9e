/**
 * `colocSusieGwas` against coloc 5.2.3's `coloc.susie` (with `runsusie` for the GWAS and susieR 0.12.35's
 * `susie` for the gene) on the synthetic GWAS trait C and SynG049 (fixtures/gwas/, SYNTHETIC), three
 * tissues: `tests/reference/coloc_susie/` has the export of the raw inputs, the R script that assembled and
 * fitted them with coloc's and susieR's own code, and its numbers.
 *
 * Tolerances: the same pairs of credible sets (by their hits) and nsnps; PP.H0–H4 within 1e-6 absolute (each
 * SuSiE fit agrees with susieR's to ~1e-6 in its log Bayes factors, which the posteriors inherit).
 *
 * And the point of the locus: coloc.abf (one causal variant per trait) calls H3 — the GWAS lead is not the
 * gene's — while coloc.susie finds the GWAS's second signal shared with the gene's second (PP.H4 > 0.99).
 */
import assert from "node:assert/strict";
import { colocSusieGwas, ValidationError } from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const release = await openRelease(BUNDLED_RELEASE);
const GWAS = "fixtures/gwas/synthetic_trait_C.mlma";
const reference = Deno.readTextFileSync("tests/reference/coloc_susie/reference.tsv").split("\n").slice(1)
  .filter((l) => l !== "").map((l) => {
    const c = l.split("\t");
    return { tissue: c[0], hit1: c[3], hit2: c[4], nsnps: Number(c[5]), pp: c.slice(6, 11).map(Number) };
  });

for (const tissue of ["Adipose", "Brain", "PL"]) {
  Deno.test(`colocSusieGwas equals coloc.susie (runsusie + susie): trait C × SynG049 in ${tissue}`, async () => {
    const res = await colocSusieGwas(release, GWAS, { geneId: "SynG049", tissueSiteDetailId: tissue }, {
      gwasN: 917,
      keepAmbiguous: true,
    });
    const rows = res.summary.toRecords() as {
      gwasHit: string;
      geneHit: string;
      nsnps: number;
      ppH0: number;
      ppH1: number;
      ppH2: number;
      ppH3: number;
      ppH4: number;
    }[];
    const ref = reference.filter((r) => r.tissue === tissue);
    assert.equal(rows.length, ref.length);
    for (const r of ref) {
      const ours = rows.find((x) => x.gwasHit === r.hit1 && x.geneHit === r.hit2);
      assert.ok(ours, `${r.hit1} ~ ${r.hit2}: missing`);
      assert.equal(ours.nsnps, r.nsnps);
      [ours.ppH0, ours.ppH1, ours.ppH2, ours.ppH3, ours.ppH4].forEach((x, h) =>
        assert.ok(Math.abs(x - r.pp[h]) <= 1e-6, `${r.hit1} ~ ${r.hit2}: PP.H${h} ${x} vs ${r.pp[h]}`)
      );
    }
    // coloc.abf on the same variants calls H3; coloc.susie finds the shared second signal.
    assert.ok(res.abf.getColumn("ppH3").get(0) > 0.99);
    const shared = rows.find((x) => x.gwasHit === "chr5:95498283" && x.geneHit === "chr5:95498283")!;
    assert.ok(shared.ppH4 > 0.99);
    assert.equal(res.gwas.sets.height, 2);
    assert.deepEqual(res.gwas.sets.getColumn("topVariant").toArray(), ["chr5:94883710", "chr5:95498283"]);
  });
}

Deno.test("colocSusieGwas: no credible set for the gene is said; options checked", async () => {
  const top = (await release.topAssociations()).toRecords() as {
    geneId: string;
    tissueSiteDetailId: string;
    eGene: boolean;
  }[];
  const quiet = top.find((t) => t.geneId === "SynG049" && !t.eGene)!;
  const res = await colocSusieGwas(release, GWAS, { geneId: "SynG049", tissueSiteDetailId: quiet.tissueSiteDetailId }, {
    gwasN: 917,
    keepAmbiguous: true,
  });
  if (res.gene.sets.height === 0) {
    assert.equal(res.summary.height, 0);
    assert.ok(res.warnings.some((w) => /credible set/.test(w)));
  }
  await assert.rejects(
    () => colocSusieGwas(release, GWAS, { geneId: "SynG049", tissueSiteDetailId: "Adipose" }),
    /carries no sample size/,
  );
  await assert.rejects(
    () => colocSusieGwas(release, GWAS, { geneId: "SynG049", tissueSiteDetailId: "Adipose" }, { gwasN: 917, gwasL: 0 }),
    ValidationError,
  );
});
