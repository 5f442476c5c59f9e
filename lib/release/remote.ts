/**
 * A remote release (e.g. `https://ratgtex.org/data/v4`) as a {@link ReleaseSource}, held to what the API
 * client holds to:
 *
 * - **ranged reads** (the genotype VCF and its index, the zips' directories and members) by HTTP range
 *   requests: each answer must be a `206` whose `Content-Range` starts where asked, ends within the
 *   request and gives the size first seen; its body is read no further than that; `If-Range` carries the
 *   file's validator (a file changed on the server is an error, never spliced);
 * - **downloads** (files read whole) into the cache folder, one at a time and only when a query needs
 *   them: the server must announce the size (`Content-Length`, at most `maxDownloadBytes`), the body is
 *   never written past it, the file is written to `<file>.part` and renamed into place only when whole;
 *   an interrupted transfer keeps its `.part` only when the server gave a validator (ETag or
 *   Last-Modified), and resumes with `Range` + `If-Range`, the range's start and total checked; every other
 *   failure removes the `.part`. Two processes downloading the same file coordinate by a lock (the second
 *   waits and takes the first's file);
 * - **same-origin redirects only** (at most 5), and a **timeout on every step** (the answer's headers,
 *   then each piece of its body);
 * - **the cache** follows the one policy of `_core/cache_dir.ts` (no cache without HOME unless given, the
 *   user's own folders, 0700), and its files are opened without following links: a cached file or a
 *   `.part` that is a symlink, a FIFO or a device is removed, never read or written through.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { defaultCacheDir, ensureCacheFolder } from "../_core/cache_dir.ts";
import {
  HttpError,
  NetworkError,
  RatGtexError,
  ReleaseFormatError,
  ReleaseTooLargeError,
  TimeoutError,
  ValidationError,
} from "../_core/errors.ts";
import { escapeControl } from "../_core/escape.ts";
import { type ByteSource, checkRelative, readAt, type ReadLimits, readLimits, type ReleaseSource } from "./source.ts";

/** Progress of one download. */
export interface DownloadProgress {
  /** The file's URL. */
  url: string;
  /** Bytes on disk so far. */
  bytes: number;
  /** Total size, when the server said. */
  total: number | null;
}

/** Options of a remote release. */
export interface RemoteOptions {
  /**
   * Cache folder (downloads go to `<cacheDir>/release/<host>/<path>/…`); default the platform's cache
   * folder (`$RATGTEX_CACHE_DIR`, `$XDG_CACHE_HOME/ratgtex`, `~/.cache/ratgtex`). Without one (no HOME),
   * a query that needs a download fails with the fix; ranged reads need no cache.
   */
  cacheDir?: string;
  /** The fetch to use (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
  /** Called as bytes arrive. */
  onProgress?: (p: DownloadProgress) => void;
  /** Longest wait for each step of a request (the answer's headers, then each piece of its body): default 30 s. */
  timeoutMs?: number;
  /** Caps on reading and downloading (default {@link DEFAULT_READ_LIMITS}). */
  limits?: Partial<ReadLimits>;
}

