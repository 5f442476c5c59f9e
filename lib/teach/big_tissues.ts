/**
 * The exercise `bigTissues`: how many tissues have more than so many RNA-seq samples.
 *
 * @module
 */
import type { Client } from "../api/client.ts";
import { type Feedback, no, ok, wrongForm } from "./feedback.ts";
import { EXERCISE_DATA } from "./exercises.ts";
import { tissueInfo } from "../api/reference.ts";

export async function checkBigTissues(answer: unknown, client: Client): Promise<Feedback> {
  const name = "bigTissues";
  if (typeof answer !== "number" || !Number.isInteger(answer)) {
    return wrongForm(name, "a whole number, e.g. 4", answer);
  }
  const t = EXERCISE_DATA.sampleThreshold;
  const info = await tissueInfo({}, { client });
  const counts = info.getColumn("rnaSeqSampleCount").toArray() as number[];
  const withGenotypes = info.getColumn("rnaSeqAndGenotypeSampleCount").toArray() as number[];
  const expected = counts.filter((n) => n > t).length;
  const hint = `filter tissueInfo() on rnaSeqSampleCount: tissues.filter(pl.col("rnaSeqSampleCount").gt(${t})).height`;
  if (answer === expected) {
    return ok(name, `${answer} of the ${counts.length} tissues have more than ${t} RNA-seq samples.`);
  }
  if (answer === counts.filter((n) => n >= t).length) {
    return no(name, `That counts tissues with at least ${t} samples; the question says more than ${t}.`, hint);
  }
  if (answer === withGenotypes.filter((n) => n > t).length) {
    return no(
      name,
      "That counts rnaSeqAndGenotypeSampleCount (samples with genotypes too); the question is about rnaSeqSampleCount.",
      hint,
    );
  }
  if (answer === counts.length) return no(name, "That counts every tissue: keep only the large ones.", hint);
  if (answer === counts.filter((n) => n <= t).length) {
    return no(name, `That counts the tissues with ${t} samples or fewer: flip the comparison.`, hint);
  }
  return no(name, `Your count is too ${answer > expected ? "high" : "low"}.`, hint);
}
