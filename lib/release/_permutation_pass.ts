/**
 * The permutation pass of a release recomputed from its own files, as RatGTEx ran it (tensorQTL `map_cis`
 * through Pantry's `run_tensorqtl.py`): for a gene in a tissue and modality, the normalised phenotype
 * BED's rows of the gene (`phenos/phenos.{T}.{M}.norm.v4_rn8.bed.gz`; a group of phenotypes for the
 * grouped modalities), the covariates (`covar/covar.{T}.{M}.v4.tsv`), and the variants of the genotype
 * VCF within 1 Mb of the phenotype — bi-allelic, minor allele frequency ≥ 0.01 and count ≥ 2 among the
 * tissue's samples (the pipeline's `plink2 --maf 0.01 --mac 2 --max-alleles 2 --keep rat_ids`), then
 * tensorQTL's own filter, minor allele frequency ≥ 10 / (2n) (Pantry's `--min_allele_count 10`) — go
 * through {@linkcode cisPermutationPass}. A conditional scan (an `eqtls_indep` row) adds the gene's other
 * independent variants to the covariates and leaves them out of the scan.
 *
 * Each tissue × modality's files are read once per release object; every scan of one run shares one set of
 * permutations (tensorQTL draws them once per `map_cis` call).
 *
 * @module
 */
import { covariateMatrix } from "./_covariates.ts";
import { ValidationError } from "../_core/errors.ts";
import { alignSamples } from "../analysis/regression/covariates.ts";
import { cisPermutationPass } from "../analysis/regression/cis_permutation_pass.ts";
import { permutationIndices } from "../analysis/regression/cis_scan.ts";
import type { PhenotypeBed } from "./bed.ts";
import type { ReleaseFolder } from "./folder.ts";
import type { GenotypeVariant, VcfFile } from "./vcf.ts";
import { MODALITIES } from "./layout.ts";

/** RatGTEx's cis window (Pantry's `--window`, tensorQTL's default). */
export const CIS_WINDOW = 1_000_000;
/** Pantry's `--min_allele_count`: tensorQTL's MAF threshold is this / (2n). */
export const MIN_ALLELE_COUNT = 10;
/** The modalities Pantry maps with phenotype groups (one group per gene): the others are one phenotype per gene. */
export const GROUPED_MODALITIES: ReadonlySet<string> = new Set(["alt_polyA", "alt_TSS", "isoforms", "splicing"]);

/** The gene a phenotype ID belongs to (RatGTEx's IDs are `{gene}__{feature}` for grouped modalities). */
export function geneOfPhenotype(phenotypeId: string): string {
  return phenotypeId.split("__")[0];
}

/** The rows of a normalised phenotype BED that a scan reads (one file, or the modalities combined). */
export interface PhenotypeRows {
  /** Sample IDs, in column order. */
  readonly samples: readonly string[];
  /** Phenotype IDs, in file order. */
  ids(): string[];
  /** A phenotype's position (`#chr`, 0-based `start`, `end`). */
  position(id: string): { chromosome: string; start: number; end: number } | undefined;
  /** A phenotype's values in `samples` order. */
  numbers(id: string): Float64Array | undefined;
}

/**
 * The cross-modality phenotypes of a tissue, as Pantry's `combine_modalities.sh` makes them: every modality's
 * normalised phenotypes with `{modality}:` IDs, the samples of the first BED (the others aligned by ID).
 */
class CombinedRows implements PhenotypeRows {
  readonly samples: readonly string[];
  readonly #rows = new Map<string, { bed: PhenotypeBed; id: string; column: Int32Array | null }>();

