/**
 * The allelic fold change (aFC, Mohammadi et al. 2017, Genome Research 27:1872) of one variant–gene pair, as
 * `aFC.py --log_xform 1 --log_base 2` computes it (secastel/aFC v0.3, the `log2_aFC` column of RatGTEx, run on
 * the `expr.log2` BED — log2(read count + 1) — with the expression covariates).
 *
 * The model, as the script does it:
 * 1. Samples with a missing genotype are left out; at least 2 samples and both alleles observed.
 * 2. With covariates: OLS of expression on an intercept, the covariates and two genotype-class indicators
 *    (homozygous REF, homozygous ALT — each only if present); every term whose 95 % confidence interval
 *    (Student t, statsmodels' `conf_int(0.05)`) contains 0 is dropped, the model refitted, and the kept
 *    covariates' fitted contributions (not the intercept, not the genotype classes) subtracted.
 * 3. From the corrected log expression, four estimates of the fold change δ: the homozygote contrast
 *    2^(ALT/ALT − REF/REF), the het-vs-ALT/ALT 1/(2^(het − ALT/ALT + 1) − 1), the het-vs-REF/REF
 *    2^(het − REF/REF + 1) − 1 (class means; log ratios bounded to [−ecap, ecap], [−0.9999999, ecap] and
 *    [−1, ecap]), and the regression 2^(2·slope); each bounded to [2^−ecap, 2^ecap] (ecap = log2 100).
 * 4. The estimate whose model log2(2 − g + δ·g) leaves the smallest residual standard deviation wins (the
 *    first on ties); the answer is log2 δ.
 *
 * Not reproduced: aFC.py's bootstrap confidence interval (`--boot`, BCa over 100 resamples drawn with an
 * unseeded generator: not reproducible run to run), and categorical (string) covariates.
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import { numpySum } from "../_numpy_sum.ts";
import { alignSamples, covariateMatrix } from "./covariates.ts";
import type { Covariates } from "./regression_types.ts";
import { studentTQuantile } from "./beta_distribution.ts";
import { leastSquares } from "./_least_squares.ts";

/** Which of aFC.py's four estimates gave the answer. */
export type AfcEstimator = "homozygotes" | "het-vs-alt" | "het-vs-ref" | "regression";

const ESTIMATORS: readonly AfcEstimator[] = ["homozygotes", "het-vs-alt", "het-vs-ref", "regression"];

/** One variant–gene pair's data, sample by sample (the BED's column order reproduces aFC.py's sums). */
export interface AllelicFoldChangeInput {
  /** ALT allele count per sample (0, 1, 2: aFC.py counts the "1"s of GT); null for a missing call. */
  genotypes: ArrayLike<number | null>;
  /** log2 expression per sample (the `expr.log2` BED: log2(read count + 1)). */
  expression: ArrayLike<number>;
  /**
   * Covariates to correct for (the release's expression covariate file: a {@linkcode CovariateMatrix} or its
   * frame, column `ID` then one column per sample). Aligned by sample ID when both sides carry IDs.
   */
  covariates?: Covariates;
  /** Sample IDs of `genotypes`/`expression` (needed to align covariates that carry sample IDs). */
  sampleIds?: readonly string[];
}

/** Options of {@linkcode log2AllelicFoldChange}: aFC.py's, same defaults. */
export interface AllelicFoldChangeOptions {
  /** Absolute cap on log2 aFC (`--ecap`, default log2(100) ≈ 6.64). */
  ecap?: number;
  /** Minimum samples with a genotype (`--min_samps`, default 2). */
  minSamples?: number;
  /** Minimum observations of each allele (`--min_alleles`, default 1). */
  minAlleles?: number;
}

/** What {@linkcode log2AllelicFoldChange} returns. */
export interface AllelicFoldChangeResult {
  /** log2 aFC (`log2_aFC`): positive when the ALT allele raises expression; NaN only with a `reason`. */
  log2Afc: number;
  /** Which estimate was chosen; null when there is none. */
  estimator: AfcEstimator | null;
  /** The covariates kept (significant) and regressed out, by name. */
  covariatesUsed: string[];
  /** Samples with a genotype. */
  samples: number;
  /** REF and ALT allele counts over those samples (aFC.py's `--count_o` columns). */
  refAlleles: number;
  /** ALT allele count. */
  altAlleles: number;
  /** Why `log2Afc` is NaN (aFC.py writes `nan` or no line), else null. */
  reason: string | null;
}

