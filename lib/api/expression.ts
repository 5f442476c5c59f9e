/**
 * Expression routes: per-sample TPM, median TPM with the server's clusterings, top expressed genes.
 *
 * @module
 */
import { tagResult } from "../_core/result_kind.ts";
import pl from "nodejs-polars";
import { type NewickNode, parseNewick } from "../analysis/clustering/newick.ts";
import { asList, callOptions, callQuery, callRoute, listField } from "./call.ts";
import { type CallOptions, defaultClient } from "./client.ts";
import { RatGtexError, ResponseFormatError } from "../_core/errors.ts";
import { buildFrame, codedStringSeries } from "./_frame.ts";
import { FRAME_COLUMNS } from "./columns.ts";
import { checkAnswer } from "./_answer.ts";
import type { BatchFrameOptions, BatchRawOptions, FrameOptions, GeneInput, RawOptions } from "./route_types.ts";
import { geneParams, perGene } from "./_route.ts";
import type { BatchOptions } from "./call.ts";
import type { MedianGeneExpressionResult } from "../analysis/route_results.ts";

// ------------------------------------------------------------------------------------------ geneExpression

interface ExpressionRow {
  geneId: string;
  tissueSiteDetailId: string;
  data: number[];
}

/**
 * Per-sample expression of one gene or several in every tissue (`/geneExpression`), long: one row per
 * gene × tissue × sample. The API gives no sample IDs: `sampleIndex` is the position within the tissue,
 * the same order as `dyneqtl`'s samples for that tissue.
 *
 * Columns: `geneId` (str), `tissueSiteDetailId` (str), `sampleIndex` (i32, from 0), `tpm` (f64, TPM).
 * The portal plots log10(TPM + 1).
 *
 * With `raw: true`: `{ geneExpression: [...] }`, the server's body for one gene; for several, their
 * lists joined in query order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, geneExpression } from "ratgtex";
 * const expr = await geneExpression("Cd300lf", { client: createClient({ source: "offline" }) });
 * assert.deepEqual(expr.columns, ["geneId", "tissueSiteDetailId", "sampleIndex", "tpm"]);
 * ```
 */
export function geneExpression(params: GeneInput, options: BatchRawOptions): Promise<unknown>;
/** `geneExpression` returning its frame or result (see the overload above). */
export function geneExpression(params: GeneInput, options?: BatchFrameOptions): Promise<pl.DataFrame>;
export function geneExpression(
  params: GeneInput,
  options?: CallOptions & BatchOptions,
): Promise<pl.DataFrame | unknown> {
  return perGene("geneExpression", params, options, (rows) => expressionFrame(rows as unknown as ExpressionRow[]));
}

const EXPRESSION_NAMES = FRAME_COLUMNS.geneExpression.map((c) => c[0]);

function expressionFrame(rows: ExpressionRow[]): pl.DataFrame {
  const total = rows.reduce((n, r) => n + (Array.isArray(r.data) ? r.data.length : 0), 0);
  // Gene and tissue repeat for every sample: one code per row, each distinct name sent to polars once.
  const genes = new Uint32Array(total);
  const tissues = new Uint32Array(total);
  const geneNames: string[] = [];
  const tissueNames: string[] = [];
  const geneCode = new Map<string, number>();
  const tissueCode = new Map<string, number>();
  const code = (names: string[], index: Map<string, number>, name: string) => {
    let c = index.get(name);
    if (c === undefined) index.set(name, c = names.push(name) - 1);
    return c;
  };
  const index = new Int32Array(total);
  const tpm = new Float64Array(total);
  let missing = false;
  let k = 0;
  for (const r of rows) {
    if (!Array.isArray(r.data)) {
      throw new ResponseFormatError("geneExpression entry without data", JSON.stringify(r).slice(0, 300), {
        route: "geneExpression",
      });
    }
    const g = code(geneNames, geneCode, String(r.geneId));
    const t = code(tissueNames, tissueCode, String(r.tissueSiteDetailId));
    const data = r.data;
    for (let i = 0; i < data.length; i++, k++) {
      genes[k] = g;
      tissues[k] = t;
      index[k] = i;
      // A null (or any non-number) would be stored as 0 by the typed array: keep it missing.
      const v = data[i];
      if (typeof v === "number" && !Number.isNaN(v)) tpm[k] = v;
      else {
        tpm[k] = NaN;
        missing = true;
      }
    }
  }
  // Built column by column for speed, in the order and under the names of FRAME_COLUMNS.geneExpression.
  const [geneName, tissueName, indexName, tpmName] = EXPRESSION_NAMES;
  return pl.DataFrame([
    codedStringSeries(geneName, geneNames, genes),
    codedStringSeries(tissueName, tissueNames, tissues),
    pl.Series(indexName, index),
    missing
      ? pl.Series(tpmName, Array.from(tpm, (v) => (Number.isNaN(v) ? null : v)), pl.Float64)
      : pl.Series(tpmName, tpm),
  ]);
}

