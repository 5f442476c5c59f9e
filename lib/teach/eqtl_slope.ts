/**
 * The exercise `eqtlSlope`: an eQTL's effect size on log2(TPM + 1), to 3 significant digits.
 *
 * @module
 */
import type { Client } from "../api/client.ts";
import { type Feedback, wrongForm } from "./feedback.ts";
import { EXERCISE_DATA, SLOPE_PRECISION } from "./exercises.ts";
import { numericFeedback } from "./numeric.ts";
import { dyneqtl } from "../api/qtl.ts";
import { regressEqtl } from "../analysis/regression/regression.ts";

export async function checkEqtlSlope(answer: unknown, client: Client): Promise<Feedback> {
  const name = "eqtlSlope";
  if (typeof answer !== "number" || !Number.isFinite(answer)) return wrongForm(name, "a number, e.g. 0.25", answer);
  const pair = EXERCISE_DATA.eqtlPair;
  const dyn = await dyneqtl(pair, { client });
  const fit = regressEqtl(dyn, { transform: "log2" });
  const expected = fit.nes;
  const hint = `fetch the samples with dyneqtl(${JSON.stringify(pair)}) and fit with ` +
    'regressEqtl(dyn, { transform: "log2" }), or by hand: slope = cov(dosage, y) / var(dosage)';
  // The usual slips, each worked out from the same samples.
  const missingAsZero = regressEqtl(
    { data: dyn.data, genotypes: dyn.genotypes.map((g) => g ?? 0) },
    { transform: "log2" },
  ).nes;
  const slips: [number, string][] = [
    [-expected, `The sign is flipped: the dosage counts copies of the ALT allele (${dyn.alt}), not of ${dyn.ref}.`],
    [regressEqtl(dyn, { transform: "none" }).nes, "That is the slope on raw TPM: transform with log2(TPM + 1) first."],
    [
      regressEqtl(dyn, { transform: "int" }).nes,
      "That is the slope on the rank inverse-normal scale; use log2(TPM + 1).",
    ],
    [expected * Math.LN2, "That slope is on the natural-log scale: use log2, not ln."],
    [expected * Math.LOG10E * Math.LN2, "That slope is on the log10 scale: use log2."],
    [fit.intercept, "That is the intercept (expression at dosage 0), not the slope."],
    [
      missingAsZero,
      `Samples without a genotype call (${fit.nMissing}) were counted as dosage 0: leave them out instead.`,
    ],
  ];
  return numericFeedback({
    exercise: name,
    answer,
    expected,
    precision: SLOPE_PRECISION,
    slips,
    hint,
    right: (shown) => `A slope of ${shown} log2(TPM + 1) per ${dyn.alt} allele, over ${fit.n} samples with a call.`,
    words: ["large", "small"],
  });
}
