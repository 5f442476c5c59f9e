/**
 * Fine-mapping over a release: SuSiE credible sets of a gene's eQTL in a tissue from the release's own
 * individual-level data — the normalised phenotype and the cis window's dosages, both residualised on the
 * tissue's covariates as tensorQTL does before SuSiE (`susie.map`) — and how the credible sets relate to the
 * release's conditionally independent eQTLs (`eqtls_indep`).
 *
 * @module
 */
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkOptions } from "../_core/options.ts";
import type { SusieFitLike } from "../analysis/genetics/coloc.ts";
import { susie } from "../analysis/genetics/susie.ts";
import type { SusieFit } from "../analysis/genetics/susie_types.ts";
import { residualiseOnCovariates } from "../analysis/regression/residualise.ts";
import type { CisInputs } from "../release/cis_inputs.ts";
import type { Release } from "../release/release.ts";
import { checkGeneTissue, checkRange, checkWindow, releaseOf } from "./_release.ts";
import type { ReleaseInput } from "./release_input.ts";

/** Options of {@link finemapGene} and {@link finemapEgenes}. */
export interface FinemapOptions {
  /** Maximum number of effects (susieR's `L`, default 10; capped at the window's variants). */
  L?: number;
  /** Credible-set coverage (default 0.95). */
  coverage?: number;
  /** Purity: least |r| between a set's variants (susieR's `min_abs_corr`, default 0.5). */
  minAbsCorr?: number;
  /** Half-width of the cis window (default 1,000,000, the pipeline's). */
  window?: number;
  /** The modality (default `expression`). */
  modality?: string;
}

/** What {@link finemapGene} returns. */
export interface FinemapResult {
  /** The gene. */
  geneId: string;
  /** The tissue. */
  tissueSiteDetailId: string;
  /** The modality. */
  modality: string;
  /**
   * One row per variant of the window, by position: `variantId` (str); `pos` (i64); `pip` (f64, posterior
   * inclusion probability); `credibleSet` (i32, the set's number, 1 = the purest, null outside every set);
   * `rank` (i32, the variant's `eqtls_indep` rank, null when it is not an independent eQTL).
   */
  variants: pl.DataFrame;
  /**
   * One row per credible set: `credibleSet` (i32); `effect` (i32, SuSiE's effect, 0-based row of
   * `lbfVariable`); `size` (i32); `coverage`, `minAbsCorr`, `meanAbsCorr`, `medianAbsCorr`, `lbf` (f64);
   * `topVariant` (str, the largest PIP in the set), `topPip` (f64); `variantIds` (str, comma-joined);
   * `independentEqtls` (str, comma-joined `eqtls_indep` variants in the set, null when none).
   */
  sets: pl.DataFrame;
  /**
   * One row per `eqtls_indep` eQTL of the gene × tissue: `variantId` (str); `rank` (i32); `pip` (f64, null
   * when the variant is not in the window's genotypes); `credibleSet` (i32, the set containing it, null when
   * none); `nearestSet` (i32, the set with the variant most correlated with it), `maxR2` (f64, that r²).
   */
  independent: pl.DataFrame;
  /** The SuSiE fit itself (alpha, mu, lbfVariable, ELBO per iteration, convergence). */
  fit: SusieFit;
  /** The window's variant IDs (the fit's columns). */
  variantIds: string[];
  /** The fit as `colocSusie` takes it. */
  coloc: SusieFitLike;
  /** Samples. */
  samples: number;
  /** What to know: non-convergence, L capped, variants constant in the tissue. */
  warnings: string[];
}

/**
 * Fine-map a gene's eQTL in one tissue with SuSiE (susieR 0.12's `susie`, its defaults): X = the dosages of
 * every bi-allelic variant of the cis window (missing calls imputed with the variant's mean) and y = the
 * normalised phenotype, both residualised on the tissue's covariates with an intercept (tensorQTL's
 * `Residualizer`, as its `susie.map` does), over the samples of the release's normalised BED. Returns the
 * credible sets with their variants and PIPs, and where each of the release's independent eQTLs
 * (`eqtls_indep`, tensorQTL's stepwise conditional scan) falls: in which set, or nearest which.
 *
 * @param release An open release, or its source (`"offline"`, a folder, an https URL).
 * @param params `geneId` and `tissueSiteDetailId` (a gene tested there).
 * @param options `L` (10), `coverage` (0.95), `minAbsCorr` (0.5), `window` (1,000,000), `modality`.
 * @returns The variants, the sets, the independent eQTLs, the fit (see {@link FinemapResult}).
 * @throws {ValidationError} For a gene not mapped in the tissue, a bad option, a window without variants.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finemapGene } from "ratgtex";
 * // SynG049 has two causal variants in Adipose (SYNTHETIC): two credible sets, each holding an independent eQTL.
 * const fm = await finemapGene("offline", { geneId: "SynG049", tissueSiteDetailId: "Adipose" });
 * assert.equal(fm.fit.converged, true);
 * assert.equal(fm.sets.height, 2);
 * const sets = fm.sets.toRecords() as { independentEqtls: string | null }[];
 * assert.ok(sets.every((s) => s.independentEqtls !== null));
 * ```
 */
