/**
 * LocusZoom's colours for linkage disequilibrium: five r² bins from dark blue (0–0.2) to red (0.8–1), grey
 * for a variant whose r² is unknown, and a purple diamond for the reference variant. The hex values are
 * LocusZoom.js's (`standard_association` layout: `numerical_bin` on `ld:state` with breaks 0, 0.2, 0.4,
 * 0.6, 0.8, `#B8B8B8` without LD, `#9632b8` for the reference), so a figure reads like the one every
 * geneticist knows.
 *
 * @module
 */

/** One r² bin: values in `[min, max)` (the last bin includes 1). */
export interface LdBin {
  /** Lowest r² of the bin (inclusive). */
  min: number;
  /** Highest r² of the bin (exclusive, but 1 is in the last bin). */
  max: number;
  /** Legend label, e.g. `"0.8–1"`. */
  label: string;
  /** Fill colour. */
  color: string;
}

/** LocusZoom's r² bins, lowest first: dark blue, light blue, green, orange, red. */
export const LD_BINS: readonly LdBin[] = [
  { min: 0, max: 0.2, label: "0–0.2", color: "#357ebd" },
  { min: 0.2, max: 0.4, label: "0.2–0.4", color: "#46b8da" },
  { min: 0.4, max: 0.6, label: "0.4–0.6", color: "#5cb85c" },
  { min: 0.6, max: 0.8, label: "0.6–0.8", color: "#eea236" },
  { min: 0.8, max: 1, label: "0.8–1", color: "#d43f3a" },
];

/** The colour of a variant whose r² with the reference is unknown (not in the LD, or no number). */
export const LD_UNKNOWN_COLOR = "#b8b8b8";

/** The colour of the reference variant (drawn as a diamond). */
export const REFERENCE_VARIANT_COLOR = "#9632b8";

/**
 * The LocusZoom bin of an r² value: its index in {@link LD_BINS}, or -1 when r² is unknown (null, NaN).
 *
 * @param r2 r² with the reference variant, in [0, 1].
 * @returns The bin's index (0 for 0–0.2 … 4 for 0.8–1), or -1.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * assert.equal(plots.ldBin(0.85), 4);
 * assert.equal(plots.LD_BINS[plots.ldBin(0.85)].color, "#d43f3a"); // red
 * assert.equal(plots.ldBin(0.2), 1); // a bin holds its lower edge
 * assert.equal(plots.ldBin(1), 4);
 * assert.equal(plots.ldBin(null), -1); // grey
 * ```
 */
export function ldBin(r2: number | null | undefined): number {
  if (r2 === null || r2 === undefined || !Number.isFinite(r2)) return -1;
  for (let i = LD_BINS.length - 1; i >= 0; i--) if (r2 >= LD_BINS[i].min) return i;
  return 0;
}

/**
 * The LocusZoom colour of an r² value ({@link LD_UNKNOWN_COLOR} when unknown).
 *
 * @param r2 r² with the reference variant.
 * @returns A hex colour.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * assert.equal(plots.ldColor(0.1), "#357ebd");
 * assert.equal(plots.ldColor(undefined), plots.LD_UNKNOWN_COLOR);
 * ```
 */
export function ldColor(r2: number | null | undefined): string {
  const bin = ldBin(r2);
  return bin < 0 ? LD_UNKNOWN_COLOR : LD_BINS[bin].color;
}