/** The default wait for each step of a request to a remote release. */
export const DEFAULT_RELEASE_TIMEOUT_MS = 30_000;

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Redirects followed for one request (all within the release's origin). */
const MAX_REDIRECTS = 5;
/** The largest `.part.json` sidecar read. */
const META_BYTES = 4096;

/** What a partial download was started against: checked when it resumes. */
interface PartMeta {
  url: string;
  total: number;
  etag: string | null;
  lastModified: string | null;
}

/** A remote release: ranged reads over HTTP, whole files downloaded into the cache. */
export class RemoteSource implements ReleaseSource {
  /** The release's URL (no trailing slash). */
  readonly location: string;
  /** The caps. */
  readonly limits: ReadLimits;
  /** The wait for each step of a request. */
  readonly timeoutMs: number;
  readonly #origin: string;
  readonly #fetch: (request: Request) => Promise<Response>;
  readonly #cacheRoot: string | null;
  readonly #cacheBelow: string[];
  readonly #onProgress?: (p: DownloadProgress) => void;
  readonly #downloads = new Map<string, Promise<string>>();
  readonly #options: RemoteOptions;

  /** A remote release at `url` (http or https). */
  constructor(url: string, options: RemoteOptions = {}) {
    this.#options = options;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ValidationError("source", url, "is not a URL", "e.g. https://ratgtex.org/data/v4");
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw new ValidationError("source", url, "is not an http(s) URL", "e.g. https://ratgtex.org/data/v4");
    }
    if (parsed.search || parsed.hash || parsed.username || parsed.password) {
      throw new ValidationError("source", url, "has a query, fragment or credentials", "give the release folder's URL");
    }
    this.location = parsed.href.replace(/\/+$/, "");
    this.#origin = parsed.origin;
    this.limits = readLimits(options.limits);
    const timeout = options.timeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS;
    if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
      throw new ValidationError("timeoutMs", timeout, "must be a positive number of milliseconds", "e.g. 30000");
    }
    this.timeoutMs = timeout;
    this.#fetch = options.fetch ?? ((r: Request) => fetch(r));
    this.#onProgress = options.onProgress;
    const root = options.cacheDir ?? defaultCacheDir();
    this.#cacheRoot = root === null ? null : options.cacheDir ?? join(root, "release");
    if (options.cacheDir !== undefined && (typeof options.cacheDir !== "string" || options.cacheDir === "")) {
      throw new ValidationError("cacheDir", options.cacheDir, "must be a folder path", "e.g. ~/.cache/ratgtex/release");
    }
    this.#cacheBelow = [parsed.host, ...parsed.pathname.split("/").filter((p) => p !== "")];
  }

  /**
   * The folder above on the same server (`…/data` for `…/data/v4`: the Predict page's `predict/` files), with
   * the same options (cache, fetch, timeout, caps).
   */
  parent(): RemoteSource {
    const url = new URL(this.location);
    const parts = url.pathname.split("/").filter((p) => p !== "");
    if (parts.length === 0) {
      throw new ValidationError("source", this.location, "has no folder above it", "give the release's v4 URL");
    }
    url.pathname = `/${parts.slice(0, -1).join("/")}`;
    return new RemoteSource(url.href, this.#options);
  }

  /** The URL of a file of the release. */
  url(rel: string): string {
    return `${this.location}/${checkRelative(rel)}`;
  }

  // ------------------------------------------------------------------ one request, bounded in time

  /**
   * Send a request (following same-origin redirects only) and wait at most `timeoutMs` for its headers;
   * `timer` then keeps guarding the body's pieces.
   */
  async #request(
    url: string,
    headers: Record<string, string>,
    method = "GET",
  ): Promise<{ res: Response; guard: Guard }> {
    const guard = new Guard(this.timeoutMs, url);
    try {
      let current = url;
      for (let hop = 0;; hop++) {
        const res = await guard.race(
          this.#fetch(
            new Request(current, {
              method,
              headers: { "accept-encoding": "identity", ...headers },
              redirect: "manual",
              signal: guard.signal,
            }),
          ),
        );
        if (!REDIRECT_STATUS.has(res.status)) return { res, guard };
        await res.body?.cancel().catch(() => {});
        const location = res.headers.get("location");
        let next: URL | null = null;
        try {
          next = location === null ? null : new URL(location, current);
        } catch {
          next = null;
        }
        const shown = escapeControl(location ?? "(none)", false).slice(0, 200);
        if (next === null || next.origin !== this.#origin) {
          throw new HttpError(res.status, "", {
            hint:
              `the server redirected ${url} to ${shown}, outside ${this.#origin}: only redirects within the release's origin are followed; if you trust the new address, open the release there`,
          });
        }
        if (hop >= MAX_REDIRECTS) {
          throw new HttpError(res.status, "", { hint: `more than ${MAX_REDIRECTS} redirects (last to ${shown})` });
        }
        current = next.href;
        guard.restart();
      }
    } catch (e) {
      guard.stop();
      throw this.#networkError(e, guard, url);
    }
  }

  #networkError(e: unknown, guard: Guard, url: string): Error {
    if (e instanceof RatGtexError) return e;
    if (guard.timedOut) {
      return new TimeoutError(this.timeoutMs, {
        what: `${url}: no progress`,
        hint:
          "the server may be slow or stalled: try again, or raise timeoutMs (openRelease(url, { timeoutMs }), --timeout)",
      });
    }
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      return new NetworkError(`no permission to reach ${new URL(url).host}`, {
        cause: e,
        hint: `run Deno with --allow-net=${new URL(url).host}`,
      });
    }
    return new NetworkError(`could not read ${url}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
      hint: "check the network and the release URL",
    });
  }

  // ------------------------------------------------------------------ ranged reads

  /** Random access to a file by HTTP range requests (nothing is written to disk). */
  ranged(rel: string): ByteSource {
    const url = this.url(rel);
    let first: Promise<{ size: number; validator: string | null }> | null = null;
    const head = () => {
      first ??= this.#range(url, 0, 1, null).then(({ total, validator }) => ({ size: total, validator }));
      first.catch(() => (first = null));
      return first;
    };
    return {
      name: rel,
      size: async () => (await head()).size,
      read: async (offset, length) => {
        const { size, validator } = await head();
        if (length <= 0 || offset >= size) return new Uint8Array(0);
        const { bytes, total } = await this.#range(url, offset, Math.min(length, size - offset), validator);
        if (total !== size) {
          throw new ReleaseFormatError(
            { file: rel },
            `changed on the server while it was read (size ${size}, now ${total})`,
            {
              hint: "run the query again",
            },
          );
        }
        return bytes;
      },
    };
  }

  /** `length` bytes from `offset` by one range request: a 206 with the range asked for, body bounded. */
  async #range(
    url: string,
    offset: number,
    length: number,
    validator: string | null,
  ): Promise<{ bytes: Uint8Array; total: number; validator: string | null }> {
    const file = url.slice(this.location.length + 1);
    const cap = Math.max(this.limits.maxChunkBytes, this.limits.maxIndexBytes, this.limits.maxMemberBytes);
    if (length > cap) throw new ReleaseTooLargeError({ file }, "maxChunkBytes", cap, "a ranged read is larger than");
    const headers: Record<string, string> = { range: `bytes=${offset}-${offset + length - 1}` };
    if (validator !== null) headers["if-range"] = validator;
    const { res, guard } = await this.#request(url, headers);
    try {
      if (res.status !== 206) {
        await res.body?.cancel().catch(() => {});
        if (res.status === 200 && validator !== null) {
          throw new ReleaseFormatError({ file }, "changed on the server while it was read (If-Range failed)", {
            hint: "run the query again",
          });
        }
        if (res.status === 200) {
          throw new NetworkError(`${url}: the server does not answer range requests (HTTP 200 to a range)`, {
            hint: "download the release and open the local copy",
          });
        }
        throw new HttpError(res.status, "", {
          hint: res.status === 404 ? `this release has no ${file}` : "try again later",
        });
      }
      const range = parseContentRange(res.headers.get("content-range"));
      if (range === null || range.start !== offset || range.end > offset + length - 1 || range.end < range.start) {
        throw new ReleaseFormatError(
          { file },
          `the server answered ${
            escapeControl(res.headers.get("content-range") ?? "without a Content-Range", false)
          } to a request for bytes ${offset}-${offset + length - 1}`,
          { hint: "the server's range answers cannot be trusted: download the release and open the local copy" },
        );
      }
      const want = range.end - range.start + 1;
      const bytes = new Uint8Array(want);
      let got = 0;
      for await (const piece of guard.pieces(res)) {
        if (got + piece.length > want) {
          throw new ReleaseFormatError(
            { file },
            `the server sent more than the ${want} bytes of the range it announced`,
          );
        }
        bytes.set(piece, got);
        got += piece.length;
      }
      if (got !== want) {
        throw new NetworkError(`${url}: the range answer was cut after ${got} of ${want} bytes`, {
          hint: "run the query again",
        });
      }
      return { bytes, total: range.total, validator: validatorOf(res) };
    } catch (e) {
      await res.body?.cancel().catch(() => {});
      throw this.#networkError(e, guard, url);
    } finally {
      guard.stop();
    }
  }

  // ------------------------------------------------------------------ downloads

  /** Whether the release has a file (a ranged read of its first byte succeeds). */
  async has(rel: string): Promise<boolean> {
    try {
      await this.ranged(rel).size();
      return true;
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return false;
      throw e;
    }
  }

  /** A file downloaded once into the cache (verified), then read from there without following links. */
  async whole(rel: string): Promise<ByteSource> {
    const path = await this.download(rel);
    return cachedFile(rel, path);
  }

  /**
   * Download a file of the release into the cache unless it is already there (a cached file is always
   * whole); concurrent callers, in this process or another, share one download.
   *
   * @returns The cached file's path.
   */
  download(rel: string): Promise<string> {
    checkRelative(rel);
    let p = this.#downloads.get(rel);
    if (!p) {
      p = this.#download(rel);
      p.catch(() => {}).finally(() => this.#downloads.delete(rel));
      this.#downloads.set(rel, p);
    }
    return p;
  }

  async #download(rel: string): Promise<string> {
    if (this.#cacheRoot === null) {
      throw new ValidationError(
        "cacheDir",
        null,
        "there is no cache folder to download the release's files into (no HOME, XDG_CACHE_HOME or RATGTEX_CACHE_DIR)",
        "pass cacheDir (openRelease(url, { cacheDir })), set RATGTEX_CACHE_DIR, or download the release and open the folder",
      );
    }
    const url = this.url(rel);
    const relDir = dirname(rel) === "." ? [] : dirname(rel).split("/");
    const base = await ensureCacheFolder(this.#cacheRoot, []);
    const dest = join(base, ...this.#cacheBelow, rel);
    if (await regularFile(dest)) return dest;
    // The lock lives beside the cache's folders, so a folder of the file is only made once the server has it.
    const locks = await ensureCacheFolder(base, [".locks"]);
    using _lock = await lockFile(join(locks, `${await sha256Hex(url)}.lock`));
    if (await regularFile(dest)) return dest; // another downloader finished while we waited
    const folder = () => ensureCacheFolder(base, [...this.#cacheBelow, ...relDir]);
    for (let attempt = 0;; attempt++) {
      const outcome = await this.#transfer(url, rel, dest, folder, attempt > 0);
      if (outcome === "done") return dest;
      // "restart": the .part could not be resumed (416, changed file): once more from the start.
      if (attempt >= 1) {
        throw new NetworkError(`${url}: the download could not be completed`, { hint: "run the query again" });
      }
    }
  }

  /** One transfer: a fresh download or a resume of a `.part`. */
  async #transfer(
    url: string,
    rel: string,
    dest: string,
    folder: () => Promise<string>,
    fresh: boolean,
  ): Promise<"done" | "restart"> {
    const part = `${dest}.part`, metaPath = `${dest}.part.json`;
    const meta = fresh ? null : await readMeta(metaPath, url);
    const have = meta === null ? 0 : await regularFileSize(part);
    if (meta === null || have === null || have === 0 || have >= meta.total) await discard(part, metaPath);
    const resuming = meta !== null && have !== null && have > 0 && have < meta.total;
    const headers: Record<string, string> = {};
    if (resuming) {
      headers.range = `bytes=${have}-`;
      headers["if-range"] = meta!.etag ?? meta!.lastModified!;
    }
    const { res, guard } = await this.#request(url, headers);
    let keepPart = false;
    try {
      if (res.status === 416 && resuming) {
        await res.body?.cancel().catch(() => {});
        await discard(part, metaPath);
        return "restart";
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel().catch(() => {});
        await discard(part, metaPath);
        throw new HttpError(res.status, "", {
          hint: res.status === 404 ? `this release has no ${rel}` : "try again later",
        });
      }
      const encoding = res.headers.get("content-encoding");
      if (encoding !== null && encoding !== "identity") {
        // Asked for identity: a compressed body's size is not the file's (and fetch would inflate it unbounded).
        throw new ReleaseFormatError(
          { file: rel },
          `the server sent it with Content-Encoding ${escapeControl(encoding, false)}`,
          {
            hint: "the server must send release files as they are (Accept-Encoding: identity)",
          },
        );
      }
      let start = 0, total: number;
      if (res.status === 206) {
        const range = parseContentRange(res.headers.get("content-range"));
        if (
          !resuming || range === null || range.start !== have || range.end !== range.total - 1 ||
          range.total !== meta!.total
        ) {
          throw new ReleaseFormatError(
            { file: rel },
            `the server answered ${
              escapeControl(res.headers.get("content-range") ?? "without a Content-Range", false)
            } to a resume from byte ${have} of ${meta?.total ?? "?"}`,
            { hint: "run the query again: the download starts over" },
          );
        }
        const v = validatorOf(res);
        if (v !== null && v !== (meta!.etag ?? meta!.lastModified)) {
          throw new ReleaseFormatError({ file: rel }, "changed on the server since the download began", {
            hint: "run the query again",
          });
        }
        start = have!;
        total = range.total;
      } else {
        const length = res.headers.get("content-length");
        if (length === null || !/^\d+$/.test(length)) {
          throw new ReleaseFormatError({ file: rel }, "the server did not announce its size (no Content-Length)", {
            hint: "a release's files are static files with a known size: check the release URL",
          });
        }
        total = Number(length);
      }
      if (total > this.limits.maxDownloadBytes) {
        throw new ReleaseTooLargeError(
          { file: rel },
          "maxDownloadBytes",
          this.limits.maxDownloadBytes,
          `is ${total} bytes, more than`,
        );
      }
      await folder();
      const file = start > 0 ? await openPartForAppend(part, start) : await createPart(part, metaPath);
      const validator = validatorOf(res);
      if (start === 0 && validator !== null) {
        await writeMeta(metaPath, {
          url,
          total,
          etag: res.headers.get("etag"),
          lastModified: res.headers.get("last-modified"),
        });
      }
      let bytes = start;
      try {
        try {
          for await (const piece of guard.pieces(res)) {
            if (bytes + piece.length > total) {
              throw new ReleaseFormatError({ file: rel }, `the server sent more than the ${total} bytes it announced`);
            }
            await writeAll(file, piece);
            bytes += piece.length;
            this.#onProgress?.({ url, bytes, total });
          }
        } finally {
          file.close();
        }
      } catch (e) {
        if (e instanceof RatGtexError && !(e instanceof TimeoutError) && !(e instanceof NetworkError)) throw e;
        // An interrupted transfer: resumable only when the server named the file's version.
        keepPart = validator !== null && bytes > 0;
        const hint = keepPart ? "run the query again: the download resumes where it stopped" : "run the query again";
        if (guard.timedOut) {
          throw new TimeoutError(this.timeoutMs, {
            what: `the download of ${url} made no progress after ${bytes} bytes`,
            hint: `${hint}, or raise timeoutMs (--timeout)`,
          });
        }
        throw new NetworkError(`the download of ${url} was interrupted after ${bytes} bytes`, { cause: e, hint });
      }
      if (bytes !== total) {
        keepPart = validator !== null && bytes > 0;
        throw new NetworkError(`${url}: got ${bytes} bytes, the server announced ${total}`, {
          hint: keepPart ? "run the query again: the download resumes where it stopped" : "run the query again",
        });
      }
      await Deno.rename(part, dest);
      await Deno.remove(metaPath).catch(() => {});
      return "done";
    } catch (e) {
      await res.body?.cancel().catch(() => {});
      if (!keepPart) await discard(part, metaPath);
      throw this.#networkError(e, guard, url);
    } finally {
      guard.stop();
    }
  }
}

/** A timer for each step of one request: aborts the request when a step takes longer than `ms`. */
class Guard {
  readonly #ms: number;
  readonly #url: string;
  readonly #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reject: ((e: unknown) => void) | null = null;
  timedOut = false;

  constructor(ms: number, url: string) {
    this.#ms = ms;
    this.#url = url;
    this.restart();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  restart(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      const e = new DOMException(`${this.#url}: no progress within ${this.#ms} ms`, "TimeoutError");
      this.#controller.abort(e);
      this.#reject?.(e);
    }, this.#ms);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  /** `promise`, or the timeout (a fetch that ignores its signal still times out). */
  race<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      if (this.timedOut) reject(this.#controller.signal.reason);
      promise.then(resolve, reject);
    });
  }

  /** The body's pieces, each within the step's time (the timer restarts after each). */
  async *pieces(res: Response): AsyncGenerator<Uint8Array> {
    if (!res.body) return;
    const reader = res.body.getReader();
    try {
      for (;;) {
        this.restart();
        const { done, value } = await this.race(reader.read());
        if (done) return;
        yield value;
      }
    } finally {
      this.stop();
      await reader.cancel().catch(() => {});
    }
  }
}

