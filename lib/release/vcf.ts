/**
 * The one genotype reader of a release: the bgzipped, tabix-indexed VCF (`geno/{D}.rn8.vcf.gz` + `.tbi`),
 * read by region with GMOD's `@gmod/tabix` (the reader JBrowse and igv.js use): only the BGZF blocks the
 * index points to are read, so a multi-gigabyte VCF costs one small read per variant. Records are parsed
 * as pysam gives them to the API server, and checked as the pipeline needs them: one field per sample,
 * a `GT` field, diploid calls (`0/1`, `1|1`, `./.`), allele indices within the record's ALT list, each
 * position once — anything else is a typed error naming the file, the record and the sample.
 *
 * Bounded: the index is checked before `@gmod/tabix` parses it (its structure, sizes and offsets within
 * the files), each region read is at most `maxChunkBytes` compressed and decompressed (every BGZF block's
 * size checked before it is inflated), a line at most `maxLineBytes`; any failure of the library on a
 * malformed file is a typed error naming the file, never a RangeError.
 *
 * {@link VcfFile.genotypes} is the genotype matrix of a region or of listed variants (ALT allele counts
 * 0/1/2, −1 missing) for the LD and fine-mapping code.
 *
 * @module
 */
import { TabixIndexedFile } from "@gmod/tabix";
import { RatGtexError, ReleaseFormatError, ReleaseTooLargeError, ValidationError } from "../_core/errors.ts";
import { type ByteSource, memoryBytes, type ReadLimits } from "./source.ts";
import { readBytes, textLines } from "./text.ts";

/** One VCF record, as pysam's `VariantRecord` exposes what the server uses. */
export interface VcfRecord {
  /** `rec.contig`. */
  contig: string;
  /** `rec.pos` (1-based). */
  pos: number;
  /** `rec.ref`. */
  ref: string;
  /** `rec.alts` (null when ALT is `.`). */
  alts: string[] | null;
  /** The raw fields (for the genotypes). */
  fields: string[];
  /** The index of `GT` in the FORMAT field. */
  gt: number;
}

/** pysam's GT tuple of one sample: allele indices, null for `.`. */
export type Gt = (number | null)[];

/** Where a record is, for errors: the file (and its line when the whole file is read). */
export interface RecordPlace {
  /** The VCF (release-relative). */
  file: string;
  /** The 1-based line, when known. */
  line?: number;
}

/**
 * Parse and check one VCF data line against the samples of the header (`samples` columns after FORMAT).
 *
 * @param line The record's text.
 * @param samples The sample names of the header (errors name the sample).
 * @param place The file (and line) for errors.
 * @returns The record.
 */
export function parseVcfRecord(line: string, samples: readonly string[], place: RecordPlace): VcfRecord {
  const fields = line.split("\t");
  const where = (field?: string) => ({ file: place.file, line: place.line, field });
  const locus = `${fields[0]}:${fields[1]}`;
  if (fields.length !== 9 + samples.length && !(samples.length === 0 && fields.length >= 8)) {
    throw new ReleaseFormatError(
      where(),
      `record ${locus} has ${fields.length} fields, the header has ${9 + samples.length} (a ragged record)`,
    );
  }
  const pos = Number(fields[1]);
  if (!/^\d+$/.test(fields[1]) || !Number.isSafeInteger(pos) || pos < 1) {
    throw new ReleaseFormatError(where("POS"), `record ${locus}: ${JSON.stringify(fields[1])} is not a position`);
  }
  const ref = fields[3];
  if (!/^[A-Za-z*]+$/.test(ref)) {
    throw new ReleaseFormatError(where("REF"), `record ${locus}: ${JSON.stringify(ref)} is not an allele`);
  }
  const alts = fields[4] === "." ? null : fields[4].split(",");
  if (alts !== null && alts.some((a) => !/^[A-Za-z*<>:_.\[\]0-9]+$/.test(a))) {
    throw new ReleaseFormatError(
      where("ALT"),
      `record ${locus}: ${JSON.stringify(fields[4])} is not a list of alleles`,
    );
  }
  const nAlleles = 1 + (alts?.length ?? 0);
  let gt = -1;
  if (samples.length > 0) {
    gt = (fields[8] ?? "").split(":").indexOf("GT");
    if (gt < 0) {
      throw new ReleaseFormatError(
        where("FORMAT"),
        `record ${locus} has no GT field (FORMAT is ${JSON.stringify(fields[8])}): genotypes are GT calls`,
      );
    }
    for (let s = 0; s < samples.length; s++) {
      const problem = gtProblem(gtText(fields[9 + s], gt), nAlleles);
      if (problem !== null) throw new ReleaseFormatError(where(samples[s]), `record ${locus}: ${problem}`);
    }
  }
  return { contig: fields[0], pos, ref, alts, fields, gt };
}

