/**
 * A forest plot of one variant's effect on a gene across tissues: is the effect the same everywhere?
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkFrame, figureOptions } from "./_check.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { textWidth } from "./_text.ts";
import { formatNumber, formatPValue } from "../_core/format.ts";
import { normalQuantile } from "../analysis/regression/distributions.ts";
import type { ExpressionTransform } from "../analysis/regression/transforms.ts";
import { transformName } from "./eqtl_by_genotype.ts";
import { tissueColor, type TissueColors, tissueName, tissueOrder } from "../_core/tissues.ts";

/** Options of {@link effectForest}; any Plot option overrides the defaults. */
export interface EffectForestOptions extends FigureOverrides {
  /** Confidence level of the intervals (default 0.95: slope ± 1.96·SE). */
  level?: number;
  /** Colour overrides for tissues (default: the official colours). */
  tissueColors?: TissueColors;
}

/** One drawn row of {@link effectForest}. */
interface ForestRow {
  tissue: string;
  label: string;
  slope: number;
  lo: number;
  hi: number;
  n: number;
  pValue: number;
  apiPValue: number | null;
  significant: boolean;
  color: string;
}

const REQUIRED = ["tissueSiteDetailId", "slope", "slopeSe", "pValue"];

/**
 * Forest plot of per-tissue slopes with confidence intervals, from an `effectsAcrossTissues` frame
 * (columns `tissueSiteDetailId`, `slope`, `slopeSe`, `pValue`; optional `apiPValue`, `significant`, `n`,
 * `transform`, `method`, `geneId`, `variantId`). One row per tissue in the portal's order, each in its
 * official colour: a dot at the slope and a line from slope − z·SE to slope + z·SE, where z is the normal
 * quantile of the confidence `level` (1.96 for 95 %). Tissues the pipeline calls significant (`significant`,
 * i.e. the API's p below the gene's threshold) have a filled dot; the others a hollow one. Beside each
 * row: n, the recomputed p-value and the API's. A dashed rule marks slope 0. Rows whose slope is NaN
 * (e.g. a monomorphic variant in that tissue) are listed with "NA" and no interval.
 *
 * Marks: `ruleX` at 0, `ruleY` intervals (one per row with a finite slope), `dot` slopes, `text` columns
 * (n, recomputed p, API p) and their headings.
 *
 * @param effects The `effectsAcrossTissues` frame (or any frame with those columns, e.g. pipeline-exact
 *   statistics: the subtitle names the frame's `method` and `transform`).
 * @param options Confidence level, tissue colours, and any Plot option to override.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import { createClient, effectsAcrossTissues, plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * const client = createClient({ source: "offline" });
 * const fx = await effectsAcrossTissues({ geneId: "Cd300lf", variantId: "chr10:100826333" }, { client });
 * const fig = plots.effectForest(fx);
 * assert.ok(fig.svg!.includes("Cd300lf × chr10:100826333: effect in 13 tissues"));
 * assert.ok(fig.svg!.includes("95% CI = slope ± 1.96·SE"));
 * assert.ok(fig.svg!.includes("#377eb8")); // IL's colour
 * ```
 */
export function effectForest(effects: pl.DataFrame, options: EffectForestOptions = {}): PlotFigure {
  figureOptions<EffectForestOptions>("effectForest", options, { level: "number", tissueColors: "object" });
  checkFrame(effects, "effects", "effectsAcrossTissues", REQUIRED);
  const { level = 0.95, tissueColors, ...plot } = options;
  if (!(typeof level === "number" && level > 0 && level < 1)) {
    throw new ValidationError("options.level", level, "must be a number between 0 and 1", "pass e.g. level: 0.95");
  }
  const z = normalQuantile(1 - (1 - level) / 2);
  const records = effects.toRecords() as Record<string, unknown>[];
  const rows = forestRows(records, z, tissueColors);
  const drawn = rows.filter((r) => Number.isFinite(r.slope) && Number.isFinite(r.lo) && Number.isFinite(r.hi));
  const extent = Math.max(1e-9, ...drawn.flatMap((r) => [Math.abs(r.lo), Math.abs(r.hi)]));
  const labels = rows.map((r) => r.label);
  const labelWidth = Math.max(...labels.map((l) => textWidth(l, 10)));
  const table = tableColumns(rows);
  const rowHeight = 22;
  const first = records[0];
  const transform = first.transform === undefined ? null : String(first.transform) as ExpressionTransform;
  const method = first.method === undefined ? "OLS on ALT dosage" : String(first.method);
  const geneId = first.geneId === undefined ? "gene" : String(first.geneId);
  const variantId = first.variantId === undefined ? "variant" : String(first.variantId);
  const pct = `${formatNumber(level * 100, 3)}%`;
  const base: FigureOverrides = {
    width: Math.ceil(Math.max(640, labelWidth + 20 + 320 + table.width)),
    height: 60 + rowHeight * rows.length,
    marginLeft: Math.ceil(labelWidth + 14),
    marginRight: Math.ceil(table.width),
    marginTop: 24,
    marginBottom: 36,
    x: {
      domain: [-extent * 1.08, extent * 1.08],
      label: `Slope per ALT allele (${transform ? transformName(transform) : "expression"})`,
      labelAnchor: "center",
      labelArrow: "none",
      grid: true,
    },
    y: { domain: labels, label: null, tickSize: 0, padding: 0 },
    marks: [...intervalMarks(drawn), ...tableMarks(rows, table)],
  };
  return new PlotFigure(mergePlotOptions(base, plot), {
    title: `${geneId} × ${variantId}: effect in ${rows.length} tissue${rows.length === 1 ? "" : "s"}`,
    subtitle: [
      `${method}, on ${transform ? transformName(transform) : "expression"}; ${pct} CI = slope ± ` +
      `${z.toFixed(2)}·SE`,
      "Filled: significant in the pipeline (the API's p below the gene's threshold in that tissue); hollow: not",
    ],
    notes: drawn.length < rows.length
      ? `No slope (NA): ${rows.filter((r) => !drawn.includes(r)).map((r) => r.tissue).join(", ")}`
      : undefined,
  });
}

