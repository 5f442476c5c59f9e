/**
 * The route subcommands: one per API route (`gene`, `eqtl`, `dyneqtl`, …), each a thin layer over the
 * library's route function. The library is imported when a subcommand runs, not before.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { Client } from "../api/client.ts";
import { idsFrom, listOption, type OptionSpec, type OptionTable, triplesFrom, UsageError } from "./args.ts";
import { type Command, type CommandContext, DATA, noPositionals } from "./command.ts";

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
      const { gene } = await import("../api/reference.ts");
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
      const { geneStatus } = await import("../api/reference.ts");
      return { frame: await geneStatus(ids, { client: c.client() }) };
    },
  },
  perGeneCommand(
    "exon",
    [],
    "exons of the collapsed gene model (/exon), one request per gene",
    "Columns: geneId, transcriptId, exonId, exonNumber, chromosome, start, end, strand, featureType.",
    async (ids, client) => (await import("../api/reference.ts")).exon(ids, { client }),
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
      const { variant } = await import("../api/reference.ts");
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
      const { topExpressedGene } = await import("../api/expression.ts");
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
    options: { ...TRIPLE_OPTIONS, samples: { type: "boolean", help: "one row per sample (genotype, tpm)" } },
    common: DATA,
    examples: [
      "ratgtex dyneqtl --gene Cd300lf --tissue IL --variant chr10:100826333",
      "ratgtex dyneqtl Cd300lf IL chr10:100826333 --samples --format csv --out dyn.csv",
      "ratgtex eqtl Cd300lf -f tsv | cut -f1-3 | ratgtex dyneqtl -",
    ],
    run: async (c) => {
      const triples = await triplesFrom(c.values, c.positionals, "dyneqtl");
      const [{ dyneqtl }, frames] = await Promise.all([import("../api/qtl.ts"), import("./frames.ts")]);
      const results = await dyneqtl(triples, { client: c.client() });
      return { frame: c.values.samples ? frames.dyneqtlSamples(results) : frames.dyneqtlSummary(results) };
    },
  },
];
