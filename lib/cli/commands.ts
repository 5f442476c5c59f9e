/**
 * The table of subcommands. Each entry names itself, says what it does, lists its own options and
 * examples, and runs; `lib/cli/main.ts` drives parsing and help from this table alone.
 *
 * @module
 */
import pl from "nodejs-polars";
import { type Client, createClient } from "../api/client.ts";
import { defaultCacheDir, ResponseCache } from "../api/client.ts";
import { exon, gene, geneStatus, tissueInfo, variant } from "../api/reference.ts";
import { geneExpression, medianGeneExpression, topExpressedGene } from "../api/expression.ts";
import { dyneqtl, eqtl, singleTissueEqtl, xqtl } from "../api/qtl.ts";
import type { DyneqtlResult, MedianGeneExpressionResult } from "../analysis/route_results.ts";
import { CLUSTER_TRANSFORMS, clusterMedians } from "../analysis/cluster_medians.ts";
import type { DistanceMetric, LinkageMethod } from "../analysis/hclust.ts";
import type { NewickNode } from "../analysis/newick.ts";
import { RECOMPUTED_PVALUE_NOTE, regressEqtls } from "../analysis/regression.ts";
import { EXPRESSION_TRANSFORMS } from "../analysis/transforms.ts";
import { serveTwin } from "../offline/serve.ts";
import {
  choiceOption,
  idsFrom,
  integerOption,
  listOption,
  type OptionTable,
  type OptionValues,
  stringOption,
  triplesFrom,
  UsageError,
} from "./args.ts";
import { FIGURES_COMMAND } from "./figures.ts";
import { FORMATS } from "./output.ts";
import type { Command, CommandContext } from "./command.ts";

export type { Command, CommandContext, CommandOutput } from "./command.ts";

/** Options that say where the output goes and how it looks. */
export const OUTPUT_OPTIONS: OptionTable = {
  format: {
    type: "string",
    short: "f",
    value: "FMT",
    help: `${FORMATS.join("|")} (default: --out's extension, else table on a terminal, tsv otherwise)`,
  },
  out: {
    type: "string",
    short: "o",
    value: "FILE",
    help: "write to FILE atomically (temp file + rename) instead of stdout",
  },
};

/** Options that say where answers come from. */
export const SOURCE_OPTIONS: OptionTable = {
  source: {
    type: "string",
    value: "SRC",
    help: "offline | live | an API base URL (default: $RATGTEX_SOURCE, else live)",
  },
  "cache-dir": {
    type: "string",
    value: "DIR",
    help: "cache folder (default: $RATGTEX_CACHE_DIR, else the platform's)",
  },
  "no-cache": { type: "boolean", help: "do not read or write the disk cache" },
  refresh: { type: "boolean", help: "ignore cached answers (and store the fresh ones)" },
  concurrency: {
    type: "string",
    value: "N",
    help: "requests in flight at once (default 4; the server is one process)",
  },
};

const HELP_OPTION: OptionTable = { help: { type: "boolean", short: "h", help: "show this help" } };

/**
 * The option table a command parses: its own, then the common groups it takes, then --help.
 *
 * @example
 * ```ts
 * import { findCommand, optionsOf } from "./commands.ts";
 * Object.keys(optionsOf(findCommand("top")!)); // ["filter-mt", "format", "out", "source", ...]
 * ```
 */
export function optionsOf(command: Command): OptionTable {
  return {
    ...command.options,
    ...(command.common.output ? OUTPUT_OPTIONS : {}),
    ...(command.common.source ? SOURCE_OPTIONS : {}),
    ...HELP_OPTION,
  };
}

const DATA = { output: true, source: true };

function noPositionals(context: CommandContext, name: string): void {
  if (context.positionals.length > 0) {
    throw new UsageError(`${name} takes no arguments, got ${JSON.stringify(context.positionals.join(" "))}`, name);
  }
}

/** Warn on stderr about IDs the server dropped (it answers 200 and leaves them out). */
function warnDropped(context: CommandContext, asked: string[], found: string[], what: string, caseless = false): void {
  const norm = (s: string) => (caseless ? s.toLowerCase() : s);
  const have = new Set(found.map(norm));
  const missing = [...new Set(asked)].filter((id) => !have.has(norm(id)));
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", ..." : "");
    context.note(
      `ratgtex: ${missing.length} ${what}${missing.length > 1 ? "s" : ""} not found (dropped by the server): ${shown}`,
    );
  }
}

