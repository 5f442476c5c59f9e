/**
 * Rich display: MIME bundles of the library's results (tagged with their kind), `view` tables.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/result_kind.ts`.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { clusterMedians } from "ratgtex/analysis";
import { RECOMPUTED_PVALUE_NOTE, regressEqtl } from "ratgtex/analysis";
import { createClient } from "ratgtex";
import { medianGeneExpression } from "ratgtex";
import { dyneqtl, eqtl } from "ratgtex";
import { tissueInfo } from "ratgtex";
import { display as displayOrNothing, type DisplayBundle, JUPYTER_DISPLAY, view } from "ratgtex/jupyter";

/** Outside the kernel (as here) display() returns the bundle; inside it, nothing (tests/e2e/display_kernel_test.ts). */
const display = (value: unknown): DisplayBundle => {
  const b = displayOrNothing(value);
  assert.ok(b !== undefined, "outside the kernel, display returns the bundle");
  return b;
};
import { ValidationError } from "ratgtex";
import { resultKind } from "../lib/_core/result_kind.ts";
import { eqtlByGenotype, V4_TISSUE_STYLES } from "ratgtex/plot";

const client = createClient({ source: "offline" });
const o = { client };
const dyn = await dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, o);
const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1"], o);

const ESC = "\u001b";

function checkBundle(bundle: DisplayBundle, mimes: string[]): void {
  assert.deepEqual(Object.keys(bundle).sort(), [...mimes].sort());
  assert.ok(!bundle["text/plain"]!.includes(ESC), "no ANSI escapes in text/plain");
  assert.ok(bundle["text/plain"]!.length > 0);
  const svg: string | undefined = bundle["image/svg+xml"];
  if (svg !== undefined) assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
}

Deno.test("view: HTML table with tissue swatches and dtypes, aligned plain text", async () => {
  const info = await tissueInfo({}, o);
  const v = view(info);
  checkBundle(v[JUPYTER_DISPLAY](), ["text/html", "text/plain"]);
  assert.ok(v.html.startsWith("<div") && v.html.includes("<table"));
  for (const t of V4_TISSUE_STYLES) assert.ok(v.html.includes(`background:${t.color}`), `swatch of ${t.id}`);
  assert.ok(v.html.includes(">str<") || v.html.includes(">String<"), "dtype under the header");
  assert.ok(v.text.startsWith("shape: (13, 14)"));
  const lines = v.text.split("\n");
  assert.ok(lines[1].startsWith("tissueSiteDetailId"));
  assert.equal(lines.length, 1 + 3 + 13);
});

Deno.test("view: p-values in scientific notation, long frames elided, nulls shown", async () => {
  const e = await eqtl("Cd300lf", o);
  const v = view(e);
  // The smallest pValueBeta of the gene, in scientific notation at 3 significant digits (not 0.00000…).
  const p = Math.min(...(e.getColumn("pValueBeta").toArray() as number[]));
  assert.ok(p < 1e-4, `a small p-value to show (${p})`);
  const shown = p.toExponential(2).replace("e+", "e");
  assert.ok(v.text.includes(shown), `pValueBeta ${p} shown as ${shown}`);
  assert.ok(v.html.includes(shown));
  // SynG014's eQTLs include one whose log2 aFC the release writes NA (a bare NaN in the JSON).
  assert.ok(view(await eqtl("SynG014", o)).html.includes("null"), "log2aFC NaN from the server shows as null");
  const long = pl.DataFrame({
    pValue: Array.from({ length: 100 }, (_, i) => 10 ** -(i % 9)),
    i: Array.from({ length: 100 }, (_, i) => i),
  });
  const lv = view(long, { maxRows: 6, caption: "many" });
  assert.ok(lv.text.includes("… 94 more rows …"));
  assert.ok(lv.html.includes("94 more rows"));
  assert.ok(lv.text.startsWith("many\nshape: (100, 2)"));
  assert.equal(lv.html.match(/<tr style/g)!.length, 6);
  assert.ok(lv.text.includes("1e-8"));
  assert.throws(
    () => view({} as pl.DataFrame),
    (e: unknown) => e instanceof ValidationError && /polars DataFrame/.test(e.message),
  );
  assert.throws(
    () => view(long, { maxRows: 1 }),
    (e: unknown) => e instanceof ValidationError && /maxRows/.test(e.message),
  );
  // HTML is escaped.
  assert.ok(view(pl.DataFrame({ s: ["<b>&"] })).html.includes("&lt;b&gt;&amp;"));
});

