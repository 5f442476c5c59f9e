/**
 * Internal: the work of the cis scan on one chunk of variants (the nominal pass) or one phenotype (the
 * permutation pass), run by the calling thread or by a Worker (`_cis_worker.ts`) on the same shared data.
 * Every result depends only on the chunk or phenotype it belongs to (fixed chunk boundaries, no state
 * carried between tasks), so any number of threads gives the same bits.
 *
 * Nominal pass (tensorQTL `map_nominal`, `core.calculate_corr`): the chunk's 256 variants, imputed and
 * centred, are the rows of G; one product G·Qᵀ gives their residual sums of squares (`Residualizer`),
 * one product G·Y_rᵀ with the residualised phenotypes whose cis windows reach the chunk gives every
 * pair's cross product; slope, standard error, t and p follow per pair (`fitAdjusted`).
 *
 * Permutation pass (tensorQTL `map_cis`, `calculate_cis_permutations`): the phenotype's cis variants
 * (monomorphic ones dropped, as tensorQTL does), residualised and scaled to unit length, against the
 * matrix [y_r; P_1 y; …; P_N y] of the residualised phenotype and its N permutations, each permuted
 * phenotype centred, residualised and scaled (tensorQTL permutes the phenotype, then residualises):
 * one product per tile of 128 variants gives every correlation r; the nominal top variant is the
 * largest r², and `r2_perm[j]` the largest r² over the variants for permutation j.
 *
 * Tried and measured, not kept (n = 400, 1,000 permutations, one thread): for 0/1/2 dosages, g·p as sums
 * of the permuted phenotypes over each variant's carriers (~0.55·n additions instead of n multiply-adds),
 * in WebAssembly: 1.2 G additions/s sample-major (a TLB miss per carrier row), 3.2 with 16-column panels
 * blocked for L2 — ~5.8 G dense-equivalent/s, no faster than the product (8.3 GFMA/s), because gathering
 * rows is bound by L2 bandwidth where the product reuses registers.
 *
 * @module
 */
import { ADJUSTED_REASONS, type CovariateBasis, fitAdjusted } from "./_covariate_ols.ts";
import { type ArenaMatrix, MatrixArena } from "./_matmul.ts";
import { Residualizer } from "./_residualizer.ts";
import { centreDosageCodes, centreDosages, DOSAGE_STATS, DosageStat } from "./_dosages.ts";
import { centreRows } from "./_covariate_pairs.ts";
import { MersenneTwister } from "./_mt19937.ts";
import { newSlots } from "./_ols.ts";

/** Variants per chunk of the nominal pass (fixed: results must not depend on the thread count). */
export const CHUNK = 256;
/** Variants per product of the permutation pass. */
const TILE = 128;

/** Reasons a scan result is NaN, by code (0 = none); the first are `fitAdjusted`'s. */
export const SCAN_REASONS: readonly (string | null)[] = [
  null,
  ...ADJUSTED_REASONS,
  "no variant of the cis window varies across the samples (tensorQTL drops monomorphic variants)",
  "every variant of the cis window is a linear combination of the covariates",
  "no variant lies within the cis window",
];
const REASON_CODE = new Map<string | null, number>(SCAN_REASONS.map((r, i) => [r, i]));
/** Code: no variant in the window varies. */
const NO_VARIANT = SCAN_REASONS.length - 3;
/** Code: every variant is collinear with the covariates. */
const ALL_COLLINEAR = SCAN_REASONS.length - 2;
/** Code: the window holds no variant at all. */
export const EMPTY_WINDOW = SCAN_REASONS.length - 1;

/** What both passes share (large arrays in SharedArrayBuffers when workers run). */
export interface CisShared {
  /** Samples. */
  n: number;
  /** Covariates. */
  k: number;
  /** Covariate names. */
  names: string[];
  /** The covariate basis Q, k × n. */
  q: Float64Array;
  /** Dosages of the scanned variants in scan order, n a row: codes (-1 missing) or numbers (NaN missing). */
  dosages: Int8Array | Float64Array;
  /** Number of scanned variants. */
  nVariants: number;
  /** Per phenotype in scan order: first scanned variant of its cis window. */
  lo: Int32Array;
  /** Per phenotype in scan order: one past the last. */
  hi: Int32Array;
  /** Residualised phenotypes in scan order, n a row. */
  yr: Float64Array;
  /** Their centred sums of squares. */
  yy: Float64Array;
  /** Their residual sums of squares. */
  syy: Float64Array;
}

