/**
 * Building polars frames from parsed API rows with an explicit schema. `pl.DataFrame(rows)` silently
 * nulls nested fields and an empty list gives a frame with no columns; here every column has a declared
 * type, so an empty answer is a frame with the right columns, and numbers go through typed arrays (fast).
 *
 * @module
 */
import pl from "nodejs-polars";
import { ResponseFormatError } from "../_core/errors.ts";

/** Column types used by the route frames. */
export type ColumnType = "str" | "f64" | "i64" | "i32" | "bool";

/** One column: name, type, and how to read it from a row (default: the field of the same name). */
export type ColumnSpec<R> = readonly [name: string, type: ColumnType, get?: (row: R) => unknown];

const DTYPES = {
  str: pl.Utf8,
  f64: pl.Float64,
  i64: pl.Int64,
  i32: pl.Int32,
  bool: pl.Bool,
} as const;

const I32_MIN = -(2 ** 31), I32_MAX = 2 ** 31 - 1;

/**
 * What is wrong with `v` as a value of a column of `type`, or null when it fits. Missing values (`null`,
 * `undefined`, the server's `NaN`) fit every type; an integer column takes only integers in its range
 * (a string `"12"`, `1e300`, `Infinity` or 2⁶⁴ is refused, never nulled).
 */
export function valueProblem(v: unknown, type: ColumnType): string | null {
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return null;
  switch (type) {
    case "str":
      return typeof v === "string" ? null : `is ${shortJson(v)}, not a string`;
    case "bool":
      return typeof v === "boolean" ? null : `is ${shortJson(v)}, not a boolean`;
    case "f64":
      return typeof v === "number" ? null : `is ${shortJson(v)}, not a number`;
    case "i64":
      return Number.isSafeInteger(v) ? null : `is ${shortJson(v)}, not an integer within ±2^53`;
    case "i32":
      return Number.isInteger(v) && (v as number) >= I32_MIN && (v as number) <= I32_MAX
        ? null
        : `is ${shortJson(v)}, not a 32-bit integer`;
  }
}

function shortJson(v: unknown): string {
  const text = typeof v === "number" ? String(v) : JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The ResponseFormatError of a row whose field does not fit its column. */
function badRow(row: unknown, i: number, name: string, problem: string): ResponseFormatError {
  return new ResponseFormatError(`row ${i}: field "${name}" ${problem}`, JSON.stringify(row)?.slice(0, 300) ?? "", {});
}

/**
 * A frame with exactly these columns, in this order. Missing values (`null`, `undefined`, and for
 * numbers the server's `NaN`) become polars nulls; a value of the wrong type (see {@link valueProblem})
 * is a ResponseFormatError naming the row and the field.
 */
export function buildFrame<R>(rows: readonly R[], columns: readonly ColumnSpec<R>[]): pl.DataFrame {
  return pl.DataFrame(columns.map(([name, type, get]) => buildSeries(rows, name, type, get)));
}

function buildSeries<R>(rows: readonly R[], name: string, type: ColumnType, get?: (row: R) => unknown): pl.Series {
  const read = get ?? ((row: R) => (row as Record<string, unknown>)[name]);
  const n = rows.length;
  if (type === "f64" || type === "i64" || type === "i32") {
    const values = new Float64Array(n);
    let missing = false;
    for (let i = 0; i < n; i++) {
      const v = read(rows[i]);
      if (typeof v === "number" && !Number.isNaN(v)) values[i] = v;
      else missing = true;
      if (type !== "f64" || typeof v !== "number") {
        const problem = valueProblem(v, type);
        if (problem) throw badRow(rows[i], i, name, problem);
      }
    }
    let series: pl.Series;
    if (missing) {
      const withNulls = Array.from({ length: n }, (_, i) => {
        const v = read(rows[i]);
        return typeof v === "number" && !Number.isNaN(v) ? v : null;
      });
      series = pl.Series(name, withNulls, pl.Float64);
    } else {
      series = pl.Series(name, values);
    }
    return type === "f64" ? series : series.cast(DTYPES[type]);
  }
  if (type === "str") return stringSeries(name, rows, read);
  const values = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = read(rows[i]);
    const problem = valueProblem(v, type);
    if (problem) throw badRow(rows[i], i, name, problem);
    values[i] = v === undefined || (typeof v === "number" && Number.isNaN(v)) ? null : v;
  }
  return pl.Series(name, values, DTYPES[type]);
}

/** Below this many rows a string column is built directly (the dictionary path only pays off on large answers). */
const DICTIONARY_MIN_ROWS = 2048;

/**
 * A string column. Handing polars one JS string per row is the slow part of building a large frame, and
 * API columns such as tissue, gene and chromosome repeat a few values: those are sent once each, with a
 * typed array of codes that polars maps back to strings. Missing values (and the server's NaN) are nulls.
 */
function stringSeries<R>(name: string, rows: readonly R[], read: (row: R) => unknown): pl.Series {
  const n = rows.length;
  const values = new Array<string | null>(n);
  const codes = new Uint32Array(n);
  const index = new Map<string, number>();
  const distinct: string[] = [];
  let missing = false;
  for (let i = 0; i < n; i++) {
    const v = read(rows[i]);
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      values[i] = null;
      missing = true;
      continue;
    }
    if (typeof v !== "string") throw badRow(rows[i], i, name, valueProblem(v, "str")!);
    const text = v;
    values[i] = text;
    let code = index.get(text);
    if (code === undefined) {
      code = distinct.push(text) - 1;
      index.set(text, code);
    }
    codes[i] = code;
  }
  if (n < DICTIONARY_MIN_ROWS || missing || distinct.length * 4 > n) return pl.Series(name, values, pl.Utf8);
  return codedStringSeries(name, distinct, codes);
}

/** A string column given as its distinct values and one code (index into them) per row. */
export function codedStringSeries(name: string, distinct: readonly string[], codes: Uint32Array): pl.Series {
  if (codes.length < DICTIONARY_MIN_ROWS) return pl.Series(name, Array.from(codes, (c) => distinct[c]), pl.Utf8);
  const keys = Array.from(distinct, (_, k) => k);
  return pl.DataFrame([pl.Series("code", codes)])
    .select(pl.col("code").replaceStrict(keys, [...distinct], undefined, pl.Utf8).alias(name))
    .getColumn(name);
}

/** Split a variant ID `chrN:pos` into chromosome and position (null parts when it does not parse). */
export function splitVariantId(variantId: unknown): { chromosome: string | null; pos: number | null } {
  if (typeof variantId !== "string") return { chromosome: null, pos: null };
  const i = variantId.lastIndexOf(":");
  const digits = i > 0 ? variantId.slice(i + 1) : "";
  // Digits only: Number("") is 0 and Number(" 5") is 5, neither a position.
  return /^[0-9]+$/.test(digits)
    ? { chromosome: variantId.slice(0, i), pos: Number(digits) }
    : { chromosome: null, pos: null };
}
