/**
 * The 11 routes of `api/app.py`, answered from a release folder: the same lookups, in the same order,
 * with the same failures (Werkzeug's 500 page wherever the Flask app raises), and the values typed as
 * pandas types them (so that ints, floats, bools and `NaN` come out as Python writes them).
 *
 * @module
 */
import { serverTree } from "../analysis/clustering/newick.ts";
import { parseApiJson } from "../_core/json_read.ts";
import { f, PyFloat, pyJson } from "../_core/json_write.ts";
import { RatGtexError } from "../_core/errors.ts";
import type { Route } from "../_core/routes.ts";
import { MAX_MEDIAN_GENES, MAX_MEDIAN_TISSUES, OverWorkCap, type WorkQueue } from "./_limits.ts";
import type { ReleaseFolder } from "../release/folder.ts";
import type { PyValue, Table } from "../release/table.ts";
import { genotypeOf } from "../release/vcf.ts";

/** What the real server raises on: Flask turns it into its HTML 500 page. */
export class ServerCrash extends RatGtexError {}

function crash(why: string): never {
  throw new ServerCrash(why);
}

/** A route's answer before it becomes a Response: JSON with a status. */
export interface JsonAnswer {
  /** HTTP status. */
  status: number;
  /** The body, as Flask's jsonify writes it. */
  body: string;
}

const ok = (value: unknown): JsonAnswer => ({ status: 200, body: pyJson(value) });

/** `request.args.get(name).split(",")`, which raises on a missing parameter. */
function list(q: URLSearchParams, name: string): string[] {
  const v = q.get(name);
  if (v === null) crash(`'NoneType' object has no attribute 'split' (${name})`);
  return v.split(",");
}

/** Python's `int(text)` for the position part of a variant ID; null where Python raises ValueError. */
function pyInt(text: string): number | null {
  const m = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(text);
  return m ? Number(m[1].replaceAll("_", "")) : null;
}

/** The rows of a table whose column equals a (non-NA) string, as `df.loc[df[col] == value]`. */
function rowsWhere(t: Table, column: string, value: string | null): number[] {
  return value === null ? [] : t.rowsByValue(column).get(value) ?? [];
}

/** A numpy scalar as jsonify writes it: a float64 is a Python float; an int64 is not serialisable. */
function numpyScalar(v: PyValue, what: string): PyValue {
  if (typeof v === "number") crash(`Object of type int64 is not JSON serializable (${what})`);
  return v;
}

/** A numeric cell's value (NaN for NA and non-numbers). */
function numberOf(v: PyValue): number {
  return v instanceof PyFloat ? v.value : typeof v === "number" ? v : NaN;
}

/** `variant_record`: the single VCF record at `chr:pos`, or null (the server's "not found"). */
async function variantRecord(folder: ReleaseFolder, dataset: string, variantId: string | null) {
  if (variantId === null) crash("'NoneType' object has no attribute 'split'");
  const parts = variantId.split(":");
  if (parts.length !== 2) return null;
  const pos = pyInt(parts[1]);
  if (pos === null || pos - 1 < 0) return null;
  const vcf = await folder.vcf(dataset);
  if (!(await vcf.contigs()).includes(parts[0])) return null; // pysam: ValueError (invalid contig)
  const recs = await vcf.fetch(parts[0], pos - 1, pos);
  return recs.length === 1 ? recs[0] : null;
}

/** The server's tissue list and dataset map. */
async function tissueList(folder: ReleaseFolder) {
  const tissues = await folder.tissues();
  return { ids: tissues.map((t) => t.id), dataset: new Map(tissues.map((t) => [t.id, t.dataset])) };
}

/**
 * `tpm[tissue].loc[gene, :]` as the JSON text of a Python list of floats (an all-int64 frame cannot be
 * serialised). Written straight from the file's tokens: the twin's hottest path on a real release.
 */
async function expressionRow(folder: ReleaseFolder, tissue: string, gene: string | null): Promise<string> {
  const m = await folder.expression(tissue);
  const row = gene === null ? undefined : m.rowRepr(gene);
  if (row === undefined) crash(`KeyError: ${gene}`);
  if (m.allInt) crash("Object of type int64 is not JSON serializable");
  return `[${row.join(",")}]`;
}

/** A marker replaced by pre-written JSON after `pyJson` (keys stay sorted; the marker cannot occur in data). */
const RAW = `@@raw-${crypto.randomUUID()}@@`;

