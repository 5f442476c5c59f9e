/**
 * The inputs of the regional association figure (`plots.regionalAssociation`) for a GWAS hit, from a release:
 * the GWAS in the window, one panel per chosen gene × tissue with every tested variant of its cis window
 * (pipeline-exact p-values), its threshold and independent eQTLs, LD of every variant with the hit (from the
 * release's genotypes), every gene of the window for the track, and fine-mapping PIP panels.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkOptions } from "../_core/options.ts";
import type { PipPanel, QtlPanel, RegionalAssociationData } from "../plot/regional_layout.ts";
import { readGwas } from "./gwas.ts";
import { ldFromRelease } from "./ld.ts";
import type { FinemapResult } from "./finemap.ts";
import { checkWindow, parseVariant, releaseOf } from "./_release.ts";
import type { ReleaseInput } from "./release_input.ts";

/** Options of {@link regionalData}. */
export interface RegionalDataOptions {
  /** Half-width of the window around the hit (default 1,000,000). */
  window?: number;
  /** The GWAS (a frame with `variantId`, `pValue`, `pos`, e.g. `readGwas(path).frame`), or a file path. */
  gwas?: pl.DataFrame | string;
  /**
   * The gene × tissue panels (every tested variant each). Default: the eGene × tissue pairs whose gene's TSS
   * is in the window, at most `maxPanels`, by their top association's p-value.
   */
  panels?: readonly { geneId: string; tissueSiteDetailId: string }[];
  /** Most panels chosen by default (default 4). */
  maxPanels?: number;
  /** LD over this tissue's rats (default: every rat of the reference VCF). */
  ldTissue?: string;
  /** Fine-mapping results to draw as PIP panels (from `finemapGene`). */
  finemap?: readonly FinemapResult[];
}

/**
 * Everything `plots.regionalAssociation` draws around a GWAS hit, read from a release: pass the result
 * straight to the figure (`plots.regionalAssociation(await regionalData(rel, hit, { gwas }))`), or change it.
 *
 * - `gwas`: the GWAS's variants on the hit's chromosome within the window (`variantId`, `pValue`, `pos`);
 * - `panels`: per gene × tissue, every tested variant of its cis window (`Release.cisStatistics`: `variantId`,
 *   `pValue`, `pos`), its nominal threshold (`top_assoc`) and its independent eQTLs (`eqtls_indep`);
 * - `ld`: dosage r² of every variant of the window with the hit (`ldFromRelease`), `reference`: the hit;
 * - `genes`: every gene overlapping the window (the release's gene table), for the track;
 * - `pip`: one PIP panel per fine-mapping result given;
 * - `region`: the window.
 *
 * @param release An open release, or its source (`"offline"`, a folder, an https URL).
 * @param variantId The hit (`chrN:pos`): the reference variant of the LD colours.
 * @param options `window`, `gwas`, `panels` (or `maxPanels`), `ldTissue`, `finemap`.
 * @returns The figure's data (`RegionalAssociationData`).
 * @throws {ValidationError} For a malformed hit or a hit missing from the VCF, a panel's gene not tested in
 *   its tissue, a bad option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plots, regionalData } from "ratgtex";
 * const gwas = new URL("../../fixtures/gwas/synthetic_trait_A.mlma", import.meta.url).pathname; // SYNTHETIC
 * const data = await regionalData("offline", "chr19:43245682", {
 *   gwas,
 *   panels: [{ geneId: "SynG004", tissueSiteDetailId: "Liver" }],
 * });
 * const fig = plots.regionalAssociation(data);
 * assert.ok(fig.svg.includes(">SynG004 in Liver (expression)<"));
 * ```
 */
