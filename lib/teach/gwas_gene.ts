/**
 * The exercise `gwasGene`: which gene, if any, explains each of two synthetic GWAS hits (shares its causal
 * variant, by colocalisation)?
 *
 * @module
 */
import { BUNDLED_RELEASE } from "../release/folder.ts";
import { colocGwas } from "../workflows/coloc_gwas.ts";
import { type Feedback, no, ok, wrongForm } from "./feedback.ts";
import { GWAS_EXERCISE_DATA } from "./exercises.ts";

const FORM = 'an object { A: "a gene ID" or null, B: "a gene ID" or null }';

/** Per trait: the genes with PP.H4 above the threshold, and the genes tested near the hit. */
async function expected(): Promise<Record<"A" | "B", { explains: string | null; near: Set<string>; h3: Set<string> }>> {
  const out = {} as Record<"A" | "B", { explains: string | null; near: Set<string>; h3: Set<string> }>;
  for (const trait of ["A", "B"] as const) {
    const res = await colocGwas(BUNDLED_RELEASE, GWAS_EXERCISE_DATA.traits[trait], { gwasN: GWAS_EXERCISE_DATA.gwasN });
    const rows = res.summary.toRecords() as { geneId: string; ppH3: number | null; ppH4: number | null }[];
    const explains = rows.filter((r) => (r.ppH4 ?? 0) > GWAS_EXERCISE_DATA.h4).map((r) => r.geneId);
    out[trait] = {
      explains: explains[0] ?? null,
      near: new Set(rows.map((r) => r.geneId)),
      h3: new Set(rows.filter((r) => (r.ppH3 ?? 0) > GWAS_EXERCISE_DATA.h4).map((r) => r.geneId)),
    };
  }
  return out;
}

/** Check an answer to `gwasGene` (computed from the bundled release and its synthetic GWAS). */
export async function checkGwasGene(answer: unknown): Promise<Feedback> {
  const name = "gwasGene";
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) return wrongForm(name, FORM, answer);
  const given = answer as Record<string, unknown>;
  for (const trait of ["A", "B"]) {
    const v = given[trait];
    if (!(trait in given) || (v !== null && typeof v !== "string")) {
      return no(name, `Give trait ${trait} a gene ID or null: the answer should be ${FORM}.`, null);
    }
  }
  const truth = await expected();
  const hint = "colocGwas(release, file, { gwasN: 917 }) gives PP.H4 (one shared causal variant) per gene × tissue; " +
    "a gene explains a hit where PP.H4 is high, not where its eQTL is merely nearby";
  const wrong: string[] = [];
  for (const trait of ["A", "B"] as const) {
    const mine = given[trait] as string | null;
    const right = truth[trait].explains;
    if (mine === right) continue;
    if (mine !== null && right === null && truth[trait].h3.has(mine)) {
      wrong.push(
        `Trait ${trait}: ${mine} has a strong eQTL near the hit, but colocalisation calls H3 — two distinct ` +
          "causal variants. Being near, even with an eQTL, is not explaining the hit.",
      );
    } else if (mine !== null && !truth[trait].near.has(mine)) {
      wrong.push(`Trait ${trait}: ${mine} is not among the genes tested near the hit.`);
    } else if (mine === null) {
      wrong.push(`Trait ${trait}: one gene does share the hit's causal variant.`);
    } else {
      wrong.push(`Trait ${trait}: not ${mine}.`);
    }
  }
  if (wrong.length === 0) {
    return ok(
      name,
      `${truth.A.explains ?? "No gene"} explains trait A's hit (PP.H4 high); trait B's hit lies in ` +
        `${[...truth.B.near].join(", ")}'s window but no gene shares its causal variant (PP.H3 high: two signals).`,
    );
  }
  return no(name, wrong.join(" "), hint);
}
