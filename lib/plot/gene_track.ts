/**
 * A gene track as LocusZoom draws one: every gene of a window as a line with its exons as boxes, its name
 * and strand arrow beside it, genes packed into rows so that no two genes or names collide. The layout
 * (rows, where each name goes) is computed in pixels, because a name's width is; the marks are drawn in
 * the plot's own coordinates (positions in Mb), so the track composes with any figure that shares the x axis.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkFrame } from "./_check.ts";
import { checkKeys } from "./_options.ts";
import { textWidth } from "./_text.ts";

/** A window of a chromosome, in base pairs. */
export interface GenomeRegion {
  /** Chromosome, as the frames write it (`chr10`). */
  chromosome: string;
  /** First base pair. */
  start: number;
  /** Last base pair. */
  end: number;
}

/** Options of {@link geneTrackLayout}. */
export interface GeneTrackLayoutOptions {
  /**
   * The window. Genes overlapping it are laid out (those of another chromosome left out when the gene frame
   * has a `chromosome` column and the region names one). Default: the span of the frame's genes.
   */
  region?: { chromosome?: string; start: number; end: number };
  /** Width in pixels that the window is drawn across (the x range; default 640). */
  width?: number;
  /** Font size of the names, in pixels (default 10). */
  fontSize?: number;
  /** Room kept between neighbours in a row, in pixels (default 10). */
  gap?: number;
  /** Exons (`geneId`, `start`, `end`: the `exon` route's frame); genes without exons are drawn as a thin box. */
  exons?: pl.DataFrame;
}

/** One gene, placed. Positions in base pairs. */
export interface GeneTrackGene {
  /** The gene. */
  geneId: string;
  /** Start (bp). */
  start: number;
  /** End (bp). */
  end: number;
  /** `"+"`, `"-"`, or `""` when unknown. */
  strand: string;
  /** Its exons (bp), in the order given. */
  exons: { start: number; end: number }[];
  /** Row, 0 at the top. */
  row: number;
  /** The text drawn: the name with an arrow on the side it is transcribed to (`"Eno1 →"`, `"← Cd300lf"`). */
  label: string;
  /** Where the name is: right of the gene, left of it, or inside (a gene wider than the window). */
  labelSide: "right" | "left" | "inside";
  /** Estimated width of the name, in pixels. */
  labelWidth: number;
  /** What the gene and its name take in its row (bp, clipped to the window); rows keep `gap` px between them. */
  extent: [number, number];
}

/** Where genes and names go: the result of {@link geneTrackLayout}. */
export interface GeneTrackLayout {
  /** The window. */
  region: GenomeRegion;
  /** Width in pixels the window is drawn across. */
  width: number;
  /** Font size of the names. */
  fontSize: number;
  /** Pixels between a gene's end and its name. */
  labelOffset: number;
  /** Number of rows (0 without genes). */
  rows: number;
  /** The genes overlapping the window, by row, then position. */
  genes: GeneTrackGene[];
}

/** Gene frame columns the track needs. */
export const GENE_TRACK_COLUMNS: readonly string[] = ["geneId", "start", "end", "strand"];

const LAYOUT_KEYS = ["region", "width", "fontSize", "gap", "exons"];
const LABEL_OFFSET = 4;

/**
 * Lay out every gene of a window in collision-free rows: each gene with its name beside it (right of its
 * end, else left of its start when the name would leave the window, else inside a gene wider than the
 * window) takes an extent in pixels, and rows are filled greedily in order of extent start (first fit, which
 * uses the fewest rows an interval packing can). Names' widths are estimated from the font size.
 *
 * @param genes Gene frame: `geneId`, `start`, `end`, `strand` (the `gene` route's or a release's gene
 *   table); `chromosome` optional.
 * @param options Window, width, font size, gap, exons.
 * @returns The layout: rows and every gene's row, label side and extent.
 * @throws {ValidationError} For a frame without those columns, a gene with end before start, or no window
 *   (an empty frame and no `region`).
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const genes = pl.DataFrame({
 *   geneId: ["Aa1", "Bb2", "Cc3"],
 *   start: [1_000_000, 1_010_000, 1_300_000],
 *   end: [1_050_000, 1_200_000, 1_350_000],
 *   strand: ["+", "-", "+"],
 * });
 * const layout = plots.geneTrackLayout(genes, { region: { start: 900_000, end: 1_500_000 }, width: 600 });
 * assert.equal(layout.genes.length, 3);
 * assert.equal(layout.rows, 2); // Aa1 and Bb2 overlap; Cc3 fits beside Aa1
 * assert.equal(layout.genes.find((g) => g.geneId === "Cc3")!.row, 0);
 * assert.equal(layout.genes.find((g) => g.geneId === "Bb2")!.label, "← Bb2");
 * ```
 */