export async function regionalData(
  release: ReleaseInput,
  variantId: string,
  options?: RegionalDataOptions,
): Promise<RegionalAssociationData> {
  const opts = checkOptions<RegionalDataOptions>(options, {
    window: "number",
    gwas: { is: (v) => typeof v === "string" || (v !== null && typeof v === "object"), expected: "a frame or a path" },
    panels: { is: (v) => Array.isArray(v), expected: "a list of { geneId, tissueSiteDetailId }" },
    maxPanels: { is: (v) => Number.isInteger(v) && (v as number) >= 0, expected: "a whole number" },
    ldTissue: "string",
    finemap: { is: (v) => Array.isArray(v), expected: "a list of finemapGene results" },
  }, { usage: "regionalData(release, variantId, { window, gwas, panels, maxPanels, ldTissue, finemap })" });
  const lead = parseVariant(variantId, "variantId");
  const window = checkWindow(opts.window, "options.window", 1_000_000);
  const region = { chromosome: lead.chromosome, start: Math.max(1, lead.pos - window), end: lead.pos + window };
  const rel = await releaseOf(release);

  const [genes, top, indep] = await Promise.all([rel.genes(), rel.topAssociations(), rel.independentEqtls()]);
  const inWindow = genes.filter(
    pl.col("chromosome").eq(pl.lit(region.chromosome))
      .and(pl.col("start").ltEq(region.end)).and(pl.col("end").gtEq(region.start)),
  );
  const topRows = top.toRecords() as {
    geneId: string;
    tissueSiteDetailId: string;
    pValue: number;
    pValueThreshold: number;
    eGene: boolean;
  }[];
  const chosen = opts.panels ?? defaultPanels(genes, topRows, lead, window, opts.maxPanels ?? 4);
  const indepRows = indep.toRecords() as { geneId: string; tissueSiteDetailId: string; variantId: string }[];
  const panels: QtlPanel[] = [];
  for (const [i, p] of chosen.entries()) {
    if (p === null || typeof p !== "object" || typeof p.geneId !== "string") {
      throw new ValidationError(
        `options.panels[${i}]`,
        p,
        "not { geneId, tissueSiteDetailId }",
        'e.g. { geneId: "SynG004", tissueSiteDetailId: "Liver" }',
      );
    }
    const stats = await rel.cisStatistics({ geneId: p.geneId, tissueSiteDetailId: p.tissueSiteDetailId });
    const t = topRows.find((r) => r.geneId === p.geneId && r.tissueSiteDetailId === p.tissueSiteDetailId);
    panels.push({
      geneId: p.geneId,
      tissueSiteDetailId: p.tissueSiteDetailId,
      frame: stats.filter(pl.col("reason").isNull()).select("variantId", "pValue", "pos", "chromosome"),
      ...(t !== undefined ? { threshold: t.pValueThreshold } : {}),
      independent: indepRows.filter((r) => r.geneId === p.geneId && r.tissueSiteDetailId === p.tissueSiteDetailId)
        .map((r) => r.variantId),
    });
  }
  const ld = (await ldFromRelease(rel, variantId, {
    window,
    ...(opts.ldTissue !== undefined ? { tissue: opts.ldTissue } : {}),
  })).select("variantId", "r2");
  const data: RegionalAssociationData = {
    panels,
    ld,
    reference: variantId,
    genes: inWindow.select("geneId", "chromosome", "start", "end", "strand"),
    region,
  };
  if (opts.gwas !== undefined) {
    const frame = typeof opts.gwas === "string" ? (await readGwas(opts.gwas)).frame : opts.gwas;
    data.gwas = frame.filter(
      pl.col("chromosome").eq(pl.lit(region.chromosome))
        .and(pl.col("pos").gtEq(region.start)).and(pl.col("pos").ltEq(region.end)),
    ).select("variantId", "pValue", "pos", "chromosome");
  }
  if (opts.finemap !== undefined && opts.finemap.length > 0) {
    data.pip = opts.finemap.map((f): PipPanel => ({
      label: `Fine-mapping: ${f.geneId} in ${f.tissueSiteDetailId} (PIP)`,
      frame: f.variants.select("variantId", "pip", "credibleSet", "pos"),
    }));
  }
  return data;
}

/** The eGene × tissue pairs of the genes whose TSS is in the window, by their top p-value. */
function defaultPanels(
  genes: pl.DataFrame,
  top: { geneId: string; tissueSiteDetailId: string; pValue: number; eGene: boolean }[],
  lead: { chromosome: string; pos: number },
  window: number,
  max: number,
): { geneId: string; tissueSiteDetailId: string }[] {
  const near = new Set(
    (genes.toRecords() as { geneId: string; chromosome: string; tss: number }[])
      .filter((g) => g.chromosome === lead.chromosome && Math.abs(Number(g.tss) - lead.pos) <= window)
      .map((g) => g.geneId),
  );
  return top.filter((t) => t.eGene && near.has(t.geneId)).sort((a, b) => a.pValue - b.pValue).slice(0, max)
    .map((t) => ({ geneId: t.geneId, tissueSiteDetailId: t.tissueSiteDetailId }));
}
