/**
 * The route subcommands: one per API route (`gene`, `eqtl`, `dyneqtl`, …), each a thin layer over the
 * library's route function. The library is imported when a subcommand runs, not before.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { Client } from "../api/client.ts";
import type { DyneqtlResult } from "../analysis/route_results.ts";
import { idsFrom, listOption, type OptionSpec, type OptionTable, triplesFrom, UsageError } from "./args.ts";
import { type Command, type CommandContext, DATA, noPositionals } from "./command.ts";
import { oneOrMany, settle, STRICT_OPTION } from "./batch.ts";

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

/**
 * The tissues of `--tissue` (each checked against the tissue list: a bad one is a usage error), or
 * undefined when none is given.
 */
export async function tissueFilter(context: CommandContext, command: string): Promise<string[] | undefined> {
  const tissues = listOption(context.values, "tissue");
  if (!tissues) return undefined;
  const client = context.client();
  for (const t of tissues) await client.checkTissue(t, "--tissue", command);
  return tissues;
}

/** Keep the rows of the given tissues (all rows when none is given). */
async function keepTissues(frame: pl.DataFrame, tissues: string[] | undefined): Promise<pl.DataFrame> {
  if (!tissues) return frame;
  const { default: polars } = await import("nodejs-polars");
  return frame.filter(polars.col("tissueSiteDetailId").isIn(tissues));
}

/** `--tissue LIST` as a filter of a per-gene route's rows. */
const TISSUE_FILTER_OPTION: OptionSpec = {
  type: "string",
  short: "t",
  multiple: true,
  value: "LIST",
  help: "keep only these tissues, comma-joined or repeated (default: all)",
};

/** A subcommand for a single-gene route fanned out over many genes (`filter`: it takes `--tissue`). */
function perGeneCommand(
  name: string,
  aliases: string[],
  summary: string,
  details: string,
  fetch: (ids: string | string[], client: Client) => Promise<pl.DataFrame>,
  filter = true,
): Command {
  return {
    name,
    aliases,
    summary,
    usage: [`${name} GENE... ${filter ? "[--tissue LIST] " : ""}[options]`, `${name} - [options] < genes.txt`],
    details,
    options: { ...(filter ? { tissue: TISSUE_FILTER_OPTION } : {}), ...STRICT_OPTION },
    common: DATA,
    examples: [
      `ratgtex ${name} Cd300lf`,
      ...(filter ? [`ratgtex ${name} Cd300lf --tissue IL,LHb`] : []),
      `ratgtex ${name} Cd300lf Eno1 --format csv --out ${name}.csv`,
    ],
    run: async (c) => {
      const ids = await idsFrom(c.positionals, "gene ID", "geneId", name);
      const tissues = filter ? await tissueFilter(c, name) : undefined;
      const frame = await settle(c, name, fetch(oneOrMany(ids), c.client()));
      return { frame: await keepTissues(frame, tissues) };
    },
  };
}

/**
 * The one tissue a subcommand is about: its argument (`top IL`) or `--tissue IL`, not both.
 */
export function subjectTissue(context: Pick<CommandContext, "positionals" | "values">, command: string): string {
  const flag = context.values.tissue;
  const flags = typeof flag === "string" ? [flag] : Array.isArray(flag) ? flag.map(String) : [];
  const given = [...context.positionals, ...flags];
  if (given.length !== 1) {
    throw new UsageError(
      given.length === 0
        ? "give one tissue ID, as the argument or with --tissue"
        : `give exactly one tissue ID (as the argument or with --tissue), got ${given.length}: ${given.join(" ")}`,
      command,
    );
  }
  return given[0];
}

/** `--tissue LIST`: tissues to ask for, comma-joined or repeated. */
export const TISSUE_LIST_OPTION: OptionSpec = {
  type: "string",
  short: "t",
  multiple: true,
  value: "LIST",
  help: "tissue IDs, comma-joined or repeated (default: all 13)",
};

/** The options of a gene–tissue–variant triple. */
export const TRIPLE_OPTIONS: OptionTable = {
  gene: { type: "string", short: "g", value: "GENE", help: "gene ID, e.g. Cd300lf" },
  tissue: { type: "string", short: "t", value: "TISSUE", help: "tissue ID, e.g. IL" },
  variant: { type: "string", value: "VARIANT", help: "variant ID chrN:pos, e.g. chr10:100826333" },
};

/** The usage lines of a subcommand that takes gene–tissue–variant triples. */
export const TRIPLE_USAGE = (name: string, extra: string): string[] => [
  `${name} --gene GENE --tissue TISSUE --variant VARIANT ${extra}[options]`,
  `${name} GENE TISSUE VARIANT [GENE TISSUE VARIANT...] ${extra}[options]`,
  `${name} - ${extra}[options] < triples.tsv`,
];

