/**
 * The one-call dynamic-eQTL analysis: for a gene, fetch its conditionally independent eQTLs, fetch the
 * per-sample data of each (`dyneqtl`), and recompute the effect sizes the API leaves out.
 *
 * @module
 */
import pl from "nodejs-polars";
import { type CallOptions, defaultClient } from "../api/client.ts";
import { describeTriple, dyneqtl, eqtl } from "../api/qtl.ts";
import { asList, BATCH_OPTIONS, type BatchOptions, callOptions, finishBatch } from "../api/call.ts";
import { BatchError, type BatchFailure, ResponseFormatError, ValidationError } from "../_core/errors.ts";
import type { DyneqtlResult } from "../analysis/route_results.ts";
import { type ExpressionTransform, regressEqtls } from "../analysis/regression/regression.ts";
import { checkExpressionTransform, DEFAULT_EXPRESSION_TRANSFORM } from "../analysis/regression/transforms.ts";

/** Options of {@link eqtlEffects}. */
export interface EqtlEffectsOptions extends CallOptions, BatchOptions {
  /** Expression transform for the regression (default {@link DEFAULT_EXPRESSION_TRANSFORM}, `"int"`, as `regressEqtl`: the closest to the pipeline). */
  transform?: ExpressionTransform;
  /** Keep only these tissues (default: every tissue with an independent eQTL). */
  tissueSiteDetailId?: string | readonly string[];
}

/**
 * Recompute effect sizes for every conditionally independent eQTL of one gene or several.
 *
 * Fetches `eqtl` for the genes, then `dyneqtl` for each gene–tissue–variant (under the client's
 * concurrency limit), and regresses transformed expression on ALT dosage. The recomputed `pValue` is an
 * unadjusted OLS p-value on the chosen transform, without the pipeline's covariates: it will not equal
 * the API's (see `RECOMPUTED_PVALUE_NOTE`).
 *
 * Columns: `geneId`, `tissueSiteDetailId`, `variantId`, `ref`, `alt` (str); `transform` (str); `n` (i32);
 * `nes`, `error`, `tStatistic`, `pValue`, `r2` (f64, recomputed); `pValueBeta`, `log2aFC` (f64, the API's
 * `eqtl` values; `log2aFC` null where the server wrote NaN); `apiPValue`, `apiPValueThreshold` (f64, the
 * API's `dyneqtl` values); `reason` (str, why statistics are NaN, else null). One row per eQTL, in the
 * order of `eqtl`.
 *
 * @throws {ValidationError} On a bad `transform` or `tissueSiteDetailId` (checked against the tissue
 *   list: `"il"` or `"Lung"` is refused with the closest ID), or an unknown gene, before any request.
 * @throws {BatchError} When some genes or eQTLs failed (`onError: "throw"`, the default; e.g. a
 *   multi-allelic variant answered 500): every one is named in `failures`, and `partial` holds the frame
 *   of the others. With `onError: "skip"` that frame is returned, with a warning per failed item.
 *
 * @throws {ResponseFormatError} When the `eqtl` answer names a gene, tissue or variant that is not an ID
 *   (the server's fault: nothing is sent for it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, eqtl, eqtlEffects } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const effects = await eqtlEffects("Cd300lf", { client });
 * assert.equal(effects.height, (await eqtl("Cd300lf", { client })).height);
 * assert.deepEqual(effects.columns.slice(0, 3), ["geneId", "tissueSiteDetailId", "variantId"]);
 * ```
 */
