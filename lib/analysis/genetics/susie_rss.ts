/**
 * SuSiE on summary statistics (z-scores and an in-sample LD matrix), as susieR 0.12's `susie_rss(z, R, n)`
 * computes it: PVE-adjusted z-scores, `XᵀX = (n − 1)R`, `Xᵀy = √(n − 1) z`, `yᵀy = n − 1`, then
 * `susie_suff_stat` with its defaults.
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import { checkOptions, type OptionSpec } from "../../_core/options.ts";
import { assembleFit, checkCommon, SUSIE_COMMON_SPEC } from "./_susie_common.ts";
import { type IbssData, runIbss } from "./_susie_ibss.ts";
import { multiplyColumns } from "./_susie_kernels.ts";
import type { SusieFit, SusieMatrix, SusieRssOptions } from "./susie_types.ts";

export type { SusieRssOptions } from "./susie_types.ts";

const USAGE = "susieRss(z, R, n, { L: 10, coverage: 0.95, … }) with R the p × p in-sample LD (correlation) matrix";

const SPEC: OptionSpec = { ...SUSIE_COMMON_SPEC, symmetrize: "boolean", checkPrior: "boolean" };

/** Below this fraction of the largest |b|, a column's share of XᵀX·b is below rounding and is skipped. */
const NEGLIGIBLE = 1e-20;

/** R's `.Machine$double.eps`. */
const EPS = 2.220446049250313e-16;

/** The sufficient-statistics side of IBSS: XᵀX·b products, with `XᵀX r` kept (susieR's `XtXr`). */
class SummaryData implements IbssData {
  readonly p: number;
  readonly n: number;
  readonly d: Float64Array;
  version = 0;
  private xtrVersion = -1;
  private readonly pReal: number;
  private readonly XtX: Float64Array;
  private readonly Xty: Float64Array;
  private readonly yty: number;
  private readonly XtXr: Float64Array;
  private readonly XtXb: Float64Array;
  private readonly zero: Uint8Array;
  private readonly xtr: Float64Array;
  private readonly cols: Int32Array;

  constructor(XtX: Float64Array, Xty: Float64Array, yty: number, n: number, pReal: number, p: number, L: number) {
    this.XtX = XtX;
    this.n = n;
    this.pReal = pReal;
    this.p = p;
    this.yty = yty;
    this.Xty = new Float64Array(p);
    this.Xty.set(Xty);
    this.d = new Float64Array(p);
    for (let j = 0; j < pReal; j++) this.d[j] = XtX[j * pReal + j];
    this.XtXr = new Float64Array(p);
    this.XtXb = new Float64Array(L * p);
    this.zero = new Uint8Array(L).fill(1);
    this.xtr = new Float64Array(p);
    this.cols = new Int32Array(pReal);
  }

  residualXt(l: number): Float64Array {
    const { p, XtXr } = this;
    if (!this.zero[l]) {
      const row = this.XtXb.subarray(l * p, (l + 1) * p);
      for (let j = 0; j < p; j++) XtXr[j] -= row[j];
      row.fill(0);
      this.zero[l] = 1;
      this.version++;
    }
    if (this.xtrVersion !== this.version) {
      for (let j = 0; j < p; j++) this.xtr[j] = this.Xty[j] - XtXr[j];
      this.xtrVersion = this.version;
    }
    return this.xtr;
  }

  setEffect(l: number, b: Float64Array, allZero: boolean): void {
    if (allZero) return;
    const { p, pReal, cols } = this;
    let big = 0;
    for (let j = 0; j < pReal; j++) big = Math.max(big, Math.abs(b[j]));
    const floor = big * NEGLIGIBLE;
    let count = 0;
    for (let j = 0; j < pReal; j++) if (Math.abs(b[j]) > floor) cols[count++] = j;
    // XᵀX is symmetric: XᵀX·b is the sum of its columns weighted by b.
    const row = this.XtXb.subarray(l * p, l * p + pReal);
    multiplyColumns(this.XtX, pReal, cols, count, b, row);
    for (let j = 0; j < pReal; j++) this.XtXr[j] += row[j];
    this.zero[l] = 0;
    this.version++;
  }

  expectedSquaredResiduals(alpha: Float64Array, mu: Float64Array, mu2: Float64Array, L: number): number {
    // susieR's get_ER2_ss: yᵀy − 2 b̄ᵀXᵀy + b̄ᵀXᵀX b̄ − Σ_l b_lᵀXᵀX b_l + Σ d·alpha·mu2, with b̄ = Σ_l b_l.
    const { p, d, Xty, XtXr, XtXb } = this;
    let s = this.yty;
    for (let j = 0; j < p; j++) {
      let bbar = 0;
      for (let l = 0; l < L; l++) bbar += alpha[l * p + j] * mu[l * p + j];
      s += -2 * bbar * Xty[j] + bbar * XtXr[j];
    }
    for (let l = 0; l < L; l++) {
      const o = l * p;
      for (let j = 0; j < p; j++) {
        s -= alpha[o + j] * mu[o + j] * XtXb[o + j];
        s += d[j] * (alpha[o + j] * mu2[o + j]);
      }
    }
    return s;
  }
}

