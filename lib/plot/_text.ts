/**
 * Text layout for figures: estimated widths and line wrapping (linkedom has no canvas to measure with).
 *
 * @module
 */

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
 * Break text into lines no wider than `width` pixels (by the {@link textWidth} estimate), at spaces, but
 * never inside a number or a statement about one: a number stays with the word before it, and `=` with
 * both sides (`R² = 0.316`, `n = 83`, `SE 0.12` are never split).
 *
 * @param text The text.
 * @param width Maximum line width in pixels.
 * @param fontSize Font size in pixels.
 * @returns The lines.
 */
export function wrapText(text: string, width: number, fontSize = 10): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of units(paragraph)) {
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

/** Words of a paragraph, with "=" and numbers joined to the word before them (unbreakable units). */
function units(paragraph: string): string[] {
  const out: string[] = [];
  for (const word of paragraph.split(/\s+/).filter((w) => w !== "")) {
    const glue = out.length > 0 && (word === "=" || out[out.length - 1].endsWith("=") || /^[(\[−-]?[\d.]/.test(word));
    if (glue) out[out.length - 1] += ` ${word}`;
    else out.push(word);
  }
  return out;
}
