/**
 * Recompute what the RatGTEx `dyneqtl` route leaves out: the eQTL effect size (`nes`, slope of
 * expression on ALT dosage), its standard error (`error`), `tStatistic` and a two-sided `pValue`,
 * by ordinary least squares on a chosen expression transform.
 *
 * The recomputed p-value is NOT the API's `pValue`: see {@linkcode RECOMPUTED_PVALUE_NOTE}.
 *
 * @module
 */
import { tagResult } from "../_core/result_kind.ts";
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import type { DyneqtlResult } from "./route_results.ts";
import { studentTTwoSidedPValue } from "./distributions.ts";
import { checkExpressionTransform, type ExpressionTransform, transformExpression } from "./transforms.ts";

export type { ExpressionTransform } from "./transforms.ts";

/**
 * Text to show wherever a recomputed p-value is displayed (tables, plots, notebooks).
 *
 * @example
 * ```ts
 * import { RECOMPUTED_PVALUE_NOTE } from "ratgtex";
 * console.log(RECOMPUTED_PVALUE_NOTE.startsWith("Recomputed")); // true
 * ```
 */
export const RECOMPUTED_PVALUE_NOTE: string =
  "Recomputed p-value: unadjusted ordinary least squares of expression (on the chosen transform) on ALT " +
  "dosage, without the pipeline's covariates (5 genotype PCs, 20 expression PCs) and its quantile " +
  "normalisation, so it will not equal the API's pValue (tensorQTL nominal p-value).";

/**
 * Bad regression input (a NaN, infinite or negative expression value, a dosage other than 0/1/2/null,
 * mismatched lengths, a missing frame column): a {@linkcode ValidationError} that also carries the
 * element `index`. `parameter` names the offending input (e.g. `"data"`, `"input[2].genotypes"`, the
 * frame column `"tpm"`), `value` the offending value, `hint` the fix.
 */
export class RegressionInputError extends ValidationError {
  /** The element index (sample index, flat batch index, or frame row), or `null`. */
  readonly index: number | null;
  /**
   * Build the error; the message reads `parameter[index] is value: problem`, then the fix.
   *
   * @param parameter The parameter at fault.
   * @param index The element index, or `null`.
   * @param value The offending value.
   * @param problem What is wrong.
   * @param fix What to do about it.
   */
  constructor(
    parameter: string,
    index: number | null,
    value: unknown,
    problem: string,
    fix: string,
  ) {
    super(parameter, value, problem, fix);
    this.name = "RegressionInputError";
    this.index = index;
    // Own wording: name the element and show NaN/Infinity as such (JSON would print them as null).
    const where = index === null ? parameter : `${parameter}[${index}]`;
    const shown = typeof value === "string"
      ? JSON.stringify(value)
      : Array.isArray(value)
      ? `[${value.length} items]`
      : String(value);
    this.message = `${where} is ${shown}: ${problem}\n  → ${fix}`;
  }
}

/** Options of {@linkcode regressEqtl} and {@linkcode regressMany}. */
export interface RegressionOptions {
  /**
   * Expression transform applied to the analysed samples before the fit (default `"int"`, the
   * closest to the pipeline's normalisation). See {@linkcode ExpressionTransform}.
   */
  transform?: ExpressionTransform;
}

/**
 * A plain regression input: per-sample expression and ALT dosages, plus optional ids and the API's
 * own p-values. A {@linkcode DyneqtlResult} has all of these fields.
 */
export interface PlainEqtlInput {
  /** Per-sample expression (TPM): finite, ≥ 0. */
  data: ArrayLike<number>;
  /** Per-sample ALT dosage 0, 1 or 2; `null` for a missing call (the sample is dropped). */
  genotypes: ArrayLike<number | null>;
  /** Gene ID. */
  geneId?: string;
  /** Tissue ID. */
  tissueSiteDetailId?: string;
  /** Variant ID `chrN:pos`. */
  variantId?: string;
  /** Reference allele. */
  ref?: string;
  /** Alternative allele (the one the dosage counts). */
  alt?: string;
  /** The API's nominal p-value (reported back as `apiPValue`). */
  pValue?: number | null;
  /** The API's significance threshold (reported back as `apiPValueThreshold`). */
  pValueThreshold?: number | null;
}

/** What {@linkcode regressEqtl} accepts for one gene–tissue–variant pair. */
export type EqtlInput = DyneqtlResult | PlainEqtlInput;

/** Three values indexed by ALT dosage: `[dosage 0, dosage 1, dosage 2]`. */
export type PerDosage = [number, number, number];

