/**
 * Internal: tensorQTL's `Residualizer` (`core.py`) on this room's kernel — the covariate basis Q (an
 * orthonormal basis of the centred covariates, `covariateBasis`) held in a {@link MatrixArena}, and the two
 * things the scan does with it to many centred rows at once:
 *
 * - `residualSumsOfSquares`: |m_r|² = |m_c|² − Σ_j (q_j·m_c)², from ONE product M·Qᵀ, without forming the
 *   residual (the cross product with a residualised phenotype needs none: m_r·y_r = m_c·y_r);
 * - `residualise`: M_r = M_c − (M_c·Qᵀ)·Q, two products, as tensorQTL's `transform`.
 *
 * Either way a row that the covariates explain to more than 99.9 % (|m_r|² < 10⁻³·|m_c|², where the
 * difference would cancel) is residualised by modified Gram–Schmidt instead (`residualise` of
 * `_covariate_ols.ts`), so a result never loses more than a few digits to cancellation.
 *
 * @module
 */
import { type CovariateBasis, residualise } from "./_covariate_ols.ts";
import type { ArenaMatrix, MatrixArena } from "./_matmul.ts";

/** Below this fraction of the centred sum of squares, a residual is formed by modified Gram–Schmidt. */
export const CANCELLATION = 1e-3;

/** The covariate basis in an arena, and residualisation of many rows at once. */
export class Residualizer {
  /** The arena holding Q and the work matrices. */
  readonly arena: MatrixArena;
  /** The basis (Q row-major, k × n). */
  readonly basis: CovariateBasis;
  /** Q as a B operand (k rows, padded to 4). */
  readonly q: ArenaMatrix;
  /** Qᵀ as a B operand (n rows of Q's columns, each padded to Q's padded row count). */
  readonly qt: ArenaMatrix;
  #row: Float64Array;

  constructor(arena: MatrixArena, basis: CovariateBasis) {
    const { n, k, q } = basis;
    this.arena = arena;
    this.basis = basis;
    this.q = arena.alloc(k, n, 4);
    this.qt = arena.alloc(n, this.q.paddedRows, 4);
    const view = arena.view;
    for (let j = 0; j < k; j++) {
      view.set(q.subarray(j * n, j * n + n), this.q.offset + j * this.q.stride);
      for (let s = 0; s < n; s++) view[this.qt.offset + s * this.qt.stride + j] = q[j * n + s];
    }
    this.#row = new Float64Array(n);
  }

  /** Residualise row `r` of `m` by modified Gram–Schmidt in place; returns its residual sum of squares. */
  #exact(m: ArenaMatrix, r: number): number {
    const { n } = this.basis;
    const start = m.offset + r * m.stride;
    const row = this.#row;
    row.set(this.arena.view.subarray(start, start + n));
    const ss = residualise(this.basis, row);
    this.arena.view.set(row, start);
    return ss;
  }

  /**
   * Residual sums of squares of the first `rows` centred rows of `m` (an A operand), whose centred sums of
   * squares are `centred[0 … rows)`, into `out`. Rows where the difference would cancel are residualised
   * in place (their row then holds m_r, not m_c: a cross product with a residual is the same either way)
   * and flagged in `exact` (1), when given.
   */
  residualSumsOfSquares(
    m: ArenaMatrix,
    rows: number,
    centred: Float64Array,
    out: Float64Array,
    exact?: Uint8Array,
  ): void {
    const { arena, q } = this;
    const k = this.basis.k;
    const mark = arena.mark();
    const a: ArenaMatrix = { ...m, rows, paddedRows: rows + (rows & 1) };
    const p = arena.alloc(a.paddedRows, q.paddedRows, 1);
    arena.gemmNT(a, q, p);
    const view = arena.view;
    for (let r = 0; r < rows; r++) {
      const base = p.offset + r * p.stride;
      let proj = 0;
      for (let j = 0; j < k; j++) proj += view[base + j] * view[base + j];
      const ss = centred[r] - proj;
      if (ss < CANCELLATION * centred[r]) {
        out[r] = this.#exact(m, r);
        if (exact) exact[r] = 1;
      } else {
        out[r] = ss;
        if (exact) exact[r] = 0;
      }
    }
    arena.release(mark);
  }

  /**
   * Residualise the first `rows` centred rows of `m` in place (M − (M·Qᵀ)·Q, two products), their centred
   * sums of squares in `centred`; residual sums of squares into `out`.
   */
  residualise(m: ArenaMatrix, rows: number, centred: Float64Array, out: Float64Array): void {
    const { arena, q, qt } = this;
    const n = this.basis.n;
    const mark = arena.mark();
    const a: ArenaMatrix = { ...m, rows, paddedRows: rows + (rows & 1) };
    const w = arena.alloc(a.paddedRows, q.paddedRows, 2);
    arena.gemmNT(a, q, w);
    const fitted = arena.alloc(w.paddedRows, qt.paddedRows, 1);
    arena.gemmNT(w, qt, fitted);
    const view = arena.view;
    for (let r = 0; r < rows; r++) {
      const row = m.offset + r * m.stride;
      const fit = fitted.offset + r * fitted.stride;
      let ss = 0;
      for (let s = 0; s < n; s++) {
        const x = view[row + s] - view[fit + s];
        view[row + s] = x;
        ss += x * x;
      }
      out[r] = ss;
    }
    for (let r = 0; r < rows; r++) {
      if (out[r] < CANCELLATION * centred[r]) {
        // Start again from the centred row (residual + fitted), by modified Gram–Schmidt.
        const row = m.offset + r * m.stride;
        const fit = fitted.offset + r * fitted.stride;
        for (let s = 0; s < n; s++) view[row + s] += view[fit + s];
        out[r] = this.#exact(m, r);
      }
    }
    arena.release(mark);
  }
}
