/**
 * Python-compatible number formatting shared by the Newick writer (the server writes branch lengths with
 * Python's `"%g"`) and the twin of the server.
 *
 * @module
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Is `x` exactly equal to `digits × 10^exp10` (digits a decimal integer string)? */
function exactlyEquals(x: number, digits: string, exp10: number): boolean {
  f64[0] = x;
  const lo = u32[0];
  const hi = u32[1];
  const eb = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (eb === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = eb - 1075;
  }
  let lhs = mant;
  let rhs = BigInt(digits);
  if (e2 >= 0) lhs <<= BigInt(e2);
  else rhs <<= BigInt(-e2);
  if (exp10 >= 0) rhs *= 10n ** BigInt(exp10);
  else lhs *= 10n ** BigInt(-exp10);
  return lhs === rhs;
}

/**
 * Format a number as Python's `"%g" % x`: 6 significant digits, rounded half-to-even on the
 * exact binary value, fixed notation for exponents −4…5 and `1e-05` / `1.5e+06` otherwise,
 * trailing zeros removed; `-0`, `inf`, `-inf`, `nan` as Python writes them.
 *
 * @param x Any number.
 * @returns The text Python would write.
 */
export function formatG(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const a = Math.abs(x);
  // JS rounds exact halves away from zero, Python to even: detect an exact half at digit 7.
  let s = a.toExponential(5);
  const s7 = a.toExponential(6);
  if (
    s7.charCodeAt(7) === 53 /* '5' */ && ((s7.charCodeAt(6) - 48) & 1) === 0
  ) {
    const e7 = Number(s7.slice(9));
    if (exactlyEquals(a, s7[0] + s7.slice(2, 8), e7 - 6)) {
      s = s7.slice(0, 7) + s7.slice(8);
    }
  }
  const ePos = s.indexOf("e");
  const digits = s[0] + s.slice(2, ePos);
  const exp = Number(s.slice(ePos + 1));
  if (exp >= -4 && exp < 6) {
    let out: string;
    if (exp >= 0) {
      const int = digits.slice(0, exp + 1);
      const frac = digits.slice(exp + 1).replace(/0+$/, "");
      out = frac ? `${int}.${frac}` : int;
    } else {
      out = `0.${"0".repeat(-exp - 1)}${digits}`.replace(/0+$/, "");
    }
    return sign + out;
  }
  const frac = digits.slice(1).replace(/0+$/, "");
  const mant = frac ? `${digits[0]}.${frac}` : digits[0];
  const ae = Math.abs(exp);
  return `${sign}${mant}e${exp < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
}
