/**
 * Recompute what the RatGTEx `dyneqtl` route leaves out: the eQTL effect size (`nes`, slope of
 * expression on ALT dosage), its standard error (`error`), `tStatistic` and a two-sided `pValue`,
 * by ordinary least squares on a chosen expression transform.
 *
 * The recomputed p-value is NOT the API's `pValue`: see {@linkcode RECOMPUTED_PVALUE_NOTE}.
 *
 * @module
 */
import { warnUntested } from "./untested.ts";
import { tagResult } from "../../_core/result_kind.ts";
import pl from "nodejs-polars";
import { mean, median } from "simple-statistics";
import { type ExpressionTransform, transformExpression } from "./transforms.ts";
import {
  COVARIATE_PVALUE_NOTE,
  type Covariates,
  type EqtlInput,
  type EqtlRegression,
  type PerDosage,
  type PlainEqtlInput,
  RECOMPUTED_PVALUE_NOTE,
  RegressionInputError,
  type RegressionOptions,
} from "./regression_types.ts";
import {
  badDosage,
  badExpression,
  checkLengths,
  classesOf,
  gatherPlain,
  nullableNumber,
  nullableString,
  transformOption,
} from "./_regression_input.ts";
import { fitOls, newSlots } from "./_ols.ts";
import { regressArray, regressLongFrame } from "./_regression_frames.ts";
import { regressMany } from "./regress_many.ts";
import { isDataFrame } from "../../_core/data_frame.ts";

export type { ExpressionTransform } from "./transforms.ts";
export type {
  CovariateMatrix,
  Covariates,
  EqtlBatch,
  EqtlInput,
  EqtlRegression,
  EqtlRegressionColumns,
  PerDosage,
  PlainEqtlInput,
  RegressionOptions,
} from "./regression_types.ts";
export { COVARIATE_PVALUE_NOTE, RECOMPUTED_PVALUE_NOTE, RegressionInputError } from "./regression_types.ts";
export { regressMany };

function perDosageSummaries(x: ArrayLike<number>, y: ArrayLike<number>, n: number): [PerDosage, PerDosage] {
  const byDosage: [number[], number[], number[]] = [[], [], []];
  for (let i = 0; i < n; i++) {
    const g = x[i];
    if (g === 0 || g === 1 || g === 2) byDosage[g].push(y[i]);
  }
  // Per-genotype summaries (once per fit, outside the hot loops): simple-statistics, NaN for an empty class.
  const means = byDosage.map((v) => v.length === 0 ? NaN : mean(v));
  const medians = byDosage.map((v) => v.length === 0 ? NaN : median(v));
  return [means as PerDosage, medians as PerDosage];
}

/** The pair's ids as given (null when absent), in result order. */
function idsOf(
  input: PlainEqtlInput,
): Pick<EqtlRegression, "geneId" | "tissueSiteDetailId" | "variantId" | "ref" | "alt"> {
  return {
    geneId: nullableString(input.geneId),
    tissueSiteDetailId: nullableString(input.tissueSiteDetailId),
    variantId: nullableString(input.variantId),
    ref: nullableString(input.ref),
    alt: nullableString(input.alt),
  };
}

/** One pair with covariates: a one-pair batch through the adjusted fast path, then the summaries. */
function regressOneAdjusted(
  input: PlainEqtlInput,
  transform: ExpressionTransform,
  covariates: Covariates,
  prefix: string,
): EqtlRegression {
  const n = input.data.length;
  const expression = new Float64Array(n);
  const dosages = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = input.data[i];
    if (typeof v !== "number" || !Number.isFinite(v) || (transform === "log2" && v < 0)) {
      throw badExpression(`${prefix}data`, i, v, "expression must be finite (and ≥ 0 for the log2 transform)");
    }
    expression[i] = v;
    const g = input.genotypes[i];
    if (g !== null && g !== 0 && g !== 1 && g !== 2) throw badDosage(`${prefix}genotypes`, i, g, "null");
    dosages[i] = g === null ? NaN : g;
  }
  const fit = regressMany(
    { expression, dosages, nPairs: 1, nSamples: n, sampleIds: input.sampleIds },
    { transform, covariates },
  );
  const y = transform === "none" ? expression : transformExpression(expression, transform);
  const [means, medians] = perDosageSummaries(dosages, y, n);
  return {
    ...idsOf(input),
    transform,
    n,
    nMissing: fit.nImputed[0],
    nImputed: fit.nImputed[0],
    covariateCount: n - 2 - fit.df[0],
    df: fit.df[0],
    nes: fit.nes[0],
    error: fit.error[0],
    tStatistic: fit.tStatistic[0],
    pValue: fit.pValue[0],
    intercept: NaN,
    r2: fit.r2[0],
    counts: [fit.homoRefCount[0], fit.hetCount[0], fit.homoAltCount[0]],
    means,
    medians,
    reason: fit.reason[0],
    apiPValue: nullableNumber(input.pValue),
    apiPValueThreshold: nullableNumber(input.pValueThreshold),
    note: COVARIATE_PVALUE_NOTE,
  };
}

