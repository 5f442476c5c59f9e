/**
 * The statistics of one pair of variants from its counts, operation for operation as plink 1.9
 * (v1.90b6.26, Debian's `plink1.9`; `1.9/plink_ld.c` and `1.9/plink_common.c` of chrchang/plink-ng,
 * unchanged in these functions up to 2026) computes them, so that the doubles agree to the last bit
 * wherever the C library's `log`/`cos`/`acos`/`pow` agree with V8's:
 *
 * - the dosage correlation of `--r`/`--r2` and `--r2 square` (`ld_block_thread`): integer sums of the
 *   calls centred at 1 over the rats called at both variants, then `cov = Σxy·n − Σx·Σy`,
 *   `r² = cov² / ((Σx²·n − (Σx)²)(Σy²·n − (Σy)²))`, `r = cov / √(…)`;
 * - the haplotype-frequency statistics of `--r2 dprime` (`ld_dprime_thread`): the two-locus 3×3 genotype
 *   table, the frequency of the 1-1 haplotype by maximum likelihood among the real roots of a cubic
 *   (`em_phase_hethet`, `cubic_real_roots`), then D, r² = D² / (p₁q₁p₂q₂) and D′ = D / Dmax.
 *
 * @module
 */

// plink_common.h
const EPSILON = 0.000000000931322574615478515625; // 2^-30
const SMALLISH_EPSILON = 0.00000000002910383045673370361328125; // 2^-35
const SMALL_EPSILON = 0.00000000000005684341886080801486968994140625; // 2^-44
const PI = 3.1415926535897932;

/**
 * Real roots of x³ + ax² + bx + c, ascending, written to `out`; returns their count (plink's
 * `cubic_real_roots`, including its epsilon merges of near-equal roots).
 */
export function cubicRealRoots(coefA: number, coefB: number, coefC: number, out: Float64Array): number {
  const a2 = coefA * coefA;
  const qq = (a2 - 3 * coefB) * (1.0 / 9.0);
  const rr = (2 * a2 * coefA - 9 * coefA * coefB + 27 * coefC) * (1.0 / 54.0);
  const r2 = rr * rr;
  const q3 = qq * qq * qq;
  const adiv3 = coefA * (1.0 / 3.0);
  let sq: number;
  let dxx: number;
  if (r2 < q3) {
    // three real roots
    sq = Math.sqrt(qq);
    dxx = Math.acos(rr / (qq * sq)) * (1.0 / 3.0);
    sq *= -2;
    out[0] = sq * Math.cos(dxx) - adiv3;
    out[1] = sq * Math.cos(dxx + (2.0 * PI / 3.0)) - adiv3;
    out[2] = sq * Math.cos(dxx - (2.0 * PI / 3.0)) - adiv3;
    if (out[0] > out[1]) {
      dxx = out[0];
      out[0] = out[1];
      if (dxx > out[2]) {
        out[1] = out[2];
        out[2] = dxx;
      } else {
        out[1] = dxx;
      }
      if (out[0] > out[1]) {
        dxx = out[0];
        out[0] = out[1];
        out[1] = dxx;
      }
    } else if (out[1] > out[2]) {
      dxx = out[1];
      out[1] = out[2];
      out[2] = dxx;
    }
    if (out[1] - out[0] < EPSILON) {
      out[1] = out[2];
      return (out[1] - out[0] < EPSILON) ? 1 : 2;
    }
    return (out[2] - out[1] < EPSILON) ? 2 : 3;
  }
  dxx = -Math.pow(Math.abs(rr) + Math.sqrt(r2 - q3), 1.0 / 3.0);
  if (dxx === 0.0) {
    out[0] = -adiv3;
    return 1;
  }
  if (rr < 0.0) dxx = -dxx;
  sq = qq / dxx;
  out[0] = dxx + sq - adiv3;
  if (Math.abs(dxx - sq) >= (EPSILON * 8)) return 1;
  if (dxx >= 0.0) {
    out[1] = out[0];
    out[0] = -dxx - adiv3;
  } else {
    out[1] = -dxx - adiv3;
  }
  return 2;
}

