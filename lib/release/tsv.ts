/**
 * The one TSV reader of a release: lines from the text reader (`text.ts`: decompression and caps), a
 * header, then rows checked against the file kind's declared columns (`layout.ts`): a row with more or
 * fewer fields than the header, a value of the wrong type (a non-finite number where the pipeline writes
 * finite ones, `True`/`False` where a flag belongs), or a repeated key (a duplicated record) is a typed
 * error naming the file, the line and the field. Two consumers share it: {@link readTable} keeps the raw
 * cells for the pandas-exact `Table` (the twin, the recomputation's printed values) and
 * {@link readFrame} fills polars columns of the declared types (the genome-scale frames).
 *
 * @module
 */
import pl from "nodejs-polars";
import { ReleaseFormatError } from "../_core/errors.ts";
import { XQTL_MODALITIES } from "../_core/modalities.ts";
import type { ColumnType, TableSpec } from "./layout.ts";
import type { ByteSource, ReadLimits } from "./source.ts";
import { NA_TOKENS, Table } from "./table.ts";
import { textLines } from "./text.ts";

const BOOL = new Set(["True", "False", "TRUE", "FALSE", "true", "false"]);
const TRUE = new Set(["True", "TRUE", "true"]);

/**
 * The number a token is when it is a decimal number as the pipeline writes it (`[+-]digits[.digits][e±digits]`,
 * also `.5` and `5.`: what pandas reads as a float, without `inf`, `nan`, hex or spaces), else NaN. A scan of
 * the characters, then one `Number` (correctly rounded), written by hand because checking every cell of a
 * table is the reader's hot loop: a regex test plus a second parse made the checks of a 325,000-row
 * `top_assoc` take 2.0 s, this 1.2 s (one run, 2 shared cores under load).
 */
export function decimalValue(t: string): number {
  const n = t.length;
  let i = 0, c = n > 0 ? t.charCodeAt(0) : 0;
  if (c === 43 || c === 45) i++;
  let digits = 0;
  while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) i++, digits++;
  if (i < n && t.charCodeAt(i) === 46) {
    i++;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) i++, digits++;
  }
  if (digits === 0) return NaN;
  if (i < n && ((c = t.charCodeAt(i)) === 101 || c === 69)) {
    i++;
    if (i < n && ((c = t.charCodeAt(i)) === 43 || c === 45)) i++;
    let e = 0;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) i++, e++;
    if (e === 0) return NaN;
  }
  return i === n ? Number(t) : NaN;
}

