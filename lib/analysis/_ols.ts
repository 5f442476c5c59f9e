/**
 * Internal: the ordinary-least-squares kernels of the eQTL regression: the two-pass fit of one pair,
 * the closed form from centred moments (with the degenerate cases), and the moments of one batch pair
 * read straight from the pair-major arrays.
 *
 * @module
 */
import { studentTTwoSidedPValue } from "./distributions.ts";
import { badDosage, badExpression } from "./_regression_input.ts";
import type { EqtlRegressionColumns } from "./regression_types.ts";

/** Result slots of one fit; reused across pairs so the batch path allocates nothing per pair. */
export interface FitSlots {
  nes: number;
  error: number;
  tStatistic: number;
  pValue: number;
  intercept: number;
  r2: number;
  reason: string | null;
}

export function newSlots(): FitSlots {
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

/** Result columns for `nPairs` pairs (zeros, reasons null), to be filled pair by pair. */
export function emptyColumns(nPairs: number): EqtlRegressionColumns {
  return {
    n: new Int32Array(nPairs),
    df: new Int32Array(nPairs),
    nImputed: new Int32Array(nPairs),
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
}

/** Store one fit's slots as pair `p` of the result columns. */
export function storeFit(out: EqtlRegressionColumns, p: number, slots: FitSlots): void {
  out.nes[p] = slots.nes;
  out.error[p] = slots.error;
  out.tStatistic[p] = slots.tStatistic;
  out.pValue[p] = slots.pValue;
  out.intercept[p] = slots.intercept;
  out.r2[p] = slots.r2;
  out.reason[p] = slots.reason;
}

/**
 * OLS of y on x (first n entries), two-pass (centred sums: no cancellation from large means).
 * `classes` is the number of distinct dosages present.
 */
export function fitOls(
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
export function mayBeRoundingNoise(n: number, mean: number, syy: number): boolean {
  return syy <= 4 * n * n * n * Number.EPSILON * Number.EPSILON * mean * mean;
}

/** Whether the analysed (non-missing) values of one batch pair are all equal; see {@linkcode mayBeRoundingNoise}. */
export function analysedValuesEqual(
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
export function fitFromMoments(
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
export function momentsInt8(
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
export function momentsFloat64(
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
