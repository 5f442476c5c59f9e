/**
 * Reading the frames a regional figure draws — association statistics, LD with the reference variant,
 * fine-mapping PIPs — into plain checked rows, each failure a `ValidationError` that names the frame, the
 * column or row, and the fix.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { isDataFrame } from "../_core/data_frame.ts";
import { ValidationError } from "../_core/errors.ts";
import { parseVariantId } from "../_core/ids.ts";

/** One variant's row of an association frame. */
export interface AssociationRow {
  variantId: string;
  chromosome: string | null;
  pos: number;
  pValue: number;
}

/** One variant's row of a fine-mapping frame. */
export interface PipRow {
  variantId: string;
  chromosome: string | null;
  pos: number;
  pip: number;
  /** The credible set, as text (`"1"`, `"L2"`), or null outside every set. */
  credibleSet: string | null;
}

/** What the tools that write these frames call the columns, and the library's names for them. */
const ALIASES: Readonly<Record<string, string>> = {
  variant_id: "variantId",
  variant: "variantId",
  SNP: "variantId",
  snp: "variantId",
  rs: "variantId",
  pval_nominal: "pValue",
  p: "pValue",
  P: "pValue",
  p_wald: "pValue",
  pvalue: "pValue",
  bp: "pos",
  BP: "pos",
  ps: "pos",
  position: "pos",
  SNP_B: "variantId",
  PIP: "pip",
  cs: "credibleSet",
};

/**
 * Check a frame's type and columns; a missing column that the frame has under a tool's name (tensorQTL's
 * `variant_id`, `pval_nominal`) is named with the rename that fixes it.
 */
export function checkColumns(frame: unknown, parameter: string, columns: readonly string[], what: string): void {
  if (!isDataFrame(frame)) {
    throw new ValidationError(parameter, frame, `is not a polars DataFrame (${what})`, `pass a DataFrame of ${what}`);
  }
  const missing = columns.filter((c) => !frame.columns.includes(c));
  if (missing.length === 0) return;
  const renames = frame.columns.filter((c) => missing.includes(ALIASES[c] ?? ""))
    .map((c) => `${c}: ${JSON.stringify(ALIASES[c])}`);
  throw new ValidationError(
    `${parameter}.columns`,
    frame.columns,
    `has no column ${missing.map((c) => JSON.stringify(c)).join(", ")} (columns: ${frame.columns.join(", ")})`,
    renames.length > 0
      ? `rename the columns: frame.rename({ ${renames.join(", ")} })`
      : `pass a frame of ${what} with columns ${columns.join(", ")}`,
  );
}

/** `10`, `chr10` → `chr10` (the release's and the variant IDs' form). */
export function normaliseChromosome(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  if (text === "") return null;
  return /^chr/i.test(text) ? `chr${text.slice(3)}` : `chr${text}`;
}

/** Position and chromosome of a row: the `pos` column (else the variant ID's), the `chromosome` column (else the ID's). */
function locate(
  r: Record<string, unknown>,
  hasPos: boolean,
  hasChromosome: boolean,
  parameter: string,
  i: number,
): { chromosome: string | null; pos: number } {
  const id = String(r.variantId);
  let parsed: { chromosome: string; pos: number } | null = null;
  try {
    parsed = parseVariantId(id);
  } catch {
    parsed = null;
  }
  const pos = hasPos ? Number(r.pos) : parsed?.pos ?? NaN;
  if (!Number.isFinite(pos)) {
    throw new ValidationError(
      `${parameter}[${i}]`,
      { variantId: r.variantId, ...(hasPos ? { pos: r.pos } : {}) },
      hasPos ? "pos is not a number" : "no pos column, and the variant ID is not chrN:pos",
      hasPos ? "fix or drop the row" : "add a pos column (base pairs) or use chrN:pos variant IDs",
    );
  }
  const chromosome = hasChromosome ? normaliseChromosome(r.chromosome) : parsed?.chromosome ?? null;
  return { chromosome, pos };
}

/**
 * The rows of an association frame (`variantId`, `pValue`, optional `pos`, `chromosome`): p in [0, 1], or
 * null/NaN (counted in `missing`, not drawn).
 */
