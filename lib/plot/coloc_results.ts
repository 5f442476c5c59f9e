/**
 * coloc's answer for every gene × tissue (× modality) near a GWAS hit: the posterior probabilities of the
 * five hypotheses as one stacked bar per row, PP.H4 (one shared causal variant) first, the rows that pass
 * the PP.H4 cut-off highlighted.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { formatNumber, plural } from "../_core/format.ts";
import { tissueOrder } from "../_core/tissues.ts";
import { checkChoice } from "./_check.ts";
import { checkFigureOptions } from "./_options.ts";
import { checkColumns } from "./_regional_data.ts";
import { textWidth } from "./_text.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";

/** How {@link colocResults} orders its rows. */
export type ColocSort = "ppH4" | "name";

/** Options of {@link colocResults}; any Plot option overrides the defaults. */
export interface ColocResultsOptions extends FigureOverrides {
  /** `"ppH4"` (default: highest PP.H4 first) or `"name"` (gene, then tissue in the portal's order, then modality). */
  sort?: ColocSort;
  /** PP.H4 at or above which a row is highlighted (default 0.8). */
  highlight?: number;
}

/** The five hypotheses, in drawing order (H4 from 0, so its length reads off the axis), with their colours. */
export const COLOC_HYPOTHESES: readonly { key: string; label: string; color: string }[] = [
  { key: "ppH4", label: "H4: shared causal variant", color: "#c2185b" },
  { key: "ppH3", label: "H3: both, distinct variants", color: "#f4a259" },
  { key: "ppH2", label: "H2: xQTL only", color: "#9ccc65" },
  { key: "ppH1", label: "H1: GWAS only", color: "#81b1d9" },
  { key: "ppH0", label: "H0: neither", color: "#dddddd" },
];

const COLUMNS = ["geneId", "tissueSiteDetailId", "nsnps", "ppH0", "ppH1", "ppH2", "ppH3", "ppH4"];

/** One row of the figure. */
interface ColocRow {
  name: string;
  geneId: string;
  tissue: string;
  modality: string | null;
  nsnps: number;
  pp: number[] | null;
  reason: string | null;
  passes: boolean;
}

/** One segment of a stacked bar. */
interface Segment {
  name: string;
  key: string;
  x1: number;
  x2: number;
  color: string;
}

/**
 * coloc's posterior probabilities per gene × tissue (× modality): one stacked horizontal bar per row, from 0
 * to 1, PP.H4 first (pink) then H3, H2, H1 and H0; a dashed line at the highlight cut-off (default 0.8), rows
 * with PP.H4 at or above it in bold with an outlined bar; at the right, PP.H4 and the number of variants.
 * Rows coloc could not compute (PPs null or NaN) are listed with their `reason` when the frame has one.
 *
 * `frame` columns: `geneId`, `tissueSiteDetailId`, `nsnps`, `ppH0`…`ppH4` (what `ratgtex coloc` writes);
 * optional `modality`, `reason`. The PPs of a row must sum to 1 (within 1e-3).
 *
 * Marks: `barX` segments (five per computed row), `rect` outlines of highlighted rows, `ruleX` the cut-off,
 * `text` row labels (regular and bold), `text` PP.H4 and nsnps, `text` reasons.
 *
 * @param frame coloc results, one row per gene × tissue (× modality).
 * @param options Sort order, highlight cut-off, and Plot options.
 * @returns The figure.
 * @throws {ValidationError} For missing columns, PPs outside [0, 1] or not summing to 1, a bad option.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const fig = plots.colocResults(pl.DataFrame({
 *   geneId: ["Aa1", "Bb2"],
 *   tissueSiteDetailId: ["IL", "Liver"],
 *   nsnps: [812, 790],
 *   ppH0: [0, 0.01], ppH1: [0.01, 0.2], ppH2: [0.001, 0.05], ppH3: [0.02, 0.7], ppH4: [0.969, 0.04],
 * }));
 * assert.deepEqual((fig.options.y as { domain: string[] }).domain, ["Aa1 · IL", "Bb2 · Liver"]); // highest PP.H4 first
 * assert.ok(fig.svg.includes(">PP.H4 = 0.969 · 812 SNPs<"));
 * assert.ok(fig.svg.includes("1 of 2 rows with PP.H4 ≥ 0.8"));
 * ```
 */
