/**
 * The credible sets of one gene across tissues, side by side: one row per tissue (× modality), each
 * fine-mapped variant at its position, sized by PIP and coloured by its credible set — do the tissues share
 * a signal, and which variants could it be?
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { formatNumber, plural } from "../_core/format.ts";
import { tissueOrder } from "../_core/tissues.ts";
import { checkFigureOptions } from "./_options.ts";
import { checkColumns, type PipRow, pipRows } from "./_regional_data.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import type { GenomeRegion } from "./gene_track.ts";
import { niceTicks } from "./legend.ts";
import { textWidth } from "./_text.ts";
import { CREDIBLE_SET_COLORS, NO_SET_COLOR } from "./regional_layout.ts";

/** Options of {@link credibleSetsAcrossTissues}; any Plot option overrides the defaults. */
export interface CredibleSetsAcrossTissuesOptions extends FigureOverrides {
  /** The gene to draw when the frame holds several (default: the only one). */
  geneId?: string;
  /** Tissues to show, in this order (default: every tissue of the frame, in the portal's order). */
  tissues?: readonly string[];
  /** The window (default: the variants' span, 2 % either side). */
  region?: GenomeRegion;
  /** Draw the variants outside every set as small grey dots (default true). */
  showOutside?: boolean;
}

/** One drawn variant. */
interface Dot extends PipRow {
  row: string;
  color: string;
  setLabel: string | null;
}

const OWN = ["geneId", "tissues", "region", "showOutside"];
const COLUMNS = ["tissueSiteDetailId", "variantId", "pip", "credibleSet"];

/**
 * The credible sets of one gene in every tissue, side by side: a row per tissue (× modality, when the
 * frame has a `modality` column with several), portal order; each variant of a credible set at its
 * position (x in Mb), its area proportional to its PIP, coloured by its set (sets are numbered within each
 * tissue: CS 1 of one tissue is not CS 1 of another); the variants outside every set as small grey dots; a
 * dashed line through each variant that is in a credible set in two or more rows (a shared candidate);
 * at the right, the number of sets of each row.
 *
 * `frame` columns: `tissueSiteDetailId`, `variantId`, `pip`, `credibleSet` (null outside every set);
 * optional `pos` (bp; else read from `chrN:pos` IDs), `geneId`, `modality`.
 *
 * Marks: `ruleY` row lines, `ruleX` shared variants, `dot` variants outside sets, `dot` variants in sets,
 * `text` set counts.
 *
 * @param frame Fine-mapping results of one gene in several tissues (one row per tissue × variant).
 * @param options Gene, tissues, region, whether to draw the variants outside sets, and Plot options.
 * @returns The figure.
 * @throws {ValidationError} For missing columns, several genes without `geneId`, an unknown option.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const fig = plots.credibleSetsAcrossTissues(pl.DataFrame({
 *   geneId: ["Aa1", "Aa1", "Aa1", "Aa1"],
 *   tissueSiteDetailId: ["IL", "IL", "Liver", "Liver"],
 *   variantId: ["chr1:1000000", "chr1:1100000", "chr1:1000000", "chr1:1100000"],
 *   pip: [0.9, 0.05, 0.6, 0.3],
 *   credibleSet: [1, null, 1, 1],
 * }));
 * assert.ok(fig.svg.includes("Aa1: credible sets across 2 tissues"));
 * assert.equal(fig.svg.match(/<circle[^>]*fill="#1b9e77"/g)!.length, 4); // three dots of CS 1 and the swatch
 * assert.ok(fig.svg.includes(">1 set<"));
 * ```
 */
