/**
 * The one TSV reader of a release: lines from the text reader (`text.ts`: decompression and caps), a
 * header, then rows checked against the file kind's declared columns (`layout.ts`): a row with more or
 * fewer fields than the header, a value of the wrong type (a non-finite number where the pipeline writes
 * finite ones, `True`/`False` where a flag belongs), or a repeated key (a duplicated record) is a typed
 * error naming the file, the line and the field. Two consumers share it: {@link readTable} keeps the raw
 * cells for the pandas-exact `Table` (the twin, the recomputation's printed values) and `readFrame`
 * (`frame.ts`) fills polars columns of the declared types (the genome-scale frames). This module loads no
 * polars: the twin (`serve`, without FFI) reads through it.
 *
 * @module
 */
import { ReleaseFormatError } from "../_core/errors.ts";
import { XQTL_MODALITIES } from "../_core/modalities.ts";
import type { ColumnType, TableSpec } from "./layout.ts";
import type { ByteSource, ReadLimits } from "./source.ts";
import { NA_TOKENS, Table } from "./table.ts";
import { textLines } from "./text.ts";

/** `True`/`False` as pandas reads them. */
export const BOOL: ReadonlySet<string> = new Set(["True", "False", "TRUE", "FALSE", "true", "false"]);
/** The true ones. */
export const TRUE: ReadonlySet<string> = new Set(["True", "TRUE", "true"]);

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
export function isInteger(t: string): boolean {
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

/** How a non-finite value is refused. */
export const NOT_FINITE = "not a finite number (the pipeline writes finite values here)";

/** The first characters of pandas' NA tokens: most IDs start with another and skip the set lookup. */
const NA_FIRST = new Set([...NA_TOKENS].map((t) => t.charCodeAt(0)));

/** Whether a token is empty or one of pandas' NA tokens. */
export function isNa(t: string): boolean {
  return t === "" || (NA_FIRST.has(t.charCodeAt(0)) && NA_TOKENS.has(t));
}

/** Why a token is not of a declared type, or null when it is. */
export function problemOf(type: ColumnType, t: string): string | null {
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

/** A header line checked against the declared columns (each present, none twice), with each column's type. */
export function headerOf(file: string, text: string, spec: TableSpec): TsvHeader {
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