/** `pyJson(value)` with each `RAW + i` string replaced by `raw[i]` (already JSON). */
function withRaw(value: unknown, raw: string[]): string {
  let text = pyJson(value);
  raw.forEach((r, i) => {
    text = text.replace(`"${RAW}${i}"`, () => r);
  });
  return text;
}

/** `medianGeneExpression` requests clustering more genes and tissues than this together queue for their turn. */
const QUEUED_ABOVE = 64;

/** The reference dataset the `variant` route reads (hard-coded in app.py). */
const REF_DATASET = "ratgtex_v4_round11_2";

/** What a route handler gets besides the folder and the query: the twin's queue for expensive work. */
export interface RouteContext {
  /** Expensive computations, one at a time (see {@link WorkQueue}). */
  work: WorkQueue;
}

type Handler = (folder: ReleaseFolder, q: URLSearchParams, context: RouteContext) => Promise<JsonAnswer>;

/** The route handlers, mirroring api/app.py one by one. */
export const ROUTE_HANDLERS: Record<Route, Handler> = {
  async tissueInfo(folder) {
    const t = await folder.tissueInfo();
    return ok({ tissueInfo: t.rows.map((_, i) => t.record(i)) });
  },

  async gene(folder, q) {
    const genes = await folder.genes();
    const { ids: tissues } = await tissueList(folder);
    const gi = genes.col("geneId");
    const index = new Map<string, number>();
    genes.rows.forEach((r, i) => index.has(r[gi]) || index.set(r[gi], i));
    const valid: number[] = [];
    for (const id of list(q, "geneId")) {
      if (index.has(id)) valid.push(index.get(id)!);
      else {
        if (id.length === 0) crash("string index out of range");
        const id2 = id[0].toUpperCase() + id.slice(1).toLowerCase();
        if (index.has(id2)) valid.push(index.get(id2)!);
      }
    }
    return ok({
      gene: valid.map((i) => {
        // A null-prototype record: a column named `__proto__` is a key like any other.
        const rec: Record<string, unknown> = Object.create(null);
        for (const [k, v] of Object.entries(genes.record(i))) {
          rec[k] = v instanceof PyFloat && Number.isNaN(v.value) ? "" : v; // genes.fillna("")
        }
        rec.statusInTissue = tissues.map((t) => {
          const item = {
            tissueSiteDetailId: t,
            expressed: rec[`expr_${t}`],
            testedEqtl: rec[`testedEqtl_${t}`],
            eqtl: rec[`eqtl_${t}`],
          };
          if (item.expressed === undefined || item.testedEqtl === undefined || item.eqtl === undefined) {
            crash(`KeyError: expr_${t}`);
          }
          delete rec[`expr_${t}`], delete rec[`testedEqtl_${t}`], delete rec[`eqtl_${t}`];
          return item;
        });
        return rec;
      }),
    });
  },

  async exon(folder, q) {
    const t = await folder.exons();
    return ok({ exon: rowsWhere(t, "geneId", q.get("geneId")).map((i) => t.record(i)) });
  },

  async variant(folder, q) {
    const ids = list(q, "variantId");
    const { dataset } = await tissueList(folder);
    if (![...dataset.values()].includes(REF_DATASET)) crash(`KeyError: ${REF_DATASET}`);
    const out = [];
    for (const id of ids) {
      const rec = await variantRecord(folder, REF_DATASET, id);
      if (rec === null) continue;
      if (rec.alts === null || rec.alts.length !== 1) crash(`Multiple alt alleles: ${id}`);
      out.push({ alt: rec.alts[0], chromosome: rec.contig, pos: rec.pos, ref: rec.ref, variantId: id });
    }
    return ok({ variant: out });
  },

  async geneExpression(folder, q) {
    const gene = q.get("geneId");
    const { ids } = await tissueList(folder);
    const infos = [];
    const raw: string[] = [];
    for (const tissue of ids) {
      raw.push(await expressionRow(folder, tissue, gene));
      infos.push({
        data: `${RAW}${raw.length - 1}`,
        datasetId: "ratgtex_v4",
        geneId: gene,
        geneSymbol: gene,
        tissueSiteDetailId: tissue,
        unit: "TPM",
      });
    }
    return { status: 200, body: withRaw({ geneExpression: infos }, raw) };
  },

  async medianGeneExpression(folder, q, context) {
    const med = await folder.medians();
    const gi = med.col("geneId");
    const index = new Map<string, number>();
    med.rows.forEach((r, i) => index.has(r[gi]) || index.set(r[gi], i));
    const ids = list(q, "geneId").filter((id) => index.has(id));
    const param = q.get("tissueSiteDetailId");
    const tissues = param === null ? med.columns.filter((_, j) => j !== gi) : param.split(",");
    // The work per request is bounded before any is done (the twin's own limit, not the real server's).
    if (ids.length > MAX_MEDIAN_GENES || (param !== null && tissues.length > MAX_MEDIAN_TISSUES)) {
      throw new OverWorkCap(
        414,
        `medianGeneExpression: ${ids.length} gene IDs and ${tissues.length} tissue IDs; the twin clusters at most ` +
          `${MAX_MEDIAN_GENES} gene IDs and ${MAX_MEDIAN_TISSUES} tissue IDs per request (repeats counted): ` +
          "ask for fewer",
      );
    }
    const compute = (): JsonAnswer => {
      const cols = tissues.map((t) => {
        const j = med.columns.indexOf(t);
        if (j < 0 || j === gi) crash(`KeyError: ${t}`);
        return j;
      });
      const allInt = cols.every((j) => med.dtypes[j] === "int");
      const rows = ids.map((id) => cols.map((j) => numberOf(med.value(index.get(id)!, j))));
      if (rows.length === 0) crash("The number of observations cannot be determined on an empty distance matrix.");
      const finite = rows.every((r) => r.every(Number.isFinite));
      const geneTree = rows.length === 1 ? "Not enough data" : finite ? serverTree(rows, ids) : crash("non-finite");
      const tissueTree = cols.length === 1
        ? "Not enough data"
        : finite
        ? serverTree(cols.map((_, j) => rows.map((r) => r[j])), tissues)
        : crash("non-finite");
      const long = [];
      for (let j = 0; j < cols.length; j++) {
        for (let i = 0; i < ids.length; i++) {
          long.push({ geneId: ids[i], median: allInt ? rows[i][j] : f(rows[i][j]), tissueSiteDetailId: tissues[j] });
        }
      }
      return ok({ clusters: { gene: geneTree, tissue: tissueTree }, medianGeneExpression: long });
    };
    // A large request waits for its turn, so that cheap requests are answered between two large ones.
    return ids.length + tissues.length > QUEUED_ABOVE ? await context.work.run(compute) : compute();
  },

  async topExpressedGene(folder, q) {
    const t = await folder.topExpressed();
    const filterMt = pyTruthyJson(q.get("filterMtGene"));
    let rows = rowsWhere(t, "tissueSiteDetailId", q.get("tissueSiteDetailId"));
    const mt = t.col("mtGene");
    if (filterMt) {
      if (t.dtypes[mt] !== "bool") crash("bad operand type for unary ~");
      rows = rows.filter((i) => t.value(i, mt) !== true);
    }
    const keep = t.columns.filter((c) => c !== "mtGene");
    if (mt < 0) crash("KeyError: mtGene");
    return ok({ topExpressedGene: rows.slice(0, 50).map((i) => t.record(i, {}, keep)) });
  },

  async singleTissueEqtl(folder, q) {
    const gene = q.get("geneId");
    const t = await folder.esnpsOf(String(gene));
    if (t === null) return ok({ singleTissueEqtl: [] });
    const pj = t.col("pValue");
    return ok({
      singleTissueEqtl: t.rows.map((_, i) => {
        const rec: Record<string, unknown> = { ...t.record(i), geneId: gene };
        if (pj >= 0) {
          const x = numberOf(t.value(i, pj));
          // float(f"{x:.3e}") when not null.
          rec.pValue = Number.isNaN(x) ? f(NaN) : f(Number(x.toExponential(3)));
        }
        return rec;
      }),
    });
  },

  async eqtl(folder, q) {
    const t = await folder.eqtls();
    const rename = {
      tissue: "tissueSiteDetailId",
      gene_id: "geneId",
      variant_id: "variantId",
      pval_beta: "pValueBeta",
      log2_aFC: "log2aFC",
    };
    const cols = ["tissue", "gene_id", "variant_id", "ref", "alt", "pval_beta", "log2_aFC"];
    return ok({ eqtl: rowsWhere(t, "gene_id", q.get("geneId")).map((i) => t.record(i, rename, cols)) });
  },

  async xqtl(folder, q) {
    const t = await folder.xqtls();
    const rename = {
      tissue: "tissueSiteDetailId",
      phenotype_id: "phenotypeId",
      gene_id: "geneId",
      variant_id: "variantId",
      pval_beta: "pValueBeta",
    };
    const cols = ["tissue", "modality", "phenotype_id", "gene_id", "variant_id", "ref", "alt", "pval_beta"];
    return ok({ xqtl: rowsWhere(t, "gene_id", q.get("geneId")).map((i) => t.record(i, rename, cols)) });
  },

  async dyneqtl(folder, q) {
    const variant = q.get("variantId");
    const gene = q.get("geneId");
    const tissue = q.get("tissueSiteDetailId");
    const { ids, dataset } = await tissueList(folder);
    if (tissue === null || !ids.includes(tissue)) crash(`KeyError: ${tissue}`);
    const matrix = await folder.expression(tissue);
    const data = await expressionRow(folder, tissue, gene);
    const rec = await variantRecord(folder, dataset.get(tissue)!, variant);
    if (rec === null) return { status: 404, body: pyJson({ error: `Variant not found: ${variant}` }) };
    if (rec.alts === null || rec.alts.length !== 1) crash(`Multiple alt alleles: ${variant}`);
    const columns = await (await folder.vcf(dataset.get(tissue)!)).columns();
    const geno = matrix.samples.map((ind) => {
      const c = columns.get(ind);
      if (c === undefined) crash(`KeyError: ${ind}`);
      const gt = genotypeOf(rec, c);
      if (gt.length === 2 && gt[0] === null && gt[1] === null) return null;
      if (gt.length < 2) crash("tuple index out of range");
      if (gt[0] === null || gt[1] === null) crash("unsupported operand type(s) for +: 'int' and 'NoneType'");
      return gt[0] + gt[1];
    });
    const counts = [0, 1, 2].map((d) => geno.filter((g) => g === d).length);
    const pval = await cisPval(folder, tissue, gene!, variant!);
    const thresh = await threshold(folder, tissue, gene!);
    const called = counts[0] + counts[1] + counts[2];
    if (called === 0) crash("ZeroDivisionError: division by zero");
    return {
      status: 200,
      body: withRaw({
        data: `${RAW}0`,
        geneId: gene,
        genotypes: geno,
        hetCount: counts[1],
        homoAltCount: counts[2],
        homoRefCount: counts[0],
        maf: f((counts[1] + 2 * counts[2]) / (2 * called)),
        ref: rec.ref,
        alt: rec.alts[0],
        pValue: pval,
        pValueThreshold: thresh,
        tissueSiteDetailId: tissue,
        variantId: variant,
      }, [data]),
    };
  },
};