/** The regression of one gene's expression on one variant's ALT dosage in one tissue. */
export interface EqtlRegression {
  /** Gene ID, when the input gave one. */
  geneId: string | null;
  /** Tissue ID, when the input gave one. */
  tissueSiteDetailId: string | null;
  /** Variant ID, when the input gave one. */
  variantId: string | null;
  /** Reference allele, when given. */
  ref: string | null;
  /** Alternative allele, when given (the slope is per copy of this allele). */
  alt: string | null;
  /** The expression transform the fit used. */
  transform: ExpressionTransform;
  /** Samples analysed (those with a genotype call). */
  n: number;
  /** Samples dropped for a missing genotype. */
  nMissing: number;
  /** Residual degrees of freedom, n − 2 (NaN when n < 3). */
  df: number;
  /** Slope of transformed expression on ALT dosage (GTEx's name: normalised effect size). */
  nes: number;
  /** Standard error of `nes`. */
  error: number;
  /** `nes / error`. */
  tStatistic: number;
  /** Two-sided p-value of `tStatistic` on `df` degrees of freedom (recomputed: see `note`). */
  pValue: number;
  /** Fitted transformed expression at dosage 0. */
  intercept: number;
  /** Coefficient of determination. */
  r2: number;
  /** Analysed samples per dosage. */
  counts: PerDosage;
  /** Mean transformed expression per dosage (NaN for an empty class). */
  means: PerDosage;
  /** Median transformed expression per dosage (NaN for an empty class). */
  medians: PerDosage;
  /** Why the statistics are NaN (too few samples, one genotype class, constant expression), or `null`. */
  reason: string | null;
  /** The API's nominal p-value, as given (`null` when absent or untested). Not comparable to `pValue`. */
  apiPValue: number | null;
  /** The API's per-gene significance threshold, as given (`null` when absent). */
  apiPValueThreshold: number | null;
  /** {@linkcode RECOMPUTED_PVALUE_NOTE}: what `pValue` is and why it differs from `apiPValue`. */
  note: string;
}

/**
 * Many pairs laid out pair-major for {@linkcode regressMany}: pair `p`'s sample `s` is at index
 * `p * nSamples + s` of both arrays. (Pair-major keeps one pair's samples contiguous, so a fit runs
 * in registers and L1 cache; a samples-by-pairs layout would stream five accumulator arrays instead.)
 */
export interface EqtlBatch {
  /** Expression (TPM), finite and ≥ 0, length `nPairs * nSamples`. */
  expression: Float64Array;
  /** ALT dosages 0/1/2, same layout; missing = NaN (Float64Array) or -1 (Int8Array). */
  dosages: Float64Array | Int8Array;
  /** Number of gene–tissue–variant pairs. */
  nPairs: number;
  /** Samples per pair (pad shorter pairs with missing dosages). */
  nSamples: number;
}

/** Column-wise results of {@linkcode regressMany}, one entry per pair (names as in {@linkcode EqtlRegression}). */
export interface EqtlRegressionColumns {
  /** Samples analysed. */
  n: Int32Array;
  /** Slope on ALT dosage. */
  nes: Float64Array;
  /** Standard error of the slope. */
  error: Float64Array;
  /** t statistic. */
  tStatistic: Float64Array;
  /** Two-sided p-value, df = n − 2. */
  pValue: Float64Array;
  /** Intercept (fitted value at dosage 0). */
  intercept: Float64Array;
  /** Coefficient of determination. */
  r2: Float64Array;
  /** Analysed samples with dosage 0. */
  homoRefCount: Int32Array;
  /** Analysed samples with dosage 1. */
  hetCount: Int32Array;
  /** Analysed samples with dosage 2. */
  homoAltCount: Int32Array;
  /** Why a pair's statistics are NaN, or `null`. */
  reason: (string | null)[];
}

// ---------------------------------------------------------------------------------------------
// Core fit

/** Result slots of one fit; reused across pairs so the batch path allocates nothing per pair. */
interface FitSlots {
  nes: number;
  error: number;
  tStatistic: number;
  pValue: number;
  intercept: number;
  r2: number;
  reason: string | null;
}

function newSlots(): FitSlots {
  return {
    nes: NaN,
    error: NaN,
    tStatistic: NaN,
    pValue: NaN,
    intercept: NaN,
    r2: NaN,
    reason: null,
  };
}

/**
 * OLS of y on x (first n entries), two-pass (centred sums: no cancellation from large means).
 * `classes` is the number of distinct dosages present.
 */
function fitOls(
  x: Float64Array,
  y: Float64Array,
  n: number,
  classes: number,
  out: FitSlots,
): void {
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (syy !== 0 && mayBeRoundingNoise(n, my, syy)) {
    let constant = true;
    for (let i = 1; i < n && constant; i++) constant = y[i] === y[0];
    if (constant) syy = 0;
  }
  fitFromMoments(n, classes, mx, my, sxx, sxy, syy, out);
}

