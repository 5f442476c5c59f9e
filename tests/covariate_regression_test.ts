/**
 * The covariate-adjusted eQTL regression (tensorQTL `map_nominal`): regressMany / regressEqtl /
 * regressEqtls with `covariates`, pipelineEqtlStatistics, alignSamples, against committed references
 * (tests/reference/regression/covariate_reference.json, made by make_covariate_reference.py beside it:
 * statsmodels OLS of phenotype ~ 1 + covariates + mean-imputed dosage, cross-checked there against
 * tensorQTL's formulas in numpy, and for the near-singular and small cases solved in 50-digit mpmath).
 *
 * Tolerances (relative): slope, slope_se, t, p, partial r² ≤ 1e-9 against statsmodels. For the
 * near-singular case statsmodels' own error is ~2e-9 (its pinv pays the covariates' condition number),
 * so there slope/slope_se/t are held to ≤ 1e-9 of the 50-digit mpmath truth (measured: 4.0e-10; no
 * float64 method does much better on covariates this close to collinear, error ≈ ε·condition) and to
 * ≤ 3e-8 of statsmodels (p as well; measured 7.3e-9, mostly statsmodels' own error). Measured elsewhere:
 * ≤ 2.4e-13 against statsmodels (k = 25, n = 400), ≤ 1.8e-14 against mpmath. Elsewhere slope/slope_se/t are also held to ≤ 1e-12 of mpmath
 * where it was computed (the small cases).
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { ValidationError } from "ratgtex";
import {
  alignSamples,
  COVARIATE_PVALUE_NOTE,
  type CovariateMatrix,
  pipelineEqtlStatistics,
  regressEqtl,
  regressEqtls,
  RegressionInputError,
  regressMany,
} from "ratgtex/analysis";
import type { ExpressionTransform } from "ratgtex/analysis";

interface Expected {
  slope: number;
  slope_se: number;
  t: number;
  pval: number;
  dof: number;
  r2_partial: number;
  n_imputed: number;
  af: number;
  mpmath?: { slope: number; slope_se: number; t: number };
}
interface Case {
  name: string;
  transform: ExpressionTransform;
  n: number;
  k: number;
  names: string[];
  covariates: number[][];
  phenotypes: number[][];
  dosages: (number | null)[][];
  pairs: [number, number][];
  expected?: Expected[];
  error?: { row: number; name: string };
}
const reference = JSON.parse(
  Deno.readTextFileSync(new URL("./reference/regression/covariate_reference.json", import.meta.url)),
) as { cases: Case[]; degenerate: Case[] };

function rel(got: number, want: number): number {
  return got === want ? 0 : Math.abs(got - want) / Math.abs(want);
}
function close(got: number, want: number, tol: number, what: string): void {
  assert.ok(rel(got, want) <= tol, `${what}: got ${got}, want ${want} (rel ${rel(got, want)} > ${tol})`);
}

const ids = (n: number) => Array.from({ length: n }, (_, s) => `rat${String(s).padStart(3, "0")}`);

function batchOf(c: Case) {
  const n = c.n;
  const expression = new Float64Array(c.pairs.length * n);
  const dosages = new Float64Array(c.pairs.length * n);
  c.pairs.forEach(([j, v], p) => {
    expression.set(c.phenotypes[j], p * n);
    c.dosages[v].forEach((g, s) => dosages[p * n + s] = g === null ? NaN : g);
  });
  return { expression, dosages, nPairs: c.pairs.length, nSamples: n };
}

function checkFit(
  c: Case,
  p: number,
  got: { slope: number; se: number; t: number; p: number; df: number; nImputed: number; r2?: number },
): void {
  const e = c.expected![p];
  const what = `${c.name} pair ${p}`;
  assert.equal(got.df, e.dof, `${what} dof`);
  assert.equal(got.nImputed, e.n_imputed, `${what} nImputed`);
  const nearSingular = c.name.endsWith("near_singular");
  const tol = nearSingular ? 3e-8 : 1e-9;
  close(got.slope, e.slope, tol, `${what} slope`);
  close(got.se, e.slope_se, tol, `${what} slope_se`);
  close(got.t, e.t, tol, `${what} t`);
  close(got.p, e.pval, tol, `${what} p`);
  if (got.r2 !== undefined) close(got.r2, e.r2_partial, tol, `${what} r2`);
  if (e.mpmath) {
    const t = nearSingular ? 1e-9 : 1e-12;
    close(got.slope, e.mpmath.slope, t, `${what} slope vs mpmath`);
    close(got.se, e.mpmath.slope_se, t, `${what} slope_se vs mpmath`);
    close(got.t, e.mpmath.t, t, `${what} t vs mpmath`);
  }
}

Deno.test("regressMany with covariates matches statsmodels on every reference case (k = 0, 1, 5, 25; missing; int; near-singular)", () => {
  const ks = new Set(reference.cases.map((c) => c.k));
  for (const k of [0, 1, 5, 25]) assert.ok(ks.has(k), `a case with k = ${k}`);
  assert.ok(reference.cases.some((c) => c.expected!.some((e) => e.n_imputed > 0)));
  for (const c of reference.cases) {
    const fit = regressMany(batchOf(c), {
      transform: c.transform,
      covariates: { names: c.names, values: c.covariates },
    });
    c.pairs.forEach((_, p) => {
      assert.equal(fit.reason[p], null, `${c.name} ${p}: ${fit.reason[p]}`);
      assert.equal(fit.n[p], c.n);
      assert.ok(Number.isNaN(fit.intercept[p]));
      checkFit(c, p, {
        slope: fit.nes[p],
        se: fit.error[p],
        t: fit.tStatistic[p],
        p: fit.pValue[p],
        df: fit.df[p],
        nImputed: fit.nImputed[p],
        r2: fit.r2[p],
      });
    });
  }
});

Deno.test("a covariate-major Float64Array gives the same fits as rows", () => {
  const c = reference.cases.find((c) => c.name === "k25_missing")!;
  const flat = new Float64Array(c.k * c.n);
  c.covariates.forEach((row, j) => flat.set(row, j * c.n));
  const a = regressMany(batchOf(c), { transform: "none", covariates: { names: c.names, values: c.covariates } });
  const b = regressMany(batchOf(c), { transform: "none", covariates: { names: c.names, values: flat } });
  assert.deepEqual([...b.nes], [...a.nes]);
  assert.deepEqual([...b.pValue], [...a.pValue]);
});

/** A covariate frame in the file's layout, sample columns shuffled, with one extra sample. */
function covariateFrame(c: Case, samples: string[]): pl.DataFrame {
  const order = samples.map((_, s) => s).reverse();
  const columns: Record<string, unknown[]> = { ID: c.names };
  for (const s of order) columns[samples[s]] = c.covariates.map((row) => row[s]);
  columns["ratEXTRA"] = c.names.map(() => 123.5);
  return pl.DataFrame(columns);
}

