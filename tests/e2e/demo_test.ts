/**
 * The demo analysis end to end on the twin over loopback: it recomputes every independent eQTL of the gene,
 * rebuilds the server's trees byte for byte, and writes a self-contained report that says the data are
 * synthetic when they are.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/cli/tools/demo.ts`,
 * `lib/cli/tools/report.ts`.
 */
import assert from "node:assert/strict";
import { createClient } from "ratgtex";
import { runDemo } from "../../lib/cli/tools/demo.ts";
import { formatCell } from "../../lib/cli/tools/report.ts";
import { loadUniverse, serveTwin } from "ratgtex/offline";

Deno.test("demo: recomputed effects, reproduced trees, report written", async () => {
  const out = await Deno.makeTempDir();
  const lines: string[] = [];
  const result = await runDemo({
    client: createClient({ source: "offline" }),
    outDir: `${out}/report`,
    log: (l) => lines.push(l),
  });
  const universe = await loadUniverse();
  assert.equal(result.effects.height, universe.eqtls.get("Cd300lf")!.length);
  assert.deepEqual(result.treesReproduced, { gene: true, tissue: true });
  assert.ok(result.geneTreeAgreement.log2 > -1 && result.geneTreeAgreement.log2 < 1);
  assert.match(lines[0], /synthetic/);
  const html = await Deno.readTextFile(result.reportPath!);
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /synthetic/);
  assert.ok(!/<script|https?:\/\/[^"]*\.(js|css)/.test(html), "self-contained: no scripts or external assets");
  // Figures: the locus, the eQTL by genotype, the forest plot across tissues, two dendro-heatmaps (the
  // second with the cut groups) — each an SVG with its namespace.
  const svgs = html.match(/<svg[^>]*>/g) ?? [];
  assert.ok(svgs.length >= 5, `${svgs.length} figures`);
  assert.ok(html.includes("effect in 13 tissues"), "the forest plot");
  assert.ok(html.includes(">Group</text>"), "the group band's legend");
  assert.ok(svgs.every((tag) => tag.includes('xmlns="http://www.w3.org/2000/svg"')));
  await Deno.remove(out, { recursive: true });
});

Deno.test("demo: the same analysis through a loopback URL source gives the same effects", async () => {
  const served = await serveTwin();
  try {
    const viaHttp = await runDemo({
      client: createClient({ source: served.baseUrl, cache: false }),
      outDir: null,
      log: () => {},
    });
    const inProcess = await runDemo({ client: createClient({ source: "offline" }), outDir: null, log: () => {} });
    assert.deepEqual(viaHttp.effects.toRecords(), inProcess.effects.toRecords());
  } finally {
    await served.close();
  }
});

Deno.test("report: a position column is printed as an integer, p-value columns in scientific notation", () => {
  // `pos` once matched the p-value pattern (/^p/i) and came out as 1.01e+8.
  assert.equal(formatCell("pos", 100826333), "100826333");
  assert.equal(formatCell("pValue", 8.43005e-8), "8.43e-8");
  assert.equal(formatCell("apiPValue", 0.5), "5.00e-1");
  assert.equal(formatCell("p", 1), "1.00e+0");
  assert.equal(formatCell("nes", 0.612345), "0.6123");
  assert.equal(formatCell("hetCount", 35), "35");
});
