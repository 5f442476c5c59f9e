/**
 * Figures drawn from the offline twin: standalone SVG with xmlns, the expected marks, labels and tissue
 * colours, identical bytes on a second render; distribution statistics against numpy/statsmodels.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/format.ts`,
 * `lib/_core/tissues.ts`, `lib/analysis/clustering/cut_tree.ts`, `lib/analysis/regression/distributions.ts`,
 * `lib/analysis/regression/regression.ts`, `lib/plot/_dom.ts`, `lib/plot/distribution.ts`, `lib/plot/legend.ts`,
 * `lib/plot/mod.ts`, `lib/workflows/effects_across_tissues.ts`.
 */
import { formatPValue } from "../lib/_core/format.ts";
import { ResponseFormatError, ValidationError } from "ratgtex";
import { tissueColorsFrom, UNKNOWN_TISSUE_COLOR } from "../lib/_core/tissues.ts";
import { boxStats, jitter, kernelDensity, silvermanBandwidth } from "../lib/plot/distribution.ts";
import { ensureXmlns } from "../lib/plot/_dom.ts";
import { niceTicks, rampLegend } from "../lib/plot/legend.ts";
import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import pl from "nodejs-polars";
import { parseHTML } from "linkedom";
import { clusterMedians } from "ratgtex/analysis";
import { regressEqtl } from "ratgtex/analysis";
import { DEFAULT_EXPRESSION_TRANSFORM } from "ratgtex/analysis";
import { createClient } from "ratgtex";
import { geneExpression, medianGeneExpression, topExpressedGene } from "ratgtex";
import { dyneqtl, eqtl, singleTissueEqtl, xqtl } from "ratgtex";
import { exon, gene } from "ratgtex";
import * as plots from "../lib/plot/mod.ts";
import { JUPYTER_DISPLAY } from "ratgtex/jupyter";

const client = createClient({ source: "offline" });
const o = { client };
const dyn = await dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, o);
const expr = await geneExpression("Cd300lf", o);
const expr2 = await geneExpression(["Cd300lf", "Eno1"], o);
const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1", "Cd300lf"], o);
const locus = {
  singleTissueEqtl: await singleTissueEqtl("Cd300lf", o),
  exon: await exon("Cd300lf", o),
  eqtl: await eqtl("Cd300lf", o),
  gene: await gene("Cd300lf", o),
};
const top = await topExpressedGene("IL", o);
const xq = await xqtl("Cd300lf", o);

const V4 = plots.V4_TISSUE_STYLES.map((t) => t.id);

/** Parse SVG text into a queryable DOM. */
/** `fn` throws a `kind` (a ValidationError unless said) whose message matches `re`. */
function refuses(
  fn: () => unknown,
  re: RegExp,
  kind: abstract new (...args: never[]) => Error = ValidationError,
): void {
  assert.throws(fn, (e: unknown) => e instanceof kind && re.test(e.message));
}

function dom(svg: string) {
  const window = parseHTML(`<!DOCTYPE html><html><body>${svg}</body></html>`) as unknown as { document: unknown };
  return window.document as {
    querySelectorAll(s: string): ArrayLike<{ textContent: string | null; getAttribute(n: string): string | null }>;
  };
}

/** Elements of `tag` inside the k-th Plot mark group labelled `mark` (all groups when k is omitted). */
function inMark(svg: string, mark: string, tag: string, k?: number): number {
  const groups = Array.from(dom(svg).querySelectorAll(`g[aria-label="${mark}"]`)) as unknown as {
    querySelectorAll(s: string): ArrayLike<unknown>;
  }[];
  const chosen = k === undefined ? groups : groups.slice(k, k + 1);
  return chosen.reduce((n, g) => n + g.querySelectorAll(tag).length, 0);
}

/** Whether some text element contains `s` (axis labels carry Plot's arrows, e.g. "↑ TPM"). */
function hasText(svg: string, s: string): boolean {
  return texts(svg).some((t) => t.includes(s));
}

function texts(svg: string): string[] {
  return Array.from(dom(svg).querySelectorAll("text, tspan")).map((t) => t.textContent ?? "");
}

/** Every figure's invariants: one namespaced standalone SVG, stable IDs, a display bundle. */
function checkStandalone(fig: plots.PlotFigure): string {
  assert.ok(fig.svg !== null, "the figure is one SVG");
  const svg = fig.svg!;
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), "root <svg> carries xmlns");
  const opens = svg.match(/<svg[\s>]/g) ?? [];
  const namespaced = svg.match(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g) ?? [];
  assert.equal(namespaced.length, opens.length, "every <svg> carries xmlns");
  assert.ok(!/plot-clip|plot-marker|plot-pattern/.test(svg), "Plot's counter IDs are rewritten");
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, "IDs are unique");
  for (const m of svg.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.includes(m[1]), `url(#${m[1]}) resolves`);
  const bundle = fig[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/html", "text/plain"]);
  assert.equal(bundle["image/svg+xml"], svg);
  // The HTML is the same SVG as an image (nbconvert 6.x strips inline SVG from HTML exports, not images).
  const b64 = /^<img src="data:image\/svg\+xml;base64,([^"]+)"/.exec(bundle["text/html"]!)?.[1];
  assert.equal(new TextDecoder().decode(Uint8Array.from(atob(b64!), (c) => c.charCodeAt(0))), svg);
  assert.ok(!bundle["text/plain"].includes("\u001b"), "no ANSI escapes");
  return svg;
}

