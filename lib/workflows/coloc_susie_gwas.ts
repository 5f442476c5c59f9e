/**
 * Colocalisation that allows several causal variants per trait (coloc 5's `coloc.susie`) between a user's
 * GWAS and a gene's eQTL in a tissue: the GWAS fine-mapped from its summary statistics with the release's
 * in-sample LD (SuSiE-RSS, as coloc's `runsusie`), the gene fine-mapped from the release's own individual
 * data (`finemapGene`), and every pair of their credible sets colocalised on their log Bayes factors; with
 * `coloc.abf` on the same variants beside it, the single-causal-variant answer.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkOptions } from "../_core/options.ts";
import { colocAbf, type ColocAbfResult, colocSusie, type SusieFitLike } from "../analysis/genetics/coloc.ts";
import { susieRss } from "../analysis/genetics/susie_rss.ts";
import type { SusieFit } from "../analysis/genetics/susie_types.ts";
import type { Release } from "../release/release.ts";
import type { ReadGwasOptions } from "./gwas.ts";
import { finemapGene, type FinemapOptions, type FinemapResult } from "./finemap.ts";
import { colocDatasets, groupRows, type GwasArrays, preparedGwas } from "./_gwas_input.ts";
import { checkGeneTissue, releaseOf } from "./_release.ts";
import type { ReleaseInput } from "./release_input.ts";

/** Options of {@link colocSusieGwas}. */
export interface ColocSusieGwasOptions extends FinemapOptions {
  /** The GWAS's sample size (default: the file's N column). */
  gwasN?: number;
  /** The rats the GWAS was run on, for its LD (default: every rat of the reference VCF, `ratgtex_v4_round11_2`). */
  gwasRats?: readonly string[];
  /** Maximum number of GWAS effects (default 10). */
  gwasL?: number;
  /** Prior: a variant causal for the GWAS only (default 1e-4). */
  p1?: number;
  /** Prior: a variant causal for the gene only (default 1e-4). */
  p2?: number;
  /** Prior: a variant causal for both (default 5e-6, coloc.susie's). */
  p12?: number;
  /** Reading options when `gwas` is a path. */
  read?: ReadGwasOptions;
  /** Keep strand-ambiguous variants (A/T, C/G) as written (default false). */
  keepAmbiguous?: boolean;
}

/** What {@link colocSusieGwas} returns. */
export interface ColocSusieGwasResult {
  /**
   * One row per pair of credible sets (GWAS × gene): `gwasSet`, `geneSet` (i32, the sets' numbers, as in
   * `gwas.sets` and `gene.sets`); `gwasHit`, `geneHit` (str, each set's variant with the largest log Bayes
   * factor); `nsnps` (i32); `ppH0`…`ppH4` (f64; null when coloc left the pair out, `reason` says why);
   * `reason` (str). Empty (with `reason` in `warnings`) when either trait has no credible set.
   */
  summary: pl.DataFrame;
  /**
   * coloc.abf on the same variants (one row, `colocGwas`'s columns: `nsnps`, `ppH0`…`ppH4`, `topVariant`,
   * `topSnpPpH4`): the answer under one causal variant per trait.
   */
  abf: pl.DataFrame;
  /** The GWAS's fine-mapping (SuSiE-RSS): `variants` (variantId, pos, z, pip, credibleSet), `sets`, the fit. */
  gwas: { variants: pl.DataFrame; sets: pl.DataFrame; fit: SusieFit };
  /** The gene's fine-mapping (`finemapGene`). */
  gene: FinemapResult;
  /** The variants the two traits share (the GWAS fit's columns). */
  variantIds: string[];
  /** What to know: the GWAS match, variants left out, fits that needed more iterations, no credible set. */
  warnings: string[];
}

