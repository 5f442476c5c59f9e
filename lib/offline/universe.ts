/**
 * The offline universe as one in-memory view: every table of a release folder (by default the bundled
 * miniature release, fixtures/data/v4) read once and indexed by tissue, gene and variant. Tests, teaching
 * material and notebooks use it to know what the twin (which reads the same folder lazily) will answer.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLED_RELEASE, ReleaseFolder } from "../release/folder.ts";
import { parsePyFloat, type Table } from "../release/table.ts";
import { altDosage } from "../release/vcf.ts";

/** One of the 13 tissues, with the universe's computed counts. */
export interface UniverseTissue {
  /** Tissue ID, e.g. `"IL"`. */
  tissueSiteDetailId: string;
  /** Full name, e.g. `"Infralimbic cortex"`. */
  tissueSiteDetail: string;
  /** Site, e.g. `"Brain"`. */
  tissueSite: string;
  /** Colour without `#`, e.g. `"377eb8"`. */
  colorHex: string;
  /** Dataset (genotype file) name. */
  dataset: string;
  /** Number of samples (RNA-seq and genotyped). */
  samples: number;
  /** Genes with at least one conditionally independent eQTL. */
  eGeneCount: number;
  /** Genes called expressed. */
  expressedGeneCount: number;
}

/** One gene of the universe. */
export interface UniverseGene {
  /** Gene ID (a RefSeq-style symbol, e.g. `Cd300lf`). */
  geneId: string;
  /** Chromosome, e.g. `chr10`. */
  chromosome: string;
  /** First base (1-based). */
  start: number;
  /** Last base (1-based, inclusive). */
  end: number;
  /** Strand. */
  strand: "+" | "-";
  /** Transcription start site: `start` on `+`, `end` on `-`. */
  tss: number;
  /** Description (`""` when none). */
  description: string;
  /** Exons `[start, end]` by position. */
  exons: [number, number][];
  /** Per tissue (tissue order): expressed, tested for eQTLs, has an eQTL. */
  status: { expressed: boolean; testedEqtl: boolean; eqtl: boolean }[];
}

/** One variant: alleles and per-rat ALT dosages (`-1` = missing call). */
export interface UniverseVariant {
  /** Variant ID `chrN:pos`. */
  variantId: string;
  /** Chromosome, e.g. `chr10`. */
  chromosome: string;
  /** Position (1-based). */
  pos: number;
  /** REF allele. */
  ref: string;
  /** ALT allele(s); a comma marks the multi-allelic site. */
  alt: string;
  /** Per-rat dosage, `-1` for a missing call. */
  dosages: Int8Array;
}

/** A row of the significant single-tissue pairs. */
export interface SignificantPair {
  /** Tissue ID. */
  tissue: string;
  /** Variant ID `chrN:pos`. */
  variantId: string;
  /** Normalised effect size (tensorQTL slope). */
  nes: number;
  /** Nominal p-value. */
  pValue: number;
}

/** A conditionally independent eQTL. */
export interface IndependentEqtl {
  /** Tissue ID. */
  tissue: string;
  /** Variant ID `chrN:pos`. */
  variantId: string;
  /** REF allele. */
  ref: string;
  /** ALT allele. */
  alt: string;
  /** Beta-approximated permutation p-value. */
  pValueBeta: number;
  /** Allelic fold change (log2; NaN when the server writes NaN). */
  log2aFC: number;
}

/** A conditionally independent xQTL. */
export interface IndependentXqtl {
  /** Tissue ID. */
  tissue: string;
  /** RNA modality, e.g. `splicing`. */
  modality: string;
  /** Phenotype ID within the modality. */
  phenotypeId: string;
  /** Variant ID `chrN:pos`. */
  variantId: string;
  /** REF allele. */
  ref: string;
  /** ALT allele. */
  alt: string;
  /** Beta-approximated permutation p-value. */
  pValueBeta: number;
}

/** A row of the per-tissue top expressed genes (sorted by median, descending). */
export interface TopGene {
  /** Gene ID (a RefSeq-style symbol, e.g. `Cd300lf`). */
  geneId: string;
  /** Chromosome, e.g. `chr10`. */
  chromosome: string;
  /** Median TPM. */
  median: number;
  /** Whether the gene is on chrM. */
  mtGene: boolean;
}