export function geneTrackLayout(genes: pl.DataFrame, options: GeneTrackLayoutOptions = {}): GeneTrackLayout {
  checkFrame(genes, "genes", "gene", GENE_TRACK_COLUMNS);
  const opts = checkKeys<GeneTrackLayoutOptions>(
    options,
    "options",
    LAYOUT_KEYS,
    "geneTrackLayout(genes, { region: { chromosome, start, end }, width: 640 })",
  );
  const width = positive(opts.width ?? 640, "options.width", "pass the track's width in pixels, e.g. width: 640");
  const fontSize = positive(opts.fontSize ?? 10, "options.fontSize", "pass a font size in pixels, e.g. fontSize: 10");
  const gap = opts.gap ?? 10;
  if (!(typeof gap === "number" && gap >= 0)) {
    throw new ValidationError("options.gap", gap, "must be a number of pixels ≥ 0", "pass e.g. gap: 10");
  }
  const rows = geneRows(genes);
  const region = windowOf(rows, opts.region);
  const inWindow = rows.filter((g) =>
    g.end >= region.start && g.start <= region.end &&
    (region.chromosome === "" || g.chromosome === null || g.chromosome === region.chromosome)
  );
  const elsewhere = [...new Set(inWindow.map((g) => g.chromosome).filter((c) => c !== null))];
  if (region.chromosome === "" && elsewhere.length > 1) {
    throw new ValidationError(
      "options.region.chromosome",
      undefined,
      `genes of ${elsewhere.join(", ")} overlap the window and the region names no chromosome`,
      `pass region: { chromosome: ${JSON.stringify(elsewhere[0])}, start, end }`,
    );
  }
  const exons = exonsByGene(opts.exons);
  const span = region.end - region.start;
  const px = (bp: number) => ((bp - region.start) / span) * width;
  const bp = (x: number) => region.start + (x / width) * span;
  const placed = inWindow.map((g) => {
    const label = g.strand === "+" ? `${g.geneId} →` : g.strand === "-" ? `← ${g.geneId}` : g.geneId;
    // Italic names and arrows run wider than the estimate's classes: a little slack keeps rows apart.
    const labelWidth = textWidth(label, fontSize) * 1.08 + 2;
    const a = px(Math.max(g.start, region.start));
    const b = px(Math.min(g.end, region.end));
    let side: GeneTrackGene["labelSide"];
    let lo: number, hi: number;
    if (b + LABEL_OFFSET + labelWidth <= width) [side, lo, hi] = ["right", a, b + LABEL_OFFSET + labelWidth];
    else if (a - LABEL_OFFSET - labelWidth >= 0) [side, lo, hi] = ["left", a - LABEL_OFFSET - labelWidth, b];
    else [side, lo, hi] = ["inside", a, Math.max(b, a + LABEL_OFFSET + labelWidth)];
    return { g, label, labelWidth, side, lo, hi };
  });
  // First fit in order of extent start (ties by name, so the layout does not depend on the frame's order).
  placed.sort((p, q) => p.lo - q.lo || p.hi - q.hi || (p.g.geneId < q.g.geneId ? -1 : 1));
  const rowEnds: number[] = [];
  const out: GeneTrackGene[] = placed.map((p) => {
    let row = rowEnds.findIndex((end) => end + gap <= p.lo);
    if (row < 0) row = rowEnds.push(p.hi) - 1;
    else rowEnds[row] = p.hi;
    return {
      geneId: p.g.geneId,
      start: p.g.start,
      end: p.g.end,
      strand: p.g.strand,
      exons: exons.get(p.g.geneId) ?? [],
      row,
      label: p.label,
      labelSide: p.side,
      labelWidth: p.labelWidth,
      extent: [bp(p.lo), bp(p.hi)] as [number, number],
    };
  });
  out.sort((p, q) => p.row - q.row || p.extent[0] - q.extent[0]);
  return { region, width, fontSize, labelOffset: LABEL_OFFSET, rows: rowEnds.length, genes: out };
}