Deno.test("eqtlByGenotype: one dot per called sample, boxes, genotype labels with alleles, both p-values, note", () => {
  const fit = regressEqtl(dyn, { transform: "log2" });
  const fig = plots.eqtlByGenotype(dyn, { kind: "both", transform: "log2" });
  const svg = checkStandalone(fig);
  assert.equal(inMark(svg, "dot", "circle"), fit.n);
  assert.equal(fit.n, dyn.genotypes.filter((g) => g !== null).length);
  assert.equal(inMark(svg, "rect", "rect"), 3, "three boxes");
  assert.equal(inMark(svg, "area", "path"), 3, "three violins");
  assert.equal(inMark(svg, "line", "path"), 1, "one regression line");
  const t = texts(svg).join("\n");
  for (const label of ["C/C", "C/T", "T/T", "log2(TPM + 1)", "Genotype at chr10:100826333", `n = ${fit.counts[1]}`]) {
    assert.ok(t.includes(label), `text ${label}`);
  }
  assert.ok(t.includes(`p = ${formatPValue(fit.pValue)}`), "recomputed p");
  assert.ok(t.includes("API (tensorQTL nominal): p = 8.43e-8"), "API p");
  assert.ok(t.includes("Recomputed p-value: unadjusted ordinary least squares"), "the note");
  assert.ok(svg.includes("#377eb8"), "IL's colour");
  // The regression line is the fit's: intercept at dosage 0, intercept + 2·slope at dosage 2.
  const line = fig.marks.find((m) => (m as { ariaLabel?: string }).ariaLabel === "line") as unknown as {
    data: number[][];
  };
  assert.deepEqual(line.data, [[0, fit.intercept], [2, fit.intercept + 2 * fit.nes]]);
});

Deno.test("eqtlByGenotype: transforms, overrides merge, bad options are named", () => {
  const int = checkStandalone(plots.eqtlByGenotype(dyn, { transform: "int" }));
  assert.ok(hasText(int, "Rank inverse-normal expression"));
  assert.equal(inMark(int, "area", "path"), 0, "no violins by default");
  // The default transform is the library's one default (rank inverse-normal), named readably.
  assert.equal(
    plots.eqtlByGenotype(dyn).svg,
    plots.eqtlByGenotype(dyn, { transform: DEFAULT_EXPRESSION_TRANSFORM }).svg,
  );
  assert.ok(hasText(int, "(OLS on rank inverse-normal expression, n ="));
  const custom = plots.eqtlByGenotype(dyn, { width: 700, y: { label: "custom" }, marks: [Plot.ruleY([3])] });
  assert.equal(custom.width, 700);
  assert.ok(hasText(custom.svg!, "custom"));
  assert.equal((custom.options.y as { grid?: boolean }).grid, true, "the default grid survives the merge");
  assert.equal(inMark(custom.svg!, "rule", "line"), inMark(plots.eqtlByGenotype(dyn).svg!, "rule", "line") + 1);
  // `with` re-renders with more marks and a new title.
  const again = plots.eqtlByGenotype(dyn).with({ title: "Mine", marks: [Plot.dot([[1, 4]], { fill: "red" })] });
  assert.ok(hasText(again.svg!, "Mine"));
  assert.equal(inMark(again.svg!, "dot", "circle"), regressEqtl(dyn).n + 1);
  refuses(() => plots.eqtlByGenotype(dyn, { transform: "log10" as never }), /options\.transform/);
  refuses(() => plots.eqtlByGenotype(dyn, { kind: "bar" as never }), /options\.kind.*"bar"/);
  refuses(() => plots.eqtlByGenotype({} as never), /dyneqtl\(\) result/);
});

Deno.test("eqtlByGenotype: missing calls are counted; a single genotype class draws no line", () => {
  const genotypes = dyn.genotypes.map((g, i) => (i < 5 ? null : g));
  const missing = plots.eqtlByGenotype({ ...dyn, genotypes });
  const called = genotypes.filter((g) => g !== null).length;
  assert.equal(inMark(missing.svg!, "dot", "circle"), called);
  assert.ok(texts(missing.svg!).some((t) => t.includes("without a call")));
  const flat = plots.eqtlByGenotype({ ...dyn, genotypes: dyn.genotypes.map(() => 0) });
  assert.equal(inMark(flat.svg!, "line", "path"), 0);
  assert.ok(texts(flat.svg!).some((t) => t.startsWith("Recomputed: no fit")));
});

