/**
 * Self-checking exercises for teaching (`notebooks/05_exercises.ipynb`). `check(exercise, answer)` works
 * the expected answer out from the data with the library, through whichever source is in use (offline or
 * the live API), and compares it with the learner's answer. It never prints the expected answer: a wrong
 * answer gets what is off and a hint, computed from the data too. When the answer is a typical mistake
 * (the wrong transform, the wrong route, a flipped sign), the feedback names that mistake.
 *
 * The feedback displays itself in Jupyter (HTML and plain text).
 *
 * @module
 */
import pl from "nodejs-polars";
import { type Client, defaultClient } from "../api/client.ts";
import { ValidationError } from "../_core/errors.ts";
import { geneStatus, tissueInfo } from "../api/reference.ts";
import { medianGeneExpression, topExpressedGene } from "../api/expression.ts";
import { dyneqtl, eqtl, singleTissueEqtl } from "../api/qtl.ts";
import { regressEqtl } from "../analysis/regression.ts";
import { clusterMedians } from "../analysis/cluster_medians.ts";
import { compareTrees } from "../analysis/tree.ts";
import { JUPYTER_DISPLAY } from "../_core/result_kind.ts";
import { escapeXml } from "../_core/format.ts";

/** The exercises' names. */
export type ExerciseName = "bigTissues" | "topLiverGene" | "eqtlTissues" | "eqtlSlope" | "treeAgreement";

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
}

