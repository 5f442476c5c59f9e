/**
 * Linkage disequilibrium between variants from genotype calls, as plink 1.9 computes it.
 *
 * Input: one `Int8Array` per variant over the same rats — the ALT allele count from `GT` (0, 1, 2), −1 for
 * a missing call — or a `{ calls, id?, multiAllelic? }` object; or, for `ldMatrix`, the bit-packed form
 * `packGenotypes` builds. Missing calls are excluded pair by pair: each pair's statistics use the rats
 * called at both variants (`n`), as `plink --r2` and the RatGTEx v3 `/ld` route did.
 *
 * Statistics (each named for what it is, since plink's "r²" means two different things):
 *
 * | field | what | equal to |
 * |---|---|---|
 * | `r2` | squared Pearson correlation of the dosages | `plink1.9 --r2` and `--r2 square` (same operations, same doubles) |
 * | `r` | signed correlation of the ALT dosages | `plink1.9 --r` / `--r square` (with `--keep-allele-order`) |
 * | `r2Haplotype` | D² / (p₁q₁p₂q₂) from haplotype frequencies estimated from the two-locus genotype table | the `R2` column of `plink1.9 --r2 dprime` |
 * | `dprime` | D / Dmax from the same haplotype frequencies, unsigned | the `DP` column of `plink1.9 --r2 dprime` |
 * | `dprimeSigned` | D′ of the ALT–ALT haplotype (negative: ALT at one goes with REF at the other) | `plink1.9 --r dprime-signed --keep-allele-order` |
 * | `r2V3` | pandas' pairwise-complete Pearson r, squared, rounded to 3 decimals (numpy, half to even) | the removed RatGTEx `/api/v3/ld` route |
 *
 * `r2` and `r2Haplotype` coincide when the rats' haplotypes combine at random (Hardy–Weinberg); in
 * inbred-derived rats they often differ. A pair gets `null` statistics and a `reason` when no number can be
 * given: a variant with a single genotype (or allele) among the rats called at both, too few such rats, a
 * multi-allelic site.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ldWithLead } from "ratgtex/analysis";
 * const lead = Int8Array.from([0, 1, 2, 1, 0, 2, -1]);
 * const [same, flipped] = ldWithLead(lead, [Int8Array.from([0, 1, 2, 1, 0, 2, 1]), Int8Array.from([2, 1, 0, 1, 2, 0, 0])]);
 * assert.equal(same.r2, 1);
 * assert.equal(flipped.r, -1);
 * assert.equal(same.n, 6); // the rat missing at the lead is left out of this pair only
 * ```
 *
 * @module
 */
import { RatGtexError, ValidationError } from "../../_core/errors.ts";
import { checkOptions, type OptionSpec } from "../../_core/options.ts";
import { type LdKernels, ldKernels } from "./_ld_kernels.ts";
import { callsOf, packCalls } from "./_ld_pack.ts";
import type { LdKernelChoice, PackedGenotypes, VariantCalls } from "./ld_types.ts";
import { dosageLd, haplotypeLd } from "./_ld_stats.ts";

export type { LdKernelChoice, PackedGenotypes, VariantCalls } from "./ld_types.ts";

/** LD between two variants. Statistics are `null` exactly when `reason` says why. */
export interface LdPair {
  /** Squared correlation of the dosages (plink `--r2`, `--r2 square`); `r · r`. */
  r2: number | null;
  /** Signed correlation of the ALT dosages. */
  r: number | null;
  /** Haplotype-frequency r² (the `R2` of plink `--r2 dprime`). */
  r2Haplotype: number | null;
  /** Unsigned D′ (the `DP` of plink `--r2 dprime`). */
  dprime: number | null;
  /**
   * D′ of the ALT–ALT haplotype, signed (negative: ALT at one variant travels with REF at the other).
   * Where the likelihood is symmetric in D (e.g. a variant heterozygous in every rat) the sign is plink's
   * arbitrary choice.
   */
  dprimeSigned: number | null;
  /** The RatGTEx v3 `/ld` route's value: pandas' pairwise-complete r², rounded to 3 decimals. */
  r2V3: number | null;
  /** Rats called at both variants. */
  n: number;
  /** Why a statistic is `null`; `null` when every statistic is given. */
  reason: string | null;
}

