/**
 * Colocalisation of a user's GWAS with every gene × tissue near its hit, over a release's own files: the GWAS
 * read, checked and matched to the release's genotype VCF (aligned to its ALT alleles), each gene's
 * pipeline-exact statistics for every variant of its cis window (`Release.cisStatistics`: slope and SE, which
 * the release does not publish), and coloc 5's `coloc.abf` (`colocAbf`) between the two.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkOptions } from "../_core/options.ts";
import { colocAbf, type ColocAbfResult, type ColocTraitType, type ColocVariant } from "../analysis/genetics/coloc.ts";
import type { Release } from "../release/release.ts";
import type { GwasMatchResult, ReadGwasOptions } from "./gwas.ts";
import { colocDatasets, groupRows, preparedGwas } from "./_gwas_input.ts";
import { checkRange, checkWindow, parseVariant, releaseOf } from "./_release.ts";
import type { ReleaseInput } from "./release_input.ts";

/** How the eQTL trait's standard deviation is set for coloc's prior on effect sizes. */
export type EqtlSdY = "one" | "estimate";

/** Options of {@link colocGwas}. */
export interface ColocGwasOptions {
  /** The GWAS hit (`chrN:pos`); default: the matched GWAS variant with the smallest p-value. */
  variantId?: string;
  /** Genes whose TSS lies within this many bp of the hit (default 1,000,000: the cis window reaches it). */
  window?: number;
  /** Only these tissues (default: every tissue where a gene near the hit was tested). */
  tissues?: readonly string[];
  /** The GWAS's sample size (default: the file's N column; GCTA and GEMMA files have none). */
  gwasN?: number;
  /** `quant` (default) or `cc` (case-control: beta is a log odds ratio). */
  gwasType?: ColocTraitType;
  /** Proportion of cases of a case-control GWAS (coloc's `s`), in (0, 1). */
  caseFraction?: number;
  /** The quantitative GWAS trait's standard deviation (default: estimated as coloc's `sdY.est`). */
  gwasSdY?: number;
  /**
   * The eQTL trait's SD: `"one"` (default: RatGTEx maps an inverse-normal transformed phenotype, SD 1), or
   * `"estimate"` (coloc's `sdY.est` from the slopes' variances, MAF and N, as coloc does when not told).
   */
  eqtlSdY?: EqtlSdY;
  /** Prior: a variant is causal for the GWAS only (default 1e-4). */
  p1?: number;
  /** Prior: a variant is causal for the gene only (default 1e-4). */
  p2?: number;
  /** Prior: a variant is causal for both (default 1e-5). */
  p12?: number;
  /** Coverage of the shared variant's credible set (default 0.95). */
  coverage?: number;
  /** Reading options when `gwas` is a path (format, column mapping, N, TEST…). */
  read?: ReadGwasOptions;
  /** Keep variants whose alleles match the release's only on the other strand (default false). */
  strandFlip?: boolean;
  /**
   * Keep strand-ambiguous variants (A/T, C/G) as written (default false: dropped and counted, as
   * `matchGwasToVariants`); right for a GWAS called on the release's forward strand.
   */
  keepAmbiguous?: boolean;
}

/** What {@link colocGwas} returns. */
export interface ColocGwasResult {
  /**
   * One row per gene × tissue × modality: `geneId`, `tissueSiteDetailId`, `modality` (str); `nsnps` (i32,
   * variants in both); `ppH0`…`ppH4` (f64, posteriors of H0 no association, H1 GWAS only, H2 gene only, H3
   * two distinct causal variants, H4 one shared); `topVariant` (str, the largest SNP.PP.H4), `topSnpPpH4`
   * (f64); `credibleSet` (str, comma-joined variants of the shared variant's credible set); `sdY1`, `sdY2`
   * (f64, the SDs used; null for case-control or p-value input); `reason` (str, why the posteriors are null).
   * Sorted by decreasing PP.H4.
   */
  summary: pl.DataFrame;
  /**
   * Every shared variant of every gene × tissue: `geneId`, `tissueSiteDetailId`, `modality`, `variantId`
   * (str); `pos` (i64); `lABF1`, `lABF2` (f64, log Bayes factors of the GWAS and the gene), `snpPpH4` (f64).
   */
  variants: pl.DataFrame;
  /** The hit the genes were chosen around. */
  lead: string;
  /** The GWAS's match to the release (counts, unmatched variants, the low-match-rate warning). */
  match: GwasMatchResult;
  /** What the user should know: the GWAS match's warnings (a low match rate, swapped alleles, drops). */
  warnings: string[];
}

