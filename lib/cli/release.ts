/**
 * The release subcommands: genome-scale queries over a RatGTEx release folder or URL, which the API
 * cannot answer gene by gene — `region` (genes, eQTLs, xQTLs in an interval), `lookup` (every gene and
 * tissue where a variant, or any variant near it, is an eQTL or xQTL) and `top-associations` (every tested
 * gene × tissue with its eGene status).
 *
 * @module
 */
import { integerOption, type OptionTable, stringOption, triplesFrom, UsageError } from "./args.ts";
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

/** The release subcommands, in the order the help lists them. */
export const RELEASE_COMMANDS: readonly Command[] = [
  {
    name: "region",
    aliases: [],
    summary: "independent eQTLs (or xQTLs, genes) in a region, from a release's files (not the API)",
    usage: [
      "region chrN:START-END [--what eqtls|xqtls|genes|significant] [--window N] [--data DIR|URL] [--timeout S] [options]",
    ],
    details: "START and END take k/M suffixes and commas: chr10:100.7M-101.0M, chr10:100,700,000-101,000,000.\n" +
      "eqtls: the eqtl route's columns plus rank; xqtls: the xqtl route's plus rank; genes: the gene route's\n" +
      "(without statusInTissue); significant: every significant pair (singleTissueEqtl's columns plus tssDistance,\n" +
      "af, slopeSe; reads each tissue's cis_qtl_signif file). Genes overlap the region; QTLs have their variant in it.",
    options: { ...WHAT(["eqtls", "xqtls", "genes", "significant"]), ...WINDOW, ...DATA_OPTION },
    common: { output: true, source: false },
    examples: ["ratgtex region chr10:100.7M-101.0M", "ratgtex region chr10:100.7M-101.0M --what genes --data offline"],
    run: async (c) => {
      const text = oneArgument(c, "region", "region");
      const what = pick(c, "region", ["eqtls", "xqtls", "genes", "significant"]);
      const window = integerOption(c.values, "window", 0, 1e9, "region") ?? 0;
      const r = await (await openRelease(c, "region")).region(text, { window, significant: what === "significant" });
      return { frame: what === "genes" ? r.genes : what === "xqtls" ? r.xqtls : r.significant ?? r.eqtls };
    },
  },
  {
    name: "lookup",
    aliases: [],
    summary: "every gene and tissue where a variant (or any variant within --window) is an eQTL or xQTL",
    usage: ["lookup chrN:POS [--what eqtls|xqtls|significant] [--window N] [--data DIR|URL] [--timeout S] [options]"],
    details: "Reads the release's independent eQTL and xQTL tables (the API has no variant → genes route).",
    options: { ...WHAT(["eqtls", "xqtls", "significant"]), ...WINDOW, ...DATA_OPTION },
    common: { output: true, source: false },
    examples: ["ratgtex lookup chr10:100826333", "ratgtex lookup chr10:100826333 --window 1000000 --what xqtls"],
    run: async (c) => {
      const text = oneArgument(c, "lookup", "variant");
      const what = pick(c, "lookup", ["eqtls", "xqtls", "significant"]);
      const window = integerOption(c.values, "window", 0, 1e9, "lookup") ?? 0;
      const r = await (await openRelease(c, "lookup")).lookup(text, { window, significant: what === "significant" });
      return { frame: what === "xqtls" ? r.xqtls : r.significant ?? r.eqtls };
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
      "conditionalSlopeSe, conditionalPValue, indepSlope, indepSlopeSe, indepPValue, agrees, reason.",
    options: { ...TRIPLE_OPTIONS, ...DATA_OPTION },
    common: { output: true, source: false },
    examples: [
      "ratgtex eqtl-stats Cd300lf IL chr10:100826333 --source offline",
      "ratgtex eqtl Cd300lf -f tsv | cut -f1-3 | ratgtex eqtl-stats - --data ~/ratgtex/data/v4",
    ],
    run: async (c) => {
      const triples = await triplesFrom(c.values, c.positionals, "eqtl-stats");
      const frame = await (await openRelease(c, "eqtl-stats")).eqtlStatistics(triples);
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
];