function covariateRows(
  covariates: Covariates,
  sampleIds: readonly string[] | undefined,
  n: number,
): { names: string[]; rows: Float64Array[] } {
  const m = covariateMatrix(covariates);
  const names = [...m.names];
  const k = names.length;
  const width = m.values instanceof Float64Array ? (k === 0 ? 0 : m.values.length / k) : (m.values[0]?.length ?? n);
  const row = (c: number): ArrayLike<number> =>
    m.values instanceof Float64Array
      ? m.values.subarray(c * width, (c + 1) * width)
      : (m.values as readonly ArrayLike<number>[])[c];
  let index: Int32Array | null = null;
  if (m.sampleIds && sampleIds) index = alignSamples(sampleIds, m.sampleIds, "covariates");
  else if (width !== n) {
    throw new ValidationError(
      "covariates",
      width,
      `covariates have ${width} sample columns for ${n} samples and no sample IDs to align them`,
      "pass sampleIds on both sides, or covariates in the samples' order",
    );
  }
  const rows = names.map((_, c) => {
    const r = row(c);
    return Float64Array.from({ length: n }, (_, s) => {
      const v = r[index ? index[s] : s];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new ValidationError(
          `covariates[${JSON.stringify(names[c])}]`,
          v,
          "a covariate value is missing or not finite",
          "use the release's covariate file as is",
        );
      }
      return v;
    });
  });
  return { names, rows };
}

/** aFC.py's `bound_basic`: clamp to [lo, hi]; NaN stays NaN. */
function bound(x: number, lo: number, hi: number): number {
  return Number.isNaN(x) ? NaN : Math.max(Math.min(x, hi), lo);
}

/** bottleneck's `nanstd(ddof = 0)` (what pandas' Series.std runs): two sequential passes. */
function std(values: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (v === v) {
      sum += v;
      count++;
    }
  }
  if (count === 0) return NaN;
  const mean = sum / count;
  let ss = 0;
  for (const v of values) {
    if (v === v) {
      const d = v - mean;
      ss += d * d;
    }
  }
  return Math.sqrt(ss / count);
}

/**
 * log2 allelic fold change of one variant–gene pair, exactly as `aFC.py --log_xform 1` (with `--cov` when
 * covariates are given): covariates whose 95 % CI excludes 0 regressed out (genotype classes held in the
 * model), then the best of four fold-change estimates, capped at ±log2(100). Matches aFC.py's printed
 * `log2_aFC` to ~1e-14 (tests/afc_test.ts).
 *
 * @param input `{ genotypes, expression, covariates?, sampleIds? }`: ALT allele counts (null = missing),
 *   log2 expression, and the covariates.
 * @param options `{ ecap = log2(100), minSamples = 2, minAlleles = 1 }`.
 * @returns `{ log2Afc, estimator, covariatesUsed, samples, refAlleles, altAlleles, reason }`.
 * @throws {ValidationError} When lengths differ, a genotype is not 0/1/2/null, an expression value is not
 *   finite, or the covariates cannot be aligned.
 *
 * @example
 * ```ts
 * import { log2AllelicFoldChange } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * // An ALT haplotype expresses twice as much as a REF one: log2((2 − g) + 2·g)
 * const genotypes = [0, 0, 0, 1, 1, 1, 2, 2, 2];
 * const expression = genotypes.map((g) => Math.log2(2 - g + 2 * g));
 * const fit = log2AllelicFoldChange({ genotypes, expression });
 * assert.ok(Math.abs(fit.log2Afc - 1) < 1e-12); // aFC = 2
 * assert.equal(fit.reason, null);
 * ```
 */
