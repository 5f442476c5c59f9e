/**
 * The analysis subcommands: `regress` (the statistics the API leaves out, by OLS) and `cluster` (the
 * median matrix in dendrogram order, the server's trees or a reclustering). Their choices and defaults
 * come from the library's vocabularies.
 *
 * @module
 */
// The vocabularies come from the library (pure TypeScript modules: no polars is loaded at start-up).
import { CLUSTER_TRANSFORMS } from "../analysis/clustering/cluster_medians.ts";
import { DEFAULT_LINKAGE_METHOD, LINKAGE_METHODS, type LinkageMethod } from "../analysis/clustering/linkage.ts";
import { DEFAULT_DISTANCE_METRIC, DISTANCE_METRICS } from "../analysis/clustering/pdist.ts";
import { DEFAULT_EXPRESSION_TRANSFORM, EXPRESSION_TRANSFORMS } from "../analysis/regression/transforms.ts";
import { choiceOption, idsFrom, listOption, triplesFrom, UsageError } from "./args.ts";
import { type Command, DATA } from "./command.ts";
import { dyneqtlTriples, TISSUE_LIST_OPTION, TRIPLE_OPTIONS, TRIPLE_USAGE } from "./routes.ts";
import { STRICT_OPTION } from "./batch.ts";

/** Linkage methods defined on Euclidean distances only. */
const EUCLIDEAN_ONLY = ["ward", "centroid", "median"] as const satisfies readonly LinkageMethod[];