Deno.test("display: dyneqtl result shows its summary and its genotype figure", () => {
  const b = display(dyn);
  checkBundle(b, ["text/html", "text/plain"]); // one picture: the HTML holds the figure
  assert.equal((b["text/html"]!.match(/<svg xmlns/g) ?? []).length, 1, "the figure once");
  assert.ok(b["text/plain"].includes("C/C 27, C/T 35, T/T 16"));
  assert.ok(b["text/plain"].includes("8.43e-8"));
  assert.ok(b["text/html"]!.includes("background:#377eb8"));
  assert.ok(b["text/html"]!.includes(eqtlByGenotype(dyn).svg!));
  assert.equal(resultKind(dyn), "dyneqtl");
});

Deno.test("display: a regression shows both p-values and the note", () => {
  const fit = regressEqtl(dyn, { transform: "log2" });
  const b = display(fit);
  checkBundle(b, ["text/html", "text/plain"]);
  for (const s of ["pValue (recomputed)", "apiPValue (tensorQTL)", "8.43e-8", RECOMPUTED_PVALUE_NOTE]) {
    assert.ok(b["text/plain"].includes(s), s);
  }
  assert.ok(b["text/html"]!.includes("log2(TPM + 1)"));
});

Deno.test("display: median expression shows the dendro-heatmap; a clustering its trees", () => {
  const b = display(med);
  checkBundle(b, ["text/html", "text/plain"]);
  assert.ok(b["text/plain"].includes(med.clusters.gene));
  assert.ok(b["text/html"]!.includes("<svg"));
  const c = clusterMedians(med, { transform: "log2" });
  assert.equal(resultKind(c), "clustering");
  const cb = display(c);
  checkBundle(cb, ["text/html", "text/plain"]);
  assert.ok(cb["text/plain"].includes(c.geneOrder.join(", ")));
  assert.equal((cb["text/html"]!.match(/<svg xmlns/g) ?? []).length, 2, "gene and tissue dendrograms");
});

Deno.test("display: frames, figures, own displays, anything else as plain text", () => {
  checkBundle(display(med.wide), ["text/html", "text/plain"]);
  // A figure: the SVG document, and the same as an <img> in text/html (which HTML exports keep).
  checkBundle(display(eqtlByGenotype(dyn)), ["text/plain", "text/html", "image/svg+xml"]);
  const own = { [JUPYTER_DISPLAY]: () => ({ "text/plain": "mine" }) };
  assert.deepEqual(display(own), { "text/plain": "mine" });
  const other = display({ a: 1, nested: { b: [1, 2] } });
  checkBundle(other, ["text/plain"]);
  assert.ok(other["text/plain"].includes("nested"));
  assert.equal(resultKind(42), null);
  // A result is known by its tag, never by its shape: a look-alike plain object is not a regression.
  const lookAlike = { ...regressEqtl(dyn) };
  assert.equal(resultKind(lookAlike), null);
  assert.ok(!display(lookAlike)["text/html"]);
});

Deno.test("tagged results: a non-enumerable kind and display method, invisible to keys, JSON and spreads", () => {
  const fit = regressEqtl(dyn);
  assert.equal(resultKind(fit), "regression");
  assert.ok(!Object.keys(fit).some((k) => k.includes("Jupyter") || k.includes("ratgtex")));
  const bundle = (fit as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  assert.deepEqual(bundle, display(regressEqtl(dyn)));
  assert.ok(!JSON.stringify(fit).includes("resultKind"));
  assert.ok(!Object.keys({ ...dyn }).some((k) => k.includes("Jupyter")));
});
