/**
 * The release subcommands: genome-scale queries over a RatGTEx release folder or URL, which the API
 * cannot answer gene by gene — `region` (genes, eQTLs, xQTLs in an interval), `lookup` (every gene and
 * tissue where a variant, or any variant near it, is an eQTL or xQTL) and `top-associations` (every tested
 * gene × tissue with its eGene status).
 *
 * @module
 */
import { integerOption, type OptionTable, stringOption, UsageError } from "./args.ts";
import type { Command, CommandContext } from "./command.ts";

/** The default release: RatGTEx's own data folder (files are downloaded into the cache as needed). */
export const LIVE_RELEASE_URL = "https://ratgtex.org/data/v4";

const DATA_OPTION: OptionTable = {
  data: {
    type: "string",
    short: "d",
    value: "DIR|URL",
    help: `release folder or URL (default ${LIVE_RELEASE_URL}; 'offline': the bundled synthetic one)`,
  },
};

const WINDOW: OptionTable = {
  window: { type: "string", short: "w", value: "N", help: "widen by N bases on each side (default 0)" },
};

const WHAT = (choices: string[]): OptionTable => ({
  what: { type: "string", value: choices.join("|"), help: `which table (default ${choices[0]})` },
});

async function openRelease(c: CommandContext) {
  const data = stringOption(c.values, "data") ?? LIVE_RELEASE_URL;
  const { BUNDLED_RELEASE, openRelease } = await import("../release/mod.ts");
  if (data === "offline") c.note("ratgtex: the bundled miniature release (synthetic data)");
  return openRelease(data === "offline" ? BUNDLED_RELEASE : data, {
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
    usage: ["region chrN:START-END [--what eqtls|xqtls|genes|significant] [--window N] [--data DIR|URL] [options]"],
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
      const r = await (await openRelease(c)).region(text, { window, significant: what === "significant" });
      return { frame: what === "genes" ? r.genes : what === "xqtls" ? r.xqtls : r.significant ?? r.eqtls };
    },
  },
  {
    name: "lookup",
    aliases: [],
    summary: "every gene and tissue where a variant (or any variant within --window) is an eQTL or xQTL",
    usage: ["lookup chrN:POS [--what eqtls|xqtls|significant] [--window N] [--data DIR|URL] [options]"],
    details: "Reads the release's independent eQTL and xQTL tables (the API has no variant → genes route).",
    options: { ...WHAT(["eqtls", "xqtls", "significant"]), ...WINDOW, ...DATA_OPTION },
    common: { output: true, source: false },
    examples: ["ratgtex lookup chr10:100826333", "ratgtex lookup chr10:100826333 --window 1000000 --what xqtls"],
    run: async (c) => {
      const text = oneArgument(c, "lookup", "variant");
      const what = pick(c, "lookup", ["eqtls", "xqtls", "significant"]);
      const window = integerOption(c.values, "window", 0, 1e9, "lookup") ?? 0;
      const r = await (await openRelease(c)).lookup(text, { window, significant: what === "significant" });
      return { frame: what === "xqtls" ? r.xqtls : r.significant ?? r.eqtls };
    },
  },
  {
    name: "top-associations",
    aliases: ["egenes"],
    summary: "every tested gene × tissue with its top variant and eGene status, genome-wide",
    usage: ["top-associations [--egenes] [--data DIR|URL] [options]"],
    details: "Columns: geneId, tissueSiteDetailId, variantId, chromosome, pos, ref, alt, numVar, af, tssDistance,\n" +
      "pValue, slope, slopeSe, pValueBeta, qValue, pValueThreshold, log2aFC, eGene (qValue < 0.05).",
    options: { egenes: { type: "boolean", help: "only eGenes" }, ...DATA_OPTION },
    common: { output: true, source: false },
    examples: ["ratgtex egenes --egenes --format csv --out egenes.csv", "ratgtex top-associations --data offline"],
    run: async (c) => {
      if (c.positionals.length > 0) throw new UsageError("top-associations takes no arguments", "top-associations");
      const top = await (await openRelease(c)).topAssociations();
      return { frame: c.values.egenes === true ? top.filter(top.getColumn("eGene")) : top };
    },
  },
];
