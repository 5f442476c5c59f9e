/**
 * Internal: the frame adapters of the eQTL regression: an array of inputs or a long frame packed into
 * {@link regressMany}'s pair-major batch, and the batch's columns back into one result frame.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ExpressionTransform } from "./transforms.ts";
import {
  type Covariates,
  type EqtlInput,
  type EqtlRegressionColumns,
  type PlainEqtlInput,
  RegressionInputError,
} from "./regression_types.ts";
import { regressMany } from "./regress_many.ts";
import { emptyColumns } from "./_ols.ts";
import {
  badDosage,
  badExpression,
  checkLengths,
  gatherPlain,
  nullableNumber,
  nullableString,
} from "./_regression_input.ts";

/** The id and API columns carried beside the fit into the result frame. */
interface PairLabels {
  geneId: (string | null)[];
  tissueSiteDetailId: (string | null)[];
  variantId: (string | null)[];
  apiPValue: (number | null)[];
  apiPValueThreshold: (number | null)[];
}

function emptyLabels(): PairLabels {
  return { geneId: [], tissueSiteDetailId: [], variantId: [], apiPValue: [], apiPValueThreshold: [] };
}

function resultFrame(
  labels: PairLabels,
  fit: EqtlRegressionColumns,
  transform: ExpressionTransform,
  adjusted: boolean,
): pl.DataFrame {
  const nPairs = fit.n.length;
  const frame = pl.DataFrame([
    pl.Series("geneId", labels.geneId, pl.Utf8),
    pl.Series("tissueSiteDetailId", labels.tissueSiteDetailId, pl.Utf8),
    pl.Series("variantId", labels.variantId, pl.Utf8),
    pl.Series("transform", new Array<string>(nPairs).fill(transform), pl.Utf8),
    pl.Series("n", fit.n, pl.Int32),
    pl.Series("df", fit.df, pl.Int32),
    pl.Series("nes", fit.nes, pl.Float64),
    pl.Series("error", fit.error, pl.Float64),
    pl.Series("tStatistic", fit.tStatistic, pl.Float64),
    pl.Series("pValue", fit.pValue, pl.Float64),
    pl.Series("intercept", fit.intercept, pl.Float64),
    pl.Series("r2", fit.r2, pl.Float64),
    pl.Series("homoRefCount", fit.homoRefCount, pl.Int32),
    pl.Series("hetCount", fit.hetCount, pl.Int32),
    pl.Series("homoAltCount", fit.homoAltCount, pl.Int32),
    pl.Series("apiPValue", labels.apiPValue, pl.Float64),
    pl.Series("apiPValueThreshold", labels.apiPValueThreshold, pl.Float64),
    pl.Series("reason", fit.reason, pl.Utf8),
  ]);
  // With covariates, one more column after df: the missing dosages imputed (tensorQTL imputes, never drops).
  if (!adjusted) return frame;
  const cols = frame.getColumns();
  cols.splice(6, 0, pl.Series("nImputed", fit.nImputed, pl.Int32));
  return pl.DataFrame(cols);
}

/**
 * Covariate fits of an array: the inputs grouped by their `sampleIds` (each group one batch, so one
 * covariate alignment and basis), results scattered back in input order.
 */
function regressArrayAdjusted(
  inputs: readonly EqtlInput[],
  transform: ExpressionTransform,
  covariates: Covariates,
): EqtlRegressionColumns {
  const groups = new Map<string, number[]>();
  inputs.forEach((input, k) => {
    const ids = (input as PlainEqtlInput).sampleIds;
    const key = ids === undefined ? "" : JSON.stringify(ids);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, g = []);
    g.push(k);
  });
  const out = emptyColumns(inputs.length);
  for (const members of groups.values()) {
    const first = inputs[members[0]] as PlainEqtlInput;
    const n = first.data.length;
    const expression = new Float64Array(members.length * n);
    const dosages = new Float64Array(members.length * n);
    members.forEach((k, j) => {
      const input = inputs[k];
      if (input.data.length !== n) {
        throw new RegressionInputError(
          `input[${k}].data.length`,
          null,
          input.data.length,
          `input[${members[0]}] with the same samples has ${n}: with covariates every pair needs the same samples`,
          "pass sampleIds with each input (they are then aligned to the covariates by ID), or equal-length data",
        );
      }
      for (let s = 0; s < n; s++) {
        const v = input.data[s];
        if (typeof v !== "number") throw badExpression(`input[${k}].data`, s, v, "expression must be a number");
        expression[j * n + s] = v;
        const g = input.genotypes[s];
        if (g !== null && g !== 0 && g !== 1 && g !== 2) throw badDosage(`input[${k}].genotypes`, s, g, "null");
        dosages[j * n + s] = g === null ? NaN : g;
      }
    });
    const fit = regressMany(
      { expression, dosages, nPairs: members.length, nSamples: n, sampleIds: first.sampleIds },
      { transform, covariates },
    );
    members.forEach((k, j) => {
      for (const key of Object.keys(out) as (keyof EqtlRegressionColumns)[]) {
        (out[key] as unknown as unknown[])[k] = (fit[key] as unknown as unknown[])[j];
      }
    });
  }
  return out;
}