export function credibleSetsAcrossTissues(
  frame: pl.DataFrame,
  options: CredibleSetsAcrossTissuesOptions = {},
): PlotFigure {
  const o = checkFigureOptions<CredibleSetsAcrossTissuesOptions>(options, OWN, "credibleSetsAcrossTissues");
  const { geneId: wanted, tissues, region, showOutside = true, ...plot } = o;
  checkColumns(
    frame,
    "frame",
    COLUMNS,
    "fine-mapping results by tissue (tissueSiteDetailId, variantId, pip, credibleSet)",
  );
  const records = frame.toRecords() as Record<string, unknown>[];
  const variants = pipRows(frame, "frame");
  const geneId = chooseGene(frame, records, wanted);
  const hasModality = frame.columns.includes("modality") &&
    new Set(records.map((r) => r.modality)).size > 1;
  const rowOf = (r: Record<string, unknown>) =>
    hasModality ? `${r.tissueSiteDetailId} · ${r.modality}` : String(r.tissueSiteDetailId);
  const keep = records.map((r) => geneId === null || r.geneId === geneId);
  const present = tissueOrder(new Set(records.filter((_, i) => keep[i]).map((r) => String(r.tissueSiteDetailId))));
  const order = tissues ? checkTissues(tissues, present) : present;
  const rowNames = order.flatMap((t) => {
    const rows = [...new Set(records.filter((r, i) => keep[i] && r.tissueSiteDetailId === t).map(rowOf))];
    return rows.sort();
  });
  const dots = rowDots(variants, records, keep, rowOf, new Set(rowNames));
  const [lo, hi] = xDomain(dots, region);
  const shown = dots.filter((d) => d.pos >= lo * 1e6 && d.pos <= hi * 1e6);
  const inSets = shown.filter((d) => d.credibleSet !== null);
  const rowsPerVariant = new Map<string, Set<string>>();
  for (const d of inSets) rowsPerVariant.set(d.variantId, (rowsPerVariant.get(d.variantId) ?? new Set()).add(d.row));
  const shared = [...rowsPerVariant].filter(([, rows]) => rows.size > 1).map(([id]) =>
    inSets.find((d) => d.variantId === id)!
  );
  const setCount = new Map(
    rowNames.map((row) => [row, new Set(inSets.filter((d) => d.row === row).map((d) => d.credibleSet)).size]),
  );
  const maxSets = Math.max(0, ...setCount.values());
  const marginLeft = Math.ceil(Math.max(60, ...rowNames.map((r) => textWidth(r, 10) + 16)));
  const marks: Plot.Markish[] = [
    Plot.ruleY(rowNames, { stroke: "#e4e4e4" }),
    Plot.ruleX(shared, { x: (d: Dot) => d.pos / 1e6, stroke: "#999", strokeDasharray: "3,3" }),
    ...(showOutside
      ? [
        Plot.dot(shown.filter((d) => d.credibleSet === null), {
          x: (d: Dot) => d.pos / 1e6,
          y: "row",
          r: 1.6,
          fill: NO_SET_COLOR,
        }),
      ]
      : []),
    Plot.dot(inSets, {
      x: (d: Dot) => d.pos / 1e6,
      y: "row",
      r: "pip",
      fill: "color",
      fillOpacity: 0.85,
      stroke: "#333",
      strokeWidth: 0.5,
      title: (d: Dot) => `${d.variantId} in ${d.row}: PIP = ${formatNumber(d.pip, 3)}, ${d.setLabel}`,
    }),
    Plot.text(rowNames, {
      x: hi,
      y: (r: string) => r,
      text: (r: string) => (setCount.get(r) === 0 ? "no set" : plural(setCount.get(r)!, "set")),
      dx: 8,
      textAnchor: "start",
      fill: "#555",
    }),
  ];
  const chromosome = variants.find((v) => v.chromosome !== null)?.chromosome ?? region?.chromosome ?? "";
  const base: FigureOverrides = {
    width: 760,
    height: 64 + 30 * Math.max(1, rowNames.length),
    marginLeft,
    marginRight: 56,
    marginBottom: 40,
    x: {
      domain: [lo, hi],
      ticks: niceTicks(lo, hi, 7),
      label: `Position on ${chromosome || "the chromosome"} (Mb)`,
      labelAnchor: "center",
      labelArrow: "none",
      nice: false,
      grid: true,
    },
    y: { domain: rowNames, label: null, padding: 0 },
    r: { type: "sqrt", domain: [0, 1], range: [0, 9] },
    color: { type: "identity" },
    marks,
  };
  const what = geneId ?? "One gene";
  return new PlotFigure(mergePlotOptions(base, plot), {
    title: `${what}: credible sets across ${plural(rowNames.length, "tissue")}`,
    subtitle:
      `Dot area ∝ PIP; colour: credible set, numbered within each tissue (${plural(inSets.length, "variant")} ` +
      `in sets); dashed: a variant in the credible sets of two or more rows` +
      `${showOutside ? "; grey: variants outside every set" : ""}.`,
    legends: maxSets > 0
      ? [{
        type: "swatches",
        label: "Credible set",
        domain: CREDIBLE_SET_COLORS.slice(0, Math.min(maxSets, CREDIBLE_SET_COLORS.length)).map((_, i) =>
          `CS ${i + 1}`
        ),
        range: CREDIBLE_SET_COLORS.slice(0, Math.min(maxSets, CREDIBLE_SET_COLORS.length)),
        shape: "circle",
      }]
      : [],
  });
}

