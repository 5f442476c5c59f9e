/**
 * Proxies: a GWAS hit's xQTLs — every significant cis-xQTL pair of the release (every tissue and modality it
 * carries) whose variant is in LD with the lead variant, as the Palmer lab's GWAS pipeline reports them
 * (sanchestm/GWAS-pipeline, `xQTL()`: `plink --r2 dprime` within ±3 Mb of the lead, r² ≥ 0.6, joined to
 * RatGTEx `cis_qtl_signif`, `pval_nominal < 1e-4`, the best pair per gene).
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkOptions } from "../_core/options.ts";
import { XQTL_MODALITIES } from "../_core/modalities.ts";
import type { LdPair } from "../analysis/genetics/ld.ts";
import { ldOfLead, leadGenotypes } from "./ld.ts";
import { checkRange, checkWindow, parseVariant, releaseOf } from "./_release.ts";
import type { ReleaseInput } from "./release_input.ts";

/** The Palmer lab pipeline's proxy defaults: ±3 Mb, r² ≥ 0.6, p < 1e-4. */
export const PROXY_DEFAULTS: Readonly<{ window: number; minR2: number; maxP: number }> = Object.freeze({
  window: 3_000_000,
  minR2: 0.6,
  maxP: 1e-4,
});

/** Options of {@link proxies}. */
export interface ProxiesOptions {
  /** Half-width of the window around the lead in base pairs (default 3,000,000). */
  window?: number;
  /** Least dosage r² with the lead (default 0.6). */
  minR2?: number;
  /** Pairs with a nominal p-value below this (default 1e-4). */
  maxP?: number;
  /** Only these tissues (default: every tissue of the release). */
  tissues?: readonly string[];
  /** Only these modalities (default: every one the release carries significant pairs for). */
  modalities?: readonly string[];
  /** LD over this tissue's rats (default: every rat of the reference VCF, `ratgtex_v4_round11_2`). */
  ldTissue?: string;
  /** Only the best pair of each gene × modality × tissue (default false: every pair, `best` marking those). */
  bestOnly?: boolean;
}

/**
 * The xQTLs of a GWAS hit: every significant cis pair (`xqtl/cis_qtl_signif.{T}.{M}`, every tissue and
 * modality the release carries) whose variant lies within `window` of the lead, has p < `maxP` and r² ≥
 * `minR2` with the lead (dosage r² from the release's genotypes, as `ldFromRelease`), with what a study
 * tables for each: the pair's p, slope and SE, the gene's significance threshold, whether the variant is a
 * conditionally independent xQTL of the gene (its rank), log2 aFC, and the best pair per gene × modality ×
 * tissue (the smallest p; the higher r² on a tie).
 *
 * Columns (by gene, modality, tissue in the portal's order, then p): `geneId`, `tissueSiteDetailId`,
 * `modality`, `phenotypeId`, `variantId` (str); `pos`, `distance` (i64, bp from the lead); `r2`, `dprime`
 * (f64, with the lead); `pValue`, `slope`, `slopeSe` (f64, the published pair); `pValueThreshold` (f64, the
 * gene's nominal threshold in the tissue, `top_assoc`; null outside expression, whose per-modality tables
 * the release layout does not read yet); `rank` (i32, the `eqtls_indep`/`xqtls_indep` rank when the
 * variant is an independent xQTL of the phenotype, else null); `log2aFC` (f64, expression: the
 * independent eQTL's, else the top association's when the variant is the gene's top, else null); `best`
 * (bool). Pairs whose variant is not in the LD genotypes cannot be placed and are left out with a warning.
 *
 * @param release An open release, or its source (`"offline"`, a folder, an https URL).
 * @param variantId The lead variant (`chrN:pos`, GRCr8).
 * @param options `window`, `minR2`, `maxP` (defaults {@link PROXY_DEFAULTS}), `tissues`, `modalities`,
 *   `ldTissue`, `bestOnly`.
 * @returns The frame described above.
 * @throws {ValidationError} For a malformed or absent lead, an unknown tissue or modality, a bad option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { proxies } from "ratgtex";
 * const hits = await proxies("offline", "chr10:100826333");
 * const rows = hits.toRecords() as { geneId: string; r2: number; pValue: number; best: boolean }[];
 * assert.ok(rows.some((r) => r.geneId === "Cd300lf" && r.best)); // the lead is Cd300lf's eQTL
 * assert.ok(rows.every((r) => r.r2 >= 0.6 && r.pValue < 1e-4)); // the Palmer lab pipeline's filters
 * ```
 */