/** Options of {@link ldWithLead}. */
export interface LdOptions {
  /**
   * Code allele 1 of every variant as ALT, as plink's `--keep-allele-order` does. By default (`false`)
   * allele 1 is the minor allele over the variant's called rats (ALT on a tie), as plink's default. The
   * coding changes only the haplotype estimate, and only where its likelihood is flat or symmetric: the
   * sign of D′ where the likelihood is symmetric in D (a variant heterozygous in every rat), and ≤ 4e-8
   * near a double root of plink's cubic (plink's two codings differ the same way). Signed statistics are
   * reported for ALT alleles either way.
   */
  keepAlleleOrder?: boolean;
  /** Fewest rats called at both variants for a number (default 2; fewer can never give one). */
  minRats?: number;
  /** The popcount kernel: WebAssembly when available (`"auto"`, the default), or `"wasm"`, or `"js"`. */
  kernel?: LdKernelChoice;
}

/** Options of {@link ldMatrix}. */
export interface LdMatrixOptions extends LdOptions {
  /** Also the signed dosage correlation `r` (default `false`). */
  signed?: boolean;
  /** Also `r2Haplotype` and `dprime` (default `false`: they cost a cubic per pair). */
  haplotype?: boolean;
}

/** A square LD matrix over `variantCount` variants, row-major, in the order given. */
export interface LdMatrix {
  /** Number of variants. */
  readonly variantCount: number;
  /** The variants' IDs where given. */
  readonly variantIds: readonly (string | null)[];
  /** Dosage r² (plink `--r2 square`), `variantCount²` cells; `NaN` where `reason(i, j)` says why. */
  readonly r2: Float64Array;
  /** Signed dosage r (with `signed: true`), else `null`. */
  readonly r: Float64Array | null;
  /** Haplotype-frequency r² (with `haplotype: true`), else `null`. */
  readonly r2Haplotype: Float64Array | null;
  /** Unsigned D′ (with `haplotype: true`), else `null`. */
  readonly dprime: Float64Array | null;
  /** Pairs `i < j` whose `r2` is `NaN`. */
  readonly undefinedPairs: number;
  /** Which kernel ran. */
  readonly kernel: "wasm" | "js";
  /** Why the pair's cells are `NaN` (`null` when they hold numbers). */
  reason(i: number, j: number): string | null;
  /** Every statistic of one pair, as {@link ldWithLead} gives it. */
  pair(i: number, j: number): LdPair;
}

const KERNELS = ["auto", "wasm", "js"];
const OPTION_SPEC: OptionSpec = {
  keepAlleleOrder: "boolean",
  minRats: { is: (v) => Number.isInteger(v) && (v as number) >= 1, expected: "a whole number ≥ 1" },
  kernel: { is: (v) => KERNELS.includes(v as string), expected: '"auto", "wasm" or "js"' },
};
const MATRIX_SPEC: OptionSpec = { ...OPTION_SPEC, signed: "boolean", haplotype: "boolean" };

/** Largest `ldMatrix`: 2²⁸ cells (2 GiB per Float64 matrix). */
const MAX_MATRIX_VARIANTS = 16384;

/**
 * Pack variants into the bit planes the LD kernels read (the layout is documented on
 * {@link PackedGenotypes}); pack once and pass the result to {@link ldMatrix} to reuse it.
 *
 * @param variants One `Int8Array` of calls per variant (0/1/2 ALT alleles, −1 missing), or
 *   `{ calls, id?, multiAllelic? }`; all over the same rats.
 * @returns The packed variants with their per-variant totals.
 * @throws {ValidationError} when call arrays differ in length or hold a value other than −1, 0, 1, 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { packGenotypes } from "ratgtex/analysis";
 * const packed = packGenotypes([Int8Array.from([0, 1, 2, -1]), { calls: Int8Array.from([2, 2, 1, 0]), id: "chr1:5" }]);
 * assert.equal(packed.ratCount, 4);
 * assert.deepEqual([...packed.called], [3, 4]);
 * assert.deepEqual([...packed.altAlleles], [3, 5]);
 * assert.deepEqual(packed.ids, [null, "chr1:5"]);
 * ```
 */
