/**
 * Internal: the special functions behind the beta distribution — ln Γ (Cephes' `lgam`, the algorithm
 * scipy's `loggamma`/`gammaln` run), ln B(a, b) (R's `lbeta`, without the cancellation of three lgammas),
 * the regularised incomplete beta function I_x(a, b) and its inverse.
 *
 * Why by hand: the project's Student-t code (distributions.ts) already measured the npm candidates
 * (`@stdlib/math-base-special-betainc`: 8e-9 relative near x = 1, ~150 packages) and found them short;
 * the same continued fraction serves here. ln Γ follows Cephes line by line so that tensorQTL's
 * beta log-likelihood (`scipy.special.loggamma`) is reproduced to the last bit on the values the
 * optimiser compares (checked in tests/permutation_stats_test.ts).
 *
 * @module
 */

const FPMIN = 1e-300;
const CF_EPS = 1e-16;

/**
 * Continued fraction of I_x(a, b) (modified Lentz); converges fast for x < (a+1)/(a+b+2).
 * NaN when it does not converge in a million terms (a, b beyond ~1e12). Stops when a term is exactly 1,
 * or within one ulp of 1 three times running (a term can stay at 1 − 2⁻⁵³ for ever).
 */
export function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - qab * x / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  let nearOne = 0;
  const maxIterations = 1_000_000;
  for (let m = 1; m <= maxIterations; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < CF_EPS) return h;
    // Converged but stuck one ulp from 1 (seen for a ≈ 1e-14): the old test alone looped a million times.
    if (Math.abs(del - 1) <= 2.3e-16) {
      if (++nearOne >= 3) return h;
    } else nearOne = 0;
  }
  return NaN;
}

// Cephes gamma.c (lgam): rational approximation on [2, 3) and Stirling's series above 13.
const LGAM_A = [
  8.11614167470508450300E-4,
  -5.95061904284301438324E-4,
  7.93650340457716943945E-4,
  -2.77777777730099687205E-3,
  8.33333333333331927722E-2,
];
const LGAM_B = [
  -1.37825152569120859100E3,
  -3.88016315134637840924E4,
  -3.31612992738871184744E5,
  -1.16237097492762307383E6,
  -1.72173700820839662146E6,
  -8.53555664245765465627E5,
];
const LGAM_C = [
  -3.51815701436523470549E2,
  -1.70642106651881159223E4,
  -2.20528590553854454839E5,
  -1.13933444367982507207E6,
  -2.53252307177582951285E6,
  -2.01889141433532773231E6,
];
const LS2PI = 0.91893853320467274178;
const MAXLGM = 2.556348e305;

function polevl(x: number, coef: readonly number[]): number {
  let ans = coef[0];
  for (let i = 1; i < coef.length; i++) ans = ans * x + coef[i];
  return ans;
}

function p1evl(x: number, coef: readonly number[]): number {
  let ans = x + coef[0];
  for (let i = 1; i < coef.length; i++) ans = ans * x + coef[i];
  return ans;
}

/**
 * ln Γ(x) for real x as scipy's `loggamma` computes it (Cephes `lgam`): NaN for x < 0 (and NaN),
 * +∞ at 0 and +∞.
 */
export function lnGamma(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (!Number.isFinite(x)) return x;
  if (x < 13) {
    let z = 1;
    let p = 0;
    let u = x;
    while (u >= 3) {
      p -= 1;
      u = x + p;
      z *= u;
    }
    while (u < 2) {
      if (u === 0) return Infinity;
      z /= u;
      p += 1;
      u = x + p;
    }
    if (u === 2) return Math.log(z);
    p -= 2;
    const xx = x + p;
    return Math.log(z) + xx * polevl(xx, LGAM_B) / p1evl(xx, LGAM_C);
  }
  if (x > MAXLGM) return Infinity;
  let q = (x - 0.5) * Math.log(x) - x + LS2PI;
  if (x > 1e8) return q;
  const p = 1 / (x * x);
  if (x >= 1000) {
    q += ((7.9365079365079365079365e-4 * p - 2.7777777777777777777778e-3) * p + 0.0833333333333333333333) / x;
  } else {
    q += polevl(p, LGAM_A) / x;
  }
  return q;
}

// R nmath lgammacor.c: ln Γ(x) − [(x − ½) ln x − x + ln √(2π)] for x ≥ 10, by a Chebyshev series.
const ALGMCS = [
  +.1666389480451863247205729650822e+0,
  -.1384948176067563840732986059135e-4,
  +.9810825646924729426157171547487e-8,
  -.1809129475572494194263306266719e-10,
  +.6221098041892605227126015543416e-13,
];
const LN_SQRT_2PI = 0.918938533204672741780329736406;

function lgammaCorrection(x: number): number {
  if (x >= 94906265.62425156) return 1 / (x * 12);
  const t = 10 / x;
  const twox = 2 * (t * t * 2 - 1);
  let b0 = 0, b1 = 0, b2 = 0;
  for (let i = ALGMCS.length - 1; i >= 0; i--) {
    b2 = b1;
    b1 = b0;
    b0 = twox * b1 - b2 + ALGMCS[i];
  }
  return (b0 - b2) * 0.5 / x;
}

