/**
 * The two n × p passes of an individual-level SuSiE fit, over a column-major genotype matrix: `Xᵀr` (one
 * dot product per variant) and `X·c` (a sum of the variants' columns with weights). Together they are
 * nearly all of a fit's time.
 *
 * Why by hand: no BLAS is reachable from Deno without native code, and ml-matrix (in the import map) works
 * on arrays of row arrays and has no matrix–vector product on a column-major buffer. Measured on a 400 ×
 * 3000 matrix (this 2-core machine, shared; best of 15 rounds of 10 passes): `Xᵀr` as one dot product per
 * column, one accumulator, 0.82 ns per multiply–add; four columns at a time (an accumulator each, the
 * residual read once for the four) 0.44 ns; eight columns or a second accumulator per column gained
 * nothing more. `X·c` one column at a time 0.75 ns, four at a time 0.47 ns.
 * tests/bench/susie_compare.ts times the whole fit against susieR.
 *
 * @module
 */

/**
 * `out[j] = Σ_i X[i, j] · r[i]` for every column j of the `n × p` column-major `X`.
 */
export function crossprodColumns(X: Float64Array, n: number, p: number, r: Float64Array, out: Float64Array): void {
  let j = 0;
  for (; j + 3 < p; j += 4) {
    const o0 = j * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < n; i++) {
      const ri = r[i];
      s0 += X[o0 + i] * ri;
      s1 += X[o1 + i] * ri;
      s2 += X[o2 + i] * ri;
      s3 += X[o3 + i] * ri;
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < p; j++) {
    const o = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += X[o + i] * r[i];
    out[j] = s;
  }
}

/**
 * `out[i] = Σ_{j in cols} X[i, j] · c[j]` over the listed columns only (the first `count` of `cols`),
 * for the `n × p` column-major `X`. `out` is overwritten.
 */
export function multiplyColumns(
  X: Float64Array,
  n: number,
  cols: Int32Array,
  count: number,
  c: Float64Array,
  out: Float64Array,
): void {
  out.fill(0);
  let k = 0;
  for (; k + 3 < count; k += 4) {
    const j0 = cols[k], j1 = cols[k + 1], j2 = cols[k + 2], j3 = cols[k + 3];
    const c0 = c[j0], c1 = c[j1], c2 = c[j2], c3 = c[j3];
    const o0 = j0 * n, o1 = j1 * n, o2 = j2 * n, o3 = j3 * n;
    for (let i = 0; i < n; i++) {
      out[i] += X[o0 + i] * c0 + X[o1 + i] * c1 + X[o2 + i] * c2 + X[o3 + i] * c3;
    }
  }
  for (; k < count; k++) {
    const j = cols[k];
    const cj = c[j];
    const o = j * n;
    for (let i = 0; i < n; i++) out[i] += X[o + i] * cj;
  }
}
