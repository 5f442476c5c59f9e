/**
 * The terminal table of `--format table`: every column, every row, numbers at full precision (a p-value
 * of 2.02e-6 reads `2.02e-6`). When the rows are wider than the terminal, each row is shown as a block
 * of `column  value` lines instead (the vertical layout), so no column is ever cut. Written to a file,
 * the table is always whole.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { formatFull, plural } from "../_core/format.ts";

/** The text of one cell. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return formatFull(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "object") return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v));
  // One line per cell: a newline or tab inside a value would break the layout.
  return String(value).replace(/[\n\r\t]/g, " ");
}

/** Display width of a text (code points; the frames hold IDs and numbers). */
function widthOf(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, width - widthOf(text)));
  return right ? fill + text : text + fill;
}

/**
 * A frame as a plain-text table: a header, a rule, one line per row, and a footer with the row and
 * column counts. `width` (a terminal's) switches to the vertical layout when a row would not fit;
 * without it the table is horizontal and whole.
 *
 * @param frame The frame (flat: nested columns already flattened).
 * @param width The terminal's width in characters, or undefined (a file, a pipe).
 * @returns The text, ending with a newline.
 */
export function tableText(frame: pl.DataFrame, width?: number): string {
  const columns = frame.columns;
  const numeric = columns.map((c) => frame.getColumn(c).isNumeric());
  const rows = (frame.rows() as unknown[][]).map((r) => r.map(cellText));
  const widths = columns.map((c, j) => Math.max(widthOf(c), ...rows.map((r) => widthOf(r[j]))));
  const total = widths.reduce((a, b) => a + b, 0) + 2 * Math.max(0, columns.length - 1);
  const footer = `(${plural(frame.height, "row")}, ${plural(columns.length, "column")})`;
  if (width !== undefined && total > width && columns.length > 1) {
    const nameWidth = Math.max(...columns.map(widthOf));
    const blocks = rows.map((r, i) =>
      [`-[ row ${i + 1} ]-`, ...columns.map((c, j) => `${pad(c, nameWidth, false)}  ${r[j]}`)].join("\n")
    );
    return [...blocks, footer].join("\n") + "\n";
  }
  const line = (cells: string[], align: boolean[]) =>
    cells.map((t, j) => pad(t, widths[j], align[j])).join("  ").trimEnd();
  const lines = [
    line(columns, numeric),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map((r) => line(r, numeric)),
    footer,
  ];
  return lines.join("\n") + "\n";
}
