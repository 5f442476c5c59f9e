/**
 * Reference routes: tissues, genes (and their per-tissue status), exons, variants.
 *
 * Every route is called `route(params, options)`: `params` is the route's parameter object (or, for a
 * route on genes or variants, one ID or an array of IDs), `options` a {@link CallOptions}. Both are
 * checked before anything is sent.
 *
 * @module
 */
import { missingPositionsWarning } from "../_core/assembly.ts";
import pl from "nodejs-polars";
import {
  asList,
  BATCH_OPTIONS,
  batchIds,
  type BatchOptions,
  callOptions,
  callQuery,
  callRoute,
  endsBatch,
  fanOutSettled,
  finishBatch,
  listField,
} from "./call.ts";
import { type CallOptions, type Client, defaultClient } from "./client.ts";
import { type BatchFailure, HttpError, ValidationError } from "../_core/errors.ts";
import { buildFrame } from "./_frame.ts";
import { FRAME_COLUMNS } from "./columns.ts";
import { isUnknownId } from "./_params.ts";
import { geneParams, perGene } from "./_route.ts";
import type {
  BatchFrameOptions,
  BatchRawOptions,
  FrameOptions,
  GeneInput,
  RawOptions,
  TissueInfoParams,
  VariantParams,
} from "./route_types.ts";

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

/**
 * Fetch a list route (`gene`, `variant`) in as few URL batches as fit, and merge the answers into the
 * one body the server would have sent for a single request: `{ [route]: [...rows in query order] }`.
 * Every ID is validated first: a malformed one fails the call before anything is sent; a well-formed one
 * RatGTEx does not have is a failed item (nothing is sent for it). A batch the server
 * answers with HTTP 500 (a multi-allelic variant) is bisected until the IDs at fault are isolated and
 * named. One ID given as a string fails with its own error; a list follows `onError` (see
 * {@link BatchOptions}).
 */
async function batchedList<P>(
  route: "gene" | "variant",
  name: "geneId" | "variantId",
  params: Record<string, unknown>,
  options: CallOptions & BatchOptions,
  build: (body: Record<string, Record<string, unknown>[]>, failed: ReadonlySet<string>) => P,
): Promise<P> {
  const client = options.client ?? defaultClient();
  const given = params[name];
  if (typeof given !== "string" && !Array.isArray(given)) await client.validate(route, params, options.signal);
  const ids = asList(given as string | string[]);
  if (ids.length === 0) await client.validate(route, params, options.signal); // the validator's "empty list"
  const valid: string[] = [];
  const failures: BatchFailure<string>[] = [];
  for (const id of ids) {
    try {
      await client.validate(route, { ...params, [name]: id }, options.signal);
      valid.push(id);
    } catch (error) {
      if (!isUnknownId(error)) throw error;
      failures.push({ item: id, error });
    }
  }
  if (typeof given === "string" && failures.length) throw failures[0].error;
  const o = { ...options, client };
  const fetchBatch = async (batch: string[]): Promise<Record<string, unknown>[]> => {
    try {
      return listField(await callQuery(route, { [name]: batch.join(",") }, o), route, route);
    } catch (error) {
      if (options.signal?.aborted || endsBatch(error)) throw error;
      // The server answers a whole batch with 500 for one bad ID: halve it until the culprit stands alone.
      if (batch.length > 1 && error instanceof HttpError && error.status === 500) {
        const half = Math.ceil(batch.length / 2);
        return [...await fetchBatch(batch.slice(0, half)), ...await fetchBatch(batch.slice(half))];
      }
      for (const id of batch) failures.push({ item: id, error });
      return [];
    }
  };
  const settled = await fanOutSettled(urlBatches(client, route, name, valid), route, o, fetchBatch);
  const rows = settled.results.flatMap((r) => r ?? []);
  if (typeof given === "string" && failures.length) throw failures[0].error;
  const order = new Map(ids.map((id, i) => [id, i]));
  failures.sort((a, b) => order.get(a.item)! - order.get(b.item)!);
  const failed = new Set(failures.map((f) => String(f.item)));
  return finishBatch(route, ids.length, failures, options.onError, () => build({ [route]: rows }, failed));
}

// ------------------------------------------------------------------------------------------ tissueInfo

