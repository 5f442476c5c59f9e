/**
 * The layout of a regional association figure: stacked panels sharing one x axis (position in Mb), each a
 * band of pixels with its own y scale — the GWAS, one panel per gene × tissue (× modality), PIP panels —
 * and the gene track under them. Every point is placed and coloured here, so the marks only draw.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { formatPValue, plural } from "../_core/format.ts";
import { closest } from "../_core/options.ts";
import { checkKeys } from "./_options.ts";
import {
  type AssociationRow,
  associationRows,
  ldValues,
  normaliseChromosome,
  type PipRow,
  pipRows,
} from "./_regional_data.ts";
import { type GeneTrackLayout, geneTrackLayout, type GenomeRegion } from "./gene_track.ts";
import { niceTicks } from "./legend.ts";
import { ldBin } from "./ld_bins.ts";

/** r² with the reference variant: a frame (`variantId`, `r2`; null r² = unknown) or a map by variant ID. */
export type LdInput = pl.DataFrame | ReadonlyMap<string, number | null>;

/**
 * One gene × tissue (× modality) panel: every tested variant of the gene's cis window with its p-value.
 *
 * `frame` columns: `variantId` (`chrN:pos`), `pValue`; optional `pos` (bp; else read from the ID) and
 * `chromosome`. tensorQTL's names (`variant_id`, `pval_nominal`) are refused with the rename that fixes them.
 */
export interface QtlPanel {
  /** Every tested variant: `variantId`, `pValue`, optional `pos`, `chromosome`. */
  frame: pl.DataFrame;
  /** The panel's title (default `"{geneId} in {tissueSiteDetailId} ({modality})"`). */
  label?: string;
  /** The gene (for the default title). */
  geneId?: string;
  /** The tissue (for the default title). */
  tissueSiteDetailId?: string;
  /** The modality (for the default title; default `"expression"`). */
  modality?: string;
  /** The gene's nominal p-value threshold (`pValueThreshold`, `pval_nominal_threshold`), drawn as a dashed line. */
  threshold?: number;
  /** Conditionally independent xQTL variants (`eqtl`'s `variantId`s), ringed. */
  independent?: readonly string[];
  /** LD for this panel only (e.g. over the tissue's rats); default: the figure's `ld`. */
  ld?: LdInput;
}

/** A fine-mapping panel: `frame` columns `variantId`, `pip`, `credibleSet` (null outside every set), optional `pos`. */
export interface PipPanel {
  /** Fine-mapping results: `variantId`, `pip`, `credibleSet`, optional `pos`, `chromosome`. */
  frame: pl.DataFrame;
  /** The panel's title (default `"Fine-mapping (PIP)"`). */
  label?: string;
}

/** What a regional figure draws. Positions in base pairs; every frame on one chromosome. */
export interface RegionalAssociationData {
  /** The GWAS: `variantId`, `pValue`, optional `pos`, `chromosome` (what `readGwas` returns). */
  gwas?: pl.DataFrame;
  /** One panel per gene × tissue (× modality), drawn in this order under the GWAS. */
  panels?: readonly QtlPanel[];
  /** r² of each variant with `reference` (`variantId`, `r2`: what the LD workflow returns), or a map. */
  ld?: LdInput;
  /** The reference variant (`chrN:pos`): a purple diamond; points are coloured by r² with it. */
  reference?: string;
  /** Genes for the track: `geneId`, `start`, `end`, `strand`, optional `chromosome` (the gene table). */
  genes?: pl.DataFrame;
  /** Exons for the track: `geneId`, `start`, `end` (the `exon` route's frame). */
  exons?: pl.DataFrame;
  /** Fine-mapping panels under the association panels: a frame, `{ label, frame }`, or several. */
  pip?: pl.DataFrame | PipPanel | readonly PipPanel[];
  /** The window (default: the variants' span, 2 % either side). */
  region?: GenomeRegion;
}

