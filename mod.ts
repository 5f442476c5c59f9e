/**
 * RatGTEx for Deno: every route of the RatGTEx REST API (v4) as a function returning polars DataFrames,
 * the dynamic-eQTL regression the API leaves out, hierarchical clustering of median expression, and
 * Observable Plot figures that render inline in Jupyter.
 *
 * This module is the whole public surface, listed by name. Sub-entry points give one room each:
 * `ratgtex/analysis` (statistics, regression, clustering, trees; no network, no figures),
 * `ratgtex/plot` (the figures) and `ratgtex/offline` (the twin of the RatGTEx server).
 *
 * @example
 * ```ts
 * import * as rg from "ratgtex";
 * import assert from "node:assert/strict";
 * const client = rg.createClient({ source: "offline" }); // or "live" (default), or a base URL
 * const tissues = await rg.tissueInfo({}, { client });
 * assert.equal(tissues.height, 13);
 * ```
 *
 * @module
 */

// The client and its errors.
export { Client, createClient, defaultClient, describeSource, LIVE_BASE_URL } from "./lib/api/client.ts";
export type { CacheInfo, CallOptions, ClientOptions, ClientStats } from "./lib/api/client.ts";
export type { Route } from "./lib/_core/routes.ts";
export {
  BatchError,
  HttpError,
  NetworkError,
  NotFoundError,
  RatGtexError,
  ResponseFormatError,
  ResponseTooLargeError,
  TimeoutError,
  ValidationError,
} from "./lib/_core/errors.ts";
export type { BatchFailure, ErrorContext } from "./lib/_core/errors.ts";
export type { BatchOptions, OnError } from "./lib/api/call.ts";
export { parseVariantId, V4_TISSUE_IDS } from "./lib/api/_params.ts";
export { defaultCacheDir, ResponseCache } from "./lib/api/client.ts";
export { XQTL_MODALITIES } from "./lib/_core/modalities.ts";

// The 11 routes (and the long form of gene status).
export { exon, gene, geneStatus, tissueInfo, variant } from "./lib/api/reference.ts";
export type {
  BatchFrameOptions,
  BatchRawOptions,
  FrameOptions,
  GeneInput,
  GeneParams,
  RawOptions,
  TissueInfoParams,
  VariantParams,
} from "./lib/api/route_types.ts";
export {
  geneExpression,
  MEDIAN_GENE_WARN_LIMIT,
  medianGeneExpression,
  topExpressedGene,
} from "./lib/api/expression.ts";
export type { MedianParams, TopExpressedParams } from "./lib/api/expression.ts";
export { dyneqtl, eqtl, singleTissueEqtl, xqtl } from "./lib/api/qtl.ts";
export type { DyneqtlParams } from "./lib/api/qtl.ts";
export type { DyneqtlResult, DyneqtlSummary, MedianGeneExpressionResult } from "./lib/analysis/route_results.ts";

// Workflows over the routes.
export { eqtlEffects } from "./lib/workflows/eqtl_effects.ts";
export {
  effectsAcrossTissues,
  type EffectsAcrossTissuesOptions,
  type EffectsAcrossTissuesParams,
  RECOMPUTED_OLS_METHOD,
} from "./lib/workflows/effects_across_tissues.ts";

// Genome-scale queries over a release folder or URL (what the API cannot answer gene by gene).
export { BUNDLED_RELEASE, parseRegion, PIPELINE_METHOD, Release, release } from "./lib/release/mod.ts";
export type { DownloadProgress, EqtlPair, Region, RegionResult, ReleaseOptions } from "./lib/release/mod.ts";
export type { EqtlEffectsOptions } from "./lib/workflows/eqtl_effects.ts";

// Analysis: the dynamic eQTL regression, clustering and trees (also `ratgtex/analysis`).
export * from "./lib/analysis/mod.ts";

// Figures (also `ratgtex/plot`) and rich display in Jupyter.
export * as plots from "./lib/plot/mod.ts";
export { display, type DisplayBundle, JUPYTER_DISPLAY, view } from "./lib/jupyter/mod.ts";
export type { FrameView, ViewOptions } from "./lib/jupyter/mod.ts";

// Self-checking teaching exercises.
export * as teach from "./lib/teach/mod.ts";
