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

const LOG2_BITS = new Float64Array(1);
const LOG2_HI = new Uint32Array(LOG2_BITS.buffer, 4, 1); // the high word (exponent) on little-endian hosts
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** 2^−e for e = 0…1023: scales x = 1 + v to its mantissa in [1, 2), exactly, without a division. */
const POW2_NEG = Float64Array.from({ length: 1024 }, (_, e) => Math.pow(2, -e));
/** The 128 sub-intervals [c_j, c_j + 1/128) of [1, 2): c_j = 1 + j/128 (exact), 1/c_j and log2(c_j). */
const LOG2_C = Float64Array.from({ length: 128 }, (_, j) => 1 + j / 128);
const LOG2_INV_C = LOG2_C.map((c) => 1 / c);
const LOG2_OF_C = LOG2_C.map((c) => Math.log2(c));

/**
 * log2(1 + v) for finite v ≥ 0, within 1.5 ulp of `Math.log2(1 + v)` (2 M values from 1e-7 to 1e13) and
 * 2–3× faster (40 M TPM values: ~870 → ~340 ms): x = 2^e·m from the bits, m = c_j·(1 + r) with
 * |r| < 1/128 from a 128-entry table (m − c_j is exact), and log(1 + r) by its series to r⁷.
 */
export function log2OnePlus(v: number): number {
  const x = 1 + v;
  if (!LITTLE_ENDIAN) return Math.log2(x);
  LOG2_BITS[0] = x;
  const hi = LOG2_HI[0];
  const e = (hi >>> 20) - 1023;
  const j = (hi >>> 13) & 127;
  const r = (x * POW2_NEG[e] - LOG2_C[j]) * LOG2_INV_C[j];
  const r2 = r * r;
  const ln1pr = r - r2 * (0.5 - r * (1 / 3)) + r2 * r2 * ((-0.25 + r * 0.2) + r2 * (-(1 / 6) + r * (1 / 7)));
  return (e + LOG2_OF_C[j]) + ln1pr * (1 / Math.LN2);
}

/** yBuf[s] = log2(1 + expression[base + s]) for the pair's samples, each value checked first. */
function log2Into(expression: Float64Array, base: number, nSamples: number, yBuf: Float64Array): void {
  for (let s = 0; s < nSamples; s++) {
    const v = expression[base + s];
    if (!(v >= 0 && v < Infinity)) throw badExpression("expression", base + s, v);
    yBuf[s] = log2OnePlus(v);
  }
}

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
  // Values near the float limits: squares of |y| ≥ ~1e154 overflow and of |y| ≤ ~1e-154 underflow, so the
  // fit is made on y / s and its slope, SE and intercept scaled back (t, p and r² do not change with s).
  const scale = extremeScale(y, n);
  if (scale !== 1) {
    const scaled = new Float64Array(n);
    for (let i = 0; i < n; i++) scaled[i] = y[i] / scale;
    fitOls(x, scaled, n, classes, out);
    out.nes *= scale;
    out.error *= scale;
    out.intercept *= scale;
    return;
  }
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
 * The power of two to divide y by before a fit when its largest magnitude is beyond 1e100 or (nonzero)
 * below 1e-100 — where sums of squares over a few thousand samples would overflow or lose precision in
 * subnormals — else 1. A power of two: the division is exact.
 */
function extremeScale(y: Float64Array, n: number): number {
  let max = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(y[i]);
    if (a > max) max = a;
  }
  if (!(max > 1e100 || (max > 0 && max < 1e-100)) || !Number.isFinite(max)) return 1;
  return 2 ** Math.round(Math.log2(max));
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
 * Moments of one pair straight from the batch arrays (transform "none" or "log2"), in one pass over the
 * pair's samples: sums of g, g², y − c, (y − c)² and g·(y − c) with the shift c = the pair's first value,
 * so the centred moments lose almost nothing to cancellation (the mean of y − c is within a few standard
 * deviations of 0). When they might not (see {@linkcode storeShifted}: a first value far in a tail), the pair is redone
 * in two centred passes. Dosage sums are exact integers. One pass instead of two, with the validity checks
 * in it: 100,000 pairs × 400 samples, 247 → 132 ms CPU. One function per dosage array type keeps every
 * element access monomorphic. Writes [n, Σg, Σg², ȳ, Sxx, Sxy, Syy] into `acc`; log2 values into `yBuf`.
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
  // log2 values first, in their own tight loop (inlined into the moments loop it slowed the plain
  // case by 1.8×); the moments loop then reads them from L1.
  if (log2) log2Into(expression, base, nSamples, yBuf);
  const c = log2 ? yBuf[0] : expression[base];
  let n = 0;
  let sg = 0;
  let sgg = 0;
  let sy = 0;
  let syy = 0;
  let sgy = 0;
  let sga = 0;
  for (let s = 0; s < nSamples; s++) {
    const i = base + s;
    const v = expression[i];
    if (!(v >= 0 && v < Infinity)) throw badExpression("expression", i, v);
    const g = dosages[i];
    if (g === -1) continue; // missing call
    if (g < 0 || g > 2) throw badDosage("dosages", i, g, "-1");
    const d = (log2 ? yBuf[s] : v) - c;
    n++;
    sg += g;
    sgg += g * g;
    sy += d;
    syy += d * d;
    sgy += g * d;
    sga += g * Math.abs(d);
  }
  if (!storeShifted(n, sg, sgg, c, sy, syy, sgy, sga, acc)) {
    momentsTwoPass(expression, dosages, base, nSamples, log2, yBuf, acc);
  }
}

