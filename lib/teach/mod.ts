/**
 * Self-checking exercises for teaching (`notebooks/05_exercises.ipynb`: {@link EXERCISES}; the GWAS locus
 * notebook `notebooks/06_gwas_locus.ipynb`: {@link GWAS_EXERCISES}, on the bundled release's SYNTHETIC GWAS
 * whatever the source). `check(exercise, answer)` works
 * the expected answer out from the data with the library, through whichever source is in use (offline or
 * the live API), and compares it with the learner's answer. It never prints the expected answer: a wrong
 * answer gets what is off and a hint, computed from the data too. When the answer is a typical mistake
 * (the wrong transform, the wrong route, a flipped sign), the feedback names that mistake.
 *
 * The feedback displays itself in Jupyter (HTML and plain text).
 *
 * @module
 */
import { type Client, defaultClient } from "../api/client.ts";
import { ValidationError } from "../_core/errors.ts";
import { type ExerciseName, EXERCISES, GWAS_EXERCISES } from "./exercises.ts";
import { Feedback } from "./feedback.ts";
import { checkBigTissues } from "./big_tissues.ts";
import { checkTopLiverGene } from "./top_liver_gene.ts";
import { checkEqtlTissues } from "./eqtl_tissues.ts";
import { checkEqtlSlope } from "./eqtl_slope.ts";
import { checkTreeAgreement } from "./tree_agreement.ts";
import { checkApiPValue } from "./api_p_value.ts";
import { checkGwasGene } from "./gwas_gene.ts";
import { checkCredibleSets } from "./credible_sets.ts";
import { checkPValueBeta } from "./p_value_beta.ts";

export {
  CORRELATION_PRECISION,
  type Exercise,
  EXERCISE_DATA,
  type ExerciseName,
  EXERCISES,
  GWAS_EXERCISE_DATA,
  GWAS_EXERCISES,
  P_VALUE_PRECISION,
  SLOPE_PRECISION,
} from "./exercises.ts";
export { Feedback, type FeedbackStatus } from "./feedback.ts";
export type { Precision } from "./precision.ts";

/** Options of {@link check}. */
export interface CheckOptions {
  /** The source to compute the expected answer from (default: {@link defaultClient}, i.e. `RATGTEX_SOURCE`). */
  client?: Client;
}

/**
 * Check a learner's answer to an exercise against the data.
 *
 * The expected answer is computed with the library from the source in use, so the same exercise works
 * offline and on the live API. An answer of the wrong form is not an error: the feedback says what form is
 * expected.
 *
 * @param exercise The exercise's name (see {@link EXERCISES}).
 * @param answer The learner's answer (`undefined` = not answered yet).
 * @param options The client.
 * @returns The feedback; `feedback.correct` is true for a right answer.
 * @throws {ValidationError} When `exercise` is not an exercise's name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, teach } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const feedback = await teach.check("bigTissues", 13, { client });
 * assert.equal(feedback.correct, false);
 * assert.equal(feedback.message, "That counts every tissue: keep only the large ones.");
 * ```
 */
export async function check(exercise: ExerciseName, answer: unknown, options: CheckOptions = {}): Promise<Feedback> {
  const checker = CHECKERS[exercise];
  if (checker === undefined) {
    throw new ValidationError(
      "exercise",
      exercise,
      "is not an exercise",
      `use one of ${[...EXERCISES, ...GWAS_EXERCISES].map((e) => `"${e.name}"`).join(", ")}`,
    );
  }
  if (answer === undefined || answer === null || (typeof answer === "string" && answer.trim() === "")) {
    const form = [...EXERCISES, ...GWAS_EXERCISES].find((e) => e.name === exercise)!.answer;
    return new Feedback(exercise, "unanswered", `Replace undefined with your answer: ${form}.`);
  }
  return await checker(answer, options.client ?? defaultClient());
}

type Checker = (answer: unknown, client: Client) => Promise<Feedback>;

const CHECKERS: Record<ExerciseName, Checker> = {
  bigTissues: checkBigTissues,
  topLiverGene: checkTopLiverGene,
  eqtlTissues: checkEqtlTissues,
  eqtlSlope: checkEqtlSlope,
  treeAgreement: checkTreeAgreement,
  apiPValue: checkApiPValue,
  gwasGene: checkGwasGene,
  credibleSets: checkCredibleSets,
  pValueBeta: checkPValueBeta,
};
