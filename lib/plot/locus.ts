/**
 * A locus plot of one gene: −log10(p) of its significant cis-variants by position, per tissue, over a
 * gene-model track, with the TSS and the conditionally independent eQTLs marked.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkFrame } from "./_check.ts";
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
  if (data === null || typeof data !== "object" || data.singleTissueEqtl === undefined) {
    throw new ValidationError(
      "data",
      data,
      "eqtlLocus draws { singleTissueEqtl, exon?, eqtl?, gene? } (frames from those routes)",
      "pass { singleTissueEqtl: await singleTissueEqtl(gene) } and optionally exon, eqtl and gene frames",
    );
  }
  const { geneId: wanted, facetByTissue: facetOption = false, tissues, tissueColors, ...plot } = options;
  const all = rowsOf(data.singleTissueEqtl, "singleTissueEqtl", [
    "geneId",
    "tissueSiteDetailId",
    "variantId",
    "pos",
    "pValue",
  ], null);
  const genes = [...new Set(all.map((r) => String(r.geneId)))];
  // A gene without significant variants is still drawn (its gene model and a note) when the other frames
  // say which gene it is.
  const modelGenes = [
    ...new Set(
      [data.gene, data.exon].flatMap((f) => f && f.columns.includes("geneId") ? f.getColumn("geneId").toArray() : [])
        .map(String),
    ),
  ];
  let geneId: string;
  if (wanted !== undefined) geneId = wanted;
  else if (genes.length === 1) geneId = genes[0];
  else if (genes.length === 0 && modelGenes.length === 1) geneId = modelGenes[0];
  else if (genes.length === 0) {
    throw new ValidationError(
      "data.singleTissueEqtl.height",
      0,
      "singleTissueEqtl has no rows (the gene has no significant variant) and no gene or exon frame names the gene",
      "pass the gene's exon or gene frame too (the gene model is drawn with a note), or choose a gene with eQTLs",
    );
  } else {
    throw new ValidationError(
      "options.geneId",
      wanted,
      `singleTissueEqtl holds ${genes.length} genes (${genes.join(", ")}); eqtlLocus draws one`,
      `choose one with options.geneId, e.g. geneId: ${JSON.stringify(genes[0])}`,
    );
  }
  if (wanted !== undefined && !genes.includes(wanted) && !modelGenes.includes(wanted)) {
    throw new ValidationError(
      "options.geneId",
      wanted,
      `no frame holds ${wanted}: singleTissueEqtl holds ${genes.join(", ") || "no gene"}`,
      genes.length > 0 ? `pass geneId: one of ${genes.join(", ")}` : "pass the gene's frames",
    );
  }
  const tissueIds = tissues
    ? [...tissues]
    : tissueOrder(all.filter((r) => r.geneId === geneId).map((r) => String(r.tissueSiteDetailId)));
  const keep = new Set(tissueIds);
  const variants = all
    .filter((r) => r.geneId === geneId && keep.has(String(r.tissueSiteDetailId)))
    .map((r) => ({
      tissue: String(r.tissueSiteDetailId),
      variantId: String(r.variantId),
      mb: Number(r.pos) / 1e6,
      logP: -Math.log10(Number(r.pValue)),
    }))
    .filter((v) => Number.isFinite(v.mb) && Number.isFinite(v.logP));
  const empty = variants.length === 0;
  if (empty && tissues !== undefined && genes.includes(geneId)) {
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
  const independent = new Set(
    rowsOf(data.eqtl, "eqtl", ["geneId", "tissueSiteDetailId", "variantId"], geneId).map((r) =>
      `${r.tissueSiteDetailId}|${r.variantId}`
    ),
  );
  // Rings in the tissue's colour; tissues ringed at one variant with overlapping dots (−log10 p within 4 % of
  // the axis) get concentric rings, in portal order, so each colour stays visible.
  const ringed = variants.filter((v) => independent.has(`${v.tissue}|${v.variantId}`));
  const near = 0.04 * Math.max(1, ...variants.map((v) => v.logP));
  const placed: { variantId: string; tissue: string; logP: number }[] = [];
  const rings = tissueOrder(new Set(ringed.map((v) => v.tissue))).flatMap((t) =>
    ringed.filter((v) => v.tissue === t).map((v) => {
      const k = placed.filter((q) =>
        q.variantId === v.variantId && Math.abs(q.logP - v.logP) < near && (!facet || q.tissue === v.tissue)
      ).length;
      placed.push(v);
      return { ...v, r: 6.5 + 3 * k };
    })
  );
  const geneRow = rowsOf(data.gene, "gene", ["geneId", "tss"], geneId)[0];
  const strand = String(geneRow?.strand ?? exons[0]?.strand ?? "");
  const tss = geneRow
    ? Number(geneRow.tss) / 1e6
    : exons.length > 0
    ? strand === "-" ? Math.max(...exons.map((e) => e.end)) : Math.min(...exons.map((e) => e.start))
    : NaN;
  const chromosome = String(geneRow?.chromosome ?? all.find((r) => r.geneId === geneId)?.chromosome ?? "");

  // With nothing significant the axis still spans 0–1 (the gene track below it, the note above).
  const maxLogP = empty ? 1 : Math.max(...variants.map((v) => v.logP));
  // The gene track sits below y = 0, in −log10(p) units, so it shares the x axis with the variants.
  const unit = Math.max(maxLogP, 1) / (facet ? 4 : 8);
  const trackY = -1.6 * unit;
  const exonHalf = 0.45 * unit;
  const fy = facet ? { fy: "tissue" } : {};
  const marks: Plot.Markish[] = [];
  if (Number.isFinite(tss)) {
    marks.push(Plot.ruleX([tss], { stroke: "#444", strokeDasharray: "4,3", strokeWidth: 1 }));
  }
  marks.push(
    Plot.ruleY([0], { stroke: "#999" }),
    Plot.dot(variants, {
      x: "mb",
      y: "logP",
      fill: "tissue",
      r: 3,
      fillOpacity: 0.85,
      stroke: "#fff",
      strokeWidth: 0.5,
      title: (v: { tissue: string; variantId: string; logP: number }) =>
        `${v.variantId} in ${v.tissue}: −log10(p) = ${v.logP.toFixed(2)}`,
      ...fy,
    }),
    Plot.dot(rings, { x: "mb", y: "logP", r: "r", stroke: "tissue", strokeWidth: 1.5, fill: "none", ...fy }),
  );
  if (empty) {
    marks.push(
      Plot.text([
        `No significant cis-eQTL variant of ${geneId} in any tissue${tissues ? " chosen" : ""}: gene model only`,
      ], {
        frameAnchor: "middle",
        dy: -20,
        text: (t: string) => t,
        fontSize: 12,
        fill: "#444",
        stroke: "#fff", // a halo where the note crosses the TSS rule
        strokeWidth: 4,
      }),
    );
  }
  if (exons.length > 0) {
    const lo = Math.min(...exons.map((e) => e.start));
    const hi = Math.max(...exons.map((e) => e.end));
    const track = facet ? [{ tissue: tissueIds[tissueIds.length - 1] }] : [{}];
    marks.push(
      Plot.ruleY(track, { y: trackY, x1: lo, x2: hi, stroke: "#333", strokeWidth: 1, ...fy }),
      Plot.rect(exons.map((e) => ({ ...e, tissue: tissueIds[tissueIds.length - 1] })), {
        x1: "start",
        x2: "end",
        y1: trackY - exonHalf,
        y2: trackY + exonHalf,
        fill: "#333",
        insetLeft: -0.5,
        insetRight: -0.5, // an exon of a few hundred bases is < 1 px at a 2 Mb scale: keep it visible
        ...fy,
      }),
      Plot.text(track, {
        x: strand === "-" ? lo : hi,
        y: trackY,
        text: () => `${strand === "-" ? "◀ " : ""}${geneId}${strand === "+" ? " ▶" : ""}`,
        textAnchor: strand === "-" ? "end" : "start",
        dx: strand === "-" ? -6 : 6,
        fontSize: 10,
        fontStyle: "italic",
        ...fy,
      }),
    );
  }
  if (Number.isFinite(tss)) {
    const label = facet ? [{ tissue: tissueIds[0] }] : [{}];
    marks.push(
      Plot.text(label, {
        x: tss,
        y: maxLogP * 1.08,
        text: () => "TSS",
        dx: 4,
        textAnchor: "start",
        fill: "#444",
        ...fy,
      }),
    );
  }
  const colorScale = tissueColorScale(tissueIds, tissueColors);
  const base: FigureOverrides = {
    width: 760,
    height: facet ? 70 + 90 * tissueIds.length : 400,
    marginLeft: 50,
    marginRight: facet ? 70 : 20,
    marginBottom: 40,
    x: {
      label: `Position on ${chromosome} (Mb)`,
      labelAnchor: "center",
      labelArrow: "none",
      nice: false,
      ...(empty && exons.length > 0 ? { domain: padded(exons) } : {}),
    },
    y: {
      label: "−log10(p)",
      domain: [trackY - exonHalf * 1.6, maxLogP * 1.15],
      // Round ticks from 0 (none below: that is the gene track), few enough for a 90 px facet row even when
      // −log10(p) reaches the hundreds.
      ticks: empty ? [] : niceTicks(0, maxLogP * 1.15, facet ? 5 : 8),
      grid: true,
    },
    color: colorScale,
    r: { type: "identity" }, // ring radii are pixels
    ...(facet ? { fy: { domain: tissueIds, label: null, axis: "right" as const } } : {}),
    marks,
  };
  const merged = mergePlotOptions(base, plot);
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
