/**
 * The one check of an options object: unknown keys (with a did-you-mean), wrong types and `null` are a
 * {@link ValidationError} naming `options` (or the parameter name given), before anything is sent.
 *
 * @module
 */
import { ValidationError } from "./errors.ts";

/** What one option must be: a `typeof` name, or a test with the words for what it expects. */
export type OptionType =
  | "boolean"
  | "string"
  | "number"
  | "function"
  | "object"
  | { is: (value: unknown) => boolean; expected: string };

/** The options a function takes, by name. */
export type OptionSpec = Readonly<Record<string, OptionType>>;

/** How to word the error: the parameter's name (default `"options"`), a usage line, and the route. */
export interface OptionContext {
  /** The parameter's name in the error (default `"options"`). */
  name?: string;
  /** How to call it right, shown as the fix. */
  usage: string;
  /** The route, when the options belong to one. */
  route?: string;
}

/**
 * Check an options object against its spec; returns it (`{}` for `undefined`). A key whose value is
 * `undefined` counts as absent.
 */
export function checkOptions<T extends object>(value: unknown, spec: OptionSpec, context: OptionContext): T {
  const name = context.name ?? "options";
  if (value === undefined) return {} as T;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(
      name,
      value,
      `expected an object${value === null ? ", got null (leave it out instead)" : ""}`,
      context.usage,
      context.route,
    );
  }
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    const type = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (type === undefined) {
      const near = didYouMean(key, Object.keys(spec));
      throw new ValidationError(
        name,
        value,
        `unknown option ${JSON.stringify(key)}${near ? ` (did you mean ${near}?)` : ""}; known: ${
          Object.keys(spec).join(", ")
        }`,
        context.usage,
        context.route,
      );
    }
    if (v === undefined) continue;
    const ok = typeof type === "string" ? typeof v === type && v !== null : type.is(v);
    if (!ok) {
      const expected = typeof type === "string" ? `a ${type}` : type.expected;
      throw new ValidationError(
        name,
        value,
        `option ${key} must be ${expected}, got ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v}`,
        context.usage,
        context.route,
      );
    }
  }
  return value as T;
}

/**
 * The closest of `candidates` to `word` (case-insensitive, at most two edits, or one a prefix of the
 * other), or null.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const limit = Math.min(2, Math.floor(w.length / 2));
  return best !== null && bestDistance <= limit ? best : null;
}

/**
 * The candidates closest to `word`: exact case-insensitive matches first, then by edit distance (at most
 * `maxDistance`, default a third of the word's length, at least 1), at most `n` of them.
 */
export function closest(
  word: string,
  candidates: Iterable<string>,
  n = 3,
  maxDistance = Math.max(1, Math.floor(word.length / 3)),
): string[] {
  const w = word.toLowerCase();
  const scored: [string, number][] = [];
  for (const c of candidates) {
    if (Math.abs(c.length - w.length) > maxDistance) continue;
    const lower = c.toLowerCase();
    const d = lower === w ? -1 : editDistance(w, lower);
    if (d <= maxDistance) scored.push([c, d]);
  }
  scored.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return scored.slice(0, n).map(([c]) => c);
}

/** Levenshtein distance, with a swap of two neighbours counting as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
