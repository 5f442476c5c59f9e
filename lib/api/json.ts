/**
 * Reading the RatGTEx server's JSON, which is not always JSON: Python's encoder writes missing floats as
 * bare `NaN` (and infinities as `Infinity`), which `JSON.parse` rejects. This reader accepts them and
 * gives JavaScript's `NaN`/`±Infinity`, without ever touching text inside strings.
 *
 * @module
 */

const MARK = "\u0000ratgtex:";
const TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

/**
 * Parse JSON text that may contain bare `NaN`, `Infinity` or `-Infinity` tokens (Python's `json` output).
 * Throws a `SyntaxError` for anything else that is not JSON.
 *
 * @example
 * ```ts
 * import { parseApiJson } from "ratgtex";
 * const v = parseApiJson('{"log2aFC":NaN,"s":"NaN"}') as { log2aFC: number; s: string };
 * Number.isNaN(v.log2aFC); // true; v.s is still the string "NaN"
 * ```
 */
export function parseApiJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    // Only pay for the slow path when the fast one failed and a non-JSON token may be the reason.
    if (!/NaN|Infinity/.test(text)) throw first;
  }
  let found = false;
  const replaced = text.replace(TOKENS, (token) => {
    if (token.charCodeAt(0) === 34) return token; // a string: leave it alone
    found = true;
    return `"\\u0000ratgtex:${token}"`; // parses to MARK + token
  });
  if (!found) return JSON.parse(text);
  return JSON.parse(replaced, (_key, value) => {
    if (typeof value === "string" && value.startsWith(MARK)) {
      const token = value.slice(MARK.length);
      return token === "NaN" ? NaN : token === "Infinity" ? Infinity : -Infinity;
    }
    return value;
  });
}
