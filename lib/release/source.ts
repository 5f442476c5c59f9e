/**
 * The one way the readers reach the bytes of a release: a {@link ReleaseSource} gives each file as a
 * {@link ByteSource} (ranged reads), whether the release is a local folder (read in place) or a remote URL
 * (HTTP ranges, or a verified download into the cache: `remote.ts`). The caps on what a reader may
 * decompress or parse ({@link ReadLimits}) travel with the source.
 *
 * A local folder is a boundary: a file is opened only when its real path (every symlink resolved) lies
 * inside the folder's real path and is a regular file; a link to `/etc/passwd`, to a folder outside, or a
 * FIFO is refused with a typed error naming the file.
 *
 * @module
 */
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { ReleaseFormatError, ValidationError } from "../_core/errors.ts";

/**
 * The caps on reading a release's files: each bounds the memory one file, member, index or line can take,
 * whatever the file holds (a decompression bomb stops at the cap with a {@link ReleaseTooLargeError}
 * naming the file and the cap). Raise one for a release whose files are legitimately larger.
 */
export interface ReadLimits {
  /**
   * Decompressed bytes of one file read whole or streamed (tables, BEDs, covariates): default 512 MiB. A table
   * read into a frame costs up to about 4 times its text (measured: 512 MiB of valid rows, +1.9 GiB peak RSS),
   * so this cap also bounds the memory a hostile table can take; raise it for a release's largest files
   * (`cis_qtl_signif` of a real release can pass it) on a machine with the memory.
   */
  maxFileBytes: number;
  /** One line of any text file (a VCF record, a BED row): default 16 MiB. */
  maxLineBytes: number;
  /** One zip member, inflated (a gene's `cis_pvals` or `all_gene_esnps` file): default 64 MiB. */
  maxMemberBytes: number;
  /** A zip's central directory, a tabix index (decompressed), a VCF header: default 64 MiB. */
  maxIndexBytes: number;
  /**
   * One region read of the genotype VCF (one tabix chunk): compressed bytes fetched and bytes decompressed:
   * default 64 MiB (read a large region in pieces, or raise it).
   */
  maxChunkBytes: number;
  /** One file downloaded into the cache (a remote release): default 8 GiB. */
  maxDownloadBytes: number;
}

const MiB = 2 ** 20;

/** The default {@link ReadLimits}. */
export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxFileBytes: 512 * MiB,
  maxLineBytes: 16 * MiB,
  maxMemberBytes: 64 * MiB,
  maxIndexBytes: 64 * MiB,
  maxChunkBytes: 64 * MiB,
  maxDownloadBytes: 8192 * MiB,
});

/**
 * The caps to use: the defaults with `partial`'s values over them, each checked (a positive integer).
 *
 * @param partial Caps to change.
 * @param parameter The option's name, for errors.
 * @returns Every cap.
 */
export function readLimits(partial: Partial<ReadLimits> = {}, parameter = "limits"): ReadLimits {
  if (partial === null || typeof partial !== "object") {
    throw new ValidationError(parameter, partial, "must be an object of caps", "e.g. { maxFileBytes: 2 ** 31 }");
  }
  const out: ReadLimits = { ...DEFAULT_READ_LIMITS };
  for (const [key, value] of Object.entries(partial)) {
    if (!Object.hasOwn(DEFAULT_READ_LIMITS, key)) {
      throw new ValidationError(
        `${parameter}.${key}`,
        value,
        "is not a reading cap",
        `one of ${Object.keys(DEFAULT_READ_LIMITS).join(", ")}`,
      );
    }
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
      throw new ValidationError(`${parameter}.${key}`, value, "must be a positive number of bytes", "e.g. 2 ** 30");
    }
    out[key as keyof ReadLimits] = value;
  }
  return out;
}

/** Ranged reads of one file. */
export interface ByteSource {
  /** The file, as errors name it (release-relative, e.g. `eqtl/top_assoc.v4_rn8.tsv`). */
  readonly name: string;
  /** Total size in bytes. */
  size(): Promise<number>;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Where a release's files come from: a local folder or a remote release. Paths are relative to the
 * release folder (`data/v4/`), as `layout.ts` names them.
 */
export interface ReleaseSource {
  /** The folder's absolute path, or the release's URL. */
  readonly location: string;
  /** The caps readers apply to this release's files. */
  readonly limits: ReadLimits;
  /** Random access to a file without copying it (local: in place; remote: HTTP range requests). */
  ranged(rel: string): ByteSource;
  /** A file to be read whole (local: in place; remote: downloaded once into the cache, verified, then read there). */
  whole(rel: string): Promise<ByteSource>;
  /** Whether the release has the file (local: a regular file inside the folder). */
  has(rel: string): Promise<boolean>;
  /**
   * The same kind of source over the folder above (`data/`, where the Predict page's `predict/` lives
   * beside `v4/`), with the same caps (and, remotely, the same cache and fetch); undefined when the source
   * has none.
   */
  parent?(): ReleaseSource;
}

/**
 * Bytes in memory as a {@link ByteSource} (a zip member, a test's file).
 */
export function memoryBytes(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: () => Promise.resolve(bytes.length),
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, Math.min(bytes.length, offset + length))),
  };
}

