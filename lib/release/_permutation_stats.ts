/**
 * The permutation statistics a release publishes, recomputed from its files beside the published values:
 * a tissue's permutation pass gene by gene (`pval_beta`, `pval_perm`, the beta shapes, `true_df`, with
 * the Monte-Carlo interval of `pval_beta`), Storey's q-values of its published `pval_beta` column, the
 * nominal thresholds and aFC.
 *
 * Agreement, as stated in the JSDoc of the Release methods:
 * - given the release's own permutations (its seed), `pval_beta` equals the published value at its
 *   printed precision; with other permutations, it lies within the Monte-Carlo interval;
 * - a value recomputed from printed inputs (q-values from the 6-digit `pval_beta` column, thresholds at
 *   the p-value cut-off between 6-digit `pval_beta` values) carries their rounding: it agrees when within
 *   half a unit of the printed last digit plus a relative 1e-5.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { qvalue } from "../analysis/regression/qvalue.ts";
import { minPValueThreshold } from "../analysis/regression/permutation_fdr.ts";
import { runScans, type ScanInputs, type ScanResult } from "./_permutation_pass.ts";
import type { Table } from "./table.ts";
import { DEFAULT_PERMUTATION_SEED, type PermutationStatisticsOptions } from "./permutation_options.ts";

/** Storey's λ RatGTEx used (Pantry's `tensorqtl.calculate_qvalues(d, qvalue_lambda=0.85)`). */
export const QVALUE_LAMBDA = 0.85;

/** The FDR cut-off of eGenes and the nominal thresholds (tensorQTL's default). */
export const FDR = 0.05;

/** A published number as printed and its value. */
export interface Printed {
  token: string;
  value: number;
}

/** A token of a table as printed (NA → NaN). */
export function printedOf(token: string | undefined): Printed {
  const t = token ?? "NA";
  return { token: t, value: t === "NA" || t === "" ? NaN : Number(t) };
}

/**
 * Whether `x` is `p` as printed: within half a unit of its last significant digit, plus `relative`·|p| for a
 * value recomputed from printed inputs (tokens of 15 or more digits, full doubles, are held to 1e-9).
 */
export function agreesPrinted(x: number, p: Printed, relative = 0): boolean {
  if (!Number.isFinite(p.value) || !Number.isFinite(x)) return false;
  const mantissa = p.token.toLowerCase().split("e")[0].replace(/^[-+]/, "").replace(".", "").replace(/^0+/, "");
  const digits = Math.max(1, mantissa.length);
  if (p.value === 0) return Math.abs(x) <= relative;
  if (digits >= 15) return Math.abs(x - p.value) <= Math.max(1e-9, relative) * Math.abs(p.value);
  const exp = Math.floor(Math.log10(Math.abs(p.value)));
  return Math.abs(x - p.value) <= 0.5 * 10 ** (exp - digits + 1) * (1 + 1e-9) + relative * Math.abs(p.value);
}

/** The relative slack of values recomputed from 6-digit inputs (see the module). */
export const FROM_PRINTED = 1e-5;

/**
 * The relative slack of a beta fit repeated on the same permutations: tensorQTL's Nelder–Mead stops anywhere
 * within 1e-4 of the optimal shapes, and where the likelihood is flat (few samples, grouped phenotypes) two
 * float64 runs whose sums differ in the last bit stop at different points of that box. Measured on the
 * bundled release: ≤ 1.3e-5 relative in `pval_beta` (cross-modality scans; expression scans agree to 1e-11).
 */
export const OPTIMISER_SLACK = 2e-5;

/** One published top-association row of a tissue × modality. */
export interface TopRow {
  geneId: string;
  phenotypeId: string;
  variantId: string;
  numVar: number;
  /** The top variant's nominal p-value (`pval_nominal`). */
  pValue: Printed;
  pValueBeta: Printed;
  qValue: Printed;
  threshold: Printed;
  log2aFC: Printed | null;
}

/** One published independent row. */
export interface IndepRow {
  geneId: string;
  phenotypeId: string;
  variantId: string;
  numVar: number;
  rank: number;
  pValueBeta: Printed;
  log2aFC: Printed | null;
}

/** The published top and independent tables of one modality, by tissue then gene. */
export interface Published {
  top: Map<string, Map<string, TopRow>>;
  indep: Map<string, Map<string, IndepRow[]>>;
}