export function associationRows(frame: unknown, parameter: string): { rows: AssociationRow[]; missing: number } {
  checkColumns(frame, parameter, ["variantId", "pValue"], "association statistics (variantId, pValue, pos)");
  const f = frame as pl.DataFrame;
  const hasPos = f.columns.includes("pos");
  const hasChromosome = f.columns.includes("chromosome");
  const rows: AssociationRow[] = [];
  let missing = 0;
  (f.toRecords() as Record<string, unknown>[]).forEach((r, i) => {
    const p = r.pValue === null || r.pValue === undefined ? NaN : Number(r.pValue);
    if (Number.isNaN(p)) {
      missing++;
      return;
    }
    if (!(p >= 0 && p <= 1)) {
      throw new ValidationError(
        `${parameter}[${i}].pValue`,
        p,
        `the p-value of ${r.variantId} is outside [0, 1]`,
        "pass p-values (not −log10 p); fix or drop the row",
      );
    }
    rows.push({ variantId: String(r.variantId), ...locate(r, hasPos, hasChromosome, parameter, i), pValue: p });
  });
  return { rows, missing };
}

/** The rows of a fine-mapping frame (`variantId`, `pip`, `credibleSet`, optional `pos`, `chromosome`). */
export function pipRows(frame: unknown, parameter: string): PipRow[] {
  checkColumns(
    frame,
    parameter,
    ["variantId", "pip", "credibleSet"],
    "fine-mapping results (variantId, pos, pip, credibleSet)",
  );
  const f = frame as pl.DataFrame;
  const hasPos = f.columns.includes("pos");
  const hasChromosome = f.columns.includes("chromosome");
  return (f.toRecords() as Record<string, unknown>[]).map((r, i) => {
    const pip = Number(r.pip);
    if (!(pip >= -1e-9 && pip <= 1 + 1e-9)) {
      throw new ValidationError(
        `${parameter}[${i}].pip`,
        r.pip,
        `the PIP of ${r.variantId} is not a probability in [0, 1]`,
        "pass posterior inclusion probabilities (susie's pip); fix or drop the row",
      );
    }
    const cs = r.credibleSet;
    const credibleSet = cs === null || cs === undefined || (typeof cs === "number" && Number.isNaN(cs)) ||
        cs === ""
      ? null
      : String(cs);
    return {
      variantId: String(r.variantId),
      ...locate(r, hasPos, hasChromosome, parameter, i),
      pip: Math.min(1, Math.max(0, pip)),
      credibleSet,
    };
  });
}

/**
 * r² with the reference variant by variant ID, from a frame (`variantId`, `r2`) or a map; null or NaN r²
 * stays unknown (grey). A value outside [0, 1] (beyond rounding) is refused.
 */
export function ldValues(ld: unknown, parameter: string): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const put = (id: unknown, value: unknown, where: string) => {
    const r2 = value === null || value === undefined ? null : Number(value);
    if (r2 !== null && !Number.isNaN(r2) && !(r2 >= -1e-6 && r2 <= 1 + 1e-6)) {
      throw new ValidationError(
        where,
        value,
        `r² of ${id} is outside [0, 1]`,
        "pass r² (not r or D′) with the reference variant",
      );
    }
    const v = r2 === null || Number.isNaN(r2) ? null : Math.min(1, Math.max(0, r2));
    const key = String(id);
    if (out.has(key) && out.get(key) !== v) {
      throw new ValidationError(
        where,
        value,
        `${key} appears twice with different r² (${out.get(key)} and ${v})`,
        "pass one r² per variant (the LD with one reference variant)",
      );
    }
    out.set(key, v);
  };
  if (ld instanceof Map) {
    for (const [id, v] of ld) put(id, v, `${parameter}.get(${JSON.stringify(id)})`);
    return out;
  }
  checkColumns(ld, parameter, ["variantId", "r2"], "LD with the reference variant (variantId, r2)");
  (ld as pl.DataFrame).toRecords().forEach((r, i) => put(r.variantId, r.r2, `${parameter}[${i}].r2`));
  return out;
}