/**
 * Whether Syy is small enough to be rounding noise on constant values. A constant c is not
 * always its own computed mean (10 × 0.1 sums to 0.9999999999999999), so its centred Syy can be
 * ~1e-33 instead of 0; the mean's error is at most n·ε·|c|, so Syy ≤ n³ε²c². Only below that bound
 * do callers run the exact all-equal check, which keeps it off the hot path.
 */
function mayBeRoundingNoise(n: number, mean: number, syy: number): boolean {
  return syy <= 4 * n * n * n * Number.EPSILON * Number.EPSILON * mean * mean;
}

/** Whether the analysed (non-missing) values of one batch pair are all equal; see {@linkcode mayBeRoundingNoise}. */
function analysedValuesEqual(
  expression: Float64Array,
  dosages: Float64Array | Int8Array,
  base: number,
  nSamples: number,
  log2: boolean,
  yBuf: Float64Array,
): boolean {
  const int8 = dosages instanceof Int8Array;
  let first = NaN;
  for (let s = 0; s < nSamples; s++) {
    const g = dosages[base + s];
    if (int8 ? g === -1 : g !== g) continue;
    const y = log2 ? yBuf[s] : expression[base + s];
    if (first !== first) first = y;
    else if (y !== first) return false;
  }
  return true;
}

/** The closed form from centred second moments; degenerate cases get NaN and a reason. */
function fitFromMoments(
  n: number,
  classes: number,
  mx: number,
  my: number,
  sxx: number,
  sxy: number,
  syy: number,
  out: FitSlots,
): void {
  out.nes =
    out.error =
    out.tStatistic =
    out.pValue =
    out.intercept =
    out.r2 =
      NaN;
  if (n < 3) {
    out.reason = `fewer than 3 samples with a genotype call (n = ${n}): no residual degrees of freedom`;
    return;
  }
  if (classes < 2) {
    out.reason = "all analysed samples have the same dosage (one genotype class): the slope is undefined";
    return;
  }
  if (syy === 0) {
    out.reason = "expression is constant across the analysed samples (after the transform): zero variance";
    return;
  }
  const slope = sxy / sxx;
  const df = n - 2;
  const sse = Math.max(syy - slope * sxy, 0);
  const se = Math.sqrt(sse / df / sxx);
  const t = slope / se;
  out.nes = slope;
  out.error = se;
  out.tStatistic = t;
  out.pValue = studentTTwoSidedPValue(t, df);
  out.intercept = my - slope * mx;
  out.r2 = Math.min((slope * sxy) / syy, 1);
  out.reason = null;
}

/**
 * Moments of one pair straight from the batch arrays (transform "none" or "log2"): two passes over
 * the pair's contiguous samples (the second hits L1 cache), centred like the single-pair path, so
 * no precision is lost to large means. Dosage sums are exact integers. One function per dosage
 * array type keeps every element access monomorphic, which is most of the speed.
 * Writes [n, Σg, Σg², ȳ, Sxx, Sxy, Syy] into `acc`; log2 values into `yBuf`.
 */
function momentsInt8(
  expression: Float64Array,
  dosages: Int8Array,
  base: number,
  nSamples: number,
  log2: boolean,
  yBuf: Float64Array,
  acc: Float64Array,
): void {
  let n = 0;
  let sg = 0;
  let sgg = 0;
  let sy = 0;
  for (let s = 0; s < nSamples; s++) {
    const i = base + s;
    const v = expression[i];
    if (!(v >= 0 && v < Infinity)) throw badExpression("expression", i, v);
    const g = dosages[i];
    if (g === -1) continue; // missing call
    if (g < 0 || g > 2) throw badDosage("dosages", i, g, "-1");
    let y = v;
    if (log2) yBuf[s] = y = Math.log2(1 + v);
    n++;
    sg += g;
    sgg += g * g;
    sy += y;
  }
  const mg = sg / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let s = 0; s < nSamples; s++) {
    const i = base + s;
    const g = dosages[i];
    if (g === -1) continue;
    const dx = g - mg;
    const dy = (log2 ? yBuf[s] : expression[i]) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  acc[0] = n;
  acc[1] = sg;
  acc[2] = sgg;
  acc[3] = my;
  acc[4] = sxx;
  acc[5] = sxy;
  acc[6] = syy;
}