/**
 * The centred moments from the shifted sums of one pass into `acc`; false (nothing stored) when they could
 * be off by more than about 2⁻⁴³ relative, or n = 0: then the caller redoes the pair in two centred passes.
 * Syy loses log2(Σ(y − c)² / Syy) bits to cancellation (at most 6 accepted); Sxy's rounding error is at most a
 * few ε·Σg·|y − c| (`sga`), so Sxy is accepted when that is below 2¹⁰·|Sxy| (a first value far in a tail, or
 * a correlation |r| below ~1e-3, falls back: ~2 % of null pairs; at 2¹⁰ for Syy alone the p-values were
 * 1.8e-11 from statsmodels', with both checks 6e-13).
 */
function storeShifted(
  n: number,
  sg: number,
  sgg: number,
  c: number,
  sy: number,
  syy: number,
  sgy: number,
  sga: number,
  acc: Float64Array,
): boolean {
  const mean = sy / n;
  const Syy = syy - sy * mean;
  const Sxy = sgy - sg * mean;
  if (!(Syy * 64 >= syy) || !(Math.abs(Sxy) * 1024 >= sga + Math.abs(sg * mean))) return false;
  acc[0] = n;
  acc[1] = sg;
  acc[2] = sgg;
  acc[3] = c + mean;
  acc[4] = sgg - (sg * sg) / n;
  acc[5] = Sxy;
  acc[6] = Syy;
  return true;
}

/**
 * The two centred passes of {@linkcode momentsInt8} and {@linkcode momentsFloat64}, for the rare pairs whose
 * shifted sums would cancel. Their one pass has already checked every value; `yBuf` holds the log2 values.
 */
function momentsTwoPass(
  expression: Float64Array,
  dosages: Int8Array | Float64Array,
  base: number,
  nSamples: number,
  log2: boolean,
  yBuf: Float64Array,
  acc: Float64Array,
): void {
  const int8 = dosages instanceof Int8Array;
  let n = 0;
  let sg = 0;
  let sgg = 0;
  let sy = 0;
  for (let s = 0; s < nSamples; s++) {
    const g = dosages[base + s];
    if (int8 ? g === -1 : g !== g) continue;
    n++;
    sg += g;
    sgg += g * g;
    sy += log2 ? yBuf[s] : expression[base + s];
  }
  const mg = sg / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let s = 0; s < nSamples; s++) {
    const g = dosages[base + s];
    if (int8 ? g === -1 : g !== g) continue;
    const dx = g - mg;
    const dy = (log2 ? yBuf[s] : expression[base + s]) - my;
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

/** As {@linkcode momentsInt8} for Float64Array dosages (NaN = missing): the same operations, so the same bits. */
export function momentsFloat64(
  expression: Float64Array,
  dosages: Float64Array,
  base: number,
  nSamples: number,
  log2: boolean,
  yBuf: Float64Array,
  acc: Float64Array,
): void {
  // log2 values first, in their own tight loop (inlined into the moments loop it slowed the plain
  // case by 1.8×); the moments loop then reads them from L1.
  if (log2) log2Into(expression, base, nSamples, yBuf);
  const c = log2 ? yBuf[0] : expression[base];
  let n = 0;
  let sg = 0;
  let sgg = 0;
  let sy = 0;
  let syy = 0;
  let sgy = 0;
  let sga = 0;
  for (let s = 0; s < nSamples; s++) {
    const i = base + s;
    const v = expression[i];
    if (!(v >= 0 && v < Infinity)) throw badExpression("expression", i, v);
    const g = dosages[i];
    if (g !== g) continue; // NaN: missing call
    // One predictable test (a chain of === per value mispredicts on mixed dosages).
    if (!(g >= 0 && g <= 2) || (g | 0) !== g) throw badDosage("dosages", i, g, "NaN");
    const d = (log2 ? yBuf[s] : v) - c;
    n++;
    sg += g;
    sgg += g * g;
    sy += d;
    syy += d * d;
    sgy += g * d;
    sga += g * Math.abs(d);
  }
  if (!storeShifted(n, sg, sgg, c, sy, syy, sgy, sga, acc)) {
    momentsTwoPass(expression, dosages, base, nSamples, log2, yBuf, acc);
  }
}
