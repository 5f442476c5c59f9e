/**
 * The exercise `topLiverGene`: the most expressed gene of a tissue, outside chrM.
 *
 * @module
 */
import type { Client } from "../api/client.ts";
import { type Feedback, no, ok, wrongForm } from "./feedback.ts";
import { EXERCISE_DATA } from "./exercises.ts";
import { topExpressedGene } from "../api/expression.ts";

/** How close (as a share of the top median) the runner-up must be to get "a close second" feedback. */
const NEAR_TIE = 0.05;

export async function checkTopLiverGene(answer: unknown, client: Client): Promise<Feedback> {
  const name = "topLiverGene";
  if (typeof answer !== "string") return wrongForm(name, 'a gene ID in quotes, e.g. "Polr3k"', answer);
  const tissue = EXERCISE_DATA.tissue;
  const gene = answer.trim();
  const all = await topExpressedGene({ tissueSiteDetailId: tissue }, { client });
  const nonMt = await topExpressedGene({ tissueSiteDetailId: tissue, filterMtGene: true }, { client });
  const hint = `topExpressedGene({ tissueSiteDetailId: "${tissue}", filterMtGene: true }) ranks genes by median TPM`;
  const ids = nonMt.getColumn("geneId").toArray() as string[];
  const medians = nonMt.getColumn("median").toArray() as number[];
  if (ids.length === 0) return no(name, `The source has no expressed genes for ${tissue}.`, null);
  if (gene === ids[0]) {
    return ok(name, `${gene} has the highest median TPM in ${tissue} among genes outside chrM.`);
  }
  const rank = ids.indexOf(gene);
  if (rank > 0) {
    const ratio = medians[rank] / medians[0];
    const share = (100 * ratio).toFixed(0);
    // A near tie (within NEAR_TIE of the top median): the learner sorted, but compared rounded medians or
    // picked the wrong one of two close values; say so rather than "sort".
    const advice = rank === 1 && ratio >= 1 - NEAR_TIE
      ? "It is a close second: compare the two highest medians unrounded."
      : "Sort by median, highest first.";
    return no(
      name,
      `${gene} is number ${rank + 1} in ${tissue}; its median is ${share}% of the top gene's. ${advice}`,
      hint,
    );
  }
  const allIds = all.getColumn("geneId").toArray() as string[];
  const chromosomes = all.getColumn("chromosome").toArray() as string[];
  const i = allIds.indexOf(gene);
  if (i >= 0 && chromosomes[i] === "chrM") {
    return no(name, `${gene} is a mitochondrial gene (chrM): the question leaves those out.`, hint);
  }
  const caseless = ids.findIndex((id) => id.toLowerCase() === gene.toLowerCase());
  if (caseless >= 0) {
    return no(
      name,
      `Gene IDs are case-sensitive: "${gene}" is written differently in RatGTEx (${ids[caseless]}).`,
      hint,
    );
  }
  return no(name, `${gene} is not among the ${ids.length} most expressed genes of ${tissue} outside chrM.`, hint);
}
