/**
 * The published eQTL statistics of a release recomputed exactly: for gene–variant pairs in tissues, the
 * tissue's normalised phenotypes (`phenos/phenos.{T}.expression.norm.v4_rn8.bed.gz`), its covariates
 * (`covar/covar.{T}.expression.v4.tsv`) and the dosages from the genotype VCF (by tabix region) go
 * through tensorQTL's nominal test (`pipelineEqtlStatistics`), and the release's own numbers are put
 * beside: `cis_pvals` (what `dyneqtl` returns as `pValue`), `top_assoc` and `eqtls_indep` (conditional on
 * the gene's other independent variants, as tensorQTL's backward pass reports them).
 *
 * Every per-tissue file is read once per release object and shared by all pairs of that tissue.
 *
 * @module
 */
import { covariateMatrix } from "./_covariates.ts";
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { pipelineEqtlStatistics } from "../analysis/regression/pipeline_statistics.ts";
import type { PhenotypeBed } from "./bed.ts";
import type { ReleaseFolder } from "./folder.ts";
import type { Table } from "./table.ts";
import { altDosage, type VcfFile, type VcfRecord } from "./vcf.ts";
import type { EqtlPair } from "./pairs.ts";
import type { Check, PairPermutationColumns } from "./_pair_permutations.ts";

/** A published statistic as printed, and its value. */
interface Printed {
  token: string;
  value: number;
}

interface PublishedRow {
  variantId: string;
  pval: Printed;
  slope: Printed;
  slopeSe: Printed;
  rank: number | null;
}

interface TissueFiles {
  sampleIds: readonly string[];
  /** The normalised BED; each phenotype's values decoded once, on first use. */
  bed: PhenotypeBed;
  phenotypes: Map<string, Float64Array>;
  /** The covariate file's rows, put into the BED's sample order once. */
  covariates: { names: string[]; values: Float64Array[]; sampleIds: string[] };
  vcf: VcfFile;
}

/** The release-wide tables: tissue → dataset, and `top_assoc` / `eqtls_indep` rows keyed by `tissue\tgene`. */
interface Tables {
  datasets: Map<string, string>;
  top: Map<string, PublishedRow>;
  indep: Map<string, PublishedRow[]>;
}

/** The per-release state: tables and per-tissue files, each loaded on first use, all read through the release's readers. */
export class PipelineInputs {
  readonly #folder: ReleaseFolder;
  readonly #tissues = new Map<string, Promise<TissueFiles>>();
  #tables: Promise<Tables> | null = null;

  /** Read a release's pipeline inputs through its folder reader. */
  constructor(folder: ReleaseFolder) {
    this.#folder = folder;
  }

  /** The release's folder reader. */
  get folder(): ReleaseFolder {
    return this.#folder;
  }