export function packGenotypes(variants: readonly VariantCalls[]): PackedGenotypes {
  if (!Array.isArray(variants)) {
    throw new ValidationError("variants", variants, "expected an array of variants", "pass [calls1, calls2, …]");
  }
  return packCalls(variants.map((v, i) => callsOf(v, `variants[${i}]`)), (i) => `variants[${i}]`);
}

/**
 * LD between a lead variant and each of `others` (e.g. every variant within a window of a GWAS hit).
 *
 * @param lead The lead variant's calls (or `{ calls, id?, multiAllelic? }`).
 * @param others The other variants' calls, over the same rats.
 * @param options `keepAlleleOrder`, `minRats`, `kernel` (see {@link LdOptions}).
 * @returns One {@link LdPair} per other variant, in order: `r2`, `r`, `r2Haplotype`, `dprime`,
 *   `dprimeSigned`, `r2V3`, `n`, `reason`.
 * @throws {ValidationError} for calls of different lengths or values other than −1/0/1/2, bad options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ldWithLead } from "ratgtex/analysis";
 * const lead = { id: "chr1:100", calls: Int8Array.from([0, 0, 1, 1, 2, 2, 1, 0]) };
 * const [tagged, flat] = ldWithLead(lead, [
 *   Int8Array.from([0, 0, 1, 1, 2, 2, 1, 1]),
 *   { id: "chr1:200", calls: Int8Array.from([0, 0, 0, 0, 0, 0, 0, 0]) },
 * ]);
 * assert.ok(tagged.r2! > 0.8 && tagged.dprime === 1);
 * assert.equal(tagged.r2V3, Math.round(tagged.r2! * 1000) / 1000);
 * assert.equal(flat.r2, null);
 * assert.match(flat.reason!, /chr1:200 has one genotype \(0\/0\) in all 8 rats called at both/);
 * ```
 */
export function ldWithLead(lead: VariantCalls, others: readonly VariantCalls[], options?: LdOptions): LdPair[] {
  const opts = checkOptions<LdOptions>(options, OPTION_SPEC, {
    usage: "ldWithLead(lead, others, { keepAlleleOrder?, minRats?, kernel? })",
  });
  if (!Array.isArray(others)) {
    throw new ValidationError("others", others, "expected an array of variants", "pass [calls1, calls2, …]");
  }
  const all = [callsOf(lead, "lead"), ...others.map((o, k) => callsOf(o, `others[${k}]`))];
  const packed = packCalls(all, (i) => (i === 0 ? "lead" : `others[${i - 1}]`));
  const m = others.length;
  if (m === 0) return [];
  const stride = 24 * packed.words;
  const outPtr = packed.data.byteLength;
  const kernels = kernelsFor(opts.kernel ?? "auto", outPtr + 36 * m);
  kernels.u32().set(packed.data);
  kernels.counts9(0, stride, m, packed.words, stride, outPtr);
  const counts = kernels.i32().slice(outPtr >> 2, (outPtr >> 2) + 9 * m);
  const ctx = pairContext(packed, opts, (v) => (v === 0 ? "the lead variant" : `others[${v - 1}]`));
  const leadCalls = all[0].calls;
  return Array.from({ length: m }, (_, k) => pairFromCounts(ctx, counts, 9 * k, 0, k + 1, leadCalls, all[k + 1].calls));
}

