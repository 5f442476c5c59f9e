/**
 * Student-t p-values and the inverse normal CDF against committed references
 * (tests/reference/regression/reference.json, made by make_reference.py beside it: mpmath at 60 digits,
 * with scipy and R recorded and cross-checked there).
 *
 * Tolerances: two-sided p relative ≤ 1e-10 wherever the true p is a normal double (≥ 2.2e-308),
 * log10 p relative ≤ 1e-12 everywhere (including p that underflows); inverse normal ≤ 1e-15 absolute
 * for 0.075 ≤ p ≤ 0.925 and ≤ 1e-15 relative outside.
 */
import assert from "node:assert/strict";
import {
  normalQuantile,
  studentTCdf,
  studentTSf,
  studentTTwoSidedLogPValue,
  studentTTwoSidedPValue,
} from "ratgtex/analysis";
import { ValidationError } from "ratgtex";

interface TCase {
  t: number;
  df: number;
  p: number;
  log10p: number;
  sf: number;
}
interface QCase {
  p: number;
  z: number;
}
const reference = JSON.parse(
  Deno.readTextFileSync(
    new URL("./reference/regression/reference.json", import.meta.url),
  ),
) as { tDistribution: TCase[]; normalQuantile: QCase[] };

const MIN_NORMAL = 2.2250738585072014e-308;

function relErr(got: number, want: number): number {
  if (got === want) return 0;
  return Math.abs(got - want) / Math.abs(want);
}

Deno.test("two-sided p matches mpmath to 1e-10 relative (normal doubles), incl. df 1-3 and far tails", () => {
  let checked = 0;
  for (const c of reference.tDistribution) {
    if (c.p < MIN_NORMAL) continue;
    const p = studentTTwoSidedPValue(c.t, c.df);
    assert.ok(
      relErr(p, c.p) <= 1e-10,
      `t=${c.t} df=${c.df}: got ${p}, want ${c.p} (rel ${relErr(p, c.p)})`,
    );
    checked++;
  }
  assert.ok(checked > 200, `only ${checked} cases checked`);
  for (const df of [1, 2, 3]) {
    assert.ok(
      reference.tDistribution.filter((c) => c.df === df).length >= 15,
      `df=${df} covered`,
    );
  }
});

Deno.test("t = 40, df = 500 and p near 1e-300 do not underflow", () => {
  const at40 = reference.tDistribution.find((c) => c.t === 40 && c.df === 500)!;
  const p40 = studentTTwoSidedPValue(40, 500);
  assert.ok(p40 > 0 && relErr(p40, at40.p) <= 1e-10, `${p40} vs ${at40.p}`);
  const near300 = reference.tDistribution.find((c) => c.t === 86 && c.df === 500)!;
  assert.ok(near300.p < 1e-300 && near300.p > 1e-305);
  const p86 = studentTTwoSidedPValue(86, 500);
  assert.ok(relErr(p86, near300.p) <= 1e-10, `${p86} vs ${near300.p}`);
  // Subnormal range: still non-zero, and the log form stays exact.
  const sub = reference.tDistribution.find((c) => c.t === 90 && c.df === 500)!;
  assert.ok(sub.p > 0 && sub.p < MIN_NORMAL);
  assert.ok(studentTTwoSidedPValue(90, 500) > 0);
  assert.ok(relErr(studentTTwoSidedPValue(90, 500), sub.p) <= 1e-6); // subnormals carry fewer digits
});

Deno.test("log10 p matches mpmath to 1e-12 relative everywhere, including underflowing p", () => {
  for (const c of reference.tDistribution) {
    const got = studentTTwoSidedLogPValue(c.t, c.df) / Math.LN10;
    if (c.log10p === 0) {
      assert.equal(got, 0);
      continue;
    }
    // Near p = 1 the log is tiny: compare it absolutely there.
    const err = Math.abs(c.log10p) < 1e-3 ? Math.abs(got - c.log10p) : relErr(got, c.log10p);
    assert.ok(
      err <= 1e-12,
      `t=${c.t} df=${c.df}: log10p ${got} vs ${c.log10p} (${err})`,
    );
  }
});

