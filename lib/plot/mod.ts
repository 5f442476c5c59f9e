/**
 * Figures on Observable Plot, drawn server-side (linkedom) into standalone SVG that renders inline in
 * Deno's Jupyter kernel, JupyterLab, VS Code and browsers. Each figure helper takes the library's own
 * results, accepts Plot options to override, uses the official tissue colours, and returns a
 * {@link PlotFigure} (`fig.svg`, `fig.html`, `fig.options`, `fig.marks`, `fig.with(...)`).
 *
 * @example
 * ```ts
 * import { createClient, medianGeneExpression, plots } from "ratgtex";
 * const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1"], { client: createClient({ source: "offline" }) });
 * plots.dendroHeatmap(med); // shows itself in a notebook
 * ```
 *
 * @module
 */
export { ensureXmlns, fnv1a, serverDocument, stabilizeIds, SVG_NS } from "./dom.ts";
export { escapeXml, formatNumber, formatPValue, textWidth, wrapText } from "./format.ts";
export {
  tissueColor,
  type TissueColors,
  tissueColorScale,
  tissueColorsFrom,
  tissueName,
  tissueOrder,
  type TissueStyle,
  UNKNOWN_TISSUE_COLOR,
  V4_TISSUE_STYLES,
} from "./tissues.ts";
export {
  type Fragment,
  legendMarkup,
  type LegendSpec,
  niceTicks,
  type RampLegend,
  rampLegend,
  type SwatchLegend,
} from "./legend.ts";
export {
  type DisplayBundle,
  type FigureDecorations,
  type FigureOverrides,
  JUPYTER_DISPLAY,
  mergePlotOptions,
  PlotFigure,
  renderFigure,
} from "./figure.ts";
export {
  boxMarks,
  type BoxStats,
  boxStats,
  type DistributionGroup,
  type DistributionMarkOptions,
  jitter,
  kernelDensity,
  quantileSorted,
  silvermanBandwidth,
  violinMarks,
} from "./distribution.ts";
export {
  dendrogramFigure,
  type DendrogramFigureOptions,
  type DendrogramLayout,
  dendrogramLayout,
  type DendrogramLayoutOptions,
  dendrogramMark,
  type DendrogramPlacement,
} from "./dendrogram.ts";
export { eqtlByGenotype, type EqtlByGenotypeOptions, genotypeLabels, transformLabel } from "./eqtl_by_genotype.ts";
export { expressionByTissue, type ExpressionByTissueOptions } from "./expression_by_tissue.ts";
export { dendroHeatmap, type DendroHeatmapOptions } from "./dendro_heatmap.ts";
export { type LocusData, locusPlot, type LocusPlotOptions } from "./locus.ts";
export { topExpressedGenes, type TopExpressedGenesOptions } from "./top_expressed.ts";
export { xqtlOverview, type XqtlOverviewOptions } from "./xqtl_overview.ts";
