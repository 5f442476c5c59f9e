/**
 * The RatGTEx gene page's expression figure: log10(TPM + 1) per tissue, one violin (and box) per tissue
 * in the tissue's official colour, one row per gene.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { boxMarks, type DistributionGroup, violinMarks } from "./distribution.ts";
import { ValidationError } from "../_core/errors.ts";
import { checkChoice, checkFrame, figureOptions, STRING_LIST } from "./_check.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { textWidth } from "./_text.ts";
import { tissueColor, type TissueColors, tissueOrder } from "../_core/tissues.ts";

/** Options of {@link expressionByTissue}; any Plot option overrides the defaults. */
export interface ExpressionByTissueOptions extends FigureOverrides {
  /** Value axis: `"log10"` (default, log10(TPM + 1), as the portal) or `"none"` (TPM). */
  scale?: "log10" | "none";
  /** Distribution mark: `"violin"`, `"box"` or `"both"` (default: violin with a narrow box inside). */
  kind?: "violin" | "box" | "both";
  /** Tissues to show, in this order (default: those in the frame, in the server's order). */
  tissues?: readonly string[];
  /** Genes to show, one row each, in this order (default: those in the frame, in frame order). */
  genes?: readonly string[];
  /** Colour overrides for tissues (default: the official colours). */
  tissueColors?: TissueColors;
  /**
   * Height in pixels of each gene's panel (default 300 for one gene, 160 per gene for several): the figure
   * grows with the number of genes, so every panel keeps a readable value axis.
   */
  facetHeight?: number;
}

const REQUIRED = ["geneId", "tissueSiteDetailId", "tpm"];

/** The error for a selection that leaves nothing to draw: it blames the option that emptied it, else the frame. */
function nothingToDraw(
  expr: pl.DataFrame,
  genes: readonly string[] | undefined,
  tissues: readonly string[] | undefined,
  problem: string,
): ValidationError {
  const fix = "choose genes and tissues that geneExpression() returned TPM values for";
  if (tissues !== undefined) {
    return new ValidationError("options.tissues", tissues, `expr has no rows to draw: ${problem}`, fix);
  }
  if (genes !== undefined) {
    return new ValidationError("options.genes", genes, `expr has no rows to draw: ${problem}`, fix);
  }
  return new ValidationError("expr.height", expr.height, `expr has no rows to draw: ${problem}`, fix);
}

/**
 * Expression of one or more genes in every tissue, from `geneExpression`'s long frame (columns
 * `geneId`, `tissueSiteDetailId`, `tpm`): per tissue a violin (Gaussian kernel density cut at the data
 * range) with a narrow box (quartiles, median, 1.5·IQR whiskers), in the tissue's official colour; one
 * facet row per gene, `facetHeight` pixels each (the figure grows with the genes; each panel is framed
 * and has its own value axis ticks). Missing TPM values are left out.
 *
 * Marks: `areaX` (one violin per gene × tissue), then `ruleX`, `rect`, `ruleY` for the boxes.
 *
 * @param expr The `geneExpression` frame.
 * @param options Scale, marks, tissue/gene selection, and any Plot option to override.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import { createClient, geneExpression, plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * const expr = await geneExpression(["Cd300lf", "Eno1"], { client: createClient({ source: "offline" }) });
 * const fig = plots.expressionByTissue(expr);
 * assert.ok(fig.svg!.includes("#377eb8")); // IL's colour
 * assert.ok(fig.svg!.includes("Expression of Cd300lf, Eno1 by tissue"));
 * ```
 */
