/**
 * Analysis without network or figures: the dynamic-eQTL regression and its distributions, expression
 * transforms, hierarchical clustering with optimal leaf ordering, Newick trees and tree comparison.
 *
 * @example
 * ```ts
 * import { regressEqtl } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const fit = regressEqtl({ data: [1, 2, 4, 5, 8], genotypes: [0, 0, 1, 1, 2] }, { transform: "none" });
 * assert.equal(fit.nes, 3.214285714285714); // 45 / 14
 * ```
 *
 * @module
 */

// The errors the functions below throw (`RatGtexError`, `ValidationError`) and the route answers they accept
// (`DyneqtlResult`, `MedianGeneExpressionResult`) are exported by the root entry point, `ratgtex`.

// The dynamic eQTL regression and its distributions.
export {
  COVARIATE_PVALUE_NOTE,
  RECOMPUTED_PVALUE_NOTE,
  regressEqtl,
  regressEqtls,
  RegressionInputError,
  regressMany,
} from "./regression/regression.ts";
export type {
  CovariateMatrix,
  Covariates,
  EqtlBatch,
  EqtlInput,
  EqtlRegression,
  EqtlRegressionColumns,
  PerDosage,
  PlainEqtlInput,
  RegressionOptions,
} from "./regression/regression.ts";
// The pipeline's own statistics: covariates, sample alignment, tensorQTL's nominal pass.
export { untestedReason } from "./regression/untested.ts";
export { alignSamples, covariateMatrix } from "./regression/covariates.ts";
export { pipelineEqtlStatistics } from "./regression/pipeline_statistics.ts";
export { residualiseOnCovariates } from "./regression/residualise.ts";
export type { PipelineEqtlInput } from "./regression/pipeline_statistics.ts";
export { DEFAULT_EXPRESSION_TRANSFORM, EXPRESSION_TRANSFORMS, transformExpression } from "./regression/transforms.ts";
export type { ExpressionTransform } from "./regression/transforms.ts";
export {
  normalQuantile,
  studentTCdf,
  studentTSf,
  studentTTwoSidedLogPValue,
  studentTTwoSidedPValue,
} from "./regression/distributions.ts";

// Hierarchical clustering, leaf ordering, Newick, tree comparison.
export { hclust, linkageFromDistances } from "./clustering/hclust.ts";
export type { HclustOptions, HclustResult } from "./clustering/hclust.ts";
export { ClusteringInputError, DEFAULT_LINKAGE_METHOD, LINKAGE_METHODS } from "./clustering/linkage.ts";
export type { ChildOrder, LinkageMethod, LinkageRow } from "./clustering/linkage.ts";
export { DEFAULT_DISTANCE_METRIC, DISTANCE_METRICS, pdist } from "./clustering/pdist.ts";
export type { DistanceMetric } from "./clustering/pdist.ts";
export { leavesList } from "./clustering/leaves.ts";
export { optimalLeafOrdering } from "./clustering/olo.ts";
export {
  formatNewick,
  NewickParseError,
  newickToLinkage,
  NOT_ENOUGH_DATA,
  parseNewick,
  serverTree,
  toHierarchy,
  toNewick,
} from "./clustering/newick.ts";
export type { NewickLinkage, NewickNode, NewickToLinkageOptions } from "./clustering/newick.ts";
export { compareTrees, cophenetic, copheneticCorrelation } from "./clustering/tree.ts";
export type { TreeComparison } from "./clustering/tree.ts";
export { cutTree } from "./clustering/cut_tree.ts";
export type { CutTreeOptions } from "./clustering/cut_tree.ts";
export { CLUSTER_TRANSFORMS, clusterMedians, DEFAULT_CLUSTER_TRANSFORM } from "./clustering/cluster_medians.ts";
export type { ClusterMediansOptions, ClusterMediansResult, ClusterTransform } from "./clustering/cluster_medians.ts";

// Colocalisation (coloc).
export { COLOC_ABF_PRIORS, COLOC_BF_PRIORS, colocAbf, colocBfBf, colocSusie } from "./genetics/coloc.ts";
export type {
  ColocAbfOptions,
  ColocAbfResult,
  ColocBfBfOptions,
  ColocBfBfResult,
  ColocCredibleSet,
  ColocDataset,
  ColocNumbers,
  ColocPriors,
  ColocSignalPair,
  ColocTraitType,
  ColocTrimmedPair,
  ColocVariant,
  LogBayesFactorMatrix,
  SusieCredibleSetLike,
  SusieFitLike,
} from "./genetics/coloc.ts";

// Fine-mapping (SuSiE).
export { FineMappingError, susie } from "./genetics/susie.ts";
export { susieRss } from "./genetics/susie_rss.ts";
export type {
  SusieCommonOptions,
  SusieCredibleSet,
  SusieFit,
  SusieMatrix,
  SusieOptions,
  SusiePriorMethod,
  SusiePurity,
} from "./genetics/susie.ts";
export type { SusieRssOptions } from "./genetics/susie_rss.ts";

// Permutation statistics, q-values, allelic fold change.
export { betaApproxPValue } from "./regression/permutation_beta.ts";
export type { BetaApproxInput, BetaApproxOptions, BetaApproxResult } from "./regression/permutation_beta.ts";
export { betaCdf, betaQuantile, betaSf, logGamma, studentTQuantile } from "./regression/beta_distribution.ts";
export { qvalue } from "./regression/qvalue.ts";
export type { QvalueOptions, QvalueResult } from "./regression/qvalue.ts";
export { minPValueThreshold, nominalThreshold, permutationQvalues } from "./regression/permutation_fdr.ts";
export type { PermutationQvalueOptions, PermutationQvalues, PermutationTable } from "./regression/permutation_fdr.ts";
export { log2AllelicFoldChange } from "./regression/afc.ts";
export type {
  AfcEstimator,
  AllelicFoldChangeInput,
  AllelicFoldChangeOptions,
  AllelicFoldChangeResult,
} from "./regression/afc.ts";

// Linkage disequilibrium.
export { ldMatrix, ldWithLead, packGenotypes } from "./genetics/ld.ts";
export type {
  LdKernelChoice,
  LdMatrix,
  LdMatrixOptions,
  LdOptions,
  LdPair,
  PackedGenotypes,
  VariantCalls,
} from "./genetics/ld.ts";

// The cis scan (tensorQTL's algorithm).
export { cisNominal, cisPermutations, permutationIndices } from "./regression/cis_scan.ts";
export { cisPermutationPass } from "./regression/cis_permutation_pass.ts";
export type { CisPermutationPassOptions, CisPermutationPassResult } from "./regression/cis_permutation_pass.ts";
export { pValueBetaInterval } from "./regression/permutation_interval.ts";
export type { PValueBetaInterval, PValueBetaIntervalOptions } from "./regression/permutation_interval.ts";
export { pipelineEqtlColumns } from "./regression/pipeline_statistics.ts";
export type { PipelineEqtlColumns } from "./regression/pipeline_statistics.ts";
export type {
  CisPermutationOptions,
  CisPermutationResult,
  CisScanInput,
  CisScanOptions,
} from "./regression/cis_scan.ts";
