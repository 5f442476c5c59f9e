/**
 * Reading the RatGTEx server's JSON, which is not always JSON: Python's encoder writes missing floats as
 * bare `NaN` (and infinities as `Infinity`), which `JSON.parse` rejects. This reader accepts them and
 * gives JavaScript's `NaN`/`±Infinity`, without ever touching text inside strings.
 *
 * @module
 */

const TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

/**
 * Parse JSON text that may contain bare `NaN`, `Infinity` or `-Infinity` tokens (Python's `json` output).
 * Throws a `SyntaxError` for anything else that is not JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseApiJson } from "./json_read.ts";
 * const v = parseApiJson('{"log2aFC":NaN,"s":"NaN"}') as { log2aFC: number; s: string };
 * assert.ok(Number.isNaN(v.log2aFC));
 * assert.equal(v.s, "NaN"); // a string "NaN" stays a string
 * ```
 */
export function parseApiJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    // Only pay for the slow path when the fast one failed and a non-JSON token may be the reason.
    if (!/NaN|Infinity/.test(text)) throw first;
  }
  // Each bare token becomes a string with a random marker that the text cannot contain, so no real
  // string is mistaken for one; the markers are then swapped back in one iterative walk (no recursion:
  // deep nesting cannot overflow the stack).
  let marker: string;
  do marker = `\u0001rg${crypto.randomUUID()}:`; while (text.includes(marker.slice(1)));
  let found = false;
  const replaced = text.replace(TOKENS, (token) => {
    if (token.charCodeAt(0) === 34) return token; // a string: leave it alone
    found = true;
    return `"\\u0001${marker.slice(1)}${token}"`;
  });
  if (!found) return JSON.parse(text);
  const root = JSON.parse(replaced);
  const revive = (value: unknown): unknown => {
    if (typeof value !== "string" || !value.startsWith(marker)) return value;
    const token = value.slice(marker.length);
    return token === "NaN" ? NaN : token === "Infinity" ? Infinity : -Infinity;
  };
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (typeof v === "object" && v !== null) stack.push(v);
      else record[key] = revive(v);
    }
  }
  return revive(root);
}
