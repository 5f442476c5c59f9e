/**
 * A fine-mapping PIP track: every variant's posterior inclusion probability (0–1) by position, the
 * variants of each credible set in the set's colour — the panel LocusZoom-style figures put under the
 * association panels (`regionalAssociation`'s `pip`), here on its own with the gene track.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { checkFigureOptions } from "./_options.ts";
import type { FigureOverrides, PlotFigure } from "./figure.ts";
import type { GenomeRegion } from "./gene_track.ts";
import { regionalAssociationLayout } from "./regional_layout.ts";
import { regionalFigure } from "./regional_association.ts";

/** Options of {@link pipTrack}; any Plot option overrides the defaults (not `height`: see `pipHeight`). */
export interface PipTrackOptions extends FigureOverrides {
  /** The panel's title (default `"Fine-mapping (PIP)"`). */
  label?: string;
  /** A variant to outline with a purple diamond (e.g. the GWAS lead). */
  reference?: string;
  /** The window (default: the variants' span, 2 % either side). */
  region?: GenomeRegion;
  /** Genes for a track under the panel: `geneId`, `start`, `end`, `strand` (optional `chromosome`). */
  genes?: pl.DataFrame;
  /** Exons for the gene track: `geneId`, `start`, `end`. */
  exons?: pl.DataFrame;
  /** Height of the PIP panel in pixels (default 80). */
  pipHeight?: number;
  /** A tooltip on every point (default: on up to 5,000 variants). */
  tooltips?: boolean;
}

const OWN = ["label", "reference", "region", "genes", "exons", "pipHeight", "tooltips"];

/**
 * A PIP track: each variant at its posterior inclusion probability by position (x in Mb, y 0–1), the
 * variants of credible sets larger and coloured one colour per set (ColorBrewer Dark2, apart from the LD
 * colours), the others small and grey; optionally the gene track below and a reference variant outlined.
 *
 * `frame` columns: `variantId`, `pip`, `credibleSet` (the set's number or name; null outside every set —
 * what `ratgtex finemap` writes), optional `pos` (bp; else read from `chrN:pos` IDs) and `chromosome`.
 *
 * Marks: `panelAxisMarks`, `pipMarks`, and with genes the track's title and `geneTrackMarks`.
 *
 * @param frame Fine-mapping results, one row per variant of the window.
 * @param options Title, reference, region, genes, exons, panel height, and Plot options.
 * @returns The figure.
 * @throws {ValidationError} For a frame without those columns, a PIP outside [0, 1], an unknown option.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * const fig = plots.pipTrack(pl.DataFrame({
 *   variantId: ["chr1:1000000", "chr1:1100000", "chr1:1150000", "chr1:1200000"],
 *   pip: [0.97, 0.5, 0.45, 0.01],
 *   credibleSet: [1, 2, 2, null],
 * }));
 * assert.equal(fig.svg.match(/fill="#1b9e77"/g)!.length, 2); // CS 1: the dot and its legend swatch
 * assert.equal(fig.svg.match(/fill="#d95f02"/g)!.length, 3); // CS 2: two dots and the swatch
 * assert.ok(fig.svg.includes(">Fine-mapping (PIP)<"));
 * ```
 */
export function pipTrack(frame: pl.DataFrame, options: PipTrackOptions = {}): PlotFigure {
  const o = checkFigureOptions<PipTrackOptions>(options, OWN, "pipTrack");
  const { label, reference, region, genes, exons, pipHeight, tooltips, ...plot } = o;
  const layout = regionalAssociationLayout(
    {
      pip: { frame, ...(label !== undefined ? { label } : {}) },
      ...(reference !== undefined ? { reference } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(genes !== undefined ? { genes } : {}),
      ...(exons !== undefined ? { exons } : {}),
    },
    {
      pipHeight: pipHeight ?? 80,
      ...(plot.width !== undefined ? { width: plot.width } : {}),
      ...(plot.marginLeft !== undefined ? { marginLeft: plot.marginLeft } : {}),
      ...(plot.marginRight !== undefined ? { marginRight: plot.marginRight } : {}),
    },
  );
  return regionalFigure(layout, plot, "Fine-mapping: posterior inclusion probabilities", tooltips);
}
