/**
 * The release subcommands: genome-scale queries over a RatGTEx release folder or URL, which the API
 * cannot answer gene by gene — `region` (genes, eQTLs, xQTLs in an interval), `lookup` (every gene and
 * tissue where a variant, or any variant near it, is an eQTL or xQTL), `top-associations` (every tested
 * gene × tissue with its eGene status), `xqtl-top` and `xqtls` (each modality's tables), `trans`, `rats`,
 * `samples`, `heritability`, `predictions` — and the recomputations: `eqtl-stats`, `perm-stats`, `qvalues`.
 *
 * @module
 */
import type { DataFrame } from "nodejs-polars";
import { integerOption, listOption, type OptionTable, stringOption, triplesFrom, UsageError } from "./args.ts";
import { TRIPLE_OPTIONS, TRIPLE_USAGE } from "./routes.ts";
import type { Command, CommandContext } from "./command.ts";
import { resolveSource } from "../_core/source.ts";

/** The default release: RatGTEx's own data folder (files are downloaded into the cache as needed). */
export const LIVE_RELEASE_URL = "https://ratgtex.org/data/v4";

/** The release options every release subcommand takes: `--source`, its alias `--data`, `--timeout`. */
export const DATA_OPTION: OptionTable = {
  source: {
    type: "string",
    value: "SRC",
    help: "offline | live | an API base URL (its release beside it: …/api/v4 → …/data/v4) | a release folder or\n" +
      `URL (default: $RATGTEX_SOURCE, else live: ${LIVE_RELEASE_URL}), as every subcommand takes it`,
  },
  data: {
    type: "string",
    short: "d",
    value: "DIR|URL",
    help: "the same as --source (kept for release folders and URLs; 'offline': the bundled synthetic one)",
  },
  timeout: {
    type: "string",
    value: "S",
    help:
      "a release URL: seconds to wait for each step of a request (the answer, each piece of a download; default 30)",
  },
};

/**
 * The release a source names: `offline` → the bundled one, `live` → RatGTEx's data folder, an API base URL
 * (`…/api/v4`) → the data folder beside it (`…/data/v4`), anything else (a folder, a data URL) as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { releaseOfSource } from "./release.ts";
 * assert.equal(releaseOfSource("live"), "https://ratgtex.org/data/v4");
 * assert.equal(releaseOfSource("http://127.0.0.1:8000/api/v4"), "http://127.0.0.1:8000/data/v4");
 * assert.equal(releaseOfSource("./v4"), "./v4");
 * ```
 */
