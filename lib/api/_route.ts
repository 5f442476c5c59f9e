/**
 * The machinery the route groups share (private to the api room): a gene input normalised to its params,
 * and the fan-out of a single-gene route over several genes.
 *
 * @module
 */
import type pl from "nodejs-polars";
import {
  asList,
  BATCH_OPTIONS,
  type BatchOptions,
  callOptions,
  callQuery,
  finishBatch,
  listField,
  settleBatch,
} from "./call.ts";
import { type CallOptions, defaultClient } from "./client.ts";
import { ValidationError } from "../_core/errors.ts";
import type { Route } from "./_params.ts";
import type { GeneInput, GeneParams } from "./route_types.ts";

/**
 * Normalise a gene input to its params object (validation happens in the client).
 */
export function geneParams(input: GeneInput): GeneParams {
  if (typeof input === "string" || Array.isArray(input)) return { geneId: input as string | string[] };
  if (input === null || typeof input !== "object") {
    throw new ValidationError(
      "params",
      input,
      "expected a gene ID, an array of gene IDs, or { geneId }",
      "e.g. eqtl('Cd300lf'), gene(['Cd300lf', 'Eno1']) or medianGeneExpression({ geneId: ['Eno1', 'Rtel1'] })",
    );
  }
  return input as GeneParams;
}

/** The routes that take one gene per request. */
export type PerGeneRoute = Extract<Route, "exon" | "geneExpression" | "singleTissueEqtl" | "eqtl" | "xqtl">;

/**
 * Fan a single-gene route out over several genes: one request per gene, frames concatenated in query
 * order. With `raw`, `{ [route]: [...] }`: the server's body for one gene, the lists joined for several.
 * The options are checked and every gene is validated before anything is sent.
 */
export async function perGene(
  route: PerGeneRoute,
  input: GeneInput,
  options: unknown,
  toFrame: (rows: Record<string, unknown>[]) => pl.DataFrame,
): Promise<pl.DataFrame | unknown> {
  const o = callOptions<CallOptions & BatchOptions>(options, route, BATCH_OPTIONS);
  const client = o.client ?? defaultClient();
  const params = geneParams(input);
  const geneId = (params as { geneId?: unknown }).geneId;
  if (typeof geneId !== "string" && !Array.isArray(geneId)) {
    // Not a gene list at all (missing, a number, a misspelt key): the validator says which and why.
    await client.validate(route, params, o.signal);
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
  const build = (bodies: (unknown | undefined)[]) => {
    const rows = bodies.flatMap((b) => (b === undefined ? [] : listField<Record<string, unknown>>(b, route, route)));
    return o.raw ? { [route]: rows } : toFrame(rows);
  };
  if (typeof geneId === "string") {
    // One gene: its own error, as it is.
    return build([await callQuery(route, await client.validate(route, params, o.signal), { ...o, client })]);
  }
  // Every gene is validated before anything is sent: a malformed one fails the call, an unknown one is a
  // failed item (nothing is sent for it).
  const settled = await settleBatch(
    ids,
    route,
    { ...o, client },
    (id) => client.validate(route, { ...params, geneId: id }, o.signal),
    (query, c) => callQuery(route, query, c),
  );
  return finishBatch(route, ids.length, settled.failures, o.onError, () => build(settled.results));
}