/** `Content-Range: bytes a-b/total`, or null. */
function parseContentRange(text: string | null): { start: number; end: number; total: number } | null {
  const m = text === null ? null : /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/.exec(text);
  if (!m) return null;
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (![start, end, total].every(Number.isSafeInteger) || end >= total) return null;
  return { start, end, total };
}

/** The file's version as `If-Range` takes it: a strong ETag, else Last-Modified; null when neither. */
function validatorOf(res: Response): string | null {
  const etag = res.headers.get("etag");
  if (etag !== null && /^"[^"]*"$/.test(etag)) return etag;
  const lm = res.headers.get("last-modified");
  return lm !== null && !Number.isNaN(Date.parse(lm)) ? lm : null;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether `path` is a regular file (not followed if a link). Anything else there — a symlink, a FIFO, a
 * device, a folder — is not a cached file: it is removed (it can only be planted or damaged) and false
 * returned.
 */
async function regularFile(path: string): Promise<boolean> {
  return (await regularFileSize(path)) !== null;
}

async function regularFileSize(path: string): Promise<number | null> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  if (info.isFile) return info.size;
  await Deno.remove(path, { recursive: info.isDirectory }).catch(() => {});
  return null;
}

/** Open a cache file for reading without following a link: lstat, open, and the same inode once open. */
async function openNoFollow(path: string): Promise<Deno.FsFile> {
  const before = await Deno.lstat(path);
  if (!before.isFile) throw new ReleaseFormatError({ file: path }, "is not a regular file of the cache");
  const file = await Deno.open(path, { read: true });
  const after = await file.stat();
  if (!after.isFile || after.ino !== before.ino || after.dev !== before.dev) {
    file.close();
    throw new ReleaseFormatError({ file: path }, "was replaced while it was opened");
  }
  return file;
}