Deno.test("expressionByTissue: a violin and a box per tissue in its colour, a row per gene", () => {
  const svg = checkStandalone(plots.expressionByTissue(expr));
  assert.equal(inMark(svg, "area", "path"), 13);
  assert.equal(inMark(svg, "rect", "rect"), 13);
  const t = texts(svg);
  for (const id of V4) assert.ok(t.includes(id), `tick ${id}`);
  assert.ok(hasText(svg, "log10(TPM + 1)"));
  for (const s of plots.V4_TISSUE_STYLES) assert.ok(svg.includes(s.color), `colour of ${s.id}`);
  const two = checkStandalone(plots.expressionByTissue(expr2));
  assert.equal(inMark(two, "area", "path"), 26);
  assert.ok(texts(two).includes("Eno1") && texts(two).includes("Cd300lf"), "facet labels");
  const three = plots.expressionByTissue(expr, { tissues: ["Liver", "IL", "Eye"], kind: "violin" }).svg!;
  assert.equal(inMark(three, "area", "path"), 3);
  assert.equal(inMark(three, "rect", "rect"), 0);
  assert.ok(!three.includes("#17d2eb"), "Adipose left out");
  refuses(() => plots.expressionByTissue(expr.drop("tpm")), /no column "tpm"/);
  refuses(() => plots.expressionByTissue(expr, { scale: "ln" as never }), /options\.scale/);
});

