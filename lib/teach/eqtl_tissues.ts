/**
 * The exercise `eqtlTissues`: the tissues where a gene has a conditionally independent eQTL.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { Client } from "../api/client.ts";
import { Feedback, no, ok, wrongForm } from "./feedback.ts";
import { EXERCISE_DATA } from "./exercises.ts";
import { geneStatus, tissueInfo } from "../api/reference.ts";
import { eqtl, singleTissueEqtl } from "../api/qtl.ts";

export async function checkEqtlTissues(answer: unknown, client: Client): Promise<Feedback> {
  const name = "eqtlTissues";
  const given = asStringList(answer);
  if (given === null) {
    const split = typeof answer === "string"
      ? ` Split it into a list: ${JSON.stringify(answer.split(",").map((t) => t.trim()).filter((t) => t !== ""))}.`
      : "";
    const f = wrongForm(name, 'a list of tissue IDs, e.g. ["Liver", "Eye"]', answer);
    return split ? new Feedback(name, f.status, f.message + split, f.hint) : f;
  }
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

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/**
 * A list of strings from an array, a Set or a polars Series; null when it is none of these. A string is not
 * a list, even a comma-joined one ("IL,NAcc"): the exercise asks for a list, as the routes take one.
 */
function asStringList(answer: unknown): string[] | null {
  let items: unknown[];
  if (Array.isArray(answer)) items = answer;
  else if (answer instanceof Set) items = [...answer];
  else if (answer && typeof (answer as { toArray?: unknown }).toArray === "function") {
    items = (answer as { toArray(): unknown[] }).toArray();
  } else return null;
  if (!items.every((x) => typeof x === "string")) return null;
  return [...new Set((items as string[]).map((s) => s.trim()).filter((s) => s !== ""))];
}
