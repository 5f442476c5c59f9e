/**
 * Loader of the offline universe (fixtures/universe/): the synthetic mini-RatGTEx that the twin server
 * serves. It reads the generator's tables once and indexes them the way the real server's data files
 * are indexed (by tissue, gene, variant).
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

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
  /** Per gene: median TPM per tissue (tissue order), rounded to 3 decimals. */
  medians: Map<string, number[]>;
  /** `tissue|gene` → variant → nominal p-value (6 significant digits). */
  nominal: Map<string, Map<string, number>>;
  /** `tissue|gene` → the gene's p-value threshold. */
  thresholds: Map<string, number>;
  /** Per gene: significant pairs, in tissue then position order. */
  significant: Map<string, SignificantPair[]>;
  /** Per gene: independent eQTLs. */
  eqtls: Map<string, IndependentEqtl[]>;
  /** Per gene: independent xQTLs. */
  xqtls: Map<string, IndependentXqtl[]>;
  /** Per tissue: every gene by median, descending. */
  top: Map<string, TopGene[]>;
  /** The generator's manifest (seed, version, sizes). */
  manifest: Record<string, unknown>;
}

const DEFAULT_DIR = new URL("../../fixtures/universe/", import.meta.url);

let cached: Promise<Universe> | null = null;

/**
 * Load the offline universe (once per process for the bundled one).
 *
 * @param dir folder holding the universe; defaults to the bundled `fixtures/universe/`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadUniverse } from "ratgtex/offline";
 * const u = await loadUniverse();
 * assert.equal(u.tissues.length, 13);
 * ```
 */
export function loadUniverse(dir?: string | URL): Promise<Universe> {
  if (dir !== undefined) return readUniverse(toDirUrl(dir));
  cached ??= readUniverse(DEFAULT_DIR).catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}

function toDirUrl(dir: string | URL): URL {
  if (dir instanceof URL) return dir;
  // pathToFileURL percent-encodes what a URL would misread in a path (`#`, `?`, `%`, spaces) and
  // knows Windows paths; the trailing slash makes the file names resolve inside the folder.
  const url = pathToFileURL(resolve(dir));
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

function tsv(text: string): string[][] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(1).map((l) => l.split("\t"));
}

function group<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

async function readUniverse(dir: URL): Promise<Universe> {
  const read = (p: string) => Deno.readTextFile(new URL(p, dir));
  const [manifestText, tissuesText, genesText, samplesText, genoText] = await Promise.all([
    read("manifest.json"),
    read("tissues.json"),
    read("genes.json"),
    read("samples.json"),
    read("genotypes.tsv"),
  ]);
  const tissues = JSON.parse(tissuesText) as UniverseTissue[];
  const genes = new Map<string, UniverseGene>();
  for (const g of JSON.parse(genesText) as (Omit<UniverseGene, "status"> & { status: string })[]) {
    const status = g.status.split(",").map((s) => ({
      expressed: s[0] === "1",
      testedEqtl: s[1] === "1",
      eqtl: s[2] === "1",
    }));
    genes.set(g.geneId, { ...g, status });
  }
  const samplesJson = JSON.parse(samplesText) as { rats: string[]; tissues: Record<string, string> };
  const samples = new Map<string, number[]>();
  for (const t of tissues) {
    samples.set(t.tissueSiteDetailId, samplesJson.tissues[t.tissueSiteDetailId].split(",").map(Number));
  }

  const variants = new Map<string, UniverseVariant>();
  for (const [variantId, chromosome, pos, ref, alt, dos] of tsv(genoText)) {
    const dosages = new Int8Array(dos.length);
    for (let i = 0; i < dos.length; i++) dosages[i] = dos.charCodeAt(i) === 46 ? -1 : dos.charCodeAt(i) - 48;
    variants.set(variantId, { variantId, chromosome, pos: Number(pos), ref, alt, dosages });
  }

  const expression = new Map<string, Map<string, Float64Array>>();
  await Promise.all(tissues.map(async (t) => {
    const m = new Map<string, Float64Array>();
    for (const [geneId, ...values] of tsv(await read(`expression/${t.tissueSiteDetailId}.tsv`))) {
      m.set(geneId, Float64Array.from(values, Number));
    }
    expression.set(t.tissueSiteDetailId, m);
  }));

  const [mediansText, nominalText, thresholdsText, sigText, eqtlText, xqtlText, topText] = await Promise.all([
    read("medians.tsv"),
    read("nominal.tsv"),
    read("thresholds.tsv"),
    read("significant.tsv"),
    read("eqtl_independent.tsv"),
    read("xqtl_independent.tsv"),
    read("top_expressed.tsv"),
  ]);
  const medians = new Map<string, number[]>();
  for (const [geneId, ...values] of tsv(mediansText)) medians.set(geneId, values.map(Number));
  const nominal = new Map<string, Map<string, number>>();
  for (const [tissue, geneId, variantId, p] of tsv(nominalText)) {
    const key = `${tissue}|${geneId}`;
    let m = nominal.get(key);
    if (!m) nominal.set(key, m = new Map());
    m.set(variantId, Number(p));
  }
  const thresholds = new Map<string, number>();
  for (const [tissue, geneId, th] of tsv(thresholdsText)) thresholds.set(`${tissue}|${geneId}`, Number(th));
  const significant = new Map<string, SignificantPair[]>();
  for (const [tissue, geneId, variantId, nes, p] of tsv(sigText)) {
    group(significant, geneId, { tissue, variantId, nes: Number(nes), pValue: Number(p) });
  }
  const eqtls = new Map<string, IndependentEqtl[]>();
  for (const [tissue, geneId, variantId, ref, alt, pb, afc] of tsv(eqtlText)) {
    group(eqtls, geneId, { tissue, variantId, ref, alt, pValueBeta: Number(pb), log2aFC: Number(afc) });
  }
  const xqtls = new Map<string, IndependentXqtl[]>();
  for (const [tissue, geneId, modality, phenotypeId, variantId, ref, alt, pb] of tsv(xqtlText)) {
    group(xqtls, geneId, { tissue, modality, phenotypeId, variantId, ref, alt, pValueBeta: Number(pb) });
  }
  const top = new Map<string, TopGene[]>();
  for (const [tissue, geneId, chromosome, median, mt] of tsv(topText)) {
    group(top, tissue, { geneId, chromosome, median: Number(median), mtGene: mt === "true" });
  }
  return {
    tissues,
    genes,
    rats: samplesJson.rats,
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
    manifest: JSON.parse(manifestText),
  };
}
