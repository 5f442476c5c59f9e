/**
 * The house holds: one-way arrows between rooms, no private file used from another room, no cycle
 * between files, and the CLI's data commands load neither Observable Plot nor linkedom. The same rules,
 * applied to the recorded graph of the old layout (`tests/reference/architecture/`), must find what it
 * broke, so this test cannot pass by checking nothing.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type Edge, fileCycles, moduleGraph, staticClosure, violations } from "./support/architecture_rules.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const graph = await moduleGraph(Deno.execPath(), ROOT);
const old = JSON.parse(
  await Deno.readTextFile(new URL("./reference/architecture/old_graph.json", import.meta.url)),
) as { commit: string; edges: Edge[] };

Deno.test("architecture: today's graph keeps every rule", () => {
  assert.ok(graph.length > 100, `the graph was read (${graph.length} edges)`);
  assert.deepEqual(violations(graph), []);
});

Deno.test("architecture: the rules catch the old layout's back-edges, cycles and loose files", () => {
  const found = violations(old.edges);
  for (
    const expected of [
      /analysis → jupyter is against the arrows: lib\/analysis\/regression\.ts/,
      /api → jupyter is against the arrows: lib\/api\/qtl\.ts/,
      /plot → api is against the arrows: lib\/plot\/xqtl_overview\.ts/,
      /offline → api is against the arrows: lib\/offline\/twin\.ts → lib\/api\/json\.ts/,
      /analysis → api is against the arrows/,
      /loose file at lib\/ top level: lib\/cli\.ts/,
      /import cycle: .*lib\/analysis\/(hclust|olo)\.ts.*lib\/analysis\/(hclust|olo)\.ts/,
      /import cycle: .*lib\/cli\/(commands|figures)\.ts.*lib\/cli\/(commands|figures)\.ts/,
    ]
  ) assert.ok(found.some((line) => expected.test(line)), `${expected} in:\n${found.join("\n")}`);
});

const v02 = JSON.parse(
  await Deno.readTextFile(new URL("./reference/architecture/v02_graph.json", import.meta.url)),
) as { commit: string; edges: Edge[] };

Deno.test("architecture: the rules catch v0.2's api → release edge and its twin reached from the client", () => {
  const found = violations(v02.edges);
  for (
    const expected of [
      /api → release is against the arrows: lib\/api\/effects_across_tissues\.ts → lib\/release\/release\.ts/,
      /api → offline only by a dynamic import from lib\/api\/_source\.ts: lib\/api\/client\.ts → lib\/offline\/twin\.ts/,
    ]
  ) assert.ok(found.some((line) => expected.test(line)), `${expected} in:\n${found.join("\n")}`);
});

Deno.test("architecture: inner walls — regression and clustering import neither; genetics may use regression", () => {
  const e = (from: string, to: string): Edge => ({ from, to, typeOnly: false, dynamic: false });
  assert.deepEqual(violations([e("lib/analysis/clustering/pdist.ts", "lib/analysis/regression/transforms.ts")]), [
    "analysis/clustering → analysis/regression is against the inner walls: lib/analysis/clustering/pdist.ts → lib/analysis/regression/transforms.ts",
  ]);
  assert.deepEqual(violations([e("lib/analysis/genetics/ld.ts", "lib/analysis/regression/distributions.ts")]), []);
  assert.deepEqual(violations([e("lib/analysis/genetics/ld.ts", "lib/analysis/regression/_ols.ts")]), [
    "lib/analysis/genetics/ld.ts imports lib/analysis/regression/_ols.ts, private to analysis/regression",
  ]);
});

Deno.test("architecture: a private file used from another room, and a cycle, are each caught", () => {
  const e = (from: string, to: string): Edge => ({ from, to, typeOnly: false, dynamic: false });
  assert.deepEqual(violations([e("lib/jupyter/display.ts", "lib/plot/_dom.ts")]), [
    "lib/jupyter/display.ts imports lib/plot/_dom.ts, private to plot",
  ]);
  assert.deepEqual(fileCycles([e("a.ts", "b.ts"), e("b.ts", "c.ts"), e("c.ts", "a.ts"), e("c.ts", "d.ts")]), [
    ["a.ts", "b.ts", "c.ts"],
  ]);
  assert.deepEqual(violations([e("lib/_core/errors.ts", "lib/api/client.ts")]), [
    "_core → api is against the arrows: lib/_core/errors.ts → lib/api/client.ts",
  ]);
});

Deno.test("architecture: the CLI loads Plot and linkedom only for figures (the old layout loaded both)", () => {
  const figureCode = (edges: Edge[], entry: string) =>
    [...staticClosure(edges, entry)].filter((f) => /npm:(@observablehq\/plot|linkedom)/.test(f)).sort();
  assert.deepEqual(figureCode(graph, "lib/cli/main.ts"), []);
  assert.deepEqual(figureCode(old.edges, "lib/cli.ts"), ["npm:@observablehq/plot", "npm:linkedom"]);
  // Importing the plain regression loads no figure code either (it loaded both before).
  assert.deepEqual(figureCode(graph, "lib/analysis/mod.ts"), []);
  assert.deepEqual(figureCode(old.edges, "lib/analysis/regression.ts"), ["npm:@observablehq/plot", "npm:linkedom"]);
});