/**
 * coloc.susie between a GWAS and a gene × tissue: the gene is fine-mapped with `finemapGene` (individual
 * data of the release); the GWAS — matched to the release's VCF and aligned to its ALT alleles — is
 * fine-mapped with `susieRss` on z = beta/SE over the variants of the gene's cis window it shares, with R =
 * the correlation of those variants' dosages (missing calls mean-imputed) over `gwasRats` (default: every
 * rat of the reference VCF: in-sample LD when the GWAS was run on them), n = the GWAS's N, rerun with 100×
 * the iterations until it converges (coloc's `runsusie`). Then `colocSusie` on every pair of credible sets,
 * with coloc.susie's priors (p12 = 5e-6), and `colocAbf` on the same variants for comparison.
 *
 * @param release An open release, or its source (`"offline"`, a folder, an https URL).
 * @param gwas The GWAS: `readGwas(path).frame`, or a path.
 * @param params `geneId` and `tissueSiteDetailId`.
 * @param options The fine-mapping's (`L`, `coverage`, `minAbsCorr`, `window`), the GWAS's (`gwasN`,
 *   `gwasRats`, `gwasL`, `read`, `keepAmbiguous`), the priors.
 * @returns The pairs of signals, coloc.abf beside, both fits, the shared variants, warnings.
 * @throws {ValidationError} For a GWAS without N or beta/SE, no shared variant, a bad option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colocSusieGwas } from "ratgtex";
 * // SYNTHETIC trait C: two signals near SynG049; the second is SynG049's second causal eQTL variant.
 * const gwas = new URL("../../fixtures/gwas/synthetic_trait_C.mlma", import.meta.url).pathname;
 * const res = await colocSusieGwas("offline", gwas, { geneId: "SynG049", tissueSiteDetailId: "Adipose" }, {
 *   gwasN: 917,
 *   keepAmbiguous: true,
 * });
 * const pairs = res.summary.toRecords() as { gwasHit: string; geneHit: string; ppH4: number | null }[];
 * const shared = pairs.find((p) => p.gwasHit === "chr5:95498283" && p.geneHit === "chr5:95498283")!;
 * assert.ok(shared.ppH4! > 0.99); // coloc.susie finds the shared signal…
 * assert.ok(res.abf.getColumn("ppH3").get(0) > 0.99); // …which coloc.abf, one signal per trait, calls H3
 * ```
 */