Deno.test("pipelineEqtlStatistics: covariate file frame with shuffled columns, VCF-ordered dosages, pipeline columns", () => {
  for (const c of reference.cases.filter((c) => c.transform === "none")) {
    const samples = ids(c.n);
    // Genotypes in another sample order (a VCF's), aligned by ID.
    const vcfOrder = samples.map((_, s) => (s * 7 + 3) % c.n);
    assert.equal(new Set(vcfOrder).size, c.n);
    const stats = pipelineEqtlStatistics({
      tissue: "IL",
      sampleIds: samples,
      phenotypes: { geneIds: c.phenotypes.map((_, j) => `G${j}`), values: c.phenotypes },
      genotypes: {
        variantIds: c.dosages.map((_, v) => `chr1:${v + 1}`),
        dosages: c.dosages.map((row) => vcfOrder.map((s) => row[s])),
        sampleIds: vcfOrder.map((s) => samples[s]),
      },
      covariates: c.k > 0 ? covariateFrame(c, samples) : { names: [], values: [], sampleIds: samples },
      // Pairs in an interleaved order: results come back in input order.
      pairs: [...c.pairs].reverse().map(([j, v]) => ({ geneId: `G${j}`, variantId: `chr1:${v + 1}` })),
    });
    assert.deepEqual(stats.columns, [
      "tissue",
      "gene_id",
      "variant_id",
      "n",
      "n_imputed",
      "dof",
      "af",
      "slope",
      "slope_se",
      "t",
      "pval_nominal",
      "reason",
    ]);
    const rows = stats.toRecords();
    [...c.pairs].reverse().forEach(([j, v], r) => {
      const p = c.pairs.findIndex(([a, b]) => a === j && b === v);
      const row = rows[r] as Record<string, number>;
      assert.equal(row.gene_id, `G${j}`);
      assert.equal(row.n, c.n);
      close(row.af, c.expected![p].af, 1e-15, `${c.name} af`);
      checkFit(c, p, {
        slope: row.slope,
        se: row.slope_se,
        t: row.t,
        p: row.pval_nominal,
        df: row.dof,
        nImputed: row.n_imputed,
      });
    });
  }
});

