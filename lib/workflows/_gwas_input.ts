/**
 * Internal: a GWAS prepared for colocalisation — read (when a path), matched to the release's variants and
 * aligned to their ALT alleles, as arrays indexed by variant ID, with its sample size checked.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { ColocDataset, ColocTraitType } from "../analysis/genetics/coloc.ts";
import { ValidationError } from "../_core/errors.ts";
import type { Release } from "../release/release.ts";
import { type GwasMatchResult, readGwas, type ReadGwasOptions } from "./gwas.ts";
import { matchGwasToRelease } from "./gwas_release.ts";

/** What the GWAS workflows take to read and match a GWAS. */
export interface GwasInputOptions {
  /** The GWAS's sample size (else the file's N column). */
  gwasN?: number;
  /** Reading options when the GWAS is a path. */
  read?: ReadGwasOptions;
  /** Match alleles on the other strand too. */
  strandFlip?: boolean;
  /** Keep strand-ambiguous variants as written. */
  keepAmbiguous?: boolean;
}

/** A GWAS read, matched and checked: the match (with its warnings) and the aligned arrays. */
export async function preparedGwas(
  rel: Release,
  gwas: pl.DataFrame | string,
  opts: GwasInputOptions,
): Promise<{ frame: pl.DataFrame; match: GwasMatchResult; arrays: GwasArrays }> {
  const frame = typeof gwas === "string" ? (await readGwas(gwas, opts.read)).frame : gwas;
  const match = await matchGwasToRelease(rel, frame, {
    ...(opts.strandFlip ? { strandFlip: true } : {}),
    ...(opts.keepAmbiguous ? { keepAmbiguous: true } : {}),
  });
  const arrays = gwasColumns(match.frame, opts);
  if (arrays.variantIds.length === 0) {
    throw new ValidationError(
      "gwas",
      `[${frame.height} variants]`,
      "no GWAS variant matches a variant of the release",
      match.warning ?? "check the chromosome names, positions (GRCr8/rn8) and alleles",
    );
  }
  return { frame, match, arrays };
}

/** The matched GWAS as arrays, indexed by variant ID, with its smallest-p variant. */
export interface GwasArrays {
  variantIds: string[];
  pos: number[];
  beta: (number | null)[];
  se: (number | null)[];
  pValue: (number | null)[];
  af: (number | null)[];
  n: (number | null)[];
  index: Map<string, number>;
  leadIndex: number;
  /** Beta and SE for every variant (else p-values + MAF + N are used). */
  hasBeta: boolean;
}

export function gwasColumns(frame: pl.DataFrame, opts: { gwasN?: number }): GwasArrays {
  const col = <T>(name: string) => frame.getColumn(name).toArray() as T[];
  const variantIds = col<string>("variantId");
  const pValue = col<number | null>("pValue");
  const beta = col<number | null>("beta"), se = col<number | null>("se");
  const n = col<number | null>("n").map((x) => (x === null ? null : Number(x)));
  let leadIndex = 0;
  for (let i = 1; i < pValue.length; i++) {
    if (pValue[i] !== null && (pValue[leadIndex] === null || pValue[i]! < pValue[leadIndex]!)) leadIndex = i;
  }
  if (opts.gwasN === undefined && n.some((x) => x === null)) {
    throw new ValidationError(
      "options.gwasN",
      undefined,
      "the GWAS file carries no sample size (GCTA .mlma and GEMMA files have no N column)",
      "pass the GWAS's sample size: { gwasN: 917 } (ratgtex coloc --gwas-n 917)",
    );
  }
  return {
    variantIds,
    pos: col<number | bigint>("pos").map(Number),
    beta,
    se,
    pValue,
    af: col<number | null>("af"),
    n: opts.gwasN !== undefined ? variantIds.map(() => opts.gwasN!) : n,
    index: new Map(variantIds.map((v, i) => [v, i])),
    leadIndex,
    hasBeta: beta.every((b) => b !== null) && se.every((s) => s !== null),
  };
}