function checkR(R: unknown, p: number): Float64Array {
  const fix = "pass R as a Float64Array of p × p = " +
    `${p * p} values (the LD correlations of the variants of z, in ` +
    "the same order), or as { values, rows: p, columns: p }";
  let values: unknown = R;
  if (R !== null && typeof R === "object" && !(R instanceof Float64Array)) {
    const m = R as Partial<SusieMatrix>;
    if (m.rows !== p || m.columns !== p) {
      throw new ValidationError(
        "R",
        `${m.rows} × ${m.columns}`,
        `the dimension of R does not agree with the ${p} z-scores (susieR: "The dimension of R … does not agree")`,
        fix,
      );
    }
    values = m.values;
  }
  if (!(values instanceof Float64Array)) throw new ValidationError("R", R, "expected a Float64Array", fix);
  if (values.length !== p * p) {
    throw new ValidationError(
      "R",
      `Float64Array(${values.length})`,
      `R has ${values.length} values but ${p} z-scores need ${p} × ${p} = ${p * p}`,
      fix,
    );
  }
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) {
      throw new ValidationError(
        "R",
        values[k],
        `R[${k % p}, ${Math.floor(k / p)}] is not finite (susieR: "Input XtX matrix contains NAs")`,
        "compute the LD from complete genotypes (impute missing ones), or drop the variant",
      );
    }
  }
  return values;
}

/**
 * Fine-map one locus with SuSiE from z-scores and the in-sample LD matrix, as susieR 0.12.35's
 * `susie_rss(z, R, n)` with its defaults: the z-scores adjusted for the variance they explain
 * (`z·√((n−1)/(z² + n − 2))`), L = 10, prior variance 0.2 (of var(y) = 1) estimated by `optim`, the
 * residual variance NOT estimated (susie_rss's default `estimate_residual_variance = FALSE`; pass `true`
 * only with in-sample LD), `check_prior` on, coverage 0.95 and purity min |r| ≥ 0.5 from R itself.
 * Indices are 0-based.
 *
 * @param z The z-scores, one per variant (from the same samples as R).
 * @param R The LD matrix: correlations between the variants of `z`, p × p (a flat Float64Array, or
 *   `{ values, rows, columns }`). Symmetric, so row- or column-major is the same.
 * @param n The sample size of the z-scores (> 1).
 * @param options susieR's arguments, camel-cased (see `SusieRssOptions`).
 * @returns The fit, as `susie` returns it (`fitted` and `intercept` are `null`: there is no y).
 * @throws {ValidationError} For a z-score that is not finite (susieR silently replaces a missing one by 0:
 *   here, drop the variant or set it to 0 yourself), a malformed, non-finite or non-symmetric R, n ≤ 1, or
 *   a bad option.
 * @throws {FineMappingError} Where susieR stops: an estimated prior variance over 100 × max z² (the
 *   z-scores and R disagree), an infinite objective, a negative residual variance.
 *
 * @example Three variants, the first two in LD (r = 0.8); the first carries the signal.
 * ```ts
 * import { susieRss } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const R = new Float64Array([1, 0.8, 0, 0.8, 1, 0, 0, 0, 1]);
 * const fit = susieRss([8, 6.4, 0.5], R, 500, { L: 2 });
 * assert.equal(fit.converged, true);
 * assert.deepEqual(fit.sets[0].variants, [0]);
 * assert.ok(fit.pip[0] > 0.99 && fit.pip[2] < 0.1);
 * ```
 */
