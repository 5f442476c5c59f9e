/**
 * The checks every figure makes on what it is given, each failure a `ValidationError` that names the
 * parameter, the value and the fix.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { isDataFrame } from "../_core/data_frame.ts";
import { ValidationError } from "../_core/errors.ts";

const quoted = (xs: readonly unknown[]) => xs.map((x) => JSON.stringify(x));

/** `"a", "b" or "c"`. */
export function orList(xs: readonly unknown[]): string {
  const q = quoted(xs);
  return q.length < 2 ? q.join("") : `${q.slice(0, -1).join(", ")} or ${q[q.length - 1]}`;
}

/**
 * Check that an option is one of its accepted values.
 *
 * @param value The value given.
 * @param parameter Its name in the error, e.g. `"options.kind"`.
 * @param choices The accepted values, the default first.
 * @param figure The function that takes it (for the message).
 * @returns The value, typed.
 * @throws {ValidationError} When `value` is not one of `choices`.
 */
export function checkChoice<T extends string>(
  value: unknown,
  parameter: string,
  choices: readonly T[],
  figure: string,
): T {
  if ((choices as readonly unknown[]).includes(value)) return value as T;
  const key = parameter.split(".").pop();
  throw new ValidationError(
    parameter,
    value,
    `${figure} accepts ${orList(choices)}`,
    `pass ${key}: ${JSON.stringify(choices[0])}${
      choices.length > 1 ? ` (or ${quoted(choices.slice(1)).join(", ")})` : ""
    }`,
  );
}

/**
 * Check that a figure was given the frame a route returns, with the columns it draws.
 *
 * @param frame The value given.
 * @param parameter Its name in the error, e.g. `"expr"`.
 * @param route The route whose frame is expected, e.g. `"geneExpression"`.
 * @param columns The columns the figure needs.
 * @throws {ValidationError} When `frame` is not a DataFrame or lacks one of `columns`.
 */
export function checkFrame(
  frame: unknown,
  parameter: string,
  route: string,
  columns: readonly string[],
): asserts frame is pl.DataFrame {
  if (!isDataFrame(frame)) {
    throw new ValidationError(
      parameter,
      frame,
      `is not a polars DataFrame (the figure draws what ${route}() returns)`,
      `pass the frame of ${route}(...)`,
    );
  }
  const missing = columns.filter((c) => !frame.columns.includes(c));
  if (missing.length > 0) {
    throw new ValidationError(
      `${parameter}.columns`,
      frame.columns,
      `has no column ${quoted(missing).join(", ")} (columns: ${frame.columns.join(", ")})`,
      `pass ${route}()'s frame`,
    );
  }
}