/** One row per tissue in the portal's order, with its interval at `z` standard errors; one tissue once. */
function forestRows(
  records: Record<string, unknown>[],
  z: number,
  tissueColors: TissueColors | undefined,
): ForestRow[] {
  const num = (v: unknown) => (typeof v === "number" ? v : v === null || v === undefined ? NaN : Number(v));
  const byTissue = new Map(records.map((r) => [String(r.tissueSiteDetailId), r]));
  if (byTissue.size !== records.length) {
    throw new ValidationError(
      "effects.tissueSiteDetailId",
      records.map((r) => r.tissueSiteDetailId),
      "a tissue appears twice: effectForest draws one variant–gene pair, one row per tissue",
      "filter the frame to one geneId and variantId",
    );
  }
  if (records.length === 0) {
    throw new ValidationError("effects.height", 0, "no tissue to draw", "pass effectsAcrossTissues(...)'s frame");
  }
  return tissueOrder(byTissue.keys()).map((tissue) => {
    const r = byTissue.get(tissue)!;
    const slope = num(r.slope);
    const se = num(r.slopeSe);
    const api = r.apiPValue === undefined || r.apiPValue === null ? null : num(r.apiPValue);
    return {
      tissue,
      label: tissueName(tissue) === tissue ? tissue : `${tissueName(tissue)} (${tissue})`,
      slope,
      lo: slope - z * se,
      hi: slope + z * se,
      n: num(r.n),
      pValue: num(r.pValue),
      apiPValue: api,
      significant: r.significant === true,
      color: tissueColor(tissue, tissueColors),
    };
  });
}

/** The zero line, one interval and one dot per tissue (filled where the pipeline calls it significant). */
function intervalMarks(drawn: ForestRow[]): Plot.Markish[] {
  return [
    Plot.ruleX([0], { stroke: "#777", strokeDasharray: "4,3" }),
    Plot.ruleY(drawn, { y: "label", x1: "lo", x2: "hi", stroke: "color", strokeWidth: 2 }),
    Plot.dot(drawn, {
      y: "label",
      x: "slope",
      r: 5,
      stroke: "color",
      strokeWidth: 2,
      fill: (r: ForestRow) => (r.significant ? r.color : "#fff"),
      title: (r: ForestRow) =>
        `${r.label}: slope ${formatNumber(r.slope)} [${formatNumber(r.lo)}, ${formatNumber(r.hi)}], n = ${r.n}`,
    }),
  ];
}

/** The text columns right of the frame (n, recomputed p, API p) and where each starts. */
interface ForestTable {
  columns: { head: string; text: (r: ForestRow) => string }[];
  offsets: number[];
  width: number;
}

function tableColumns(rows: ForestRow[]): ForestTable {
  const columns = [
    { head: "n", text: (r: ForestRow) => (Number.isFinite(r.n) ? String(r.n) : "NA") },
    { head: "p (recomputed)", text: (r: ForestRow) => formatPValue(r.pValue) },
    { head: "p (API)", text: (r: ForestRow) => (r.apiPValue === null ? "NA" : formatPValue(r.apiPValue)) },
  ];
  // Widths from the longest entry, so nothing overlaps.
  const offsets: number[] = [];
  let x = 18;
  for (const c of columns) {
    offsets.push(x);
    x += Math.max(textWidth(c.head, 11), ...rows.map((r) => textWidth(c.text(r), 11))) + 16; // bold: ~10 % wider
  }
  return { columns, offsets, width: x };
}

function tableMarks(rows: ForestRow[], t: ForestTable): Plot.Markish[] {
  return [
    // Font weight is a constant in Plot: the pipeline's significant API p-values get a bold mark of their own.
    ...t.columns.flatMap((c, i) =>
      [false, true].map((bold) =>
        Plot.text(rows.filter((r) => i === 2 && r.significant === bold || i !== 2 && !bold), {
          y: "label",
          text: c.text,
          frameAnchor: "right",
          textAnchor: "start",
          dx: t.offsets[i],
          fill: bold ? "#000" : "#444",
          fontWeight: bold ? "bold" : "normal",
        })
      )
    ),
    ...t.columns.map((c, i) =>
      Plot.text([c.head], {
        frameAnchor: "top-right",
        textAnchor: "start",
        dx: t.offsets[i],
        dy: -12,
        fontWeight: "bold",
        text: (h: string) => h,
      })
    ),
  ];
}
