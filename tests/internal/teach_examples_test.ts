/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `lib/teach/` carried.
 * No entry point exports these names, so their documentation keeps the prose and the checks live here
 * (the public surface's own examples import from the entry points and run as doc tests).
 *
 * @module
 */
import assert from "node:assert/strict";
import { createClient, dyneqtl } from "ratgtex";
import { regressEqtl } from "ratgtex/analysis";
import { checkApiPValue } from "../../lib/teach/api_p_value.ts";
import { EXERCISE_DATA } from "ratgtex/teach";
import { numericFeedback } from "../../lib/teach/numeric.ts";
import {
  agrees,
  agreesCoarser,
  describePrecision,
  digitsGiven,
  rounded,
  tolerance,
} from "../../lib/teach/precision.ts";

Deno.test("lib/teach/api_p_value.ts: checkApiPValue", async () => {
  const client = createClient({ source: "offline" });
  const dyn = await dyneqtl(EXERCISE_DATA.eqtlPair, { client });
  const naiveLog2 = regressEqtl(dyn, { transform: "log2" }).pValue;
  assert.match((await checkApiPValue(naiveLog2, client)).message, /not added the covariates/);
  assert.ok((await checkApiPValue(dyn.pValue!, client)).correct);
});

Deno.test("lib/teach/numeric.ts: numericFeedback", () => {
  const base = {
    exercise: "treeAgreement",
    expected: 0.98229,
    precision: { kind: "decimals", digits: 3 },
    slips: [],
    hint: "h",
    right: (shown: string) => `r = ${shown}`,
  } as const;
  assert.equal(numericFeedback({ ...base, answer: 0.9822858878041334 }).message, "r = 0.982");
  assert.match(numericFeedback({ ...base, answer: 0.98 }).message, /agrees to 2 decimals.*asks for 3 decimals/);
  assert.match(numericFeedback({ ...base, answer: 0.983 }).message, /Close, but off.*too high/);
});

Deno.test("lib/teach/precision.ts: tolerance", () => {
  assert.equal(tolerance(0.98229, { kind: "decimals", digits: 3 }), 0.0005);
  assert.ok(Math.abs(tolerance(0.5084, { kind: "significant", digits: 3 }) - 0.0005) < 1e-15);
});

Deno.test("lib/teach/precision.ts: agrees", () => {
  const p = { kind: "decimals", digits: 3 } as const;
  assert.ok(agrees(0.982, 0.98229, p));
  assert.ok(!agrees(0.983, 0.98229, p)); // 0.00071 above
  assert.ok(!agrees(0.98, 0.98229, p)); // 2 decimals are not 3
});

Deno.test("lib/teach/precision.ts: agreesCoarser", () => {
  assert.deepEqual(agreesCoarser(0.98, 0.98229, { kind: "decimals", digits: 3 }), { kind: "decimals", digits: 2 });
  assert.equal(agreesCoarser(0.5, 0.98229, { kind: "decimals", digits: 3 }), null);
});

Deno.test("lib/teach/precision.ts: rounded", () => {
  assert.equal(rounded(0.9822858878041334, { kind: "decimals", digits: 3 }), "0.982");
  assert.equal(rounded(0.50843, { kind: "significant", digits: 3 }), "0.508");
});

Deno.test("lib/teach/precision.ts: describePrecision", () => {
  assert.equal(describePrecision({ kind: "significant", digits: 1 }), "1 significant digit");
});

Deno.test("lib/teach/precision.ts: digitsGiven", () => {
  assert.equal(digitsGiven(0.98, "decimals"), 2);
  assert.equal(digitsGiven(0.5084, "significant"), 4);
  assert.equal(digitsGiven(2.5e-7, "significant"), 2);
});