export async function colocSusieGwas(
  release: ReleaseInput,
  gwas: pl.DataFrame | string,
  params: { geneId: string; tissueSiteDetailId: string },
  options?: ColocSusieGwasOptions,
): Promise<ColocSusieGwasResult> {
  const list = { is: (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string"), expected: "a list" };
  const opts = checkOptions<ColocSusieGwasOptions>(options, {
    L: "number",
    coverage: "number",
    minAbsCorr: "number",
    window: "number",
    modality: "string",
    gwasN: "number",
    gwasRats: list,
    gwasL: { is: (v) => Number.isInteger(v) && (v as number) >= 1, expected: "a whole number ≥ 1" },
    p1: "number",
    p2: "number",
    p12: "number",
    read: "object",
    keepAmbiguous: "boolean",
  }, {
    usage: "colocSusieGwas(release, gwas, { geneId, tissueSiteDetailId }, { L, coverage, gwasN, gwasRats, gwasL, " +
      "p1, p2, p12, read, keepAmbiguous })",
  });
  checkGeneTissue(params);
  const rel = await releaseOf(release);
  const { match, arrays } = await preparedGwas(rel, gwas, opts);
  const warnings = [...match.warnings];
  if (!arrays.hasBeta) {
    throw new ValidationError(
      "gwas",
      "[GWAS without beta and SE]",
      "SuSiE-RSS needs z = beta / SE for every variant",
      "use a GWAS file with effect sizes and standard errors",
    );
  }
  const { L, coverage, minAbsCorr, window, modality } = opts;
  const fineOptions: FinemapOptions = {
    ...(L !== undefined ? { L } : {}),
    ...(coverage !== undefined ? { coverage } : {}),
    ...(minAbsCorr !== undefined ? { minAbsCorr } : {}),
    ...(window !== undefined ? { window } : {}),
    ...(modality !== undefined ? { modality } : {}),
  };
  const gene = await finemapGene(rel, params, fineOptions);
  const gwasFit = await fineMapGwas(rel, arrays, gene, opts, warnings);
  const geneSetOf = new Map(gene.fit.sets.map((s, k) => [s.csIndex, k + 1]));
  const gwasSetOf = new Map(gwasFit.fit.sets.map((s, k) => [s.csIndex, k + 1]));
  const coloc = colocSusie(gwasFit.coloc, gene.coloc, {
    ...(opts.p1 !== undefined ? { p1: opts.p1 } : {}),
    ...(opts.p2 !== undefined ? { p2: opts.p2 } : {}),
    ...(opts.p12 !== undefined ? { p12: opts.p12 } : {}),
  });
  if (coloc.reason !== null) warnings.push(coloc.reason);
  warnings.push(...coloc.warnings);
  const rows = coloc.summary;
  const summary = pl.DataFrame([
    pl.Series("gwasSet", rows.map((r) => gwasSetOf.get(r.idx1) ?? null), pl.Float64).cast(pl.Int32),
    pl.Series("geneSet", rows.map((r) => geneSetOf.get(r.idx2) ?? null), pl.Float64).cast(pl.Int32),
    pl.Series("gwasHit", rows.map((r) => r.hit1), pl.Utf8),
    pl.Series("geneHit", rows.map((r) => r.hit2), pl.Utf8),
    pl.Series("nsnps", rows.map((r) => r.nsnps), pl.Int32),
    pl.Series("ppH0", rows.map((r) => r.ppH0), pl.Float64),
    pl.Series("ppH1", rows.map((r) => r.ppH1), pl.Float64),
    pl.Series("ppH2", rows.map((r) => r.ppH2), pl.Float64),
    pl.Series("ppH3", rows.map((r) => r.ppH3), pl.Float64),
    pl.Series("ppH4", rows.map((r) => r.ppH4), pl.Float64),
    pl.Series("reason", rows.map((r) => r.reason), pl.Utf8),
  ]);
  const abf = await abfBeside(rel, arrays, params, gwasFit.variantIds, opts);
  return {
    summary,
    abf,
    gwas: { variants: gwasFit.variants, sets: gwasFit.sets, fit: gwasFit.fit },
    gene,
    variantIds: gwasFit.variantIds,
    warnings,
  };
}

/** The GWAS fine-mapped with SuSiE-RSS over the gene window's variants it has, with in-sample LD. */
async function fineMapGwas(
  rel: Release,
  g: GwasArrays,
  gene: FinemapResult,
  opts: ColocSusieGwasOptions,
  warnings: string[],
): Promise<{ variantIds: string[]; variants: pl.DataFrame; sets: pl.DataFrame; fit: SusieFit; coloc: SusieFitLike }> {
  const inWindow = gene.variantIds.filter((v) => g.index.has(v));
  if (inWindow.length === 0) {
    throw new ValidationError(
      "gwas",
      `[${g.variantIds.length} matched variants]`,
      `none is in ${gene.geneId}'s cis window`,
      "check that the GWAS covers the gene's region",
    );
  }
  const positions = inWindow.map((v) => Number(v.slice(v.indexOf(":") + 1)));
  const geno = await rel.genotypes({
    region: {
      chromosome: inWindow[0].slice(0, inWindow[0].indexOf(":")),
      start: Math.min(...positions),
      end: Math.max(...positions),
    },
    ...(opts.gwasRats !== undefined ? { rats: opts.gwasRats } : {}),
  });
  const byId = new Map(geno.variants.map((v) => [v.variantId, v.dosages]));
  // Standardised, mean-imputed dosages; variants with one genotype among the rats cannot be in R.
  const columns: Float64Array[] = [], kept: string[] = [], constant: string[] = [];
  for (const id of inWindow) {
    const d = byId.get(id)!;
    let sum = 0, called = 0;
    for (const x of d) if (x >= 0) sum += x, called++;
    const mean = called === 0 ? 0 : sum / called;
    const col = Float64Array.from(d, (x) => (x < 0 ? mean : x) - mean);
    let ss = 0;
    for (const x of col) ss += x * x;
    if (!(ss > 0)) {
      constant.push(id);
      continue;
    }
    const scale = 1 / Math.sqrt(ss);
    for (let i = 0; i < col.length; i++) col[i] *= scale;
    columns.push(col), kept.push(id);
  }
  if (constant.length > 0) {
    warnings.push(`${constant.length} GWAS variant(s) with one genotype among the LD rats left out of SuSiE-RSS`);
  }
  // R = correlations of the standardised columns: a plain O(p²n) product (p ≤ a few hundred per window here;
  // the bundled release's windows take < 1 ms).
  const p = kept.length, R = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    R[a * p + a] = 1;
    const x = columns[a];
    for (let b = a + 1; b < p; b++) {
      const y = columns[b];
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i] * y[i];
      R[a * p + b] = R[b * p + a] = s;
    }
  }
  const idx = kept.map((v) => g.index.get(v)!);
  const z = idx.map((i) => g.beta[i]! / g.se[i]!);
  const n = median(idx.map((i) => g.n[i]!));
  const fitOptions = {
    ...(opts.gwasL !== undefined ? { L: opts.gwasL } : {}),
    ...(opts.coverage !== undefined ? { coverage: opts.coverage } : {}),
    ...(opts.minAbsCorr !== undefined ? { minAbsCorr: opts.minAbsCorr } : {}),
  };
  let fit = susieRss(z, R, n, fitOptions);
  // coloc's runsusie: rerun with 100 times the iterations until it converges.
  for (let maxIter = 10_000; !fit.converged && maxIter <= 1_000_000; maxIter *= 100) {
    warnings.push(`the GWAS's SuSiE-RSS did not converge in ${fit.niter} iterations: rerun with ${maxIter}`);
    fit = susieRss(z, R, n, { ...fitOptions, maxIter });
  }
  const setOf = new Int32Array(p).fill(-1);
  fit.sets.forEach((s, k) => s.variants.forEach((j) => (setOf[j] = k)));
  const tops = fit.sets.map((s) => s.variants.reduce((a, b) => (fit.pip[b] > fit.pip[a] ? b : a)));
  return {
    variantIds: kept,
    variants: pl.DataFrame([
      pl.Series("variantId", kept, pl.Utf8),
      pl.Series("pos", kept.map((v) => Number(v.slice(v.indexOf(":") + 1))), pl.Int64),
      pl.Series("z", z, pl.Float64),
      pl.Series("pip", fit.pip, pl.Float64),
      pl.Series("credibleSet", Array.from(setOf, (k) => (k < 0 ? null : k + 1)), pl.Float64).cast(pl.Int32),
    ]),
    sets: pl.DataFrame([
      pl.Series("credibleSet", fit.sets.map((_, k) => k + 1), pl.Int32),
      pl.Series("effect", fit.sets.map((s) => s.csIndex), pl.Int32),
      pl.Series("size", fit.sets.map((s) => s.variants.length), pl.Int32),
      pl.Series("coverage", fit.sets.map((s) => s.coverage), pl.Float64),
      pl.Series("minAbsCorr", fit.sets.map((s) => s.purity.minAbsCorr), pl.Float64),
      pl.Series("lbf", fit.sets.map((s) => fit.lbf[s.csIndex]), pl.Float64),
      pl.Series("topVariant", tops.map((j) => kept[j]), pl.Utf8),
      pl.Series("topPip", tops.map((j) => fit.pip[j]), pl.Float64),
      pl.Series("variantIds", fit.sets.map((s) => s.variants.map((j) => kept[j]).join(",")), pl.Utf8),
    ]),
    fit,
    coloc: { lbfVariable: fit.lbfVariable, variantIds: kept, sets: fit.sets.map((s) => ({ effect: s.csIndex })) },
  };
}

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** coloc.abf on the variants SuSiE-RSS used, as `colocGwas` assembles it (eQTL sdY = 1). */
async function abfBeside(
  rel: Release,
  g: GwasArrays,
  params: { geneId: string; tissueSiteDetailId: string },
  variantIds: readonly string[],
  opts: ColocSusieGwasOptions,
): Promise<pl.DataFrame> {
  const stats = await rel.cisStatistics({
    geneId: params.geneId,
    tissueSiteDetailId: params.tissueSiteDetailId,
    ...(opts.window !== undefined ? { window: opts.window } : {}),
  });
  const keep = new Set(variantIds);
  const rows = (groupRows(stats).get(params.geneId) ?? []).filter((r) => keep.has(r.variantId));
  const datasets = colocDatasets(g, rows, { gwasType: "quant", eqtlSdY: "one" });
  const result: ColocAbfResult | null = typeof datasets === "string" ? null : colocAbf(datasets.gwas, datasets.eqtl);
  const top = result?.variants.reduce((a, b) => (b.snpPpH4 > a.snpPpH4 ? b : a));
  return pl.DataFrame([
    pl.Series("nsnps", [result?.nsnps ?? 0], pl.Int32),
    pl.Series("ppH0", [result?.ppH0 ?? null], pl.Float64),
    pl.Series("ppH1", [result?.ppH1 ?? null], pl.Float64),
    pl.Series("ppH2", [result?.ppH2 ?? null], pl.Float64),
    pl.Series("ppH3", [result?.ppH3 ?? null], pl.Float64),
    pl.Series("ppH4", [result?.ppH4 ?? null], pl.Float64),
    pl.Series("topVariant", [top?.variantId ?? null], pl.Utf8),
    pl.Series("topSnpPpH4", [top?.snpPpH4 ?? null], pl.Float64),
    pl.Series("reason", [typeof datasets === "string" ? datasets : null], pl.Utf8),
  ]);
}
