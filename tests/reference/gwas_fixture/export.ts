/**
 * Export what `coloc.R` needs to check the synthetic GWAS's truth (fixtures/gwas/synthetic_truth.json):
 * for the three truth genes (SynG004, SynG021, SynG049), every tested cis variant's eQTL statistics in
 * every tissue (map_nominal's slope and slope_se, as the fixture computed them) and the genotypes (mean-
 * imputed dosages) of the GWAS's rats and of each tissue's rats, for LD.
 *
 * Run from the repository root (about a minute):
 *   npx -y deno@2.9.6 run --allow-read --allow-write=/tmp tests/reference/gwas_fixture/export.ts /tmp/gwas_check
 *   R_LIBS=<a library with coloc 5> Rscript tests/reference/gwas_fixture/coloc.R /tmp/gwas_check \
 *     > tests/reference/gwas_fixture/coloc_truth.tsv
 *
 * @module
 */
import { buildModel } from "../../../fixtures/model.ts";
import { runPipeline } from "../../../fixtures/pipeline.ts";
import { syntheticGwas } from "../../../fixtures/gwas.ts";
import { imputedDosages } from "../../../fixtures/stats.ts";

const out = Deno.args[0];
if (!out) throw new Error("usage: export.ts OUT_DIR");
const model = buildModel();
const result = runPipeline(model); // pins the worked example's genotypes, as the release publishes them
const gwas = syntheticGwas(model);
await Deno.mkdir(out, { recursive: true });
for (const f of gwas.files) await Deno.writeFile(`${out}/${f.path}`, f.bytes);
const genes = ["SynG004", "SynG021", "SynG049"];
const eqtl = ["gene\ttissue\tvariant_id\tslope\tse\tp\tn\tindependent_eqtls"];
for (const t of result.tested) {
  if (!genes.includes(t.gene.geneId)) continue;
  const n = model.tissueRats.get(t.tissue)!.length;
  for (const x of t.tests) {
    eqtl.push([t.gene.geneId, t.tissue, x.v.variantId, x.r.slope, x.r.se, x.r.p, n, t.eqtls.length].join("\t"));
  }
}
await Deno.writeTextFile(`${out}/eqtl.tsv`, eqtl.join("\n") + "\n");
const dosages = ["gene\tset\tvariant_id\tdosages"];
for (const g of genes) {
  // Every variant some tissue tested for the gene: its ±1 Mb window (neighbouring genes' variants included).
  const tested = new Map(result.tested.filter((t) => t.gene.geneId === g).flatMap((t) => t.tests.map((x) => x.v))
    .map((v) => [v.variantId, v]));
  for (const v of [...tested.values()].sort((a, b) => a.pos - b.pos)) {
    dosages.push([g, "gwas", v.variantId, Array.from(imputedDosages(v, gwas.rats)).join(",")].join("\t"));
    for (const [t, rats] of model.tissueRats) {
      dosages.push([g, t, v.variantId, Array.from(imputedDosages(v, rats)).join(",")].join("\t"));
    }
  }
}
await Deno.writeTextFile(`${out}/dosages.tsv`, dosages.join("\n") + "\n");
console.log(`wrote ${out}`);
