/**
 * SuSiE against susieR 0.12.35 (Debian's r-cran-susier), on susieR's own N3finemapping data, on three
 * synthetic loci with two causal variants each, with summary statistics (susie_rss, in-sample LD), and
 * on degenerate inputs. The references and the script that made them are in tests/reference/susie/.
 *
 * Tolerances (absolute unless said):
 * - credible sets: the same variants, in the same order, with the same effect (`cs_index`);
 * - PIP, alpha: 1e-6;
 * - ELBO per iteration: 1e-6 relative; the number of iterations: equal;
 * - per-effect log Bayes factor (`lbf`) and per-variant ones (`lbfVariable`): 1e-6 (absolute, or relative
 *   where |lbf| > 1);
 * - prior variances V and sigma2: 1e-6 relative (V = 0 exactly where susieR's is 0). Except V of a near-null
 *   effect (|lbf| < 1e-3, typically 1e-4 … 1e-10): its log-likelihood is flat in V to that level, so where
 *   Brent stops depends on rounding in susieR too; 1e-2 relative there (largest seen: 1.6e-3, for an effect
 *   with lbf 5e-11 and V 7.5e-8). Its PIPs and lbf still agree to 1e-8;
 * - purity (min/mean/median |r|) and coverage: 1e-9.
 */
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { ValidationError } from "ratgtex";
import { FineMappingError, susie, type SusieFit, type SusieMatrix, susieRss } from "ratgtex/analysis";

const DIR = new URL("./reference/susie/", import.meta.url);
const PIP_TOL = 1e-6;
const ALPHA_TOL = 1e-6;
const ELBO_REL_TOL = 1e-6;
const LBF_TOL = 1e-6;
const VARIANCE_REL_TOL = 1e-6;
/** V of a near-null effect (|lbf| < 1e-3): its likelihood is flat in V to ~1e-10, so V is pinned by rounding only. */
const NULL_EFFECT_V_REL_TOL = 1e-2;
const PURITY_TOL = 1e-9;

interface EncodedMatrix {
  rows: number;
  columns: number;
  levels: number[][];
  codes: string;
}
interface RefSet {
  variants: number[];
  coverage: number[];
  purity: number[];
  cs_index: number;
}
interface RefFit {
  pip: number[];
  sets: RefSet[];
  lbf: number[];
  lbf_variable: number[][];
  alpha: number[][];
  mu: number[][];
  V: number[];
  sigma2: number[];
  elbo: number[];
  niter: number;
  converged: boolean;
}

function decodeMatrix(m: EncodedMatrix): SusieMatrix {
  const bin = atob(m.codes);
  const packed = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) packed[i] = bin.charCodeAt(i);
  const codes = inflateSync(packed);
  assert.equal(codes.length, m.rows * m.columns);
  const values = new Float64Array(m.rows * m.columns);
  for (let j = 0; j < m.columns; j++) {
    const lv = m.levels[j];
    for (let i = 0; i < m.rows; i++) values[j * m.rows + i] = lv[codes[j * m.rows + i]];
  }
  return { values, rows: m.rows, columns: m.columns };
}

const reference = JSON.parse(await Deno.readTextFile(new URL("reference.json", DIR)));
const n3Input = JSON.parse(await Deno.readTextFile(new URL("n3_input.json", DIR)));
const n3X = decodeMatrix(n3Input.X);
const n3y = Float64Array.from(n3Input.y as number[]);

/** In-sample LD (Pearson r) of the columns of X, p × p column-major. */
function correlation(X: SusieMatrix): Float64Array {
  const { values, rows: n, columns: p } = X;
  const z = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += values[j * n + i];
    m /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (values[j * n + i] - m) ** 2;
    const s = Math.sqrt(ss);
    for (let i = 0; i < n; i++) z[j * n + i] = (values[j * n + i] - m) / s;
  }
  const R = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += z[a * n + i] * z[b * n + i];
      if (a === b) s = 1;
      R[a * p + b] = s;
      R[b * p + a] = s;
    }
  }
  return R;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function closeRel(actual: number, expected: number, tol: number, what: string): void {
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol * scale, `${what}: ${actual} vs susieR ${expected}`);
}