export function susieRss(
  z: ArrayLike<number>,
  R: Float64Array | SusieMatrix,
  n: number,
  options?: SusieRssOptions,
): SusieFit {
  const opts = checkOptions<SusieRssOptions>(options, SPEC, { usage: USAGE });
  if (z === null || typeof z !== "object" || typeof z.length !== "number" || z.length < 1) {
    throw new ValidationError("z", z, "expected a non-empty array of z-scores", USAGE);
  }
  const pReal = z.length;
  const zs = new Float64Array(pReal);
  for (let j = 0; j < pReal; j++) {
    const v = z[j];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ValidationError(
        "z",
        v,
        `z[${j}] is not a finite number (susieR replaces a missing z by 0 and stops on an infinite one)`,
        "drop the variant (from z and from R), or set its z-score to 0 to do what susieR does",
      );
    }
    zs[j] = v;
  }
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 1) {
    throw new ValidationError(
      "n",
      n,
      'the sample size must be a number greater than 1 (susieR: "n must be greater than 1")',
      USAGE,
    );
  }
  const Rv = checkR(R, pReal);
  const warnings: string[] = [];
  // isSymmetric: all.equal(R, t(R)) with tolerance 100 ε, i.e. Σ|R − Rᵀ| ≤ 100 ε Σ|R|.
  let diff = 0, size = 0;
  for (let a = 0; a < pReal; a++) {
    for (let b = 0; b < pReal; b++) {
      diff += Math.abs(Rv[a * pReal + b] - Rv[b * pReal + a]);
      size += Math.abs(Rv[a * pReal + b]);
    }
  }
  const symmetric = size === 0 || diff / size <= 100 * EPS;
  const symmetrize = opts.symmetrize ?? false;
  if (!symmetric && !symmetrize) {
    throw new ValidationError(
      "R",
      `mean |R − Rᵀ| / mean |R| = ${diff / size}`,
      "R is not symmetric; susieR would warn and use (R + Rᵀ)/2",
      "check that R is the LD matrix of the variants of z (p × p, same order); pass symmetrize: true to use " +
        "(R + Rᵀ)/2 as susieR does",
    );
  }

  // PVE-adjusted z-scores; XᵀX = (n − 1) R, Xᵀy = √(n − 1) z, yᵀy = n − 1 (var(y) = 1).
  const zAdj = new Float64Array(pReal);
  for (let j = 0; j < pReal; j++) zAdj[j] = Math.sqrt((n - 1) / (zs[j] * zs[j] + n - 2)) * zs[j];
  const XtX = new Float64Array(pReal * pReal);
  for (let k = 0; k < XtX.length; k++) XtX[k] = (n - 1) * Rv[k];
  if (!symmetric) {
    warnings.push("R was not symmetric: replaced by (R + Rᵀ)/2, as susieR does");
    for (let a = 0; a < pReal; a++) {
      for (let b = a + 1; b < pReal; b++) {
        const s = (XtX[a * pReal + b] + XtX[b * pReal + a]) / 2;
        XtX[a * pReal + b] = s;
        XtX[b * pReal + a] = s;
      }
    }
  }
  const Xty = new Float64Array(pReal);
  for (let j = 0; j < pReal; j++) Xty[j] = Math.sqrt(n - 1) * zAdj[j];
  const yty = n - 1;

  const common = checkCommon(opts, pReal, yty / (n - 1), USAGE, { estimateResidualVariance: false });
  const csd = new Float64Array(pReal).fill(1);
  if (common.standardize) {
    for (let j = 0; j < pReal; j++) {
      const s = Math.sqrt(XtX[j * pReal + j] / (n - 1));
      csd[j] = s === 0 ? 1 : s;
    }
    // XᵀX ← diag(1/csd) XᵀX diag(1/csd); Xᵀy ← Xᵀy / csd.
    for (let b = 0; b < pReal; b++) {
      for (let a = 0; a < pReal; a++) XtX[b * pReal + a] = ((1 / csd[a]) * XtX[b * pReal + a]) / csd[b];
      Xty[b] = Xty[b] / csd[b];
    }
  }
  const data = new SummaryData(XtX, Xty, yty, n, pReal, common.p, common.L);
  // check_prior: against the largest |z| of the (adjusted) statistics at the initial residual variance.
  let zm = 0;
  for (let j = 0; j < pReal; j++) {
    const bhat = (1 / data.d[j]) * Xty[j];
    const shat = Math.sqrt(common.sigma2 / data.d[j]);
    const zz = Math.abs(bhat / shat);
    if (zz === zz && zz > zm) zm = zz;
  }
  const checkPrior = opts.checkPrior ?? true;
  const state = runIbss(data, {
    ...common.ibss,
    residualBounds: null,
    priorCheck: checkPrior ? zm * zm : null,
    stopOnInfiniteElbo: true,
  });

  // Purity from XᵀX itself, as a correlation (susieR's cov2cor, unless the diagonal is already 0/1).
  const diag = data.d;
  let unitDiagonal = true;
  for (let j = 0; j < pReal; j++) if (diag[j] !== 0 && diag[j] !== 1) unitDiagonal = false;
  const inv = new Float64Array(pReal);
  for (let j = 0; j < pReal; j++) inv[j] = unitDiagonal ? 1 : Math.sqrt(1 / diag[j]);
  const correlation = {
    prepare(members: readonly number[]) {
      // cov2cor of a zero diagonal is NaN (0 · ∞): R's purity is then NA.
      for (const j of members) if (!Number.isFinite(inv[j])) return null;
      return (a: number, b: number) => {
        const i = members[a], j = members[b];
        return Math.abs(inv[i] * XtX[j * pReal + i] * inv[j]);
      };
    },
  };
  const columnScale = new Float64Array(common.p).fill(1);
  columnScale.set(csd);
  return assembleFit({
    method: "susie_rss",
    state,
    settings: common,
    samples: n,
    pReal,
    correlation,
    columnScale,
    columnMeans: null,
    yMean: 0,
    fitted: null,
    warnings: [...common.warnings, ...warnings],
  });
}