function gtText(sample: string, gt: number): string {
  if (gt === 0) {
    const colon = sample.indexOf(":");
    return colon < 0 ? sample : sample.slice(0, colon);
  }
  return sample.split(":")[gt] ?? "";
}

/** Why a GT text is not a diploid call of this record, or null. */
function gtProblem(text: string, nAlleles: number): string | null {
  // The common calls first, without splitting.
  if (text.length === 3 && (text[1] === "/" || text[1] === "|")) {
    const a = text.charCodeAt(0) - 48, b = text.charCodeAt(2) - 48;
    const aMissing = text[0] === ".", bMissing = text[2] === ".";
    if (aMissing && bMissing) return null;
    if ((a >= 0 && a <= 9 || aMissing) && (b >= 0 && b <= 9 || bMissing)) {
      if (aMissing !== bMissing) {
        return `genotype ${JSON.stringify(text)} is half missing (a call is both alleles or none)`;
      }
      const top = Math.max(a, b);
      return top < nAlleles
        ? null
        : `genotype ${JSON.stringify(text)} has allele ${top}, but the record has ${nAlleles - 1} ALT allele${
          nAlleles === 2 ? "" : "s"
        }`;
    }
  }
  const alleles = text.split(/[/|]/);
  if (alleles.length !== 2) {
    return `genotype ${JSON.stringify(text)} is not diploid (${alleles.length} allele${
      alleles.length === 1 ? "" : "s"
    })`;
  }
  if (alleles.every((x) => x === ".")) return null;
  if (alleles.some((x) => x === ".")) {
    return `genotype ${JSON.stringify(text)} is half missing (a call is both alleles or none)`;
  }
  for (const x of alleles) {
    if (!/^\d+$/.test(x)) return `genotype ${JSON.stringify(text)} is not a call (allele ${JSON.stringify(x)})`;
    if (Number(x) >= nAlleles) {
      return `genotype ${JSON.stringify(text)} has allele ${x}, but the record has ${nAlleles - 1} ALT allele${
        nAlleles === 2 ? "" : "s"
      }`;
    }
  }
  return null;
}

/** The GT of one sample of a (checked) record, as pysam parses it (`./.` → `[null, null]`). */
export function genotypeOf(rec: VcfRecord, column: number): Gt {
  if (rec.gt < 0) return [null];
  const text = gtText(rec.fields[column] ?? ".", rec.gt);
  return text.split(/[/|]/).map((a) => (a === "." || a === "" ? null : Number(a)));
}

/** The ALT allele count (0, 1, 2: copies of any non-REF allele) of one sample of a record, or −1 when missing. */
export function altDosage(rec: VcfRecord, column: number): number {
  const text = gtText(rec.fields[column] ?? ".", rec.gt);
  if (text.length === 3) {
    if (text[0] === ".") return -1;
    return (text[0] === "0" ? 0 : 1) + (text[2] === "0" ? 0 : 1);
  }
  const [a, b] = text.split(/[/|]/);
  if (a === "." || b === undefined) return -1;
  return (Number(a) > 0 ? 1 : 0) + (Number(b) > 0 ? 1 : 0);
}

/** One variant of a genotype matrix. */
export interface GenotypeVariant {
  /** `chrN:pos`. */
  variantId: string;
  /** Chromosome. */
  chromosome: string;
  /** Position (1-based). */
  pos: number;
  /** REF allele. */
  ref: string;
  /** ALT alleles (empty when ALT is `.`). */
  alts: string[];
  /** More than one ALT allele: `dosages` then count copies of any non-REF allele. */
  multiAllelic: boolean;
  /** Per rat (in the matrix's rat order): ALT allele count 0/1/2, −1 for a missing call. */
  dosages: Int8Array;
}

/** Genotypes of some variants over some rats. */
export interface Genotypes {
  /** The file they come from. */
  file: string;
  /** Rat IDs, in the order of every variant's `dosages`. */
  rats: string[];
  /** The variants, by position. */
  variants: GenotypeVariant[];
}

