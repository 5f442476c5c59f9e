/**
 * Storey's q-values against Bioconductor qvalue 2.30 (Debian r-bioc-qvalue), run on deterministic synthetic
 * p-value vectors by tests/reference/perm/make_qvalue_reference.R (re-run: `Rscript` on that file).
 *
 * Tolerance: q-values and pi0 EQUAL to R's, bit for bit (R's numbers written with 17 significant digits,
 * which round-trip doubles), for λ = 0.85 (RatGTEx's), λ = 0.5, λ = 0, a given pi0, an FDR level, ties,
 * p = 0 and 1, subnormal p, m = 2…3,000, and the one place R's long-double mean() rounds differently
 * from k/m. pfdr = TRUE uses C's pow(), whose last bit V8's Math.pow may not share: within 1e-15 relative.
 * Errors where R errors (no p ≥ λ); for m = 1 R stops in its local-FDR step and we return pi0·p.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/errors.ts`,
 * `lib/analysis/regression/_r_mean.ts`, `lib/analysis/regression/qvalue.ts`.
 */
import assert from "node:assert/strict";
import { qvalue } from "../lib/analysis/regression/qvalue.ts";
import { longDoubleRatio } from "../lib/analysis/regression/_r_mean.ts";
import { ValidationError } from "../lib/_core/errors.ts";

interface RCase {
  name: string;
  p: string;
  lambda: number | Record<string, never>;
  pfdr: boolean;
  fdr_level: number | null;
  pi0_given: number | null;
  error?: string;
  qvalues?: (string | null)[];
  pi0?: string;
  pi0_lambda?: string | null;
  significant?: boolean[];
}
const ref = JSON.parse(
  Deno.readTextFileSync(new URL("./reference/perm/qvalue_reference.json", import.meta.url)),
) as { pvalues: Record<string, (string | null)[]>; cases: RCase[] };

const num = (s: string | null) => (s === null ? NaN : Number(s));

for (const c of ref.cases) {
  Deno.test(`qvalue = R qvalue: ${c.name}`, () => {
    const p = ref.pvalues[c.p].map(num);
    const options = {
      ...(typeof c.lambda === "number" ? { lambda: c.lambda } : {}), // R wrote lambda = NULL as {}
      ...(c.pi0_given !== null ? { pi0: c.pi0_given } : {}),
      ...(c.fdr_level !== null ? { fdrLevel: c.fdr_level } : {}),
      pfdr: c.pfdr,
    };
    if (c.error !== undefined) {
      if (c.name === "m1") {
        // R fails computing local FDRs; the q-value is pi0·p.
        const r = qvalue(p, options);
        assert.equal(r.qvalues[0], p[0]);
        return;
      }
      assert.throws(() => qvalue(p, options), (e) => e instanceof ValidationError && /pi0 <= 0/.test(e.message));
      return;
    }
    const r = qvalue(p, options);
    assert.equal(r.pi0, num(c.pi0 as string), "pi0");
    if (c.pi0_lambda !== null && c.pi0_lambda !== undefined) assert.equal(r.pi0Lambda, num(c.pi0_lambda));
    const want = (c.qvalues as (string | null)[]).map(num);
    assert.equal(r.qvalues.length, want.length);
    let differing = 0;
    want.forEach((w, i) => {
      const g = r.qvalues[i];
      if (Number.isNaN(w)) return assert.ok(Number.isNaN(g), `q[${i}] should be NaN`);
      if (c.pfdr) return assert.ok(Math.abs(g - w) <= 1e-15 * w, `q[${i}]: ${g} vs R ${w}`);
      if (g !== w) differing++;
    });
    assert.equal(differing, 0, `${differing} q-values differ from R's`);
    if (c.significant) assert.deepEqual(r.significant, c.significant);
  });
}

Deno.test("R's long-double mean(): 115/2051 rounds up where the double quotient rounds down", () => {
  assert.notEqual(longDoubleRatio(115, 2051), 115 / 2051);
  assert.equal(longDoubleRatio(115, 2051), 115 / 2051 + 2 ** -57); // one ulp (the quotient is in [2^-5, 2^-4))
  assert.equal(longDoubleRatio(1, 3), 1 / 3);
  assert.equal(longDoubleRatio(7, 7), 1);
  assert.equal(longDoubleRatio(0, 9), 0);
});

Deno.test("qvalue rejects what R rejects, with typed errors", () => {
  assert.throws(() => qvalue([0.1, 1.2]), /pValues\[1\]/);
  assert.throws(() => qvalue([0.1, -0.1]), ValidationError);
  assert.throws(() => qvalue([0.5], { lambda: 1 }), /λ must be/);
  assert.throws(() => qvalue([0.5], { pi0: 0 }), /pi0/);
  assert.throws(() => qvalue([NaN, NaN]), /no p-values/);
});