/** Whether a token is an integer (`[+-]digits`) within ±2^53. */
function isInteger(t: string): boolean {
  const n = t.length;
  let i = 0, c = n > 0 ? t.charCodeAt(0) : 0;
  if (c === 43 || c === 45) i++;
  if (i === n) return false;
  for (; i < n; i++) {
    c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return n < 16 || Number.isSafeInteger(Number(t));
}

const NOT_FINITE = "not a finite number (the pipeline writes finite values here)";

/** The first characters of pandas' NA tokens: most IDs start with another and skip the set lookup. */
const NA_FIRST = new Set([...NA_TOKENS].map((t) => t.charCodeAt(0)));

/** Whether a token is empty or one of pandas' NA tokens. */
function isNa(t: string): boolean {
  return t === "" || (NA_FIRST.has(t.charCodeAt(0)) && NA_TOKENS.has(t));
}

/** Why a token is not of a declared type, or null when it is. */
function problemOf(type: ColumnType, t: string): string | null {
  switch (type) {
    case "str":
      return null;
    case "id":
      return isNa(t) ? `is ${t === "" ? "empty" : JSON.stringify(t)}, not an ID` : null;
    case "int":
      return isInteger(t) ? null : `is ${JSON.stringify(t)}, not an integer`;
    case "float?":
      if (isNa(t)) return null;
      // falls through: otherwise a finite number
    case "float":
      return Number.isFinite(decimalValue(t)) ? null : `is ${JSON.stringify(t)}, ${NOT_FINITE}`;
    case "bool":
      return BOOL.has(t) ? null : `is ${JSON.stringify(t)}, not True or False`;
    case "modality":
      return Object.hasOwn(XQTL_MODALITIES, t)
        ? null
        : `is ${JSON.stringify(t)}, not one of the modalities ${Object.keys(XQTL_MODALITIES).join(", ")}`;
  }
}

/** The file's header and each column's declared type. */
export interface TsvHeader {
  /** Column names, in file order. */
  columns: readonly string[];
  /** Each column's declared type (the spec's, or its `rest`). */
  types: readonly ColumnType[];
}

/**
 * Read a TSV against its declared columns, calling `onRow` with each row's cells and line number (blank
 * lines are skipped, as pandas skips them). The header must have every declared column, each once.
 *
 * @param src The file (or zip member).
 * @param spec The declared columns (`layout.ts`).
 * @param limits The caps.
 * @param onRow Called for each row (the cells array is the row's own).
 * @param onHeader Called with the header once it is read and checked, before any row; it returns the
 *   columns `onRow` checks itself (their values parsed and checked in one pass), if any.
 * @returns The header.
 */
export async function scanTsv(
  src: ByteSource,
  spec: TableSpec,
  limits: Pick<ReadLimits, "maxFileBytes" | "maxLineBytes">,
  onRow: (cells: string[], line: number) => void,
  onHeader?: (header: TsvHeader) => ReadonlySet<number> | void,
): Promise<TsvHeader> {
  let header: TsvHeader | null = null;
  let keyColumns: number[] = [];
  let checked: number[] = [];
  const keys = new Map<string, number>();
  for await (const batch of textLines(src, limits)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const text = batch.lines[i];
      const line = batch.first + i;
      if (header === null) {
        header = headerOf(src.name, text, spec);
        keyColumns = (spec.key ?? []).map((k) => header!.columns.indexOf(k));
        const own = onHeader?.(header) ?? new Set<number>();
        checked = header.types.flatMap((type, j) => (type === "str" || own.has(j) ? [] : [j]));
        continue;
      }
      if (text === "") continue;
      const cells = text.split("\t");
      if (cells.length !== header.columns.length) {
        throw new ReleaseFormatError(
          { file: src.name, line },
          `has ${cells.length} fields, the header has ${header.columns.length} (a ragged row)`,
        );
      }
      for (const j of checked) {
        const problem = problemOf(header.types[j], cells[j]);
        if (problem !== null) throw new ReleaseFormatError({ file: src.name, line, field: header.columns[j] }, problem);
      }
      if (keyColumns.length > 0) {
        let key = cells[keyColumns[0]];
        for (let k = 1; k < keyColumns.length; k++) key += "\t" + cells[keyColumns[k]];
        const seen = keys.get(key);
        if (seen !== undefined) {
          throw new ReleaseFormatError(
            { file: src.name, line, field: spec.key!.join(", ") },
            `repeats the record of line ${seen} (${keyColumns.map((j) => cells[j]).join(", ")}): a duplicated record`,
          );
        }
        keys.set(key, line);
      }
      onRow(cells, line);
    }
  }
  if (header === null) throw new ReleaseFormatError({ file: src.name, line: 1 }, "is empty (no header)");
  return header;
}

function headerOf(file: string, text: string, spec: TableSpec): TsvHeader {
  const columns = text.split("\t");
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new ReleaseFormatError({ file, line: 1, field: c }, "is a column name given twice");
    seen.add(c);
  }
  for (const c of Object.keys(spec.columns)) {
    if (!seen.has(c)) {
      throw new ReleaseFormatError(
        { file, line: 1, field: c },
        `is missing from the header (${columns.slice(0, 20).join(" ")})`,
      );
    }
  }
  const rest = spec.rest ?? "str";
  const types = columns.map((c) => Object.hasOwn(spec.columns, c) ? spec.columns[c] : rest);
  return { columns, types };
}

/**
 * A TSV of a release as the pandas-exact `Table` (raw cells; dtypes inferred as pandas infers them), after
 * the declared-column checks.
 */
export async function readTable(
  src: ByteSource,
  spec: TableSpec,
  limits: Pick<ReadLimits, "maxFileBytes" | "maxLineBytes"> = { maxFileBytes: 2 ** 30, maxLineBytes: 2 ** 24 },
): Promise<Table> {
  const rows: string[][] = [];
  const header = await scanTsv(src, spec, limits, (cells) => rows.push(cells));
  return new Table(header.columns, rows, spec.pandasStr ?? []);
}

/** Rows a column builder keeps as JS values before it moves them into a polars series. */
const CHUNK = 1 << 18;

/**
 * Builds one polars column of a declared type, value by value, moving each chunk of values into polars
 * as it fills: a large table costs its columns' memory, not a JS string per cell.
 */
