/**
 * What `susie` and `susieRss` share around the IBSS loop: checking the common options (with susieR's
 * defaults and its own checks from `init_setup`), and turning the loop's state into a {@link SusieFit}
 * (PIPs, credible sets, convergence said).
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import type { OptionSpec } from "../../_core/options.ts";
import type { IbssState } from "./_susie_ibss.ts";
import type { PriorMethod } from "./_susie_ser.ts";
import { type CorrelationSource, credibleSets, pipOf } from "./_susie_sets.ts";
import type { SusieCommonOptions, SusieFit } from "./susie_types.ts";

const isArrayLike = {
  is: (v: unknown) =>
    v instanceof Float64Array || Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)),
  expected: "an array of numbers",
};
const isMethod = {
  is: (v: unknown) => v === "optim" || v === "EM" || v === "simple",
  expected: '"optim", "EM" or "simple"',
};

/** The option types shared by both fits. */
export const SUSIE_COMMON_SPEC: OptionSpec = {
  L: "number",
  scaledPriorVariance: "number",
  residualVariance: "number",
  priorWeights: isArrayLike,
  nullWeight: "number",
  standardize: "boolean",
  estimateResidualVariance: "boolean",
  estimatePriorVariance: "boolean",
  estimatePriorMethod: isMethod,
  checkNullThreshold: "number",
  priorTol: "number",
  coverage: "number",
  minAbsCorr: "number",
  maxIter: "number",
  tol: "number",
  nPurity: "number",
};

/** The common settings, checked, with defaults filled in. */
export interface CommonSettings {
  /** Variables, with the null column when there is one. */
  p: number;
  /** Number of effects (capped at p). */
  L: number;
  standardize: boolean;
  /** Index of the null column, or −1. */
  nullIndex: number;
  coverage: number;
  minAbsCorr: number;
  nPurity: number;
  priorTol: number;
  maxIter: number;
  tol: number;
  /** Initial residual variance. */
  sigma2: number;
  /** What the IBSS loop needs. */
  ibss: {
    L: number;
    V0: number;
    sigma2: number;
    pi: Float64Array;
    method: PriorMethod;
    checkNullThreshold: number;
    maxIter: number;
    tol: number;
    estimateResidualVariance: boolean;
  };
  /** Notes for the result. */
  warnings: string[];
}

function numberIn(
  name: string,
  value: number | undefined,
  fallback: number,
  ok: (v: number) => boolean,
  problem: string,
  usage: string,
): number {
  if (value === undefined) return fallback;
  if (!ok(value)) throw new ValidationError(`options.${name}`, value, problem, usage);
  return value;
}

/**
 * Check the options both fits share and fill in susieR's defaults. `varY` is var(y) (1 for susieRss,
 * whose y is on the standardised scale); `pReal` the number of variants.
 */
export function checkCommon(
  opts: SusieCommonOptions & { estimateResidualVariance?: boolean },
  pReal: number,
  varY: number,
  usage: string,
  defaults: { estimateResidualVariance: boolean } = { estimateResidualVariance: true },
): CommonSettings {
  const warnings: string[] = [];
  const nullWeight = numberIn(
    "nullWeight",
    opts.nullWeight,
    0,
    (v) => v >= 0 && v < 1,
    'must be in [0, 1) (susieR: "Null weight must be between 0 and 1")',
    usage,
  );
  const hasNull = nullWeight > 0;
  const p = hasNull ? pReal + 1 : pReal;
  const standardize = opts.standardize ?? true;
  const spv = numberIn(
    "scaledPriorVariance",
    opts.scaledPriorVariance,
    0.2,
    (v) => Number.isFinite(v) && v >= 0,
    'must be a non-negative number (susieR: "Scaled prior variance should be positive number")',
    usage,
  );
  if (spv > 1 && standardize) {
    throw new ValidationError(
      "options.scaledPriorVariance",
      spv,
      "must be at most 1 when standardize is true (susieR's check)",
      "give the prior variance as a fraction of var(y), e.g. 0.2",
    );
  }
  let L = numberIn(
    "L",
    opts.L,
    Math.min(10, p),
    (v) => Number.isInteger(v) && v >= 1,
    "must be a positive integer (the maximum number of causal effects)",
    usage,
  );
  if (L > p) {
    warnings.push(`L = ${L} is more than the ${p} variables: L set to ${p}, as susieR does`);
    L = p;
  }
  // Prior weights as init_setup makes them.
  let pi: Float64Array;
  if (opts.priorWeights !== undefined || hasNull) {
    const given = opts.priorWeights;
    if (given !== undefined && given.length !== pReal) {
      throw new ValidationError(
        "options.priorWeights",
        `length ${given.length}`,
        `one weight per variant is needed (${pReal}); susieR: "Prior weights must have length p"`,
        "give one non-negative weight per column of X (or leave it out for uniform weights)",
      );
    }
    const w = new Float64Array(p);
    for (let j = 0; j < pReal; j++) {
      const v = given === undefined ? 1 / pReal : Number(given[j]);
      if (!Number.isFinite(v) || v < 0) {
        throw new ValidationError(
          "options.priorWeights",
          v,
          `weight ${j} is not a finite non-negative number`,
          "give one non-negative weight per variant",
        );
      }
      w[j] = hasNull ? v * (1 - nullWeight) : v;
    }
    if (hasNull) w[pReal] = nullWeight;
    let sum = 0;
    for (let j = 0; j < p; j++) sum += w[j];
    if (!(sum > 0)) {
      throw new ValidationError(
        "options.priorWeights",
        "all zero",
        "at least one variant needs a positive prior weight (susieR's check)",
        "give some variant a positive weight",
      );
    }
    pi = w.map((v) => v / sum);
  } else {
    pi = new Float64Array(p).fill(1 / p);
  }
  const residualVariance = numberIn(
    "residualVariance",
    opts.residualVariance,
    varY,
    (v) => Number.isFinite(v) && v > 0,
    "must be a positive number",
    usage,
  );
  const estimatePriorVariance = opts.estimatePriorVariance ?? true;
  const method: PriorMethod = estimatePriorVariance ? (opts.estimatePriorMethod ?? "optim") : "none";
  const checkNullThreshold = numberIn(
    "checkNullThreshold",
    opts.checkNullThreshold,
    0,
    Number.isFinite,
    "must be a finite number",
    usage,
  );
  const priorTol = numberIn("priorTol", opts.priorTol, 1e-9, (v) => v >= 0, "must be ≥ 0", usage);
  const coverage = numberIn("coverage", opts.coverage, 0.95, (v) => v > 0 && v <= 1, "must be in (0, 1]", usage);
  const minAbsCorr = numberIn("minAbsCorr", opts.minAbsCorr, 0.5, (v) => v >= 0 && v <= 1, "must be in [0, 1]", usage);
  const maxIter = numberIn(
    "maxIter",
    opts.maxIter,
    100,
    (v) => Number.isInteger(v) && v >= 1,
    "must be a positive integer",
    usage,
  );
  const tol = numberIn("tol", opts.tol, 1e-3, (v) => v >= 0 && Number.isFinite(v), "must be ≥ 0", usage);
  const nPurity = numberIn("nPurity", opts.nPurity, 100, (v) => v >= 2, "must be ≥ 2 (or Infinity)", usage);
  return {
    p,
    L,
    standardize,
    nullIndex: hasNull ? pReal : -1,
    coverage,
    minAbsCorr,
    nPurity,
    priorTol,
    maxIter,
    tol,
    sigma2: residualVariance,
    ibss: {
      L,
      V0: spv * varY,
      sigma2: residualVariance,
      pi,
      method,
      checkNullThreshold,
      maxIter,
      tol,
      estimateResidualVariance: opts.estimateResidualVariance ?? defaults.estimateResidualVariance,
    },
    warnings,
  };
}

