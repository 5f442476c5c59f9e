/**
 * The exercises: what each asks, the data it is about, and the precision it asks for.
 *
 * @module
 */
import type { Precision } from "./precision.ts";

/** The exercises' names. */
export type ExerciseName =
  | "bigTissues"
  | "topLiverGene"
  | "eqtlTissues"
  | "eqtlSlope"
  | "treeAgreement"
  | "apiPValue"
  | "gwasGene"
  | "credibleSets"
  | "pValueBeta";

/** One exercise: what it asks and in what form the answer is expected. */
export interface Exercise {
  /** Its name, for {@link check}. */
  name: ExerciseName;
  /** Short title. */
  title: string;
  /** The question. */
  question: string;
  /** The form of the answer, e.g. "a whole number". */
  answer: string;
  /** The precision a numeric answer is asked for (and checked to), or null for an exact answer. */
  precision: Precision | null;
}

/** The gene, tissue, variant and panel the exercises are about (they exist offline and on the live API). */
export const EXERCISE_DATA: {
  readonly sampleThreshold: number;
  readonly tissue: string;
  readonly geneId: string;
  readonly eqtlPair: { readonly geneId: string; readonly tissueSiteDetailId: string; readonly variantId: string };
  readonly panel: readonly string[];
  readonly permutationGene: { readonly geneId: string; readonly tissueSiteDetailId: string };
} = {
  sampleThreshold: 300,
  tissue: "Liver",
  geneId: "Cd300lf",
  eqtlPair: { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" },
  panel: ["Polr3k", "Rtel1", "Eno1", "Cd300lf", "LOC120093067"],
  permutationGene: { geneId: "Eno1", tissueSiteDetailId: "IL" },
};

/** The precision the slope exercise asks for: 3 significant digits. */
export const SLOPE_PRECISION: Precision = { kind: "significant", digits: 3 };
/** The precision the p-value exercise asks for: 3 significant digits. */
export const P_VALUE_PRECISION: Precision = { kind: "significant", digits: 3 };
/** The precision the tree exercise asks for: 3 decimals. */
export const CORRELATION_PRECISION: Precision = { kind: "decimals", digits: 3 };

/** Every exercise, in the notebook's order. */
export const EXERCISES: readonly Exercise[] = [
  {
    name: "bigTissues",
    title: "Large tissues",
    question: `How many tissues have more than ${EXERCISE_DATA.sampleThreshold} RNA-seq samples (rnaSeqSampleCount)?`,
    answer: "a whole number",
    precision: null,
  },
  {
    name: "topLiverGene",
    title: "Most expressed gene",
    question:
      `Which gene, leaving out mitochondrial (chrM) genes, has the highest median TPM in ${EXERCISE_DATA.tissue}?`,
    answer: 'a gene ID, e.g. "Polr3k"',
    precision: null,
  },
  {
    name: "eqtlTissues",
    title: "Tissues with an eQTL",
    question: `In which tissues does ${EXERCISE_DATA.geneId} have at least one conditionally independent eQTL?`,
    answer: 'a list of tissue IDs, e.g. ["Liver", "Eye"]',
    precision: null,
  },
  {
    name: "eqtlSlope",
    title: "An eQTL's effect size",
    question:
      `Regress log2(TPM + 1) of ${EXERCISE_DATA.eqtlPair.geneId} in ${EXERCISE_DATA.eqtlPair.tissueSiteDetailId} on the ` +
      `ALT allele dosage at ${EXERCISE_DATA.eqtlPair.variantId}, leaving out samples without a genotype call. What is the slope?`,
    answer: "a number (at least 3 significant digits)",
    precision: SLOPE_PRECISION,
  },
  {
    name: "treeAgreement",
    title: "Does the transform change the tree?",
    question: `Cluster the median TPM of ${EXERCISE_DATA.panel.join(", ")} on log2(TPM + 1) (Euclidean distance, ` +
      `average linkage) and compare the gene tree with the server's (raw TPM): what is their cophenetic correlation?`,
    answer: "a number between -1 and 1 (3 decimals)",
    precision: CORRELATION_PRECISION,
  },
  {
    name: "apiPValue",
    title: "Why does my regression not match the API?",
    question: `dyneqtl(${JSON.stringify(EXERCISE_DATA.eqtlPair)}) gives the samples and the API's pValue. Regress ` +
      "step by step: raw TPM on the ALT dosage, then log2(TPM + 1), then the rank inverse-normal transform, then " +
      "the release's normalised expression (phenos/…norm…bed.gz) with its covariates (covar/covar.{tissue}." +
      "expression.v4.tsv: 5 genotype PCs and 20 expression PCs). What p-value does the last step give?",
    answer: "a p-value (at least 3 significant digits)",
    precision: P_VALUE_PRECISION,
  },
  {
    name: "pValueBeta",
    title: "What is pval_beta, and why is it not the minimum p?",
    question: `Run the permutation pass of ${EXERCISE_DATA.permutationGene.geneId} in ` +
      `${EXERCISE_DATA.permutationGene.tissueSiteDetailId} from the release's own files (1,000 permutations of the ` +
      "normalised phenotype, the best r² over the cis variants in each, tensorQTL's beta approximation): what is " +
      "pval_beta? With the release's own permutations (the bundled release: seed 20260426) it is the published " +
      "value; with others, any value within the Monte-Carlo noise of 1,000 permutations is right.",
    answer: "a p-value (at least 3 significant digits)",
    precision: P_VALUE_PRECISION,
  },
];

/**
 * The GWAS the locus exercises are about (`notebooks/06_gwas_locus.ipynb`): SYNTHETIC traits of the bundled
 * miniature release (`fixtures/gwas/`, `traits` are their paths), whatever the source in use (the live API has
 * no such traits), their sample size, the PP.H4 that counts as "explains", and the credible-set exercise's gene.
 */
export const GWAS_EXERCISE_DATA: {
  readonly traits: Readonly<Record<"A" | "B", string>>;
  readonly gwasN: number;
  readonly finemap: { readonly geneId: string; readonly tissueSiteDetailId: string };
  readonly h4: number;
} = {
  traits: {
    A: new URL("../../fixtures/gwas/synthetic_trait_A.mlma", import.meta.url).pathname,
    B: new URL("../../fixtures/gwas/synthetic_trait_B.mlma", import.meta.url).pathname,
  },
  gwasN: 917,
  finemap: { geneId: "SynG049", tissueSiteDetailId: "Adipose" },
  h4: 0.8,
};

/** The exercises of the GWAS locus notebook (`notebooks/06_gwas_locus.ipynb`), in its order. */
export const GWAS_EXERCISES: readonly Exercise[] = [
  {
    name: "gwasGene",
    title: "Which gene explains this hit?",
    question: "Synthetic GWAS traits A and B each have a hit. For each, which gene of the bundled release, if any, " +
      `explains it — shares its causal variant (coloc.abf PP.H4 > ${GWAS_EXERCISE_DATA.h4} in some tissue)?`,
    answer: 'an object { A: "a gene ID" or null, B: "a gene ID" or null }',
    precision: null,
  },
  {
    name: "credibleSets",
    title: "How many causal variants, and which?",
    question: `Fine-map ${GWAS_EXERCISE_DATA.finemap.geneId} in ${GWAS_EXERCISE_DATA.finemap.tissueSiteDetailId} ` +
      "with SuSiE. How many signals does it have, and which variant leads each (the largest PIP of each credible set)?",
    answer: 'a list of variant IDs, one per credible set, e.g. ["chr1:123"]',
    precision: null,
  },
];
