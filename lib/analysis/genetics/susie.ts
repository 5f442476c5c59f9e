/**
 * SuSiE fine-mapping on individual-level data (Wang et al. 2020, the IBSS algorithm), as susieR 0.12's
 * `susie()` computes it, with its defaults.
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import { checkOptions, type OptionSpec } from "../../_core/options.ts";
import { type IbssData, runIbss } from "./_susie_ibss.ts";
import { crossprodColumns, multiplyColumns } from "./_susie_kernels.ts";
import { assembleFit, checkCommon, SUSIE_COMMON_SPEC } from "./_susie_common.ts";
import type { SusieFit, SusieMatrix, SusieOptions } from "./susie_types.ts";

export type {
  SusieCommonOptions,
  SusieCredibleSet,
  SusieFit,
  SusieMatrix,
  SusieOptions,
  SusiePriorMethod,
  SusiePurity,
} from "./susie_types.ts";
export { FineMappingError } from "./susie_types.ts";

const USAGE = "susie({ values, rows, columns }, y, { L: 10, coverage: 0.95, … })";

const SPEC: OptionSpec = {
  ...SUSIE_COMMON_SPEC,
  intercept: "boolean",
  residualVarianceUpperbound: "number",
  residualVarianceLowerbound: "number",
};

/** Below this fraction of the largest |b|, a column's share of X·b is below rounding and is skipped. */
const NEGLIGIBLE = 1e-20;

/** The column statistics susieR attaches to X (`compute_colstats`). */
interface ColumnStats {
  /** Column means when centring, else 0 (`scaled:center`). */
  cm: Float64Array;
  /** Column standard deviations when scaling (1 for a constant column), else 1 (`scaled:scale`). */
  csd: Float64Array;
  /** Column sums of squares of the centred, scaled X (`d`); 0 for a constant column. */
  d: Float64Array;
  /** Plain column means and centred norms √Σ(x − x̄)², for correlations. */
  mean: Float64Array;
  norm: Float64Array;
  /** Columns whose values are all equal. */
  constant: number[];
}

function columnStats(X: Float64Array, n: number, p: number, center: boolean, scale: boolean): ColumnStats {
  const cm = new Float64Array(p), csd = new Float64Array(p), d = new Float64Array(p);
  const mean = new Float64Array(p), norm = new Float64Array(p);
  const constant: number[] = [];
  for (let j = 0; j < p; j++) {
    const o = j * n;
    let sum = 0, lo = X[o], hi = X[o];
    for (let i = 0; i < n; i++) {
      const x = X[o + i];
      sum += x;
      if (x < lo) lo = x;
      else if (x > hi) hi = x;
    }
    if (!Number.isFinite(sum)) checkColumnFinite(X, n, j);
    const same = lo === hi;
    // A constant column: exactly its value as mean and 0 as spread (R gets the same from colMeans' long
    // double sum for the dosages 0, 1, 2; a computed mean could miss the value by one rounding).
    const m = same ? lo : sum / n;
    let ss = 0;
    if (!same) {
      for (let i = 0; i < n; i++) {
        const e = X[o + i] - m;
        ss += e * e;
      }
    } else constant.push(j);
    const sd = Math.sqrt(ss / (n - 1));
    mean[j] = m;
    norm[j] = Math.sqrt(ss);
    cm[j] = center ? m : 0;
    csd[j] = scale && sd !== 0 ? sd : 1;
    // susieR: d = n·mean² + (n−1)·sd², then (d − n·cm²)/csd² (= colSums of the standardised X squared).
    const raw = n * m * m + (n - 1) * sd * sd;
    d[j] = same && center ? 0 : (raw - n * cm[j] * cm[j]) / (csd[j] * csd[j]);
  }
  return { cm, csd, d, mean, norm, constant };
}

/** Throw for the first non-finite value of column j (its sum was not finite). */
function checkColumnFinite(X: Float64Array, n: number, j: number): void {
  for (let i = 0; i < n; i++) {
    const v = X[j * n + i];
    if (!Number.isFinite(v)) {
      throw new ValidationError(
        "X",
        v,
        `X[${i}, ${j}] (sample ${i}, variant ${j}) is not finite; susieR stops with "Input X must not contain ` +
          `missing values"`,
        "impute missing genotypes (e.g. with the variant's mean dosage) or drop the variant or the sample",
      );
    }
  }
  throw new ValidationError(
    "X",
    `column ${j}`,
    `the values of variant ${j} overflow when summed`,
    "give genotypes on a reasonable scale (dosages 0–2)",
  );
}

