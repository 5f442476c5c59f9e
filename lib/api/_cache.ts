/**
 * The disk cache of API answers. One file per request URL (the full URL, so a different base URL or API
 * version never shares an entry), named by the URL's SHA-256 so no key can escape the folder. Each file
 * holds a header line (the URL, the body's SHA-256 and length) and the body; it is written to a temporary
 * file and renamed into place, so a reader never sees half an entry, and checked on every read: a
 * damaged entry is deleted and refetched, never served.
 *
 * The folder is trusted only when it is the user's: one owned by another user or writable by others is
 * refused (anyone who can write there could plant an answer with a matching checksum). An entry is read
 * only when it is a regular file (checked with `lstat`, never through a symlink, and again on the open
 * handle), no bigger than the cache's `maxEntryBytes`, with a bounded read: a FIFO, a device or a link to
 * `/dev/zero` planted in the folder is removed, never opened.
 *
 * @module
 */
import type { CacheInfo } from "./client_options.ts";
import { writeFileAtomic } from "../_core/atomic_write.ts";
import { checkCacheFolder, defaultCacheDir } from "../_core/cache_dir.ts";

/** The platform's cache folder (the one policy of `_core/cache_dir.ts`, shared with the release cache). */
export { defaultCacheDir };

const FORMAT = "ratgtex-cache-1";

interface Header {
  format: string;
  url: string;
  sha256: string;
  bytes: number;
  storedAt: string;
}

/** Options of a {@link ResponseCache}. */
export interface ResponseCacheOptions {
  /** Largest entry read, in bytes (default 64 MiB plus room for the header); a bigger file is removed unread. */
  maxEntryBytes?: number;
}

/** The header line's room above the body. */
const HEADER_BYTES = 64 * 1024;

async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A folder of verified, atomically written API answers.
 */
export class ResponseCache {
  /** The folder (entries live in a subfolder named after the format version). */
  readonly dir: string;
  /** Largest entry read, in bytes. */
  readonly maxEntryBytes: number;
  /** Open (lazily create) a cache in `dir`. */
  constructor(dir: string, options: ResponseCacheOptions = {}) {
    this.dir = dir;
    this.maxEntryBytes = options.maxEntryBytes ?? 64 * 2 ** 20 + HEADER_BYTES;
  }

  #trusted = false;

  /**
   * Check (until it passes once) that the folder and its entry folder are the user's: directories owned
   * by the user (when Deno may ask the user ID) and not writable by others. False when they do not exist yet.
   */
  async #checkFolder(): Promise<boolean> {
    if (this.#trusted) return true;
    return this.#trusted = await checkCacheFolder(this.dir, [FORMAT]);
  }

  #entryDir(): string {
    return `${this.dir}/${FORMAT}`;
  }

  async #path(url: string): Promise<string> {
    return `${this.#entryDir()}/${await sha256Hex(url)}.json`;
  }

  /** The cached body for `url`, or `null` when absent or damaged (a damaged entry is removed). */
  async get(url: string): Promise<string | null> {
    if (!await this.#checkFolder()) return null;
    const path = await this.#path(url);
    const bytes = await this.#readEntry(path);
    if (bytes === null) return null;
    const newline = bytes.indexOf(10);
    try {
      if (newline >= 0) {
        const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, newline))) as Header;
        const body = bytes.subarray(newline + 1);
        if (
          header.format === FORMAT && header.url === url && header.bytes === body.length &&
          header.sha256 === await sha256Hex(body)
        ) return new TextDecoder("utf-8", { fatal: true }).decode(body);
      }
    } catch {
      // an unreadable header or a body that is not UTF-8: damaged, like a mismatch
    }
    // No header, another format or URL, or a body that does not match its checksum: never served.
    await Deno.remove(path).catch(() => {});
    return null;
  }

  /**
   * An entry's bytes: only a regular file (lstat: a symlink, FIFO or device is removed unopened), the same
   * file once open (fstat), at most `maxEntryBytes` (a bigger one is removed), read no further than that.
   */
  async #readEntry(path: string): Promise<Uint8Array | null> {
    let before: Deno.FileInfo;
    try {
      before = await Deno.lstat(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    }
    if (!before.isFile || before.size > this.maxEntryBytes) {
      await Deno.remove(path).catch(() => {});
      return null;
    }
    const file = await Deno.open(path, { read: true });
    try {
      const after = await file.stat();
      if (!after.isFile || after.ino !== before.ino || after.dev !== before.dev) return null; // swapped meanwhile
      const size = Math.min(after.size, this.maxEntryBytes);
      const bytes = new Uint8Array(size);
      let at = 0;
      while (at < size) {
        const n = await file.read(bytes.subarray(at));
        if (n === null) break;
        at += n;
      }
      return bytes.subarray(0, at);
    } finally {
      file.close();
    }
  }

  #swept = false;

  /**
   * Remove temporary files older than `maxAgeMs` (default 10 minutes): what a writer killed mid-write
   * leaves. They are never read (entries are only read at their final name); this only frees the space.
   * Done once per cache object, on its first write. Returns the number removed.
   */
  async removeStaleTemporaryFiles(maxAgeMs = 10 * 60_000): Promise<number> {
    let removed = 0;
    const now = Date.now();
    try {
      for await (const e of Deno.readDir(this.#entryDir())) {
        if (!e.isFile || !e.name.endsWith(".tmp")) continue;
        const path = `${this.#entryDir()}/${e.name}`;
        const stat = await Deno.stat(path).catch(() => null);
        if (stat?.mtime && now - stat.mtime.getTime() > maxAgeMs) {
          await Deno.remove(path).then(() => removed++, () => {});
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    return removed;
  }

  /** Store `body` for `url`: written to a temporary file, then renamed into place. */
  async put(url: string, body: string): Promise<void> {
    const dir = this.#entryDir();
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    if (!await this.#checkFolder()) throw new Deno.errors.NotFound(`${dir} vanished while writing`);
    if (!this.#swept) {
      this.#swept = true;
      await this.removeStaleTemporaryFiles();
    }
    const path = await this.#path(url);
    const bytes = new TextEncoder().encode(body);
    const header: Header = {
      format: FORMAT,
      url,
      sha256: await sha256Hex(bytes),
      bytes: bytes.length,
      storedAt: new Date().toISOString(),
    };
    const head = new TextEncoder().encode(JSON.stringify(header) + "\n");
    const data = new Uint8Array(head.length + bytes.length);
    data.set(head);
    data.set(bytes, head.length);
    // A private file: always renamed over whatever is at `path`, the temporary file created exclusively.
    await writeFileAtomic(path, data, { mode: 0o600, existing: "replace" });
  }

  /** Remove the entry for `url`, if any. */
  async delete(url: string): Promise<void> {
    await Deno.remove(await this.#path(url)).catch(() => {});
  }

  /** Remove every entry (and stray temporary files). */
  async clear(): Promise<void> {
    await Deno.remove(this.#entryDir(), { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }

  /** Count the entries and their size. */
  async info(): Promise<CacheInfo> {
    let entries = 0, bytes = 0;
    try {
      for await (const e of Deno.readDir(this.#entryDir())) {
        if (!e.isFile || !e.name.endsWith(".json")) continue;
        entries++;
        bytes += (await Deno.stat(`${this.#entryDir()}/${e.name}`)).size;
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    return { dir: this.dir, entries, bytes };
  }
}
