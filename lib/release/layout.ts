/**
 * The one module that names the files of a RatGTEx release (`data/v4/`, as `daniel-munro/ratgtex-server-data`
 * writes it and ratgtex.org publishes it): every file kind, its path pattern, its format and — for the tables —
 * its declared columns and their types. Every reader of the library, the twin and the fixture generator builds
 * its paths here; adding a file kind is one entry of {@link FILE_KINDS}.
 *
 * Paths are built only from IDs the release has: a {@link ReleaseLayout} holds the release's tissue IDs and
 * genotype datasets (from `tissue_info.v4.tsv`) and refuses any other, so a tissue ID such as `../../x` (or
 * `constructor`) never becomes a path. Modalities are the six of v4.
 *
 * @module
 */
import { ReleaseFormatError, ValidationError } from "../_core/errors.ts";
import { XQTL_MODALITIES } from "../_core/modalities.ts";

/** The release version the layout names (file names carry it). */
export const RELEASE_VERSION = "v4";

/** The genome build in the file names (`rn8`, GRCr8). */
export const GENOME_BUILD = "rn8";

/** The genotype round of the Predict page's files (`pred-round11_2-{T}-{M}.tsv.gz`). */
export const PREDICTION_ROUND = "round11_2";

/** The six RNA modalities of v4, in the portal's order. */
export const MODALITIES: readonly string[] = Object.keys(XQTL_MODALITIES);

/** `norm` (what tensorQTL mapped: quantile-normalised, inverse-normal transformed) or `unnorm` (e.g. TPM). */
export type Normalisation = "norm" | "unnorm";

/** `tpm` or `log2` (log2 read count + 1) expression BEDs of `expr/`. */
export type ExpressionScale = "tpm" | "log2";

/**
 * A column's declared type, as the pipeline writes it: `id` (a non-missing string), `str` (a string, `NA`
 * allowed), `int` (an integer), `float` (a finite number), `float?` (a finite number or NA), `bool`
 * (`True`/`False`), `modality` (one of the six modalities).
 */
export type ColumnType = "id" | "str" | "int" | "float" | "float?" | "bool" | "modality";

/** The declared shape of a TSV: its columns' types, the columns that identify a row, and pandas' `dtype=str`. */
export interface TableSpec {
  /** The columns the file must have, with their types (other columns are allowed). */
  columns: Readonly<Record<string, ColumnType>>;
  /** The type of every other column (per-tissue or per-sample columns); default `str`. */
  rest?: ColumnType;
  /** Columns whose values together identify a row: a repeated key is a duplicated record. */
  key?: readonly string[];
  /** Columns the API server reads with `dtype=str` (pandas keeps them strings). */
  pandasStr?: readonly string[];
}

/** A file's format. */
export type FileFormat = "tsv" | "tsv.gz" | "txt" | "txt.gz" | "bed.gz" | "vcf.gz" | "tbi" | "zip" | "json";

/** The parameters a path pattern takes. */
export type PathParam = "tissue" | "modality" | "dataset" | "normalisation" | "scale";

/** One kind of file of a release. */
export interface FileKind {
  /** The path under `data/v4/` with `{tissue}`, `{modality}`, `{dataset}`, `{normalisation}`, `{scale}`. */
  pattern: string;
  /** The format. */
  format: FileFormat;
  /** What it holds, in a few words. */
  what: string;
  /** For tables: the declared columns (undefined for kinds no reader parses yet). */
  table?: TableSpec;
  /** `data` when the path is relative to the `data/` folder above `v4/` (the Predict page's files). */
  root?: "data";
}

const V = RELEASE_VERSION, G = `${RELEASE_VERSION}_${GENOME_BUILD}`;

/** The columns tensorQTL + `eqtl_combined_files.R` give a (tissue, gene, variant) row. */
const ASSOC: Readonly<Record<string, ColumnType>> = {
  tissue: "id",
  gene_id: "id",
  num_var: "int",
  variant_id: "id",
  chrom: "id",
  pos: "int",
  ref: "id",
  alt: "id",
  af: "float",
  tss_distance: "int",
  pval_nominal: "float",
  slope: "float",
  slope_se: "float",
  pval_beta: "float",
};

