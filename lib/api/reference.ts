/**
 * Reference routes: tissues, genes (and their per-tissue status), exons, variants.
 *
 * @module
 */
import pl from "nodejs-polars";
import { asList, batchIds, callQuery, callRoute, fanOut, listField } from "./call.ts";
import { type CallOptions, type Client, defaultClient } from "./client.ts";
import { ValidationError } from "../_core/errors.ts";
import { buildFrame } from "./frame.ts";

/** Parameters of routes that take gene IDs. */
export interface GeneParams {
  /** One gene ID or several (RefSeq GRCr8 symbols, e.g. `"Cd300lf"`). */
  geneId: string | readonly string[];
}

/** Gene IDs as an object, one ID, or an array of IDs. */
export type GeneInput = GeneParams | string | readonly string[];

/** Parameters of `variant`. */
export interface VariantParams {
  /** One variant ID `chrN:pos` or several. */
  variantId: string | readonly string[];
}

/** `{ raw: true }`: the parsed JSON instead of a frame. */
export type RawOptions = CallOptions & { raw: true };
/** Options that return a frame. */
export type FrameOptions = CallOptions & { raw?: false };

/**
 * Normalise a gene input to its params object (validation happens in the client).
 *
 * @example
 * ```ts
 * import { geneParams } from "ratgtex";
 * geneParams(["Cd300lf", "Eno1"]); // { geneId: ["Cd300lf", "Eno1"] }
 * ```
 */
export function geneParams(input: GeneInput): GeneParams {
  if (typeof input === "string" || Array.isArray(input)) return { geneId: input as string | string[] };
  if (input === null || typeof input !== "object") {
    throw new ValidationError(
      "geneId",
      input,
      "expected a gene ID, an array of gene IDs, or { geneId }",
      "e.g. eqtl('Cd300lf'), gene(['Cd300lf', 'Eno1']) or medianGeneExpression({ geneId: ['Eno1', 'Rtel1'] })",
    );
  }
  return input as GeneParams;
}

/** Batches of a list route's IDs that fit the client's `batchSize` and `maxUrlLength`, measured as the client encodes them. */
function urlBatches(client: Client, route: "gene" | "variant", name: string, ids: readonly string[]): string[][] {
  const base = client.url(route, { [name]: "" }).length;
  return batchIds(
    ids,
    client.options.batchSize,
    client.options.maxUrlLength - base,
    (id) => client.url(route, { [name]: id }).length - base,
  );
}

// ------------------------------------------------------------------------------------------ tissueInfo

interface TissueRow {
  tissueSiteDetailId: string;
  colorHex: string;
}

/**
 * Metadata of every tissue (`/tissueInfo`), one row per tissue in the server's order.
 *
 * Columns: `tissueSiteDetailId` (str, the ID used everywhere, e.g. `IL`), `tissueSiteDetail` (str, full name),
 * `tissueSiteDetailAbbr` (str), `tissueSite` (str, e.g. `Brain`), `colorHex` (str, no `#`), `color` (str,
 * `#`-prefixed, ready for plots), `colorRgb` (str, `"r,g,b"`), `dataset` (str), `datasetId` (str),
 * `eGeneCount` (i64), `expressedGeneCount` (i64), `hasEGenes` (bool), `rnaSeqSampleCount` (i64),
 * `rnaSeqAndGenotypeSampleCount` (i64).
 *
 * @example
 * ```ts
 * import { createClient, tissueInfo } from "ratgtex";
 * const tissues = await tissueInfo({ client: createClient({ source: "offline" }) });
 * tissues.getColumn("tissueSiteDetailId").toArray(); // ["Adipose", "BLA", ..., "RMTg"]
 * ```
 */
export function tissueInfo(options: RawOptions): Promise<unknown>;
export function tissueInfo(options?: FrameOptions): Promise<pl.DataFrame>;
export async function tissueInfo(options: CallOptions = {}): Promise<pl.DataFrame | unknown> {
  const body = await callRoute("tissueInfo", {}, options);
  if (options.raw) return body;
  return tissueFrame(listField<TissueRow>(body, "tissueInfo", "tissueInfo"));
}

function tissueFrame(rows: TissueRow[]): pl.DataFrame {
  return buildFrame(rows, [
    ["tissueSiteDetailId", "str"],
    ["tissueSiteDetail", "str"],
    ["tissueSiteDetailAbbr", "str"],
    ["tissueSite", "str"],
    ["colorHex", "str"],
    ["color", "str", (r) => `#${r.colorHex}`],
    ["colorRgb", "str"],
    ["dataset", "str"],
    ["datasetId", "str"],
    ["eGeneCount", "i64"],
    ["expressedGeneCount", "i64"],
    ["hasEGenes", "bool"],
    ["rnaSeqSampleCount", "i64"],
    ["rnaSeqAndGenotypeSampleCount", "i64"],
  ]);
}

