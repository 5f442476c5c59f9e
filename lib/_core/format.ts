/**
 * Number and text formatting shared by figures, rich display, reports and the command line.
 *
 * @module
 */

/**
 * A p-value in scientific notation with 3 significant digits (`8.43e-8`, `1.08e-2`), so a column of
 * p-values reads at a glance by its exponent; `"NA"` for null/NaN, `"0"` for 0.
 *
 * @param p A p-value.
 * @returns Its text.
 */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "NA";
  if (p === 0) return "0";
  const [mantissa, exponent] = p.toExponential(2).split("e");
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/**
 * A number with `digits` significant digits, no trailing zeros; `"NA"` for null/NaN.
 *
 * @param x A number.
 * @param digits Significant digits (default 4).
 * @returns Its text.
 */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e7)) {
    const [mantissa, exponent] = x.toExponential(digits - 1).split("e");
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(x.toPrecision(digits)));
}

/**
 * Escape text for XML/HTML content and attribute values (`& < > " '`).
 *
 * @param text Any text.
 * @returns The text, safe inside an element or a quoted attribute.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * A count with its noun, singular or plural: `1 row`, `0 rows`, `2 genes`.
 *
 * @param n The count.
 * @param singular The noun for one.
 * @param pluralForm The noun for any other count (default: `singular` + "s").
 * @returns The text.
 */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/**
 * A number at full precision (the shortest text that reads back as the same double), in exponent form
 * when it is tiny or huge: `2.02e-6`, `0.5084`, `100826333`, `1.5e+21` → `1.5e21`; `NaN`, `Inf`, `-Inf`.
 *
 * @param x A number.
 * @returns Its text.
 */
export function formatFull(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e15)) return x.toExponential().replace("e+", "e");
  return String(x);
}
