/**
 * The permutation-pass columns of `Release.eqtlStatistics`: for each gene–variant pair, the gene's
 * permutation statistics in its tissue (for an `eqtls_indep` row, the conditional scan that reported it:
 * the gene's other independent variants join the covariates), Storey's q-value of the gene from the
 * tissue's published `pval_beta` column, the gene's `pval_nominal_threshold` from its recomputed beta
 * shapes at the tissue's `pval_beta` cut-off (tensorQTL `post.py`), and the pair's `log2_aFC` as aFC.py
 * computes it from `expr/expr.log2.{T}.v4_rn8.bed.gz` with the covariates — each beside the release's value,
 * with the named checks that make `agrees`.
 *
 * @module
 */
import { log2AllelicFoldChange } from "../analysis/regression/afc.ts";
import { nominalThreshold } from "../analysis/regression/permutation_fdr.ts";
import { runScans, type ScanInputs, type ScanRequest, type ScanResult } from "./_permutation_pass.ts";
import {
  agreesPrinted,
  FROM_PRINTED,
  type IndepRow,
  OPTIMISER_SLACK,
  publishedOf,
  pValueBetaAgrees,
  type TissueQvalues,
  tissueQvalues,
  type TopRow,
} from "./_permutation_stats.ts";
import type { EqtlPair } from "./pairs.ts";
import { DEFAULT_PERMUTATION_SEED, type EqtlStatisticsOptions } from "./permutation_options.ts";

/** A named check: the published column and whether the recomputation reproduces it. */
export type Check = [column: string, agrees: boolean];

/** The permutation-pass columns of one pair. */
export interface PairPermutationColumns {
  numVar: number | null;
  publishedNumVar: number | null;
  pValuePerm: number | null;
  pValueBeta: number | null;
  pValueBetaLow: number | null;
  pValueBetaHigh: number | null;
  betaShape1: number | null;
  betaShape2: number | null;
  trueDf: number | null;
  publishedPValueBeta: number | null;
  conditionalNumVar: number | null;
  indepNumVar: number | null;
  conditionalPValueBeta: number | null;
  conditionalPValueBetaLow: number | null;
  conditionalPValueBetaHigh: number | null;
  indepPValueBeta: number | null;
  qValue: number | null;
  publishedQValue: number | null;
  pValueThreshold: number | null;
  publishedPValueThreshold: number | null;
  log2aFC: number | null;
  publishedLog2aFC: number | null;
  seed: number | null;
  checks: Check[];
}

const nullable = (x: number) => (Number.isFinite(x) ? x : null);

