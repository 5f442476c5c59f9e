/**
 * RatGTEx's identifiers that every room reads: variant IDs `chrN:pos` (1-based, GRCr8), and the longest ID
 * accepted anywhere.
 *
 * @module
 */
import { ValidationError } from "./errors.ts";

/** The longest gene, variant or tissue ID accepted (a longer one is refused before anything is sent). */
export const MAX_ID_LENGTH = 100;
const VARIANT_RE = /^chr([0-9]{1,2}|X|Y|M|MT|Un[A-Za-z0-9_.]*):([1-9][0-9]{0,9})$/;
const MAX_POSITION = 1_000_000_000;
const VARIANT_FIX = "variant IDs are chrN:pos, 1-based, without alleles, e.g. chr10:100826333 " +
  "(rsIDs are not used)";

/** How a value reads in an error message: its type, or `null`, `NaN`, `an array`. */
export function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return typeof value;
}

/**
 * Parse a variant ID `chrN:pos` into its chromosome and 1-based position, or throw a ValidationError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseVariantId, ValidationError } from "ratgtex";
 * assert.deepEqual(parseVariantId("chr10:100826333"), { chromosome: "chr10", pos: 100826333 });
 * assert.throws(() => parseVariantId("rs123"), ValidationError);
 * ```
 */
export function parseVariantId(
  value: unknown,
  parameter = "variantId",
  route?: string,
): { chromosome: string; pos: number } {
  if (typeof value !== "string") {
    throw new ValidationError(parameter, value, `expected a string, got ${typeOf(value)}`, VARIANT_FIX, route);
  }
  if (value.includes(",")) {
    throw new ValidationError(
      parameter,
      value,
      "contains a comma",
      "pass several variants as an array, not one comma-joined string",
      route,
    );
  }
  const m = value.length <= MAX_ID_LENGTH ? VARIANT_RE.exec(value) : null;
  if (!m) {
    throw new ValidationError(parameter, value, "not of the form chrN:pos", VARIANT_FIX, route);
  }
  const pos = Number(m[2]);
  if (pos > MAX_POSITION) {
    throw new ValidationError(parameter, value, `position ${pos} is beyond any rat chromosome`, VARIANT_FIX, route);
  }
  return { chromosome: `chr${m[1]}`, pos };
}
