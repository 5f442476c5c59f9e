/**
 * regressEqtl / regressMany / transforms against committed references
 * (tests/reference/regression/reference.json, made by make_reference.py beside it: the regression
 * solved in 60-digit mpmath on numpy/scipy-transformed values, statsmodels OLS and R lm() recorded
 * and cross-checked there; the int transform from scipy.stats.rankdata + scipy.special.ndtri).
 *
 * Tolerances: relative ≤ 1e-12 for nes, error, tStatistic, intercept, r2; ≤ 1e-10 for pValue;
 * ≤ 1e-12·max(1, |want|) for per-dosage means/medians; int transform ≤ 1e-15·max(1, |z|).
 *
 * Imports internal modules by design (it tests them directly, below the entry points):
 * `lib/analysis/regression/transforms.ts`.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  type EqtlInput,
  type EqtlRegression,
  RECOMPUTED_PVALUE_NOTE,
  regressEqtl,
  regressEqtls,
  RegressionInputError,
  regressMany,
} from "ratgtex/analysis";
import { averageRanks, type ExpressionTransform, transformExpression } from "../lib/analysis/regression/transforms.ts";
import { ValidationError } from "ratgtex";
import { studentTTwoSidedPValue } from "ratgtex/analysis";

interface Expected {
  n: number;
  nes: number;
  error: number;
  tStatistic: number;
  pValue: number;
  intercept: number;
  r2: number;
  counts: [number, number, number];
  means: (number | null)[];
  medians: (number | null)[];
}
interface RegressionCase {
  name: string;
  transform: ExpressionTransform;
  data: number[];
  genotypes: (number | null)[];
  expected: Expected;
}
const reference = JSON.parse(
  Deno.readTextFileSync(
    new URL("./reference/regression/reference.json", import.meta.url),
  ),
) as {
  regression: RegressionCase[];
  intTransform: { values: number[]; expected: number[] }[];
};

function relErr(got: number, want: number): number {
  if (got === want) return 0;
  return Math.abs(got - want) / Math.abs(want);
}

function assertRel(got: number, want: number, tol: number, what: string): void {
  assert.ok(
    relErr(got, want) <= tol,
    `${what}: got ${got}, want ${want} (rel ${relErr(got, want)} > ${tol})`,
  );
}

function assertFit(
  fit: Pick<
    EqtlRegression,
    "n" | "nes" | "error" | "tStatistic" | "pValue" | "intercept" | "r2"
  >,
  c: RegressionCase,
): void {
  const e = c.expected;
  const what = `${c.name}/${c.transform}`;
  assert.equal(fit.n, e.n, `${what} n`);
  assertRel(fit.nes, e.nes, 1e-12, `${what} nes`);
  assertRel(fit.error, e.error, 1e-12, `${what} error`);
  assertRel(fit.tStatistic, e.tStatistic, 1e-12, `${what} tStatistic`);
  assertRel(fit.intercept, e.intercept, 1e-12, `${what} intercept`);
  assertRel(fit.r2, e.r2, 1e-12, `${what} r2`);
  assertRel(fit.pValue, e.pValue, 1e-10, `${what} pValue`);
}

Deno.test("regressEqtl matches the 60-digit references (statsmodels/R cross-checked) for every case and transform", () => {
  assert.ok(reference.regression.length >= 15);
  for (const c of reference.regression) {
    const fit = regressEqtl({ data: c.data, genotypes: c.genotypes }, {
      transform: c.transform,
    });
    assertFit(fit, c);
    assert.deepEqual(fit.counts, c.expected.counts, `${c.name} counts`);
    assert.equal(fit.nMissing, c.data.length - c.expected.n);
    assert.equal(fit.df, c.expected.n - 2);
    assert.equal(fit.reason, null);
    for (let d = 0; d < 3; d++) {
      for (const key of ["means", "medians"] as const) {
        const want = c.expected[key][d];
        const got = fit[key][d];
        if (want === null) {
          assert.ok(Number.isNaN(got), `${c.name} ${key}[${d}]`);
        } else {
          assert.ok(
            Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)),
            `${c.name}/${c.transform} ${key}[${d}]: ${got} vs ${want}`,
          );
        }
      }
    }
  }
});

Deno.test("the far-tail case (df = 500, t ≈ 40) and df = 1, 2, 3 are covered", () => {
  const far = reference.regression.find((c) => c.name === "far_tail")!;
  assert.equal(far.expected.n - 2, 500);
  assert.ok(far.expected.tStatistic > 39 && far.expected.pValue < 1e-150);
  const fit = regressEqtl(far, { transform: "none" });
  assert.ok(fit.pValue > 0);
  for (const name of ["df1", "df2", "df3"]) {
    assert.ok(reference.regression.some((c) => c.name === name));
  }
});

Deno.test("hand-computed 4-sample case", () => {
  // x = [0,1,1,2], y = [1,4,2.5,9]: x̄ = 1, ȳ = 4.125, Sxx = 2, Sxy = 3.125 + 4.875 = 8,
  // slope = 4, intercept = 0.125, Syy = 36.1875, SSE = 36.1875 − 4·8 = 4.1875,
  // se = √(4.1875 / 2 / 2) = √1.046875, r² = 32 / 36.1875, df = 2: p = 1 − |t|/√(t² + 2).
  const fit = regressEqtl({ data: [1, 4, 2.5, 9], genotypes: [0, 1, 1, 2] }, {
    transform: "none",
  });
  assert.equal(fit.nes, 4);
  assert.equal(fit.intercept, 0.125);
  assertRel(fit.error, Math.sqrt(1.046875), 1e-15, "se");
  const t = 4 / Math.sqrt(1.046875);
  assertRel(fit.tStatistic, t, 1e-15, "t");
  assertRel(fit.r2, 32 / 36.1875, 1e-15, "r2");
  // 1 − t/√(t²+2) = 2 / (√(t²+2)·(√(t²+2) + t)), written without cancellation.
  const s = Math.sqrt(t * t + 2);
  assertRel(fit.pValue, 2 / (s * (s + t)), 1e-13, "p");
  assert.deepEqual(fit.counts, [1, 2, 1]);
  assert.deepEqual(fit.means, [1, 3.25, 9]);
  assert.deepEqual(fit.medians, [1, 3.25, 9]);
});

Deno.test("perfectly linear data: r2 = 1, error 0, |t| = Infinity, p = 0", () => {
  const fit = regressEqtl({
    data: [1, 3, 5, 1, 3, 5],
    genotypes: [0, 1, 2, 0, 1, 2],
  }, { transform: "none" });
  assert.equal(fit.nes, 2);
  assert.equal(fit.intercept, 1);
  assert.equal(fit.r2, 1);
  assert.equal(fit.error, 0);
  assert.equal(fit.tStatistic, Infinity);
  assert.equal(fit.pValue, 0);
  assert.equal(fit.reason, null);
  const down = regressEqtl({ data: [5, 3, 1, 5], genotypes: [0, 1, 2, 0] }, {
    transform: "none",
  });
  assert.equal(down.tStatistic, -Infinity);
  assert.equal(down.pValue, 0);
});

Deno.test("degenerate input gives NaN statistics and a reason, not a crash", () => {
  const cases: [EqtlInput, ExpressionTransform, RegExp][] = [
    [{ data: [1, 2], genotypes: [0, 1] }, "none", /fewer than 3/],
    [
      { data: [1, 2, 3, 4], genotypes: [0, null, 1, null] },
      "none",
      /fewer than 3/,
    ],
    [{ data: [], genotypes: [] }, "int", /fewer than 3/],
    [{ data: [1, 2, 3, 4], genotypes: [1, 1, 1, null] }, "none", /same dosage/],
    [{ data: [2, 2, 2, 2], genotypes: [0, 1, 2, 2] }, "log2", /constant/],
    [{ data: [7, 7, 7, 7], genotypes: [0, 1, 2, 2] }, "int", /constant/],
  ];
  for (const [input, transform, reason] of cases) {
    const fit = regressEqtl(input, { transform });
    assert.match(fit.reason ?? "", reason);
    for (
      const key of [
        "nes",
        "error",
        "tStatistic",
        "pValue",
        "intercept",
        "r2",
      ] as const
    ) {
      assert.ok(Number.isNaN(fit[key]), `${key} should be NaN for ${reason}`);
    }
  }
});

Deno.test("constant expression whose mean does not round-trip is still degenerate (every path)", () => {
  // 10 × 0.1 sums to 0.9999999999999999: the centred values are ~1e-17, not 0, so a test of
  // Syy === 0 alone let these through as nes 0, t 0, p 1.
  const genotypes = [0, 0, 0, 1, 1, 1, 2, 2, 2, 1];
  for (const [value, transform] of [[0.1, "none"], [0.7, "log2"], [0.1, "log2"]] as const) {
    const data = new Array(genotypes.length).fill(value);
    const fit = regressEqtl({ data, genotypes }, { transform });
    assert.match(fit.reason ?? "", /constant/, `${value} ${transform}`);
    assert.ok(Number.isNaN(fit.nes) && Number.isNaN(fit.pValue), `${value} ${transform}`);
    const frame = regressEqtls([{ data, genotypes }], { transform });
    assert.match(String(frame.getColumn("reason").toArray()[0]), /constant/);
    const batch = regressMany({
      expression: Float64Array.from(data),
      dosages: Int8Array.from(genotypes),
      nPairs: 1,
      nSamples: genotypes.length,
    }, { transform });
    assert.match(batch.reason[0] ?? "", /constant/);
    assert.ok(Number.isNaN(batch.tStatistic[0]));
  }
  // Tiny but real variation is not mistaken for a constant.
  const fit = regressEqtl({ data: [1, 1, 1 + 2 ** -40, 1 + 2 ** -40], genotypes: [0, 0, 1, 1] }, {
    transform: "none",
  });
  assert.equal(fit.reason, null);
  assert.equal(fit.nes, 2 ** -40);
});

Deno.test("missing genotypes are dropped before the int transform", () => {
  const data = [5, 1, 9, 3, 100, 7, 2, 8, 0.5, 4];
  const genotypes = [0, 0, 1, null, 2, 1, null, 2, 0, 1];
  const kept = genotypes.map((g, i) => [g, data[i]] as const).filter(([g]) => g !== null);
  const withMissing = regressEqtl({ data, genotypes }, { transform: "int" });
  const filtered = regressEqtl({
    data: kept.map(([, v]) => v),
    genotypes: kept.map(([g]) => g),
  }, { transform: "int" });
  assert.equal(withMissing.n, 8);
  assert.equal(withMissing.nMissing, 2);
  assert.equal(withMissing.nes, filtered.nes);
  assert.equal(withMissing.pValue, filtered.pValue);
  // Ranking all 10 samples first would give a different fit.
  const allRanked = transformExpression(data, "int");
  const wrong = regressEqtl({
    data: allRanked.map((z) => z + 10).filter((_, i) => genotypes[i] !== null),
    genotypes: kept.map(([g]) => g),
  }, { transform: "none" });
  assert.notEqual(wrong.nes, withMissing.nes);
});

Deno.test("int transform matches scipy rankdata + ndtri (ties averaged)", () => {
  for (const { values, expected } of reference.intTransform) {
    const got = transformExpression(values, "int");
    assert.equal(got.length, expected.length);
    for (let i = 0; i < got.length; i++) {
      assert.ok(
        Math.abs(got[i] - expected[i]) <=
          1e-15 * Math.max(1, Math.abs(expected[i])),
        `value ${values[i]}: ${got[i]} vs ${expected[i]}`,
      );
    }
  }
  assert.deepEqual(Array.from(averageRanks([10, 30, 20, 20])), [
    1,
    4,
    2.5,
    2.5,
  ]);
  assert.deepEqual(Array.from(transformExpression([0, 1, 3, 7], "log2")), [
    0,
    1,
    2,
    3,
  ]);
  assert.deepEqual(Array.from(transformExpression([0, 1.5], "none")), [0, 1.5]);
  assert.throws(
    () => transformExpression([1], "log10" as ExpressionTransform),
    (e: unknown) =>
      e instanceof ValidationError && e.parameter === "transform" && e.value === "log10" &&
      /"log10"/.test(e.message) && /"none" \(TPM\)/.test(e.message),
  );
  assert.throws(
    () => transformExpression([1, 2], "none", new Float64Array(3)),
    (e: unknown) => e instanceof ValidationError && e.parameter === "out.length" && e.value === 3,
  );
});

Deno.test("bad input throws RegressionInputError naming the parameter, index and value", () => {
  const bad: [EqtlInput, string, number | null, unknown][] = [
    [{ data: [1, NaN, 3], genotypes: [0, 1, 2] }, "data", 1, NaN],
    [{ data: [1, 2, Infinity], genotypes: [0, 1, 2] }, "data", 2, Infinity],
    [{ data: [-0.5, 2, 3], genotypes: [0, 1, 2] }, "data", 0, -0.5],
    [{ data: [1, 2, 3], genotypes: [0, 3, 2] }, "genotypes", 1, 3],
    [{ data: [1, 2, 3], genotypes: [0, 1, 0.5] }, "genotypes", 2, 0.5],
    [{ data: [1, 2, 3], genotypes: [0, NaN, 2] }, "genotypes", 1, NaN],
    [
      { data: [1, 2, 3], genotypes: [0, "1", 2] as unknown as number[] },
      "genotypes",
      1,
      "1",
    ],
    [{ data: [1, 2, 3], genotypes: [0, 1] }, "genotypes.length", null, 2],
  ];
  for (const [input, parameter, index, value] of bad) {
    assert.throws(
      () => regressEqtl(input, { transform: "none" }),
      (e: unknown) => {
        assert.ok(e instanceof RegressionInputError);
        assert.ok(e instanceof ValidationError);
        assert.equal(e.parameter, parameter);
        assert.equal(e.index, index);
        assert.ok(Object.is(e.value, value), `value ${String(e.value)}`);
        const where = index === null ? parameter : `${parameter}[${index}]`;
        assert.ok(
          e.message.startsWith(
            `${where} is ${typeof value === "string" ? `"${value}"` : String(value)}`,
          ),
          e.message,
        );
        return true;
      },
    );
  }
  assert.throws(
    () =>
      regressEqtl({ data: [1], genotypes: [0] }, {
        transform: "ln" as ExpressionTransform,
      }),
    (e: unknown) =>
      e instanceof ValidationError && e.parameter === "options.transform" &&
      /options\.transform/.test(e.message),
  );
  for (const bad of [null, "log2", 3]) {
    assert.throws(
      () => regressEqtl({ data: [1], genotypes: [0] }, bad as unknown as { transform: "none" }),
      (e: unknown) => e instanceof ValidationError && e.parameter === "options",
    );
    assert.throws(
      () =>
        regressMany(
          { expression: new Float64Array(0), dosages: new Int8Array(0), nPairs: 0, nSamples: 0 },
          bad as unknown as { transform: "none" },
        ),
      (e: unknown) => e instanceof ValidationError && e.parameter === "options",
    );
  }
  // Array form names the element of the array.
  assert.throws(
    () =>
      regressEqtls([{ data: [1, 2, 3], genotypes: [0, 1, 2] }, {
        data: [1, -2, 3],
        genotypes: [0, 1, 2],
      }]),
    (e: unknown) =>
      e instanceof RegressionInputError && e.parameter === "input[1].data" &&
      e.index === 1,
  );
});

const DYNEQTL = {
  geneId: "Cd300lf",
  tissueSiteDetailId: "IL",
  variantId: "chr10:100826333",
  ref: "C",
  alt: "T",
  homoRefCount: 2,
  hetCount: 2,
  homoAltCount: 1,
  maf: 0.4,
  pValue: 8.43005e-8,
  pValueThreshold: 0.00172939,
  data: [3.1, 4.5, 6.25, 8.0, 12.5, 2.0],
  genotypes: [0, 0, 1, 1, 2, null],
  samples: pl.DataFrame({ sampleIndex: [0, 1, 2, 3, 4, 5] }),
};

Deno.test("a dyneqtl result carries ids and the API's values under unambiguous names", () => {
  const fit = regressEqtl(DYNEQTL, { transform: "log2" });
  assert.equal(fit.geneId, "Cd300lf");
  assert.equal(fit.tissueSiteDetailId, "IL");
  assert.equal(fit.variantId, "chr10:100826333");
  assert.equal(fit.ref, "C");
  assert.equal(fit.alt, "T");
  assert.equal(fit.apiPValue, 8.43005e-8);
  assert.equal(fit.apiPValueThreshold, 0.00172939);
  assert.notEqual(fit.pValue, fit.apiPValue);
  assert.equal(fit.transform, "log2");
  assert.equal(fit.note, RECOMPUTED_PVALUE_NOTE);
  assert.match(RECOMPUTED_PVALUE_NOTE, /covariates/);
  assert.match(RECOMPUTED_PVALUE_NOTE, /quantile/);
  // Default transform is int.
  assert.equal(regressEqtl(DYNEQTL).transform, "int");
  const plain = regressEqtl({ data: [1, 2, 3], genotypes: [0, 1, 2] });
  assert.equal(plain.geneId, null);
  assert.equal(plain.apiPValue, null);
  assert.equal(plain.apiPValueThreshold, null);
  const untested = regressEqtl({ ...DYNEQTL, pValue: null });
  assert.equal(untested.apiPValue, null);
});

const FRAME_COLUMNS: [string, string][] = [
  ["geneId", "String"],
  ["tissueSiteDetailId", "String"],
  ["variantId", "String"],
  ["transform", "String"],
  ["n", "Int32"],
  ["df", "Int32"],
  ["nes", "Float64"],
  ["error", "Float64"],
  ["tStatistic", "Float64"],
  ["pValue", "Float64"],
  ["intercept", "Float64"],
  ["r2", "Float64"],
  ["homoRefCount", "Int32"],
  ["hetCount", "Int32"],
  ["homoAltCount", "Int32"],
  ["apiPValue", "Float64"],
  ["apiPValueThreshold", "Float64"],
  ["reason", "String"],
];

function rowOf(frame: pl.DataFrame, i: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of frame.columns) row[c] = frame.getColumn(c).toArray()[i];
  return row;
}

Deno.test("an array of inputs gives one frame, one row per pair, documented columns", () => {
  for (const transform of ["none", "log2", "int"] as const) {
    const cases = reference.regression.filter((c) => c.transform === transform);
    const inputs = cases.map((c, k) => ({
      geneId: `G${k}`,
      tissueSiteDetailId: "IL",
      variantId: `chr1:${k + 1}`,
      data: c.data,
      genotypes: c.genotypes,
    }));
    const frame = regressEqtls(inputs, { transform });
    assert.deepEqual(
      frame.columns.map((c) => [c, String(frame.getColumn(c).dtype)]),
      FRAME_COLUMNS.map(([c, t]) => [c, `DataType(${t})`]),
    );
    assert.equal(frame.height, cases.length);
    cases.forEach((c, k) => {
      const row = rowOf(frame, k);
      assert.equal(row.geneId, `G${k}`);
      assert.equal(row.variantId, `chr1:${k + 1}`);
      assert.equal(row.transform, transform);
      assert.equal(row.df, c.expected.n - 2);
      assert.deepEqual(
        [row.homoRefCount, row.hetCount, row.homoAltCount],
        c.expected.counts,
      );
      assert.equal(row.apiPValue, null);
      assert.equal(row.reason, null);
      assertFit(row as unknown as EqtlRegression, c);
    });
  }
  // dyneqtl results: API values carried; degenerate rows get a reason.
  const frame = regressEqtls([DYNEQTL, {
    ...DYNEQTL,
    geneId: "Flat",
    data: [1, 1, 1, 1, 1, 1],
  }]);
  const first = rowOf(frame, 0);
  assert.equal(first.apiPValue, 8.43005e-8);
  assert.equal(first.apiPValueThreshold, 0.00172939);
  const single = regressEqtl(DYNEQTL);
  assert.equal(first.nes, single.nes);
  assert.equal(first.pValue, single.pValue);
  const second = rowOf(frame, 1);
  assert.match(String(second.reason), /constant/);
  assert.ok(Number.isNaN(second.nes as number));
  // Empty array: empty frame with the same columns.
  const empty = regressEqtls([]);
  assert.equal(empty.height, 0);
  assert.deepEqual(empty.columns, FRAME_COLUMNS.map(([c]) => c));
});

Deno.test("a long frame of many pairs gives the same result frame", () => {
  const cases = reference.regression.filter((c) => c.transform === "int");
  const gene: string[] = [];
  const tissue: string[] = [];
  const variant: string[] = [];
  const genotype: (number | null)[] = [];
  const tpm: number[] = [];
  // Interleave pairs' rows to check grouping keeps first-appearance order and row order.
  const longest = Math.max(...cases.map((c) => c.data.length));
  for (let s = 0; s < longest; s++) {
    cases.forEach((c, k) => {
      if (s >= c.data.length) return;
      gene.push(`G${k}`);
      tissue.push("IL");
      variant.push(`chr1:${k + 1}`);
      genotype.push(c.genotypes[s]);
      tpm.push(c.data[s]);
    });
  }
  const long = pl.DataFrame({
    geneId: gene,
    tissueSiteDetailId: tissue,
    variantId: variant,
    genotype: pl.Series("genotype", genotype).cast(pl.Int32),
    tpm,
  });
  const frame = regressEqtls(long, { transform: "int" });
  assert.equal(frame.height, cases.length);
  assert.deepEqual(frame.columns, FRAME_COLUMNS.map(([c]) => c));
  cases.forEach((c, k) => {
    const row = rowOf(frame, k);
    assert.equal(row.geneId, `G${k}`);
    assertFit(row as unknown as EqtlRegression, c);
  });
  assert.throws(
    () => regressEqtls(long.drop("tpm")),
    (e: unknown) => e instanceof RegressionInputError && e.parameter === "tpm",
  );
  const badRow = long.withColumns(
    pl.Series("tpm", tpm.map((v, i) => i === 5 ? -1 : v)),
  );
  assert.throws(
    () => regressEqtls(badRow),
    (e: unknown) =>
      e instanceof RegressionInputError && e.parameter === "tpm" &&
      e.index === 5,
  );
});

Deno.test("regressMany: Float64Array and Int8Array dosages agree with the single-pair path", () => {
  const cases = reference.regression.filter((c) => c.transform === "log2");
  const nSamples = Math.max(...cases.map((c) => c.data.length));
  const nPairs = cases.length;
  const expression = new Float64Array(nPairs * nSamples);
  const asFloat = new Float64Array(nPairs * nSamples).fill(NaN);
  const asInt = new Int8Array(nPairs * nSamples).fill(-1);
  cases.forEach((c, p) => {
    c.data.forEach((v, s) => {
      expression[p * nSamples + s] = v;
      const g = c.genotypes[s];
      if (g !== null) {
        asFloat[p * nSamples + s] = g;
        asInt[p * nSamples + s] = g;
      }
    });
  });
  const a = regressMany({ expression, dosages: asFloat, nPairs, nSamples }, {
    transform: "log2",
  });
  const b = regressMany({ expression, dosages: asInt, nPairs, nSamples }, {
    transform: "log2",
  });
  assert.deepEqual(a, b);
  cases.forEach((c, p) => {
    assertFit({
      n: a.n[p],
      nes: a.nes[p],
      error: a.error[p],
      tStatistic: a.tStatistic[p],
      pValue: a.pValue[p],
      intercept: a.intercept[p],
      r2: a.r2[p],
    }, c);
  });
  const broken = asInt.slice();
  broken[nSamples + 3] = 4;
  assert.throws(
    () => regressMany({ expression, dosages: broken, nPairs, nSamples }),
    (e: unknown) =>
      e instanceof RegressionInputError && e.parameter === "dosages" &&
      e.index === nSamples + 3 && e.value === 4,
  );
  assert.throws(
    () => regressMany({ expression, dosages: asInt.subarray(1), nPairs, nSamples }),
    (e: unknown) => e instanceof RegressionInputError && e.parameter === "dosages.length",
  );
});

Deno.test("p-values in results are the distribution module's, on df = n − 2", () => {
  const c = reference.regression.find((r) => r.name === "il_like")!;
  const fit = regressEqtl(c, { transform: "none" });
  assert.equal(fit.pValue, studentTTwoSidedPValue(fit.tStatistic, fit.n - 2));
});

Deno.test("one result type per name: regressEqtl takes one pair, regressEqtls many", () => {
  const one = { data: [1, 2, 3], genotypes: [0, 1, 2] };
  assert.throws(() => regressEqtl([one] as unknown as EqtlInput), RegressionInputError);
  assert.throws(() => regressEqtls(one as unknown as EqtlInput[]), RegressionInputError);
  assert.equal(
    regressEqtls([one], { transform: "none" }).getColumn("nes").get(0),
    regressEqtl(one, { transform: "none" }).nes,
  );
});
