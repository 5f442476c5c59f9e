/**
 * `view(df)`: any polars DataFrame as an HTML table plus aligned plain text. VS Code renders nothing for
 * polars' own `application/vnd.dataresource+json`; this shows everywhere, with p-values in scientific
 * notation and tissue IDs next to their colour swatch.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { type DisplayBundle, JUPYTER_DISPLAY } from "../_core/result_kind.ts";
import { isDataFrame } from "../_core/data_frame.ts";
import { ValidationError } from "../_core/errors.ts";
import { escapeXml, formatNumber, formatPValue } from "../_core/format.ts";
import { tissueColor, V4_TISSUE_STYLES } from "../_core/tissues.ts";
import { escapeControl } from "../_core/escape.ts";

/** Options of {@link view}. */
export interface ViewOptions {
  /** Rows shown before the middle is elided (default 20: the first 10 and the last 10). */
  maxRows?: number;
  /** Columns formatted as p-values (default: every column whose name contains "pvalue", any case). */
  pValueColumns?: readonly string[];
  /** Columns holding tissue IDs, shown with a colour swatch (default: `tissueSiteDetailId`). */
  tissueColumns?: readonly string[];
  /** Significant digits of other floats (default 4). */
  digits?: number;
  /** Caption above the table. */
  caption?: string;
  /** Longest cell text in the plain-text table (default 24 characters). */
  maxCellWidth?: number;
}

/** A frame ready to display: its HTML and text, and the Jupyter bundle. */
export interface FrameView {
  /** The HTML table. */
  html: string;
  /** The plain-text table (no ANSI escapes). */
  text: string;
  /** `{ "text/html", "text/plain" }`. */
  [JUPYTER_DISPLAY](): DisplayBundle;
}

const KNOWN_TISSUES = new Set(V4_TISSUE_STYLES.map((t) => t.id));

const SHORT_DTYPES: Record<string, string> = {
  String: "str",
  Utf8: "str",
  Int8: "i8",
  Int16: "i16",
  Int32: "i32",
  Int64: "i64",
  UInt8: "u8",
  UInt16: "u16",
  UInt32: "u32",
  UInt64: "u64",
  Float32: "f32",
  Float64: "f64",
  Bool: "bool",
  Boolean: "bool",
};

/** polars' short dtype names (`str`, `i64`, `f64`, …) from nodejs-polars' `DataType(String)` text. */
function dtypeName(dtype: unknown): string {
  const inner = String(dtype).replace(/^DataType\((.*)\)$/, "$1");
  return SHORT_DTYPES[inner] ?? inner.toLowerCase();
}

function cellText(value: unknown, isP: boolean, digits: number): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    return isP ? formatPValue(value) : Number.isInteger(value) ? String(value) : formatNumber(value, digits);
  }
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

function swatch(color: string): string {
  return `<span style="display:inline-block;width:0.8em;height:0.8em;margin-right:0.3em;vertical-align:-0.05em;` +
    `border:1px solid #0003;background:${escapeXml(color)}"></span>`;
}

/**
 * Show a DataFrame as an HTML table plus plain text. Long frames show the first and last rows with an
 * elision row between; p-value columns are written in scientific notation (`8.43e-8`); tissue IDs (and
 * column names that are tissue IDs, as in a wide median frame) get their official colour swatch.
 *
 * @param df Any polars DataFrame.
 * @param options Rows, p-value and tissue columns, digits, caption.
 * @returns A {@link FrameView}: a notebook cell ending in it shows the table.
 *
 * @example
 * ```ts
 * import { createClient, eqtl } from "ratgtex";
 * import { view } from "ratgtex/jupyter";
 * import assert from "node:assert/strict";
 * const e = await eqtl("Cd300lf", { client: createClient({ source: "offline" }) });
 * const table = view(e);
 * assert.match(table.text, /\de-\d/); // p-values in scientific notation
 * assert.ok(table.html.startsWith("<div"));
 * ```
 */