function chooseGene(
  frame: pl.DataFrame,
  records: Record<string, unknown>[],
  wanted: string | undefined,
): string | null {
  if (!frame.columns.includes("geneId")) {
    if (wanted !== undefined) {
      throw new ValidationError(
        "options.geneId",
        wanted,
        "the frame has no geneId column",
        "leave geneId out, or pass a frame with geneId",
      );
    }
    return null;
  }
  const genes = [...new Set(records.map((r) => String(r.geneId)))].sort();
  if (wanted !== undefined) {
    if (!genes.includes(wanted)) {
      throw new ValidationError(
        "options.geneId",
        wanted,
        `not in the frame (genes: ${genes.join(", ")})`,
        `pass one of ${genes.join(", ")}`,
      );
    }
    return wanted;
  }
  if (genes.length > 1) {
    throw new ValidationError(
      "options.geneId",
      wanted,
      `the frame holds ${genes.length} genes (${genes.slice(0, 5).join(", ")}${
        genes.length > 5 ? ", …" : ""
      }); the figure draws one`,
      `choose one with options.geneId, e.g. geneId: ${JSON.stringify(genes[0])}`,
    );
  }
  return genes[0] ?? null;
}

function checkTissues(tissues: readonly string[], present: string[]): string[] {
  if (!Array.isArray(tissues) || !tissues.every((t) => typeof t === "string")) {
    throw new ValidationError(
      "options.tissues",
      tissues,
      "expected an array of tissue IDs",
      "pass e.g. tissues: ['IL', 'Liver']",
    );
  }
  const absent = tissues.filter((t) => !present.includes(t));
  if (absent.length > 0) {
    throw new ValidationError(
      "options.tissues",
      tissues,
      `${absent.join(", ")} not in the frame (tissues: ${present.join(", ")})`,
      "choose tissues of the frame",
    );
  }
  return [...tissues];
}

/** Each kept variant with its row and its set's colour (sets numbered within the row). */
function rowDots(
  variants: PipRow[],
  records: Record<string, unknown>[],
  keep: boolean[],
  rowOf: (r: Record<string, unknown>) => string,
  rows: Set<string>,
): Dot[] {
  const dots: Dot[] = [];
  const setsOf = new Map<string, string[]>();
  variants.forEach((v, i) => {
    if (!keep[i]) return;
    const row = rowOf(records[i]);
    if (!rows.has(row)) return;
    if (v.credibleSet !== null) setsOf.set(row, [...new Set([...(setsOf.get(row) ?? []), v.credibleSet])]);
    dots.push({ ...v, row, color: NO_SET_COLOR, setLabel: null });
  });
  const numeric = (a: string, b: string) => {
    const [x, y] = [Number(a), Number(b)];
    return Number.isFinite(x) && Number.isFinite(y) ? x - y : a < b ? -1 : a > b ? 1 : 0;
  };
  for (const [row, sets] of setsOf) setsOf.set(row, sets.sort(numeric));
  for (const d of dots) {
    if (d.credibleSet === null) continue;
    const k = setsOf.get(d.row)!.indexOf(d.credibleSet);
    d.color = CREDIBLE_SET_COLORS[k % CREDIBLE_SET_COLORS.length];
    d.setLabel = /^\d+$/.test(d.credibleSet) ? `CS ${d.credibleSet}` : d.credibleSet;
  }
  // Outside sets first, then by PIP (small dots on top of large ones).
  return dots.sort((a, b) =>
    (a.credibleSet === null ? 0 : 1) - (b.credibleSet === null ? 0 : 1) || b.pip - a.pip || a.pos - b.pos
  );
}

function xDomain(dots: Dot[], region: GenomeRegion | undefined): [number, number] {
  if (region !== undefined) {
    if (!(Number.isFinite(region.start) && Number.isFinite(region.end) && region.end > region.start)) {
      throw new ValidationError(
        "options.region",
        region,
        "start and end must be base pairs with end > start",
        "pass region: { chromosome, start, end }",
      );
    }
    return [region.start / 1e6, region.end / 1e6];
  }
  if (dots.length === 0) {
    throw new ValidationError(
      "frame",
      dots.length,
      "has no variant of the chosen gene and tissues",
      "pass fine-mapping results (one row per tissue × variant), or options.region",
    );
  }
  let lo = Infinity, hi = -Infinity;
  for (const d of dots) [lo, hi] = [Math.min(lo, d.pos), Math.max(hi, d.pos)];
  const pad = Math.max((hi - lo) * 0.02, 5000);
  return [(lo - pad) / 1e6, (hi + pad) / 1e6];
}
