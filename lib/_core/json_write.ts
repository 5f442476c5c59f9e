/**
 * Writing JSON the way the RatGTEx server (Flask + Python's `json`) writes it: compact, keys sorted at
 * every level, floats in Python's `repr` form (`8.43005e-08`, `0.0`, `1e-05`), bare `NaN` tokens for
 * missing floats, and a trailing newline. The twin server uses this so that its bytes match the real
 * server's, quirks included.
 *
 * @module
 */
import { ValidationError } from "./errors.ts";

/** A float that must be written in Python's float form even when it is integral (`27.0`, `0.0`). */
export class PyFloat {
  /** The value. */
  readonly value: number;
  /** Wrap a number so that it is written as a Python float. */
  constructor(value: number) {
    this.value = value;
  }
}

/** Mark a number as a Python float for {@link pyJson}. */
export function f(value: number): PyFloat {
  return new PyFloat(value);
}

/**
 * Python's `repr(float)`: shortest round-trip digits, positional for 1e-4 ≤ |x| < 1e16, otherwise
 * `d.ddde±XX` with at least two exponent digits; `NaN`, `Infinity`, `-Infinity` as Python's json writes them.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() without an argument gives the shortest digits that round-trip, like Python's repr.
  const [mant, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const negative = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * Round to `digits` significant digits, as `float("%.{digits}g" % x)` does in Python.
 */
export function roundSignificant(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

/**
 * Serialise a value as Flask's `jsonify` does on the RatGTEx server: compact, keys sorted, Python floats.
 * Plain numbers are written as Python ints (they must be integral); wrap floats with {@link f}.
 * `undefined` object members are skipped; `null` is `null`.
 */
export function pyJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  out.push("\n");
  return out.join("");
}

function write(value: unknown, out: string[]): void {
  if (value === null) {
    out.push("null");
  } else if (value instanceof PyFloat) {
    out.push(pyFloatRepr(value.value));
  } else if (typeof value === "number") {
    if (!Number.isInteger(value)) {
      throw new ValidationError(
        "value",
        value,
        "a non-integer number must be wrapped with f()",
        "pyJson({ x: f(0.5) })",
      );
    }
    out.push(String(value));
  } else if (typeof value === "string") {
    out.push(pyString(value));
  } else if (typeof value === "boolean") {
    out.push(value ? "true" : "false");
  } else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((v, i) => {
      if (i > 0) out.push(",");
      write(v, out);
    });
    out.push("]");
  } else if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out.push("{");
    entries.forEach(([k, v], i) => {
      if (i > 0) out.push(",");
      out.push(pyString(k), ":");
      write(v, out);
    });
    out.push("}");
  } else {
    throw new ValidationError(
      "value",
      String(value),
      `cannot serialise a ${typeof value}`,
      "pass JSON values: null, numbers, strings, booleans, arrays, objects",
    );
  }
}

// Flask's provider writes ensure_ascii=True: every non-ASCII character becomes \uXXXX.
function pyString(s: string): string {
  let r = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') r += '\\"';
    else if (ch === "\\") r += "\\\\";
    else if (ch === "\n") r += "\\n";
    else if (ch === "\r") r += "\\r";
    else if (ch === "\t") r += "\\t";
    else if (ch === "\b") r += "\\b";
    else if (ch === "\f") r += "\\f";
    else if (c < 0x20 || c > 0x7f) r += "\\u" + c.toString(16).padStart(4, "0");
    else r += ch;
  }
  return r + '"';
}
