/**
 * The library's hints speak code (`createClient({ source: 'offline' })`); on the command line the same
 * advice is given as flags (`--source offline`). One table of phrases, applied to every error and warning
 * the command line prints.
 *
 * @module
 */

/** Library phrase → command-line phrase. */
const PHRASES: readonly [string | RegExp, string][] = [
  [
    "work offline with createClient({ source: 'offline' }) / RATGTEX_SOURCE=offline",
    "work offline with --source offline (or RATGTEX_SOURCE=offline)",
  ],
  ["(or use the offline source: RATGTEX_SOURCE=offline)", "(or use the offline source: --source offline)"],
  ["lower `concurrency`", "lower --concurrency"],
  ["raise `timeoutMs` in createClient()", "set RATGTEX_SOURCE or --source to a faster mirror"],
  [
    "Set cacheDir (or RATGTEX_CACHE_DIR) to a writable folder, allow it with --allow-write=<folder>, or pass cache: false.",
    "Give --cache-dir (or RATGTEX_CACHE_DIR) a writable folder, allow it with --allow-write=<folder>, or pass --no-cache.",
  ],
  [/e\.g\. createClient\(\{ concurrency: (\d+) \}\)/, "e.g. --concurrency $1"],
];

/**
 * A library message with its advice in command-line terms.
 */
export function cliText(text: string): string {
  let out = text;
  for (const [from, to] of PHRASES) out = typeof from === "string" ? out.replaceAll(from, to) : out.replace(from, to);
  return out;
}