export async function eqtlEffects(
  geneId: string | readonly string[],
  options?: EqtlEffectsOptions,
): Promise<pl.DataFrame> {
  const checked = callOptions<EqtlEffectsOptions>(options, "eqtlEffects", {
    transform: "string",
    tissueSiteDetailId: { is: () => true, expected: "a tissue ID or a list of tissue IDs" },
    ...BATCH_OPTIONS,
  });
  const { transform = DEFAULT_EXPRESSION_TRANSFORM, tissueSiteDetailId, onError, ...call } = checked;
  const client = call.client ?? defaultClient();
  // Check the analysis options before any request: a typo must not cost a round of fetches.
  checkExpressionTransform(transform, "options.transform");
  if (
    tissueSiteDetailId !== undefined && typeof tissueSiteDetailId !== "string" &&
    !(Array.isArray(tissueSiteDetailId) && tissueSiteDetailId.every((t) => typeof t === "string"))
  ) {
    throw new ValidationError(
      "options.tissueSiteDetailId",
      tissueSiteDetailId,
      "not a tissue ID or a list of tissue IDs",
      'pass e.g. "IL" or ["IL", "LHb"], or leave it out for every tissue',
    );
  }
  if (tissueSiteDetailId !== undefined) {
    for (const t of asList(tissueSiteDetailId)) {
      await client.checkTissue(t, "options.tissueSiteDetailId", "eqtlEffects", call.signal);
    }
  }
  // Every failed gene or eQTL is collected (never silently dropped) and reported once, at the end.
  const failures: BatchFailure[] = [];
  const partialOf = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (e) {
      if (!(e instanceof BatchError)) throw e;
      failures.push(...e.failures);
      return e.partial as T;
    }
  };
  let eqtls = await partialOf(eqtl(geneId, { ...call, client, raw: false }));
  if (tissueSiteDetailId !== undefined) {
    const keep = asList(tissueSiteDetailId);
    eqtls = eqtls.filter(pl.col("tissueSiteDetailId").isIn(keep));
  }
  const triples = eqtls.select("geneId", "tissueSiteDetailId", "variantId").toRecords() as {
    geneId: string;
    tissueSiteDetailId: string;
    variantId: string;
  }[];
  const allDyns = await partialOf(dyneqtl(triples, { ...call, client, raw: false })).catch((e) => {
    // The triples come from the server's eqtl answer: an ID there that does not validate is its fault.
    if (!(e instanceof ValidationError)) throw e;
    throw new ResponseFormatError(`the eqtl answer holds an invalid ${e.parameter}: ${e.message}`, "", {
      route: "eqtl",
      cause: e,
      hint: "the server sent an ID that is not one: report it, or ask dyneqtl() for the other pairs",
    });
  });
  const failedTriples = failures.filter((f) => typeof f.item === "object");
  // Keep the eQTL rows whose dyneqtl succeeded, in order (the results come back in input order).
  const failed = new Set(failedTriples.map((f) => f.item));
  if (failed.size > 0) {
    const kept = pl.Series("_kept", triples.map((t) => !failed.has(t)));
    eqtls = eqtls.withColumn(kept).filter(pl.col("_kept")).drop("_kept");
  }
  const dyns: DyneqtlResult[] = allDyns;
  return finishBatch(
    "eqtlEffects",
    asList(geneId).length + triples.length,
    failures,
    onError,
    () => effectsFrame(eqtls, dyns, transform),
    (item) => (typeof item === "string" ? item : describeTriple(item)),
  );
}

/** The effects frame: the API's eQTL columns next to the recomputed ones (rows in the same order). */
function effectsFrame(eqtls: pl.DataFrame, dyns: DyneqtlResult[], transform: ExpressionTransform): pl.DataFrame {
  const fits = regressEqtls(dyns, { transform });
  // Rows are in the same order on both sides: put the API's eQTL columns next to the recomputed ones.
  return pl.DataFrame([
    eqtls.getColumn("geneId"),
    eqtls.getColumn("tissueSiteDetailId"),
    eqtls.getColumn("variantId"),
    eqtls.getColumn("ref"),
    eqtls.getColumn("alt"),
    fits.getColumn("transform"),
    fits.getColumn("n"),
    fits.getColumn("nes"),
    fits.getColumn("error"),
    fits.getColumn("tStatistic"),
    fits.getColumn("pValue"),
    fits.getColumn("r2"),
    eqtls.getColumn("pValueBeta"),
    eqtls.getColumn("log2aFC"),
    fits.getColumn("apiPValue"),
    fits.getColumn("apiPValueThreshold"),
    fits.getColumn("reason"),
  ]);
}