/** Options of {@link regionalAssociationLayout}. */
export interface RegionalLayoutOptions {
  /** Width of the figure in pixels (default 760). */
  width?: number;
  /** Left margin, for the y axes (default 64). */
  marginLeft?: number;
  /** Right margin (default 16). */
  marginRight?: number;
  /** The GWAS's significance threshold (default 5e-8, genome-wide); null draws none. */
  gwasThreshold?: number | null;
  /** The GWAS panel's title (default `"GWAS"`). */
  gwasLabel?: string;
  /** Height of each association panel in pixels (default 150 for 1–2 panels, 120 for 3–4, 100 for more). */
  panelHeight?: number;
  /** Height of each PIP panel in pixels (default 80). */
  pipHeight?: number;
  /** Font size of gene names (default 10). */
  geneFontSize?: number;
}

/** One variant of an association panel, placed. */
export interface AssociationPoint {
  /** The variant. */
  variantId: string;
  /** Position (bp). */
  pos: number;
  /** The p-value. */
  pValue: number;
  /** −log10 p (for p = 0, the panel's top: see `capped`). */
  logP: number;
  /** p = 0 (below double precision): drawn at the panel's top as a triangle. */
  capped: boolean;
  /** r² with the reference variant, null when unknown. */
  r2: number | null;
  /** Its LocusZoom bin (index into `LD_BINS`), -1 when r² is unknown. */
  bin: number;
  /** Whether it is the reference variant. */
  reference: boolean;
  /** Whether it is a conditionally independent xQTL of the panel. */
  independent: boolean;
}

/** One variant of a PIP panel, placed. */
export interface PipPoint {
  /** The variant. */
  variantId: string;
  /** Position (bp). */
  pos: number;
  /** Posterior inclusion probability. */
  pip: number;
  /** Its credible set (as text), or null. */
  credibleSet: string | null;
  /** Whether it is the reference variant. */
  reference: boolean;
}

/** What every panel has: a band of pixels with its own y scale, a title row above it. */
export interface PanelBand {
  /** Title (bold, left). */
  label: string;
  /** What the panel holds (grey, right of the title row). */
  detail: string;
  /** Top edge of the band, in pixels from the top of the plot. */
  top: number;
  /** Height of the band in pixels. */
  height: number;
  /** y values at the band's bottom and top edge. */
  domain: [number, number];
  /** y tick values. */
  ticks: number[];
  /** y axis label, with its unit. */
  yLabel: string;
  /** Pixel of a y value. */
  y: (value: number) => number;
}

/** An association panel (GWAS or xQTL): −log10 p of every variant. */
export interface AssociationPanelLayout extends PanelBand {
  /** Kind of panel. */
  kind: "association";
  /** The variants, in drawing order (unknown r² first, then by r², the reference last). */
  points: AssociationPoint[];
  /** Significance threshold (p), or null. */
  threshold: number | null;
  /** What the threshold is (`"genome-wide"`, `"gene"`). */
  thresholdKind: string;
}

/** A fine-mapping panel: PIP (0–1) of every variant, coloured by credible set. */
export interface PipPanelLayout extends PanelBand {
  /** Kind of panel. */
  kind: "pip";
  /** The variants, those outside every set first. */
  points: PipPoint[];
  /** The credible sets, in legend order, with their colours. */
  sets: { credibleSet: string; label: string; color: string }[];
}

/** A panel of the regional figure. */
export type RegionalPanelLayout = AssociationPanelLayout | PipPanelLayout;

/** Where everything of a regional figure goes (pixels for y, Mb for x). */
export interface RegionalAssociationLayout {
  /** Figure width (px). */
  width: number;
  /** Plot height (px), x axis included. */
  height: number;
  /** Left margin (px). */
  marginLeft: number;
  /** Right margin (px). */
  marginRight: number;
  /** Bottom margin (px): the x axis. */
  marginBottom: number;
  /** The window (bp). */
  region: GenomeRegion;
  /** The x domain in Mb. */
  xDomain: [number, number];
  /** x tick values (Mb), shared by the axis and the panels' grid. */
  xTicks: number[];
  /** The reference variant and its position, or null. */
  reference: { variantId: string; pos: number } | null;
  /** The panels, top to bottom. */
  panels: RegionalPanelLayout[];
  /** The gene track (its layout, the centre of row 0 and the row step, in px), or null without genes. */
  genes: { top: number; y: number; rowStep: number; layout: GeneTrackLayout } | null;
  /** What the figure must say: rows not drawn, variants not found, LD missing. */
  notes: string[];
}

