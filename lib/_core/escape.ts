/**
 * Making text from outside (a server's answer, a file) safe to show: control characters escaped before it
 * reaches a terminal or a `text/plain` view, and spreadsheet formulas neutralised in CSV/TSV cells.
 *
 * @module
 */

/** C0 controls (except tab and newline), DEL and C1 controls. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0B-\x1F\x7F-\x9F]/g;
/** The same, tab and newline included. */
// deno-lint-ignore no-control-regex
const CONTROL_ALL = /[\x00-\x1F\x7F-\x9F]/g;

/**
 * `text` with every C0/C1 control character (ESC, BEL, CR, …) written as a visible `\xHH` escape, so
 * that no server text can move the cursor, set a terminal title, clear the screen or write the clipboard
 * (OSC 52). Tab and newline are kept unless `layout` is false. Linear time (one character class).
 *
 * @param text Any text.
 * @param layout Keep tab and newline (default true).
 * @returns The text, safe to print.
 */
export function escapeControl(text: string, layout = true): string {
  return text.replace(layout ? CONTROL : CONTROL_ALL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** What a spreadsheet reads as the start of a formula (or hides before one). */
const FORMULA_START = /^[=@\t\r]|^[+-](?![0-9.]*$)/;

/**
 * A CSV/TSV text cell a spreadsheet will not run: a cell starting with `=`, `@`, tab or CR, or with `+` or
 * `-` followed by anything but a plain number, gets a leading `'` (OWASP's advice for CSV injection, what
 * spreadsheet-safe writers do). A lone `-` (a strand) or `-1.5` is not a formula and is left alone. Only
 * text cells go through this: a negative number in a numeric column is written as it is.
 *
 * @param cell A text cell.
 * @returns The cell, prefixed with `'` when a spreadsheet would read it as a formula.
 */
export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
