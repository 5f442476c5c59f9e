/**
 * Internal: R's `mean()` of a logical (or integer) vector, bit for bit. R sums in long double and returns
 * `(double)(s / n)`: the quotient is rounded to the x87 80-bit format (64-bit significand) and then to
 * double, which for ~1 in 100,000 (k, n) pairs is one ulp away from k/n (e.g. 115/2051). Checked against
 * R 4.2 in tests/qvalue_test.ts.
 *
 * @module
 */

/**
 * k/m as R's `mean()` of a logical vector computes it: a long double (64-bit significand) quotient,
 * rounded to nearest-even, then rounded again to double. Differs from k/m by one ulp for ~1 in 100,000
 * pairs (e.g. 115/2051).
 */
export function longDoubleRatio(k: number, m: number): number {
  if (k === 0) return 0;
  const K = BigInt(k);
  const M = BigInt(m);
  const two63 = 1n << 63n;
  const two64 = 1n << 64n;
  let s = 64 + M.toString(2).length - K.toString(2).length;
  let q = 0n;
  let r = 0n;
  for (;;) {
    const num = s >= 0 ? K << BigInt(s) : K >> BigInt(-s);
    q = num / M;
    r = num % M;
    if (q >= two64) s--;
    else if (q < two63) s++;
    else break;
  }
  // Round the exact quotient to 64 significant bits (ties to even).
  const twice = 2n * r;
  if (twice > M || (twice === M && (q & 1n) === 1n)) q += 1n;
  if (q === two64) {
    q >>= 1n;
    s--;
  }
  // Then to 53 bits (ties to even): the double rounding R's (double)(s/n) does.
  const low = q & 0x7ffn;
  let hi = q >> 11n;
  if (low > 0x400n || (low === 0x400n && (hi & 1n) === 1n)) hi += 1n;
  return Number(hi) / 2 ** (s - 11);
}
