/**
 * How long each figure takes to draw (Plot into linkedom, assembled into SVG) from offline data, and a
 * DataFrame view: median of 20 draws after a warm-up (`--smoke`: 3). No peer: absolute figures.
 *
 * Run: deno run --allow-read --allow-env --allow-ffi --allow-sys tests/bench/plot_bench.ts [--smoke]
 * Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-env --allow-ffi --allow-sys
 */
import { createClient } from "ratgtex";
import { geneExpression, medianGeneExpression, topExpressedGene } from "ratgtex";
import { dyneqtl, eqtl, singleTissueEqtl, xqtl } from "ratgtex";
import { exon, gene, tissueInfo } from "ratgtex";
import { display, view } from "ratgtex/jupyter";
import * as plots from "../../lib/plot/mod.ts";
import { emit, isSmoke, medianMs, record } from "./_record.ts";

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

const cases: [string, () => unknown][] = [
  ["eqtlByGenotype (78 samples, box+violin)", () => plots.eqtlByGenotype(dyn, { kind: "both" })],
  [`expressionByTissue (1 gene, ${expr.height} samples)`, () => plots.expressionByTissue(expr)],
  ["dendroHeatmap (4 × 13)", () => plots.dendroHeatmap(med)],
  ["eqtlLocus", () => plots.eqtlLocus(locus)],
  ["topExpressedGenes (50 bars)", () => plots.topExpressedGenes(top)],
  ["xqtlOverview (13 × 6)", () => plots.xqtlOverview(xq)],
  ["view(tissueInfo)", () => view(info)],
  ["display(dyneqtl result)", () => display(dyn)],
];
const runs = isSmoke() ? 3 : 20;
const records = [];
for (const [label, draw] of cases) {
  const ms = await medianMs(draw, runs);
  console.log(`${label.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms (median of ${runs})`);
  records.push(record({ case: `figure: ${label}`, unit: "ms", ours: ms, quantity: "wall time", better: "lower" }));
}
emit(records);
