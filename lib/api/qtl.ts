/**
 * QTL routes: significant single-tissue pairs, conditionally independent eQTLs and xQTLs, and the
 * per-sample data of one gene–variant pair (`dyneqtl`).
 *
 * @module
 */
import { tagResult } from "../_core/result_kind.ts";
import type pl from "nodejs-polars";
import { BATCH_OPTIONS, callOptions, callQuery, callRoute, finishBatch, listField, settleBatch } from "./call.ts";
import { type CallOptions, defaultClient } from "./client.ts";
import { ResponseFormatError } from "../_core/errors.ts";
import { buildFrame } from "./_frame.ts";
import { FRAME_COLUMNS } from "./columns.ts";
import { checkAnswer } from "./_answer.ts";
import type { BatchFrameOptions, BatchRawOptions, FrameOptions, GeneInput, RawOptions } from "./route_types.ts";
import { perGene } from "./_route.ts";
import type { BatchOptions } from "./call.ts";
import type { DyneqtlResult } from "../analysis/route_results.ts";

type Row = Record<string, unknown>;

/**
 * Every significant cis-variant of one gene or several in every tissue (`/singleTissueEqtl`).
 *
 * Columns: `geneId` (str), `tissueSiteDetailId` (str), `variantId` (str), `chromosome` (str), `pos` (i64),
 * `nes` (f64, tensorQTL slope on normalised expression), `pValue` (f64, nominal, 4 significant digits).
 *
 * With `raw: true`: `{ singleTissueEqtl: [...] }`, the server's body for one gene; for several, their
 * lists joined in query order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, singleTissueEqtl } from "ratgtex";
 * const sig = await singleTissueEqtl("Cd300lf", { client: createClient({ source: "offline" }) });
 * assert.deepEqual(sig.columns, ["geneId", "tissueSiteDetailId", "variantId", "chromosome", "pos", "nes", "pValue"]);
 * ```
 */
export function singleTissueEqtl(params: GeneInput, options: BatchRawOptions): Promise<unknown>;
/** `singleTissueEqtl` returning its frame or result (see the overload above). */
export function singleTissueEqtl(params: GeneInput, options?: BatchFrameOptions): Promise<pl.DataFrame>;
export function singleTissueEqtl(
  params: GeneInput,
  options?: CallOptions & BatchOptions,
): Promise<pl.DataFrame | unknown> {
  return perGene("singleTissueEqtl", params, options, singleTissueEqtlRows);
}

function singleTissueEqtlRows(rows: Row[]): pl.DataFrame {
  return buildFrame(rows, FRAME_COLUMNS.singleTissueEqtl);
}

/**
 * Turn a parsed `singleTissueEqtl` answer (or several, one per gene) into the frame {@link singleTissueEqtl}
 * returns. Useful for answers read from a file.
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
 * With `raw: true`: `{ eqtl: [...] }`, the server's body for one gene; for several, their lists joined
 * in query order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, eqtl } from "ratgtex";
 * const e = await eqtl("Cd300lf", { client: createClient({ source: "offline" }) });
 * const inIL = e.toRecords().filter((r) => r.tissueSiteDetailId === "IL").map((r) => r.variantId);
 * // By rank: the API page's worked example first, then two weaker signals of the window (synthetic data).
 * assert.deepEqual(inIL, ["chr10:100826333", "chr10:101400282", "chr10:100448562"]);
 * ```
 */
export function eqtl(params: GeneInput, options: BatchRawOptions): Promise<unknown>;
/** `eqtl` returning its frame or result (see the overload above). */
export function eqtl(params: GeneInput, options?: BatchFrameOptions): Promise<pl.DataFrame>;
export function eqtl(params: GeneInput, options?: CallOptions & BatchOptions): Promise<pl.DataFrame | unknown> {
  return perGene("eqtl", params, options, (rows) => buildFrame(rows, FRAME_COLUMNS.eqtl));
}

/**
 * Conditionally independent cis-xQTLs across six RNA modalities for one gene or several (`/xqtl`).
 *
 * Columns: `geneId` (str), `tissueSiteDetailId` (str), `modality` (str: alt_polyA, alt_TSS, expression,
 * isoforms, splicing, stability), `modalityLabel` (str, the portal's name for it), `phenotypeId` (str),
 * `variantId` (str), `chromosome` (str), `pos` (i64), `ref` (str), `alt` (str), `pValueBeta` (f64).
 *
 * With `raw: true`: `{ xqtl: [...] }`, the server's body for one gene; for several, their lists joined
 * in query order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, XQTL_MODALITIES, xqtl } from "ratgtex";
 * const x = await xqtl("Cd300lf", { client: createClient({ source: "offline" }) });
 * const modalities = x.getColumn("modality").toArray() as string[];
 * assert.ok(modalities.length > 0 && modalities.every((m) => m in XQTL_MODALITIES));
 * ```
 */