/** Compare one fit with susieR's, at the tolerances stated at the top. */
function compareFit(fit: SusieFit, ref: RefFit, label: string): void {
  assert.deepEqual(
    fit.sets.map((s) => ({ variants: s.variants.map((j) => j + 1), csIndex: s.csIndex + 1 })),
    ref.sets.map((s) => ({ variants: s.variants, csIndex: s.cs_index })),
    `${label}: credible sets`,
  );
  fit.sets.forEach((s, k) => {
    closeRel(s.coverage, ref.sets[k].coverage[0], PURITY_TOL, `${label}: coverage of set ${k}`);
    const pur = [s.purity.minAbsCorr, s.purity.meanAbsCorr, s.purity.medianAbsCorr];
    assert.ok(maxAbsDiff(pur, ref.sets[k].purity) <= PURITY_TOL, `${label}: purity of set ${k}: ${pur}`);
  });
  assert.ok(maxAbsDiff(fit.pip, ref.pip) <= PIP_TOL, `${label}: PIP off by ${maxAbsDiff(fit.pip, ref.pip)}`);
  assert.equal(fit.niter, ref.niter, `${label}: iterations`);
  assert.equal(fit.converged, ref.converged, `${label}: converged`);
  fit.elbo.forEach((e, k) => {
    assert.ok(
      Math.abs(e - ref.elbo[k]) <= ELBO_REL_TOL * Math.abs(ref.elbo[k]),
      `${label}: ELBO[${k}] ${e} vs ${ref.elbo[k]}`,
    );
  });
  closeRel(fit.sigma2, ref.sigma2[0], VARIANCE_REL_TOL, `${label}: sigma2`);
  fit.V.forEach((v, l) => {
    if (ref.V[l] === 0) assert.equal(v, 0, `${label}: V[${l}] is 0 in susieR, here ${v}`);
    else {
      const tol = Math.abs(ref.lbf[l]) >= 1e-3 ? VARIANCE_REL_TOL : NULL_EFFECT_V_REL_TOL;
      assert.ok(Math.abs(v - ref.V[l]) <= tol * ref.V[l], `${label}: V[${l}] ${v} vs ${ref.V[l]}`);
    }
  });
  fit.lbf.forEach((v, l) => closeRel(v, ref.lbf[l], LBF_TOL, `${label}: lbf[${l}]`));
  fit.lbfVariable.forEach((row, l) => {
    row.forEach((v, j) => {
      const e = ref.lbf_variable[l][j];
      if (Math.abs(v - e) > LBF_TOL * Math.max(1, Math.abs(e))) {
        assert.fail(`${label}: lbfVariable[${l}][${j}] ${v} vs susieR ${e}`);
      }
    });
    const d = maxAbsDiff(fit.alpha[l], ref.alpha[l]);
    assert.ok(d <= ALPHA_TOL, `${label}: alpha[${l}] off by ${d}`);
  });
}

Deno.test("susie: N3finemapping equals susieR (three sets of sizes 1, 2, 27 holding 653, 773, 403)", () => {
  const fit = susie(n3X, n3y);
  compareFit(fit, reference.n3.fit, "N3finemapping");
  assert.deepEqual(fit.sets.map((s) => s.variants.length), [1, 2, 27]);
  const inSets = new Set(fit.sets.flatMap((s) => s.variants.map((j) => j + 1)));
  for (const t of reference.n3.true_effects as number[]) assert.ok(inSets.has(t), `true effect ${t} in a set`);
  assert.deepEqual(fit.sets.map((s) => Number(s.purity.minAbsCorr.toFixed(3))), [1, 0.982, 0.869]);
  assert.equal(fit.reason, null);
});

for (const name of ["A", "B", "C"]) {
  Deno.test(`susie: synthetic locus ${name} (two causal variants) equals susieR`, () => {
    const locus = reference.loci[name];
    const fit = susie(decodeMatrix(locus.X), Float64Array.from(locus.y as number[]));
    compareFit(fit, locus.fit, `locus ${name}`);
  });
}

Deno.test("susieRss: N3finemapping z-scores with in-sample LD equal susie_rss", () => {
  const R = correlation(n3X);
  const fit = susieRss(Float64Array.from(reference.n3_rss.z as number[]), R, reference.n3_rss.n);
  compareFit(fit, reference.n3_rss.fit, "N3 susie_rss");
  assert.equal(fit.method, "susie_rss");
});