function calcLnlike(
  known11: number,
  known12: number,
  known21: number,
  known22: number,
  centerCt: number,
  freq11: number,
  freq12: number,
  freq21: number,
  freq22: number,
  halfHethetShare: number,
  freq11Incr: number,
): number {
  freq11 += freq11Incr;
  freq22 += freq11Incr;
  freq12 += halfHethetShare - freq11Incr;
  freq21 += halfHethetShare - freq11Incr;
  let lnlike = centerCt * Math.log(freq11 * freq22 + freq12 * freq21);
  if (known11 !== 0.0) lnlike += known11 * Math.log(freq11);
  if (known12 !== 0.0) lnlike += known12 * Math.log(freq12);
  if (known21 !== 0.0) lnlike += known21 * Math.log(freq21);
  if (known22 !== 0.0) lnlike += known22 * Math.log(freq22);
  return lnlike;
}

// Scratch buffers, reused by every call (JavaScript runs one call at a time; nothing persists between calls).
const solutions = new Float64Array(3);

/**
 * plink's `em_phase_hethet` (without the confidence-interval side output): from the known haplotype
 * counts and the double-heterozygote count, the allele frequencies and the 1-1 haplotype frequency,
 * written to `out` as `[freq1x, freq2x, freqx1, freqx2, freq11]`. Returns `false` when a locus is
 * monomorphic over the rats counted (plink then prints nothing for the pair).
 *
 * Kept as in plink: when three roots survive, the candidate chosen is the last one whose likelihood beats
 * the first one's (plink never updates `best_lnlike` in its loop); the roots are where the likelihood's
 * derivative vanishes, so this is the maximum except in rare boundary cases.
 */
export function emPhaseHethet(
  known11: number,
  known12: number,
  known21: number,
  known22: number,
  centerCount: number,
  out: Float64Array,
): boolean {
  const centerCt = centerCount;
  const twiceTot = known11 + known12 + known21 + known22 + 2 * centerCt;
  let solStart = 0;
  let solEnd = 1;
  if (twiceTot === 0.0) return false;
  const twiceTotRecip = 1.0 / twiceTot;
  let freq11 = known11 * twiceTotRecip;
  const freq12 = known12 * twiceTotRecip;
  const freq21 = known21 * twiceTotRecip;
  const freq22 = known22 * twiceTotRecip;
  const prod1122 = freq11 * freq22;
  const prod1221 = freq12 * freq21;
  const halfHethetShare = centerCt * twiceTotRecip;
  const freq1x = freq11 + freq12 + halfHethetShare;
  const freq2x = 1.0 - freq1x;
  const freqx1 = freq11 + freq21 + halfHethetShare;
  const freqx2 = 1.0 - freqx1;
  if (centerCt !== 0) {
    if ((prod1122 !== 0.0) || (prod1221 !== 0.0)) {
      solEnd = cubicRealRoots(
        0.5 * (freq11 + freq22 - freq12 - freq21 - 3 * halfHethetShare),
        0.5 * (prod1122 + prod1221 + halfHethetShare * (freq12 + freq21 - freq11 - freq22 + halfHethetShare)),
        -0.5 * halfHethetShare * prod1122,
        solutions,
      );
      while (solEnd && (solutions[solEnd - 1] > halfHethetShare + SMALLISH_EPSILON)) solEnd--;
      while ((solStart < solEnd) && (solutions[solStart] < -SMALLISH_EPSILON)) solStart++;
      if (solStart === solEnd) {
        // the lost root is a double root at a boundary point: compare the boundaries' likelihoods
        solStart = 0;
        solEnd = 2;
        solutions[0] = 0;
        solutions[1] = halfHethetShare;
      } else {
        if (solutions[solStart] < 0) solutions[solStart] = 0;
        if (solutions[solEnd - 1] > halfHethetShare) solutions[solEnd - 1] = halfHethetShare;
      }
    } else {
      solutions[0] = 0;
      const nonzeroFreqXx = freq11 + freq22;
      const nonzeroFreqXy = freq12 + freq21;
      if (
        (nonzeroFreqXx + SMALLISH_EPSILON < halfHethetShare + nonzeroFreqXy) &&
        (nonzeroFreqXy + SMALLISH_EPSILON < halfHethetShare + nonzeroFreqXx)
      ) {
        solEnd = 3;
        solutions[1] = (halfHethetShare + nonzeroFreqXy - nonzeroFreqXx) * 0.5;
        solutions[2] = halfHethetShare;
      } else {
        solEnd = 2;
        solutions[1] = halfHethetShare;
      }
    }
    let bestSol = solutions[solStart];
    if (solEnd > solStart + 1) {
      const bestLnlike = calcLnlike(
        known11,
        known12,
        known21,
        known22,
        centerCt,
        freq11,
        freq12,
        freq21,
        freq22,
        halfHethetShare,
        bestSol,
      );
      for (let cur = solStart + 1; cur < solEnd; cur++) {
        const incr = solutions[cur];
        const lnlike = calcLnlike(
          known11,
          known12,
          known21,
          known22,
          centerCt,
          freq11,
          freq12,
          freq21,
          freq22,
          halfHethetShare,
          incr,
        );
        if (lnlike > bestLnlike) bestSol = incr; // plink: best_lnlike is not updated
      }
    }
    freq11 += bestSol;
  } else if ((prod1122 === 0.0) && (prod1221 === 0.0)) {
    return false;
  }
  out[0] = freq1x;
  out[1] = freq2x;
  out[2] = freqx1;
  out[3] = freqx2;
  out[4] = freq11;
  return true;
}

