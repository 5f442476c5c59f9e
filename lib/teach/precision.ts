/**
 * The precision an exercise asks for, and the one rule that follows from it: an answer is right when it
 * is within half a unit of the last asked digit of the expected value — the same distance above and
 * below, so rounding either way is accepted and nothing coarser is. Numbers in feedback are shown to
 * that precision.
 *
 * @module
 */

/** A precision: so many significant digits, or so many decimals. */
export interface Precision {
  /** Significant digits or decimals. */
  kind: "significant" | "decimals";
  /** How many. */
  digits: number;
}

/**
 * Half a unit of the last asked digit of `expected`: the largest distance at which an answer agrees.
 */
export function tolerance(expected: number, precision: Precision): number {
  if (precision.kind === "decimals" || expected === 0) return 0.5 * 10 ** -precision.digits;
  const exponent = Math.floor(Math.log10(Math.abs(expected)));
  return 0.5 * 10 ** (exponent - precision.digits + 1);
}

/**
 * Whether `answer` agrees with `expected` to `precision` (|answer − expected| ≤ the tolerance, the same
 * both ways; a hair of slack for binary floating point only).
 */
export function agrees(answer: number, expected: number, precision: Precision): boolean {
  const tol = tolerance(expected, precision);
  return Math.abs(answer - expected) <= tol * (1 + 1e-9) + 1e-15;
}

/**
 * The coarser precision (fewer digits) at which `answer` does agree with `expected`, or null: for "close,
 * but give more digits" feedback.
 */
export function agreesCoarser(answer: number, expected: number, precision: Precision): Precision | null {
  for (let digits = precision.digits - 1; digits >= 1; digits--) {
    const coarser = { ...precision, digits };
    if (agrees(answer, expected, coarser)) return coarser;
  }
  return null;
}

/**
 * A number shown to a precision: `0.9822858878041334` at 3 decimals is `0.982`.
 */
export function rounded(x: number, precision: Precision): string {
  return precision.kind === "decimals" ? x.toFixed(precision.digits) : String(Number(x.toPrecision(precision.digits)));
}

/**
 * The precision in words: `3 decimals`, `1 significant digit`.
 */
export function describePrecision(precision: Precision): string {
  const one = precision.digits === 1;
  return precision.kind === "decimals"
    ? `${precision.digits} decimal${one ? "" : "s"}`
    : `${precision.digits} significant digit${one ? "" : "s"}`;
}

/**
 * How many digits of the kind `precision` counts the answer was written with (its shortest decimal
 * form): `0.98` has 2 decimals and 2 significant digits, `0.983` 3 of each.
 */
export function digitsGiven(answer: number, kind: Precision["kind"]): number {
  const [mantissa, exp = "0"] = Math.abs(answer).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  if (kind === "significant") return digits.length;
  // Decimals: significant digits after the point, given the exponent.
  return Math.max(0, digits.length - 1 - Number(exp));
}