/** A subcommand for a single-gene route fanned out over many genes. */
function perGeneCommand(
  name: string,
  aliases: string[],
  summary: string,
  details: string,
  fetch: (ids: string[], client: Client) => Promise<pl.DataFrame>,
): Command {
  return {
    name,
    aliases,
    summary,
    usage: [`${name} GENE... [options]`, `${name} - [options] < genes.txt`],
    details,
    options: {},
    common: DATA,
    examples: [`ratgtex ${name} Cd300lf`, `ratgtex ${name} Cd300lf Eno1 --format csv --out ${name}.csv`],
    run: async (c) => ({ frame: await fetch(await idsFrom(c.positionals, "gene ID", "geneId", name), c.client()) }),
  };
}

const METRICS: readonly DistanceMetric[] = ["euclidean", "correlation", "cosine", "cityblock"];
const METHODS: readonly LinkageMethod[] = ["average", "complete", "single", "weighted", "ward", "centroid", "median"];
const RECLUSTER = CLUSTER_TRANSFORMS;

/** Leaves of a parsed server tree in dendrogram order (the server writes each node's children right to left). */
function dendrogramOrder(tree: NewickNode | null, fallback: string[]): string[] {
  if (tree === null) return fallback;
  const written: string[] = [];
  const stack = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.children.length === 0) written.push(node.name ?? "");
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return written.reverse();
}

/** The median matrix with genes and tissues in dendrogram order: `geneId`, then one column per tissue. */
function orderedMatrix(med: MedianGeneExpressionResult, geneOrder: string[], tissueOrder: string[]): pl.DataFrame {
  const gi = new Map(med.geneIds.map((g, i) => [g, i]));
  const ti = new Map(med.tissueIds.map((t, j) => [t, j]));
  return pl.DataFrame([
    pl.Series("geneId", geneOrder, pl.Utf8),
    ...tissueOrder.map((t) =>
      pl.Series(
        t,
        geneOrder.map((g) => {
          const v = med.values[gi.get(g)!][ti.get(t)!];
          return Number.isNaN(v) ? null : v;
        }),
        pl.Float64,
      )
    ),
  ]);
}

function dyneqtlSummary(results: DyneqtlResult[]): pl.DataFrame {
  const col = <K extends keyof DyneqtlResult>(k: K) => results.map((r) => r[k]);
  return pl.DataFrame([
    pl.Series("geneId", col("geneId"), pl.Utf8),
    pl.Series("tissueSiteDetailId", col("tissueSiteDetailId"), pl.Utf8),
    pl.Series("variantId", col("variantId"), pl.Utf8),
    pl.Series("ref", col("ref"), pl.Utf8),
    pl.Series("alt", col("alt"), pl.Utf8),
    pl.Series("homoRefCount", col("homoRefCount") as number[], pl.Int32),
    pl.Series("hetCount", col("hetCount") as number[], pl.Int32),
    pl.Series("homoAltCount", col("homoAltCount") as number[], pl.Int32),
    pl.Series("maf", col("maf") as number[], pl.Float64),
    pl.Series("pValue", col("pValue") as (number | null)[], pl.Float64),
    pl.Series("pValueThreshold", col("pValueThreshold") as number[], pl.Float64),
  ]);
}

function dyneqtlSamples(results: DyneqtlResult[]): pl.DataFrame {
  const frames = results.map((r) =>
    r.samples.select(
      pl.lit(r.geneId).alias("geneId"),
      pl.lit(r.tissueSiteDetailId).alias("tissueSiteDetailId"),
      pl.lit(r.variantId).alias("variantId"),
      pl.col("sampleIndex"),
      pl.col("genotype"),
      pl.col("tpm"),
    )
  );
  return frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical" });
}

const TRIPLE_OPTIONS: OptionTable = {
  gene: { type: "string", short: "g", value: "GENE", help: "gene ID, e.g. Cd300lf" },
  tissue: { type: "string", short: "t", value: "TISSUE", help: "tissue ID, e.g. IL" },
  variant: { type: "string", value: "VARIANT", help: "variant ID chrN:pos, e.g. chr10:100826333" },
};

const TRIPLE_USAGE = (name: string, extra: string) => [
  `${name} --gene GENE --tissue TISSUE --variant VARIANT ${extra}[options]`,
  `${name} GENE TISSUE VARIANT [GENE TISSUE VARIANT...] ${extra}[options]`,
  `${name} - ${extra}[options] < triples.tsv`,
];