/** The whole offline universe, indexed. */
export interface Universe {
  /** Tissues in the server's order. */
  tissues: UniverseTissue[];
  /** Genes by ID, in the universe's order. */
  genes: Map<string, UniverseGene>;
  /** Rat IDs (synthetic). */
  rats: string[];
  /** Per tissue, the rat index of each sample, in sample order. */
  samples: Map<string, number[]>;
  /** Variants by ID. */
  variants: Map<string, UniverseVariant>;
  /** Per tissue, per gene: TPM per sample. */
  expression: Map<string, Map<string, Float64Array>>;
  /** Per gene: median TPM per tissue (tissueInfo order), rounded to 3 decimals. */
  medians: Map<string, number[]>;
  /** `tissue|gene` → variant → nominal p-value (6 significant digits). */
  nominal: Map<string, Map<string, number>>;
  /** `tissue|gene` → the gene's p-value threshold. */
  thresholds: Map<string, number>;
  /** Per gene: significant pairs, in the order of `all_gene_esnps` (tissue, then position). */
  significant: Map<string, SignificantPair[]>;
  /** Per gene: independent eQTLs. */
  eqtls: Map<string, IndependentEqtl[]>;
  /** Per gene: independent xQTLs. */
  xqtls: Map<string, IndependentXqtl[]>;
  /** Per tissue: every gene by median, descending. */
  top: Map<string, TopGene[]>;
  /** The generator's manifest (seed, version, sizes): `manifest.json` beside the `v4` folder, or `{}`. */
  manifest: Record<string, unknown>;
}

let cached: Promise<Universe> | null = null;

/**
 * Load the offline universe (once per process for the bundled one).
 *
 * @param dir a release folder (`data/v4` or the `data` folder above it); defaults to the bundled
 *   miniature release.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadUniverse } from "ratgtex/offline";
 * const u = await loadUniverse();
 * assert.equal(u.tissues.length, 13);
 * ```
 */
export function loadUniverse(dir?: string | URL): Promise<Universe> {
  if (dir !== undefined) return readUniverse(dir instanceof URL ? fileURLToPath(dir) : dir);
  cached ??= readUniverse(BUNDLED_RELEASE).catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}

function group<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A table's rows as records of raw cells (own properties only: a column name never reaches a prototype). */
function records(t: Table): Record<string, string>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, j) => [c, r[j]])));
}