Deno.test("dendroHeatmap: cells, tissue strip, elbow links of both trees in scipy leaf order", () => {
  const fig = plots.dendroHeatmap(med);
  const svg = checkStandalone(fig);
  assert.equal(inMark(svg, "rect", "rect", 0), 4 * 13, "cells");
  assert.equal(inMark(svg, "rect", "rect", 1), 13, "tissue strip");
  assert.equal(inMark(svg, "link", "path"), 3 * (4 - 1) + 3 * (13 - 1), "3 segments per inner node");
  for (const s of plots.V4_TISSUE_STYLES) assert.ok(svg.includes(s.color), `strip colour of ${s.id}`);
  assert.ok(svg.includes("<linearGradient"), "canvas-free colour ramp");
  assert.ok(texts(svg).includes("Colour: log10(median TPM + 1)"));
  // With its defaults clusterMedians reproduces the server's trees; the heatmap follows scipy's leaves_list.
  const c = clusterMedians(med);
  const t = texts(svg);
  const geneLabels = t.filter((x) => med.geneIds.includes(x));
  assert.deepEqual(geneLabels, c.geneOrder);
  const tissueLabels = t.filter((x) => V4.includes(x));
  assert.deepEqual(tissueLabels, c.tissueOrder);
  // A reclustering changes the order; a clustering of other genes is refused.
  const z = clusterMedians(med, { transform: "zscore" });
  const svgZ = plots.dendroHeatmap(med, { clustering: z }).svg!;
  assert.deepEqual(texts(svgZ).filter((x) => med.geneIds.includes(x)), z.geneOrder);
  assert.ok(hasText(svgZ, "Trees: reclustered (z-scores per gene, euclidean distance, average linkage"));
  const other = { ...med, geneIds: ["A", "B", "C", "D"] };
  // The server's trees not matching its own values is a bad answer; a caller's clustering of other genes is refused.
  refuses(() => plots.dendroHeatmap(other), /gene tree's leaves/, ResponseFormatError);
  refuses(() => plots.dendroHeatmap(other, { clustering: c }), /gene tree's leaves/);
  refuses(() => plots.dendroHeatmap(med, { transform: "ln" as never }), /options\.transform/);
});

Deno.test("dendroHeatmap: 'Not enough data' trees are left out", async () => {
  const one = await medianGeneExpression(["Eno1"], o);
  assert.equal(one.geneTree, null);
  const svg = checkStandalone(plots.dendroHeatmap(one));
  assert.equal(inMark(svg, "link", "path"), 3 * 12, "tissue tree only");
  assert.ok(texts(svg).some((t) => t.includes("not enough data")));
  const single = await medianGeneExpression({ geneId: ["Eno1"], tissueSiteDetailId: ["IL"] }, o);
  const svg1 = checkStandalone(plots.dendroHeatmap(single));
  assert.equal(inMark(svg1, "link", "path"), 0);
  assert.equal(inMark(svg1, "rect", "rect", 0), 1);
  const fig1 = plots.dendroHeatmap(single);
  assert.ok(fig1.width >= 250 + 20, "wide enough for the colour ramp");
});

Deno.test("eqtlLocus: a dot per significant pair, rings on independent eQTLs, exons, TSS, tissue legend", () => {
  const svg = checkStandalone(plots.eqtlLocus(locus));
  const n = locus.singleTissueEqtl.height;
  assert.equal(inMark(svg, "dot", "circle", 0), n);
  const pairs = new Set(locus.singleTissueEqtl.toRecords().map((r) => `${r.tissueSiteDetailId}|${r.variantId}`));
  const independent = locus.eqtl.toRecords().filter((r) => pairs.has(`${r.tissueSiteDetailId}|${r.variantId}`)).length;
  assert.ok(independent > 0);
  assert.equal(inMark(svg, "dot", "circle", 1), independent);
  assert.equal(inMark(svg, "rect", "rect"), locus.exon.height, "one box per exon");
  const t = texts(svg);
  assert.ok(t.includes("TSS") && hasText(svg, "−log10(p)") && hasText(svg, "Position on chr10 (Mb)"));
  const tissues = [...new Set(locus.singleTissueEqtl.getColumn("tissueSiteDetailId").toArray() as string[])];
  for (const id of tissues) {
    assert.ok(svg.includes(plots.tissueColor(id)), `colour of ${id}`);
    assert.ok(t.includes(id), `legend ${id}`);
  }
  // The TSS rule sits at the gene's tss (minus strand: its end).
  const tss = (locus.gene.getColumn("tss").toArray() as number[])[0];
  assert.equal(tss, 100875111);
  const faceted = checkStandalone(plots.eqtlLocus(locus, { facetByTissue: true }));
  assert.equal(inMark(faceted, "dot", "circle"), n + independent);
  for (const id of tissues) assert.ok(texts(faceted).includes(id), `facet ${id}`);
  const only = plots.eqtlLocus({ singleTissueEqtl: locus.singleTissueEqtl }).svg!;
  assert.equal(inMark(only, "rect", "rect"), 0, "no exon track without exon");
});

Deno.test("eqtlLocus: a very strong eQTL (p ~ 1e-150, common on the live API) keeps the y axis readable", () => {
  const strong = {
    ...locus,
    singleTissueEqtl: locus.singleTissueEqtl.withColumns(
      locus.singleTissueEqtl.getColumn("pValue").mul(1e-140).alias("pValue"),
    ),
  };
  for (const facetByTissue of [false, true]) {
    const svg = plots.eqtlLocus(strong, { facetByTissue }).svg!;
    const rows = facetByTissue ? new Set(locus.singleTissueEqtl.getColumn("tissueSiteDetailId").toArray()).size : 1;
    const ticks = Array.from(dom(svg).querySelectorAll('g[aria-label="y-axis tick label"] text'))
      .map((t) => Number(t.textContent?.replace("−", "-")));
    assert.ok(ticks.length > 0 && ticks.length / rows <= 10, `${ticks.length / rows} y ticks per panel`);
    assert.ok(Math.max(...ticks) >= 100, "the ticks reach the strongest variant");
  }
});

Deno.test("eqtlLocus: several genes need options.geneId", async () => {
  const both = await singleTissueEqtl(["Cd300lf", "Eno1"], o);
  const genes = new Set(both.getColumn("geneId").toArray());
  if (genes.size > 1) {
    refuses(() => plots.eqtlLocus({ singleTissueEqtl: both }), /options\.geneId/);
    const fig = plots.eqtlLocus({ singleTissueEqtl: both }, { geneId: "Cd300lf" });
    assert.equal(inMark(fig.svg!, "dot", "circle", 0), locus.singleTissueEqtl.height);
  }
  refuses(() => plots.eqtlLocus({ singleTissueEqtl: both.head(0) }), /no rows/);
});

Deno.test("topExpressedGenes: a bar per gene in the tissue colour, chrM labelled", () => {
  const svg = checkStandalone(plots.topExpressedGenes(top));
  assert.equal(inMark(svg, "bar", "rect"), top.height);
  const mito = (top.getColumn("chromosome").toArray() as string[]).filter((c) => c === "chrM").length;
  assert.equal(texts(svg).filter((t) => t === "chrM").length, mito);
  assert.ok(svg.includes("#377eb8"));
  assert.ok(hasText(svg, "Median TPM"));
  const twenty = plots.topExpressedGenes(top, { limit: 20, scale: "log" }).svg!;
  assert.equal(inMark(twenty, "bar", "rect"), 20);
  const both = top.vstack(top.withColumns(top.getColumn("tissueSiteDetailId").str.replace("IL", "PL")));
  refuses(() => plots.topExpressedGenes(both), /2 tissues/);
});

Deno.test("xqtlOverview: a cell per tissue × modality, counts summing to the xQTLs, tissue swatches", () => {
  const svg = checkStandalone(plots.xqtlOverview(xq));
  assert.equal(inMark(svg, "cell", "rect"), 13 * 6);
  const counts = Array.from(dom(svg).querySelectorAll('g[aria-label="text"] text')).map((t) => Number(t.textContent));
  assert.equal(counts.reduce((a, b) => a + b, 0), xq.height);
  assert.equal(inMark(svg, "dot", "circle"), 13);
  for (const s of plots.V4_TISSUE_STYLES) assert.ok(svg.includes(s.color), `swatch ${s.id}`);
  for (const label of ["Expression", "Intron excision ratio", "RNA stability"]) assert.ok(texts(svg).includes(label));
  assert.ok(hasText(svg, `${xq.height} xQTLs by tissue`));
});

Deno.test("xqtlOverview: the subtitle counts the xQTLs drawn, not those of tissues left out", () => {
  const inIL = (xq.getColumn("tissueSiteDetailId").toArray() as string[]).filter((t) => t === "IL").length;
  assert.ok(inIL > 0 && inIL < xq.height, "the fixture has IL xQTLs and others");
  const svg = checkStandalone(plots.xqtlOverview(xq, { tissues: ["IL"] }));
  const counts = Array.from(dom(svg).querySelectorAll('g[aria-label="text"] text')).map((t) => Number(t.textContent));
  assert.equal(counts.reduce((a, b) => a + b, 0), inIL);
  assert.ok(hasText(svg, `${inIL} xQTLs by tissue and RNA modality (${xq.height - inIL} more in tissues not shown)`));
});

Deno.test("the same figure twice gives the same bytes, whatever was drawn in between", () => {
  const draw = () => plots.eqtlByGenotype(dyn, { clip: true, kind: "both" }).svg!;
  const first = draw();
  assert.ok(/clip-path="url\(#rg[0-9a-f]{8}-\d+\)"/.test(first), "clip IDs are content-based");
  // Advance Plot's global clip/marker counters.
  plots.renderFigure({ clip: true, marks: [Plot.lineY([1, 2, 3], { marker: "circle" })] });
  assert.equal(draw(), first);
  for (const f of [() => plots.dendroHeatmap(med), () => plots.eqtlLocus(locus), () => plots.xqtlOverview(xq)]) {
    assert.equal(f().svg, f().svg);
  }
});

Deno.test("a Plot legend makes an HTML <figure>: every inner svg namespaced, no SVG bundle, svg still a document", () => {
  const fig = plots.renderFigure({
    color: { legend: true },
    marks: [Plot.dot([{ x: 1, t: "IL" }, { x: 2, t: "PL" }], { x: "x", fill: "t" })],
  });
  // svg is never null: the HTML inside a foreignObject, a standalone SVG document.
  assert.match(fig.svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*><foreignObject/);
  assert.ok(fig.svg.includes(fig.html));
  assert.ok(fig.html.includes("<figure"));
  const opens = fig.html.match(/<svg[\s>]/g) ?? [];
  assert.ok(opens.length >= 2);
  assert.equal((fig.html.match(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g) ?? []).length, opens.length);
  const bundle = fig[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
});

Deno.test("helpers: xmlns, stable IDs, formats, tissue colours, ramp legend", () => {
  assert.equal(ensureXmlns("<svg><svg x='1'></svg></svg>").match(/xmlns=/g)!.length, 2);
  assert.ok(ensureXmlns('<svg><use xlink:href="#a"/></svg>').includes("xmlns:xlink"));
  assert.equal(formatPValue(8.43005e-8), "8.43e-8");
  assert.equal(formatPValue(0.0123456), "1.23e-2");
  assert.equal(formatPValue(1), "1e0");
  assert.equal(formatPValue(null), "NA");
  assert.equal(plots.tissueColor("pVTA"), "#d6ac67");
  assert.equal(plots.tissueColor("Heart"), UNKNOWN_TISSUE_COLOR);
  assert.equal(plots.tissueColor("IL", { IL: "#000000" }), "#000000");
  assert.deepEqual(plots.tissueOrder(["RMTg", "X", "IL", "Adipose", "IL"]), ["Adipose", "IL", "RMTg", "X"]);
  const ramp = rampLegend({ type: "linear", scheme: "blues", domain: [0, 4] }, "v");
  assert.equal(ramp.colors.length, 32);
  assert.notEqual(ramp.colors[0], ramp.colors[31]);
  refuses(() => rampLegend({ scheme: "blues" }), /domain/);
  const info = pl.DataFrame({ tissueSiteDetailId: ["IL", "PL"], colorHex: ["377EB8", "blue"] });
  refuses(() => tissueColorsFrom(info.head(1).drop("colorHex")), /no column "colorHex"/);
  assert.deepEqual(tissueColorsFrom(info.head(1)), { IL: "#377eb8" });
  refuses(() => tissueColorsFrom(info), /colorHex of PL is "blue"/, ResponseFormatError);
  assert.deepEqual(niceTicks(0, 3.8), [0, 1, 2, 3]);
  assert.ok(Math.abs(jitter(3, 0.2)) <= 0.2);
  const js = Array.from({ length: 200 }, (_, i) => jitter(i, 1));
  assert.ok(Math.min(...js) < -0.8 && Math.max(...js) > 0.8, "jitter spreads over its width");
});

Deno.test("box statistics and kernel densities match numpy and statsmodels", async () => {
  const ref = JSON.parse(await Deno.readTextFile(new URL("./reference/plot/reference.json", import.meta.url)));
  for (const c of ref.cases) {
    const box = boxStats(c.values)!;
    for (const k of ["q1", "median", "q3", "lo", "hi"] as const) {
      // Tolerance: 1e-12 relative (the same interpolation formula; rounding differs in the last bits).
      assert.ok(Math.abs(box[k] - c.box[k]) <= 1e-12 * Math.max(1, Math.abs(c.box[k])), `${c.name} ${k}`);
    }
    const bw = silvermanBandwidth(c.values);
    assert.ok(Math.abs(bw - c.bandwidth) <= 1e-12 * c.bandwidth, `${c.name} bandwidth ${bw} vs ${c.bandwidth}`);
    const density = kernelDensity(c.values, c.grid.length);
    density.forEach(([at, d], i) => {
      assert.ok(Math.abs(at - c.grid[i]) <= 1e-12 * Math.max(1, Math.abs(at)), `${c.name} grid ${i}`);
      // Tolerance: 1e-9 relative + 1e-13 absolute (kernel terms beyond 8 bandwidths are skipped).
      assert.ok(
        Math.abs(d - c.density[i]) <= 1e-9 * c.density[i] + 1e-13,
        `${c.name} density ${i}: ${d} vs ${c.density[i]}`,
      );
    });
  }
  assert.equal(boxStats([]), null);
  assert.deepEqual(kernelDensity([2, 2, 2]), [[2, 1]]);
});

Deno.test("dendrogramLayout: scipy order for server trees, heights from branch lengths", () => {
  const layout = plots.dendrogramLayout(
    {
      name: null,
      length: null,
      children: [
        {
          name: null,
          length: 2,
          children: [{ name: "Rtel1", length: 1, children: [] }, { name: "Polr3k", length: 1, children: [] }],
        },
        { name: "Eno1", length: 3, children: [] },
      ],
    },
  );
  assert.deepEqual(layout.leaves, ["Eno1", "Polr3k", "Rtel1"]);
  assert.equal(layout.height, 3);
  assert.equal(layout.segments.length, 6);
  assert.deepEqual(
    layout.segments[0],
    { x1: 0, y1: 3, x2: 1.5, y2: 3 },
    "root crossbar between Eno1 and the pair's midpoint",
  );
  const written = plots.dendrogramLayout(
    {
      name: null,
      length: null,
      children: [{ name: "a", length: 1, children: [] }, { name: "b", length: 1, children: [] }],
    },
    { childOrder: "as-written" },
  );
  assert.deepEqual(written.leaves, ["a", "b"]);
  const fig = checkStandalone(plots.dendrogram(med.tissueTree!, { leafColor: plots.tissueColor }));
  assert.equal(inMark(fig, "link", "path"), 36);
  assert.equal(inMark(fig, "rect", "rect"), 13);
});

// ------------------------------------------------------------------ issue 15: honest encodings, sizes

/** The merged colour scale options of a figure. */
function colorOf(fig: plots.PlotFigure): { scheme?: string; domain?: number[]; reverse?: boolean } {
  return fig.options.color as { scheme?: string; domain?: number[]; reverse?: boolean };
}

Deno.test("dendroHeatmap colours what was clustered: scheme and domain per transform, named in the legend", () => {
  const z = clusterMedians(med, { transform: "zscore" });
  assert.equal(z.transform, "zscore", "a clustering records its transform");
  const zFig = plots.dendroHeatmap(med, { clustering: z });
  const zc = colorOf(zFig);
  assert.equal(zc.scheme, "rdbu", "z-scores: diverging");
  assert.equal(zc.domain![0], -zc.domain![1], "centred at 0");
  // The domain reaches the largest |z| of the cells, computed as clusterMedians does (sample SD per gene).
  const zs = med.values.map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const sd = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / (row.length - 1));
    return row.map((v) => (v - mean) / sd);
  });
  assert.ok(Math.abs(zc.domain![1] - Math.max(...zs.flat().map(Math.abs))) < 1e-12);
  assert.ok(hasText(zFig.svg!, "Colour: z-score of median TPM per gene"));

  const l2 = plots.dendroHeatmap(med, { clustering: clusterMedians(med, { transform: "log2" }) });
  const lc = colorOf(l2);
  assert.equal(lc.scheme, "ylgnbu", "log2: sequential");
  assert.equal(lc.domain![0], 0);
  assert.ok(Math.abs(lc.domain![1] - Math.max(...med.values.flat().map((v) => Math.log2(v + 1)))) < 1e-12);
  assert.ok(hasText(l2.svg!, "Colour: log2(median TPM + 1)"));

  const corr = plots.dendroHeatmap(med, {
    clustering: clusterMedians(med, { transform: "log2", metric: "correlation" }),
  });
  assert.equal(colorOf(corr).scheme, "rdbu", "correlation distance compares shapes: z-scores");
  assert.ok(hasText(corr.svg!, "z-score of log2(median TPM + 1) per gene"));

  const server = plots.dendroHeatmap(med);
  assert.equal(colorOf(server).scheme, "ylgnbu");
  assert.ok(hasText(server.svg!, "Colour: log10(median TPM + 1)"));
  // Another colour than the trees': the legend names both.
  const other = plots.dendroHeatmap(med, { clustering: z, transform: "log10" });
  assert.ok(hasText(other.svg!, "Colour: log10(median TPM + 1) (trees on z-scores per gene)"));
});

