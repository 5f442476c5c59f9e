/**
 * A locus plot of one gene: −log10(p) of its significant cis-variants by position, per tissue, over a
 * gene-model track, with the TSS and the conditionally independent eQTLs marked.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkFrame, figureOptions, STRING_LIST } from "./_check.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { niceTicks } from "./legend.ts";
import { tissueColor, type TissueColors, tissueColorScale, tissueOrder } from "../_core/tissues.ts";

/** The frames {@link eqtlLocus} draws (from the routes of the same names); only `singleTissueEqtl` is required. */
export interface LocusData {
  /** `singleTissueEqtl` frame: `geneId`, `tissueSiteDetailId`, `variantId`, `pos`, `pValue`. */
  singleTissueEqtl: pl.DataFrame;
  /** `exon` frame (`geneId`, `start`, `end`, `strand`): the gene-model track. */
  exon?: pl.DataFrame;
  /** `eqtl` frame (`geneId`, `tissueSiteDetailId`, `variantId`): independent eQTLs to highlight. */
  eqtl?: pl.DataFrame;
  /** `gene` frame (`geneId`, `tss`, `strand`, `chromosome`): the TSS (else taken from the exons). */
  gene?: pl.DataFrame;
}

/** Options of {@link eqtlLocus}; any Plot option overrides the defaults. */
export interface EqtlLocusOptions extends FigureOverrides {
  /** The gene to draw when the frames hold several (default: the only one). */
  geneId?: string;
  /** One facet row per tissue (default false: one panel, coloured by tissue). */
  facetByTissue?: boolean;
  /** Tissues to show, in this order (default: those with variants, in the server's order). */
  tissues?: readonly string[];
  /** Colour overrides for tissues (default: the official colours). */
  tissueColors?: TissueColors;
}

type Row = Record<string, unknown>;

/** The gene's span with 10 % either side, in Mb (the x domain when no variant sets it). */
function padded(exons: { start: number; end: number }[]): [number, number] {
  const lo = Math.min(...exons.map((e) => e.start));
  const hi = Math.max(...exons.map((e) => e.end));
  const pad = Math.max((hi - lo) * 0.1, 0.005);
  return [lo - pad, hi + pad];
}

function rowsOf(frame: pl.DataFrame | undefined, name: string, columns: string[], geneId: string | null): Row[] {
  if (frame === undefined) return [];
  checkFrame(frame, `data.${name}`, name, columns);
  const rows = frame.toRecords() as Row[];
  return geneId === null ? rows : rows.filter((r) => r.geneId === geneId);
}

/**
 * −log10(p) of a gene's significant cis-variants (`singleTissueEqtl`) by position, one colour per tissue
 * (official colours) or one facet row per tissue; below, the gene model from `exon` (one-transcript
 * model: exons as boxes on an intron line, strand arrow), the TSS as a dashed rule across the plot, and
 * the conditionally independent eQTLs from `eqtl` ringed in their tissue's colour (several tissues at one
 * variant whose dots overlap: concentric rings, in portal order). A gene with no significant pair (an empty
 * `singleTissueEqtl`, the gene named by `exon` or `gene`) is drawn as its gene model with a note saying so.
 *
 * Marks: `ruleX` TSS, `dot` variants (one per singleTissueEqtl row), `dot` rings (one per independent
 * eQTL found among the variants), `text` note (only without variants), then the gene track: `ruleY` intron line, `rect` exons (one per exon
 * row), `text` gene label.
 *
 * @param data The frames: `singleTissueEqtl` (required), `exon`, `eqtl`, `gene`.
 * @param options Gene, faceting, tissues, and any Plot option to override.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import { createClient, eqtl, exon, gene, plots, singleTissueEqtl } from "ratgtex";
 * import assert from "node:assert/strict";
 * const client = createClient({ source: "offline" });
 * const variants = await singleTissueEqtl("Cd300lf", { client });
 * const fig = plots.eqtlLocus({
 *   singleTissueEqtl: variants,
 *   exon: await exon("Cd300lf", { client }),
 *   eqtl: await eqtl("Cd300lf", { client }),
 *   gene: await gene("Cd300lf", { client }),
 * });
 * assert.ok(fig.svg!.includes(">TSS<"));
 * assert.ok(fig.svg!.includes(`${variants.height} variant–tissue pairs`));
 * ```
 */