/** Colours of credible sets, one per set (ColorBrewer Dark2: apart from LocusZoom's LD colours). */
export const CREDIBLE_SET_COLORS: readonly string[] = [
  "#1b9e77",
  "#d95f02",
  "#7570b3",
  "#e7298a",
  "#66a61e",
  "#e6ab02",
  "#a6761d",
  "#666666",
];

/** The colour of a variant outside every credible set. */
export const NO_SET_COLOR = "#c8c8c8";

const DATA_KEYS = ["gwas", "panels", "ld", "reference", "genes", "exons", "pip", "region"];
const PANEL_KEYS = ["frame", "label", "geneId", "tissueSiteDetailId", "modality", "threshold", "independent", "ld"];
const LAYOUT_OPTION_KEYS = [
  "width",
  "marginLeft",
  "marginRight",
  "gwasThreshold",
  "gwasLabel",
  "panelHeight",
  "pipHeight",
  "geneFontSize",
];
const USAGE = "regionalAssociation({ gwas, panels: [{ label, frame, threshold, independent }], ld, reference, " +
  "genes }, options)";
const TITLE_HEIGHT = 18;
const PANEL_GAP = 10;
const MARGIN_TOP = 4;
const MARGIN_BOTTOM = 40;

/**
 * Lay out a regional association figure: the window, every panel's band and y scale, every point with its
 * r² bin, the gene track's rows. `regionalAssociation` draws this; use it to add your own marks in the
 * panels' coordinates (`layout.panels[k].y(value)` is the pixel of a value in panel k; x is in Mb).
 *
 * @param data The frames: `gwas`, `panels`, `ld`, `reference`, `genes`, `exons`, `pip`, `region`.
 * @param options Width, margins, the GWAS threshold and title, panel heights.
 * @returns The layout.
 * @throws {ValidationError} Naming the field and the fix: an unknown key (with a did-you-mean), a frame
 *   without its columns, frames on different chromosomes, a reference variant in no frame, a bad threshold.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const frame = pl.DataFrame({
 *   variantId: ["chr1:1000000", "chr1:1100000", "chr1:1200000"],
 *   pValue: [1e-9, 1e-3, 0.5],
 * });
 * const layout = plots.regionalAssociationLayout({
 *   panels: [{ label: "Aa1 in IL (expression)", frame, threshold: 1e-4 }],
 *   ld: new Map([["chr1:1100000", 0.7]]),
 *   reference: "chr1:1000000",
 *   genes: pl.DataFrame({ geneId: ["Aa1"], start: [1_050_000], end: [1_090_000], strand: ["+"] }),
 * });
 * const panel = layout.panels[0] as plots.AssociationPanelLayout;
 * assert.equal(panel.points.length, 3);
 * assert.equal(panel.points.at(-1)!.reference, true); // drawn last, on top
 * assert.equal(panel.points.find((p) => p.variantId === "chr1:1100000")!.bin, 3); // 0.6–0.8: orange
 * assert.ok(panel.y(9) < panel.y(0)); // pixels grow downwards
 * assert.equal(layout.genes!.layout.genes[0].geneId, "Aa1");
 * ```
 */
