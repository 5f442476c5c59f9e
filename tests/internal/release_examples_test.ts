/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `lib/release/` carried.
 * No entry point exports these names, so their documentation keeps the prose and the checks live here
 * (the public surface's own examples import from the entry points and run as doc tests).
 *
 * @module
 */
import assert from "node:assert/strict";
import { floatTokenRepr, pandasFloat } from "../../lib/release/_table.ts";
import { BUNDLED_RELEASE, ReleaseFolder } from "../../lib/release/folder.ts";

Deno.test("lib/release/_table.ts: pandasFloat", () => {
  assert.equal(pandasFloat("2.98572e-27"), 2.9857199999999998e-27);
  assert.equal(pandasFloat("0.00172939"), 0.00172939);
});

Deno.test("lib/release/_table.ts: floatTokenRepr", () => {
  assert.deepEqual(["12.3400", "0", "007", "0.5", "1e-05", "NA"].map(floatTokenRepr), [
    "12.34",
    "0.0",
    "7.0",
    "0.5",
    "1e-05",
    "NaN",
  ]);
});

Deno.test("lib/release/folder.ts: open", async () => {
  const folder = ReleaseFolder.open(BUNDLED_RELEASE);
  assert.equal((await folder.tissueInfo()).rows.length, 13);
});
