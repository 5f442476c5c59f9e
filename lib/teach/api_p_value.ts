/**
 * The exercise `apiPValue`: why a regression of `dyneqtl`'s samples does not match the API's p-value,
 * and what does. The learner recomputes the worked pair step by step (OLS on TPM, on log2(TPM + 1), on
 * the rank inverse-normal scale, then on the release's normalised expression with its covariates) and
 * answers with the last step's p-value, which is the API's (tensorQTL's nominal p-value). Every earlier
 * step is worked out from the same samples and recognised as the slip it is.
 *
 * @module
 */
import type { Client } from "../api/client.ts";
import { type Feedback, no, wrongForm } from "./feedback.ts";
import { EXERCISE_DATA, P_VALUE_PRECISION } from "./exercises.ts";
import { numericFeedback } from "./numeric.ts";
import { dyneqtl, singleTissueEqtl } from "../api/qtl.ts";
import { regressEqtl } from "../analysis/regression/regression.ts";

/**
 * Check an answer to `apiPValue` (use {@link check} from `lib/teach/mod.ts`): the expected value is the
 * source's own p-value for the pair (`dyneqtl(pair).pValue`), which the covariate-adjusted fit on the
 * normalised expression reproduces; the naive fits of `dyneqtl`'s TPM (raw, log2, INT) are recomputed
 * with `regressEqtl` and each named when the answer equals it.
 *
 * @param answer The learner's answer (a p-value).
 * @param client The source to work the expected answer out from.
 * @returns The feedback.
 */
export async function checkApiPValue(answer: unknown, client: Client): Promise<Feedback> {
  const name = "apiPValue";
  if (typeof answer !== "number" || !Number.isFinite(answer) || answer <= 0 || answer > 1) {
    return wrongForm(name, "a p-value, a number above 0 and at most 1 (not −log10 p), e.g. 2.5e-7", answer);
  }
  const pair = EXERCISE_DATA.eqtlPair;
  const dyn = await dyneqtl(pair, { client });
  const expected = dyn.pValue;
  const hint = "the pipeline regresses the release's normalised expression " +
    `(phenos/phenos.${pair.tissueSiteDetailId}.expression.norm.v4_rn8.bed.gz) on the dosage with the covariates of ` +
    `covar/covar.${pair.tissueSiteDetailId}.expression.v4.tsv (5 genotype PCs, 20 expression PCs), missing dosages ` +
    'imputed with the mean: regressEqtl({ data, genotypes }, { transform: "none", covariates }), or ' +
    "(await openRelease(BUNDLED_RELEASE)).eqtlStatistics([pair]) for every step at once";
  if (expected === null || !Number.isFinite(expected)) {
    return no(
      name,
      `The source gives no p-value for this pair (${pair.geneId} × ${pair.variantId} in ${pair.tissueSiteDetailId}).`,
      null,
    );
  }
  const naive = (transform: "none" | "log2" | "int") => regressEqtl(dyn, { transform }).pValue;
  const published = (await singleTissueEqtl(pair.geneId, { client })).toRecords()
    .find((r) => r.tissueSiteDetailId === pair.tissueSiteDetailId && r.variantId === pair.variantId);
  const slips: [number, string][] = [
    [
      naive("none"),
      "That is the naive OLS on raw TPM, without covariates: transform the expression and add the covariates.",
    ],
    [
      naive("log2"),
      "That is the naive OLS on log2(TPM + 1): you have not added the covariates (and the pipeline's " +
      "expression is normalised, not log2).",
    ],
    [
      naive("int"),
      "That is the naive OLS on the rank inverse-normal scale: the transform is right in spirit, but you have " +
      "not added the covariates.",
    ],
  ];
  if (dyn.pValueThreshold !== null && Number.isFinite(dyn.pValueThreshold)) {
    slips.push([
      dyn.pValueThreshold,
      "That is the gene's significance threshold (pValueThreshold), not the variant's p-value.",
    ]);
  }
  if (published && typeof published.nes === "number") {
    slips.push([published.nes, "That is the slope (nes); the question asks for its p-value."]);
  }
  return numericFeedback({
    exercise: name,
    answer,
    expected,
    precision: P_VALUE_PRECISION,
    slips,
    hint,
    right: (shown) =>
      `p = ${shown}: with the covariates, on the normalised expression, you have reproduced the API's ` +
      "p-value (tensorQTL's nominal test).",
    words: ["large", "small"],
  });
}