Deno.test("dendroHeatmap: a group band beside the rows, from cutTree or a gene → group map", async () => {
  const { cutTree } = await import("../lib/analysis/clustering/cut_tree.ts");
  const c = clusterMedians(med, { transform: "zscore" });
  const groups = cutTree(c.geneLinkage!, { k: 2 });
  const fig = plots.dendroHeatmap(med, { clustering: c, groups, groupLabel: "Module" });
  const cells = med.geneIds.length * med.tissueIds.length;
  // Cells, then the band (one per gene), then the tissue strip.
  assert.equal(inMark(fig.svg!, "rect", "rect", 0), cells);
  assert.equal(inMark(fig.svg!, "rect", "rect", 1), med.geneIds.length);
  assert.ok(hasText(fig.svg!, "Module"));
  const byRecord = plots.dendroHeatmap(med, {
    clustering: c,
    groups: Object.fromEntries(med.geneIds.map((g, i) => [g, groups[i]])),
    groupLabel: "Module",
  });
  assert.equal(byRecord.svg, fig.svg, "a record and cutTree's array draw the same band");
  refuses(() => plots.dendroHeatmap(med, { groups: [1, 2] }), /options\.groups/);
});

Deno.test("expressionByTissue: the figure grows with the genes, facetHeight per gene, compact SVG", async () => {
  const genes = [
    "Cd300lf",
    "Eno1",
    "Polr3k",
    "Rtel1",
    "SynG001",
    "SynG002",
    "SynG003",
    "SynG004",
    "SynG005",
    "SynG006",
  ];
  const all = await geneExpression(genes, o);
  // The plot's own height (the title above it may wrap onto more lines as genes are named).
  const heights = [1, 2, 4, 10].map((k) =>
    plots.expressionByTissue(all, { genes: genes.slice(0, k) }).options.height as number
  );
  for (let i = 1; i < heights.length; i++) assert.ok(heights[i] > heights[i - 1], `heights ${heights}`);
  // From 2 genes on, each more gene adds its facetHeight (160 px by default).
  assert.ok(Math.abs((heights[3] - heights[1]) / 8 - 160) <= 1, `${heights}`);
  const tall = plots.expressionByTissue(all, { genes: genes.slice(0, 4), facetHeight: 250 });
  assert.ok(Math.abs((tall.options.height as number) - heights[2] - 4 * 90) <= 1);
  // Each panel has its own few ticks: a 160 px panel reads 0..4 once, not "4 3 2 1 0 4 3 2 1 0" squeezed.
  const yTicks = texts(plots.expressionByTissue(all, { genes: genes.slice(0, 2) }).svg!).filter((t) => /^\d$/.test(t));
  assert.ok(yTicks.length <= 2 * 5, `${yTicks.length} y tick labels for 2 panels`);
  refuses(() => plots.expressionByTissue(all, { facetHeight: 10 }), /options\.facetHeight/);
  // Size budget, measured: about 15 KB per gene (was 64 KB before coordinates were rounded and violins
  // drawn with 40 straight segments).
  const ten = plots.expressionByTissue(all).svg!;
  const perGene = new TextEncoder().encode(ten).length / genes.length;
  assert.ok(perGene < 20_000, `${Math.round(perGene)} bytes per gene`);
});

