/**
 * The figure gallery: every figure helper drawn from the offline universe, written to a folder as one
 * SVG per figure plus an index.html that shows them all (through `<img>`, as JupyterLab shows SVG, so a
 * missing namespace would show up as a blank). Each file is written whole (a temporary file beside it,
 * renamed over it), the index last; nothing else in the folder, or beside it, is touched: what the gallery
 * did not write it never deletes (as `demo --out`).
 *
 * Usage: `ratgtex gallery [--out gallery]` (`deno task gallery`, with `--allow-write=gallery`).
 *
 * @module
 */
import { clusterMedians } from "../../analysis/clustering/cluster_medians.ts";
import { cutTree } from "../../analysis/clustering/cut_tree.ts";
import { effectsAcrossTissues } from "../../workflows/effects_across_tissues.ts";
import { createClient } from "../../api/client.ts";
import { geneExpression, medianGeneExpression, topExpressedGene } from "../../api/expression.ts";
import { dyneqtl, eqtl, singleTissueEqtl, xqtl } from "../../api/qtl.ts";
import { exon, gene } from "../../api/reference.ts";
import { escapeXml } from "../../_core/format.ts";
import { writeFileAtomic } from "../../_core/atomic_write.ts";
import {
  dendroHeatmap,
  effectForest,
  eqtlByGenotype,
  eqtlLocus,
  expressionByTissue,
  type PlotFigure,
  topExpressedGenes,
  xqtlOverview,
} from "../../plot/mod.ts";

/** One gallery entry. */
export interface GalleryFigure {
  /** File stem (`<name>.svg`). */
  name: string;
  /** What the figure shows. */
  caption: string;
  /** The figure. */
  figure: PlotFigure;
}

/**
 * Draw every figure from the offline universe (synthetic data).
 *
 * @returns The figures, in gallery order.
 */
export async function galleryFigures(): Promise<GalleryFigure[]> {
  const client = createClient({ source: "offline" });
  const o = { client };
  const dyn = await dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, o);
  const expr = await geneExpression("Cd300lf", o);
  const expr2 = await geneExpression(["Cd300lf", "Eno1"], o);
  const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1", "Cd300lf"], o);
  const med1 = await medianGeneExpression(["Eno1"], o);
  const locus = {
    singleTissueEqtl: await singleTissueEqtl("Cd300lf", o),
    exon: await exon("Cd300lf", o),
    eqtl: await eqtl("Cd300lf", o),
    gene: await gene("Cd300lf", o),
  };
  const top = await topExpressedGene("IL", o);
  const x = await xqtl("Cd300lf", o);
  const expr4 = await geneExpression(["Cd300lf", "Eno1", "Polr3k", "SynG004"], o);
  const zscore = clusterMedians(med, { transform: "zscore" });
  // SynMt1 has no significant variant in the offline universe: the gene model and a note.
  const quiet = {
    singleTissueEqtl: await singleTissueEqtl("SynMt1", o),
    exon: await exon("SynMt1", o),
    eqtl: await eqtl("SynMt1", o),
    gene: await gene("SynMt1", o),
  };
  const forest = await effectsAcrossTissues({ geneId: "Cd300lf", variantId: "chr10:100826333" }, o);
  return [
    {
      name: "eqtl_by_genotype",
      caption: "eqtlByGenotype: Cd300lf × chr10:100826333 in IL, log2(TPM+1), box + violin + points",
      figure: eqtlByGenotype(dyn, { kind: "both", transform: "log2" }),
    },
    {
      name: "eqtl_by_genotype_int",
      caption: "eqtlByGenotype with transform int (rank inverse-normal), boxes only",
      figure: eqtlByGenotype(dyn, { transform: "int" }),
    },
    {
      name: "expression_by_tissue",
      caption: "expressionByTissue: Cd300lf in 13 tissues",
      figure: expressionByTissue(expr),
    },
    {
      name: "expression_by_tissue_2genes",
      caption: "expressionByTissue: two genes, one row each",
      figure: expressionByTissue(expr2),
    },
    {
      name: "expression_by_tissue_4genes",
      caption: "expressionByTissue: four genes, the figure grows (facetHeight 160 px per gene)",
      figure: expressionByTissue(expr4),
    },
    { name: "dendro_heatmap", caption: "dendroHeatmap: the server's trees", figure: dendroHeatmap(med) },
    {
      name: "dendro_heatmap_recluster",
      caption: "dendroHeatmap on clusterMedians(med, { transform: 'zscore' }): z-score colours, diverging at 0, " +
        "with the gene groups of cutTree(k = 2) as a band",
      figure: dendroHeatmap(med, { clustering: zscore, groups: cutTree(zscore.geneLinkage!, { k: 2 }) }),
    },
    {
      name: "dendro_heatmap_log2",
      caption: "dendroHeatmap on a log2 reclustering: log2 colours, sequential",
      figure: dendroHeatmap(med, { clustering: clusterMedians(med, { transform: "log2" }) }),
    },
    {
      name: "dendro_heatmap_one_gene",
      caption: "dendroHeatmap with one gene (gene tree: Not enough data)",
      figure: dendroHeatmap(med1),
    },
    { name: "locus", caption: "eqtlLocus: Cd300lf, coloured by tissue", figure: eqtlLocus(locus) },
    {
      name: "locus_faceted",
      caption: "eqtlLocus: Cd300lf, one row per tissue",
      figure: eqtlLocus(locus, { facetByTissue: true }),
    },
    {
      name: "locus_no_eqtl",
      caption: "eqtlLocus: SynMt1, no significant variant (gene model and a note)",
      figure: eqtlLocus(quiet),
    },
    {
      name: "top_expressed",
      caption: "topExpressedGenes: IL on the default log axis (chrM genes included, as the server's default)",
      figure: topExpressedGenes(top),
    },
    {
      name: "top_expressed_linear",
      caption: "topExpressedGenes: IL, scale: 'linear'",
      figure: topExpressedGenes(top, { scale: "linear", limit: 20 }),
    },
    {
      name: "effect_forest",
      caption: "effectForest: Cd300lf × chr10:100826333 in every tested tissue (effectsAcrossTissues, int transform)",
      figure: effectForest(forest),
    },
    { name: "xqtl_overview", caption: "xqtlOverview: Cd300lf", figure: xqtlOverview(x) },
  ];
}