/** A cached file as a byte source: each read opens it without following links. */
function cachedFile(rel: string, path: string): ByteSource {
  return {
    name: rel,
    size: async () => {
      using file = await openNoFollow(path);
      return (await file.stat()).size;
    },
    read: async (offset, length) => {
      using file = await openNoFollow(path);
      return await readAt(file, offset, length);
    },
  };
}

/** A new `.part`, created exclusively (never through a planted file or link), private. */
async function createPart(part: string, metaPath: string): Promise<Deno.FsFile> {
  await discard(part, metaPath);
  return await Deno.open(part, { write: true, createNew: true, mode: 0o600 });
}

/** An existing `.part` of `size` bytes, opened for appending only when it is a regular file (same inode once open). */
async function openPartForAppend(part: string, size: number): Promise<Deno.FsFile> {
  const before = await Deno.lstat(part);
  if (!before.isFile || before.size !== size) {
    throw new ReleaseFormatError({ file: part }, "changed while the download resumed");
  }
  const file = await Deno.open(part, { write: true, append: true });
  const after = await file.stat();
  if (!after.isFile || after.ino !== before.ino || after.dev !== before.dev || after.size !== size) {
    file.close();
    throw new ReleaseFormatError({ file: part }, "was replaced while the download resumed");
  }
  return file;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
}