/** How the coloc datasets are made (see `colocGwas`). */
export interface ColocDatasetOptions {
  gwasType: ColocTraitType;
  gwasSdY?: number;
  caseFraction?: number;
  eqtlSdY: "one" | "estimate";
}

/** A row of `cisStatistics` that coloc needs. */
export interface EqtlRow {
  variantId: string;
  pos: number;
  af: number;
  n: number;
  slope: number;
  slopeSe: number;
  reason: string | null;
}

export function groupRows(stats: pl.DataFrame): Map<string, EqtlRow[]> {
  const rows = stats.select("geneId", "variantId", "pos", "af", "n", "slope", "slopeSe", "reason")
    .toRecords() as unknown as (EqtlRow & { geneId: string })[];
  const out = new Map<string, EqtlRow[]>();
  for (const r of rows) {
    let list = out.get(r.geneId);
    if (list === undefined) out.set(r.geneId, list = []);
    list.push(r);
  }
  return out;
}

/** The minor allele frequency of an ALT frequency. */
export const maf = (af: number) => Math.min(af, 1 - af);

/** The two coloc datasets over the variants they share, or why there is nothing to colocalise. */
export function colocDatasets(
  g: GwasArrays,
  rows: readonly EqtlRow[],
  opts: ColocDatasetOptions,
): { gwas: ColocDataset; eqtl: ColocDataset } | string {
  const usable = rows.filter((r) =>
    r.reason === null && Number.isFinite(r.slope) && Number.isFinite(r.slopeSe) && r.slopeSe > 0
  );
  const needMaf = !g.hasBeta || (opts.gwasType === "quant" && opts.gwasSdY === undefined);
  const shared = usable.filter((r) => {
    const i = g.index.get(r.variantId);
    if (i === undefined) return false;
    if (needMaf && !(g.af[i] !== null && g.af[i]! > 0 && g.af[i]! < 1)) return false;
    return g.hasBeta || (g.pValue[i] !== null && g.pValue[i]! > 0);
  });
  if (rows.length === 0) return "no variant in the gene's cis window";
  if (shared.length === 0) {
    return `none of the gene's ${usable.length} testable variants is among the GWAS's matched variants` +
      (needMaf ? " with an allele frequency" : "");
  }
  const idx = shared.map((r) => g.index.get(r.variantId)!);
  const snp = shared.map((r) => r.variantId);
  const position = shared.map((r) => r.pos);
  const gwas: ColocDataset = {
    type: opts.gwasType,
    snp,
    position,
    N: idx.map((i) => g.n[i]!),
    ...(g.hasBeta
      ? { beta: idx.map((i) => g.beta[i]!), varbeta: idx.map((i) => g.se[i]! ** 2) }
      : { pvalues: idx.map((i) => g.pValue[i]!) }),
    ...(needMaf ? { MAF: idx.map((i) => maf(g.af[i]!)) } : {}),
    ...(opts.gwasType === "cc" && opts.caseFraction !== undefined ? { s: opts.caseFraction } : {}),
    ...(opts.gwasType === "quant" && opts.gwasSdY !== undefined ? { sdY: opts.gwasSdY } : {}),
  };
  if (opts.gwasType === "cc" && !g.hasBeta && opts.caseFraction === undefined) {
    throw new ValidationError(
      "options.caseFraction",
      undefined,
      "a case-control GWAS given as p-values needs the proportion of cases (coloc's s)",
      "pass { caseFraction: 0.3 } (ratgtex coloc --case-fraction 0.3)",
    );
  }
  const eqtl: ColocDataset = {
    type: "quant",
    snp,
    position,
    beta: shared.map((r) => r.slope),
    varbeta: shared.map((r) => r.slopeSe ** 2),
    ...(opts.eqtlSdY === "one" ? { sdY: 1 } : { MAF: shared.map((r) => maf(r.af)), N: shared.map((r) => r.n) }),
  };
  return { gwas, eqtl };
}
