/**
 * Reading single members of a zip archive on demand: the central directory once (a few reads from the
 * end of the file), then each member by one ranged read, inflated under a cap. Real releases' zips
 * (`eqtl/all_gene_esnps.v4.zip`, `cis_pvals/{T}.v4.zip`) hold tens of thousands of members; reading a
 * whole archive per request is what this avoids. Zip64 is supported.
 *
 * Bounded and checked: the central directory is at most `maxIndexBytes`, every count, size and offset it
 * gives (zip64's 64-bit ones included) must fit in the file, a member is read and inflated to at most
 * `maxMemberBytes` and must inflate to the size the directory gives; anything else is a typed error naming
 * the archive (and the member).
 *
 * @module
 */
import { createInflateRaw } from "node:zlib";
import { ReleaseFormatError, ReleaseTooLargeError } from "../_core/errors.ts";
import type { ByteSource, ReadLimits } from "./source.ts";

interface Entry {
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** The smallest central-directory entry (46 bytes and a name). */
const CD_ENTRY = 46;
/** The end-of-central-directory record, with the largest comment it may carry. */
const TAIL = 22 + 0xffff;

/** A zip archive's member list and a reader of members. */
export class ZipArchive {
  /** The archive (release-relative). */
  readonly file: string;
  readonly #src: ByteSource;
  readonly #entries: Map<string, Entry>;
  readonly #size: number;
  readonly #limits: Pick<ReadLimits, "maxMemberBytes">;

  private constructor(
    src: ByteSource,
    entries: Map<string, Entry>,
    size: number,
    limits: Pick<ReadLimits, "maxMemberBytes">,
  ) {
    this.file = src.name;
    this.#src = src;
    this.#entries = entries;
    this.#size = size;
    this.#limits = limits;
  }

