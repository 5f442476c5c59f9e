/**
 * QTL routes: significant single-tissue pairs, conditionally independent eQTLs and xQTLs, and the
 * per-sample data of one gene–variant pair (`dyneqtl`).
 *
 * @module
 */
import { tagResult } from "../_core/result_kind.ts";
import { XQTL_MODALITIES } from "../_core/modalities.ts";
import type pl from "nodejs-polars";
import { callQuery, callRoute, fanOut, listField } from "./call.ts";
import { type CallOptions, defaultClient } from "./client.ts";
import { ResponseFormatError } from "../_core/errors.ts";
import { buildFrame, type ColumnSpec, splitVariantId } from "./frame.ts";
import { type FrameOptions, type GeneInput, perGene, type RawOptions } from "./reference.ts";
import type { DyneqtlResult } from "../analysis/route_results.ts";

type Row = Record<string, unknown>;

const chromosomeOf: ColumnSpec<Row>[2] = (r) => splitVariantId(r.variantId).chromosome;
const posOf: ColumnSpec<Row>[2] = (r) => splitVariantId(r.variantId).pos;

/**
 * Every significant cis-variant of one gene or several in every tissue (`/singleTissueEqtl`).
 *
 * Columns: `geneId` (str), `tissueSiteDetailId` (str), `variantId` (str), `chromosome` (str), `pos` (i64),
 * `nes` (f64, tensorQTL slope on normalised expression), `pValue` (f64, nominal, 4 significant digits).
 *
 * @example
 * ```ts
 * import { createClient, singleTissueEqtl } from "ratgtex";
 * const sig = await singleTissueEqtl("Cd300lf", { client: createClient({ source: "offline" }) });
 * sig.columns; // ["geneId", "tissueSiteDetailId", "variantId", "chromosome", "pos", "nes", "pValue"]
 * ```
 */
export function singleTissueEqtl(input: GeneInput, options: RawOptions): Promise<unknown>;
export function singleTissueEqtl(input: GeneInput, options?: FrameOptions): Promise<pl.DataFrame>;
export function singleTissueEqtl(input: GeneInput, options: CallOptions = {}): Promise<pl.DataFrame | unknown> {
  return perGene("singleTissueEqtl", input, options, singleTissueEqtlRows);
}

const SINGLE_TISSUE_COLUMNS: ColumnSpec<Row>[] = [
  ["geneId", "str"],
  ["tissueSiteDetailId", "str"],
  ["variantId", "str"],
  ["chromosome", "str"],
  ["pos", "i64"],
  ["nes", "f64"],
  ["pValue", "f64"],
];

function singleTissueEqtlRows(rows: Row[]): pl.DataFrame {
  return buildFrame(rows, SINGLE_TISSUE_COLUMNS);
}

/**
 * Turn a parsed `singleTissueEqtl` answer (or several, one per gene) into the frame {@link singleTissueEqtl}
 * returns. Useful for answers read from a file.
 *
 * @example
 * ```ts
 * import { parseApiJson, singleTissueEqtlFrame } from "ratgtex";
 * const text = '{"singleTissueEqtl":[{"chromosome":"chr10","geneId":"Cd300lf","nes":0.61,"pValue":8.43e-08,"pos":100826333,"tissueSiteDetailId":"IL","variantId":"chr10:100826333"}]}\n';
 * singleTissueEqtlFrame(parseApiJson(text)).height; // 1
 * ```
 */
export function singleTissueEqtlFrame(body: unknown): pl.DataFrame {
  const bodies = Array.isArray(body) ? body : [body];
  return singleTissueEqtlRows(bodies.flatMap((b) => listField<Row>(b, "singleTissueEqtl", "singleTissueEqtl")));
}