  constructor(beds: { modality: string; bed: PhenotypeBed }[], file: string) {
    this.samples = beds[0].bed.samples;
    for (const { modality, bed } of beds) {
      const column = bed.samples.join("\t") === this.samples.join("\t")
        ? null
        : alignSamples(this.samples, bed.samples, file);
      for (const id of bed.ids()) this.#rows.set(`${modality}:${id}`, { bed, id, column });
    }
  }
  ids(): string[] {
    return [...this.#rows.keys()];
  }
  position(id: string) {
    const r = this.#rows.get(id);
    return r && r.bed.position(r.id);
  }
  numbers(id: string): Float64Array | undefined {
    const r = this.#rows.get(id);
    const v = r?.bed.numbers(r.id);
    if (v === undefined || r!.column === null) return v;
    return Float64Array.from(r!.column, (c) => v[c]);
  }
}

/** The gene of a phenotype ID (cross-modality IDs carry a `{modality}:` prefix). */
function geneOf(phenotypeId: string, modality: string): string {
  return geneOfPhenotype(modality === "cross_modality" ? phenotypeId.slice(phenotypeId.indexOf(":") + 1) : phenotypeId);
}

/** One tissue × modality's inputs. */
export interface ModalityFiles {
  tissue: string;
  modality: string;
  bed: PhenotypeRows;
  /** The BED's samples (the tissue's rats). */
  sampleIds: readonly string[];
  /** The covariates, in the BED's sample order. */
  covariates: { names: string[]; values: Float64Array[]; sampleIds: string[] };
  vcf: VcfFile;
  /** The BED's phenotypes of each gene, in file order. */
  phenotypesOf: Map<string, string[]>;
}

/** Reads and keeps each tissue × modality's files. */
export class ScanInputs {
  readonly #folder: ReleaseFolder;
  readonly #files = new Map<string, Promise<ModalityFiles>>();

  /** Inputs read through a release's folder reader. */
  constructor(folder: ReleaseFolder) {
    this.#folder = folder;
  }

  /** The folder reader. */
  get folder(): ReleaseFolder {
    return this.#folder;
  }

