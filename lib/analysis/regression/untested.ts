/**
 * Pairs RatGTEx never tested, said: a `dyneqtl` answer whose `pValue` is null is a gene–variant pair absent
 * from the release's nominal p-values for that tissue — a variant outside the gene's ±1 Mb cis window, on
 * another chromosome, or filtered in that tissue. A regression on it still has numbers, but they are not a
 * cis-eQTL test, and the API's p-value is null for that reason: the regression's `reason` says so and one
 * warning is printed per call.
 *
 * @module
 */
import type { DyneqtlResult } from "../route_results.ts";

/**
 * Why a `dyneqtl` answer has no API p-value, or null when it has one (or the input is not a `dyneqtl`
 * answer: plain `{ data, genotypes }` inputs have no API p-value to explain).
 *
 * @param input A regression input.
 * @returns The reason text, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { untestedReason } from "ratgtex/analysis";
 * const pair = { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr8:18366666", pValue: null };
 * assert.match(untestedReason(pair)!, /^not tested by RatGTEx: chr8:18366666 and Cd300lf in IL/);
 * assert.equal(untestedReason({ ...pair, pValue: 1e-8 }), null);
 * assert.equal(untestedReason({ data: [1, 2], genotypes: [0, 1] }), null);
 * ```
 */
export function untestedReason(
  input: Partial<Pick<DyneqtlResult, "geneId" | "tissueSiteDetailId" | "variantId" | "pValue">> | object,
): string | null {
  const d = input as Partial<DyneqtlResult>;
  if (!("pValue" in d) || d.pValue !== null || typeof d.geneId !== "string") return null;
  return `not tested by RatGTEx: ${d.variantId} and ${d.geneId} in ${d.tissueSiteDetailId} have no nominal p-value ` +
    "(the variant is outside the gene's ±1 Mb cis window, on another chromosome, or was filtered in that tissue); " +
    "the regression is computed, but it is not a cis-eQTL test";
}

/** Warn once for the untested pairs of a call (their count and the first few), and return their reasons. */
export function warnUntested(inputs: readonly object[], where: string): (string | null)[] {
  const reasons = inputs.map(untestedReason);
  const untested = inputs.filter((_, i) => reasons[i] !== null) as Partial<DyneqtlResult>[];
  if (untested.length > 0) {
    const first = untested.slice(0, 3).map((d) => `${d.geneId}/${d.tissueSiteDetailId}/${d.variantId}`).join(", ");
    console.warn(
      `ratgtex: ${where}: ${untested.length} pair${
        untested.length === 1 ? " was" : "s were"
      } never tested by RatGTEx ` +
        `(${first}${untested.length > 3 ? ", …" : ""}): outside the cis window or filtered; see the reason column`,
    );
  }
  return reasons;
}