/** Where {@link geneTrackMarks} draws the rows, in the plot's y units. */
export interface GeneTrackPlacement {
  /** y of row 0's centre line. */
  y: number;
  /** From one row's centre to the next (negative on an upward y axis, positive on pixel coordinates). */
  rowStep: number;
  /** Height of an exon box, in y units (default 0.45 × |rowStep|). */
  exonHeight?: number;
  /** Colour of genes and exons (default LocusZoom's gene blue, `#363696`). */
  color?: string;
}

/**
 * The gene track's marks on an x axis in Mb: a line per gene (clipped to the window), a box per exon (or a
 * thin box over a gene without exons), and the names with their strand arrows (italic) where the layout put
 * them; a name inside a gene gets a white halo. Each mark has a `title` (gene, coordinates, strand) for
 * browsers' tooltips.
 *
 * Marks: `ruleY` gene lines (one per gene), `rect` exons (one per exon in the window; a gene without exons:
 * one thin box), `text` names (up to three marks: right of, left of, inside genes).
 *
 * @param layout From {@link geneTrackLayout}.
 * @param placement Where row 0 is, the row step and the exon height, in the plot's y units.
 * @returns Plot marks (x in Mb).
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const genes = pl.DataFrame({ geneId: ["Aa1", "Bb2"], start: [1e6, 1.01e6], end: [1.05e6, 1.2e6], strand: ["+", "-"] });
 * const layout = plots.geneTrackLayout(genes, { region: { start: 0.9e6, end: 1.5e6 }, width: 600 });
 * const fig = plots.renderFigure({
 *   width: 640, height: 80, marginLeft: 20, marginRight: 20,
 *   x: { domain: [0.9, 1.5] }, y: { type: "identity", axis: null },
 *   marks: plots.geneTrackMarks(layout, { y: 20, rowStep: 18 }),
 * });
 * assert.ok(fig.svg.includes(">Aa1 →<title>Aa1 (+ strand): 1000000–1050000</title></text>"));
 * assert.ok(fig.svg.includes(">← Bb2<title>"));
 * ```
 */
export function geneTrackMarks(layout: GeneTrackLayout, placement: GeneTrackPlacement): Plot.Markish[] {
  const { y, rowStep } = placement;
  const exonHeight = placement.exonHeight ?? 0.45 * Math.abs(rowStep);
  const color = placement.color ?? "#363696";
  const { start: lo, end: hi } = layout.region;
  const clip = (v: number) => Math.min(hi, Math.max(lo, v)) / 1e6;
  const rowY = (g: GeneTrackGene) => y + g.row * rowStep;
  const where = layout.region.chromosome ? `${layout.region.chromosome}:` : "";
  const title = (g: GeneTrackGene) =>
    `${g.geneId}${g.strand ? ` (${g.strand} strand)` : ""}: ${where}${g.start}–${g.end}`;
  const boxes = layout.genes.flatMap((g) => {
    const inWindow = g.exons.filter((e) => e.end >= lo && e.start <= hi);
    const half = (g.exons.length > 0 ? 1 : 0.4) * exonHeight / 2;
    const parts = g.exons.length > 0 ? inWindow : [{ start: g.start, end: g.end }];
    return parts.map((e) => ({ x1: clip(e.start), x2: clip(e.end), y1: rowY(g) - half, y2: rowY(g) + half, g }));
  });
  const text = (side: GeneTrackGene["labelSide"]) => layout.genes.filter((g) => g.labelSide === side);
  const common = {
    y: rowY,
    text: (g: GeneTrackGene) => g.label,
    fontSize: layout.fontSize,
    fontStyle: "italic",
    fill: "#222",
    title,
  };
  return [
    Plot.ruleY(layout.genes, { y: rowY, x1: (g) => clip(g.start), x2: (g) => clip(g.end), stroke: color, title }),
    Plot.rect(boxes, {
      x1: "x1",
      x2: "x2",
      y1: "y1",
      y2: "y2",
      fill: color,
      // An exon of a hundred bases is < 1 px at a 2 Mb scale: keep it visible.
      insetLeft: -0.5,
      insetRight: -0.5,
      title: (b: { g: GeneTrackGene }) => title(b.g),
    }),
    Plot.text(text("right"), {
      ...common,
      x: (g) => clip(g.end),
      textAnchor: "start",
      dx: layout.labelOffset,
    }),
    Plot.text(text("left"), {
      ...common,
      x: (g) => clip(g.start),
      textAnchor: "end",
      dx: -layout.labelOffset,
    }),
    Plot.text(text("inside"), {
      ...common,
      x: (g) => clip(g.start),
      textAnchor: "start",
      dx: layout.labelOffset,
      stroke: "#fff",
      strokeWidth: 3,
    }),
  ];
}