export async function finemapGene(
  release: ReleaseInput,
  params: { geneId: string; tissueSiteDetailId: string },
  options?: FinemapOptions,
): Promise<FinemapResult> {
  checkGeneTissue(params);
  const opts = checkFinemapOptions(options);
  const rel = await releaseOf(release);
  const inputs = await rel.cisInputs({
    geneId: params.geneId,
    tissueSiteDetailId: params.tissueSiteDetailId,
    modality: opts.modality ?? "expression",
    window: opts.window,
  });
  const indep = await independentOf(rel, params.geneId, params.tissueSiteDetailId);
  return finemapInputs(inputs, indep, opts);
}

/**
 * Fine-map every eGene of a tissue (`top_assoc`'s `qval < 0.05`), one {@link finemapGene} each, the tissue's
 * files read once.
 *
 * @param release An open release, or its source.
 * @param tissueSiteDetailId The tissue.
 * @param options As {@link finemapGene}.
 * @returns `variants` and `sets` of every eGene, with `geneId` first (columns as {@link FinemapResult}'s),
 *   and one row per gene in `genes`: `geneId`, `variants`, `sets` (i32), `converged` (bool), `niter` (i32).
 * @throws {ValidationError} For a tissue the release does not have, a bad option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finemapEgenes } from "ratgtex";
 * const all = await finemapEgenes("offline", "IL");
 * assert.ok(all.genes.height > 0);
 * assert.ok((all.genes.getColumn("converged").toArray() as boolean[]).every((c) => c));
 * ```
 */
export async function finemapEgenes(
  release: ReleaseInput,
  tissueSiteDetailId: string,
  options?: FinemapOptions,
): Promise<{ genes: pl.DataFrame; variants: pl.DataFrame; sets: pl.DataFrame }> {
  const opts = checkFinemapOptions(options);
  const rel = await releaseOf(release);
  const layout = await rel.layout();
  layout.tissue(tissueSiteDetailId, "tissueSiteDetailId");
  const top = (await rel.topAssociations()).toRecords() as {
    geneId: string;
    tissueSiteDetailId: string;
    eGene: boolean;
  }[];
  const genes = top.filter((t) => t.tissueSiteDetailId === tissueSiteDetailId && t.eGene).map((t) => t.geneId);
  const results: FinemapResult[] = [];
  for (const geneId of genes) results.push(await finemapGene(rel, { geneId, tissueSiteDetailId }, opts));
  const withGene = (frame: (r: FinemapResult) => pl.DataFrame) =>
    results.length === 0
      ? null
      : pl.concat(results.map((r) => frame(r).withColumns(pl.lit(r.geneId).alias("geneId")))).select(
        pl.col("geneId"),
        pl.all().exclude("geneId"),
      );
  const empty = finemapInputsEmpty();
  return {
    genes: pl.DataFrame([
      pl.Series("geneId", results.map((r) => r.geneId), pl.Utf8),
      pl.Series("variants", results.map((r) => r.variantIds.length), pl.Int32),
      pl.Series("sets", results.map((r) => r.sets.height), pl.Int32),
      pl.Series("converged", results.map((r) => r.fit.converged), pl.Bool),
      pl.Series("niter", results.map((r) => r.fit.niter), pl.Int32),
    ]),
    variants: withGene((r) => r.variants) ?? empty.variants,
    sets: withGene((r) => r.sets) ?? empty.sets,
  };
}

interface CheckedFinemapOptions extends FinemapOptions {
  window: number;
}

function checkFinemapOptions(options: FinemapOptions | undefined): CheckedFinemapOptions {
  const opts = checkOptions<FinemapOptions>(options, {
    L: { is: (v) => Number.isInteger(v) && (v as number) >= 1, expected: "a whole number ≥ 1" },
    coverage: "number",
    minAbsCorr: "number",
    window: "number",
    modality: "string",
  }, { usage: "finemapGene(release, { geneId, tissueSiteDetailId }, { L, coverage, minAbsCorr, window, modality })" });
  if (opts.coverage !== undefined) checkRange(opts.coverage, "options.coverage", 1e-9, 1 - 1e-12, "0.95");
  if (opts.minAbsCorr !== undefined) checkRange(opts.minAbsCorr, "options.minAbsCorr", 0, 1, "0.5");
  return { ...opts, window: checkWindow(opts.window, "options.window", 1_000_000) };
}