/** The genotype side of IBSS: Xᵀr and X·b over the column-major matrix, with the residual kept. */
class IndividualData implements IbssData {
  readonly p: number;
  readonly n: number;
  readonly d: Float64Array;
  version = 0;
  private xtrVersion = -1;
  private readonly pReal: number;
  private readonly X: Float64Array;
  private readonly cm: Float64Array;
  private readonly csd: Float64Array;
  /** r = y − Σ_l X b_l. */
  readonly r: Float64Array;
  /** X b_l per effect (L × n), and whether b_l is all zero. */
  readonly Xb: Float64Array;
  readonly zero: Uint8Array;
  private readonly xtr: Float64Array;
  private readonly raw: Float64Array;
  private readonly scaled: Float64Array;
  private readonly cols: Int32Array;
  private readonly y: Float64Array;

  constructor(X: Float64Array, n: number, pReal: number, p: number, stats: ColumnStats, y: Float64Array, L: number) {
    this.X = X;
    this.n = n;
    this.pReal = pReal;
    this.p = p;
    this.cm = stats.cm;
    this.csd = stats.csd;
    // The null column (when there is one) has d = 0.
    this.d = new Float64Array(p);
    this.d.set(stats.d);
    this.y = y;
    this.r = Float64Array.from(y);
    this.Xb = new Float64Array(L * n);
    this.zero = new Uint8Array(L).fill(1);
    this.xtr = new Float64Array(p);
    this.raw = new Float64Array(pReal);
    this.scaled = new Float64Array(pReal);
    this.cols = new Int32Array(pReal);
  }

  residualXt(l: number): Float64Array {
    const { n, r } = this;
    if (!this.zero[l]) {
      const xb = this.Xb.subarray(l * n, (l + 1) * n);
      for (let i = 0; i < n; i++) r[i] += xb[i];
      xb.fill(0);
      this.zero[l] = 1;
      this.version++;
    }
    if (this.xtrVersion !== this.version) {
      // susieR's compute_Xty: (rᵀX)/csd − (cm/csd)·Σr.
      let sr = 0;
      for (let i = 0; i < n; i++) sr += r[i];
      crossprodColumns(this.X, n, this.pReal, r, this.raw);
      const { cm, csd, xtr, raw } = this;
      for (let j = 0; j < this.pReal; j++) xtr[j] = raw[j] / csd[j] - (cm[j] / csd[j]) * sr;
      for (let j = this.pReal; j < this.p; j++) xtr[j] = 0;
      this.xtrVersion = this.version;
    }
    return this.xtr;
  }

  setEffect(l: number, b: Float64Array, allZero: boolean): void {
    if (allZero) return; // X·0 = 0: the residual stays, and so does its Xᵀr.
    const { n, pReal, cm, csd, scaled, cols } = this;
    // susieR's compute_Xb: X (b/csd) − Σ cm·b/csd.
    let big = 0;
    for (let j = 0; j < pReal; j++) {
      const s = b[j] / csd[j];
      scaled[j] = s;
      const a = Math.abs(s);
      if (a > big) big = a;
    }
    const floor = big * NEGLIGIBLE;
    let count = 0, shift = 0;
    for (let j = 0; j < pReal; j++) {
      shift += cm[j] * scaled[j];
      if (Math.abs(scaled[j]) > floor) cols[count++] = j;
    }
    const xb = this.Xb.subarray(l * n, (l + 1) * n);
    multiplyColumns(this.X, n, cols, count, scaled, xb);
    const r = this.r;
    for (let i = 0; i < n; i++) {
      xb[i] -= shift;
      r[i] -= xb[i];
    }
    this.zero[l] = 0;
    this.version++;
  }

