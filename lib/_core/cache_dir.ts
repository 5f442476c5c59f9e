/**
 * The one policy for the library's cache folders, shared by the answer cache (API responses) and the
 * release cache (downloaded release files):
 *
 * - the default folder is the platform's cache folder for the user (`$RATGTEX_CACHE_DIR`, else
 *   `$XDG_CACHE_HOME/ratgtex` or `$HOME/.cache/ratgtex` on Linux), and there is **no** default when none of
 *   these is known: never a shared folder such as `/tmp`;
 * - a folder is trusted only when it is the user's: a directory owned by the user (when Deno may ask the
 *   user ID) and not writable by others. Anyone who can write there could plant an answer or a release file.
 *   Folders the library creates are created `0700`.
 *
 * @module
 */
import { join } from "node:path";
import { ValidationError } from "./errors.ts";

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no --allow-env for this name: as if unset
  }
}

/**
 * The platform's cache folder for this library: `$RATGTEX_CACHE_DIR` when set, else
 * `$XDG_CACHE_HOME/ratgtex` (Linux; an absolute `XDG_CACHE_HOME` only, as the XDG rules say) or
 * `$HOME/.cache/ratgtex`, `~/Library/Caches/ratgtex` (macOS), `%LOCALAPPDATA%\ratgtex\cache` (Windows).
 * `null` when none of these is known (no `HOME`): there is then no default cache, never a shared folder
 * such as `/tmp`.
 *
 * @returns The folder, or `null` when there is no home to put it in.
 */
export function defaultCacheDir(): string | null {
  const explicit = env("RATGTEX_CACHE_DIR");
  if (explicit) return explicit;
  if (Deno.build.os === "windows") {
    const local = env("LOCALAPPDATA") ?? (env("USERPROFILE") && `${env("USERPROFILE")}\\AppData\\Local`);
    return local ? `${local}\\ratgtex\\cache` : null;
  }
  const home = env("HOME");
  if (Deno.build.os === "darwin") return home ? `${home}/Library/Caches/ratgtex` : null;
  const xdg = env("XDG_CACHE_HOME");
  if (xdg?.startsWith("/")) return `${xdg}/ratgtex`;
  return home ? `${home}/.cache/ratgtex` : null;
}

/**
 * Why a folder cannot hold a cache, or `null` when it can: not a directory, writable by others, or owned
 * by another user (the owner is compared only when Deno may ask the user ID, `--allow-sys=uid`).
 *
 * @param info The folder's `Deno.stat`.
 * @returns The problem in words, or `null`.
 */
export function cacheFolderProblem(info: Deno.FileInfo): string | null {
  if (!info.isDirectory) return "is not a folder";
  if (info.mode !== null && (info.mode & 0o002) !== 0) {
    return "is writable by other users: anyone could plant files in it";
  }
  let uid: number | null = null;
  try {
    uid = Deno.uid();
  } catch {
    // No --allow-sys=uid: the owner cannot be compared (the permission check above still applies).
  }
  if (uid !== null && info.uid !== null && info.uid !== uid) {
    return `belongs to another user (uid ${info.uid}, you are ${uid})`;
  }
  return null;
}

/** The typed error for a folder that fails {@link cacheFolderProblem}. */
export function untrustedCacheFolder(dir: string, problem: string, parameter = "cacheDir"): ValidationError {
  return new ValidationError(
    parameter,
    dir,
    problem,
    `use a folder of your own (${parameter}, or RATGTEX_CACHE_DIR=$HOME/.cache/ratgtex), or fix this one: chmod go-w ${dir}`,
  );
}

/**
 * Check a cache folder (and the folders `below` it, each relative to it) against the policy; `false` when
 * one of them does not exist yet. Throws a `ValidationError` naming the first untrusted folder.
 *
 * @param dir The cache folder.
 * @param below Sub-folders to check too (e.g. an entry folder).
 * @param parameter The option that named the folder, for the error.
 * @returns Whether every folder exists (and is trusted).
 */
export async function checkCacheFolder(
  dir: string,
  below: readonly string[] = [],
  parameter = "cacheDir",
): Promise<boolean> {
  for (const folder of [dir, ...below.map((b) => join(dir, b))]) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(folder);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
    const problem = cacheFolderProblem(info);
    if (problem) throw untrustedCacheFolder(folder, problem, parameter);
  }
  return true;
}

/**
 * Create (when missing) and check a cache folder and a path of sub-folders below it, one level at a time:
 * each folder the library creates is `0700`; each folder on the way, created or found, must pass
 * {@link cacheFolderProblem}. A symlink on the way is refused (a folder of the cache is a real folder).
 *
 * @param dir The cache folder (created with its parents when missing).
 * @param below Sub-folders, outermost first (e.g. `["release", "ratgtex.org", "data", "v4", "eqtl"]`).
 * @param parameter The option that named the folder, for the error.
 * @returns The innermost folder's path.
 */
export async function ensureCacheFolder(
  dir: string,
  below: readonly string[] = [],
  parameter = "cacheDir",
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  let current = dir;
  const check = async (folder: string) => {
    const link = await Deno.lstat(folder);
    if (link.isSymlink && folder !== dir) throw untrustedCacheFolder(folder, "is a symbolic link", parameter);
    const problem = cacheFolderProblem(await Deno.stat(folder));
    if (problem) throw untrustedCacheFolder(folder, problem, parameter);
  };
  await check(current);
  for (const name of below) {
    if (name === "" || name === "." || name === ".." || /[\\/\0]/.test(name)) {
      throw new ValidationError(parameter, name, "is not a plain folder name", "a cache path never leaves its folder");
    }
    current = join(current, name);
    try {
      await Deno.mkdir(current, { mode: 0o700 });
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    await check(current);
  }
  return current;
}