/** `cis_pval`: the gene's nominal p for the variant, null when the gene or the variant is absent. */
async function cisPval(folder: ReleaseFolder, tissue: string, gene: string, variant: string): Promise<PyValue | null> {
  const t = await folder.cisPvalsOf(tissue, gene);
  if (t === null) return null;
  const rows = rowsWhere(t, "variant_id", variant);
  if (rows.length === 0) return null;
  if (rows.length > 1) crash("Object of type Series is not JSON serializable");
  return numpyScalar(t.value(rows[0], t.col("pval_nominal")), "pval_nominal");
}

/** `top_assoc.loc[(tissue, gene), "pval_nominal_threshold"]`. */
async function threshold(folder: ReleaseFolder, tissue: string, gene: string): Promise<PyValue> {
  const t = await folder.topAssoc();
  const ti = t.col("tissue"), th = t.col("pval_nominal_threshold");
  const rows = rowsWhere(t, "gene_id", gene).filter((i) => t.rows[i][ti] === tissue);
  if (rows.length === 0) crash(`KeyError: (${tissue}, ${gene})`);
  if (rows.length > 1) crash("Object of type Series is not JSON serializable");
  return numpyScalar(t.value(rows[0], th), "pval_nominal_threshold");
}

/**
 * `request.args.get("filterMtGene", type=json.loads, default=False)` then Python truthiness: only JSON
 * works (`true`, `1`); `True` fails to parse and silently means false. Python's json also reads `NaN`
 * and `±Infinity`, and a float is true unless it is zero: `NaN` is true.
 */
function pyTruthyJson(text: string | null): boolean {
  if (text === null) return false;
  let value: unknown;
  try {
    value = parseApiJson(text);
  } catch {
    return false;
  }
  if (typeof value === "number") return value !== 0; // NaN !== 0: true, as in Python
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
}