function cells(t: Table): Map<string, string>[] {
  return t.rows.map((r) => new Map(t.columns.map((h, i) => [h, r[i]])));
}

/** The published tables of a modality (expression: `eqtl/`, with aFC; the others: `xqtl/top_assoc.{M}`). */
export async function publishedOf(inputs: ScanInputs, modality: string): Promise<Published> {
  const folder = inputs.folder;
  const cross = modality === "cross_modality";
  if (!cross) (await folder.layout()).modality(modality);
  const expression = modality === "expression";
  const topTable = expression
    ? await folder.topAssoc()
    : cross
    ? await folder.tableOf("xqtlTopAssocCrossModality")
    : await folder.tableOf("xqtlTopAssoc", { modality });
  const indepTable = expression
    ? await folder.eqtls()
    : cross
    ? await folder.tableOf("xqtlsIndepCrossModality")
    : await folder.tableOf("xqtlsIndep", { modality });
  // Cross-modality phenotypes are `{modality}:{phenotype_id}` in the scan (Pantry's combined BED).
  const phenotypeOf = (c: Map<string, string>) =>
    cross ? `${c.get("modality")}:${c.get("phenotype_id")}` : c.get("phenotype_id") ?? c.get("gene_id")!;
  const top = new Map<string, Map<string, TopRow>>();
  for (const c of cells(topTable)) {
    const t = c.get("tissue")!;
    if (!top.has(t)) top.set(t, new Map());
    top.get(t)!.set(c.get("gene_id")!, {
      geneId: c.get("gene_id")!,
      phenotypeId: phenotypeOf(c),
      variantId: c.get("variant_id")!,
      numVar: Number(c.get("num_var")),
      pValue: printedOf(c.get("pval_nominal")),
      pValueBeta: printedOf(c.get("pval_beta")),
      qValue: printedOf(c.get("qval")),
      threshold: printedOf(c.get("pval_nominal_threshold")),
      log2aFC: c.has("log2_aFC") ? printedOf(c.get("log2_aFC")) : null,
    });
  }
  const indep = new Map<string, Map<string, IndepRow[]>>();
  for (const c of cells(indepTable)) {
    const t = c.get("tissue")!, g = c.get("gene_id")!;
    if (!indep.has(t)) indep.set(t, new Map());
    const list = indep.get(t)!.get(g) ?? [];
    list.push({
      geneId: g,
      phenotypeId: phenotypeOf(c),
      variantId: c.get("variant_id")!,
      numVar: Number(c.get("num_var")),
      rank: Number(c.get("rank")),
      pValueBeta: printedOf(c.get("pval_beta")),
      log2aFC: c.has("log2_aFC") ? printedOf(c.get("log2_aFC")) : null,
    });
    indep.get(t)!.set(g, list);
  }
  return { top, indep };
}

/** Storey's q-values of one tissue's published `pval_beta` column, with the λ and the p-value cut-off. */
export interface TissueQvalues {
  /** Gene → recomputed q-value. */
  qValue: Map<string, number>;
  /** The λ used (0.85, or the fallback: see {@link tissueQvalues}). */
  lambda: number;
  /** Storey's pi0. */
  pi0: number;
  /** The `pval_beta` cut-off of the nominal thresholds at FDR 0.05 (tensorQTL post.py), null without eGenes. */
  pThreshold: number | null;
}

/**
 * R `qvalue(p, lambda = 0.85)` of a tissue's published `pval_beta` column (genes in file order), as
 * tensorQTL's `calculate_qvalues` calls it; where no `pval_beta` reaches 0.85 (R's qvalue then stops: pi0 ≤ 0
 * — a miniature release of a few dozen genes can meet it, a real one does not), the largest of 0.80, 0.75, …
 * that some `pval_beta` reaches, as the bundled miniature release's generator does.
 */
export function tissueQvalues(rows: readonly TopRow[]): TissueQvalues {
  const p = rows.map((r) => r.pValueBeta.value);
  let lambda = QVALUE_LAMBDA;
  const finite = p.filter((x) => Number.isFinite(x));
  if (finite.length === 0) {
    throw new ValidationError("pval_beta", rows.length, "no pval_beta in this tissue", "check the release's top_assoc");
  }
  const max = Math.max(...finite);
  // 0.85, 0.80, 0.75, … as decimal literals (0.85 − 0.05·k in binary drifts from them).
  for (let k = 17; max < lambda && k > 1; k--) lambda = Number(((k - 1) * 0.05).toFixed(2));
  const { qvalues, pi0 } = qvalue(p, { lambda });
  const qValue = new Map(rows.map((r, i) => [r.geneId, qvalues[i]]));
  return { qValue, lambda, pi0, pThreshold: minPValueThreshold(p, qvalues, FDR) };
}