Deno.test("topExpressedGenes: a log axis by default, ticks at powers of ten; linear on request", () => {
  const fig = plots.topExpressedGenes(top);
  assert.equal((fig.options.x as { type: string }).type, "log");
  const ticks = Array.from(dom(fig.svg!).querySelectorAll('g[aria-label="x-axis tick label"] text'))
    .map((t) => Number(t.textContent));
  assert.ok(ticks.length >= 3);
  for (const t of ticks) {
    assert.ok(Number.isInteger(Math.log10(t)) || Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9, `${t}`);
  }
  // Every bar is visible: at least a few pixels long, also the 50th.
  const widths = Array.from(dom(fig.svg!).querySelectorAll('g[aria-label="bar"] rect'))
    .map((r) => Number(r.getAttribute("width")));
  assert.equal(widths.length, top.height);
  assert.ok(Math.min(...widths) >= 3, `shortest bar ${Math.min(...widths)} px`);
  const linear = plots.topExpressedGenes(top, { scale: "linear" });
  assert.equal((linear.options.x as { type: string }).type, "linear");
});

Deno.test("eqtlLocus: rings in their tissue's colours; a gene without significant pairs draws its model", async () => {
  const fig = plots.eqtlLocus(locus);
  const rings = Array.from(dom(fig.svg!).querySelectorAll('g[aria-label="dot"]'))[1] as unknown as {
    querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }>;
  };
  const strokes = Array.from(rings.querySelectorAll("circle")).map((c) => c.getAttribute("stroke"));
  const pairs = new Set(locus.singleTissueEqtl.toRecords().map((r) => `${r.tissueSiteDetailId}|${r.variantId}`));
  const ringed = (locus.eqtl.toRecords() as { tissueSiteDetailId: string; variantId: string }[])
    .filter((r) => pairs.has(`${r.tissueSiteDetailId}|${r.variantId}`));
  assert.equal(strokes.length, ringed.length);
  assert.deepEqual(
    [...strokes].sort(),
    ringed.map((r) => plots.tissueColor(r.tissueSiteDetailId)).sort(),
    "ring colours are the tissue colours",
  );
  assert.ok(!strokes.includes("#000"), "no black rings");

  const quiet = {
    singleTissueEqtl: await singleTissueEqtl("SynMt1", o),
    exon: await exon("SynMt1", o),
    gene: await gene("SynMt1", o),
  };
  assert.equal(quiet.singleTissueEqtl.height, 0, "SynMt1 has no significant variant offline");
  const none = plots.eqtlLocus(quiet);
  assert.equal(inMark(none.svg!, "rect", "rect"), quiet.exon.height, "one box per exon");
  assert.ok(hasText(none.svg!, "No significant cis-eQTL variant of SynMt1 in any tissue"));
  assert.ok(hasText(none.svg!, "TSS"));
  assert.ok(new TextEncoder().encode(none.svg!).length < 8_000, "size budget");
  refuses(() => plots.eqtlLocus({ singleTissueEqtl: quiet.singleTissueEqtl }), /no gene or exon frame/);
});