// ------------------------------------------------------------------------------------------ medianGeneExpression

/** Parameters of `medianGeneExpression`. */
export interface MedianParams {
  /** Gene IDs (the server keeps the known ones, in this order). */
  geneId: string | readonly string[];
  /** Tissue IDs (default: all 13, in the server's order). */
  tissueSiteDetailId?: string | readonly string[];
}

/** Above this many genes the portal refuses; the library warns (the request is never split: the trees span it). */
export const MEDIAN_GENE_WARN_LIMIT = 100;

interface MedianRow {
  geneId: string;
  tissueSiteDetailId: string;
  median: number;
}

/**
 * Median TPM of genes in tissues, with the server's hierarchical clusterings (`/medianGeneExpression`).
 * The request is never split (its trees are computed over the whole matrix); above 100 genes a warning
 * is printed, as the portal caps there.
 *
 * Returns {@link MedianGeneExpressionResult}: `long` (columns `geneId` str, `tissueSiteDetailId` str,
 * `median` f64, tissue-major as the server sends them), `wide` (`geneId`, then one f64 column per tissue),
 * `geneIds`, `tissueIds`, `values[gene][tissue]`, `clusters` (the Newick strings verbatim) and the parsed
 * `geneTree`/`tissueTree` (`null` for "Not enough data"). A malformed tree in the answer is a
 * {@link ResponseFormatError} (the server's fault, not the caller's).
 *
 * With `raw: true`: the server's body, `{ clusters: { gene, tissue }, medianGeneExpression: [...] }`
 * (one request, never split).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, medianGeneExpression } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1"], { client });
 * assert.deepEqual(med.geneIds.toSorted(), ["Eno1", "Polr3k", "Rtel1"]);
 * assert.ok(med.clusters.gene.endsWith(";"));
 * assert.deepEqual(med.long.columns, ["geneId", "tissueSiteDetailId", "median"]);
 * ```
 */
export function medianGeneExpression(
  params: MedianParams | string | readonly string[],
  options: RawOptions,
): Promise<unknown>;
/** `medianGeneExpression` returning its frame or result (see the overload above). */
export function medianGeneExpression(
  params: MedianParams | string | readonly string[],
  options?: FrameOptions,
): Promise<MedianGeneExpressionResult>;
export async function medianGeneExpression(
  params: MedianParams | string | readonly string[],
  options?: CallOptions,
): Promise<MedianGeneExpressionResult | unknown> {
  const o = callOptions(options, "medianGeneExpression");
  const p = geneParams(params as GeneInput) as MedianParams;
  // Validate first (it names the parameter), so the size warning only follows a request that will be sent.
  const client = o.client ?? defaultClient();
  const query = await client.validate("medianGeneExpression", p, o.signal);
  const nGenes = asList(p.geneId).length;
  if (nGenes > MEDIAN_GENE_WARN_LIMIT) {
    console.warn(
      `medianGeneExpression: ${nGenes} genes; the RatGTEx portal caps this view at ${MEDIAN_GENE_WARN_LIMIT} ` +
        "and the server clusters them all in one request, which may be slow",
    );
  }
  const body = await callQuery("medianGeneExpression", query, { ...o, client });
  if (o.raw) return body;
  return medianResult(body);
}

/**
 * Turn a parsed `medianGeneExpression` answer into its result object (see {@link medianGeneExpression}).
 * Useful for answers read from a file. What the answer gets wrong (no list, no clusters, a malformed
 * Newick tree) is a {@link ResponseFormatError}.
 */