/** Check the options of a permutation pass. */
export function checkPermutationOptions(options: PermutationStatisticsOptions, allowZero: boolean): void {
  if (options === null || typeof options !== "object") {
    throw new ValidationError(
      "options",
      options,
      "not an options object",
      "pass { permutations?, seed?, level?, publishedPermutations? }",
    );
  }
  const p = options.permutations;
  if (
    p !== undefined && !(p instanceof Int32Array) &&
    !(Number.isSafeInteger(p) && (p as number) >= (allowZero ? 0 : 2))
  ) {
    throw new ValidationError(
      "options.permutations",
      p,
      `a permutation count is an integer ≥ ${allowZero ? "0 (0: no permutation pass)" : "2"}`,
      "pass e.g. 1000, or an index matrix (count × samples)",
    );
  }
  const s = options.seed;
  if (s !== undefined && !(Number.isInteger(s) && s >= 0 && s <= 0xffffffff)) {
    throw new ValidationError("options.seed", s, "a seed is an integer in [0, 2³²)", "pass e.g. 20260426");
  }
  const pp = options.publishedPermutations;
  if (pp !== undefined && !(Number.isSafeInteger(pp) && pp >= 1)) {
    throw new ValidationError(
      "options.publishedPermutations",
      pp,
      "a permutation count is an integer ≥ 1",
      "pass the release's count (RatGTEx: 10,000)",
    );
  }
}

/**
 * Whether the recomputed top variant is the published one — or ties with it: variants in perfect LD give the
 * same r² up to rounding, which one comes first is rounding noise (RatGTEx broke ties at random), and their
 * nominal p-value is the published one at its printed precision.
 */
export function sameTopVariant(r: ScanResult, p: TopRow): boolean {
  return r.variantId === p.variantId || agreesPrinted(r.pValue, p.pValue);
}

/** Whether the recomputed `pval_beta` agrees with the published one: exactly (same permutations) or statistically. */
export function pValueBetaAgrees(r: ScanResult, published: Printed, samePermutations: boolean): boolean {
  if (samePermutations) return agreesPrinted(r.pValueBeta, published, OPTIMISER_SLACK);
  return published.value >= r.pValueBetaLow && published.value <= r.pValueBetaHigh;
}

/**
 * The permutation pass of the genes of one tissue × modality with the published values beside (see
 * `Release.permutationStatistics` for the columns).
 */