async function discard(part: string, metaPath: string): Promise<void> {
  for (const p of [part, metaPath]) {
    await Deno.remove(p).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
}

async function readMeta(path: string, url: string): Promise<PartMeta | null> {
  const size = await regularFileSize(path);
  if (size === null || size > META_BYTES) return null;
  try {
    using file = await openNoFollow(path);
    const meta = JSON.parse(new TextDecoder().decode(await readAt(file, 0, META_BYTES))) as PartMeta;
    const ok = meta.url === url && Number.isSafeInteger(meta.total) && meta.total > 0 &&
      (typeof meta.etag === "string" || typeof meta.lastModified === "string");
    return ok ? meta : null;
  } catch {
    return null;
  }
}

async function writeMeta(path: string, meta: PartMeta): Promise<void> {
  const file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
  try {
    await writeAll(file, new TextEncoder().encode(JSON.stringify(meta)));
  } finally {
    file.close();
  }
}

/**
 * An exclusive lock on `path` (created when missing, a regular file only): held until disposed. The OS
 * releases it if the process dies, so no lock is ever left stale.
 */
async function lockFile(path: string): Promise<Disposable> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true, write: true, createNew: true, mode: 0o600 });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    if (!(await regularFile(path))) return await lockFile(path);
    file = await openNoFollowWrite(path);
  }
  await file.lock(true);
  return {
    [Symbol.dispose]() {
      try {
        file.unlockSync();
      } finally {
        file.close();
      }
    },
  };
}

async function openNoFollowWrite(path: string): Promise<Deno.FsFile> {
  const before = await Deno.lstat(path);
  if (!before.isFile) throw new ReleaseFormatError({ file: path }, "is not a regular file of the cache");
  const file = await Deno.open(path, { read: true, write: true });
  const after = await file.stat();
  if (!after.isFile || after.ino !== before.ino || after.dev !== before.dev) {
    file.close();
    throw new ReleaseFormatError({ file: path }, "was replaced while it was opened");
  }
  return file;
}
