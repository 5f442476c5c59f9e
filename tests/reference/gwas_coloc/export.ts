/**
 * Export the eQTL side of the colocalisation references: for each synthetic GWAS trait (fixtures/gwas/,
 * SYNTHETIC), every gene × tissue within 1 Mb of the trait's lead (the GWAS variant with the smallest p) and
 * every variant of each gene's cis window with its pipeline-exact slope and SE (`Release.cisStatistics`,
 * itself checked against the release's cis_pvals in tests/cis_statistics_test.ts).
 *
 * Run from the repository root, then coloc_abf.R on the output (coloc 5 installed outside the repository):
 *   npx -y deno@2.9.6 run -A tests/reference/gwas_coloc/export.ts /tmp/gwas_coloc
 *   COLOC_R_LIB=/work/rlib Rscript tests/reference/gwas_coloc/coloc_abf.R /tmp/gwas_coloc \
 *     > tests/reference/gwas_coloc/coloc_abf.tsv
 *
 * @module
 */
import { BUNDLED_RELEASE, openRelease } from "../../../lib/release/mod.ts";

const out = Deno.args[0];
if (!out) throw new Error("usage: export.ts OUT_DIR");
await Deno.mkdir(out, { recursive: true });
const rel = await openRelease(BUNDLED_RELEASE);
const genes = (await rel.genes()).toRecords() as { geneId: string; chromosome: string; tss: number }[];
const top = (await rel.topAssociations()).select("geneId", "tissueSiteDetailId").toRecords() as {
  geneId: string;
  tissueSiteDetailId: string;
}[];
const lines = ["trait\tlead\tgene\ttissue\tvariant_id\tslope\tslope_se\taf\tn"];
for (const trait of ["A", "B", "C"]) {
  const gwas = Deno.readTextFileSync(`fixtures/gwas/synthetic_trait_${trait}.mlma`).split("\n").slice(1)
    .filter((l) => l !== "").map((l) => l.split("\t"));
  const lead = gwas.reduce((a, b) => (Number(b[8]) < Number(a[8]) ? b : a))[1];
  const [chr, pos] = [lead.split(":")[0], Number(lead.split(":")[1])];
  const near = new Set(genes.filter((g) => g.chromosome === chr && Math.abs(Number(g.tss) - pos) <= 1e6).map((g) => g.geneId));
  for (const t of top.filter((r) => near.has(r.geneId))) {
    const stats = await rel.cisStatistics({ geneId: t.geneId, tissueSiteDetailId: t.tissueSiteDetailId });
    for (const r of stats.toRecords() as Record<string, string | number | null>[]) {
      if (r.reason !== null) continue;
      lines.push(
        [trait, lead, t.geneId, t.tissueSiteDetailId, r.variantId, r.slope, r.slopeSe, r.af, r.n]
          .map((x) => typeof x === "number" ? String(x) : x).join("\t"),
      );
    }
  }
}
await Deno.writeTextFile(`${out}/eqtl.tsv`, lines.join("\n") + "\n");
for (const trait of ["A", "B", "C"]) {
  await Deno.copyFile(`fixtures/gwas/synthetic_trait_${trait}.mlma`, `${out}/synthetic_trait_${trait}.mlma`);
}
console.log(`wrote ${out}`);
