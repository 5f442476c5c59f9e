/**
 * The genotype VCF of a release read by tabix region with GMOD's `@gmod/tabix` (the reader JBrowse and
 * igv.js use): only the BGZF blocks the index points to are read, so a multi-gigabyte VCF costs one
 * small read per variant. Records are parsed as pysam gives them to the API server.
 *
 * @module
 */
import { TabixIndexedFile } from "@gmod/tabix";
import { type ByteSource, tabixHandle } from "./_bytes.ts";

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
}

/** pysam's GT tuple of one sample: allele indices, null for `.`. */
export type Gt = (number | null)[];

/** generic-filehandle2's interface, as `@gmod/tabix` declares it (its `readFile` is overloaded by encoding). */
type Filehandle = NonNullable<ConstructorParameters<typeof TabixIndexedFile>[0]["filehandle"]>;

/** tabix reads the index and the blocks as bytes (`readFile()` without an encoding), as `tabixHandle` gives. */
function handleOf(src: ByteSource): Filehandle {
  return tabixHandle(src) as unknown as Filehandle;
}

/** A bgzipped, tabix-indexed VCF. */
export class TabixVcf {
  readonly #file: TabixIndexedFile;
  #samples: Promise<Map<string, number>> | null = null;

  /** Open `path` (with `path.tbi`), or a VCF and its index given as byte sources (a remote release). */
  constructor(path: string | { vcf: ByteSource; tbi: ByteSource }) {
    this.#file = typeof path === "string"
      ? new TabixIndexedFile({ path, tbiPath: `${path}.tbi` })
      : new TabixIndexedFile({ filehandle: handleOf(path.vcf), tbiFilehandle: handleOf(path.tbi) });
  }

  /** Sample name → column index (from the `#CHROM` header line). */
  samples(): Promise<Map<string, number>> {
    this.#samples ??= this.#file.getHeader().then((header) => {
      const line = header.split("\n").find((l) => l.startsWith("#CHROM")) ?? "";
      return new Map(line.split("\t").slice(9).map((name, i) => [name, 9 + i]));
    });
    return this.#samples;
  }

  /** Contig names in the index. */
  contigs(): Promise<string[]> {
    return this.#file.getReferenceSequenceNames();
  }

  /** Every record overlapping the 0-based half-open interval `[start, end)` of `contig` (pysam's `fetch`). */
  async fetch(contig: string, start: number, end: number): Promise<VcfRecord[]> {
    const out: VcfRecord[] = [];
    await this.#file.getLines(contig, start, end, {
      lineCallback: (line: string) => {
        const fields = line.split("\t");
        const pos = Number(fields[1]);
        const ref = fields[3];
        // pysam's overlap test: the record covers [pos - 1, pos - 1 + len(REF)).
        if (pos - 1 >= end || pos - 1 + ref.length <= start) return;
        out.push({ contig: fields[0], pos, ref, alts: fields[4] === "." ? null : fields[4].split(","), fields });
      },
    });
    return out;
  }
}

/** The GT of one sample of a record, as pysam parses it (`./.` → `[null, null]`). */
export function genotypeOf(rec: VcfRecord, column: number): Gt {
  const format = rec.fields[8]?.split(":") ?? [];
  const gi = format.indexOf("GT");
  if (gi < 0) return [null];
  const gt = (rec.fields[column] ?? ".").split(":")[gi] ?? ".";
  return gt.split(/[/|]/).map((a) => (a === "." || a === "" ? null : Number(a)));
}
