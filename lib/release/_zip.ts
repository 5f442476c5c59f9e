/**
 * Reading single members of a zip archive on demand: the central directory once (a few reads from the
 * end of the file), then each member by one ranged read, inflated with fflate. Real releases' zips
 * (`eqtl/all_gene_esnps.v4.zip`, `cis_pvals/{T}.v4.zip`) hold tens of thousands of members; reading a
 * whole archive per request, as fflate's `unzip` would, is what this avoids. Zip64 is supported.
 *
 * @module
 */
import { inflateSync } from "fflate";
import { ResponseFormatError } from "../_core/errors.ts";
import type { ByteSource } from "./_bytes.ts";

interface Entry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** A zip archive's member list and a reader of members. */
export class ZipArchive {
  readonly #src: ByteSource;
  readonly #entries: Map<string, Entry>;
  readonly #name: string;

  private constructor(src: ByteSource, entries: Map<string, Entry>, name: string) {
    this.#src = src;
    this.#entries = entries;
    this.#name = name;
  }

  /** Read the central directory of an archive. */
  static async open(src: ByteSource, name: string): Promise<ZipArchive> {
    const bad = (why: string) => new ResponseFormatError(`${name} is not a readable zip archive: ${why}`, "", {});
    const size = await src.size();
    const tailLen = Math.min(size, 65557);
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
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || tv.getUint32(loc, true) !== 0x07064b50) throw bad("zip64 locator missing");
      const z64 = Number(tv.getBigUint64(loc + 8, true));
      const rec = await src.read(z64, 56);
      const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
      if (rv.getUint32(0, true) !== 0x06064b50) throw bad("zip64 end record missing");
      count = Number(rv.getBigUint64(32, true));
      cdSize = Number(rv.getBigUint64(40, true));
      cdOffset = Number(rv.getBigUint64(48, true));
    }
    const cd = await src.read(cdOffset, cdSize);
    const v = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
    const entries = new Map<string, Entry>();
    const dec = new TextDecoder();
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cd.length || v.getUint32(p, true) !== 0x02014b50) throw bad("damaged central directory");
      const method = v.getUint16(p + 10, true);
      let compressedSize = v.getUint32(p + 20, true);
      const uncompressed = v.getUint32(p + 24, true);
      const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true);
      const commentLen = v.getUint16(p + 32, true);
      let localOffset = v.getUint32(p + 42, true);
      const entryName = dec.decode(cd.subarray(p + 46, p + 46 + nameLen));
      // Zip64 extra field: the 64-bit values, in this order, for each 32-bit field that is saturated.
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = v.getUint16(e, true), len = v.getUint16(e + 2, true);
        if (id === 1) {
          let q = e + 4;
          if (uncompressed === 0xffffffff) q += 8;
          if (compressedSize === 0xffffffff) compressedSize = Number(v.getBigUint64(q, true)), q += 8;
          if (localOffset === 0xffffffff) localOffset = Number(v.getBigUint64(q, true));
        }
        e += 4 + len;
      }
      entries.set(entryName, { method, compressedSize, localOffset });
      p = end + commentLen;
    }
    return new ZipArchive(src, entries, name);
  }

  /** Whether the archive has a member (Python's `name in archive.namelist()`). */
  has(member: string): boolean {
    return this.#entries.has(member);
  }

  /** Member names, in archive order. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  /** The bytes of one member, or null when absent. */
  async read(member: string): Promise<Uint8Array | null> {
    const entry = this.#entries.get(member);
    if (!entry) return null;
    const head = await this.#src.read(entry.localOffset, 30);
    const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    if (head.length < 30 || hv.getUint32(0, true) !== 0x04034b50) {
      throw new ResponseFormatError(`${this.#name}: damaged local header of ${member}`, "", {});
    }
    const start = entry.localOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
    const data = await this.#src.read(start, entry.compressedSize);
    if (entry.method === 0) return data;
    if (entry.method === 8) return inflateSync(data);
    throw new ResponseFormatError(`${this.#name}: ${member} uses compression method ${entry.method}`, "", {});
  }

  /** One member as text, or null when absent. */
  async text(member: string): Promise<string | null> {
    const bytes = await this.read(member);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  }
}
