/**
 * Workflows: analyses that combine the routes, a release's own files and the statistics — effects of one
 * variant across tissues, eQTL effects recomputed for many pairs. Exported by the root entry point
 * (`ratgtex`), flat.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, effectsAcrossTissues } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const fx = await effectsAcrossTissues({ geneId: "Cd300lf", variantId: "chr10:100826333" }, { client });
 * assert.equal(fx.height, 13);
 * ```
 *
 * @module
 */
export { eqtlEffects } from "./eqtl_effects.ts";
export type { EqtlEffectsOptions } from "./eqtl_effects.ts";
export {
  effectsAcrossTissues,
  type EffectsAcrossTissuesOptions,
  type EffectsAcrossTissuesParams,
  RECOMPUTED_OLS_METHOD,
} from "./effects_across_tissues.ts";

// GWAS summary statistics: readers and the match to a release's variants.
export {
  GWAS_COLUMNS,
  GWAS_FORMATS,
  matchGwasToVariants,
  normalizeChromosome,
  parseGwas,
  readGwas,
  SYNTHETIC_GWAS,
} from "./gwas.ts";
export type {
  GwasColumnMapping,
  GwasDropReason,
  GwasFormat,
  GwasMatchCounts,
  GwasMatchDropReason,
  GwasMatchResult,
  GwasReadReport,
  GwasReadResult,
  MatchGwasOptions,
  ReadGwasOptions,
  VariantAlleles,
  VariantLookup,
} from "./gwas.ts";

// LD from a release's genotypes.
export { ldFromRelease } from "./ld.ts";
export type { LdFromReleaseOptions } from "./ld.ts";
export type { ReleaseInput } from "./release_input.ts";

// Proxies: a GWAS hit's xQTLs.
export { proxies, PROXY_DEFAULTS } from "./proxies.ts";
export type { ProxiesOptions } from "./proxies.ts";

// A GWAS matched to a release's variants.
export { matchGwasToRelease, releaseVariantLookup } from "./gwas_release.ts";
export type { MatchGwasToReleaseOptions, ReleaseVariantLookupOptions } from "./gwas_release.ts";

// Colocalisation of a GWAS with every gene × tissue near its hit.
export { colocGwas } from "./coloc_gwas.ts";
export type { ColocGwasOptions, ColocGwasResult, EqtlSdY } from "./coloc_gwas.ts";

// Fine-mapping over a release (SuSiE).
export { finemapEgenes, finemapGene } from "./finemap.ts";
export type { FinemapOptions, FinemapResult } from "./finemap.ts";

// coloc with several signals (coloc.susie) between a GWAS and a gene × tissue.
export { colocSusieGwas } from "./coloc_susie_gwas.ts";
export type { ColocSusieGwasOptions, ColocSusieGwasResult } from "./coloc_susie_gwas.ts";

// The regional association figure's inputs, from a release.
export { regionalData } from "./regional_data.ts";
export type { RegionalDataOptions } from "./regional_data.ts";