/** What {@link assembleFit} needs. */
export interface AssembleInput {
  method: SusieFit["method"];
  state: IbssState;
  settings: CommonSettings;
  samples: number;
  pReal: number;
  correlation: CorrelationSource;
  columnScale: Float64Array;
  /** Column means for the intercept, or `null` when unknown (susieRss). */
  columnMeans: Float64Array | null;
  yMean: number;
  fitted: Float64Array | null;
  warnings: string[];
}

/** Turn the loop's state into the result: rows, PIPs, credible sets, intercept, convergence said. */
export function assembleFit(input: AssembleInput): SusieFit {
  const { state, settings, pReal } = input;
  const { L, p } = state;
  const rows = (m: Float64Array) => Array.from({ length: L }, (_, l) => m.subarray(l * p, (l + 1) * p));
  const alpha = rows(state.alpha);
  const mu = rows(state.mu);
  const warnings = [...input.warnings];
  const pip = pipOf(alpha, state.V, settings.priorTol, pReal);
  const cs = credibleSets(alpha, state.V, {
    coverage: settings.coverage,
    minAbsCorr: settings.minAbsCorr,
    nPurity: settings.nPurity,
    nullIndex: settings.nullIndex,
    correlation: input.correlation,
  });
  warnings.push(...cs.notes);
  let reason: string | null = null;
  const elbo = state.elbo;
  if (!state.converged) {
    const k = elbo.length;
    const rise = k >= 2 ? elbo[k - 1] - elbo[k - 2] : NaN;
    reason = `IBSS did not converge in ${settings.maxIter} iterations: the ELBO still rose by ${rise} in the ` +
      `last one (tol ${settings.tol}); susieR warns "IBSS algorithm did not converge". Raise maxIter, or check ` +
      "the input";
    warnings.push(reason);
  }
  for (let k = 1; k < elbo.length; k++) {
    if (elbo[k] - elbo[k - 1] < -1e-6) {
      warnings.push(
        `the ELBO decreased at iteration ${k + 1} (by ${elbo[k - 1] - elbo[k]}); susieR's susie_get_objective warns ` +
          '"Objective is decreasing"',
      );
      break;
    }
  }
  let intercept: number | null = null;
  if (input.columnMeans !== null) {
    let s = 0;
    for (let j = 0; j < pReal; j++) {
      let col = 0;
      for (let l = 0; l < L; l++) col += alpha[l][j] * mu[l][j];
      s += input.columnMeans[j] * (col / input.columnScale[j]);
    }
    intercept = input.yMean - s;
  }
  return {
    method: input.method,
    samples: input.samples,
    variants: pReal,
    effects: L,
    pip,
    sets: cs.sets,
    requestedCoverage: settings.coverage,
    lbf: state.lbf,
    lbfVariable: rows(state.lbfVariable),
    alpha,
    mu,
    mu2: rows(state.mu2),
    V: state.V,
    KL: state.KL,
    sigma2: state.sigma2,
    elbo,
    niter: state.niter,
    converged: state.converged,
    reason,
    warnings,
    intercept,
    fitted: input.fitted,
    columnScale: input.columnScale,
    nullIndex: settings.nullIndex,
  };
}