/** The nominal pass's data and outputs (one entry per pair). */
export interface NominalShared extends CisShared {
  /** Output row of each phenotype's first pair (scan order). */
  rowStart: Int32Array;
  /** Per chunk: the first and one-past-last phenotype (scan order) whose window reaches it. */
  chunkPhenotypes: Int32Array;
  /** The largest number of phenotypes of a chunk. */
  maxPhenotypes: number;
  af: Float64Array;
  maSamples: Int32Array;
  maCount: Int32Array;
  slope: Float64Array;
  slopeSe: Float64Array;
  tStatistic: Float64Array;
  pValue: Float64Array;
  reason: Uint8Array;
}

/** The permutation pass's data and outputs (one entry per phenotype in scan order). */
export interface PermutationShared extends CisShared {
  /** Centred phenotypes in scan order (what is permuted), n a row. */
  yc: Float64Array;
  /** The permutations, `nPermutations` rows of n sample indices. */
  permutations: Int32Array;
  nPermutations: number;
  /** Break ties of the nominal top variant at random (tensorQTL `random_tiebreak`). */
  randomTiebreak: boolean;
  /** Seed of the tie-breaks. */
  seed: number;
  /** Each phenotype's index in the caller's order (seeds its tie-break stream). */
  inputIndex: Int32Array;
  numVar: Int32Array;
  /** Top variant (scan index), -1 when none. */
  top: Int32Array;
  af: Float64Array;
  maSamples: Int32Array;
  maCount: Int32Array;
  slope: Float64Array;
  slopeSe: Float64Array;
  tStatistic: Float64Array;
  pValue: Float64Array;
  r2Nominal: Float64Array;
  /** nPermutations per phenotype. */
  r2Perm: Float64Array;
  reason: Uint8Array;
}

/** A message to a worker (`_cis_worker.ts`). */
export type CisWorkerRequest =
  | { type: "init"; shared: CisShared }
  | { type: "tasks"; kind: "nominal" | "permutations"; tasks: number[] };

/** A message from a worker. */
export type CisWorkerReply = { type: "done" } | { type: "error"; message: string; stack?: string };

function dot(a: Float64Array, aBase: number, b: Float64Array, bBase: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aBase + i] * b[bBase + i];
  return s;
}

/** One thread's state: the arena with Q, scratch, and the two passes. */
export class CisKernel {
  readonly shared: CisShared;
  readonly basis: CovariateBasis;
  readonly arena: MatrixArena;
  readonly residualizer: Residualizer;
  readonly stats: Float64Array;
  readonly gg: Float64Array;
  readonly sxx: Float64Array;
  readonly slots = newSlots();

  constructor(shared: CisShared) {
    this.shared = shared;
    this.basis = { n: shared.n, k: shared.k, names: shared.names, q: shared.q };
    this.arena = new MatrixArena();
    this.residualizer = new Residualizer(this.arena, this.basis);
    this.stats = new Float64Array(CHUNK * DOSAGE_STATS);
    this.gg = new Float64Array(CHUNK);
    this.sxx = new Float64Array(CHUNK);
  }

  /** Impute and centre scanned variant `v` into row `r` of `m`; its statistics at `stats[slot]`. */
  loadVariant(v: number, m: ArenaMatrix, r: number, stats: Float64Array, slot: number): void {
    const { dosages, n } = this.shared;
    const out = stats.subarray(slot * DOSAGE_STATS, (slot + 1) * DOSAGE_STATS);
    const row = dosages.subarray(v * n, v * n + n);
    // Validated when the scan was planned: no invalid value reaches here.
    if (row instanceof Int8Array) centreDosageCodes(row, n, this.arena.view, m.offset + r * m.stride, out);
    else centreDosages(row, n, this.arena.view, m.offset + r * m.stride, out);
  }