  expectedSquaredResiduals(alpha: Float64Array, _mu: Float64Array, mu2: Float64Array, L: number): number {
    // susieR's get_ER2: ‖y − Xr‖² − Σ_l ‖X b_l‖² + Σ_l Σ_j d_j alpha_lj mu2_lj.
    const { n, p, r, Xb, d } = this;
    let s = 0;
    for (let i = 0; i < n; i++) s += r[i] * r[i];
    for (let k = 0; k < L * n; k++) s -= Xb[k] * Xb[k];
    for (let l = 0; l < L; l++) {
      const o = l * p;
      for (let j = 0; j < p; j++) s += d[j] * (alpha[o + j] * mu2[o + j]);
    }
    return s;
  }

  /** Fitted values without the mean: y − r. */
  fittedCentred(): Float64Array {
    const out = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.y[i] - this.r[i];
    return out;
  }
}

function checkMatrix(X: unknown): SusieMatrix {
  const fix = "pass X as { values: Float64Array (column-major, each variant's dosages contiguous), rows: samples, " +
    "columns: variants }";
  if (X === null || typeof X !== "object") throw new ValidationError("X", X, "expected a matrix object", fix);
  const m = X as Partial<SusieMatrix>;
  if (!(m.values instanceof Float64Array)) {
    throw new ValidationError("X.values", m.values, "expected a Float64Array", fix);
  }
  for (const key of ["rows", "columns"] as const) {
    const v = m[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      throw new ValidationError(`X.${key}`, v, "expected a positive integer", fix);
    }
  }
  if (m.values.length !== m.rows! * m.columns!) {
    throw new ValidationError(
      "X.values",
      `Float64Array(${m.values.length})`,
      `length ${m.values.length} is not rows × columns = ${m.rows} × ${m.columns} = ${m.rows! * m.columns!}`,
      fix,
    );
  }
  return m as SusieMatrix;
}

/**
 * Fine-map one locus with SuSiE on individual-level data, as susieR 0.12's `susie(X, y)` with its
 * defaults: L = 10 effects, scaled prior variance 0.2, each effect's prior variance estimated by `optim`
 * (Brent on log V over [−30, 15], as R runs it) and zeroed when the null fits as well
 * (`check_null_threshold` 0), residual variance estimated (bounded below by var(y)/1e4), X and y centred
 * and X standardised, coverage 0.95, purity min |r| ≥ 0.5, at most 100 iterations, tolerance 1e-3 on the
 * ELBO. Indices are 0-based (susieR's are 1-based).
 *
 * Differences from susieR, all said: a credible set of more than `nPurity` (100) variants has its purity
 * computed on an even spread of 100 of them (susieR draws them at random); a constant column is recognised
 * as such exactly (its d = 0 and Bayes factor 1, as susieR gets for dosages); non-convergence is the
 * result's `converged: false` with a `reason` (susieR warns).
 *
 * @param X The genotypes (dosages, or genotypes residualised on covariates): samples × variants,
 *   column-major (each variant's values contiguous; see `SusieMatrix`). No missing values: impute first.
 * @param y The phenotype, one value per sample (e.g. the normalised expression residualised on the same
 *   covariates).
 * @param options susieR's arguments, camel-cased (see `SusieOptions`).
 * @returns The fit: `pip`, `sets` (variants, coverage, purity, `csIndex`), `lbf`, `lbfVariable`,
 *   `alpha`, `mu`, `mu2`, `V`, `sigma2`, `elbo` per iteration, `niter`, `converged`/`reason`, `warnings`.
 * @throws {ValidationError} For a malformed X or y, a non-finite value, fewer than 2 samples, a constant
 *   phenotype (susieR: "Residual variance sigma2 must be positive (is your var(Y) zero?)"), or a bad option.
 *
 * @example Two variants; the phenotype follows the first.
 * ```ts
 * import { susie } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const n = 50;
 * const values = new Float64Array(2 * n);
 * const y = new Float64Array(n);
 * for (let i = 0; i < n; i++) {
 *   values[i] = i % 3; // variant 0
 *   values[n + i] = (i >> 2) % 3; // variant 1
 *   y[i] = 2 * values[i] + Math.sin(i); // y follows variant 0
 * }
 * const fit = susie({ values, rows: n, columns: 2 }, y, { L: 1 });
 * assert.equal(fit.converged, true);
 * assert.deepEqual(fit.sets.map((s) => s.variants), [[0]]);
 * assert.ok(fit.pip[0] > 0.99);
 * ```
 */