/** `xqtl_combined_files.R`'s top association of one modality (a group's strongest phenotype per gene). */
const XQTL_TOP: Readonly<Record<string, ColumnType>> = {
  tissue: "id",
  phenotype_id: "id",
  ...ASSOC,
  qval: "float",
  pval_nominal_threshold: "float?",
};

/** The same script's independent xQTLs of one modality. */
const XQTL_MODALITY_INDEP: Readonly<Record<string, ColumnType>> = {
  tissue: "id",
  phenotype_id: "id",
  ...ASSOC,
  rank: "int",
};

const XQTL_INDEP: TableSpec = {
  columns: {
    tissue: "id",
    modality: "modality",
    phenotype_id: "id",
    ...ASSOC,
    rank: "int",
  },
  key: ["tissue", "modality", "phenotype_id", "rank"],
};

/**
 * Every kind of file of a v4 release: the files the API server reads, the download page's files, and the
 * Predict page's. The key is the kind's name; {@link ReleaseLayout} builds each path.
 */
export const FILE_KINDS = {
  tissueInfo: {
    pattern: `tissue_info.${V}.tsv`,
    format: "tsv",
    what: "one row per tissue (IDs, names, colours, dataset, counts); its order is the tissue order",
    table: {
      columns: {
        tissueSiteDetailId: "id",
        tissueSiteDetailAbbr: "str",
        tissueSiteDetail: "str",
        tissueSite: "str",
        colorHex: "str",
        colorRgb: "str",
        dataset: "id",
        rnaSeqSampleCount: "int",
        rnaSeqAndGenotypeSampleCount: "int",
        expressedGeneCount: "int",
        eGeneCount: "int",
        datasetId: "str",
        hasEGenes: "bool",
      },
      key: ["tissueSiteDetailId"],
    },
  },
  genes: {
    pattern: `gene.${V}.tsv`,
    format: "tsv",
    what: "genes: coordinates, description, and expressed/tested/eQTL flags per tissue",
    table: {
      columns: {
        geneId: "id",
        chromosome: "id",
        start: "int",
        end: "int",
        strand: "id",
        tss: "int",
        description: "str",
        hasEqtl: "bool",
      },
      rest: "bool",
      key: ["geneId"],
      pandasStr: ["chromosome"],
    },
  },
  geneList: {
    pattern: `autocomplete.${V}.json`,
    format: "json",
    what: "every gene ID, sorted (the portal's search box)",
  },
  exons: {
    pattern: `exon.${V}.tsv`,
    format: "tsv",
    what: "exons of the collapsed gene models",
    table: {
      columns: {
        chromosome: "id",
        end: "int",
        exonId: "id",
        exonNumber: "int",
        featureType: "str",
        geneId: "id",
        start: "int",
        strand: "id",
        transcriptId: "str",
      },
      pandasStr: ["chromosome"],
    },
  },
  medianExpression: {
    pattern: `expr/medianGeneExpression.${V}.tsv.gz`,
    format: "tsv.gz",
    what: "median TPM of every gene (rows) in every tissue (columns)",
    table: { columns: { geneId: "id" }, rest: "float", key: ["geneId"] },
  },
  topExpressed: {
    pattern: `expr/topExpressedGene.${V}.tsv`,
    format: "tsv",
    what: "genes by median TPM within each tissue",
    table: {
      columns: {
        tissueSiteDetailId: "id",
        geneId: "id",
        median: "float",
        chromosome: "id",
        mtGene: "bool",
        datasetId: "str",
        unit: "str",
      },
      key: ["tissueSiteDetailId", "geneId"],
    },
  },
  expression: {
    pattern: `expr/expr.{scale}.{tissue}.${G}.bed.gz`,
    format: "bed.gz",
    what: "expression BED of a tissue: TPM, or log2(read count + 1)",
  },
  phenotypes: {
    pattern: `phenos/phenos.{tissue}.{modality}.{normalisation}.${G}.bed.gz`,
    format: "bed.gz",
    what: "phenotype BED of a tissue and modality, normalised (mapped) or not",
  },
  covariates: {
    pattern: `covar/covar.{tissue}.{modality}.${V}.tsv`,
    format: "tsv",
    what: "tensorQTL covariates (genotype PCs, phenotype PCs) by sample",
    table: { columns: { ID: "id" }, rest: "float", key: ["ID"] },
  },
  genotypes: {
    pattern: `geno/{dataset}.${GENOME_BUILD}.vcf.gz`,
    format: "vcf.gz",
    what: "genotypes (bgzip VCF, GT only) of a dataset's rats",
  },
  genotypeIndex: {
    pattern: `geno/{dataset}.${GENOME_BUILD}.vcf.gz.tbi`,
    format: "tbi",
    what: "the tabix index of a genotype VCF",
  },
  topAssoc: {
    pattern: `eqtl/top_assoc.${G}.tsv`,
    format: "tsv",
    what: "every tested gene × tissue with its top variant (eGene: qval < 0.05)",
    table: {
      columns: { ...ASSOC, qval: "float", pval_nominal_threshold: "float", log2_aFC: "float?" },
      key: ["tissue", "gene_id"],
    },
  },
  eqtlsIndep: {
    pattern: `eqtl/eqtls_indep.${G}.tsv`,
    format: "tsv",
    what: "conditionally independent eQTLs",
    table: { columns: { ...ASSOC, rank: "int", log2_aFC: "float?" }, key: ["tissue", "gene_id", "rank"] },
  },
  allGeneEsnps: {
    pattern: `eqtl/all_gene_esnps.${V}.zip`,
    format: "zip",
    what: "per gene, its significant pairs in every tissue (one member per gene)",
  },
  cisPvals: {
    pattern: `cis_pvals/{tissue}.${V}.zip`,
    format: "zip",
    what: "per gene, the nominal p-value of every tested cis variant in a tissue (one member per gene)",
  },
  xqtlsIndepCrossModality: {
    pattern: `xqtl/xqtls_indep.cross_modality.${G}.tsv`,
    format: "tsv",
    what: "conditionally independent xQTLs of the six modalities",
    table: XQTL_INDEP,
  },
  xqtlsIndep: {
    pattern: `xqtl/xqtls_indep.{modality}.${G}.tsv`,
    format: "tsv",
    what: "conditionally independent xQTLs of one modality",
    table: { columns: XQTL_MODALITY_INDEP, key: ["tissue", "gene_id", "rank"] },
  },
  xqtlTopAssoc: {
    pattern: `xqtl/top_assoc.{modality}.${G}.tsv`,
    format: "tsv",
    what: "top association of every tested phenotype (group) of one modality",
    table: { columns: XQTL_TOP, key: ["tissue", "phenotype_id"] },
  },
  xqtlTopAssocCrossModality: {
    pattern: `xqtl/top_assoc.cross_modality.${G}.tsv`,
    format: "tsv",
    what: "top association of every tested gene over all modalities (its strongest phenotype)",
    table: {
      columns: { tissue: "id", modality: "modality", ...XQTL_TOP },
      key: ["tissue", "gene_id"],
    },
  },
  cisQtlSignif: {
    pattern: `xqtl/cis_qtl_signif.{tissue}.{modality}.${G}.txt.gz`,
    format: "txt.gz",
    what: "every significant cis pair of a tissue and modality",
    table: {
      columns: {
        phenotype_id: "id",
        variant_id: "id",
        tss_distance: "int",
        af: "float",
        pval_nominal: "float",
        slope: "float",
        slope_se: "float",
      },
    },
  },
  transQtlPairs: {
    pattern: `xqtl/trans_qtl_pairs.{tissue}.expression.${G}.txt.gz`,
    format: "txt.gz",
    what: "trans pairs with p < 1e-5 and TSS distance > 5 Mb",
    // tensorQTL map_trans's columns, b and b_se renamed slope and slope_se by the server-data Snakefile.
    table: {
      columns: {
        variant_id: "id",
        phenotype_id: "id",
        pval: "float",
        slope: "float",
        slope_se: "float",
        af: "float",
      },
      key: ["variant_id", "phenotype_id"],
    },
  },
  ratIds: {
    pattern: `rat_ids/rat_ids.{tissue}.${V}.txt`,
    format: "txt",
    what: "the rats of a tissue's final sample set",
  },
  rats: {
    pattern: `ref/RatGTEx_rats.${V}.tsv`,
    format: "tsv",
    what: "rat metadata (sample_table.R): sex, coat colour, the tissues sampled",
    table: { columns: { rat_id: "id", sex: "str", coatcolor: "str", tissues: "str" }, key: ["rat_id"] },
  },
  samples: {
    pattern: `ref/RatGTEx_samples.${V}.tsv`,
    format: "tsv",
    what: "sample metadata (sample_table.R): tissue, rat, GEO/BioSample/SRA accessions",
    table: {
      columns: {
        tissue: "id",
        rat_id: "id",
        GEO_accession: "str",
        BioSample_accession: "str",
        SRA_accession: "str",
      },
      key: ["tissue", "rat_id"],
    },
  },
  fastqMap: { pattern: `fastq_map/fastq_map.{tissue}.${V}.txt`, format: "txt", what: "FASTQ files of each sample" },
  predictions: {
    pattern: `predict/pred-${PREDICTION_ROUND}-{tissue}-{modality}.tsv.gz`,
    format: "tsv.gz",
    what: "genetically predicted phenotypes (z-scores) of the genotyped rats, heritable phenotypes only",
    root: "data",
    // The page does not describe the layout; the bundled release assumes `rat_id`, then one column per
    // phenotype (fixtures/README.md), and the reader takes that.
    table: { columns: { rat_id: "id" }, rest: "float?", key: ["rat_id"] },
  },
  predictionStats: {
    pattern: "predict/phenotype_stats.tsv.gz",
    format: "tsv.gz",
    what: "per phenotype: heritability and prediction model accuracy",
    root: "data",
    // The columns the Predict page's script requires (pages/predict.html of daniel-munro/ratgtex).
    table: {
      columns: {
        tissue: "id",
        modality: "modality",
        gene_id: "id",
        phenotype_id: "id",
        hsq: "float?",
        hsq_se: "float?",
        hsq_pval: "float?",
        model_type: "str",
        model_cv_r2: "float?",
        model_cv_pval: "float?",
      },
      key: ["tissue", "modality", "phenotype_id"],
    },
  },
} as const satisfies Record<string, FileKind>;

