/**
 * The library's result objects show themselves in Deno's Jupyter kernel: each carries a non-enumerable
 * `Symbol.for("Jupyter.display")` method returning a bundle with HTML and plain text (no ANSI codes).
 */
import assert from "node:assert/strict";
import { createClient, dyneqtl, medianGeneExpression } from "ratgtex";
import { clusterMedians, regressEqtl } from "ratgtex/analysis";

const DISPLAY = Symbol.for("Jupyter.display");

function bundleOf(value: object): Record<string, string> {
  const fn = (value as Record<symbol, unknown>)[DISPLAY];
  assert.equal(typeof fn, "function", "has a Jupyter display method");
  assert.ok(!Object.keys(value).includes(DISPLAY.toString()), "not enumerable");
  return (fn as () => Record<string, string>).call(value);
}

Deno.test("dyneqtl, regressEqtl, medianGeneExpression and clusterMedians results display themselves", async () => {
  const client = createClient({ source: "offline" });
  const dyn = await dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, { client });
  const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1"], { client });
  for (const value of [dyn, regressEqtl(dyn, { transform: "log2" }), med, clusterMedians(med, { transform: "log2" })]) {
    const bundle = bundleOf(value);
    assert.ok(bundle["text/html"].length > 100);
    assert.ok(bundle["text/plain"].length > 10);
    assert.ok(!bundle["text/plain"].includes("\u001b["), "no ANSI escape codes");
    assert.deepEqual(JSON.parse(JSON.stringify(Object.keys(value))), Object.keys(value), "plain data stays plain");
  }
  assert.match(bundleOf(dyn)["text/html"], /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
});