export async function proxies(
  release: ReleaseInput,
  variantId: string,
  options?: ProxiesOptions,
): Promise<pl.DataFrame> {
  const usage = "proxies(release, variantId, { window, minR2, maxP, tissues, modalities, ldTissue, bestOnly })";
  const list = { is: (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string"), expected: "a list" };
  const opts = checkOptions<ProxiesOptions>(options, {
    window: "number",
    minR2: "number",
    maxP: "number",
    tissues: list,
    modalities: list,
    ldTissue: "string",
    bestOnly: "boolean",
  }, { usage });
  const lead = parseVariant(variantId, "variantId");
  const window = checkWindow(opts.window, "options.window", PROXY_DEFAULTS.window);
  const minR2 = checkRange(opts.minR2 ?? PROXY_DEFAULTS.minR2, "options.minR2", 0, 1, "0.6");
  const maxP = checkRange(opts.maxP ?? PROXY_DEFAULTS.maxP, "options.maxP", 0, 1, "1e-4");
  const rel = await releaseOf(release);
  const layout = await rel.layout();
  const tissues = (opts.tissues ?? layout.tissues).map((t) => layout.tissue(t, "options.tissues"));
  const modalities = (opts.modalities ?? Object.keys(XQTL_MODALITIES)).map((m) =>
    layout.modality(m, "options.modalities")
  );

  // LD of the lead with every variant of the window.
  const geno = await leadGenotypes(rel, variantId, lead, { window, tissue: opts.ldTissue });
  const ldPairs = ldOfLead(geno.lead, geno.variants, false);
  const ld = new Map<string, LdPair>(geno.variants.map((v, i) => [v.variantId, ldPairs[i]]));

  // Every significant pair in the window, p < maxP, with its LD.
  const rows: ProxyRow[] = [];
  let unplaced = 0;
  for (const modality of modalities) {
    for (const tissue of tissues) {
      const pairs = await rel.significantXqtlPairs(tissue, modality);
      if (pairs === null) continue;
      const near = pairs.filter(
        pl.col("chromosome").eq(pl.lit(lead.chromosome))
          .and(pl.col("pos").gtEq(lead.pos - window)).and(pl.col("pos").ltEq(lead.pos + window))
          .and(pl.col("pValue").lt(maxP)),
      ).toRecords() as unknown as PairRow[];
      for (const p of near) {
        const r = ld.get(p.variantId);
        if (r === undefined) {
          unplaced++;
          continue;
        }
        if (r.r2 === null || r.r2 < minR2) continue;
        rows.push({ ...p, pos: Number(p.pos), distance: Number(p.pos) - lead.pos, r2: r.r2, dprime: r.dprime });
      }
    }
  }
  if (unplaced > 0) {
    console.warn(
      `ratgtex: proxies: ${unplaced} significant pair(s) near ${variantId} have a variant missing from the LD ` +
        `genotypes (${geno.file}): left out`,
    );
  }
  await annotate(rel, rows);
  return proxyFrame(rows, layout.tissues, opts.bestOnly === true);
}

/** A row of `significantXqtlPairs`. */
interface PairRow {
  geneId: string;
  tissueSiteDetailId: string;
  modality: string;
  phenotypeId: string;
  variantId: string;
  pos: number;
  pValue: number;
  slope: number;
  slopeSe: number;
}

interface ProxyRow extends PairRow {
  distance: number;
  r2: number;
  dprime: number | null;
  pValueThreshold?: number | null;
  rank?: number | null;
  log2aFC?: number | null;
}

/** Thresholds, ranks and aFC from the release's tables. */
async function annotate(
  rel: Awaited<ReturnType<typeof releaseOf>>,
  rows: ProxyRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const key = (...parts: string[]) => parts.join("\t");
  const top = new Map<string, { threshold: number; variantId: string; log2aFC: number | null }>();
  const eqtls = new Map<string, { rank: number; log2aFC: number | null }>();
  const xqtls = new Map<string, number>();
  if (rows.some((r) => r.modality === "expression")) {
    for (const t of (await rel.topAssociations()).toRecords() as Record<string, unknown>[]) {
      top.set(key(t.geneId as string, t.tissueSiteDetailId as string), {
        threshold: t.pValueThreshold as number,
        variantId: t.variantId as string,
        log2aFC: t.log2aFC as number | null,
      });
    }
    for (const e of (await rel.independentEqtls()).toRecords() as Record<string, unknown>[]) {
      eqtls.set(key(e.geneId as string, e.tissueSiteDetailId as string, e.variantId as string), {
        rank: e.rank as number,
        log2aFC: e.log2aFC as number | null,
      });
    }
  }
  if (rows.some((r) => r.modality !== "expression")) {
    for (const x of (await rel.independentXqtls()).toRecords() as Record<string, unknown>[]) {
      xqtls.set(
        key(x.tissueSiteDetailId as string, x.modality as string, x.phenotypeId as string, x.variantId as string),
        x.rank as number,
      );
    }
  }
  for (const r of rows) {
    if (r.modality === "expression") {
      const t = top.get(key(r.geneId, r.tissueSiteDetailId));
      const e = eqtls.get(key(r.geneId, r.tissueSiteDetailId, r.variantId));
      r.pValueThreshold = t?.threshold ?? null;
      r.rank = e?.rank ?? null;
      r.log2aFC = e !== undefined ? e.log2aFC : t?.variantId === r.variantId ? t.log2aFC : null;
    } else {
      r.pValueThreshold = null;
      r.rank = xqtls.get(key(r.tissueSiteDetailId, r.modality, r.phenotypeId, r.variantId)) ?? null;
      r.log2aFC = null;
    }
  }
}

/** The frame, ordered, with `best` marked (or only the best rows). */
function proxyFrame(rows: ProxyRow[], tissueOrder: readonly string[], bestOnly: boolean): pl.DataFrame {
  const tissueRank = new Map(tissueOrder.map((t, i) => [t, i]));
  const modalityRank = new Map(Object.keys(XQTL_MODALITIES).map((m, i) => [m, i]));
  rows.sort((a, b) =>
    a.geneId.localeCompare(b.geneId) ||
    modalityRank.get(a.modality)! - modalityRank.get(b.modality)! ||
    tissueRank.get(a.tissueSiteDetailId)! - tissueRank.get(b.tissueSiteDetailId)! ||
    a.pValue - b.pValue || b.r2 - a.r2 || a.pos - b.pos
  );
  // After the sort, the first row of each gene × modality × tissue is its best.
  const best = rows.map((r, i) => {
    const prev = rows[i - 1];
    return i === 0 || prev.geneId !== r.geneId || prev.modality !== r.modality ||
      prev.tissueSiteDetailId !== r.tissueSiteDetailId;
  });
  const kept = bestOnly ? rows.filter((_, i) => best[i]) : rows;
  const flags = bestOnly ? kept.map(() => true) : best;
  const str = (name: keyof ProxyRow) => pl.Series(name, kept.map((r) => r[name] as string), pl.Utf8);
  const f64 = (name: keyof ProxyRow) =>
    pl.Series(name, kept.map((r) => (r[name] ?? null) as number | null), pl.Float64);
  return pl.DataFrame([
    str("geneId"),
    str("tissueSiteDetailId"),
    str("modality"),
    str("phenotypeId"),
    str("variantId"),
    pl.Series("pos", kept.map((r) => r.pos), pl.Int64),
    pl.Series("distance", kept.map((r) => r.distance), pl.Int64),
    f64("r2"),
    f64("dprime"),
    f64("pValue"),
    f64("slope"),
    f64("slopeSe"),
    f64("pValueThreshold"),
    // Through Float64: nodejs-polars 0.25 turns a null in a JS array into 0 when it builds an Int32 series.
    pl.Series("rank", kept.map((r) => r.rank ?? null), pl.Float64).cast(pl.Int32),
    f64("log2aFC"),
    pl.Series("best", flags, pl.Bool),
  ]);
}
