/**
 * The feedback a check gives: correct, incorrect (with what is off and a hint) or unanswered; it shows
 * itself in Jupyter.
 *
 * @module
 */
import { JUPYTER_DISPLAY } from "../_core/result_kind.ts";
import { escapeXml } from "../_core/format.ts";
import type { ExerciseName } from "./exercises.ts";

/** How an answer fared. */
export type FeedbackStatus = "correct" | "incorrect" | "unanswered";

const HEADINGS: Readonly<Record<FeedbackStatus, string>> = {
  correct: "✔ Correct",
  incorrect: "✘ Not yet",
  unanswered: "… No answer yet",
};

/**
 * Feedback on one answer; shows itself in Jupyter and prints well as text. {@link check} makes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { teach } from "ratgtex";
 * const f = new teach.Feedback("bigTissues", "incorrect", "Your count is too high.", "filter on rnaSeqSampleCount");
 * assert.equal(String(f), "✘ Not yet (bigTissues): Your count is too high.\n  Hint: filter on rnaSeqSampleCount");
 * ```
 */
export class Feedback {
  /** The exercise. */
  readonly exercise: ExerciseName;
  /** Correct, incorrect, or no answer yet. */
  readonly status: FeedbackStatus;
  /** What is right or off about the answer. */
  readonly message: string;
  /** A hint towards the answer (never the answer), or null. */
  readonly hint: string | null;

  /** Build a feedback (the exercises do this; you rarely need to). */
  constructor(exercise: ExerciseName, status: FeedbackStatus, message: string, hint: string | null = null) {
    this.exercise = exercise;
    this.status = status;
    this.message = message;
    this.hint = hint;
  }

  /** True when the answer is right. */
  get correct(): boolean {
    return this.status === "correct";
  }

  /** One or two lines of plain text. */
  toString(): string {
    return `${HEADINGS[this.status]} (${this.exercise}): ${this.message}${this.hint ? `\n  Hint: ${this.hint}` : ""}`;
  }

  /** Rich display for Deno's Jupyter kernel: a coloured box (HTML) and the plain text. */
  [JUPYTER_DISPLAY](): { "text/plain": string; "text/html": string } {
    const colour = { correct: "#1a7f37", incorrect: "#cf222e", unanswered: "#6e7781" }[this.status];
    const head = HEADINGS[this.status];
    const hint = this.hint ? `<div style="margin-top:4px"><b>Hint:</b> ${escapeXml(this.hint)}</div>` : "";
    const html = `<div style="border-left:4px solid ${colour};padding:6px 10px;margin:4px 0;font-family:sans-serif">` +
      `<b style="color:${colour}">${head}</b> <span style="color:#57606a">(${this.exercise})</span>` +
      `<div>${escapeXml(this.message)}</div>${hint}</div>`;
    return { "text/plain": this.toString(), "text/html": html };
  }
}

/** A right answer's feedback. */
export function ok(exercise: ExerciseName, message: string): Feedback {
  return new Feedback(exercise, "correct", message);
}

/** A wrong answer's feedback: what is off, and a hint. */
export function no(exercise: ExerciseName, message: string, hint: string | null): Feedback {
  return new Feedback(exercise, "incorrect", message, hint);
}

/** The feedback for an answer of the wrong form (a string for a number, …). */
export function wrongForm(exercise: ExerciseName, form: string, answer: unknown): Feedback {
  const got = Array.isArray(answer)
    ? "a list"
    : typeof answer === "number"
    ? `the number ${answer}`
    : `a ${typeof answer}`;
  return new Feedback(exercise, "incorrect", `The answer should be ${form}; this is ${got}.`);
}
