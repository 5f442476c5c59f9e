/**
 * Helpers of the release hardening tests (no tests here): a writable copy of the bundled release in a
 * temporary folder, rewrites of its files in their own formats (bgzip + tabix, gzip, zip), and bombs
 * built as streams (a gzip member or a zip member that inflates to far more than it weighs, never held
 * whole in memory while it is made).
 *
 * @module
 */
import { createDeflateRaw, createGzip } from "node:zlib";
import { BUNDLED_RELEASE } from "ratgtex/release";
import { bgzip, bgzipVcfWithIndex, gzipFixed, zipFixed } from "../../fixtures/release_write.ts";

/** A copy of the bundled release (`…/v4`) in a new temporary folder; remove `root` when done. */
export async function copyRelease(): Promise<{ root: string; dir: string }> {
  const root = await Deno.makeTempDir({ prefix: "ratgtex-hostile-" });
  const dir = `${root}/v4`;
  const copy = async (from: string, to: string) => {
    await Deno.mkdir(to, { recursive: true });
    for await (const e of Deno.readDir(from)) {
      if (e.isDirectory) await copy(`${from}/${e.name}`, `${to}/${e.name}`);
      else await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
    }
  };
  await copy(BUNDLED_RELEASE, dir);
  return { root, dir };
}

/** The decompressed text of a file of the bundled release. */
export async function bundledText(rel: string): Promise<string> {
  const bytes = await Deno.readFile(`${BUNDLED_RELEASE}/${rel}`);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const { gunzipSync } = await import("node:zlib");
    return new TextDecoder().decode(gunzipSync(bytes));
  }
  return new TextDecoder().decode(bytes);
}

/** Write `text` as `rel` in `dir`, compressed as the file's kind is (bgzip BED, gzip TSV, plain). */
export async function writeText(dir: string, rel: string, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  if (rel.endsWith(".bed.gz")) await Deno.writeFile(`${dir}/${rel}`, bgzip(bytes).bytes);
  else if (rel.endsWith(".gz")) await Deno.writeFile(`${dir}/${rel}`, gzipFixed(text));
  else await Deno.writeFile(`${dir}/${rel}`, bytes);
}

/** Rewrite a text file of the copy: `edit` gets its lines (header first) and returns the new ones. */
export async function editLines(dir: string, rel: string, edit: (lines: string[]) => string[]): Promise<void> {
  const lines = (await bundledText(rel)).replace(/\n$/, "").split("\n");
  await writeText(dir, rel, edit(lines).join("\n") + "\n");
}

/** Rewrite a genotype VCF of the copy (its `.tbi` rebuilt): `edit` gets its lines. */
export async function editVcf(dir: string, dataset: string, edit: (lines: string[]) => string[]): Promise<void> {
  const rel = `geno/${dataset}.rn8.vcf.gz`;
  const lines = (await bundledText(rel)).replace(/\n$/, "").split("\n");
  const { vcf, tbi } = bgzipVcfWithIndex(edit(lines).join("\n") + "\n");
  await Deno.writeFile(`${dir}/${rel}`, vcf);
  await Deno.writeFile(`${dir}/${rel}.tbi`, tbi);
}

/** A zip of text members (deterministic), as the release's zips are written. */
export function zipOf(members: [string, string][]): Uint8Array {
  return zipFixed(members);
}

/** Pieces of `total` bytes: `head`, then `unit` repeated (whole units, about 1 MiB at a time). */
async function* unitsOf(head: Uint8Array, unit: Uint8Array, total: number): AsyncGenerator<Uint8Array> {
  yield head;
  const per = Math.max(1, Math.floor(2 ** 20 / unit.length));
  const block = new Uint8Array(per * unit.length);
  for (let k = 0; k < per; k++) block.set(unit, k * unit.length);
  for (let left = total - head.length; left > 0; left -= block.length) {
    yield left >= block.length ? block : block.subarray(0, Math.ceil(left / unit.length) * unit.length);
  }
}

/** One gzip member: `head`, then the line `row` repeated to about `total` bytes (a bomb of valid rows). */
export function rowBomb(head: string, row: string, total: number): Promise<Uint8Array> {
  const enc = new TextEncoder();
  return compress(createGzip({ level: 9 }), unitsOf(enc.encode(head), enc.encode(row), total));
}

/** Pieces of `total` bytes: `head`, then `fill` repeated (in 1 MiB pieces). */
async function* piecesOf(head: Uint8Array, fill: number, total: number): AsyncGenerator<Uint8Array> {
  yield head;
  const block = new Uint8Array(2 ** 20).fill(fill);
  for (let left = total - head.length; left > 0; left -= block.length) {
    yield left >= block.length ? block : block.subarray(0, left);
  }
}