/** The gene × tissue's independent eQTLs: variant → rank. */
async function independentOf(rel: Release, geneId: string, tissue: string): Promise<Map<string, number>> {
  const rows = (await rel.independentEqtls()).toRecords() as {
    geneId: string;
    tissueSiteDetailId: string;
    variantId: string;
    rank: number;
  }[];
  return new Map(
    rows.filter((r) => r.geneId === geneId && r.tissueSiteDetailId === tissue).map((r) => [r.variantId, r.rank]),
  );
}

/** The residualised X (column-major, n × p) and y of a gene × tissue, with the variants' IDs. */
function residualisedWindow(inputs: CisInputs): {
  X: Float64Array;
  y: Float64Array;
  n: number;
  variantIds: string[];
  positions: number[];
  constant: string[];
} {
  const n = inputs.sampleIds.length, p = inputs.variants.length;
  const rows: Float64Array[] = [inputs.phenotype];
  const constant: string[] = [];
  for (const v of inputs.variants) {
    let sum = 0, called = 0;
    for (const d of v.dosages) if (d >= 0) sum += d, called++;
    const mean = called === 0 ? 0 : sum / called;
    const row = Float64Array.from(v.dosages, (d) => (d < 0 ? mean : d));
    if (row.every((x) => x === row[0])) constant.push(v.variantId);
    rows.push(row);
  }
  const residuals = residualiseOnCovariates(inputs.covariates, rows, inputs.sampleIds);
  const X = new Float64Array(n * p);
  for (let j = 0; j < p; j++) X.set(residuals[j + 1], j * n);
  return {
    X,
    y: residuals[0],
    n,
    variantIds: inputs.variants.map((v) => v.variantId),
    positions: inputs.variants.map((v) => v.pos),
    constant,
  };
}