/** coloc's own `coloc.abf` summary, by gene × tissue: what the workflow computes for each pair. */
interface PairResult {
  geneId: string;
  tissue: string;
  modality: string;
  result: ColocAbfResult | null;
  reason: string | null;
}

/**
 * Colocalisation (coloc 5's `coloc.abf`) of a GWAS with every gene × tissue near its hit. The GWAS (a frame
 * from `readGwas`, or a file path) is matched to the release's reference VCF and aligned to its ALT alleles
 * (`matchGwasToRelease`: a low match rate is a warning with its likely cause); the genes are those tested in
 * a tissue (`top_assoc`) whose TSS is within `window` of the hit; each gene's statistics are every variant
 * of its cis window, pipeline-exact (`Release.cisStatistics`: slope and SE per ALT allele of the normalised
 * phenotype); coloc runs on the variants the two share.
 *
 * The datasets, as one would give them to coloc in R: the GWAS `{ type, beta, varbeta = se², MAF = min(af,
 * 1 − af), N, s }` (or p-values + MAF + N when the file has no beta/SE), restricted to the variants it
 * shares with the gene; the gene `{ type: "quant", beta: slope, varbeta: slopeSe², sdY }` with sdY = 1 by
 * default (RatGTEx maps inverse-normal transformed phenotypes) or, with `eqtlSdY: "estimate"`, coloc's
 * estimate from MAF and N (the tissue's samples). A quantitative GWAS's sdY is `gwasSdY` when given, else
 * coloc's estimate. Priors as coloc 5 (`p1 = p2 = 1e-4`, `p12 = 1e-5`) unless given.
 *
 * @param release An open release, or its source (`"offline"`, a folder, an https URL).
 * @param gwas The GWAS: `readGwas(path).frame`, or the path of a GWAS file (read with `options.read`).
 * @param options The hit, the window, tissues, the GWAS's N, type, case fraction and sdY, the eQTL sdY, priors.
 * @returns The summary (one row per gene × tissue), per-variant SNP.PP.H4, the hit, the match, warnings.
 * @throws {ValidationError} For a GWAS without N (give `gwasN`), a case-control GWAS without `caseFraction`
 *   where needed, a hit not among the matched variants, a bad option; `readGwas`'s errors for a bad file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colocGwas } from "ratgtex";
 * const gwas = new URL("../../fixtures/gwas/synthetic_trait_A.mlma", import.meta.url).pathname; // SYNTHETIC
 * const res = await colocGwas("offline", gwas, { gwasN: 917, tissues: ["Liver"] });
 * const [best] = res.summary.toRecords() as { geneId: string; ppH4: number }[];
 * assert.equal(best.geneId, "SynG004"); // the gene whose eQTL variant is the trait's causal variant
 * assert.ok(best.ppH4 > 0.99);
 * ```
 */
