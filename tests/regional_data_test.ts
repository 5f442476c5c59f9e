/**
 * `regionalData`: the regional figure's inputs for a GWAS hit, read from the bundled release (SYNTHETIC GWAS
 * trait C near SynG049), checked against the release's own tables — every tested variant of each panel
 * (`cisStatistics`), its threshold (`top_assoc`) and independent eQTLs (`eqtls_indep`), LD with the hit
 * (`ldFromRelease`), every gene of the window — and drawn by `plots.regionalAssociation` at 1 and 6 panels
 * with fine-mapping PIP panels (titles, every gene on the track, the PIP panels).
 */
import assert from "node:assert/strict";
import { finemapGene, ldFromRelease, plots, regionalData, ValidationError } from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const release = await openRelease(BUNDLED_RELEASE);
const GWAS = "fixtures/gwas/synthetic_trait_C.mlma";
const LEAD = "chr5:94883710";

Deno.test("regionalData: panels, thresholds, independent eQTLs, LD, genes and the GWAS from the release", async () => {
  const data = await regionalData(release, LEAD, { gwas: GWAS });
  assert.equal(data.reference, LEAD);
  assert.deepEqual(data.region, { chromosome: "chr5", start: LEAD_POS - 1e6, end: LEAD_POS + 1e6 });
  const panels = data.panels!;
  assert.ok(panels.length > 0 && panels.length <= 4);
  const top = (await release.topAssociations()).toRecords() as Record<string, unknown>[];
  const indep = (await release.independentEqtls()).toRecords() as Record<string, unknown>[];
  for (const p of panels) {
    const stats = await release.cisStatistics({ geneId: p.geneId!, tissueSiteDetailId: p.tissueSiteDetailId! });
    assert.equal(p.frame.height, stats.height); // every tested variant
    assert.deepEqual(p.frame.columns, ["variantId", "pValue", "pos", "chromosome"]);
    const t = top.find((r) => r.geneId === p.geneId && r.tissueSiteDetailId === p.tissueSiteDetailId)!;
    assert.equal(p.threshold, t.pValueThreshold);
    assert.equal(t.eGene, true); // default panels are eGenes
    assert.deepEqual(
      p.independent,
      indep.filter((r) => r.geneId === p.geneId && r.tissueSiteDetailId === p.tissueSiteDetailId).map((r) =>
        r.variantId
      ),
    );
  }
  const ld = await ldFromRelease(release, LEAD);
  assert.deepEqual(
    (data.ld as { getColumn(c: string): { toArray(): unknown[] } }).getColumn("variantId").toArray(),
    ld.getColumn("variantId").toArray(),
  );
  const genes = data.genes!.toRecords() as { start: number; end: number; chromosome: string }[];
  const all = (await release.genes()).toRecords() as { start: number; end: number; chromosome: string }[];
  const overlapping = all.filter((g) =>
    g.chromosome === "chr5" && g.start <= LEAD_POS + 1e6 && g.end >= LEAD_POS - 1e6
  );
  assert.equal(genes.length, overlapping.length);
  const gwas = data.gwas!.toRecords() as { pos: number }[];
  assert.ok(gwas.length > 0 && gwas.every((r) => Math.abs(r.pos - LEAD_POS) <= 1e6));
});

const LEAD_POS = 94883710;

Deno.test("regionalData drawn: 1 panel with its PIP panel, and 6 panels; every gene of the window on the track", async () => {
  const fm = await finemapGene(release, { geneId: "SynG049", tissueSiteDetailId: "Adipose" });
  const one = await regionalData(release, LEAD, {
    gwas: GWAS,
    panels: [{ geneId: "SynG049", tissueSiteDetailId: "Adipose" }],
    finemap: [fm],
  });
  const fig1 = plots.regionalAssociation(one);
  assert.ok(fig1.svg.includes(">SynG049 in Adipose (expression)<"));
  assert.ok(fig1.svg.includes(">Fine-mapping: SynG049 in Adipose (PIP)<"));
  for (const g of one.genes!.getColumn("geneId").toArray() as string[]) {
    assert.ok(fig1.svg.includes(g), `gene ${g} on the track`);
  }
  const six = await regionalData(release, LEAD, { gwas: GWAS, maxPanels: 6 });
  assert.equal(six.panels!.length, 6);
  const fig6 = plots.regionalAssociation(six);
  for (const p of six.panels!) assert.ok(fig6.svg.includes(`>${p.geneId} in ${p.tissueSiteDetailId} (expression)<`));
});

Deno.test("regionalData: errors", async () => {
  await assert.rejects(() => regionalData(release, "chr5:1"), /not in the release's genotype VCF/);
  await assert.rejects(
    () => regionalData(release, LEAD, { panels: [{ geneId: "Nope", tissueSiteDetailId: "IL" }] }),
    /not mapped in IL/,
  );
  await assert.rejects(() => regionalData(release, LEAD, { pannels: [] } as never), ValidationError);
});