/** The name of a file kind. */
export type FileKindName = keyof typeof FILE_KINDS;

/** The zip members' tables: a gene's file inside `cis_pvals/{T}.v4.zip` and `eqtl/all_gene_esnps.v4.zip`. */
export const MEMBER_TABLES = {
  cisPvals: { columns: { variant_id: "id", pval_nominal: "float" }, key: ["variant_id"] },
  allGeneEsnps: {
    columns: {
      variantId: "id",
      pValue: "float",
      nes: "float",
      chromosome: "id",
      pos: "int",
      tissueSiteDetailId: "id",
    },
    key: ["tissueSiteDetailId", "variantId"],
    pandasStr: ["chromosome"],
  },
} as const satisfies Record<string, TableSpec>;

/** The declared table of a file kind (undefined for kinds that are not tables or not parsed yet). */
export function tableSpec(kind: FileKindName): TableSpec | undefined {
  return (FILE_KINDS[kind] as FileKind).table;
}

/** The IDs of a release that paths are built from. */
export interface ReleaseIds {
  /** Tissue IDs, in `tissue_info` order. */
  tissues: readonly string[];
  /** Genotype datasets (`tissue_info`'s `dataset` column), each once. */
  datasets: readonly string[];
}

/**
 * How an ID must look to become part of a file name: letters, digits, `_` and `-` (no dot: dots separate
 * the parts of a file name; no slash: a path never leaves its folder).
 */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const PARAM_PATTERN: Record<PathParam, string> = {
  tissue: "[A-Za-z0-9][A-Za-z0-9_-]*",
  modality: "[A-Za-z0-9][A-Za-z0-9_-]*",
  dataset: "[A-Za-z0-9][A-Za-z0-9_-]*",
  normalisation: "norm|unnorm",
  scale: "tpm|log2",
};