  /** tissue_info's datasets, top_assoc and eqtls_indep, keyed by `tissue\tgene`. */
  tables(): Promise<Tables> {
    this.#tables ??= (async () => {
      const datasets = new Map((await this.#folder.tissues()).map((t) => [t.id, t.dataset]));
      const top = new Map<string, PublishedRow>();
      const topTable = await this.#folder.topAssoc();
      for (const row of rowsOf(topTable)) top.set(`${row.get("tissue")}\t${row.get("gene_id")}`, published(row, null));
      const indep = new Map<string, PublishedRow[]>();
      for (const row of rowsOf(await this.#folder.eqtls())) {
        const key = `${row.get("tissue")}\t${row.get("gene_id")}`;
        const list = indep.get(key) ?? [];
        list.push(published(row, Number(row.get("rank"))));
        indep.set(key, list);
      }
      return { datasets, top, indep };
    })();
    this.#tables.catch(() => (this.#tables = null));
    return this.#tables;
  }

  /** One tissue's normalised BED, covariates and VCF. */
  tissue(tissue: string): Promise<TissueFiles> {
    let t = this.#tissues.get(tissue);
    if (!t) {
      t = this.#loadTissue(tissue);
      t.catch(() => this.#tissues.delete(tissue));
      this.#tissues.set(tissue, t);
    }
    return t;
  }

  async #loadTissue(tissue: string): Promise<TissueFiles> {
    const { datasets } = await this.tables();
    const dataset = datasets.get(tissue);
    if (dataset === undefined) (await this.#folder.layout()).tissue(tissue); // the typed error naming the tissues
    const bed = await this.#folder.phenotypes(tissue, "expression", "norm");
    const sampleIds = bed.samples;
    const covariates = await covariateMatrix(this.#folder, tissue, "expression", sampleIds);
    const vcf = await this.#folder.vcf(dataset!);
    return { sampleIds, bed, phenotypes: new Map(), covariates, vcf };
  }
}

/** A tissue's phenotype values (decoded once), or undefined when the BED has no such row. */
function phenotypeOf(files: TissueFiles, geneId: string): Float64Array | undefined {
  let y = files.phenotypes.get(geneId);
  if (y === undefined) {
    y = files.bed.numbers(geneId);
    if (y !== undefined) files.phenotypes.set(geneId, y);
  }
  return y;
}

/** A table's rows as maps of raw cells (column names from the file never reach an object's prototype). */
function rowsOf(t: Table): Map<string, string>[] {
  return t.rows.map((r) => new Map(t.columns.map((h, i) => [h, r[i]])));
}

function printed(token: string | undefined): Printed {
  const t = token ?? "NA";
  return { token: t, value: t === "NA" || t === "" ? NaN : Number(t) };
}

function published(row: Map<string, string>, rank: number | null): PublishedRow {
  return {
    variantId: row.get("variant_id")!,
    pval: printed(row.get("pval_nominal")),
    slope: printed(row.get("slope")),
    slopeSe: printed(row.get("slope_se")),
    rank,
  };
}

/**
 * Whether `x` is `p` at the precision `p` was printed with: within half a unit of its last significant
 * digit (tokens of 15 or more digits, full doubles, are held to a relative 1e-9 instead).
 */
export function agreesAsPrinted(x: number, p: Printed): boolean {
  if (!Number.isFinite(p.value) || !Number.isFinite(x)) return false;
  const mantissa = p.token.toLowerCase().split("e")[0].replace(/^[-+]/, "").replace(".", "").replace(/^0+/, "");
  const digits = Math.max(1, mantissa.length);
  if (digits >= 15) return Math.abs(x - p.value) <= 1e-9 * Math.abs(p.value);
  const exp = Math.floor(Math.log10(Math.abs(p.value)));
  return Math.abs(x - p.value) <= 0.5 * 10 ** (exp - digits + 1) * (1 + 1e-9);
}

function dosagesOf(
  records: VcfRecord[],
  pos: number,
  columns: number[],
  variantId: string,
  parameter: string,
): (number | null)[] {
  const rec = records.find((r) => r.pos === pos);
  if (rec === undefined) {
    throw new ValidationError(
      parameter,
      variantId,
      "not in the release's genotype VCF",
      "check the variant ID (chrN:pos, GRCr8)",
    );
  }
  if ((rec.alts?.length ?? 0) !== 1) {
    throw new ValidationError(
      parameter,
      variantId,
      "a multi-allelic site (the pipeline maps bi-allelic variants)",
      "choose a bi-allelic variant",
    );
  }
  // The record was checked when read (diploid calls, alleles within ALT): −1 is a missing call.
  return columns.map((c) => {
    const d = altDosage(rec, c);
    return d < 0 ? null : d;
  });
}

function imputed(d: (number | null)[]): Float64Array {
  const called = d.filter((x): x is number => x !== null);
  const mean = called.reduce((a, b) => a + b, 0) / called.length;
  return Float64Array.from(d, (x) => (x === null ? mean : x));
}

/** The statistics of one pair (see the Release method's JSDoc for the columns). */
interface Row extends Omit<PairPermutationColumns, "checks"> {
  n: number;
  nImputed: number;
  covariates: number;
  dof: number;
  slope: number;
  slopeSe: number;
  tStatistic: number;
  pValue: number;
  publishedPValue: number | null;
  topSlope: number | null;
  topSlopeSe: number | null;
  topPValue: number | null;
  rank: number | null;
  conditionalOn: string | null;
  conditionalSlope: number | null;
  conditionalSlopeSe: number | null;
  conditionalPValue: number | null;
  indepSlope: number | null;
  indepSlopeSe: number | null;
  indepPValue: number | null;
  agrees: boolean | null;
  disagrees: string | null;
  reason: string | null;
}

function checkPair(pair: EqtlPair, i: number): void {
  const bad = (what: string) =>
    new ValidationError(
      `pairs[${i}]`,
      pair,
      what,
      'pass { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }',
    );
  if (pair === null || typeof pair !== "object") throw bad("not a pair");
  for (const k of ["geneId", "tissueSiteDetailId", "variantId"] as const) {
    if (typeof pair[k] !== "string" || pair[k] === "") throw bad(`${k} must be a non-empty string`);
  }
  if (!/^chr[0-9A-Za-z]+:\d+$/.test(pair.variantId)) throw bad("variantId must be chrN:pos");
}

/** Recompute every pair; one row each, in input order. */
export async function recomputePairs(
  inputs: PipelineInputs,
  pairs: readonly EqtlPair[],
  permutationColumns: (pairs: readonly EqtlPair[]) => Promise<PairPermutationColumns[]>,
): Promise<pl.DataFrame> {
  if (!Array.isArray(pairs)) {
    throw new ValidationError(
      "pairs",
      pairs,
      "not a list of pairs",
      "pass [{ geneId, tissueSiteDetailId, variantId }]",
    );
  }
  pairs.forEach(checkPair);
  const { top, indep } = await inputs.tables();
  const rows: Row[] = new Array(pairs.length);
  const nominalChecks: Check[][] = new Array(pairs.length);
  const byTissue = new Map<string, number[]>();
  pairs.forEach((p, i) => byTissue.set(p.tissueSiteDetailId, [...(byTissue.get(p.tissueSiteDetailId) ?? []), i]));
  for (const [tissue, indices] of byTissue) {
    const files = await inputs.tissue(tissue);
    const vcfSamples = await files.vcf.columns();
    const columns = files.sampleIds.map((s) => {
      const c = vcfSamples.get(s);
      if (c === undefined) {
        throw new ValidationError(
          "release",
          s,
          `sample of phenos.${tissue} missing from the genotype VCF`,
          "use a complete copy of the release",
        );
      }
      return c;
    });
    // Each gene's cis_pvals member, inflated and checked once for all its pairs in this tissue.
    const members = new Map<string, Promise<Table | null>>();
    const cisPvalsOf = (geneId: string): Promise<Table | null> => {
      let m = members.get(geneId);
      if (!m) {
        m = inputs.folder.cisPvalsOf(tissue, geneId);
        members.set(geneId, m);
      }
      return m;
    };
    // Dosages of every variant needed in this tissue: the pairs' and the independent eQTLs they condition on.
    const dosages = new Map<string, (number | null)[]>();
    const need = async (variantId: string, parameter: string) => {
      if (dosages.has(variantId)) return dosages.get(variantId)!;
      const [contig, pos] = [variantId.split(":")[0], Number(variantId.split(":")[1])];
      const d = dosagesOf(await files.vcf.fetch(contig, pos - 1, pos), pos, columns, variantId, parameter);
      dosages.set(variantId, d);
      return d;
    };
    // Every pair's gene and dosages first (typed errors before any fit), then one marginal fit per tissue.
    for (const i of indices) {
      const { geneId, variantId } = pairs[i];
      if (phenotypeOf(files, geneId) === undefined) {
        throw new ValidationError(
          `pairs[${i}].geneId`,
          geneId,
          `not mapped in ${tissue} (not in phenos.${tissue}.expression.norm; tested genes only)`,
          "check the gene ID, or choose a tissue where the gene was tested (gene's statusInTissue)",
        );
      }
      await need(variantId, `pairs[${i}].variantId`);
    }
    const genes = [...new Set(indices.map((i) => pairs[i].geneId))];
    const variants = [...new Set(indices.map((i) => pairs[i].variantId))];
    const marginal = pipelineEqtlStatistics({
      sampleIds: files.sampleIds,
      phenotypes: { geneIds: genes, values: genes.map((g) => phenotypeOf(files, g)!) },
      genotypes: { variantIds: variants, dosages: variants.map((v) => dosages.get(v)!) },
      covariates: files.covariates,
      pairs: indices.map((i) => ({ geneId: pairs[i].geneId, variantId: pairs[i].variantId })),
    }).toRecords() as Record<string, number | string | null>[];
    for (const [j, i] of indices.entries()) {
      const { geneId, variantId } = pairs[i];
      const y = phenotypeOf(files, geneId)!;
      const g = dosages.get(variantId)!;
      // A conditional fit: the gene's other independent variants join the covariates (mean-imputed).
      const fit = (extra: { id: string; d: (number | null)[] }[]) =>
        pipelineEqtlStatistics({
          sampleIds: files.sampleIds,
          phenotypes: { geneIds: [geneId], values: [y] },
          genotypes: { variantIds: [variantId], dosages: [g] },
          covariates: {
            names: [...files.covariates.names, ...extra.map((e) => e.id)],
            values: [...files.covariates.values, ...extra.map((e) => imputed(e.d))],
            sampleIds: files.sampleIds,
          },
          pairs: [{ geneId, variantId }],
        }).toRecords()[0] as Record<string, number | string | null>;
      const m = marginal[j];
      const key = `${tissue}\t${geneId}`;
      const topRow = top.get(key);
      const isTop = topRow?.variantId === variantId;
      const indepRow = indep.get(key)?.find((r) => r.variantId === variantId) ?? null;
      let cond: Record<string, number | string | null> | null = null;
      let conditionalOn: string[] = [];
      if (indepRow !== null) {
        conditionalOn = indep.get(key)!.filter((r) => r.variantId !== variantId).map((r) => r.variantId);
        const extra: { id: string; d: (number | null)[] }[] = [];
        for (const id of conditionalOn) extra.push({ id, d: await need(id, `eqtls_indep of ${geneId} in ${tissue}`) });
        cond = extra.length === 0 ? m : fit(extra);
      }
      const member = await cisPvalsOf(geneId);
      const at = member?.rowsByValue("variant_id").get(variantId)?.[0];
      const cisP = at === undefined ? null : printed(member!.rows[at][member!.col("pval_nominal")]);
      const checks: Check[] = [];
      const num = (x: unknown) => x as number;
      if (cisP !== null) checks.push(["cis_pvals:pval_nominal", agreesAsPrinted(num(m.pval_nominal), cisP)]);
      if (isTop) {
        checks.push(
          ["top_assoc:pval_nominal", agreesAsPrinted(num(m.pval_nominal), topRow!.pval)],
          ["top_assoc:slope", agreesAsPrinted(num(m.slope), topRow!.slope)],
          ["top_assoc:slope_se", agreesAsPrinted(num(m.slope_se), topRow!.slopeSe)],
        );
      }
      if (indepRow !== null && cond !== null) {
        checks.push(
          ["eqtls_indep:pval_nominal", agreesAsPrinted(num(cond.pval_nominal), indepRow.pval)],
          ["eqtls_indep:slope", agreesAsPrinted(num(cond.slope), indepRow.slope)],
          ["eqtls_indep:slope_se", agreesAsPrinted(num(cond.slope_se), indepRow.slopeSe)],
        );
      }
      nominalChecks[i] = checks;
      rows[i] = {
        n: num(m.n),
        nImputed: num(m.n_imputed),
        covariates: files.covariates.names.length,
        dof: num(m.dof),
        slope: num(m.slope),
        slopeSe: num(m.slope_se),
        tStatistic: num(m.t),
        pValue: num(m.pval_nominal),
        publishedPValue: cisP?.value ?? null,
        topSlope: isTop ? topRow!.slope.value : null,
        topSlopeSe: isTop ? topRow!.slopeSe.value : null,
        topPValue: isTop ? topRow!.pval.value : null,
        rank: indepRow?.rank ?? null,
        conditionalOn: indepRow === null ? null : conditionalOn.join(","),
        conditionalSlope: cond === null ? null : num(cond.slope),
        conditionalSlopeSe: cond === null ? null : num(cond.slope_se),
        conditionalPValue: cond === null ? null : num(cond.pval_nominal),
        indepSlope: indepRow?.slope.value ?? null,
        indepSlopeSe: indepRow?.slopeSe.value ?? null,
        indepPValue: indepRow?.pval.value ?? null,
        ...NO_PERMUTATION_COLUMNS,
        agrees: null,
        disagrees: null,
        reason: m.reason as string | null,
      };
    }
  }
  // The permutation pass, q-values, thresholds and aFC of every pair, once the pairs are known to be good.
  const permutation = await permutationColumns(pairs);
  rows.forEach((row, i) => {
    const { checks: more, ...columns } = permutation[i];
    const checks = [...nominalChecks[i], ...more];
    Object.assign(row, columns);
    row.agrees = checks.length === 0 ? null : checks.every((c) => c[1]);
    row.disagrees = checks.some((c) => !c[1]) ? checks.filter((c) => !c[1]).map((c) => c[0]).join(",") : null;
  });
  return pairsFrame(pairs, rows);
}

const NO_PERMUTATION_COLUMNS: Omit<PairPermutationColumns, "checks"> = {
  numVar: null,
  publishedNumVar: null,
  pValuePerm: null,
  pValueBeta: null,
  pValueBetaLow: null,
  pValueBetaHigh: null,
  betaShape1: null,
  betaShape2: null,
  trueDf: null,
  publishedPValueBeta: null,
  conditionalNumVar: null,
  indepNumVar: null,
  conditionalPValueBeta: null,
  conditionalPValueBetaLow: null,
  conditionalPValueBetaHigh: null,
  indepPValueBeta: null,
  qValue: null,
  publishedQValue: null,
  pValueThreshold: null,
  publishedPValueThreshold: null,
  log2aFC: null,
  publishedLog2aFC: null,
  seed: null,
};

function pairsFrame(pairs: readonly EqtlPair[], rows: Row[]): pl.DataFrame {
  const col = <K extends keyof Row>(k: K) => rows.map((r) => r[k]);
  const f64 = (k: keyof Row) => pl.Series(k, col(k) as (number | null)[], pl.Float64);
  // Through Float64: nodejs-polars 0.25 turns a null in a JS array into 0 when it builds an Int32 series.
  const i32 = (k: keyof Row) => pl.Series(k, col(k) as (number | null)[], pl.Float64).cast(pl.Int32);
  return pl.DataFrame([
    pl.Series("geneId", pairs.map((p) => p.geneId), pl.Utf8),
    pl.Series("tissueSiteDetailId", pairs.map((p) => p.tissueSiteDetailId), pl.Utf8),
    pl.Series("variantId", pairs.map((p) => p.variantId), pl.Utf8),
    i32("n"),
    i32("nImputed"),
    i32("covariates"),
    i32("dof"),
    f64("slope"),
    f64("slopeSe"),
    f64("tStatistic"),
    f64("pValue"),
    f64("publishedPValue"),
    f64("topSlope"),
    f64("topSlopeSe"),
    f64("topPValue"),
    i32("rank"),
    pl.Series("conditionalOn", col("conditionalOn"), pl.Utf8),
    f64("conditionalSlope"),
    f64("conditionalSlopeSe"),
    f64("conditionalPValue"),
    f64("indepSlope"),
    f64("indepSlopeSe"),
    f64("indepPValue"),
    i32("numVar"),
    i32("publishedNumVar"),
    f64("pValuePerm"),
    f64("pValueBeta"),
    f64("pValueBetaLow"),
    f64("pValueBetaHigh"),
    f64("betaShape1"),
    f64("betaShape2"),
    f64("trueDf"),
    f64("publishedPValueBeta"),
    i32("conditionalNumVar"),
    i32("indepNumVar"),
    f64("conditionalPValueBeta"),
    f64("conditionalPValueBetaLow"),
    f64("conditionalPValueBetaHigh"),
    f64("indepPValueBeta"),
    f64("qValue"),
    f64("publishedQValue"),
    f64("pValueThreshold"),
    f64("publishedPValueThreshold"),
    f64("log2aFC"),
    f64("publishedLog2aFC"),
    f64("seed"),
    pl.Series("agrees", col("agrees"), pl.Bool),
    pl.Series("disagrees", col("disagrees"), pl.Utf8),
    pl.Series("reason", col("reason"), pl.Utf8),
  ]);
}