export function log2AllelicFoldChange(
  input: AllelicFoldChangeInput,
  options: AllelicFoldChangeOptions = {},
): AllelicFoldChangeResult {
  if (input === null || typeof input !== "object") {
    throw new ValidationError("input", input, "not a variant–gene pair", "pass { genotypes, expression }");
  }
  const { genotypes, expression } = input;
  const n = expression?.length;
  if (typeof n !== "number" || genotypes?.length !== n) {
    throw new ValidationError(
      "genotypes",
      genotypes?.length,
      `${genotypes?.length} genotypes for ${n} expression values`,
      "pass one genotype and one expression value per sample",
    );
  }
  if (input.sampleIds !== undefined && input.sampleIds.length !== n) {
    throw new ValidationError("sampleIds", input.sampleIds.length, `not ${n} sample IDs`, "one ID per sample");
  }
  const ecap = options.ecap ?? Math.log(100) / Math.log(2);
  const minSamples = options.minSamples ?? 2;
  const minAlleles = options.minAlleles ?? 1;

  const keep: number[] = [];
  for (let s = 0; s < n; s++) {
    const g = genotypes[s];
    if (g === null || g === undefined) continue;
    if (g !== 0 && g !== 1 && g !== 2) {
      throw new ValidationError(
        `genotypes[${s}]`,
        g,
        "a genotype must be the ALT allele count 0, 1 or 2 (or null for missing)",
        "count ALT alleles from GT; aFC.py --geno DS would round dosages with Python's round (half to even)",
      );
    }
    const e = expression[s];
    if (typeof e !== "number" || !Number.isFinite(e)) {
      throw new ValidationError(`expression[${s}]`, e, "not a finite number", "pass the expr.log2 values");
    }
    keep.push(s);
  }
  const m = keep.length;
  const geno = Float64Array.from(keep, (s) => genotypes[s] as number);
  let alt = 0;
  for (const g of geno) alt += g;
  const ref = 2 * m - alt;
  const base = { samples: m, refAlleles: ref, altAlleles: alt };
  const none = (reason: string): AllelicFoldChangeResult => ({
    log2Afc: NaN,
    estimator: null,
    covariatesUsed: [],
    ...base,
    reason,
  });
  if (m < minSamples) return none(`only ${m} sample(s) with a genotype (aFC.py --min_samps ${minSamples})`);
  if (Math.min(ref, alt) < minAlleles) {
    return none(`only ${Math.min(ref, alt)} observation(s) of the minor allele (aFC.py --min_alleles ${minAlleles})`);
  }
  const pheno = Float64Array.from(keep, (s) => expression[s]);

  // 2. Covariate correction.
  let phenoCor = pheno;
  const covariatesUsed: string[] = [];
  if (input.covariates !== undefined) {
    const { names, rows } = covariateRows(input.covariates, input.sampleIds, n);
    if (names.length > 0) {
      const terms: { name: string; values: Float64Array; genotypeClass: boolean }[] = names.map((name, c) => ({
        name,
        values: Float64Array.from(keep, (s) => rows[c][s]),
        genotypeClass: false,
      }));
      const homRef = geno.map((g) => (g === 0 ? 1 : 0));
      const homAlt = geno.map((g) => (g === 2 ? 1 : 0));
      if (homRef.some((v) => v === 1)) terms.push({ name: "homo_ref", values: homRef, genotypeClass: true });
      if (homAlt.some((v) => v === 1)) terms.push({ name: "homo_alt", values: homAlt, genotypeClass: true });
      const first = leastSquares(pheno, terms.map((t) => t.values));
      if (first === null) {
        return none(
          "the covariate model is rank-deficient (collinear covariates, or no heterozygotes beside both " +
            "homozygotes): aFC.py's pseudo-inverse answer there depends on rounding and is not reproduced",
        );
      }
      const q = studentTQuantile(0.975, first.dfResid);
      const kept = terms.filter((_, j) => {
        const b = first.coef[j + 1];
        const lower = b - q * first.se[j + 1];
        const upper = b + q * first.se[j + 1];
        return !(lower <= 0 && upper >= 0);
      });
      if (kept.length > 0) {
        const second = leastSquares(pheno, kept.map((t) => t.values));
        if (second === null) return none("the refitted covariate model is rank-deficient");
        phenoCor = new Float64Array(m);
        for (let i = 0; i < m; i++) {
          // pheno − sum(row[2:]): Python's sum from 0 over the scaled covariate columns in file order.
          let s = 0;
          kept.forEach((t, j) => {
            if (!t.genotypeClass) s += t.values[i] * second.coef[j + 1];
          });
          phenoCor[i] = pheno[i] - s;
        }
        for (const t of kept) if (!t.genotypeClass) covariatesUsed.push(t.name);
      }
    }
  }

  // 3. The four estimates.
  const classes = new Set(geno);
  if (classes.size === 1) {
    return { ...none(`every sample has the same genotype (${geno[0]})`), covariatesUsed };
  }
  const classMean = (g: number): number => {
    const v = phenoCor.filter((_, i) => geno[i] === g);
    return v.length === 0 ? NaN : numpySum(v, 0, v.length) / v.length;
  };
  const [m0, m1, m2] = [classMean(0), classMean(1), classMean(2)];
  const log2M2M0 = bound(m2 - m0, -ecap, ecap);
  const log2M1M2 = bound(m1 - m2, -0.9999999, ecap);
  const log2M1M0 = bound(m1 - m0, -1, ecap);
  // Regression slope of corrected expression on genotype (statsmodels OLS with a constant).
  let gMean = 0;
  for (const g of geno) gMean += g;
  gMean /= m;
  let yMean = 0;
  for (const y of phenoCor) yMean += y;
  yMean /= m;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < m; i++) {
    const dg = geno[i] - gMean;
    sxx += dg * dg;
    sxy += dg * (phenoCor[i] - yMean);
  }
  const slopeLog2 = bound((sxy / sxx) * 2, -ecap, ecap);
  const lo = Math.pow(2, -ecap);
  const hi = Math.pow(2, ecap);
  const deltas = [
    Math.pow(2, log2M2M0),
    1 / (Math.pow(2, log2M1M2 + 1) - 1),
    Math.pow(2, log2M1M0 + 1) - 1,
    Math.pow(2, slopeLog2),
  ].map((d) => bound(d, lo, hi));

  // 4. The estimate with the smallest residual standard deviation (first on ties; NaN ones skipped).
  const resid = new Float64Array(m);
  const sds = deltas.map((d) => {
    for (let i = 0; i < m; i++) resid[i] = phenoCor[i] - Math.log2((2 - geno[i]) + d * geno[i]);
    return std(resid);
  });
  let best = -1;
  for (let i = 0; i < 4; i++) {
    if (Number.isNaN(sds[i])) continue;
    if (best < 0 || sds[i] < sds[best]) best = i;
  }
  if (best < 0) return { ...none("no estimate could be computed"), covariatesUsed };
  // math.log(x, 2) in Python is log(x) / log(2).
  return {
    log2Afc: Math.log(deltas[best]) / Math.log(2),
    estimator: ESTIMATORS[best],
    covariatesUsed,
    ...base,
    reason: null,
  };
}