export function expressionByTissue(expr: pl.DataFrame, options: ExpressionByTissueOptions = {}): PlotFigure {
  figureOptions<ExpressionByTissueOptions>("expressionByTissue", options, {
    scale: "string",
    kind: "string",
    tissues: STRING_LIST,
    genes: STRING_LIST,
    tissueColors: "object",
    facetHeight: "number",
  });
  checkFrame(expr, "expr", "geneExpression", REQUIRED);
  const { scale = "log10", kind = "both", tissues, genes, tissueColors, facetHeight, ...plot } = options;
  checkChoice(scale, "options.scale", ["log10", "none"], "expressionByTissue");
  checkChoice(kind, "options.kind", ["both", "violin", "box"], "expressionByTissue");
  const geneCol = expr.getColumn("geneId").toArray() as string[];
  const geneIds = genes ? [...genes] : [...new Set(geneCol)];
  const tissueIds = tissues ? [...tissues] : tissueOrder(expr.getColumn("tissueSiteDetailId").toArray() as string[]);
  if (geneIds.length === 0 || tissueIds.length === 0) throw nothingToDraw(expr, genes, tissues, "no gene or no tissue");
  const faceted = geneIds.length > 1;
  const rowHeight = panelHeight(facetHeight, faceted);
  const groups = tissueGroups(expr, geneIds, tissueIds, scale, faceted, tissueColors);
  if (groups.length === 0) throw nothingToDraw(expr, genes, tissues, "none of the chosen genes and tissues has data");

  const marks: Plot.Markish[] = [
    ...(kind !== "box" ? violinMarks(groups) : []),
    ...(kind !== "violin" ? boxMarks(groups, kind === "both" ? { halfWidth: 0.06, fillOpacity: 0.9 } : {}) : []),
    // A light frame around each gene's panel, so one panel's top tick never reads as the next one's.
    ...(faceted ? [Plot.frame({ stroke: "#ccc" })] : []),
  ];
  const step = 46;
  const longest = Math.max(...tissueIds.map((t) => textWidth(t, 10)));
  const rotate = longest > step - 6;
  const base: FigureOverrides = {
    width: Math.max(420, 70 + (faceted ? 90 : 20) + step * tissueIds.length),
    // Each panel is rowHeight tall (fy padding included), plus the bottom margin and the top one.
    height: Math.ceil(rowHeight * geneIds.length + (rotate ? Math.ceil(longest * 0.7 + 22) : 36) + 20),
    marginLeft: 54,
    marginRight: faceted ? 90 : 20,
    marginBottom: rotate ? Math.ceil(longest * 0.7 + 22) : 36,
    marginTop: 20,
    x: {
      type: "linear",
      domain: [-0.6, tissueIds.length - 0.4],
      ticks: tissueIds.map((_, i) => i),
      tickFormat: (i: number) => tissueIds[i] ?? "",
      tickRotate: rotate ? -45 : 0,
      tickSize: 0,
      label: null,
    },
    // Few ticks per panel (about one per 40 px), so a 160 px panel reads "0 1 2 3 4" once.
    y: {
      label: scale === "log10" ? "log10(TPM + 1)" : "TPM",
      grid: true,
      nice: true,
      ticks: Math.max(2, Math.floor(rowHeight / 40)),
    },
    ...(faceted ? { fy: { domain: geneIds, label: null, axis: "right" as const, padding: 0.12 } } : {}),
    marks,
  };
  return new PlotFigure(mergePlotOptions(base, plot), {
    title: `Expression of ${geneIds.join(", ")} by tissue`,
    subtitle:
      `${scale === "log10" ? "log10(TPM + 1)" : "TPM"} per sample; violins: kernel density cut at the data range; ` +
      "boxes: quartiles and median",
  });
}

/** A panel's height: the option (≥ 60 px, room for a value axis), else 160 px per gene or 300 px for one. */
function panelHeight(facetHeight: number | undefined, faceted: boolean): number {
  const rowHeight = facetHeight ?? (faceted ? 160 : 300);
  if (!(typeof rowHeight === "number" && rowHeight >= 60)) {
    throw new ValidationError(
      "options.facetHeight",
      facetHeight,
      "must be a number of pixels ≥ 60 (room for a value axis)",
      "pass facetHeight: 160 (the default per gene) or more",
    );
  }
  return rowHeight;
}

/** One distribution per gene × tissue with data (TPM or log10(TPM + 1)), at the tissue's x, in its colour. */
function tissueGroups(
  expr: pl.DataFrame,
  geneIds: string[],
  tissueIds: string[],
  scale: string,
  faceted: boolean,
  tissueColors: TissueColors | undefined,
): DistributionGroup[] {
  const geneCol = expr.getColumn("geneId").toArray() as string[];
  const tissueCol = expr.getColumn("tissueSiteDetailId").toArray() as string[];
  const tpmCol = expr.getColumn("tpm").toArray() as (number | null)[];
  const value = (tpm: number) => (scale === "log10" ? Math.log10(tpm + 1) : tpm);
  const values = new Map<string, number[]>();
  for (let i = 0; i < geneCol.length; i++) {
    const tpm = tpmCol[i];
    if (tpm === null || !Number.isFinite(tpm)) continue;
    const key = `${geneCol[i]}\uE000${tissueCol[i]}`;
    let list = values.get(key);
    if (!list) values.set(key, list = []);
    list.push(value(tpm));
  }
  const groups: DistributionGroup[] = [];
  for (const g of geneIds) {
    tissueIds.forEach((t, x) => {
      const v = values.get(`${g}\uE000${t}`);
      if (v && v.length > 0) {
        groups.push({ x, values: v, color: tissueColor(t, tissueColors), facet: faceted ? g : undefined });
      }
    });
  }
  return groups;
}
