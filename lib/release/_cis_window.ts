/**
 * Internal: every tested variant's statistics for genes of one tissue, as tensorQTL's `map_nominal` writes
 * them — the cis scan (`cisNominal`) of the tissue's normalised phenotypes (`phenos/phenos.{T}.{M}.norm…`)
 * on the dosages of every bi-allelic variant of each phenotype's ±window (from the tissue's genotype VCF,
 * missing calls imputed with the variant's mean), adjusted for every covariate of `covar/covar.{T}.{M}.v4.tsv`
 * — with the release's own `cis_pvals` value beside each variant.
 *
 * The tissue's BED, covariates and VCF are read once per release object and shared by every call.
 *
 * @module
 */
import { covariateMatrix } from "./_covariates.ts";
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { cisNominal } from "../analysis/regression/cis_scan.ts";
import type { CovariateMatrix } from "../analysis/regression/regression_types.ts";
import type { PhenotypeBed } from "./bed.ts";
import type { ReleaseFolder } from "./folder.ts";
import type { VcfFile } from "./vcf.ts";
import type { CisInputs } from "./cis_inputs.ts";
import { agreesAsPrinted } from "./_pipeline_eqtls.ts";

/** What {@link cisWindowStatistics} takes. */
export interface CisWindowQuery {
  /** The phenotypes (gene IDs for expression), each mapped in the tissue. */
  phenotypeIds: readonly string[];
  /** The tissue. */
  tissue: string;
  /** The modality (default `expression`). */
  modality: string;
  /** Half-width of the cis window (RatGTEx: 1,000,000). */
  window: number;
}

interface TissueInputs {
  bed: PhenotypeBed;
  covariates: CovariateMatrix;
  vcf: VcfFile;
}

/** One release's per tissue × modality inputs, read on first use. */
export class CisWindowInputs {
  readonly #folder: ReleaseFolder;
  readonly #tissues = new Map<string, Promise<TissueInputs>>();
  #strands: Promise<Map<string, string>> | null = null;

  /** Inputs read through a release's reader. */
  constructor(folder: ReleaseFolder) {
    this.#folder = folder;
  }

  /** The release's reader. */
  get folder(): ReleaseFolder {
    return this.#folder;
  }

