/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `lib/plot/` carried.
 * No entry point exports these names, so their documentation keeps the prose and the checks live here
 * (the public surface's own examples import from the entry points and run as doc tests).
 *
 * @module
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import * as Plot from "@observablehq/plot";
import { checkChoice, checkFrame } from "../../lib/plot/_check.ts";
import { ensureXmlns, fnv1a, serverDocument, stabilizeIds } from "../../lib/plot/_dom.ts";
import { textWidth, wrapText } from "../../lib/plot/_text.ts";
import { boxStats, jitter, kernelDensity, silvermanBandwidth } from "../../lib/plot/distribution.ts";
import { transformLabel, transformName } from "../../lib/plot/eqtl_by_genotype.ts";
import { mergePlotOptions } from "../../lib/plot/figure.ts";
import { defaultPngFontFamily, svgToPng } from "../../lib/plot/_png.ts";
import { legendMarkup, niceTicks, rampLegend } from "../../lib/plot/legend.ts";

Deno.test("lib/plot/_check.ts: checkChoice", () => {
  assert.equal(checkChoice("box", "options.kind", ["box", "violin"], "eqtlByGenotype"), "box");
  assert.throws(() => checkChoice("bar", "options.kind", ["box", "violin"], "eqtlByGenotype"), /options\.kind "bar"/);
});

Deno.test("lib/plot/_check.ts: checkFrame", () => {
  assert.throws(
    () => checkFrame(pl.DataFrame({ geneId: ["Eno1"] }), "top", "topExpressedGene", ["median"]),
    /no column "median"/,
  );
});

Deno.test("lib/plot/_dom.ts: serverDocument", () => {
  assert.equal(serverDocument().createElement("div").tagName, "DIV");
});

Deno.test("lib/plot/_dom.ts: ensureXmlns", () => {
  assert.equal(ensureXmlns('<svg width="1"></svg>'), '<svg xmlns="http://www.w3.org/2000/svg" width="1"></svg>');
});

Deno.test("lib/plot/_dom.ts: fnv1a", () => {
  assert.equal(fnv1a(""), "811c9dc5");
  assert.match(fnv1a("IL"), /^[0-9a-f]{8}$/);
});

Deno.test("lib/plot/_dom.ts: stabilizeIds", () => {
  const a = stabilizeIds('<clipPath id="plot-clip-7"></clipPath><g clip-path="url(#plot-clip-7)"></g>');
  const b = stabilizeIds('<clipPath id="plot-clip-42"></clipPath><g clip-path="url(#plot-clip-42)"></g>');
  assert.equal(a, b);
  assert.match(a, /clip-path="url\(#rg[0-9a-f]{8}-0\)"/);
});

Deno.test("lib/plot/_text.ts: textWidth", () => {
  assert.ok(Math.abs(textWidth("Adipose", 10) - 41) < 1e-9); // A 0.72 em, i 0.33 em, the rest 0.61 em
  assert.ok(textWidth("WWW") > textWidth("iii"));
});

Deno.test("lib/plot/_text.ts: wrapText", () => {
  assert.deepEqual(wrapText("a b c", 1000, 10), ["a b c"]);
  assert.deepEqual(wrapText("alpha beta", 30, 10), ["alpha", "beta"]);
  assert.deepEqual(wrapText("fit: R² = 0.316 (n = 83)", 60, 10), ["fit:", "R² = 0.316", "(n = 83)"]);
});

Deno.test("lib/plot/distribution.ts: boxStats", () => {
  assert.deepEqual(boxStats([1, 2, 3, 4, 100]), { n: 5, q1: 2, median: 3, q3: 4, lo: 1, hi: 4 });
  assert.equal(boxStats([NaN]), null);
});

Deno.test("lib/plot/distribution.ts: silvermanBandwidth", () => {
  assert.equal(silvermanBandwidth([1, 2, 2, 3, 7.5]).toFixed(4), "0.4835");
  assert.ok(Number.isNaN(silvermanBandwidth([1])));
});

Deno.test("lib/plot/distribution.ts: kernelDensity", () => {
  const density = kernelDensity([1, 2, 2, 3], 5);
  assert.deepEqual(density.map(([at]) => at), [1, 1.5, 2, 2.5, 3]);
  assert.ok(density[2][1] > density[0][1]); // densest at the repeated value
});

Deno.test("lib/plot/distribution.ts: jitter", () => {
  assert.equal(jitter(7, 0.2), jitter(7, 0.2));
  assert.ok(Math.abs(jitter(7, 0.2)) <= 0.2);
});

Deno.test("lib/plot/eqtl_by_genotype.ts: transformName", () => {
  assert.equal(transformName("int"), "rank inverse-normal expression");
  assert.equal(transformName("log2"), "log2(TPM + 1)");
});

Deno.test("lib/plot/eqtl_by_genotype.ts: transformLabel", () => {
  assert.equal(transformLabel("log2"), "log2(TPM + 1)");
  assert.equal(transformLabel("int"), "Rank inverse-normal expression");
});

Deno.test("lib/plot/figure.ts: mergePlotOptions", () => {
  const merged = mergePlotOptions(
    { y: { label: "TPM", grid: true }, marks: [Plot.ruleY([0])] },
    { y: { label: "log" }, marks: [Plot.dot([[1, 2]])] },
  );
  assert.deepEqual(merged.y, { label: "log", grid: true });
  assert.equal(merged.marks!.length, 2);
});

Deno.test("lib/plot/legend.ts: rampLegend", () => {
  const ramp = rampLegend({ type: "linear", scheme: "blues", domain: [0, 1] }, "value");
  assert.equal(ramp.colors.length, 32);
  assert.deepEqual(ramp.domain, [0, 1]);
});

Deno.test("lib/plot/legend.ts: niceTicks", () => {
  assert.deepEqual(niceTicks(0, 3.8), [0, 1, 2, 3]);
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
});

Deno.test("lib/plot/legend.ts: legendMarkup", () => {
  const legend = legendMarkup({ type: "swatches", domain: ["IL", "PL"], range: ["#377eb8", "#984ea3"] }, 600);
  assert.equal(legend.markup.match(/<rect/g)!.length, 2);
  assert.ok(legend.markup.includes(">IL</text>"));
  assert.equal(legend.height, 16); // one row
});

Deno.test("lib/plot/_png.ts: defaultPngFontFamily", () => {
  const family = defaultPngFontFamily();
  assert.ok(family === undefined || family.length > 0);
});

Deno.test("lib/plot/_png.ts: svgToPng", async () => {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="red"/></svg>';
  const png = await svgToPng(svg, 20, 10, { scale: 2 });
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
  assert.equal(new DataView(png.buffer, png.byteOffset).getUint32(16), 40); // width × 2
  await assert.rejects(svgToPng(svg, 20, 10, { scale: 0 }), { name: "ValidationError" });
  await assert.rejects(svgToPng(svg, 20, 10, { scale: 1000 }), { name: "ValidationError" }); // 20,000 px
});
