/**
 * Internal: validation and gathering of regression input (one pair, a batch, the options), with the
 * errors naming the parameter, index and value.
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import { checkExpressionTransform, DEFAULT_EXPRESSION_TRANSFORM, type ExpressionTransform } from "./transforms.ts";
import {
  type EqtlBatch,
  type PlainEqtlInput,
  RegressionInputError,
  type RegressionOptions,
} from "./regression_types.ts";

export function badExpression(
  parameter: string,
  index: number,
  value: unknown,
  problem = "expression must be a finite TPM value ≥ 0",
): RegressionInputError {
  return new RegressionInputError(
    parameter,
    index,
    value,
    problem,
    "fix or drop that sample before regressing",
  );
}

export function badDosage(
  parameter: string,
  index: number,
  value: unknown,
  missing: string,
): RegressionInputError {
  return new RegressionInputError(
    parameter,
    index,
    value,
    "an ALT dosage must be 0, 1 or 2",
    `use ${missing} for a missing call`,
  );
}

/**
 * Copy the samples with a genotype call into x/y (validating every sample), count dosages.
 * Returns the number analysed.
 */
export function gatherPlain(
  data: ArrayLike<number>,
  genotypes: ArrayLike<number | null>,
  x: Float64Array,
  y: Float64Array,
  counts: Int32Array,
  prefix: string,
): number {
  const n = data.length;
  let m = 0;
  counts[0] = counts[1] = counts[2] = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (typeof v !== "number" || !(v >= 0 && v < Infinity)) {
      throw badExpression(`${prefix}data`, i, v);
    }
    const g = genotypes[i];
    if (g === null) continue;
    if (g !== 0 && g !== 1 && g !== 2) {
      throw badDosage(`${prefix}genotypes`, i, g, "null");
    }
    counts[g]++;
    x[m] = g;
    y[m] = v;
    m++;
  }
  return m;
}

export function checkLengths(input: PlainEqtlInput, prefix: string): void {
  if (input === null || typeof input !== "object") {
    throw new RegressionInputError(
      prefix || "input",
      null,
      input,
      "not a regression input",
      "pass a dyneqtl result or { data, genotypes }",
    );
  }
  const { data, genotypes } = input;
  if (
    data === null || typeof data !== "object" || typeof data.length !== "number"
  ) {
    throw new RegressionInputError(
      `${prefix}data`,
      null,
      data,
      "not an array",
      "pass an array of per-sample TPM values",
    );
  }
  if (
    genotypes === null || typeof genotypes !== "object" ||
    typeof genotypes.length !== "number"
  ) {
    throw new RegressionInputError(
      `${prefix}genotypes`,
      null,
      genotypes,
      "not an array",
      "pass an array of ALT dosages (0/1/2, null = missing)",
    );
  }
  if (data.length !== genotypes.length) {
    throw new RegressionInputError(
      `${prefix}genotypes.length`,
      null,
      genotypes.length,
      `it differs from ${prefix}data.length (${data.length})`,
      "pass one dosage per expression value, same samples in the same order",
    );
  }
}

export function classesOf(counts: Int32Array): number {
  return (counts[0] > 0 ? 1 : 0) + (counts[1] > 0 ? 1 : 0) +
    (counts[2] > 0 ? 1 : 0);
}

export function nullableNumber(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}

export function nullableString(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** The checked `options.transform` of {@linkcode regressEqtl} and {@linkcode regressMany} (default `"int"`). */
export function transformOption(options: RegressionOptions): ExpressionTransform {
  if (options === null || typeof options !== "object") {
    throw new ValidationError(
      "options",
      options,
      "not an object",
      'pass an options object like { transform: "log2" }, or none',
    );
  }
  return checkExpressionTransform(options.transform ?? DEFAULT_EXPRESSION_TRANSFORM, "options.transform");
}

export function checkBatch(batch: EqtlBatch): void {
  const { expression, dosages, nPairs, nSamples } = batch;
  if (!Number.isInteger(nPairs) || nPairs < 0) {
    throw new RegressionInputError(
      "nPairs",
      null,
      nPairs,
      "not an integer ≥ 0",
      "pass the number of pairs",
    );
  }
  if (!Number.isInteger(nSamples) || nSamples < 0) {
    throw new RegressionInputError(
      "nSamples",
      null,
      nSamples,
      "not an integer ≥ 0",
      "pass the number of samples per pair",
    );
  }
  const size = nPairs * nSamples;
  const layout = "pair-major: pair p's sample s at index p * nSamples + s";
  if (!(expression instanceof Float64Array)) {
    throw new RegressionInputError(
      "expression",
      null,
      expression,
      "not a Float64Array",
      `pass a Float64Array of TPM values, ${layout}`,
    );
  }
  if (expression.length !== size) {
    throw new RegressionInputError(
      "expression.length",
      null,
      expression.length,
      `it is not nPairs × nSamples = ${size}`,
      `pass ${size} values, ${layout}`,
    );
  }
  if (!(dosages instanceof Float64Array || dosages instanceof Int8Array)) {
    throw new RegressionInputError(
      "dosages",
      null,
      dosages,
      "not a Float64Array or Int8Array",
      "pass a Float64Array (NaN = missing) or an Int8Array (-1 = missing) laid out as expression",
    );
  }
  if (dosages.length !== size) {
    throw new RegressionInputError(
      "dosages.length",
      null,
      dosages.length,
      `it is not nPairs × nSamples = ${size}`,
      `pass ${size} dosages, ${layout}`,
    );
  }
}