Deno.test("sf and cdf handle the sign of t (1e-10 relative)", () => {
  for (const c of reference.tDistribution) {
    if (c.sf < MIN_NORMAL) continue;
    const sf = studentTSf(c.t, c.df);
    assert.ok(
      relErr(sf, c.sf) <= 1e-10,
      `sf t=${c.t} df=${c.df}: ${sf} vs ${c.sf}`,
    );
    const cdf = studentTCdf(-c.t, c.df);
    assert.ok(
      relErr(cdf, c.sf) <= 1e-10,
      `cdf(-t) t=${c.t} df=${c.df}: ${cdf} vs ${c.sf}`,
    );
  }
});

Deno.test("hand-derivable t values: Cauchy (df 1) and df 2", () => {
  // df = 1: P(|T| > 1) = 1 − (2/π)·atan(1) = 1/2.
  assert.ok(Math.abs(studentTTwoSidedPValue(1, 1) - 0.5) <= 1e-15);
  assert.ok(Math.abs(studentTSf(1, 1) - 0.25) <= 1e-15);
  // df = 2: P(|T| > t) = 1 − t/√(t²+2); t = √2 gives 1 − 1/√2.
  assert.ok(
    relErr(studentTTwoSidedPValue(Math.SQRT2, 2), 1 - Math.SQRT1_2) <= 1e-14,
  );
  assert.equal(studentTTwoSidedPValue(0, 7), 1);
  assert.equal(studentTTwoSidedPValue(Infinity, 7), 0);
  assert.ok(Number.isNaN(studentTTwoSidedPValue(NaN, 7)));
});

Deno.test("t functions reject a bad df or t with a ValidationError naming it", () => {
  for (const df of [0, -1, NaN, Infinity]) {
    for (const fn of [studentTTwoSidedPValue, studentTTwoSidedLogPValue, studentTSf, studentTCdf]) {
      assert.throws(() => fn(1, df), (e: unknown) => {
        return e instanceof ValidationError && e.parameter === "df" && Object.is(e.value, df) &&
          /\bdf\b/.test(e.message) && e.message.includes(String(df));
      });
    }
  }
  assert.throws(
    () => studentTCdf("2" as unknown as number, 3),
    (e: unknown) => e instanceof ValidationError && e.parameter === "t" && e.value === "2",
  );
});

Deno.test("inverse normal vs mpmath: 1e-15 absolute central, 1e-15 relative in the tails", () => {
  for (const c of reference.normalQuantile) {
    const z = normalQuantile(c.p);
    if (c.p >= 0.075 && c.p <= 0.925) {
      assert.ok(
        Math.abs(z - c.z) <= 1e-15,
        `p=${c.p}: ${z} vs ${c.z} (abs ${Math.abs(z - c.z)})`,
      );
    } else {
      assert.ok(
        relErr(z, c.z) <= 1e-15,
        `p=${c.p}: ${z} vs ${c.z} (rel ${relErr(z, c.z)})`,
      );
    }
  }
  assert.ok(reference.normalQuantile.some((c) => c.p === 1e-300));
});

Deno.test("inverse normal: ends, symmetry and bad input", () => {
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.equal(normalQuantile(0.5), 0);
  for (const p of [2 ** -40, 2 ** -20, 0.0625, 0.25, 0.375]) {
    assert.equal(normalQuantile(p), -normalQuantile(1 - p));
  }
  for (const p of [-0.1, 1.5, NaN]) {
    assert.throws(
      () => normalQuantile(p),
      (e: unknown) =>
        e instanceof ValidationError && e.parameter === "p" && Object.is(e.value, p) &&
        e.message.includes(String(p)),
    );
  }
});