export function colocResults(frame: pl.DataFrame, options: ColocResultsOptions = {}): PlotFigure {
  const o = checkFigureOptions<ColocResultsOptions>(options, ["sort", "highlight"], "colocResults");
  const { sort = "ppH4", highlight = 0.8, ...plot } = o;
  checkChoice(sort, "options.sort", ["ppH4", "name"], "colocResults");
  if (!(typeof highlight === "number" && highlight >= 0 && highlight <= 1)) {
    throw new ValidationError(
      "options.highlight",
      highlight,
      "must be a probability in [0, 1]",
      "pass e.g. highlight: 0.8",
    );
  }
  checkColumns(frame, "frame", COLUMNS, "coloc results (geneId, tissueSiteDetailId, nsnps, ppH0…ppH4)");
  const rows = colocRows(frame, highlight);
  sortRows(rows, sort);
  const names = rows.map((r) => r.name);
  const segments: Segment[] = rows.flatMap((r) => {
    if (r.pp === null) return [];
    let x = 0;
    return COLOC_HYPOTHESES.map((h, k) => {
      const s = { name: r.name, key: h.key, x1: x, x2: x + r.pp![4 - k], color: h.color };
      x = s.x2;
      return s;
    });
  });
  const passing = rows.filter((r) => r.passes);
  const label = (bold: boolean) =>
    Plot.text(rows.filter((r) => r.passes === bold), {
      x: 0,
      y: "name",
      text: "name",
      dx: -8,
      textAnchor: "end",
      fontWeight: bold ? "bold" : "normal",
      fill: "#222",
    });
  const marks: Plot.Markish[] = [
    Plot.barX(segments, {
      x1: "x1",
      x2: "x2",
      y: "name",
      fill: "color",
      title: (s: Segment) => `${s.name}: ${s.key} = ${formatNumber(s.x2 - s.x1, 3)}`,
    }),
    Plot.barX(passing, { x1: 0, x2: 1, y: "name", fill: "none", stroke: "#111", strokeWidth: 1.5 }),
    Plot.ruleX([highlight], { stroke: "#111", strokeDasharray: "4,3" }),
    label(false),
    label(true),
    summary(rows.filter((r) => r.pp !== null && !r.passes), "normal"),
    summary(passing, "bold"),
    Plot.text(rows.filter((r) => r.pp === null), {
      x: 0,
      y: "name",
      text: (r: ColocRow) => `not computed${r.reason ? `: ${r.reason}` : ""}`,
      dx: 4,
      textAnchor: "start",
      fill: "#888",
    }),
  ];
  const marginLeft = Math.ceil(Math.max(80, ...names.map((n) => textWidth(n, 10) * 1.1 + 14)));
  const base: FigureOverrides = {
    width: Math.max(640, marginLeft + 520),
    height: 56 + 22 * Math.max(1, rows.length),
    marginLeft,
    marginRight: 170,
    marginBottom: 36,
    x: {
      domain: [0, 1],
      ticks: [0, 0.2, 0.4, 0.6, 0.8, 1],
      label: "Posterior probability",
      labelAnchor: "center",
      labelArrow: "none",
    },
    y: { domain: names, axis: null, padding: 0.2 },
    color: { type: "identity" },
    marks,
  };
  return new PlotFigure(mergePlotOptions(base, plot), {
    title: `Colocalisation: ${plural(rows.length, "gene × tissue pair", "gene × tissue pairs")}`,
    subtitle:
      `${passing.length} of ${plural(rows.length, "row")} with PP.H4 ≥ ${formatNumber(highlight)} (bold, outlined; ` +
      `dashed line); sorted by ${sort === "ppH4" ? "PP.H4, highest first" : "gene, tissue and modality"}.`,
    legends: [{
      type: "swatches",
      label: "Hypothesis",
      domain: COLOC_HYPOTHESES.map((h) => h.label),
      range: COLOC_HYPOTHESES.map((h) => h.color),
    }],
  });
}