export function view(df: pl.DataFrame, options: ViewOptions = {}): FrameView {
  if (!isDataFrame(df)) {
    throw new ValidationError("df", df, "is not a polars DataFrame", "pass a DataFrame (every route returns one)");
  }
  const maxRows = options.maxRows ?? 20;
  if (!Number.isInteger(maxRows) || maxRows < 2) {
    throw new ValidationError(
      "options.maxRows",
      maxRows,
      "must be an integer ≥ 2",
      "pass maxRows: 20 (the default) or another integer ≥ 2",
    );
  }
  const digits = options.digits ?? 4;
  const maxCell = options.maxCellWidth ?? 24;
  const columns = df.columns;
  const pCols = new Set(options.pValueColumns ?? columns.filter((c) => /pvalue/i.test(c)));
  const tCols = new Set(options.tissueColumns ?? columns.filter((c) => c === "tissueSiteDetailId"));
  const dtypes = (df.dtypes as unknown[]).map(dtypeName);
  const elided = df.height > maxRows;
  const headRows = elided ? Math.ceil(maxRows / 2) : df.height;
  const tailRows = elided ? Math.floor(maxRows / 2) : 0;
  const records = [
    ...(df.head(headRows).toRecords() as Record<string, unknown>[]),
    ...(tailRows > 0 ? (df.tail(tailRows).toRecords() as Record<string, unknown>[]) : []),
  ];
  // Control characters from the data (ESC, BEL, CR) are escaped: the plain text goes to terminals too.
  const texts = records.map((r) => columns.map((c) => escapeControl(cellText(r[c], pCols.has(c), digits), false)));
  const numeric = columns.map((_, j) =>
    records.every((r) => typeof r[columns[j]] === "number" || r[columns[j]] === null)
  );

  // HTML.
  const th = columns.map((c, j) => {
    const sw = KNOWN_TISSUES.has(c) ? swatch(tissueColor(c)) : "";
    return `<th style="text-align:${numeric[j] ? "right" : "left"};padding:2px 8px;border-bottom:1px solid #888">` +
      `${sw}${escapeXml(c)}<br><span style="font-weight:normal;color:#777;font-size:0.85em">${
        escapeXml(dtypes[j])
      }</span></th>`;
  }).join("");
  const tr = (cells: string[], k: number) =>
    `<tr style="background:${k % 2 ? "#f6f6f6" : "#fff"}">${
      cells.map((t, j) => {
        const sw = tCols.has(columns[j]) && t !== "null" ? swatch(tissueColor(t)) : "";
        const style = `text-align:${numeric[j] ? "right" : "left"};padding:1px 8px;white-space:nowrap` +
          (t === "null" ? ";color:#999" : "") + (numeric[j] ? ";font-variant-numeric:tabular-nums" : "");
        return `<td style="${style}">${sw}${escapeXml(t)}</td>`;
      }).join("")
    }</tr>`;
  const body = [
    ...texts.slice(0, headRows).map(tr),
    ...(elided
      ? [
        `<tr><td colspan="${columns.length}" style="text-align:center;color:#777">… ${
          df.height - maxRows
        } more rows …</td></tr>`,
      ]
      : []),
    ...texts.slice(headRows).map((cells, k) => tr(cells, headRows + k)),
  ].join("");
  const caption = options.caption
    ? `<caption style="text-align:left;font-weight:bold">${escapeXml(options.caption)}</caption>`
    : "";
  const html =
    `<div style="overflow-x:auto;color:#222;background:#fff"><table style="border-collapse:collapse;font-size:12px;` +
    `font-family:system-ui,sans-serif">${caption}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>` +
    `<div style="font-size:11px;color:#777">${df.height} rows × ${columns.length} columns</div></div>`;

  // Plain text.
  const clip = (s: string) => (s.length > maxCell ? `${s.slice(0, maxCell - 1)}…` : s);
  const widths = columns.map((c, j) =>
    Math.max(clip(c).length, clip(dtypes[j]).length, ...texts.map((r) => clip(r[j]).length))
  );
  const pad = (s: string, j: number) => (numeric[j] ? clip(s).padStart(widths[j]) : clip(s).padEnd(widths[j]));
  const line = (cells: string[]) => cells.map(pad).join("  ").trimEnd();
  const textRows = [
    line(columns),
    line(dtypes),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...texts.slice(0, headRows).map(line),
    ...(elided ? [`… ${df.height - maxRows} more rows …`] : []),
    ...texts.slice(headRows).map(line),
  ];
  const text = `${options.caption ? `${options.caption}\n` : ""}shape: (${df.height}, ${columns.length})\n${
    textRows.join("\n")
  }`;
  return {
    html,
    text,
    [JUPYTER_DISPLAY]: () => ({ "text/plain": text, "text/html": html }),
  };
}