  /** Each gene's strand (`gene.v4.tsv`), read once. */
  strands(): Promise<Map<string, string>> {
    this.#strands ??= (async () => {
      const genes = await this.#folder.genes();
      const id = genes.col("geneId"), strand = genes.col("strand");
      return new Map(genes.rows.map((r) => [r[id], r[strand]]));
    })();
    this.#strands.catch(() => (this.#strands = null));
    return this.#strands;
  }

  /** A tissue's normalised BED, covariates (as a matrix in the file's sample order) and genotype VCF. */
  tissue(tissue: string, modality: string): Promise<TissueInputs> {
    const key = `${tissue}\t${modality}`;
    let t = this.#tissues.get(key);
    if (t === undefined) {
      t = this.#load(tissue, modality);
      t.catch(() => this.#tissues.delete(key));
      this.#tissues.set(key, t);
    }
    return t;
  }

  async #load(tissue: string, modality: string): Promise<TissueInputs> {
    const layout = await this.#folder.layout();
    layout.tissue(tissue, "tissueSiteDetailId");
    layout.modality(modality, "modality");
    const dataset = (await this.#folder.tissues()).find((t) => t.id === tissue)!.dataset;
    const [bed, covariates, vcf] = await Promise.all([
      this.#folder.phenotypes(tissue, modality, "norm"),
      covariateMatrix(this.#folder, tissue, modality),
      this.#folder.vcf(dataset),
    ]);
    return { bed, covariates, vcf };
  }
}

/**
 * The cis-window statistics of some phenotypes of one tissue (see the Release method for the columns), in
 * the order asked, each phenotype's variants by position.
 */
export async function cisWindowStatistics(inputs: CisWindowInputs, query: CisWindowQuery): Promise<pl.DataFrame> {
  const { tissue, modality, window } = query;
  const { bed, covariates, vcf } = await inputs.tissue(tissue, modality);
  const ids = [...new Set(query.phenotypeIds)];
  const positions = ids.map((p) => {
    const at = bed.position(p);
    if (at === undefined) {
      throw new ValidationError(
        "geneId",
        p,
        `not mapped in ${tissue} (not in ${bed.file}: tested ${modality} phenotypes only)`,
        "check the ID, or choose a tissue where it was tested (top associations list every tested gene × tissue)",
      );
    }
    return at;
  });
  // One region per chromosome, spanning every phenotype's window; the dosages over the BED's samples.
  const chromosomes = [...new Set(positions.map((p) => p.chromosome))];
  const variantIds: string[] = [], variantChromosomes: string[] = [], variantPositions: number[] = [];
  const dosages: Int8Array[] = [];
  const alleles = new Map<string, { ref: string; alt: string }>();
  for (const chromosome of chromosomes) {
    const tss = positions.filter((p) => p.chromosome === chromosome).map((p) => p.end);
    const start = Math.max(1, Math.min(...tss) - window), end = Math.max(...tss) + window;
    const geno = await vcf.genotypes({ region: { chromosome, start, end }, rats: bed.samples });
    for (const v of geno.variants) {
      // The pipeline maps bi-allelic variants (a multi-allelic site is not in cis_pvals).
      if (v.multiAllelic || v.alts.length !== 1) continue;
      variantIds.push(v.variantId), variantChromosomes.push(v.chromosome), variantPositions.push(v.pos);
      dosages.push(v.dosages);
      alleles.set(v.variantId, { ref: v.ref, alt: v.alts[0] });
    }
  }
  const n = bed.samples.length;
  const packed = new Int8Array(dosages.length * n);
  dosages.forEach((d, i) => packed.set(d, i * n));
  const scan = variantIds.length === 0 ? null : await cisNominal({
    sampleIds: bed.samples,
    phenotypes: {
      phenotypeIds: ids,
      chromosomes: positions.map((p) => p.chromosome),
      positions: positions.map((p) => p.end),
      values: ids.map((p) => bed.numbers(p)!),
    },
    genotypes: { variantIds, chromosomes: variantChromosomes, positions: variantPositions, dosages: packed },
    covariates,
  }, { window, threads: 1 });
  return await withPublished(inputs, query, scan, alleles, n);
}

/** One gene × tissue's pipeline inputs: its phenotype, the covariates, its window's bi-allelic dosages. */
export async function cisInputsOf(
  inputs: CisWindowInputs,
  query: { phenotypeId: string; tissue: string; modality: string; window: number },
): Promise<CisInputs> {
  const { phenotypeId, tissue, modality, window } = query;
  const { bed, covariates, vcf } = await inputs.tissue(tissue, modality);
  const at = bed.position(phenotypeId);
  if (at === undefined) {
    throw new ValidationError(
      "geneId",
      phenotypeId,
      `not mapped in ${tissue} (not in ${bed.file}: tested ${modality} phenotypes only)`,
      "check the ID, or choose a tissue where it was tested (top associations list every tested gene × tissue)",
    );
  }
  const geno = await vcf.genotypes({
    region: { chromosome: at.chromosome, start: Math.max(1, at.end - window), end: at.end + window },
    rats: bed.samples,
  });
  return {
    geneId: phenotypeId.split("__")[0],
    tissueSiteDetailId: tissue,
    modality,
    phenotypeId,
    chromosome: at.chromosome,
    tss: at.end,
    window,
    sampleIds: [...bed.samples],
    phenotype: bed.numbers(phenotypeId)!,
    covariates,
    variants: geno.variants.filter((v) => !v.multiAllelic && v.alts.length === 1),
  };
}

/** The scan's rows under the library's names, with `cis_pvals` beside (expression only). */
async function withPublished(
  inputs: CisWindowInputs,
  query: CisWindowQuery,
  scan: pl.DataFrame | null,
  alleles: Map<string, { ref: string; alt: string }>,
  samples: number,
): Promise<pl.DataFrame> {
  const rows = scan?.height ?? 0;
  const col = <T>(name: string): T[] => (scan === null ? [] : scan.getColumn(name).toArray() as T[]);
  const phenotype = col<string>("phenotype_id"), variant = col<string>("variant_id");
  const published: (number | null)[] = new Array(rows).fill(null);
  const agrees: (boolean | null)[] = new Array(rows).fill(null);
  if (query.modality === "expression") {
    const pValue = col<number>("pval_nominal");
    const members = new Map<string, Map<string, string>>();
    for (const id of new Set(phenotype)) {
      const member = await inputs.folder.cisPvalsOf(query.tissue, id);
      const map = new Map<string, string>();
      if (member !== null) {
        const v = member.col("variant_id"), p = member.col("pval_nominal");
        for (const r of member.rows) map.set(r[v], r[p]);
      }
      members.set(id, map);
    }
    for (let i = 0; i < rows; i++) {
      const token = members.get(phenotype[i])!.get(variant[i]);
      if (token === undefined) continue;
      const value = Number(token);
      published[i] = value;
      agrees[i] = agreesAsPrinted(pValue[i], { token, value });
    }
  }
  const geneIds = phenotype.map((p) => p.split("__")[0]);
  // The release's tss_distance is strand-aware (cis_qtl_signif.R recomputes tensorQTL's start_distance):
  // negative upstream of the TSS.
  const strands = await inputs.strands();
  const startDistance = col<number>("start_distance");
  const tssDistance = startDistance.map((d, i) => (strands.get(geneIds[i]) === "-" ? -d : d));
  return pl.DataFrame([
    pl.Series("geneId", geneIds, pl.Utf8),
    pl.Series("tissueSiteDetailId", phenotype.map(() => query.tissue), pl.Utf8),
    pl.Series("modality", phenotype.map(() => query.modality), pl.Utf8),
    pl.Series("phenotypeId", phenotype, pl.Utf8),
    pl.Series("variantId", variant, pl.Utf8),
    pl.Series("chromosome", variant.map((v) => v.slice(0, v.indexOf(":"))), pl.Utf8),
    pl.Series("pos", variant.map((v) => Number(v.slice(v.indexOf(":") + 1))), pl.Int64),
    pl.Series("ref", variant.map((v) => alleles.get(v)!.ref), pl.Utf8),
    pl.Series("alt", variant.map((v) => alleles.get(v)!.alt), pl.Utf8),
    pl.Series("tssDistance", tssDistance, pl.Int64),
    scanColumn(scan, "af", "af", pl.Float64),
    scanColumn(scan, "ma_samples", "maSamples", pl.Int32),
    scanColumn(scan, "ma_count", "maCount", pl.Int32),
    pl.Series("n", phenotype.map(() => samples), pl.Int32),
    scanColumn(scan, "pval_nominal", "pValue", pl.Float64),
    scanColumn(scan, "slope", "slope", pl.Float64),
    scanColumn(scan, "slope_se", "slopeSe", pl.Float64),
    pl.Series("publishedPValue", published, pl.Float64),
    pl.Series("agrees", agrees, pl.Bool),
    scanColumn(scan, "reason", "reason", pl.Utf8),
  ]);
}

/** A column of the scan under a new name, or an empty one of its type when nothing was scanned. */
function scanColumn(scan: pl.DataFrame | null, name: string, alias: string, dtype: pl.DataType): pl.Series {
  return scan === null ? pl.Series(alias, [], dtype) : scan.getColumn(name).alias(alias);
}