/** Compress a stream of pieces with a node zlib stream; the output pieces joined. */
async function compress(
  stream: ReturnType<typeof createGzip> | ReturnType<typeof createDeflateRaw>,
  pieces: AsyncGenerator<Uint8Array>,
): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  stream.on("data", (c: Uint8Array) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("end", () => resolve());
    stream.on("error", reject);
  });
  for await (const piece of pieces) {
    if (!stream.write(piece)) await new Promise<void>((r) => stream.once("drain", () => r()));
  }
  stream.end();
  await done;
  const bytes = new Uint8Array(out.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of out) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}

/** One gzip member: `head` then `fill` bytes up to `total` bytes (a bomb of about total / 1000 bytes). */
export function gzipBomb(head: string, total: number, fill = 0x20): Promise<Uint8Array> {
  return compress(createGzip({ level: 9 }), piecesOf(new TextEncoder().encode(head), fill, total));
}

/**
 * A zip with one deflated member that inflates to `total` bytes (`head` then `fill`); the directory gives
 * `claim` as its size (the truth by default; a smaller lie makes a reader inflate to find out).
 */
export async function zipBomb(
  member: string,
  head: string,
  total: number,
  claim = total,
  fill = 0x20,
): Promise<Uint8Array> {
  const data = await compress(createDeflateRaw({ level: 9 }), piecesOf(new TextEncoder().encode(head), fill, total));
  const name = new TextEncoder().encode(member);
  const big = claim >= 0xffffffff || data.length >= 0xffffffff;
  if (big) throw new Error("zipBomb: sizes beyond 4 GiB need zip64");
  const local = new Uint8Array(30 + name.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint16(8, 8, true);
  lv.setUint32(18, data.length, true);
  lv.setUint32(22, claim, true);
  lv.setUint16(26, name.length, true);
  local.set(name, 30);
  const cd = new Uint8Array(46 + name.length);
  const cv = new DataView(cd.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(4, 20, true);
  cv.setUint16(6, 20, true);
  cv.setUint16(10, 8, true);
  cv.setUint32(20, data.length, true);
  cv.setUint32(24, claim, true);
  cv.setUint16(28, name.length, true);
  cv.setUint32(42, 0, true);
  cd.set(name, 46);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 1, true);
  ev.setUint16(10, 1, true);
  ev.setUint32(12, cd.length, true);
  ev.setUint32(16, local.length + data.length, true);
  const out = new Uint8Array(local.length + data.length + cd.length + eocd.length);
  out.set(local, 0);
  out.set(data, local.length);
  out.set(cd, local.length + data.length);
  out.set(eocd, local.length + data.length + cd.length);
  return out;
}

/** A zip whose end record points (through zip64) to a central directory of `count` members and `size` bytes. */
export function zip64Liar(count: bigint, size: bigint, offset: bigint): Uint8Array {
  const rec = new Uint8Array(56 + 20 + 22);
  const v = new DataView(rec.buffer);
  v.setUint32(0, 0x06064b50, true); // zip64 end record at 0
  v.setBigUint64(4, 44n, true);
  v.setBigUint64(24, count, true);
  v.setBigUint64(32, count, true);
  v.setBigUint64(40, size, true);
  v.setBigUint64(48, offset, true);
  v.setUint32(56, 0x07064b50, true); // locator
  v.setBigUint64(64, 0n, true);
  v.setUint32(56 + 20, 0x06054b50, true); // end record, every field saturated
  v.setUint16(56 + 20 + 8, 0xffff, true);
  v.setUint16(56 + 20 + 10, 0xffff, true);
  v.setUint32(56 + 20 + 12, 0xffffffff, true);
  v.setUint32(56 + 20 + 16, 0xffffffff, true);
  return rec;
}

/** A tabix index (BGZF) claiming `nRef` sequences, with one chunk pointing at compressed byte `offset`. */
export function hostileTbi(nRef: number, offset: bigint): Uint8Array {
  const out: number[] = [];
  const i32 = (x: number) => out.push(x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, (x >>> 24) & 0xff);
  const u64 = (x: bigint) => {
    for (let k = 0n; k < 64n; k += 8n) out.push(Number((x >> k) & 0xffn));
  };
  out.push(0x54, 0x42, 0x49, 1);
  i32(nRef);
  for (const x of [2, 1, 2, 0, 35, 0]) i32(x);
  const names = new TextEncoder().encode("chr10\0");
  i32(names.length);
  out.push(...names);
  i32(1); // bins
  i32(4681);
  i32(1); // chunks
  u64(offset << 16n);
  u64((offset + 10n) << 16n);
  i32(0); // linear index
  return bgzip(Uint8Array.from(out)).bytes;
}

/** Peak resident memory of this process so far (Linux: VmHWM), in bytes. */
export function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  return m ? Number(m[1]) * 1024 : NaN;
}