  /** The nominal pass over chunk `c` (variants c·CHUNK …). */
  nominalChunk(c: number): void {
    const s = this.shared as NominalShared;
    const { n, k, lo, hi, yy, syy, rowStart } = s;
    const dof = n - 2 - k;
    const v0 = c * CHUNK;
    const v1 = Math.min(v0 + CHUNK, s.nVariants);
    const rows = v1 - v0;
    const ga = s.chunkPhenotypes[2 * c];
    const gb = s.chunkPhenotypes[2 * c + 1];
    if (gb <= ga) return;
    const { arena, stats, gg, sxx, slots } = this;
    const mark = arena.mark();
    const g = arena.alloc(CHUNK, n, 2);
    const y = arena.alloc(s.maxPhenotypes, n, 4);
    const cross = arena.alloc(g.paddedRows, y.paddedRows, 1);
    for (let r = 0; r < rows; r++) {
      this.loadVariant(v0 + r, g, r, stats, r);
      gg[r] = stats[r * DOSAGE_STATS + DosageStat.SumSquares];
    }
    this.residualizer.residualSumsOfSquares(g, rows, gg, sxx);
    const view = arena.view;
    view.set(s.yr.subarray(ga * n, gb * n), y.offset); // y's stride is n (even) or n + 1
    if (y.stride !== n) {
      for (let j = gb - ga - 1; j >= 0; j--) {
        view.copyWithin(y.offset + j * y.stride, y.offset + j * n, y.offset + j * n + n);
      }
      for (let j = 0; j < gb - ga; j++) view[y.offset + j * y.stride + n] = 0;
    }
    const phenotypes = gb - ga;
    arena.gemmNT(
      { ...g, rows, paddedRows: rows + (rows & 1) },
      { ...y, rows: phenotypes, paddedRows: Math.ceil(phenotypes / 4) * 4 },
      cross,
    );
    const cv = arena.view;
    for (let j = ga; j < gb; j++) {
      const from = Math.max(lo[j], v0);
      const to = Math.min(hi[j], v1);
      for (let v = from; v < to; v++) {
        const r = v - v0;
        const st = r * DOSAGE_STATS;
        const sxy = cv[cross.offset + r * cross.stride + (j - ga)];
        fitAdjusted(
          stats[st + DosageStat.Called],
          stats[st + DosageStat.Classes],
          dof,
          gg[r],
          sxx[r],
          sxy,
          yy[j],
          syy[j],
          n,
          slots,
        );
        const row = rowStart[j] + (v - lo[j]);
        s.af[row] = stats[st + DosageStat.Af];
        s.maSamples[row] = stats[st + DosageStat.MaSamples];
        s.maCount[row] = stats[st + DosageStat.MaCount];
        s.slope[row] = slots.nes;
        s.slopeSe[row] = slots.error;
        s.tStatistic[row] = slots.tStatistic;
        s.pValue[row] = slots.pValue;
        s.reason[row] = REASON_CODE.get(slots.reason)!;
      }
    }
    arena.release(mark);
  }

