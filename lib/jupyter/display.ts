/**
 * Rich display for Deno's Jupyter kernel through `Symbol.for("Jupyter.display")` only (`Deno.jupyter`
 * throws outside the kernel): MIME bundles for the library's results (dyneqtl, regression, median
 * expression, clustering), figures and DataFrames. Results are tagged with their kind where they are made
 * (`_core/result_kind.ts`); this module registers a renderer for each kind, so nothing guesses by shape.
 *
 * @module
 */
import type { ClusterMediansResult } from "../analysis/clustering/cluster_medians.ts";
import type { EqtlRegression } from "../analysis/regression/regression.ts";
import type { DyneqtlResult, MedianGeneExpressionResult } from "../analysis/route_results.ts";
import { dendroHeatmap } from "../plot/dendro_heatmap.ts";
import { dendrogram } from "../plot/dendrogram.ts";
import { eqtlByGenotype, genotypeLabels, transformLabel } from "../plot/eqtl_by_genotype.ts";
import { PlotFigure } from "../plot/figure.ts";
import {
  type DisplayBundle,
  JUPYTER_DISPLAY,
  registerRenderer,
  renderResult,
  resultKind,
} from "../_core/result_kind.ts";
import { escapeXml, formatNumber, formatPValue } from "../_core/format.ts";
import { inJupyterKernel, settleCellOutputs, showInKernel } from "../_core/kernel.ts";
import { tissueColor, tissueName } from "../_core/tissues.ts";
import { isDataFrame } from "../_core/data_frame.ts";
import { view } from "./view.ts";

export type { DisplayBundle } from "../_core/result_kind.ts";
export { JUPYTER_DISPLAY } from "../_core/result_kind.ts";

const CSS = "color:#222;background:#fff;font-family:system-ui,sans-serif;font-size:12px";

function swatch(tissue: string): string {
  return `<span style="display:inline-block;width:0.8em;height:0.8em;margin-right:0.3em;border:1px solid #0003;` +
    `background:${tissueColor(tissue)}"></span>`;
}

/** A two-column HTML table of label → value (values are HTML already). */
function fieldTable(rows: [string, string][]): string {
  return `<table style="border-collapse:collapse;font-size:12px">${
    rows.map(([k, v]) =>
      `<tr><th style="text-align:left;padding:1px 10px 1px 0;font-weight:600;white-space:nowrap">${escapeXml(k)}</th>` +
      `<td style="padding:1px 0">${v}</td></tr>`
    ).join("")
  }</table>`;
}

/** Plain-text label: value lines, labels padded. */
function fieldText(rows: [string, string][]): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n");
}

const strip = (html: string) =>
  html.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

function dyneqtlBundle(d: DyneqtlResult): DisplayBundle {
  const [g0, g1, g2] = genotypeLabels(d.ref, d.alt);
  const missing = d.genotypes.filter((g) => g === null).length;
  const rows: [string, string][] = [
    ["gene", escapeXml(d.geneId)],
    [
      "tissue",
      `${swatch(d.tissueSiteDetailId)}${escapeXml(`${d.tissueSiteDetailId} (${tissueName(d.tissueSiteDetailId)})`)}`,
    ],
    ["variant", escapeXml(`${d.variantId} ${d.ref}>${d.alt}`)],
    [
      "genotypes",
      escapeXml(
        `${g0} ${d.homoRefCount}, ${g1} ${d.hetCount}, ${g2} ${d.homoAltCount}` +
          `${missing > 0 ? `, no call ${missing}` : ""}`,
      ),
    ],
    ["ALT allele frequency (maf)", escapeXml(formatNumber(d.maf))],
    ["pValue (API, nominal)", escapeXml(d.pValue === null ? "null (pair not tested)" : formatPValue(d.pValue))],
    ["pValueThreshold", escapeXml(formatPValue(d.pValueThreshold))],
    ["samples", escapeXml(`${d.data.length} (data: TPM)`)],
  ];
  const figure = eqtlByGenotype(d);
  return {
    "text/plain": `DyneqtlResult\n${fieldText(rows.map(([k, v]) => [k, strip(v)]))}`,
    // One representation: the HTML (table + inline figure) is what JupyterLab, VS Code and nbconvert pick
    // over image/svg+xml, so an SVG copy beside it would only double the notebook.
    "text/html": `<div style="${CSS}"><b>dyneqtl</b>${fieldTable(rows)}${figure.html}</div>`,
  };
}

function regressionBundle(r: EqtlRegression): DisplayBundle {
  const [g0, g1, g2] = r.ref && r.alt ? genotypeLabels(r.ref, r.alt) : ["0", "1", "2"];
  const rows: [string, string][] = [
    [
      "pair",
      escapeXml([r.geneId, r.tissueSiteDetailId, r.variantId].filter((x) => x !== null).join(" · ") || "(no ids)"),
    ],
    ["transform", escapeXml(`${r.transform}: ${transformLabel(r.transform)}`)],
    ["n (missing calls)", escapeXml(`${r.n} (${r.nMissing})`)],
    ["samples per genotype", escapeXml(`${g0} ${r.counts[0]}, ${g1} ${r.counts[1]}, ${g2} ${r.counts[2]}`)],
    ["nes (slope per ALT allele)", escapeXml(formatNumber(r.nes))],
    ["error (SE)", escapeXml(formatNumber(r.error))],
    ["tStatistic", escapeXml(formatNumber(r.tStatistic))],
    ["pValue (recomputed)", `<b>${escapeXml(formatPValue(r.pValue))}</b>`],
    ["apiPValue (tensorQTL)", `<b>${escapeXml(formatPValue(r.apiPValue))}</b>`],
    ["apiPValueThreshold", escapeXml(formatPValue(r.apiPValueThreshold))],
    ["r²", escapeXml(formatNumber(r.r2))],
    ...(r.reason ? [["reason", escapeXml(r.reason)] as [string, string]] : []),
  ];
  return {
    "text/plain": `EqtlRegression\n${fieldText(rows.map(([k, v]) => [k, strip(v)]))}\nNote: ${r.note}`,
    "text/html": `<div style="${CSS}"><b>eQTL regression</b>${fieldTable(rows)}` +
      `<p style="color:#555;font-size:11px;max-width:640px">${escapeXml(r.note)}</p></div>`,
  };
}

