/**
 * Per-route columns have one source, the frame specs in lib/api/columns.ts: every route's JSDoc
 * "Columns:" list names the same columns in the same order, and the frames the routes build have them.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/api/columns.ts`.
 */
import assert from "node:assert/strict";
import { FRAME_COLUMNS, frameColumns, type FrameRoute } from "../lib/api/columns.ts";
import * as rg from "ratgtex";

/** The file that defines each function with a "Columns:" list. */
const SOURCES: Record<string, string> = {
  tissueInfo: "reference.ts",
  gene: "reference.ts",
  geneStatus: "reference.ts",
  exon: "reference.ts",
  variant: "reference.ts",
  geneExpression: "expression.ts",
  topExpressedGene: "expression.ts",
  singleTissueEqtl: "qtl.ts",
  eqtl: "qtl.ts",
  xqtl: "qtl.ts",
};

/** The JSDoc block just before `export function name(` (the first overload). */
function jsdocOf(source: string, name: string): string {
  const at = source.search(new RegExp(`\\nexport (async )?function ${name}\\(`));
  assert.ok(at >= 0, `no function ${name}`);
  const end = source.lastIndexOf("*/", at);
  const start = source.lastIndexOf("/**", end);
  return source.slice(start, end).replace(/^\s*\* ?/gm, "");
}

/** The column names of a "Columns:" paragraph: each backticked name followed by its type in parentheses. */
function documentedColumns(doc: string): string[] {
  const m = /Columns:([\s\S]*?)(\n\s*\n|@|$)/.exec(doc);
  assert.ok(m, "no Columns: paragraph");
  return [...m[1].matchAll(/`([A-Za-z0-9_]+)`\s*(?:\(|and\b)/g)].map((x) => x[1]);
}

Deno.test("every route's JSDoc column list is its frame spec, in order", async () => {
  const files = new Map<string, string>();
  for (const [name, file] of Object.entries(SOURCES)) {
    if (!files.has(file)) files.set(file, await Deno.readTextFile(new URL(`../lib/api/${file}`, import.meta.url)));
    const documented = documentedColumns(jsdocOf(files.get(file)!, name));
    assert.deepEqual(documented, frameColumns(name as FrameRoute), `${name}: JSDoc columns vs the frame spec`);
  }
  // Every frame spec with a Columns: paragraph is checked above; the others are documented inside a result.
  for (const route of Object.keys(FRAME_COLUMNS)) {
    if (!(route in SOURCES)) assert.ok(["medianGeneExpression", "dyneqtl"].includes(route), route);
  }
});

Deno.test("the frames the routes return have the spec's columns", async () => {
  const client = rg.createClient({ source: "offline" });
  const o = { client };
  const frames: [FrameRoute, string[]][] = [
    ["tissueInfo", (await rg.tissueInfo({}, o)).columns],
    ["gene", (await rg.gene("Cd300lf", o)).columns],
    ["geneStatus", (await rg.geneStatus("Cd300lf", o)).columns],
    ["exon", (await rg.exon("Cd300lf", o)).columns],
    ["variant", (await rg.variant("chr10:100826333", o)).columns],
    ["geneExpression", (await rg.geneExpression("Cd300lf", o)).columns],
    ["medianGeneExpression", (await rg.medianGeneExpression(["Eno1", "Rtel1"], o)).long.columns],
    ["topExpressedGene", (await rg.topExpressedGene("IL", o)).columns],
    ["singleTissueEqtl", (await rg.singleTissueEqtl("Cd300lf", o)).columns],
    ["eqtl", (await rg.eqtl("Cd300lf", o)).columns],
    ["xqtl", (await rg.xqtl("Cd300lf", o)).columns],
    [
      "dyneqtl",
      (await rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, o)).samples
        .columns,
    ],
  ];
  for (const [route, columns] of frames) assert.deepEqual(columns, frameColumns(route), route);
  assert.deepEqual(frames.map(([r]) => r).toSorted(), Object.keys(FRAME_COLUMNS).toSorted());
});
