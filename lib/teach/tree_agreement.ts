/**
 * The exercise `treeAgreement`: the cophenetic correlation of the log2 gene tree with the server's, to 3 decimals.
 *
 * @module
 */
import type { Client } from "../api/client.ts";
import { type Feedback, no, wrongForm } from "./feedback.ts";
import { CORRELATION_PRECISION, EXERCISE_DATA } from "./exercises.ts";
import { numericFeedback } from "./numeric.ts";
import { medianGeneExpression } from "../api/expression.ts";
import { clusterMedians } from "../analysis/clustering/cluster_medians.ts";
import { compareTrees } from "../analysis/clustering/tree.ts";

export async function checkTreeAgreement(answer: unknown, client: Client): Promise<Feedback> {
  const name = "treeAgreement";
  if (typeof answer !== "number" || !Number.isFinite(answer) || answer < -1 || answer > 1) {
    return wrongForm(name, "a correlation, a number between -1 and 1", answer);
  }
  const med = await medianGeneExpression([...EXERCISE_DATA.panel], { client });
  const server = clusterMedians(med);
  const hint = 'clusterMedians(med, { transform: "log2" }) reclusters; compareTrees(server.geneLinkage, ' +
    "log2.geneLinkage).copheneticCorrelation compares (server = clusterMedians(med) rebuilds the server's tree)";
  if (server.geneLinkage === null || server.tissueLinkage === null) {
    return no(name, "The source returned too few genes or tissues to build a tree.", null);
  }
  const corr = (options: Parameters<typeof clusterMedians>[1], what: "gene" | "tissue" = "gene") => {
    const other = clusterMedians(med, options);
    return what === "gene"
      ? compareTrees(server.geneLinkage!, other.geneLinkage!).copheneticCorrelation
      : compareTrees(server.tissueLinkage!, other.tissueLinkage!).copheneticCorrelation;
  };
  const expected = corr({ transform: "log2" });
  const slips: [number, string][] = [
    [1, "A correlation of 1 means two identical trees: did you compare the server's tree with itself?"],
    [
      corr({ transform: "log2", metric: "correlation" }),
      "That uses correlation distance; the question asks for Euclidean.",
    ],
    [corr({ transform: "zscore" }), "That clusters z-scores; the question asks for log2(TPM + 1)."],
    [corr({ transform: "log2", method: "complete" }), "That uses complete linkage; the question asks for average."],
    [corr({ transform: "log2", method: "single" }), "That uses single linkage; the question asks for average."],
    [corr({ transform: "log2" }, "tissue"), "That compares the tissue trees; the question is about the gene tree."],
  ];
  return numericFeedback({
    exercise: name,
    answer,
    expected,
    precision: CORRELATION_PRECISION,
    slips,
    hint,
    right: (shown) =>
      `A cophenetic correlation of ${shown}: ${
        expected > 0.9 ? "the log2 tree keeps most of the server tree's structure" : "log2 reshapes the tree"
      }.`,
  });
}