// ------------------------------------------------------------------------------------------ the data

interface GeneRow {
  geneId: string;
  chromosome: string | null;
  start: number;
  end: number;
  strand: string;
}

function positive(value: unknown, parameter: string, fix: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  throw new ValidationError(parameter, value, "must be a positive number", fix);
}

/** The gene frame's rows, checked: finite positions, end ≥ start. */
function geneRows(genes: pl.DataFrame): GeneRow[] {
  const hasChromosome = genes.columns.includes("chromosome");
  return (genes.toRecords() as Record<string, unknown>[]).map((r, i) => {
    const start = Number(r.start);
    const end = Number(r.end);
    if (!(Number.isFinite(start) && Number.isFinite(end) && end >= start)) {
      throw new ValidationError(
        `genes[${i}]`,
        { geneId: r.geneId, start: r.start, end: r.end },
        "a gene needs finite start and end positions with end ≥ start",
        "fix or drop the row (positions in base pairs, as the gene table writes them)",
      );
    }
    const strand = r.strand === "+" || r.strand === "-" ? r.strand : "";
    const chromosome = hasChromosome && r.chromosome != null ? String(r.chromosome) : null;
    return { geneId: String(r.geneId), chromosome, start, end, strand };
  });
}

function windowOf(rows: GeneRow[], region: GeneTrackLayoutOptions["region"]): GenomeRegion {
  if (region !== undefined) {
    const r = checkKeys<NonNullable<GeneTrackLayoutOptions["region"]>>(
      region,
      "options.region",
      ["chromosome", "start", "end"],
      "pass region: { chromosome: 'chr10', start: 99_800_000, end: 101_800_000 }",
    );
    if (!(Number.isFinite(r.start) && Number.isFinite(r.end) && r.end > r.start)) {
      throw new ValidationError(
        "options.region",
        region,
        "start and end must be finite base-pair positions with end > start",
        "pass region: { chromosome: 'chr10', start: 99_800_000, end: 101_800_000 }",
      );
    }
    return { chromosome: r.chromosome ?? "", start: r.start, end: r.end };
  }
  if (rows.length === 0) {
    throw new ValidationError(
      "options.region",
      region,
      "the gene frame is empty and no window was given",
      "pass options.region (the track then says the window has no gene)",
    );
  }
  const chromosomes = [...new Set(rows.map((g) => g.chromosome).filter((c) => c !== null))];
  if (chromosomes.length > 1) {
    throw new ValidationError(
      "options.region",
      region,
      `the genes lie on ${chromosomes.length} chromosomes (${chromosomes.join(", ")}) and no window was given`,
      "pass options.region: { chromosome, start, end }",
    );
  }
  const start = Math.min(...rows.map((g) => g.start));
  const end = Math.max(...rows.map((g) => g.end));
  const pad = Math.max((end - start) * 0.02, 1000);
  return { chromosome: chromosomes[0] ?? "", start: start - pad, end: end + pad };
}

function exonsByGene(exons: pl.DataFrame | undefined): Map<string, { start: number; end: number }[]> {
  const out = new Map<string, { start: number; end: number }[]>();
  if (exons === undefined) return out;
  checkFrame(exons, "options.exons", "exon", ["geneId", "start", "end"]);
  for (const r of exons.toRecords() as Record<string, unknown>[]) {
    const start = Number(r.start);
    const end = Number(r.end);
    if (!(Number.isFinite(start) && Number.isFinite(end))) {
      throw new ValidationError(
        "options.exons",
        { geneId: r.geneId, start: r.start, end: r.end },
        "an exon needs finite start and end positions",
        "fix or drop the row (positions in base pairs, as the exon route returns them)",
      );
    }
    const id = String(r.geneId);
    if (!out.has(id)) out.set(id, []);
    out.get(id)!.push({ start: Math.min(start, end), end: Math.max(start, end) });
  }
  return out;
}