Deno.test("susieRss: synthetic locus A with in-sample LD equals susie_rss", () => {
  const X = decodeMatrix(reference.loci.A.X);
  const fit = susieRss(Float64Array.from(reference.locusA_rss.z as number[]), correlation(X), reference.locusA_rss.n);
  compareFit(fit, reference.locusA_rss.fit, "locus A susie_rss");
});

// ---- Degenerate inputs: the same behaviour as susieR (tests/reference/susie/reference.json "degenerate"). ----

const locusA = decodeMatrix(reference.loci.A.X);
const yA = Float64Array.from(reference.loci.A.y as number[]);
const degenerate = reference.degenerate;

/** Columns (0-based; a number is a column of that constant value) and optionally the first rows of X. */
function pick(X: SusieMatrix, columns: (number | { constant: number })[], rows = X.rows): SusieMatrix {
  const values = new Float64Array(rows * columns.length);
  columns.forEach((c, k) => {
    for (let i = 0; i < rows; i++) values[k * rows + i] = typeof c === "number" ? X.values[c * X.rows + i] : c.constant;
  });
  return { values, rows, columns: columns.length };
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

Deno.test("susie degenerate: one variant", () => {
  const fit = susie(pick(locusA, [119]), yA);
  compareFit(fit, degenerate.one_variant.fit, "one variant");
  assert.equal(fit.effects, 1);
  assert.deepEqual(fit.sets.map((s) => s.variants), [[0]]);
});

Deno.test("susie degenerate: perfectly correlated (duplicated) variants share one set", () => {
  const fit = susie(pick(locusA, [...range(0, 50), 119, 119]), yA);
  compareFit(fit, degenerate.duplicated_columns.fit, "duplicated columns");
  assert.deepEqual(fit.sets[0].variants, [50, 51]);
  assert.ok(Math.abs(fit.pip[50] - fit.pip[51]) < 1e-12);
});

Deno.test("susie degenerate: a constant phenotype is a ValidationError (susieR stops too)", () => {
  assert.match(degenerate.constant_phenotype.error, /Residual variance sigma2 must be positive/);
  assert.throws(
    () => susie(pick(locusA, range(0, 50)), new Float64Array(yA.length).fill(1.5)),
    (e) => e instanceof ValidationError && e.parameter === "y" && /does not vary/.test(e.message),
  );
});

Deno.test("susie degenerate: missing genotypes (one, or the whole window) are a ValidationError", () => {
  assert.match(degenerate.missing_genotype.error, /must not contain missing values/);
  assert.match(degenerate.all_missing_genotypes.error, /must not contain missing values/);
  const one = pick(locusA, range(0, 50));
  one.values[6 * one.rows + 2] = NaN;
  assert.throws(() => susie(one, yA), (e) => e instanceof ValidationError && /X\[2, 6\]/.test(e.message));
  const all = { values: new Float64Array(yA.length * 50).fill(NaN), rows: yA.length, columns: 50 };
  assert.throws(() => susie(all, yA), (e) => e instanceof ValidationError && /impute/.test(e.hint));
});

Deno.test("susie degenerate: constant genotypes give no effect and no set, as susieR", () => {
  const cols = [0, 1, 2, 2, 1].map((c) => ({ constant: c }));
  const fit = susie(pick(locusA, cols), yA);
  compareFit(fit, degenerate.constant_genotypes.fit, "constant genotypes");
  assert.deepEqual(fit.sets, []);
  assert.ok(fit.V.every((v) => v === 0));
  assert.ok(fit.pip.every((v) => v === 0));
  assert.ok(fit.warnings.some((w) => /do not vary/.test(w)));
});

Deno.test("susie degenerate: some constant genotypes among varying ones, as susieR", () => {
  const fit = susie(pick(locusA, [...range(0, 20), { constant: 1 }, 119, { constant: 2 }, ...range(20, 30)]), yA);
  compareFit(fit, degenerate.some_constant_genotypes.fit, "some constant genotypes");
});

Deno.test("susie degenerate: L larger than the variants is capped at p, as susieR (and said)", () => {
  const fit = susie(pick(locusA, [118, 119, 120]), yA, { L: 10 });
  compareFit(fit, degenerate.L_above_p.fit, "L > p");
  assert.equal(fit.effects, 3);
  assert.ok(fit.warnings.some((w) => /L = 10 is more than the 3 variables/.test(w)));
});

Deno.test("susie degenerate: n < p (40 samples, 60 variants), as susieR", () => {
  const fit = susie(pick(locusA, range(100, 160), 40), yA.subarray(0, 40));
  compareFit(fit, degenerate.n_below_p.fit, "n < p");
});

// ---- Other settings against susieR (reference.json "settings", "rss_mismatch"). ----

Deno.test("susie: not converged within maxIter is said (converged false, a reason), as susieR warns", () => {
  const fit = susie(n3X, n3y, { maxIter: 2 });
  compareFit(fit, reference.settings.n3_max_iter_2.fit, "N3, max_iter = 2");
  assert.equal(fit.converged, false);
  assert.match(fit.reason ?? "", /did not converge in 2 iterations/);
  assert.ok(fit.warnings.includes(fit.reason!));
});

Deno.test("susie: null weight 0.1 equals susieR (rows carry the null column, the PIPs do not)", () => {
  const fit = susie(locusA, yA, { nullWeight: 0.1 });
  compareFit(fit, reference.settings.locusA_null_weight.fit, "locus A, null_weight = 0.1");
  assert.equal(fit.nullIndex, locusA.columns);
  assert.equal(fit.alpha[0].length, locusA.columns + 1);
  assert.equal(fit.pip.length, locusA.columns);
});

Deno.test("susie: estimatePriorMethod EM equals susieR", () => {
  const fit = susie(locusA, yA, { estimatePriorMethod: "EM" });
  compareFit(fit, reference.settings.locusA_em.fit, "locus A, EM");
});

Deno.test("susieRss: estimateResidualVariance true equals susie_rss", () => {
  const fit = susieRss(Float64Array.from(reference.n3_rss.z as number[]), correlation(n3X), reference.n3_rss.n, {
    estimateResidualVariance: true,
  });
  compareFit(fit, reference.settings.n3_rss_residual_variance.fit, "N3 susie_rss, residual variance estimated");
});

const mismatch = reference.rss_mismatch;
const badR = Float64Array.from(mismatch.R as number[]);

Deno.test("susieRss: z-scores the LD contradicts: not converged, as susie_rss, and said", () => {
  const fit = susieRss(mismatch.z, badR, mismatch.n);
  compareFit(fit, mismatch.not_converged.fit, "mismatched z and R");
  assert.equal(fit.converged, false);
  assert.match(fit.reason ?? "", /did not converge in 100 iterations/);
});

Deno.test("susieRss: check_prior stops a runaway prior variance with a FineMappingError, as susie_rss", () => {
  assert.match(mismatch.prior_check.error, /prior variance is unreasonably large/);
  assert.throws(
    () => susieRss(mismatch.z, badR, mismatch.n, { maxIter: 2000 }),
    (e) => e instanceof FineMappingError && /unreasonably large/.test(e.message) && /LD/.test(e.hint),
  );
  // checkPrior: false goes on, as susie_rss(check_prior = FALSE) does.
  const fit = susieRss(mismatch.z, badR, mismatch.n, { maxIter: 2000, checkPrior: false });
  assert.equal(fit.converged, false);
});

Deno.test("susieRss: a non-symmetric R is a ValidationError, or (R + Rᵀ)/2 with symmetrize, as susie_rss", () => {
  const R = Float64Array.from(mismatch.asymmetric_R as number[]);
  assert.throws(
    () => susieRss(mismatch.asymmetric_z, R, 1000),
    (e) => e instanceof ValidationError && e.parameter === "R" && /not symmetric/.test(e.message),
  );
  const fit = susieRss(mismatch.asymmetric_z, R, 1000, { symmetrize: true });
  compareFit(fit, mismatch.asymmetric.fit, "asymmetric R, symmetrised");
  assert.ok(fit.warnings.some((w) => /not symmetric/.test(w)));
});

// ---- Input checks (typed errors naming the parameter). ----

Deno.test("susieRss: input checks", () => {
  const R = new Float64Array([1, 0.5, 0.5, 1]);
  const bad = (f: () => unknown, parameter: string, re: RegExp) =>
    assert.throws(f, (e) => e instanceof ValidationError && e.parameter === parameter && re.test(e.message));
  bad(() => susieRss([1, NaN], R, 100), "z", /z\[1\] is not a finite number/);
  bad(() => susieRss([1, Infinity], R, 100), "z", /not a finite/);
  bad(() => susieRss([], R, 100), "z", /non-empty/);
  bad(() => susieRss([1, 2, 3], R, 100), "R", /9/);
  bad(() => susieRss([1, 2], { values: R, rows: 2, columns: 3 }, 100), "R", /does not agree/);
  bad(() => susieRss([1, 2], new Float64Array([1, NaN, NaN, 1]), 100), "R", /not finite/);
  bad(() => susieRss([1, 2], R, 1), "n", /greater than 1/);
  bad(() => susieRss([1, 2], R, 100, { L: 0 }), "options.L", /positive integer/);
  assert.throws(() => susieRss([1, 2], R, 100, { coverag: 0.9 } as never), /did you mean coverage/);
});

Deno.test("susie: input checks", () => {
  const X = pick(locusA, range(0, 5));
  const bad = (f: () => unknown, parameter: string, re: RegExp) =>
    assert.throws(f, (e) => e instanceof ValidationError && e.parameter === parameter && re.test(e.message));
  bad(() => susie({ values: X.values, rows: X.rows, columns: 6 }, yA), "X.values", /not rows × columns/);
  bad(() => susie({ values: Array.from(X.values) as never, rows: X.rows, columns: 5 }, yA), "X.values", /Float64Array/);
  bad(() => susie(X, yA.subarray(1)), "y", /X has 400 rows/);
  bad(() => susie(X, Float64Array.from(yA, (v, i) => i === 7 ? NaN : v)), "y", /y\[7\]/);
  bad(() => susie({ values: new Float64Array([1, 2]), rows: 1, columns: 2 }, [3]), "X.rows", /at least 2 samples/);
  bad(() => susie(X, yA, { scaledPriorVariance: 2 }), "options.scaledPriorVariance", /at most 1/);
  bad(() => susie(X, yA, { nullWeight: 1 }), "options.nullWeight", /\[0, 1\)/);
  bad(() => susie(X, yA, { priorWeights: [1, 2] }), "options.priorWeights", /one weight per variant/);
  bad(() => susie(X, yA, { priorWeights: [0, 0, 0, 0, 0] }), "options.priorWeights", /positive prior weight/);
  bad(() => susie(X, yA, { coverage: 0 }), "options.coverage", /\(0, 1\]/);
  bad(() => susie(X, yA, { estimatePriorMethod: "uniroot" as never }), "options", /"optim", "EM" or "simple"/);
  bad(() => susie(X, yA, { maxIter: 1.5 }), "options.maxIter", /positive integer/);
});

// ---- The other options against susieR (reference.json "options"), on locus A's first 50 variants + its causal two. ----

const small = pick(locusA, [...range(0, 50), 119, 379]);
const optionCases: [string, Parameters<typeof susie>[2]][] = [
  ["unstandardized", { standardize: false }],
  ["no_intercept", { intercept: false }],
  ["prior_weights", { priorWeights: Array.from({ length: 52 }, (_, j) => j % 2 === 0 ? 1 : 3) }],
  ["fixed_residual_variance", { estimateResidualVariance: false, residualVariance: 1.2 }],
  ["check_null_threshold", { checkNullThreshold: 0.1 }],
  ["fixed_prior_variance", { estimatePriorVariance: false, scaledPriorVariance: 0.1 }],
  ["simple", { estimatePriorMethod: "simple" }],
  ["L_2_coverage_0.8", { L: 2, coverage: 0.8, minAbsCorr: 0.9 }],
];
for (const [name, options] of optionCases) {
  Deno.test(`susie option ${name} ${JSON.stringify(options)} equals susieR`, () => {
    compareFit(susie(small, yA, options), reference.options[name].fit, name);
  });
}