export function medianResult(body: unknown): MedianGeneExpressionResult {
  checkAnswer("medianGeneExpression", body);
  const rows = listField<MedianRow>(body, "medianGeneExpression", "medianGeneExpression");
  const clusters = (body as { clusters?: { gene?: unknown; tissue?: unknown } }).clusters;
  if (typeof clusters?.gene !== "string" || typeof clusters?.tissue !== "string") {
    throw new ResponseFormatError("the answer has no clusters", JSON.stringify(body).slice(0, 300), {
      route: "medianGeneExpression",
    });
  }
  const geneIds: string[] = [];
  const tissueIds: string[] = [];
  const geneIndex = new Map<string, number>();
  const tissueIndex = new Map<string, number>();
  for (const r of rows) {
    if (!geneIndex.has(r.geneId)) geneIndex.set(r.geneId, geneIds.push(r.geneId) - 1);
    if (!tissueIndex.has(r.tissueSiteDetailId)) {
      tissueIndex.set(r.tissueSiteDetailId, tissueIds.push(r.tissueSiteDetailId) - 1);
    }
  }
  const values = geneIds.map(() => new Array<number>(tissueIds.length).fill(NaN));
  for (const r of rows) {
    values[geneIndex.get(r.geneId)!][tissueIndex.get(r.tissueSiteDetailId)!] = typeof r.median === "number"
      ? r.median
      : NaN;
  }
  const long = buildFrame(rows, FRAME_COLUMNS.medianGeneExpression);
  const wide = pl.DataFrame([
    pl.Series("geneId", geneIds, pl.Utf8),
    ...tissueIds.map((t, j) => pl.Series(t, values.map((row) => (Number.isNaN(row[j]) ? null : row[j])), pl.Float64)),
  ]);
  // The result shows itself in Jupyter.
  return tagResult({
    long,
    wide,
    geneIds,
    tissueIds,
    values,
    clusters: { gene: clusters.gene, tissue: clusters.tissue },
    geneTree: answerTree(clusters.gene, "gene"),
    tissueTree: answerTree(clusters.tissue, "tissue"),
  }, "median");
}

/** A tree the server sent, parsed; a malformed one is the server's fault: a ResponseFormatError. */
function answerTree(newick: string, which: "gene" | "tissue"): NewickNode | null {
  try {
    return parseNewick(newick);
  } catch (cause) {
    if (!(cause instanceof RatGtexError)) throw cause;
    throw new ResponseFormatError(`the answer's ${which} tree is not valid Newick (${cause.message})`, newick, {
      route: "medianGeneExpression",
      cause,
      hint: "the server sent a malformed clustering: report it, or read the values without the trees",
    });
  }
}

// ------------------------------------------------------------------------------------------ topExpressedGene

/** Parameters of `topExpressedGene`. */
export interface TopExpressedParams {
  /** One tissue ID. */
  tissueSiteDetailId: string;
  /** Leave out chrM genes (default false, as on the server; unlike GTEx). */
  filterMtGene?: boolean;
}

/**
 * The (at most) 50 genes with the highest median TPM in a tissue (`/topExpressedGene`).
 * `filterMtGene` defaults to false, as on the RatGTEx server (chrM genes included).
 *
 * Columns: `tissueSiteDetailId` (str), `rank` (i32, 1 = highest), `geneId` (str), `chromosome` (str),
 * `median` (f64, TPM), `unit` (str), `datasetId` (str).
 *
 * With `raw: true`: the server's body, `{ topExpressedGene: [...] }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, topExpressedGene } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const top = await topExpressedGene({ tissueSiteDetailId: "IL", filterMtGene: true }, { client });
 * assert.ok(top.height > 0 && top.height <= 50);
 * assert.deepEqual(top.getColumn("rank").toArray().slice(0, 3), [1, 2, 3]);
 * ```
 */
export function topExpressedGene(params: TopExpressedParams | string, options: RawOptions): Promise<unknown>;
/** `topExpressedGene` returning its frame or result (see the overload above). */
export function topExpressedGene(params: TopExpressedParams | string, options?: FrameOptions): Promise<pl.DataFrame>;
export async function topExpressedGene(
  params: TopExpressedParams | string,
  options?: CallOptions,
): Promise<pl.DataFrame | unknown> {
  const o = callOptions(options, "topExpressedGene");
  const p = typeof params === "string" ? { tissueSiteDetailId: params } : params;
  const body = await callRoute("topExpressedGene", p, o);
  if (o.raw) return body;
  const rows = listField<Record<string, unknown>>(body, "topExpressedGene", "topExpressedGene");
  return buildFrame(rows.map((r, i) => ({ ...r, rank: i + 1 })), FRAME_COLUMNS.topExpressedGene);
}
