/**
 * Figures on Observable Plot, drawn server-side (linkedom) into standalone SVG that renders inline in
 * Deno's Jupyter kernel, JupyterLab, VS Code and browsers. Each figure helper takes the library's own
 * results, accepts Plot options to override, uses the official tissue colours, and returns a
 * {@link PlotFigure} (`fig.svg`, `fig.html`, `fig.options`, `fig.marks`, `fig.with(...)`).
 *
 * @example
 * ```ts
 * import { createClient, medianGeneExpression, plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1"], { client: createClient({ source: "offline" }) });
 * const fig = plots.dendroHeatmap(med); // shows itself in a notebook
 * assert.ok(fig.svg!.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
 * assert.ok(fig.html.includes("Median expression of 3 genes in 13 tissues"));
 * ```
 *
 * @module
 */
// The seven figures.
export {
  COLOR_TRANSFORMS,
  type ColorTransform,
  colorTransformFor,
  DEFAULT_COLOR_TRANSFORM,
  dendroHeatmap,
  type DendroHeatmapOptions,
  type GeneGroups,
} from "./dendro_heatmap.ts";
export { eqtlByGenotype, type EqtlByGenotypeOptions, genotypeLabels } from "./eqtl_by_genotype.ts";
export { expressionByTissue, type ExpressionByTissueOptions } from "./expression_by_tissue.ts";
export { eqtlLocus, type EqtlLocusOptions, type LocusData } from "./locus.ts";
export { effectForest, type EffectForestOptions } from "./effect_forest.ts";
export { topExpressedGenes, type TopExpressedGenesOptions } from "./top_expressed.ts";
export { xqtlOverview, type XqtlOverviewOptions } from "./xqtl_overview.ts";

// What figures are made of, to compose your own.
export { type FigureDecorations, type FigureOverrides, PlotFigure, renderFigure, type SaveOptions } from "./figure.ts";
export {
  dendrogram,
  type DendrogramLayout,
  dendrogramLayout,
  type DendrogramLayoutOptions,
  dendrogramMark,
  type DendrogramOptions,
  type DendrogramPlacement,
} from "./dendrogram.ts";
export type { Fragment, LegendSpec, RampLegend, SwatchLegend } from "./legend.ts";
export { boxMarks, type DistributionGroup, type DistributionMarkOptions, violinMarks } from "./distribution.ts";

// The official tissue colours, names and order.
export {
  tissueColor,
  type TissueColors,
  tissueColorScale,
  tissueColorsFrom,
  tissueName,
  tissueOrder,
  type TissueStyle,
  V4_TISSUE_STYLES,
} from "../_core/tissues.ts";

// Regional association and fine-mapping.
export {
  type GeneTrackGene,
  type GeneTrackLayout,
  geneTrackLayout,
  type GeneTrackLayoutOptions,
  geneTrackMarks,
  type GeneTrackPlacement,
  type GenomeRegion,
} from "./gene_track.ts";
export { LD_BINS, LD_UNKNOWN_COLOR, type LdBin, ldBin, ldColor, REFERENCE_VARIANT_COLOR } from "./ld_bins.ts";
export {
  type AssociationPanelLayout,
  type AssociationPoint,
  CREDIBLE_SET_COLORS,
  type LdInput,
  NO_SET_COLOR,
  type PanelBand,
  type PipPanel,
  type PipPanelLayout,
  type PipPoint,
  type QtlPanel,
  type RegionalAssociationData,
  type RegionalAssociationLayout,
  regionalAssociationLayout,
  type RegionalLayoutOptions,
  type RegionalPanelLayout,
} from "./regional_layout.ts";
export {
  associationMarks,
  panelAxisMarks,
  type PanelFrame,
  pipMarks,
  type PointMarkOptions,
  thresholdMarks,
} from "./regional_marks.ts";
export { regionalAssociation, type RegionalAssociationOptions } from "./regional_association.ts";
export { pipTrack, type PipTrackOptions } from "./pip_track.ts";
export { credibleSetsAcrossTissues, type CredibleSetsAcrossTissuesOptions } from "./credible_sets.ts";
export { COLOC_HYPOTHESES, colocResults, type ColocResultsOptions, type ColocSort } from "./coloc_results.ts";