/**
 * The square LD matrix of `variants` (dosage r², as `plink1.9 --r2 square`; optionally signed r, and the
 * haplotype-frequency r² and D′), on bit-packed calls with a WebAssembly popcount kernel, one thread.
 *
 * @param variants Call arrays (or `{ calls, id?, multiAllelic? }`), or what {@link packGenotypes} returned.
 * @param options `signed`, `haplotype`, `keepAlleleOrder`, `minRats`, `kernel` (see {@link LdMatrixOptions}).
 * @returns An {@link LdMatrix}: `r2` (and `r`, `r2Haplotype`, `dprime` when asked) as row-major
 *   `Float64Array`s, symmetric, `NaN` where `reason(i, j)` gives the reason; `pair(i, j)` for every statistic.
 * @throws {ValidationError} for bad calls or options, or more than 16,384 variants.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ldMatrix } from "ratgtex/analysis";
 * const ld = ldMatrix([
 *   Int8Array.from([0, 1, 2, 1, 0]),
 *   Int8Array.from([0, 1, 2, 1, 1]),
 *   Int8Array.from([1, 1, 1, 1, 1]),
 * ], { signed: true });
 * assert.equal(ld.r2[0 * 3 + 0], 1);
 * assert.equal(ld.r2[0 * 3 + 1], ld.r2[1 * 3 + 0]);
 * assert.ok(Number.isNaN(ld.r2[0 * 3 + 2]));
 * assert.match(ld.reason(0, 2)!, /variant 2 has one genotype \(0\/1\)/);
 * assert.equal(ld.undefinedPairs, 2);
 * ```
 */
export function ldMatrix(variants: readonly VariantCalls[] | PackedGenotypes, options?: LdMatrixOptions): LdMatrix {
  const opts = checkOptions<LdMatrixOptions>(options, MATRIX_SPEC, {
    usage: "ldMatrix(variants, { signed?, haplotype?, keepAlleleOrder?, minRats?, kernel? })",
  });
  const packed = isCallList(variants) ? packGenotypes(variants) : checkPacked(variants);
  const m = packed.variantCount;
  if (m > MAX_MATRIX_VARIANTS) {
    throw new ValidationError(
      "variants",
      `${m} variants`,
      `a ${m} × ${m} matrix needs ${((m * m * 8) / 2 ** 30).toFixed(1)} GiB per statistic`,
      `split the region into blocks of at most ${MAX_MATRIX_VARIANTS} variants, or use ldWithLead for one lead`,
    );
  }
  const n = packed.ratCount, words = packed.words, stride = 24 * words;
  const dataBytes = packed.data.byteLength;
  const outPtr = dataBytes, out1Ptr = dataBytes + 36 * m;
  const kernels = kernelsFor(opts.kernel ?? "auto", out1Ptr + 36);
  kernels.u32().set(packed.data);
  const ctx = pairContext(packed, opts, (v) => `variant ${v}`);
  const signed = opts.signed === true, haplotype = opts.haplotype === true;
  const r2 = new Float64Array(m * m);
  const r = signed ? new Float64Array(m * m) : null;
  const r2h = haplotype ? new Float64Array(m * m) : null;
  const dp = haplotype ? new Float64Array(m * m) : null;

  // Per variant: complete (called in every rat, biallelic), and its sums.
  const complete = new Uint8Array(m);
  const sums = new Float64Array(m), squares = new Float64Array(m);
  const incompleteAfter = new Int32Array(m + 1); // variants at index ≥ i that are not complete
  for (let v = m - 1; v >= 0; v--) {
    complete[v] = packed.called[v] === n && packed.multiAllelic[v] === 0 ? 1 : 0;
    sums[v] = packed.altAlleles[v];
    squares[v] = packed.altAlleles[v] + 2 * packed.homAlt[v];
    incompleteAfter[v] = incompleteAfter[v + 1] + (complete[v] ? 0 : 1);
  }
  const multi = packed.multiAllelic, minRats = ctx.minRats;
  const cell = new Float64Array(2);
  // One pair from its nine counts at `c[o]`, into row i's cell j (upper triangle only).
  const fromCounts = (c: Int32Array, o: number, i: number, j: number): void => {
    const k = i * m + j, nn = c[o + 8];
    if (multi[i] || multi[j] || nn < minRats) {
      r2[k] = NaN;
      if (r) r[k] = NaN;
      if (r2h && dp) r2h[k] = dp[k] = NaN;
      return;
    }
    const am = c[o + 4], bm = c[o + 5], ma = c[o + 6], mb = c[o + 7];
    dosageLd(nn, am + bm, am + 3 * bm, ma + mb, ma + 3 * mb, c[o] + c[o + 1] + c[o + 2] + c[o + 3], cell);
    r2[k] = cell[0];
    if (r) r[k] = cell[1];
    if (r2h && dp) {
      hapTable(ctx, c, o, i, j);
      if (haplotypeLd(tableBuf, cell)) {
        r2h[k] = cell[0];
        dp[k] = Math.abs(cell[1]);
      } else r2h[k] = dp[k] = NaN;
    }
  };
  const work: DosageWork = {
    m,
    n,
    minRats,
    sums,
    squares,
    complete,
    r2,
    r,
    pending: new Int32Array(m),
  };
  for (let i = 0; i < m; i++) {
    const count = m - i;
    const rowPtr = i * stride;
    // Rows and columns with missing calls need the nine counts; a complete row against complete
    // columns needs only Σ dosage · dosage (the faster kernel), used when most of its columns are complete.
    if (!haplotype && complete[i] && incompleteAfter[i] * 4 <= count) {
      kernels.dot(rowPtr, rowPtr, count, words, stride, outPtr);
      const left = dosageRowFromDots(work, i, kernels.i32(), (outPtr >> 2) - i);
      for (let t = 0; t < left; t++) {
        const j = work.pending[t];
        kernels.counts9(rowPtr, j * stride, 1, words, stride, out1Ptr);
        fromCounts(kernels.i32(), out1Ptr >> 2, i, j);
      }
    } else {
      kernels.counts9(rowPtr, rowPtr, count, words, stride, outPtr);
      const c = kernels.i32();
      const c0 = (outPtr >> 2) - 9 * i;
      if (haplotype || multi[i]) {
        for (let j = i; j < m; j++) fromCounts(c, c0 + 9 * j, i, j);
      } else {
        const left = dosageRowFromCounts(work, i, c, c0, multi);
        for (let t = 0; t < left; t++) fromCounts(c, c0 + 9 * work.pending[t], i, work.pending[t]);
      }
    }
  }
  for (const a of [r2, r, r2h, dp]) if (a) mirrorUpper(a, m);
  let undefinedPairs = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) if (r2[i * m + j] !== r2[i * m + j]) undefinedPairs++;
  const pair = (i: number, j: number): LdPair => {
    checkIndex(i, m, "i");
    checkIndex(j, m, "j");
    const c = pairCountsJs(packed, i, j);
    return pairFromCounts(ctx, c, 0, i, j, unpack(packed, i), unpack(packed, j));
  };
  return {
    variantCount: m,
    variantIds: packed.ids,
    r2,
    r,
    r2Haplotype: r2h,
    dprime: dp,
    undefinedPairs,
    kernel: kernels.name,
    reason: (i, j) => pair(i, j).reason,
    pair,
  };
}

