/**
 * Internal: numpy's summation order (pairwise, in blocks of 8), so means and correlations agree with
 * numpy/scipy to the last bit.
 *
 * @module
 */

/**
 * Sum as numpy sums a contiguous row (`np.add.reduce`: pairwise summation in blocks of 8), so
 * means and correlations agree with numpy/scipy to the last bit.
 *
 * @param a The values.
 * @param start Index of the first value to add.
 * @param len How many values to add.
 * @returns The sum.
 */
export function numpySum(
  a: ArrayLike<number>,
  start: number,
  len: number,
): number {
  // np.add.reduce starts from the identity 0 and adds the pairwise sum of the whole row
  // (checked bit for bit against numpy 1.24).
  return 0 + pairwiseSum(a, start, len);
}

function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = [
      a[start],
      a[start + 1],
      a[start + 2],
      a[start + 3],
      a[start + 4],
      a[start + 5],
      a[start + 6],
      a[start + 7],
    ];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    }
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