/**
 * Conditionally independent cis-eQTLs of one gene or several in every tissue (`/eqtl`; this is the
 * "independent eQTL" route).
 *
 * Columns: `geneId` (str), `tissueSiteDetailId` (str), `variantId` (str), `chromosome` (str) and `pos` (i64)
 * split from the variant ID, `ref` (str), `alt` (str), `pValueBeta` (f64, beta-approximated permutation
 * p-value), `log2aFC` (f64, allelic fold change; null where the server wrote `NaN`).
 *
 * @example
 * ```ts
 * import { createClient, eqtl } from "ratgtex";
 * const e = await eqtl("Cd300lf", { client: createClient({ source: "offline" }) });
 * e.toRecords().filter((r) => r.tissueSiteDetailId === "IL").map((r) => r.variantId); // ["chr10:100826333"]
 * ```
 */
export function eqtl(input: GeneInput, options: RawOptions): Promise<unknown>;
export function eqtl(input: GeneInput, options?: FrameOptions): Promise<pl.DataFrame>;
export function eqtl(input: GeneInput, options: CallOptions = {}): Promise<pl.DataFrame | unknown> {
  return perGene("eqtl", input, options, (rows) =>
    buildFrame(rows, [
      ["geneId", "str"],
      ["tissueSiteDetailId", "str"],
      ["variantId", "str"],
      ["chromosome", "str", chromosomeOf],
      ["pos", "i64", posOf],
      ["ref", "str"],
      ["alt", "str"],
      ["pValueBeta", "f64"],
      ["log2aFC", "f64"],
    ]));
}

/**
 * Conditionally independent cis-xQTLs across six RNA modalities for one gene or several (`/xqtl`).
 *
 * Columns: `geneId` (str), `tissueSiteDetailId` (str), `modality` (str: alt_polyA, alt_TSS, expression,
 * isoforms, splicing, stability), `modalityLabel` (str, the portal's name for it), `phenotypeId` (str),
 * `variantId` (str), `chromosome` (str), `pos` (i64), `ref` (str), `alt` (str), `pValueBeta` (f64).
 *
 * @example
 * ```ts
 * import { createClient, xqtl } from "ratgtex";
 * const x = await xqtl("Cd300lf", { client: createClient({ source: "offline" }) });
 * x.getColumn("modality").unique().sort().toArray();
 * ```
 */
export function xqtl(input: GeneInput, options: RawOptions): Promise<unknown>;
export function xqtl(input: GeneInput, options?: FrameOptions): Promise<pl.DataFrame>;
export function xqtl(input: GeneInput, options: CallOptions = {}): Promise<pl.DataFrame | unknown> {
  return perGene("xqtl", input, options, (rows) =>
    buildFrame(rows, [
      ["geneId", "str"],
      ["tissueSiteDetailId", "str"],
      ["modality", "str"],
      ["modalityLabel", "str", (r) => XQTL_MODALITIES[r.modality as string] ?? null],
      ["phenotypeId", "str"],
      ["variantId", "str"],
      ["chromosome", "str", chromosomeOf],
      ["pos", "i64", posOf],
      ["ref", "str"],
      ["alt", "str"],
      ["pValueBeta", "f64"],
    ]));
}

// ------------------------------------------------------------------------------------------ dyneqtl

/** One gene–tissue–variant triple for `dyneqtl`. */
export interface DyneqtlParams {
  /** Gene ID, e.g. `"Cd300lf"`. */
  geneId: string;
  /** Tissue ID, e.g. `"IL"`. */
  tissueSiteDetailId: string;
  /** Variant ID, e.g. `"chr10:100826333"`. */
  variantId: string;
}

/**
 * Per-sample expression and ALT dosages for one gene–variant pair in one tissue (`/dyneqtl`), or for many
 * triples at once (fanned out under the concurrency limit, results in input order).
 *
 * Returns {@link DyneqtlResult}: the summary fields (`geneId`, `tissueSiteDetailId`, `variantId`, `ref`,
 * `alt`, `homoRefCount`, `hetCount`, `homoAltCount`, `maf` — really the ALT allele frequency —, the
 * pipeline's `pValue` (null when the pair was not tested) and `pValueThreshold`), the arrays `data` (TPM)
 * and `genotypes`, and `samples`, a frame with columns `sampleIndex` (i32), `genotype` (i32, ALT dosage
 * 0/1/2, null = missing call), `tpm` (f64). RatGTEx returns no effect size: see `regressEqtl`.
 *
 * @example
 * ```ts
 * import { createClient, dyneqtl } from "ratgtex";
 * const dyn = await dyneqtl(
 *   { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" },
 *   { client: createClient({ source: "offline" }) },
 * );
 * dyn.pValue; // 8.43005e-8
 * ```
 */
