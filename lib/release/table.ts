/**
 * A TSV table read the way pandas' `read_csv(sep="\t")` reads it: per-column types inferred from every
 * value (int64, float64, bool, str), pandas' default NA tokens, and the Python value of each cell (what
 * `to_dict(orient="records")` gives and Flask then writes). Floats are parsed by {@link pandasFloat},
 * pandas' own default parser, which is not correctly rounded: `2.98572e-27` becomes
 * 2.9857199999999998e-27, and the server then writes those digits.
 *
 * @module
 */
import { f, type PyFloat, pyFloatRepr } from "../_core/json_write.ts";

export { PyFloat } from "../_core/json_write.ts";

/** The pandas dtype of a column. */
export type Dtype = "int" | "float" | "bool" | "str";

/** A cell's Python value: int (number), float ({@link PyFloat}), bool, str, or NaN (a float). */
export type PyValue = number | PyFloat | boolean | string;

/** pandas' default `na_values`. */
export const NA_TOKENS: ReadonlySet<string> = new Set([
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "None",
  "n/a",
  "nan",
  "null",
]);

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity)$/i;
const TRUE = new Set(["True", "TRUE", "true"]);
const FALSE = new Set(["False", "FALSE", "false"]);

/** A token as pandas parses it in a float column (NaN for NA tokens, ±inf, else {@link pandasFloat}). */
export function parsePyFloat(token: string): number {
  if (NA_TOKENS.has(token)) return NaN;
  const t = token.toLowerCase();
  if (t === "inf" || t === "+inf" || t === "infinity" || t === "+infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  return pandasFloat(token);
}

/** 1e0 … 1e308, as the C literals of pandas' table (each correctly rounded). */
const POW10 = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));

/**
 * pandas' default float parser (`precise_xstrtod` in pandas/_libs/src/parser/tokenizer.c, used by
 * `read_csv` unless `float_precision="round_trip"`): up to 17 significant digits accumulated in a
 * double, then one multiplication or division by a power of ten. Exact for the short numbers these
 * files hold unless the decimal exponent passes 22, where the double rounding shows in the last digit.
 * NaN when the token is not a number.
 */
export function pandasFloat(token: string): number {
  let p = 0;
  const s = token.trim();
  let negative = false;
  if (s[p] === "-" || s[p] === "+") negative = s[p++] === "-";
  let number = 0, exponent = 0, digits = 0, decimals = 0;
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  while (isDigit(s[p])) {
    if (digits < 17) {
      number = number * 10 + (s.charCodeAt(p) - 48);
      digits++;
    } else exponent++;
    p++;
  }
  if (s[p] === ".") {
    p++;
    while (digits < 17 && isDigit(s[p])) {
      number = number * 10 + (s.charCodeAt(p) - 48);
      p++;
      digits++;
      decimals++;
    }
    while (isDigit(s[p])) p++;
    exponent -= decimals;
  }
  if (digits === 0) return NaN;
  if (negative) number = -number;
  if (s[p] === "e" || s[p] === "E") {
    p++;
    let neg = false;
    if (s[p] === "-" || s[p] === "+") neg = s[p++] === "-";
    let n = 0, nd = 0;
    while (nd < 17 && isDigit(s[p])) {
      n = n * 10 + (s.charCodeAt(p) - 48);
      nd++;
      p++;
    }
    exponent += neg ? -n : n;
    if (nd === 0) return NaN;
  }
  if (p !== s.length) return NaN;
  if (exponent > 308) return negative ? -Infinity : Infinity;
  if (exponent > 0) return number * POW10[exponent];
  if (exponent < -308) {
    if (exponent < -616) return negative ? -0 : 0;
    return number / POW10[-308 - exponent] / POW10[308];
  }
  return number / POW10[-exponent];
}

/** The dtype pandas infers for a column of raw tokens (`forceStr`: `dtype={col: str}`). */
export function inferDtype(tokens: readonly string[], forceStr = false): Dtype {
  if (forceStr) return "str";
  let anyNa = false, allInt = true, allFloat = true, allBool = true;
  for (const t of tokens) {
    if (NA_TOKENS.has(t)) {
      anyNa = true;
      allBool = false;
      continue;
    }
    if (allInt && !INT.test(t)) allInt = false;
    if (allFloat && !INT.test(t) && !FLOAT.test(t)) allFloat = false;
    if (allBool && !TRUE.has(t) && !FALSE.has(t)) allBool = false;
    if (!allInt && !allFloat && !allBool) return "str";
  }
  if (tokens.length > 0 && tokens.every((t) => NA_TOKENS.has(t))) return "float";
  if (allInt && !anyNa) return "int";
  if (allInt || allFloat) return "float";
  if (allBool) return "bool";
  return "str";
}

