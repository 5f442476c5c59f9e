/**
 * RatGTEx for Deno: every route of the RatGTEx REST API (v4) as a function returning polars DataFrames,
 * the dynamic-eQTL regression the API leaves out, hierarchical clustering of median expression, and
 * Observable Plot figures that render inline in Jupyter.
 *
 * ```ts
 * import * as rg from "ratgtex";
 * const client = rg.createClient({ source: "offline" }); // or "live" (default), or a base URL
 * const tissues = await rg.tissueInfo({ client });
 * ```
 *
 * @module
 */

// The client, its errors and its building blocks.
export * from "./lib/api/client.ts";
export * from "./lib/api/errors.ts";
export { parseApiJson } from "./lib/api/json.ts";
export { defaultCacheDir, ResponseCache } from "./lib/api/cache.ts";
export type { CacheInfo } from "./lib/api/cache.ts";
export { progressBar } from "./lib/api/progress.ts";
export type { Progress } from "./lib/api/progress.ts";
export { checkGeneId, checkTissueId, parseVariantId, ROUTE_PARAMS, V4_TISSUE_IDS } from "./lib/api/params.ts";
export type { ParamKind, ParamSpec, Route, RouteParams } from "./lib/api/params.ts";
export type { DyneqtlResult, DyneqtlSummary, MedianGeneExpressionResult } from "./lib/api/types.ts";

// The 11 routes (and the long form of gene status).
export * from "./lib/api/reference.ts";
export * from "./lib/api/expression.ts";
export * from "./lib/api/qtl.ts";

// Analysis: the dynamic eQTL regression and its distributions.
export * from "./lib/analysis/regression.ts";
export * from "./lib/analysis/transforms.ts";
export * from "./lib/analysis/distributions.ts";
export * from "./lib/analysis/eqtl_effects.ts";

// Analysis: hierarchical clustering, leaf ordering, Newick, tree comparison.
export * from "./lib/analysis/hclust.ts";
export * from "./lib/analysis/olo.ts";
export * from "./lib/analysis/newick.ts";
export * from "./lib/analysis/tree.ts";
export * from "./lib/analysis/cluster_medians.ts";

// Figures (Observable Plot drawn into a server-side DOM) and rich display in Jupyter.
export * as plots from "./lib/plot/mod.ts";
export * from "./lib/jupyter/mod.ts";

// Self-checking teaching exercises.
export * as teach from "./lib/teach.ts";
