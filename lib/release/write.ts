/**
 * Writers of the binary formats of a RatGTEx release: BGZF (bgzip) and its tabix index (`.tbi`), plus
 * deterministic gzip and zip archives. Used by the fixture generator and the scale benchmark.
 *
 * Why hand-written: GMOD's `@gmod/bgzf-filehandle` and `@gmod/tabix` (used here to READ) only read, and no
 * maintained JavaScript package writes BGZF + `.tbi`; the formats are small (SAMtools' "tabix" spec): a
 * BGZF block is a gzip member with a `BC` extra field, the index is bins + a 16 kb linear index. The
 * deflate itself is fflate's, so the output is byte-identical for the same input on every platform, and
 * the differential test proves pysam/htslib read what is written here.
 *
 * @module
 */
import { deflateSync, gzipSync, zipSync } from "fflate";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (the gzip one). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** htslib's largest uncompressed BGZF block. */
const BLOCK = 0xff00;
/** The empty BGZF block that ends every BGZF file. */
export const BGZF_EOF = Uint8Array.from([
  0x1f,
  0x8b,
  8,
  4,
  0,
  0,
  0,
  0,
  0,
  0xff,
  6,
  0,
  0x42,
  0x43,
  2,
  0,
  0x1b,
  0,
  3,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
]);

