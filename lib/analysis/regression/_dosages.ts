/**
 * Internal: one variant's dosages as tensorQTL prepares them — missing calls imputed with the variant's
 * mean over the called samples (`core.impute_mean`), then centred — written into a row of a matrix, with
 * the allele statistics `map_nominal` reports (`core.get_allele_stats`) and what the degenerate-pair
 * reasons need.
 *
 * @module
 */

/** Slots of the statistics array filled by {@link centreDosages}. */
export const DosageStat = {
  /** Samples with a call. */
  Called: 0,
  /** Distinct called values, capped at 2 (1 = one genotype class). */
  Classes: 1,
  /** Σ (g − mean)² over the imputed, centred dosages. */
  SumSquares: 2,
  /** ALT allele frequency, mean dosage / 2 (the imputed mean keeps the mean). */
  Af: 3,
  /** Samples carrying the minor allele (tensorQTL `ma_samples`). */
  MaSamples: 4,
  /** Minor allele count (tensorQTL `ma_count`). */
  MaCount: 5,
  /** Called samples with dosage 0, 1, 2 (integer dosages only). */
  Count0: 6,
  Count1: 7,
  Count2: 8,
} as const;

/** Length of the statistics array. */
export const DOSAGE_STATS = 9;

/** Where a variant's dosages come from: a matrix (one row of `width` per variant) or rows. */
export interface DosageSource {
  /** Variant-major matrix (missing = -1 in Int8Array, NaN in Float64Array), or one row per variant (missing = null or NaN). */
  values: Int8Array | Float64Array | readonly ArrayLike<number | null>[];
  /** Values per variant row (matrix layouts). */
  width: number;
  /** The row's column of each sample, or null when the row is in sample order. */
  column: Int32Array | null;
}

/** A code that is no dosage (a non-integer value, or an Int8 value other than -1, 0, 1, 2). */
const INVALID = 100;

/**
 * Read variant `v`'s dosages in sample order as codes: -1 missing, 0, 1, 2, or {@link INVALID} for any
 * other value (a non-integer dosage among them). Rows given as arrays are checked for length and type;
 * `bad` builds the error for a non-number.
 */
export function readDosageCodes(
  source: DosageSource,
  v: number,
  n: number,
  codes: Int8Array,
  bad: (index: number, value: unknown) => Error,
  badLength: (length: unknown) => Error,
): void {
  const { values, column, width } = source;
  if (values instanceof Int8Array) {
    const base = v * width;
    if (column === null) codes.set(values.subarray(base, base + n));
    else for (let s = 0; s < n; s++) codes[s] = values[base + column[s]];
  } else if (values instanceof Float64Array) {
    const base = v * width;
    for (let s = 0; s < n; s++) {
      const x = values[base + (column === null ? s : column[s])];
      codes[s] = x !== x ? -1 : (x | 0) === x && x >= 0 && x <= 2 ? x : INVALID;
    }
  } else {
    const row = values[v];
    if (row?.length !== width) throw badLength(row?.length);
    if (row instanceof Float64Array) {
      for (let s = 0; s < n; s++) {
        const x = row[column === null ? s : column[s]];
        codes[s] = x !== x ? -1 : (x | 0) === x && x >= 0 && x <= 2 ? x : INVALID;
      }
      return;
    }
    for (let s = 0; s < n; s++) {
      const c = column === null ? s : column[s];
      const x = row[c];
      if (x === null) codes[s] = -1;
      else if (typeof x !== "number") throw bad(c, x);
      else codes[s] = x !== x ? -1 : (x | 0) === x && x >= 0 && x <= 2 ? x : INVALID;
    }
  }
}

/**
 * Read variant `v`'s dosages in sample order as numbers into `raw` (NaN = missing): the path for
 * non-integer dosages (after {@link readDosageCodes} found one).
 */
export function readDosages(source: DosageSource, v: number, n: number, raw: Float64Array): void {
  const { values, column, width } = source;
  if (values instanceof Int8Array) {
    const base = v * width;
    for (let s = 0; s < n; s++) {
      const x = values[base + (column === null ? s : column[s])];
      raw[s] = x === -1 ? NaN : x;
    }
  } else if (values instanceof Float64Array) {
    const base = v * width;
    for (let s = 0; s < n; s++) raw[s] = values[base + (column === null ? s : column[s])];
  } else {
    const row = values[v];
    for (let s = 0; s < n; s++) {
      const x = row[column === null ? s : column[s]];
      raw[s] = x === null ? NaN : x;
    }
  }
}

const CENTRED = new Float64Array(4);