export function xqtl(params: GeneInput, options: BatchRawOptions): Promise<unknown>;
/** `xqtl` returning its frame or result (see the overload above). */
export function xqtl(params: GeneInput, options?: BatchFrameOptions): Promise<pl.DataFrame>;
export function xqtl(params: GeneInput, options?: CallOptions & BatchOptions): Promise<pl.DataFrame | unknown> {
  return perGene("xqtl", params, options, (rows) => buildFrame(rows, FRAME_COLUMNS.xqtl));
}

// ------------------------------------------------------------------------------------------ dyneqtl

/** A triple as `gene/tissue/variant`, for messages. */
export function describeTriple(p: unknown): string {
  const t = p as Partial<DyneqtlParams> | null;
  return t && typeof t === "object" ? `${t.geneId}/${t.tissueSiteDetailId}/${t.variantId}` : String(p);
}

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
 * With `raw: true`: the server's body `{ alt, data, genotypes, … }` for one triple; for an array of
 * triples, an array of those bodies in input order (one request per triple).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, dyneqtl } from "ratgtex";
 * const dyn = await dyneqtl(
 *   { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" },
 *   { client: createClient({ source: "offline" }) },
 * );
 * assert.equal(dyn.pValue, 8.43005e-8);
 * assert.deepEqual(dyn.samples.columns, ["sampleIndex", "genotype", "tpm"]);
 * ```
 */
export function dyneqtl(params: DyneqtlParams, options: RawOptions): Promise<unknown>;
/** `dyneqtl` returning its frame or result (see the overload above). */
export function dyneqtl(params: DyneqtlParams, options?: FrameOptions): Promise<DyneqtlResult>;
/**
 * `dyneqtl` with `raw: true` for many triples: the parsed answers of the triples that succeeded, in input
 * order (`onError`: see {@link BatchOptions}).
 */
export function dyneqtl(params: readonly DyneqtlParams[], options: BatchRawOptions): Promise<unknown[]>;
/**
 * `dyneqtl` for many triples: one result per triple that succeeded, in input order. Every triple is
 * validated before anything is sent (a malformed one fails the call); a failed triple (an unknown gene or
 * tissue, an untested pair, a multi-allelic variant) is a failed item: with `onError: "throw"` (the default) a `BatchError` names each and holds the other
 * results in `partial`; with `"skip"` they are left out with a warning each.
 */
export function dyneqtl(params: readonly DyneqtlParams[], options?: BatchFrameOptions): Promise<DyneqtlResult[]>;
export async function dyneqtl(
  params: DyneqtlParams | readonly DyneqtlParams[],
  options?: CallOptions & BatchOptions,
): Promise<DyneqtlResult | DyneqtlResult[] | unknown> {
  if (Array.isArray(params)) {
    const o = callOptions<CallOptions & BatchOptions>(options, "dyneqtl", BATCH_OPTIONS);
    const client = o.client ?? defaultClient();
    const triples = params as readonly DyneqtlParams[];
    const settled = await settleBatch(
      triples,
      "dyneqtl",
      { ...o, client },
      (p) => client.validate("dyneqtl", p, o.signal),
      (query, c) => callQuery("dyneqtl", query, c),
    );
    return finishBatch("dyneqtl", triples.length, settled.failures, o.onError, () => {
      const bodies = settled.results.filter((b) => b !== undefined);
      return o.raw ? bodies : bodies.map(dyneqtlResult);
    }, describeTriple);
  }
  const o = callOptions(options, "dyneqtl");
  const body = await callRoute("dyneqtl", params as DyneqtlParams, o);
  if (o.raw) return body;
  return dyneqtlResult(body);
}

/**
 * Turn a parsed `dyneqtl` answer into a {@link DyneqtlResult}. Useful for answers read from a file.
 */
export function dyneqtlResult(body: unknown): DyneqtlResult {
  checkAnswer("dyneqtl", body);
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
  const samples = buildFrame(
    data.map((tpm, i) => ({ sampleIndex: i, genotype: genotypes[i], tpm })),
    FRAME_COLUMNS.dyneqtl,
  );
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