/** A release-relative path that stays inside the folder: no absolute path, no `..`, no NUL, no backslash. */
export function checkRelative(rel: string, parameter = "path"): string {
  if (
    typeof rel !== "string" || rel === "" || isAbsolute(rel) || rel.includes("\0") || rel.includes("\\") ||
    rel.split("/").some((part) => part === ".." || part === "")
  ) {
    throw new ValidationError(parameter, rel, "is not a path inside the release folder", "name a file of data/v4/");
  }
  return rel;
}

/** A local release folder: every file opened only inside it (symlinks resolved and checked). */
export class FolderSource implements ReleaseSource {
  /** The folder's absolute path as given. */
  readonly location: string;
  /** The caps. */
  readonly limits: ReadLimits;
  #real: Promise<string> | null = null;

  /** A source over `dir` (the folder holding `tissue_info.v4.tsv`). */
  constructor(dir: string, limits: Partial<ReadLimits> = {}) {
    this.location = dir;
    this.limits = readLimits(limits);
  }

  /**
   * The real path of a file of the folder: every symlink resolved, inside the folder's own real path, a
   * regular file. A typed error otherwise (`Deno.errors.NotFound` when the file does not exist).
   */
  async resolve(rel: string): Promise<string> {
    checkRelative(rel);
    this.#real ??= Deno.realPath(this.location);
    const root = await this.#real;
    const real = await Deno.realPath(join(this.location, rel));
    const inside = relative(root, real);
    if (inside === "" || inside.startsWith("..") || isAbsolute(inside) || inside.split(sep)[0] === "..") {
      throw new ReleaseFormatError(
        { file: rel },
        "is a link to a file outside the release folder (only files inside the folder are read)",
        { hint: "replace the link by a copy of the file, or link to a file inside the folder" },
      );
    }
    const info = await Deno.stat(real);
    if (!info.isFile) {
      throw new ReleaseFormatError({ file: rel }, `is not a regular file (${kindOfEntry(info)})`, {
        hint: "a release's files are regular files",
      });
    }
    return real;
  }

  /** The folder above, as a source with the same caps (its own boundary: files inside it only). */
  parent(): ReleaseSource {
    return new FolderSource(dirname(resolve(this.location)), this.limits);
  }

  /** Whether `rel` is a regular file inside the folder. */
  async has(rel: string): Promise<boolean> {
    try {
      await this.resolve(rel);
      return true;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof ReleaseFormatError) return false;
      throw e;
    }
  }

  /** Ranged reads of a file of the folder (resolved and checked on each open; no descriptor kept). */
  ranged(rel: string): ByteSource {
    checkRelative(rel);
    const open = async (): Promise<Deno.FsFile> => {
      const file = await Deno.open(await this.resolve(rel), { read: true });
      if (!(await file.stat()).isFile) {
        file.close();
        throw new ReleaseFormatError({ file: rel }, "is not a regular file");
      }
      return file;
    };
    return {
      name: rel,
      size: async () => {
        using file = await open();
        return (await file.stat()).size;
      },
      read: async (offset, length) => {
        using file = await open();
        return await readAt(file, offset, length);
      },
    };
  }

  /** The same as {@link FolderSource.ranged}: a local file is read in place. */
  whole(rel: string): Promise<ByteSource> {
    return Promise.resolve(this.ranged(rel));
  }
}

/** `length` bytes from `offset` of an open file (fewer at its end). */
export async function readAt(file: Deno.FsFile, offset: number, length: number): Promise<Uint8Array> {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`bad read: ${length} bytes at ${offset}`);
  }
  await file.seek(offset, Deno.SeekMode.Start);
  const out = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = await file.read(out.subarray(got));
    if (n === null) break;
    got += n;
  }
  return out.subarray(0, got);
}

function kindOfEntry(info: Deno.FileInfo): string {
  if (info.isDirectory) return "a folder";
  if (info.isFifo) return "a FIFO";
  if (info.isCharDevice || info.isBlockDevice) return "a device";
  if (info.isSocket) return "a socket";
  return "not a file";
}