export function regionalAssociationLayout(
  data: RegionalAssociationData,
  options: RegionalLayoutOptions = {},
): RegionalAssociationLayout {
  const d = checkKeys<RegionalAssociationData>(data, "data", DATA_KEYS, USAGE);
  const o = checkKeys<RegionalLayoutOptions>(options, "options", LAYOUT_OPTION_KEYS, USAGE);
  const width = pixels(o.width ?? 760, "options.width", 200);
  const marginLeft = pixels(o.marginLeft ?? 64, "options.marginLeft", 0);
  const marginRight = pixels(o.marginRight ?? 16, "options.marginRight", 0);
  const notes: string[] = [];

  // ---------------------------------------------------------------- read every frame
  const inputs = associationInputs(d, o, notes);
  const pipInputs = pipPanelInputs(d.pip);
  if (inputs.length === 0 && pipInputs.length === 0) {
    throw new ValidationError(
      "data.panels",
      d.panels,
      "nothing to draw: no GWAS, no panel and no PIP frame",
      "pass data.gwas and/or data.panels: [{ label, frame }]",
    );
  }
  const region = regionOf(d.region, [...inputs.map((p) => p.rows), ...pipInputs.map((p) => p.rows)], [
    ...inputs.map((p) => p.parameter),
    ...pipInputs.map((p) => p.parameter),
  ]);
  const reference = referenceOf(d.reference, inputs.length > 0, [...inputs, ...pipInputs]);
  const inRegion = (r: { pos: number }) => r.pos >= region.start && r.pos <= region.end;
  for (const p of [...inputs, ...pipInputs]) {
    const outside = p.rows.filter((r) => !inRegion(r)).length;
    if (outside > 0) notes.push(`${p.label}: ${plural(outside, "variant")} outside the window not drawn.`);
  }
  const ld = d.ld === undefined ? null : ldValues(d.ld, "data.ld");
  if (inputs.length > 0 && ld === null && inputs.every((p) => p.ld === null)) {
    notes.push("No LD was given: every variant but the reference is grey (r² unknown).");
  }

  // ---------------------------------------------------------------- bands
  const n = inputs.length;
  const panelHeight = pixels(o.panelHeight ?? (n <= 2 ? 150 : n <= 4 ? 120 : 100), "options.panelHeight", 40);
  const pipHeight = pixels(o.pipHeight ?? 80, "options.pipHeight", 30);
  const panels: RegionalPanelLayout[] = [];
  let cursor = MARGIN_TOP;
  for (const input of inputs) {
    const top = cursor + TITLE_HEIGHT;
    panels.push(associationPanel(input, top, panelHeight, reference?.variantId ?? null, input.ld ?? ld, inRegion));
    cursor = top + panelHeight + PANEL_GAP;
  }
  for (const input of pipInputs) {
    const top = cursor + TITLE_HEIGHT;
    panels.push(pipPanel(input, top, pipHeight, reference?.variantId ?? null, inRegion));
    cursor = top + pipHeight + PANEL_GAP;
  }

  // ---------------------------------------------------------------- genes
  let genes: RegionalAssociationLayout["genes"] = null;
  if (d.genes !== undefined) {
    const fontSize = pixels(o.geneFontSize ?? 10, "options.geneFontSize", 4);
    const layout = geneTrackLayout(d.genes, {
      region,
      width: width - marginLeft - marginRight,
      fontSize,
      ...(d.exons !== undefined ? { exons: d.exons } : {}),
    });
    const rowStep = Math.round(fontSize * 1.8);
    const top = cursor + TITLE_HEIGHT;
    genes = { top, y: top + rowStep / 2 + 2, rowStep, layout };
    cursor = top + Math.max(1, layout.rows) * rowStep + 4;
  }
  const height = Math.ceil(cursor + MARGIN_BOTTOM - PANEL_GAP / 2);
  const xDomain: [number, number] = [region.start / 1e6, region.end / 1e6];
  const xTicks = niceTicks(xDomain[0], xDomain[1], Math.max(3, Math.floor((width - marginLeft - marginRight) / 90)));
  return {
    width,
    height,
    marginLeft,
    marginRight,
    marginBottom: MARGIN_BOTTOM,
    region,
    xDomain,
    xTicks,
    reference,
    panels,
    genes,
    notes,
  };
}

// ------------------------------------------------------------------------------------------ inputs

interface AssociationInput {
  parameter: string;
  label: string;
  rows: AssociationRow[];
  threshold: number | null;
  thresholdKind: string;
  independent: string[];
  ld: Map<string, number | null> | null;
}

interface PipInput {
  parameter: string;
  label: string;
  rows: PipRow[];
}

function pixels(value: unknown, parameter: string, min: number): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= min) return value;
  throw new ValidationError(
    parameter,
    value,
    `must be a number of pixels ≥ ${min}`,
    `pass e.g. ${parameter}: ${min * 2 || 10}`,
  );
}

function pValueThreshold(value: unknown, parameter: string): number {
  if (typeof value === "number" && value > 0 && value <= 1) return value;
  throw new ValidationError(
    parameter,
    value,
    "a threshold is a p-value in (0, 1]",
    `pass e.g. ${parameter.split(".").pop()}: 5e-8`,
  );
}

