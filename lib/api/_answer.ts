/**
 * The check of a whole 200 answer against its route's schema, row by row, before it is returned or
 * cached: the top-level lists, every row an object, every field of the route's frame of its declared type
 * (integers integral and in range, never silently nulled), the nested parts (`statusInTissue`, a sample's
 * `data`, `dyneqtl`'s equal-length lists) and the server's Newick trees ("Not enough data" is a tree's absence). The frame builders apply the same
 * column types ({@link FRAME_COLUMNS}), so an answer that passes here builds.
 *
 * @module
 */
import type { Route } from "./_params.ts";
import { type ColumnType, valueProblem } from "./_frame.ts";
import { FRAME_COLUMNS } from "./columns.ts";
import { parseNewick } from "../analysis/clustering/newick.ts";
import { ResponseFormatError } from "../_core/errors.ts";

type Row = Record<string, unknown>;
type Spec = readonly (readonly [string, ColumnType, ((row: Row) => unknown)?])[];

/** The columns read from each row of a route's list, by route (computed columns are left out). */
const ROW_FIELDS: Partial<Record<Route, Spec>> = {
  tissueInfo: FRAME_COLUMNS.tissueInfo,
  gene: FRAME_COLUMNS.gene,
  exon: FRAME_COLUMNS.exon,
  variant: FRAME_COLUMNS.variant,
  geneExpression: [["geneId", "str"], ["tissueSiteDetailId", "str"]],
  medianGeneExpression: FRAME_COLUMNS.medianGeneExpression,
  topExpressedGene: FRAME_COLUMNS.topExpressedGene.filter(([name]) => name !== "rank"),
  singleTissueEqtl: FRAME_COLUMNS.singleTissueEqtl,
  eqtl: FRAME_COLUMNS.eqtl,
  xqtl: FRAME_COLUMNS.xqtl,
};

const STATUS_FIELDS: Spec = [
  ["tissueSiteDetailId", "str"],
  ["expressed", "bool"],
  ["testedEqtl", "bool"],
  ["eqtl", "bool"],
];

const DYNEQTL_FIELDS: Spec = [
  ["geneId", "str"],
  ["tissueSiteDetailId", "str"],
  ["variantId", "str"],
  ["ref", "str"],
  ["alt", "str"],
  ["homoRefCount", "i64"],
  ["hetCount", "i64"],
  ["homoAltCount", "i64"],
  ["maf", "f64"],
  ["pValue", "f64"],
  ["pValueThreshold", "f64"],
];

/**
 * What is wrong with a parsed 200 answer of `route`, or null when every part is what the route promises.
 * The problem names the list, the row (from 0) and the field.
 */
/** The pseudo route name of RatGTEx's gene list (`/data/v4/autocomplete.v4.json`), fetched to check gene IDs. */
export const GENE_LIST = "geneList";

/** What the client fetches: a route, or RatGTEx's list of every gene ID. */
export type Fetched = Route | typeof GENE_LIST;

export function answerProblem(route: Fetched, body: unknown): string | null {
  if (route === GENE_LIST) {
    return Array.isArray(body) && body.every((g) => typeof g === "string")
      ? null
      : "the gene list is not a list of IDs";
  }
  if (!isObject(body)) return "the answer is not a JSON object";
  if (route === "dyneqtl") return dyneqtlProblem(body);
  const rows = body[route];
  if (!Array.isArray(rows)) return `the answer has no "${route}" list`;
  const spec = ROW_FIELDS[route] ?? [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const where = `row ${i} of "${route}"`;
    if (!isObject(row)) return `${where} is ${shown(row)}, not an object`;
    const problem = rowProblem(row, spec);
    if (problem) return `${where}: ${problem}`;
    if (route === "gene") {
      const status = row.statusInTissue;
      if (!Array.isArray(status)) return `${where}: field "statusInTissue" is ${shown(status)}, not a list`;
      for (let j = 0; j < status.length; j++) {
        const s = status[j];
        const p = isObject(s) ? rowProblem(s, STATUS_FIELDS) : `is ${shown(s)}, not an object`;
        if (p) return `${where}: statusInTissue[${j}] ${p}`;
      }
    } else if (route === "geneExpression") {
      const p = numberListProblem(row.data, "f64");
      if (p) return `${where}: field "data" ${p}`;
    } else if (route === "medianGeneExpression") {
      const tissue = row.tissueSiteDetailId as string;
      // A tissue becomes a column of the wide frame, beside `geneId`: that name, or a bare number, is no tissue.
      if (tissue === "geneId" || /^\s*[-+]?[0-9.]+(e[-+]?[0-9]+)?\s*$/i.test(tissue)) {
        return `${where}: field "tissueSiteDetailId" is ${shown(tissue)}, not a tissue ID`;
      }
    }
  }
  if (route === "medianGeneExpression") return clustersProblem(body.clusters);
  return null;
}

/** Throw the ResponseFormatError of {@link answerProblem}, if any (for answers read from a file). */
export function checkAnswer(route: Route, body: unknown): void {
  const problem = answerProblem(route, body);
  if (problem) throw new ResponseFormatError(problem, JSON.stringify(body)?.slice(0, 300) ?? "", { route });
}

function dyneqtlProblem(body: Row): string | null {
  const { data, genotypes } = body;
  if (!Array.isArray(data) || !Array.isArray(genotypes)) return 'the answer has no "data" and "genotypes" lists';
  if (data.length !== genotypes.length) {
    return `"data" has ${data.length} samples but "genotypes" ${genotypes.length}: they must be of equal length`;
  }
  const p = numberListProblem(data, "f64") ?? null;
  if (p) return `field "data" ${p}`;
  const g = numberListProblem(genotypes, "i32");
  if (g) return `field "genotypes" ${g}`;
  const f = rowProblem(body, DYNEQTL_FIELDS);
  return f ? `the answer: ${f}` : null;
}

function clustersProblem(clusters: unknown): string | null {
  if (!isObject(clusters)) return 'the answer has no "clusters"';
  for (const which of ["gene", "tissue"] as const) {
    const tree = clusters[which];
    if (typeof tree !== "string") return `clusters.${which} is ${shown(tree)}, not a Newick string`;
    try {
      parseNewick(tree);
    } catch (e) {
      return `clusters.${which} is not valid Newick (${e instanceof Error ? e.message : String(e)})`;
    }
  }
  return null;
}

/** The first field of `row` that is missing or not of its column's type. */
function rowProblem(row: Row, spec: Spec): string | null {
  for (const [name, type, get] of spec) {
    if (get) continue; // computed from other fields, which are checked themselves
    if (!(name in row)) return `field "${name}" is missing`;
    const p = valueProblem(row[name], type);
    if (p) return `field "${name}" ${p}`;
  }
  return null;
}

function numberListProblem(list: unknown, type: ColumnType): string | null {
  if (!Array.isArray(list)) return `is ${shown(list)}, not a list`;
  for (let i = 0; i < list.length; i++) {
    const p = valueProblem(list[i], type);
    if (p) return `[${i}] ${p}`;
  }
  return null;
}

function isObject(v: unknown): v is Row {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function shown(v: unknown): string {
  if (v === undefined) return "missing";
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