/** Compute the columns for every pair (in input order); pairs were checked by the nominal recomputation. */
export async function pairPermutationColumns(
  inputs: ScanInputs,
  pairs: readonly EqtlPair[],
  options: EqtlStatisticsOptions,
): Promise<PairPermutationColumns[]> {
  const count = options.permutations ?? 1000;
  const run = count instanceof Int32Array || count > 0;
  const same = options.seed !== undefined || count instanceof Int32Array;
  const published = await publishedOf(inputs, "expression");
  const out: PairPermutationColumns[] = new Array(pairs.length);
  const byTissue = new Map<string, number[]>();
  pairs.forEach((p, i) => byTissue.set(p.tissueSiteDetailId, [...(byTissue.get(p.tissueSiteDetailId) ?? []), i]));
  for (const [tissue, indices] of byTissue) {
    const top = published.top.get(tissue) ?? new Map<string, TopRow>();
    const indep = published.indep.get(tissue) ?? new Map<string, IndepRow[]>();
    const q: TissueQvalues | null = top.size > 0 ? tissueQvalues([...top.values()]) : null;
    const files = await inputs.files(tissue, "expression");
    // Every pair's gene gets its map_cis scan; an independent row of a gene with several signals also the
    // conditional scan that reported it (the gene's other independent variants in the covariates).
    const conditionOf = (i: number): string[] | null => {
      const { geneId, variantId } = pairs[i];
      const rows = indep.get(geneId) ?? [];
      if (rows.length < 2 || !rows.some((r) => r.variantId === variantId)) return null;
      return rows.filter((r) => r.variantId !== variantId).map((r) => r.variantId);
    };
    const keyOf = (r: ScanRequest) => `${r.geneId}\t${(r.conditionOn ?? []).join(",")}`;
    const scans = new Map<string, ScanResult>();
    let seed: number | null = null;
    if (run) {
      const unique = new Map<string, ScanRequest>();
      for (const i of indices) {
        const gene: ScanRequest = { geneId: pairs[i].geneId };
        if (top.has(gene.geneId) || files.phenotypesOf.has(gene.geneId)) unique.set(keyOf(gene), gene);
        const on = conditionOf(i);
        if (on !== null) {
          unique.set(keyOf({ geneId: gene.geneId, conditionOn: on }), { geneId: gene.geneId, conditionOn: on });
        }
      }
      const requests = [...unique.values()];
      const done = await runScans(files, requests, {
        permutations: count,
        seed: options.seed ?? DEFAULT_PERMUTATION_SEED,
        level: options.level,
        otherPermutations: options.publishedPermutations ?? 10_000,
      });
      seed = done.seed;
      requests.forEach((r, k) => scans.set(keyOf(r), done.results[k]));
    }
    const log2 = await inputs.folder.expressionBed("log2", tissue);
    for (const i of indices) {
      const { geneId, variantId } = pairs[i];
      const checks: Check[] = [];
      const topRow = top.get(geneId) ?? null;
      const indepRow = (indep.get(geneId) ?? []).find((r) => r.variantId === variantId) ?? null;
      const scan = run ? scans.get(keyOf({ geneId })) ?? null : null;
      const on = conditionOf(i);
      const conditional = !run || indepRow === null
        ? null
        : on === null
        ? scan
        : scans.get(keyOf({ geneId, conditionOn: on }))!;
      // The gene's map_cis scan against top_assoc: num_var and pval_beta.
      if (scan !== null && topRow !== null) {
        checks.push(["top_assoc:num_var", scan.numVar === topRow.numVar]);
        checks.push(["top_assoc:pval_beta", pValueBetaAgrees(scan, topRow.pValueBeta, same)]);
      }
      // The scan that reported an independent row against eqtls_indep (tensorQTL's map_independent writes
      // every variant of the window as num_var for its conditional scans, map_cis's for a single signal).
      const conditionalNumVar = conditional === null
        ? null
        : on === null
        ? conditional.numVar
        : conditional.windowVariants;
      if (conditional !== null && indepRow !== null) {
        checks.push(["eqtls_indep:num_var", conditionalNumVar === indepRow.numVar]);
        checks.push(["eqtls_indep:pval_beta", pValueBetaAgrees(conditional, indepRow.pValueBeta, same)]);
      }
      // qval and pval_nominal_threshold are the gene's (top_assoc's), from its map_cis scan.
      const qValue = q?.qValue.get(geneId) ?? null;
      if (qValue !== null && topRow !== null) {
        checks.push(["top_assoc:qval", agreesPrinted(qValue, topRow.qValue, FROM_PRINTED)]);
      }
      let threshold: number | null = null;
      if (scan !== null && q?.pThreshold != null && scan.betaShape1 > 0 && scan.betaShape2 > 0) {
        threshold = nominalThreshold({
          betaShape1: scan.betaShape1,
          betaShape2: scan.betaShape2,
          pThreshold: q.pThreshold,
        });
        // The threshold follows the beta shapes: with other permutations it moves with them (not checked).
        if (same && topRow !== null && Number.isFinite(topRow.threshold.value)) {
          checks.push([
            "top_assoc:pval_nominal_threshold",
            agreesPrinted(threshold, topRow.threshold, FROM_PRINTED + OPTIMISER_SLACK),
          ]);
        }
      }
      // aFC of the pair, from expr.log2 with the covariates.
      let afc: number | null = null;
      const expression = log2.numbers(geneId);
      if (expression !== undefined) {
        const g = (await files.vcf.genotypes({ variantIds: [variantId], rats: log2.samples })).variants[0];
        const fit = log2AllelicFoldChange({
          genotypes: Array.from(g.dosages, (d) => (d < 0 ? null : d)),
          expression,
          covariates: files.covariates,
          sampleIds: log2.samples,
        });
        afc = nullable(fit.log2Afc);
      }
      const isTop = topRow?.variantId === variantId;
      for (
        const [name, pub] of [["eqtls_indep", indepRow?.log2aFC], [
          "top_assoc",
          isTop ? topRow!.log2aFC : null,
        ]] as const
      ) {
        if (pub != null && Number.isFinite(pub.value)) {
          checks.push([`${name}:log2_aFC`, afc !== null && agreesPrinted(afc, pub)]);
        }
      }
      const pubAfc = indepRow?.log2aFC ?? (isTop ? topRow!.log2aFC : null) ?? null;
      out[i] = {
        numVar: scan?.numVar ?? null,
        publishedNumVar: scan === null ? null : topRow?.numVar ?? null,
        pValuePerm: scan === null ? null : nullable(scan.pValuePerm),
        pValueBeta: scan === null ? null : nullable(scan.pValueBeta),
        pValueBetaLow: scan === null ? null : nullable(scan.pValueBetaLow),
        pValueBetaHigh: scan === null ? null : nullable(scan.pValueBetaHigh),
        betaShape1: scan === null ? null : nullable(scan.betaShape1),
        betaShape2: scan === null ? null : nullable(scan.betaShape2),
        trueDf: scan === null ? null : nullable(scan.trueDf),
        publishedPValueBeta: topRow === null ? null : nullable(topRow.pValueBeta.value),
        conditionalNumVar,
        indepNumVar: indepRow?.numVar ?? null,
        conditionalPValueBeta: conditional === null ? null : nullable(conditional.pValueBeta),
        conditionalPValueBetaLow: conditional === null ? null : nullable(conditional.pValueBetaLow),
        conditionalPValueBetaHigh: conditional === null ? null : nullable(conditional.pValueBetaHigh),
        indepPValueBeta: indepRow === null ? null : nullable(indepRow.pValueBeta.value),
        qValue,
        publishedQValue: topRow === null ? null : nullable(topRow.qValue.value),
        pValueThreshold: threshold,
        publishedPValueThreshold: topRow === null ? null : nullable(topRow.threshold.value),
        log2aFC: afc,
        publishedLog2aFC: pubAfc === null ? null : nullable(pubAfc.value),
        seed,
        checks,
      };
    }
  }
  return out;
}