export function regressArray(
  inputs: readonly EqtlInput[],
  transform: ExpressionTransform,
  covariates?: Covariates,
): pl.DataFrame {
  let nSamples = 0;
  inputs.forEach((input, k) => {
    checkLengths(input, `input[${k}].`);
    nSamples = Math.max(nSamples, input.data.length);
  });
  const nPairs = inputs.length;
  const expression = new Float64Array(nPairs * nSamples);
  const dosages = new Float64Array(nPairs * nSamples).fill(NaN); // padding = missing
  const counts = new Int32Array(3);
  const labels = emptyLabels();
  for (const input of inputs) {
    labels.geneId.push(nullableString(input.geneId));
    labels.tissueSiteDetailId.push(nullableString(input.tissueSiteDetailId));
    labels.variantId.push(nullableString(input.variantId));
    labels.apiPValue.push(nullableNumber(input.pValue));
    labels.apiPValueThreshold.push(nullableNumber(input.pValueThreshold));
  }
  if (covariates !== undefined) {
    return resultFrame(labels, regressArrayAdjusted(inputs, transform, covariates), transform, true);
  }
  inputs.forEach((input, k) => {
    const base = k * nSamples;
    // Validate with messages naming input[k] before packing; missing calls stay NaN.
    gatherPlain(
      input.data,
      input.genotypes,
      new Float64Array(0),
      new Float64Array(0),
      counts,
      `input[${k}].`,
    );
    for (let s = 0; s < input.data.length; s++) {
      expression[base + s] = input.data[s];
      const g = input.genotypes[s];
      if (g !== null) dosages[base + s] = g;
    }
  });
  const fit = regressMany({ expression, dosages, nPairs, nSamples }, {
    transform,
  });
  return resultFrame(labels, fit, transform, false);
}

const LONG_COLUMNS = [
  "geneId",
  "tissueSiteDetailId",
  "variantId",
  "genotype",
  "tpm",
] as const;

export function regressLongFrame(
  frame: pl.DataFrame,
  transform: ExpressionTransform,
  covariates?: Covariates,
): pl.DataFrame {
  for (const c of LONG_COLUMNS) {
    if (!frame.columns.includes(c)) {
      throw new RegressionInputError(
        c,
        null,
        `columns ${frame.columns.join(", ")}`,
        `the long frame has no column "${c}"`,
        `pass a frame with columns ${LONG_COLUMNS.join(", ")}, one row per sample`,
      );
    }
  }
  const gene = frame.getColumn("geneId").toArray() as (string | null)[];
  const tissue = frame.getColumn("tissueSiteDetailId")
    .toArray() as (string | null)[];
  const variant = frame.getColumn("variantId").toArray() as (string | null)[];
  const genotype = frame.getColumn("genotype").toArray() as ArrayLike<
    number | null
  >;
  const tpm = frame.getColumn("tpm").toArray() as ArrayLike<number | null>;
  const rows = frame.height;
  // Pairs in order of first appearance; samples in row order.
  const pairOf = new Int32Array(rows);
  const keyIndex = new Map<string, number>();
  const labels = emptyLabels();
  const sizes: number[] = [];
  for (let r = 0; r < rows; r++) {
    const v = tpm[r];
    // With covariates the adjusted path checks the values (a normalised phenotype is negative).
    if (typeof v !== "number" || (covariates === undefined && !(v >= 0 && v < Infinity))) {
      throw badExpression("tpm", r, v);
    }
    const g = genotype[r];
    if (g !== null && g !== 0 && g !== 1 && g !== 2) {
      throw badDosage("genotype", r, g, "null");
    }
    const key = JSON.stringify([gene[r], tissue[r], variant[r]]);
    let p = keyIndex.get(key);
    if (p === undefined) {
      p = sizes.length;
      keyIndex.set(key, p);
      sizes.push(0);
      labels.geneId.push(gene[r]);
      labels.tissueSiteDetailId.push(tissue[r]);
      labels.variantId.push(variant[r]);
      labels.apiPValue.push(null);
      labels.apiPValueThreshold.push(null);
    }
    pairOf[r] = p;
    sizes[p]++;
  }
  const nPairs = sizes.length;
  const nSamples = sizes.reduce((a, b) => Math.max(a, b), 0);
  const short = sizes.findIndex((size) => size !== nSamples);
  if (covariates !== undefined && short >= 0) {
    throw new RegressionInputError(
      "frame",
      null,
      `${sizes[short]} rows for pair ${labels.geneId[short]}/${labels.variantId[short]}`,
      `with covariates every pair needs the same ${nSamples} samples, in the covariates' column order`,
      "give every pair one row per sample, or use an array of inputs with sampleIds",
    );
  }
  const expression = new Float64Array(nPairs * nSamples);
  const dosages = new Float64Array(nPairs * nSamples).fill(NaN);
  const fill = new Int32Array(nPairs);
  for (let r = 0; r < rows; r++) {
    const p = pairOf[r];
    const i = p * nSamples + fill[p]++;
    expression[i] = tpm[r] as number;
    const g = genotype[r];
    if (g !== null) dosages[i] = g;
  }
  const fit = regressMany({ expression, dosages, nPairs, nSamples }, { transform, covariates });
  return resultFrame(labels, fit, transform, covariates !== undefined);
}
