/**
 * Untested and unknown, said: a pair RatGTEx never tested gets a `reason` and one warning (its API p-value is
 * null for that reason); an unknown variant is named with the assembly note (v4 is GRCr8, rn8), and a batch
 * of positions mostly absent reads as a likely assembly mismatch (rn7/rn6); `dyneqtl`'s 404 says the same.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { regressEqtl, regressEqtls } from "ratgtex/analysis";

const client = rg.createClient({ source: "offline", progress: false });

/** Run `fn`, capturing what it warns. */
async function warned<T>(fn: () => Promise<T> | T): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void warnings.push(a.join(" "));
  try {
    return { value: await fn(), warnings };
  } finally {
    console.warn = warn;
  }
}

Deno.test("untested: a variant on another chromosome gets a reason and one warning; its apiPValue is null", async () => {
  const dyn = await rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr8:18366666" }, { client });
  assert.equal(dyn.pValue, null, "never tested: no nominal p-value");
  const { value: fit, warnings } = await warned(() => regressEqtl(dyn));
  assert.ok(Number.isFinite(fit.pValue), "the regression is computed");
  assert.equal(fit.apiPValue, null);
  assert.match(fit.reason!, /not tested by RatGTEx: chr8:18366666 and Cd300lf in IL/);
  assert.match(fit.reason!, /not a cis-eQTL test/);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /regressEqtl: 1 pair was never tested by RatGTEx \(Cd300lf\/IL\/chr8:18366666\)/);
});

Deno.test("untested: in a batch, only the untested pair has the reason, and one warning counts them", async () => {
  const tested = await rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, {
    client,
  });
  const untested = await rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr8:18366666" }, {
    client,
  });
  const { value: frame, warnings } = await warned(() => regressEqtls([tested, untested, untested]));
  const reasons = frame.getColumn("reason").toArray() as (string | null)[];
  assert.equal(reasons[0], null);
  assert.match(reasons[1]!, /not tested by RatGTEx/);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /2 pairs were never tested/);
});

Deno.test("unknown variants: named with the assembly note; mostly absent positions read as an assembly mismatch", async () => {
  const one = await warned(() => rg.variant(["chr10:100826333", "chr10:105000000"], { client }));
  assert.equal(one.value.height, 1);
  assert.equal(one.warnings.length, 1);
  assert.match(one.warnings[0], /1 of 2 variants are not in RatGTEx \(chr10:105000000\)/);
  assert.match(one.warnings[0], /GRCr8 \(rn8\)/);
  assert.doesNotMatch(one.warnings[0], /assembly mismatch/);
  // Ten positions, one real: a likely assembly mismatch, rn7 and rn6 named.
  const ids = ["chr10:100826333", ...Array.from({ length: 9 }, (_, i) => `chr10:${105_000_000 + i}`)];
  const many = await warned(() => rg.variant(ids, { client }));
  assert.equal(many.value.height, 1);
  assert.match(many.warnings[0], /Only 1 of 10 found: a likely assembly mismatch/);
  assert.match(many.warnings[0], /rn7 \(mRatBN7\.2\) or rn6 \(Rnor_6\.0\)/);
  // All found: silent.
  assert.deepEqual((await warned(() => rg.variant(["chr10:100826333"], { client }))).warnings, []);
});

Deno.test("unknown variants: dyneqtl's 404 names the assembly", async () => {
  const e = await rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:105000000" }, { client })
    .catch((e) => e);
  assert.ok(e instanceof rg.NotFoundError, String(e));
  assert.match(e.message, /GRCr8 \(rn8\)/);
});