/** The GWAS (first) and the xQTL panels, read and checked. */
function associationInputs(d: RegionalAssociationData, o: RegionalLayoutOptions, notes: string[]): AssociationInput[] {
  const out: AssociationInput[] = [];
  // Options are checked whether or not there is a GWAS: a wrong one is a mistake either way.
  const label = o.gwasLabel ?? "GWAS";
  if (typeof label !== "string") {
    throw new ValidationError(
      "options.gwasLabel",
      label,
      "must be a string",
      "pass e.g. gwasLabel: 'Body weight (GWAS)'",
    );
  }
  const threshold = o.gwasThreshold === null ? null : pValueThreshold(o.gwasThreshold ?? 5e-8, "options.gwasThreshold");
  if (d.gwas !== undefined) {
    const { rows, missing } = associationRows(d.gwas, "data.gwas");
    if (missing > 0) notes.push(`${label}: ${plural(missing, "variant")} without a p-value not drawn.`);
    out.push({
      parameter: "data.gwas",
      label,
      rows,
      threshold,
      thresholdKind: "genome-wide",
      independent: [],
      ld: null,
    });
  }
  if (d.panels !== undefined && !Array.isArray(d.panels)) {
    throw new ValidationError(
      "data.panels",
      d.panels,
      "expected an array of panels",
      "pass panels: [{ label, frame }]",
    );
  }
  (d.panels ?? []).forEach((panel, k) => {
    const parameter = `data.panels[${k}]`;
    const p = checkKeys<QtlPanel>(panel, parameter, PANEL_KEYS, "pass { label, frame, threshold?, independent? }");
    if (p.frame === undefined) {
      throw new ValidationError(
        parameter,
        panel,
        "has no frame",
        "pass { label, frame } with frame the variants' p-values",
      );
    }
    const { rows, missing } = associationRows(p.frame, `${parameter}.frame`);
    const label = panelLabel(p, parameter);
    const threshold = p.threshold === undefined ? null : pValueThreshold(p.threshold, `${parameter}.threshold`);
    if (
      p.independent !== undefined &&
      !(Array.isArray(p.independent) && p.independent.every((v) => typeof v === "string"))
    ) {
      throw new ValidationError(
        `${parameter}.independent`,
        p.independent,
        "expected an array of variant IDs",
        "pass independent: the eqtl frame's variantId values for this gene and tissue",
      );
    }
    const independent = [...(p.independent ?? [])];
    const ids = new Set(rows.map((r) => r.variantId));
    const absent = independent.filter((v) => !ids.has(v));
    if (absent.length > 0) {
      notes.push(
        `${label}: independent ${plural(absent.length, "variant")} not among the panel's variants (not ringed): ${
          absent.join(", ")
        }.`,
      );
    }
    if (missing > 0) notes.push(`${label}: ${plural(missing, "variant")} without a p-value not drawn.`);
    const ld = p.ld === undefined ? null : ldValues(p.ld, `${parameter}.ld`);
    out.push({ parameter, label, rows, threshold, thresholdKind: "gene", independent, ld });
  });
  return out;
}

function panelLabel(p: QtlPanel, parameter: string): string {
  if (p.label !== undefined) {
    if (typeof p.label !== "string" || p.label === "") {
      throw new ValidationError(
        `${parameter}.label`,
        p.label,
        "must be a non-empty string",
        "pass e.g. label: 'Cd300lf in IL (expression)'",
      );
    }
    return p.label;
  }
  if (typeof p.geneId === "string" && typeof p.tissueSiteDetailId === "string") {
    return `${p.geneId} in ${p.tissueSiteDetailId} (${p.modality ?? "expression"})`;
  }
  throw new ValidationError(
    `${parameter}.label`,
    undefined,
    "a panel needs a title",
    "pass label: 'Cd300lf in IL (expression)', or geneId and tissueSiteDetailId (and modality)",
  );
}

function pipPanelInputs(pip: RegionalAssociationData["pip"]): PipInput[] {
  if (pip === undefined) return [];
  const list = Array.isArray(pip) ? pip as readonly PipPanel[] : [
    typeof pip === "object" && pip !== null && "frame" in pip ? pip as PipPanel : { frame: pip as pl.DataFrame },
  ];
  return list.map((panel, k) => {
    const parameter = Array.isArray(pip) ? `data.pip[${k}]` : "data.pip";
    const p = checkKeys<PipPanel>(panel, parameter, ["frame", "label"], "pass pip: frame or { label, frame }");
    return { parameter, label: p.label ?? "Fine-mapping (PIP)", rows: pipRows(p.frame, `${parameter}.frame`) };
  });
}

