/**
 * The verdict on a numeric answer, one rule for every numeric exercise: right when it agrees with the
 * expected value to the precision asked (see `precision.ts`), else the typical slip it matches (to the
 * same precision), else "close: give more digits" when it agrees to fewer digits, else too high or low.
 * Numbers in the feedback are shown to the precision asked.
 *
 * @module
 */
import { type Feedback, no, ok } from "./feedback.ts";
import type { ExerciseName } from "./exercises.ts";
import { agrees, agreesCoarser, describePrecision, digitsGiven, type Precision, rounded } from "./precision.ts";

/** What {@link numericFeedback} needs. */
export interface NumericCheck {
  /** The exercise. */
  exercise: ExerciseName;
  /** The learner's answer. */
  answer: number;
  /** The value worked out from the data. */
  expected: number;
  /** The precision the exercise asks for. */
  precision: Precision;
  /** Typical slips: the value each gives, and what to say. */
  slips: readonly (readonly [number, string])[];
  /** The hint for a wrong answer. */
  hint: string;
  /** The message for a right answer, given the answer shown to the precision asked. */
  right: (shown: string) => string;
  /** Words for "too high" and "too low". */
  words?: readonly [string, string];
}

/**
 * The feedback on a numeric answer (see the module doc).
 */
export function numericFeedback(check: NumericCheck): Feedback {
  const { exercise, answer, expected, precision, hint } = check;
  const [high, low] = check.words ?? ["high", "low"];
  const direction = answer > expected ? high : low;
  if (agrees(answer, expected, precision)) return ok(exercise, check.right(rounded(answer, precision)));
  for (const [value, message] of check.slips) {
    if (agrees(answer, value, precision)) return no(exercise, message, hint);
  }
  const coarser = agreesCoarser(answer, expected, precision);
  if (coarser && digitsGiven(answer, precision.kind) < precision.digits) {
    return no(
      exercise,
      `Close: your answer agrees to ${describePrecision(coarser)}, and the exercise asks for ` +
        `${describePrecision(precision)}; give more digits.`,
      hint,
    );
  }
  if (coarser) {
    return no(
      exercise,
      `Close, but off by more than half a unit of the last of ${describePrecision(precision)} (too ` +
        `${direction}): check each step.`,
      hint,
    );
  }
  return no(exercise, `That is too ${direction}.`, hint);
}
