/**
 * Residuals on covariates (with an intercept), as tensorQTL's `Residualizer` makes them before fine-mapping
 * (`susie.map`): each row centred and the covariates projected out, with the covariates orthonormalised once
 * (the basis the pipeline statistics use; collinear or misaligned covariates are refused the same way).
 *
 * @module
 */
import { covariateBasis, residualise } from "./_covariate_ols.ts";
import { type Covariates, RegressionInputError } from "./regression_types.ts";

/**
 * Residualise rows of values (one per phenotype or variant, over the same samples) on covariates with an
 * intercept: each row centred, then the covariates projected out — the residuals of `lm(row ~ covariates)`.
 * What tensorQTL does to a phenotype and to the (mean-imputed) dosages of its cis window before SuSiE.
 *
 * @param covariates A `CovariateMatrix` (`{ names, values, sampleIds? }`) or a covariate frame (`ID`, then
 *   one column per sample); aligned to `sampleIds` by ID when both carry IDs.
 * @param rows The rows to residualise, each of one value per sample, finite (impute missing values first).
 * @param sampleIds The samples of the rows, in order (for the alignment; optional when the covariates are
 *   already in the rows' order).
 * @returns New rows (Float64Array), the residuals, in the order given.
 * @throws {RegressionInputError} For misaligned or collinear covariates, a row of the wrong length or with a
 *   non-finite value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { residualiseOnCovariates } from "ratgtex/analysis";
 * const covariates = { names: ["pc1"], values: [[1, 2, 3, 4]] };
 * const [r] = residualiseOnCovariates(covariates, [[3, 5, 7, 10]]); // 3 + 2·pc1, plus 1 at the end
 * const fitted = [3, 5, 7, 10].map((v, i) => v - r[i]); // what lm() fits: a line in pc1
 * assert.ok(Math.abs(r.reduce((a, b) => a + b, 0)) < 1e-12); // centred
 * assert.ok(Math.abs(fitted[1] - fitted[0] - (fitted[3] - fitted[2])) < 1e-12);
 * ```
 */
export function residualiseOnCovariates(
  covariates: Covariates,
  rows: readonly ArrayLike<number>[],
  sampleIds?: readonly string[],
): Float64Array[] {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new RegressionInputError("rows", null, rows, "not a non-empty list of rows", "pass one row per variable");
  }
  const n = rows[0].length;
  const basis = covariateBasis(covariates, n, sampleIds);
  return rows.map((row, r) => {
    if (row.length !== n) {
      throw new RegressionInputError(
        "rows",
        r,
        `length ${row.length}`,
        `row ${r} has ${row.length} values, row 0 has ${n}`,
        "give every row one value per sample",
      );
    }
    const v = Float64Array.from(row);
    for (let s = 0; s < n; s++) {
      if (!Number.isFinite(v[s])) {
        throw new RegressionInputError(
          "rows",
          r,
          v[s],
          `row ${r} has a non-finite value at sample ${s}`,
          "impute missing values (e.g. a variant's mean dosage) before residualising",
        );
      }
    }
    residualise(basis, v);
    return v;
  });
}
