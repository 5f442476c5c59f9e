/**
 * A RatGTEx release folder (`data/v4/`, as `daniel-munro/ratgtex-server-data` writes it and the API
 * server reads it), opened lazily: each table is read on first use, each tissue's expression on the
 * first request that needs it, the genotype VCF by tabix region, zip members on demand.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { ValidationError } from "../_core/errors.ts";
import { localBytes } from "./_bytes.ts";
import { floatTokenRepr, parsePyFloat, Table } from "./_table.ts";
import { TabixVcf } from "./_vcf.ts";
import { ZipArchive } from "./_zip.ts";

export { pandasFloat, parsePyFloat, Table } from "./_table.ts";
export type { Dtype, PyValue } from "./_table.ts";
export type { VcfRecord } from "./_vcf.ts";
export { genotypeOf } from "./_vcf.ts";
export type { ZipArchive } from "./_zip.ts";

/** The release version this reader knows (file names carry it). */
export const RELEASE_VERSION = "v4";

/** The bundled miniature release (`fixtures/data/v4`). */
export const BUNDLED_RELEASE: string = new URL("../../fixtures/data/v4", import.meta.url).pathname;

/**
 * One tissue's expression BED (`phenos/phenos.{T}.expression.unnorm.v4_rn8.bed.gz`), kept as its
 * decompressed bytes with an index of the rows: a row is decoded only when a request asks for it, so a
 * real release's tissue costs its file size in memory, not a parsed matrix.
 */
export class ExpressionMatrix {
  /** Sample IDs (rat IDs), in column order. */
  readonly samples: readonly string[];
  /** Whether every value is an integer token (pandas then reads every column as int64). */
  readonly allInt: boolean;
  readonly #bytes: Uint8Array;
  readonly #rows = new Map<string, [number, number]>();

  /** Index a decompressed BED (`#chr start end phenotype_id`, then one column per sample, as load_expr reads it). */
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    const dec = new TextDecoder();
    let headerEnd = bytes.indexOf(10);
    if (headerEnd < 0) headerEnd = bytes.length;
    this.samples = dec.decode(bytes.subarray(0, headerEnd)).replace(/\r$/, "").split("\t").slice(4);
    let allInt = true, rows = 0;
    for (let pos = headerEnd + 1; pos < bytes.length;) {
      let end = bytes.indexOf(10, pos);
      if (end < 0) end = bytes.length;
      const stop = bytes[end - 1] === 13 ? end - 1 : end;
      let t = pos, tabs = 0, idStart = -1, idEnd = stop;
      for (; t < stop && tabs < 4; t++) {
        if (bytes[t] !== 9) continue;
        tabs++;
        if (tabs === 3) idStart = t + 1;
        if (tabs === 4) idEnd = t;
      }
      if (idStart >= 0) {
        const gene = dec.decode(bytes.subarray(idStart, idEnd));
        if (!this.#rows.has(gene)) this.#rows.set(gene, [idEnd + 1, stop]);
        rows++;
        // An integer column has only digits and signs; an empty cell is NA (a float column).
        for (let k = idEnd + 1; allInt && k < stop; k++) {
          const c = bytes[k];
          if (c === 9 ? bytes[k - 1] === 9 : !((c >= 48 && c <= 57) || c === 45 || c === 43)) allInt = false;
        }
      }
      pos = end + 1;
    }
    this.allInt = allInt && rows > 0;
  }

  /** Whether a gene (phenotype) has a row. */
  has(gene: string): boolean {
    return this.#rows.has(gene);
  }

  /** Phenotype IDs, in file order. */
  genes(): string[] {
    return [...this.#rows.keys()];
  }

  #cells(gene: string): string[] | undefined {
    const span = this.#rows.get(gene);
    if (span === undefined) return undefined;
    return new TextDecoder().decode(this.#bytes.subarray(span[0], span[1])).split("\t");
  }

  /** A gene's values in sample order (NaN for NA), or undefined. */
  row(gene: string): number[] | undefined {
    return this.#cells(gene)?.map(parsePyFloat);
  }

  /** A gene's values as Python writes them (`repr(float(token))` after pandas' parse), or undefined. */
  rowRepr(gene: string): string[] | undefined {
    return this.#cells(gene)?.map(floatTokenRepr);
  }
}

/** A release folder, read lazily and cached. */
export class ReleaseFolder {
  /** The folder holding `tissue_info.v4.tsv`. */
  readonly dir: string;
  readonly #tables = new Map<string, Promise<Table>>();
  readonly #expression = new Map<string, Promise<ExpressionMatrix>>();
  readonly #vcfs = new Map<string, TabixVcf>();
  readonly #zips = new Map<string, Promise<ZipArchive>>();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Open a release folder: `dir` is the `v4` folder itself or the `data` folder above it.
   */
  static open(dir: string): ReleaseFolder {
    const abs = resolve(dir);
    const info = `tissue_info.${RELEASE_VERSION}.tsv`;
    for (const candidate of [abs, join(abs, RELEASE_VERSION)]) {
      if (existsSync(join(candidate, info))) return new ReleaseFolder(candidate);
    }
    throw new ValidationError(
      "data",
      dir,
      `is not a RatGTEx ${RELEASE_VERSION} release folder (no ${info} in it or in its ${RELEASE_VERSION}/)`,
      "pass the folder that holds tissue_info.v4.tsv (a copy of https://ratgtex.org/data/v4/)",
    );
  }

