/**
 * Random access to the bytes of one file of a release: a local file read in place. The zip reader and
 * the tabix reader go through it, so that only the parts a request needs are read.
 *
 * @module
 */

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