export function releaseOfSource(source: string): string {
  if (source === "live") return LIVE_RELEASE_URL;
  if (/^https?:\/\//i.test(source) && /\/api\/v4\/?$/.test(source)) return source.replace(/\/api\/v4\/?$/, "/data/v4");
  return source;
}

const WINDOW: OptionTable = {
  window: { type: "string", short: "w", value: "N", help: "widen by N bases on each side (default 0)" },
};

const WHAT = (choices: string[]): OptionTable => ({
  what: { type: "string", value: choices.join("|"), help: `which table (default ${choices[0]})` },
});

/** The release the subcommand's `--data` / `--source` (or `$RATGTEX_SOURCE`) names, opened. */
export async function openRelease(c: CommandContext, command: string) {
  const given = stringOption(c.values, "data") ?? stringOption(c.values, "source");
  const data = releaseOfSource(resolveSource(given));
  const timeout = integerOption(c.values, "timeout", 1, 86_400, command);
  const { BUNDLED_RELEASE, openRelease } = await import("../release/mod.ts");
  if (data === "offline") c.note("ratgtex: the bundled miniature release (synthetic data)");
  return openRelease(data === "offline" ? BUNDLED_RELEASE : data, {
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    onProgress: c.forHuman
      ? (p) => {
        if (p.total !== null && p.bytes === p.total) c.note(`ratgtex: downloaded ${p.url} (${p.total} bytes)`);
      }
      : undefined,
  });
}

function oneArgument(c: CommandContext, name: string, what: string): string {
  if (c.positionals.length !== 1) {
    throw new UsageError(`${name} takes one ${what}, e.g. ratgtex ${name} chr10:100826333`, name);
  }
  return c.positionals[0];
}

function pick(c: CommandContext, name: string, choices: string[]): string {
  const what = stringOption(c.values, "what") ?? choices[0];
  if (!choices.includes(what)) throw new UsageError(`--what must be one of ${choices.join(", ")}`, name);
  return what;
}

/** The region options a `--what` needs. */
function regionOptions(what: string, window: number) {
  return {
    window,
    significant: what === "significant",
    modalities: what === "modality-xqtls",
    trans: what === "trans",
  };
}

/** The frame a `--what` names in a region or lookup result. */
function frameOf(
  r: { eqtls: DataFrame; xqtls: DataFrame; significant?: DataFrame; modalityXqtls?: DataFrame; trans?: DataFrame },
  what: string,
): DataFrame {
  if (what === "xqtls") return r.xqtls;
  if (what === "modality-xqtls") return r.modalityXqtls!;
  if (what === "trans") return r.trans!;
  return r.significant ?? r.eqtls;
}

const PERMUTATION_OPTIONS: OptionTable = {
  permutations: {
    type: "string",
    value: "N",
    help: "permutations per gene (default 1000; eqtl-stats: 0 skips the permutation pass)",
  },
  seed: {
    type: "string",
    value: "S",
    help:
      "their seed, as tensorQTL's map_cis(seed=S) draws them (default 0); give the release's own to compare exactly",
  },
  "published-permutations": {
    type: "string",
    value: "N",
    help: "permutations the release ran, for the Monte-Carlo interval (default 10000, RatGTEx's)",
  },
};

function permutationOptions(c: CommandContext, command: string, allowZero: boolean) {
  const permutations = integerOption(c.values, "permutations", allowZero ? 0 : 2, 1_000_000, command);
  const seed = integerOption(c.values, "seed", 0, 0xffffffff, command);
  const publishedPermutations = integerOption(c.values, "published-permutations", 1, 1_000_000_000, command);
  return {
    ...(permutations === undefined ? {} : { permutations }),
    ...(seed === undefined ? {} : { seed }),
    ...(publishedPermutations === undefined ? {} : { publishedPermutations }),
  };
}

const MODALITY_OPTION = (extra: string): OptionTable => ({
  modality: {
    type: "string",
    short: "m",
    value: "M",
    help: `alt_polyA | alt_TSS | expression | isoforms | splicing | stability${extra}`,
  },
});

function noArguments(c: CommandContext, name: string): void {
  if (c.positionals.length > 0) throw new UsageError(`${name} takes no arguments (use its options)`, name);
}

/** The release subcommands, in the order the help lists them. */
export const RELEASE_COMMANDS: readonly Command[] = [
  {
    name: "region",
    aliases: [],
    summary: "independent eQTLs (or xQTLs, genes) in a region, from a release's files (not the API)",
    usage: [
      "region chrN:START-END [--what eqtls|xqtls|modality-xqtls|trans|genes|significant] [--window N] [--data DIR|URL] [--timeout S] [options]",
    ],
    details: "START and END take k/M suffixes and commas: chr10:100.7M-101.0M, chr10:100,700,000-101,000,000.\n" +
      "eqtls: the eqtl route's columns plus rank; xqtls: the xqtl route's plus rank; genes: the gene route's\n" +
      "(without statusInTissue); significant: every significant pair (singleTissueEqtl's columns plus tssDistance,\n" +
      "af, slopeSe; reads each tissue's cis_qtl_signif file); modality-xqtls: each modality's own independent\n" +
      "xQTLs (xqtls_indep.{M}); trans: trans-eQTL pairs (each tissue's trans_qtl_pairs file). Genes overlap the\n" +
      "region; QTLs have their variant in it.",
    options: {
      ...WHAT(["eqtls", "xqtls", "modality-xqtls", "trans", "genes", "significant"]),
      ...WINDOW,
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: ["ratgtex region chr10:100.7M-101.0M", "ratgtex region chr10:100.7M-101.0M --what genes --data offline"],
    run: async (c) => {
      const text = oneArgument(c, "region", "region");
      const what = pick(c, "region", ["eqtls", "xqtls", "modality-xqtls", "trans", "genes", "significant"]);
      const window = integerOption(c.values, "window", 0, 1e9, "region") ?? 0;
      const r = await (await openRelease(c, "region")).region(text, regionOptions(what, window));
      return { frame: what === "genes" ? r.genes : frameOf(r, what) };
    },
  },
  {
    name: "lookup",
    aliases: [],
    summary: "every gene and tissue where a variant (or any variant within --window) is an eQTL or xQTL",
    usage: [
      "lookup chrN:POS [--what eqtls|xqtls|modality-xqtls|trans|significant] [--window N] [--data DIR|URL] [--timeout S] [options]",
    ],
    details: "Reads the release's independent eQTL and xQTL tables (the API has no variant → genes route); with\n" +
      "--what modality-xqtls each modality's own table, with --what trans the trans-eQTL pairs.",
    options: { ...WHAT(["eqtls", "xqtls", "modality-xqtls", "trans", "significant"]), ...WINDOW, ...DATA_OPTION },
    common: { output: true, source: false },
    examples: ["ratgtex lookup chr10:100826333", "ratgtex lookup chr10:100826333 --window 1000000 --what xqtls"],
    run: async (c) => {
      const text = oneArgument(c, "lookup", "variant");
      const what = pick(c, "lookup", ["eqtls", "xqtls", "modality-xqtls", "trans", "significant"]);
      const window = integerOption(c.values, "window", 0, 1e9, "lookup") ?? 0;
      const r = await (await openRelease(c, "lookup")).lookup(text, regionOptions(what, window));
      return { frame: frameOf(r, what) };
    },
  },
  {
    name: "eqtl-stats",
    aliases: ["pipeline-stats"],
    summary: "the pipeline's exact statistics of gene–variant pairs from a release's own files (tensorQTL, covariates)",
    usage: TRIPLE_USAGE("eqtl-stats", "[--source SRC] "),
    details: "Recomputes tensorQTL's nominal statistics from the release's normalised phenotypes, covariates and\n" +
      "genotypes — what the API's pValue is — and the conditional ones of independent eQTLs. Columns: geneId,\n" +
      "tissueSiteDetailId, variantId, n, nImputed, covariates, dof, slope, slopeSe, tStatistic, pValue,\n" +
      "publishedPValue, topSlope, topSlopeSe, topPValue, rank, conditionalOn, conditionalSlope,\n" +
      "conditionalSlopeSe, conditionalPValue, indepSlope, indepSlopeSe, indepPValue, then the permutation pass\n" +
      "(numVar, publishedNumVar, pValuePerm, pValueBeta, pValueBetaLow, pValueBetaHigh, betaShape1, betaShape2,\n" +
      "trueDf, publishedPValueBeta, conditionalNumVar, indepNumVar, conditionalPValueBeta, conditionalPValueBetaLow,\n" +
      "conditionalPValueBetaHigh, indepPValueBeta), qValue, publishedQValue, pValueThreshold,\n" +
      "publishedPValueThreshold, log2aFC, publishedLog2aFC, seed, agrees, disagrees, reason. With --seed (the\n" +
      "release's own), pval_beta is compared at its printed precision; otherwise within its Monte-Carlo interval.",
    options: { ...TRIPLE_OPTIONS, ...PERMUTATION_OPTIONS, ...DATA_OPTION },
    common: { output: true, source: false },
    examples: [
      "ratgtex eqtl-stats Cd300lf IL chr10:100826333 --source offline",
      "ratgtex eqtl-stats Eno1 IL chr5:167560579 --source offline --permutations 1000 --seed 20260426",
      "ratgtex eqtl Cd300lf -f tsv | cut -f1-3 | ratgtex eqtl-stats - --data ~/ratgtex/data/v4",
    ],
    run: async (c) => {
      const triples = await triplesFrom(c.values, c.positionals, "eqtl-stats");
      const frame = await (await openRelease(c, "eqtl-stats")).eqtlStatistics(
        triples,
        permutationOptions(c, "eqtl-stats", true),
      );
      const disagree = (frame.getColumn("agrees").toArray() as (boolean | null)[]).filter((a) => a === false).length;
      if (disagree > 0) {
        c.note(`ratgtex eqtl-stats: ${disagree} pair(s) disagree with the published values (agrees: false)`);
      }
      return { frame };
    },
  },
  {
    name: "top-associations",
    aliases: ["egenes"],
    summary: "every tested gene × tissue with its top variant and eGene status, genome-wide",
    usage: ["top-associations [--egenes] [--data DIR|URL] [--timeout S] [options]"],
    details: "Columns: geneId, tissueSiteDetailId, variantId, chromosome, pos, ref, alt, numVar, af, tssDistance,\n" +
      "pValue, slope, slopeSe, pValueBeta, qValue, pValueThreshold, log2aFC, eGene (qValue < 0.05).",
    options: { egenes: { type: "boolean", help: "only eGenes" }, ...DATA_OPTION },
    common: { output: true, source: false },
    examples: ["ratgtex egenes --egenes --format csv --out egenes.csv", "ratgtex top-associations --data offline"],
    run: async (c) => {
      if (c.positionals.length > 0) throw new UsageError("top-associations takes no arguments", "top-associations");
      const top = await (await openRelease(c, "top-associations")).topAssociations();
      return { frame: c.values.egenes === true ? top.filter(top.getColumn("eGene")) : top };
    },
  },
  {
    name: "xqtl-top",
    aliases: [],
    summary: "every tested phenotype × tissue of a modality with its top variant and q-value, genome-wide",
    usage: ["xqtl-top [--modality M|cross_modality] [--significant] [--data DIR|URL] [--timeout S] [options]"],
    details: "Reads xqtl/top_assoc.{M}.v4_rn8.tsv (default: the six modalities' tables). Columns: geneId,\n" +
      "tissueSiteDetailId, modality, modalityLabel, phenotypeId, variantId, chromosome, pos, ref, alt, numVar, af,\n" +
      "tssDistance, pValue, slope, slopeSe, pValueBeta, qValue, pValueThreshold, significant (qValue < 0.05).",
    options: {
      ...MODALITY_OPTION(" | cross_modality (default: the six)"),
      significant: { type: "boolean", help: "only qValue < 0.05" },
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: ["ratgtex xqtl-top --modality splicing --significant --data offline"],
    run: async (c) => {
      noArguments(c, "xqtl-top");
      const modality = stringOption(c.values, "modality");
      const top = await (await openRelease(c, "xqtl-top")).xqtlTopAssociations(
        modality === undefined ? {} : { modality },
      );
      return { frame: c.values.significant === true ? top.filter(top.getColumn("significant")) : top };
    },
  },
  {
    name: "xqtls",
    aliases: [],
    summary: "every conditionally independent xQTL of one modality (or of all, cross-modality), genome-wide",
    usage: ["xqtls [--modality M|cross_modality] [--data DIR|URL] [--timeout S] [options]"],
    details: "Reads xqtl/xqtls_indep.{M}.v4_rn8.tsv (default: cross_modality, what the xqtl route reads). Columns\n" +
      "as the xqtl route: geneId, tissueSiteDetailId, modality, modalityLabel, phenotypeId, variantId, chromosome,\n" +
      "pos, ref, alt, pValueBeta, plus rank.",
    options: { ...MODALITY_OPTION(" | cross_modality (the default)"), ...DATA_OPTION },
    common: { output: true, source: false },
    examples: ["ratgtex xqtls --modality isoforms --data offline"],
    run: async (c) => {
      noArguments(c, "xqtls");
      const modality = stringOption(c.values, "modality");
      return {
        frame: await (await openRelease(c, "xqtls")).independentXqtls(modality === undefined ? {} : { modality }),
      };
    },
  },
  {
    name: "trans",
    aliases: ["trans-pairs"],
    summary: "trans-eQTL pairs (p < 1e-5, > 5 Mb from the gene) of a gene, a variant or a region",
    usage: ["trans [--gene G] [--variant V] [--region R] [--tissue T] [--data DIR|URL] [--timeout S] [options]"],
    details: "Reads xqtl/trans_qtl_pairs.{T}.expression.v4_rn8.txt.gz of each tissue asked for (default all).\n" +
      "Columns: geneId, tissueSiteDetailId, variantId, chromosome, pos, pValue, slope, slopeSe, af.",
    options: {
      gene: { type: "string", short: "g", value: "G", multiple: true, help: "gene ID(s), repeated or comma-joined" },
      variant: { type: "string", value: "V", help: "variant ID chrN:pos" },
      region: { type: "string", value: "R", help: "chrN:START-END (k/M suffixes)" },
      tissue: { type: "string", short: "t", value: "T", multiple: true, help: "tissue ID(s) (default all)" },
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: ["ratgtex trans --gene SynG014 --data offline", "ratgtex trans --variant chr1:123456 --tissue IL"],
    run: async (c) => {
      noArguments(c, "trans");
      const genes = listOption(c.values, "gene");
      const tissues = listOption(c.values, "tissue");
      const variant = stringOption(c.values, "variant");
      const region = stringOption(c.values, "region");
      return {
        frame: await (await openRelease(c, "trans")).transPairs({
          ...(genes === undefined ? {} : { geneId: genes }),
          ...(tissues === undefined ? {} : { tissueSiteDetailId: tissues }),
          ...(variant === undefined ? {} : { variantId: variant }),
          ...(region === undefined ? {} : { region }),
        }),
      };
    },
  },
  {
    name: "rats",
    aliases: [],
    summary: "the release's rats (sex, coat colour, tissues sampled), or one tissue's rat IDs",
    usage: ["rats [--tissue T] [--data DIR|URL] [--timeout S] [options]"],
    details: "Reads ref/RatGTEx_rats.v4.tsv (columns ratId, sex, coatColor, tissues); with --tissue, the rats of\n" +
      "rat_ids/rat_ids.{T}.v4.txt (the tissue's final sample set), with the same columns.",
    options: { tissue: { type: "string", short: "t", value: "T", help: "one tissue's rats" }, ...DATA_OPTION },
    common: { output: true, source: false },
    examples: ["ratgtex rats --data offline", "ratgtex rats --tissue IL --data offline"],
    run: async (c) => {
      noArguments(c, "rats");
      const rel = await openRelease(c, "rats");
      const rats = await rel.rats();
      const tissue = stringOption(c.values, "tissue");
      if (tissue === undefined) return { frame: rats };
      const ids = await rel.ratIds(tissue);
      const { default: pl } = await import("nodejs-polars");
      return { frame: pl.DataFrame({ ratId: ids }).join(rats, { on: "ratId", how: "left" }) };
    },
  },
  {
    name: "samples",
    aliases: [],
    summary: "the release's RNA-seq samples with their GEO, BioSample and SRA accessions",
    usage: ["samples [--tissue T] [--data DIR|URL] [--timeout S] [options]"],
    details: "Reads ref/RatGTEx_samples.v4.tsv. Columns: tissueSiteDetailId, ratId, geoAccession,\n" +
      "bioSampleAccession, sraAccession.",
    options: {
      tissue: { type: "string", short: "t", value: "T", multiple: true, help: "only these tissues" },
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: ["ratgtex samples --tissue IL --data offline"],
    run: async (c) => {
      noArguments(c, "samples");
      const samples = await (await openRelease(c, "samples")).samples();
      const tissues = listOption(c.values, "tissue");
      return {
        frame: tissues === undefined ? samples : samples.filter(samples.getColumn("tissueSiteDetailId").isIn(tissues)),
      };
    },
  },
  {
    name: "heritability",
    aliases: ["hsq"],
    summary: "heritability and prediction accuracy of heritable RNA phenotypes (the Predict page's table)",
    usage: ["heritability [--gene G] [--tissue T] [--modality M] [--data DIR|URL] [--timeout S] [options]"],
    details: "Reads data/predict/phenotype_stats.tsv.gz (beside data/v4). Columns: tissueSiteDetailId, modality,\n" +
      "modalityLabel, geneId, phenotypeId, hsq, hsqSe, hsqPValue, modelType, modelCvR2, modelCvPValue.",
    options: {
      gene: { type: "string", short: "g", value: "G", multiple: true, help: "gene ID(s)" },
      tissue: { type: "string", short: "t", value: "T", multiple: true, help: "tissue ID(s)" },
      ...MODALITY_OPTION(""),
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: ["ratgtex heritability --gene Cd300lf --data offline"],
    run: async (c) => {
      noArguments(c, "heritability");
      const genes = listOption(c.values, "gene"), tissues = listOption(c.values, "tissue");
      const modality = stringOption(c.values, "modality");
      return {
        frame: await (await openRelease(c, "heritability")).heritability({
          ...(genes === undefined ? {} : { geneId: genes }),
          ...(tissues === undefined ? {} : { tissueSiteDetailId: tissues }),
          ...(modality === undefined ? {} : { modality }),
        }),
      };
    },
  },
  {
    name: "predictions",
    aliases: ["predicted"],
    summary: "genetically predicted RNA phenotypes (z-scores) of the genotyped rats, from the Predict page's files",
    usage: [
      "predictions --gene G|--phenotype P --tissue T [--modality M] [--rat R...] [--data DIR|URL] [--timeout S] [options]",
    ],
    details: "Reads data/predict/pred-round11_2-{T}-{M}.tsv.gz (beside data/v4; downloaded into the cache for a\n" +
      "release URL), only the columns asked for. Columns: ratId, tissueSiteDetailId, modality, geneId, phenotypeId,\n" +
      "predicted. Only phenotypes heritable at p < 0.01 have predictions (see heritability).",
    options: {
      gene: { type: "string", short: "g", value: "G", help: "a gene: every predicted phenotype of it" },
      phenotype: { type: "string", value: "P", help: "one phenotype ID" },
      tissue: { type: "string", short: "t", value: "T", help: "the tissue" },
      ...MODALITY_OPTION(" (default expression)"),
      rat: { type: "string", value: "R", multiple: true, help: "only these rats (repeated or comma-joined)" },
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: ["ratgtex predictions --gene Cd300lf --tissue IL --data offline"],
    run: async (c) => {
      noArguments(c, "predictions");
      const gene = stringOption(c.values, "gene"), phenotype = stringOption(c.values, "phenotype");
      const tissue = stringOption(c.values, "tissue");
      if (tissue === undefined) throw new UsageError("predictions needs --tissue", "predictions");
      if ((gene === undefined) === (phenotype === undefined)) {
        throw new UsageError("predictions needs --gene or --phenotype (one of them)", "predictions");
      }
      const modality = stringOption(c.values, "modality");
      const rats = listOption(c.values, "rat");
      return {
        frame: await (await openRelease(c, "predictions")).predictedPhenotypes({
          tissueSiteDetailId: tissue,
          ...(gene === undefined ? {} : { geneId: gene }),
          ...(phenotype === undefined ? {} : { phenotypeId: phenotype }),
          ...(modality === undefined ? {} : { modality }),
          ...(rats === undefined ? {} : { ratIds: rats }),
        }),
      };
    },
  },
  {
    name: "perm-stats",
    aliases: ["permutations"],
    summary: "a tissue's permutation pass recomputed from the release's files (pval_beta, beta shapes, true_df)",
    usage: [
      "perm-stats TISSUE [--modality M] [--gene G] [--permutations N] [--seed S] [--data DIR|URL] [--timeout S] [options]",
    ],
    details: "tensorQTL's map_cis on the normalised phenotypes, covariates and genotypes, the beta approximation,\n" +
      "and the Monte-Carlo interval of pval_beta, beside the release's top_assoc values. Columns: geneId,\n" +
      "tissueSiteDetailId, modality, phenotypeId, groupSize, numVar, variantId, pValue, slope, slopeSe,\n" +
      "pValuePerm, pValueBeta, betaShape1, betaShape2, trueDf, pValueTrueDf, pValueBetaLow, pValueBetaHigh,\n" +
      "nPermutations, seed, publishedVariantId, publishedNumVar, publishedPValueBeta, withinInterval, agrees, reason.",
    options: {
      ...MODALITY_OPTION(" (default expression)"),
      gene: { type: "string", short: "g", value: "G", multiple: true, help: "gene ID(s) (default every tested gene)" },
      ...PERMUTATION_OPTIONS,
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: [
      "ratgtex perm-stats IL --data offline --permutations 1000 --seed 20260426 --published-permutations 1000",
    ],
    run: async (c) => {
      const tissue = oneArgument(c, "perm-stats", "tissue");
      const genes = listOption(c.values, "gene");
      const modality = stringOption(c.values, "modality");
      return {
        frame: await (await openRelease(c, "perm-stats")).permutationStatistics({
          tissueSiteDetailId: tissue,
          ...(modality === undefined ? {} : { modality }),
          ...(genes === undefined ? {} : { geneIds: genes }),
        }, permutationOptions(c, "perm-stats", false)),
      };
    },
  },
  {
    name: "qvalues",
    aliases: [],
    summary: "a tissue's Storey q-values recomputed from its published pval_beta column (R qvalue, lambda 0.85)",
    usage: ["qvalues TISSUE [--modality M] [--data DIR|URL] [--timeout S] [options]"],
    details: "Columns: geneId, phenotypeId, tissueSiteDetailId, modality, pValueBeta, qValue, publishedQValue,\n" +
      "lambda, pi0, pValueBetaThreshold, agrees.",
    options: { ...MODALITY_OPTION(" (default expression)"), ...DATA_OPTION },
    common: { output: true, source: false },
    examples: ["ratgtex qvalues IL --data offline"],
    run: async (c) => {
      const tissue = oneArgument(c, "qvalues", "tissue");
      const modality = stringOption(c.values, "modality");
      return {
        frame: await (await openRelease(c, "qvalues")).qValues({
          tissueSiteDetailId: tissue,
          ...(modality === undefined ? {} : { modality }),
        }),
      };
    },
  },
];