  /** The permutation pass for phenotype `j` (scan order). */
  permutationPhenotype(j: number): void {
    const s = this.shared as PermutationShared;
    const { n, k, nPermutations: np } = s;
    const dof = n - 2 - k;
    const { arena, slots } = this;
    const mark = arena.mark();
    const width = s.hi[j] - s.lo[j];
    const g = arena.alloc(Math.max(width, 1), n, 2);
    const stats = new Float64Array(Math.max(width, 1) * DOSAGE_STATS);
    const gg = new Float64Array(width);
    const sxx = new Float64Array(width);
    const exact = new Uint8Array(width);
    const variant = new Int32Array(width);
    // The window's variants; monomorphic ones are dropped (tensorQTL map_cis).
    let m = 0;
    for (let v = s.lo[j]; v < s.hi[j]; v++) {
      this.loadVariant(v, g, m, stats, m);
      if (stats[m * DOSAGE_STATS + DosageStat.Classes] < 2) continue;
      gg[m] = stats[m * DOSAGE_STATS + DosageStat.SumSquares];
      variant[m++] = v;
    }
    s.numVar[j] = m;
    const r2Perm = s.r2Perm.subarray(j * np, (j + 1) * np);
    s.top[j] = -1;
    const yy = s.yy[j];
    const syy = s.syy[j];
    const noise = (64 * n * Number.EPSILON) ** 2;
    if (yy === 0 || syy <= noise * yy) {
      // A constant phenotype, or one the covariates explain: fitAdjusted says which.
      fitAdjusted(1, 2, dof, 1, 1, 0, yy, syy, n, slots);
      r2Perm.fill(NaN);
      this.#noResult(s, j, REASON_CODE.get(slots.reason)!);
      arena.release(mark);
      return;
    }
    if (m === 0) {
      r2Perm.fill(NaN);
      this.#noResult(s, j, NO_VARIANT);
      arena.release(mark);
      return;
    }
    this.residualizer.residualSumsOfSquares(g, m, gg, sxx, exact);
    // Scale every row to unit residual length; a dosage the covariates explain is left out (tensorQTL
    // would get a correlation of rounding noise there).
    let view = arena.view;
    let usable = 0;
    for (let r = 0; r < m; r++) {
      const base = g.offset + r * g.stride;
      const ok = sxx[r] > noise * gg[r];
      const scale = ok ? 1 / Math.sqrt(sxx[r]) : 0;
      for (let t = 0; t < n; t++) view[base + t] *= scale;
      if (ok) usable++;
      else sxx[r] = NaN;
    }
    if (usable === 0) {
      r2Perm.fill(NaN);
      this.#noResult(s, j, ALL_COLLINEAR);
      arena.release(mark);
      return;
    }
    // [y_r; permuted, residualised phenotypes], each of unit length.
    const b = arena.alloc(np + 2, n, 4);
    const perms: ArenaMatrix = { ...b, offset: b.offset + b.stride, rows: np, paddedRows: np + (np & 1) };
    view = arena.view;
    const yc = s.yc;
    const ycBase = j * n;
    const unit = 1 / Math.sqrt(syy);
    for (let t = 0; t < n; t++) view[b.offset + t] = s.yr[ycBase + t] * unit;
    const perm = s.permutations;
    for (let i = 0; i < np; i++) {
      const row = perms.offset + i * perms.stride;
      const pi = i * n;
      for (let t = 0; t < n; t++) view[row + t] = yc[ycBase + perm[pi + t]];
    }
    const pc = new Float64Array(np);
    const pss = new Float64Array(np);
    centreRows(view, perms, np, n, pc);
    this.residualizer.residualise(perms, np, pc, pss);
    view = arena.view;
    for (let i = 0; i < np; i++) {
      const row = perms.offset + i * perms.stride;
      const scale = 1 / Math.sqrt(pss[i]);
      for (let t = 0; t < n; t++) view[row + t] *= scale;
    }
    // Tiles of variants against all of it: r for the phenotype (column 0) and each permutation.
    r2Perm.fill(-Infinity);
    const c = arena.alloc(TILE, b.paddedRows, 1);
    let best = -Infinity;
    let ties: number[] = [];
    for (let r0 = 0; r0 < m; r0 += TILE) {
      const rows = Math.min(TILE, m - r0);
      arena.gemmNT({ ...g, offset: g.offset + r0 * g.stride, rows, paddedRows: rows + (rows & 1) }, b, c);
      const cv = arena.view;
      for (let r = 0; r < rows; r++) {
        if (sxx[r0 + r] !== sxx[r0 + r]) continue;
        const base = c.offset + r * c.stride;
        const rn = cv[base];
        const r2 = rn * rn;
        if (r2 > best) {
          best = r2;
          ties = [r0 + r];
        } else if (r2 === best) ties.push(r0 + r);
        for (let i = 0; i < np; i++) {
          const x = cv[base + 1 + i];
          const x2 = x * x;
          if (x2 > r2Perm[i]) r2Perm[i] = x2;
        }
      }
    }
    let pick = ties[0];
    if (s.randomTiebreak && ties.length > 1) {
      // One stream per phenotype, from the seed and its input index: the same whatever the threads.
      const rng = new MersenneTwister((s.seed + Math.imul(0x9e3779b9, s.inputIndex[j] + 1)) >>> 0);
      pick = ties[rng.interval(ties.length - 1)];
    }
    // The top variant's statistics from its exact moments (as the nominal pass gives them).
    const v = variant[pick];
    const top = arena.alloc(2, n, 2);
    const st = new Float64Array(DOSAGE_STATS);
    this.loadVariant(v, top, 0, st, 0);
    const ts = new Float64Array(1);
    this.residualizer.residualSumsOfSquares(top, 1, st.subarray(DosageStat.SumSquares), ts);
    const rss = ts[0];
    const sxy = dot(arena.view, top.offset, s.yr, ycBase, n); // g_c·y_r, or g_r·y_r for a residualised row
    fitAdjusted(
      st[DosageStat.Called],
      st[DosageStat.Classes],
      dof,
      st[DosageStat.SumSquares],
      rss,
      sxy,
      yy,
      syy,
      n,
      slots,
    );
    s.top[j] = v;
    s.af[j] = st[DosageStat.Af];
    s.maSamples[j] = st[DosageStat.MaSamples];
    s.maCount[j] = st[DosageStat.MaCount];
    s.slope[j] = slots.nes;
    s.slopeSe[j] = slots.error;
    s.tStatistic[j] = slots.tStatistic;
    s.pValue[j] = slots.pValue;
    s.r2Nominal[j] = (sxy * sxy) / (rss * syy);
    s.reason[j] = REASON_CODE.get(slots.reason)!;
    arena.release(mark);
  }

  #noResult(s: PermutationShared, j: number, reason: number): void {
    s.af[j] =
      s.slope[j] =
      s.slopeSe[j] =
      s.tStatistic[j] =
      s.pValue[j] =
      s.r2Nominal[j] =
        NaN;
    s.maSamples[j] = s.maCount[j] = 0;
    s.reason[j] = reason;
  }
}
