/**
 * RatGTEx for Deno: every route of the RatGTEx REST API (v4) as a function returning polars DataFrames,
 * the workflows that combine routes, a release's own files and statistics, the dynamic-eQTL regression
 * the API leaves out, hierarchical clustering of median expression, and Observable Plot figures that
 * render inline in Jupyter.
 *
 * The public surface follows one rule: every public name is exported by exactly one entry point. This
 * root holds what a user calls first — the client, the routes, the workflows, the errors and RatGTEx's
 * facts. Every other user-facing room is its own entry point, and the root gives each as a namespace for
 * notebook convenience (never its names flat):
 *
 * | namespace    | entry point        | what                                                                 |
 * | ------------ | ------------------ | -------------------------------------------------------------------- |
 * | `analysis`   | `ratgtex/analysis` | regression, pipeline statistics, clustering, trees (no network)      |
 * | `plots`      | `ratgtex/plot`     | the figures and what they are made of                                |
 * | `release`    | `ratgtex/release`  | a RatGTEx data folder or URL: genome-scale queries, exact statistics |
 * | `jupyter`    | `ratgtex/jupyter`  | rich display in Jupyter                                              |
 * | `teach`      | `ratgtex/teach`    | self-checking exercises                                              |
 * |              | `ratgtex/offline`  | the twin of the RatGTEx server over any release folder               |
 * |              | `ratgtex/cli`      | the `ratgtex` command                                                |
 *
 * @example
 * ```ts
 * import * as rg from "ratgtex";
 * import assert from "node:assert/strict";
 * const client = rg.createClient({ source: "offline" }); // or "live" (default), or a base URL
 * const tissues = await rg.tissueInfo({}, { client });
 * assert.equal(tissues.height, 13);
 * const dyn = await rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, { client });
 * assert.ok(rg.analysis.regressEqtl(dyn).pValue < 0.05); // a namespace: the same function as ratgtex/analysis'
 * ```
 *
 * @module
 */

// The client.
export { Client, createClient, defaultClient, describeSource } from "./lib/api/client.ts";
export { LIVE_BASE_URL } from "./lib/_core/source.ts";
export type { AnswerCache, CacheInfo, CallOptions, ClientOptions, ClientStats } from "./lib/api/client.ts";
export type { Route } from "./lib/_core/routes.ts";

// The errors every room throws.
export {
  BatchError,
  HttpError,
  NetworkError,
  NotFoundError,
  RatGtexError,
  ReleaseFormatError,
  ReleaseTooLargeError,
  ResponseFormatError,
  ResponseTooLargeError,
  TimeoutError,
  ValidationError,
} from "./lib/_core/errors.ts";
export type { BatchFailure, ErrorContext, FileLocation } from "./lib/_core/errors.ts";

// RatGTEx's facts.
export { parseVariantId } from "./lib/_core/ids.ts";
export { checkTissueIds, suggestTissue, V4_TISSUE_IDS } from "./lib/_core/tissues.ts";
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
export type { BatchOptions, OnError } from "./lib/api/call.ts";
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

// Workflows: analyses that combine routes, a release's files and statistics.
export * from "./lib/workflows/mod.ts";

// The other rooms, as namespaces.
export * as analysis from "./lib/analysis/mod.ts";
export * as plots from "./lib/plot/mod.ts";
export * as release from "./lib/release/mod.ts";
export * as jupyter from "./lib/jupyter/mod.ts";
export * as teach from "./lib/teach/mod.ts";
