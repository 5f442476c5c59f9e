/**
 * One variant's effect on one gene in every tissue where the gene was tested: the question after "is there
 * an eQTL" — is the effect the same everywhere? Fetches the gene's tested tissues (`gene`'s
 * `statusInTissue`), the variant's `dyneqtl` in each, and recomputes the slopes (`regressEqtls`).
 *
 * @module
 */
import pl from "nodejs-polars";
import type { CallOptions } from "../api/client.ts";
import { dyneqtl } from "../api/qtl.ts";
import { geneStatus } from "../api/reference.ts";
import { callOptions, fanOutSettled, finishBatch } from "../api/call.ts";
import { ValidationError } from "../_core/errors.ts";
import type { DyneqtlResult } from "../analysis/route_results.ts";
import { type ExpressionTransform, regressEqtls } from "../analysis/regression/regression.ts";
import { checkExpressionTransform, DEFAULT_EXPRESSION_TRANSFORM } from "../analysis/regression/transforms.ts";
import { tissueOrder } from "../_core/tissues.ts";
import { openRelease, Release } from "../release/release.ts";

/** What {@link effectsAcrossTissues} draws together: one gene and one variant. */
export interface EffectsAcrossTissuesParams {
  /** Gene ID, e.g. `"Cd300lf"`. */
  geneId: string;
  /** Variant ID `chrN:pos`, e.g. `"chr10:100826333"`. */
  variantId: string;
}

/** Options of {@link effectsAcrossTissues}. */
export interface EffectsAcrossTissuesOptions extends CallOptions {
  /** Expression transform of the regression (default {@link DEFAULT_EXPRESSION_TRANSFORM}, `"int"`). */
  transform?: ExpressionTransform;
  /** Keep only these tissues (default: every tissue where the gene was tested for eQTLs). */
  tissueSiteDetailId?: readonly string[];
  /**
   * What a failed tissue does (default `"throw"`): `"throw"` runs every tissue, then throws one
   * {@link BatchError} whose `failures` are `{ item: tissueId, error }` and whose `partial` is the frame of
   * the tissues that succeeded; `"skip"` returns that frame and warns (`console.warn`) once per failure.
   */
  onError?: "throw" | "skip";
  /**
   * The engine, named by this one option. Without it, the API engine: the naive OLS of each tissue's
   * `dyneqtl` data (method {@link RECOMPUTED_OLS_METHOD}). With it (a {@link Release}, or a folder or https
   * URL of one), the release engine: pipeline-exact statistics from the release's own files
   * (`Release.effectsAcrossTissues`, method `PIPELINE_METHOD`). A release whose files cannot be read is an
   * error, never a silent switch to the other engine.
   */
  release?: Release | string;
}

/** How the slopes of {@link effectsAcrossTissues} were computed (the frame's `method` column). */
export const RECOMPUTED_OLS_METHOD = "OLS on ALT dosage, no covariates (recomputed)";

/**
 * One variant's effect on a gene across tissues: one row per tissue where the gene was tested for eQTLs
 * (RatGTEx's portal order), with the slope recomputed from the variant's per-sample `dyneqtl` data and the
 * API's nominal p-value beside the recomputed one.
 *
 * Requests: `gene` (for `statusInTissue`), then one `dyneqtl` per tested tissue (under the client's
 * concurrency limit). A tissue whose `dyneqtl` fails does not stop the others; see `onError`.
 *
 * Columns: `geneId`, `variantId`, `tissueSiteDetailId` (str); `transform` (str, the expression transform),
 * `method` (str, {@link RECOMPUTED_OLS_METHOD}); `n` (i32, samples analysed); `slope`, `slopeSe`,
 * `tStatistic`, `pValue` (f64, recomputed; NaN when degenerate, see `reason`); `apiPValue`,
 * `apiPValueThreshold` (f64, the API's nominal p-value of the pair and the gene's threshold in that
 * tissue, null when the server has none); `significant` (bool, `apiPValue < apiPValueThreshold`: the
 * pipeline's call); `reason` (str, why the statistics are NaN, else null).
 *
 * @param params The gene and the variant.
 * @param options Transform (default `"int"`), tissues, `onError` (default `"throw"`) and call options.
 * @returns The frame described above.
 * @throws {ValidationError} On bad params or options, before any request; or when the gene was tested in
 *   none of the chosen tissues.
 * @throws {BatchError} With `onError: "throw"`, when some tissues failed (after all ran).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, effectsAcrossTissues } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const fx = await effectsAcrossTissues({ geneId: "Cd300lf", variantId: "chr10:100826333" }, { client });
 * assert.equal(fx.height, 13); // tested in every tissue of the offline universe
 * assert.deepEqual(fx.columns.slice(0, 6), ["geneId", "variantId", "tissueSiteDetailId", "transform", "method", "n"]);
 * const il = (fx.toRecords() as { tissueSiteDetailId: string; significant: boolean }[])
 *   .find((r) => r.tissueSiteDetailId === "IL")!;
 * assert.equal(il.significant, true); // the API's p below the gene's threshold in IL
 * ```
 */