// ---------------------------------------------------------------------------------------------------

function kernelsFor(choice: LdKernelChoice, bytes: number): LdKernels {
  const k = ldKernels(choice, bytes);
  if (!k) {
    throw new RatGtexError('kernel "wasm" was asked but this runtime has no WebAssembly', {
      hint: 'use kernel: "auto" (falls back to the TypeScript kernel) or "js"',
    });
  }
  k.reserve(bytes);
  return k;
}

function isCallList(v: readonly VariantCalls[] | PackedGenotypes): v is readonly VariantCalls[] {
  return Array.isArray(v);
}

function checkPacked(p: PackedGenotypes): PackedGenotypes {
  if (
    p === null || typeof p !== "object" || p.format !== "ld-bitplanes-1" || !(p.data instanceof Uint32Array) ||
    p.data.length !== p.variantCount * p.words * 6
  ) {
    throw new ValidationError(
      "variants",
      p,
      "expected an array of call arrays, or the result of packGenotypes()",
      "pass [calls1, calls2, …] or packGenotypes([calls1, calls2, …])",
    );
  }
  return p;
}

/**
 * What the two hot row loops of `ldMatrix` read and write (separate small functions, optimised by V8 after
 * a few rows, rather than one long loop inside ldMatrix's body).
 */
interface DosageWork {
  m: number;
  n: number;
  minRats: number;
  sums: Float64Array;
  squares: Float64Array;
  complete: Uint8Array;
  r2: Float64Array;
  r: Float64Array | null;
  /** Columns the row loop left for the nine-count path; the loops return how many. */
  pending: Int32Array;
}