export function dyneqtl(params: DyneqtlParams, options: RawOptions): Promise<unknown>;
export function dyneqtl(params: DyneqtlParams, options?: FrameOptions): Promise<DyneqtlResult>;
export function dyneqtl(params: readonly DyneqtlParams[], options: RawOptions): Promise<unknown[]>;
export function dyneqtl(params: readonly DyneqtlParams[], options?: FrameOptions): Promise<DyneqtlResult[]>;
export async function dyneqtl(
  params: DyneqtlParams | readonly DyneqtlParams[],
  options: CallOptions = {},
): Promise<DyneqtlResult | DyneqtlResult[] | unknown> {
  if (Array.isArray(params)) {
    const client = options.client ?? defaultClient();
    // Validate every triple before sending anything (once: the queries are then sent as they are).
    const queries: Record<string, string>[] = [];
    for (const p of params) queries.push(await client.validate("dyneqtl", p, options.signal));
    const bodies = await fanOut(
      queries,
      "dyneqtl",
      { ...options, client },
      (query, o) => callQuery("dyneqtl", query, o),
    );
    return options.raw ? bodies : bodies.map(dyneqtlResult);
  }
  const body = await callRoute("dyneqtl", params, options);
  if (options.raw) return body;
  return dyneqtlResult(body);
}

/**
 * Turn a parsed `dyneqtl` answer into a {@link DyneqtlResult}. Useful for answers read from a file.
 *
 * @example
 * ```ts
 * import { dyneqtlResult } from "ratgtex";
 * const dyn = dyneqtlResult({
 *   alt: "T", ref: "C", data: [1.5, 2.5, 4], genotypes: [0, 1, null], geneId: "Cd300lf", hetCount: 1,
 *   homoAltCount: 0, homoRefCount: 1, maf: 0.25, pValue: null, pValueThreshold: 0.0017,
 *   tissueSiteDetailId: "IL", variantId: "chr10:100826333",
 * });
 * dyn.samples.height; // 3
 * ```
 */
export function dyneqtlResult(body: unknown): DyneqtlResult {
  const b = body as Record<string, unknown>;
  if (!b || !Array.isArray(b.data) || !Array.isArray(b.genotypes) || b.data.length !== b.genotypes.length) {
    throw new ResponseFormatError(
      "the dyneqtl answer lacks data/genotypes of equal length",
      JSON.stringify(body)?.slice(0, 300) ?? "",
      { route: "dyneqtl" },
    );
  }
  const data = b.data as number[];
  const genotypes = (b.genotypes as (number | null)[]).map((g) => (typeof g === "number" ? g : null));
  const samples = buildFrame(data.map((tpm, i) => ({ sampleIndex: i, genotype: genotypes[i], tpm })), [
    ["sampleIndex", "i32"],
    ["genotype", "i32"],
    ["tpm", "f64"],
  ]);
  const num = (v: unknown) => (typeof v === "number" ? v : NaN);
  // The result shows itself in Jupyter.
  return tagResult({
    geneId: String(b.geneId),
    tissueSiteDetailId: String(b.tissueSiteDetailId),
    variantId: String(b.variantId),
    ref: String(b.ref),
    alt: String(b.alt),
    homoRefCount: num(b.homoRefCount),
    hetCount: num(b.hetCount),
    homoAltCount: num(b.homoAltCount),
    maf: num(b.maf),
    pValue: typeof b.pValue === "number" && !Number.isNaN(b.pValue) ? b.pValue : null,
    pValueThreshold: num(b.pValueThreshold),
    data,
    genotypes,
    samples,
  }, "dyneqtl");
}