function bgzfBlock(data: Uint8Array): Uint8Array {
  const deflated = deflateSync(data, { level: 6 });
  const size = 18 + deflated.length + 8;
  const out = new Uint8Array(size);
  out.set([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(16, size - 1, true);
  out.set(deflated, 18);
  view.setUint32(18 + deflated.length, crc32(data), true);
  view.setUint32(22 + deflated.length, data.length, true);
  return out;
}

/** A BGZF file and where each uncompressed block starts (for virtual offsets). */
export interface Bgzf {
  /** The compressed bytes, EOF block included. */
  bytes: Uint8Array;
  /** Compressed offset of each block. */
  blockStarts: number[];
}

/** BGZF-compress `data` (what `bgzip` does). */
export function bgzip(data: Uint8Array): Bgzf {
  const parts: Uint8Array[] = [];
  const blockStarts: number[] = [];
  let offset = 0;
  for (let i = 0; i < data.length; i += BLOCK) {
    const block = bgzfBlock(data.subarray(i, Math.min(data.length, i + BLOCK)));
    blockStarts.push(offset);
    parts.push(block);
    offset += block.length;
  }
  parts.push(BGZF_EOF);
  return { bytes: concat(parts), blockStarts };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The UCSC bin of a 0-based half-open interval (the tabix/BAM scheme, 14 bits minimum). */
export function reg2bin(beg: number, end: number): number {
  end--;
  if (beg >> 14 === end >> 14) return ((1 << 15) - 1) / 7 + (beg >> 14);
  if (beg >> 17 === end >> 17) return ((1 << 12) - 1) / 7 + (beg >> 17);
  if (beg >> 20 === end >> 20) return ((1 << 9) - 1) / 7 + (beg >> 20);
  if (beg >> 23 === end >> 23) return ((1 << 6) - 1) / 7 + (beg >> 23);
  if (beg >> 26 === end >> 26) return ((1 << 3) - 1) / 7 + (beg >> 26);
  return 0;
}

/**
 * bgzip a VCF text and build its tabix index, as `bgzip` + `tabix -p vcf` do: records must be sorted by
 * position within a contig, each contig contiguous. Returns `{ vcf, tbi }` bytes.
 */
export function bgzipVcfWithIndex(text: string): { vcf: Uint8Array; tbi: Uint8Array } {
  const data = new TextEncoder().encode(text);
  const { bytes, blockStarts } = bgzip(data);
  const voff = (u: number): bigint => {
    const b = Math.floor(u / BLOCK);
    if (b >= blockStarts.length) return BigInt(bytes.length - BGZF_EOF.length) << 16n;
    return (BigInt(blockStarts[b]) << 16n) | BigInt(u - b * BLOCK);
  };
  interface Ref {
    name: string;
    bins: Map<number, [bigint, bigint][]>;
    linear: bigint[];
  }
  const refs: Ref[] = [];
  const nNoCoor = 0n;
  let lineStart = 0;
  while (lineStart < data.length) {
    let lineEnd = data.indexOf(10, lineStart);
    if (lineEnd < 0) lineEnd = data.length;
    const next = lineEnd + 1;
    if (data[lineStart] !== 35 /* # */) {
      const line = new TextDecoder().decode(data.subarray(lineStart, lineEnd));
      const [chrom, posText, , ref] = line.split("\t", 4);
      const beg = Number(posText) - 1, end = beg + ref.length;
      let r = refs.at(-1);
      if (!r || r.name !== chrom) refs.push(r = { name: chrom, bins: new Map(), linear: [] });
      const bin = reg2bin(beg, end);
      const a = voff(lineStart), b = voff(Math.min(next, data.length));
      const chunks = r.bins.get(bin) ?? [];
      const last = chunks.at(-1);
      if (last && last[1] === a) last[1] = b;
      else chunks.push([a, b]);
      r.bins.set(bin, chunks);
      for (let w = beg >> 14; w <= (end - 1) >> 14; w++) {
        if (r.linear[w] === undefined || a < r.linear[w]) r.linear[w] = a;
      }
    }
    lineStart = next;
  }
  const out: number[] = [];
  const i32 = (x: number) => out.push(x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, (x >>> 24) & 0xff);
  const u64 = (x: bigint) => {
    for (let k = 0n; k < 64n; k += 8n) out.push(Number((x >> k) & 0xffn));
  };
  out.push(0x54, 0x42, 0x49, 1); // "TBI\1"
  i32(refs.length);
  i32(2); // format: VCF
  i32(1); // col_seq
  i32(2); // col_beg
  i32(0); // col_end
  i32(35); // meta: '#'
  i32(0); // skip
  const names = new TextEncoder().encode(refs.map((r) => r.name + "\0").join(""));
  i32(names.length);
  out.push(...names);
  for (const r of refs) {
    const bins = [...r.bins.entries()].sort((x, y) => x[0] - y[0]);
    i32(bins.length);
    for (const [bin, chunks] of bins) {
      i32(bin);
      i32(chunks.length);
      for (const [a, b] of chunks) {
        u64(a);
        u64(b);
      }
    }
    // Empty windows take the offset of the window before them (htslib fills them the same way).
    for (let w = 0; w < r.linear.length; w++) r.linear[w] ??= w > 0 ? r.linear[w - 1] : 0n;
    i32(r.linear.length);
    for (const x of r.linear) u64(x);
  }
  u64(nNoCoor);
  return { vcf: bytes, tbi: bgzip(Uint8Array.from(out)).bytes };
}

/**
 * The header of `gene.v4.tsv`, as ratgtex-server-data writes it: the gene's fields, then one expressed,
 * one tested and one eQTL flag column per tissue, each group in the order given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { geneTableHeader } from "./write.ts";
 * assert.deepEqual(geneTableHeader(["IL"]).slice(-3), ["expr_IL", "testedEqtl_IL", "eqtl_IL"]);
 * ```
 */
export function geneTableHeader(tissueIds: readonly string[]): string[] {
  return [
    "geneId",
    "chromosome",
    "start",
    "end",
    "strand",
    "tss",
    "description",
    "hasEqtl",
    ...tissueIds.map((t) => `expr_${t}`),
    ...tissueIds.map((t) => `testedEqtl_${t}`),
    ...tissueIds.map((t) => `eqtl_${t}`),
  ];
}

/** gzip with a fixed header (no name, mtime 0), level 6: the same bytes on every run. */
export function gzipFixed(text: string): Uint8Array {
  return gzipSync(new TextEncoder().encode(text), { level: 6, mtime: 0 });
}

/**
 * A deflated zip archive of text members, in the order given, with a fixed modification time (built from
 * local-time fields, as the zip format stores them, so the bytes do not depend on the time zone).
 */
export function zipFixed(members: [string, string][]): Uint8Array {
  const mtime = new Date(2024, 0, 1, 0, 0, 0);
  const files: Record<string, [Uint8Array, { level: 6; mtime: Date }]> = {};
  const enc = new TextEncoder();
  for (const [name, text] of members) files[name] = [enc.encode(text), { level: 6, mtime }];
  return zipSync(files, { level: 6, mtime });
}

/**
 * Python's `"%g" % x` (what pandas' `float_format="%g"` writes): 6 significant digits, exponent form
 * when the exponent is < −4 or ≥ 6 (two exponent digits at least), trailing zeros dropped; `nan`/`inf`.
 */
export function pyPercentG(x: number, digits = 6): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mant, expText] = x.toExponential(digits - 1).split("e");
  const exp = Number(expText);
  const strip = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= digits) {
    return `${strip(mant)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return strip(x.toFixed(Math.max(0, digits - 1 - exp)));
}

/**
 * A double as readr's `write_tsv` writes it: the shortest round-trip digits, in scientific form
 * (`1e-5`, `1.5e+10`) only when that is shorter than the positional form; `NA` for NaN.
 */
export function readrNumber(x: number): string {
  if (Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const [mant, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const sci = `${mant}e${exp < 0 ? "-" : "+"}${Math.abs(exp)}`;
  const fixed = exp < 0 ? x.toFixed(Math.min(100, mant.replace(/[-.]/g, "").length - 1 - exp)) : positional(x);
  return sci.length < fixed.length ? sci : fixed;
}

function positional(x: number): string {
  const s = String(x);
  if (!s.includes("e")) return s;
  return BigInt(Math.round(x)).toString();
}