/**
 * Row `i` (a complete variant)'s dosage r² (and r) for the complete columns `j ≥ i` from the dot products
 * at `p[p0 + j]`; the other columns are listed in `w.pending` for the nine-count path. Returns their number.
 */
function dosageRowFromDots(w: DosageWork, i: number, p: Int32Array, p0: number): number {
  const { m, n, minRats, sums, squares, complete, r2, r } = w;
  const row = i * m, s1 = sums[i], q1 = squares[i];
  let left = 0;
  for (let j = i; j < m; j++) {
    if (complete[j] === 0 || n < minRats) {
      w.pending[left++] = j;
      continue;
    }
    // as dosageLd, with every rat called at both
    const s2 = sums[j], q2 = squares[j];
    const x1 = s1 - n, x2 = s2 - n;
    const f1 = (q1 - 2 * s1 + n) * n - x1 * x1;
    const f2 = (q2 - 2 * s2 + n) * n - x2 * x2;
    const cov = (p[p0 + j] - s1 - s2 + n) * n - x2 * x1;
    const variance = f2 * f1;
    r2[row + j] = (cov * cov) / variance;
    if (r) r[row + j] = cov / Math.sqrt(variance);
  }
  return left;
}

/**
 * Row `i`'s dosage r² (and r) for columns `j ≥ i` from the nine counts at `c[c0 + 9j]` (dosageLd inlined).
 * Multi-allelic columns and too few rats are left in `w.pending`; returns their number.
 */
function dosageRowFromCounts(w: DosageWork, i: number, c: Int32Array, c0: number, multi: Uint8Array): number {
  const { m, minRats, r2, r } = w;
  const row = i * m;
  let left = 0;
  for (let j = i; j < m; j++) {
    const o = c0 + 9 * j, nn = c[o + 8];
    if (multi[j] === 1 || nn < minRats) {
      w.pending[left++] = j;
      continue;
    }
    const am = c[o + 4], bm = c[o + 5], ma = c[o + 6], mb = c[o + 7];
    const s1 = am + bm, s2 = ma + mb, x1 = s1 - nn, x2 = s2 - nn;
    const f1 = (am + 3 * bm - 2 * s1 + nn) * nn - x1 * x1;
    const f2 = (ma + 3 * mb - 2 * s2 + nn) * nn - x2 * x2;
    const cov = (c[o] + c[o + 1] + c[o + 2] + c[o + 3] - s1 - s2 + nn) * nn - x2 * x1;
    const variance = f2 * f1;
    r2[row + j] = (cov * cov) / variance;
    if (r) r[row + j] = cov / Math.sqrt(variance);
  }
  return left;
}

/** Copy the upper triangle of a square row-major matrix onto the lower one, in cache-sized tiles. */
function mirrorUpper(a: Float64Array, m: number): void {
  const T = 64;
  for (let ib = 0; ib < m; ib += T) {
    for (let jb = 0; jb <= ib; jb += T) {
      const iEnd = Math.min(m, ib + T), jEnd = Math.min(m, jb + T);
      for (let i = ib; i < iEnd; i++) {
        const row = i * m;
        for (let j = jb; j < jEnd && j < i; j++) a[row + j] = a[j * m + i];
      }
    }
  }
}

function checkIndex(i: number, m: number, name: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= m) {
    throw new ValidationError(name, i, `expected a variant index from 0 to ${m - 1}`, "index the variants as given");
  }
}

/** What every pair of one call needs: totals, allele coding, names. */
interface PairContext {
  packed: PackedGenotypes;
  minRats: number;
  allele1IsAlt: Uint8Array;
  label: (v: number) => string;
}

