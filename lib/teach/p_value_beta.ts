/**
 * The exercise `pValueBeta`: what tensorQTL's beta-approximated permutation p-value is, and why it is not
 * the top variant's nominal p-value. The learner runs the permutation pass of one gene in one tissue from
 * the release's own files and answers with `pval_beta`; the check compares it with the release's own number
 * (`top_assoc`'s `pval_beta`): equal to the precision asked with the release's own permutations, or within
 * the Monte-Carlo noise of 1,000 permutations with any others (a real release ran without a seed). Every
 * nearby quantity a learner may give instead — the minimum p, its Bonferroni correction, the empirical
 * permutation p-value, the p-value at the effective degrees of freedom — is recognised and named.
 *
 * @module
 */
import type { Client } from "../api/client.ts";
import { BUNDLED_RELEASE } from "../release/folder.ts";
import { openRelease } from "../release/release.ts";
import { type Feedback, no, ok, wrongForm } from "./feedback.ts";
import { EXERCISE_DATA, P_VALUE_PRECISION } from "./exercises.ts";
import { numericFeedback } from "./numeric.ts";
import { rounded } from "./precision.ts";

/**
 * The release beside a client's source: the bundled one offline, a release folder as it is (its client's
 * base URL is a pseudo `.invalid` one), `…/api/v4` → `…/data/v4`.
 */
function releaseOf(client: Client): string {
  if (client.offline) return BUNDLED_RELEASE;
  if (new URL(client.baseUrl).hostname.endsWith(".invalid")) {
    return client.source.startsWith("file:") ? new URL(client.source).pathname : client.source;
  }
  return client.baseUrl.replace(/\/api\/v4\/?$/, "/data/v4");
}

/**
 * Check an answer to `pValueBeta` (use `check` from `lib/teach/mod.ts`): the expected value is the
 * release's published `pval_beta` of the gene in the tissue; the Monte-Carlo noise is that of a recomputed
 * permutation pass (1,000 permutations, seed 0) against the release's own run (the bundled release ran
 * 1,000 permutations, RatGTEx 10,000).
 *
 * @param answer The learner's answer (a p-value).
 * @param client The source whose release the expected answer is worked out from.
 * @returns The feedback.
 */
export async function checkPValueBeta(answer: unknown, client: Client): Promise<Feedback> {
  const name = "pValueBeta";
  if (typeof answer !== "number" || !Number.isFinite(answer) || answer <= 0 || answer > 1) {
    return wrongForm(name, "a p-value, a number above 0 and at most 1, e.g. 3.2e-5", answer);
  }
  const { geneId, tissueSiteDetailId } = EXERCISE_DATA.permutationGene;
  const rel = await openRelease(releaseOf(client));
  const top = (await rel.topAssociations()).toRecords().find((r) =>
    r.geneId === geneId && r.tissueSiteDetailId === tissueSiteDetailId
  ) as { pValue: number; pValueBeta: number; numVar: number } | undefined;
  if (top === undefined) {
    return no(name, `The release has no top association of ${geneId} in ${tissueSiteDetailId}.`, null);
  }
  const published = top.pValueBeta;
  const hint = "openRelease(…).permutationStatistics({ tissueSiteDetailId: " +
    `"${tissueSiteDetailId}", geneIds: ["${geneId}"] }, { permutations: 1000, seed }) runs the pass; its ` +
    "pValueBeta is tensorQTL's: the beta distribution fitted to the permutations' minimum p-values (at the " +
    "effective degrees of freedom true_df), evaluated at the top variant's p-value (the bundled release's own " +
    "permutations: rg.release.BUNDLED_PERMUTATIONS)";
  const pass = (await rel.permutationStatistics({ tissueSiteDetailId, geneIds: [geneId] }, {
    permutations: 1000,
    seed: 0,
    publishedPermutations: client.offline ? 1000 : 10_000,
  })).toRecords()[0] as { pValueBeta: number; pValueBetaLow: number; pValuePerm: number; pValueTrueDf: number };
  // The interval of the published value for a run of 1,000 permutations: ± ln(pValueBeta / pValueBetaLow).
  const width = Math.log(pass.pValueBeta / pass.pValueBetaLow);
  const slips: [number, string][] = [
    [
      top.pValue,
      "That is the top variant's nominal p-value, the minimum p over the gene's cis variants: the smallest of " +
      `${top.numVar} tests is small by chance alone. pval_beta says how often permuted data (no eQTL) reach it.`,
    ],
    [
      Math.min(1, top.pValue * top.numVar),
      `That is the Bonferroni correction (minimum p × ${top.numVar} variants): too strict, since nearby ` +
      "variants are correlated (LD). The permutations measure the effective number of tests instead.",
    ],
    [
      pass.pValuePerm,
      "That is pval_perm, the empirical permutation p-value (permutations at least as strong + 1) / 1,001: " +
      "it cannot go below 1/1,001. pval_beta extrapolates past it with the fitted beta distribution.",
    ],
    [
      pass.pValueTrueDf,
      "That is pval_true_df, the top variant's p-value at the effective degrees of freedom: evaluate the " +
      "fitted beta distribution's CDF at it to get pval_beta.",
    ],
  ];
  const exact = numericFeedback({
    exercise: name,
    answer,
    expected: published,
    precision: P_VALUE_PRECISION,
    slips,
    hint,
    right: (shown) =>
      `pval_beta = ${shown}: the release's own number — the same permutations give the same p-value, bit for bit.`,
    words: ["large", "small"],
  });
  if (exact.correct || !(Math.abs(Math.log(answer) - Math.log(published)) <= width)) return exact;
  for (const [value, message] of slips) {
    if (rounded(answer, P_VALUE_PRECISION) === rounded(value, P_VALUE_PRECISION)) return no(name, message, hint);
  }
  return ok(
    name,
    `pval_beta = ${rounded(answer, P_VALUE_PRECISION)}: not the release's ${rounded(published, P_VALUE_PRECISION)}, ` +
      "but within the Monte-Carlo noise of 1,000 permutations (the release ran its own): right.",
  );
}
