/**
 * Reading the RatGTEx server's JSON, which is not always JSON: Python's encoder writes missing floats as
 * bare `NaN` (and infinities as `Infinity`), which `JSON.parse` rejects. This reader accepts them as
 * values (never as object keys) and gives JavaScript's `NaN`/`±Infinity`, without ever touching text
 * inside strings. Every path is one pass over the text (linear time, whatever the input): a hostile body
 * cannot freeze the event loop for longer than reading it once.
 *
 * @module
 */

/** The mark {@link parseApiJson} puts on a `SyntaxError` for text that ended before its value did. */
const TRUNCATED = Symbol("truncated JSON");

/**
 * Whether `error` (thrown by {@link parseApiJson}) says the text ended in the middle of a value (an
 * unterminated string, an open `[` or `{`): the body was cut short, unlike any other bad body.
 */
export function isTruncatedJson(error: unknown): boolean {
  return error instanceof SyntaxError && (error as { [TRUNCATED]?: boolean })[TRUNCATED] === true;
}

function syntaxError(message: string, truncated: boolean): SyntaxError {
  const error = new SyntaxError(message);
  if (truncated) Object.defineProperty(error, TRUNCATED, { value: true });
  return error;
}

/** V8's messages for text that ended before the value did, and the position it names. */
const AT_END = /end of JSON input|Unterminated string/i;
const POSITION = /at position (\d+)/;

/** The `SyntaxError` of `JSON.parse(text)`, marked when the failure is at the end of `text`. */
function fromJsonParse(e: unknown, text: string): SyntaxError {
  const message = e instanceof Error ? e.message : String(e);
  const at = POSITION.exec(message);
  return syntaxError(message, AT_END.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length));
}

/**
 * Parse JSON text that may contain bare `NaN`, `Infinity` or `-Infinity` tokens (Python's `json` output).
 * Throws a `SyntaxError` for anything else that is not JSON ({@link isTruncatedJson} tells a cut-short text).
 */
export function parseApiJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    // Only pay for the slow path when the fast one failed and a non-JSON token may be the reason.
    if (!/NaN|Infinity/.test(text)) throw fromJsonParse(first, text);
  }
  // Each bare token becomes a string with a random marker that the text cannot contain, so no real
  // string is mistaken for one; the markers are then swapped back in one iterative walk (no recursion:
  // deep nesting cannot overflow the stack).
  let marker: string;
  do marker = `\u0001rg${crypto.randomUUID()}:`; while (text.includes(marker.slice(1)));
  const replaced = replaceBareTokens(text, `"\\u0001${marker.slice(1)}`);
  if (replaced === null) return JSON.parse(text);
  let root: unknown;
  try {
    root = JSON.parse(replaced);
  } catch (e) {
    throw fromJsonParse(e, replaced);
  }
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
      if (key.startsWith(marker)) throw syntaxError(`a bare ${key.slice(marker.length)} as an object key`, false);
      const v = record[key];
      if (typeof v === "object" && v !== null) stack.push(v);
      else record[key] = revive(v);
    }
  }
  return revive(root);
}

const QUOTE = 34, BACKSLASH = 92;
const BARE = ["-Infinity", "Infinity", "NaN"] as const;

/**
 * The text with every bare token outside strings written as `open + token + "`, or null when it has none.
 * One left-to-right pass; an unterminated string is a truncated body.
 */
function replaceBareTokens(text: string, open: string): string | null {
  const parts: string[] = [];
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: its end is the next quote not escaped by a backslash.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === QUOTE) break;
        else i++;
      }
      if (i >= n) throw syntaxError("Unterminated string in JSON", true);
      continue;
    }
    if (c !== 78 && c !== 73 && c !== 45) continue; // N, I, -
    const token = BARE.find((t) => text.startsWith(t, i));
    if (!token) continue;
    parts.push(text.slice(copied, i), open, token, '"');
    i += token.length - 1;
    copied = i + 1;
  }
  if (parts.length === 0) return null;
  parts.push(text.slice(copied));
  return parts.join("");
}