/**
 * ln B(a, b) for a, b > 0, as R's `lbeta`: Stirling's correction terms when an argument is ≥ 10, so a
 * large argument costs no cancellation (three lgammas of ~7,000 would lose ~1e-12 absolute).
 */
export function lnBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p >= 0)) return NaN;
  if (p === 0) return Infinity;
  if (q === Infinity) return -Infinity;
  if (p >= 10) {
    const corr = lgammaCorrection(p) + lgammaCorrection(q) - lgammaCorrection(p + q);
    return Math.log(q) * -0.5 + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) +
      q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = lgammaCorrection(q) - lgammaCorrection(p + q);
    return lnGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return lnGamma(p) + lnGamma(q) - lnGamma(p + q);
}

/** ln of the beta density's kernel at x: (a−1) ln x + (b−1) ln(1−x) − ln B(a, b). */
function lnBetaDensity(x: number, a: number, b: number, lnB: number): number {
  return (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lnB;
}

/**
 * Both tails of the regularised incomplete beta function, each computed on its accurate side:
 * `lower` = I_x(a, b), `upper` = 1 − I_x(a, b) = I_{1−x}(b, a). Needs 0 < x < 1, a, b > 0.
 */
export function incompleteBetaTails(x: number, a: number, b: number): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 };
  if (x >= 1) return { lower: 1, upper: 0 };
  const lnFront = a * Math.log(x) + b * Math.log1p(-x) - lnBeta(a, b);
  const front = Math.exp(lnFront);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = front * betaContinuedFraction(a, b, x) / a;
    return { lower, upper: 1 - lower };
  }
  const upper = front * betaContinuedFraction(b, a, 1 - x) / b;
  return { lower: 1 - upper, upper };
}

/**
 * The inverse of I_x(a, b) in x: the beta distribution's quantile. `p` is the lower-tail probability; pass
 * `upperTail = true` to give 1 − p instead (accurate where p is close to 1). Newton's method on the log of
 * the smaller tail, safeguarded by bisection on a bracket that always holds the root; converges to
 * ~1 ulp of x. Needs a, b > 0, 0 ≤ p ≤ 1.
 */
export function incompleteBetaInverse(p: number, a: number, b: number, upperTail = false): number {
  const target = p;
  // Work on the smaller tail: the lower tail I(x) = q for q ≤ ½, else the upper tail 1 − I(x) = q.
  let useLower = !upperTail;
  let q = target;
  if (q > 0.5) {
    useLower = !useLower;
    q = 1 - q;
  }
  // q is now the probability of the tail `useLower` (lower: P(X ≤ x), upper: P(X > x)).
  if (q <= 0) return useLower ? 0 : 1;
  const lnB = lnBeta(a, b);
  const lnQ = Math.log(q);
  // Tail probability and its log-derivative in x.
  const tail = (x: number): number => {
    const t = incompleteBetaTails(x, a, b);
    return useLower ? t.lower : t.upper;
  };
  let lo = 0;
  let hi = 1;
  // Starting point: the small-x (lower) or small-(1−x) (upper) asymptote, else the mean.
  let x: number;
  if (useLower) {
    x = Math.exp((lnQ + Math.log(a) + lnB) / a);
  } else {
    x = -Math.expm1((lnQ + Math.log(b) + lnB) / b);
  }
  if (!(x > 0 && x < 1)) x = a / (a + b);
  for (let iteration = 0; iteration < 400; iteration++) {
    const t = tail(x);
    if (t === q) return x;
    // Lower tail increases with x, upper tail decreases.
    const tooSmall = useLower ? t < q : t > q;
    if (tooSmall) lo = x;
    else hi = x;
    // Newton on ln(tail) − ln q: d ln(tail)/dx = ± density / tail.
    const density = Math.exp(lnBetaDensity(x, a, b, lnB));
    let next = NaN;
    if (t > 0 && density > 0 && Number.isFinite(density)) {
      const slope = (useLower ? density : -density) / t;
      next = x - (Math.log(t) - lnQ) / slope;
    }
    if (!(next > lo && next < hi)) {
      // Bisect; geometrically when the bracket spans orders of magnitude near 0 or 1.
      if (lo > 0 && hi / lo > 1e3) next = Math.sqrt(lo * hi);
      else if (hi < 1 && (1 - lo) / (1 - hi) > 1e3) next = 1 - Math.sqrt((1 - lo) * (1 - hi));
      else if (lo === 0 && hi < 1e-3) next = hi * 1e-3;
      else next = 0.5 * (lo + hi);
    }
    if (next === x || Math.abs(next - x) <= 2e-16 * Math.abs(x)) return next;
    x = next;
    if (!(hi > lo) || hi - lo <= 2e-16 * Math.abs(hi)) return x;
  }
  return x;
}