export function eqtlLocus(data: LocusData, options: EqtlLocusOptions = {}): PlotFigure {
  figureOptions<EqtlLocusOptions>("eqtlLocus", options, {
    geneId: "string",
    facetByTissue: "boolean",
    tissues: STRING_LIST,
    tissueColors: "object",
  });
  checkLocusData(data);
  const { geneId: wanted, facetByTissue: facetOption = false, tissues, tissueColors, ...plot } = options;
  const all = rowsOf(data.singleTissueEqtl, "singleTissueEqtl", STE_COLUMNS, null);
  const geneId = chooseGene(data, all, wanted);
  const tissueIds = tissues
    ? [...tissues]
    : tissueOrder(all.filter((r) => r.geneId === geneId).map((r) => String(r.tissueSiteDetailId)));
  const variants = locusVariants(all, geneId, new Set(tissueIds));
  const empty = variants.length === 0;
  if (empty && tissues !== undefined && all.some((r) => r.geneId === geneId)) {
    throw new ValidationError(
      "options.tissues",
      tissues,
      `no significant variant of ${geneId} in the chosen tissues`,
      "leave tissues out (every tissue with variants) or choose tissues of singleTissueEqtl",
    );
  }
  // Facets need tissues: with nothing significant there is one panel.
  const facet = facetOption && !empty;
  const exons = rowsOf(data.exon, "exon", ["geneId", "start", "end"], geneId)
    .map((r) => ({ start: Number(r.start) / 1e6, end: Number(r.end) / 1e6, strand: String(r.strand ?? "") }));
  const rings = independentRings(variants, rowsOf(data.eqtl, "eqtl", EQTL_COLUMNS, geneId), facet);
  const geneRow = rowsOf(data.gene, "gene", ["geneId", "tss"], geneId)[0];
  const strand = String(geneRow?.strand ?? exons[0]?.strand ?? "");
  const tss = tssOf(geneRow, exons, strand);
  const chromosome = String(geneRow?.chromosome ?? all.find((r) => r.geneId === geneId)?.chromosome ?? "");

  // With nothing significant the axis still spans 0–1 (the gene track below it, the note above).
  const maxLogP = empty ? 1 : Math.max(...variants.map((v) => v.logP));
  // The gene track sits below y = 0, in −log10(p) units, so it shares the x axis with the variants.
  const unit = Math.max(maxLogP, 1) / (facet ? 4 : 8);
  const track = { y: -1.6 * unit, half: 0.45 * unit };
  const fy = facet ? { fy: "tissue" } : {};
  const first = facet ? [{ tissue: tissueIds[0] }] : [{}];
  const last = facet ? [{ tissue: tissueIds[tissueIds.length - 1] }] : [{}];
  const marks: Plot.Markish[] = [
    ...tssRule(tss),
    ...variantMarks(variants, rings, fy),
    ...(empty ? [emptyNote(geneId, tissues !== undefined)] : []),
    ...geneModelMarks(exons, { geneId, strand, ...track, at: last, tissue: tissueIds[tissueIds.length - 1], fy }),
    ...tssLabel(tss, maxLogP * 1.08, first, fy),
  ];
  const merged = mergePlotOptions(
    locusFrame({ facet, empty, exons, chromosome, maxLogP, track, tissueIds, tissueColors, marks }),
    plot,
  );
  const color = merged.color as { domain?: string[]; range?: string[] } | undefined;
  return new PlotFigure(merged, {
    title: `${geneId}: significant cis-eQTL variants by tissue`,
    subtitle: empty
      ? "No variant–tissue pair with p below the gene's threshold; dashed: TSS"
      : `${variants.length} variant–tissue pair${variants.length === 1 ? "" : "s"} with p below the gene's ` +
        `threshold; ringed in the tissue's colour: conditionally independent eQTLs (${rings.length}); dashed: TSS`,
    legends: facet || empty ? [] : [{
      type: "swatches",
      label: "Tissue",
      domain: color?.domain ?? tissueIds,
      range: color?.range ?? tissueIds.map((t) => tissueColor(t, tissueColors)),
      shape: "circle",
    }],
  });
}

// ------------------------------------------------------------------------------------------ the data

const STE_COLUMNS = ["geneId", "tissueSiteDetailId", "variantId", "pos", "pValue"];
const EQTL_COLUMNS = ["geneId", "tissueSiteDetailId", "variantId"];

/** One significant variant–tissue pair, placed. */
interface LocusVariant {
  tissue: string;
  variantId: string;
  mb: number;
  logP: number;
}

/** An independent eQTL's ring: a variant with its ring radius (px). */
type Ring = LocusVariant & { r: number };

function checkLocusData(data: LocusData): void {
  if (data === null || typeof data !== "object" || data.singleTissueEqtl === undefined) {
    throw new ValidationError(
      "data",
      data,
      "eqtlLocus draws { singleTissueEqtl, exon?, eqtl?, gene? } (frames from those routes)",
      "pass { singleTissueEqtl: await singleTissueEqtl(gene) } and optionally exon, eqtl and gene frames",
    );
  }
}