/**
 * Metadata of every tissue (`/tissueInfo`), one row per tissue in the server's order. The route takes no
 * parameters: call `tissueInfo()` or `tissueInfo({}, { client })`.
 *
 * Columns: `tissueSiteDetailId` (str, the ID used everywhere, e.g. `IL`), `tissueSiteDetail` (str, full name),
 * `tissueSiteDetailAbbr` (str), `tissueSite` (str, e.g. `Brain`), `colorHex` (str, no `#`), `color` (str,
 * `#`-prefixed, ready for plots), `colorRgb` (str, `"r,g,b"`), `dataset` (str), `datasetId` (str),
 * `eGeneCount` (i64), `expressedGeneCount` (i64), `hasEGenes` (bool), `rnaSeqSampleCount` (i64),
 * `rnaSeqAndGenotypeSampleCount` (i64).
 *
 * With `raw: true`: the server's body, `{ tissueInfo: [...] }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, tissueInfo } from "ratgtex";
 * const tissues = await tissueInfo({}, { client: createClient({ source: "offline" }) });
 * const ids = tissues.getColumn("tissueSiteDetailId").toArray();
 * assert.equal(ids.length, 13);
 * assert.deepEqual([ids[0], ids[1], ids.at(-1)], ["Adipose", "BLA", "RMTg"]);
 * ```
 */
export function tissueInfo(params: TissueInfoParams | undefined, options: RawOptions): Promise<unknown>;
/** `tissueInfo` returning its frame or result (see the overload above). */
export function tissueInfo(params?: TissueInfoParams, options?: FrameOptions): Promise<pl.DataFrame>;
export async function tissueInfo(
  params: TissueInfoParams = {},
  options?: CallOptions,
): Promise<pl.DataFrame | unknown> {
  const o = callOptions(options, "tissueInfo");
  const body = await callRoute("tissueInfo", params, o);
  if (o.raw) return body;
  return buildFrame(listField(body, "tissueInfo", "tissueInfo"), FRAME_COLUMNS.tissueInfo);
}

// ------------------------------------------------------------------------------------------ gene

interface GeneRow {
  geneId: string;
  statusInTissue: { tissueSiteDetailId: string; expressed: boolean; testedEqtl: boolean; eqtl: boolean }[];
}

/**
 * Gene metadata (`/gene`), one row per known gene in query order; unknown IDs are dropped, as the server
 * drops them. Many IDs are sent in as few requests as the URL length allows (`batchSize` per request).
 *
 * Columns: `geneId` (str), `chromosome` (str), `start` (i64), `end` (i64), `strand` (str `+`/`-`), `tss` (i64,
 * start on `+`, end on `−`), `description` (str, `""` when none), `hasEqtl` (bool), `statusInTissue`
 * (list of struct `{eqtl, expressed, testedEqtl, tissueSiteDetailId}`, one per tissue; see {@link geneStatus}
 * for the long form).
 *
 * With `raw: true`: the body the server sends for one request, `{ gene: [...] }`, however many URL
 * batches were sent (their lists are joined in query order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, gene } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const genes = await gene(["Cd300lf", "Eno1"], { client });
 * assert.equal(genes.getColumn("tss").toArray()[0], 100875111);
 * const raw = await gene(["Cd300lf", "Eno1"], { client, raw: true }) as { gene: unknown[] };
 * assert.equal(raw.gene.length, 2);
 * ```
 */
