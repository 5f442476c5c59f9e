/**
 * The offline universe is reproducible: regenerating it gives the committed files byte for byte, and it
 * holds what the issue promises (real tissues, the worked example, chrM genes, a multi-allelic site, NaN).
 */
import assert from "node:assert/strict";
import { generateUniverse, WORKED } from "../fixtures/generate.ts";
import { loadUniverse } from "../lib/offline/mod.ts";

const dir = new URL("../fixtures/universe/", import.meta.url);

Deno.test("regenerating the universe is byte-identical to the committed files", async () => {
  const files = generateUniverse();
  const committed: string[] = [];
  const walk = async (sub: string) => {
    for await (const e of Deno.readDir(new URL(sub, dir))) {
      if (e.isDirectory) await walk(`${sub}${e.name}/`);
      else committed.push(`${sub}${e.name}`);
    }
  };
  await walk("");
  assert.deepEqual(files.map((f) => f.path).sort(), committed.sort());
  for (const f of files) {
    const onDisk = await Deno.readTextFile(new URL(f.path, dir));
    assert.ok(onDisk === f.text, `${f.path} differs from a fresh generation`);
  }
});

Deno.test("the universe has what the twin needs", async () => {
  const u = await loadUniverse();
  assert.equal(u.tissues.length, 13);
  assert.ok(u.genes.size >= 60);
  for (const g of ["Cd300lf", "Eno1", "Polr3k", "Rtel1", "LOC120093067"]) assert.ok(u.genes.has(g), g);
  assert.ok([...u.genes.values()].filter((g) => g.chromosome === "chrM").length >= 3);
  assert.ok([...u.variants.values()].some((v) => v.alt.includes(",")), "a multi-allelic site");
  assert.ok([...u.eqtls.values()].flat().some((r) => Number.isNaN(r.log2aFC)), "a missing log2aFC");
  // A gene expressed in only a few tissues.
  assert.ok([...u.genes.values()].some((g) => {
    const n = g.status.filter((s) => s.expressed).length;
    return n > 0 && n <= 3;
  }));
  // The worked example's genotypes among IL's samples.
  const v = u.variants.get(WORKED.variantId)!;
  const calls = u.samples.get("IL")!.map((r) => v.dosages[r]);
  assert.deepEqual([0, 1, 2].map((d) => calls.filter((c) => c === d).length), [27, 35, 16]);
  assert.equal(u.nominal.get("IL|Cd300lf")!.get(WORKED.variantId), WORKED.pValue);
  // Under about 10 MB on disk.
  let bytes = 0;
  const walk = async (d: URL) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(new URL(`${e.name}/`, d));
      else bytes += (await Deno.stat(new URL(e.name, d))).size;
    }
  };
  await walk(dir);
  assert.ok(bytes < 10_000_000, `${bytes} bytes`);
});