/**
 * The gene to draw: the one asked, the only one of `singleTissueEqtl`, or — for a gene without significant
 * variants, still drawn as its gene model with a note — the only one the gene or exon frame names.
 */
function chooseGene(data: LocusData, all: Row[], wanted: string | undefined): string {
  const genes = [...new Set(all.map((r) => String(r.geneId)))];
  const modelGenes = [
    ...new Set(
      [data.gene, data.exon].flatMap((f) => f && f.columns.includes("geneId") ? f.getColumn("geneId").toArray() : [])
        .map(String),
    ),
  ];
  if (wanted !== undefined) {
    if (!genes.includes(wanted) && !modelGenes.includes(wanted)) {
      throw new ValidationError(
        "options.geneId",
        wanted,
        `no frame holds ${wanted}: singleTissueEqtl holds ${genes.join(", ") || "no gene"}`,
        genes.length > 0 ? `pass geneId: one of ${genes.join(", ")}` : "pass the gene's frames",
      );
    }
    return wanted;
  }
  if (genes.length === 1) return genes[0];
  if (genes.length === 0 && modelGenes.length === 1) return modelGenes[0];
  if (genes.length === 0) {
    throw new ValidationError(
      "data.singleTissueEqtl.height",
      0,
      "singleTissueEqtl has no rows (the gene has no significant variant) and no gene or exon frame names the gene",
      "pass the gene's exon or gene frame too (the gene model is drawn with a note), or choose a gene with eQTLs",
    );
  }
  throw new ValidationError(
    "options.geneId",
    wanted,
    `singleTissueEqtl holds ${genes.length} genes (${genes.join(", ")}); eqtlLocus draws one`,
    `choose one with options.geneId, e.g. geneId: ${JSON.stringify(genes[0])}`,
  );
}

/** The gene's significant pairs in the kept tissues, in Mb and −log10(p) (non-finite ones dropped). */
function locusVariants(all: Row[], geneId: string, keep: Set<string>): LocusVariant[] {
  return all
    .filter((r) => r.geneId === geneId && keep.has(String(r.tissueSiteDetailId)))
    .map((r) => ({
      tissue: String(r.tissueSiteDetailId),
      variantId: String(r.variantId),
      mb: Number(r.pos) / 1e6,
      logP: -Math.log10(Number(r.pValue)),
    }))
    .filter((v) => Number.isFinite(v.mb) && Number.isFinite(v.logP));
}

/**
 * Rings in the tissue's colour around the independent eQTLs; tissues ringed at one variant with overlapping
 * dots (−log10 p within 4 % of the axis) get concentric rings, in portal order, so each colour stays visible.
 */
function independentRings(variants: LocusVariant[], eqtls: Row[], facet: boolean): Ring[] {
  const independent = new Set(eqtls.map((r) => `${r.tissueSiteDetailId}|${r.variantId}`));
  const ringed = variants.filter((v) => independent.has(`${v.tissue}|${v.variantId}`));
  const near = 0.04 * Math.max(1, ...variants.map((v) => v.logP));
  const placed: LocusVariant[] = [];
  return tissueOrder(new Set(ringed.map((v) => v.tissue))).flatMap((t) =>
    ringed.filter((v) => v.tissue === t).map((v) => {
      const k = placed.filter((q) =>
        q.variantId === v.variantId && Math.abs(q.logP - v.logP) < near && (!facet || q.tissue === v.tissue)
      ).length;
      placed.push(v);
      return { ...v, r: 6.5 + 3 * k };
    })
  );
}

/** The TSS in Mb: the gene table's, else the exons' start on + (end on −), else NaN. */
function tssOf(geneRow: Row | undefined, exons: { start: number; end: number }[], strand: string): number {
  if (geneRow) return Number(geneRow.tss) / 1e6;
  if (exons.length === 0) return NaN;
  return strand === "-" ? Math.max(...exons.map((e) => e.end)) : Math.min(...exons.map((e) => e.start));
}

// ------------------------------------------------------------------------------------------ the marks

function tssRule(tss: number): Plot.Markish[] {
  return Number.isFinite(tss) ? [Plot.ruleX([tss], { stroke: "#444", strokeDasharray: "4,3", strokeWidth: 1 })] : [];
}

function tssLabel(tss: number, y: number, at: object[], fy: object): Plot.Markish[] {
  if (!Number.isFinite(tss)) return [];
  return [Plot.text(at, { x: tss, y, text: () => "TSS", dx: 4, textAnchor: "start", fill: "#444", ...fy })];
}

