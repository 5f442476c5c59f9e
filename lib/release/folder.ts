/**
 * A RatGTEx release (`data/v4/`, as `daniel-munro/ratgtex-server-data` writes it and the API server reads
 * it) opened lazily: each table is read on first use, each tissue's BED on the first request that needs
 * it, the genotype VCF by tabix region, zip members on demand — every file through the one layout
 * (`layout.ts`), the one byte source (`source.ts`) and the one reader per format (`tsv.ts`, `bed.ts`,
 * `vcf.ts`, `zip.ts`), under the release's caps. The twin of the server reads through it, and so does the
 * recomputation of the release's statistics.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ValidationError } from "../_core/errors.ts";
import { PhenotypeBed } from "./bed.ts";
import {
  type ExpressionScale,
  FILE_KINDS,
  type FileKind,
  type FileKindName,
  MEMBER_TABLES,
  type Normalisation,
  type PathParam,
  RELEASE_VERSION,
  ReleaseLayout,
  tableSpec,
} from "./layout.ts";
import { FolderSource, memoryBytes, type ReadLimits, type ReleaseSource } from "./source.ts";
import type { Table } from "./table.ts";
import { readTable } from "./tsv.ts";
import { VcfFile } from "./vcf.ts";
import { ZipArchive } from "./zip.ts";

export { RELEASE_VERSION } from "./layout.ts";

/** The bundled miniature release (`fixtures/data/v4`). */
export const BUNDLED_RELEASE: string = new URL("../../fixtures/data/v4", import.meta.url).pathname;

/** Options of {@link ReleaseFolder.open}. */
export interface ReleaseFolderOptions {
  /** Caps on reading the release's files (default {@link DEFAULT_READ_LIMITS}). */
  limits?: Partial<ReadLimits>;
}

/** A release, read lazily and cached. */
export class ReleaseFolder {
  /** Where the release is: the folder holding `tissue_info.v4.tsv`, or the release's URL. */
  readonly dir: string;
  /** The byte source every file is read through. */
  readonly source: ReleaseSource;
  readonly #tables = new Map<string, Promise<Table>>();
  readonly #beds = new Map<string, Promise<PhenotypeBed>>();
  readonly #vcfs = new Map<string, Promise<VcfFile>>();
  readonly #zips = new Map<string, Promise<ZipArchive>>();
  #layout: Promise<ReleaseLayout> | null = null;
  #data: ReleaseSource | null = null;

  private constructor(source: ReleaseSource) {
    this.dir = source.location;
    this.source = source;
  }

  /**
   * Open a local release folder: `dir` is the `v4` folder itself or the `data` folder above it.
   */
  static open(dir: string, options: ReleaseFolderOptions = {}): ReleaseFolder {
    if (typeof dir !== "string" || dir === "") {
      throw new ValidationError(
        "data",
        dir,
        "is not a folder path",
        `pass the folder that holds ${FILE_KINDS.tissueInfo.pattern}`,
      );
    }
    const abs = resolve(dir);
    const info = FILE_KINDS.tissueInfo.pattern;
    for (const candidate of [abs, join(abs, RELEASE_VERSION)]) {
      if (existsSync(join(candidate, info))) return new ReleaseFolder(new FolderSource(candidate, options.limits));
    }
    throw new ValidationError(
      "data",
      dir,
      `is not a RatGTEx ${RELEASE_VERSION} release folder (no ${info} in it or in its ${RELEASE_VERSION}/)`,
      `pass the folder that holds ${info} (a copy of https://ratgtex.org/data/${RELEASE_VERSION}/)`,
    );
  }

  /** A release read through any byte source (a remote release: `remote.ts`). */
  static fromSource(source: ReleaseSource): ReleaseFolder {
    return new ReleaseFolder(source);
  }

  /** The caps this release is read under. */
  get limits(): ReadLimits {
    return this.source.limits;
  }

