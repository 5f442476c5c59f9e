/**
 * The `figures` subcommand: fetch what a figure needs and write it as SVG or HTML. The figure helpers
 * (lib/plot) and the routes are loaded only when this subcommand runs, so the other subcommands start without
 * them. (`gallery` draws every figure from the offline universe; this draws one, from any source.)
 *
 * @module
 */
import { oneOrMany, settle } from "./batch.ts";
import { subjectTissue, tissueFilter } from "./routes.ts";
import { DEFAULT_EXPRESSION_TRANSFORM, EXPRESSION_TRANSFORMS } from "../analysis/regression/transforms.ts";
import { choiceOption, idsFrom, type OptionTable, stringOption, triplesFrom, UsageError } from "./args.ts";
import { type Command, type CommandContext, type CommandOutput, OUTPUT_OPTIONS } from "./command.ts";
import { CLUSTER_TRANSFORMS } from "../analysis/clustering/cluster_medians.ts";
import { COLOR_TRANSFORMS } from "../plot/color_transforms.ts";

const NAME = "figures";

/** The figure kinds: name, what it draws, and its arguments. */
const KINDS = {
  "eqtl-by-genotype": "expression by genotype for one gene–variant pair in a tissue: GENE TISSUE VARIANT",
  "expression-by-tissue": "per-sample expression of genes in every tissue: GENE...",
  "dendro-heatmap": "median TPM heatmap with the gene and tissue trees: GENE...",
  "locus": "significant variants around a gene, with its exons and independent eQTLs: GENE",
  "top-expressed": "the top expressed genes of a tissue: TISSUE",
  "xqtl-overview": "independent xQTLs of genes by tissue and modality: GENE...",
  "effect-forest": "one variant's effect on a gene in every tested tissue (forest plot): GENE VARIANT",
} as const;

type Kind = keyof typeof KINDS;

const FIGURE_FORMATS = ["svg", "html", "png"] as const;

const FIGURE_OPTIONS: OptionTable = {
  format: { type: "string", short: "f", value: "FMT", help: "svg|html|png (default: --out's extension, else svg)" },
  out: OUTPUT_OPTIONS.out,
  scale: { type: "string", value: "S", help: "png: pixels per SVG pixel (default 2)" },
  gene: { type: "string", short: "g", value: "GENE", help: "eqtl-by-genotype: gene ID" },
  tissue: {
    type: "string",
    short: "t",
    multiple: true,
    value: "LIST",
    help: "eqtl-by-genotype: the tissue; other kinds: tissues to show, comma-joined or repeated",
  },
  variant: { type: "string", value: "VARIANT", help: "eqtl-by-genotype: variant ID chrN:pos" },
  transform: {
    type: "string",
    value: "T",
    help:
      `eqtl-by-genotype, effect-forest: ${
        EXPRESSION_TRANSFORMS.join("|")
      } (default ${DEFAULT_EXPRESSION_TRANSFORM}); ` +
      `dendro-heatmap: colours, ${COLOR_TRANSFORMS.join("|")} (default: what the trees were built on)`,
  },
  groups: { type: "string", value: "K", help: "dendro-heatmap: a band of K gene groups cut from the gene tree" },
  "skip-failed": {
    type: "boolean",
    help: "effect-forest: draw the tissues that answered and warn about the others (default: fail)",
  },
  kind: { type: "string", value: "K", help: "eqtl-by-genotype, expression-by-tissue: box|violin|both" },
  recluster: {
    type: "string",
    value: "T",
    help: `dendro-heatmap: recluster after a transform, ${CLUSTER_TRANSFORMS.join("|")} (default: the server's trees)`,
  },
  "filter-mt": { type: "boolean", help: "top-expressed: leave out chrM genes" },
};