/** The Python value of a token in a column of the given dtype. */
export function pyValue(token: string, dtype: Dtype): PyValue {
  switch (dtype) {
    case "int":
      return Number(token);
    case "float":
      return f(parsePyFloat(token));
    case "bool":
      return TRUE.has(token);
    default:
      return NA_TOKENS.has(token) ? f(NaN) : token;
  }
}

/**
 * A parsed TSV as pandas holds it: header, raw cells, and each column's dtype inferred from every value.
 * Read a release's tables through `readTable` (tsv.ts), which checks them against their declared columns
 * first; `Table.parse` reads a text as it is (tests, the twin's own checks).
 */
export class Table {
  /** Column names, in file order. */
  readonly columns: readonly string[];
  /** Raw cells, row by row. */
  readonly rows: readonly string[][];
  /** Each column's dtype. */
  readonly dtypes: readonly Dtype[];
  readonly #index = new Map<string, number>();
  readonly #lookups = new Map<string, Map<string, number[]>>();

  /** A table of raw cells (`strColumns`: columns read with `dtype=str`). */
  constructor(columns: readonly string[], rows: readonly string[][], strColumns: readonly string[] = []) {
    this.columns = columns;
    columns.forEach((c, i) => this.#index.has(c) || this.#index.set(c, i));
    this.rows = rows;
    this.dtypes = columns.map((c, i) => inferDtype(rows.map((r) => r[i]), strColumns.includes(c)));
  }

  /**
   * Parse TSV text as it is (short rows padded with NA, as pandas does), without the declared-column
   * checks of `readTable`.
   */
  static parse(text: string, strColumns: readonly string[] = []): Table {
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    const header = (lines.shift() ?? "").replace(/\r$/, "").split("\t");
    const rows = lines.map((l) => {
      const cells = l.replace(/\r$/, "").split("\t");
      while (cells.length < header.length) cells.push("");
      return cells;
    });
    return new Table(header, rows, strColumns);
  }

  /**
   * The rows holding each value of a column (`df[col] == value` for a str column; NA cells match
   * nothing), built on first use: a route on a real release answers by lookup, not by a scan.
   */
  rowsByValue(name: string): Map<string, number[]> {
    let m = this.#lookups.get(name);
    if (!m) {
      m = new Map();
      const j = this.col(name);
      if (j >= 0 && this.dtypes[j] === "str") {
        this.rows.forEach((r, i) => {
          if (NA_TOKENS.has(r[j])) return;
          const list = m!.get(r[j]);
          if (list) list.push(i);
          else m!.set(r[j], [i]);
        });
      }
      this.#lookups.set(name, m);
    }
    return m;
  }

  /** The index of a column, or −1. */
  col(name: string): number {
    return this.#index.get(name) ?? -1;
  }

  /** The Python value of a cell. */
  value(row: number, column: number): PyValue {
    return pyValue(this.rows[row][column], this.dtypes[column]);
  }

  /** One row as a record of Python values (`to_dict(orient="records")`), with renamed keys. */
  record(
    row: number,
    rename: Readonly<Record<string, string>> = {},
    only?: readonly string[],
  ): Record<string, PyValue> {
    // Keys come from the file's header: defined as own properties (a column named `__proto__` or
    // `constructor` is a key like any other, never the object's prototype or Object's constructor).
    const out: Record<string, PyValue> = {};
    const names = only ?? this.columns;
    for (const name of names) {
      const j = this.col(name);
      const key = Object.hasOwn(rename, name) ? rename[name] : name;
      Object.defineProperty(out, key, {
        value: this.value(row, j),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
}

const PLAIN = /^(-?)(\d+)(?:\.(\d*))?$/;

/**
 * Python's `repr` of a float token as pandas parses it, fast for the common plain decimals (`12.3456`,
 * `0`, `870`): with at most 15 digits in all and a value in [1e-4, 1e15], pandas' parse is exact
 * and the shortest round-trip digits are the token's own, so the repr is the token normalised. Other
 * tokens go through {@link pandasFloat} and `pyFloatRepr`.
 */
export function floatTokenRepr(token: string): string {
  const m = PLAIN.exec(token);
  // pandas accumulates every digit (leading zeros too) in a double: exact while there are at most 15.
  if (m && m[2].length + (m[3] ?? "").length <= 15) {
    const int = m[2].replace(/^0+(?=\d)/, "");
    const frac = (m[3] ?? "").replace(/0+$/, "");
    if (int !== "0" || frac === "" || /^0{0,3}[1-9]/.test(frac)) {
      if (int === "0" && frac === "") return m[1] === "-" ? "-0.0" : "0.0";
      return `${m[1]}${int}.${frac === "" ? "0" : frac}`;
    }
  }
  return pyFloatRepr(parsePyFloat(token));
}