export function gene(params: GeneInput, options: BatchRawOptions): Promise<unknown>;
/** `gene` returning its frame or result (see the overload above). */
export function gene(params: GeneInput, options?: BatchFrameOptions): Promise<pl.DataFrame>;
export async function gene(params: GeneInput, options?: CallOptions & BatchOptions): Promise<pl.DataFrame | unknown> {
  const o = callOptions<CallOptions & BatchOptions>(options, "gene", BATCH_OPTIONS);
  return await batchedList("gene", "geneId", { ...geneParams(params) }, o, (body) => {
    if (o.raw) return body;
    const rows = body.gene as unknown as GeneRow[];
    return buildFrame(rows, FRAME_COLUMNS.gene).withColumn(statusColumn(rows));
  });
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
 * The long form of `gene`'s `statusInTissue`: one row per gene × tissue. It always returns a frame
 * (`raw` is refused: ask `gene` for the raw answer).
 *
 * Columns: `geneId` (str), `tissueSiteDetailId` (str), `expressed` (bool), `testedEqtl` (bool, the gene
 * passed the expression filter for eQTL mapping), `eqtl` (bool, has a conditionally independent eQTL).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, geneStatus } from "ratgtex";
 * const status = await geneStatus("Cd300lf", { client: createClient({ source: "offline" }) });
 * assert.equal(status.height, 13);
 * ```
 */
export async function geneStatus(params: GeneInput, options?: BatchFrameOptions): Promise<pl.DataFrame> {
  const o = callOptions<CallOptions & BatchOptions>(options, "geneStatus", {
    ...BATCH_OPTIONS,
    raw: { is: (v) => v === false, expected: "false (or absent)" },
  });
  return await batchedList("gene", "geneId", { ...geneParams(params) }, o, (body) => {
    const rows = body.gene as unknown as GeneRow[];
    const long = rows.flatMap((g) => g.statusInTissue.map((s) => ({ geneId: g.geneId, ...s })));
    return buildFrame(long, FRAME_COLUMNS.geneStatus);
  });
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
 * With `raw: true`: `{ exon: [...] }`, the server's body for one gene; for several, their lists joined
 * in query order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, exon } from "ratgtex";
 * const exons = await exon("Cd300lf", { client: createClient({ source: "offline" }) });
 * assert.deepEqual(exons.columns.slice(0, 3), ["geneId", "transcriptId", "exonId"]);
 * assert.ok(exons.height > 0);
 * ```
 */
export function exon(params: GeneInput, options: BatchRawOptions): Promise<unknown>;
/** `exon` returning its frame or result (see the overload above). */
export function exon(params: GeneInput, options?: BatchFrameOptions): Promise<pl.DataFrame>;
export function exon(params: GeneInput, options?: CallOptions & BatchOptions): Promise<pl.DataFrame | unknown> {
  return perGene("exon", params, options, (rows) => buildFrame(rows, FRAME_COLUMNS.exon));
}

// ------------------------------------------------------------------------------------------ variant

/**
 * Variant alleles (`/variant`), one row per known variant in query order; unknown IDs are dropped, as the
 * server drops them. Batched like {@link gene}.
 *
 * Columns: `variantId` (str, as asked), `chromosome` (str), `pos` (i64, 1-based), `ref` (str), `alt` (str).
 *
 * With `raw: true`: the body the server sends for one request, `{ variant: [...] }`, however many URL
 * batches were sent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, variant } from "ratgtex";
 * const v = await variant("chr10:100826333", { client: createClient({ source: "offline" }) });
 * assert.deepEqual(v.getColumn("ref").toArray(), ["C"]);
 * ```
 */
export function variant(params: VariantParams | string | readonly string[], options: BatchRawOptions): Promise<unknown>;
/** `variant` returning its frame or result (see the overload above). */
export function variant(
  params: VariantParams | string | readonly string[],
  options?: BatchFrameOptions,
): Promise<pl.DataFrame>;
export async function variant(
  params: VariantParams | string | readonly string[],
  options?: CallOptions & BatchOptions,
): Promise<pl.DataFrame | unknown> {
  const o = callOptions<CallOptions & BatchOptions>(options, "variant", BATCH_OPTIONS);
  const p = typeof params === "string" || Array.isArray(params) ? { variantId: params } : params;
  if (p === null || typeof p !== "object") {
    throw new ValidationError(
      "params",
      p,
      "expected a variant ID, an array of variant IDs, or { variantId }",
      "e.g. variant('chr10:100826333') or variant(['chr10:100826333', 'chr1:1000'])",
      "variant",
    );
  }
  const given = (p as { variantId?: unknown }).variantId;
  const asked = [...new Set(typeof given === "string" ? [given] : Array.isArray(given) ? given.map(String) : [])];
  return await batchedList(
    "variant",
    "variantId",
    { ...p },
    o,
    (body, failed) => {
      // The server drops unknown IDs: say which (not the items that failed for another reason, said by the
      // batch), and when most are missing, that the assembly is the likely cause.
      const found = new Set(body.variant.map((r) => String(r.variantId)));
      const missing = asked.filter((v) => !found.has(v) && !failed.has(v));
      const warning = missingPositionsWarning("variant", asked.length, missing);
      if (warning !== null) console.warn(warning);
      return o.raw ? body : buildFrame(body.variant, FRAME_COLUMNS.variant);
    },
  );
}