function regressOne(
  input: PlainEqtlInput,
  transform: ExpressionTransform,
  prefix: string,
  covariates: Covariates | undefined,
): EqtlRegression {
  checkLengths(input, prefix);
  if (covariates !== undefined) return regressOneAdjusted(input, transform, covariates, prefix);
  const total = input.data.length;
  const xBuf = new Float64Array(total);
  const yBuf = new Float64Array(total);
  const counts = new Int32Array(3);
  const n = gatherPlain(
    input.data,
    input.genotypes,
    xBuf,
    yBuf,
    counts,
    prefix,
  );
  const x = xBuf.subarray(0, n);
  const y = transformExpression(
    yBuf.subarray(0, n),
    transform,
    yBuf.subarray(0, n),
  );
  const slots = newSlots();
  fitOls(x, y, n, classesOf(counts), slots);

  const [means, medians] = perDosageSummaries(x, y, n);

  return {
    ...idsOf(input),
    transform,
    n,
    nMissing: total - n,
    nImputed: 0,
    covariateCount: 0,
    df: n >= 3 ? n - 2 : NaN,
    nes: slots.nes,
    error: slots.error,
    tStatistic: slots.tStatistic,
    pValue: slots.pValue,
    intercept: slots.intercept,
    r2: slots.r2,
    counts: [counts[0], counts[1], counts[2]],
    means,
    medians,
    reason: slots.reason,
    apiPValue: nullableNumber(input.pValue),
    apiPValueThreshold: nullableNumber(input.pValueThreshold),
    note: RECOMPUTED_PVALUE_NOTE,
  };
}

/**
 * Regress transformed expression on ALT dosage for one gene–tissue–variant pair: the effect size,
 * standard error, t statistic and two-sided p-value that the RatGTEx `dyneqtl` route leaves out
 * (GTEx's names: `nes`, `error`, `tStatistic`, `pValue`). For many pairs at once, as one frame, use
 * {@linkcode regressEqtls}.
 *
 * Samples with a missing genotype are dropped before the transform (so `"int"` ranks only the
 * analysed samples). Degenerate input (n < 3, one genotype class, constant expression) gives NaN
 * statistics and a `reason`. The recomputed `pValue` is an unadjusted OLS p-value: it will not
 * equal the API's, which is reported beside it as `apiPValue` (see {@linkcode RECOMPUTED_PVALUE_NOTE}).
 *
 * With `options.covariates` (e.g. the release's covariate file for the tissue, with `input.sampleIds` the
 * normalised BED's header) the fit is tensorQTL's nominal pass instead: missing dosages imputed with the
 * mean (`nImputed`), phenotype and dosage residualised on the covariates plus an intercept,
 * `df = n − 2 − covariateCount`, `note` = {@linkcode COVARIATE_PVALUE_NOTE}. On the release's normalised
 * phenotypes (`transform: "none"`) that is the pipeline's `pval_nominal`, `slope`, `slope_se`; for many
 * pairs of a tissue, {@linkcode pipelineEqtlStatistics} shares each phenotype's residual.
 *
 * @param input A `dyneqtl` result or `{ data, genotypes }` (optionally with ids, `sampleIds` and the API's
 *   p-values).
 * @param options `transform`: `"none"` (TPM), `"log2"` (log2(TPM+1)) or `"int"` (rank inverse-normal; the
 *   default, `DEFAULT_EXPRESSION_TRANSFORM`); `covariates` (see {@linkcode RegressionOptions}).
 * @returns The fit, see {@linkcode EqtlRegression}.
 * @throws {RegressionInputError} On NaN/infinite/negative expression, a dosage other than 0/1/2/null,
 *   `data`/`genotypes` of different lengths, or an array or frame (use `regressEqtls`), naming the
 *   parameter, index and value; with covariates, on mis-sized, collinear (naming the covariate) or
 *   misaligned covariates (listing the samples they lack).
 *
 * @example
 * ```ts
 * import { regressEqtl } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const fit = regressEqtl({ data: [1, 2, 4, 5, 8, 9], genotypes: [0, 0, 1, 1, 2, null] }, { transform: "none" });
 * assert.equal(fit.nes, 3.214285714285714);
 * assert.equal(fit.n, 5);
 * assert.deepEqual(fit.counts, [2, 2, 1]);
 * ```
 */