function finemapInputs(
  inputs: CisInputs,
  independent: Map<string, number>,
  opts: CheckedFinemapOptions,
): FinemapResult {
  if (inputs.variants.length === 0) {
    throw new ValidationError(
      "geneId",
      inputs.geneId,
      `no bi-allelic variant within ${inputs.window} bp of its TSS in ${inputs.tissueSiteDetailId}'s genotypes`,
      "widen the window, or choose another gene",
    );
  }
  const w = residualisedWindow(inputs);
  const warnings: string[] = [];
  if (w.constant.length > 0) {
    warnings.push(
      `${w.constant.length} variant(s) with one genotype in ${inputs.tissueSiteDetailId}'s samples (PIP 0): ` +
        w.constant.slice(0, 5).join(", "),
    );
  }
  const fit = susie({ values: w.X, rows: w.n, columns: w.variantIds.length }, w.y, {
    ...(opts.L !== undefined ? { L: opts.L } : {}),
    ...(opts.coverage !== undefined ? { coverage: opts.coverage } : {}),
    ...(opts.minAbsCorr !== undefined ? { minAbsCorr: opts.minAbsCorr } : {}),
  });
  warnings.push(...fit.warnings);
  if (!fit.converged) warnings.push(`SuSiE did not converge: ${fit.reason}`);
  const setOf = new Int32Array(w.variantIds.length).fill(-1);
  fit.sets.forEach((s, k) => s.variants.forEach((j) => (setOf[j] = k)));
  const column = new Map(w.variantIds.map((v, j) => [v, j]));
  const variants = pl.DataFrame([
    pl.Series("variantId", w.variantIds, pl.Utf8),
    pl.Series("pos", w.positions, pl.Int64),
    pl.Series("pip", fit.pip, pl.Float64),
    // Through Float64: nodejs-polars 0.25 turns a null in a JS array into 0 when it builds an Int32 series.
    pl.Series("credibleSet", Array.from(setOf, (k) => (k < 0 ? null : k + 1)), pl.Float64).cast(pl.Int32),
    pl.Series("rank", w.variantIds.map((v) => independent.get(v) ?? null), pl.Float64).cast(pl.Int32),
  ]);
  const setIndependent = fit.sets.map((s) => s.variants.map((j) => w.variantIds[j]).filter((v) => independent.has(v)));
  const tops = fit.sets.map((s) => s.variants.reduce((a, b) => (fit.pip[b] > fit.pip[a] ? b : a)));
  const sets = pl.DataFrame([
    pl.Series("credibleSet", fit.sets.map((_, k) => k + 1), pl.Int32),
    pl.Series("effect", fit.sets.map((s) => s.csIndex), pl.Int32),
    pl.Series("size", fit.sets.map((s) => s.variants.length), pl.Int32),
    pl.Series("coverage", fit.sets.map((s) => s.coverage), pl.Float64),
    pl.Series("minAbsCorr", fit.sets.map((s) => s.purity.minAbsCorr), pl.Float64),
    pl.Series("meanAbsCorr", fit.sets.map((s) => s.purity.meanAbsCorr), pl.Float64),
    pl.Series("medianAbsCorr", fit.sets.map((s) => s.purity.medianAbsCorr), pl.Float64),
    pl.Series("lbf", fit.sets.map((s) => fit.lbf[s.csIndex]), pl.Float64),
    pl.Series("topVariant", tops.map((j) => w.variantIds[j]), pl.Utf8),
    pl.Series("topPip", tops.map((j) => fit.pip[j]), pl.Float64),
    pl.Series("variantIds", fit.sets.map((s) => s.variants.map((j) => w.variantIds[j]).join(",")), pl.Utf8),
    pl.Series("independentEqtls", setIndependent.map((v) => (v.length === 0 ? null : v.join(","))), pl.Utf8),
  ]);
  // Each independent eQTL: its set, or the set holding the variant most correlated with it.
  const indepRows = [...independent].sort((a, b) => a[1] - b[1]).map(([variantId, rank]) => {
    const j = column.get(variantId);
    if (j === undefined) return { variantId, rank, pip: null, credibleSet: null, nearestSet: null, maxR2: null };
    let nearestSet: number | null = null, maxR2: number | null = null;
    fit.sets.forEach((s, k) => {
      for (const i of s.variants) {
        const r2 = correlation2(w.X, w.n, i, j);
        if (maxR2 === null || r2 > maxR2) [maxR2, nearestSet] = [r2, k + 1];
      }
    });
    return { variantId, rank, pip: fit.pip[j], credibleSet: setOf[j] < 0 ? null : setOf[j] + 1, nearestSet, maxR2 };
  });
  const independentFrame = pl.DataFrame([
    pl.Series("variantId", indepRows.map((r) => r.variantId), pl.Utf8),
    pl.Series("rank", indepRows.map((r) => r.rank), pl.Int32),
    pl.Series("pip", indepRows.map((r) => r.pip), pl.Float64),
    pl.Series("credibleSet", indepRows.map((r) => r.credibleSet), pl.Float64).cast(pl.Int32),
    pl.Series("nearestSet", indepRows.map((r) => r.nearestSet), pl.Float64).cast(pl.Int32),
    pl.Series("maxR2", indepRows.map((r) => r.maxR2), pl.Float64),
  ]);
  return {
    geneId: inputs.geneId,
    tissueSiteDetailId: inputs.tissueSiteDetailId,
    modality: inputs.modality,
    variants,
    sets,
    independent: independentFrame,
    fit,
    variantIds: w.variantIds,
    coloc: {
      lbfVariable: fit.lbfVariable,
      variantIds: w.variantIds,
      sets: fit.sets.map((s) => ({ effect: s.csIndex })),
    },
    samples: w.n,
    warnings,
  };
}

/** r² between two columns of a column-major matrix (0 when either is constant). */
function correlation2(X: Float64Array, n: number, a: number, b: number): number {
  let sa = 0, sb = 0;
  for (let i = 0; i < n; i++) sa += X[a * n + i], sb += X[b * n + i];
  const ma = sa / n, mb = sb / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = X[a * n + i] - ma, y = X[b * n + i] - mb;
    sab += x * y, saa += x * x, sbb += y * y;
  }
  return saa === 0 || sbb === 0 ? 0 : (sab * sab) / (saa * sbb);
}

/** Empty `variants` and `sets` frames with their columns (a tissue without eGenes). */
function finemapInputsEmpty(): { variants: pl.DataFrame; sets: pl.DataFrame } {
  const s = (name: string, dtype: pl.DataType) => pl.Series(name, [], dtype);
  return {
    variants: pl.DataFrame([
      s("geneId", pl.Utf8),
      s("variantId", pl.Utf8),
      s("pos", pl.Int64),
      s("pip", pl.Float64),
      s("credibleSet", pl.Int32),
      s("rank", pl.Int32),
    ]),
    sets: pl.DataFrame([
      s("geneId", pl.Utf8),
      s("credibleSet", pl.Int32),
      s("effect", pl.Int32),
      s("size", pl.Int32),
      s("coverage", pl.Float64),
      s("minAbsCorr", pl.Float64),
      s("meanAbsCorr", pl.Float64),
      s("medianAbsCorr", pl.Float64),
      s("lbf", pl.Float64),
      s("topVariant", pl.Utf8),
      s("topPip", pl.Float64),
      s("variantIds", pl.Utf8),
      s("independentEqtls", pl.Utf8),
    ]),
  };
}