/** A path taken apart by {@link ReleaseLayout.kindOf}. */
export interface ParsedPath {
  /** The file kind. */
  kind: FileKindName;
  /** The parameters in the path. */
  params: Partial<Record<PathParam, string>>;
}

// A fixed name before a pattern that would also match it (`top_assoc.cross_modality` is its own kind, not
// `top_assoc.{modality}`): fewer parameters first (a stable sort keeps FILE_KINDS' order otherwise).
const MATCHERS: [FileKindName, RegExp, PathParam[]][] = (Object.keys(FILE_KINDS) as FileKindName[]).map((
  kind,
): [FileKindName, RegExp, PathParam[]] => {
  const params: PathParam[] = [];
  // Escape the pattern's regex characters ({ and } are not among them), then turn each {param} into a group.
  const source = FILE_KINDS[kind].pattern.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name) => {
    params.push(name as PathParam);
    return `(${PARAM_PATTERN[name as PathParam]})`;
  });
  return [kind, new RegExp(`^${source}$`), params];
}).sort((a, b) => a[2].length - b[2].length);

/**
 * The file names of one release, built only from the IDs it has.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReleaseLayout } from "ratgtex/release";
 * const layout = new ReleaseLayout({ tissues: ["IL", "Liver"], datasets: ["ratgtex_v4_round11_2"] });
 * assert.equal(layout.phenotypes("IL", "expression", "norm"), "phenos/phenos.IL.expression.norm.v4_rn8.bed.gz");
 * assert.equal(layout.cisPvalsMember("IL", "Cd300lf"), "IL.v4/Cd300lf.txt");
 * assert.throws(() => layout.cisPvals("../../x"), /not a tissue of this release/);
 * assert.throws(() => layout.covariates("IL", "constructor"), /not a modality/);
 * assert.deepEqual(layout.kindOf("eqtl/top_assoc.v4_rn8.tsv"), { kind: "topAssoc", params: {} });
 * ```
 */
