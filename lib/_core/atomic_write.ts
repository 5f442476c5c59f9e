/**
 * The one way this library writes a file or a folder that someone may be reading: whole or not at all.
 * A file is written to a temporary file beside it and renamed over it; a folder is filled beside it and
 * swapped in by renames. A failure leaves the old file or folder as it was.
 *
 * What `path` already is decides how (with `existing: "follow"`, the default, for files a user names):
 *
 * - nothing: a new file, mode 0666 minus the user's umask;
 * - a regular file: replaced by rename, keeping its mode (and owner, when allowed);
 * - a regular file with other hard links: rewritten in place (a rename would break the links), after the
 *   new content is complete in memory;
 * - a symlink: written through to its target by these same rules (a dangling link is refused);
 * - a FIFO, a character or block device, or anything under `/dev/` or `/proc/`: written in place, never
 *   renamed over (a reader of a FIFO gets the data; a device stays a device). `/dev/stdout` and
 *   `/dev/stderr` (and their `/dev/fd/N` names) are the process's own streams; other devices need Deno's
 *   `--allow-all`, as Deno requires for them.
 *
 * With `existing: "replace"` (private files such as cache entries) the path is always replaced by rename,
 * whatever it is; the temporary file is created exclusively, never through a planted file or link.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { ValidationError } from "./errors.ts";

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Mode of a new file (default 0o666, minus the umask). An existing file keeps its own. */
  mode?: number;
  /** `"follow"` (default): the rules above; `"replace"`: always a new file renamed over `path`. */
  existing?: "follow" | "replace";
}

/**
 * Write `data` to `path` whole or not at all (see the module's rules for symlinks, special files, hard
 * links and modes).
 *
 * @param path The file.
 * @param data Its new content (text is written as UTF-8).
 * @param options A new file's mode; how an existing path is treated.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  if (options.existing === "replace") return await replaceFile(path, bytes, options.mode, null);
  const target = await resolveTarget(path);
  if (target.kind === "special") return await writeInPlace(target.path, bytes, false);
  if (target.kind === "new") return await replaceFile(target.path, bytes, options.mode, null);
  if (target.info.nlink !== null && target.info.nlink > 1) return await writeInPlace(target.path, bytes, true);
  return await replaceFile(target.path, bytes, undefined, target.info);
}

type Target =
  | { kind: "new"; path: string }
  | { kind: "file"; path: string; info: Deno.FileInfo }
  | { kind: "special"; path: string };

/** What `path` is, symlinks followed to the real file. */
async function resolveTarget(path: string): Promise<Target> {
  if (/^\/(dev|proc)\//.test(path)) return { kind: "special", path };
  let link: Deno.FileInfo;
  try {
    link = await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { kind: "new", path };
    throw e;
  }
  if (!link.isSymlink) {
    return link.isFile ? { kind: "file", path, info: link } : special(path, link);
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new ValidationError(
      "out",
      path,
      "is a symlink to nothing (a dangling link): it is not followed to create a file",
      "remove the link, or point it at an existing file",
    );
  }
  if (!info.isFile) return special(path, info);
  return { kind: "file", path: await Deno.realPath(path), info };
}

function special(path: string, info: Deno.FileInfo): Target {
  if (info.isDirectory) {
    throw new ValidationError("out", path, "is a folder", "name a file inside it, e.g. out/genes.tsv");
  }
  return { kind: "special", path };
}

/** Write into the existing file or device itself (no rename): truncated first when it is a regular file. */
async function writeInPlace(path: string, bytes: Uint8Array, truncate: boolean): Promise<void> {
  // The standard streams by name: Deno opens other /dev paths only with --allow-all.
  const stream = STANDARD[path];
  const file = stream ? stream() : await Deno.open(path, { write: true, truncate });
  try {
    let offset = 0;
    while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
  } finally {
    if (!stream) file.close();
  }
}

const STANDARD: Record<string, () => { write(p: Uint8Array): Promise<number>; close(): void }> = {
  "/dev/stdout": () => Deno.stdout,
  "/dev/fd/1": () => Deno.stdout,
  "/proc/self/fd/1": () => Deno.stdout,
  "/dev/stderr": () => Deno.stderr,
  "/dev/fd/2": () => Deno.stderr,
  "/proc/self/fd/2": () => Deno.stderr,
};

/** A temporary file beside `path` (created exclusively), then renamed over it; `like` gives its mode and owner. */
async function replaceFile(path: string, bytes: Uint8Array, mode: number | undefined, like: Deno.FileInfo | null) {
  const tmp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeFile(tmp, bytes, { createNew: true, ...(mode === undefined ? {} : { mode }) });
    if (like?.mode != null) await Deno.chmod(tmp, like.mode & 0o7777);
    if (like?.uid != null && like.gid != null) await Deno.chown(tmp, like.uid, like.gid).catch(() => {});
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** Names of the two sibling folders {@link replaceDirAtomic} uses. */
export interface DirSwapNames {
  /** The folder being filled (default `<target>.tmp`). */
  tmp?: string;
  /** Where the old folder goes during the swap (default `<target>.old`). */
  old?: string;
}

/**
 * Replace the folder `target` by one that `fill` writes: `fill` fills a fresh sibling folder, which is
 * then swapped in by two renames, so the folder is never half-written (a crash leaves the old folder or
 * the new one, plus a stray sibling). A failure of `fill` leaves the old folder untouched.
 *
 * @param target The folder.
 * @param fill Writes the new content into the folder it is given.
 * @param names The sibling folders' names (fixed names let a permission flag name them).
 */
export async function replaceDirAtomic(
  target: string,
  fill: (dir: string) => Promise<unknown>,
  names: DirSwapNames = {},
): Promise<void> {
  const clean = target.replace(/\/+$/, "");
  const tmp = names.tmp ?? `${clean}.tmp`;
  const old = names.old ?? `${clean}.old`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  await Deno.mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  await Deno.remove(old, { recursive: true }).catch(() => {});
  const existed = await Deno.rename(clean, old).then(() => true, (e) => {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  });
  await Deno.rename(tmp, clean);
  if (existed) await Deno.remove(old, { recursive: true });
}