async function draw(kind: Kind, c: CommandContext, args: string[]) {
  const [
    plots,
    { dyneqtl, eqtl, singleTissueEqtl, xqtl },
    { exon, gene },
    expression,
    { clusterMedians },
    { cutTree },
    { effectsAcrossTissues },
  ] = await Promise.all([
    import("../plot/mod.ts"),
    import("../api/qtl.ts"),
    import("../api/reference.ts"),
    import("../api/expression.ts"),
    import("../analysis/clustering/cluster_medians.ts"),
    import("../analysis/clustering/cut_tree.ts"),
    import("../workflows/effects_across_tissues.ts"),
  ]);
  const { geneExpression, medianGeneExpression, topExpressedGene } = expression;
  const client = c.client();
  // Every tissue given is checked against the tissue list (a bad one is a usage error, before any request).
  const tissues = kind === "eqtl-by-genotype" || kind === "top-expressed" ? undefined : await tissueFilter(c, NAME);
  const shape = choiceOption(c.values, "kind", ["box", "violin", "both"] as const, NAME);
  switch (kind) {
    case "eqtl-by-genotype": {
      const transform = choiceOption(c.values, "transform", EXPRESSION_TRANSFORMS, NAME) ??
        DEFAULT_EXPRESSION_TRANSFORM;
      const [triple, ...more] = await triplesFrom(c.values, args, NAME);
      if (more.length > 0) throw new UsageError("eqtl-by-genotype draws one GENE TISSUE VARIANT", NAME);
      const dyn = await dyneqtl(triple, { client });
      return plots.eqtlByGenotype(dyn, { transform, ...(shape ? { kind: shape } : {}) });
    }
    case "expression-by-tissue": {
      const ids = await idsFrom(args, "gene ID", "geneId", NAME);
      const expr = await settle(c, NAME, geneExpression(oneOrMany(ids), { client }));
      return plots.expressionByTissue(expr, { ...(tissues ? { tissues } : {}), ...(shape ? { kind: shape } : {}) });
    }
    case "dendro-heatmap": {
      const transform = choiceOption(c.values, "transform", COLOR_TRANSFORMS, NAME);
      const recluster = choiceOption(c.values, "recluster", CLUSTER_TRANSFORMS, NAME);
      const k = stringOption(c.values, "groups");
      if (k !== undefined && !/^[1-9]\d*$/.test(k)) throw new UsageError(`--groups takes a count, got ${k}`, NAME);
      const ids = await idsFrom(args, "gene ID", "geneId", NAME);
      const med = await medianGeneExpression({ geneId: ids, ...(tissues ? { tissueSiteDetailId: tissues } : {}) }, {
        client,
      });
      const clustering = recluster ? clusterMedians(med, { transform: recluster }) : undefined;
      // Groups cut from the tree drawn (the server's equals clusterMedians' default, byte for byte).
      const linkage = (clustering ?? clusterMedians(med)).geneLinkage;
      if (k !== undefined && linkage === null) throw new UsageError("--groups needs at least 2 genes", NAME);
      return plots.dendroHeatmap(med, {
        ...(transform ? { transform } : {}),
        ...(clustering ? { clustering, childOrder: "server" as const } : {}),
        ...(k !== undefined ? { groups: cutTree(linkage!, { k: Number(k) }) } : {}),
      });
    }
    case "locus": {
      const ids = await idsFrom(args, "gene ID", "geneId", NAME);
      if (ids.length !== 1) throw new UsageError(`locus draws one gene, got ${ids.length}`, NAME);
      const [sig, exons, eqtls, genes] = await Promise.all([
        singleTissueEqtl(ids[0], { client }),
        exon(ids[0], { client }),
        eqtl(ids[0], { client }),
        gene(ids[0], { client }),
      ]);
      return plots.eqtlLocus(
        { singleTissueEqtl: sig, exon: exons, eqtl: eqtls, gene: genes },
        tissues ? { tissues } : {},
      );
    }
    case "top-expressed": {
      const top = await topExpressedGene(
        {
          tissueSiteDetailId: subjectTissue({ ...c, positionals: args }, NAME),
          filterMtGene: c.values["filter-mt"] === true,
        },
        {
          client,
        },
      );
      return plots.topExpressedGenes(top);
    }
    case "effect-forest": {
      const transform = choiceOption(c.values, "transform", EXPRESSION_TRANSFORMS, NAME) ??
        DEFAULT_EXPRESSION_TRANSFORM;
      if (args.length !== 2) {
        throw new UsageError(`effect-forest takes GENE VARIANT, got ${args.length} arguments`, NAME);
      }
      const [geneId, variantId] = args;
      const fx = await effectsAcrossTissues({ geneId, variantId }, {
        client,
        transform,
        onError: c.values["skip-failed"] === true ? "skip" : "throw",
        ...(tissues ? { tissueSiteDetailId: tissues } : {}),
      });
      return plots.effectForest(fx);
    }
    case "xqtl-overview": {
      const ids = await idsFrom(args, "gene ID", "geneId", NAME);
      return plots.xqtlOverview(await settle(c, NAME, xqtl(oneOrMany(ids), { client })), tissues ? { tissues } : {});
    }
  }
}