export function regressEqtl(
  input: EqtlInput,
  options: RegressionOptions = {},
): EqtlRegression {
  const transform = transformOption(options);
  if (Array.isArray(input) || isDataFrame(input)) {
    // Say what would work with this very input: a list of dyneqtl answers, a long per-sample frame, or a
    // frame that only lists pairs (eqtl(), singleTissueEqtl()) and needs their data fetched first.
    const cols = isDataFrame(input) ? (input as pl.DataFrame).columns : [];
    const listsPairs = ["geneId", "tissueSiteDetailId", "variantId"].every((c) => cols.includes(c)) &&
      !cols.includes("tpm") && !cols.includes("data");
    throw new RegressionInputError(
      "input",
      null,
      input,
      "regressEqtl takes one gene–tissue–variant pair (a dyneqtl() answer), not an array or a frame",
      listsPairs
        ? "this frame lists pairs without their samples: fetch them with dyneqtl([{ geneId, tissueSiteDetailId, " +
          "variantId }, …]) (one triple per row) and " +
          "pass the answers to regressEqtls(answers)"
        : "use regressEqtls(input) for many pairs (an array of dyneqtl answers, or a long frame of samples)",
    );
  }
  // The single result shows itself in Jupyter (table of statistics + the figure).
  const fit = regressOne(input, transform, "", options.covariates);
  const [untested] = warnUntested([input], "regressEqtl");
  return tagResult(untested !== null && fit.reason === null ? { ...fit, reason: untested } : fit, "regression");
}

/**
 * Regress many gene–tissue–variant pairs at once and return ONE polars DataFrame, one row per pair
 * (for one pair and its full result object use {@linkcode regressEqtl}; for typed arrays,
 * {@linkcode regressMany}).
 *
 * `input` is an array of `dyneqtl` results (or plain inputs with ids), or a long frame with columns
 * `geneId`, `tissueSiteDetailId`, `variantId` (Utf8), `genotype` (ALT dosage 0/1/2, null = missing)
 * and `tpm` (one row per sample; pairs in order of first appearance, samples in row order).
 *
 * Columns of the result: `geneId`, `tissueSiteDetailId`, `variantId` (Utf8, null when not given),
 * `transform` (Utf8), `n` (Int32, samples analysed), `df` (Int32, n − 2, 0 when n < 2), `nes`, `error`,
 * `tStatistic`, `pValue` (recomputed, two-sided), `intercept`, `r2` (Float64, NaN when degenerate),
 * `homoRefCount`, `hetCount`, `homoAltCount` (Int32, analysed samples per dosage), `apiPValue`,
 * `apiPValueThreshold` (Float64, the API's values as given, null when absent or for frame input),
 * `reason` (Utf8, why the statistics are NaN, else null).
 *
 * With `options.covariates` (tensorQTL's nominal pass, see {@linkcode regressEqtl}): `df` is n − 2 − k,
 * one more column `nImputed` (Int32, missing dosages imputed) follows `df`, `intercept` is NaN and `r2`
 * the partial r². Inputs that carry `sampleIds` are aligned to the covariates by ID (inputs sharing the
 * same `sampleIds` share one covariate basis); inputs without are taken in the covariates' column order.
 * A long frame's pairs must each have one row per covariate column, in that order.
 *
 * @param input An array of inputs, or a long polars frame.
 * @param options `transform` (default `DEFAULT_EXPRESSION_TRANSFORM`, `"int"`), `covariates`.
 * @returns The result frame described above.
 * @throws {RegressionInputError} As for one pair, naming `input[k].data` / `input[k].genotypes` or the
 *   frame column and row; or when `input` is neither an array nor a frame.
 *
 * @example
 * ```ts
 * import { regressEqtls } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const frame = regressEqtls([
 *   { geneId: "G1", tissueSiteDetailId: "IL", variantId: "chr1:100", data: [1, 2, 4, 5], genotypes: [0, 0, 1, 2] },
 *   { geneId: "G2", tissueSiteDetailId: "IL", variantId: "chr1:100", data: [3, 3, 3, 3], genotypes: [0, 0, 1, 2] },
 * ], { transform: "log2" });
 * assert.equal(frame.height, 2);
 * const reasons = frame.getColumn("reason").toArray();
 * assert.equal(reasons[0], null);
 * assert.ok(String(reasons[1]).startsWith("expression is constant"));
 * ```
 */
export function regressEqtls(
  input: readonly EqtlInput[] | pl.DataFrame,
  options: RegressionOptions = {},
): pl.DataFrame {
  const transform = transformOption(options);
  if (Array.isArray(input)) return withUntested(regressArray(input, transform, options.covariates), input);
  if (isDataFrame(input)) return regressLongFrame(input, transform, options.covariates);
  throw new RegressionInputError(
    "input",
    null,
    input,
    "regressEqtls takes an array of pairs or a long frame",
    "use regressEqtl(input) for one pair, or pass [input]",
  );
}

/** The frame with each never-tested pair's `reason` filled in (where the statistics themselves had none). */
function withUntested(frame: pl.DataFrame, inputs: readonly EqtlInput[]): pl.DataFrame {
  const untested = warnUntested(inputs, "regressEqtls");
  if (untested.every((r) => r === null)) return frame;
  const reasons = frame.getColumn("reason").toArray() as (string | null)[];
  return frame.withColumns(pl.Series("reason", reasons.map((r, i) => r ?? untested[i]), pl.Utf8));
}