function medianBundle(m: MedianGeneExpressionResult): DisplayBundle {
  const figure = dendroHeatmap(m);
  const table = view(m.wide, { maxRows: 30 });
  const trees = `gene tree: ${m.clusters.gene}\ntissue tree: ${m.clusters.tissue}`;
  return {
    "text/plain": `medianGeneExpression (median TPM, genes × tissues)\n${table.text}\n${trees}`,
    "text/html": `<div style="${CSS}">${figure.html}<details><summary>median TPM table and Newick trees</summary>` +
      `${table.html}<pre style="white-space:pre-wrap">${escapeXml(trees)}</pre></details></div>`,
  };
}

function clusteringBundle(c: ClusterMediansResult): DisplayBundle {
  const rows: [string, string][] = [
    ["gene order", escapeXml(c.geneOrder.join(", "))],
    ["tissue order", c.tissueOrder.map((t) => `${swatch(t)}${escapeXml(t)}`).join(" ")],
    ["gene tree", `<code>${escapeXml(c.clusters.gene)}</code>`],
    ["tissue tree", `<code>${escapeXml(c.clusters.tissue)}</code>`],
  ];
  const pictures = [
    c.geneTree ? dendrogram(c.geneTree, { title: "Genes" }).html : "",
    c.tissueTree ? dendrogram(c.tissueTree, { title: "Tissues", leafColor: (t) => tissueColor(t) }).html : "",
  ].join("");
  return {
    "text/plain": `ClusterMediansResult\n${fieldText(rows.map(([k, v]) => [k, strip(v).trim()]))}`,
    "text/html": `<div style="${CSS}"><b>clusterMedians</b>${fieldTable(rows)}` +
      `<div style="display:flex;gap:12px;flex-wrap:wrap;align-items:flex-start">${pictures}</div></div>`,
  };
}

registerRenderer("dyneqtl", (v) => dyneqtlBundle(v as DyneqtlResult));
registerRenderer("regression", (v) => regressionBundle(v as EqtlRegression));
registerRenderer("median", (v) => medianBundle(v as MedianGeneExpressionResult));
registerRenderer("clustering", (v) => clusteringBundle(v as ClusterMediansResult));

// In Deno's kernel, every cell from here on ends only once its outputs are published (see _core/kernel.ts):
// under Run All, a figure or table no longer lands under the next cell.
settleCellOutputs();

/**
 * Show a value in Deno's Jupyter kernel (through `Deno.jupyter.display`, only when inside the kernel; it then
 * returns nothing, so a `display(x)` on a cell's last line leaves no empty `Out[n]`), or, outside the
 * kernel, return its MIME bundle, itself displayable. The bundle for a value, one picture
 * per output: figures (`text/html` holding the SVG as an image, `image/svg+xml`, `text/plain`), DataFrames
 * (an HTML table, see `view`), and the library's tagged results — `dyneqtl` answers (summary + the
 * genotype figure), regressions (both p-values and the note), `medianGeneExpression` results (the
 * dendro-heatmap + table + trees) and `clusterMedians` results (orders, trees, dendrograms). Other objects
 * with their own `Symbol.for("Jupyter.display")` are asked for theirs; anything else is shown as plain
 * text by `Deno.inspect` without colours. `text/plain` never holds ANSI escapes.
 *
 * @param value Anything.
 * @returns The bundle outside the kernel; `undefined` inside it (the value is shown already).
 *
 * @example
 * ```ts
 * import * as rg from "ratgtex";
 * import { createClient, dyneqtl } from "ratgtex";
 * import { display } from "ratgtex/jupyter";
 * import assert from "node:assert/strict";
 * const client = createClient({ source: "offline" });
 * const dyn = await dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, { client });
 * assert.deepEqual(Object.keys(display(dyn)!), ["text/plain", "text/html"]); // the HTML holds the figure
 * assert.deepEqual(Object.keys(display(rg.plots.eqtlByGenotype(dyn))!), ["text/plain", "text/html", "image/svg+xml"]);
 * ```
 */
export function display(value: unknown): DisplayBundle | undefined {
  const bundle = bundleOf(value);
  // In Deno's kernel, show it now and return nothing: a cell whose last value is undefined has no result, so
  // `display(x)` on a cell's last line neither shows x twice nor leaves an empty Out[n] (an empty bundle
  // did). Outside the kernel the bundle displays itself.
  if (inJupyterKernel()) {
    showInKernel(bundle).catch(() => {});
    return undefined;
  }
  Object.defineProperty(bundle, JUPYTER_DISPLAY, { value: () => ({ ...bundle }), enumerable: false });
  return bundle;
}

function bundleOf(value: unknown): DisplayBundle {
  if (value instanceof PlotFigure) return value[JUPYTER_DISPLAY]();
  if (isDataFrame(value)) return view(value)[JUPYTER_DISPLAY]();
  const kind = resultKind(value);
  if (kind !== null) return renderResult(value as object, kind);
  const own = (value as Record<symbol, unknown> | null)?.[JUPYTER_DISPLAY];
  if (typeof own === "function") return { ...(own.call(value) as DisplayBundle) };
  return { "text/plain": Deno.inspect(value, { colors: false, depth: 4 }) };
}