/** As {@linkcode momentsInt8} for Float64Array dosages (NaN = missing). */
function momentsFloat64(
  expression: Float64Array,
  dosages: Float64Array,
  base: number,
  nSamples: number,
  log2: boolean,
  yBuf: Float64Array,
  acc: Float64Array,
): void {
  let n = 0;
  let sg = 0;
  let sgg = 0;
  let sy = 0;
  for (let s = 0; s < nSamples; s++) {
    const i = base + s;
    const v = expression[i];
    if (!(v >= 0 && v < Infinity)) throw badExpression("expression", i, v);
    const g = dosages[i];
    if (g !== g) continue; // NaN: missing call
    // One predictable test (a chain of === per value mispredicts on mixed dosages).
    if (!(g >= 0 && g <= 2) || (g | 0) !== g) throw badDosage("dosages", i, g, "NaN");
    let y = v;
    if (log2) yBuf[s] = y = Math.log2(1 + v);
    n++;
    sg += g;
    sgg += g * g;
    sy += y;
  }
  const mg = sg / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let s = 0; s < nSamples; s++) {
    const i = base + s;
    const g = dosages[i];
    if (g !== g) continue;
    const dx = g - mg;
    const dy = (log2 ? yBuf[s] : expression[i]) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  acc[0] = n;
  acc[1] = sg;
  acc[2] = sgg;
  acc[3] = my;
  acc[4] = sxx;
  acc[5] = sxy;
  acc[6] = syy;
}

// ---------------------------------------------------------------------------------------------
// Validation and gathering

function badExpression(
  parameter: string,
  index: number,
  value: unknown,
): RegressionInputError {
  return new RegressionInputError(
    parameter,
    index,
    value,
    "expression must be a finite TPM value ≥ 0",
    "fix or drop that sample before regressing",
  );
}

function badDosage(
  parameter: string,
  index: number,
  value: unknown,
  missing: string,
): RegressionInputError {
  return new RegressionInputError(
    parameter,
    index,
    value,
    "an ALT dosage must be 0, 1 or 2",
    `use ${missing} for a missing call`,
  );
}

/**
 * Copy the samples with a genotype call into x/y (validating every sample), count dosages.
 * Returns the number analysed.
 */
function gatherPlain(
  data: ArrayLike<number>,
  genotypes: ArrayLike<number | null>,
  x: Float64Array,
  y: Float64Array,
  counts: Int32Array,
  prefix: string,
): number {
  const n = data.length;
  let m = 0;
  counts[0] = counts[1] = counts[2] = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (typeof v !== "number" || !(v >= 0 && v < Infinity)) {
      throw badExpression(`${prefix}data`, i, v);
    }
    const g = genotypes[i];
    if (g === null) continue;
    if (g !== 0 && g !== 1 && g !== 2) {
      throw badDosage(`${prefix}genotypes`, i, g, "null");
    }
    counts[g]++;
    x[m] = g;
    y[m] = v;
    m++;
  }
  return m;
}

function checkLengths(input: PlainEqtlInput, prefix: string): void {
  if (input === null || typeof input !== "object") {
    throw new RegressionInputError(
      prefix || "input",
      null,
      input,
      "not a regression input",
      "pass a dyneqtl result or { data, genotypes }",
    );
  }
  const { data, genotypes } = input;
  if (
    data === null || typeof data !== "object" || typeof data.length !== "number"
  ) {
    throw new RegressionInputError(
      `${prefix}data`,
      null,
      data,
      "not an array",
      "pass an array of per-sample TPM values",
    );
  }
  if (
    genotypes === null || typeof genotypes !== "object" ||
    typeof genotypes.length !== "number"
  ) {
    throw new RegressionInputError(
      `${prefix}genotypes`,
      null,
      genotypes,
      "not an array",
      "pass an array of ALT dosages (0/1/2, null = missing)",
    );
  }
  if (data.length !== genotypes.length) {
    throw new RegressionInputError(
      `${prefix}genotypes.length`,
      null,
      genotypes.length,
      `it differs from ${prefix}data.length (${data.length})`,
      "pass one dosage per expression value, same samples in the same order",
    );
  }
}