/** The window: the one given (checked against the frames' chromosome), else the variants' span. */
function regionOf(
  given: GenomeRegion | undefined,
  frames: { chromosome: string | null; pos: number }[][],
  names: string[],
): GenomeRegion {
  const chromosomes = new Map<string, string>();
  frames.forEach((rows, k) => {
    for (const r of rows) {
      if (r.chromosome !== null && !chromosomes.has(r.chromosome)) chromosomes.set(r.chromosome, names[k]);
    }
  });
  if (given !== undefined) {
    const g = checkKeys<GenomeRegion>(
      given,
      "data.region",
      ["chromosome", "start", "end"],
      "pass region: { chromosome: 'chr10', start, end }",
    );
    if (!(typeof g.chromosome === "string" && Number.isFinite(g.start) && Number.isFinite(g.end) && g.end > g.start)) {
      throw new ValidationError(
        "data.region",
        given,
        "a region is { chromosome, start, end } with end > start (base pairs)",
        "pass region: { chromosome: 'chr10', start: 99_800_000, end: 101_800_000 }",
      );
    }
    const chromosome = normaliseChromosome(g.chromosome)!;
    const other = [...chromosomes].find(([c]) => c !== chromosome);
    if (other) {
      throw new ValidationError(
        `${other[1]}.chromosome`,
        other[0],
        `has variants on ${other[0]}, but the region is on ${chromosome}`,
        "pass the frames of one region (filter them to the region's chromosome)",
      );
    }
    return { chromosome, start: g.start, end: g.end };
  }
  if (chromosomes.size > 1) {
    const [[a, fa], [b, fb]] = [...chromosomes];
    throw new ValidationError(
      fb,
      b,
      `the frames hold variants of several chromosomes (${a} in ${fa}, ${b} in ${fb})`,
      "pass frames of one region, or data.region to say which",
    );
  }
  const all = frames.flat();
  if (all.length === 0) {
    throw new ValidationError(
      "data.region",
      given,
      "no variant to draw and no region given",
      "pass data.region: { chromosome, start, end }",
    );
  }
  let lo = Infinity, hi = -Infinity;
  for (const r of all) {
    if (r.pos < lo) lo = r.pos;
    if (r.pos > hi) hi = r.pos;
  }
  const pad = Math.max((hi - lo) * 0.02, 5000);
  return { chromosome: [...chromosomes.keys()][0] ?? "", start: Math.max(0, lo - pad), end: hi + pad };
}

/** The reference variant and its position: required with association panels, and found in some frame. */
function referenceOf(
  reference: unknown,
  required: boolean,
  inputs: { label: string; rows: { variantId: string; pos: number; pValue?: number }[] }[],
): { variantId: string; pos: number } | null {
  if (reference === undefined && !required) return null;
  const lead = inputs[0]?.rows.reduce<{ variantId: string; pValue?: number } | null>(
    (best, r) => best === null || (r.pValue ?? 1) < (best.pValue ?? 1) ? r : best,
    null,
  );
  const suggestion = lead ? `e.g. the lead of ${inputs[0].label}: reference: ${JSON.stringify(lead.variantId)}` : "";
  if (typeof reference !== "string" || reference === "") {
    throw new ValidationError(
      "data.reference",
      reference,
      "the reference variant is required: points are coloured by r² with it, and it is drawn as a purple diamond",
      `pass reference: the variant the LD was computed with (${suggestion || "a chrN:pos ID"})`,
    );
  }
  for (const input of inputs) {
    const row = input.rows.find((r) => r.variantId === reference);
    if (row) return { variantId: reference, pos: row.pos };
  }
  const near = closest(reference, new Set(inputs.flatMap((i) => i.rows.map((r) => r.variantId))), 3);
  throw new ValidationError(
    "data.reference",
    reference,
    `is in none of the frames${near.length > 0 ? ` (near: ${near.join(", ")})` : ""}`,
    `pass a variant of the frames, ${suggestion || "e.g. the GWAS lead"}`,
  );
}

// ------------------------------------------------------------------------------------------ panels

