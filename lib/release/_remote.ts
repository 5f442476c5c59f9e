/**
 * Files of a remote release (e.g. `https://ratgtex.org/data/v4`) fetched into a cache folder, one file
 * at a time and only when a query needs it: streamed to `<file>.part`, resumed with an HTTP range when a
 * `.part` is left from an interrupted download and the server honours ranges, checked against the size
 * the server announced, and only then renamed into place — so a cached file is always whole.
 *
 * @module
 */
import { dirname } from "node:path";
import { NetworkError, ResponseFormatError } from "../_core/errors.ts";

/** Progress of one download. */
export interface DownloadProgress {
  /** The file's URL. */
  url: string;
  /** Bytes on disk so far. */
  bytes: number;
  /** Total size, when the server said. */
  total: number | null;
}

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** The fetch to use (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
  /** Called as bytes arrive. */
  onProgress?: (p: DownloadProgress) => void;
  /** Abort the download (the `.part` stays for a later resume). */
  signal?: AbortSignal;
}

/** The total size announced by a 200 (`Content-Length`) or a 206 (`Content-Range: bytes a-b/total`). */
function totalOf(res: Response): number | null {
  const range = res.headers.get("content-range");
  if (res.status === 206 && range) {
    const m = /\/(\d+)\s*$/.exec(range);
    return m ? Number(m[1]) : null;
  }
  const len = res.headers.get("content-length");
  return len !== null && /^\d+$/.test(len) ? Number(len) : null;
}

/**
 * Download `url` to `dest` unless `dest` is already there (a file there is always complete).
 *
 * @returns `dest`.
 */
export async function downloadFile(url: string, dest: string, options: DownloadOptions = {}): Promise<string> {
  try {
    if ((await Deno.stat(dest)).isFile) return dest;
  } catch {
    // not cached yet
  }
  await Deno.mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const have = await Deno.stat(part).then((s) => s.size, () => 0);
  const doFetch = options.fetch ?? ((r: Request) => fetch(r));
  const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
  let res: Response;
  try {
    res = await doFetch(new Request(url, { headers, signal: options.signal }));
  } catch (cause) {
    throw new NetworkError(`could not download ${url}`, { cause, hint: "check the network; run again to resume" });
  }
  if (res.status === 416 && have > 0) {
    // The .part already holds everything (or more): start again rather than trust it.
    await res.body?.cancel();
    await Deno.remove(part);
    return downloadFile(url, dest, options);
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    throw new NetworkError(`downloading ${url}: HTTP ${res.status}`, {
      hint: res.status === 404 ? "this release has no such file" : "try again later",
    });
  }
  const resumed = res.status === 206;
  const total = totalOf(res);
  let bytes = resumed ? have : 0;
  const file = await Deno.open(part, { write: true, create: true, append: resumed, truncate: !resumed });
  try {
    if (!res.body) throw new ResponseFormatError(`${url}: empty body`, "", {});
    for await (const chunk of res.body) {
      await file.write(chunk);
      bytes += chunk.length;
      options.onProgress?.({ url, bytes, total });
    }
  } catch (cause) {
    throw new NetworkError(`the download of ${url} was interrupted after ${bytes} bytes`, {
      cause,
      hint: "run the query again: the download resumes where it stopped",
    });
  } finally {
    file.close();
  }
  const size = (await Deno.stat(part)).size;
  if (total === null || size !== total) {
    throw new NetworkError(`${url}: got ${size} bytes, the server announced ${total ?? "no size"}`, {
      hint: "run the query again: the download resumes where it stopped",
    });
  }
  await Deno.rename(part, dest);
  return dest;
}
