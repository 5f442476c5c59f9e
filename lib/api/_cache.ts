/**
 * The disk cache of API answers. One file per request URL (the full URL, so a different base URL or API
 * version never shares an entry), named by the URL's SHA-256 so no key can escape the folder. Each file
 * holds a header line (the URL, the body's SHA-256 and length) and the body; it is written to a temporary
 * file and renamed into place, so a reader never sees half an entry, and checked on every read: a
 * damaged entry is deleted and refetched, never served.
 *
 * @module
 */

const FORMAT = "ratgtex-cache-1";

interface Header {
  format: string;
  url: string;
  sha256: string;
  bytes: number;
  storedAt: string;
}

/**
 * The platform's cache folder for this library: `$RATGTEX_CACHE_DIR` when set, else
 * `$XDG_CACHE_HOME/ratgtex` (Linux), `~/Library/Caches/ratgtex` (macOS), `%LOCALAPPDATA%\ratgtex\cache` (Windows).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultCacheDir } from "ratgtex";
 * assert.match(defaultCacheDir(), /ratgtex/); // e.g. "/home/me/.cache/ratgtex"
 * ```
 */
export function defaultCacheDir(): string {
  const env = (k: string) => {
    try {
      return Deno.env.get(k);
    } catch {
      return undefined;
    }
  };
  const explicit = env("RATGTEX_CACHE_DIR");
  if (explicit) return explicit;
  if (Deno.build.os === "windows") {
    return `${env("LOCALAPPDATA") ?? `${env("USERPROFILE")}\\AppData\\Local`}\\ratgtex\\cache`;
  }
  if (Deno.build.os === "darwin") return `${env("HOME")}/Library/Caches/ratgtex`;
  return `${env("XDG_CACHE_HOME") ?? `${env("HOME") ?? "/tmp"}/.cache`}/ratgtex`;
}

async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What the cache holds: counts and size. */
export interface CacheInfo {
  /** The cache folder. */
  dir: string;
  /** Number of entries. */
  entries: number;
  /** Total size in bytes. */
  bytes: number;
}

/**
 * A folder of verified, atomically written API answers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ResponseCache } from "ratgtex";
 * const cache = new ResponseCache(await Deno.makeTempDir());
 * await cache.put("https://ratgtex.org/api/v4/tissueInfo", '{"tissueInfo":[]}\n');
 * assert.equal(await cache.get("https://ratgtex.org/api/v4/tissueInfo"), '{"tissueInfo":[]}\n');
 * assert.equal(await cache.get("https://ratgtex.org/api/v4/gene?geneId=Eno1"), null);
 * ```
 */
export class ResponseCache {
  /** The folder (entries live in a subfolder named after the format version). */
  readonly dir: string;
  /** Open (lazily create) a cache in `dir`. */
  constructor(dir: string) {
    this.dir = dir;
  }

  #entryDir(): string {
    return `${this.dir}/${FORMAT}`;
  }

  async #path(url: string): Promise<string> {
    return `${this.#entryDir()}/${await sha256Hex(url)}.json`;
  }

  /** The cached body for `url`, or `null` when absent or damaged (a damaged entry is removed). */
  async get(url: string): Promise<string | null> {
    const path = await this.#path(url);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    }
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
    await Deno.mkdir(dir, { recursive: true });
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
    const tmp = `${path}.${crypto.randomUUID()}.tmp`;
    try {
      await Deno.writeFile(tmp, data);
      await Deno.rename(tmp, path);
    } catch (e) {
      await Deno.remove(tmp).catch(() => {});
      throw e;
    }
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