// ------------------------------------------------------------------------------------------ gene

interface GeneRow {
  geneId: string;
  statusInTissue: { tissueSiteDetailId: string; expressed: boolean; testedEqtl: boolean; eqtl: boolean }[];
}

async function geneRows(input: GeneInput, options: CallOptions): Promise<{ bodies: unknown[]; rows: GeneRow[] }> {
  const client = options.client ?? defaultClient();
  const params = geneParams(input);
  await client.validate("gene", params, options.signal);
  const ids = asList(params.geneId);
  const batches = urlBatches(client, "gene", "geneId", ids);
  const bodies = await fanOut(
    batches,
    "gene",
    { ...options, client },
    (batch, o) => callQuery("gene", { geneId: batch.join(",") }, o),
  );
  return { bodies, rows: bodies.flatMap((b) => listField<GeneRow>(b, "gene", "gene")) };
}

/**
 * Gene metadata (`/gene`), one row per known gene in query order; unknown IDs are dropped, as the server
 * drops them. Many IDs are sent in as few requests as the URL length allows (`batchSize` per request).
 *
 * Columns: `geneId` (str), `chromosome` (str), `start` (i64), `end` (i64), `strand` (str `+`/`-`), `tss` (i64,
 * start on `+`, end on `−`), `description` (str, `""` when none), `hasEqtl` (bool), `statusInTissue`
 * (list of struct `{eqtl, expressed, testedEqtl, tissueSiteDetailId}`, one per tissue; see {@link geneStatus}
 * for the long form). With `raw: true`, the parsed answer (an array of answers when batched).
 *
 * @example
 * ```ts
 * import { createClient, gene } from "ratgtex";
 * const genes = await gene(["Cd300lf", "Eno1"], { client: createClient({ source: "offline" }) });
 * genes.getColumn("tss").toArray(); // [100875111, ...]
 * ```
 */
export function gene(input: GeneInput, options: RawOptions): Promise<unknown>;
export function gene(input: GeneInput, options?: FrameOptions): Promise<pl.DataFrame>;
export async function gene(input: GeneInput, options: CallOptions = {}): Promise<pl.DataFrame | unknown> {
  const { bodies, rows } = await geneRows(input, options);
  if (options.raw) return bodies.length === 1 ? bodies[0] : bodies;
  const frame = buildFrame(rows, [
    ["geneId", "str"],
    ["chromosome", "str"],
    ["start", "i64"],
    ["end", "i64"],
    ["strand", "str"],
    ["tss", "i64"],
    ["description", "str"],
    ["hasEqtl", "bool"],
  ]);
  return frame.withColumn(statusColumn(rows));
}

const STATUS_EXAMPLE = [{ eqtl: false, expressed: false, testedEqtl: false, tissueSiteDetailId: "" }];

/** The nested `statusInTissue` column: read by polars' JSON reader, which keeps list-of-struct types. */
function statusColumn(rows: GeneRow[]): pl.Series {
  const nested = rows.map((r) => ({ statusInTissue: r.statusInTissue.map(sortStatusKeys) }));
  const source = nested.length > 0 ? nested : [{ statusInTissue: STATUS_EXAMPLE }];
  const series = pl.readJSON(JSON.stringify(source), { format: "json" }).getColumn("statusInTissue");
  return nested.length > 0 ? series : series.slice(0, 0);
}

function sortStatusKeys(s: GeneRow["statusInTissue"][number]) {
  return { eqtl: s.eqtl, expressed: s.expressed, testedEqtl: s.testedEqtl, tissueSiteDetailId: s.tissueSiteDetailId };
}

/**
 * The long form of `gene`'s `statusInTissue`: one row per gene × tissue.
 *
 * Columns: `geneId` (str), `tissueSiteDetailId` (str), `expressed` (bool), `testedEqtl` (bool, the gene
 * passed the expression filter for eQTL mapping), `eqtl` (bool, has a conditionally independent eQTL).
 *
 * @example
 * ```ts
 * import { createClient, geneStatus } from "ratgtex";
 * const status = await geneStatus("Cd300lf", { client: createClient({ source: "offline" }) });
 * status.height; // 13
 * ```
 */
export async function geneStatus(input: GeneInput, options: CallOptions = {}): Promise<pl.DataFrame> {
  const { rows } = await geneRows(input, options);
  const long = rows.flatMap((g) => g.statusInTissue.map((s) => ({ geneId: g.geneId, ...s })));
  return buildFrame(long, [
    ["geneId", "str"],
    ["tissueSiteDetailId", "str"],
    ["expressed", "bool"],
    ["testedEqtl", "bool"],
    ["eqtl", "bool"],
  ]);
}

// ------------------------------------------------------------------------------------------ exon