Deno.test("regressEqtl / regressEqtls with covariates: aligned by sampleIds, the same numbers, nImputed, the covariate note", () => {
  const c = reference.cases.find((c) => c.name === "k5_missing")!;
  const samples = ids(c.n);
  const covariates = covariateFrame(c, samples);
  const [j, v] = c.pairs[1];
  const fit = regressEqtl(
    { data: c.phenotypes[j], genotypes: c.dosages[v], sampleIds: samples },
    { transform: "none", covariates },
  );
  assert.equal(fit.note, COVARIATE_PVALUE_NOTE);
  assert.equal(fit.covariateCount, 5);
  assert.equal(fit.nMissing, fit.nImputed);
  checkFit(c, 1, {
    slope: fit.nes,
    se: fit.error,
    t: fit.tStatistic,
    p: fit.pValue,
    df: fit.df,
    nImputed: fit.nImputed,
    r2: fit.r2,
  });
  const called = c.dosages[v].filter((g) => g !== null);
  assert.deepEqual(fit.counts, [0, 1, 2].map((d) => called.filter((g) => g === d).length));

  // Many pairs: some with sampleIds (aligned), some positional; one frame, nImputed after df.
  const inputs = c.pairs.map(([j, v], p) => ({
    geneId: `G${j}`,
    variantId: `chr1:${v}`,
    data: c.phenotypes[j],
    genotypes: c.dosages[v],
    ...(p % 2 === 0 ? { sampleIds: samples } : {}),
  }));
  const matrix: CovariateMatrix = { names: c.names, values: c.covariates, sampleIds: samples };
  const frame = regressEqtls(inputs, { transform: "none", covariates: matrix });
  assert.deepEqual(frame.columns.slice(4, 8), ["n", "df", "nImputed", "nes"]);
  const rows = frame.toRecords() as Record<string, number>[];
  c.pairs.forEach((_, p) =>
    checkFit(c, p, {
      slope: rows[p].nes,
      se: rows[p].error,
      t: rows[p].tStatistic,
      p: rows[p].pValue,
      df: rows[p].df,
      nImputed: rows[p].nImputed,
    })
  );
  // A long frame: samples in the covariates' column order.
  const long = pl.DataFrame({
    geneId: c.pairs.flatMap(([j]) => samples.map(() => `G${j}`)),
    tissueSiteDetailId: c.pairs.flatMap(() => samples.map(() => "IL")),
    variantId: c.pairs.flatMap(([, v]) => samples.map(() => `chr1:${v}`)),
    genotype: c.pairs.flatMap(([, v]) => c.dosages[v]),
    tpm: c.pairs.flatMap(([j]) => c.phenotypes[j]),
  });
  const fromLong = regressEqtls(long, { transform: "none", covariates: { names: c.names, values: c.covariates } });
  assert.deepEqual(fromLong.getColumn("nes").toArray(), frame.getColumn("nes").toArray());
});

