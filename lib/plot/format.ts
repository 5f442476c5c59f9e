/**
 * Number and text formatting shared by figures and rich display.
 *
 * @module
 */

/**
 * A p-value in scientific notation with 3 significant digits (`8.43e-8`, `1.08e-2`), so a column of
 * p-values reads at a glance by its exponent; `"NA"` for null/NaN, `"0"` for 0.
 *
 * @param p A p-value.
 * @returns Its text.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * plots.formatPValue(8.43005e-8); // "8.43e-8"
 * ```
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
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * plots.formatNumber(0.123456); // "0.1235"
 * ```
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
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * plots.escapeXml('<b class="x">A & B</b>'); // "&lt;b class=&quot;x&quot;&gt;A &amp; B&lt;/b&gt;"
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

// Advance widths (em) in coarse classes, erring wide (DejaVu Sans, the usual Linux fallback, is wider than
// Helvetica): linkedom has no canvas to measure with.
const NARROW = new Set("iljtfrI.,:;'!|()[] ".split(""));
const WIDE = new Set("mwMW@%".split(""));

/**
 * Estimated width in pixels of `text` set at `fontSize` in a sans-serif face (no canvas to measure with).
 *
 * @param text The text.
 * @param fontSize Font size in pixels (default 10, Plot's).
 * @returns Width in pixels.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * plots.textWidth("Adipose", 10) > 30; // true
 * ```
 */
export function textWidth(text: string, fontSize = 10): number {
  let em = 0;
  for (const c of text) {
    if (NARROW.has(c)) em += 0.33;
    else if (WIDE.has(c)) em += 0.95;
    else if (c >= "A" && c <= "Z") em += 0.72;
    else if (c >= "0" && c <= "9") em += 0.64;
    else em += 0.61;
  }
  return em * fontSize;
}

/**
 * Break text into lines no wider than `width` pixels (by the {@link textWidth} estimate), at spaces.
 *
 * @param text The text.
 * @param width Maximum line width in pixels.
 * @param fontSize Font size in pixels.
 * @returns The lines.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * plots.wrapText("a b c", 1000, 10); // ["a b c"]
 * ```
 */
export function wrapText(text: string, width: number, fontSize = 10): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w !== "")) {
      const next = line === "" ? word : `${line} ${word}`;
      if (line !== "" && textWidth(next, fontSize) > width) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}
