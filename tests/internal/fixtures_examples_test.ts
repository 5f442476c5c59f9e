/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `fixtures/` carried.
 * No entry point exports these names, so their documentation keeps the prose and the checks live here
 * (the public surface's own examples import from the entry points and run as doc tests).
 *
 * @module
 */
import assert from "node:assert/strict";
import { generateRelease, writeRelease } from "../../fixtures/generate.ts";
import { geneTableHeader } from "../../fixtures/release_write.ts";

Deno.test("fixtures/generate.ts: generateRelease", () => {
  const files = generateRelease();
  assert.ok(files.some((f) => f.path === "v4/tissue_info.v4.tsv"));
});

Deno.test("fixtures/generate.ts: writeRelease", async () => {
  const dir = await Deno.makeTempDir();
  await writeRelease(`${dir}/data`);
  assert.ok((await Deno.stat(`${dir}/data/v4/gene.v4.tsv`)).isFile);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("fixtures/release_write.ts: geneTableHeader", () => {
  assert.deepEqual(geneTableHeader(["IL"]).slice(-3), ["expr_IL", "testedEqtl_IL", "eqtl_IL"]);
});