/**
 * Exons of the collapsed one-transcript gene model (`/exon`), for one gene or several (one request per
 * gene, under the concurrency limit), in one frame.
 *
 * Columns: `geneId` (str), `transcriptId` (str, = geneId), `exonId` (str, e.g. `Cd300lf_1`), `exonNumber`
 * (i32, 1 = first in transcription order), `chromosome` (str), `start` (i64), `end` (i64), `strand` (str),
 * `featureType` (str, `exon`).
 *
 * @example
 * ```ts
 * import { createClient, exon } from "ratgtex";
 * const exons = await exon("Cd300lf", { client: createClient({ source: "offline" }) });
 * exons.columns; // ["geneId", "transcriptId", "exonId", ...]
 * ```
 */
export function exon(input: GeneInput, options: RawOptions): Promise<unknown>;
export function exon(input: GeneInput, options?: FrameOptions): Promise<pl.DataFrame>;
export function exon(input: GeneInput, options: CallOptions = {}): Promise<pl.DataFrame | unknown> {
  return perGene("exon", input, options, (rows) =>
    buildFrame(rows, [
      ["geneId", "str"],
      ["transcriptId", "str"],
      ["exonId", "str"],
      ["exonNumber", "i32"],
      ["chromosome", "str"],
      ["start", "i64"],
      ["end", "i64"],
      ["strand", "str"],
      ["featureType", "str"],
    ]));
}

/**
 * Fan a single-gene route out over several genes: one request per gene, frames concatenated in query order.
 * With `raw`, one parsed answer (one gene) or an array of them. Every gene is validated before anything is sent.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { createClient, perGene } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const frame = await perGene("eqtl", ["Cd300lf", "Eno1"], { client }, (rows) =>
 *   pl.DataFrame({ variantId: rows.map((r) => String(r.variantId)) }));
 * ```
 */
export async function perGene(
  route: "exon" | "geneExpression" | "singleTissueEqtl" | "eqtl" | "xqtl",
  input: GeneInput,
  options: CallOptions,
  toFrame: (rows: Record<string, unknown>[]) => pl.DataFrame,
): Promise<pl.DataFrame | unknown> {
  const client = options.client ?? defaultClient();
  const params = geneParams(input);
  const geneId = (params as { geneId?: unknown }).geneId;
  if (typeof geneId !== "string" && !Array.isArray(geneId)) {
    // Not a gene list at all (missing, a number, a misspelt key): the validator says which and why.
    await client.validate(route, params, options.signal);
  }
  const ids = asList(params.geneId);
  if (ids.length === 0) {
    throw new ValidationError(
      "geneId",
      params.geneId,
      "empty list",
      "pass at least one gene ID, e.g. 'Cd300lf'",
      route,
    );
  }
  // Validate every gene before sending anything (once: the queries are then sent as they are).
  const queries: Record<string, string>[] = [];
  for (const id of ids) queries.push(await client.validate(route, { ...params, geneId: id }, options.signal));
  const bodies = await fanOut(queries, route, { ...options, client }, (query, o) => callQuery(route, query, o));
  if (options.raw) return typeof params.geneId === "string" ? bodies[0] : bodies;
  return toFrame(bodies.flatMap((b) => listField<Record<string, unknown>>(b, route, route)));
}

// ------------------------------------------------------------------------------------------ variant

/**
 * Variant alleles (`/variant`), one row per known variant in query order; unknown IDs are dropped, as the
 * server drops them. Batched like {@link gene}.
 *
 * Columns: `variantId` (str, as asked), `chromosome` (str), `pos` (i64, 1-based), `ref` (str), `alt` (str).
 *
 * @example
 * ```ts
 * import { createClient, variant } from "ratgtex";
 * const v = await variant("chr10:100826333", { client: createClient({ source: "offline" }) });
 * v.getColumn("ref").toArray(); // ["C"]
 * ```
 */
export function variant(input: VariantParams | string | readonly string[], options: RawOptions): Promise<unknown>;
export function variant(
  input: VariantParams | string | readonly string[],
  options?: FrameOptions,
): Promise<pl.DataFrame>;
export async function variant(
  input: VariantParams | string | readonly string[],
  options: CallOptions = {},
): Promise<pl.DataFrame | unknown> {
  const client = options.client ?? defaultClient();
  const params: VariantParams = typeof input === "string" || Array.isArray(input)
    ? { variantId: input as string | string[] }
    : input as VariantParams;
  await client.validate("variant", params, options.signal);
  const batches = urlBatches(client, "variant", "variantId", asList(params.variantId));
  const bodies = await fanOut(
    batches,
    "variant",
    { ...options, client },
    (batch, o) => callQuery("variant", { variantId: batch.join(",") }, o),
  );
  if (options.raw) return bodies.length === 1 ? bodies[0] : bodies;
  return buildFrame(bodies.flatMap((b) => listField(b, "variant", "variant")), [
    ["variantId", "str"],
    ["chromosome", "str"],
    ["pos", "i64"],
    ["ref", "str"],
    ["alt", "str"],
  ]);
}