/**
 * The gallery's index page: each figure as an `<img>` of its SVG file, with its caption.
 *
 * @param figures The figures.
 * @returns HTML text.
 */
export function galleryIndex(figures: readonly GalleryFigure[]): string {
  const items = figures.map((f) =>
    `<section><h2>${escapeXml(f.caption)}</h2>` +
    `<img src="${f.name}.svg" width="${f.figure.width}" height="${f.figure.height}" alt="${
      escapeXml(f.caption)
    }"></section>`
  ).join("\n");
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>ratgtex figure gallery</title>` +
    `<style>body{font-family:system-ui,sans-serif;margin:16px;background:#f4f4f4}section{background:#fff;` +
    `margin:0 0 16px;padding:8px;display:inline-block;vertical-align:top}h2{font-size:13px;margin:0 0 6px}` +
    `img{max-width:100%;height:auto}</style></head>\n<body><h1>ratgtex figure gallery (offline universe: synthetic data)</h1>\n` +
    `${items}\n</body></html>\n`;
}

/**
 * Write the gallery into the folder `out` (created when missing): one SVG per figure, then `index.html`,
 * each file whole (through the one atomic writer). Files of the folder that the gallery does not write are
 * kept, and nothing beside the folder is touched (a user's `<out>.tmp` or `<out>.old` included).
 *
 * @param out Target folder.
 * @param figures The figures (default: {@link galleryFigures}).
 * @returns The files written (relative to `out`).
 */
export async function writeGallery(out: string, figures?: readonly GalleryFigure[]): Promise<string[]> {
  const all = figures ?? await galleryFigures();
  const files: string[] = [];
  await Deno.mkdir(out, { recursive: true });
  // "replace": a gallery file is the gallery's own: a link planted in its name is replaced, never written through.
  for (const f of all) {
    await writeFileAtomic(`${out}/${f.name}.svg`, f.figure.svg, { existing: "replace" });
    files.push(`${f.name}.svg`);
  }
  await writeFileAtomic(`${out}/index.html`, galleryIndex(all), { existing: "replace" });
  files.push("index.html");
  return files;
}