export async function permutationStatistics(
  inputs: ScanInputs,
  query: { tissueSiteDetailId: string; modality?: string; geneIds?: readonly string[] },
  options: PermutationStatisticsOptions,
): Promise<pl.DataFrame> {
  if (query === null || typeof query !== "object") {
    throw new ValidationError(
      "query",
      query,
      "not a query",
      'pass { tissueSiteDetailId: "IL", modality?: "expression", geneIds?: [...] }',
    );
  }
  checkPermutationOptions(options, false);
  const tissue = query.tissueSiteDetailId;
  const modality = query.modality ?? "expression";
  const files = await inputs.files(tissue, modality);
  const published = await publishedOf(inputs, modality);
  const top = published.top.get(tissue) ?? new Map<string, TopRow>();
  let genes: string[];
  if (query.geneIds === undefined) genes = [...top.keys()];
  else {
    if (!Array.isArray(query.geneIds) || query.geneIds.some((g) => typeof g !== "string")) {
      throw new ValidationError("geneIds", query.geneIds, "not a list of gene IDs", 'pass e.g. ["Cd300lf"]');
    }
    genes = [...query.geneIds];
  }
  const { results, seed, nPermutations } = await runScans(files, genes.map((geneId) => ({ geneId })), {
    permutations: options.permutations ?? 1000,
    seed: options.seed ?? DEFAULT_PERMUTATION_SEED,
    level: options.level,
    otherPermutations: options.publishedPermutations ?? 10_000,
  });
  const same = options.seed !== undefined || options.permutations instanceof Int32Array;
  const pub = genes.map((g) => top.get(g) ?? null);
  const f64 = (name: string, v: (number | null)[]) => pl.Series(name, v, pl.Float64);
  const i32 = (name: string, v: (number | null)[]) => pl.Series(name, v, pl.Int32);
  const str = (name: string, v: (string | null)[]) => pl.Series(name, v, pl.Utf8);
  const bool = (name: string, v: (boolean | null)[]) => pl.Series(name, v, pl.Bool);
  const r = (k: keyof ScanResult) => results.map((x) => x[k] as number);
  return pl.DataFrame([
    str("geneId", genes),
    str("tissueSiteDetailId", genes.map(() => tissue)),
    str("modality", genes.map(() => modality)),
    str("phenotypeId", results.map((x) => x.phenotypeId)),
    i32("groupSize", r("groupSize")),
    i32("numVar", r("numVar")),
    str("variantId", results.map((x) => x.variantId)),
    f64("pValue", r("pValue")),
    f64("slope", r("slope")),
    f64("slopeSe", r("slopeSe")),
    f64("pValuePerm", r("pValuePerm")),
    f64("pValueBeta", r("pValueBeta")),
    f64("betaShape1", r("betaShape1")),
    f64("betaShape2", r("betaShape2")),
    f64("trueDf", r("trueDf")),
    f64("pValueTrueDf", r("pValueTrueDf")),
    f64("pValueBetaLow", r("pValueBetaLow")),
    f64("pValueBetaHigh", r("pValueBetaHigh")),
    i32("nPermutations", genes.map(() => nPermutations)),
    f64("seed", genes.map(() => seed)),
    str("publishedVariantId", pub.map((p) => p?.variantId ?? null)),
    i32("publishedNumVar", pub.map((p) => p?.numVar ?? null)),
    f64("publishedPValueBeta", pub.map((p) => p?.pValueBeta.value ?? null)),
    bool(
      "withinInterval",
      pub.map((p, i) =>
        p === null || !Number.isFinite(results[i].pValueBetaLow)
          ? null
          : p.pValueBeta.value >= results[i].pValueBetaLow && p.pValueBeta.value <= results[i].pValueBetaHigh
      ),
    ),
    bool(
      "agrees",
      pub.map((p, i) =>
        p === null ? null : p.numVar === results[i].numVar && sameTopVariant(results[i], p) &&
          pValueBetaAgrees(results[i], p.pValueBeta, same)
      ),
    ),
    str("reason", results.map((x) => x.reason)),
  ]);
}

/** Storey's q-values of one tissue × modality recomputed from its published `pval_beta` column (see `Release.qValues`). */
export async function qValuesFrame(
  inputs: ScanInputs,
  query: { tissueSiteDetailId: string; modality?: string },
): Promise<pl.DataFrame> {
  if (query === null || typeof query !== "object") {
    throw new ValidationError(
      "query",
      query,
      "not a query",
      'pass { tissueSiteDetailId: "IL", modality?: "expression" }',
    );
  }
  const tissue = (await inputs.folder.layout()).tissue(query.tissueSiteDetailId, "tissueSiteDetailId");
  const modality = query.modality ?? "expression";
  const rows = [...((await publishedOf(inputs, modality)).top.get(tissue)?.values() ?? [])];
  if (rows.length === 0) {
    throw new ValidationError(
      "tissueSiteDetailId",
      tissue,
      `has no ${modality} top associations in this release`,
      "choose a tissue and modality the release mapped",
    );
  }
  const q = tissueQvalues(rows);
  return pl.DataFrame([
    pl.Series("geneId", rows.map((r) => r.geneId), pl.Utf8),
    pl.Series("phenotypeId", rows.map((r) => r.phenotypeId), pl.Utf8),
    pl.Series("tissueSiteDetailId", rows.map(() => tissue), pl.Utf8),
    pl.Series("modality", rows.map(() => modality), pl.Utf8),
    pl.Series("pValueBeta", rows.map((r) => r.pValueBeta.value), pl.Float64),
    pl.Series("qValue", rows.map((r) => q.qValue.get(r.geneId)!), pl.Float64),
    pl.Series("publishedQValue", rows.map((r) => r.qValue.value), pl.Float64),
    pl.Series("lambda", rows.map(() => q.lambda), pl.Float64),
    pl.Series("pi0", rows.map(() => q.pi0), pl.Float64),
    pl.Series("pValueBetaThreshold", rows.map(() => q.pThreshold), pl.Float64),
    pl.Series("agrees", rows.map((r) => agreesPrinted(q.qValue.get(r.geneId)!, r.qValue, FROM_PRINTED)), pl.Bool),
  ]);
}