  /**
   * The release's layout: its file names, built from the tissue IDs and datasets of `tissue_info.v4.tsv`
   * (an ID that cannot name a file is a typed error naming the line).
   */
  layout(): Promise<ReleaseLayout> {
    this.#layout ??= this.tissueInfo().then((t) => {
      const id = t.col("tissueSiteDetailId"), ds = t.col("dataset");
      return ReleaseLayout.fromTissueInfo(
        t.rows.map((r, i) => ({ tissueSiteDetailId: r[id], dataset: r[ds], line: i + 2 })),
      );
    });
    this.#layout.catch(() => (this.#layout = null));
    return this.#layout;
  }

  #cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let p = map.get(key);
    if (!p) {
      p = load();
      p.catch(() => map.delete(key));
      map.set(key, p);
    }
    return p;
  }

  /** A table of a kind without parameters, read whole and checked against its declared columns. */
  #table(kind: FileKindName): Promise<Table> {
    const rel = FILE_KINDS[kind].pattern;
    return this.#cached(
      this.#tables,
      rel,
      async () => readTable(await this.source.whole(rel), tableSpec(kind)!, this.limits),
    );
  }

  /** `tissue_info.v4.tsv`. */
  tissueInfo(): Promise<Table> {
    return this.#table("tissueInfo");
  }
  /** `gene.v4.tsv` (chromosome read as str). */
  genes(): Promise<Table> {
    return this.#table("genes");
  }
  /** `exon.v4.tsv` (chromosome read as str). */
  exons(): Promise<Table> {
    return this.#table("exons");
  }
  /** `expr/medianGeneExpression.v4.tsv.gz`. */
  medians(): Promise<Table> {
    return this.#table("medianExpression");
  }
  /** `expr/topExpressedGene.v4.tsv`. */
  topExpressed(): Promise<Table> {
    return this.#table("topExpressed");
  }
  /** `eqtl/top_assoc.v4_rn8.tsv`. */
  topAssoc(): Promise<Table> {
    return this.#table("topAssoc");
  }
  /** `eqtl/eqtls_indep.v4_rn8.tsv`. */
  eqtls(): Promise<Table> {
    return this.#table("eqtlsIndep");
  }
  /** `xqtl/xqtls_indep.cross_modality.v4_rn8.tsv`. */
  xqtls(): Promise<Table> {
    return this.#table("xqtlsIndepCrossModality");
  }

  /**
   * A table of any kind with its parameters (e.g. `xqtlTopAssoc` of a modality), read whole, checked against
   * its declared columns and kept once read.
   */
  async tableOf(kind: FileKindName, params: Partial<Record<PathParam, string>> = {}): Promise<Table> {
    const spec = tableSpec(kind);
    if (spec === undefined || (FILE_KINDS[kind] as FileKind).root === "data") {
      throw new ValidationError("kind", kind, "is not a table of data/v4", "name a table kind of FILE_KINDS");
    }
    const rel = (await this.layout()).path(kind, params);
    return this.#cached(this.#tables, rel, async () => readTable(await this.source.whole(rel), spec, this.limits));
  }

  /**
   * The source of the folder above the release (`data/`, holding the Predict page's `predict/` files):
   * the same kind of source, the same caps.
   */
  dataSource(): ReleaseSource {
    if (this.#data === null) {
      const parent = this.source.parent?.();
      if (parent === undefined) {
        throw new ValidationError(
          "release",
          this.dir,
          "has no folder above it to read the Predict page's files from",
          "open the release from a folder or URL (…/data/v4)",
        );
      }
      this.#data = parent;
    }
    return this.#data;
  }

  /** A Predict-page table (`predictions`, `predictionStats`), read whole from `data/`, checked, kept once read. */
  async dataTable(
    kind: "predictions" | "predictionStats",
    params: Partial<Record<PathParam, string>> = {},
  ): Promise<Table> {
    const spec = tableSpec(kind);
    if (spec === undefined) {
      throw new ValidationError("kind", kind, "has no declared columns", "declare them in layout.ts");
    }
    const rel = (await this.layout()).path(kind, params);
    const source = this.dataSource();
    return this.#cached(this.#tables, `data:${rel}`, async () => readTable(await source.whole(rel), spec, this.limits));
  }

  /** The tissue IDs in tissue_info order, with their genotype dataset. */
  async tissues(): Promise<{ id: string; dataset: string }[]> {
    const t = await this.tissueInfo();
    const id = t.col("tissueSiteDetailId"), ds = t.col("dataset");
    return t.rows.map((r) => ({ id: r[id], dataset: r[ds] }));
  }

  /** A tissue's phenotype BED of a modality (`phenos/phenos.{T}.{M}.{norm|unnorm}.v4_rn8.bed.gz`), kept once read. */
  async phenotypes(tissue: string, modality: string, normalisation: Normalisation): Promise<PhenotypeBed> {
    const rel = (await this.layout()).phenotypes(tissue, modality, normalisation);
    return this.#cached(this.#beds, rel, async () =>
      PhenotypeBed.read(await this.source.whole(rel), this.limits, {
        values: normalisation === "norm" ? "float" : "float?",
      }));
  }

  /** A tissue's expression BED of `expr/`: TPM, or log2(read count + 1) (`expr/expr.{tpm|log2}.{T}.v4_rn8.bed.gz`). */
  async expressionBed(scale: ExpressionScale, tissue: string): Promise<PhenotypeBed> {
    const rel = (await this.layout()).expression(scale, tissue);
    return this.#cached(
      this.#beds,
      rel,
      async () => PhenotypeBed.read(await this.source.whole(rel), this.limits, { values: "float?" }),
    );
  }

  /** One tissue's TPM matrix (`phenos/phenos.{T}.expression.unnorm.v4_rn8.bed.gz`, what the API server reads). */
  expression(tissue: string): Promise<PhenotypeBed> {
    return this.phenotypes(tissue, "expression", "unnorm");
  }

  /** A tissue's covariates of a modality (`covar/covar.{T}.{M}.v4.tsv`). */
  async covariates(tissue: string, modality: string): Promise<Table> {
    const rel = (await this.layout()).covariates(tissue, modality);
    return this.#cached(
      this.#tables,
      rel,
      async () => readTable(await this.source.whole(rel), tableSpec("covariates")!, this.limits),
    );
  }

  /** The genotype VCF of a dataset (`geno/{D}.rn8.vcf.gz` and its `.tbi`), read by region. */
  async vcf(dataset: string): Promise<VcfFile> {
    const layout = await this.layout();
    const rel = layout.genotypes(dataset);
    return this.#cached(this.#vcfs, rel, () =>
      Promise.resolve(
        new VcfFile(this.source.ranged(rel), this.source.ranged(layout.genotypeIndex(dataset)), this.limits),
      ));
  }

  /** A tissue's `cis_pvals/{T}.v4.zip` (central directory read once). */
  async cisPvals(tissue: string): Promise<ZipArchive> {
    return this.#zip((await this.layout()).cisPvals(tissue));
  }

  /** `eqtl/all_gene_esnps.v4.zip` (central directory read once). */
  allGeneEsnps(): Promise<ZipArchive> {
    return this.#zip(FILE_KINDS.allGeneEsnps.pattern);
  }

  #zip(rel: string): Promise<ZipArchive> {
    return this.#cached(this.#zips, rel, () => ZipArchive.open(this.source.ranged(rel), this.limits));
  }

  /** A gene's nominal p-values in a tissue (its member of `cis_pvals/{T}.v4.zip`), checked; null when absent. */
  async cisPvalsOf(tissue: string, geneId: string): Promise<Table | null> {
    const layout = await this.layout();
    const zip = await this.cisPvals(tissue);
    return this.#member(zip, layout.cisPvalsMember(tissue, geneId), MEMBER_TABLES.cisPvals);
  }

  /** A gene's significant pairs in every tissue (its member of `all_gene_esnps.v4.zip`), checked; null when absent. */
  async esnpsOf(geneId: string): Promise<Table | null> {
    const layout = await this.layout();
    return this.#member(await this.allGeneEsnps(), layout.allGeneEsnpsMember(geneId), MEMBER_TABLES.allGeneEsnps);
  }

  async #member(
    zip: ZipArchive,
    member: string,
    spec: (typeof MEMBER_TABLES)[keyof typeof MEMBER_TABLES],
  ): Promise<Table | null> {
    const bytes = await zip.read(member);
    if (bytes === null) return null;
    return await readTable(memoryBytes(`${zip.file}: ${member}`, bytes), spec, this.limits);
  }
}