/** The zero line, a dot per pair (official tissue colours), and the independent eQTLs' rings. */
function variantMarks(variants: LocusVariant[], rings: Ring[], fy: object): Plot.Markish[] {
  return [
    Plot.ruleY([0], { stroke: "#999" }),
    Plot.dot(variants, {
      x: "mb",
      y: "logP",
      fill: "tissue",
      r: 3,
      fillOpacity: 0.85,
      stroke: "#fff",
      strokeWidth: 0.5,
      title: (v: LocusVariant) => `${v.variantId} in ${v.tissue}: −log10(p) = ${v.logP.toFixed(2)}`,
      ...fy,
    }),
    Plot.dot(rings, { x: "mb", y: "logP", r: "r", stroke: "tissue", strokeWidth: 1.5, fill: "none", ...fy }),
  ];
}

function emptyNote(geneId: string, chosen: boolean): Plot.Markish {
  return Plot.text([
    `No significant cis-eQTL variant of ${geneId} in any tissue${chosen ? " chosen" : ""}: gene model only`,
  ], {
    frameAnchor: "middle",
    dy: -20,
    text: (t: string) => t,
    fontSize: 12,
    fill: "#444",
    stroke: "#fff", // a halo where the note crosses the TSS rule
    strokeWidth: 4,
  });
}

/** Where and how the one-transcript gene model is drawn. */
interface GeneModelPlacement {
  geneId: string;
  strand: string;
  /** The track's centre and the exons' half height, in y units. */
  y: number;
  half: number;
  /** The facet datum the track is drawn in (`[{}]` without facets). */
  at: object[];
  tissue: string;
  fy: object;
}

/** The gene model: an intron line, exons as boxes, the name with a strand arrow. */
function geneModelMarks(exons: { start: number; end: number }[], g: GeneModelPlacement): Plot.Markish[] {
  if (exons.length === 0) return [];
  const lo = Math.min(...exons.map((e) => e.start));
  const hi = Math.max(...exons.map((e) => e.end));
  return [
    Plot.ruleY(g.at, { y: g.y, x1: lo, x2: hi, stroke: "#333", strokeWidth: 1, ...g.fy }),
    Plot.rect(exons.map((e) => ({ ...e, tissue: g.tissue })), {
      x1: "start",
      x2: "end",
      y1: g.y - g.half,
      y2: g.y + g.half,
      fill: "#333",
      insetLeft: -0.5,
      insetRight: -0.5, // an exon of a few hundred bases is < 1 px at a 2 Mb scale: keep it visible
      ...g.fy,
    }),
    Plot.text(g.at, {
      x: g.strand === "-" ? lo : hi,
      y: g.y,
      text: () => `${g.strand === "-" ? "◀ " : ""}${g.geneId}${g.strand === "+" ? " ▶" : ""}`,
      textAnchor: g.strand === "-" ? "end" : "start",
      dx: g.strand === "-" ? -6 : 6,
      fontSize: 10,
      fontStyle: "italic",
      ...g.fy,
    }),
  ];
}

/** The frame around the marks: size, axes (the y axis from the gene track to above the top pair), colours. */
function locusFrame(f: {
  facet: boolean;
  empty: boolean;
  exons: { start: number; end: number }[];
  chromosome: string;
  maxLogP: number;
  track: { y: number; half: number };
  tissueIds: string[];
  tissueColors: TissueColors | undefined;
  marks: Plot.Markish[];
}): FigureOverrides {
  return {
    width: 760,
    height: f.facet ? 70 + 90 * f.tissueIds.length : 400,
    marginLeft: 50,
    marginRight: f.facet ? 70 : 20,
    marginBottom: 40,
    x: {
      label: `Position on ${f.chromosome} (Mb)`,
      labelAnchor: "center",
      labelArrow: "none",
      nice: false,
      ...(f.empty && f.exons.length > 0 ? { domain: padded(f.exons) } : {}),
    },
    y: {
      label: "−log10(p)",
      domain: [f.track.y - f.track.half * 1.6, f.maxLogP * 1.15],
      // Round ticks from 0 (none below: that is the gene track), few enough for a 90 px facet row even when
      // −log10(p) reaches the hundreds.
      ticks: f.empty ? [] : niceTicks(0, f.maxLogP * 1.15, f.facet ? 5 : 8),
      grid: true,
    },
    color: tissueColorScale(f.tissueIds, f.tissueColors),
    r: { type: "identity" }, // ring radii are pixels
    ...(f.facet ? { fy: { domain: f.tissueIds, label: null, axis: "right" as const } } : {}),
    marks: f.marks,
  };
}