/** PP.H4 and the number of variants, right of the bars. */
function summary(rows: ColocRow[], fontWeight: string): Plot.Markish {
  return Plot.text(rows, {
    x: 1,
    y: "name",
    text: (r: ColocRow) => `PP.H4 = ${formatNumber(r.pp![4], 3)} · ${plural(r.nsnps, "SNP")}`,
    dx: 8,
    textAnchor: "start",
    fontWeight,
    fill: "#222",
  });
}

function colocRows(frame: pl.DataFrame, highlight: number): ColocRow[] {
  const hasModality = frame.columns.includes("modality");
  const hasReason = frame.columns.includes("reason");
  const rows = (frame.toRecords() as Record<string, unknown>[]).map((r, i): ColocRow => {
    const modality = hasModality && r.modality != null ? String(r.modality) : null;
    const name = `${r.geneId} · ${r.tissueSiteDetailId}${modality !== null ? ` · ${modality}` : ""}`;
    const values = [r.ppH0, r.ppH1, r.ppH2, r.ppH3, r.ppH4].map((
      v,
    ) => (v === null || v === undefined ? NaN : Number(v)));
    const reason = hasReason && r.reason != null && r.reason !== "" ? String(r.reason) : null;
    let pp: number[] | null = values;
    if (values.some((v) => Number.isNaN(v))) pp = null;
    else {
      const sum = values.reduce((a, b) => a + b, 0);
      if (values.some((v) => v < -1e-9 || v > 1 + 1e-9) || Math.abs(sum - 1) > 1e-3) {
        throw new ValidationError(
          `frame[${i}]`,
          {
            geneId: r.geneId,
            tissueSiteDetailId: r.tissueSiteDetailId,
            ppH0: r.ppH0,
            ppH1: r.ppH1,
            ppH2: r.ppH2,
            ppH3: r.ppH3,
            ppH4: r.ppH4,
          },
          `PP.H0–H4 of ${name} are not probabilities summing to 1 (sum ${formatNumber(sum)})`,
          "pass coloc.abf's posterior probabilities (ppH0…ppH4 of one row sum to 1)",
        );
      }
    }
    return {
      name,
      geneId: String(r.geneId),
      tissue: String(r.tissueSiteDetailId),
      modality,
      nsnps: Number(r.nsnps),
      pp,
      reason,
      passes: pp !== null && pp[4] >= highlight,
    };
  });
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (seen.has(r.name)) {
      throw new ValidationError(
        `frame[${i}]`,
        r.name,
        `${r.name} appears twice`,
        "pass one row per gene × tissue (× modality); add a modality column when the rows differ by it",
      );
    }
    seen.add(r.name);
  });
  return rows;
}

function sortRows(rows: ColocRow[], sort: ColocSort): void {
  const order = tissueOrder(new Set(rows.map((r) => r.tissue)));
  const byName = (a: ColocRow, b: ColocRow) =>
    (a.geneId < b.geneId ? -1 : a.geneId > b.geneId ? 1 : 0) ||
    order.indexOf(a.tissue) - order.indexOf(b.tissue) ||
    ((a.modality ?? "") < (b.modality ?? "") ? -1 : (a.modality ?? "") > (b.modality ?? "") ? 1 : 0);
  rows.sort(sort === "name" ? byName : (a, b) => (b.pp?.[4] ?? -1) - (a.pp?.[4] ?? -1) || byName(a, b));
}