export async function colocGwas(
  release: ReleaseInput,
  gwas: pl.DataFrame | string,
  options?: ColocGwasOptions,
): Promise<ColocGwasResult> {
  const opts = checkColocOptions(options);
  const rel = await releaseOf(release);
  const warnings: string[] = [];
  const { match, arrays: g } = await preparedGwas(rel, gwas, opts);
  warnings.push(...match.warnings);
  const lead = opts.variantId ?? g.variantIds[g.leadIndex];
  const leadAt = parseVariant(lead, "options.variantId");
  if (opts.variantId !== undefined && !g.index.has(lead)) {
    throw new ValidationError(
      "options.variantId",
      lead,
      "not among the GWAS variants matched to the release",
      "pass a variant of the GWAS file (chrN:pos, GRCr8), or leave it out for the smallest p-value",
    );
  }
  const pairs = await genesNear(rel, leadAt, opts.window, opts.tissues);
  const results: PairResult[] = [];
  const perVariant: ({ pair: PairResult } & ColocVariant)[] = [];
  for (const [tissue, genes] of pairs) {
    const stats = await rel.cisStatistics({ geneId: genes, tissueSiteDetailId: tissue });
    const byGene = groupRows(stats);
    for (const geneId of genes) {
      const pair: PairResult = { geneId, tissue, modality: "expression", result: null, reason: null };
      results.push(pair);
      const rows = byGene.get(geneId) ?? [];
      const datasets = colocDatasets(g, rows, opts);
      if (typeof datasets === "string") {
        pair.reason = datasets;
        continue;
      }
      pair.result = colocAbf(datasets.gwas, datasets.eqtl, {
        p1: opts.p1,
        p2: opts.p2,
        p12: opts.p12,
        coverage: opts.coverage,
      });
      for (const v of pair.result.variants) perVariant.push({ pair, ...v });
    }
  }
  return { summary: summaryFrame(results), variants: variantFrame(perVariant), lead, match, warnings };
}

interface CheckedOptions extends ColocGwasOptions {
  window: number;
  gwasType: ColocTraitType;
  eqtlSdY: EqtlSdY;
}

function checkColocOptions(options: ColocGwasOptions | undefined): CheckedOptions {
  const opts = checkOptions<ColocGwasOptions>(options, {
    variantId: "string",
    window: "number",
    tissues: { is: (v) => Array.isArray(v) && v.every((t) => typeof t === "string"), expected: "a list of tissues" },
    gwasN: "number",
    gwasType: { is: (v) => v === "quant" || v === "cc", expected: '"quant" or "cc"' },
    caseFraction: "number",
    gwasSdY: "number",
    eqtlSdY: { is: (v) => v === "one" || v === "estimate", expected: '"one" or "estimate"' },
    p1: "number",
    p2: "number",
    p12: "number",
    coverage: "number",
    read: "object",
    strandFlip: "boolean",
    keepAmbiguous: "boolean",
  }, {
    usage: "colocGwas(release, gwas, { variantId, window, tissues, gwasN, gwasType, caseFraction, gwasSdY, " +
      "eqtlSdY, p1, p2, p12, coverage, read, strandFlip, keepAmbiguous })",
  });
  if (opts.variantId !== undefined) parseVariant(opts.variantId, "options.variantId");
  if (opts.gwasN !== undefined && !(Number.isFinite(opts.gwasN) && opts.gwasN > 1)) {
    throw new ValidationError("options.gwasN", opts.gwasN, "must be a sample size > 1", "e.g. { gwasN: 917 }");
  }
  if (opts.caseFraction !== undefined) checkRange(opts.caseFraction, "options.caseFraction", 1e-9, 1 - 1e-9, "0.3");
  if (opts.gwasSdY !== undefined && !(opts.gwasSdY > 0)) {
    throw new ValidationError("options.gwasSdY", opts.gwasSdY, "must be a positive SD", "e.g. { gwasSdY: 1 }");
  }
  return {
    ...opts,
    window: checkWindow(opts.window, "options.window", 1_000_000),
    gwasType: opts.gwasType ?? "quant",
    eqtlSdY: opts.eqtlSdY ?? "one",
  };
}