export class ReleaseLayout {
  /** Tissue IDs, in `tissue_info` order. */
  readonly tissues: readonly string[];
  /** Genotype datasets. */
  readonly datasets: readonly string[];
  readonly #tissues: ReadonlySet<string>;
  readonly #datasets: ReadonlySet<string>;

  /**
   * A layout for a release with these IDs (each must look like an ID: letters, digits, `_`, `-`).
   * Without IDs, only the files named without one (`tissue_info.v4.tsv`, the release-wide tables) can be
   * named.
   */
  constructor(ids: ReleaseIds = { tissues: [], datasets: [] }) {
    for (const [what, list] of [["tissue", ids.tissues], ["dataset", ids.datasets]] as const) {
      for (const id of list) {
        if (typeof id !== "string" || !ID.test(id)) {
          throw new ValidationError(
            what,
            id,
            "cannot name a file of a release (IDs are letters, digits, _ and -)",
            "check tissue_info.v4.tsv",
          );
        }
      }
    }
    this.tissues = [...ids.tissues];
    this.datasets = [...new Set(ids.datasets)];
    this.#tissues = new Set(this.tissues);
    this.#datasets = new Set(this.datasets);
  }

  /**
   * The layout of the release whose `tissue_info.v4.tsv` has these rows (`tissueSiteDetailId`, `dataset`):
   * an ID that cannot name a file is a typed error naming the file, line and field.
   */
  static fromTissueInfo(
    rows: readonly { tissueSiteDetailId: string; dataset: string; line?: number }[],
  ): ReleaseLayout {
    const file = FILE_KINDS.tissueInfo.pattern;
    for (const r of rows) {
      for (const field of ["tissueSiteDetailId", "dataset"] as const) {
        if (!ID.test(r[field])) {
          throw new ReleaseFormatError(
            { file, line: r.line, field },
            `${JSON.stringify(r[field])} cannot name a file of the release (IDs are letters, digits, _ and -)`,
          );
        }
      }
    }
    return new ReleaseLayout({
      tissues: rows.map((r) => r.tissueSiteDetailId),
      datasets: rows.map((r) => r.dataset),
    });
  }