/** The generator's manifest beside the `v4` folder, when the folder given holds it (or it is the bundled one). */
async function readManifest(given: string, folder: ReleaseFolder): Promise<Record<string, unknown>> {
  const root = resolve(given) !== folder.dir
    ? resolve(given)
    : folder.dir === BUNDLED_RELEASE
    ? dirname(BUNDLED_RELEASE)
    : null;
  if (root === null) return {};
  const path = join(root, "manifest.json");
  try {
    const info = await Deno.lstat(path);
    if (!info.isFile || info.size > 65536) return {};
    const value = JSON.parse(await Deno.readTextFile(path));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

const num = parsePyFloat;

async function readUniverse(dir: string): Promise<Universe> {
  const folder = ReleaseFolder.open(dir);
  const tissues: UniverseTissue[] = records(await folder.tissueInfo()).map((r) => ({
    tissueSiteDetailId: r.tissueSiteDetailId,
    tissueSiteDetail: r.tissueSiteDetail,
    tissueSite: r.tissueSite,
    colorHex: r.colorHex,
    dataset: r.dataset,
    samples: Number(r.rnaSeqSampleCount),
    eGeneCount: Number(r.eGeneCount),
    expressedGeneCount: Number(r.expressedGeneCount),
  }));
  const ids = tissues.map((t) => t.tissueSiteDetailId);

  const exons = new Map<string, [number, number][]>();
  for (const e of records(await folder.exons())) group(exons, e.geneId, [Number(e.start), Number(e.end)]);
  const genes = new Map<string, UniverseGene>();
  for (const g of records(await folder.genes())) {
    genes.set(g.geneId, {
      geneId: g.geneId,
      chromosome: g.chromosome,
      start: Number(g.start),
      end: Number(g.end),
      strand: g.strand as "+" | "-",
      tss: Number(g.tss),
      description: g.description === "NA" ? "" : g.description,
      exons: (exons.get(g.geneId) ?? []).sort((a, b) => a[0] - b[0]),
      status: ids.map((t) => ({
        expressed: g[`expr_${t}`] === "True",
        testedEqtl: g[`testedEqtl_${t}`] === "True",
        eqtl: g[`eqtl_${t}`] === "True",
      })),
    });
  }

  // Expression: one BED per tissue; the rats are every sample seen, in ID order.
  const matrices = await Promise.all(ids.map((t) => folder.expression(t)));
  const layout = await folder.layout();
  const rats = [...new Set(matrices.flatMap((m) => m.samples))].sort();
  const ratIndex = new Map(rats.map((r, i) => [r, i]));
  const samples = new Map<string, number[]>();
  const expression = new Map<string, Map<string, Float64Array>>();
  ids.forEach((t, i) => {
    const m = matrices[i];
    samples.set(t, m.samples.map((s) => ratIndex.get(s)!));
    expression.set(t, new Map(m.ids().map((g) => [g, m.row(g)!])));
  });

  // Genotypes: every dataset's VCF read whole (each record checked), each rat's calls from the VCF that has it.
  const variants = new Map<string, UniverseVariant>();
  for (const dataset of new Set(tissues.map((t) => t.dataset))) {
    const vcf = await folder.vcf(dataset);
    const columns = (await vcf.headerSamples()).map((name) => ratIndex.get(name) ?? -1);
    for await (const rec of vcf.records()) {
      const variantId = `${rec.contig}:${rec.pos}`;
      const alt = rec.fields[4];
      let v = variants.get(variantId);
      if (!v) {
        v = {
          variantId,
          chromosome: rec.contig,
          pos: rec.pos,
          ref: rec.ref,
          alt,
          dosages: new Int8Array(rats.length).fill(-1),
        };
        variants.set(variantId, v);
      }
      if ((rec.alts?.length ?? 0) !== 1) continue; // a multi-allelic site: no dosage
      columns.forEach((r, k) => {
        if (r >= 0) v.dosages[r] = altDosage(rec, 9 + k);
      });
    }
  }

  const medTable = await folder.medians();
  const medians = new Map<string, number[]>();
  for (const r of records(medTable)) medians.set(r.geneId, ids.map((t) => num(r[t])));

  const nominal = new Map<string, Map<string, number>>();
  for (const t of ids) {
    const zip = await folder.cisPvals(t);
    for (const name of zip.names()) {
      const gene = layout.memberGene(name);
      if (gene === null) continue;
      const m = new Map<string, number>();
      for (const r of records((await folder.cisPvalsOf(t, gene))!)) m.set(r.variant_id, num(r.pval_nominal));
      nominal.set(`${t}|${gene}`, m);
    }
  }
  const thresholds = new Map<string, number>();
  for (const r of records(await folder.topAssoc())) {
    thresholds.set(`${r.tissue}|${r.gene_id}`, num(r.pval_nominal_threshold));
  }

  const significant = new Map<string, SignificantPair[]>();
  const esnps = await folder.allGeneEsnps();
  for (const name of esnps.names()) {
    const gene = layout.memberGene(name);
    if (gene === null) continue;
    for (const r of records((await folder.esnpsOf(gene))!)) {
      group(significant, gene, {
        tissue: r.tissueSiteDetailId,
        variantId: r.variantId,
        nes: num(r.nes),
        pValue: num(r.pValue),
      });
    }
  }
  const eqtls = new Map<string, IndependentEqtl[]>();
  for (const r of records(await folder.eqtls())) {
    group(eqtls, r.gene_id, {
      tissue: r.tissue,
      variantId: r.variant_id,
      ref: r.ref,
      alt: r.alt,
      pValueBeta: num(r.pval_beta),
      log2aFC: num(r.log2_aFC),
    });
  }
  const xqtls = new Map<string, IndependentXqtl[]>();
  for (const r of records(await folder.xqtls())) {
    group(xqtls, r.gene_id, {
      tissue: r.tissue,
      modality: r.modality,
      phenotypeId: r.phenotype_id,
      variantId: r.variant_id,
      ref: r.ref,
      alt: r.alt,
      pValueBeta: num(r.pval_beta),
    });
  }
  const top = new Map<string, TopGene[]>();
  for (const r of records(await folder.topExpressed())) {
    group(top, r.tissueSiteDetailId, {
      geneId: r.geneId,
      chromosome: r.chromosome,
      median: num(r.median),
      mtGene: r.mtGene === "True",
    });
  }
  const manifest = await readManifest(dir, folder);
  return {
    tissues,
    genes,
    rats,
    samples,
    variants,
    expression,
    medians,
    nominal,
    thresholds,
    significant,
    eqtls,
    xqtls,
    top,
    manifest,
  };
}