/** The gene, tissue, variant and panel the exercises are about (they exist offline and on the live API). */
export const EXERCISE_DATA: {
  readonly sampleThreshold: number;
  readonly tissue: string;
  readonly geneId: string;
  readonly eqtlPair: { readonly geneId: string; readonly tissueSiteDetailId: string; readonly variantId: string };
  readonly panel: readonly string[];
} = {
  sampleThreshold: 300,
  tissue: "Liver",
  geneId: "Cd300lf",
  eqtlPair: { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" },
  panel: ["Polr3k", "Rtel1", "Eno1", "Cd300lf", "LOC120093067"],
};

/** Every exercise, in the notebook's order. */
export const EXERCISES: readonly Exercise[] = [
  {
    name: "bigTissues",
    title: "Large tissues",
    question: `How many tissues have more than ${EXERCISE_DATA.sampleThreshold} RNA-seq samples (rnaSeqSampleCount)?`,
    answer: "a whole number",
  },
  {
    name: "topLiverGene",
    title: "Most expressed gene",
    question:
      `Which gene, leaving out mitochondrial (chrM) genes, has the highest median TPM in ${EXERCISE_DATA.tissue}?`,
    answer: 'a gene ID, e.g. "Polr3k"',
  },
  {
    name: "eqtlTissues",
    title: "Tissues with an eQTL",
    question: `In which tissues does ${EXERCISE_DATA.geneId} have at least one conditionally independent eQTL?`,
    answer: 'a list of tissue IDs, e.g. ["Liver", "Eye"]',
  },
  {
    name: "eqtlSlope",
    title: "An eQTL's effect size",
    question:
      `Regress log2(TPM + 1) of ${EXERCISE_DATA.eqtlPair.geneId} in ${EXERCISE_DATA.eqtlPair.tissueSiteDetailId} on the ` +
      `ALT allele dosage at ${EXERCISE_DATA.eqtlPair.variantId}, leaving out samples without a genotype call. What is the slope?`,
    answer: "a number (at least 3 significant digits)",
  },
  {
    name: "treeAgreement",
    title: "Does the transform change the tree?",
    question: `Cluster the median TPM of ${EXERCISE_DATA.panel.join(", ")} on log2(TPM + 1) (Euclidean distance, ` +
      `average linkage) and compare the gene tree with the server's (raw TPM): what is their cophenetic correlation?`,
    answer: "a number between -1 and 1 (3 decimals)",
  },
];

/** How an answer fared. */
export type FeedbackStatus = "correct" | "incorrect" | "unanswered";

const HEADINGS: Readonly<Record<FeedbackStatus, string>> = {
  correct: "✔ Correct",
  incorrect: "✘ Not yet",
  unanswered: "… No answer yet",
};

/**
 * Feedback on one answer; shows itself in Jupyter and prints well as text. {@link check} makes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { teach } from "ratgtex";
 * const f = new teach.Feedback("bigTissues", "incorrect", "Your count is too high.", "filter on rnaSeqSampleCount");
 * assert.equal(String(f), "✘ Not yet (bigTissues): Your count is too high.\n  Hint: filter on rnaSeqSampleCount");
 * ```
 */
export class Feedback {
  /** The exercise. */
  readonly exercise: ExerciseName;
  /** Correct, incorrect, or no answer yet. */
  readonly status: FeedbackStatus;
  /** What is right or off about the answer. */
  readonly message: string;
  /** A hint towards the answer (never the answer), or null. */
  readonly hint: string | null;

  /** Build a feedback (the exercises do this; you rarely need to). */
  constructor(exercise: ExerciseName, status: FeedbackStatus, message: string, hint: string | null = null) {
    this.exercise = exercise;
    this.status = status;
    this.message = message;
    this.hint = hint;
  }

  /** True when the answer is right. */
  get correct(): boolean {
    return this.status === "correct";
  }

  /** One or two lines of plain text. */
  toString(): string {
    return `${HEADINGS[this.status]} (${this.exercise}): ${this.message}${this.hint ? `\n  Hint: ${this.hint}` : ""}`;
  }

  /** Rich display for Deno's Jupyter kernel: a coloured box (HTML) and the plain text. */
  [JUPYTER_DISPLAY](): { "text/plain": string; "text/html": string } {
    const colour = { correct: "#1a7f37", incorrect: "#cf222e", unanswered: "#6e7781" }[this.status];
    const head = HEADINGS[this.status];
    const hint = this.hint ? `<div style="margin-top:4px"><b>Hint:</b> ${escapeXml(this.hint)}</div>` : "";
    const html = `<div style="border-left:4px solid ${colour};padding:6px 10px;margin:4px 0;font-family:sans-serif">` +
      `<b style="color:${colour}">${head}</b> <span style="color:#57606a">(${this.exercise})</span>` +
      `<div>${escapeXml(this.message)}</div>${hint}</div>`;
    return { "text/plain": this.toString(), "text/html": html };
  }
}

/** Options of {@link check}. */
export interface CheckOptions {
  /** The source to compute the expected answer from (default: {@link defaultClient}, i.e. `RATGTEX_SOURCE`). */
  client?: Client;
}

/**
 * Check a learner's answer to an exercise against the data.
 *
 * The expected answer is computed with the library from the source in use, so the same exercise works
 * offline and on the live API. An answer of the wrong form is not an error: the feedback says what form is
 * expected.
 *
 * @param exercise The exercise's name (see {@link EXERCISES}).
 * @param answer The learner's answer (`undefined` = not answered yet).
 * @param options The client.
 * @returns The feedback; `feedback.correct` is true for a right answer.
 * @throws {ValidationError} When `exercise` is not an exercise's name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, teach } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const feedback = await teach.check("bigTissues", 13, { client });
 * assert.equal(feedback.correct, false);
 * assert.equal(feedback.message, "That counts every tissue: keep only the large ones.");
 * ```
 */
export async function check(exercise: ExerciseName, answer: unknown, options: CheckOptions = {}): Promise<Feedback> {
  const checker = CHECKERS[exercise];
  if (checker === undefined) {
    throw new ValidationError(
      "exercise",
      exercise,
      "is not an exercise",
      `use one of ${EXERCISES.map((e) => `"${e.name}"`).join(", ")}`,
    );
  }
  if (answer === undefined || answer === null || (typeof answer === "string" && answer.trim() === "")) {
    const form = EXERCISES.find((e) => e.name === exercise)!.answer;
    return new Feedback(exercise, "unanswered", `Replace undefined with your answer: ${form}.`);
  }
  return await checker(answer, options.client ?? defaultClient());
}

type Checker = (answer: unknown, client: Client) => Promise<Feedback>;

const CHECKERS: Record<ExerciseName, Checker> = {
  bigTissues: checkBigTissues,
  topLiverGene: checkTopLiverGene,
  eqtlTissues: checkEqtlTissues,
  eqtlSlope: checkEqtlSlope,
  treeAgreement: checkTreeAgreement,
};

// ------------------------------------------------------------------------------------------ the exercises

async function checkBigTissues(answer: unknown, client: Client): Promise<Feedback> {
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

async function checkTopLiverGene(answer: unknown, client: Client): Promise<Feedback> {
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
    const share = (100 * medians[rank] / medians[0]).toFixed(0);
    return no(
      name,
      `${gene} is number ${
        rank + 1
      } in ${tissue}; its median is ${share}% of the top gene's. Sort by median, highest first.`,
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

async function checkEqtlTissues(answer: unknown, client: Client): Promise<Feedback> {
  const name = "eqtlTissues";
  const given = asStringList(answer);
  if (given === null) return wrongForm(name, 'a list of tissue IDs, e.g. ["Liver", "Eye"]', answer);
  const geneId = EXERCISE_DATA.geneId;
  const tissueIds = (await tissueInfo({}, { client })).getColumn("tissueSiteDetailId").toArray() as string[];
  const hint = `eqtl("${geneId}") lists the conditionally independent eQTLs, one row per eQTL; ` +
    "take the unique tissueSiteDetailId values";
  const unknown = given.filter((t) => !tissueIds.includes(t));
  if (unknown.length > 0) {
    const fixes = unknown.map((t) => {
      const match = tissueIds.find((id) => id.toLowerCase() === t.toLowerCase());
      return match ? `"${t}" (IDs are case-sensitive: ${match})` : `"${t}"`;
    });
    return no(name, `Not tissue IDs: ${fixes.join(", ")}. tissueInfo() lists the ${tissueIds.length} IDs.`, hint);
  }
  const expected = new Set((await eqtl(geneId, { client })).getColumn("tissueSiteDetailId").toArray() as string[]);
  const mine = new Set(given);
  const missing = [...expected].filter((t) => !mine.has(t));
  const extra = [...mine].filter((t) => !expected.has(t));
  if (missing.length === 0 && extra.length === 0) {
    return ok(name, `${geneId} has independent eQTLs in ${expected.size} tissues.`);
  }
  const significant = new Set(
    (await singleTissueEqtl(geneId, { client })).getColumn("tissueSiteDetailId").toArray() as string[],
  );
  if (sameSet(mine, significant)) {
    return no(
      name,
      "Those are the tissues with any significant variant (singleTissueEqtl); the question asks for " +
        "conditionally independent eQTLs, a different route.",
      hint,
    );
  }
  const status = await geneStatus(geneId, { client });
  const tested = new Set(
    status.filter(pl.col("testedEqtl")).getColumn("tissueSiteDetailId").toArray() as string[],
  );
  if (sameSet(mine, tested)) {
    return no(name, `Those are the tissues where ${geneId} was tested for eQTLs, not those where it has one.`, hint);
  }
  const parts: string[] = [];
  if (extra.length > 0) {
    parts.push(`${geneId} has no independent eQTL in ${extra.join(", ")}.`);
  }
  if (missing.length > 0) {
    parts.push(`${missing.length} tissue${missing.length > 1 ? "s are" : " is"} missing from your list.`);
  }
  return no(name, parts.join(" "), hint);
}

async function checkEqtlSlope(answer: unknown, client: Client): Promise<Feedback> {
  const name = "eqtlSlope";
  if (typeof answer !== "number" || !Number.isFinite(answer)) return wrongForm(name, "a number, e.g. 0.25", answer);
  const pair = EXERCISE_DATA.eqtlPair;
  const dyn = await dyneqtl(pair, { client });
  const fit = regressEqtl(dyn, { transform: "log2" });
  const expected = fit.nes;
  const hint = `fetch the samples with dyneqtl(${JSON.stringify(pair)}) and fit with ` +
    'regressEqtl(dyn, { transform: "log2" }), or by hand: slope = cov(dosage, y) / var(dosage)';
  if (near(answer, expected)) {
    return ok(name, `A slope of ${answer} log2(TPM + 1) per ${dyn.alt} allele, over ${fit.n} samples with a call.`);
  }
  // The usual slips, each worked out from the same samples.
  const missingAsZero = regressEqtl(
    { data: dyn.data, genotypes: dyn.genotypes.map((g) => g ?? 0) },
    { transform: "log2" },
  ).nes;
  const slips: [number, string][] = [
    [-expected, `The sign is flipped: the dosage counts copies of the ALT allele (${dyn.alt}), not of ${dyn.ref}.`],
    [regressEqtl(dyn, { transform: "none" }).nes, "That is the slope on raw TPM: transform with log2(TPM + 1) first."],
    [
      regressEqtl(dyn, { transform: "int" }).nes,
      "That is the slope on the rank inverse-normal scale; use log2(TPM + 1).",
    ],
    [expected * Math.LN2, "That slope is on the natural-log scale: use log2, not ln."],
    [expected * Math.LOG10E * Math.LN2, "That slope is on the log10 scale: use log2."],
    [fit.intercept, "That is the intercept (expression at dosage 0), not the slope."],
    [
      missingAsZero,
      `Samples without a genotype call (${fit.nMissing}) were counted as dosage 0: leave them out instead.`,
    ],
  ];
  for (const [value, message] of slips) if (near(answer, value)) return no(name, message, hint);
  if (near(answer, expected, 0.05)) {
    return no(name, "Close, but not within 0.5%: give at least 3 significant digits, and check the transform.", hint);
  }
  return no(name, `That is not the slope: it is too ${answer > expected ? "large" : "small"}.`, hint);
}

async function checkTreeAgreement(answer: unknown, client: Client): Promise<Feedback> {
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
  const tol = 0.0015; // 3 decimals, rounded either way
  if (Math.abs(answer - expected) <= tol) {
    return ok(
      name,
      `A cophenetic correlation of ${answer}: ${
        expected > 0.9 ? "the log2 tree keeps most of the server tree's structure" : "log2 reshapes the tree"
      }.`,
    );
  }
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
  for (const [value, message] of slips) if (Math.abs(answer - value) <= tol) return no(name, message, hint);
  return no(name, `That is too ${answer > expected ? "high" : "low"}.`, hint);
}

// ------------------------------------------------------------------------------------------ helpers

function ok(exercise: ExerciseName, message: string): Feedback {
  return new Feedback(exercise, "correct", message);
}

function no(exercise: ExerciseName, message: string, hint: string | null): Feedback {
  return new Feedback(exercise, "incorrect", message, hint);
}

function wrongForm(exercise: ExerciseName, form: string, answer: unknown): Feedback {
  const got = Array.isArray(answer)
    ? "a list"
    : typeof answer === "number"
    ? `the number ${answer}`
    : `a ${typeof answer}`;
  return new Feedback(exercise, "incorrect", `The answer should be ${form}; this is ${got}.`);
}

/** Relative agreement (0.5% by default): learners round. */
function near(a: number, b: number, rel = 0.005): boolean {
  return Math.abs(a - b) <= rel * Math.abs(b) + 1e-12;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** A list of strings from an array, a Set, a polars Series, or "A, B" text; null when it is none of these. */
function asStringList(answer: unknown): string[] | null {
  let items: unknown[];
  if (typeof answer === "string") items = answer.split(",");
  else if (Array.isArray(answer)) items = answer;
  else if (answer instanceof Set) items = [...answer];
  else if (answer && typeof (answer as { toArray?: unknown }).toArray === "function") {
    items = (answer as { toArray(): unknown[] }).toArray();
  } else return null;
  if (!items.every((x) => typeof x === "string")) return null;
  return [...new Set((items as string[]).map((s) => s.trim()).filter((s) => s !== ""))];
}