/**
 * {@link centreDosages} for integer codes (see {@link readDosageCodes}): the counts of 0, 1, 2 and missing
 * follow from three integer sums (Σ missing, Σx, Σx² over the calls), then every centred value comes
 * from a four-entry table: no per-sample branch (random genotypes mispredict them) and no histogram in
 * memory (its increments chain through store-to-load forwarding). Returns the index of the first
 * invalid code, or -1.
 */
export function centreDosageCodes(
  codes: Int8Array,
  n: number,
  out: Float64Array,
  offset: number,
  stats: Float64Array,
): number {
  let missing = 0;
  let sum = 0;
  let sumSq = 0;
  let invalid = 0;
  for (let s = 0; s < n; s++) {
    const x = codes[s];
    const m = x >> 31; // -1 for a missing call (and any negative), else 0; int32 throughout
    missing -= m;
    sum += x - m;
    sumSq += x * x + m;
    invalid |= (x + 1) & ~3; // non-zero unless x is -1, 0, 1 or 2
  }
  if (invalid !== 0) {
    for (let s = 0; s < n; s++) if (codes[s] < -1 || codes[s] > 2) return s;
  }
  const c2 = (sumSq - sum) / 2;
  const c1 = sum - 2 * c2;
  const called = n - missing;
  const c0 = called - c1 - c2;
  const mean = called > 0 ? sum / called : 0;
  const t = CENTRED;
  t[0] = 0;
  t[1] = -mean;
  t[2] = 1 - mean;
  t[3] = 2 - mean;
  for (let s = 0; s < n; s++) out[offset + s] = t[codes[s] + 1];
  const gg = c0 * t[1] * t[1] + c1 * t[2] * t[2] + c2 * t[3] * t[3];
  fillStats(stats, n, called, (c0 > 0 ? 1 : 0) + (c1 > 0 ? 1 : 0) + (c2 > 0 ? 1 : 0), gg, mean, c1 + c2, sum, c0 + c1);
  stats[DosageStat.Count0] = c0;
  stats[DosageStat.Count1] = c1;
  stats[DosageStat.Count2] = c2;
  return -1;
}

function fillStats(
  stats: Float64Array,
  n: number,
  called: number,
  classes: number,
  gg: number,
  mean: number,
  above: number,
  aboveSum: number,
  below: number,
): void {
  // The imputed samples carry the mean: they count as carriers when it exceeds 0.5 (as tensorQTL's
  // get_allele_stats counts the imputed matrix).
  const missing = n - called;
  if (mean > 0.5) {
    above += missing;
    aboveSum += missing * mean;
  }
  if (mean < 1.5) below += missing;
  const af = mean / 2;
  stats[DosageStat.Called] = called;
  stats[DosageStat.Classes] = Math.min(classes, 2);
  stats[DosageStat.SumSquares] = gg;
  stats[DosageStat.Af] = called > 0 ? af : NaN;
  // tensorQTL: the minor allele is ALT when af ≤ 0.5; counts truncated as torch's .int() does.
  stats[DosageStat.MaSamples] = af <= 0.5 ? above : below;
  stats[DosageStat.MaCount] = af <= 0.5 ? Math.trunc(aboveSum) : 2 * n - Math.trunc(aboveSum);
}

/**
 * Validate `raw` (NaN = missing; finite in [0, 2]), impute the missing with the called mean, centre, and
 * write the row to `out[offset … offset + n)`; fill `stats` (see {@link DosageStat}; no dosage counts).
 * A variant without any call is imputed with 0 (its reason comes from `Called`). Returns the index of
 * the first invalid value, or -1.
 */
export function centreDosages(
  raw: Float64Array,
  n: number,
  out: Float64Array,
  offset: number,
  stats: Float64Array,
): number {
  let called = 0;
  let sum = 0;
  let low = Infinity;
  let high = -Infinity;
  let above = 0;
  let aboveSum = 0;
  let below = 0;
  for (let s = 0; s < n; s++) {
    const x = raw[s];
    if (x !== x) continue;
    if (!(x >= 0 && x <= 2)) return s;
    called++;
    sum += x;
    if (x < low) low = x;
    if (x > high) high = x;
    if (x > 0.5) {
      above++;
      aboveSum += x;
    }
    if (x < 1.5) below++;
  }
  const mean = called > 0 ? sum / called : 0;
  let gg = 0;
  for (let s = 0; s < n; s++) {
    const x = raw[s];
    const c = (x === x ? x : mean) - mean;
    out[offset + s] = c;
    gg += c * c;
  }
  fillStats(stats, n, called, called === 0 ? 0 : low === high ? 1 : 2, gg, mean, above, aboveSum, below);
  stats[DosageStat.Count0] = stats[DosageStat.Count1] = stats[DosageStat.Count2] = NaN;
  return -1;
}