export function susie(X: SusieMatrix, y: ArrayLike<number>, options?: SusieOptions): SusieFit {
  const matrix = checkMatrix(X);
  const opts = checkOptions<SusieOptions>(options, SPEC, { usage: USAGE });
  const n = matrix.rows, pReal = matrix.columns;
  if (y === null || typeof y !== "object" || typeof (y as ArrayLike<number>).length !== "number") {
    throw new ValidationError("y", y, "expected an array of numbers (one per sample)", "pass y as a Float64Array");
  }
  if (y.length !== n) {
    throw new ValidationError(
      "y",
      `length ${y.length}`,
      `y has ${y.length} values but X has ${n} rows (samples)`,
      "give one phenotype value per row of X, in the same sample order",
    );
  }
  if (n < 2) {
    throw new ValidationError("X.rows", n, "SuSiE needs at least 2 samples (var(y) is undefined)", "add samples");
  }
  const values = matrix.values;
  const yc = new Float64Array(n);
  let ySum = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ValidationError(
        "y",
        v,
        `y[${i}] is not a finite number; susieR stops with "Input y must not contain missing values"`,
        "drop the samples with a missing phenotype (from y and from the rows of X)",
      );
    }
    ySum += v;
  }
  const intercept = opts.intercept ?? true;
  if (typeof intercept !== "boolean") throw new ValidationError("options.intercept", intercept, "not a boolean", USAGE);
  const meanY = ySum / n;
  for (let i = 0; i < n; i++) yc[i] = intercept ? y[i] - meanY : y[i];
  // var(y) as R computes it (two-pass, n − 1), on the centred y.
  let yMean2 = 0;
  for (let i = 0; i < n; i++) yMean2 += yc[i];
  yMean2 /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (yc[i] - yMean2) ** 2;
  const varY = ss / (n - 1);

  const common = checkCommon(opts, pReal, varY, USAGE);
  if (common.sigma2 <= 0) {
    throw new ValidationError(
      "y",
      "constant",
      `the residual variance must be positive but var(y) = ${varY}: the phenotype does not vary ` +
        `(susieR: "Residual variance sigma2 must be positive (is your var(Y) zero?)")`,
      "there is nothing to fine-map for a constant phenotype; check that y is the right column",
    );
  }
  const lower = opts.residualVarianceLowerbound ?? varY / 1e4;
  const upper = opts.residualVarianceUpperbound ?? Infinity;

  const stats = columnStats(values, n, pReal, intercept, common.standardize);
  const data = new IndividualData(values, n, pReal, common.p, stats, yc, common.L);
  const state = runIbss(data, {
    ...common.ibss,
    residualBounds: { lower, upper },
    priorCheck: null,
    stopOnInfiniteElbo: false,
  });

  const { mean, norm } = stats;
  const correlation = {
    prepare(members: readonly number[]) {
      // Standardise each member's column once; |r| is then one dot product per pair.
      const k = members.length;
      const z = new Float64Array(k * n);
      for (let a = 0; a < k; a++) {
        const j = members[a];
        if (norm[j] === 0) return null;
        const o = j * n, m = mean[j], s = 1 / norm[j];
        for (let i = 0; i < n; i++) z[a * n + i] = (values[o + i] - m) * s;
      }
      return (a: number, b: number) => {
        let s = 0;
        const oa = a * n, ob = b * n;
        for (let i = 0; i < n; i++) s += z[oa + i] * z[ob + i];
        return Math.min(1, Math.abs(s));
      };
    },
  };
  const columnScale = new Float64Array(common.p).fill(1);
  columnScale.set(stats.csd);
  const fittedC = data.fittedCentred();
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) fitted[i] = intercept ? fittedC[i] + meanY : fittedC[i];
  const warnings = [...common.warnings];
  if (stats.constant.length > 0) {
    warnings.push(
      `${stats.constant.length} variant(s) do not vary (first: ${stats.constant.slice(0, 5).join(", ")}): ` +
        "their Bayes factor is 1, as in susieR; consider dropping them",
    );
  }
  return assembleFit({
    method: "susie",
    state,
    settings: common,
    samples: n,
    pReal,
    correlation,
    columnScale,
    columnMeans: stats.cm,
    yMean: intercept ? meanY : 0,
    fitted,
    warnings,
  });
}