  /**
   * Read the central directory of an archive.
   */
  static async open(
    src: ByteSource,
    limits: Pick<ReadLimits, "maxIndexBytes" | "maxMemberBytes">,
  ): Promise<ZipArchive> {
    const name = src.name;
    const bad = (why: string) => new ReleaseFormatError({ file: name }, `is not a readable zip archive: ${why}`);
    const size = await src.size();
    const tailLen = Math.min(size, TAIL);
    const tail = await src.read(size - tailLen, tailLen);
    const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tv.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw bad("no end-of-central-directory record");
    let count = tv.getUint16(eocd + 10, true);
    let cdSize = tv.getUint32(eocd + 12, true);
    let cdOffset = tv.getUint32(eocd + 16, true);
    let cdEnd = size - tailLen + eocd;
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || tv.getUint32(loc, true) !== 0x07064b50) throw bad("zip64 locator missing");
      const z64 = safe(tv.getBigUint64(loc + 8, true));
      if (z64 === null || z64 + 56 > size) throw bad("zip64 end record outside the file");
      const rec = await src.read(z64, 56);
      const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
      if (rec.length < 56 || rv.getUint32(0, true) !== 0x06064b50) throw bad("zip64 end record missing");
      const c = safe(rv.getBigUint64(32, true)),
        s = safe(rv.getBigUint64(40, true)),
        o = safe(rv.getBigUint64(48, true));
      if (c === null || s === null || o === null) throw bad("zip64 sizes beyond any file");
      [count, cdSize, cdOffset, cdEnd] = [c, s, o, z64];
    }
    if (cdOffset + cdSize > cdEnd) throw bad(`central directory (${cdSize} bytes at ${cdOffset}) outside the file`);
    if (cdSize > limits.maxIndexBytes) {
      throw new ReleaseTooLargeError(
        { file: name },
        "maxIndexBytes",
        limits.maxIndexBytes,
        "has a central directory larger than",
      );
    }
    if (count * CD_ENTRY > cdSize) throw bad(`${count} members cannot fit in a ${cdSize}-byte central directory`);
    const cd = await src.read(cdOffset, cdSize);
    if (cd.length !== cdSize) throw bad("central directory cut short");
    const v = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
    const entries = new Map<string, Entry>();
    const dec = new TextDecoder();
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + CD_ENTRY > cd.length || v.getUint32(p, true) !== 0x02014b50) throw bad("damaged central directory");
      const method = v.getUint16(p + 10, true);
      let compressedSize = v.getUint32(p + 20, true);
      let uncompressedSize = v.getUint32(p + 24, true);
      const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true);
      const commentLen = v.getUint16(p + 32, true);
      let localOffset = v.getUint32(p + 42, true);
      const end = p + CD_ENTRY + nameLen + extraLen;
      if (end + commentLen > cd.length) throw bad("damaged central directory (an entry runs past it)");
      const entryName = dec.decode(cd.subarray(p + CD_ENTRY, p + CD_ENTRY + nameLen));
      // Zip64 extra field: the 64-bit values, in this order, for each 32-bit field that is saturated.
      for (let e = p + CD_ENTRY + nameLen; e + 4 <= end;) {
        const id = v.getUint16(e, true), len = v.getUint16(e + 2, true);
        if (e + 4 + len > end) throw bad(`damaged extra field of ${entryName}`);
        if (id === 1) {
          let q = e + 4;
          const next = (): number => {
            if (q + 8 > e + 4 + len) throw bad(`damaged zip64 field of ${entryName}`);
            const x = safe(v.getBigUint64(q, true));
            q += 8;
            if (x === null) throw bad(`zip64 sizes of ${entryName} beyond any file`);
            return x;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localOffset === 0xffffffff) localOffset = next();
        }
        e += 4 + len;
      }
      if (localOffset + 30 + compressedSize > cdOffset) {
        throw bad(`member ${entryName} (${compressedSize} bytes at ${localOffset}) lies outside the archive's data`);
      }
      if (entries.has(entryName)) throw bad(`member ${entryName} appears twice`);
      entries.set(entryName, { method, compressedSize, uncompressedSize, localOffset });
      p = end + commentLen;
    }
    return new ZipArchive(src, entries, size, limits);
  }

  /** Whether the archive has a member (Python's `name in archive.namelist()`). */
  has(member: string): boolean {
    return this.#entries.has(member);
  }

  /** Member names, in archive order. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  /** The bytes of one member (at most `maxMemberBytes`), or null when absent. */
  async read(member: string): Promise<Uint8Array | null> {
    const entry = this.#entries.get(member);
    if (!entry) return null;
    const where = { file: `${this.file}: ${member}` };
    const cap = this.#limits.maxMemberBytes;
    if (entry.uncompressedSize > cap || entry.compressedSize > cap) {
      throw new ReleaseTooLargeError(where, "maxMemberBytes", cap);
    }
    const head = await this.#src.read(entry.localOffset, 30);
    const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    if (head.length < 30 || hv.getUint32(0, true) !== 0x04034b50) {
      throw new ReleaseFormatError(where, "damaged local header");
    }
    const start = entry.localOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
    if (start + entry.compressedSize > this.#size) {
      throw new ReleaseFormatError(where, "data runs past the end of the archive");
    }
    const data = await this.#src.read(start, entry.compressedSize);
    let out: Uint8Array;
    if (entry.method === 0) out = data;
    else if (entry.method === 8) out = await inflateInto(data, entry.uncompressedSize, where);
    else {throw new ReleaseFormatError(
        where,
        `uses compression method ${entry.method} (only stored and deflate are read)`,
      );}
    if (out.length !== entry.uncompressedSize) {
      throw new ReleaseFormatError(where, `holds ${out.length} bytes, the directory says ${entry.uncompressedSize}`);
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }

  /** One member as text, or null when absent. */
  async text(member: string): Promise<string | null> {
    const bytes = await this.read(member);
    if (bytes === null) return null;
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new ReleaseFormatError({ file: `${this.file}: ${member}` }, "is not UTF-8 text", { cause });
    }
  }
}

/**
 * Inflate a member into a buffer of the size its directory entry gives (already checked against
 * `maxMemberBytes`): data that inflates to more is damage, found as soon as the output passes that size —
 * a member that lies about its size costs no more memory than the size it claims.
 */
async function inflateInto(data: Uint8Array, size: number, where: { file: string }): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  const inflate = createInflateRaw({ chunkSize: 1 << 16 });
  let at = 0;
  inflate.end(data);
  try {
    for await (const chunk of inflate as AsyncIterable<Uint8Array>) {
      if (at + chunk.length > size) {
        throw new ReleaseFormatError(where, `inflates to more than the ${size} bytes the directory says`);
      }
      out.set(chunk, at);
      at += chunk.length;
    }
  } catch (cause) {
    if (cause instanceof ReleaseFormatError) throw cause;
    throw new ReleaseFormatError(where, `damaged deflate data (${(cause as Error).message})`, { cause });
  } finally {
    inflate.destroy();
  }
  return out.subarray(0, at);
}

/** A 64-bit field as a number when it can be an offset or size of a file (≤ 2^53 − 1), else null. */
function safe(x: bigint): number | null {
  return x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : null;
}