class ColumnBuilder {
  readonly #type: ColumnType;
  readonly #name: string;
  readonly #chunks: pl.Series[] = [];
  #numbers: Float64Array = new Float64Array(CHUNK);
  #strings: (string | null)[] = [];
  #bools: boolean[] = [];
  #nulls: number[] = [];
  #n = 0;

  constructor(type: ColumnType, name: string) {
    this.#type = type;
    this.#name = name;
  }

  /** Add a token: parsed and checked against the column's type in one pass; why not, or null. */
  push(token: string): string | null {
    switch (this.#type) {
      case "int":
        if (!isInteger(token)) return `is ${JSON.stringify(token)}, not an integer`;
        this.#numbers[this.#n] = Number(token);
        break;
      case "float?":
        if (isNa(token)) {
          this.#numbers[this.#n] = NaN;
          this.#nulls.push(this.#n);
          break;
        }
        // falls through
      case "float": {
        const x = decimalValue(token);
        if (!Number.isFinite(x)) return `is ${JSON.stringify(token)}, ${NOT_FINITE}`;
        this.#numbers[this.#n] = x;
        break;
      }
      case "bool":
        if (!BOOL.has(token)) return `is ${JSON.stringify(token)}, not True or False`;
        this.#bools.push(TRUE.has(token));
        break;
      case "str":
        this.#strings.push(isNa(token) ? null : token);
        break;
      case "id":
        if (isNa(token)) return problemOf("id", token);
        this.#strings.push(token);
        break;
      default: {
        const problem = problemOf(this.#type, token);
        if (problem !== null) return problem;
        this.#strings.push(token);
      }
    }
    if (++this.#n === CHUNK) this.#flush();
    return null;
  }

  #flush(): void {
    if (this.#n === 0 && this.#chunks.length > 0) return;
    const name = this.#name, n = this.#n;
    let s: pl.Series;
    switch (this.#type) {
      case "int":
        s = pl.Series(name, this.#numbers.slice(0, n), pl.Float64).cast(pl.Int64);
        break;
      case "float":
      case "float?":
        if (this.#nulls.length === 0) s = pl.Series(name, this.#numbers.slice(0, n), pl.Float64);
        else {
          const values: (number | null)[] = Array.from(this.#numbers.subarray(0, n));
          for (const i of this.#nulls) values[i] = null;
          s = pl.Series(name, values, pl.Float64);
        }
        break;
      case "bool":
        s = pl.Series(name, this.#bools, pl.Bool);
        break;
      default:
        s = pl.Series(name, this.#strings, pl.Utf8);
    }
    this.#chunks.push(s);
    this.#strings = [];
    this.#bools = [];
    this.#nulls = [];
    this.#n = 0;
  }

  series(): pl.Series {
    this.#flush();
    return this.#chunks.length === 1 ? this.#chunks[0] : pl.concat(this.#chunks);
  }
}

/**
 * A TSV of a release as a polars frame whose columns have their declared types (`id`/`str`/`modality` →
 * Utf8 with NA as null for `str`; `int` → Int64; `float`/`float?` → Float64 with NA as null; `bool` → Bool),
 * after the same checks as {@link readTable}. Only the columns in `pick` are built (default: all).
 */
export async function readFrame(
  src: ByteSource,
  spec: TableSpec,
  limits: Pick<ReadLimits, "maxFileBytes" | "maxLineBytes"> = { maxFileBytes: 2 ** 30, maxLineBytes: 2 ** 24 },
  pick?: readonly string[],
): Promise<pl.DataFrame> {
  let builders: { name: string; index: number; builder: ColumnBuilder }[] = [];
  const file = src.name;
  await scanTsv(
    src,
    spec,
    limits,
    (cells, line) => {
      for (const b of builders) {
        const problem = b.builder.push(cells[b.index]);
        if (problem !== null) throw new ReleaseFormatError({ file, line, field: b.name }, problem);
      }
    },
    (h) => {
      builders = buildersOf(h, pick, file);
      return new Set(builders.map((b) => b.index));
    },
  );
  return pl.DataFrame(builders.map((b) => b.builder.series()));
}

function buildersOf(header: TsvHeader, pick: readonly string[] | undefined, file: string) {
  const names = pick ?? header.columns;
  return names.map((name) => {
    const index = header.columns.indexOf(name);
    if (index < 0) throw new ReleaseFormatError({ file, line: 1, field: name }, "is missing from the header");
    return { name, index, builder: new ColumnBuilder(header.types[index], name) };
  });
}
