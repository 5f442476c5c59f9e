/**
 * The Predict page's genetically predicted phenotypes (`data/predict/pred-round11_2-{T}-{M}.tsv.gz`): a wide
 * table, `rat_id` then one column per heritable phenotype (z-scores). A real file holds ~25,000 rats × up to
 * thousands of phenotypes, so it is streamed: the header names the columns wanted (a gene's phenotypes, or
 * one), and each line gives only those — never the whole table in memory. Every value read is checked as the
 * table's declared columns say (`layout.ts`), with the line and field named.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ReleaseFormatError, ValidationError } from "../_core/errors.ts";
import type { ReleaseFolder } from "./folder.ts";
import { problemOf } from "./tsv.ts";
import { textLines } from "./text.ts";
import { geneOfPhenotype } from "./_permutation_pass.ts";
import type { PredictionQuery } from "./prediction_query.ts";

const USAGE = '{ geneId: "Cd300lf", tissueSiteDetailId: "IL", modality?: "expression", ratIds?: [...] }';

/** The long frame of a prediction query (see `Release.predictedPhenotypes`). */
export async function predictions(folder: ReleaseFolder, query: PredictionQuery): Promise<pl.DataFrame> {
  if (query === null || typeof query !== "object") {
    throw new ValidationError("query", query, "must be an object", USAGE);
  }
  const { geneId, phenotypeId } = query;
  if ((geneId === undefined) === (phenotypeId === undefined)) {
    throw new ValidationError("query", query, "needs exactly one of geneId and phenotypeId", USAGE);
  }
  for (const [k, v] of [["geneId", geneId], ["phenotypeId", phenotypeId]] as const) {
    if (v !== undefined && (typeof v !== "string" || v === "")) {
      throw new ValidationError(k, v, "must be a non-empty string", USAGE);
    }
  }
  const layout = await folder.layout();
  const tissue = layout.tissue(query.tissueSiteDetailId, "tissueSiteDetailId");
  const modality = layout.modality(query.modality ?? "expression");
  if (query.ratIds !== undefined && (!Array.isArray(query.ratIds) || query.ratIds.some((r) => typeof r !== "string"))) {
    throw new ValidationError("ratIds", query.ratIds, "must be a list of rat IDs", 'e.g. ["SYNRAT0001"]');
  }
  const rel = layout.predictions(tissue, modality);
  const source = folder.dataSource();
  if (!(await source.has(rel))) {
    throw new ValidationError(
      "tissueSiteDetailId",
      tissue,
      `has no predicted ${modality} phenotypes (no ${rel} in the release's data folder)`,
      "only tissue × modality pairs with a heritable phenotype have predictions: see heritability()",
    );
  }
  const wanted = (id: string) => (phenotypeId !== undefined ? id === phenotypeId : geneOfPhenotype(id) === geneId);
  let picked: number[] | null = null;
  let names: string[] = [];
  const rats: string[] = [];
  const values: number[][] = [];
  for await (const batch of textLines(await source.whole(rel), folder.limits)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const line = batch.lines[i];
      if (line === "") continue;
      const cells = line.split("\t");
      const at = batch.first + i;
      if (picked === null) {
        if (cells[0] !== "rat_id") {
          throw new ReleaseFormatError(
            { file: rel, line: at, field: "rat_id" },
            "the header does not start with rat_id",
          );
        }
        picked = [];
        cells.forEach((c, j) => {
          if (j > 0 && wanted(c)) picked!.push(j);
        });
        names = picked.map((j) => cells[j]);
        if (picked.length === 0) {
          throw new ValidationError(
            geneId !== undefined ? "geneId" : "phenotypeId",
            geneId ?? phenotypeId,
            `has no predicted phenotype in ${rel} (predictions exist only for phenotypes heritable at p < 0.01)`,
            "see heritability() for the tissue's heritable phenotypes",
          );
        }
        values.push(...picked.map(() => []));
        continue;
      }
      const header = names.length;
      const problem = problemOf("id", cells[0]);
      if (problem !== null) throw new ReleaseFormatError({ file: rel, line: at, field: "rat_id" }, problem);
      rats.push(cells[0]);
      for (let k = 0; k < header; k++) {
        const t = cells[picked[k]];
        if (t === undefined) {
          throw new ReleaseFormatError({ file: rel, line: at }, `has ${cells.length} fields, fewer than the header`);
        }
        const bad = problemOf("float?", t);
        if (bad !== null) throw new ReleaseFormatError({ file: rel, line: at, field: names[k] }, bad);
        values[k].push(t === "" || t === "NA" ? NaN : Number(t));
      }
    }
  }
  if (picked === null) throw new ReleaseFormatError({ file: rel }, "is empty (no header)");
  // The rats asked for, in their order; an unknown one is said, never dropped.
  let rows = rats.map((_, r) => r);
  if (query.ratIds !== undefined) {
    const index = new Map(rats.map((r, i) => [r, i]));
    const missing = query.ratIds.filter((r) => !index.has(r));
    if (missing.length > 0) {
      throw new ValidationError(
        "ratIds",
        `${missing.length} rat(s): ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`,
        `not in ${rel} (the genotyped cohort the predictions cover)`,
        "use rat IDs of the cohort (the file's rat_id column)",
      );
    }
    rows = query.ratIds.map((r) => index.get(r)!);
  }
  const n = rows.length * names.length;
  const col = {
    ratId: new Array<string>(n),
    phenotypeId: new Array<string>(n),
    value: new Float64Array(n),
  };
  let o = 0;
  for (const r of rows) {
    for (let k = 0; k < names.length; k++, o++) {
      col.ratId[o] = rats[r];
      col.phenotypeId[o] = names[k];
      col.value[o] = values[k][r];
    }
  }
  return pl.DataFrame([
    pl.Series("ratId", col.ratId, pl.Utf8),
    pl.Series("tissueSiteDetailId", new Array(n).fill(tissue), pl.Utf8),
    pl.Series("modality", new Array(n).fill(modality), pl.Utf8),
    pl.Series("geneId", col.phenotypeId.map(geneOfPhenotype), pl.Utf8),
    pl.Series("phenotypeId", col.phenotypeId, pl.Utf8),
    pl.Series("predicted", Array.from(col.value, (v) => (Number.isNaN(v) ? null : v)), pl.Float64),
  ]);
}
