/**
 * Random access to the bytes of one file of a release: a local file read in place. The zip reader and
 * the tabix reader go through it, so that only the parts a request needs are read.
 *
 * @module
 */
import { NetworkError } from "../_core/errors.ts";

/** Ranged reads of one file. */
export interface ByteSource {
  /** Total size in bytes. */
  size(): Promise<number>;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A local file, opened for each read (no descriptor is kept between requests). */
export function localBytes(path: string): ByteSource {
  return {
    size: async () => (await Deno.stat(path)).size,
    read: async (offset, length) => {
      using file = await Deno.open(path, { read: true });
      await file.seek(offset, Deno.SeekMode.Start);
      const out = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const n = await file.read(out.subarray(got));
        if (n === null) break;
        got += n;
      }
      return out.subarray(0, got);
    },
  };
}

/**
 * A file of a remote release read by HTTP range requests (`Range: bytes=a-b`, answered 206), for the
 * files too large to download for one query: the genotype VCF (read by tabix region) and the per-tissue
 * `cis_pvals` zips (one member at a time).
 */
export function remoteBytes(url: string, doFetch: (request: Request) => Promise<Response>): ByteSource {
  let size: Promise<number> | null = null;
  const ranged = async (offset: number, length: number): Promise<Response> => {
    const res = await doFetch(new Request(url, { headers: { range: `bytes=${offset}-${offset + length - 1}` } }));
    if (res.status !== 206 && res.status !== 200) {
      await res.body?.cancel();
      throw new NetworkError(`${url}: HTTP ${res.status} to a range request`, { hint: "check the release URL" });
    }
    return res;
  };
  return {
    size: () => {
      size ??= ranged(0, 1).then(async (res) => {
        const range = res.headers.get("content-range");
        await res.body?.cancel();
        const m = range ? /\/(\d+)\s*$/.exec(range) : null;
        if (!m) {
          throw new NetworkError(`${url}: the server does not answer range requests`, {
            hint: "use a local copy of the release",
          });
        }
        return Number(m[1]);
      });
      size.catch(() => (size = null));
      return size;
    },
    read: async (offset, length) => {
      if (length <= 0) return new Uint8Array(0);
      const res = await ranged(offset, length);
      const bytes = new Uint8Array(await res.arrayBuffer());
      // A server that ignores ranges sends the whole file (200): take the slice asked for.
      return res.status === 200 ? bytes.subarray(offset, offset + length) : bytes.subarray(0, length);
    },
  };
}

/** A {@link ByteSource} as the file handle `@gmod/tabix` reads through (generic-filehandle2's shape). */
export function tabixHandle(src: ByteSource): {
  read(length: number, position: number): Promise<Uint8Array<ArrayBuffer>>;
  readFile(): Promise<Uint8Array<ArrayBuffer>>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
} {
  return {
    read: async (length, position) => Uint8Array.from(await src.read(position, length)),
    readFile: async () => Uint8Array.from(await src.read(0, await src.size())),
    stat: async () => ({ size: await src.size() }),
    close: () => Promise.resolve(),
  };
}