Deno.test("effectForest: intervals are slope ± z·SE of the regression, in tissue colours and portal order", async () => {
  const { effectsAcrossTissues } = await import("../lib/workflows/effects_across_tissues.ts");
  const { regressEqtls } = await import("../lib/analysis/regression/regression.ts");
  const { normalQuantile } = await import("../lib/analysis/regression/distributions.ts");
  const params = { geneId: "Cd300lf", variantId: "chr10:100826333" };
  const fx = await effectsAcrossTissues(params, { client, transform: "log2" });
  // The regression, independently: dyneqtl in each tissue, regressEqtls.
  const tissues = fx.getColumn("tissueSiteDetailId").toArray() as string[];
  assert.deepEqual(tissues, plots.tissueOrder(tissues), "portal order");
  const dyns = await Promise.all(tissues.map((t) => dyneqtl({ ...params, tissueSiteDetailId: t }, o)));
  const fits = regressEqtls(dyns, { transform: "log2" }).toRecords() as { nes: number; error: number }[];
  for (const level of [0.95, 0.9]) {
    const z = normalQuantile(1 - (1 - level) / 2);
    const fig = plots.effectForest(fx, { level });
    const opts = fig.options as { width: number; marginLeft: number; marginRight: number; x: { domain: number[] } };
    const [d0, d1] = opts.x.domain;
    const px = (v: number) =>
      opts.marginLeft + ((v - d0) / (d1 - d0)) * (opts.width - opts.marginLeft - opts.marginRight);
    const lines = Array.from(dom(fig.svg!).querySelectorAll('g[aria-label="rule"] line'))
      .filter((l) => l.getAttribute("x1") !== l.getAttribute("x2"));
    assert.equal(lines.length, tissues.length);
    lines.forEach((l, i) => {
      assert.ok(Math.abs(Number(l.getAttribute("x1")) - px(fits[i].nes - z * fits[i].error)) <= 0.01, tissues[i]);
      assert.ok(Math.abs(Number(l.getAttribute("x2")) - px(fits[i].nes + z * fits[i].error)) <= 0.01, tissues[i]);
      assert.equal(l.getAttribute("stroke"), plots.tissueColor(tissues[i]), "the tissue's colour");
    });
    assert.ok(String(fig.decorations.subtitle).includes(`${Math.round(level * 100)}% CI = slope ± ${z.toFixed(2)}·SE`));
  }
  const fig = plots.effectForest(fx);
  assert.ok(hasText(fig.svg!, "log2(TPM + 1)"), "the transform is named");
  // Significant tissues are filled, the others hollow; both p-values are listed.
  const sig = fx.getColumn("significant").toArray() as boolean[];
  const fills = Array.from(dom(fig.svg!).querySelectorAll('g[aria-label="dot"] circle')).map((c) =>
    c.getAttribute("fill")
  );
  assert.deepEqual(fills.map((f) => f !== "#fff"), sig);
  const api = fx.getColumn("apiPValue").toArray() as number[];
  const mine = fx.getColumn("pValue").toArray() as number[];
  for (let i = 0; i < tissues.length; i++) {
    assert.ok(hasText(fig.svg!, formatPValue(api[i])) && hasText(fig.svg!, formatPValue(mine[i])), tissues[i]);
  }
  assert.ok(new TextEncoder().encode(fig.svg!).length < 12_000, "size budget");
  refuses(() => plots.effectForest(fx, { level: 95 }), /options\.level/);
});

Deno.test("subtitles never wrap inside a number; size budgets of the other figures", () => {
  const fig = plots.eqtlByGenotype(dyn, { transform: "log2" });
  for (const t of texts(fig.svg!)) {
    assert.ok(!/(=|R²|SE)\s*$/.test(t) && !/^[\d.]+[,)]/.test(t), `a line ends before its number: "${t}"`);
  }
  const budgets: [string, plots.PlotFigure, number][] = [
    ["eqtlByGenotype", fig, 40_000],
    ["dendroHeatmap", plots.dendroHeatmap(med), 16_000],
    ["topExpressedGenes", plots.topExpressedGenes(top), 14_000],
    ["eqtlLocus", plots.eqtlLocus(locus), 10_000],
    ["expressionByTissue (1 gene)", plots.expressionByTissue(expr), 22_000],
  ];
  for (const [name, f, budget] of budgets) {
    const bytes = new TextEncoder().encode(f.svg!).length;
    assert.ok(bytes < budget, `${name}: ${bytes} bytes (budget ${budget})`);
  }
});