const freqs = new Float64Array(5);

/**
 * `--r2 dprime`'s numbers for one pair from plink's 3×3 table `t[3·a + b]` (genotype `a` of the first
 * variant, `b` of the second, each 0 = two copies of its allele 1, 1 = heterozygous, 2 = no copy), written
 * to `out` as `[r2, dprimeSigned]` (D′ signed for the 1-1 haplotype, as `--r dprime-signed`). Returns
 * `false` when plink gives no number (a locus monomorphic among the rats counted, or no rats).
 */
export function haplotypeLd(t: ArrayLike<number>, out: Float64Array): boolean {
  const known11 = 2 * t[0] + t[1] + t[3];
  const known12 = 2 * t[2] + t[1] + t[5];
  const known21 = 2 * t[6] + t[3] + t[7];
  const known22 = 2 * t[8] + t[5] + t[7];
  if (!emPhaseHethet(known11, known12, known21, known22, t[4], freqs)) return false;
  const freq1x = freqs[0], freq2x = freqs[1], freqx1 = freqs[2], freqx2 = freqs[3], freq11 = freqs[4];
  const freq11Expected = freqx1 * freq1x;
  let dxx = freq11 - freq11Expected; // D
  if (Math.abs(dxx) < SMALL_EPSILON) {
    out[0] = 0;
    out[1] = 0;
    return true;
  }
  out[0] = Math.abs(Math.abs(dxx) * dxx / (freq11Expected * freq2x * freqx2));
  if (dxx >= 0) {
    dxx /= Math.min(freqx1 * freq2x, freqx2 * freq1x);
  } else {
    dxx /= Math.min(freq11Expected, freqx2 * freq2x);
  }
  out[1] = dxx;
  return true;
}

/**
 * plink's dosage r² and r from the sums over the `n` rats called at both variants (dosages 0/1/2 of the same
 * allele at both): `s1 = Σg₁`, `q1 = Σg₁²`, `s2`, `q2`, `p = Σg₁g₂`. Written to `out` as `[r2, r]`;
 * both NaN when either variant has a single genotype among those rats (0/0, as plink prints `nan`).
 */
export function dosageLd(
  n: number,
  s1: number,
  q1: number,
  s2: number,
  q2: number,
  p: number,
  out: Float64Array,
): void {
  // Centre at 1 as plink does (its 2-bit codes are −1/0/1): every quantity below is an exact integer.
  const x1 = s1 - n, x2 = s2 - n;
  const f1 = (q1 - 2 * s1 + n) * n - x1 * x1;
  const f2 = (q2 - 2 * s2 + n) * n - x2 * x2;
  const cov = (p - s1 - s2 + n) * n - x2 * x1;
  const variance = f2 * f1;
  out[0] = (cov * cov) / variance;
  out[1] = cov / Math.sqrt(variance);
}