function expectError(fn: () => unknown, pattern: RegExp, what: string): RegressionInputError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof RegressionInputError, `${what}: threw ${caught}`);
  assert.ok(caught instanceof ValidationError);
  assert.match(caught.message, pattern, what);
  return caught;
}

Deno.test("rank-deficient covariates: a typed error naming the collinear covariate (numpy's rank is short too)", () => {
  assert.equal(reference.degenerate.length, 3);
  for (const c of reference.degenerate) {
    const e = expectError(
      () => regressMany(batchOf(c), { transform: "none", covariates: { names: c.names, values: c.covariates } }),
      new RegExp(`covariate "${c.error!.name}" \\(row ${c.error!.row}\\) is (collinear|constant)`),
      c.name,
    );
    assert.equal(e.index, c.error!.row);
    assert.equal(e.value, c.error!.name);
  }
  const dup = reference.degenerate.find((c) => c.name === "duplicate_row")!;
  expectError(
    () => regressMany(batchOf(dup), { transform: "none", covariates: { names: dup.names, values: dup.covariates } }),
    /geno_PC4 ≈ 1\.00000·geno_PC2 \+ constant/,
    "the combination is spelled out",
  );
  const combo = reference.degenerate.find((c) => c.name === "linear_combination")!;
  expectError(
    () =>
      regressMany(batchOf(combo), { transform: "none", covariates: { names: combo.names, values: combo.covariates } }),
    /geno_PC5 ≈ 2\.00000·geno_PC1 \+ -0\.500000·geno_PC3 \+ constant/,
    "the combination is spelled out",
  );
});

Deno.test("mis-sized covariates and samples that do not line up are typed errors listing what is wrong", () => {
  const c = reference.cases.find((c) => c.name === "k5_missing")!;
  const samples = ids(c.n);
  const batch = batchOf(c);
  const cov = (over: Partial<CovariateMatrix>) => ({ names: c.names, values: c.covariates, ...over });
  expectError(
    () => regressMany(batch, { covariates: cov({ values: c.covariates.map((r) => r.slice(1)) }) }),
    /119 sample columns.*the data have 120 samples/s,
    "one column short",
  );
  expectError(
    () => regressMany(batch, { covariates: cov({ values: c.covariates.slice(1) }) }),
    /5 covariate names but 4 rows/,
    "a row short",
  );
  expectError(
    () =>
      regressMany(batch, {
        covariates: cov({ values: [c.covariates[0], c.covariates[1].slice(2), ...c.covariates.slice(2)] }),
      }),
    /covariates\.values\[1\]\.length/,
    "ragged rows",
  );
  expectError(
    () => regressMany(batch, { covariates: cov({ values: new Float64Array(3) }) }),
    /names\.length × samples/,
    "flat values of the wrong size",
  );
  const bad = c.covariates.map((r) => [...r]);
  bad[2][7] = NaN;
  expectError(
    () => regressMany(batch, { covariates: cov({ values: bad }) }),
    /covariate "geno_PC3" must be finite/,
    "NaN",
  );
  expectError(
    () => regressMany(batch, { covariates: cov({ names: ["a", "a", "b", "c", "d"] }) }),
    /repeated/,
    "repeated names",
  );
  // Too many covariates for the samples.
  const small = { expression: new Float64Array(5), dosages: new Float64Array([0, 1, 2, 0, 1]), nPairs: 1, nSamples: 5 };
  expectError(
    () =>
      regressMany(small, {
        covariates: { names: ["a", "b", "c"], values: [[1, 2, 3, 4, 5], [1, 0, 0, 1, 0], [0, 1, 1, 0, 2]] },
      }),
    /n − 2 − k = 0 residual degrees of freedom/,
    "no dof",
  );
  // By ID: missing samples listed, duplicates refused, extras ignored.
  const shortIds = samples.slice(3);
  const shortCov = cov({ values: c.covariates.map((r) => r.slice(3)), sampleIds: shortIds });
  expectError(
    () => regressMany({ ...batch, sampleIds: samples }, { covariates: shortCov }),
    /3 of the 120 samples are not there: "rat000", "rat001", "rat002"/,
    "missing samples",
  );
  expectError(
    () => alignSamples(["a", "b"], ["a", "b", "a"], "covariates.sampleIds"),
    /sample ID repeated \(also at 0\)/,
    "duplicate",
  );
  assert.deepEqual([...alignSamples(["c", "a"], ["a", "b", "c"], "x")], [2, 0]);
  // Shuffled covariate columns with IDs = the same fit as positional.
  const perm = samples.map((_, s) => (s * 11 + 5) % c.n);
  const shuffled = cov({
    values: c.covariates.map((r) => perm.map((s) => r[s])),
    sampleIds: perm.map((s) => samples[s]),
  });
  const a = regressMany({ ...batch, sampleIds: samples }, { transform: "none", covariates: shuffled });
  const b = regressMany(batch, { transform: "none", covariates: cov({}) });
  c.pairs.forEach((_, p) => close(a.nes[p], b.nes[p], 1e-13, "shuffled = positional"));
  // pipelineEqtlStatistics: dosages from a VCF lacking a sample.
  expectError(
    () =>
      pipelineEqtlStatistics({
        sampleIds: samples,
        phenotypes: { geneIds: ["G"], values: [c.phenotypes[0]] },
        genotypes: { variantIds: ["v"], dosages: [c.dosages[0].slice(1)], sampleIds: samples.slice(1) },
        covariates: cov({ sampleIds: samples }),
        pairs: [{ geneId: "G", variantId: "v" }],
      }),
    /genotypes\.sampleIds.*1 of the 120 samples are not there: "rat000"/s,
    "VCF missing a sample",
  );
  expectError(
    () =>
      pipelineEqtlStatistics({
        sampleIds: samples,
        phenotypes: { geneIds: ["G"], values: [c.phenotypes[0]] },
        genotypes: { variantIds: ["v"], dosages: [c.dosages[0]] },
        covariates: cov({ sampleIds: samples }),
        pairs: [{ geneId: "G", variantId: "w" }],
      }),
    /the variant is not among genotypes\.variantIds/,
    "unknown variant",
  );
});

