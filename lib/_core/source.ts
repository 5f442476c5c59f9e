/**
 * Where answers come from: the one place that reads `RATGTEX_SOURCE`.
 *
 * @module
 */

/** The live API. */
export const LIVE_BASE_URL = "https://ratgtex.org/api/v4";

/** The environment variable that names the default source. */
export const SOURCE_ENV = "RATGTEX_SOURCE";

/**
 * The source to use: `explicit` when given (trimmed, non-empty), else `$RATGTEX_SOURCE` (trimmed,
 * non-empty), else `fallback` (`"live"` unless a caller such as the demo says otherwise). Without
 * `--allow-env` the variable reads as unset. The value is not checked here: `createClient` does.
 *
 * @param explicit A source given by the caller (an option or a flag), if any.
 * @param fallback The source when neither is set.
 * @returns `"live"`, `"offline"` or a base URL.
 */
export function resolveSource(explicit?: string, fallback: string = "live"): string {
  const given = explicit?.trim();
  if (given) return given;
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get(SOURCE_ENV)?.trim();
  } catch {
    fromEnv = undefined; // no --allow-env: as if unset
  }
  return fromEnv || fallback;
}
