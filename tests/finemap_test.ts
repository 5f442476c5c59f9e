/**
 * Fine-mapping over a release (`finemapGene`, `finemapEgenes`) against susieR 0.12.35 (Debian's
 * r-cran-susier) on three loci of the bundled release (SYNTHETIC): `tests/reference/finemap/` has the
 * script that exported each locus's raw inputs (`export.ts`: phenotype, covariates, dosages as the release's
 * files hold them), the R script that imputed, residualised (lm's QR) and fitted them (`susie.R`), and its
 * numbers. So the reference checks the residualisation too, not only SuSiE.
 *
 * Tolerances: the same credible sets (variants, effect); PIPs 1e-6 absolute; ELBO per iteration 1e-6
 * relative and the same number of iterations; set coverage and purity 1e-9; sigma2 1e-6 relative.
 */
import assert from "node:assert/strict";
import { finemapEgenes, finemapGene, ValidationError } from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const release = await openRelease(BUNDLED_RELEASE);
const reference = JSON.parse(Deno.readTextFileSync("tests/reference/finemap/reference.json"));

interface RefLocus {
  variants: string[];
  pip: number[];
  elbo: number[];
  niter: number;
  converged: boolean;
  sigma2: number;
  sets: { variants: string[]; cs_index: number; coverage: number; purity: number[] }[];
}

for (const locus of ["SynG049.Adipose", "SynG021.Liver", "Cd300lf.IL"]) {
  Deno.test(`finemapGene equals susieR on the release's own data: ${locus}`, async () => {
    const ref = reference[locus] as RefLocus;
    const [geneId, tissueSiteDetailId] = locus.split(".");
    const fm = await finemapGene(release, { geneId, tissueSiteDetailId });
    assert.deepEqual(fm.variantIds, ref.variants);
    const pip = fm.variants.getColumn("pip").toArray() as number[];
    pip.forEach((x, j) => assert.ok(Math.abs(x - ref.pip[j]) <= 1e-6, `${ref.variants[j]}: PIP ${x} vs ${ref.pip[j]}`));
    assert.equal(fm.fit.niter, ref.niter);
    assert.equal(fm.fit.converged, ref.converged);
    fm.fit.elbo.forEach((e, i) => {
      assert.ok(Math.abs(e - ref.elbo[i]) <= 1e-6 * Math.abs(ref.elbo[i]), `ELBO[${i}] ${e} vs ${ref.elbo[i]}`);
    });
    assert.ok(Math.abs(fm.fit.sigma2 - ref.sigma2) <= 1e-6 * ref.sigma2);
    const sets = fm.sets.toRecords() as {
      credibleSet: number;
      effect: number;
      variantIds: string;
      coverage: number;
      minAbsCorr: number;
      meanAbsCorr: number;
      medianAbsCorr: number;
    }[];
    assert.equal(sets.length, ref.sets.length);
    sets.forEach((s, k) => {
      const r = ref.sets[k];
      assert.deepEqual(s.variantIds.split(","), r.variants);
      assert.equal(s.effect, r.cs_index - 1);
      assert.ok(Math.abs(s.coverage - r.coverage) <= 1e-9);
      [s.minAbsCorr, s.meanAbsCorr, s.medianAbsCorr].forEach((x, i) => assert.ok(Math.abs(x - r.purity[i]) <= 1e-9));
    });
    // The variants frame marks each set's variants with the set's number.
    const credible = fm.variants.toRecords() as { variantId: string; credibleSet: number | null }[];
    for (const s of sets) {
      assert.deepEqual(
        credible.filter((v) => v.credibleSet === s.credibleSet).map((v) => v.variantId),
        s.variantIds.split(","),
      );
    }
  });
}

Deno.test("finemapGene: credible sets and the release's independent eQTLs (SynG049: two signals)", async () => {
  const fm = await finemapGene(release, { geneId: "SynG049", tissueSiteDetailId: "Adipose" });
  const indep = fm.independent.toRecords() as {
    variantId: string;
    rank: number;
    credibleSet: number | null;
    pip: number;
    nearestSet: number | null;
  }[];
  const published = (await release.independentEqtls()).toRecords().filter((r) =>
    r.geneId === "SynG049" && r.tissueSiteDetailId === "Adipose"
  );
  assert.equal(indep.length, published.length);
  // Each credible set holds one independent eQTL (ranks 1 and 2, the two causal variants); the stepwise scan's
  // weak third signal (conditional p 0.008) is in no set: SuSiE gives it a PIP of about 0.2, in LD with set 2.
  assert.deepEqual(indep.filter((e) => e.credibleSet !== null).map((e) => [e.rank, e.credibleSet]), [[1, 1], [2, 2]]);
  for (const e of indep.filter((e) => e.credibleSet === null)) {
    assert.ok(e.pip < 0.5);
    assert.notEqual(e.nearestSet, null);
  }
  const ranks = fm.variants.toRecords().filter((v) => v.rank !== null).map((v) => v.variantId);
  assert.deepEqual(new Set(ranks), new Set(indep.map((e) => e.variantId)));
  // A gene without an eQTL in a tissue: no credible set, and rows for every variant with PIPs.
  const top = (await release.topAssociations()).toRecords() as {
    geneId: string;
    tissueSiteDetailId: string;
    eGene: boolean;
  }[];
  const quiet = top.find((t) => !t.eGene)!;
  const q = await finemapGene(release, { geneId: quiet.geneId, tissueSiteDetailId: quiet.tissueSiteDetailId });
  assert.ok(q.variants.height > 0);
  assert.equal(q.independent.height, 0);
  // coloc's view of the fit.
  assert.equal(fm.coloc.lbfVariable.length, fm.fit.effects);
  assert.deepEqual(fm.coloc.sets.map((s) => s.effect), [0, 1]);
});

Deno.test("finemapEgenes: every eGene of a tissue, one fit each", async () => {
  const all = await finemapEgenes(release, "IL");
  const eGenes = (await release.topAssociations()).toRecords().filter((t) => t.tissueSiteDetailId === "IL" && t.eGene);
  assert.equal(all.genes.height, eGenes.length);
  const one = await finemapGene(release, { geneId: "Cd300lf", tissueSiteDetailId: "IL" });
  const rows = all.variants.toRecords().filter((r) => r.geneId === "Cd300lf").map(({ geneId: _, ...r }) => r);
  assert.deepEqual(rows, one.variants.toRecords());
  assert.equal(all.sets.columns[0], "geneId");
});

Deno.test("finemapGene: errors name the parameter", async () => {
  await assert.rejects(() => finemapGene(release, { geneId: "Nope", tissueSiteDetailId: "IL" }), /not mapped in IL/);
  await assert.rejects(() => finemapGene(release, { geneId: "Cd300lf", tissueSiteDetailId: "Lung" }), ValidationError);
  await assert.rejects(() => finemapGene(release, { geneId: "Cd300lf", tissueSiteDetailId: "IL" }, { L: 0 }), /L/);
  await assert.rejects(
    () => finemapGene(release, { geneId: "Cd300lf", tissueSiteDetailId: "IL" }, { coverage: 2 }),
    /coverage/,
  );
  await assert.rejects(
    () => finemapGene(release, { geneId: "Cd300lf", tissueSiteDetailId: "IL" }, { window: 0 }),
    /no bi-allelic variant/,
  );
  const few = await finemapGene(release, { geneId: "Cd300lf", tissueSiteDetailId: "IL" }, { L: 2, window: 30_000 });
  assert.ok(few.fit.effects <= 2);
});