function pairContext(packed: PackedGenotypes, opts: LdOptions, fallback: (v: number) => string): PairContext {
  const m = packed.variantCount;
  const allele1IsAlt = new Uint8Array(m);
  for (let v = 0; v < m; v++) {
    // plink (without --keep-allele-order) makes the minor allele allele 1: REF when REF's frequency over
    // the called rats is below ½, else ALT (a tie, or no call, keeps ALT).
    allele1IsAlt[v] = opts.keepAlleleOrder || !(packed.called[v] < packed.altAlleles[v]) ? 1 : 0;
  }
  return {
    packed,
    minRats: opts.minRats ?? 2,
    allele1IsAlt,
    label: (v) => packed.ids[v] ?? fallback(v),
  };
}

const tableBuf = new Float64Array(9);
const hapBuf = new Float64Array(2);

/**
 * plink's two-locus table `t[3a + b]` into `tableBuf` (genotype index 0 = two copies of allele 1), from the
 * nine counts over ALT dosages. Returns true (for chaining).
 */
function hapTable(ctx: PairContext, c: Int32Array, o: number, i: number, j: number): boolean {
  const aa = c[o], ab = c[o + 1], ba = c[o + 2], bb = c[o + 3];
  const am = c[o + 4], bm = c[o + 5], ma = c[o + 6], mb = c[o + 7], mm = c[o + 8];
  // T[g1][g2] over ALT dosages g, by inclusion–exclusion on the cumulative counts #(g1 ≥ a, g2 ≥ b).
  const t22 = bb, t21 = ba - bb, t20 = bm - ba;
  const t12 = ab - bb, t11 = aa - ab - ba + bb, t10 = am - bm - aa + ba;
  const t02 = mb - ab, t01 = ma - mb - aa + ab, t00 = mm - am - ma + aa;
  const fi = ctx.allele1IsAlt[i] === 1, fj = ctx.allele1IsAlt[j] === 1;
  const idx = (g1: number, g2: number): number => 3 * (fi ? 2 - g1 : g1) + (fj ? 2 - g2 : g2);
  tableBuf[idx(0, 0)] = t00;
  tableBuf[idx(0, 1)] = t01;
  tableBuf[idx(0, 2)] = t02;
  tableBuf[idx(1, 0)] = t10;
  tableBuf[idx(1, 1)] = t11;
  tableBuf[idx(1, 2)] = t12;
  tableBuf[idx(2, 0)] = t20;
  tableBuf[idx(2, 1)] = t21;
  tableBuf[idx(2, 2)] = t22;
  return true;
}

const GENOTYPE_TEXT = ["0/0", "0/1", "1/1"];

/** The full pair result, with reasons; `callsI`/`callsJ` for the v3 value. */
function pairFromCounts(
  ctx: PairContext,
  c: Int32Array,
  o: number,
  i: number,
  j: number,
  callsI: Int8Array,
  callsJ: Int8Array,
): LdPair {
  const p = ctx.packed;
  const n = c[o + 8];
  const nullPair = (reason: string): LdPair => ({
    r2: null,
    r: null,
    r2Haplotype: null,
    dprime: null,
    dprimeSigned: null,
    r2V3: null,
    n,
    reason,
  });
  const both = `${ctx.label(i)} and ${ctx.label(j)}`;
  for (const v of [i, j]) {
    if (p.multiAllelic[v]) {
      return nullPair(`${ctx.label(v)} is multi-allelic: LD of ALT allele counts is defined for biallelic sites only`);
    }
  }
  if (n < ctx.minRats) {
    return nullPair(
      n === 0
        ? `no rat is called at both ${both}`
        : `only ${n} rat${n === 1 ? " is" : "s are"} called at both ${both} (minRats ${ctx.minRats})`,
    );
  }
  // Genotype counts of each variant among the rats called at both.
  const aa = c[o], ab = c[o + 1], ba = c[o + 2], bb = c[o + 3];
  const am = c[o + 4], bm = c[o + 5], ma = c[o + 6], mb = c[o + 7];
  const gi = [n - am, am - bm, bm], gj = [n - ma, ma - mb, mb];
  for (const [v, g] of [[i, gi], [j, gj]] as const) {
    const single = g.findIndex((x) => x === n);
    if (single === 0 || single === 2) {
      return nullPair(
        `${ctx.label(v)} has one genotype (${GENOTYPE_TEXT[single]}) in all ${n} rats called at both ${both}: ` +
          "LD is undefined",
      );
    }
  }
  dosageLd(n, am + bm, am + 3 * bm, ma + mb, ma + 3 * mb, aa + ab + ba + bb, hapBuf);
  const r2 = hapBuf[0], r = hapBuf[1];
  hapTable(ctx, c, o, i, j);
  let r2Haplotype: number | null = null, dprimeSigned: number | null = null;
  if (haplotypeLd(tableBuf, hapBuf)) {
    r2Haplotype = hapBuf[0];
    // plink's D′ is for the haplotype of the two allele 1s; turn it to ALT–ALT.
    dprimeSigned = ctx.allele1IsAlt[i] === ctx.allele1IsAlt[j] ? hapBuf[1] : -hapBuf[1];
  }
  const allHet = gi[1] === n ? i : gj[1] === n ? j : -1;
  if (allHet >= 0 || r2 !== r2) {
    return {
      r2: null,
      r: null,
      r2Haplotype,
      dprime: dprimeSigned === null ? null : Math.abs(dprimeSigned),
      dprimeSigned,
      r2V3: null,
      n,
      reason:
        `${ctx.label(allHet >= 0 ? allHet : i)} has one genotype (0/1) in all ${n} rats called at both ${both}: ` +
        "the dosage correlation (r, r2, r2V3) is undefined; r2Haplotype and D′ are given",
    };
  }
  return {
    r2,
    r,
    r2Haplotype,
    dprime: dprimeSigned === null ? null : Math.abs(dprimeSigned),
    dprimeSigned,
    r2V3: r2V3(callsJ, callsI),
    n,
    reason: r2Haplotype === null ? "the haplotype frequencies could not be estimated" : null,
  };
}