export async function effectsAcrossTissues(
  params: EffectsAcrossTissuesParams,
  options?: EffectsAcrossTissuesOptions,
): Promise<pl.DataFrame> {
  const checked = callOptions<EffectsAcrossTissuesOptions>(options, "effectsAcrossTissues", {
    transform: "string",
    tissueSiteDetailId: {
      is: (v) => Array.isArray(v) && v.every((t) => typeof t === "string"),
      expected: "a list of tissue IDs",
    },
    onError: { is: (v) => v === "throw" || v === "skip", expected: '"throw" or "skip"' },
    release: {
      is: (v) => typeof v === "string" || v instanceof Release,
      expected: "a Release, or a release folder or https URL",
    },
  });
  const { transform = DEFAULT_EXPRESSION_TRANSFORM, tissueSiteDetailId, onError = "throw", release: from, ...call } =
    checked;
  checkExpressionTransform(transform, "options.transform");
  if (
    params === null || typeof params !== "object" || typeof params.geneId !== "string" ||
    typeof params.variantId !== "string"
  ) {
    throw new ValidationError(
      "params",
      params,
      "must be { geneId, variantId }",
      'pass e.g. { geneId: "Cd300lf", variantId: "chr10:100826333" }',
    );
  }
  const { geneId, variantId } = params;
  if (from !== undefined) {
    const rel = typeof from === "string" ? await openRelease(from) : from;
    const exact = await rel.effectsAcrossTissues({ geneId, variantId });
    return tissueSiteDetailId
      ? exact.filter(pl.col("tissueSiteDetailId").isIn(pl.lit(pl.Series([...tissueSiteDetailId]))))
      : exact;
  }
  const status = await geneStatus(geneId, { ...call, raw: false });
  const tested = (status.toRecords() as { tissueSiteDetailId: string; testedEqtl: boolean }[])
    .filter((s) => s.testedEqtl).map((s) => s.tissueSiteDetailId);
  const wanted = tissueSiteDetailId ? new Set(tissueSiteDetailId) : null;
  const tissues = tissueOrder(tested.filter((t) => wanted === null || wanted.has(t)));
  if (tissues.length === 0) {
    throw new ValidationError(
      wanted ? "options.tissueSiteDetailId" : "params.geneId",
      wanted ? tissueSiteDetailId : geneId,
      `${geneId} was tested for eQTLs in none of ${wanted ? "these tissues" : "the tissues"} (gene's statusInTissue)`,
      wanted ? "leave tissueSiteDetailId out, or choose tissues where testedEqtl is true" : "check the gene ID",
    );
  }
  const settled = await fanOutSettled(
    tissues,
    "effectsAcrossTissues",
    { ...call },
    (tissueSiteDetailId, o) =>
      dyneqtl({ geneId, tissueSiteDetailId, variantId }, { ...o, raw: false }) as Promise<DyneqtlResult>,
  );
  const ok = settled.results.filter((d): d is DyneqtlResult => d !== undefined);
  const failures = settled.failures;
  // The library's one batch rule: every tissue ran; a BatchError with the rest, or a warning per failure.
  return finishBatch("effectsAcrossTissues", tissues.length, failures, onError, () => effectsFrame(ok, transform));
}

function effectsFrame(dyns: DyneqtlResult[], transform: ExpressionTransform): pl.DataFrame {
  const fits = regressEqtls(dyns, { transform });
  const p = fits.getColumn("apiPValue").toArray() as (number | null)[];
  const t = fits.getColumn("apiPValueThreshold").toArray() as (number | null)[];
  return pl.DataFrame([
    fits.getColumn("geneId"),
    fits.getColumn("variantId"),
    fits.getColumn("tissueSiteDetailId"),
    fits.getColumn("transform"),
    pl.Series("method", dyns.map(() => RECOMPUTED_OLS_METHOD), pl.Utf8),
    fits.getColumn("n"),
    fits.getColumn("nes").alias("slope"),
    fits.getColumn("error").alias("slopeSe"),
    fits.getColumn("tStatistic"),
    fits.getColumn("pValue"),
    fits.getColumn("apiPValue"),
    fits.getColumn("apiPValueThreshold"),
    pl.Series("significant", p.map((v, i) => v !== null && t[i] !== null && v < t[i]!), pl.Bool),
    fits.getColumn("reason"),
  ]);
}
