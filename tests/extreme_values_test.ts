/**
 * Extreme numbers: the regression on values near the float limits computes correctly (scaled first, by a
 * power of two) — never a NaN without a `reason` — on every path: one pair, a batch, with covariates.
 * Tolerance: 1e-12 relative against the same data at scale 1 (the scaling by a power of two is exact; the
 * sums differ only by rounding).
 */
import assert from "node:assert/strict";
import { regressEqtl, regressEqtls } from "ratgtex/analysis";

const genotypes = [0, 0, 1, 1, 2, 2, 0, 1, 2, 1, 0, 2];
const base = [1, 2, 4, 5, 8, 9, 1.5, 4.2, 8.8, 5.1, 0.7, 9.4];
const covariates = {
  names: ["c1", "c2"],
  values: [[0.3, 1.2, -0.5, 0.1, 0.9, -1.1, 0.4, 0.2, -0.3, 0.6, -0.7, 0.05], [
    1,
    -1,
    0.5,
    0.25,
    -0.5,
    1.5,
    -2,
    0.1,
    0.3,
    -0.2,
    0.8,
    -0.9,
  ]],
};
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b), `${what}: ${a} vs ${b}`);

Deno.test("extreme values: slope and SE scale with the data, t and p do not, on every path", () => {
  const ref = {
    plain: regressEqtl({ data: base, genotypes }, { transform: "none" }),
    cov: regressEqtl({ data: base, genotypes }, { transform: "none", covariates }),
  };
  for (const k of [1e-300, 1e-200, 1e-150, 1e150, 1e200, 1e300, 1e307]) {
    const data = base.map((v) => v * k);
    const plain = regressEqtl({ data, genotypes }, { transform: "none" });
    const cov = regressEqtl({ data, genotypes }, { transform: "none", covariates });
    const [batch] = regressEqtls([{ data, genotypes }], { transform: "none" }).toRecords() as {
      nes: number;
      error: number;
      pValue: number;
      reason: string | null;
    }[];
    for (const [name, fit, r] of [["plain", plain, ref.plain], ["covariates", cov, ref.cov]] as const) {
      assert.equal(fit.reason, null, `${name} at ${k}`);
      close(fit.nes / k, r.nes, `${name} slope at ${k}`);
      close(fit.error / k, r.error, `${name} SE at ${k}`);
      close(fit.pValue, r.pValue, `${name} p at ${k}`);
    }
    assert.equal(batch.reason, null, `batch at ${k}`);
    close(batch.nes / k, ref.plain.nes, `batch slope at ${k}`);
    close(batch.pValue, ref.plain.pValue, `batch p at ${k}`);
  }
});

Deno.test("extreme values: a NaN always comes with a reason; values beyond the float range are refused", () => {
  for (let e = -320; e <= 308; e += 4) {
    for (const transform of ["none", "log2", "int"] as const) {
      const data = base.map((v) => v * 10 ** e);
      if (!data.every(Number.isFinite)) {
        assert.throws(() => regressEqtl({ data, genotypes }, { transform }), /expression/);
        continue;
      }
      const fit = regressEqtl({ data, genotypes }, { transform });
      if (!Number.isFinite(fit.pValue)) assert.ok(fit.reason, `1e${e} ${transform}: NaN without a reason`);
      else assert.ok(Number.isFinite(fit.nes) && Number.isFinite(fit.error), `1e${e} ${transform}`);
    }
  }
});
