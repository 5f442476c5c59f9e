/**
 * How long each figure takes to draw (Plot into linkedom, assembled into SVG) from offline data, and a
 * DataFrame view. Run: deno bench --allow-read --allow-env --allow-ffi --allow-sys tests/bench/plot_bench.ts
 */
import { createClient } from "ratgtex";
import { geneExpression, medianGeneExpression, topExpressedGene } from "ratgtex";
import { dyneqtl, eqtl, singleTissueEqtl, xqtl } from "ratgtex";
import { exon, gene, tissueInfo } from "ratgtex";
import { display, view } from "ratgtex/jupyter";
import * as plots from "../../lib/plot/mod.ts";

const client = createClient({ source: "offline" });
const o = { client };
const dyn = await dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, o);
const expr = await geneExpression("Cd300lf", o);
const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1", "Cd300lf"], o);
const locus = {
  singleTissueEqtl: await singleTissueEqtl("Cd300lf", o),
  exon: await exon("Cd300lf", o),
  eqtl: await eqtl("Cd300lf", o),
  gene: await gene("Cd300lf", o),
};
const top = await topExpressedGene("IL", o);
const xq = await xqtl("Cd300lf", o);
const info = await tissueInfo({}, o);

Deno.bench("eqtlByGenotype (78 samples, box+violin)", { group: "figures", baseline: true }, () => {
  plots.eqtlByGenotype(dyn, { kind: "both" });
});
Deno.bench(`expressionByTissue (1 gene, ${expr.height} samples)`, { group: "figures" }, () => {
  plots.expressionByTissue(expr);
});
Deno.bench("dendroHeatmap (4 × 13)", { group: "figures" }, () => {
  plots.dendroHeatmap(med);
});
Deno.bench("eqtlLocus", { group: "figures" }, () => {
  plots.eqtlLocus(locus);
});
Deno.bench("topExpressedGenes (50 bars)", { group: "figures" }, () => {
  plots.topExpressedGenes(top);
});
Deno.bench("xqtlOverview (13 × 6)", { group: "figures" }, () => {
  plots.xqtlOverview(xq);
});
Deno.bench("view(tissueInfo)", { group: "display" }, () => {
  view(info);
});
Deno.bench("display(dyneqtl result)", { group: "display" }, () => {
  display(dyn);
});