/**
 * The v3 route's value: pandas `DataFrame.corr()` (its `nancorr`, Welford updates, pairwise complete) with
 * `x` the later column and `y` the earlier, squared and rounded as `ndarray.round(3)` (half to even).
 */
function r2V3(x: Int8Array, y: Int8Array): number | null {
  let nobs = 0, ssqdmx = 0, ssqdmy = 0, covxy = 0, meanx = 0, meany = 0;
  for (let k = 0; k < x.length; k++) {
    const vx = x[k], vy = y[k];
    if (vx < 0 || vy < 0) continue;
    nobs += 1;
    const dx = vx - meanx;
    const dy = vy - meany;
    meanx += 1 / nobs * dx;
    meany += 1 / nobs * dy;
    ssqdmx += (vx - meanx) * dx;
    ssqdmy += (vy - meany) * dy;
    covxy += (vx - meanx) * dy;
  }
  if (nobs < 1) return null;
  const divisor = Math.sqrt(ssqdmx * ssqdmy);
  if (divisor === 0) return null;
  const rr = covxy / divisor;
  return roundHalfEven(rr * rr * 1000) / 1000;
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** The nine counts of one pair straight from the packed planes (for on-demand reasons). */
function pairCountsJs(p: PackedGenotypes, i: number, j: number): Int32Array {
  const k = ldKernels("js", p.words * 48 + 36)!;
  const u = k.u32();
  u.set(p.data.subarray(i * p.words * 6, (i + 1) * p.words * 6), 0);
  u.set(p.data.subarray(j * p.words * 6, (j + 1) * p.words * 6), p.words * 6);
  k.counts9(0, p.words * 24, 1, p.words, 0, p.words * 48);
  return k.i32().slice(p.words * 12, p.words * 12 + 9);
}

/** One variant's calls back from the planes. */
function unpack(p: PackedGenotypes, v: number): Int8Array {
  const out = new Int8Array(p.ratCount);
  const base = v * p.words * 6;
  for (let k = 0; k < p.ratCount; k++) {
    const o = base + (k >> 6) * 6 + ((k >> 5) & 1), bit = 1 << (k & 31);
    out[k] = (p.data[o + 4] & bit) === 0
      ? -1
      : ((p.data[o] & bit) !== 0 ? 1 : 0) + ((p.data[o + 2] & bit) !== 0 ? 1 : 0);
  }
  return out;
}