  /** One tissue × modality's normalised BED, covariates and VCF. */
  files(tissue: string, modality: string): Promise<ModalityFiles> {
    const key = `${tissue}\t${modality}`;
    let f = this.#files.get(key);
    if (!f) {
      f = this.#load(tissue, modality);
      f.catch(() => this.#files.delete(key));
      this.#files.set(key, f);
    }
    return f;
  }

  async #load(tissue: string, modality: string): Promise<ModalityFiles> {
    const layout = await this.#folder.layout();
    layout.tissue(tissue, "tissueSiteDetailId");
    if (modality !== "cross_modality") layout.modality(modality);
    const dataset = (await this.#folder.tissues()).find((t) => t.id === tissue)!.dataset;
    let bed: PhenotypeRows;
    if (modality === "cross_modality") {
      // The modalities the release has for the tissue, combined (the release does not publish the combined BED).
      const beds: { modality: string; bed: PhenotypeBed }[] = [];
      for (const m of MODALITIES) {
        if (await this.#folder.source.has(layout.phenotypes(tissue, m, "norm"))) {
          beds.push({ modality: m, bed: await this.#folder.phenotypes(tissue, m, "norm") });
        }
      }
      bed = new CombinedRows(beds, layout.phenotypes(tissue, beds[0].modality, "norm"));
    } else bed = await this.#folder.phenotypes(tissue, modality, "norm");
    const sampleIds = bed.samples;
    const covariates = await covariateMatrix(this.#folder, tissue, modality, sampleIds);
    const phenotypesOf = new Map<string, string[]>();
    for (const p of bed.ids()) {
      const g = geneOf(p, modality);
      phenotypesOf.set(g, [...(phenotypesOf.get(g) ?? []), p]);
    }
    return {
      tissue,
      modality,
      bed,
      sampleIds,
      covariates,
      vcf: await this.#folder.vcf(dataset),
      phenotypesOf,
    };
  }
}

/** One scan: a gene's phenotypes (a group, or one), optionally conditional on some variants. */
export interface ScanRequest {
  /** The gene (the group). */
  geneId: string;
  /** Variants whose mean-imputed dosages join the covariates (and leave the scan). */
  conditionOn?: readonly string[];
}

/** One scan's result: `cisPermutationPass`'s row, camelCase. */
export interface ScanResult {
  phenotypeId: string | null;
  groupSize: number;
  numVar: number;
  /**
   * Variants of the window in the tissue's genotypes before tensorQTL's MAF filter (the conditioning ones
   * included): what `map_independent` writes as `num_var`.
   */
  windowVariants: number;
  variantId: string | null;
  pValue: number;
  slope: number;
  slopeSe: number;
  pValuePerm: number;
  pValueBeta: number;
  betaShape1: number;
  betaShape2: number;
  trueDf: number;
  pValueTrueDf: number;
  pValueBetaLow: number;
  pValueBetaHigh: number;
  /** Covariates of the scan (the file's, plus conditioning variants). */
  covariates: number;
  reason: string | null;
}

/** Options of a run of scans. */
export interface ScanOptions {
  /** Permutations: a count, or explicit indices (count × samples). */
  permutations: number | Int32Array;
  /** Seed of the permutations (with a count); default random. */
  seed?: number;
  /** Coverage of the Monte-Carlo interval of `pval_beta` (default 0.999). */
  level?: number;
  /** Permutations of the run the interval is for (the release's; RatGTEx's 10,000). */
  otherPermutations?: number;
}

/** The ALT dosages (−1 missing) of one VCF record over the tissue's samples, by column. */
function plinkKeeps(d: Int8Array): boolean {
  let alt = 0, called = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] >= 0) {
      alt += d[i];
      called++;
    }
  }
  const minor = Math.min(alt, 2 * called - alt);
  return called > 0 && minor >= 2 && minor / (2 * called) >= 0.01;
}

function meanImputed(d: Int8Array): Float64Array {
  let sum = 0, called = 0;
  for (const x of d) {
    if (x >= 0) {
      sum += x;
      called++;
    }
  }
  const mean = sum / called;
  return Float64Array.from(d, (x) => (x < 0 ? mean : x));
}

/**
 * Run scans of one tissue × modality, all with one set of permutations; results in request order, with
 * the seed the permutations were drawn from (null when given as indices).
 */
export async function runScans(
  files: ModalityFiles,
  requests: readonly ScanRequest[],
  options: ScanOptions,
): Promise<{ results: ScanResult[]; seed: number | null; nPermutations: number }> {
  const n = files.sampleIds.length;
  let permutations: Int32Array;
  let seed: number | null = null;
  if (options.permutations instanceof Int32Array) {
    permutations = options.permutations;
  } else {
    seed = options.seed ?? crypto.getRandomValues(new Uint32Array(1))[0];
    permutations = permutationIndices(n, options.permutations, seed);
  }
  const grouped = GROUPED_MODALITIES.has(files.modality) || files.modality === "cross_modality";
  const interval = { level: options.level, otherPermutations: options.otherPermutations };
  const prepared: Prepared[] = [];
  for (const req of requests) prepared.push(await prepare(files, req));
  const results: ScanResult[] = new Array(requests.length);
  // Scans without conditioning variants and with point phenotypes share one call (one kernel set-up, one
  // check of the permutations): each phenotype's window is then its own TSS ± 1 Mb over the union of variants.
  const batch = prepared.map((_, k) => k).filter((k) => prepared[k].extra.length === 0 && prepared[k].point);
  const alone = prepared.map((_, k) => k).filter((k) => !batch.includes(k));
  if (batch.length > 0) {
    const variants = new Map<string, GenotypeVariant>();
    for (const k of batch) for (const v of prepared[k].kept) variants.set(v.variantId, v);
    const order = [...variants.values()].sort((a, b) =>
      a.chromosome < b.chromosome ? -1 : a.chromosome > b.chromosome ? 1 : a.pos - b.pos
    );
    const phenotypeIds = batch.flatMap((k) => prepared[k].phenotypeIds);
    const table = await scanTable(files, phenotypeIds, order, [], permutations, {
      window: CIS_WINDOW,
      groups: grouped ? batch.flatMap((k) => prepared[k].phenotypeIds.map(() => prepared[k].geneId)) : undefined,
      interval,
    });
    const rowOf = new Map(table.map((r, j) => [r.group_id as string, j]));
    for (const k of batch) {
      const key = grouped ? prepared[k].geneId : prepared[k].phenotypeIds[0];
      results[k] = resultOf(table[rowOf.get(key)!], prepared[k], files.covariates.names.length);
    }
  }
  for (const k of alone) {
    const p = prepared[k];
    const [row] = await scanTable(files, p.phenotypeIds, p.kept, p.extra, permutations, {
      // Every variant passed lies in the window; the phenotype's end is its position (a span widens it).
      window: CIS_WINDOW + (p.span - 1),
      groups: grouped ? p.phenotypeIds.map(() => p.geneId) : undefined,
      interval,
    });
    results[k] = resultOf(row, p, files.covariates.names.length + p.extra.length);
  }
  return { results, seed, nPermutations: permutations.length / n };
}

/** One request's phenotypes, variants and conditioning dosages. */
interface Prepared {
  geneId: string;
  phenotypeIds: string[];
  /** Whether the phenotypes are points (BED start + 1 = end). */
  point: boolean;
  /** end − start of the first phenotype. */
  span: number;
  /** The scanned variants (in the tissue's genotypes, the conditioning ones left out). */
  kept: GenotypeVariant[];
  /** The window's variants in the tissue's genotypes (conditioning ones included). */
  windowVariants: number;
  extra: { id: string; values: Float64Array }[];
}

async function prepare(files: ModalityFiles, req: ScanRequest): Promise<Prepared> {
  const phenotypeIds = files.phenotypesOf.get(req.geneId);
  if (phenotypeIds === undefined) {
    throw new ValidationError(
      "geneId",
      req.geneId,
      `has no phenotype in phenos.${files.tissue}.${files.modality}.norm (tested genes only)`,
      "check the gene ID, or choose a tissue and modality where the gene was tested",
    );
  }
  const first = files.bed.position(phenotypeIds[0])!;
  // tensorQTL's window: [start + 1 − window, end + window] of the (1-based) phenotype position.
  const lo = Math.max(1, first.start + 1 - CIS_WINDOW), hi = first.end + CIS_WINDOW;
  const geno = await files.vcf.genotypes({
    region: { chromosome: first.chromosome, start: lo, end: hi },
    rats: files.sampleIds,
  });
  const conditionOn = new Set(req.conditionOn ?? []);
  const extra: { id: string; values: Float64Array }[] = [];
  for (const id of conditionOn) {
    const v = geno.variants.find((x) => x.variantId === id) ??
      (await files.vcf.genotypes({ variantIds: [id], rats: files.sampleIds })).variants[0];
    extra.push({ id, values: meanImputed(v.dosages) });
  }
  const inTissue = geno.variants.filter((v) => !v.multiAllelic && v.alts.length === 1 && plinkKeeps(v.dosages));
  return {
    geneId: req.geneId,
    phenotypeIds,
    point: phenotypeIds.every((p) => {
      const x = files.bed.position(p)!;
      return x.start + 1 === x.end && x.end === first.end && x.chromosome === first.chromosome;
    }),
    span: first.end - first.start,
    kept: inTissue.filter((v) => !conditionOn.has(v.variantId)),
    windowVariants: inTissue.length,
    extra,
  };
}

/** One call of the permutation pass; its table's rows as records. */
async function scanTable(
  files: ModalityFiles,
  phenotypeIds: string[],
  variants: GenotypeVariant[],
  extra: { id: string; values: Float64Array }[],
  permutations: Int32Array,
  options: { window: number; groups?: string[]; interval: { level?: number; otherPermutations?: number } },
): Promise<Record<string, number | string | null>[]> {
  const n = files.sampleIds.length;
  const dosages = new Int8Array(variants.length * n);
  variants.forEach((v, i) => dosages.set(v.dosages, i * n));
  const pass = await cisPermutationPass({
    sampleIds: files.sampleIds,
    phenotypes: {
      phenotypeIds,
      chromosomes: phenotypeIds.map((p) => files.bed.position(p)!.chromosome),
      positions: phenotypeIds.map((p) => files.bed.position(p)!.end),
      values: phenotypeIds.map((p) => files.bed.numbers(p)!),
    },
    genotypes: {
      variantIds: variants.map((v) => v.variantId),
      chromosomes: variants.map((v) => v.chromosome),
      positions: variants.map((v) => v.pos),
      dosages,
    },
    covariates: {
      names: [...files.covariates.names, ...extra.map((e) => e.id)],
      values: [...files.covariates.values, ...extra.map((e) => e.values)],
      sampleIds: files.covariates.sampleIds,
    },
  }, {
    permutations,
    window: options.window,
    mafThreshold: MIN_ALLELE_COUNT / (2 * n),
    threads: 1,
    groups: options.groups,
    interval: options.interval,
  });
  return pass.table.toRecords() as Record<string, number | string | null>[];
}

function resultOf(r: Record<string, number | string | null>, p: Prepared, covariates: number): ScanResult {
  const num = (k: string) => (r[k] === null ? NaN : r[k] as number);
  return {
    phenotypeId: r.phenotype_id as string | null,
    groupSize: r.group_size as number,
    numVar: r.num_var as number,
    windowVariants: p.windowVariants,
    variantId: r.variant_id as string | null,
    pValue: num("pval_nominal"),
    slope: num("slope"),
    slopeSe: num("slope_se"),
    pValuePerm: num("pval_perm"),
    pValueBeta: num("pval_beta"),
    betaShape1: num("beta_shape1"),
    betaShape2: num("beta_shape2"),
    trueDf: num("true_df"),
    pValueTrueDf: num("pval_true_df"),
    pValueBetaLow: num("pval_beta_low"),
    pValueBetaHigh: num("pval_beta_high"),
    covariates,
    reason: r.reason as string | null,
  };
}
