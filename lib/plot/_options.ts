/**
 * The check of an object's keys for figures that take their own options beside Plot's: an unknown key is a
 * `ValidationError` with a did-you-mean (`{ pannels }` → "did you mean panels?"), so a typo is never
 * silently ignored (Plot itself ignores keys it does not know).
 *
 * @module
 */
import { ValidationError } from "../_core/errors.ts";
import { didYouMean } from "../_core/options.ts";

/** Plot's own top-level options (`PlotOptions` of @observablehq/plot 0.6.17, without `document`). */
export const PLOT_OPTION_KEYS: readonly string[] = [
  "width",
  "height",
  "aspectRatio",
  "margin",
  "marginTop",
  "marginRight",
  "marginBottom",
  "marginLeft",
  "inset",
  "insetTop",
  "insetRight",
  "insetBottom",
  "insetLeft",
  "style",
  "className",
  "title",
  "subtitle",
  "caption",
  "figure",
  "ariaLabel",
  "ariaDescription",
  "clip",
  "x",
  "y",
  "r",
  "color",
  "opacity",
  "symbol",
  "length",
  "projection",
  "fx",
  "fy",
  "facet",
  "marks",
  "clamp",
  "nice",
  "zero",
  "round",
  "align",
  "padding",
  "axis",
  "grid",
  "label",
];

/**
 * Check that `value` is an object whose keys are all in `known`.
 *
 * @param value The object given (`undefined` is accepted as `{}`).
 * @param parameter Its name in the error, e.g. `"options"` or `"data.panels[2]"`.
 * @param known The accepted keys.
 * @param usage How to call it right (the error's fix).
 * @returns The object (`{}` for `undefined`).
 * @throws {ValidationError} When `value` is not an object or has an unknown key.
 */
export function checkKeys<T extends object>(
  value: unknown,
  parameter: string,
  known: readonly string[],
  usage: string,
): T {
  if (value === undefined) return {} as T;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(parameter, value, "expected an object", usage);
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = didYouMean(key, known);
    throw new ValidationError(
      parameter,
      value,
      `unknown key ${JSON.stringify(key)}${near ? ` (did you mean ${near}?)` : ""}`,
      near ? `write ${near}` : usage,
    );
  }
  return value as T;
}

/**
 * Check a figure's options: its own keys and Plot's.
 *
 * @param value The options given.
 * @param own The figure's own option names.
 * @param figure The figure's name (for the message).
 * @returns The options (`{}` for `undefined`).
 * @throws {ValidationError} Naming `options` and the unknown key, with a did-you-mean.
 */
export function checkFigureOptions<T extends object>(value: unknown, own: readonly string[], figure: string): T {
  return checkKeys<T>(
    value,
    "options",
    [...own, ...PLOT_OPTION_KEYS],
    `${figure} takes ${own.join(", ")} and Plot's options (width, marginLeft, x, marks, …)`,
  );
}
