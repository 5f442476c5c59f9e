/**
 * How the command line renders a frame in one of the six formats, flattening nested columns for the flat
 * formats. Loaded only when a subcommand has a frame to write (it loads polars).
 *
 * @module
 */
import pl from "nodejs-polars";
import type { Format } from "./formats.ts";
import { escapeControl, spreadsheetSafe } from "../_core/escape.ts";
import { tableText } from "./table_text.ts";

export { type Format, formatOfPath, FORMATS, writeFileAtomic, writeStdout } from "./formats.ts";

function isNested(series: pl.Series): boolean {
  // nodejs-polars' DataType carries its kind in `variant` ("List", "Struct", "FixedSizeList", ...).
  const variant = (series.dtype as unknown as { variant?: string }).variant ?? String(series.dtype);
  return /List|Struct|Array/.test(variant);
}

/**
 * Make a frame flat for CSV, TSV and the terminal table, which cannot hold nested values:
 *
 * - a list of per-tissue structs (`gene`'s `statusInTissue`: `{tissueSiteDetailId, expressed, testedEqtl,
 *   eqtl}`) becomes one string column per boolean field, named `<field>In`, holding the comma-joined
 *   tissue IDs where the field is true (e.g. `eqtlIn` = `"Brain,IL,NAcc"`), in the list's tissue order;
 * - any other nested column becomes its JSON text.
 *
 * Flat frames are returned unchanged.
 */
export function flattenNested(frame: pl.DataFrame): pl.DataFrame {
  const columns = frame.getColumns();
  if (!columns.some(isNested)) return frame;
  const out: pl.Series[] = [];
  for (const series of columns) {
    if (!isNested(series)) {
      out.push(series);
      continue;
    }
    const values = series.toArray() as unknown[];
    const perTissue = perTissueFields(values);
    if (perTissue) {
      for (const field of perTissue) {
        const joined = values.map((list) =>
          list == null ? null : (list as Record<string, unknown>[])
            .filter((s) => s?.[field] === true)
            .map((s) => s.tissueSiteDetailId)
            .join(",")
        );
        out.push(pl.Series(`${field}In`, joined, pl.Utf8));
      }
    } else {
      out.push(pl.Series(series.name, values.map((v) => (v == null ? null : toJson(v))), pl.Utf8));
    }
  }
  return pl.DataFrame(out);
}

/** The boolean fields of a list-of-per-tissue-structs column, or null when the column is not one. */
function perTissueFields(values: unknown[]): string[] | null {
  let fields: string[] | null = null;
  for (const list of values) {
    if (list == null) continue;
    if (!Array.isArray(list)) return null;
    for (const s of list) {
      if (s === null || typeof s !== "object" || typeof s.tissueSiteDetailId !== "string") return null;
      const bools = Object.keys(s).filter((k) => typeof s[k] === "boolean");
      if (bools.length + 1 !== Object.keys(s).length) return null;
      fields ??= bools;
    }
  }
  return fields && fields.length > 0 ? fields : null;
}

/** JSON text of a value: NaN and ±Infinity as null (JSON.stringify's own rule), 64-bit integers as numbers. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? bigintValue(v) : v));
}

function bigintValue(v: bigint): number | string {
  // Beyond 2^53 a number would silently change the value: keep the digits as a string.
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Options of {@link renderFrame}. */
export interface RenderOptions {
  /** Width of the terminal in characters: a wider table is shown vertically (default: no limit, as in a file). */
  tableWidth?: number;
  /**
   * Write CSV/TSV text cells as they are (default false: a text cell starting with `=`, `+`, `-`, `@`, tab
   * or CR gets a leading `'`, so a spreadsheet never runs it as a formula; numbers are never changed).
   */
  rawCells?: boolean;
  /**
   * The text goes to a terminal (default false): CSV and TSV get their control characters escaped as the
   * table format does (`\x1b` written as the four characters `\x1b`), so that no cell can move the cursor,
   * set the title, clear the screen or write the clipboard. Files and pipes get the bytes as they are.
   */
  terminal?: boolean;
}

/** The frame with its text cells made spreadsheet-safe (see {@link spreadsheetSafe}); other columns as they are. */
function spreadsheetSafeFrame(frame: pl.DataFrame): pl.DataFrame {
  return pl.DataFrame(
    frame.getColumns().map((series) => {
      if (String(series.dtype) !== "DataType(String)" && String(series.dtype) !== "String") return series;
      const values = series.toArray() as (string | null)[];
      if (!values.some((v) => v !== null && v !== spreadsheetSafe(v))) return series;
      return pl.Series(series.name, values.map((v) => (v === null ? null : spreadsheetSafe(v))), pl.Utf8);
    }),
  );
}

/**
 * Render a frame in one of the {@link FORMATS}:
 *
 * - `table`: every column and row at full precision, vertical when wider than `tableWidth` (nested
 *   columns flattened, see {@link flattenNested}; see `tableText`), control characters escaped (`\x1b`:
 *   a cell cannot drive the terminal);
 * - `csv`, `tsv`: polars' CSV writer, header line, null as an empty field (nested columns flattened); a
 *   text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is prefixed
 *   with `'` unless `rawCells`; to a terminal (`terminal`), control characters escaped as in `table`;
 * - `json`: one array of row objects, one row per line; `ndjson`: one row object per line
 *   (nested columns kept; NaN and null as `null`);
 * - `parquet`: polars' Parquet writer (nested columns kept).
 */
export function renderFrame(frame: pl.DataFrame, format: Format, options: RenderOptions = {}): Uint8Array {
  const encode = (text: string) => new TextEncoder().encode(text);
  switch (format) {
    case "table":
      return encode(escapeControl(tableText(flattenNested(frame), options.tableWidth)));
    case "csv":
    case "tsv": {
      const flat = flattenNested(frame);
      const cells = options.rawCells ? flat : spreadsheetSafeFrame(flat);
      const bytes = new Uint8Array(cells.writeCSV(format === "tsv" ? { separator: "\t" } : {}));
      return options.terminal ? encode(escapeControl(new TextDecoder().decode(bytes))) : bytes;
    }
    case "json": {
      const rows = frame.toRecords().map(toJson);
      return encode(rows.length === 0 ? "[]\n" : `[\n${rows.join(",\n")}\n]\n`);
    }
    case "ndjson":
      return encode(frame.toRecords().map((r) => toJson(r) + "\n").join(""));
    case "parquet":
      return new Uint8Array(frame.writeParquet());
  }
}