function classesOf(counts: Int32Array): number {
  return (counts[0] > 0 ? 1 : 0) + (counts[1] > 0 ? 1 : 0) +
    (counts[2] > 0 ? 1 : 0);
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

function nullableNumber(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}

function nullableString(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

// ---------------------------------------------------------------------------------------------
// Single pair

function regressOne(
  input: PlainEqtlInput,
  transform: ExpressionTransform,
  prefix: string,
): EqtlRegression {
  checkLengths(input, prefix);
  const total = input.data.length;
  const xBuf = new Float64Array(total);
  const yBuf = new Float64Array(total);
  const counts = new Int32Array(3);
  const n = gatherPlain(
    input.data,
    input.genotypes,
    xBuf,
    yBuf,
    counts,
    prefix,
  );
  const x = xBuf.subarray(0, n);
  const y = transformExpression(
    yBuf.subarray(0, n),
    transform,
    yBuf.subarray(0, n),
  );
  const slots = newSlots();
  fitOls(x, y, n, classesOf(counts), slots);

  const byDosage: [number[], number[], number[]] = [[], [], []];
  for (let i = 0; i < n; i++) byDosage[x[i]].push(y[i]);
  const means = byDosage.map((v) => v.length === 0 ? NaN : v.reduce((s, a) => s + a, 0) / v.length);
  const medians = byDosage.map((v) => median(Float64Array.from(v).sort()));

  return {
    geneId: nullableString(input.geneId),
    tissueSiteDetailId: nullableString(input.tissueSiteDetailId),
    variantId: nullableString(input.variantId),
    ref: nullableString(input.ref),
    alt: nullableString(input.alt),
    transform,
    n,
    nMissing: total - n,
    df: n >= 3 ? n - 2 : NaN,
    nes: slots.nes,
    error: slots.error,
    tStatistic: slots.tStatistic,
    pValue: slots.pValue,
    intercept: slots.intercept,
    r2: slots.r2,
    counts: [counts[0], counts[1], counts[2]],
    means: means as PerDosage,
    medians: medians as PerDosage,
    reason: slots.reason,
    apiPValue: nullableNumber(input.pValue),
    apiPValueThreshold: nullableNumber(input.pValueThreshold),
    note: RECOMPUTED_PVALUE_NOTE,
  };
}

// ---------------------------------------------------------------------------------------------
// Many pairs: the fast path

/** The checked `options.transform` of {@linkcode regressEqtl} and {@linkcode regressMany} (default `"int"`). */
function transformOption(options: RegressionOptions): ExpressionTransform {
  if (options === null || typeof options !== "object") {
    throw new ValidationError(
      "options",
      options,
      "not an object",
      'pass an options object like { transform: "log2" }, or none',
    );
  }
  return checkExpressionTransform(options.transform ?? "int", "options.transform");
}

function checkBatch(batch: EqtlBatch): void {
  const { expression, dosages, nPairs, nSamples } = batch;
  if (!Number.isInteger(nPairs) || nPairs < 0) {
    throw new RegressionInputError(
      "nPairs",
      null,
      nPairs,
      "not an integer ≥ 0",
      "pass the number of pairs",
    );
  }
  if (!Number.isInteger(nSamples) || nSamples < 0) {
    throw new RegressionInputError(
      "nSamples",
      null,
      nSamples,
      "not an integer ≥ 0",
      "pass the number of samples per pair",
    );
  }
  const size = nPairs * nSamples;
  const layout = "pair-major: pair p's sample s at index p * nSamples + s";
  if (!(expression instanceof Float64Array)) {
    throw new RegressionInputError(
      "expression",
      null,
      expression,
      "not a Float64Array",
      `pass a Float64Array of TPM values, ${layout}`,
    );
  }
  if (expression.length !== size) {
    throw new RegressionInputError(
      "expression.length",
      null,
      expression.length,
      `it is not nPairs × nSamples = ${size}`,
      `pass ${size} values, ${layout}`,
    );
  }
  if (!(dosages instanceof Float64Array || dosages instanceof Int8Array)) {
    throw new RegressionInputError(
      "dosages",
      null,
      dosages,
      "not a Float64Array or Int8Array",
      "pass a Float64Array (NaN = missing) or an Int8Array (-1 = missing) laid out as expression",
    );
  }
  if (dosages.length !== size) {
    throw new RegressionInputError(
      "dosages.length",
      null,
      dosages.length,
      `it is not nPairs × nSamples = ${size}`,
      `pass ${size} dosages, ${layout}`,
    );
  }
}

/**
 * Regress many gene–tissue–variant pairs at once (the fast path behind the array and frame forms
 * of {@linkcode regressEqtl}): closed-form OLS per pair, no per-pair allocation.
 *
 * @param batch Pair-major expression and dosages (see {@linkcode EqtlBatch}).
 * @param options `transform` (default `"int"`).
 * @returns One entry per pair in each column.
 * @throws {RegressionInputError} On a NaN/infinite/negative expression value or a dosage other than
 *   0/1/2/missing, naming the array and the flat index.
 *
 * @example
 * ```ts
 * import { regressMany } from "ratgtex";
 * // two pairs × four samples
 * const fit = regressMany({
 *   expression: new Float64Array([1, 3, 5, 7, 2, 2, 3, 9]),
 *   dosages: new Int8Array([0, 1, 2, 2, 0, 0, 1, -1]),
 *   nPairs: 2,
 *   nSamples: 4,
 * }, { transform: "none" });
 * console.log(fit.nes[0], fit.n[1]); // 2.5454545454545454 3
 * ```
 */
export function regressMany(
  batch: EqtlBatch,
  options: RegressionOptions = {},
): EqtlRegressionColumns {
  const transform = transformOption(options);
  checkBatch(batch);
  const { expression, dosages, nPairs, nSamples } = batch;
  const out: EqtlRegressionColumns = {
    n: new Int32Array(nPairs),
    nes: new Float64Array(nPairs),
    error: new Float64Array(nPairs),
    tStatistic: new Float64Array(nPairs),
    pValue: new Float64Array(nPairs),
    intercept: new Float64Array(nPairs),
    r2: new Float64Array(nPairs),
    homoRefCount: new Int32Array(nPairs),
    hetCount: new Int32Array(nPairs),
    homoAltCount: new Int32Array(nPairs),
    reason: new Array<string | null>(nPairs).fill(null),
  };
  const x = new Float64Array(nSamples);
  const y = new Float64Array(nSamples);
  const acc = new Float64Array(7);
  const slots = newSlots();
  const log2 = transform === "log2";
  for (let p = 0; p < nPairs; p++) {
    const base = p * nSamples;
    let c0: number;
    let c1: number;
    let c2: number;
    let m: number;
    if (transform !== "int") {
      if (dosages instanceof Int8Array) {
        momentsInt8(expression, dosages, base, nSamples, log2, y, acc);
      } else momentsFloat64(expression, dosages, base, nSamples, log2, y, acc);
      m = acc[0];
      // Dosage counts from Σg = c1 + 2·c2 and Σg² = c1 + 4·c2 (exact integers): no branches.
      c2 = (acc[2] - acc[1]) / 2;
      c1 = acc[1] - 2 * c2;
      c0 = m - c1 - c2;
      const classes = (c0 > 0 ? 1 : 0) + (c1 > 0 ? 1 : 0) + (c2 > 0 ? 1 : 0);
      let syy = acc[6];
      if (
        syy !== 0 && mayBeRoundingNoise(m, acc[3], syy) &&
        analysedValuesEqual(expression, dosages, base, nSamples, log2, y)
      ) syy = 0;
      fitFromMoments(m, classes, acc[1] / m, acc[3], acc[4], acc[5], syy, slots);
    } else {
      // int: rank only the analysed samples, so compact them first.
      m =
        c0 =
        c1 =
        c2 =
          0;
      for (let s = 0; s < nSamples; s++) {
        const i = base + s;
        const v = expression[i];
        if (!(v >= 0 && v < Infinity)) throw badExpression("expression", i, v);
        const g = dosages[i];
        if (g === 0) c0++;
        else if (g === 1) c1++;
        else if (g === 2) c2++;
        else if (dosages instanceof Float64Array ? g !== g : g === -1) continue;
        else {
          throw badDosage("dosages", i, g, dosages instanceof Float64Array ? "NaN" : "-1");
        }
        x[m] = g;
        y[m] = v;
        m++;
      }
      transformExpression(y.subarray(0, m), "int", y.subarray(0, m));
      const classes = (c0 > 0 ? 1 : 0) + (c1 > 0 ? 1 : 0) + (c2 > 0 ? 1 : 0);
      fitOls(x, y, m, classes, slots);
    }
    out.n[p] = m;
    out.homoRefCount[p] = c0;
    out.hetCount[p] = c1;
    out.homoAltCount[p] = c2;
    out.nes[p] = slots.nes;
    out.error[p] = slots.error;
    out.tStatistic[p] = slots.tStatistic;
    out.pValue[p] = slots.pValue;
    out.intercept[p] = slots.intercept;
    out.r2[p] = slots.r2;
    out.reason[p] = slots.reason;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Frames

/** The id and API columns carried beside the fit into the result frame. */
interface PairLabels {
  geneId: (string | null)[];
  tissueSiteDetailId: (string | null)[];
  variantId: (string | null)[];
  apiPValue: (number | null)[];
  apiPValueThreshold: (number | null)[];
}

function resultFrame(
  labels: PairLabels,
  fit: EqtlRegressionColumns,
  transform: ExpressionTransform,
): pl.DataFrame {
  const nPairs = fit.n.length;
  const df = new Int32Array(nPairs);
  for (let p = 0; p < nPairs; p++) df[p] = Math.max(fit.n[p] - 2, 0);
  return pl.DataFrame([
    pl.Series("geneId", labels.geneId, pl.Utf8),
    pl.Series("tissueSiteDetailId", labels.tissueSiteDetailId, pl.Utf8),
    pl.Series("variantId", labels.variantId, pl.Utf8),
    pl.Series("transform", new Array<string>(nPairs).fill(transform), pl.Utf8),
    pl.Series("n", fit.n, pl.Int32),
    pl.Series("df", df, pl.Int32),
    pl.Series("nes", fit.nes, pl.Float64),
    pl.Series("error", fit.error, pl.Float64),
    pl.Series("tStatistic", fit.tStatistic, pl.Float64),
    pl.Series("pValue", fit.pValue, pl.Float64),
    pl.Series("intercept", fit.intercept, pl.Float64),
    pl.Series("r2", fit.r2, pl.Float64),
    pl.Series("homoRefCount", fit.homoRefCount, pl.Int32),
    pl.Series("hetCount", fit.hetCount, pl.Int32),
    pl.Series("homoAltCount", fit.homoAltCount, pl.Int32),
    pl.Series("apiPValue", labels.apiPValue, pl.Float64),
    pl.Series("apiPValueThreshold", labels.apiPValueThreshold, pl.Float64),
    pl.Series("reason", fit.reason, pl.Utf8),
  ]);
}

function regressArray(
  inputs: readonly EqtlInput[],
  transform: ExpressionTransform,
): pl.DataFrame {
  let nSamples = 0;
  inputs.forEach((input, k) => {
    checkLengths(input, `input[${k}].`);
    nSamples = Math.max(nSamples, input.data.length);
  });
  const nPairs = inputs.length;
  const expression = new Float64Array(nPairs * nSamples);
  const dosages = new Float64Array(nPairs * nSamples).fill(NaN); // padding = missing
  const counts = new Int32Array(3);
  const labels: PairLabels = {
    geneId: [],
    tissueSiteDetailId: [],
    variantId: [],
    apiPValue: [],
    apiPValueThreshold: [],
  };
  inputs.forEach((input, k) => {
    const base = k * nSamples;
    // Validate with messages naming input[k] before packing; missing calls stay NaN.
    gatherPlain(
      input.data,
      input.genotypes,
      new Float64Array(0),
      new Float64Array(0),
      counts,
      `input[${k}].`,
    );
    for (let s = 0; s < input.data.length; s++) {
      expression[base + s] = input.data[s];
      const g = input.genotypes[s];
      if (g !== null) dosages[base + s] = g;
    }
    labels.geneId.push(nullableString(input.geneId));
    labels.tissueSiteDetailId.push(nullableString(input.tissueSiteDetailId));
    labels.variantId.push(nullableString(input.variantId));
    labels.apiPValue.push(nullableNumber(input.pValue));
    labels.apiPValueThreshold.push(nullableNumber(input.pValueThreshold));
  });
  const fit = regressMany({ expression, dosages, nPairs, nSamples }, {
    transform,
  });
  return resultFrame(labels, fit, transform);
}

const LONG_COLUMNS = [
  "geneId",
  "tissueSiteDetailId",
  "variantId",
  "genotype",
  "tpm",
] as const;

function regressLongFrame(
  frame: pl.DataFrame,
  transform: ExpressionTransform,
): pl.DataFrame {
  for (const c of LONG_COLUMNS) {
    if (!frame.columns.includes(c)) {
      throw new RegressionInputError(
        c,
        null,
        `columns ${frame.columns.join(", ")}`,
        `the long frame has no column "${c}"`,
        `pass a frame with columns ${LONG_COLUMNS.join(", ")}, one row per sample`,
      );
    }
  }
  const gene = frame.getColumn("geneId").toArray() as (string | null)[];
  const tissue = frame.getColumn("tissueSiteDetailId")
    .toArray() as (string | null)[];
  const variant = frame.getColumn("variantId").toArray() as (string | null)[];
  const genotype = frame.getColumn("genotype").toArray() as ArrayLike<
    number | null
  >;
  const tpm = frame.getColumn("tpm").toArray() as ArrayLike<number | null>;
  const rows = frame.height;
  // Pairs in order of first appearance; samples in row order.
  const pairOf = new Int32Array(rows);
  const keyIndex = new Map<string, number>();
  const labels: PairLabels = {
    geneId: [],
    tissueSiteDetailId: [],
    variantId: [],
    apiPValue: [],
    apiPValueThreshold: [],
  };
  const sizes: number[] = [];
  for (let r = 0; r < rows; r++) {
    const v = tpm[r];
    if (typeof v !== "number" || !(v >= 0 && v < Infinity)) {
      throw badExpression("tpm", r, v);
    }
    const g = genotype[r];
    if (g !== null && g !== 0 && g !== 1 && g !== 2) {
      throw badDosage("genotype", r, g, "null");
    }
    const key = JSON.stringify([gene[r], tissue[r], variant[r]]);
    let p = keyIndex.get(key);
    if (p === undefined) {
      p = sizes.length;
      keyIndex.set(key, p);
      sizes.push(0);
      labels.geneId.push(gene[r]);
      labels.tissueSiteDetailId.push(tissue[r]);
      labels.variantId.push(variant[r]);
      labels.apiPValue.push(null);
      labels.apiPValueThreshold.push(null);
    }
    pairOf[r] = p;
    sizes[p]++;
  }
  const nPairs = sizes.length;
  const nSamples = sizes.reduce((a, b) => Math.max(a, b), 0);
  const expression = new Float64Array(nPairs * nSamples);
  const dosages = new Float64Array(nPairs * nSamples).fill(NaN);
  const fill = new Int32Array(nPairs);
  for (let r = 0; r < rows; r++) {
    const p = pairOf[r];
    const i = p * nSamples + fill[p]++;
    expression[i] = tpm[r] as number;
    const g = genotype[r];
    if (g !== null) dosages[i] = g;
  }
  const fit = regressMany({ expression, dosages, nPairs, nSamples }, {
    transform,
  });
  return resultFrame(labels, fit, transform);
}

function isDataFrame(v: unknown): v is pl.DataFrame {
  return v !== null && typeof v === "object" &&
    Array.isArray((v as pl.DataFrame).columns) &&
    typeof (v as pl.DataFrame).getColumn === "function";
}

/**
 * Regress transformed expression on ALT dosage for one gene–tissue–variant pair: the effect size,
 * standard error, t statistic and two-sided p-value that the RatGTEx `dyneqtl` route leaves out
 * (GTEx's names: `nes`, `error`, `tStatistic`, `pValue`).
 *
 * Samples with a missing genotype are dropped before the transform (so `"int"` ranks only the
 * analysed samples). Degenerate input (n < 3, one genotype class, constant expression) gives NaN
 * statistics and a `reason`. The recomputed `pValue` is an unadjusted OLS p-value: it will not
 * equal the API's, which is reported beside it as `apiPValue` (see {@linkcode RECOMPUTED_PVALUE_NOTE}).
 *
 * @param input A `dyneqtl` result or `{ data, genotypes }` (optionally with ids and the API's p-values).
 * @param options `transform`: `"none"` (TPM), `"log2"` (log2(TPM+1)) or `"int"` (default, rank inverse-normal).
 * @returns The fit, see {@linkcode EqtlRegression}.
 * @throws {RegressionInputError} On NaN/infinite/negative expression, a dosage other than 0/1/2/null,
 *   or `data`/`genotypes` of different lengths, naming the parameter, index and value.
 *
 * @example
 * ```ts
 * import { regressEqtl } from "ratgtex";
 * const fit = regressEqtl({ data: [1, 2, 4, 5, 8, 9], genotypes: [0, 0, 1, 1, 2, null] }, { transform: "none" });
 * console.log(fit.nes, fit.n, fit.counts); // 3.214285714285714 5 [2, 2, 1]
 * ```
 */
export function regressEqtl(
  input: EqtlInput,
  options?: RegressionOptions,
): EqtlRegression;
/**
 * Regress many pairs at once and return ONE polars DataFrame, one row per gene–tissue–variant.
 *
 * `input` is an array of `dyneqtl` results (or plain inputs with ids), or a long frame with columns
 * `geneId`, `tissueSiteDetailId`, `variantId` (Utf8), `genotype` (ALT dosage 0/1/2, null = missing)
 * and `tpm` (one row per sample; pairs in order of first appearance, samples in row order).
 *
 * Columns of the result: `geneId`, `tissueSiteDetailId`, `variantId` (Utf8, null when not given),
 * `transform` (Utf8), `n` (Int32, samples analysed), `df` (Int32, n − 2, 0 when n < 2), `nes`, `error`,
 * `tStatistic`, `pValue` (recomputed, two-sided), `intercept`, `r2` (Float64, NaN when degenerate),
 * `homoRefCount`, `hetCount`, `homoAltCount` (Int32, analysed samples per dosage), `apiPValue`,
 * `apiPValueThreshold` (Float64, the API's values as given, null when absent or for frame input),
 * `reason` (Utf8, why the statistics are NaN, else null).
 *
 * @param input An array of inputs, or a long polars frame.
 * @param options `transform` (default `"int"`).
 * @returns The result frame described above.
 * @throws {RegressionInputError} As for one pair, naming `input[k].data` / `input[k].genotypes` or the
 *   frame column and row.
 *
 * @example
 * ```ts
 * import { regressEqtl } from "ratgtex";
 * const frame = regressEqtl([
 *   { geneId: "G1", tissueSiteDetailId: "IL", variantId: "chr1:100", data: [1, 2, 4, 5], genotypes: [0, 0, 1, 2] },
 *   { geneId: "G2", tissueSiteDetailId: "IL", variantId: "chr1:100", data: [3, 3, 3, 3], genotypes: [0, 0, 1, 2] },
 * ], { transform: "log2" });
 * console.log(frame.height, frame.getColumn("reason").toArray()[1] !== null); // 2 true
 * ```
 */
export function regressEqtl(
  input: readonly EqtlInput[] | pl.DataFrame,
  options?: RegressionOptions,
): pl.DataFrame;
export function regressEqtl(
  input: EqtlInput | readonly EqtlInput[] | pl.DataFrame,
  options: RegressionOptions = {},
): EqtlRegression | pl.DataFrame {
  const transform = transformOption(options);
  if (Array.isArray(input)) return regressArray(input, transform);
  if (isDataFrame(input)) return regressLongFrame(input, transform);
  // The single result shows itself in Jupyter (table of statistics + the figure).
  return tagResult(regressOne(input as EqtlInput, transform, ""), "regression");
}