  /** `id` when it is a tissue of this release, else a `ValidationError` naming `parameter`. */
  tissue(id: string, parameter = "tissueSiteDetailId"): string {
    if (typeof id === "string" && this.#tissues.has(id)) return id;
    throw new ValidationError(
      parameter,
      id,
      "not a tissue of this release (tissue_info.v4.tsv)",
      this.tissues.length > 0 ? `use one of ${this.tissues.join(", ")}` : "open the release's tissue_info first",
    );
  }

  /** `id` when it is a genotype dataset of this release. */
  dataset(id: string, parameter = "dataset"): string {
    if (typeof id === "string" && this.#datasets.has(id)) return id;
    throw new ValidationError(
      parameter,
      id,
      "not a genotype dataset of this release (tissue_info.v4.tsv's dataset column)",
      this.datasets.length > 0 ? `use one of ${this.datasets.join(", ")}` : "open the release's tissue_info first",
    );
  }

  /** `id` when it is one of the six modalities. */
  modality(id: string, parameter = "modality"): string {
    if (typeof id === "string" && Object.hasOwn(XQTL_MODALITIES, id)) return id;
    throw new ValidationError(parameter, id, "not a modality of RatGTEx v4", `use one of ${MODALITIES.join(", ")}`);
  }

  /**
   * The path of a file kind with its parameters (each checked against the release), relative to `data/v4/`
   * (or to `data/` for the kinds whose `root` is `data`).
   */
  path(kind: FileKindName, params: Partial<Record<PathParam, string>> = {}): string {
    const spec = FILE_KINDS[kind] as FileKind;
    if (spec === undefined || !Object.hasOwn(FILE_KINDS, kind)) {
      throw new ValidationError(
        "kind",
        kind,
        "not a file kind of a release",
        `one of ${Object.keys(FILE_KINDS).join(", ")}`,
      );
    }
    return spec.pattern.replace(/\{(\w+)\}/g, (_, name: PathParam) => this.#param(name, params[name], kind));
  }

  #param(name: PathParam, value: string | undefined, kind: FileKindName): string {
    switch (name) {
      case "tissue":
        return this.tissue(value as string);
      case "dataset":
        return this.dataset(value as string);
      case "modality":
        // Pantry's cross-modality run has its own covariates (covar.{T}.cross_modality.v4.tsv).
        if (kind === "covariates" && value === "cross_modality") return value;
        return this.modality(value as string);
      case "normalisation":
        if (value === "norm" || value === "unnorm") return value;
        throw new ValidationError("normalisation", value, "must be norm or unnorm", 'pass "norm" or "unnorm"');
      case "scale":
        if (value === "tpm" || value === "log2") return value;
        throw new ValidationError("scale", value, "must be tpm or log2", 'pass "tpm" or "log2"');
    }
  }

  /** `tissue_info.v4.tsv`. */
  tissueInfo(): string {
    return this.path("tissueInfo");
  }
  /** `gene.v4.tsv`. */
  geneTable(): string {
    return this.path("genes");
  }
  /** `autocomplete.v4.json`. */
  geneList(): string {
    return this.path("geneList");
  }
  /** `exon.v4.tsv`. */
  exons(): string {
    return this.path("exons");
  }
  /** `expr/medianGeneExpression.v4.tsv.gz`. */
  medianExpression(): string {
    return this.path("medianExpression");
  }
  /** `expr/topExpressedGene.v4.tsv`. */
  topExpressed(): string {
    return this.path("topExpressed");
  }
  /** `expr/expr.{tpm|log2}.{T}.v4_rn8.bed.gz`. */
  expression(scale: ExpressionScale, tissue: string): string {
    return this.path("expression", { scale, tissue });
  }
  /** `phenos/phenos.{T}.{M}.{norm|unnorm}.v4_rn8.bed.gz`. */
  phenotypes(tissue: string, modality: string, normalisation: Normalisation): string {
    return this.path("phenotypes", { tissue, modality, normalisation });
  }
  /** `covar/covar.{T}.{M}.v4.tsv`. */
  covariates(tissue: string, modality: string): string {
    return this.path("covariates", { tissue, modality });
  }
  /** `geno/{D}.rn8.vcf.gz`. */
  genotypes(dataset: string): string {
    return this.path("genotypes", { dataset });
  }
  /** `geno/{D}.rn8.vcf.gz.tbi`. */
  genotypeIndex(dataset: string): string {
    return this.path("genotypeIndex", { dataset });
  }
  /** `eqtl/top_assoc.v4_rn8.tsv`. */
  topAssoc(): string {
    return this.path("topAssoc");
  }
  /** `eqtl/eqtls_indep.v4_rn8.tsv`. */
  eqtlsIndep(): string {
    return this.path("eqtlsIndep");
  }
  /** `eqtl/all_gene_esnps.v4.zip`. */
  allGeneEsnps(): string {
    return this.path("allGeneEsnps");
  }
  /**
   * A gene's member of `all_gene_esnps.v4.zip` (`all_gene_esnps.v4/{gene}.txt`). A member name is a key
   * into the archive's directory, never a path on disk: any gene ID is looked up as the server does.
   */
  allGeneEsnpsMember(geneId: string): string {
    return `all_gene_esnps.${V}/${geneId}.txt`;
  }
  /** `cis_pvals/{T}.v4.zip`. */
  cisPvals(tissue: string): string {
    return this.path("cisPvals", { tissue });
  }
  /** A gene's member of `cis_pvals/{T}.v4.zip` (`{T}.v4/{gene}.txt`; a key into the archive, as above). */
  cisPvalsMember(tissue: string, geneId: string): string {
    return `${this.tissue(tissue)}.${V}/${geneId}.txt`;
  }
  /** The gene ID of a member name of `cis_pvals` or `all_gene_esnps` (`{folder}/{gene}.txt`), or null. */
  memberGene(member: string): string | null {
    const m = /^[^/]+\/(.+)\.txt$/.exec(member);
    return m ? m[1] : null;
  }
  /** `xqtl/xqtls_indep.cross_modality.v4_rn8.tsv`. */
  xqtlsIndepCrossModality(): string {
    return this.path("xqtlsIndepCrossModality");
  }
  /** `xqtl/xqtls_indep.{M}.v4_rn8.tsv`. */
  xqtlsIndep(modality: string): string {
    return this.path("xqtlsIndep", { modality });
  }
  /** `xqtl/top_assoc.{M}.v4_rn8.tsv`. */
  xqtlTopAssoc(modality: string): string {
    return this.path("xqtlTopAssoc", { modality });
  }
  /** `xqtl/top_assoc.cross_modality.v4_rn8.tsv`. */
  xqtlTopAssocCrossModality(): string {
    return this.path("xqtlTopAssocCrossModality");
  }
  /** `xqtl/cis_qtl_signif.{T}.{M}.v4_rn8.txt.gz`. */
  cisQtlSignif(tissue: string, modality: string): string {
    return this.path("cisQtlSignif", { tissue, modality });
  }
  /** `xqtl/trans_qtl_pairs.{T}.expression.v4_rn8.txt.gz`. */
  transQtlPairs(tissue: string): string {
    return this.path("transQtlPairs", { tissue });
  }
  /** `rat_ids/rat_ids.{T}.v4.txt`. */
  ratIds(tissue: string): string {
    return this.path("ratIds", { tissue });
  }
  /** `ref/RatGTEx_rats.v4.tsv`. */
  rats(): string {
    return this.path("rats");
  }
  /** `ref/RatGTEx_samples.v4.tsv`. */
  samples(): string {
    return this.path("samples");
  }
  /** `fastq_map/fastq_map.{T}.v4.txt`. */
  fastqMap(tissue: string): string {
    return this.path("fastqMap", { tissue });
  }
  /** `predict/pred-round11_2-{T}-{M}.tsv.gz`, relative to the `data/` folder (beside `v4/`). */
  predictions(tissue: string, modality: string): string {
    return this.path("predictions", { tissue, modality });
  }
  /** `predict/phenotype_stats.tsv.gz`, relative to the `data/` folder. */
  predictionStats(): string {
    return this.path("predictionStats");
  }

  /**
   * The kind and parameters of a path, or null when the path is no file of a release (the IDs in it are
   * not checked against this release: use the path functions for that).
   */
  kindOf(path: string): ParsedPath | null {
    for (const [kind, re, names] of MATCHERS) {
      const m = re.exec(path);
      if (!m) continue;
      const params: Partial<Record<PathParam, string>> = {};
      names.forEach((name, i) => (params[name] = m[i + 1]));
      return { kind, params };
    }
    return null;
  }

  /**
   * A path of this release when `path` names one of its files with IDs it has (checked as the path
   * functions check them), else a `ValidationError`: how a path given by a user becomes one the readers
   * open.
   */
  checked(path: string, parameter = "path"): string {
    const parsed = this.kindOf(path);
    if (parsed === null || (FILE_KINDS[parsed.kind] as FileKind).root === "data") {
      throw new ValidationError(
        parameter,
        path,
        "is not a file of a RatGTEx v4 release",
        "name a file of data/v4 (see FILE_KINDS in lib/release/layout.ts)",
      );
    }
    return this.path(parsed.kind, parsed.params);
  }
}
