/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `lib/analysis/` carried.
 * No entry point exports these names, so their documentation keeps the prose and the checks live here
 * (the public surface's own examples import from the entry points and run as doc tests).
 *
 * @module
 */
import assert from "node:assert/strict";
import { numpySum } from "../../lib/analysis/_numpy_sum.ts";
import { transformMatrix } from "../../lib/analysis/clustering/cluster_medians.ts";
import { serverChildOrder } from "../../lib/analysis/clustering/linkage.ts";
import { averageRanks, checkExpressionTransform } from "../../lib/analysis/regression/transforms.ts";
import { ValidationError } from "ratgtex";

Deno.test("lib/analysis/_numpy_sum.ts: numpySum", () => {
  assert.equal(numpySum([0.1, 0.2, 0.3], 0, 3), 0.6000000000000001);
});

Deno.test("lib/analysis/clustering/cluster_medians.ts: transformMatrix", () => {
  const z = transformMatrix([[1, 3], [2, 2]], "zscore");
  assert.deepEqual(z.map((row) => row.map((v) => v.toFixed(4))), [["-0.7071", "0.7071"], ["0.0000", "0.0000"]]);
});

Deno.test("lib/analysis/clustering/linkage.ts: serverChildOrder", () => {
  assert.deepEqual(serverChildOrder(["left", "right"]), ["right", "left"]);
});

Deno.test("lib/analysis/regression/transforms.ts: checkExpressionTransform", () => {
  assert.equal(checkExpressionTransform("log2"), "log2");
  assert.throws(() => checkExpressionTransform("log10"), ValidationError);
});

Deno.test("lib/analysis/regression/transforms.ts: averageRanks", () => {
  assert.deepEqual(Array.from(averageRanks([10, 30, 20, 20])), [1, 4, 2.5, 2.5]);
});