function band(
  label: string,
  detail: string,
  top: number,
  height: number,
  domain: [number, number],
  ticks: number[],
  yLabel: string,
): PanelBand {
  const [lo, hi] = domain;
  return {
    label,
    detail,
    top,
    height,
    domain,
    ticks,
    yLabel,
    y: (v: number) => top + height * (1 - (v - lo) / (hi - lo)),
  };
}

function associationPanel(
  input: AssociationInput,
  top: number,
  height: number,
  reference: string | null,
  ld: Map<string, number | null> | null,
  inRegion: (r: { pos: number }) => boolean,
): AssociationPanelLayout {
  const rows = input.rows.filter(inRegion);
  const independent = new Set(input.independent);
  let maxLogP = 0;
  for (const r of rows) if (r.pValue > 0) maxLogP = Math.max(maxLogP, -Math.log10(r.pValue));
  const thresholdLogP = input.threshold === null ? 0 : -Math.log10(input.threshold);
  const yMax = Math.max(maxLogP, thresholdLogP, 1) * 1.1;
  const points: AssociationPoint[] = rows.map((r) => {
    const isReference = r.variantId === reference;
    const r2 = isReference ? 1 : ld?.get(r.variantId) ?? null;
    const capped = r.pValue === 0;
    return {
      variantId: r.variantId,
      pos: r.pos,
      pValue: r.pValue,
      logP: capped ? yMax : -Math.log10(r.pValue),
      capped,
      r2,
      bin: ldBin(r2),
      reference: isReference,
      independent: independent.has(r.variantId),
    };
  });
  // Unknown r² first, then by r² (high LD on top), the reference last; ties by position (deterministic).
  const rank = (p: AssociationPoint) => (p.reference ? 2 : p.r2 === null ? -1 : p.r2);
  points.sort((a, b) => rank(a) - rank(b) || a.pos - b.pos || (a.variantId < b.variantId ? -1 : 1));
  const capped = points.filter((p) => p.capped).length;
  const detail = [
    plural(points.length, "variant"),
    ...(input.threshold !== null ? [`${input.thresholdKind} threshold p = ${formatPValue(input.threshold)}`] : []),
    ...(capped > 0 ? [`${capped} with p = 0 drawn at the top (▲)`] : []),
  ].join(" · ");
  const ticks = niceTicks(0, yMax, Math.max(2, Math.floor(height / 28)));
  return {
    ...band(input.label, detail, top, height, [0, yMax], ticks, "−log10(p)"),
    kind: "association",
    points,
    threshold: input.threshold,
    thresholdKind: input.thresholdKind,
  };
}

function pipPanel(
  input: PipInput,
  top: number,
  height: number,
  reference: string | null,
  inRegion: (r: { pos: number }) => boolean,
): PipPanelLayout {
  const rows = input.rows.filter(inRegion);
  const names = [...new Set(rows.map((r) => r.credibleSet).filter((c): c is string => c !== null))];
  // Numbered sets in numeric order, then named ones (susieR's "L1", "L3") in text order.
  names.sort((a, b) => {
    const [x, y] = [Number(a), Number(b)];
    if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
    if (Number.isFinite(x) !== Number.isFinite(y)) return Number.isFinite(x) ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const sets = names.map((c, i) => ({
    credibleSet: c,
    label: /^\d+$/.test(c) ? `CS ${c}` : c,
    color: CREDIBLE_SET_COLORS[i % CREDIBLE_SET_COLORS.length],
  }));
  const points: PipPoint[] = rows.map((r) => ({
    variantId: r.variantId,
    pos: r.pos,
    pip: r.pip,
    credibleSet: r.credibleSet,
    reference: r.variantId === reference,
  }));
  points.sort((a, b) =>
    (a.credibleSet === null ? 0 : 1) - (b.credibleSet === null ? 0 : 1) || a.pip - b.pip || a.pos - b.pos
  );
  const inSets = points.filter((p) => p.credibleSet !== null).length;
  const detail = `${plural(points.length, "variant")} · ${plural(sets.length, "credible set")} (${
    plural(inSets, "variant")
  } in sets)`;
  return { ...band(input.label, detail, top, height, [0, 1.08], [0, 0.5, 1], "PIP"), kind: "pip", points, sets };
}