/** Every subcommand, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: "tissue-info",
    aliases: ["tissues"],
    summary: "metadata of the 13 tissues (/tissueInfo)",
    usage: ["tissue-info [options]"],
    details: "Columns: tissueSiteDetailId, tissueSiteDetail, tissueSiteDetailAbbr, tissueSite, colorHex, color,\n" +
      "colorRgb, dataset, datasetId, eGeneCount, expressedGeneCount, hasEGenes, rnaSeqSampleCount,\n" +
      "rnaSeqAndGenotypeSampleCount.",
    options: {},
    common: DATA,
    examples: ["ratgtex tissues", "ratgtex tissue-info --source offline --format json"],
    run: async (c) => {
      noPositionals(c, "tissue-info");
      return { frame: await tissueInfo({}, { client: c.client() }) };
    },
  },
  {
    name: "gene",
    aliases: [],
    summary: "gene metadata (/gene), one row per known gene; unknown IDs are dropped (with a warning)",
    usage: ["gene GENE... [options]", "gene - [options] < genes.txt"],
    details: "Columns: geneId, chromosome, start, end, strand, tss, description, hasEqtl, statusInTissue.\n" +
      "statusInTissue is nested (one {eqtl, expressed, testedEqtl, tissueSiteDetailId} per tissue): json, ndjson\n" +
      "and parquet keep it; csv, tsv and table flatten it into eqtlIn, expressedIn, testedEqtlIn, each the\n" +
      "comma-joined tissue IDs where it is true. See gene-status for the long form.",
    options: {},
    common: DATA,
    examples: [
      "ratgtex gene Cd300lf Eno1",
      "cut -f1 genes.txt | ratgtex gene - --format csv",
      "ratgtex gene Cd300lf,Eno1 --out genes.parquet",
    ],
    run: async (c) => {
      const ids = await idsFrom(c.positionals, "gene ID", "geneId", "gene");
      const frame = await gene(ids, { client: c.client() });
      warnDropped(c, ids, frame.getColumn("geneId").toArray() as string[], "gene", true);
      return { frame };
    },
  },
  {
    name: "gene-status",
    aliases: ["status"],
    summary: "per-tissue status of genes (gene's statusInTissue, long): expressed, tested, eQTL",
    usage: ["gene-status GENE... [options]", "gene-status - [options] < genes.txt"],
    details: "Columns: geneId, tissueSiteDetailId, expressed, testedEqtl, eqtl (one row per gene × tissue).",
    options: {},
    common: DATA,
    examples: ["ratgtex gene-status Cd300lf", "ratgtex status Cd300lf Eno1 --format tsv"],
    run: async (c) => {
      const ids = await idsFrom(c.positionals, "gene ID", "geneId", "gene-status");
      return { frame: await geneStatus(ids, { client: c.client() }) };
    },
  },
  perGeneCommand(
    "exon",
    [],
    "exons of the collapsed gene model (/exon), one request per gene",
    "Columns: geneId, transcriptId, exonId, exonNumber, chromosome, start, end, strand, featureType.",
    (ids, client) => exon(ids, { client }),
  ),
  {
    name: "variant",
    aliases: [],
    summary: "variant alleles (/variant); unknown IDs are dropped (with a warning)",
    usage: ["variant VARIANT... [options]", "variant - [options] < variants.txt"],
    details: "Variant IDs are chrN:pos (1-based, no alleles).\nColumns: variantId, chromosome, pos, ref, alt.",
    options: {},
    common: DATA,
    examples: ["ratgtex variant chr10:100826333", "cut -f3 eqtls.tsv | ratgtex variant - --format csv"],
    run: async (c) => {
      const ids = await idsFrom(c.positionals, "variant ID", "variantId", "variant");
      const frame = await variant(ids, { client: c.client() });
      warnDropped(c, ids, frame.getColumn("variantId").toArray() as string[], "variant");
      return { frame };
    },
  },
  perGeneCommand(
    "gene-expression",
    ["expression"],
    "per-sample TPM of genes in every tissue (/geneExpression), long",
    "Columns: geneId, tissueSiteDetailId, sampleIndex (position in the tissue; the API gives no sample IDs), tpm.\n" +
      "An unknown gene is an error (the server answers 500).",
    (ids, client) => geneExpression(ids, { client }),
  ),
  {
    name: "median-gene-expression",
    aliases: ["median"],
    summary: "median TPM of genes in tissues (/medianGeneExpression); see cluster for its trees",
    usage: ["median-gene-expression GENE... [--tissue T1,T2] [--wide] [options]"],
    details: "Columns (long, tissue-major as the server sends them): geneId, tissueSiteDetailId, median.\n" +
      "With --wide: geneId, then one column per tissue.",
    options: {
      tissue: {
        type: "string",
        short: "t",
        multiple: true,
        value: "LIST",
        help: "tissue IDs, comma-joined or repeated (default: all 13)",
      },
      wide: { type: "boolean", help: "one row per gene, one column per tissue" },
    },
    common: DATA,
    examples: [
      "ratgtex median Polr3k Rtel1 Eno1 --tissue IL,LHb",
      "ratgtex median Polr3k Rtel1 Eno1 --wide --format csv",
    ],
    run: async (c) => {
      const geneId = await idsFrom(c.positionals, "gene ID", "geneId", "median-gene-expression");
      const tissues = listOption(c.values, "tissue");
      const med = await medianGeneExpression({ geneId, ...(tissues ? { tissueSiteDetailId: tissues } : {}) }, {
        client: c.client(),
      });
      return { frame: c.values.wide ? med.wide : med.long };
    },
  },
  {
    name: "top-expressed-gene",
    aliases: ["top"],
    summary: "the (at most) 50 genes with the highest median TPM in a tissue (/topExpressedGene)",
    usage: ["top-expressed-gene TISSUE [--filter-mt] [options]"],
    details: "chrM genes are included unless --filter-mt (the server's default, unlike GTEx).\n" +
      "Columns: tissueSiteDetailId, rank, geneId, chromosome, median, unit, datasetId.",
    options: { "filter-mt": { type: "boolean", help: "leave out mitochondrial (chrM) genes" } },
    common: DATA,
    examples: ["ratgtex top IL --filter-mt", "ratgtex top-expressed-gene Liver --format csv --out liver_top.csv"],
    run: async (c) => {
      if (c.positionals.length !== 1) {
        throw new UsageError(`give exactly one tissue ID, got ${c.positionals.length}`, "top-expressed-gene");
      }
      const frame = await topExpressedGene(
        { tissueSiteDetailId: c.positionals[0], filterMtGene: c.values["filter-mt"] === true },
        { client: c.client() },
      );
      return { frame };
    },
  },
  perGeneCommand(
    "single-tissue-eqtl",
    ["significant"],
    "every significant cis-variant of genes in every tissue (/singleTissueEqtl)",
    "Columns: geneId, tissueSiteDetailId, variantId, chromosome, pos, nes, pValue.",
    (ids, client) => singleTissueEqtl(ids, { client }),
  ),
  perGeneCommand(
    "eqtl",
    [],
    "conditionally independent cis-eQTLs of genes (/eqtl)",
    "Columns: geneId, tissueSiteDetailId, variantId, chromosome, pos, ref, alt, pValueBeta, log2aFC\n" +
      "(log2aFC null where the server wrote NaN). The first three columns pipe into dyneqtl and regress:\n" +
      "  ratgtex eqtl Cd300lf -f tsv | cut -f1-3 | ratgtex regress -",
    (ids, client) => eqtl(ids, { client }),
  ),
  perGeneCommand(
    "xqtl",
    [],
    "conditionally independent cis-xQTLs of genes across six RNA modalities (/xqtl)",
    "Columns: geneId, tissueSiteDetailId, modality, modalityLabel, phenotypeId, variantId, chromosome, pos,\n" +
      "ref, alt, pValueBeta.",
    (ids, client) => xqtl(ids, { client }),
  ),
  {
    name: "dyneqtl",
    aliases: [],
    summary: "genotype counts and p-values of gene–variant pairs in a tissue (/dyneqtl); --samples for the data",
    usage: TRIPLE_USAGE("dyneqtl", "[--samples] "),
    details: "Columns: geneId, tissueSiteDetailId, variantId, ref, alt, homoRefCount, hetCount, homoAltCount,\n" +
      "maf (really the ALT allele frequency), pValue (null when the pair was not tested), pValueThreshold.\n" +
      "With --samples, one row per sample: geneId, tissueSiteDetailId, variantId, sampleIndex, genotype\n" +
      "(ALT dosage 0/1/2, null = missing call), tpm. Standard input: one GENE TISSUE VARIANT per line.\n" +
      "An unknown gene or an untested pair is an error (the server answers 500; a variant not genotyped, 404).",
    options: { ...TRIPLE_OPTIONS, samples: { type: "boolean", help: "one row per sample (genotype, tpm)" } },
    common: DATA,
    examples: [
      "ratgtex dyneqtl --gene Cd300lf --tissue IL --variant chr10:100826333",
      "ratgtex dyneqtl Cd300lf IL chr10:100826333 --samples --format csv --out dyn.csv",
      "ratgtex eqtl Cd300lf -f tsv | cut -f1-3 | ratgtex dyneqtl -",
    ],
    run: async (c) => {
      const triples = await triplesFrom(c.values, c.positionals, "dyneqtl");
      const results = await dyneqtl(triples, { client: c.client() });
      return { frame: c.values.samples ? dyneqtlSamples(results) : dyneqtlSummary(results) };
    },
  },
  {
    name: "regress",
    aliases: [],
    summary: "dyneqtl plus the statistics the API leaves out: nes, error, tStatistic, recomputed pValue, r2",
    usage: TRIPLE_USAGE("regress", "[--transform none|log2|int] "),
    details:
      "OLS of transformed expression on ALT dosage, per pair. Columns: geneId, tissueSiteDetailId, variantId,\n" +
      "transform, n, df, nes, error, tStatistic, pValue, intercept, r2, homoRefCount, hetCount, homoAltCount,\n" +
      "apiPValue, apiPValueThreshold, reason.\n" + RECOMPUTED_PVALUE_NOTE,
    options: {
      ...TRIPLE_OPTIONS,
      transform: {
        type: "string",
        value: "T",
        help: "expression transform: none (TPM), log2 (log2(TPM+1)), int (rank inverse-normal; default)",
      },
    },
    common: DATA,
    examples: [
      "ratgtex regress --gene Cd300lf --tissue IL --variant chr10:100826333 --transform log2",
      "ratgtex eqtl Cd300lf -f tsv | cut -f1-3 | ratgtex regress - --format csv --out fits.csv",
    ],
    run: async (c) => {
      const transform = choiceOption(c.values, "transform", EXPRESSION_TRANSFORMS, "regress") ?? "int";
      const triples = await triplesFrom(c.values, c.positionals, "regress");
      const results = await dyneqtl(triples, { client: c.client() });
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
      tissue: {
        type: "string",
        short: "t",
        multiple: true,
        value: "LIST",
        help: "tissue IDs, comma-joined or repeated (default: all 13)",
      },
      newick: { type: "boolean", help: "print the gene and tissue trees as Newick (two lines)" },
      recluster: { type: "string", value: "T", help: `recluster here after a transform: ${RECLUSTER.join("|")}` },
      metric: { type: "string", value: "M", help: `distance: ${METRICS.join("|")} (default euclidean)` },
      method: { type: "string", value: "M", help: `linkage: ${METHODS.join("|")} (default average)` },
    },
    common: DATA,
    examples: [
      "ratgtex cluster Polr3k Rtel1 Eno1 --newick",
      "ratgtex cluster Polr3k Rtel1 Eno1 Cd300lf --recluster log2 --method complete --format csv",
    ],
    run: async (c) => {
      const name = "cluster";
      let transform = choiceOption(c.values, "recluster", RECLUSTER, name);
      const metric = choiceOption(c.values, "metric", METRICS, name);
      const method = choiceOption(c.values, "method", METHODS, name);
      if (method && ["ward", "centroid", "median"].includes(method) && (metric ?? "euclidean") !== "euclidean") {
        throw new UsageError(`--method ${method} needs --metric euclidean`, name);
      }
      if ((metric || method) && transform === undefined) transform = "none";
      const geneId = await idsFrom(c.positionals, "gene ID", "geneId", name);
      const tissues = listOption(c.values, "tissue");
      const med = await medianGeneExpression({ geneId, ...(tissues ? { tissueSiteDetailId: tissues } : {}) }, {
        client: c.client(),
      });
      let clusters = med.clusters;
      let geneOrder = dendrogramOrder(med.geneTree, med.geneIds);
      let tissueOrder = dendrogramOrder(med.tissueTree, med.tissueIds);
      if (transform !== undefined) {
        const res = clusterMedians(med, { transform, metric, method });
        ({ clusters, geneOrder, tissueOrder } = res);
      }
      if (c.values.newick) return { text: `${clusters.gene}\n${clusters.tissue}\n` };
      return { frame: orderedMatrix(med, geneOrder, tissueOrder) };
    },
  },
  {
    name: "serve",
    aliases: [],
    summary: "serve the twin of the RatGTEx API (synthetic offline universe) on loopback until interrupted",
    usage: ["serve [--port N]"],
    details: "Prints the API base URL (http://127.0.0.1:PORT/api/v4) as the first line of standard output, then\n" +
      "serves until SIGINT or SIGTERM. Point any client at it: --source http://127.0.0.1:PORT/api/v4.",
    options: { port: { type: "string", short: "p", value: "N", help: "port (default 0: a free port)" } },
    common: { output: false, source: false },
    examples: ["ratgtex serve --port 8000", "ratgtex gene Cd300lf --source http://127.0.0.1:8000/api/v4"],
    run: async (c) => {
      noPositionals(c, "serve");
      const port = integerOption(c.values, "port", 0, 65535, "serve") ?? 0;
      const served = await serveTwin({ port });
      const signals: Deno.Signal[] = [];
      const stop = Promise.withResolvers<void>();
      Deno.stdout.writeSync(new TextEncoder().encode(`${served.baseUrl}\n`));
      c.note("ratgtex: serving the RatGTEx twin (synthetic data); stop with Ctrl-C");
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        try {
          Deno.addSignalListener(signal, stop.resolve);
          signals.push(signal);
        } catch {
          // SIGTERM cannot be listened to on Windows: Ctrl-C still works.
        }
      }
      try {
        await stop.promise;
      } finally {
        // Left in place, the listeners would swallow every later Ctrl-C of a process that called main().
        for (const signal of signals) Deno.removeSignalListener(signal, stop.resolve);
        await served.close();
      }
      return null;
    },
  },
  {
    name: "cache",
    aliases: [],
    summary: "show (info) or empty (clear) the disk cache of API answers",
    usage: ["cache info [--cache-dir DIR] [options]", "cache clear [--cache-dir DIR]"],
    details: "info columns: dir, entries, bytes. clear prints what it removed.",
    options: { "cache-dir": SOURCE_OPTIONS["cache-dir"] },
    common: { output: true, source: false },
    examples: ["ratgtex cache info", "ratgtex cache clear --cache-dir /tmp/ratgtex-cache"],
    run: async (c) => {
      const action = c.positionals[0];
      if (c.positionals.length !== 1 || (action !== "info" && action !== "clear")) {
        throw new UsageError(
          `expected 'cache info' or 'cache clear', got ${JSON.stringify(c.positionals.join(" "))}`,
          "cache",
        );
      }
      const cache = new ResponseCache(stringOption(c.values, "cache-dir") ?? defaultCacheDir());
      const info = await cache.info();
      if (action === "clear") {
        await cache.clear();
        return { text: `removed ${info.entries} entries (${info.bytes} bytes) from ${info.dir}\n` };
      }
      return {
        frame: pl.DataFrame([
          pl.Series("dir", [info.dir], pl.Utf8),
          pl.Series("entries", [info.entries], pl.Int64),
          pl.Series("bytes", [info.bytes], pl.Int64),
        ]),
      };
    },
  },
  FIGURES_COMMAND,
];

/**
 * The command called `name` (or one of its aliases, or its route's camelCase name), or undefined.
 *
 * @example
 * ```ts
 * import { findCommand } from "./commands.ts";
 * findCommand("medianGeneExpression")?.name; // "median-gene-expression"
 * ```
 */
export function findCommand(name: string): Command | undefined {
  const camel = (s: string) => s.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name) || camel(c.name) === name);
}

/**
 * Build the client a data subcommand asked for (`--source`, else `$RATGTEX_SOURCE`, else live).
 *
 * @example
 * ```ts
 * import { clientFrom } from "./commands.ts";
 * clientFrom({ source: "offline", concurrency: "2" }, "gene").options.concurrency; // 2
 * ```
 */
export function clientFrom(values: OptionValues, command: string): Client {
  let source = stringOption(values, "source");
  if (source === undefined) {
    source = Deno.env.get("RATGTEX_SOURCE")?.trim() || "live";
  }
  const concurrency = integerOption(values, "concurrency", 1, 64, command);
  return createClient({
    source,
    ...(stringOption(values, "cache-dir") ? { cacheDir: stringOption(values, "cache-dir") } : {}),
    ...(values["no-cache"] ? { cache: false } : {}),
    ...(values.refresh ? { refresh: true } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
  });
}
