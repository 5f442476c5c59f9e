/**
 * Paths the user typed are relative to where the user stands. `deno task` runs its command in the
 * project folder, and sets `INIT_CWD` to the folder the task was started from: a relative path is
 * resolved against it (against the working folder when it is unset or not readable).
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";

/** The folder the user started from: `INIT_CWD` (set by `deno task`) or the working folder. */
export function userFolder(): string {
  try {
    const init = Deno.env.get("INIT_CWD");
    if (init && isAbsolute(init)) return init;
  } catch {
    // No --allow-env for it: the working folder.
  }
  return Deno.cwd();
}

/**
 * A path as the user meant it: absolute paths as they are, relative ones against {@link userFolder}.
 */
export function userPath(path: string): string {
  // "-" (standard input/output) and URLs are not paths.
  if (path === "-" || isAbsolute(path) || /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path;
  return resolve(userFolder(), path);
}

/** The options whose values are paths (resolved by {@link userPath} as soon as they are parsed). */
export const PATH_OPTIONS: readonly string[] = ["out", "cache-dir", "html"];
