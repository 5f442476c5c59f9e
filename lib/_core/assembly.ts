/**
 * The genome assembly RatGTEx v4 uses, and how to say a likely mismatch: positions from an older rat
 * assembly (rn7 / mRatBN7.2, rn6 / Rnor_6.0) mostly land where v4 (GRCr8, rn8) has no variant.
 *
 * @module
 */

/** RatGTEx v4's assembly. */
export const V4_ASSEMBLY = "GRCr8 (rn8)";

/** The sentence appended wherever a position is not found. */
export const ASSEMBLY_HINT = `RatGTEx v4 positions are ${V4_ASSEMBLY}: a position from rn7 (mRatBN7.2) or rn6 ` +
  "(Rnor_6.0) is usually not found; lift it over to GRCr8 first";

/** Below this fraction of positions found (with at least this many asked), a batch reads as an assembly mismatch. */
export const MISMATCH_FRACTION = 0.5;
/** The fewest positions asked before a low match rate is called an assembly mismatch. */
export const MISMATCH_MIN = 5;

/**
 * What to say about positions not found: nothing when all were found; the count and the first few; and when
 * most of a batch is missing, that the assembly is the likely cause.
 *
 * @param where The call, e.g. `"variant"`.
 * @param asked How many positions were asked.
 * @param missing The positions not found.
 * @returns The warning text, or null.
 */
export function missingPositionsWarning(where: string, asked: number, missing: readonly string[]): string | null {
  if (missing.length === 0) return null;
  const first = missing.slice(0, 3).join(", ") + (missing.length > 3 ? ", …" : "");
  const found = asked - missing.length;
  const mismatch = asked >= MISMATCH_MIN && found / asked < MISMATCH_FRACTION;
  return `ratgtex: ${where}: ${missing.length} of ${asked} variant${asked === 1 ? " is" : "s are"} not in RatGTEx ` +
    `(${first}). ` +
    (mismatch ? `Only ${found} of ${asked} found: a likely assembly mismatch. ${ASSEMBLY_HINT}.` : `${ASSEMBLY_HINT}.`);
}
