/**
 * The GWAS subcommands: from a GWAS hit to its genes over a release's own files — `ld` (LD of a lead with
 * its window, from the release's genotypes), `proxies` (the hit's xQTLs in LD with it), `coloc`
 * (colocalisation of a GWAS with every gene × tissue near the hit) and `finemap` (SuSiE credible sets of a
 * gene in a tissue).
 *
 * @module
 */
import { integerOption, listOption, numberOption, type OptionTable, stringOption, UsageError } from "./args.ts";
import type { Command, CommandContext } from "./command.ts";
import { DATA_OPTION, openRelease } from "./release.ts";

function oneArgument(c: CommandContext, name: string, what: string, example: string): string {
  if (c.positionals.length !== 1) {
    throw new UsageError(`${name} takes one ${what}, e.g. ratgtex ${name} ${example}`, name);
  }
  return c.positionals[0];
}

const TISSUE: OptionTable = {
  tissue: { type: "string", short: "t", value: "T", help: "one tissue's rats (rat_ids), in its own dataset's VCF" },
};

/** The GWAS subcommands, in the order the help lists them. */
export const GWAS_COMMANDS: readonly Command[] = [
  {
    name: "ld",
    aliases: [],
    summary: "LD (r², D′, r) of a variant with every variant of its window, from a release's genotypes",
    usage: [
      "ld VARIANT [--window BP] [--tissue T] [--min-r2 R] [--variants LIST] [--data DIR|URL|offline] [options]",
    ],
    details: "Dosages 0/1/2 from GT, missing calls left out pair by pair (plink 1.9 --r2). Without --tissue: every\n" +
      "rat of the reference VCF (ratgtex_v4_round11_2, the variant route's); with it: the tissue's rats\n" +
      "(rat_ids/rat_ids.T.v4.txt) in the tissue's dataset. Columns: variantId, chromosome, pos, distance (bp\n" +
      "from VARIANT), r2 (dosage r², plink --r2), r (signed, ALT vs ALT), dprime (|D′|, plink --r2 dprime),\n" +
      "r2Haplotype (plink --r2 dprime's R2), n (rats called at both), ref, alt, reason (why a statistic is\n" +
      "empty: a multi-allelic site, one genotype among the rats).",
    options: {
      window: { type: "string", short: "w", value: "BP", help: "half-width of the window (default 1000000)" },
      ...TISSUE,
      "min-r2": { type: "string", value: "R", help: "keep variants with r² ≥ R (default 0: all)" },
      variants: { type: "string", value: "LIST", help: "pair VARIANT with these (comma-separated) instead" },
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: [
      "ratgtex ld chr10:100826333 --data offline",
      "ratgtex ld chr10:100826333 --tissue IL --min-r2 0.6 --format csv --out ld.csv",
    ],
    run: async (c) => {
      const variant = oneArgument(c, "ld", "variant", "chr10:100826333");
      const window = integerOption(c.values, "window", 0, 1e9, "ld");
      const minR2 = numberOption(c.values, "min-r2", 0, 1, "ld");
      const variantIds = listOption(c.values, "variants");
      const tissue = stringOption(c.values, "tissue");
      const { ldFromRelease } = await import("../workflows/ld.ts");
      const release = await openRelease(c, "ld");
      const frame = await ldFromRelease(release, variant, {
        ...(window === undefined ? {} : { window }),
        ...(minR2 === undefined ? {} : { minR2 }),
        ...(variantIds === undefined ? {} : { variantIds }),
        ...(tissue === undefined ? {} : { tissue }),
      });
      return { frame };
    },
  },
];
