/**
 * The exercise `credibleSets`: how many causal variants does a gene's eQTL have in a tissue, and which
 * variant leads each credible set (SuSiE on the release's own data)?
 *
 * @module
 */
import { BUNDLED_RELEASE, openRelease } from "../release/mod.ts";
import { finemapGene } from "../workflows/finemap.ts";
import { type Feedback, no, ok, wrongForm } from "./feedback.ts";
import { GWAS_EXERCISE_DATA } from "./exercises.ts";

const FORM = 'a list of variant IDs, one per credible set, e.g. ["chr1:123"]';

/** Check an answer to `credibleSets` (computed from the bundled release). */
export async function checkCredibleSets(answer: unknown): Promise<Feedback> {
  const name = "credibleSets";
  if (typeof answer === "number") {
    return no(
      name,
      "That is a count; the exercise asks which variants: give one variant ID per credible set.",
      "finemapGene(...).sets has one row per credible set, with its topVariant",
    );
  }
  if (!Array.isArray(answer) || answer.some((v) => typeof v !== "string")) return wrongForm(name, FORM, answer);
  const { geneId, tissueSiteDetailId } = GWAS_EXERCISE_DATA.finemap;
  const release = await openRelease(BUNDLED_RELEASE);
  const fm = await finemapGene(release, { geneId, tissueSiteDetailId });
  const sets = fm.sets.toRecords() as { topVariant: string; variantIds: string }[];
  const hint = `finemapGene(release, { geneId: "${geneId}", tissueSiteDetailId: "${tissueSiteDetailId}" }).sets: ` +
    "one row per credible set, its variants and the one with the largest PIP";
  const mine = answer as string[];
  if (mine.length !== sets.length) {
    const top = (await release.topAssociations()).toRecords().find((t) =>
      t.geneId === geneId && t.tissueSiteDetailId === tissueSiteDetailId
    ) as { variantId: string } | undefined;
    if (mine.length === 1 && top !== undefined && mine[0] === top.variantId) {
      return no(
        name,
        `${mine[0]} is the gene's top association (the smallest p, one signal); SuSiE finds ${
          sets.length === 1 ? "no other" : "more"
        } — look at every credible set.`,
        hint,
      );
    }
    return no(name, `SuSiE finds ${sets.length === 1 ? "one signal" : "another number of signals"} here.`, hint);
  }
  const members = sets.map((s) => new Set(s.variantIds.split(",")));
  const unmatched = mine.filter((v) => !members.some((m) => m.has(v)));
  if (unmatched.length > 0) return no(name, `Not in any credible set: ${unmatched.join(", ")}.`, hint);
  const covered = new Set(mine.map((v) => members.findIndex((m) => m.has(v))));
  if (covered.size !== sets.length) return no(name, "Two of your variants are in the same credible set.", hint);
  const leads = new Set(sets.map((s) => s.topVariant));
  const notLead = mine.filter((v) => !leads.has(v));
  if (notLead.length > 0) {
    return no(name, `Right sets, but ${notLead.join(", ")} is not its set's largest PIP.`, hint);
  }
  const independent = fm.independent.toRecords() as { credibleSet: number | null }[];
  const inSets = independent.filter((e) => e.credibleSet !== null).length;
  return ok(
    name,
    `${sets.length} signals, each a credible set led by one variant; ${inSets} of ${geneId}'s ` +
      `${independent.length} independent eQTLs (eqtls_indep) fall in them.`,
  );
}
