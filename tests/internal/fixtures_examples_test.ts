/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `fixtures/` carried.
 * No entry point exports these names, so their documentation keeps the prose and the checks live here
 * (the public surface's own examples import from the entry points and run as doc tests). The generator itself
 * runs once, in `tests/e2e/fixtures_test.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { geneTableHeader } from "../../fixtures/release_write.ts";

Deno.test("fixtures/release_write.ts: geneTableHeader", () => {
  assert.deepEqual(geneTableHeader(["IL"]).slice(-3), ["expr_IL", "testedEqtl_IL", "eqtl_IL"]);
});