  /** The absolute path of a file of the release. */
  path(rel: string): string {
    return join(this.dir, rel);
  }

  #table(rel: string, strColumns: string[] = []): Promise<Table> {
    let t = this.#tables.get(rel);
    if (!t) {
      t = (async () => {
        const bytes = await Deno.readFile(this.path(rel));
        const text = new TextDecoder().decode(rel.endsWith(".gz") ? gunzipSync(bytes) : bytes);
        return new Table(text, strColumns);
      })();
      t.catch(() => this.#tables.delete(rel));
      this.#tables.set(rel, t);
    }
    return t;
  }

  /** `tissue_info.v4.tsv`. */
  tissueInfo(): Promise<Table> {
    return this.#table("tissue_info.v4.tsv");
  }
  /** `gene.v4.tsv` (chromosome read as str). */
  genes(): Promise<Table> {
    return this.#table("gene.v4.tsv", ["chromosome"]);
  }
  /** `exon.v4.tsv` (chromosome read as str). */
  exons(): Promise<Table> {
    return this.#table("exon.v4.tsv", ["chromosome"]);
  }
  /** `expr/medianGeneExpression.v4.tsv.gz`. */
  medians(): Promise<Table> {
    return this.#table("expr/medianGeneExpression.v4.tsv.gz");
  }
  /** `expr/topExpressedGene.v4.tsv`. */
  topExpressed(): Promise<Table> {
    return this.#table("expr/topExpressedGene.v4.tsv");
  }
  /** `eqtl/top_assoc.v4_rn8.tsv`. */
  topAssoc(): Promise<Table> {
    return this.#table("eqtl/top_assoc.v4_rn8.tsv");
  }
  /** `eqtl/eqtls_indep.v4_rn8.tsv`. */
  eqtls(): Promise<Table> {
    return this.#table("eqtl/eqtls_indep.v4_rn8.tsv");
  }
  /** `xqtl/xqtls_indep.cross_modality.v4_rn8.tsv`. */
  xqtls(): Promise<Table> {
    return this.#table("xqtl/xqtls_indep.cross_modality.v4_rn8.tsv");
  }

  /** The tissue IDs in tissue_info order, with their genotype dataset. */
  async tissues(): Promise<{ id: string; dataset: string }[]> {
    const t = await this.tissueInfo();
    const id = t.col("tissueSiteDetailId"), ds = t.col("dataset");
    return t.rows.map((r) => ({ id: r[id], dataset: r[ds] }));
  }

  /** One tissue's TPM matrix (loaded on first use, then kept). */
  expression(tissue: string): Promise<ExpressionMatrix> {
    let m = this.#expression.get(tissue);
    if (!m) {
      m = Deno.readFile(this.path(`phenos/phenos.${tissue}.expression.unnorm.v4_rn8.bed.gz`))
        .then((bytes) => new ExpressionMatrix(gunzipSync(bytes)));
      m.catch(() => this.#expression.delete(tissue));
      this.#expression.set(tissue, m);
    }
    return m;
  }

  /** The genotype VCF of a dataset (`geno/{D}.rn8.vcf.gz`). */
  vcf(dataset: string): TabixVcf {
    let v = this.#vcfs.get(dataset);
    if (!v) this.#vcfs.set(dataset, v = new TabixVcf(this.path(`geno/${dataset}.rn8.vcf.gz`)));
    return v;
  }

  /** A zip archive of the release (central directory read once). */
  zip(rel: string): Promise<ZipArchive> {
    let z = this.#zips.get(rel);
    if (!z) {
      z = ZipArchive.open(localBytes(this.path(rel)), rel);
      z.catch(() => this.#zips.delete(rel));
      this.#zips.set(rel, z);
    }
    return z;
  }
}
