/**
 * The checks every figure makes on what it is given, each failure a `ValidationError` that names the
 * parameter, the value and the fix.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { isDataFrame } from "../_core/data_frame.ts";
import { ValidationError } from "../_core/errors.ts";
import { checkOptions, type OptionSpec, type OptionType } from "../_core/options.ts";
import { checkTissueIds } from "../_core/tissues.ts";
import { PLOT_OPTION_KEYS } from "./_options.ts";

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

/** A tissue → colour record (`tissueColors`). */
const TISSUE_COLORS: OptionType = {
  is: (v) =>
    v !== null && typeof v === "object" && !Array.isArray(v) &&
    Object.values(v as object).every((c) => typeof c === "string"),
  expected: 'an object of tissue ID → CSS colour, e.g. { IL: "#d62728" }',
};
/** A list of strings (`tissues`, `genes`). */
export const STRING_LIST: OptionType = {
  is: (v) => Array.isArray(v) && v.every((x) => typeof x === "string"),
  expected: 'a list of strings, e.g. ["IL", "LHb"]',
};

/**
 * Check a figure's options as the routes check theirs: an unknown key is a ValidationError naming `options`
 * with a did-you-mean (`facetByTisue` → `facetByTissue`; `facet: true` → the figure's own facet option), a
 * wrong type names the key; Plot's own top-level options pass through. Tissue IDs in `tissues` and the keys
 * of `tissueColors` are checked against the tissue table with suggestions (`Livr` → `Liver`, `il` → `IL`).
 *
 * @param figure The figure's name, for the message.
 * @param options The options given.
 * @param own The figure's own options and their types.
 * @returns The options, unchanged.
 */
export function figureOptions<T extends object>(figure: string, options: unknown, own: OptionSpec): T {
  const spec: Record<string, OptionType> = { ...own };
  for (const k of PLOT_OPTION_KEYS) if (!(k in spec)) spec[k] = { is: () => true, expected: "a Plot option" };
  if ("tissueColors" in own) spec.tissueColors = TISSUE_COLORS;
  // `facet: true` reads as "facet by tissue" to a user; Plot's `facet` is an object. Say which option it is.
  const o = options as Record<string, unknown> | undefined;
  if (o && typeof o === "object" && typeof o.facet === "boolean") {
    const mine = Object.keys(own).find((k) => /^facet/.test(k));
    throw new ValidationError(
      "options.facet",
      o.facet,
      `${figure}: Plot's facet option is an object ({ data, x, y })${mine ? `; to facet this figure use ${mine}` : ""}`,
      mine ? `pass ${mine}: ${o.facet}` : "leave facet out, or pass Plot's facet object",
    );
  }
  const checked = checkOptions<T>(options, spec, {
    usage: `${figure}(data, { ${Object.keys(own).join(", ")}, …any Plot option })`,
  });
  const c = checked as Record<string, unknown>;
  if (Array.isArray(c.tissues) && "tissues" in own) checkTissueIds(c.tissues, "options.tissues");
  if (c.tissueColors && typeof c.tissueColors === "object") {
    checkTissueIds(Object.keys(c.tissueColors), "options.tissueColors");
  }
  return checked;
}