/** A genomic interval, 1-based and inclusive. */
export interface GenomicInterval {
  /** Chromosome, e.g. `chr10`. */
  chromosome: string;
  /** First base. */
  start: number;
  /** Last base. */
  end: number;
}

/** generic-filehandle2's interface, as `@gmod/tabix` declares it. */
type Filehandle = NonNullable<ConstructorParameters<typeof TabixIndexedFile>[0]["filehandle"]>;

/** A bgzipped, tabix-indexed VCF of a release. */
export class VcfFile {
  /** The VCF (release-relative). */
  readonly file: string;
  readonly #vcf: ByteSource;
  readonly #tbi: ByteSource;
  readonly #limits: ReadLimits;
  readonly #tabix: TabixIndexedFile;
  #samples: Promise<string[]> | null = null;
  #columns: Map<string, number> | null = null;
  #index: Promise<Uint8Array> | null = null;

  /** A VCF and its `.tbi`, read through their byte sources under the caps. */
  constructor(vcf: ByteSource, tbi: ByteSource, limits: ReadLimits) {
    this.file = vcf.name;
    this.#vcf = vcf;
    this.#tbi = tbi;
    this.#limits = limits;
    this.#tabix = new TabixIndexedFile({
      filehandle: this.#vcfHandle(),
      tbiFilehandle: this.#tbiHandle(),
      chunkCacheSize: 1 << 20, // a few recent blocks: region reads do not accumulate decompressed chunks
    });
  }

  /** Run a call of `@gmod/tabix`: whatever it throws on a malformed file becomes a typed error naming it. */
  async #guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof RatGtexError || e instanceof Deno.errors.NotFound) throw e;
      throw new ReleaseFormatError(
        { file: this.file },
        `cannot read ${what} (${e instanceof Error ? e.message : String(e)}): a damaged BGZF file or tabix index`,
        { cause: e },
      );
    }
  }

  /** The VCF as `@gmod/tabix` reads it: each read capped and its BGZF blocks checked before they are inflated. */
  #vcfHandle(): Filehandle {
    const cap = this.#limits.maxChunkBytes;
    const read = async (length: number, position: number): Promise<Uint8Array<ArrayBuffer>> => {
      if (!Number.isSafeInteger(length) || !Number.isSafeInteger(position) || length < 0 || position < 0) {
        throw new ReleaseFormatError(
          { file: this.file },
          `the index points outside the file (${length} bytes at ${position})`,
        );
      }
      if (length > cap) {
        throw new ReleaseTooLargeError({ file: this.file }, "maxChunkBytes", cap, "a region read is larger than");
      }
      const bytes = Uint8Array.from(await this.#vcf.read(position, length));
      checkBgzfBlocks(this.file, bytes, position, cap);
      return bytes;
    };
    return {
      read,
      readFile: () => Promise.reject(new Error("the VCF is only read by region")),
      stat: async () => ({ size: await this.#vcf.size() }),
      close: () => Promise.resolve(),
    } as unknown as Filehandle;
  }

  /** The index as `@gmod/tabix` reads it: checked first (size, structure, offsets within the VCF). */
  #tbiHandle(): Filehandle {
    const readFile = async (): Promise<Uint8Array<ArrayBuffer>> => Uint8Array.from(await this.#checkedIndex());
    return {
      read: async (length: number, position: number) => (await readFile()).subarray(position, position + length),
      readFile,
      stat: async () => ({ size: await this.#tbi.size() }),
      close: () => Promise.resolve(),
    } as unknown as Filehandle;
  }

  #checkedIndex(): Promise<Uint8Array> {
    this.#index ??= (async () => {
      const cap = this.#limits.maxIndexBytes;
      const size = await this.#tbi.size();
      if (size > cap) throw new ReleaseTooLargeError({ file: this.#tbi.name }, "maxIndexBytes", cap);
      const compressed = await this.#tbi.read(0, size);
      const bytes = await readBytes(memoryBytes(this.#tbi.name, compressed), { maxFileBytes: cap }).catch((e) => {
        if (e instanceof ReleaseTooLargeError) {
          throw new ReleaseTooLargeError({ file: this.#tbi.name }, "maxIndexBytes", cap);
        }
        throw e;
      });
      checkTabixIndex(this.#tbi.name, bytes, await this.#vcf.size());
      return compressed;
    })();
    this.#index.catch(() => (this.#index = null));
    return this.#index;
  }

  /** Sample (rat) IDs, in column order (from the `#CHROM` header line). */
  samples(): Promise<string[]> {
    this.#samples ??= this.#guard("the header", async () => {
      await this.#checkedIndex();
      const header = await this.#tabix.getHeader();
      if (header.length > this.#limits.maxIndexBytes) {
        throw new ReleaseTooLargeError(
          { file: this.file },
          "maxIndexBytes",
          this.#limits.maxIndexBytes,
          "has a header larger than",
        );
      }
      const line = header.split("\n").find((l) => l.startsWith("#CHROM"));
      if (line === undefined) throw new ReleaseFormatError({ file: this.file }, "has no #CHROM header line");
      const fields = line.replace(/\r$/, "").split("\t");
      const samples = fields.slice(9);
      const seen = new Set<string>();
      for (const s of samples) {
        if (s === "" || seen.has(s)) {
          throw new ReleaseFormatError(
            { file: this.file, field: s || "(empty)" },
            s === "" ? "an empty sample ID in #CHROM" : "a sample ID given twice in #CHROM",
          );
        }
        seen.add(s);
      }
      this.#columns = new Map(samples.map((name, i) => [name, 9 + i]));
      return samples;
    });
    this.#samples.catch(() => (this.#samples = null));
    return this.#samples;
  }

  /** Sample name → column index of the record's fields. */
  async columns(): Promise<Map<string, number>> {
    await this.samples();
    return this.#columns!;
  }

  /** Contig names in the index. */
  contigs(): Promise<string[]> {
    return this.#guard("the index", async () => {
      await this.#checkedIndex();
      return await this.#tabix.getReferenceSequenceNames();
    });
  }

  /**
   * Every record overlapping the 0-based half-open interval `[start, end)` of `contig` (pysam's `fetch`),
   * each checked (see the module); two records at one position are a typed error (a duplicated record).
   */
  fetch(contig: string, start: number, end: number): Promise<VcfRecord[]> {
    return this.#guard(`${contig}:${start + 1}-${end}`, async () => {
      const samples = await this.samples();
      const out: VcfRecord[] = [];
      let failed: unknown = null;
      await this.#tabix.getLines(contig, start, end, {
        lineCallback: (line: string) => {
          if (failed !== null) return;
          try {
            if (line.length > this.#limits.maxLineBytes) {
              throw new ReleaseTooLargeError(
                { file: this.file },
                "maxLineBytes",
                this.#limits.maxLineBytes,
                "has a line longer than",
              );
            }
            const tab1 = line.indexOf("\t"), tab2 = line.indexOf("\t", tab1 + 1), tab3 = line.indexOf("\t", tab2 + 1);
            const pos = Number(line.slice(tab1 + 1, tab2));
            const ref = line.slice(tab3 + 1, line.indexOf("\t", tab3 + 1));
            // pysam's overlap test: the record covers [pos - 1, pos - 1 + len(REF)).
            if (pos - 1 >= end || pos - 1 + ref.length <= start) return;
            const rec = parseVcfRecord(line, samples, { file: this.file });
            const last = out.at(-1);
            // Records are sorted: a repeated position is the one before.
            if (last !== undefined && last.pos === rec.pos) {
              throw new ReleaseFormatError(
                { file: this.file, field: "POS" },
                `record ${rec.contig}:${rec.pos} appears twice: a duplicated record`,
              );
            }
            if (last !== undefined && last.pos > rec.pos) {
              throw new ReleaseFormatError(
                { file: this.file, field: "POS" },
                `records are not sorted (${rec.contig}:${rec.pos} after ${last.pos})`,
              );
            }
            out.push(rec);
          } catch (e) {
            failed = e;
          }
        },
      });
      if (failed !== null) throw failed;
      return out;
    });
  }

  /**
   * The genotypes of a region, or of listed variants, over the VCF's rats or a subset: one `Int8Array` per
   * variant of ALT allele counts (0/1/2, −1 = missing), with the variant's alleles; a multi-allelic record
   * is flagged (`multiAllelic`) and counts copies of any non-REF allele.
   *
   * @param query `region` (1-based, inclusive) or `variantIds` (`chrN:pos`, each must be in the VCF), and
   *   optionally `rats` (IDs of the VCF's header; default all, in header order).
   * @returns The rats and the variants (by position for a region; in the order asked for a list).
   */
  async genotypes(
    query: { region?: GenomicInterval; variantIds?: readonly string[]; rats?: readonly string[] },
  ): Promise<Genotypes> {
    const columns = await this.columns();
    const rats = query.rats === undefined ? await this.samples() : [...query.rats];
    const picked = rats.map((r) => {
      const c = typeof r === "string" ? columns.get(r) : undefined;
      if (c === undefined) {
        throw new ValidationError(
          "rats",
          r,
          `not a rat of ${this.file}`,
          "use rat IDs of the VCF's header (vcf.samples())",
        );
      }
      return c;
    });
    const records: VcfRecord[] = [];
    if (query.region !== undefined) {
      const { chromosome, start, end } = query.region;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 1 || end < start) {
        throw new ValidationError(
          "region",
          query.region,
          "needs 1 ≤ start ≤ end",
          "e.g. { chromosome: 'chr10', start: 100700000, end: 101000000 }",
        );
      }
      for (const rec of await this.fetch(chromosome, start - 1, end)) {
        if (rec.pos >= start && rec.pos <= end) records.push(rec);
      }
    } else if (query.variantIds !== undefined) {
      for (const id of query.variantIds) {
        const m = typeof id === "string" ? /^(chr[0-9A-Za-z]+):(\d+)$/.exec(id) : null;
        if (!m) throw new ValidationError("variantIds", id, "is not chrN:pos", "e.g. chr10:100826333");
        const pos = Number(m[2]);
        const rec = (await this.fetch(m[1], pos - 1, pos)).find((r) => r.pos === pos);
        if (rec === undefined) {
          throw new ValidationError("variantIds", id, `not in ${this.file}`, "check the variant ID (chrN:pos, GRCr8)");
        }
        records.push(rec);
      }
    } else {
      throw new ValidationError(
        "query",
        query,
        "needs region or variantIds",
        "e.g. { region: { chromosome: 'chr10', start: 1, end: 2e6 } }",
      );
    }
    return {
      file: this.file,
      rats,
      variants: records.map((rec) => ({
        variantId: `${rec.contig}:${rec.pos}`,
        chromosome: rec.contig,
        pos: rec.pos,
        ref: rec.ref,
        alts: rec.alts ?? [],
        multiAllelic: (rec.alts?.length ?? 0) > 1,
        dosages: Int8Array.from(picked, (c) => altDosage(rec, c)),
      })),
    };
  }

  /**
   * Every record of the file, read whole (the BGZF file as a stream of lines, under `maxFileBytes`), each
   * checked as {@link VcfFile.fetch} checks them, with its line number in errors.
   */
  async *records(): AsyncGenerator<VcfRecord> {
    let samples: string[] | null = null;
    const seen = new Set<string>();
    for await (const batch of textLines(this.#vcf, this.#limits)) {
      for (let i = 0; i < batch.lines.length; i++) {
        const line = batch.lines[i];
        if (line.startsWith("##") || line === "") continue;
        if (line.startsWith("#CHROM")) {
          samples = line.split("\t").slice(9);
          continue;
        }
        if (samples === null) {
          throw new ReleaseFormatError(
            { file: this.file, line: batch.first + i },
            "a record before the #CHROM header line",
          );
        }
        const rec = parseVcfRecord(line, samples, { file: this.file, line: batch.first + i });
        const key = `${rec.contig}:${rec.pos}`;
        if (seen.has(key)) {
          throw new ReleaseFormatError(
            { file: this.file, line: batch.first + i, field: "POS" },
            `record ${key} appears twice: a duplicated record`,
          );
        }
        seen.add(key);
        yield rec;
      }
    }
  }

  /** The rat IDs of the header, read from the whole file's first lines (for {@link VcfFile.records}). */
  async headerSamples(): Promise<string[]> {
    for await (const batch of textLines(this.#vcf, this.#limits)) {
      for (const line of batch.lines) {
        if (line.startsWith("#CHROM")) return line.split("\t").slice(9);
        if (!line.startsWith("#")) break;
      }
      break;
    }
    throw new ReleaseFormatError({ file: this.file }, "has no #CHROM header line");
  }
}

/**
 * Check the complete BGZF blocks of a region read before they are inflated: each a gzip member with the
 * `BC` extra field, a block size within the bytes, an uncompressed size of at most 64 KiB (the BGZF
 * limit, which the inflater then holds it to), and at most `cap` bytes in all.
 */
function checkBgzfBlocks(file: string, bytes: Uint8Array, position: number, cap: number): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (let p = 0; p + 18 <= bytes.length;) {
    const bad = (why: string) =>
      new ReleaseFormatError({ file }, `damaged BGZF block at byte ${position + p} (${why})`);
    if (bytes[p] !== 0x1f || bytes[p + 1] !== 0x8b || bytes[p + 2] !== 8 || (bytes[p + 3] & 4) === 0) {
      throw bad("not a gzip member with an extra field");
    }
    const xlen = v.getUint16(p + 10, true);
    let bsize = -1;
    for (let e = p + 12; e + 4 <= p + 12 + xlen && e + 4 <= bytes.length;) {
      const slen = v.getUint16(e + 2, true);
      if (bytes[e] === 0x42 && bytes[e + 1] === 0x43 && slen === 2 && e + 6 <= bytes.length) {
        bsize = v.getUint16(e + 4, true) + 1;
      }
      e += 4 + slen;
    }
    if (bsize < 0) throw bad("no BC subfield");
    if (bsize < 12 + xlen + 8) throw bad(`block size ${bsize}`);
    if (p + bsize > bytes.length) break; // the read ends inside this block: it is not inflated
    const isize = v.getUint32(p + bsize - 4, true);
    if (isize > 65536) throw bad(`uncompressed size ${isize} > 65536`);
    total += isize;
    if (total > cap) {
      throw new ReleaseTooLargeError({ file }, "maxChunkBytes", cap, "a region read inflates to more than");
    }
    p += bsize;
  }
}