Deno.test("degenerate pairs with covariates get NaN and a reason, not a silent number", () => {
  const c = reference.cases.find((c) => c.name === "k5_missing")!;
  const n = c.n;
  const covariates = { names: c.names, values: c.covariates };
  const expression = new Float64Array(3 * n);
  expression.set(c.phenotypes[0], 0);
  expression.fill(1.5, n, 2 * n); // constant phenotype
  expression.set(c.phenotypes[0], 2 * n);
  const dosages = new Float64Array(3 * n);
  for (let s = 0; s < n; s++) {
    dosages[s] = s % 3 === 0 ? NaN : 1; // one class among the called samples
    dosages[n + s] = s % 3;
    dosages[2 * n + s] = NaN; // no call at all
  }
  const fit = regressMany({ expression, dosages, nPairs: 3, nSamples: n }, { transform: "none", covariates });
  assert.match(fit.reason[0]!, /one genotype class/);
  assert.match(fit.reason[1]!, /constant/);
  assert.match(fit.reason[2]!, /no sample has a genotype call/);
  for (let p = 0; p < 3; p++) assert.ok(Number.isNaN(fit.pValue[p]));
  // A dosage that the covariates reproduce exactly.
  const g = Array.from({ length: n }, (_, s) => s % 3);
  const exact = regressMany(
    { expression: new Float64Array(c.phenotypes[0]), dosages: new Float64Array(g), nPairs: 1, nSamples: n },
    {
      transform: "none",
      covariates: { names: [...c.names, "copy"], values: [...c.covariates, g.map((x) => 2 * x - 1)] },
    },
  );
  assert.match(exact.reason[0]!, /linear combination of the covariates/);
});