/** The analysis subcommands, in the order the help lists them. */
export const ANALYSIS_COMMANDS: readonly Command[] = [
  {
    name: "regress",
    aliases: [],
    summary: "dyneqtl plus the statistics the API leaves out: nes, error, tStatistic, recomputed pValue, r2",
    usage: TRIPLE_USAGE("regress", `[--transform ${EXPRESSION_TRANSFORMS.join("|")}] `),
    details: async () =>
      "OLS of transformed expression on ALT dosage, per pair. Columns: geneId, tissueSiteDetailId, variantId,\n" +
      "transform, n, df, nes, error, tStatistic, pValue, intercept, r2, homoRefCount, hetCount, homoAltCount,\n" +
      "apiPValue, apiPValueThreshold, reason.\n" +
      (await import("../analysis/regression/regression.ts")).RECOMPUTED_PVALUE_NOTE,
    options: {
      ...TRIPLE_OPTIONS,
      transform: {
        type: "string",
        value: "T",
        help: `expression transform: ${EXPRESSION_TRANSFORMS.join("|")} (default ${DEFAULT_EXPRESSION_TRANSFORM}); ` +
          "none = TPM, log2 = log2(TPM+1), int = rank inverse-normal",
      },
      ...STRICT_OPTION,
    },
    common: DATA,
    examples: [
      "ratgtex regress --gene Cd300lf --tissue IL --variant chr10:100826333 --transform log2",
      "ratgtex eqtl Cd300lf -f tsv | cut -f1-3 | ratgtex regress - --format csv --out fits.csv",
    ],
    run: async (c) => {
      const transform = choiceOption(c.values, "transform", EXPRESSION_TRANSFORMS, "regress") ??
        DEFAULT_EXPRESSION_TRANSFORM;
      const triples = await triplesFrom(c.values, c.positionals, "regress");
      const [{ dyneqtl }, { RECOMPUTED_PVALUE_NOTE, regressEqtls }] = await Promise.all([
        import("../api/qtl.ts"),
        import("../analysis/regression/regression.ts"),
      ]);
      const results = await dyneqtlTriples(c, "regress", triples, dyneqtl);
      if (c.forHuman) c.note(RECOMPUTED_PVALUE_NOTE);
      return { frame: regressEqtls(results, { transform }) };
    },
  },
  {
    name: "cluster",
    aliases: [],
    summary: "median TPM clustered: the genes × tissues matrix in dendrogram order, or the Newick trees",
    usage: [
      "cluster GENE... [--tissue LIST] [--newick] [options]",
      "cluster GENE... --recluster log2|zscore|none [--metric M] [--method M] [options]",
    ],
    details: "Without --recluster (or --metric/--method) the trees are the server's: Euclidean distance on raw\n" +
      "medians, average linkage, optimal leaf ordering. --recluster transforms the medians (log2 = log2(TPM+1),\n" +
      "zscore = each gene across tissues) and clusters again here; --metric and --method imply --recluster none.\n" +
      "Output: geneId, then one column per tissue, rows and columns in dendrogram order (values are the\n" +
      "untransformed medians). --newick prints two lines instead: the gene tree, then the tissue tree\n" +
      `("Not enough data" for a single gene or tissue, as the server writes).`,
    options: {
      tissue: TISSUE_LIST_OPTION,
      newick: { type: "boolean", help: "print the gene and tissue trees as Newick (two lines)" },
      recluster: {
        type: "string",
        value: "T",
        help: `recluster here after a transform: ${CLUSTER_TRANSFORMS.join("|")}`,
      },
      metric: {
        type: "string",
        value: "M",
        help: `distance: ${DISTANCE_METRICS.join("|")} (default ${DEFAULT_DISTANCE_METRIC})`,
      },
      method: {
        type: "string",
        value: "M",
        help: `linkage: ${LINKAGE_METHODS.join("|")} (default ${DEFAULT_LINKAGE_METHOD})`,
      },
      groups: {
        type: "string",
        value: "K",
        help: "cut the tree into at most K groups and write the groups as a table (scipy's fcluster maxclust)",
      },
      "cut-height": {
        type: "string",
        value: "H",
        help: "cut the tree at height H and write the groups as a table (fcluster distance)",
      },
      of: { type: "string", value: "genes|tissues", help: "which tree --groups/--cut-height cut (default genes)" },
    },
    common: DATA,
    examples: [
      "ratgtex cluster Polr3k Rtel1 Eno1 --newick",
      "ratgtex cluster Polr3k Rtel1 Eno1 Cd300lf --recluster log2 --groups 2 --format csv",
      "ratgtex cluster Polr3k Rtel1 Eno1 Cd300lf --recluster log2 --method complete --format csv",
    ],
    run: async (c) => {
      const name = "cluster";
      let transform = choiceOption(c.values, "recluster", CLUSTER_TRANSFORMS, name);
      const metric = choiceOption(c.values, "metric", DISTANCE_METRICS, name);
      const method = choiceOption(c.values, "method", LINKAGE_METHODS, name);
      if (method && (EUCLIDEAN_ONLY as readonly string[]).includes(method) && (metric ?? "euclidean") !== "euclidean") {
        throw new UsageError(`--method ${method} needs --metric euclidean`, name);
      }
      if ((metric || method) && transform === undefined) transform = "none";
      const geneId = await idsFrom(c.positionals, "gene ID", "geneId", name);
      const tissues = listOption(c.values, "tissue");
      const [{ medianGeneExpression }, { clusterMedians }, frames] = await Promise.all([
        import("../api/expression.ts"),
        import("../analysis/clustering/cluster_medians.ts"),
        import("./frames.ts"),
      ]);
      const med = await medianGeneExpression({ geneId, ...(tissues ? { tissueSiteDetailId: tissues } : {}) }, {
        client: c.client(),
      });
      let clusters = med.clusters;
      let geneOrder = frames.dendrogramOrder(med.geneTree, med.geneIds);
      let tissueOrder = frames.dendrogramOrder(med.tissueTree, med.tissueIds);
      if (transform !== undefined) {
        const res = clusterMedians(med, { transform, metric, method });
        ({ clusters, geneOrder, tissueOrder } = res);
      }
      if (c.values.newick) return { text: `${clusters.gene}\n${clusters.tissue}\n` };
      const k = c.values.groups === undefined ? undefined : Number(c.values.groups);
      const height = c.values["cut-height"] === undefined ? undefined : Number(c.values["cut-height"]);
      if (k !== undefined || height !== undefined) {
        if (k !== undefined && height !== undefined) {
          throw new UsageError("give --groups or --cut-height, not both", name);
        }
        if (k !== undefined && !(Number.isInteger(k) && k >= 1)) {
          throw new UsageError("--groups takes a whole number ≥ 1", name);
        }
        if (height !== undefined && !Number.isFinite(height)) throw new UsageError("--cut-height takes a number", name);
        const of = choiceOption(c.values, "of", ["genes", "tissues"] as const, name) ?? "genes";
        // The server's trees are reproduced exactly by clustering the untransformed medians here.
        const res = clusterMedians(med, transform === undefined ? {} : { transform, metric, method });
        const linkage = of === "genes" ? res.geneLinkage : res.tissueLinkage;
        const ids = of === "genes" ? med.geneIds : med.tissueIds;
        if (linkage === null) {
          throw new UsageError(`a single ${of === "genes" ? "gene" : "tissue"}: no tree to cut`, name);
        }
        const { cutTree } = await import("../analysis/clustering/cut_tree.ts");
        const group = cutTree(linkage, k !== undefined ? { k } : { height: height! });
        return { frame: frames.groupsFrame(of === "genes" ? "geneId" : "tissueSiteDetailId", ids, group) };
      }
      return { frame: frames.orderedMatrix(med, geneOrder, tissueOrder) };
    },
  },
];
