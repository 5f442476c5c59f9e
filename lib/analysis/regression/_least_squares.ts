/**
 * Internal: ordinary least squares with an intercept and several regressors, with coefficient standard
 * errors — what statsmodels' `OLS(...).fit()` and `conf_int()` give aFC.py — by Householder QR.
 *
 * Why by hand: the covariate kernels in _covariate_ols.ts residualise (an orthonormal basis) but give no
 * coefficients or standard errors for the covariates themselves; the npm option measured there (ml-matrix)
 * was ~400× slower and could not report collinearity. This is ~80 lines on top of the same idea.
 *
 * @module
 */

/** A least-squares fit. */
export interface LeastSquaresFit {
  /** Coefficients, intercept first, then the regressors in the order given. */
  coef: Float64Array;
  /** Their standard errors: √(σ̂² · (XᵀX)⁻¹ⱼⱼ), σ̂² = RSS / (n − p). */
  se: Float64Array;
  /** Residual degrees of freedom n − p. */
  dfResid: number;
}

/**
 * Fit y = b₀ + Σ bⱼ xⱼ by Householder QR. `columns[j][i]` is regressor j for observation i. Returns null
 * when the design is rank-deficient (a column is within 1e-10 of the span of the ones before it, relative)
 * or has no residual degrees of freedom.
 */
export function leastSquares(y: ArrayLike<number>, columns: readonly ArrayLike<number>[]): LeastSquaresFit | null {
  const n = y.length;
  const p = columns.length + 1;
  if (n <= p) return null;
  // Column-major design with the intercept first.
  const a = new Float64Array(n * p);
  for (let i = 0; i < n; i++) a[i] = 1;
  columns.forEach((col, j) => {
    for (let i = 0; i < n; i++) a[(j + 1) * n + i] = col[i];
  });
  const norms = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[j * n + i] * a[j * n + i];
    norms[j] = Math.sqrt(s);
  }
  const qty = Float64Array.from(y);
  const rDiag = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const base = k * n;
    let s = 0;
    for (let i = k; i < n; i++) s += a[base + i] * a[base + i];
    const norm = Math.sqrt(s);
    if (!(norm > 1e-10 * norms[k])) return null;
    const alpha = a[base + k] > 0 ? -norm : norm;
    // v = x − alpha·e_k stored in place; R_kk = alpha.
    a[base + k] -= alpha;
    let vtv = 0;
    for (let i = k; i < n; i++) vtv += a[base + i] * a[base + i];
    rDiag[k] = alpha;
    const apply = (target: Float64Array, off: number) => {
      let d = 0;
      for (let i = k; i < n; i++) d += a[base + i] * target[off + i];
      const f = 2 * d / vtv;
      for (let i = k; i < n; i++) target[off + i] -= f * a[base + i];
    };
    for (let j = k + 1; j < p; j++) apply(a, j * n);
    apply(qty, 0);
  }
  // R is upper triangular: R_kk = rDiag[k], R_kj (j > k) = a[j·n + k].
  const rAt = (k: number, j: number) => (k === j ? rDiag[k] : a[j * n + k]);
  const coef = new Float64Array(p);
  for (let k = p - 1; k >= 0; k--) {
    let s = qty[k];
    for (let j = k + 1; j < p; j++) s -= rAt(k, j) * coef[j];
    coef[k] = s / rDiag[k];
  }
  let rss = 0;
  for (let i = p; i < n; i++) rss += qty[i] * qty[i];
  const dfResid = n - p;
  const sigma2 = rss / dfResid;
  // (XᵀX)⁻¹ = R⁻¹R⁻ᵀ: the diagonal is the squared row norms of R⁻¹.
  const rInv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    rInv[j * p + j] = 1 / rDiag[j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += rAt(i, k) * rInv[k * p + j];
      rInv[i * p + j] = -s / rDiag[i];
    }
  }
  const se = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let j = i; j < p; j++) s += rInv[i * p + j] * rInv[i * p + j];
    se[i] = Math.sqrt(sigma2 * s);
  }
  return { coef, se, dfResid };
}