/** The pseudo-bin where htslib keeps per-sequence statistics. */
const PSEUDO_BIN = 37450;

/**
 * Check a tabix index (decompressed) before a parser walks it: the magic, counts that fit in the bytes,
 * names within their section, and every virtual offset within the VCF (`vcfSize` compressed bytes).
 */
export function checkTabixIndex(file: string, bytes: Uint8Array, vcfSize: number): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  const bad = (why: string) => new ReleaseFormatError({ file }, `damaged tabix index (${why}, at byte ${p})`);
  const need = (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0 || p + n > bytes.length) throw bad(`needs ${n} more bytes`);
  };
  const i32 = () => {
    need(4);
    const x = v.getInt32(p, true);
    p += 4;
    return x;
  };
  const count = (what: string, each: number) => {
    const n = i32();
    if (n < 0) throw bad(`negative ${what} count`);
    need(n * each);
    return n;
  };
  const voffset = (what: string) => {
    need(8);
    const hi = v.getUint32(p + 4, true), lo = v.getUint32(p, true);
    const coffset = hi * 65536 + (lo >>> 16); // the upper 48 bits: a byte offset in the compressed file
    p += 8;
    if (coffset > vcfSize) throw bad(`${what} points to byte ${coffset} of a ${vcfSize}-byte VCF`);
  };
  need(4);
  if (!(bytes[0] === 0x54 && bytes[1] === 0x42 && bytes[2] === 0x49 && bytes[3] === 1)) throw bad("no TBI magic");
  p = 4;
  const nRef = i32();
  if (nRef < 0) throw bad("negative number of sequences");
  for (let k = 0; k < 6; k++) i32(); // format, col_seq, col_beg, col_end, meta, skip
  const lNames = count("name bytes", 1);
  const names = bytes.subarray(p, p + lNames);
  let found = 0;
  for (const b of names) if (b === 0) found++;
  if (found < nRef) throw bad(`${nRef} sequences but ${found} names`);
  p += lNames;
  // Each sequence needs at least 8 bytes (its bin and interval counts): a count that cannot fit is damage.
  need(nRef * 8);
  for (let r = 0; r < nRef; r++) {
    const nBin = count("bin", 8);
    for (let b = 0; b < nBin; b++) {
      need(4);
      const bin = v.getUint32(p, true);
      p += 4;
      const nChunk = count("chunk", 16);
      if (bin === PSEUDO_BIN) {
        p += 16 * nChunk; // htslib's statistics (offsets of unmapped reads, counts): not offsets of records
        continue;
      }
      if (bin > PSEUDO_BIN) throw bad(`bin ${bin} beyond the tabix scheme`);
      for (let c = 0; c < nChunk; c++) {
        voffset("a chunk start");
        voffset("a chunk end");
      }
    }
    const nIntv = count("interval", 8);
    for (let k = 0; k < nIntv; k++) voffset("a linear-index offset");
  }
}