/** Per tissue, the genes tested there whose TSS lies within `window` of the hit. */
async function genesNear(
  rel: Release,
  lead: { chromosome: string; pos: number },
  window: number,
  tissues: readonly string[] | undefined,
): Promise<Map<string, string[]>> {
  const layout = await rel.layout();
  const asked = tissues?.map((t) => layout.tissue(t, "options.tissues"));
  const genes = (await rel.genes()).toRecords() as { geneId: string; chromosome: string; tss: number }[];
  const near = new Set(
    genes.filter((g) => g.chromosome === lead.chromosome && Math.abs(Number(g.tss) - lead.pos) <= window)
      .map((g) => g.geneId),
  );
  const top = (await rel.topAssociations()).select("geneId", "tissueSiteDetailId").toRecords() as {
    geneId: string;
    tissueSiteDetailId: string;
  }[];
  const out = new Map<string, string[]>();
  for (const t of asked ?? layout.tissues) out.set(t, []);
  for (const r of top) {
    if (near.has(r.geneId) && out.has(r.tissueSiteDetailId)) out.get(r.tissueSiteDetailId)!.push(r.geneId);
  }
  for (const [t, g] of out) if (g.length === 0) out.delete(t);
  return out;
}

function summaryFrame(results: PairResult[]): pl.DataFrame {
  const sorted = [...results].sort((a, b) =>
    (b.result?.ppH4 ?? -1) - (a.result?.ppH4 ?? -1) || a.geneId.localeCompare(b.geneId)
  );
  const f64 = (name: string, get: (r: ColocAbfResult) => number | null) =>
    pl.Series(name, sorted.map((p) => (p.result === null ? null : get(p.result))), pl.Float64);
  const top = (r: ColocAbfResult) => r.variants.reduce((a, b) => (b.snpPpH4 > a.snpPpH4 ? b : a));
  return pl.DataFrame([
    pl.Series("geneId", sorted.map((p) => p.geneId), pl.Utf8),
    pl.Series("tissueSiteDetailId", sorted.map((p) => p.tissue), pl.Utf8),
    pl.Series("modality", sorted.map((p) => p.modality), pl.Utf8),
    pl.Series("nsnps", sorted.map((p) => p.result?.nsnps ?? 0), pl.Int32),
    f64("ppH0", (r) => r.ppH0),
    f64("ppH1", (r) => r.ppH1),
    f64("ppH2", (r) => r.ppH2),
    f64("ppH3", (r) => r.ppH3),
    f64("ppH4", (r) => r.ppH4),
    pl.Series("topVariant", sorted.map((p) => (p.result === null ? null : top(p.result).variantId)), pl.Utf8),
    f64("topSnpPpH4", (r) => top(r).snpPpH4),
    pl.Series(
      "credibleSet",
      sorted.map((p) => p.result?.credibleSet.variantIds.join(",") ?? null),
      pl.Utf8,
    ),
    f64("sdY1", (r) => r.sdY1),
    f64("sdY2", (r) => r.sdY2),
    pl.Series("reason", sorted.map((p) => p.reason), pl.Utf8),
  ]);
}

function variantFrame(rows: ({ pair: PairResult } & ColocVariant)[]): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("geneId", rows.map((r) => r.pair.geneId), pl.Utf8),
    pl.Series("tissueSiteDetailId", rows.map((r) => r.pair.tissue), pl.Utf8),
    pl.Series("modality", rows.map((r) => r.pair.modality), pl.Utf8),
    pl.Series("variantId", rows.map((r) => r.variantId), pl.Utf8),
    pl.Series("pos", rows.map((r) => r.position), pl.Float64).cast(pl.Int64),
    pl.Series("lABF1", rows.map((r) => r.lABF1), pl.Float64),
    pl.Series("lABF2", rows.map((r) => r.lABF2), pl.Float64),
    pl.Series("snpPpH4", rows.map((r) => r.snpPpH4), pl.Float64),
  ]);
}