/**
 * `dyneqtl` for the triples of a subcommand: one triple is sent as itself (its error stands), several as
 * a batch whose failed triples are reported on stderr (see {@link settle}).
 */
export async function dyneqtlTriples(
  context: CommandContext,
  command: string,
  triples: { geneId: string; tissueSiteDetailId: string; variantId: string }[],
  dyneqtl: typeof import("../api/qtl.ts").dyneqtl,
): Promise<DyneqtlResult[]> {
  const client = context.client();
  if (triples.length === 1) return [await dyneqtl(triples[0], { client })];
  const { describeTriple } = await import("../api/qtl.ts");
  return await settle(context, command, dyneqtl(triples, { client }), describeTriple);
}

/** The route subcommands, in the order the help lists them. */
export const ROUTE_COMMANDS: readonly Command[] = [
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
      noPositionals(c.positionals, "tissue-info");
      const { tissueInfo } = await import("../api/reference.ts");
      return { frame: await tissueInfo({}, { client: c.client() }) };
    },
  },
  {
    name: "gene",
    aliases: [],
    summary: "gene metadata (/gene), one row per gene; an unknown ID is reported with the closest IDs",
    usage: ["gene GENE... [options]", "gene - [options] < genes.txt"],
    details: "Columns: geneId, chromosome, start, end, strand, tss, description, hasEqtl, statusInTissue.\n" +
      "statusInTissue is nested (one {eqtl, expressed, testedEqtl, tissueSiteDetailId} per tissue): json, ndjson\n" +
      "and parquet keep it; csv, tsv and table flatten it into eqtlIn, expressedIn, testedEqtlIn, each the\n" +
      "comma-joined tissue IDs where it is true. See gene-status for the long form.",
    options: { ...STRICT_OPTION },
    common: DATA,
    examples: [
      "ratgtex gene Cd300lf Eno1",
      "cut -f1 genes.txt | ratgtex gene - --format csv",
      "ratgtex gene Cd300lf,Eno1 --out genes.parquet",
    ],
    run: async (c) => {
      const ids = await idsFrom(c.positionals, "gene ID", "geneId", "gene");
      const { gene } = await import("../api/reference.ts");
      const frame = await settle(c, "gene", gene(oneOrMany(ids), { client: c.client() }));
      // Only when the source has no gene list (IDs unchecked) can the server still drop some.
      warnDropped(c, ids, frame.getColumn("geneId").toArray() as string[], "gene", true);
      return { frame };
    },
  },
  {
    name: "gene-status",
    aliases: ["status"],
    summary: "per-tissue status of genes (gene's statusInTissue, long): expressed, tested, eQTL",
    usage: ["gene-status GENE... [--tissue LIST] [options]", "gene-status - [options] < genes.txt"],
    details: "Columns: geneId, tissueSiteDetailId, expressed, testedEqtl, eqtl (one row per gene × tissue).",
    options: { tissue: TISSUE_FILTER_OPTION, ...STRICT_OPTION },
    common: DATA,
    examples: ["ratgtex gene-status Cd300lf", "ratgtex status Cd300lf Eno1 --tissue IL --format tsv"],
    run: async (c) => {
      const ids = await idsFrom(c.positionals, "gene ID", "geneId", "gene-status");
      const tissues = await tissueFilter(c, "gene-status");
      const { geneStatus } = await import("../api/reference.ts");
      const frame = await settle(c, "gene-status", geneStatus(oneOrMany(ids), { client: c.client() }));
      return { frame: await keepTissues(frame, tissues) };
    },
  },
  perGeneCommand(
    "exon",
    [],
    "exons of the collapsed gene model (/exon), one request per gene",
    "Columns: geneId, transcriptId, exonId, exonNumber, chromosome, start, end, strand, featureType.",
    async (ids, client) => (await import("../api/reference.ts")).exon(ids, { client }),
    false,
  ),
  {
    name: "variant",
    aliases: [],
    summary: "variant alleles (/variant); unknown IDs are dropped (with a warning), a multi-allelic one reported",
    usage: ["variant VARIANT... [options]", "variant - [options] < variants.txt"],
    details: "Variant IDs are chrN:pos (1-based, no alleles).\nColumns: variantId, chromosome, pos, ref, alt.\n" +
      "The server answers a whole request with HTTP 500 for one multi-allelic variant: the batch is split\n" +
      "until that variant is isolated, and it is reported on stderr while the others are written.",
    options: { ...STRICT_OPTION },
    common: DATA,
    examples: ["ratgtex variant chr10:100826333", "cut -f3 eqtls.tsv | ratgtex variant - --format csv"],
    run: async (c) => {
      const ids = await idsFrom(c.positionals, "variant ID", "variantId", "variant");
      const { variant } = await import("../api/reference.ts");
      const failed = new Set<unknown>();
      // The library warns for the variants the server dropped (with the assembly note): not said twice here.
      const frame = await settle(c, "variant", variant(oneOrMany(ids), { client: c.client() }), undefined, failed);
      return { frame };
    },
  },
  perGeneCommand(
    "gene-expression",
    ["expression"],
    "per-sample TPM of genes in every tissue (/geneExpression), long",
    "Columns: geneId, tissueSiteDetailId, sampleIndex (position in the tissue; the API gives no sample IDs), tpm.\n" +
      "An unknown gene is reported with the closest IDs, before any request.",
    async (ids, client) => (await import("../api/expression.ts")).geneExpression(ids, { client }),
  ),
  {
    name: "median-gene-expression",
    aliases: ["median"],
    summary: "median TPM of genes in tissues (/medianGeneExpression); see cluster for its trees",
    usage: ["median-gene-expression GENE... [--tissue T1,T2] [--wide] [options]"],
    details: "Columns (long, tissue-major as the server sends them): geneId, tissueSiteDetailId, median.\n" +
      "With --wide: geneId, then one column per tissue.",
    options: {
      tissue: TISSUE_LIST_OPTION,
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
      const { medianGeneExpression } = await import("../api/expression.ts");
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
    usage: [
      "top-expressed-gene TISSUE [--filter-mt] [options]",
      "top-expressed-gene --tissue TISSUE [--filter-mt] [options]",
    ],
    details: "chrM genes are included unless --filter-mt (the server's default, unlike GTEx).\n" +
      "Columns: tissueSiteDetailId, rank, geneId, chromosome, median, unit, datasetId.",
    options: {
      "filter-mt": { type: "boolean", help: "leave out mitochondrial (chrM) genes" },
      tissue: { type: "string", short: "t", value: "TISSUE", help: "the tissue (or give it as the argument)" },
    },
    common: DATA,
    examples: [
      "ratgtex top IL --filter-mt",
      "ratgtex top --tissue IL",
      "ratgtex top-expressed-gene Liver --format csv --out liver_top.csv",
    ],
    run: async (c) => {
      const tissue = subjectTissue(c, "top-expressed-gene");
      const { topExpressedGene } = await import("../api/expression.ts");
      const frame = await topExpressedGene(
        { tissueSiteDetailId: tissue, filterMtGene: c.values["filter-mt"] === true },
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
    async (ids, client) => (await import("../api/qtl.ts")).singleTissueEqtl(ids, { client }),
  ),
  perGeneCommand(
    "eqtl",
    [],
    "conditionally independent cis-eQTLs of genes (/eqtl)",
    "Columns: geneId, tissueSiteDetailId, variantId, chromosome, pos, ref, alt, pValueBeta, log2aFC\n" +
      "(log2aFC null where the server wrote NaN). The first three columns pipe into dyneqtl and regress:\n" +
      "  ratgtex eqtl Cd300lf -f tsv | cut -f1-3 | ratgtex regress -",
    async (ids, client) => (await import("../api/qtl.ts")).eqtl(ids, { client }),
  ),
  perGeneCommand(
    "xqtl",
    [],
    "conditionally independent cis-xQTLs of genes across six RNA modalities (/xqtl)",
    "Columns: geneId, tissueSiteDetailId, modality, modalityLabel, phenotypeId, variantId, chromosome, pos,\n" +
      "ref, alt, pValueBeta.",
    async (ids, client) => (await import("../api/qtl.ts")).xqtl(ids, { client }),
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
    options: {
      ...TRIPLE_OPTIONS,
      samples: { type: "boolean", help: "one row per sample (genotype, tpm)" },
      ...STRICT_OPTION,
    },
    common: DATA,
    examples: [
      "ratgtex dyneqtl --gene Cd300lf --tissue IL --variant chr10:100826333",
      "ratgtex dyneqtl Cd300lf IL chr10:100826333 --samples --format csv --out dyn.csv",
      "ratgtex eqtl Cd300lf -f tsv | cut -f1-3 | ratgtex dyneqtl -",
    ],
    run: async (c) => {
      const triples = await triplesFrom(c.values, c.positionals, "dyneqtl");
      const [{ dyneqtl }, frames] = await Promise.all([import("../api/qtl.ts"), import("./frames.ts")]);
      const results = await dyneqtlTriples(c, "dyneqtl", triples, dyneqtl);
      return { frame: c.values.samples ? frames.dyneqtlSamples(results) : frames.dyneqtlSummary(results) };
    },
  },
];
