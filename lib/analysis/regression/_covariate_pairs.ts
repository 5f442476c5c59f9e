/**
 * Internal: covariate-adjusted fits of a LIST of gene–variant pairs (the path of `regressMany` with
 * covariates and of `pipelineEqtlStatistics`) on the cis scan's kernel. Pairs come in runs that share a
 * phenotype (one gene against its variants, up to 256 a run); 64 runs at a time:
 *
 * 1. the runs' phenotypes (transformed, centred) are residualised together, two matrix products
 *    (tensorQTL's `Residualizer.transform`);
 * 2. per run, the imputed, centred dosages form the rows of A, and ONE product A·[Q; y_r]ᵀ gives every
 *    row's projections on the covariate basis (so |g_r|² = |g_c|² − Σ_j (q_j·g_c)²) and its cross product
 *    with the phenotype residual (g_c·y_r = g_r·y_r, as y_r ⟂ Q).
 *
 * A row that the covariates explain to more than 99.9 % is residualised explicitly instead (modified
 * Gram–Schmidt), so no digits are lost to cancellation (`_residualizer.ts`).
 *
 * @module
 */
import { type CovariateBasis, fitAdjusted, residualise } from "./_covariate_ols.ts";
import { type ArenaMatrix, MatrixArena } from "./_matmul.ts";
import { CANCELLATION, Residualizer } from "./_residualizer.ts";
import { centreDosageCodes, DOSAGE_STATS, DosageStat } from "./_dosages.ts";
import { type FitSlots, newSlots } from "./_ols.ts";

/** Pairs per matrix product. */
const RUN = 256;
/** Runs whose phenotypes are residualised together. */
const RUNS = 64;

/** What the pair path needs from its caller, pair by pair. */
export interface CovariatePairSource {
  /** Number of pairs. */
  nPairs: number;
  /** The order to fit them in: pairs of one phenotype consecutive. */
  order: ArrayLike<number>;
  /** Whether pair `p` has the same phenotype as pair `first` (its residual can be reused). */
  samePhenotype(first: number, p: number): boolean;
  /** Pair `p`'s phenotype, validated and transformed, into `out[offset … offset + n)`. */
  phenotype(p: number, out: Float64Array, offset: number): void;
  /** Pair `p`'s dosages in sample order as codes into `codes` (see `readDosageCodes`). */
  dosages(p: number, codes: Int8Array): void;
  /** The error for pair `p`'s invalid dosage at sample `s` (a value other than 0, 1, 2 or missing). */
  badDosage(p: number, s: number): Error;
  /** Store pair `p`'s fit (`stats`: see DosageStat). */
  store(p: number, stats: Float64Array, slots: FitSlots): void;
}

function dot(a: Float64Array, aBase: number, b: Float64Array, bBase: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aBase + i] * b[bBase + i];
  return s;
}

/** Centre the first `rows` rows of `m` in place; their centred sums of squares into `out`. */
export function centreRows(view: Float64Array, m: ArenaMatrix, rows: number, n: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const base = m.offset + r * m.stride;
    let mean = 0;
    for (let s = 0; s < n; s++) mean += view[base + s];
    mean /= n;
    let ss = 0;
    for (let s = 0; s < n; s++) {
      const x = view[base + s] - mean;
      view[base + s] = x;
      ss += x * x;
    }
    out[r] = ss;
  }
}

/** Fit every pair of `source` against `basis` (see the module note). */
export function fitCovariatePairs(basis: CovariateBasis, source: CovariatePairSource): void {
  const { n, k } = basis;
  const dof = n - 2 - k;
  const arena = new MatrixArena();
  const residualizer = new Residualizer(arena, basis);
  const b = arena.alloc(k + 1, n, 4); // rows 0..k-1: the basis, row k: the current phenotype residual
  arena.view.set(arena.view.subarray(residualizer.q.offset, residualizer.q.offset + k * b.stride), b.offset);
  const a = arena.alloc(RUN, n, 2);
  const c = arena.alloc(a.paddedRows, b.paddedRows, 1);
  const y = arena.alloc(RUNS, n, 2);
  const yy = new Float64Array(RUNS);
  const syy = new Float64Array(RUNS);
  const runStart = new Int32Array(RUNS + 1);
  const codes = new Int8Array(n);
  const g = new Float64Array(n);
  const yr = new Float64Array(n);
  const stats = new Float64Array(RUN * DOSAGE_STATS);
  const slots = newSlots();
  const { order, nPairs } = source;
  let i = 0;
  while (i < nPairs) {
    // The next runs, and their phenotype residuals.
    let runs = 0;
    runStart[0] = i;
    while (i < nPairs && runs < RUNS) {
      const first = order[i];
      source.phenotype(first, arena.view, y.offset + runs * y.stride);
      let m = 1;
      while (i + m < nPairs && m < RUN && source.samePhenotype(first, order[i + m])) m++;
      i += m;
      runStart[++runs] = i;
    }
    centreRows(arena.view, y, runs, n, yy);
    residualizer.residualise(y, runs, yy, syy);
    for (let run = 0; run < runs; run++) {
      const from = runStart[run];
      const m = runStart[run + 1] - from;
      let view = arena.view;
      view.copyWithin(b.offset + k * b.stride, y.offset + run * y.stride, y.offset + run * y.stride + n);
      for (let r = 0; r < m; r++) {
        const p = order[from + r];
        source.dosages(p, codes);
        const bad = centreDosageCodes(codes, n, view, a.offset + r * a.stride, stats.subarray(r * DOSAGE_STATS));
        if (bad >= 0) throw source.badDosage(p, bad);
      }
      // The odd row's partner is whatever the previous run left there: its products are not read.
      arena.gemmNT({ ...a, rows: m, paddedRows: m + (m & 1) }, b, c);
      view = arena.view;
      for (let r = 0; r < m; r++) {
        const st = stats.subarray(r * DOSAGE_STATS, (r + 1) * DOSAGE_STATS);
        const gg = st[DosageStat.SumSquares];
        const base = c.offset + r * c.stride;
        let proj = 0;
        for (let j = 0; j < k; j++) proj += view[base + j] * view[base + j];
        let sxx = gg - proj;
        let sxy = view[base + k];
        if (sxx < CANCELLATION * gg) {
          // The covariates explain almost all of the dosage: |g_c|² − Σ proj² cancels, so form g_r.
          g.set(view.subarray(a.offset + r * a.stride, a.offset + r * a.stride + n));
          sxx = residualise(basis, g);
          yr.set(view.subarray(y.offset + run * y.stride, y.offset + run * y.stride + n));
          sxy = dot(g, 0, yr, 0, n);
        }
        fitAdjusted(st[DosageStat.Called], st[DosageStat.Classes], dof, gg, sxx, sxy, yy[run], syy[run], n, slots);
        source.store(order[from + r], st, slots);
      }
    }
  }
}