async function run(c: CommandContext): Promise<CommandOutput> {
  const [kind, ...args] = c.positionals;
  if (kind === undefined || !Object.hasOwn(KINDS, kind)) {
    throw new UsageError(`the first argument is the figure kind: ${Object.keys(KINDS).join(", ")}`, NAME);
  }
  let format = choiceOption(c.values, "format", FIGURE_FORMATS, NAME);
  const out = stringOption(c.values, "out");
  format ??= out?.toLowerCase().endsWith(".html") ? "html" : out?.toLowerCase().endsWith(".png") ? "png" : "svg";
  const scale = stringOption(c.values, "scale");
  if (scale !== undefined && !(Number(scale) > 0)) {
    throw new UsageError(`--scale takes a positive number, got ${scale}`, NAME);
  }
  if (format === "png" && out === undefined) {
    throw new UsageError("png needs --out FILE.png (a picture is not terminal text)", NAME);
  }
  const figure = await draw(kind as Kind, c, args);
  if (format === "png") {
    // Binary, written by the figure itself (whole or not at all); the renderer needs --allow-ffi.
    await figure.save(out!.toLowerCase().endsWith(".png") ? out! : `${out}.png`, scale ? { scale: Number(scale) } : {});
    return null;
  }
  if (format === "html") return { text: `<!doctype html>\n<meta charset="utf-8">\n${figure.html}\n` };
  return { text: figure.svg.endsWith("\n") ? figure.svg : figure.svg + "\n" };
}

/** The `figures` subcommand. */
export const FIGURES_COMMAND: Command = {
  name: NAME,
  aliases: ["figure"],
  summary: "draw a figure (Observable Plot) to SVG, HTML or PNG",
  usage: [
    `figures eqtl-by-genotype GENE TISSUE VARIANT [--transform ${
      EXPRESSION_TRANSFORMS.join("|")
    }] [--kind box|violin|both] [options]`,
    "figures expression-by-tissue GENE... [--tissue LIST] [--kind violin|box|both] [options]",
    `figures dendro-heatmap GENE... [--tissue LIST] [--transform ${
      COLOR_TRANSFORMS.join("|")
    }] [--recluster T] [--groups K] [options]`,
    "figures locus GENE [--tissue LIST] [options]",
    "figures top-expressed TISSUE [--filter-mt] [options]",
    "figures xqtl-overview GENE... [--tissue LIST] [options]",
    `figures effect-forest GENE VARIANT [--transform ${EXPRESSION_TRANSFORMS.join("|")}] [--tissue LIST] ` +
    "[--skip-failed] [options]",
  ],
  details: "Kinds:\n" + Object.entries(KINDS).map(([k, v]) => `  ${k.padEnd(22)}${v}`).join("\n") +
    "\nSVG is a standalone document (xmlns set); HTML is a page holding the figure; PNG (--out x.png) is drawn\n" +
    "without a browser (resvg; --scale pixels per SVG pixel, default 2). '-' reads IDs from\n" +
    "standard input as in the data commands. Figures of the offline source show synthetic data.",
  options: FIGURE_OPTIONS,
  common: { output: false, source: true },
  examples: [
    "ratgtex figures eqtl-by-genotype Cd300lf IL chr10:100826333 --out cd300lf_il.svg",
    "ratgtex figures dendro-heatmap Polr3k Rtel1 Eno1 Cd300lf --out medians.html",
    "ratgtex figures top-expressed Liver --filter-mt > liver_top.svg",
    "ratgtex figures top-expressed Liver --out liver_top.png --scale 3",
    "ratgtex figures effect-forest Cd300lf chr10:100826333 --out cd300lf_forest.svg",
  ],
  run,
};
